"""Open-in-Colab and Open-in-Kaggle badges, the Colab/Kaggle install cells and the folded sections, generated.

The course's GitHub repository ("owner/name") and the tag or commit its notebooks install ``course_utils`` from
are configured once, in ``pyproject.toml`` under ``[tool.course]`` (``repository``, ``ref``). This command
rewrites (``--write``) or verifies (``--check``) every notebook's badges, its install cell (the code cell tagged
``colab-setup``) and the README's table from that setting::

    python -m tools.colab --check
    python -m tools.colab --write     # make badges
"""

from __future__ import annotations

import argparse
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


GLOSSARY_RE = re.compile(r"\[glossary, English–French\]\(glossary\.md\)( \(\[on GitHub\]\([^)]*\)\))?")


def glossary_link(repo: str, ref: str = "") -> str:
    """The overview's link to the glossary: the file beside the notebook (JupyterLab), and on GitHub (Colab)."""
    return f"[glossary, English–French](glossary.md) ([on GitHub](https://github.com/{repo or PLACEHOLDER}/blob/{ref or 'main'}/notebooks/glossary.md))"


# At most 12 lines (the learner-first budget), folded behind its title in JupyterLab (source_hidden) and in Colab
# (a `# @title` form). Colab and Kaggle give each notebook its own runtime, so a course_utils already importable
# was installed by this cell earlier in the same runtime (or by `make test-colab`'s first notebook).
_SETUP_CELL = """\
# @title Setup: on Colab and Kaggle, install the course's helper package (elsewhere, nothing to do) {{ display-mode: "form" }}
import os
import sys
from importlib.util import find_spec

SOURCE = os.environ.get("{env}", "{source}")
if ("google.colab" in sys.modules or "KAGGLE_KERNEL_RUN_TYPE" in os.environ) and not find_spec("course_utils"):
    %pip install -q --no-deps {{SOURCE}}
    %pip install -q {extras}
if not find_spec("course_utils"):
    raise RuntimeError("{missing}")"""
MISSING = "Not installed: on Colab/Kaggle turn the Internet on and rerun; elsewhere run `make lab` first."
# A copy whose [tool.course] names no release has nothing to install on Colab: the message says so.
MISSING_UNCONFIGURED = "No release to install on Colab/Kaggle: set COURSE_INSTALL_SOURCE; elsewhere run `make lab`."
SETUP_METADATA = {"cellView": "form", "jupyter": {"source_hidden": True}, "tags": [SETUP_TAG]}


def setup_cell_source(repo: str, ref: str = "") -> str:
    """The guarded Colab/Kaggle install cell: course_utils pinned, with --no-deps; never TensorFlow."""
    source = install_source(repo, ref)
    missing = MISSING if source else MISSING_UNCONFIGURED
    return _SETUP_CELL.format(env=SOURCE_ENV, source=source, extras=" ".join(PLATFORM_EXTRAS), missing=missing)


# Sections folded when a notebook opens: JupyterLab 4 reads the heading cell's "jp-MarkdownHeadingCollapsed";
# Colab reads the notebook's metadata.colab.collapsed_sections, a list of the heading cells' metadata ids (as
# notebooks saved by Colab show). "Run All" still runs the cells of a folded section.
FOLDED_SECTIONS = ("## Going further", "## Solutions")
FOLD_KEY = "jp-MarkdownHeadingCollapsed"


def folded_headings(nb) -> list:
    """The heading cells of the sections folded on open (their first line is ``## Going further`` or ``## Solutions``)."""
    return [c for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith(FOLDED_SECTIONS)]


def fold(nb) -> None:
    """Mark the Going further and Solutions headings folded on open, for JupyterLab and for Colab."""
    ids = []
    for cell in folded_headings(nb):
        cell.metadata[FOLD_KEY] = True
        cell.metadata["id"] = cell.id
        ids.append(cell.id)
    nb.metadata["colab"] = {"collapsed_sections": ids}


def fold_problems(nb, name: str) -> list[str]:
    """What keeps a notebook's Going further and Solutions sections from opening folded."""
    cells = folded_headings(nb)
    found = [f"{name}: no '## Solutions' heading cell"] if not any("## Solutions" in c.source for c in cells) else []
    for cell in cells:
        if cell.metadata.get(FOLD_KEY) is not True or cell.metadata.get("id") != cell.id:
            found.append(f"{name}: '{cell.source.splitlines()[0]}' is not folded on open (run make badges)")
    if nb.metadata.get("colab", {}).get("collapsed_sections") != [c.id for c in cells]:
        found.append(f"{name}: metadata.colab.collapsed_sections does not list the folded headings (run make badges)")
    return found


def problems(path: Path, repo: str, ref: str = "") -> list[str]:
    """What is out of date in one notebook's badge and Colab cell."""
    nb = nbformat.read(path, as_version=4)
    found = []
    first = nb.cells[0].source if nb.cells else ""
    if badge(path.name, repo, ref) not in first:
        found.append(f"{path.name}: the first cell lacks the badges for this file ({badge(path.name, repo, ref)})")
    if glossary_link(repo, ref) not in first:
        found.append(f"{path.name}: the overview lacks the glossary link ({glossary_link(repo, ref)})")
    setup = [c for c in nb.cells if SETUP_TAG in c.get("metadata", {}).get("tags", [])]
    if len(setup) != 1:
        found.append(f"{path.name}: expected one code cell tagged '{SETUP_TAG}', found {len(setup)}")
    elif setup[0].source != setup_cell_source(repo, ref):
        found.append(f"{path.name}: the Colab install cell differs from the generated one")
    elif {k: setup[0].metadata.get(k) for k in SETUP_METADATA} != SETUP_METADATA:
        found.append(f"{path.name}: the setup cell is not folded behind its title ({SETUP_METADATA})")
    return found + fold_problems(nb, path.name)


def write(path: Path, repo: str, ref: str = "") -> None:
    """Rewrite one notebook's badges and Colab cell from the configured repository and ref."""
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    if COLAB_BADGE_RE.search(first.source):
        first.source = COLAB_BADGE_RE.sub(badge(path.name, repo, ref), first.source)
    else:
        lines = first.source.split("\n", 1)
        first.source = lines[0] + "\n\n" + badge(path.name, repo, ref) + ("\n" + lines[1] if len(lines) > 1 else "")
    first.source = GLOSSARY_RE.sub(glossary_link(repo, ref), first.source)
    for cell in nb.cells:
        if SETUP_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = setup_cell_source(repo, ref)
            cell.metadata.update(SETUP_METADATA)
    fold(nb)
    nbformat.write(nb, path)


README_START, README_END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"


STUDY_TIME_RE = re.compile(r"\*\*Study time:\*\* about ([^(.]+?) \(")


def readme_table(notebooks: list[Path], repo: str, ref: str = "") -> str:
    """The README's table of notebooks, one row each: its title, study time (from its overview) and badges."""
    rows = ["| # | notebook | study time | open |", "| --- | --- | --- | --- |"]
    for path in notebooks:
        overview = nbformat.read(path, as_version=4).cells[0].source
        title = overview.splitlines()[0].split(" · ", 1)[-1]
        study = STUDY_TIME_RE.search(overview)
        time = study.group(1).strip() if study else "?"
        rows.append(f"| {path.name[:2]} | [{title}](notebooks/{path.name}) | {time} | {badge(path.name, repo, ref)} |")
    return "\n".join(rows)


def _readme_with_table(readme: str, table: str) -> str:
    start, end = readme.index(README_START) + len(README_START), readme.index(README_END)
    return readme[:start] + "\n" + table + "\n" + readme[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.colab", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
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
