"""Checks of notebook 09: right answer, untouched stub, typical wrong answers."""

import keras
import tensorflow as tf

from course_utils import models
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def v(id, answer, **kw):
    return verdict(id, answer, **kw)[0]


def test_09_1_global_batch_and_learning_rate():
    assert v("09.1", None) == NOT_ATTEMPTED
    assert v("09.1", (None, None)) == NOT_ATTEMPTED  # the stub cell sets both names to None
    assert v("09.1", (256, 2e-3)) == RIGHT
    assert v("09.1", (256, 4e-3)) == WRONG  # the linear rule
    assert "linear" in verdict("09.1", (256, 4e-3))[1]
    assert v("09.1", (64, 2e-3)) == WRONG  # per-replica taken for global
    assert v("09.1", 256) == WRONG


def test_09_2_allreduce_time():
    params = 93_322
    truth = 2 * 7 * 20e-6 + 2 * 7 / 8 * params * 4 / 1.25e9
    assert params == models.tutorial_cnn().count_params()  # the tutorial CNN of notebook 06
    assert v("09.2", None) == NOT_ATTEMPTED
    assert v("09.2", truth) == RIGHT
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


def test_09_3_accumulate():
    def stub(model, images, labels, micro_batch_size):
        return NotImplemented

    assert v("09.3", stub) == NOT_ATTEMPTED
    assert v("09.3", _right) == RIGHT
    assert v("09.3", _equal_shares) == WRONG
    assert "len(slice)" in verdict("09.3", _equal_shares)[1]
    assert v("09.3", _unscaled) == WRONG
    assert "too large" in verdict("09.3", _unscaled)[1]
    assert v("09.3", lambda *a: 3) == WRONG


def test_09_4_zero_stage_2():
    assert v("09.4", None) == NOT_ATTEMPTED
    assert v("09.4", 26.25) == RIGHT
    assert v("09.4", 7e9 * 3.75 / 2**30) == RIGHT  # GiB is defensible
    assert v("09.4", 112) == WRONG  # unsharded
    assert v("09.4", 14) == WRONG  # stage 3
    assert "stage 3" in verdict("09.4", 14)[1]
    assert v("09.4", 38.5) == WRONG  # stage 1
