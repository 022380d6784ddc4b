"""Word-level language modelling helpers: windows, a unigram baseline, sampling with temperature and top-k."""

from __future__ import annotations

import numpy as np


def make_windows(ids: np.ndarray, seq_len: int, drop_target: int | None = 1) -> tuple[np.ndarray, np.ndarray]:
    """Every ``seq_len``-word window and the word that follows it.

    Windows whose target is ``drop_target`` (the out-of-vocabulary id, 1 for Keras's
    ``TextVectorization``) are dropped: predicting "unknown word" teaches nothing.
    """
    ids = np.asarray(ids, dtype=np.int32)
    if len(ids) <= seq_len:
        raise ValueError(f"the text has {len(ids)} words; at least {seq_len + 1} are needed for {seq_len}-word inputs.")
    x = np.lib.stride_tricks.sliding_window_view(ids[:-1], seq_len)
    y = ids[seq_len:]
    keep = y != drop_target if drop_target is not None else np.ones(len(y), bool)
    return np.ascontiguousarray(x[keep]), y[keep]


def unigram_perplexity(train_targets: np.ndarray, eval_targets: np.ndarray, vocab_size: int) -> float:
    """Perplexity of always predicting the training word frequencies (add-one smoothed)."""
    counts = np.bincount(train_targets, minlength=vocab_size).astype(np.float64) + 1.0
    probs = counts / counts.sum()
    return float(np.exp(-np.mean(np.log(probs[eval_targets]))))


def sample(
    probs: np.ndarray, temperature: float = 1.0, top_k: int | None = None, rng: np.random.Generator | None = None
) -> int:
    """Draw a word id from a softmax output, sharpened or flattened by ``temperature``, among the ``top_k`` best."""
    if not temperature > 0:
        raise ValueError(
            f"temperature must be above 0 (got {temperature}); use a small value like 0.1 for near-greedy text."
        )
    rng = rng or np.random.default_rng()
    logits = np.log(np.asarray(probs, dtype=np.float64) + 1e-12) / temperature
    if top_k is not None and 0 < top_k < len(logits):
        cutoff = np.partition(logits, -top_k)[-top_k]
        logits = np.where(logits >= cutoff, logits, -np.inf)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))


def generate(
    model, vectorizer, prompt: str, length: int = 30, temperature: float = 1.0, top_k: int | None = 50, seed: int = 0
) -> str:
    """Continue ``prompt`` word by word with a next-word model and its ``TextVectorization`` layer."""
    vocab = vectorizer.get_vocabulary()
    ids = [int(i) for i in np.asarray(vectorizer([prompt]))[0] if i != 0]
    known = [i for i in ids if i > 1]
    if not known:
        raise ValueError(f"none of the words of {prompt!r} is among the {len(vocab)} known words; try e.g. 'the king'.")
    seq_len = model.input_shape[1]
    rng = np.random.default_rng(seed)
    words = []
    for _ in range(length):
        window = np.array(([0] * seq_len + ids)[-seq_len:])[None]
        probs = model.predict(window, verbose=0)[0]
        probs[:2] = 0.0  # never emit padding or the unknown-word token
        nxt = sample(probs / probs.sum(), temperature, top_k, rng)
        ids.append(nxt)
        words.append(vocab[nxt])
    return " ".join(words)
