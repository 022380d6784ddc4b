"""Checks of notebook 04: right answer, untouched stub, typical wrong answers."""

import keras
import pytest

from course_utils import memory, models
from course_utils.catalogue import CATALOGUE
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from course_utils.exercises.nb04 import VGG16_PARAMS, VGG16_VALUES_PER_IMAGE


def v(id, answer, **kw):
    return verdict(id, answer, **kw)[0]


def test_the_independent_vgg16_counts_equal_keras():
    vgg16 = keras.applications.VGG16(weights=None)
    assert VGG16_PARAMS == vgg16.count_params()
    assert VGG16_VALUES_PER_IMAGE == memory.activation_elements(vgg16)[0]


def test_04_1_seven_billion():
    assert v("04.1", None) == NOT_ATTEMPTED
    assert v("04.1", (112, False)) == RIGHT
    assert v("04.1", (104.3, False)) == RIGHT  # GiB
    assert v("04.1", (14, True)) == WRONG  # 2 bytes per parameter: weights only
    assert "gradient" in verdict("04.1", (14, True))[1]
    assert v("04.1", (112, True)) == WRONG


def test_04_2_highest_ridge():
    best = max((a for a in CATALOGUE if a.ridge_flop_per_byte), key=lambda a: a.ridge_flop_per_byte)
    top_peak = max((a for a in CATALOGUE if a.peak_tflops), key=lambda a: a.peak_tflops)
    assert v("04.2", None) == NOT_ATTEMPTED
    assert v("04.2", best.name) == RIGHT
    assert v("04.2", top_peak.name) == WRONG  # the highest peak, not the highest ridge
    assert "bandwidth" in verdict("04.2", top_peak.name)[1]
    assert v("04.2", "Voodoo 5") == WRONG


def test_04_3_max_batch():
    fixed = VGG16_PARAMS * 16
    per_image = VGG16_VALUES_PER_IMAGE * 4
    assert v("04.3", None) == NOT_ATTEMPTED
    assert v("04.3", int((16e9 - fixed) // per_image)) == RIGHT
    assert v("04.3", int((16 * 2**30 - fixed) // per_image)) == RIGHT
    assert v("04.3", 16_000_000_000) == WRONG  # the classic: bytes, not images
    assert v("04.3", int((16e9 - VGG16_PARAMS * 4) // per_image)) == WRONG  # weights only


def _cnn(hidden=512, output=10):
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
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


@pytest.mark.parametrize("tutorial", [models.tutorial_cnn])
def test_04_4_wide_cnn(tutorial):
    truth = 320 + 18496 + 36928 + 576 * 512 + 512 + 512 * 10 + 10
    assert tutorial().count_params() == 320 + 18496 + 36928 + 576 * 64 + 64 + 650
    assert v("04.4", None) == NOT_ATTEMPTED
    assert v("04.4", _cnn(), wide_params_by_hand=truth) == RIGHT
    assert v("04.4", _cnn(), wide_params_by_hand=truth - 32 - 64 - 64 - 512 - 10) == WRONG  # biases forgotten
    assert v("04.4", _cnn(64, 512), wide_params_by_hand=truth) == WRONG  # widened the output layer
    assert v("04.4", _cnn(), wide_params_by_hand=None) == WRONG
