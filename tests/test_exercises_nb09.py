"""Checks of notebook 09: right answers written differently, the untouched stub, typical wrong answers."""

import math

import keras
import numpy as np
import tensorflow as tf

from course_utils import distributed
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from course_utils.lessons.nb06 import tutorial_cnn
from tests.helpers import v


def test_09_1_global_batch_and_learning_rate():
    assert v("09.1", (None, None)) == NOT_ATTEMPTED  # the stub cell sets both names to None
    assert v("09.1", (256, 2e-3)) == RIGHT
    assert v("09.1", (np.int64(4 * 64), 1e-3 * np.sqrt(4))) == RIGHT  # NumPy scalars, computed
    assert v("09.1", (256.0, 1e-3 * math.sqrt(4))) == RIGHT
    assert v("09.1", (256, 4e-3)) == WRONG  # the linear rule
    assert "linear" in verdict("09.1", (256, 4e-3))[1]
    assert v("09.1", (64, 2e-3)) == WRONG  # per-replica taken for global
    assert "replica" in verdict("09.1", (64, 2e-3))[1]
    assert "my_learning_rate is still None" in verdict("09.1", (256, None))[1]  # one part left out
    assert v("09.1", 256) == WRONG


def test_09_2_allreduce_time():
    params = 93_322
    truth = 2 * 7 * 20e-6 + 2 * 7 / 8 * params * 4 / 1.25e9
    assert params == tutorial_cnn().count_params()  # the tutorial CNN of notebook 06
    assert v("09.2", None) == NOT_ATTEMPTED
    assert v("09.2", truth) == RIGHT
    assert v("09.2", distributed.ring_allreduce_s(params, 8, 1.25, 20e-6)) == RIGHT  # the notebook's helper
    assert v("09.2", np.float32(truth)) == RIGHT
    bandwidth_only = 2 * 7 / 8 * params * 4 / 1.25e9
    assert v("09.2", bandwidth_only) == WRONG  # forgot α
    assert "latency" in verdict("09.2", bandwidth_only)[1]
    assert v("09.2", 2 * 7 * 20e-6 + params * 4 / 1.25e9) == WRONG  # no ring factor
    assert v("09.2", truth * 1e3) == WRONG  # milliseconds
    assert v("09.2", "fast") == WRONG


def _right(model, images, labels, micro_batch_size):
    total = [tf.zeros_like(w) for w in model.trainable_variables]
    for begin in range(0, len(images), micro_batch_size):
        x, y = images[begin : begin + micro_batch_size], labels[begin : begin + micro_batch_size]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x))) * len(x) / len(images)
        total = [t + g for t, g in zip(total, tape.gradient(loss, model.trainable_variables))]
    return total


def _equal_shares(model, images, labels, micro_batch_size):  # the classic mistake: divide by the count
    starts = range(0, len(images), micro_batch_size)
    total = [tf.zeros_like(w) for w in model.trainable_variables]
    for begin in starts:
        x, y = images[begin : begin + micro_batch_size], labels[begin : begin + micro_batch_size]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x))) / len(starts)
        total = [t + g for t, g in zip(total, tape.gradient(loss, model.trainable_variables))]
    return total


def _unscaled(model, images, labels, micro_batch_size):
    total = [tf.zeros_like(w) for w in model.trainable_variables]
    for begin in range(0, len(images), micro_batch_size):
        x, y = images[begin : begin + micro_batch_size], labels[begin : begin + micro_batch_size]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x)))
        total = [t + g for t, g in zip(total, tape.gradient(loss, model.trainable_variables))]
    return total


def _summed(model, images, labels, micro_batch_size):  # right, written differently: sum per example, then / N
    grads = None
    for begin in range(0, len(images), micro_batch_size):
        x, y = images[begin : begin + micro_batch_size], labels[begin : begin + micro_batch_size]
        with tf.GradientTape() as tape:
            loss = keras.ops.sum(keras.losses.sparse_categorical_crossentropy(y, model(x))) / len(images)
        step = [g.numpy() for g in tape.gradient(loss, model.trainable_weights)]
        grads = step if grads is None else [a + b for a, b in zip(grads, step)]
    return grads


def test_09_3_accumulate():
    def stub(model, images, labels, micro_batch_size):
        return NotImplemented

    assert v("09.3", stub) == NOT_ATTEMPTED
    assert v("09.3", _right) == RIGHT
    assert v("09.3", _summed) == RIGHT
    assert v("09.3", _equal_shares) == WRONG
    assert "len(slice)" in verdict("09.3", _equal_shares)[1]
    assert v("09.3", _unscaled) == WRONG
    assert "too large" in verdict("09.3", _unscaled)[1]
    assert v("09.3", lambda *a: 3) == WRONG


def test_09_4_zero_stage_2():
    assert v("09.4", None) == NOT_ATTEMPTED
    assert v("09.4", 26.25) == RIGHT
    assert v("09.4", 7e9 * (2 + (2 + 12) / 8) / 1e9) == RIGHT  # computed
    assert v("09.4", np.float64(7e9 * 3.75 / 2**30)) == RIGHT  # GiB is defensible
    assert v("09.4", 112) == WRONG  # unsharded
    assert v("09.4", 14) == WRONG  # stage 3
    assert "stage 3" in verdict("09.4", 14)[1]
    # notebook 04's float32 bytes (4 + 4 + 8) with stage 2 sharding: 38.5 GB, which is also mixed-precision stage 1
    keras_accounting = 7e9 * (4 + (4 + 8) / 8) / 1e9
    assert v("09.4", keras_accounting) == WRONG
    assert "notebook 04" in verdict("09.4", keras_accounting)[1] and "2 + 2 + 12" in verdict("09.4", 38.5)[1]
    assert "notebook 04" in verdict("09.4", 63)[1]  # stage 1 counted with 04's float32 bytes
    assert "bytes per parameter" in verdict("09.4", 3.75)[1]
    assert "bytes" in verdict("09.4", 26.25e9)[1]
