"""Checks of notebook 07 (LSTM text generation). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import math

import numpy as np

from course_utils.exercises import call, close, exercise, expect, number, wrong


@exercise("07.1", "dropout that keeps cuDNN", "the section 'The cuDNN path, measured on this model'")
def regularised(answer, *, batch_size: int, num_pairs: int = 10_000, **_):
    import keras

    expect(isinstance(answer, keras.Model), f"build a keras model (keras.Sequential), not {type(answer).__name__}.")
    lstms = [layer for layer in answer.layers if isinstance(layer, keras.layers.LSTM)]
    expect(len(lstms) == 1, "keep the tutorial's single LSTM layer.")
    lstm = lstms[0]
    cell = lstm.cell
    if cell.recurrent_dropout:
        wrong("recurrent_dropout forces the generic step-by-step loop: use the LSTM's input `dropout=` instead.")
    expect(cell.dropout > 0, "add dropout to the LSTM itself: layers.LSTM(128, dropout=0.2).")
    expect(math.isclose(cell.dropout, 0.2, abs_tol=1e-9), f"use a dropout of 0.2 (found {cell.dropout}).")
    # eligibility, read from the layer's own settings (Keras's conditions for the cuDNN kernel)
    eligible = (
        cell.activation in (keras.activations.tanh, keras.ops.tanh)
        and cell.recurrent_activation in (keras.activations.sigmoid, keras.ops.sigmoid)
        and not lstm.unroll
        and cell.use_bias
        and lstm.use_cudnn is not False
    )
    expect(eligible, "keep the LSTM's defaults (tanh, sigmoid, bias, no unroll, use_cudnn 'auto').")
    expect(lstm.units == 128, f"the tutorial's LSTM has 128 units (found {lstm.units}).")
    embeddings = [layer for layer in answer.layers if isinstance(layer, keras.layers.Embedding)]
    expect(
        len(embeddings) == 1 and embeddings[0].input_dim == 1000 and embeddings[0].output_dim == 128,
        "keep the tutorial's Embedding(1000, 128) in front of the LSTM.",
    )
    expect(answer.built, "Keras has not built your model yet: start it with keras.Input((20,)), or train it first.")
    expect(answer.output_shape[-1] == 1000, "keep the Dense 1000 softmax output: one probability per token.")
    compiled = getattr(answer, "compiled", False) and getattr(answer, "optimizer", None) is not None
    expect(compiled, "compile the model before training it (model.compile(...), then model.fit(...)).")
    steps = int(answer.optimizer.iterations.numpy())  # one per batch trained on, over every fit call
    one_epoch = math.ceil(num_pairs / batch_size)
    if steps == 0:
        wrong(f"compiled but not trained: fit it for one epoch on the first {num_pairs:,} pairs.")
    if steps == math.ceil(num_pairs / 32) and batch_size != 32:
        wrong(f"it trained at Keras's default batch of 32: pass batch_size=batch_size ({batch_size}) to fit.")
    if steps % one_epoch == 0 and steps > one_epoch:
        wrong(
            f"it trained {steps // one_epoch} epochs ({steps} steps); the task asks for one epoch ({one_epoch} "
            "steps): build the model again before fitting it (each fit call adds to the same model)."
        )
    expect(
        steps == one_epoch,
        f"it took {steps} training steps; one epoch on the first {num_pairs:,} pairs at batch {batch_size} is "
        f"{one_epoch} steps: fit it on x_train[:{num_pairs}], y_train[:{num_pairs}].",
    )
    return "dropout on the inputs is applied once per sequence, outside the recurrence: the fused kernel survives."


@exercise("07.2", "temperature", "the section 'Generate text: temperature and top-k, step by step'")
def temperature(answer, **_):
    probs = np.array([0.1, 0.2, 0.7])
    for t in (0.5, 2.0):
        out = np.asarray(call(answer, probs.copy(), t), dtype=np.float64)
        expect(out.shape == probs.shape, f"return one probability per token ({len(probs)}), got shape {out.shape}.")
        expect(np.isclose(out.sum(), 1.0, atol=1e-6), "normalise: the probabilities must sum to 1.")
        truth = probs ** (1 / t) / np.sum(probs ** (1 / t))  # softmax(log p / T) = p^(1/T), normalised
        if np.allclose(out, probs**t / np.sum(probs**t), atol=1e-6):
            wrong("you multiplied by the temperature: divide the log-probabilities by it (T < 1 must sharpen).")
        expect(np.allclose(out, truth, atol=1e-6), f"at T={t} expected {np.round(truth, 3)}, got {np.round(out, 3)}.")
    return "below 1 the likely tokens get likelier (safer text), above 1 the distribution flattens (wilder text)."


@exercise("07.3", "perplexity by hand", "the section 'A baseline you can compute by hand'")
def perplexity(answer, **_):
    value = number(answer, "ppl")
    p = [0.5, 0.25, 0.1, 0.05]
    truth = math.exp(-sum(math.log(x) for x in p) / len(p))
    if close(value, 1 / (sum(p) / len(p)), rel=0.01):
        wrong("that inverts the mean probability: average the log-probabilities instead, then exponentiate.")
    if close(value, sum(1 / x for x in p) / len(p), rel=0.01):
        wrong("that averages 1/p: perplexity is the exponential of the mean NEGATIVE LOG-probability.")
    expect(close(value, truth, rel=0.01), "compute exp(-mean(log p)) over the four probabilities.")
    return f"{truth:.2f}: the model is as unsure as a fair choice among about {truth:.0f} tokens."
