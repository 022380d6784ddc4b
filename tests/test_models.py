"""The tutorial's models: the notebooks' copies equal the package's, exact parameter counts, real-data learning."""

import inspect
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest

from course_utils import datasets, models

ROOT = Path(__file__).resolve().parent.parent


def _notebook_source(name: str) -> str:
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def test_notebook_06_writes_out_the_package_cnn():
    assert inspect.getsource(models.tutorial_cnn).strip() in _notebook_source("06_cnn_mnist.ipynb")


def test_parameter_counts():
    assert models.tutorial_cnn().count_params() == 93_322
    # Embedding 1000×128 + LSTM 4·(128·(128+128)+128) + Dense 128·1000+1000
    assert models.tutorial_lstm().count_params() == 128_000 + 131_584 + 129_000


def test_cnn_learns_real_mnist(shared_data):
    """Trained on the first 8,000 real MNIST test images, evaluated on the last 2,000: at least 97%."""
    folder = shared_data / "mnist-test"
    images = models.prepare_digits(datasets.read_idx(folder / "t10k-images-idx3-ubyte.gz"))
    labels = keras.utils.to_categorical(datasets.read_idx(folder / "t10k-labels-idx1-ubyte.gz"), 10)
    keras.utils.set_random_seed(0)
    model = models.tutorial_cnn()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(images[:8000], labels[:8000], batch_size=32, epochs=5, verbose=0)
    accuracy = model.evaluate(images[8000:], labels[8000:], verbose=0)[1]
    print(f"real MNIST, 8,000 train / 2,000 test: {accuracy:.2%}")
    assert accuracy >= 0.97


def test_load_or_train_rebuilds_when_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    offline = datasets.Source("mnist.npz", "http://127.0.0.1:9/mnist.npz", "0" * 64, "MNIST")
    monkeypatch.setattr(datasets, "load_mnist", lambda source=offline: datasets.load_digits_fallback())
    model, data = models.load_or_train_cnn(epochs=1, verbose=0)
    assert data.is_fallback and models.cnn_path().exists()
    assert "training the tutorial's CNN now" in capsys.readouterr().out
    again, _ = models.load_or_train_cnn(epochs=1, verbose=0)
    x = models.prepare_digits(data.x_test[:16])
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("broken", [b"", b"not a zip"])
def test_load_or_train_replaces_a_broken_file(tmp_path, monkeypatch, capsys, broken):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "load_mnist", lambda source=None: datasets.load_digits_fallback())
    models.cnn_path().write_bytes(broken)
    model, _ = models.load_or_train_cnn(epochs=1, verbose=0)
    assert "could not be loaded" in capsys.readouterr().out
