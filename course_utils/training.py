"""Keras callbacks the course uses to measure training honestly."""

from __future__ import annotations

import contextlib
import time

import keras


class Throughput(keras.callbacks.Callback):
    """Samples per second of each epoch, leaving out its first ``skip`` batches (tracing, warm-up)."""

    def __init__(self, batch_size: int, skip: int = 2):
        super().__init__()
        self.batch_size, self.skip = batch_size, skip
        self.samples_per_s: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._batches = None, 0

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self._batches == self.skip:
            self._start = time.perf_counter()  # Keras waits for each step's loss before this callback

    def on_epoch_end(self, epoch, logs=None):
        counted = self._batches - self.skip
        if self._start is not None and counted > 0:
            self.samples_per_s.append(counted * self.batch_size / (time.perf_counter() - self._start))


class TimeToAccuracy(keras.callbacks.Callback):
    """Stop training once ``monitor`` reaches ``target``; record the wall time it took.

    ``first_step_s`` is the time to the end of the first training call (with ``steps_per_execution=N``, the
    first N steps): it holds the tracing and, with XLA, the compilation, so a table can show it apart.
    Keras hands this callback each step's loss as a Python number, so the clock stops after the device has
    finished. (Under TensorFlow, Keras runs callbacks synchronously anyway; under JAX, a callback with a
    per-batch hook turns off Keras's asynchronous callback dispatch: every recipe timed with it pays that alike.)
    """

    def __init__(self, target: float, monitor: str = "val_accuracy"):
        super().__init__()
        self.target, self.monitor = target, monitor
        self.seconds: float | None = None
        self.first_step_s: float | None = None
        self.history: list[tuple[float, float]] = []  # (elapsed seconds, metric) at each epoch end

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if self.first_step_s is None:
            self.first_step_s = time.perf_counter() - self._start

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            raise KeyError(f"TimeToAccuracy: '{self.monitor}' is not in the logs; pass validation_data to fit().")
        elapsed = time.perf_counter() - self._start
        self.history.append((elapsed, float(value)))
        if value >= self.target and self.seconds is None:
            self.seconds = elapsed
            self.model.stop_training = True


class TrainingOutOfMemoryError(RuntimeError):
    """The device ran out of memory during training; the message says what to change."""


@contextlib.contextmanager
def out_of_memory_advice(batch_size: int, where: str = "the parameters cell"):
    """Turn an out-of-memory error raised while training into a message that says what to do.

    Any other error passes through unchanged. Files already saved (models, caches) are not touched.
    """
    from course_utils.devices import is_out_of_memory

    try:
        yield
    except Exception as err:  # noqa: BLE001 - each backend has its own out-of-memory type
        if not is_out_of_memory(err):
            raise
        raise TrainingOutOfMemoryError(
            f"The device ran out of memory while training with batch_size={batch_size}. "
            f"Halve the batch (batch_size={max(batch_size // 2, 1)}) in {where} and rerun; if memory stays "
            f"taken, restart the kernel (Kernel > Restart) first. Saved files were not touched."
        ) from err
