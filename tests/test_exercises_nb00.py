"""Notebook 00's checks: the right answer, the untouched stub, the classic wrong answer."""

import pytest

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def stub(*args):
    return NotImplemented


def test_00_1_tensor_cores():
    def right(name, cc):
        return tuple(cc) >= (7, 0) and "GTX 16" not in name

    assert verdict("00.1", right)[0] == RIGHT
    assert verdict("00.1", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("00.1", lambda name, cc: tuple(cc) >= (7, 0))  # the classic rule, GTX 16xx forgotten
    assert result == WRONG and "GTX" in message
    result, message = verdict("00.1", lambda name, cc: tuple(cc) >= (8, 0))  # Ampere taken for the first
    assert result == WRONG and "Volta" in message


@pytest.fixture(scope="module")
def cnns():
    import keras

    def build(extra):
        layers = [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
        ]
        if extra:
            layers.append(keras.layers.Conv2D(64, 3, activation="relu", padding="same"))
        layers += [keras.layers.Flatten(), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)]
        return keras.Sequential(layers)

    return build(False), build(True)


def test_00_2_deeper_cnn(cnns):
    tutorial, bigger = cnns
    # independent count, by hand: conv1 26·26·32·9·1, conv2 11·11·64·9·32, conv3 3·3·64·9·64, conv4 3·3·64·9·64,
    # dense 576·64 and 64·10 multiply-adds, 2 FLOPs each
    macs = 26 * 26 * 32 * 9 + 11 * 11 * 64 * 9 * 32 + 2 * (3 * 3 * 64 * 9 * 64) + 576 * 64 + 64 * 10
    assert verdict("00.2", (bigger, 2 * macs))[0] == RIGHT
    assert verdict("00.2", (None, None))[0] == NOT_ATTEMPTED
    result, message = verdict("00.2", (bigger, macs))  # multiply-adds counted as FLOPs
    assert result == WRONG and "2 FLOPs" in message
    assert verdict("00.2", (tutorial, 2 * macs))[0] == WRONG  # the model left unchanged


def test_00_3_mib_to_gb():
    assert verdict("00.3", 16.1)[0] == RIGHT
    assert verdict("00.3", 15.0)[0] == RIGHT  # GiB is defensible too
    assert verdict("00.3", None)[0] == NOT_ATTEMPTED
    result, message = verdict("00.3", 15.36)  # divided by 1000
    assert result == WRONG and "2²⁰" in message
