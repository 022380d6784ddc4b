"""Honest benchmarks that run under any Keras 3 backend (TensorFlow, JAX, PyTorch).

Device work is asynchronous: a call returns as soon as the work is queued. So
:func:`time_fn` warms up (the first calls compile and allocate), synchronises
before stopping the clock, repeats, and reports the median and the spread.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from course_utils.devices import cpu_flags, cpu_name, is_out_of_memory, keras_backend

DTYPES = ("float32", "bfloat16", "float16")
BYTES_PER_ELEMENT = {"float32": 4, "bfloat16": 2, "float16": 2, "float64": 8}


@dataclass
class Timing:
    """Seconds per call: the median of ``samples``, and their spread."""

    median_s: float
    q1_s: float
    q3_s: float
    min_s: float
    max_s: float
    samples: list[float] = field(repr=False)

    @classmethod
    def from_samples(cls, samples: list[float]) -> Timing:
        qs = statistics.quantiles(samples, n=4) if len(samples) > 1 else [samples[0]] * 3
        return cls(statistics.median(samples), qs[0], qs[2], min(samples), max(samples), list(samples))

    @property
    def spread(self) -> float:
        """Relative spread: the interquartile range over the median."""
        return (self.q3_s - self.q1_s) / self.median_s if self.median_s else 0.0

    def __str__(self) -> str:
        return f"{_fmt_s(self.median_s)} median (IQR ±{self.spread / 2:.0%}, {len(self.samples)} runs)"


def _fmt_s(seconds: float) -> str:
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def synchronize(value: Any = None) -> None:
    """Wait until the device has finished the work queued so far (whatever the backend)."""
    backend = keras_backend()
    if backend == "jax":
        import jax

        jax.block_until_ready(value)
    elif backend == "torch":
        import torch

        if torch.cuda.is_available():
            torch.cuda.synchronize()
    else:
        import tensorflow as tf

        tf.test.experimental.sync_devices()


def time_fn(fn, *, warmup=2, repeats=10, number=1, sync=synchronize):
    """Time fn(): warm up, synchronise before stopping the clock, repeat; return the median and spread."""
    for _ in range(warmup):  # the first calls compile, allocate and fill caches
        sync(fn())
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):  # several calls per sample when one call is too short to time
            out = fn()
        sync(out)  # device work is asynchronous: wait for it before stopping the clock
        samples.append((time.perf_counter() - start) / number)
    return Timing.from_samples(samples)


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


@dataclass
class MatmulResult:
    device: str
    dtype: str
    n: int
    timing: Timing | None = None
    error: str | None = None

    @property
    def flops(self) -> int:
        return 2 * self.n**3  # n³ multiply-adds, 2 FLOPs each

    @property
    def tflops(self) -> float:
        return self.flops / self.timing.median_s / 1e12 if self.timing else float("nan")

    @property
    def intensity(self) -> float:
        """FLOPs per byte moved: 2n³ over reading A and B and writing C (3n² elements)."""
        return self.flops / (3 * self.n**2 * BYTES_PER_ELEMENT[self.dtype])


def matmul(n: int, dtype: str = "float32", device: str = "cpu:0", repeats: int = 10, warmup: int = 2) -> MatmulResult:
    """Time an ``n × n`` matmul in ``dtype`` on ``device``; OOM and unsupported dtypes are reported, not raised."""
    import keras

    result = MatmulResult(device, dtype, n)
    try:
        with keras.device(device):
            a = keras.random.normal((n, n), seed=1, dtype="float32")
            a = keras.ops.cast(a, dtype)
            b = keras.ops.cast(keras.ops.transpose(a), dtype)
            number = max(1, min(100, int(2e8 // (2 * n**3))))  # tiny matmuls: time several per sample
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

    @property
    def gbs(self) -> float:
        """Bytes read plus bytes written, per second, in GB/s."""
        return 2 * self.nbytes / self.timing.median_s / 1e9 if self.timing else float("nan")


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


@dataclass
class CpuPeak:
    """The CPU's theoretical float32 peak: cores × clock × SIMD lanes × 2 (FMA) × FMA units."""

    name: str
    cores: int
    ghz: float
    lanes: int
    fma_units: int

    @property
    def tflops(self) -> float:
        return self.cores * self.ghz * 1e9 * self.lanes * 2 * self.fma_units / 1e12

    def explain(self) -> str:
        return (
            f"{self.cores} core(s) × {self.ghz:.2f} GHz × {self.lanes} float32 lanes × 2 (FMA) × "
            f"{self.fma_units} FMA unit(s) = {self.tflops * 1e3:.0f} GFLOP/s (assumes the base clock and "
            f"{self.fma_units} FMA unit(s) per core; turbo raises it, AVX-512 down-clocking lowers it)"
        )


def cpu_peak(flags: frozenset[str] | None = None, name: str | None = None, cores: int | None = None) -> CpuPeak | None:
    """Derive the CPU peak from its flags and name; ``None`` when the clock cannot be read."""
    flags = cpu_flags() if flags is None else flags
    name = cpu_name() if name is None else name
    match = re.search(r"@\s*([\d.]+)\s*GHz", name)
    if not match:
        return None
    if cores is None:
        cores = _physical_cores()
    lanes = 16 if "avx512f" in flags else 8 if "avx2" in flags or "avx" in flags else 4
    fma_units = 2 if ("fma" in flags and lanes >= 8) else 1
    return CpuPeak(name, cores, float(match.group(1)), lanes, fma_units)


def _physical_cores() -> int:
    logical = os.cpu_count() or 1
    try:
        text = open("/proc/cpuinfo").read()
        siblings = int(re.search(r"siblings\s*:\s*(\d+)", text).group(1))
        per_package = int(re.search(r"cpu cores\s*:\s*(\d+)", text).group(1))
        return max(1, logical * per_package // siblings)
    except (OSError, AttributeError, ValueError):
        return logical


def ridge_point(peak_tflops: float, bandwidth_gbs: float) -> float:
    """Arithmetic intensity (FLOP/byte) above which a device is compute-bound."""
    return peak_tflops * 1e12 / (bandwidth_gbs * 1e9)


def roofline(intensity: float, peak_tflops: float, bandwidth_gbs: float) -> float:
    """Attainable TFLOP/s at an arithmetic intensity: min(peak, bandwidth × intensity)."""
    return min(peak_tflops, bandwidth_gbs * 1e9 * intensity / 1e12)


def numpy_matmul_tflops(n: int = 2048, repeats: int = 5) -> Timing:
    """NumPy's float32 matmul on the CPU: an independent reference for the same operation."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    return time_fn(lambda: a @ a.T, repeats=repeats, sync=lambda _: None)


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


def cross_check(n: int = 2048, rounds: int = 3, repeats: int = 5) -> dict[str, float]:
    """The same float32 matmul three ways, interleaved so that machine noise hits all alike.

    Returns GFLOP/s medians for this module (``course``), NumPy, and a plain TensorFlow
    loop that synchronises by fetching one element (``plain_tf``; absent without TensorFlow).
    """
    found: dict[str, list[float]] = {"course": [], "numpy": [], "plain_tf": []}
    flops = 2 * n**3
    for _ in range(rounds):
        found["course"].append(flops / matmul(n, repeats=repeats).timing.median_s / 1e9)
        found["numpy"].append(flops / numpy_matmul_tflops(n, repeats=repeats).median_s / 1e9)
        if keras_backend() == "tensorflow":
            import tensorflow as tf

            a = tf.random.normal((n, n), seed=1)
            b = tf.transpose(a)
            tf.matmul(a, b)[0, 0].numpy()  # warm-up
            samples = []
            for _ in range(repeats):
                start = time.perf_counter()
                tf.matmul(a, b)[0, 0].numpy()  # fetching one element waits for the whole product
                samples.append(time.perf_counter() - start)
            found["plain_tf"].append(flops / statistics.median(samples) / 1e9)
    return {k: statistics.median(v) for k, v in found.items() if v}


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
