"""Small device helpers that work with whichever Keras backend is selected.

Nothing here imports a framework at module import time; each function imports
the one it needs when called.
"""

from __future__ import annotations

import os
import platform
import sys
from functools import lru_cache
from pathlib import Path


def keras_backend() -> str:
    """The Keras backend that ``import keras`` will use (read without importing Keras)."""
    if "keras" in sys.modules:
        import keras

        return keras.backend.backend()
    return os.environ.get("KERAS_BACKEND", "tensorflow").strip().lower() or "tensorflow"


def gpu_count() -> int:
    """How many GPUs the current backend sees (0 when its framework is missing)."""
    backend = keras_backend()
    try:
        if backend == "jax":
            import jax

            return sum(1 for d in jax.devices() if d.platform == "gpu")
        if backend == "torch":
            import torch

            return torch.cuda.device_count()
        import tensorflow as tf

        return len(tf.config.list_physical_devices("GPU"))
    except (ImportError, RuntimeError):
        return 0


def best_device() -> str:
    """``"/GPU:0"`` when TensorFlow sees a GPU, else ``"/CPU:0"`` (d2l's ``try_gpu``)."""
    import tensorflow as tf

    return "/GPU:0" if tf.config.list_physical_devices("GPU") else "/CPU:0"


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU feature flags of this machine (Linux ``/proc/cpuinfo``; empty elsewhere)."""
    cpuinfo = Path("/proc/cpuinfo")
    if not cpuinfo.exists():
        return frozenset()
    for line in cpuinfo.read_text(errors="replace").splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def cpu_name() -> str:
    """The CPU's model name, as the OS reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def cpu_has_fast_bf16(flags: frozenset[str] | None = None) -> bool:
    """True when the CPU computes bfloat16 in hardware (AMX-BF16 or AVX-512 BF16)."""
    flags = cpu_flags() if flags is None else flags
    return bool({"amx_bf16", "avx512_bf16"} & flags)


def gpu_compute_capability() -> tuple[int, int] | None:
    """Compute capability of the first GPU TensorFlow sees, or ``None`` without one."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    return tf.config.experimental.get_device_details(gpus[0]).get("compute_capability")


def gpu_name() -> str:
    """Name of the first GPU TensorFlow sees (``"Tesla T4"``), or ``""`` without one: pass it to the policy helpers."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return tf.config.experimental.get_device_details(gpus[0]).get("device_name", "") if gpus else ""


# Turing chips without Tensor Cores (TU116, TU117) report compute capability 7.5 like a T4: they are told by name.
NO_TENSOR_CORE_TURING = ("GTX 16", "MX450", "MX550", " T400", " T500", " T550", " T600", " T1000", " T1200")


def has_tensor_cores(gpu_cc: tuple[int, int] | None, gpu_name: str = "") -> bool:
    """Whether the GPU has Tensor Cores: compute capability 7.0 and up, except Turing's TU116/TU117 parts
    (GeForce GTX 16xx, MX450/MX550, T400-T1200), which share the T4's 7.5 without them."""
    if gpu_cc is None or gpu_cc < (7, 0):
        return False
    return not any(part in f" {gpu_name.upper()}" for part in NO_TENSOR_CORE_TURING)


def recommended_policy(gpu_cc: tuple[int, int] | None, cpu_bf16: bool, gpu_name: str = "") -> tuple[str, str]:
    """The Keras dtype policy that pays off on this hardware, and why (``gpu_name`` spots Turing without Tensor Cores)."""
    if gpu_cc is not None and gpu_cc >= (7, 0) and not has_tensor_cores(gpu_cc, gpu_name):
        return "float32", f"{gpu_name} (Turing TU116/TU117) has no Tensor Cores: mixed precision saves memory, not time"
    if gpu_cc is not None:
        if gpu_cc >= (8, 0):
            return (
                "mixed_bfloat16",
                f"GPU compute capability {gpu_cc[0]}.{gpu_cc[1]}: bfloat16 Tensor Cores, no loss scaling needed",
            )
        if gpu_cc >= (7, 0):
            return (
                "mixed_float16",
                f"GPU compute capability {gpu_cc[0]}.{gpu_cc[1]}: float16 Tensor Cores only (no bfloat16)",
            )
        return (
            "float32",
            f"GPU compute capability {gpu_cc[0]}.{gpu_cc[1]} has no Tensor Cores: mixed precision saves memory, not time",
        )
    if cpu_bf16:
        return "mixed_bfloat16", "this CPU computes bfloat16 in hardware (AMX or AVX-512 BF16)"
    return (
        "float32",
        "this CPU has no bfloat16 hardware, and float16 on a CPU is emulated (far slower): stay in float32",
    )


def explain_policy(policy: str, gpu_cc: tuple[int, int] | None, cpu_bf16: bool, gpu_name: str = "") -> str | None:
    """Why ``policy`` will not pay (or not run well) on this hardware; ``None`` when it is a sound choice."""
    valid = ("float32", "mixed_float16", "mixed_bfloat16")
    if policy not in valid:
        return f"{policy!r} is not a Keras mixed-precision policy; choose one of {valid}."
    if policy == "float32":
        return None
    if gpu_cc is None:
        if policy == "mixed_float16":
            return "float16 on a CPU is emulated: training would be many times slower. Use float32 (or mixed_bfloat16 with AMX)."
        return None if cpu_bf16 else "this CPU has no bfloat16 hardware: mixed_bfloat16 runs, but slower than float32."
    if gpu_cc < (7, 0):
        return (
            f"compute capability {gpu_cc[0]}.{gpu_cc[1]} has no Tensor Cores: mixed precision saves memory, not time."
        )
    if not has_tensor_cores(gpu_cc, gpu_name):
        return f"{gpu_name} (Turing TU116/TU117) has no Tensor Cores: mixed precision saves memory, not time."
    if policy == "mixed_bfloat16" and gpu_cc < (8, 0):
        return (
            f"compute capability {gpu_cc[0]}.{gpu_cc[1]} (e.g. a T4) has no bfloat16 Tensor Cores: use mixed_float16."
        )
    return None


def is_out_of_memory(err: BaseException) -> bool:
    """True for an out-of-memory error from TensorFlow, JAX or PyTorch (ResourceExhausted, 'out of memory')."""
    text = f"{type(err).__name__} {err}".lower()
    return any(k in text for k in ("resourceexhausted", "resource_exhausted", "out of memory", "oom when allocating"))


def numba_cuda(has_gpu: bool):
    """``numba.cuda`` for writing CUDA kernels in Python: the real GPU target when ``has_gpu``, else the simulator.

    Returns ``(cuda, simulated)``. Numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``) runs every thread
    of a kernel as a Python thread on the CPU: the same code and results, none of the speed. The variable
    must be set before Numba reads its configuration; when Numba was already imported in this kernel,
    its configuration is reloaded, and when ``numba.cuda`` itself was already imported for the real GPU
    on a machine without one, the message says to restart the kernel.
    """
    if not has_gpu:
        os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
        if "numba" in sys.modules and "numba.cuda" not in sys.modules:
            from numba.core import config

            config.reload_config()
    try:
        from numba import cuda
    except ImportError as err:
        raise RuntimeError(
            "Numba is not installed: run `pip install numba` in this environment (Colab has it), then restart."
        ) from err
    simulated = cuda.jit.__module__.endswith("simulator.api")
    if not has_gpu and not simulated:
        raise RuntimeError(
            "numba.cuda was imported for a real GPU before this call, and there is none: restart the kernel "
            "(Kernel > Restart) and run the notebook from the top, so that the simulator is switched on first."
        )
    return cuda, simulated
