"""The course's datasets: the real source first, verified and cached; a labelled fallback offline.

Design, the same for every dataset:

* the real file is downloaded (with a progress bar) into :func:`data_dir`
  (``$COURSE_DATA_DIR`` or the checkout's ``data/``) and checked against its SHA-256;
* a download lands atomically: it is written to a temporary file in the same folder and
  renamed over the target only once its hash is right, so that two kernels fetching the same
  file at once both end with the verified file, and no process ever deletes or truncates a file
  another one is reading or writing;
* a cached file whose hash is wrong (truncated, corrupted, tampered) is reported and replaced by
  a fresh download; it is never trusted;
* offline (or when the download fails), a clear message says what failed and what the
  course uses instead, then a *real* fallback that ships with a package is loaded, and
  the returned object says so (``is_fallback``, ``name``) so plots and results carry it;
* archives are unpacked with ``tarfile``'s ``data`` filter, and an archive holding a link or a
  path outside its folder is refused (also on Pythons without the filter);
* nothing is loaded with pickle (``np.load(..., allow_pickle=False)``).

For a machine without internet (a cluster's GPU node), fetch everything on a machine with it::

    python -m course_utils.datasets --fetch-all --to /shared/course_data

then set ``COURSE_DATA_DIR=/shared/course_data`` and ``KERAS_HOME=/shared/course_data/keras``
on the offline machine (see the README, "On a cluster or offline").
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import http.client
import os
import shutil
import struct
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENV_VAR = "COURSE_DATA_DIR"
TIMEOUT_S = 30  # per network operation: a firewalled node fails in seconds instead of hanging


@dataclass(frozen=True)
class Source:
    """A downloadable file: where it lives, its name in the cache, its SHA-256."""

    fname: str
    url: str
    sha256: str
    description: str


SOURCES: dict[str, Source] = {
    "mnist": Source(
        "mnist.npz",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
        "MNIST, 70,000 handwritten digits 28×28 (the file keras.datasets.mnist downloads)",
    ),
    "flowers": Source(
        "flower_photos.tgz",
        "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz",
        "4c54ace7911aaffe13a365c34f650e71dd5bf1be0a58b464e5a7183e3e595d9c",  # TFDS's checksum of tf_flowers
        "TensorFlow's flower photos, 3,670 photos of 5 flowers (218 MB)",
    ),
    "shakespeare": Source(
        "shakespeare.txt",
        "https://storage.googleapis.com/download.tensorflow.org/data/shakespeare.txt",
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
        "tiny Shakespeare, 1.1 MB of plays (TensorFlow's text-generation tutorial)",
    ),
}


@dataclass(frozen=True)
class KerasWeights:
    """A weights file that Keras downloads itself into ``$KERAS_HOME/<subdir>/<fname>``, checked by its MD5."""

    fname: str
    url: str
    md5: str
    subdir: str
    description: str


# keras/src/applications/vgg16.py (Keras 3.13-3.15): the no-top weights, their file name and the MD5 Keras
# checks. tests/test_datasets.py compares these with the installed Keras.
VGG16_NOTOP = KerasWeights(
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "6d6bbae143d832006294945121d1f1fc",
    "models",
    "VGG16's ImageNet weights without the classifier (58 MB, keras.applications.VGG16(include_top=False))",
)
KERAS_HOME_SUBDIR = "keras"  # the prefetched folder's Keras cache: point KERAS_HOME at DIR/keras


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


def fetch(source: Source) -> Path:
    """The verified local copy of ``source``: from the cache, else downloaded (with a progress bar).

    Raises :class:`DownloadError` with the reason when the file cannot be had.
    """
    return cached_or_download(source.url, data_dir() / source.fname, source.sha256)


def _offline_notice(source: Source, err: Exception, fallback: str) -> None:
    print(
        f"⚠ {source.description} is not available: {err}.\n"
        f"  The course uses instead: {fallback}. Results below are labelled with it.\n"
        f"  To get the real data: connect to the internet and rerun, or run "
        f"`python -m course_utils.datasets --fetch-all --to DIR` on a machine with internet and set "
        f"{ENV_VAR}=DIR here, or copy {source.fname} (SHA-256 {source.sha256[:12]}…) into {data_dir()}."
    )


# ---------------------------------------------------------------------------- digits


@dataclass
class ImageData:
    """Train and test images (uint8, N×H×W) with integer labels, and where they come from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    name: str
    is_fallback: bool = False

    @property
    def label(self) -> str:
        """A short name for plot titles and table captions, which still says FALLBACK when it is one."""
        return "FALLBACK digits (scikit-learn's, not MNIST)" if self.is_fallback else self.name

    def __repr__(self) -> str:
        return (
            f"{self.name}: {len(self.x_train):,} training and {len(self.x_test):,} test images "
            f"of {self.x_train.shape[1]}×{self.x_train.shape[2]}"
        )


DIGITS_FALLBACK = "FALLBACK: scikit-learn's 1,797 8×8 digits, upsampled to 28×28 (not MNIST)"


def load_mnist(source: Source = SOURCES["mnist"]) -> ImageData:
    """MNIST from its real source; offline, scikit-learn's digits upsampled to 28×28, labelled as such."""
    try:
        path = fetch(source)
    except DownloadError as err:
        _offline_notice(source, err, DIGITS_FALLBACK)
        return load_digits_fallback()
    with np.load(path, allow_pickle=False) as f:
        return ImageData(f["x_train"], f["y_train"], f["x_test"], f["y_test"], "MNIST")


def load_digits_fallback(test_fraction: float = 0.2, seed: int = 0) -> ImageData:
    """The 1,797 handwritten 8×8 digits of scikit-learn, upsampled to 20×20 and centred in 28×28 like MNIST."""
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits

    digits = load_digits()
    big = zoom(digits.images, (1, 2.5, 2.5), order=1)  # 8×8 → 20×20, bilinear
    images = np.zeros((len(big), 28, 28), dtype=np.uint8)
    images[:, 4:24, 4:24] = np.clip(big / 16.0 * 255.0, 0, 255).astype(np.uint8)
    order = np.random.default_rng(seed).permutation(len(images))
    n_test = int(len(images) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    labels = digits.target.astype(np.uint8)
    return ImageData(images[train], labels[train], images[test], labels[test], DIGITS_FALLBACK, is_fallback=True)


def read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (MNIST's original format), gzipped or not."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes (header {data[:4].hex()})")
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"{path} is truncated: expected {int(np.prod(shape))} values, found {array.size}")
    return array.reshape(shape)


# ---------------------------------------------------------------------------- text


@dataclass
class TextData:
    """A text corpus and where it comes from."""

    text: str
    name: str
    is_fallback: bool = False

    @property
    def label(self) -> str:
        """A short name for plot titles and captions, which still says FALLBACK when it is one."""
        return "FALLBACK text (Python's docs, not Shakespeare)" if self.is_fallback else self.name

    def __repr__(self) -> str:
        return f"{self.name}: {len(self.text):,} characters, {len(self.text.split()):,} words"


TEXT_FALLBACK = "FALLBACK: Python's own documentation (pydoc_data.topics), not Shakespeare"


def read_text_corpus(path: Path, min_words: int = 1000) -> str:
    """Read a UTF-8 text file; an empty, binary or too-short file gets a message that says what to do."""
    raw = Path(path).read_bytes()
    if b"\x00" in raw[:65536]:
        raise ValueError(f"{path} looks binary, not text (it contains NUL bytes). Point the loader at a .txt file.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path} is not UTF-8 text ({err}). Convert it, e.g. `iconv -t UTF-8`.") from err
    words = len(text.split())
    if words < min_words:
        raise ValueError(f"{path} has {words} words; a language model needs at least {min_words}. Use a larger corpus.")
    return text


def load_shakespeare(source: Source = SOURCES["shakespeare"]) -> TextData:
    """Tiny Shakespeare from its real source; offline, Python's documentation text, labelled as such."""
    try:
        path = fetch(source)
    except DownloadError as err:
        _offline_notice(source, err, TEXT_FALLBACK)
        return load_text_fallback()
    return TextData(read_text_corpus(path), "tiny Shakespeare")


def load_text_fallback() -> TextData:
    """Python's own documentation (the text of ``help()`` topics), which ships with every Python."""
    from pydoc_data.topics import topics

    return TextData("\n\n".join(topics[key] for key in sorted(topics)), TEXT_FALLBACK, is_fallback=True)


# ---------------------------------------------------------------------------- photos


class UnsafeArchiveError(ValueError):
    """An archive holds a link, a special file, or a path outside its folder: it is not unpacked."""


def check_archive_members(members, archive: Path) -> None:
    """Refuse any member that is not a plain file or folder inside the archive's folder.

    Links (symbolic or hard) are refused outright, even when they point inside: the course's archives hold
    none, and a link is how an archive escapes its folder. This runs on every Python, before extraction;
    where ``tarfile`` has filters (3.11.4+, 3.12+), extraction also uses its ``data`` filter.
    """
    from pathlib import PurePosixPath, PureWindowsPath

    for member in members:
        name = member.name
        if member.issym() or member.islnk():
            kind = "symbolic link" if member.issym() else "hard link"
            raise UnsafeArchiveError(
                f"{archive} holds a {kind} ({name} -> {member.linkname}); the course does not unpack archives with "
                f"links. Delete {archive} and download it again from its source."
            )
        if not (member.isfile() or member.isdir()):
            raise UnsafeArchiveError(f"{archive} holds a special file ({name}); delete it and download it again.")
        posix, windows = PurePosixPath(name), PureWindowsPath(name)
        if (
            posix.is_absolute()
            or windows.is_absolute()
            or windows.drive
            or ".." in posix.parts
            or ".." in windows.parts
        ):
            raise UnsafeArchiveError(
                f"{archive} holds a path outside its folder ({name}); delete it and download it again from its source."
            )


def extract(archive: Path) -> Path:
    """Unpack a verified ``.tgz`` next to itself once; return the folder it created.

    The archive is unpacked into a temporary folder beside it, marked complete, then renamed to its final
    name in one step: another process sees either no folder or a complete one. When two processes unpack at
    once, the first rename wins and the other discards its copy.
    """
    import tarfile

    archive = Path(archive)
    target = archive.with_suffix("")
    if (target / ".complete").exists():
        return target
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=archive.parent))
    try:
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            check_archive_members(members, archive)
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+/3.12+: the standard library's own checks too
                tar.extractall(tmp, members=members, filter="data")
            else:
                tar.extractall(tmp, members=members)  # noqa: S202 - members checked above
        (tmp / ".complete").write_text("ok")
        if target.exists() and not (target / ".complete").exists():  # left half-unpacked by an older version
            stale = target.with_name(f".{target.name}.stale-{os.getpid()}")
            os.rename(target, stale)
            shutil.rmtree(stale, ignore_errors=True)
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / ".complete").exists():  # not another process's complete copy: a real error
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def check_image_folder(folder: Path) -> list[str]:
    """Class names of an image folder (one sub-folder per class); a clear error when it cannot train a classifier."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder. Point it at a folder with one sub-folder of images per class.")
    classes = sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.iterdir()))
    if len(classes) < 2:
        raise ValueError(
            f"{folder} has {len(classes)} class folder(s) with images; a classifier needs at least 2 "
            f"(one sub-folder per class, e.g. {folder}/roses/*.jpg and {folder}/tulips/*.jpg)."
        )
    return classes


def load_flowers(image_size: int, max_per_class: int | None = None, source: Source = SOURCES["flowers"]):
    """TensorFlow's flower photos as uint8 arrays ``(x, y, class_names)``, or ``None`` when unavailable.

    Unreadable image files are skipped and counted, not fatal.
    """
    try:
        archive = fetch(source)
    except DownloadError as err:
        _offline_notice(source, err, "the digits transfer demonstration (a base the course trains itself)")
        return None
    folder = extract(archive) / "flower_photos"
    return read_image_folder(folder, image_size, max_per_class)


def read_image_folder(folder: Path, image_size: int, max_per_class: int | None = None):
    """Read ``folder/<class>/*`` images, resized to ``image_size``², as uint8 arrays ``(x, y, class_names)``."""
    import tensorflow as tf

    classes = check_image_folder(folder)
    images, labels, unreadable = [], [], []
    for label, name in enumerate(classes):
        files = sorted(p for p in (Path(folder) / name).iterdir() if p.is_file())[:max_per_class]
        for path in files:
            try:
                image = tf.io.decode_image(tf.io.read_file(str(path)), channels=3, expand_animations=False)
            except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError):
                unreadable.append(path.name)
                continue
            images.append(tf.cast(tf.image.resize(image, (image_size, image_size)), tf.uint8).numpy())
            labels.append(label)
    if unreadable:
        print(f"⚠ skipped {len(unreadable)} unreadable file(s), e.g. {unreadable[:3]}")
    if not images:
        raise ValueError(f"no readable image in {folder}: check the files are JPEG, PNG, GIF or BMP.")
    return np.stack(images), np.array(labels, dtype=np.int32), classes


# ---------------------------------------------------------------------------- prefetch for offline machines


def prefetch_items(to: Path, mirror: str | None = None) -> list[tuple[str, str, Path, str, str, str]]:
    """Everything the course downloads: ``(name, url, target, hash, algorithm, description)`` under ``to``.

    Data files go to ``to/`` (point ``COURSE_DATA_DIR`` at it); Keras's weights go to Keras's cache layout
    ``to/keras/models/`` (point ``KERAS_HOME`` at ``to/keras``). ``mirror`` replaces each file's host and
    folder by a mirror's URL, keeping the file name (a university mirror, or a test server).
    """
    to = Path(to)

    def url(original: str, fname: str) -> str:
        return f"{mirror.rstrip('/')}/{fname}" if mirror else original

    items = [
        (name, url(s.url, s.fname), to / s.fname, s.sha256, "sha256", s.description) for name, s in SOURCES.items()
    ]
    w = VGG16_NOTOP
    items.append(
        ("vgg16", url(w.url, w.fname), to / KERAS_HOME_SUBDIR / w.subdir / w.fname, w.md5, "md5", w.description)
    )
    return items


def fetch_all(to: Path, only: list[str] | None = None, mirror: str | None = None, unpack: bool = True) -> list[dict]:
    """Download and verify everything the course uses into ``to``; print a summary; return one row per file.

    Files already there with the right hash are kept (rerunning it is cheap); the flower photos are also
    unpacked, so that a read-only copy works on the offline machine.
    """
    to = Path(to).expanduser().resolve()
    items = [item for item in prefetch_items(to, mirror) if not only or item[0] in only]
    unknown = set(only or []) - {item[0] for item in prefetch_items(to)}
    if unknown:
        valid = ", ".join(item[0] for item in prefetch_items(to))
        raise SystemExit(f"unknown name(s) {', '.join(sorted(unknown))}: choose among {valid}")
    rows = []
    for i, (name, url, target, expected, algorithm, description) in enumerate(items, 1):
        print(f"[{i}/{len(items)}] {description}")
        was_there = target.exists()
        start, started_at = time.perf_counter(), time.time()
        row = {"name": name, "path": str(target), "status": "", "bytes": 0, "elapsed_s": 0.0}
        try:
            cached_or_download(url, target, expected, algorithm)
            row["status"] = (
                "already there, verified"
                if was_there and target.stat().st_mtime < started_at
                else "downloaded, verified"
            )
            row["bytes"] = target.stat().st_size
            if unpack and target.name.endswith(".tgz"):
                folder = extract(target)
                files = sum(1 for p in folder.rglob("*") if p.is_file())
                row["status"] += f", unpacked ({files:,} files)"
        except (DownloadError, UnsafeArchiveError, OSError) as err:
            row["status"] = f"FAILED: {err}"
        row["elapsed_s"] = time.perf_counter() - start
        rows.append(row)
    print(f"\nSummary ({to}):")
    for row in rows:
        print(f"  {row['name']:<12} {row['bytes'] / 1e6:8.1f} MB  {row['elapsed_s']:6.1f} s  {row['status']}")
    total = sum(row["bytes"] for row in rows)
    failed = [row["name"] for row in rows if row["status"].startswith("FAILED")]
    print(f"  {'total':<12} {total / 1e6:8.1f} MB")
    if failed:
        print(f"\n✗ {len(failed)} file(s) failed: {', '.join(failed)}. Check the connection (or --mirror) and rerun.")
    else:
        print(
            "\n✓ Everything verified. Copy the folder to the offline machine, then before starting Jupyter there:\n"
            f"  export {ENV_VAR}={to}\n"
            f"  export KERAS_HOME={to / KERAS_HOME_SUBDIR}"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m course_utils.datasets --fetch-all --to DIR``: prefetch the course's files for offline use."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.datasets",
        description="Download and verify every file the course uses, for a machine without internet.",
    )
    parser.add_argument("--fetch-all", action="store_true", help="download and verify every file (required)")
    parser.add_argument("--to", type=Path, default=None, help=f"destination folder (default: ${ENV_VAR} or data/)")
    parser.add_argument("--only", default="", help="comma-separated subset: mnist,flowers,shakespeare,vgg16")
    parser.add_argument("--mirror", default=None, help="fetch every file by name from this URL instead")
    parser.add_argument("--no-unpack", action="store_true", help="keep the flower photos packed")
    args = parser.parse_args(argv)
    if not args.fetch_all:
        parser.print_help()
        return 2
    only = [name.strip() for name in args.only.split(",") if name.strip()] or None
    rows = fetch_all(args.to or data_dir(), only=only, mirror=args.mirror, unpack=not args.no_unpack)
    return 1 if any(row["status"].startswith("FAILED") for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
