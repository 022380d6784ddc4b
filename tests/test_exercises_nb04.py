"""Checks of notebook 04: right answers written two ways, the untouched stub, typical wrong answers."""

import keras
import numpy as np
import pytest

from course_utils import memory
from course_utils.catalogue import CATALOGUE
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from course_utils.exercises.nb04 import VGG16_PARAMS, VGG16_VALUES_PER_IMAGE
from course_utils.lessons.nb06 import tutorial_cnn
from tests.helpers import v


def test_the_independent_vgg16_counts_equal_keras():
    vgg16 = keras.applications.VGG16(weights=None)
    assert VGG16_PARAMS == vgg16.count_params()
    assert VGG16_VALUES_PER_IMAGE == memory.activation_elements(vgg16)[0]


def test_04_1_seven_billion():
    assert v("04.1", (None, None)) == NOT_ATTEMPTED  # the stub, as the check cell passes it
    assert v("04.1", (112, False)) == RIGHT
    needs_gb = memory.estimate(7_000_000_000, precision="mixed").total / 1e9  # the notebook's calculator
    assert v("04.1", (needs_gb, np.bool_(needs_gb <= 24))) == RIGHT  # a NumPy boolean, as a comparison gives
    assert v("04.1", (np.float64(7e9 * 16 / 1e9), np.False_)) == RIGHT
    result, message = verdict("04.1", (14, True))  # 2 bytes per parameter: weights only
    assert result == WRONG and "gradient" in message
    result, message = verdict("04.1", (7e9 * 16 / 2**30, False))  # GiB when GB is asked
    assert result == WRONG and "GiB" in message
    assert v("04.1", (112, True)) == WRONG
    result, message = verdict("04.1", (112, None))  # one part still the stub
    assert result == WRONG and "fits" in message


def test_04_2_highest_ridge():
    best = max((a for a in CATALOGUE if a.ridge_flop_per_byte), key=lambda a: a.ridge_flop_per_byte)
    top_peak = max((a for a in CATALOGUE if a.peak_tflops), key=lambda a: a.peak_tflops)
    assert v("04.2", None) == NOT_ATTEMPTED
    assert v("04.2", best.name) == RIGHT
    assert v("04.2", f"{best.vendor} {best.name}") == RIGHT  # as the table prints it
    assert v("04.2", f"{best.vendor} {best.name}".upper()) == RIGHT
    assert v("04.2", best.name.split(" (")[0].lower()) == RIGHT  # without its note in parentheses
    result, message = verdict("04.2", top_peak.name)  # the highest peak, not the highest ridge
    assert result == WRONG and "bandwidth" in message
    assert v("04.2", f"{top_peak.vendor} {top_peak.name}") == WRONG
    assert v("04.2", "Voodoo 5") == WRONG
    assert v("04.2", 560) == WRONG


def test_04_3_max_batch():
    fixed = VGG16_PARAMS * 16
    per_image = VGG16_VALUES_PER_IMAGE * 4
    assert v("04.3", None) == NOT_ATTEMPTED
    assert v("04.3", int((16e9 - fixed) // per_image)) == RIGHT
    assert v("04.3", np.float64((16e9 - fixed) / per_image)) == RIGHT  # not rounded, a NumPy float
    assert v("04.3", round((16 - 2.2) * 1e9 / (15e6 * 4))) == RIGHT  # the notebook's rounded figures: 230
    assert v("04.3", (16e9 - 2.2e9) // (58 * 2**20)) == RIGHT  # 2.2 GB and 58 MiB per image
    result, message = verdict("04.3", int((16 * 2**30 - fixed) // per_image))  # 16 GiB when GB is asked
    assert result == WRONG and "GiB" in message
    assert v("04.3", 16_000_000_000) == WRONG  # the classic: bytes, not images
    result, message = verdict("04.3", int((16e9 - VGG16_PARAMS * 4) // per_image))  # weights only
    assert result == WRONG and "gradients" in message


def _cnn(hidden=512, output=10, with_input=True):
    return keras.Sequential(
        [keras.Input((28, 28, 1))] * with_input
        + [
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(output, activation="softmax"),
        ]
    )


def _functional_cnn():
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(32, (3, 3), activation="relu")(inputs)
    x = keras.layers.MaxPooling2D((2, 2))(x)
    x = keras.layers.Conv2D(64, (3, 3), activation="relu")(x)
    x = keras.layers.MaxPooling2D((2, 2))(x)
    x = keras.layers.Conv2D(64, (3, 3), activation="relu")(x)
    x = keras.layers.Dense(512, activation="relu")(keras.layers.Flatten()(x))
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))


@pytest.mark.parametrize("tutorial", [tutorial_cnn])
def test_04_4_wide_cnn(tutorial):
    truth = 320 + 18496 + 36928 + 576 * 512 + 512 + 512 * 10 + 10
    by_hand = sum(
        [
            memory.conv2d_params(3, 1, 32),
            memory.conv2d_params(3, 32, 64),
            memory.conv2d_params(3, 64, 64),
            memory.dense_params(576, 512),
            memory.dense_params(512, 10),
        ]
    )
    assert tutorial().count_params() == 320 + 18496 + 36928 + 576 * 64 + 64 + 650
    assert v("04.4", (None, None)) == NOT_ATTEMPTED
    assert v("04.4", (_cnn(), truth)) == RIGHT
    assert v("04.4", (_functional_cnn(), np.int64(by_hand))) == RIGHT
    result, message = verdict("04.4", (_cnn(), truth - 32 - 64 - 64 - 512 - 10))  # biases forgotten
    assert result == WRONG and "biases" in message
    assert v("04.4", (_cnn(64, 512), truth)) == WRONG  # widened the output layer
    result, message = verdict("04.4", (_cnn(), None))  # the count still the stub
    assert result == WRONG and "wide_params_by_hand" in message
    result, message = verdict("04.4", (_cnn(with_input=False), truth))  # no keras.Input: never built
    assert result == WRONG and "keras.Input" in message
