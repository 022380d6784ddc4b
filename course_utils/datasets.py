"""The course's datasets: the real source first, verified and cached; a labelled fallback offline.

Design, the same for every dataset:

* the real file is downloaded (with a progress bar) into :func:`~course_utils.download.data_dir`
  (``$COURSE_DATA_DIR`` or the checkout's ``data/``), atomically, and checked against its SHA-256
  (:mod:`course_utils.download`); a cached file whose hash is wrong is reported and replaced, never trusted;
* offline (or when the download fails), a clear message says what failed and what the
  course uses instead, then a *real* fallback that ships with a package is loaded, and
  the returned object says so (``is_fallback``, ``name``) so plots and results carry it;
* archives are unpacked safely (:mod:`course_utils.archives`);
* nothing is loaded with pickle (``np.load(..., allow_pickle=False)``).

For a machine without internet (a cluster's GPU node), fetch everything on a machine with it
(:mod:`course_utils.prefetch`)::

    python -m course_utils.datasets --fetch-all --to /shared/course_data

then set ``COURSE_DATA_DIR=/shared/course_data`` and ``KERAS_HOME=/shared/course_data/keras``
on the offline machine (see the README, "On a cluster or offline").
"""

from __future__ import annotations

import gzip
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_utils.archives import extract
from course_utils.download import ENV_VAR, DownloadError, cached_or_download, data_dir
from course_utils.download import sha256 as sha256  # re-exported: models.py and recipes.py use datasets.sha256


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


if __name__ == "__main__":  # the cluster prefetch command: python -m course_utils.datasets --fetch-all --to DIR
    from course_utils.prefetch import main

    sys.exit(main())
