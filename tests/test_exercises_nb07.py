"""Notebook 07's exercise checks: the right answer, the untouched stub and the classic mistake."""

import math

import keras
import numpy as np
from keras import layers

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def _lstm_model(train=True, **lstm_kwargs):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            layers.Embedding(1000, 128),
            layers.LSTM(128, **lstm_kwargs),
            layers.Dense(1000, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    if train:  # a few real-looking pairs: the check inspects the model, not what it learned
        ids = np.arange(420) % 1000
        x = np.lib.stride_tricks.sliding_window_view(ids[:-1], 20)
        model.fit(x, ids[20:], batch_size=64, epochs=1, verbose=0)
    return model


def test_07_1_dropout_keeping_cudnn():
    assert verdict("07.1", _lstm_model(dropout=0.2))[0] == RIGHT
    assert verdict("07.1", None)[0] == NOT_ATTEMPTED
    result, message = verdict("07.1", _lstm_model(recurrent_dropout=0.2))  # the classic mistake
    assert result == WRONG and "recurrent_dropout" in message
    result, message = verdict("07.1", _lstm_model(train=False, dropout=0.2))
    assert result == WRONG and "train" in message
    assert verdict("07.1", _lstm_model(dropout=0.2, use_cudnn=False))[0] == WRONG


def _softmax_t(probs, t):
    logits = np.log(np.asarray(probs, dtype=np.float64)) / t
    p = np.exp(logits - logits.max())
    return p / p.sum()


def test_07_2_temperature():
    assert verdict("07.2", _softmax_t)[0] == RIGHT
    assert verdict("07.2", lambda p, t: NotImplemented)[0] == NOT_ATTEMPTED
    result, message = verdict("07.2", lambda p, t: _softmax_t(p, 1 / t))  # multiplied instead of divided
    assert result == WRONG and "multiplied" in message
    assert verdict("07.2", lambda p, t: np.log(p) / t)[0] == WRONG  # not normalised


def test_07_3_perplexity():
    p = [0.5, 0.25, 0.1, 0.05]
    assert verdict("07.3", float(np.exp(-np.mean(np.log(p)))))[0] == RIGHT
    assert verdict("07.3", 6.3)[0] == RIGHT  # within 1%
    assert verdict("07.3", None)[0] == NOT_ATTEMPTED
    result, message = verdict("07.3", 1 / np.mean(p))
    assert result == WRONG and "log" in message
    assert verdict("07.3", np.mean([1 / x for x in p]))[0] == WRONG
    assert not math.isclose(6.3, 1 / np.mean(p), rel_tol=0.01)
