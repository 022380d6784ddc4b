"""Verified, atomic downloads into the course's data folder.

* :func:`data_dir` is where files go: ``$COURSE_DATA_DIR``, else the checkout's ``data/``, else ``~/course_data``;
* :func:`download` writes to a temporary file in the same folder, hashes the bytes as they arrive, and renames the
  file over its target only once its hash is right: two kernels fetching the same file at once both end with the
  verified file, and no process ever deletes or truncates a file another one is reading or writing;
* :func:`cached_or_download` never trusts a cached file whose hash is wrong (truncated, corrupted, tampered): it
  reports it and replaces it by a fresh verified download.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ENV_VAR = "COURSE_DATA_DIR"
TIMEOUT_S = 30  # per network operation: a firewalled node fails in seconds instead of hanging


class DownloadError(RuntimeError):
    """The real source could not be fetched (offline, blocked, or a corrupted download)."""


def data_dir() -> Path:
    """The course's data folder: ``$COURSE_DATA_DIR``, else ``data/`` of a checkout, else ``~/course_data``."""
    if os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR]).expanduser()
    else:
        checkout = Path(__file__).resolve().parent.parent / "data"
        path = checkout if (checkout / "README.md").exists() else Path.home() / "course_data"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_hash(path: Path, algorithm: str = "sha256") -> str:
    """Hex digest of a file (``sha256`` or ``md5``), read in chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    return file_hash(path, "sha256")


class _Progress:
    """A one-line progress bar (``\\r``-updated: works in a terminal and in Jupyter), at most 10 updates a second."""

    def __init__(self, label: str, total: int | None, stream=None):
        self.label, self.total, self.stream = label, total, stream or sys.stdout
        self.done, self.start, self.last = 0, time.perf_counter(), 0.0

    def update(self, n: int, final: bool = False) -> None:
        self.done += n
        now = time.perf_counter()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        mb = self.done / 1e6
        rate = mb / max(now - self.start, 1e-9)
        if self.total:
            frac = min(self.done / self.total, 1.0)
            bar = "█" * int(frac * 30) + "·" * (30 - int(frac * 30))
            text = f"{self.label} {bar} {mb:7.1f} / {self.total / 1e6:.1f} MB  {rate:5.1f} MB/s"
        else:
            text = f"{self.label} {mb:7.1f} MB  {rate:5.1f} MB/s"
        self.stream.write("\r" + text + ("\n" if final else ""))
        self.stream.flush()


def download(url: str, target: Path, expected: str, algorithm: str = "sha256", progress: bool = True) -> Path:
    """Download ``url`` to ``target`` atomically and check its hash; return ``target``.

    The bytes go to a temporary file in ``target``'s folder (same file system), hashed as they arrive;
    only a file with the expected hash is renamed over ``target`` (``os.replace``, atomic on POSIX and
    Windows). A reader of ``target`` therefore sees the old complete file or the new complete file, never
    a part, and two processes downloading at once both end with the verified file. Raises
    :class:`DownloadError` with the reason otherwise; the temporary file is always removed.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as err:  # a read-only copy, a full disk
        raise DownloadError(
            f"cannot write to {target.parent} ({err.strerror or err}); set {ENV_VAR} to a writable folder"
        ) from err
    tmp = Path(tmp_name)
    digest = hashlib.new(algorithm)
    length = None
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:  # noqa: S310 - fixed https URLs
                    length = response.headers.get("Content-Length")
                    bar = _Progress(target.name, int(length) if length else None) if progress else None
                    for chunk in iter(lambda: response.read(1 << 20), b""):
                        out.write(chunk)
                        digest.update(chunk)
                        if bar:
                            bar.update(len(chunk))
                    if bar:
                        bar.update(0, final=True)
            except urllib.error.HTTPError as err:
                raise DownloadError(f"could not download {url} (HTTP {err.code} {err.reason})") from err
            except (OSError, http.client.HTTPException, ValueError) as err:  # URLError and timeouts are OSErrors
                reason = getattr(err, "reason", None) or err
                raise DownloadError(f"could not download {url} ({reason})") from err
        received = tmp.stat().st_size
        if length and received != int(length):
            raise DownloadError(
                f"the download of {url} is incomplete: received {received:,} of {int(length):,} bytes "
                "(the connection dropped). Run the cell again."
            )
        if digest.hexdigest() != expected:
            raise DownloadError(
                f"the file downloaded from {url} is corrupted or incomplete: its {algorithm} is "
                f"{digest.hexdigest()[:12]}…, expected {expected[:12]}… (try again; if it persists the source changed)"
            )
        _readable_by_others(tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target


def _readable_by_others(path: Path) -> None:
    """Give a finished download the permissions of a file the user creates (``mkstemp`` makes it 0600).

    A prefetched folder is often shared (a group's folder on a cluster): its files must be readable as the
    umask allows, like any file the user writes.
    """
    with contextlib.suppress(OSError):
        path.chmod(0o666 & ~_umask())


def _umask() -> int:
    """The process's umask, read without changing it (Linux reports it in /proc); elsewhere set and restored."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def cached_or_download(url: str, target: Path, expected: str, algorithm: str = "sha256") -> Path:
    """``target`` when it exists with the expected hash, else a fresh atomic :func:`download`.

    A cached file with the wrong hash (truncated, corrupted, tampered) is reported and never used; it is
    not deleted: the verified download replaces it in one rename (another process may be reading it).
    """
    target = Path(target)
    if target.exists():
        if file_hash(target, algorithm) == expected:
            return target
        print(
            f"⚠ {target} is corrupted or incomplete (its {algorithm} does not match): fetching it again. "
            "It is not used; a verified download replaces it."
        )
    return download(url, target, expected, algorithm)
