"""Notebook 08's exercise checks: right answers written differently, the untouched stub, the classic mistakes."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from course_utils import transfer
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict

preprocess = keras.applications.vgg16.preprocess_input


def stub(*args):
    return NotImplemented


def _model(base, num_classes, pooling=None, preprocessing=preprocess, hidden="relu", output="softmax", shape=None):
    """The notebook's recipe, with one thing changeable at a time."""
    base.trainable = False
    inputs = keras.Input(shape or base.input_shape[1:])
    x = base(preprocessing(inputs), training=False)
    x = (pooling or layers.GlobalAveragePooling2D())(x)
    x = layers.Dense(256, activation=hidden)(x)
    return keras.Model(inputs, layers.Dense(num_classes, activation=output)(x))


def _sequential(base, num_classes):
    """The same model written differently: Sequential, a Lambda for the preprocessing, keras.ops.mean to pool."""
    for layer in base.layers:
        layer.trainable = False
    return keras.Sequential(
        [
            keras.Input(base.input_shape[1:]),
            layers.Lambda(lambda x: preprocess(x)),
            base,
            layers.Lambda(lambda x: keras.ops.mean(x, axis=(1, 2))),
            layers.Dense(256),
            layers.ReLU(),
            layers.Dense(num_classes),
            layers.Softmax(),
        ]
    )


def test_08_1_gap_head_right_answers():
    assert verdict("08.1", lambda b, n: _model(b, n))[0] == RIGHT
    assert verdict("08.1", _sequential)[0] == RIGHT
    # an input of the notebook's own size (image_size, a global there) is right too: the check builds its base at it
    assert verdict("08.1", lambda b, n: _model(b, n, shape=(48, 48, 3)), image_size=48)[0] == RIGHT


def test_08_1_gap_head_stub_and_wrong_answers():
    assert verdict("08.1", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("08.1", lambda b, n: _model(b, n, layers.Flatten()))
    assert result == WRONG and "Flatten" in message
    result, message = verdict("08.1", lambda b, n: _model(b, n, preprocessing=lambda x: x))  # raw pixels
    assert result == WRONG and "raw pixels" in message
    result, message = verdict("08.1", lambda b, n: _model(b, n, layers.GlobalMaxPooling2D()))
    assert result == WRONG and "maximum" in message
    result, message = verdict("08.1", lambda b, n: _model(b, n, output=None))
    assert result == WRONG and "end with a softmax" in message
    result, message = verdict("08.1", lambda b, n: _model(b, n, shape=(224, 224, 3)))  # an input of another size
    assert result == WRONG and "base.input_shape" in message

    def unfrozen(b, n):
        model = _model(b, n)
        b.trainable = True
        return model

    result, message = verdict("08.1", unfrozen)
    assert result == WRONG and "frozen" in message


def test_08_2_safe_features():
    assert verdict("08.2", lambda base, x: base.predict(preprocess(np.copy(x)), verbose=0))[0] == RIGHT
    assert verdict("08.2", lambda base, x: base(preprocess(tf.constant(x)), training=False))[0] == RIGHT  # a tensor
    assert verdict("08.2", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("08.2", lambda base, x: base.predict(preprocess(x), verbose=0))  # the bug
    assert result == WRONG and "np.copy" in message
    result, message = verdict("08.2", lambda base, x: base.predict(x, verbose=0))
    assert result == WRONG and "raw images" in message


def test_08_3_finder():
    def step(b):
        if b > 40:
            raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")

    found, log = transfer.largest_batch_that_fits(step, start=256)
    assert verdict("08.3", found)[0] == RIGHT
    assert verdict("08.3", np.float64(32.0))[0] == RIGHT  # worked out by hand: 256 → 128 → 64 → 32
    assert verdict("08.3", None)[0] == NOT_ATTEMPTED
    result, message = verdict("08.3", 40)
    assert result == WRONG and "capacity" in message
    result, message = verdict("08.3", (found, log))  # the whole pair the finder returns
    assert result == WRONG and "unpack" in message
    result, message = verdict("08.3", 64)
    assert result == WRONG and "halves once more" in message


@pytest.mark.parametrize(
    "answer,expected",
    [("b", RIGHT), (" B ", RIGHT), ("(b)", RIGHT), (None, NOT_ATTEMPTED), ("a", WRONG), ("c", WRONG), (2, WRONG)],
)
def test_08_4_recompile(answer, expected):
    assert verdict("08.4", answer)[0] == expected


def test_08_4_hints():
    assert "trainable" in verdict("08.4", "C")[1]
    assert "weights as they are" in verdict("08.4", "a")[1]
