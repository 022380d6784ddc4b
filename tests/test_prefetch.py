"""The cluster prefetch command (`python -m course_utils.datasets --fetch-all --to DIR`, course_utils/prefetch.py)."""

import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from course_utils import datasets, prefetch
from course_utils.datasets import Source


def _archive(tmp_path) -> Path:
    """A small flower-photos-like archive: one class folder with one file."""
    (tmp_path / "src" / "roses").mkdir(parents=True)
    (tmp_path / "src" / "roses" / "a.jpg").write_bytes(b"jpeg")
    archive = tmp_path / "photos.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "src", arcname="photos")
    return archive


def test_vgg16_weights_constants_match_the_installed_keras():
    from keras.src.applications import vgg16

    source = Path(vgg16.__file__).read_text()
    w = prefetch.VGG16_NOTOP
    assert w.url == vgg16.WEIGHTS_PATH_NO_TOP
    assert f'"{w.fname}"' in source and f'file_hash="{w.md5}"' in source and f'cache_subdir="{w.subdir}"' in source


def test_prefetch_cli_real_file_then_offline_use(server, shakespeare, tmp_path):
    served, url = server
    real = shakespeare.read_bytes()
    (served / "shakespeare.txt").write_bytes(real)  # the real file, so the real SHA-256 of the course applies
    dest = tmp_path / "prefetched"
    cmd = [sys.executable, "-m", "course_utils.datasets", "--fetch-all", "--to", str(dest), "--only", "shakespeare"]
    result = subprocess.run([*cmd, "--mirror", url], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "downloaded, verified" in result.stdout and "1.1 MB" in result.stdout
    assert f"export COURSE_DATA_DIR={dest}" in result.stdout and f"KERAS_HOME={dest / 'keras'}" in result.stdout
    assert (dest / "shakespeare.txt").read_bytes() == real
    again = subprocess.run([*cmd, "--mirror", "http://127.0.0.1:9"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "already there, verified" in again.stdout, again.stdout
    # The offline machine: the course's real URL cannot be reached, the prefetched copy is used.
    code = (
        "from course_utils import datasets\n"
        "s = datasets.SOURCES['shakespeare']\n"
        "offline = datasets.Source(s.fname, 'http://127.0.0.1:9/shakespeare.txt', s.sha256, s.description)\n"
        "data = datasets.load_shakespeare(offline)\n"
        "assert not data.is_fallback and data.text.startswith('First Citizen'), data.name\n"
    )
    env = {**os.environ, "COURSE_DATA_DIR": str(dest)}
    offline = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert offline.returncode == 0, offline.stderr[-2000:]


def test_prefetch_keras_weights_land_in_keras_cache_layout(server, tmp_path, monkeypatch, capsys):
    import keras

    served, url = server
    payload = Path(prefetch.__file__).read_bytes()  # a real small file standing in for the 58 MB weights
    md5 = hashlib.md5(payload).hexdigest()
    fake = prefetch.KerasWeights(prefetch.VGG16_NOTOP.fname, "unused", md5, "models", "VGG16 (test copy)")
    monkeypatch.setattr(prefetch, "VGG16_NOTOP", fake)
    (served / fake.fname).write_bytes(payload)
    rows = prefetch.fetch_all(tmp_path / "pre", only=["vgg16"], mirror=url)
    assert rows[0]["status"] == "downloaded, verified", rows
    # Keras finds it there with KERAS_HOME=DIR/keras (cache_dir is what KERAS_HOME sets), without the network.
    found = keras.utils.get_file(
        fake.fname,
        "http://127.0.0.1:9/none.h5",
        cache_subdir="models",
        file_hash=md5,
        cache_dir=str(tmp_path / "pre" / "keras"),
    )
    assert Path(found).read_bytes() == payload


def test_prefetch_reports_failures_and_unpacks_archives(server, tmp_path, monkeypatch, capsys):
    served, url = server
    archive = _archive(tmp_path)
    (served / "flower_photos.tgz").write_bytes(archive.read_bytes())
    flowers = Source("flower_photos.tgz", "unused", datasets.sha256(archive), "flowers (test copy)")
    monkeypatch.setitem(datasets.SOURCES, "flowers", flowers)
    rows = prefetch.fetch_all(tmp_path / "pre", only=["flowers", "mnist"], mirror=url)
    status = {row["name"]: row["status"] for row in rows}
    assert status["flowers"] == "downloaded, verified, unpacked (2 files)", status
    assert status["mnist"].startswith("FAILED") and "404" in status["mnist"]
    out = capsys.readouterr().out
    assert "1 file(s) failed: mnist" in out and "rerun" in out
    with pytest.raises(SystemExit, match="choose among"):
        prefetch.fetch_all(tmp_path / "pre", only=["imagenet"])
