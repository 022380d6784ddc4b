"""Unpacking a downloaded archive safely: no link, no special file, no path outside its folder, all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


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
