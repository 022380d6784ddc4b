"""Which LSTM/GRU configurations keep the fast cuDNN kernel, checked on the layer itself.

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
