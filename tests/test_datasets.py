"""Every path of the datasets layer: real files, download, corrupted cache, offline, fallback."""

import gzip
from pathlib import Path

import numpy as np
import pytest

from course_utils import datasets
from course_utils.datasets import Source
from tests.conftest import TEST_DATA, write_idx


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_read_idx_real_mnist_in_its_original_format(mnist_sample, tmp_path):
    """Real MNIST digits (tests/data/) written in the IDX format, gzipped as LeCun's page ships them, and raw."""
    images, labels = mnist_sample
    read_images = datasets.read_idx(write_idx(tmp_path / "images-idx3-ubyte.gz", images))
    read_labels = datasets.read_idx(write_idx(tmp_path / "labels-idx1-ubyte", labels))
    assert read_images.shape == (4000, 28, 28) and read_images.dtype == np.uint8
    np.testing.assert_array_equal(read_images, images)
    np.testing.assert_array_equal(read_labels, labels)
    assert set(np.unique(labels)) == set(range(10))
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]  # the well-known first test labels


def test_shipped_samples_are_the_files_their_readme_describes():
    readme = (TEST_DATA / "README.md").read_text()
    for name in ("mnist-test-sample.npz", "tinyshakespeare.txt.gz"):
        assert f"`{name}`" in readme and datasets.sha256(TEST_DATA / name) in readme, name


def test_read_idx_rejects_truncated_and_foreign_files(tmp_path):
    bad = tmp_path / "x.gz"
    with gzip.open(bad, "wb") as f:
        f.write(b"\x00\x00\x08\x03" + (10).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2 + b"\x00" * 100)
    with pytest.raises(ValueError, match="truncated"):
        datasets.read_idx(bad)
    (tmp_path / "y").write_bytes(b"PK\x03\x04 not idx")
    with pytest.raises(ValueError, match="not an IDX file"):
        datasets.read_idx(tmp_path / "y")


@pytest.fixture
def digit_images():
    """Real handwritten digits in MNIST's layout (scikit-learn's, always available) for the download paths."""
    data = datasets.load_digits_fallback()
    return np.concatenate([data.x_train, data.x_test]), np.concatenate([data.y_train, data.y_test])


def _npz_source(served: Path, base_url: str, images_labels) -> Source:
    images, labels = images_labels
    path = served / "mnist.npz"
    np.savez(path, x_train=images[:1400], y_train=labels[:1400], x_test=images[1400:], y_test=labels[1400:])
    return Source("mnist.npz", f"{base_url}/mnist.npz", datasets.sha256(path), "MNIST (test copy)")


def test_download_verify_and_cache(server, digit_images, isolated_data_dir, capsys):
    served, url = server
    source = _npz_source(served, url, digit_images)
    data = datasets.load_mnist(source)
    assert not data.is_fallback and data.name == "MNIST" and data.x_train.shape == (1400, 28, 28)
    assert (isolated_data_dir / "mnist.npz").exists()
    (served / "mnist.npz").unlink()  # the server no longer has it: the cache must serve
    assert datasets.load_mnist(source).x_test.shape == (397, 28, 28)


def test_corrupted_cache_is_detected_and_fetched_again(server, digit_images, isolated_data_dir, capsys):
    served, url = server
    source = _npz_source(served, url, digit_images)
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / "mnist.npz").write_bytes(b"truncated download")
    data = datasets.load_mnist(source)
    assert "corrupted or incomplete" in capsys.readouterr().out
    assert not data.is_fallback and datasets.sha256(isolated_data_dir / "mnist.npz") == source.sha256


def test_download_with_wrong_hash_is_refused(server, digit_images, capsys):
    served, url = server
    good = _npz_source(served, url, digit_images)
    tampered = Source(good.fname, good.url, "0" * 64, good.description)
    data = datasets.load_mnist(tampered)
    out = capsys.readouterr().out
    assert data.is_fallback and "corrupted" in out.lower()


def test_offline_uses_the_labelled_fallback(isolated_data_dir, capsys):
    offline = Source("mnist.npz", "http://127.0.0.1:9/mnist.npz", "0" * 64, "MNIST")
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / "mnist.npz").write_bytes(b"corrupt")
    data = datasets.load_mnist(offline)
    out = capsys.readouterr().out
    assert "corrupted" in out and "is not available" in out and "uses instead" in out and "--fetch-all" in out
    assert data.is_fallback and data.name.startswith("FALLBACK") and data.label.startswith("FALLBACK")
    # Not deleted (another process may be replacing it right now), never used, and no temporary file is left.
    assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["mnist.npz"]


def test_digits_fallback_looks_like_mnist():
    data = datasets.load_digits_fallback()
    assert data.x_train.shape[1:] == (28, 28) and data.x_train.dtype == np.uint8
    assert len(data.x_train) + len(data.x_test) == 1797
    assert data.x_train[:, :4].max() == 0 and data.x_train[:, 4:24, 4:24].max() == 255  # centred, MNIST-like margins
    assert set(np.unique(data.y_test)) == set(range(10))


def test_text_real_file_and_bad_files(shakespeare, tmp_path):
    path = shakespeare
    assert datasets.sha256(path) == datasets.SOURCES["shakespeare"].sha256
    text = datasets.read_text_corpus(path)
    assert text.startswith("First Citizen:")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(ValueError, match="0 words"):
        datasets.read_text_corpus(tmp_path / "empty.txt")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01" * 1000)
    with pytest.raises(ValueError, match="binary"):
        datasets.read_text_corpus(tmp_path / "bin.txt")


def test_text_offline_fallback(capsys):
    offline = Source("shakespeare.txt", "http://127.0.0.1:9/s.txt", "0" * 64, "tiny Shakespeare")
    data = datasets.load_shakespeare(offline)
    assert data.is_fallback and "pydoc_data" in data.name and data.label.startswith("FALLBACK")
    assert len(data.text.split()) > 50_000
    assert "uses instead" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["truncated", "tampered"])
def test_truncated_or_tampered_cache_is_replaced(server, digit_images, isolated_data_dir, capsys, damage):
    served, url = server
    source = _npz_source(served, url, digit_images)
    good = (served / "mnist.npz").read_bytes()
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    if damage == "truncated":  # an interrupted copy: the first half of the real file
        bad = good[: len(good) // 2]
    else:  # same size, one byte changed: only the hash can tell
        bad = good[:1000] + bytes([good[1000] ^ 0xFF]) + good[1001:]
    (isolated_data_dir / "mnist.npz").write_bytes(bad)
    data = datasets.load_mnist(source)
    assert "corrupted or incomplete" in capsys.readouterr().out
    assert not data.is_fallback and (isolated_data_dir / "mnist.npz").read_bytes() == good
