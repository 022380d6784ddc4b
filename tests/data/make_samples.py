"""Rebuilds the real-data samples in this folder from the original files (tests/data/README.md says what they are).

    python tests/data/make_samples.py MNIST_DIR SHAKESPEARE_TXT

MNIST_DIR holds the original `t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz`; SHAKESPEARE_TXT is the
1,115,394-byte tiny Shakespeare. The output is the same bytes on every run (fixed timestamps), so its SHA-256 can be
checked against the README. Reads the IDX format with the standard library and NumPy only, not with the code the
samples test.
"""

import gzip
import hashlib
import io
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
# The first 2,000 test images (from NIST's training set, the cleaner half) and the last 2,000 (from its test set).
INDEX = np.concatenate([np.arange(0, 2000), np.arange(8000, 10000)]).astype(np.uint16)


def read_idx(path: Path) -> np.ndarray:
    data = gzip.decompress(path.read_bytes())
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:  # images: count, rows, cols
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)
    assert magic == 2049, f"{path}: magic {magic}"  # labels
    return np.frombuffer(data, np.uint8, offset=8).reshape(count)


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    """np.savez_compressed, but with a fixed timestamp in the zip, so that the same arrays give the same bytes."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def main(mnist_dir: str, shakespeare: str) -> None:
    images = read_idx(Path(mnist_dir) / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(Path(mnist_dir) / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)
    write_npz(HERE / "mnist-test-sample.npz", images=images[INDEX], labels=labels[INDEX], index=INDEX)
    text = Path(shakespeare).read_bytes()
    (HERE / "tinyshakespeare.txt.gz").write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    for name in ("mnist-test-sample.npz", "tinyshakespeare.txt.gz"):
        data = (HERE / name).read_bytes()
        print(f"{name}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main(*sys.argv[1:])
