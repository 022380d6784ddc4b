"""Everything the course downloads, fetched and verified in one command, for a machine without internet.

On a machine with internet (the cluster's login node)::

    python -m course_utils.datasets --fetch-all --to /shared/course_data

then set ``COURSE_DATA_DIR=/shared/course_data`` and ``KERAS_HOME=/shared/course_data/keras`` on the offline
machine (see the README, "On a cluster or offline").
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from course_utils import datasets
from course_utils.archives import UnsafeArchiveError, extract
from course_utils.download import ENV_VAR, DownloadError, cached_or_download, data_dir


@dataclass(frozen=True)
class KerasWeights:
    """A weights file that Keras downloads itself into ``$KERAS_HOME/<subdir>/<fname>``, checked by its MD5."""

    fname: str
    url: str
    md5: str
    subdir: str
    description: str


# keras/src/applications/vgg16.py (Keras 3.13-3.15): the no-top weights, their file name and the MD5 Keras
# checks. tests/test_prefetch.py compares these with the installed Keras.
VGG16_NOTOP = KerasWeights(
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "6d6bbae143d832006294945121d1f1fc",
    "models",
    "VGG16's ImageNet weights without the classifier (58 MB, keras.applications.VGG16(include_top=False))",
)
KERAS_HOME_SUBDIR = "keras"  # the prefetched folder's Keras cache: point KERAS_HOME at DIR/keras


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
        (name, url(s.url, s.fname), to / s.fname, s.sha256, "sha256", s.description)
        for name, s in datasets.SOURCES.items()
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


if __name__ == "__main__":  # also reachable as python -m course_utils.datasets --fetch-all --to DIR
    sys.exit(main())
