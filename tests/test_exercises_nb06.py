"""Checks of notebook 06: right answer, untouched stub, typical wrong answers."""

import keras
import numpy as np
from keras import layers

from course_utils import models
from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict
from course_utils.recipes import faster_recipe


def v(id, answer, **kw):
    return verdict(id, answer, **kw)


def _cnn(pools=2, softmax="softmax"):
    stack = [keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2)]
    stack += [layers.Conv2D(64, 3, activation="relu")] + [layers.MaxPooling2D(2)] * (pools - 1)
    stack += [layers.Conv2D(64, 3, activation="relu"), layers.Flatten(), layers.Dense(64, activation="relu")]
    return keras.Sequential(stack + [layers.Dense(10, activation=softmax)])


def test_06_1_build_the_cnn():
    assert v("06.1", None)[0] == NOT_ATTEMPTED
    assert v("06.1", _cnn())[0] == RIGHT
    assert v("06.1", models.tutorial_cnn())[0] == RIGHT
    verdict_, message = v("06.1", _cnn(pools=1))  # the classic: one MaxPooling forgotten
    assert verdict_ == WRONG and "MaxPooling2D" in message
    assert v("06.1", _cnn(softmax="relu"))[0] == WRONG
    assert v("06.1", "a model")[0] == WRONG


N = 8 * 128 + 40  # images in x_fit: 8 whole batches of 128 and a partial one


def _trained(batch_for_steps=128, batch=128, epochs_trained=1, whole=True):
    x = np.random.default_rng(0).random((N, 28, 28, 1), dtype=np.float32)  # shapes only: no accuracy is graded
    y = keras.utils.to_categorical(np.arange(N) % 10, 10)
    model = faster_recipe(N // batch_for_steps, num_epochs=2, batch_size=batch)
    n = N // 128 * 128 if whole else N
    if epochs_trained:
        model.fit(x[:n], y[:n], batch_size=128, epochs=epochs_trained, verbose=0)
    return model


def test_06_2_faster_recipe_at_batch_128():
    assert v("06.2", None, num_images=N)[0] == NOT_ATTEMPTED
    assert v("06.2", _trained(), num_images=N)[0] == RIGHT
    verdict_, message = v("06.2", _trained(batch_for_steps=32), num_images=N)  # the classic: steps of batch 32
    assert verdict_ == WRONG and "not 32" in message
    assert v("06.2", _trained(batch=32), num_images=N)[0] == WRONG  # peak learning rate of batch 32
    assert v("06.2", _trained(epochs_trained=0), num_images=N)[0] == WRONG  # built, not trained
    assert v("06.2", _trained(whole=False), num_images=N)[0] == WRONG  # trained on a partial batch
    assert v("06.2", models.tutorial_cnn(), num_images=N)[0] == WRONG  # not compiled


class _FixedModel:
    """Predicts digit (label + 1) % 10 for images whose first pixel is 1, the label otherwise."""

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
    assert v("06.3", (3, 3), **context)[0] == WRONG  # the true digit, not the prediction
    assert v("06.3", (1, 1), **context)[0] == WRONG  # an image the model gets right
    assert v("06.3", (3, 7), **context)[0] == WRONG
    assert v("06.3", (99, 1), **context)[0] == WRONG
