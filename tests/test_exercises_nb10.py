"""Checks of notebook 10: right answers written differently, the untouched stub, typical wrong answers."""

import keras
import numpy as np
import tensorflow as tf

from course_utils import deploy
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from tests.helpers import v

ROWS = [(1, 0.5, 2000.0), (8, 0.9, 8900.0), (64, 3.0, 21000.0), (512, 20.0, 25600.0), (1024, 45.0, 22700.0)]


def test_10_1_knee():
    assert v("10.1", None, rows=ROWS) == NOT_ATTEMPTED
    assert v("10.1", 64, rows=ROWS) == RIGHT  # 21,000 ≥ 25,600 / 2; 8,900 is not
    rates = np.array([rate for _, _, rate in ROWS])  # the same, computed with NumPy: a NumPy integer
    assert v("10.1", np.array([b for b, _, _ in ROWS])[np.argmax(rates >= rates.max() / 2)], rows=ROWS) == RIGHT
    assert v("10.1", 512, rows=ROWS) == WRONG  # the best batch, not the knee
    assert "best throughput" in verdict("10.1", 512, rows=ROWS)[1]
    assert v("10.1", 8, rows=ROWS) == WRONG
    assert v("10.1", 100, rows=ROWS) == WRONG  # not a measured batch
    assert v("10.1", 64) == WRONG  # the latency cell was not run


def test_10_2_ratio():
    assert v("10.2", None) == NOT_ATTEMPTED
    assert v("10.2", 0.25) == RIGHT
    assert v("10.2", 0.27) == RIGHT  # metadata included
    assert v("10.2", np.float32(1) / 4) == RIGHT
    assert v("10.2", 0.5) == WRONG  # float16's ratio
    assert "float16" in verdict("10.2", 0.5)[1]
    assert v("10.2", 4) == WRONG  # inverted
    assert v("10.2", "quarter") == WRONG


def test_10_3_integer_only():
    assert v("10.3", None) == NOT_ATTEMPTED
    assert v("10.3", "Coral Edge TPU") == RIGHT
    assert v("10.3", "coral") == RIGHT
    assert v("10.3", "EDGE TPU") == RIGHT
    assert v("10.3", "phone NPU") == WRONG  # the old belief: phone NPUs are integer-only
    assert "float16" in verdict("10.3", "phone NPU")[1]
    assert v("10.3", "Jetson Orin Nano") == WRONG
    assert v("10.3", "a toaster") == WRONG


def _converter(input_type=tf.int8, representative=True, ops=(tf.lite.OpsSet.TFLITE_BUILTINS_INT8,), optimize=True):
    def make(model, rep):
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        if optimize:
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
        if representative:
            converter.representative_dataset = rep
        converter.target_spec.supported_ops = list(ops)
        if input_type is not None:
            converter.inference_input_type = input_type
            converter.inference_output_type = input_type
        return converter

    return make


def _int8_by_type(model, representative):
    """Right, written differently: int8 required through supported_types (TFLiteConverter reads either)."""
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = {tf.lite.Optimize.DEFAULT}
    converter.representative_dataset = tf.lite.RepresentativeDataset(representative)
    converter.target_spec.supported_types = [tf.int8]
    converter.inference_input_type, converter.inference_output_type = tf.int8, tf.int8
    return converter


def _random_calibration(model, representative):
    """Wrong: calibrated on made-up inputs 100x too large instead of the representative dataset given."""
    converter = _converter()(model, representative)
    converter.representative_dataset = lambda: ([np.full((1, 4), 100.0 * (-1) ** i, "float32")] for i in range(8))
    return converter


def test_10_4_int8_converter():
    def stub(model, representative):
        return NotImplemented

    assert v("10.4", stub) == NOT_ATTEMPTED
    assert v("10.4", _converter()) == RIGHT
    assert v("10.4", _int8_by_type) == RIGHT
    # float built-ins allowed too: on this model every operation has an int8 kernel, and TF 2.21's default
    # quantizer keeps a float operation without one in either case (tensorflow/tensorflow#56535)
    assert v("10.4", _converter(ops=(tf.lite.OpsSet.TFLITE_BUILTINS,))) == RIGHT
    assert v("10.4", _converter(tf.uint8)) == WRONG  # the legacy interface
    assert "legacy" in verdict("10.4", _converter(tf.uint8))[1]
    assert v("10.4", _converter(None)) == WRONG  # the lesson's float interface left as is
    assert "inference_input_type = tf.int8" in verdict("10.4", _converter(None))[1]
    assert "representative" in verdict("10.4", _converter(representative=False))[1]
    assert "optimizations" in verdict("10.4", _converter(optimize=False))[1]
    assert "far from the float model" in verdict("10.4", _random_calibration)[1]
    assert "converter itself" in verdict("10.4", lambda m, r: keras.Sequential())[1]
    assert "converter itself" in verdict("10.4", lambda m, r: deploy.run_converter(_converter()(m, r)))[1]  # the bytes
