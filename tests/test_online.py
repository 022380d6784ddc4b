"""The course's downloads from their real addresses (make test-online; skipped without --online): each file
arrives, passes its hash, and serves a machine without the network afterwards. About 300 MB into a temporary folder."""

import os
import subprocess
import sys

import pytest

from course_utils import datasets

pytestmark = pytest.mark.online

DEAD_PROXY = "http://127.0.0.1:9"


def test_the_loaders_download_the_real_data(tmp_path, monkeypatch, capsys):
    """What notebooks 05-10 call, on a fresh data folder: the real files, not the fallbacks."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    digits = datasets.load_mnist()
    text = datasets.load_shakespeare()
    out = capsys.readouterr().out
    assert "is not available" not in out, out
    assert not digits.is_fallback and digits.x_train.shape == (60000, 28, 28) and digits.x_test.shape == (10000, 28, 28)
    assert not text.is_fallback and text.text.startswith("First Citizen")
    for source in (datasets.SOURCES["mnist"], datasets.SOURCES["shakespeare"]):
        assert datasets.sha256(tmp_path / source.fname) == source.sha256


_OFFLINE_USE = """
import keras
from course_utils import datasets
assert not datasets.load_mnist().is_fallback
assert not datasets.load_shakespeare().is_fallback
flowers = datasets.load_flowers(32, 5)
assert flowers is not None and len(flowers[2]) == 5, flowers
base = keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
print("offline ok", len(flowers[0]), base.count_params())
"""


def test_prefetch_everything_then_use_it_offline(tmp_path):
    """The cluster recipe (README, "On a cluster or offline"): fetch everything on a machine with the Internet, then
    use the folder on one without it (downloads go to a dead proxy there)."""
    dest = tmp_path / "prefetched"
    cmd = [sys.executable, "-m", "course_utils.datasets", "--fetch-all", "--to", str(dest)]
    fetched = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    assert fetched.returncode == 0, fetched.stdout[-3000:] + fetched.stderr[-2000:]
    assert fetched.stdout.count("downloaded, verified") == 4, fetched.stdout
    proxies = {name: DEAD_PROXY for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}
    env = {**os.environ, **proxies, "COURSE_DATA_DIR": str(dest), "KERAS_HOME": str(dest / "keras")}
    offline = subprocess.run([sys.executable, "-c", _OFFLINE_USE], env=env, capture_output=True, text=True, timeout=600)
    assert offline.returncode == 0, offline.stdout[-2000:] + offline.stderr[-3000:]
    assert "offline ok" in offline.stdout and "is not available" not in offline.stdout, offline.stdout
