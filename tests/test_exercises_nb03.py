"""Notebook 03's checks: right answers written two ways, the untouched stub, typical wrong answers."""

import keras
import numpy as np
import pytest

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from tests.helpers import v


def test_03_1_smallest_gradient():
    assert v("03.1", None) == NOT_ATTEMPTED
    assert v("03.1", 2.0**-24 / 2**15) == RIGHT
    assert v("03.1", float(np.finfo(np.float16).smallest_subnormal) / 2**15) == RIGHT
    assert v("03.1", 1.8e-12) == RIGHT  # written rounded
    assert v("03.1", 2.0**-14 / 2**15) == WRONG  # smallest normal instead of subnormal
    assert v("03.1", 2.0**-24 * 2**15) == WRONG  # multiplied by the scale
    assert "multiplies" in verdict("03.1", 2.0**-24 * 2**15)[1]
    underflowed = np.finfo(np.float16).smallest_subnormal / 2**15  # computed in float16: 0
    result, message = verdict("03.1", underflowed)
    assert result == WRONG and "float16" in message
    assert v("03.1", "tiny") == WRONG


def test_03_2_policies():
    assert v("03.2", (None, None)) == NOT_ATTEMPTED
    assert v("03.2", ("mixed_float16", "mixed_bfloat16")) == RIGHT
    result, message = verdict("03.2", ("Mixed-Float16", "mixed_float16"))  # float16 on an A100: right too
    assert result == RIGHT and "loss scaling" in message
    result, message = verdict("03.2", ("mixed_bfloat16", "mixed_bfloat16"))  # a T4 has no bfloat16 Tensor Cores
    assert result == WRONG and "bfloat16" in message
    result, message = verdict("03.2", ("mixed_float16", "float32"))
    assert result == WRONG and "312" in message
    result, message = verdict("03.2", ("float16", "mixed_bfloat16"))  # not a mixed policy
    assert result == WRONG and "mixed" in message
    result, message = verdict("03.2", ("mixed_float16", None))
    assert result == WRONG and "a100_policy" in message
    assert v("03.2", "mixed_float16") == WRONG  # one part for two


def _mlp(output_dtype=None):
    return keras.Sequential(
        [
            keras.Input((16,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(4, activation="softmax", dtype=output_dtype),
        ]
    )


@pytest.fixture
def restore_policy():
    yield
    keras.mixed_precision.set_dtype_policy("float32")


def test_03_3_mixed_mlp(restore_policy):
    assert v("03.3", None) == NOT_ATTEMPTED
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    right, float16_output = _mlp("float32"), _mlp()
    assert v("03.3", right) == WRONG  # the global policy was left mixed
    keras.mixed_precision.set_dtype_policy("float32")
    assert v("03.3", right) == RIGHT
    assert v("03.3", float16_output) == WRONG  # the classic mistake: a 16-bit output layer
    assert "float32" in verdict("03.3", float16_output)[1]
    assert v("03.3", _mlp("float32")) == WRONG  # built under float32: nothing is mixed
    assert v("03.3", "model") == WRONG
    per_layer = keras.Sequential(  # the global policy never touched: a policy per layer
        [
            keras.Input((16,)),
            keras.layers.Dense(8, activation="relu", dtype="mixed_float16"),
            keras.layers.Dense(4, activation="softmax", dtype="float32"),
        ]
    )
    assert v("03.3", per_layer) == RIGHT


def test_03_4_tf32_eps():
    assert v("03.4", None) == NOT_ATTEMPTED
    assert v("03.4", 2.0**-10) == RIGHT
    assert v("03.4", np.float32(0.0009765625)) == RIGHT
    assert v("03.4", 9.77e-4) == RIGHT  # 3 significant digits
    result, message = verdict("03.4", 2.0**-11)  # the unit roundoff: half the gap
    assert result == WRONG and "unit roundoff" in message
    assert v("03.4", 2.0**-23) == WRONG  # float32's
    assert v("03.4", 2.0**-7) == WRONG  # bfloat16's
    result, message = verdict("03.4", 0.001)
    assert result == WRONG and "rounded" in message


def test_03_5_mfu():
    truth = 6 * 100e6 * 512 / 0.05 / 65e12
    assert v("03.5", None) == NOT_ATTEMPTED
    assert v("03.5", truth) == RIGHT
    assert v("03.5", np.float64(0.095)) == RIGHT  # rounded
    result, message = verdict("03.5", 100 * truth)  # a percentage
    assert result == WRONG and "percentage" in message
    assert v("03.5", truth / 3) == WRONG  # forward pass only
    assert v("03.5", truth * 65 / 8.1) == WRONG  # float32 peak
