"""The GPU doctor: what hardware TensorFlow sees, and the fix for each problem found.

It works in two steps so that it can be tested without a GPU:
:func:`gather_facts` asks TensorFlow and ``nvidia-smi`` (never crashing when
either is missing), and :func:`diagnose` turns plain facts into findings.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field

from course_utils.devices import cpu_has_fast_bf16, cpu_name, has_tensor_cores
from course_utils.env import MINIMUM_VERSIONS, detect_platform, parse_version

# Architecture of each compute capability (NVIDIA's CUDA GPUs list, developer.nvidia.com/cuda-gpus).
ARCHITECTURES = {
    3: "Kepler",
    5: "Maxwell",
    6: "Pascal",
    (7, 0): "Volta",
    (7, 2): "Volta (Xavier)",
    (7, 5): "Turing",
    8: "Ampere",
    (8, 9): "Ada Lovelace",
    9: "Hopper",
    10: "Blackwell",
    11: "Blackwell (Thor)",
    12: "Blackwell",
}
# TensorFlow's release builds compile CUDA code for sm_60, sm_70, sm_80, sm_89 and compute_90
# (tensorflow/.bazelrc, HERMETIC_CUDA_COMPUTE_CAPABILITIES, TensorFlow 2.18 to 2.21): no code for older GPUs.
# "compute_xy" includes both machine code (SASS) and PTX, "sm_xy" machine code only (TensorFlow's configure.py).
TF_MIN_COMPUTE_CAPABILITY = (6, 0)
TF_NEWEST_MACHINE_CODE = (9, 0)  # newer GPUs can only run the compute_90 PTX, compiled by the driver
# Blackwell consumer and workstation parts (12.x: RTX 50xx, RTX PRO 6000, Colab's G4) fail with TensorFlow's pip
# wheels (reported from 2.16 to 2.21): CUDA_ERROR_INVALID_PTX in many kernels (tensorflow issues #97387, #99592,
# #101746), and XLA aborts with "PTX version 8.5 does not support target 'sm_120'" (#111958: the wheels' CUDA 12.5).
TF_FAILS_ON_MAJOR = 12


@dataclass
class GpuInfo:
    name: str
    compute_capability: tuple[int, int] | None = None
    memory_total_mb: float | None = None
    memory_free_mb: float | None = None

    @property
    def architecture(self) -> str:
        cc = self.compute_capability
        if cc is None:
            return "unknown"
        return ARCHITECTURES.get(tuple(cc), ARCHITECTURES.get(cc[0], "unknown"))

    @property
    def tensor_cores(self) -> bool:
        """Tensor Cores exist from compute capability 7.0 (Volta) on, except on Turing's TU116/TU117 (GTX 16xx...)."""
        cc = tuple(self.compute_capability) if self.compute_capability is not None else None
        return has_tensor_cores(cc, self.name)

    @property
    def tf32(self) -> bool:
        """TF32 and bfloat16 Tensor Core math exist from 8.0 (Ampere) on."""
        return self.compute_capability is not None and self.compute_capability >= (8, 0)

    @property
    def fp8(self) -> bool:
        """FP8 Tensor Core math exists from 8.9 (Ada Lovelace; Hopper is 9.0) on."""
        return self.compute_capability is not None and self.compute_capability >= (8, 9)

    @property
    def fp4(self) -> bool:
        """FP4 and FP6 Tensor Core math exist from Blackwell (10.x, 11.0, 12.x) on."""
        return self.compute_capability is not None and self.compute_capability >= (10, 0)

    @property
    def usable_by_tensorflow(self) -> bool:
        """TensorFlow 2.21's CUDA 12 build has code for compute capability 6.0 and newer only."""
        return self.compute_capability is None or self.compute_capability >= TF_MIN_COMPUTE_CAPABILITY


@dataclass
class Facts:
    """Everything the doctor looks at; tests build these by hand."""

    platform: str = "local"
    tf_version: str | None = None
    tf_cuda_build: bool = False
    cuda_version: str | None = None
    cudnn_version: str | None = None
    tf_gpus: list[GpuInfo] = field(default_factory=list)
    smi_gpus: list[GpuInfo] = field(default_factory=list)
    driver_version: str | None = None
    nvidia_smi: str | None = None
    cpu: str = ""
    cpu_bf16: bool = False


@dataclass
class Finding:
    level: str  # "ok", "warn" or "problem"
    message: str
    fix: str = ""

    def __str__(self) -> str:
        mark = {"ok": "✓", "warn": "⚠", "problem": "✗"}[self.level]
        return f"{mark} {self.message}" + (f"\n    → {self.fix}" if self.fix else "")


@dataclass
class Report:
    facts: Facts
    findings: list[Finding]

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "problem"]

    def text(self) -> str:
        f = self.facts
        lines = ["GPU doctor", "=========="]
        lines.append(f"Platform          : {f.platform}")
        lines.append(f"TensorFlow        : {f.tf_version or 'not installed'}")
        if f.tf_version:
            built = (
                f"CUDA {f.cuda_version}, cuDNN {f.cudnn_version}"
                if f.tf_cuda_build
                else "none (CPU-only build: it has no CUDA or cuDNN)"
            )
            lines.append(f"Built with        : {built}")
        lines.append(
            f"CPU               : {f.cpu or 'unknown'} (bfloat16 in hardware: {'yes' if f.cpu_bf16 else 'no'})"
        )
        gpus = f.tf_gpus or f.smi_gpus
        if not gpus:
            lines.append("GPUs              : none visible")
        for i, gpu in enumerate(gpus):
            seen = "seen by TensorFlow" if f.tf_gpus else "seen by nvidia-smi only"
            cc = ".".join(map(str, gpu.compute_capability)) if gpu.compute_capability else "?"
            mem = (
                f"{gpu.memory_free_mb / 1024:.1f} of {gpu.memory_total_mb / 1024:.1f} GiB free"
                if gpu.memory_total_mb and gpu.memory_free_mb is not None
                else "memory unknown"
            )
            lines.append(
                f"GPU {i}             : {gpu.name} ({seen}), compute capability {cc} ({gpu.architecture}), {mem}"
            )
            lines.append(
                "  Tensor Cores    : "
                + ", ".join(
                    f"{k} {'yes' if v else 'no'}"
                    for k, v in (
                        ("FP16", gpu.tensor_cores),
                        ("TF32/BF16", gpu.tf32),
                        ("FP8", gpu.fp8),
                        ("FP4/FP6", gpu.fp4),
                    )
                )
            )
        if f.driver_version:
            lines.append(f"NVIDIA driver     : {f.driver_version}")
        lines.append("")
        lines.extend(str(finding) for finding in self.findings)
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle) -> None:  # IPython display
        p.text(self.text())


_NO_GPU_FIX = {
    "colab": "In Colab: Runtime > Change runtime type > choose 'T4 GPU' (or another GPU) > Save, "
    "then run the notebook again from the top.",
    "kaggle": "In Kaggle: Settings (right panel) > Accelerator > 'GPU T4 x2' or 'GPU P100', then restart.",
    "local": "That is fine: every notebook runs on the CPU in the 'cpu' mode. To get a GPU, open the "
    "notebook in Colab (badge at the top) and switch the GPU on, or see the README's "
    "'GPU build of TensorFlow' section for Linux, WSL2 and macOS.",
}


def diagnose(facts: Facts) -> Report:
    """Turn facts into findings, each problem with a fix a beginner can follow."""
    findings: list[Finding] = []
    if facts.tf_version is None:
        findings.append(
            Finding(
                "problem",
                "TensorFlow is not installed in this kernel's environment.",
                "Run `make lab` in the course folder (it installs everything), or `pip install tensorflow`.",
            )
        )
    elif parse_version(facts.tf_version) < parse_version(MINIMUM_VERSIONS["tensorflow"]):
        findings.append(
            Finding(
                "problem",
                f"TensorFlow {facts.tf_version} is too old: the course needs {MINIMUM_VERSIONS['tensorflow']} or newer.",
                "On Colab: Runtime > Change runtime type (a current runtime version); never pip-install TensorFlow "
                "over Colab's own."
                if facts.platform == "colab"
                else "Upgrade: `make lab` (or `pip install -U tensorflow`), then restart the kernel.",
            )
        )
    if facts.tf_gpus:
        findings.append(Finding("ok", f"TensorFlow sees {len(facts.tf_gpus)} GPU(s)."))
    elif facts.smi_gpus:
        if facts.tf_version and not facts.tf_cuda_build:
            findings.append(
                Finding(
                    "problem",
                    f"nvidia-smi shows {facts.smi_gpus[0].name}, but this TensorFlow is a CPU-only build.",
                    "Install the GPU build: `pip uninstall -y tensorflow-cpu && pip install 'tensorflow[and-cuda]'` "
                    "(Linux/WSL2), or `make lab TF=gpu`, then restart the kernel.",
                )
            )
        else:
            findings.append(
                Finding(
                    "problem",
                    f"nvidia-smi shows {facts.smi_gpus[0].name}, but TensorFlow sees no GPU: usually a CUDA/cuDNN "
                    f"mismatch (TensorFlow was built with CUDA {facts.cuda_version}, cuDNN {facts.cudnn_version}).",
                    "Check that the driver supports that CUDA (top right of `nvidia-smi`: 'CUDA Version' must be "
                    "at least TensorFlow's), then `pip install 'tensorflow[and-cuda]'` to get the matching CUDA and "
                    "cuDNN libraries, and unset LD_LIBRARY_PATH entries that point at another CUDA. Run "
                    '`python -c "import tensorflow as tf; print(tf.sysconfig.get_build_info())"` to see versions.',
                )
            )
    else:
        findings.append(
            Finding(
                "warn",
                "No GPU is visible: unless COURSE_MODE says otherwise, the course runs in 'cpu' mode.",
                _NO_GPU_FIX[facts.platform],
            )
        )
    for gpu in facts.tf_gpus or facts.smi_gpus:
        findings.extend(_gpu_findings(gpu))
    if not (facts.tf_gpus or facts.smi_gpus):
        if facts.cpu_bf16:
            findings.append(
                Finding(
                    "ok", "This CPU computes bfloat16 in hardware: notebook 03's `mixed_bfloat16` can pay off here."
                )
            )
        findings.append(
            Finding(
                "ok",
                "No CUDA, no cuDNN on this machine: expected without an NVIDIA GPU. GPU-only cells will say "
                "so and skip.",
            )
        )
    return Report(facts, findings)


def _gpu_findings(gpu: GpuInfo) -> list[Finding]:
    out: list[Finding] = []
    cc = gpu.compute_capability
    if cc is None:
        return out
    ccs = f"{cc[0]}.{cc[1]}"
    if not gpu.usable_by_tensorflow:
        out.append(
            Finding(
                "problem",
                f"{gpu.name} (compute capability {ccs}, {gpu.architecture}) is too old for TensorFlow 2.21: its CUDA 12 "
                "build carries code for compute capability 6.0 and newer only, so TensorFlow cannot use this GPU.",
                "Run the course in 'cpu' mode here, or open it in Colab and pick a T4 GPU (Runtime > Change runtime type).",
            )
        )
        return out
    if cc < (7, 5):
        out.append(
            Finding(
                "warn",
                f"{gpu.name} is a {gpu.architecture} GPU (compute capability {ccs}): TensorFlow 2.21 (CUDA 12) still "
                "supports it, but CUDA 13 dropped Maxwell, Pascal and Volta, so later framework releases built on "
                "CUDA 13 will not run on it.",
                "Fine for this course; plan on a Turing (T4) or newer GPU for the years ahead.",
            )
        )
    if cc[0] >= TF_FAILS_ON_MAJOR:
        out.append(
            Finding(
                "problem",
                f"{gpu.name} ({gpu.architecture}, compute capability {ccs}) does not run TensorFlow's pip wheels "
                "(reported from 2.16 to 2.21 and on nightlies): many GPU operations fail with CUDA_ERROR_INVALID_PTX, "
                "and XLA, which Keras's fit uses on a GPU, stops with \"PTX version 8.5 does not support target "
                "'sm_120'\" (the wheels are built with CUDA 12.5; tensorflow issues #97387, #99592, #101746, #111958).",
                "For this course: on Colab pick a T4, L4, A100 or H100 runtime instead; elsewhere run it on the CPU "
                "(start Jupyter with CUDA_VISIBLE_DEVICES='' COURSE_MODE=cpu). On this GPU, use JAX or PyTorch, "
                "which ship Blackwell builds (Keras runs on both: KERAS_BACKEND).",
            )
        )
        return out
    if cc > TF_NEWEST_MACHINE_CODE:
        out.append(
            Finding(
                "warn",
                f"{gpu.name} ({gpu.architecture}, compute capability {ccs}) is newer than the machine code in "
                "TensorFlow 2.21's wheels (up to 9.0): it can only run their compute_90 PTX, compiled by the driver, "
                "and TensorFlow on it is untested here: it may fail as on 12.x (XLA's PTX version 8.5 predates these "
                "GPUs).",
                "If a GPU operation or fit fails (CUDA_ERROR_INVALID_PTX, a PTX version error), compile without XLA "
                "(model.compile(..., jit_compile=False)), or use Keras with JAX or PyTorch on this GPU, or run the "
                "course in 'cpu' mode.",
            )
        )
    if not gpu.tensor_cores:
        why = (
            "Turing's TU116/TU117 parts (GTX 16xx, MX450/MX550, T400-T1200) have none"
            if cc >= (7, 0)
            else "they arrived with Volta (7.0)"
        )
        out.append(
            Finding(
                "warn",
                f"{gpu.name} (compute capability {ccs}) has no Tensor Cores ({why}).",
                "Mixed precision (notebook 03) will save memory but not time here; on Colab pick a T4 or better.",
            )
        )
    elif not gpu.tf32:
        out.append(
            Finding(
                "ok",
                f"{gpu.name} has float16 Tensor Cores (compute capability {ccs}) but no bfloat16 or TF32: "
                "use the 'mixed_float16' policy (notebook 03).",
            )
        )
    else:
        extra = " and FP4/FP6" if gpu.fp4 else ""
        extra = " and FP8" + extra if gpu.fp8 else extra
        out.append(
            Finding(
                "ok",
                f"{gpu.name} has Tensor Cores with TF32, bfloat16{extra} (compute capability {ccs}): "
                "float32 matmuls already use TF32 in TensorFlow; use 'mixed_bfloat16' for more (notebook 03).",
            )
        )
    if gpu.memory_total_mb and gpu.memory_free_mb is not None and gpu.memory_free_mb < 0.1 * gpu.memory_total_mb:
        out.append(
            Finding(
                "warn",
                f"Only {gpu.memory_free_mb:.0f} MiB of {gpu.memory_total_mb:.0f} MiB is free on {gpu.name}.",
                "Another process holds the memory: shut down other notebooks' kernels (Kernel > Shut Down "
                "Kernel) or see who holds it with `nvidia-smi`.",
            )
        )
    return out


def _query_nvidia_smi() -> tuple[list[GpuInfo], str | None, str | None]:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return [], None, None
    try:
        query = subprocess.run(
            [
                exe,
                "--query-gpu=name,compute_cap,memory.total,memory.free,driver_version",
                "--format=csv,noheader,nounits",
            ],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
        full = subprocess.run([exe], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return [], None, None
    return (*parse_nvidia_smi_csv(query), full)


def parse_nvidia_smi_csv(text: str) -> tuple[list[GpuInfo], str | None]:
    """Parse ``nvidia-smi --query-gpu=name,compute_cap,memory.total,memory.free,driver_version``."""
    gpus, driver = [], None
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 5:
            continue
        name, cap, total, free, driver = parts[:5]
        try:
            major, minor = (int(x) for x in cap.split("."))
            capability: tuple[int, int] | None = (major, minor)
        except ValueError:
            capability = None
        gpus.append(GpuInfo(name, capability, _float(total), _float(free)))
    return gpus, driver


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def gather_facts() -> Facts:
    """Ask TensorFlow and nvidia-smi what they see. Never raises for a missing piece."""
    smi_gpus, driver, smi_text = _query_nvidia_smi()
    facts = Facts(
        platform=detect_platform(),
        smi_gpus=smi_gpus,
        driver_version=driver,
        nvidia_smi=smi_text,
        cpu=cpu_name(),
        cpu_bf16=cpu_has_fast_bf16(),
    )
    try:
        import tensorflow as tf
    except ImportError:
        return facts
    facts.tf_version = tf.__version__
    info = tf.sysconfig.get_build_info()
    facts.tf_cuda_build = bool(info.get("is_cuda_build", False))
    facts.cuda_version = info.get("cuda_version")
    facts.cudnn_version = info.get("cudnn_version")
    for i, device in enumerate(tf.config.list_physical_devices("GPU")):
        details = tf.config.experimental.get_device_details(device)
        smi = smi_gpus[i] if i < len(smi_gpus) else GpuInfo("")
        facts.tf_gpus.append(
            GpuInfo(
                name=details.get("device_name", smi.name or device.name),
                compute_capability=details.get("compute_capability", smi.compute_capability),
                memory_total_mb=smi.memory_total_mb,
                memory_free_mb=smi.memory_free_mb,
            )
        )
    return facts


def gpu_doctor(show_nvidia_smi: bool = True) -> Report:
    """Examine this machine, print the report (and ``nvidia-smi``), and return it."""
    report = diagnose(gather_facts())
    print(report.text())
    if show_nvidia_smi and report.facts.nvidia_smi:
        print("\nnvidia-smi\n----------\n" + report.facts.nvidia_smi)
    return report
