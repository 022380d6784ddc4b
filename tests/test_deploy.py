"""TensorFlow Lite conversion on real MNIST digits, quantisation, and conversion errors that keep their diagnostics."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import deploy, models


def _converter(model, mode="float32", representative=None, interface=tf.float32):
    """The converter as notebook 10 configures it (the lesson writes these settings in the open)."""
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if mode != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "full integer":
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = interface
        converter.inference_output_type = interface
    return converter


def test_unsupported_op_is_named_and_the_log_is_kept():
    class Svd(keras.layers.Layer):
        def call(self, x):
            return tf.linalg.svd(tf.reshape(x, (-1, 4, 4)), compute_uv=False)

    with pytest.raises(deploy.ConversionError, match="unsupported operation\\(s\\): Svd") as info:
        deploy.run_converter(_converter(keras.Sequential([keras.Input((16,)), Svd()])))
    assert info.value.log, "the converter's diagnostics are kept in err.log"
    assert any("Svd" in line for line in info.value.log)
    assert "last words" in str(info.value)


def test_quantised_mnist_model_is_small_and_accurate(mnist_sample):
    """Trained on 2,000 real MNIST test images (tests/data/), 8 epochs of 32 steps, evaluated on 2,000 others."""
    x, y = models.prepare_digits(mnist_sample[0]), mnist_sample[1]
    keras.utils.set_random_seed(0)
    model = models.tutorial_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x[:2000], y[:2000], batch_size=64, epochs=8, verbose=0)
    x_eval, y_eval = x[2000:], y[2000:]

    def representative():
        for image in x[:300]:
            yield [image[None]]

    float_model = deploy.run_converter(_converter(model))
    int_model = deploy.run_converter(_converter(model, "full integer", representative))
    int8_io = deploy.run_converter(_converter(model, "full integer", representative, tf.int8))
    uint8_io = deploy.run_converter(_converter(model, "full integer", representative, tf.uint8))

    def acc(flatbuffer):
        return np.mean(deploy.predict(deploy.interpreter(flatbuffer), x_eval).argmax(1) == y_eval)

    keras_acc = np.mean(model.predict(x_eval, verbose=0).argmax(1) == y_eval)
    float_acc, int_acc, int8_acc, uint8_acc = acc(float_model), acc(int_model), acc(int8_io), acc(uint8_io)
    print(
        f"real MNIST: keras {keras_acc:.4f}, tflite float32 {float_acc:.4f}, full integer {int_acc:.4f} "
        f"(int8 in/out {int8_acc:.4f}, uint8 in/out {uint8_acc:.4f}); sizes {len(float_model)} / {len(int_model)}"
    )
    assert abs(float_acc - keras_acc) < 1e-3
    assert float_acc - int_acc <= 0.01
    assert abs(int8_acc - int_acc) <= 0.005 and abs(uint8_acc - int_acc) <= 0.005  # the interface is handled
    assert deploy.interpreter(int8_io).get_input_details()[0]["dtype"] == np.int8
    assert len(float_model) / len(int_model) >= 3
