"""Notebook 07's text code (course_utils.lessons.nb07), the unigram baseline, and the LSTM on real Shakespeare."""

import keras
import numpy as np
import pytest

from course_utils import datasets, text
from course_utils.lessons import nb07


def test_tokenize_keeps_punctuation_and_line_breaks():
    tokens = nb07.tokenize("First Citizen:\nWe'll speak, speak!")
    assert tokens == ["first", "citizen", ":", "\n", "we'll", "speak", ",", "speak", "!"]
    assert nb07.detokenize(tokens) == "first citizen:\nwe'll speak, speak!"


def test_build_vocab_reserves_padding_and_unknown():
    vocab = nb07.build_vocab(["b", "a", "b", "c", "b", "a"], 4)
    assert vocab == ["", "[UNK]", "b", "a"]


def test_make_windows():
    x, y = nb07.make_windows(np.array([5, 6, 1, 7, 8, 9]), 2)
    assert x.tolist() == [[6, 1], [1, 7], [7, 8]] and y.tolist() == [7, 8, 9]
    assert 1 not in y.tolist() and len(x) == len(y)
    with pytest.raises(ValueError, match="at least 3"):
        nb07.make_windows(np.array([1, 2]), 2)


def test_unigram_perplexity_of_a_uniform_text():
    targets = np.arange(10).repeat(100)
    assert text.unigram_perplexity(targets, targets, 10) == pytest.approx(10.0)


def test_sampling_temperature_and_top_k():
    rng = np.random.default_rng(0)
    probs = np.array([0.1, 0.2, 0.7])
    assert {nb07.sample(probs, 0.01, rng=rng) for _ in range(50)} == {2}
    assert {nb07.sample(probs, 5.0, top_k=2, rng=rng) for _ in range(200)} == {1, 2}
    with pytest.raises(ValueError, match="above 0"):
        nb07.sample(probs, 0)


def _vocab_and_ids(corpus: str, n_tokens: int | None = None):
    tokens = nb07.tokenize(corpus)[:n_tokens]
    vocab = nb07.build_vocab(tokens, 1000)
    index = {t: i for i, t in enumerate(vocab)}
    return vocab, np.array([index.get(t, 1) for t in tokens], dtype=np.int32)


def test_generate_refuses_unknown_prompt_and_pads_short_ones():
    vocab, _ = _vocab_and_ids(datasets.load_text_fallback().text, 20000)
    model = nb07.tutorial_lstm()
    with pytest.raises(ValueError, match="none of the words"):
        nb07.generate(model, vocab, "xyzzy qwerty")
    out = nb07.generate(model, vocab, "the return value", length=5, temperature=1.0)
    assert len(nb07.tokenize(out)) >= 4 and "[UNK]" not in out


def test_lstm_beats_unigram_on_real_shakespeare(shakespeare):
    corpus = datasets.read_text_corpus(shakespeare)
    vocab, ids = _vocab_and_ids(corpus)
    assert np.mean(ids == 1) < 0.15  # punctuation and line breaks kept: fewer unknown tokens than words alone
    x, y = nb07.make_windows(ids, 20)
    split = int(len(x) * 0.9)
    x_train, y_train, x_val, y_val = x[:split][:40_000], y[:split][:40_000], x[split:][:4000], y[split:][:4000]
    baseline = text.unigram_perplexity(y_train, y_val, 1000)
    keras.utils.set_random_seed(0)
    model = nb07.tutorial_lstm()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, batch_size=128, epochs=3, verbose=0)
    perplexity = float(np.exp(model.evaluate(x_val, y_val, verbose=0)))
    print(f"real Shakespeare: LSTM {perplexity:.1f} vs unigram {baseline:.1f}")
    assert perplexity < 0.8 * baseline
