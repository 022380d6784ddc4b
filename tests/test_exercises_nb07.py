"""Notebook 07's exercise checks: right answers written two ways, the untouched stub, typical wrong answers."""

import math

import keras
import numpy as np
from keras import layers

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict

PAIRS, BATCH = 400, 64  # a few real-looking pairs: the check inspects the model and its steps, not what it learned
ids = np.arange(PAIRS + 20) % 1000
X, Y = np.lib.stride_tricks.sliding_window_view(ids[:-1], 20)[:PAIRS], ids[20:][:PAIRS]
CONTEXT = {"batch_size": BATCH, "num_pairs": PAIRS}


def _lstm_model(epochs=1, batch=BATCH, **lstm_kwargs):
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
    if epochs:
        model.fit(X, Y, batch_size=batch, epochs=epochs, verbose=0)
    return model


def _functional_model():  # written differently: the functional API, a dropout of .2 written as 1/5
    inputs = keras.Input((20,), dtype="int32")
    x = layers.Embedding(input_dim=1000, output_dim=128)(inputs)
    x = layers.LSTM(units=128, dropout=1 / 5, use_cudnn="auto")(x)
    model = keras.Model(inputs, layers.Dense(1000, activation="softmax")(x))
    model.compile(keras.optimizers.Adam(1e-3), keras.losses.SparseCategoricalCrossentropy())
    for start in range(0, PAIRS, BATCH):  # one epoch, batch by batch
        model.train_on_batch(X[start : start + BATCH], Y[start : start + BATCH])
    return model


def test_07_1_dropout_keeping_cudnn():
    assert verdict("07.1", _lstm_model(dropout=0.2), **CONTEXT)[0] == RIGHT
    assert verdict("07.1", _functional_model(), **CONTEXT)[0] == RIGHT
    assert verdict("07.1", None, **CONTEXT)[0] == NOT_ATTEMPTED
    result, message = verdict("07.1", _lstm_model(recurrent_dropout=0.2), **CONTEXT)  # the classic mistake
    assert result == WRONG and "recurrent_dropout" in message
    result, message = verdict("07.1", _lstm_model(epochs=0, dropout=0.2), **CONTEXT)
    assert result == WRONG and "not trained" in message
    result, message = verdict("07.1", _lstm_model(epochs=3, dropout=0.2), **CONTEXT)  # more than one epoch
    assert result == WRONG and "one epoch" in message
    result, message = verdict("07.1", _lstm_model(batch=32, dropout=0.2), **CONTEXT)  # Keras's default batch
    assert result == WRONG and "batch_size" in message
    assert verdict("07.1", _lstm_model(dropout=0.2, use_cudnn=False), **CONTEXT)[0] == WRONG


def _softmax_t(probs, t):
    logits = np.log(np.asarray(probs, dtype=np.float64)) / t
    p = np.exp(logits - logits.max())
    return p / p.sum()


def _power(probs, temperature):  # written differently: p^(1/T), normalised, in Keras ops
    p = keras.ops.power(keras.ops.convert_to_tensor(probs, "float32"), 1.0 / temperature)
    return keras.ops.convert_to_numpy(p / keras.ops.sum(p))


def test_07_2_temperature():
    assert verdict("07.2", _softmax_t)[0] == RIGHT
    assert verdict("07.2", _power)[0] == RIGHT
    assert verdict("07.2", lambda p, t: NotImplemented)[0] == NOT_ATTEMPTED
    result, message = verdict("07.2", lambda p, t: _softmax_t(p, 1 / t))  # multiplied instead of divided
    assert result == WRONG and "multiplied" in message
    result, message = verdict("07.2", lambda p, t: np.log(p) / t)  # not normalised
    assert result == WRONG and "sum to 1" in message


def test_07_3_perplexity():
    p = [0.5, 0.25, 0.1, 0.05]
    assert verdict("07.3", float(np.exp(-np.mean(np.log(p)))))[0] == RIGHT
    assert verdict("07.3", np.float32(2 ** (-sum(math.log2(x) for x in p) / len(p))))[0] == RIGHT  # log₂
    assert verdict("07.3", 6.3)[0] == RIGHT  # within 1%
    assert verdict("07.3", None)[0] == NOT_ATTEMPTED
    result, message = verdict("07.3", 1 / np.mean(p))
    assert result == WRONG and "log" in message
    assert verdict("07.3", np.mean([1 / x for x in p]))[0] == WRONG
    assert not math.isclose(6.3, 1 / np.mean(p), rel_tol=0.01)
