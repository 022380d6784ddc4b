"""Text helpers (kept equal to notebook 07's copies), and the tutorial's LSTM on real Shakespeare."""

import inspect

import keras
import numpy as np
import pytest

from course_utils import datasets, models, text
from tests.test_models import _notebook_source

NOTEBOOK = "07_lstm_text_generation.ipynb"


@pytest.mark.parametrize(
    "fn",
    [
        models.tutorial_lstm,
        text.tokenize,
        text.build_vocab,
        text.detokenize,
        text.make_windows,
        text.sample,
        text.generate,
    ],
)
def test_notebook_07_writes_out_the_package_functions(fn):
    assert inspect.getsource(fn).strip() in _notebook_source(NOTEBOOK), f"{fn.__name__} differs from notebook 07's"


def test_notebook_07_token_pattern_is_the_package_one():
    line = next(line for line in inspect.getsource(text).splitlines() if line.startswith("TOKEN_RE = "))
    assert line in _notebook_source(NOTEBOOK)


def test_tokenize_keeps_punctuation_and_line_breaks():
    tokens = text.tokenize("First Citizen:\nWe'll speak, speak!")
    assert tokens == ["first", "citizen", ":", "\n", "we'll", "speak", ",", "speak", "!"]
    assert text.detokenize(tokens) == "first citizen:\nwe'll speak, speak!"


def test_build_vocab_reserves_padding_and_unknown():
    vocab = text.build_vocab(["b", "a", "b", "c", "b", "a"], 4)
    assert vocab == ["", "[UNK]", "b", "a"]


def test_make_windows():
    x, y = text.make_windows(np.array([5, 6, 1, 7, 8, 9]), 2)
    assert x.tolist() == [[6, 1], [1, 7], [7, 8]] and y.tolist() == [7, 8, 9]
    assert 1 not in y.tolist() and len(x) == len(y)
    with pytest.raises(ValueError, match="at least 3"):
        text.make_windows(np.array([1, 2]), 2)


def test_unigram_perplexity_of_a_uniform_text():
    targets = np.arange(10).repeat(100)
    assert text.unigram_perplexity(targets, targets, 10) == pytest.approx(10.0)


def test_sampling_temperature_and_top_k():
    rng = np.random.default_rng(0)
    probs = np.array([0.1, 0.2, 0.7])
    assert {text.sample(probs, 0.01, rng=rng) for _ in range(50)} == {2}
    assert {text.sample(probs, 5.0, top_k=2, rng=rng) for _ in range(200)} == {1, 2}
    with pytest.raises(ValueError, match="above 0"):
        text.sample(probs, 0)


def _vocab_and_ids(corpus: str, n_tokens: int | None = None):
    tokens = text.tokenize(corpus)[:n_tokens]
    vocab = text.build_vocab(tokens, 1000)
    index = {t: i for i, t in enumerate(vocab)}
    return vocab, np.array([index.get(t, 1) for t in tokens], dtype=np.int32)


def test_generate_refuses_unknown_prompt_and_pads_short_ones():
    vocab, _ = _vocab_and_ids(datasets.load_text_fallback().text, 20000)
    model = models.tutorial_lstm()
    with pytest.raises(ValueError, match="none of the words"):
        text.generate(model, vocab, "xyzzy qwerty")
    out = text.generate(model, vocab, "the return value", length=5, temperature=1.0)
    assert len(text.tokenize(out)) >= 4 and "[UNK]" not in out


def test_lstm_beats_unigram_on_real_shakespeare(shared_data):
    corpus = datasets.read_text_corpus(shared_data / "text" / "tinyshakespeare.txt")
    vocab, ids = _vocab_and_ids(corpus)
    assert np.mean(ids == 1) < 0.15  # punctuation and line breaks kept: fewer unknown tokens than words alone
    x, y = text.make_windows(ids, 20)
    split = int(len(x) * 0.9)
    x_train, y_train, x_val, y_val = x[:split][:40_000], y[:split][:40_000], x[split:][:4000], y[split:][:4000]
    baseline = text.unigram_perplexity(y_train, y_val, 1000)
    keras.utils.set_random_seed(0)
    model = models.tutorial_lstm()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, batch_size=128, epochs=3, verbose=0)
    perplexity = float(np.exp(model.evaluate(x_val, y_val, verbose=0)))
    print(f"real Shakespeare: LSTM {perplexity:.1f} vs unigram {baseline:.1f}")
    assert perplexity < 0.8 * baseline
