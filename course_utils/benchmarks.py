"""Matmul and memory benchmarks that run under any Keras 3 backend (TensorFlow, JAX, PyTorch).

Each benchmark reports faults (out of memory, an unsupported dtype, work a CPU only emulates) as a
result with an ``error``, never as an exception, so that a sweep goes on. Timing is
notebook 01's ``time_fn`` (:mod:`course_utils.lessons.nb01`): warm-up, synchronisation, repeats, median.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from course_utils.devices import cpu_flags, is_out_of_memory, keras_backend
from course_utils.lessons.nb01 import time_fn
from course_utils.timing import Timing, calls_per_sample

DTYPES = ("float32", "bfloat16", "float16")
BYTES_PER_ELEMENT = {"float32": 4, "bfloat16": 2, "float16": 2, "float64": 8}


def available_devices() -> list[str]:
    """Keras device names of this backend: ``["cpu:0", "gpu:0", ...]``."""
    backend = keras_backend()
    if backend == "jax":
        import jax

        devices = {f"{d.platform}:{d.id}" for d in jax.devices()} | {"cpu:0"}
    elif backend == "torch":
        import torch

        devices = {"cpu:0"} | {f"gpu:{i}" for i in range(torch.cuda.device_count())}
    else:
        import tensorflow as tf

        devices = {f"{d.device_type.lower()}:{d.name.rsplit(':', 1)[1]}" for d in tf.config.list_logical_devices()}
    return sorted(devices, key=lambda d: (not d.startswith("cpu"), d))


def cpu_has_fp16_math(flags: frozenset[str] | None = None) -> bool:
    """True when the CPU has float16 arithmetic units (AVX512-FP16 or AMX-FP16); otherwise float16 is emulated."""
    flags = cpu_flags() if flags is None else flags
    return bool({"avx512_fp16", "amx_fp16"} & flags)


def emulated_reason(dtype: str, device: str, flags: frozenset[str] | None = None) -> str | None:
    """Why ``dtype`` on ``device`` would only be emulated (so the course skips it), or ``None``."""
    if dtype == "float16" and device.startswith("cpu") and not cpu_has_fp16_math(flags):
        return (
            "skipped: this CPU has no float16 arithmetic (no AVX512-FP16 or AMX-FP16), so float16 is "
            "emulated through float32: it would time the conversions, not float16 hardware"
        )
    return None


@dataclass
class MatmulResult:
    device: str
    dtype: str
    n: int
    timing: Timing | None = None
    error: str | None = None
    m: int | None = None  # rows of A when the product is not square (None: n)
    k: int | None = None  # inner dimension when the product is not square (None: n)

    @property
    def flops(self) -> int:
        return 2 * (self.m or self.n) * self.n * (self.k or self.n)  # m·n·k multiply-adds, 2 FLOPs each

    @property
    def tflops(self) -> float:
        return self.flops / self.timing.median_s / 1e12 if self.timing else float("nan")

    @property
    def intensity(self) -> float:
        """FLOPs per byte moved: over reading A and B and writing C once."""
        m, k = self.m or self.n, self.k or self.n
        return self.flops / ((m * k + k * self.n + m * self.n) * BYTES_PER_ELEMENT[self.dtype])


def matmul(
    n: int,
    dtype: str = "float32",
    device: str = "cpu:0",
    repeats: int = 10,
    warmup: int = 2,
    allow_emulated: bool = False,
) -> MatmulResult:
    """Time an ``n × n`` matmul in ``dtype`` on ``device``; OOM, unsupported and emulated dtypes are reported."""
    import keras

    result = MatmulResult(device, dtype, n)
    if not allow_emulated and (reason := emulated_reason(dtype, device)):
        result.error = reason
        return result
    try:
        with keras.device(device):
            a = keras.ops.cast(keras.random.normal((n, n), seed=1, dtype="float32"), dtype)
            b = keras.ops.cast(keras.random.normal((n, n), seed=2, dtype="float32"), dtype)
            number = calls_per_sample(2 * n**3)  # tiny matmuls: time several per sample
            result.timing = time_fn(lambda: keras.ops.matmul(a, b), warmup=warmup, repeats=repeats, number=number)
    except Exception as err:  # noqa: BLE001 - reported to the learner, the sweep goes on
        if is_out_of_memory(err):
            result.error = (
                f"out of memory at n={n}: the matrices need {3 * n * n * BYTES_PER_ELEMENT[dtype] / 2**30:.1f} GiB"
            )
        else:
            result.error = f"{dtype} matmul not supported on {device}: {type(err).__name__}: {str(err)[:160]}"
    return result


def matmul_sweep(
    sizes: list[int],
    dtypes: tuple[str, ...] = ("float32",),
    devices: list[str] | None = None,
    repeats: int = 5,
    budget_s: float = 60.0,
    progress: bool = False,
) -> list[MatmulResult]:
    """Matmul on every size × dtype × device, skipping sizes the time budget cannot afford."""
    devices = devices or available_devices()
    combos = [(d, t) for d in devices for t in dtypes]
    bar = _progbar(len(combos) * len(sizes)) if progress else None
    deadline = time.perf_counter() + budget_s
    per_combo = budget_s / max(1, len(combos))
    results = []
    for device, dtype in combos:
        combo_end = min(deadline, time.perf_counter() + per_combo)
        last = None
        for n in sorted(sizes):
            estimate = last.timing.median_s * (n / last.n) ** 3 * (repeats + 2) if last and last.timing else 0.0
            if time.perf_counter() + estimate > combo_end:
                results.append(
                    MatmulResult(device, dtype, n, error=f"skipped: over the time budget (~{estimate:.0f} s)")
                )
            else:
                last = matmul(n, dtype, device, repeats=repeats)
                results.append(last)
            if bar:
                bar.add(1)
    return results


@dataclass
class BandwidthResult:
    device: str
    nbytes: int
    timing: Timing | None = None
    error: str | None = None
    passes: int = 2  # how many times the bytes cross memory: a copy reads them and writes them

    @property
    def gbs(self) -> float:
        """Bytes moved per second, in GB/s (``passes`` × ``nbytes`` per call)."""
        return self.passes * self.nbytes / self.timing.median_s / 1e9 if self.timing else float("nan")


def bandwidth(device: str = "cpu:0", megabytes: int = 256, repeats: int = 10) -> BandwidthResult:
    """Memory bandwidth from ``y = x * 1``: reads and writes ``megabytes`` each (past the caches)."""
    import keras

    n = megabytes * 2**20 // 4
    result = BandwidthResult(device, n * 4)
    try:
        with keras.device(device):
            x = keras.ops.ones((n,), dtype="float32")
            result.timing = time_fn(lambda: keras.ops.multiply(x, 1.0), repeats=repeats)
    except Exception as err:  # noqa: BLE001
        result.error = f"{type(err).__name__}: {str(err)[:160]}"
    return result


def transfer(device: str = "gpu:0", megabytes: int = 64, repeats: int = 5) -> dict[str, BandwidthResult]:
    """Host→device and device→host copy bandwidth (each byte crosses the link once), under any backend.

    On ``cpu:0`` there is no link to cross: the framework may even share the NumPy buffer without
    copying, so the figures mean nothing there (notebook 01 says so).
    """
    import keras
    import numpy as np

    host = np.ones(megabytes * 2**20 // 4, dtype="float32")
    out = {}
    for direction in ("host_to_device", "device_to_host"):
        result = BandwidthResult(device, host.nbytes, passes=1)
        try:
            with keras.device(device):
                on_device = keras.ops.convert_to_tensor(host)
                if direction == "host_to_device":
                    result.timing = time_fn(lambda: keras.ops.convert_to_tensor(host), repeats=repeats)
                else:
                    result.timing = time_fn(lambda x=on_device: keras.ops.convert_to_numpy(x), repeats=repeats)
        except Exception as err:  # noqa: BLE001
            result.error = f"{type(err).__name__}: {str(err)[:160]}"
        out[direction] = result
    return out


def numpy_matmul(n: int = 2048, repeats: int = 5) -> Timing:
    """NumPy's float32 matmul on the CPU: an independent reference for the same operation."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    return time_fn(lambda: a @ a.T, repeats=repeats, sync=lambda _: None)


numpy_matmul_tflops = numpy_matmul  # the former name (it returns a Timing)


def cross_check(n: int = 2048, rounds: int = 3, repeats: int = 5, device: str = "cpu:0") -> dict[str, float]:
    """The same float32 matmul three ways on the CPU, interleaved so that machine noise hits all alike.

    Returns GFLOP/s medians for this module (``course``), NumPy, and a plain TensorFlow loop that
    synchronises by fetching one element (``plain_tf``; absent without TensorFlow). All three are
    pinned to ``device`` (the CPU: NumPy runs nowhere else), so that a GPU never enters the comparison.
    """
    found: dict[str, list[float]] = {"course": [], "numpy": [], "plain_tf": []}
    flops = 2 * n**3
    for _ in range(rounds):
        found["course"].append(flops / matmul(n, device=device, repeats=repeats).timing.median_s / 1e9)
        found["numpy"].append(flops / numpy_matmul(n, repeats=repeats).median_s / 1e9)
        if keras_backend() == "tensorflow":
            found["plain_tf"].append(flops / _plain_tf_matmul_s(n, repeats, device) / 1e9)
    return {k: statistics.median(v) for k, v in found.items() if v}


def _plain_tf_matmul_s(n: int, repeats: int, device: str) -> float:
    import tensorflow as tf

    with tf.device(device):
        a = tf.random.normal((n, n), seed=1)
        b = tf.random.normal((n, n), seed=2)
        tf.matmul(a, b)[0, 0].numpy()  # warm-up
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            tf.matmul(a, b)[0, 0].numpy()  # fetching one element waits for the whole product
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _progbar(total: int):
    import keras

    return keras.utils.Progbar(total, unit_name="benchmark", stateful_metrics=[])


def to_jsonable(obj: Any) -> Any:
    """Results as plain dicts (for the report's JSON file)."""
    if isinstance(obj, list):
        return [to_jsonable(o) for o in obj]
    data = asdict(obj)
    for key in ("tflops", "gbs", "intensity"):
        if hasattr(type(obj), key):
            value = getattr(obj, key)
            data[key] = None if isinstance(value, float) and math.isnan(value) else value
    if data.get("timing"):
        data["timing"].pop("samples", None)
        data["timing"]["samples"] = obj.timing.samples
    return data


def dataset_throughput(dataset, num_batches: int, repeats: int = 3, warmup: int = 2) -> float:
    """Elements per second that a ``tf.data`` pipeline delivers alone (median of ``repeats`` runs).

    One iterator is kept for all runs, so that start-up is not counted: ``warmup`` batches are
    drawn first (they start the threads and fill buffers), then ``repeats`` timed runs of
    ``num_batches``. Pass a ``repeat()``-ed dataset when it holds fewer batches than that.
    """
    iterator = iter(dataset)
    for _ in range(warmup):
        next(iterator)
    rates = []
    for _ in range(repeats):
        count, start = 0, time.perf_counter()
        for _ in range(num_batches):
            batch = next(iterator)
            first = batch[0] if isinstance(batch, tuple) else batch
            count += int(first.shape[0])
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def datasheet_match(device_name: str):
    """The catalogue's accelerator for a device name such as ``"Tesla T4"`` or ``"NVIDIA H100 80GB HBM3"``.

    Matches the model token (``T4``, ``H100``...) and as many other words as possible; between an SXM and
    a PCIe variant it picks PCIe only when the name says so. ``None`` when nothing matches.
    """
    from course_utils.catalogue import CATALOGUE

    words = set(device_name.upper().replace("-", " ").split())
    best, best_score = None, 0
    for acc in CATALOGUE:
        tokens = acc.name.upper().replace("-", " ").replace("(", "").replace(")", "").split()
        model = next((t for t in tokens if any(ch.isdigit() for ch in t)), None)
        if model is None or model not in words:
            continue
        score = sum(t in words for t in tokens) + (0.5 if ("PCIE" in tokens) == ("PCIE" in words) else 0)
        if score > best_score:
            best, best_score = acc, score
    return best
