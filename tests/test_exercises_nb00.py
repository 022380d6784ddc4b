"""Notebook 00's checks: right answers written two ways, the untouched stub, typical wrong answers."""

import numpy as np
import pytest

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def stub(*args):
    return NotImplemented


def test_00_1_tensor_cores():
    def rule(name, cc):
        return tuple(cc) >= (7, 0) and "GTX 16" not in name.upper()

    def lower_case_rule(name, cc):  # the same rule, written another way: NumPy booleans, lower case
        return np.bool_(cc[0] >= 7 and "gtx 16" not in name.lower())

    assert verdict("00.1", rule)[0] == RIGHT
    assert verdict("00.1", lower_case_rule)[0] == RIGHT
    assert verdict("00.1", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("00.1", lambda name, cc: tuple(cc) >= (7, 0))  # the classic rule, GTX 16xx forgotten
    assert result == WRONG and "GTX" in message
    result, message = verdict("00.1", lambda name, cc: tuple(cc) >= (8, 0))  # Ampere taken for the first
    assert result == WRONG and "Volta" in message

    def no_else(name, cc):  # forgets to return False
        if cc >= (7, 0) and "GTX 16" not in name:
            return True

    result, message = verdict("00.1", no_else)
    assert result == WRONG and "return False" in message
    result, message = verdict("00.1", lambda name, cc: cc >= 7.0)  # cc is a tuple
    assert result == WRONG and "tuple" in message


def _cnn(extra=None, position=5, functional=False):
    """The lesson's CNN, with ``extra`` (a layer) inserted at ``position`` among its layers."""
    import keras

    layers = [
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ]
    if extra is not None:
        layers.insert(position, extra)
    if not functional:
        return keras.Sequential([keras.Input((28, 28, 1)), *layers])
    inputs = x = keras.Input((28, 28, 1))
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


# independent count, by hand: conv1 26·26·32·9·1, conv2 11·11·64·9·32, conv3 3·3·64·9·64, conv4 3·3·64·9·64,
# dense 576·64 and 64·10 multiply-adds, 2 FLOPs each
MACS = 26 * 26 * 32 * 9 + 11 * 11 * 64 * 9 * 32 + 2 * (3 * 3 * 64 * 9 * 64) + 576 * 64 + 64 * 10


@pytest.fixture(scope="module")
def models():
    import keras

    return {
        "right": _cnn(keras.layers.Conv2D(64, 3, activation="relu", padding="same")),
        "functional, separate ReLU": _cnn(
            keras.Sequential([keras.layers.Conv2D(64, (3, 3), padding="same"), keras.layers.ReLU()]),
            functional=True,
        ),
        "lesson": _cnn(),
        "valid padding": _cnn(keras.layers.Conv2D(64, 3, activation="relu")),
        "wrong place": _cnn(keras.layers.Conv2D(64, 3, activation="relu", padding="same"), position=3),
        "no relu": _cnn(keras.layers.Conv2D(64, 3, padding="same")),
        "no input": keras.Sequential([keras.layers.Conv2D(64, 3, padding="same"), keras.layers.Flatten()]),
    }


def test_00_2_deeper_cnn(models):
    assert verdict("00.2", (models["right"], 2 * MACS))[0] == RIGHT
    assert verdict("00.2", (models["functional, separate ReLU"], np.int64(2 * MACS)))[0] == RIGHT
    assert verdict("00.2", (models["right"], 6.25e6))[0] == RIGHT  # the printed total, to 3 significant digits
    assert verdict("00.2", (None, None))[0] == NOT_ATTEMPTED
    result, message = verdict("00.2", (models["right"], None))
    assert result == WRONG and "bigger_flops" in message
    result, message = verdict("00.2", (models["right"], MACS))  # multiply-adds counted as FLOPs
    assert result == WRONG and "2 FLOPs" in message
    result, message = verdict("00.2", (models["right"], 2 * (MACS - 3 * 3 * 64 * 9 * 64)))  # the lesson's count
    assert result == WRONG and "lesson" in message
    result, message = verdict("00.2", (models["lesson"], 2 * MACS))  # the model left unchanged
    assert result == WRONG and "add one" in message
    result, message = verdict("00.2", (models["valid padding"], 2 * MACS))
    assert result == WRONG and 'padding="same"' in message
    result, message = verdict("00.2", (models["wrong place"], 2 * MACS))
    assert result == WRONG and "before Flatten" in message
    result, message = verdict("00.2", (models["no relu"], 2 * MACS))
    assert result == WRONG and "relu" in message
    result, message = verdict("00.2", (models["no input"], 2 * MACS))
    assert result == WRONG and "keras.Input" in message


def test_00_3_mib_to_gb():
    assert verdict("00.3", 15360 * 2**20 / 1e9)[0] == RIGHT
    assert verdict("00.3", np.float32(16.1))[0] == RIGHT
    assert verdict("00.3", None)[0] == NOT_ATTEMPTED
    result, message = verdict("00.3", 15.0)  # GiB where GB is asked
    assert result == WRONG and "GiB" in message
    result, message = verdict("00.3", 15.36)  # divided by 1000
    assert result == WRONG and "2²⁰" in message
    result, message = verdict("00.3", 16)  # the datasheet's figure
    assert result == WRONG and "datasheet" in message
    result, message = verdict("00.3", 15360 * 2**20)  # bytes
    assert result == WRONG and "10⁹" in message
