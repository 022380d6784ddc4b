"""Checks of notebook 05: right answers written two ways, the untouched stub, typical wrong answers."""

import numpy as np
import tensorflow as tf

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from course_utils.exercises.nb05 import PipelineProbe
from tests.helpers import v

A = tf.data.AUTOTUNE


def test_05_1_diagnosis():
    assert v("05.1", (None, None)) == NOT_ATTEMPTED
    assert v("05.1", ("input-bound", 1500)) == RIGHT
    assert v("05.1", ("Input bound", np.float64(1400.0))) == RIGHT  # no hyphen, capitals, a NumPy float
    assert v("05.1", ("input_bound", min(4000, 1500) * 0.9)) == RIGHT
    assert v("05.1", ("compute-bound", 4000)) == WRONG
    result, message = verdict("05.1", ("input-bound", 4000))  # the faster half
    assert result == WRONG and "slower half" in message
    assert v("05.1", ("input-bound", 2750)) == WRONG  # the average
    assert v("05.1", ("input-bound", None)) == WRONG  # a part still the stub
    assert v("05.1", ("slow", 1500)) == WRONG
    assert v("05.1", ("compute-bound", 4000), model_rate=1000, pipeline_rate=5000) == WRONG
    assert v("05.1", ("compute bound", 1000), model_rate=1000, pipeline_rate=5000) == RIGHT


def right(images, preprocess, batch_size):
    return images.map(preprocess, num_parallel_calls=A).cache().batch(batch_size).prefetch(A)


def right_other_order(images, preprocess, batch_size):  # a fixed parallelism, cache after batching
    ds = images.map(preprocess, num_parallel_calls=4, deterministic=False)
    return ds.batch(batch_size, drop_remainder=True).cache().prefetch(2)


def test_the_probe_counts_what_the_pipeline_does():
    probe = PipelineProbe(num_images=64)
    dataset = right(probe.images, probe.preprocess, 16)
    for _ in range(2):
        for _ in dataset:
            pass
    assert probe.calls == 64 and probe.max_in_flight >= 2  # once per image over two epochs, several at a time
    probe = PipelineProbe(num_images=64)
    for _ in probe.images.map(probe.preprocess).batch(16):
        pass
    assert probe.calls == 64 and probe.max_in_flight == 1


def test_05_2_build_pipeline():
    assert v("05.2", right) == RIGHT
    assert v("05.2", right_other_order) == RIGHT
    assert v("05.2", lambda images, preprocess, batch_size: NotImplemented) == NOT_ATTEMPTED  # the stub

    def sequential(images, preprocess, batch_size):  # the classic: no num_parallel_calls
        return images.map(preprocess).cache().batch(batch_size).prefetch(A)

    result, message = verdict("05.2", sequential)
    assert result == WRONG and "num_parallel_calls" in message

    def cache_first(images, preprocess, batch_size):
        return images.cache().map(preprocess, num_parallel_calls=A).batch(batch_size).prefetch(A)

    result, message = verdict("05.2", cache_first)
    assert result == WRONG and "cache" in message

    def no_cache(images, preprocess, batch_size):
        return images.map(preprocess, num_parallel_calls=A).batch(batch_size).prefetch(A)

    assert v("05.2", no_cache) == WRONG

    def no_prefetch(images, preprocess, batch_size):
        return images.map(preprocess, num_parallel_calls=A).cache().batch(batch_size)

    result, message = verdict("05.2", no_prefetch)
    assert result == WRONG and "prefetch" in message

    def fixed_batch(images, preprocess, batch_size):  # ignores its batch_size argument
        return images.map(preprocess, num_parallel_calls=A).cache().batch(8).prefetch(A)

    result, message = verdict("05.2", fixed_batch)
    assert result == WRONG and "batch_size" in message

    def own_resize(images, preprocess, batch_size):  # maps another function than the one it receives
        return images.map(lambda x, y: (x * 2, y), num_parallel_calls=A).cache().batch(batch_size).prefetch(A)

    result, message = verdict("05.2", own_resize)
    assert result == WRONG and "preprocess" in message

    def repeated(images, preprocess, batch_size):
        return right(images, preprocess, batch_size).repeat()

    result, message = verdict("05.2", repeated)
    assert result == WRONG and "repeat" in message
    assert v("05.2", "pipeline") == WRONG


def test_05_3_prefetch_saving():
    assert v("05.3", None) == NOT_ATTEMPTED
    assert v("05.3", 3.0) == RIGHT  # 100 × (30 + 50 − 50) ms
    assert v("05.3", np.float32(100 * min(30, 50) / 1e3)) == RIGHT  # the shorter stage, a NumPy float
    result, message = verdict("05.3", 5.0)  # the longer stage's time, not the shorter one's
    assert result == WRONG and "shorter" in message
    result, message = verdict("05.3", 3000)  # milliseconds
    assert result == WRONG and "seconds" in message
    assert v("05.3", 4.0, producer_ms=20, consumer_ms=40, num_batches=200) == RIGHT
