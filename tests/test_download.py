"""Verified atomic downloads (course_utils/download.py): permissions, concurrency, interruptions, a bad cache."""

import functools
import hashlib
import http.server
import os
import subprocess
import sys
import threading

import pytest

from course_utils import download


@pytest.fixture
def payload():
    """About 3 MB of bytes that compress badly (the downloads overlap for a while), and their SHA-256."""
    data = os.urandom(3_000_000)
    return data, hashlib.sha256(data).hexdigest()


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_data_dir_is_the_environment_variable_when_set(isolated_data_dir):
    assert download.data_dir() == isolated_data_dir and isolated_data_dir.is_dir()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_downloads_are_readable_as_the_umask_allows(server, payload, isolated_data_dir, umask, mode):
    """A prefetched folder is often shared: a download gets a created file's permissions, not mkstemp's 0600."""
    served, url = server
    (served / "f.bin").write_bytes(payload[0])
    old = os.umask(umask)
    try:
        path = download.download(f"{url}/f.bin", isolated_data_dir / "f.bin", payload[1], progress=False)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode and path.read_bytes() == payload[0]


def test_a_verified_cache_is_used_and_a_wrong_one_replaced(server, payload, isolated_data_dir, capsys):
    served, url = server
    (served / "f.bin").write_bytes(payload[0])
    target = isolated_data_dir / "f.bin"
    isolated_data_dir.mkdir(parents=True)
    target.write_bytes(payload[0][:1000])  # an interrupted copy
    download.cached_or_download(f"{url}/f.bin", target, payload[1])
    assert "corrupted or incomplete" in capsys.readouterr().out and target.read_bytes() == payload[0]
    (served / "f.bin").unlink()  # the server no longer has it: the verified cache must serve
    assert download.cached_or_download(f"{url}/f.bin", target, payload[1]) == target


def test_a_wrong_hash_is_refused_and_nothing_is_kept(server, payload, isolated_data_dir):
    served, url = server
    (served / "f.bin").write_bytes(payload[0])
    with pytest.raises(download.DownloadError, match="corrupted or incomplete: its sha256"):
        download.download(f"{url}/f.bin", isolated_data_dir / "f.bin", "0" * 64, progress=False)
    assert list(isolated_data_dir.iterdir()) == []


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
from course_utils import download
path = download.cached_or_download(sys.argv[1], download.data_dir() / "f.bin", sys.argv[2])
assert download.sha256(path) == sys.argv[2], "the file this process ended with is not the verified one"
print("ok", path.stat().st_size)
"""


def test_two_processes_fetching_at_once_both_end_with_the_verified_file(slow_server, payload, isolated_data_dir):
    root, url, handler_cls = slow_server
    (root / "f.bin").write_bytes(payload[0])
    handler_cls.barrier = threading.Barrier(2, timeout=60)  # both requests are in flight at the same time
    env = {**os.environ, "COURSE_DATA_DIR": str(isolated_data_dir)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _FETCH_IN_A_PROCESS, f"{url}/f.bin", payload[1]],
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
        assert f"ok {len(payload[0])}" in out
    assert (isolated_data_dir / "f.bin").read_bytes() == payload[0]
    assert sorted(p.name for p in isolated_data_dir.iterdir()) == ["f.bin"], "no temporary file is left behind"


def test_interrupted_download_leaves_nothing_and_says_why(slow_server, isolated_data_dir):
    root, url, handler_cls = slow_server
    handler_cls.truncate = True
    (root / "shakespeare.txt").write_bytes(b"To be, or not to be. " * 50_000)
    expected = hashlib.sha256((root / "shakespeare.txt").read_bytes()).hexdigest()
    with pytest.raises(download.DownloadError, match="incomplete: received 525,000 of 1,050,000 bytes"):
        download.cached_or_download(f"{url}/shakespeare.txt", isolated_data_dir / "shakespeare.txt", expected)
    assert list(isolated_data_dir.iterdir()) == [], "neither a partial file nor a temporary one is left"


def test_a_read_only_folder_says_which_variable_to_set(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(download.tempfile, "mkstemp", read_only)
    with pytest.raises(download.DownloadError, match="set COURSE_DATA_DIR to a writable folder"):
        download.download("http://127.0.0.1:9/f.bin", tmp_path / "f.bin", "0" * 64, progress=False)
