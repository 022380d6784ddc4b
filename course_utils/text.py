"""The unigram baseline notebook 07 measures its LSTM against.

The notebook's own text code (the tokeniser, the windows, the LSTM, sampling and generation) is in
:mod:`course_utils.lessons.nb07`, generated from the notebook.
"""

from __future__ import annotations

import numpy as np


def unigram_perplexity(train_targets: np.ndarray, eval_targets: np.ndarray, vocab_size: int) -> float:
    """Perplexity of always predicting the training word frequencies (add-one smoothed)."""
    counts = np.bincount(train_targets, minlength=vocab_size).astype(np.float64) + 1.0
    probs = counts / counts.sum()
    return float(np.exp(-np.mean(np.log(probs[eval_targets]))))
