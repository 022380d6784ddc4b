"""Every path of the datasets layer: real files, download, corrupted cache, offline, fallback."""

import functools
import gzip
import hashlib
import http.server
import os
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest

from course_utils import datasets
from course_utils.datasets import Source


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def mnist_test_set(shared_data):
    folder = shared_data / "mnist-test"
    images = datasets.read_idx(folder / "t10k-images-idx3-ubyte.gz")
    labels = datasets.read_idx(folder / "t10k-labels-idx1-ubyte.gz")
    return images, labels


def test_read_idx_real_mnist_test_set(mnist_test_set):
    images, labels = mnist_test_set
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and set(np.unique(labels)) == set(range(10))
    assert labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]  # the well-known first test labels


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


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_downloads_are_readable_as_the_umask_allows(server, digit_images, isolated_data_dir, umask, mode):
    """A prefetched folder is often shared: a download gets a created file's permissions, not mkstemp's 0600."""
    served, url = server
    old = os.umask(umask)
    try:
        path = datasets.fetch(_npz_source(served, url, digit_images))
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode


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


def test_text_real_file_and_bad_files(shared_data, tmp_path):
    path = shared_data / "text" / "tinyshakespeare.txt"
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


# ---------------------------------------------------------------------------- caches under faults and concurrency


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


class _SlowHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files in 64 KiB pieces; ``truncate`` sends half the body under the full Content-Length."""

    barrier: threading.Barrier | None = None
    truncate = False

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        if self.barrier is not None:
            self.barrier.wait()  # every client is connected before any byte of the body is sent
        data = source.read()
        if self.truncate:
            data = data[: len(data) // 2]
        for i in range(0, len(data), 1 << 16):
            outputfile.write(data[i : i + (1 << 16)])
            outputfile.flush()
            threading.Event().wait(0.005)


@pytest.fixture
def slow_server(tmp_path):
    root = tmp_path / "slow"
    root.mkdir()
    handler_cls = type("Handler", (_SlowHandler,), {})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_cls, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}", handler_cls
    httpd.shutdown()


_FETCH_IN_A_PROCESS = """
import sys
import numpy as np
from course_utils import datasets
source = datasets.Source("mnist.npz", sys.argv[1], sys.argv[2], "MNIST (test copy)")
path = datasets.fetch(source)
assert datasets.sha256(path) == sys.argv[2], "the file this process ended with is not the verified one"
with np.load(path, allow_pickle=False) as f:
    print("ok", f["x_train"].shape)
"""


def test_two_processes_fetching_at_once_both_end_with_the_verified_file(slow_server, digit_images, isolated_data_dir):
    root, url, handler_cls = slow_server
    images, labels = digit_images
    images = np.tile(images, (2, 1, 1))  # about 3 MB: the downloads overlap for a while
    np.savez(root / "mnist.npz", x_train=images, y_train=np.tile(labels, 2), x_test=images[:10], y_test=labels[:10])
    expected = datasets.sha256(root / "mnist.npz")
    handler_cls.barrier = threading.Barrier(2, timeout=60)  # both requests are in flight at the same time
    env = {**os.environ, "COURSE_DATA_DIR": str(isolated_data_dir)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _FETCH_IN_A_PROCESS, f"{url}/mnist.npz", expected],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err[-2000:]
        assert "ok (3594, 28, 28)" in out
    assert datasets.sha256(isolated_data_dir / "mnist.npz") == expected
    assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["mnist.npz"], "no temporary file is left behind"


def test_interrupted_download_leaves_nothing_and_says_why(slow_server, isolated_data_dir):
    root, url, handler_cls = slow_server
    handler_cls.truncate = True
    (root / "shakespeare.txt").write_bytes(b"To be, or not to be. " * 50_000)
    expected = hashlib.sha256((root / "shakespeare.txt").read_bytes()).hexdigest()
    source = Source("shakespeare.txt", f"{url}/shakespeare.txt", expected, "tiny Shakespeare")
    with pytest.raises(datasets.DownloadError, match="incomplete: received 525,000 of 1,050,000 bytes"):
        datasets.fetch(source)
    assert list(isolated_data_dir.iterdir()) == [], "neither a partial file nor a temporary one is left"


# ---------------------------------------------------------------------------- archives


def _archive(tmp_path, add) -> Path:
    (tmp_path / "src" / "roses").mkdir(parents=True)
    (tmp_path / "src" / "roses" / "a.jpg").write_bytes(b"jpeg")
    archive = tmp_path / "photos.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "src", arcname="photos")
        add(tar)
    return archive


def _link(kind, name, target):
    def add(tar):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = target
        tar.addfile(info)

    return add


def _plain(name):
    def add(tar):
        import io

        info = tarfile.TarInfo(name)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))

    return add


UNSAFE = {
    "symlink outside": (_link(tarfile.SYMTYPE, "photos/escape", "/etc/passwd"), "symbolic link"),
    "symlink inside": (_link(tarfile.SYMTYPE, "photos/alias", "roses/a.jpg"), "symbolic link"),
    "hard link": (_link(tarfile.LNKTYPE, "photos/hard", "photos/roses/a.jpg"), "hard link"),
    "parent path": (_plain("photos/../../evil.txt"), "outside its folder"),
    "absolute path": (_plain("/tmp/evil.txt"), "outside its folder"),
}


@pytest.mark.parametrize("with_filters", [True, False], ids=["tarfile filters", "Python without filters"])
@pytest.mark.parametrize("case", list(UNSAFE))
def test_unsafe_archives_are_refused(tmp_path, monkeypatch, case, with_filters):
    if not with_filters:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    add, words = UNSAFE[case]
    archive = _archive(tmp_path, add)
    with pytest.raises(datasets.UnsafeArchiveError, match=words):
        datasets.extract(archive)
    assert not archive.with_suffix("").exists(), "nothing of a refused archive is unpacked"
    assert not (tmp_path.parent / "evil.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")], "the temporary folder is removed"


@pytest.mark.parametrize("with_filters", [True, False], ids=["tarfile filters", "Python without filters"])
def test_safe_archive_unpacks_once_atomically(tmp_path, monkeypatch, with_filters):
    if not with_filters:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    archive = _archive(tmp_path, lambda tar: None)
    half = archive.with_suffix("")
    (half / "photos").mkdir(parents=True)  # a half-unpacked folder from an interrupted older run
    folder = datasets.extract(archive)
    assert (folder / "photos" / "roses" / "a.jpg").read_bytes() == b"jpeg" and (folder / ".complete").exists()
    assert datasets.extract(archive) == folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos", "photos.tgz", "src"], "no temporary folder is left"


# ---------------------------------------------------------------------------- prefetch for offline machines


def test_vgg16_weights_constants_match_the_installed_keras():
    from keras.src.applications import vgg16

    source = Path(vgg16.__file__).read_text()
    w = datasets.VGG16_NOTOP
    assert w.url == vgg16.WEIGHTS_PATH_NO_TOP
    assert f'"{w.fname}"' in source and f'file_hash="{w.md5}"' in source and f'cache_subdir="{w.subdir}"' in source


def test_prefetch_cli_real_file_then_offline_use(server, shared_data, tmp_path):
    served, url = server
    real = (shared_data / "text" / "tinyshakespeare.txt").read_bytes()
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
    payload = Path(datasets.__file__).read_bytes()  # a real small file standing in for the 58 MB weights
    md5 = hashlib.md5(payload).hexdigest()
    fake = datasets.KerasWeights(datasets.VGG16_NOTOP.fname, "unused", md5, "models", "VGG16 (test copy)")
    monkeypatch.setattr(datasets, "VGG16_NOTOP", fake)
    (served / fake.fname).write_bytes(payload)
    rows = datasets.fetch_all(tmp_path / "pre", only=["vgg16"], mirror=url)
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
    archive = _archive(tmp_path, lambda tar: None)
    (served / "flower_photos.tgz").write_bytes(archive.read_bytes())
    flowers = Source("flower_photos.tgz", "unused", datasets.sha256(archive), "flowers (test copy)")
    monkeypatch.setitem(datasets.SOURCES, "flowers", flowers)
    rows = datasets.fetch_all(tmp_path / "pre", only=["flowers", "mnist"], mirror=url)
    status = {row["name"]: row["status"] for row in rows}
    assert status["flowers"] == "downloaded, verified, unpacked (2 files)", status
    assert status["mnist"].startswith("FAILED") and "404" in status["mnist"]
    out = capsys.readouterr().out
    assert "1 file(s) failed: mnist" in out and "rerun" in out
    with pytest.raises(SystemExit, match="choose among"):
        datasets.fetch_all(tmp_path / "pre", only=["imagenet"])
