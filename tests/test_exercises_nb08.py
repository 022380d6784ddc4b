"""Notebook 08's exercise checks: the right answer, the untouched stub and the classic mistake."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from course_utils import transfer
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict

preprocess = keras.applications.vgg16.preprocess_input


def _model(base, num_classes, pooling):
    base.trainable = False
    inputs = keras.Input(base.input_shape[1:])
    x = base(preprocess(inputs), training=False)
    x = pooling(x)
    x = layers.Dense(256, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax")(x))


def stub(*args):
    return NotImplemented


def test_08_1_gap_head():
    assert verdict("08.1", lambda b, n: _model(b, n, layers.GlobalAveragePooling2D()))[0] == RIGHT
    assert verdict("08.1", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("08.1", lambda b, n: _model(b, n, layers.Flatten()))
    assert result == WRONG and "Flatten" in message

    def unfrozen(b, n):
        model = _model(b, n, layers.GlobalAveragePooling2D())
        b.trainable = True
        return model

    result, message = verdict("08.1", unfrozen)
    assert result == WRONG and "frozen" in message


def test_08_2_safe_features():
    assert verdict("08.2", lambda base, x: base.predict(preprocess(np.copy(x)), verbose=0))[0] == RIGHT
    assert verdict("08.2", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("08.2", lambda base, x: base.predict(preprocess(x), verbose=0))  # the bug
    assert result == WRONG and "np.copy" in message
    result, message = verdict("08.2", lambda base, x: base.predict(x, verbose=0))
    assert result == WRONG and "raw images" in message


def test_08_3_finder():
    def step(b):
        if b > 40:
            raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")

    found, _ = transfer.largest_batch_that_fits(step, start=256)
    assert verdict("08.3", found)[0] == RIGHT
    assert verdict("08.3", None)[0] == NOT_ATTEMPTED
    result, message = verdict("08.3", 40)
    assert result == WRONG and "capacity" in message


@pytest.mark.parametrize("answer,expected", [("b", RIGHT), (None, NOT_ATTEMPTED), ("a", WRONG), ("c", WRONG)])
def test_08_4_recompile(answer, expected):
    assert verdict("08.4", answer)[0] == expected
