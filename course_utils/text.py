"""Word-level language modelling: a tokeniser that keeps punctuation and line breaks, windows, sampling.

Notebook 07 writes these functions out in the open (they are the lesson); a test keeps the two copies equal.
"""

from __future__ import annotations

import collections
import re

import numpy as np

TOKEN_RE = re.compile(r"\n|[a-z]+(?:'[a-z]+)*|[^\sa-z]")  # a line break, a word (with 's, 'd...), or one symbol


def tokenize(text):
    """Lower-cased words, every punctuation mark and every line break, each as its own token."""
    return TOKEN_RE.findall(text.lower())


def build_vocab(tokens, vocab_size):
    """The ``vocab_size`` most useful tokens: id 0 pads, id 1 is ``[UNK]``, then the most common tokens."""
    counts = collections.Counter(tokens)
    return ["", "[UNK]"] + [token for token, _ in counts.most_common(vocab_size - 2)]


def detokenize(tokens):
    """Tokens back to readable text: no space before punctuation or after a line break."""
    out = ""
    for token in tokens:
        glue = out == "" or out.endswith("\n") or token == "\n" or token in ".,;:!?'"
        out += token if glue else " " + token
    return out


def make_windows(ids, seq_len):
    """Every ``seq_len``-token window of ``ids`` and the token that follows it; windows whose target is [UNK] dropped."""
    ids = np.asarray(ids, dtype=np.int32)
    if len(ids) <= seq_len:
        raise ValueError(
            f"the text has {len(ids)} tokens; at least {seq_len + 1} are needed for {seq_len}-token inputs."
        )
    x = np.lib.stride_tricks.sliding_window_view(ids[:-1], seq_len)  # row i: ids[i : i + seq_len]
    y = ids[seq_len:]  # row i's target: the next token
    keep = y != 1  # predicting "some unknown word" teaches nothing
    return np.ascontiguousarray(x[keep]), y[keep]


def unigram_perplexity(train_targets: np.ndarray, eval_targets: np.ndarray, vocab_size: int) -> float:
    """Perplexity of always predicting the training word frequencies (add-one smoothed)."""
    counts = np.bincount(train_targets, minlength=vocab_size).astype(np.float64) + 1.0
    probs = counts / counts.sum()
    return float(np.exp(-np.mean(np.log(probs[eval_targets]))))


def sample(probs, temperature=1.0, top_k=None, rng=None):
    """Draw a token id from a softmax output, sharpened or flattened by ``temperature``, among the ``top_k`` best."""
    if not temperature > 0:
        raise ValueError(f"temperature must be above 0 (got {temperature}); use e.g. 0.1 for near-greedy text.")
    rng = rng or np.random.default_rng()
    logits = np.log(np.asarray(probs, dtype=np.float64) + 1e-12) / temperature
    if top_k is not None and 0 < top_k < len(logits):
        cutoff = np.sort(logits)[-top_k]  # the k-th largest
        logits = np.where(logits >= cutoff, logits, -np.inf)
    p = np.exp(logits - logits.max())
    return int(rng.choice(len(p), p=p / p.sum()))


def generate(model, vocab, prompt, length=30, temperature=1.0, top_k=40, seed=0):
    """Continue ``prompt`` token by token: predict, sample, append, slide the window."""
    index = {token: i for i, token in enumerate(vocab)}
    ids = [index.get(token, 1) for token in tokenize(prompt)]
    if not any(i > 1 for i in ids):
        raise ValueError(f"none of the words of {prompt!r} is among the {len(vocab)} known tokens; try 'the king'.")
    seq_len = model.input_shape[1]
    rng = np.random.default_rng(seed)
    new = []
    for _ in range(length):
        window = np.array([([0] * seq_len + ids)[-seq_len:]])  # a short prompt is left-padded with 0
        probs = np.array(model(window, training=False)[0], dtype=np.float64)
        probs[:2] = 0.0  # never emit padding or [UNK]
        token_id = sample(probs / probs.sum(), temperature, top_k, rng)
        ids.append(token_id)
        new.append(vocab[token_id])
    return detokenize(new)
