"""The one setup call every notebook makes in its Setup section."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from course_utils.devices import cpu_name, keras_backend
from course_utils.env import TESTED_VERSIONS, UnsupportedVersionError, below_floor, check_versions, detect_platform
from course_utils.modes import RunMode, get_mode


@dataclass
class NotebookContext:
    mode: RunMode
    platform: str
    backend: str
    gpus: list[str] = field(default_factory=list)
    seed: int = 42

    @property
    def has_gpu(self) -> bool:
        return bool(self.gpus)

    @property
    def size_mode(self) -> RunMode:
        """The mode whose sizes (and bars) a GPU-sized lesson uses: ``full`` without a GPU falls back to ``cpu``.

        Full sizes are GPU sizes (60,000 images, 224×224 VGG16, 8192³ matmuls): hours of work, or work a CPU only
        emulates, on a laptop. A notebook whose full mode needs a GPU picks its sizes with this and says so.
        """
        return RunMode.CPU if self.mode is RunMode.FULL and not self.gpus else self.mode

    @property
    def device(self) -> str:
        """The device the notebook's work goes to: ``/GPU:0`` or ``/CPU:0``."""
        return "/GPU:0" if self.gpus else "/CPU:0"

    def summary(self) -> str:
        where = ", ".join(self.gpus) if self.gpus else f"CPU only ({cpu_name()}, {os.cpu_count()} threads)"
        return f"Run mode: {self.mode.value} · backend: {self.backend} · {self.platform} · devices: {where}"


def _split_device(count: int) -> str:
    """Carve ``count`` logical devices out of the one GPU, or out of the CPU when there is no GPU."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if len(gpus) >= count:
        return f"{len(gpus)} physical GPUs: nothing to split"
    if gpus:
        config = [tf.config.LogicalDeviceConfiguration(memory_limit=2048) for _ in range(count)]
        tf.config.set_logical_device_configuration(gpus[0], config)
        return f"1 GPU split into {count} logical GPUs of 2 GiB each"
    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration() for _ in range(count)])
    return f"no GPU: the CPU split into {count} logical CPU devices"


def _configure_tensorflow_gpus(logical_devices: int = 1) -> list[str]:
    """Turn on memory growth for each GPU (before TensorFlow touches it); return their names."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    split = logical_devices > 1 and len(gpus) < logical_devices
    if logical_devices > 1:
        print(_split_device(logical_devices))
    names = []
    for gpu in gpus:
        if not split:  # a GPU split into logical devices has fixed memory limits instead
            try:
                tf.config.experimental.set_memory_growth(gpu, True)
            except RuntimeError as err:  # the GPU was already initialised in this kernel
                print(f"⚠ Memory growth not set ({err}). Restart the kernel and run Setup first.")
        names.append(tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name))
    return names


def _backend_gpus(backend: str) -> list[str]:
    if backend == "jax":
        import jax

        return [d.device_kind for d in jax.devices() if d.platform == "gpu"]
    if backend == "torch":
        import torch

        return [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return []


def set_plot_defaults() -> None:
    """Readable matplotlib defaults for the course's figures."""
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (7.5, 4.2),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
        }
    )


def setup_notebook(seed: int = 42, quiet_tf_logs: bool = True, logical_devices: int = 1) -> NotebookContext:
    """Configure a notebook: versions, GPU memory growth, run mode, seeds, plots; print a summary.

    Call it once, in the Setup section, before any other TensorFlow work.
    An unknown ``COURSE_MODE`` stops here with a message that lists the valid ones.
    ``logical_devices`` > 1 splits a single device into several (notebook 09's multi-device lessons).
    """
    if quiet_tf_logs:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ info lines
    floor = below_floor() if keras_backend() == "tensorflow" else []
    if floor:  # stop here, before a lesson cell fails in a confusing way
        raise UnsupportedVersionError("\n".join(floor))
    messages = check_versions()
    for message in messages:
        print("⚠", message)
    if not messages:
        tested = ", ".join(f"{p} {v}" for p, v in TESTED_VERSIONS.items())
        print(f"Versions: {tested}, as tested by the course.")
    backend = keras_backend()
    if quiet_tf_logs and backend == "tensorflow":
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")  # no INFO lines from tf.distribute and friends
    gpus = _configure_tensorflow_gpus(logical_devices) if backend == "tensorflow" else _backend_gpus(backend)
    mode = get_mode(has_gpu=bool(gpus))
    import keras

    keras.utils.set_random_seed(seed)  # Python, NumPy and the backend's generators
    set_plot_defaults()
    ctx = NotebookContext(mode=mode, platform=detect_platform(), backend=backend, gpus=gpus, seed=seed)
    print(ctx.summary())
    if mode is RunMode.FULL and not gpus:
        print("⚠ 'full' mode without a GPU: expect long runs. Set COURSE_MODE=cpu for the scaled-down lessons.")
    return ctx
