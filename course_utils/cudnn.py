"""Which LSTM/GRU configurations keep the fast cuDNN kernel (checked on the layer), and what it is worth (timed).

Keras 3 uses cuDNN for an LSTM only when all of these hold (keras/src/layers/rnn/lstm.py
and keras/src/backend/tensorflow/rnn.py): ``activation="tanh"``,
``recurrent_activation="sigmoid"``, ``recurrent_dropout=0``, ``unroll=False``,
``use_bias=True``, ``use_cudnn`` not ``False``, and a GPU present. A mask must be
right-padded (trailing zeros only). The tests compare this list with Keras's own check.
"""

from __future__ import annotations


def lstm_cudnn_blockers(layer) -> list[str]:
    """Reasons this LSTM (or GRU) layer cannot use cuDNN; empty when it is eligible (GPU aside)."""
    import keras

    cell = layer.cell
    reasons = []
    if cell.activation not in (keras.activations.tanh, keras.ops.tanh):
        reasons.append(f"activation={cell.activation.__name__!r} (cuDNN needs 'tanh')")
    if cell.recurrent_activation not in (keras.activations.sigmoid, keras.ops.sigmoid):
        reasons.append(f"recurrent_activation={cell.recurrent_activation.__name__!r} (cuDNN needs 'sigmoid')")
    if cell.recurrent_dropout:
        reasons.append(f"recurrent_dropout={cell.recurrent_dropout} (cuDNN needs 0; use dropout= instead)")
    if layer.unroll:
        reasons.append("unroll=True (cuDNN runs the loop itself)")
    if not cell.use_bias:
        reasons.append("use_bias=False (cuDNN needs a bias)")
    if getattr(cell, "reset_after", True) is False:
        reasons.append("reset_after=False (GRU: cuDNN needs reset_after=True)")
    if getattr(layer, "use_cudnn", "auto") is False:
        reasons.append("use_cudnn=False")
    return reasons


def time_lstm_cudnn(
    batch_size: int = 128,
    seq_len: int = 20,
    vocab_size: int = 1000,
    repeats: int = 10,
    warmup: int = 3,
    seed: int = 0,
) -> dict:
    """Median seconds per training step of the tutorial's LSTM with ``use_cudnn="auto"`` and ``False``.

    The same model twice (Embedding 1000×128, LSTM 128, Dense 1000 softmax), compiled alike (on TensorFlow
    with ``jit_compile=False`` for both) so that only the LSTM kernel changes, timed on one batch of token ids
    (timing only: nothing is learned or shown). Works on any Keras backend, on a CPU too (where both run
    the generic loop); imports neither TensorFlow nor JAX itself. ``use_cudnn=True`` is tried last: it
    trains a step only where the cuDNN kernel really runs, and raises ``ValueError`` otherwise.
    """
    import keras
    import numpy as np

    from course_utils.lessons.nb01 import time_fn

    rng = np.random.default_rng(seed)
    x = rng.integers(2, vocab_size, (batch_size, seq_len)).astype("int32")
    y = rng.integers(2, vocab_size, (batch_size,)).astype("int32")

    # TensorFlow cannot XLA-compile its cuDNN op, so Keras turns XLA off for a model that uses it: XLA off for
    # both. JAX compiles everything (its cuDNN LSTM, Keras 3.15+, runs inside the compiled step): default there.
    jit_compile = False if keras.backend.backend() == "tensorflow" else "auto"

    def build(use_cudnn):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential(
            [
                keras.Input((seq_len,)),
                keras.layers.Embedding(vocab_size, 128),
                keras.layers.LSTM(128, use_cudnn=use_cudnn),
                keras.layers.Dense(vocab_size, activation="softmax"),
            ]
        )
        model.compile("adam", "sparse_categorical_crossentropy", jit_compile=jit_compile)
        return model

    result = {"backend": keras.backend.backend(), "batch_size": batch_size, "repeats": repeats}
    for setting in ("auto", False):
        model = build(setting)
        timing = time_fn(lambda m=model: m.train_on_batch(x, y), warmup=warmup, repeats=repeats)
        result[f"use_cudnn={setting}"] = timing.median_s
        result[f"use_cudnn={setting} spread"] = timing.spread
    result["false_over_auto"] = result["use_cudnn=False"] / result["use_cudnn=auto"]
    try:
        build(True).train_on_batch(x, y)
        result["cudnn_proven"] = True
    except ValueError:  # Keras: "use_cudnn=True was specified, but cuDNN is not supported ..."
        result["cudnn_proven"] = False
    return result
