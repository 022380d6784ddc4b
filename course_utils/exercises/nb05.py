"""Checks of notebook 05 (data pipelines). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import itertools
import threading
import time

from course_utils.exercises import call, close, exercise, expect, number, parts, same_text, wrong


@exercise("05.1", "input-bound or compute-bound?", "the section 'The model alone, then model and pipeline together'")
def diagnosis(answer, *, model_rate=4000.0, pipeline_rate=1500.0, **_):
    label, expected_rate = parts(answer, ("diagnosis", "expected_rate"))
    truth_label = "input-bound" if pipeline_rate < model_rate else "compute-bound"
    known = [name for name in ("input-bound", "compute-bound") if same_text(label, name)]
    expect(known, f"diagnosis is 'input-bound' or 'compute-bound', not {label!r}.")
    expect(
        known[0] == truth_label,
        "the slower half sets the pace: compare what the pipeline delivers with what the model eats.",
    )
    rate = number(expected_rate, "expected_rate")
    slower = min(model_rate, pipeline_rate)
    if close(rate, (model_rate + pipeline_rate) / 2, rel=0.05) or close(rate, max(model_rate, pipeline_rate), rel=0.05):
        wrong("training cannot beat its slower half: the model waits for every batch the pipeline has not made.")
    expect(
        0.8 * slower <= rate <= slower * 1.001,  # the task states it: 80% to 100% (the halves may share cores)
        f"expect about the slower half's rate ({slower:,.0f} images/s), a little less when both share the CPU.",
    )
    return f"{truth_label}, about {slower:,.0f} images/s: speed up the pipeline first; a faster GPU would wait."


class PipelineProbe:
    """A source of ``num_images`` tiny images and a ``preprocess`` function that records what a pipeline does
    with it: how many calls run at once, how many images it preprocessed. Nothing of tf.data is patched: the
    learner's function builds its pipeline on these two, as it would on ``base`` and ``resize``."""

    def __init__(self, num_images: int = 128, sleep_s: float = 0.003):
        import numpy as np
        import tensorflow as tf

        self.num_images, self.sleep_s = num_images, sleep_s
        self._lock = threading.Lock()
        self.calls = self._in_flight = self.max_in_flight = 0
        options = tf.data.Options()  # as in the notebook's `base`: what is written is what runs
        options.experimental_optimization.map_parallelization = False
        options.experimental_optimization.inject_prefetch = False
        options.experimental_optimization.parallel_batch = False
        options.threading.private_threadpool_size = 4  # room for parallel calls even on a 1-core machine
        options.autotune.enabled = False  # AUTOTUNE then means "the thread pool's size", run after run
        images = np.zeros((num_images, 8, 8, 1), np.float32)
        labels = np.arange(num_images, dtype=np.int32) % 10
        self.images = tf.data.Dataset.from_tensor_slices((images, labels)).with_options(options)

    def _record(self, image):
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self.calls += int(image.shape[0]) if len(image.shape) == 4 else 1  # images, even if mapped per batch
        time.sleep(self.sleep_s)  # the work of a resize; sleeping lets calls overlap when the map is parallel
        with self._lock:
            self._in_flight -= 1
        return image

    def preprocess(self, image, label):
        import tensorflow as tf

        out = tf.py_function(self._record, [image], tf.float32)
        out.set_shape(image.shape)
        return out, label


@exercise(
    "05.2", "a pipeline with parallel map, cache, batch and prefetch", "the section 'Give each stage its own effect'"
)
def my_pipeline(answer, **_):
    import tensorflow as tf

    batch = 32
    probe = PipelineProbe(num_images=4 * batch)
    dataset = call(answer, probe.images, probe.preprocess, batch)
    expect(
        isinstance(dataset, tf.data.Dataset),
        f"build_pipeline should return a tf.data.Dataset, got {type(dataset).__name__}.",
    )
    if dataset.cardinality() == tf.data.INFINITE_CARDINALITY:
        wrong("leave .repeat() out: the pipeline gives one epoch; the measurement adds .repeat() itself.")
    iterator = iter(dataset)
    first = next(iterator, None)
    expect(probe.calls > 0, "map the `preprocess` function your build_pipeline receives, not another one.")
    expect(first is not None and len(first) == 2, "keep (image, label) pairs: map preprocess, which returns both.")
    expect(
        first[0].shape.rank == 4 and first[0].shape[0] == batch,
        f"batch by the batch_size argument: with batch_size={batch} the first element has shape {tuple(first[0].shape)}.",
    )
    deadline = time.perf_counter() + 2.0  # prefetch prepares the next batch while this one is consumed
    while probe.calls < 2 * batch and time.perf_counter() < deadline:
        time.sleep(0.01)
    ready_ahead = probe.calls >= 2 * batch
    for _ in itertools.islice(iterator, probe.num_images):  # the rest of the first epoch
        pass
    if probe.max_in_flight < 2:
        wrong("your map runs one call at a time: pass num_parallel_calls=tf.data.AUTOTUNE to map.")
    first_epoch = probe.calls
    for _ in itertools.islice(iter(dataset), probe.num_images):  # a second epoch
        pass
    if probe.calls > first_epoch:
        wrong(
            "the second epoch preprocessed every image again: add .cache() after the map (a cache before it "
            "stores the raw images, and the resize still runs every epoch)."
        )
    expect(ready_ahead, "end with .prefetch(tf.data.AUTOTUNE), so that the next batch is ready while one is consumed.")
    return "parallel map, cache after the deterministic work, batch, prefetch: each stage added on purpose."


@exercise("05.3", "time saved by prefetch", "the section 'Measure prefetch's overlap'")
def prefetch_saving(answer, *, producer_ms=30.0, consumer_ms=50.0, num_batches=100, **_):
    value = number(answer, "saved_s")
    truth = num_batches * (producer_ms + consumer_ms - max(producer_ms, consumer_ms)) / 1e3
    if close(value, num_batches * max(producer_ms, consumer_ms) / 1e3, rel=0.03):
        wrong(
            "prefetch hides the *shorter* of the two stages, not the longer: the step still waits for the longer one."
        )
    if close(value, num_batches * (producer_ms + consumer_ms) / 1e3, rel=0.03):
        wrong(
            "that is the whole run without prefetch; subtract the run with prefetch, max(producer, consumer) a batch."
        )
    if close(value, truth * 1000, rel=0.03):
        wrong("convert milliseconds to seconds.")
    expect(
        close(value, truth, rel=0.03),
        "without prefetch a batch costs producer + consumer, with it max(producer, consumer).",
    )
    return f"{truth:.1f} s: overlap saves the shorter stage's time, each batch; the longer stage sets the pace."
