"""`make release` on a temporary copy of the course, with a made-up repository: the real one stays unnamed."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tools import release

ROOT = Path(__file__).resolve().parent.parent


def _copy_of_the_course(dest: Path) -> Path:
    """The tracked and new (not ignored) files of this checkout, as a fresh clone with the working tree's edits."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(source.read_bytes())
    return dest


def test_set_course_writes_only_the_two_settings(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\n\n[tool.course]\nrepository = ""\nref = ""\n\n[tool.other]\nref = "keep"\n'
    )
    release.set_course(pyproject, "me/course", "v1.2.3")
    settings = tomllib.loads(pyproject.read_text())
    assert settings["tool"]["course"] == {"repository": "me/course", "ref": "v1.2.3"}
    assert settings["tool"]["other"] == {"ref": "keep"}


def test_refuses_malformed_names(tmp_path):
    for argv in (["--repo", "not a repo", "--tag", "v1.0.0"], ["--repo", "me/course", "--tag", "latest"]):
        with pytest.raises(SystemExit, match="give"):
            release.main(argv, root=tmp_path)


def test_release_on_a_copy_names_the_repository_builds_and_checks(tmp_path):
    copy = _copy_of_the_course(tmp_path / "course")
    before = (ROOT / "pyproject.toml").read_text()
    result = subprocess.run(
        [sys.executable, "-m", "tools.release", "--repo", "me/course", "--tag", "v9.9.9"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ROOT / "pyproject.toml").read_text() == before, "the course itself stays unnamed"
    settings = tomllib.loads((copy / "pyproject.toml").read_text())
    assert settings["tool"]["course"] == {"repository": "me/course", "ref": "v9.9.9"}
    assert (
        settings["project"]["version"] == "9.9.9"
        and '__version__ = "9.9.9"' in (copy / "course_utils" / "__init__.py").read_text()
    )
    notebook = (copy / "notebooks" / "06_cnn_mnist.ipynb").read_text()
    assert "colab.research.google.com/github/me/course/blob/v9.9.9/notebooks/06_cnn_mnist.ipynb" in notebook
    assert "git+https://github.com/me/course.git@v9.9.9" in notebook
    wheel = next((copy / "dist").glob("course_utils-*.whl"))
    assert release.check_wheel(wheel) == []
    with zipfile.ZipFile(wheel) as archive:
        assert not [n for n in archive.namelist() if n.startswith("tools/")]


def test_the_package_version_is_written_once_per_release():
    import course_utils

    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == course_utils.__version__
