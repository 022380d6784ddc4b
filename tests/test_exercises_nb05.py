"""Checks of notebook 05: right answer, untouched stub, typical wrong answers."""

import tensorflow as tf

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from course_utils.exercises.nb05 import pipeline_stages

A = tf.data.AUTOTUNE


def v(id, answer, **kw):
    return verdict(id, answer, **kw)[0]


def test_05_1_diagnosis():
    assert v("05.1", None) == NOT_ATTEMPTED
    assert v("05.1", ("input-bound", 1500)) == RIGHT
    assert v("05.1", ("input-bound", 1400)) == RIGHT  # a little less: the halves share the CPU
    assert v("05.1", ("compute-bound", 4000)) == WRONG
    assert v("05.1", ("input-bound", 4000)) == WRONG  # the faster half
    assert v("05.1", ("input-bound", 2750)) == WRONG  # the average
    assert v("05.1", ("compute-bound", 4000), model_rate=1000, pipeline_rate=5000) == WRONG
    assert v("05.1", ("compute-bound", 1000), model_rate=1000, pipeline_rate=5000) == RIGHT


@tf.autograph.experimental.do_not_convert
def _resize(image, label):
    return tf.image.resize(image, (20, 20)), label


def _base():
    return tf.data.Dataset.from_tensor_slices((tf.zeros((32, 28, 28, 1)), tf.zeros((32,), tf.int32)))


def test_pipeline_stages_reads_what_was_built():
    ops = [op for op, _ in pipeline_stages(_base().map(_resize, num_parallel_calls=A).cache().batch(8).prefetch(A))]
    assert ops == ["TensorSliceDataset", "ParallelMapDatasetV2", "CacheDatasetV2", "BatchDatasetV2", "PrefetchDataset"]


def test_05_2_my_pipeline():
    kw = {"batch_size": 8, "image_size": 20}
    assert v("05.2", None, **kw) == NOT_ATTEMPTED
    assert v("05.2", _base().map(_resize, num_parallel_calls=A).cache().batch(8).prefetch(A), **kw) == RIGHT
    sequential = _base().map(_resize).cache().batch(8).prefetch(A)  # the classic: no num_parallel_calls
    assert v("05.2", sequential, **kw) == WRONG
    assert "num_parallel_calls" in verdict("05.2", sequential, **kw)[1]
    assert v("05.2", _base().cache().map(_resize, num_parallel_calls=A).batch(8).prefetch(A), **kw) == WRONG
    assert v("05.2", _base().map(_resize, num_parallel_calls=A).batch(8).prefetch(A), **kw) == WRONG  # no cache
    assert v("05.2", _base().map(_resize, num_parallel_calls=A).cache().batch(8), **kw) == WRONG  # no prefetch
    assert v("05.2", _base().map(_resize, num_parallel_calls=A).cache().batch(4).prefetch(A), **kw) == WRONG
    assert v("05.2", "pipeline", **kw) == WRONG


def test_05_3_prefetch_saving():
    assert v("05.3", None) == NOT_ATTEMPTED
    assert v("05.3", 3.0) == RIGHT  # 100 × (30 + 50 − 50) ms
    assert v("05.3", 5.0) == WRONG  # the consumer's time, not the shorter stage's
    assert v("05.3", 3000) == WRONG  # milliseconds
    assert v("05.3", 4.0, producer_ms=20, consumer_ms=40, num_batches=200) == RIGHT
