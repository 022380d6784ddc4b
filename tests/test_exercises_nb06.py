"""Checks of notebook 06: right answers written two ways, the untouched stub, typical wrong answers."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from course_utils.lessons.nb06 import faster_recipe, tutorial_cnn


def v(id, answer, **kw):
    return verdict(id, answer, **kw)


def _cnn(pools=2, softmax="softmax", hidden="relu", with_input=True):
    stack = [keras.Input(shape=(28, 28, 1))] if with_input else []
    stack += [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2)]
    stack += [layers.Conv2D(64, 3, activation="relu")] + [layers.MaxPooling2D(2)] * (pools - 1)
    stack += [layers.Conv2D(64, 3, activation="relu"), layers.Flatten(), layers.Dense(64, activation=hidden)]
    return keras.Sequential(stack + [layers.Dense(10, activation=softmax)])


def _functional_cnn():  # the functional API, activations as layers of their own
    inputs = keras.Input((28, 28, 1))
    x = layers.ReLU()(layers.Conv2D(32, (3, 3))(inputs))
    x = layers.MaxPooling2D(pool_size=(2, 2))(x)
    x = layers.Activation("relu")(layers.Conv2D(64, (3, 3))(x))
    x = layers.MaxPooling2D(pool_size=(2, 2))(x)
    x = layers.Conv2D(64, (3, 3), activation=keras.activations.relu)(x)
    x = layers.Dense(64, activation="relu")(layers.Flatten()(x))
    return keras.Model(inputs, layers.Softmax()(layers.Dense(10)(x)))


def test_06_1_build_the_cnn():
    assert v("06.1", None)[0] == NOT_ATTEMPTED
    assert v("06.1", _cnn())[0] == RIGHT
    assert v("06.1", tutorial_cnn())[0] == RIGHT
    assert v("06.1", _functional_cnn())[0] == RIGHT
    verdict_, message = v("06.1", _cnn(pools=1))  # the classic: one MaxPooling forgotten
    assert verdict_ == WRONG and "MaxPooling2D" in message
    verdict_, message = v("06.1", _cnn(softmax="relu"))
    assert verdict_ == WRONG and "softmax" in message
    verdict_, message = v("06.1", _cnn(hidden=None))  # a hidden Dense layer without ReLU
    assert verdict_ == WRONG and "relu" in message
    verdict_, message = v("06.1", _cnn(with_input=False))  # never built: no weights to compare
    assert verdict_ == WRONG and "keras.Input" in message and "compare filters" not in message
    assert v("06.1", "a model")[0] == WRONG


N = 8 * 128 + 40  # images in x_small: 8 whole batches of 128 and a partial one


def _data():
    x = np.random.default_rng(0).random((N, 28, 28, 1), dtype=np.float32)  # shapes only: no accuracy is graded
    return x, keras.utils.to_categorical(np.arange(N) % 10, 10)


def _trained(batch_for_steps=128, batch=128, epochs_trained=1, whole=True):
    x, y = _data()
    model = faster_recipe(N // batch_for_steps, num_epochs=2, batch_size=batch)
    n = N // 128 * 128 if whole else N
    if epochs_trained:
        model.fit(x[:n], y[:n], batch_size=128, epochs=epochs_trained, verbose=0)
    return model


def _trained_on_a_dataset():  # written differently: whole batches by drop_remainder, steps by floor division
    x, y = _data()
    model = faster_recipe(steps_per_epoch=int(np.floor(len(x) / 128)), num_epochs=2, batch_size=128)
    model.fit(
        tf.data.Dataset.from_tensor_slices((x, y)).batch(128, drop_remainder=True), epochs=1, shuffle=False, verbose=0
    )
    return model


def test_06_2_faster_recipe_at_batch_128():
    assert v("06.2", None, num_images=N)[0] == NOT_ATTEMPTED
    assert v("06.2", _trained(), num_images=N)[0] == RIGHT
    assert v("06.2", _trained_on_a_dataset(), num_images=N)[0] == RIGHT
    verdict_, message = v("06.2", _trained(batch_for_steps=32), num_images=N)  # the classic: steps of batch 32
    assert verdict_ == WRONG and "not 32" in message
    assert v("06.2", _trained(batch=32), num_images=N)[0] == WRONG  # peak learning rate of batch 32
    verdict_, message = v("06.2", _trained(epochs_trained=0), num_images=N)  # built, not trained
    assert verdict_ == WRONG and "not trained" in message
    verdict_, message = v("06.2", _trained(whole=False), num_images=N)  # trained on a partial batch
    assert verdict_ == WRONG and "partial" in message
    assert v("06.2", tutorial_cnn(), num_images=N)[0] == WRONG  # not compiled


class _FixedModel:
    """Predicts digit (label + 1) % 10 for images whose index is a multiple of 3, the label otherwise."""

    def __init__(self, images, labels):
        self.images, self.labels = images, labels

    def predict(self, x, verbose=0):
        i = int(x[0, 0, 0, 0])
        p = np.zeros((1, 10))
        p[0, (self.labels[i] + (1 if i % 3 == 0 else 0)) % 10] = 1.0
        return p


def test_06_3_a_mistake():
    labels = np.arange(12) % 10
    images = np.zeros((12, 28, 28, 1), dtype=np.float32)
    images[:, 0, 0, 0] = np.arange(12)  # the fake model reads the index from the first pixel
    context = dict(model=_FixedModel(images, labels), images=images, labels=labels)
    assert v("06.3", (None, None), **context)[0] == NOT_ATTEMPTED
    assert v("06.3", None, **context)[0] == NOT_ATTEMPTED
    assert v("06.3", (3, 4), **context)[0] == RIGHT  # image 3 is a 3 read as 4
    assert v("06.3", (np.int64(6), np.int64(7)), **context)[0] == RIGHT  # NumPy integers, as argmax gives
    verdict_, message = v("06.3", (3, 3), **context)  # the true digit, not the prediction
    assert verdict_ == WRONG and "true digit" in message
    assert v("06.3", (1, 1), **context)[0] == WRONG  # an image the model gets right
    assert v("06.3", (3, 7), **context)[0] == WRONG
    assert v("06.3", (99, 1), **context)[0] == WRONG
    assert v("06.3", (3, None), **context)[0] == WRONG  # a part still the stub
