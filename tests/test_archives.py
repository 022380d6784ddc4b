"""Archive safety (course_utils/archives.py): links, special files and paths outside the folder are refused;
a safe archive is unpacked once, all or nothing."""

import tarfile
from pathlib import Path

import pytest

from course_utils import archives


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
    with pytest.raises(archives.UnsafeArchiveError, match=words):
        archives.extract(archive)
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
    folder = archives.extract(archive)
    assert (folder / "photos" / "roses" / "a.jpg").read_bytes() == b"jpeg" and (folder / ".complete").exists()
    assert archives.extract(archive) == folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos", "photos.tgz", "src"], "no temporary folder is left"
