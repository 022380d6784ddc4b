"""Checks of notebook 10: right answer, untouched stub, typical wrong answers."""

import keras
import tensorflow as tf

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict

ROWS = [(1, 0.5, 2000.0), (8, 0.9, 8900.0), (64, 3.0, 21000.0), (512, 20.0, 25600.0), (1024, 45.0, 22700.0)]


def v(id, answer, **kw):
    return verdict(id, answer, **kw)[0]


def test_10_1_knee():
    assert v("10.1", None, rows=ROWS) == NOT_ATTEMPTED
    assert v("10.1", 64, rows=ROWS) == RIGHT  # 21,000 ≥ 25,600 / 2; 8,900 is not
    assert v("10.1", 512, rows=ROWS) == WRONG  # the best batch, not the knee
    assert "best throughput" in verdict("10.1", 512, rows=ROWS)[1]
    assert v("10.1", 8, rows=ROWS) == WRONG
    assert v("10.1", 100, rows=ROWS) == WRONG  # not a measured batch
    assert v("10.1", 64) == WRONG  # the latency cell was not run


def test_10_2_ratio():
    assert v("10.2", None) == NOT_ATTEMPTED
    assert v("10.2", 0.25) == RIGHT
    assert v("10.2", 0.27) == RIGHT  # metadata included
    assert v("10.2", 0.5) == WRONG  # float16's ratio
    assert "float16" in verdict("10.2", 0.5)[1]
    assert v("10.2", 4) == WRONG  # inverted
    assert v("10.2", "quarter") == WRONG


def test_10_3_integer_only():
    assert v("10.3", None) == NOT_ATTEMPTED
    assert v("10.3", "Coral Edge TPU") == RIGHT
    assert v("10.3", "coral") == RIGHT
    assert v("10.3", "phone NPU") == WRONG  # the old belief: phone NPUs are integer-only
    assert "float16" in verdict("10.3", "phone NPU")[1]
    assert v("10.3", "Jetson Orin Nano") == WRONG
    assert v("10.3", "a toaster") == WRONG


def _converter(input_type=tf.int8, representative=True, ops=(tf.lite.OpsSet.TFLITE_BUILTINS_INT8,)):
    def make(model, rep):
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        if representative:
            converter.representative_dataset = rep
        converter.target_spec.supported_ops = list(ops)
        converter.inference_input_type = input_type
        converter.inference_output_type = input_type
        return converter

    return make


def test_10_4_int8_converter():
    def stub(model, representative):
        return NotImplemented

    assert v("10.4", stub) == NOT_ATTEMPTED
    assert v("10.4", _converter()) == RIGHT
    assert v("10.4", _converter(tf.uint8)) == WRONG  # the legacy interface
    assert "legacy" in verdict("10.4", _converter(tf.uint8))[1]
    assert v("10.4", _converter(tf.float32)) == WRONG  # the lesson's float interface left as is
    assert v("10.4", _converter(representative=False)) == WRONG
    assert "representative" in verdict("10.4", _converter(representative=False))[1]
    assert v("10.4", _converter(ops=(tf.lite.OpsSet.TFLITE_BUILTINS,))) == WRONG
    assert v("10.4", lambda m, r: keras.Sequential()) == WRONG
