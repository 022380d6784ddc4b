"""TensorFlow Lite conversion, quantisation on real MNIST, clear conversion errors, and the quiz grader."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import datasets, deploy, models
from course_utils.quiz import Question, grade


def test_unsupported_op_is_named():
    class Svd(keras.layers.Layer):
        def call(self, x):
            return tf.linalg.svd(tf.reshape(x, (-1, 4, 4)), compute_uv=False)

    with pytest.raises(deploy.ConversionError, match="unsupported operation\\(s\\): Svd"):
        deploy.convert(keras.Sequential([keras.Input((16,)), Svd()]))


def test_bad_mode_and_missing_representative_data():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="mode must be one of"):
        deploy.convert(model, "int4")
    with pytest.raises(ValueError, match="representative dataset"):
        deploy.convert(model, "full integer")


def test_quantised_mnist_model_is_small_and_accurate(shared_data):
    folder = shared_data / "mnist-test"
    x = models.prepare_digits(datasets.read_idx(folder / "t10k-images-idx3-ubyte.gz"))
    y = datasets.read_idx(folder / "t10k-labels-idx1-ubyte.gz")
    keras.utils.set_random_seed(0)
    model = models.tutorial_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x[:8000], y[:8000], batch_size=64, epochs=2, verbose=0)
    x_eval, y_eval = x[8000:], y[8000:]

    def representative():
        for image in x[:300]:
            yield [image[None]]

    float_model = deploy.convert(model)
    int_model = deploy.convert(model, "full integer", representative)
    float_acc = np.mean(deploy.predict(deploy.interpreter(float_model), x_eval).argmax(1) == y_eval)
    int_acc = np.mean(deploy.predict(deploy.interpreter(int_model), x_eval).argmax(1) == y_eval)
    keras_acc = np.mean(model.predict(x_eval, verbose=0).argmax(1) == y_eval)
    print(
        f"real MNIST: keras {keras_acc:.4f}, tflite float32 {float_acc:.4f}, int8 {int_acc:.4f}; sizes {len(float_model)} / {len(int_model)}"
    )
    assert abs(float_acc - keras_acc) < 1e-3
    assert float_acc - int_acc <= 0.01
    assert len(float_model) / len(int_model) >= 3


def test_quiz_grading():
    qs = [Question("q1", ("a", "b"), 1, "because"), Question("q2", ("a", "b"), 0, "since")]
    assert grade(qs, [1, 0])[0] == 2
    score, feedback = grade(qs, [0, None])
    assert score == 0 and "Right: 'b'" in feedback[0] and "(no answer)" in feedback[1]
    with pytest.raises(ValueError):
        grade(qs, [1])
