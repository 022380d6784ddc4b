"""Publish a release of the course: name its GitHub repository and tag, regenerate the badges, build and check.

    make release REPO=owner/name TAG=v0.2.0      # = python -m tools.release --repo owner/name --tag v0.2.0

1. writes ``[tool.course] repository`` and ``ref`` in pyproject.toml (the one setting the Colab/Kaggle badges, the
   setup cells and the glossary links are generated from), and the tag's version as the package's version
   (pyproject.toml's ``version`` and ``course_utils.__version__``, which notebook 10's saved-model check reads);
2. regenerates them (``python -m tools.colab --write``) and checks them (``--check``);
3. builds the wheel and the sdist into ``dist/`` and checks what a learner's ``pip install`` gets: the package and
   its data (the accelerator catalogue, the generated lessons), no maintainer tools, the pinned dependencies.

Then commit, tag and push (the command prints how): Colab and Kaggle install ``course_utils`` from that tag.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPO_RE = re.compile(r"[\w.-]+/[\w.-]+")
TAG_RE = re.compile(r"v\d+\.\d+\.\d+([ab]\d+|rc\d+)?")
# What a learner's install must carry besides the code (pyproject.toml's package-data).
WHEEL_MUST_HAVE = ("course_utils/__init__.py", "course_utils/data/accelerators.csv")


def set_course(pyproject: Path, repo: str, tag: str) -> None:
    """Write ``repository`` and ``ref`` under ``[tool.course]``, leaving the rest of the file as it is."""
    text = pyproject.read_text()
    section = re.search(r"^\[tool\.course\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not section:
        raise SystemExit("pyproject.toml has no [tool.course] section.")
    body = section.group(1)
    for key, value in (("repository", repo), ("ref", tag)):
        body, count = re.subn(rf'^{key} = ".*"', f'{key} = "{value}"', body, flags=re.M)
        if count != 1:
            raise SystemExit(f'[tool.course] in pyproject.toml should have one `{key} = "..."` line.')
    pyproject.write_text(text[: section.start(1)] + body + text[section.end(1) :])


def set_version(root: Path, version: str) -> None:
    """The package's version, in pyproject.toml's [project] and in course_utils/__init__.py."""
    for path, pattern in (
        (root / "pyproject.toml", r'^version = ".*"'),
        (root / "course_utils" / "__init__.py", r'^__version__ = ".*"'),
    ):
        text, count = re.subn(
            pattern, pattern.split(" = ")[0].lstrip("^") + f' = "{version}"', path.read_text(), count=1, flags=re.M
        )
        if count != 1:
            raise SystemExit(f"{path.name}: no `{pattern.lstrip('^')}` line to set the version in.")
        path.write_text(text)


def check_wheel(wheel: Path) -> list[str]:
    """What is wrong with the built wheel (empty when fine)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    found = [f"the wheel lacks {name}" for name in WHEEL_MUST_HAVE if name not in names]
    found += [f"the wheel carries a maintainer tool: {n}" for n in names if n.startswith(("tools/", "tests/"))]
    if not any(n.startswith("course_utils/lessons/scripts/") for n in names):
        found.append("the wheel lacks the generated lessons and notebook 09's worker (course_utils/lessons/scripts/)")
    if "Requires-Dist: keras==" not in metadata:
        found.append("the wheel's metadata does not pin keras")
    return found


def check_sdist(sdist: Path) -> list[str]:
    """What is wrong with the built sdist (empty when fine)."""
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    return [] if any(n.endswith("/pyproject.toml") for n in names) else ["the sdist lacks pyproject.toml"]


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", required=True, help="the course's GitHub repository, owner/name")
    parser.add_argument("--tag", required=True, help="the release tag, vX.Y.Z")
    args = parser.parse_args(argv)
    if not REPO_RE.fullmatch(args.repo):
        raise SystemExit(f"--repo {args.repo!r}: give the GitHub repository as owner/name.")
    if not TAG_RE.fullmatch(args.tag):
        raise SystemExit(f"--tag {args.tag!r}: give a version tag such as v0.2.0.")
    sync = subprocess.run([sys.executable, "-m", "tools.sync", "--check"], cwd=root, capture_output=True, text=True)
    if sync.returncode != 0:
        raise SystemExit(f"The generated lessons differ from their notebooks: run `make sync` first.\n{sync.stdout}")
    set_course(root / "pyproject.toml", args.repo, args.tag)
    set_version(root, args.tag.lstrip("v"))
    for step in (["-m", "tools.colab", "--write"], ["-m", "tools.colab", "--check"]):
        subprocess.run([sys.executable, *step], cwd=root, check=True)
    dist = root / "dist"
    build = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(root)]
    built = subprocess.run(build, cwd=root, capture_output=True, text=True)
    if built.returncode != 0:
        raise SystemExit(f"The build failed:\n{built.stdout[-2000:]}{built.stderr[-2000:]}")
    version = args.tag.lstrip("v")
    wheel = next(dist.glob(f"course_utils-{version}-*.whl"))
    sdist = next(dist.glob(f"course_utils-{version}.tar.gz"))
    problems = check_wheel(wheel) + check_sdist(sdist)
    for problem in problems:
        print("✗", problem)
    if problems:
        return 1
    print(f"Built and checked {wheel.name} and {sdist.name}; badges and setup cells point at {args.repo}@{args.tag}.")
    print(f"Next: git commit -am 'Release {args.tag}' && git tag {args.tag} && git push && git push --tags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
