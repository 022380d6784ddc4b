"""What timing device work needs, under any Keras 3 backend (TensorFlow, JAX, PyTorch).

Device work is asynchronous: a call returns as soon as the work is queued. :func:`synchronize` waits for it;
:class:`Timing` holds the median and the spread of repeated samples. The timing loop itself, ``time_fn``,
is notebook 01's: :mod:`course_utils.lessons.nb01`, generated from the notebook.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from course_utils.devices import keras_backend


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
        return f"{fmt_s(self.median_s)} median (IQR ±{self.spread / 2:.0%}, {len(self.samples)} runs)"


def fmt_s(seconds: float) -> str:
    """A duration with a readable unit: ``0.00123`` → ``'1.23 ms'``."""
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


def calls_per_sample(flops_per_call: float, target_flops: float = 2e8, most: int = 100) -> int:
    """How many calls to time per sample so that one sample is long enough to measure (at least 1)."""
    return max(1, min(most, int(target_flops // max(flops_per_call, 1))))
