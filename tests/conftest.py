import functools
import gzip
import http.server
import struct
import threading
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
# Small real data shipped with the tests: where it comes from, its licence and hashes in tests/data/README.md.
TEST_DATA = ROOT / "tests" / "data"


def pytest_addoption(parser):
    parser.addoption(
        "--online",
        action="store_true",
        help="run the tests marked `online`, which download the course's real files (make test-online)",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "online: downloads the course's real files from the Internet (--online)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--online"):
        return
    skip = pytest.mark.skip(reason="downloads from the Internet: run with --online (make test-online)")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def mnist_sample() -> tuple[np.ndarray, np.ndarray]:
    """4,000 real MNIST test images (uint8, 4000×28×28) and their labels: the test set's first 2,000 and last 2,000
    (tests/data/README.md). Read-only: slice or copy them."""
    with np.load(TEST_DATA / "mnist-test-sample.npz", allow_pickle=False) as f:
        images, labels = f["images"], f["labels"]
    images.flags.writeable = labels.flags.writeable = False
    return images, labels


@pytest.fixture(scope="session")
def shakespeare(tmp_path_factory) -> Path:
    """The real tiny Shakespeare (1,115,394 bytes, the file notebook 07 downloads), unpacked into a temporary file."""
    path = tmp_path_factory.mktemp("text") / "tinyshakespeare.txt"
    path.write_bytes(gzip.decompress((TEST_DATA / "tinyshakespeare.txt.gz").read_bytes()))
    return path


def write_idx(path: Path, array: np.ndarray) -> Path:
    """Write uint8 ``array`` in MNIST's IDX format (gzipped when ``path`` ends in .gz), as LeCun's page describes it:
    two zero bytes, the type code 0x08 (unsigned byte), the number of dimensions, each size as a big-endian uint32."""
    header = struct.pack(f">HBB{array.ndim}I", 0, 0x08, array.ndim, *array.shape)
    data = header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.fixture
def server(tmp_path):
    """A real HTTP server on loopback serving tmp_path/'served': yields (folder, base URL)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
