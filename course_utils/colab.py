"""Open-in-Colab and Open-in-Kaggle badges and the Colab/Kaggle install cells, generated from ONE setting.

The course's GitHub repository ("owner/name") and the tag or commit its notebooks install ``course_utils`` from
are configured once, in ``pyproject.toml`` under ``[tool.course]`` (``repository``, ``ref``). This command
rewrites (``--write``) or verifies (``--check``) every notebook's badges, its install cell (the code cell tagged
``colab-setup``) and the README's table from that setting::

    python -m course_utils.colab --check
    python -m course_utils.colab --write
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "YOUR-GITHUB-USER/gpu-essentials-course"
COLAB_BADGE_RE = re.compile(
    r"\[!\[Open In Colab\]\(https://colab\.research\.google\.com/assets/colab-badge\.svg\)\]\([^)]*\)"
    r"( \[!\[Open In Kaggle\]\(https://kaggle\.com/static/images/open-in-kaggle\.svg\)\]\([^)]*\))?"
)
BADGE_RE = COLAB_BADGE_RE
SETUP_TAG = "colab-setup"
# Overrides the install source of the setup cell (any pip requirement: a git URL with a ref, or a local folder);
# `make test-colab` points it at the working tree.
SOURCE_ENV = "COURSE_INSTALL_SOURCE"
# What the course needs that Colab and Kaggle do not preinstall (never TensorFlow, Keras or NumPy).
PLATFORM_EXTRAS = ("ai-edge-litert==2.3.0",)


def _settings(pyproject: Path) -> dict:
    return tomllib.loads(pyproject.read_text()).get("tool", {}).get("course", {})


def configured_repository(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The ``owner/name`` set in pyproject.toml, or ``""`` when not configured."""
    repo = _settings(pyproject).get("repository", "").strip()
    if repo and not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise ValueError(f"[tool.course] repository = {repo!r} is not of the form 'owner/name'.")
    return repo


def configured_ref(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The tag or commit the notebooks install ``course_utils`` from (``[tool.course] ref``)."""
    ref = _settings(pyproject).get("ref", "").strip()
    if ref and not re.fullmatch(r"[\w.+/-]+", ref):
        raise ValueError(f"[tool.course] ref = {ref!r} is not a tag, branch or commit name.")
    if configured_repository(pyproject) and not ref:
        raise ValueError(
            "[tool.course] repository is set but ref is empty: set ref to the tag (e.g. 'v0.2.0') or commit the "
            "notebooks should install course_utils from, so that a learner gets the package the notebooks expect."
        )
    return ref


def install_source(repo: str, ref: str) -> str:
    """The pip requirement of the pinned course_utils (``""`` when no repository is configured)."""
    return f"git+https://github.com/{repo}.git@{ref}" if repo else ""


def badge(notebook: str, repo: str, ref: str = "") -> str:
    """Markdown badges that open ``notebooks/<notebook>`` of ``repo`` (at ``ref``) in Colab and in Kaggle."""
    blob = f"{repo or PLACEHOLDER}/blob/{ref or 'main'}/notebooks/{notebook}"
    colab = f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{blob})"
    kaggle = f"[![Open In Kaggle](https://kaggle.com/static/images/open-in-kaggle.svg)](https://kaggle.com/kernels/welcome?src=https://github.com/{blob})"
    return f"{colab} {kaggle}"


_SETUP_CELL = """\
# Colab and Kaggle only: install the course's helper package `course_utils` at the course's pinned release,
# with --no-deps so that the platform's own TensorFlow, Keras and NumPy are never replaced, plus what the
# course needs that the platform lacks ({extras}). Elsewhere this cell does nothing (`make lab` installed it).
# To install from elsewhere (a fork, a local folder), set the environment variable {env} first.
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

IS_COLAB = "google.colab" in sys.modules
IS_KAGGLE = "KAGGLE_KERNEL_RUN_TYPE" in os.environ
COURSE_SOURCE = os.environ.get("{env}", "{source}")


class CourseSetupError(RuntimeError):
    \"\"\"The course's package could not be installed here: the message says why and what to do.\"\"\"


def _stop(why):
    \"\"\"Stop with the reason, and keep giving it (not a bare ImportError) in the cells after this one.\"\"\"

    def explain(shell, etype, value, tb, tb_offset=None):
        if etype is not CourseSetupError and getattr(value, "name", "") != "course_utils":
            return shell.showtraceback()
        print(f"✗ course_utils is not installed, so this notebook cannot go on.\\n{{why}}")

    get_ipython().set_custom_exc((ImportError, CourseSetupError), explain)
    raise CourseSetupError(why)


def _installed_from():
    \"\"\"Where pip installed course_utils from (pip records it in direct_url.json), or None.\"\"\"
    try:
        info = json.loads(metadata.distribution("course_utils").read_text("direct_url.json") or "{{}}")
    except metadata.PackageNotFoundError:
        return None
    vcs = info.get("vcs_info")
    return f"{{vcs['vcs']}}+{{info['url']}}@{{vcs.get('requested_revision')}}" if vcs else info.get("url")


if IS_COLAB or IS_KAGGLE:
    if not COURSE_SOURCE:
        _stop(
            "This copy of the course does not name its GitHub repository: set [tool.course] repository and ref "
            "in pyproject.toml and run `make badges` (README, section 'Colab and Kaggle'), or set {env}."
        )
    wanted = Path(COURSE_SOURCE).resolve().as_uri() if os.path.isdir(COURSE_SOURCE) else COURSE_SOURCE
    if _installed_from() == wanted:
        print(f"course_utils is already installed from {{COURSE_SOURCE}}.")
    else:
        for args in (["--no-deps", COURSE_SOURCE], {extras_list}):
            pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", *args], capture_output=True, text=True)
            if pip.returncode != 0:
                _stop(
                    f"pip could not install {{' '.join(args)}}:\\n{{pip.stderr.strip()[-600:]}}\\n"
                    "Offline? On Kaggle switch Internet on (Settings > Internet; it needs a verified phone number). "
                    "A wrong repository or tag? Check [tool.course] repository and ref in pyproject.toml, or {env}."
                )
        print(f"Installed course_utils from {{COURSE_SOURCE}} (and {extras}).")"""


def setup_cell_source(repo: str, ref: str = "") -> str:
    """The guarded Colab/Kaggle install cell: course_utils pinned, with --no-deps; never TensorFlow."""
    return _SETUP_CELL.format(
        env=SOURCE_ENV,
        source=install_source(repo, ref),
        extras=", ".join(PLATFORM_EXTRAS),
        extras_list=json.dumps(list(PLATFORM_EXTRAS)),
    )


def problems(path: Path, repo: str, ref: str = "") -> list[str]:
    """What is out of date in one notebook's badge and Colab cell."""
    nb = nbformat.read(path, as_version=4)
    found = []
    first = nb.cells[0].source if nb.cells else ""
    if badge(path.name, repo, ref) not in first:
        found.append(f"{path.name}: the first cell lacks the badges for this file ({badge(path.name, repo, ref)})")
    setup = [c for c in nb.cells if SETUP_TAG in c.get("metadata", {}).get("tags", [])]
    if len(setup) != 1:
        found.append(f"{path.name}: expected one code cell tagged '{SETUP_TAG}', found {len(setup)}")
    elif setup[0].source != setup_cell_source(repo, ref):
        found.append(f"{path.name}: the Colab install cell differs from the generated one")
    return found


def write(path: Path, repo: str, ref: str = "") -> None:
    """Rewrite one notebook's badges and Colab cell from the configured repository and ref."""
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    if BADGE_RE.search(first.source):
        first.source = BADGE_RE.sub(badge(path.name, repo, ref), first.source)
    else:
        lines = first.source.split("\n", 1)
        first.source = lines[0] + "\n\n" + badge(path.name, repo, ref) + ("\n" + lines[1] if len(lines) > 1 else "")
    for cell in nb.cells:
        if SETUP_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = setup_cell_source(repo, ref)
    nbformat.write(nb, path)


README_START, README_END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"


def readme_table(notebooks: list[Path], repo: str, ref: str = "") -> str:
    """The README's table of notebooks, one row each, with its badge."""
    rows = ["| # | notebook | open |", "| --- | --- | --- |"]
    for path in notebooks:
        title = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0].split(" · ", 1)[-1]
        rows.append(f"| {path.name[:2]} | [{title}](notebooks/{path.name}) | {badge(path.name, repo, ref)} |")
    return "\n".join(rows)


def _readme_with_table(readme: str, table: str) -> str:
    start, end = readme.index(README_START) + len(README_START), readme.index(README_END)
    return readme[:start] + "\n" + table + "\n" + readme[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true", help="report notebooks that are out of date")
    group.add_argument("--write", action="store_true", help="regenerate badges and Colab cells")
    args = parser.parse_args(argv)
    repo, ref = configured_repository(), configured_ref()
    if not repo:
        print(
            f"Note: no repository configured; badges use the placeholder {PLACEHOLDER}. "
            "Set [tool.course] repository in pyproject.toml."
        )
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    readme = ROOT / "README.md"
    table = readme_table(notebooks, repo, ref)
    if args.write:
        for path in notebooks:
            write(path, repo, ref)
        readme.write_text(_readme_with_table(readme.read_text(), table))
        print(f"Updated {len(notebooks)} notebooks and the README's table.")
        return 0
    found = [p for path in notebooks for p in problems(path, repo, ref)]
    if _readme_with_table(readme.read_text(), table) != readme.read_text():
        found.append("README.md: the notebook table is out of date")
    print("\n".join(found) if found else f"All {len(notebooks)} notebooks are up to date.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
