"""Open-in-Colab badges and Colab install cells, generated from ONE setting.

The course's GitHub repository ("owner/name") is configured once, in
``pyproject.toml`` under ``[tool.course] repository``. This command rewrites
(``--write``) or verifies (``--check``) every notebook's badge and its Colab
install cell (the code cell tagged ``colab-setup``) from that setting::

    python -m course_utils.colab --check
    python -m course_utils.colab --write
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "YOUR-GITHUB-USER/gpu-essentials-course"
BADGE_RE = re.compile(
    r"\[!\[Open In Colab\]\(https://colab\.research\.google\.com/assets/colab-badge\.svg\)\]\([^)]*\)"
)
SETUP_TAG = "colab-setup"


def configured_repository(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The ``owner/name`` set in pyproject.toml, or ``""`` when not configured."""
    data = tomllib.loads(pyproject.read_text())
    repo = data.get("tool", {}).get("course", {}).get("repository", "").strip()
    if repo and not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise ValueError(f"[tool.course] repository = {repo!r} is not of the form 'owner/name'.")
    return repo


def badge(notebook: str, repo: str) -> str:
    """The Markdown badge that opens ``notebooks/<notebook>`` of ``repo`` in Colab."""
    target = f"https://colab.research.google.com/github/{repo or PLACEHOLDER}/blob/main/notebooks/{notebook}"
    return f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({target})"


def setup_cell_source(repo: str) -> str:
    """The guarded Colab install cell: installs course_utils, never TensorFlow."""
    head = (
        "# Colab only: install the course's helper package. `--no-deps` keeps Colab's own\n"
        "# TensorFlow and Keras: never reinstall them over Colab's.\n"
        "import sys\n\n"
        'IS_COLAB = "google.colab" in sys.modules\n'
        "if IS_COLAB:\n"
    )
    if not repo:
        return head + (
            "    raise SystemExit(\n"
            "        \"This copy of the course does not name its GitHub repository yet: see the README, section 'Colab'.\"\n"
            "    )"
        )
    return head + f'    %pip install -q --no-deps "course_utils @ git+https://github.com/{repo}.git"'


def problems(path: Path, repo: str) -> list[str]:
    """What is out of date in one notebook's badge and Colab cell."""
    nb = nbformat.read(path, as_version=4)
    found = []
    first = nb.cells[0].source if nb.cells else ""
    if badge(path.name, repo) not in first:
        found.append(f"{path.name}: the first cell lacks the badge for this file ({badge(path.name, repo)})")
    setup = [c for c in nb.cells if SETUP_TAG in c.get("metadata", {}).get("tags", [])]
    if len(setup) != 1:
        found.append(f"{path.name}: expected one code cell tagged '{SETUP_TAG}', found {len(setup)}")
    elif setup[0].source != setup_cell_source(repo):
        found.append(f"{path.name}: the Colab install cell differs from the generated one")
    return found


def write(path: Path, repo: str) -> None:
    """Rewrite one notebook's badge and Colab cell from the configured repository."""
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    if BADGE_RE.search(first.source):
        first.source = BADGE_RE.sub(badge(path.name, repo), first.source)
    else:
        lines = first.source.split("\n", 1)
        first.source = lines[0] + "\n\n" + badge(path.name, repo) + ("\n" + lines[1] if len(lines) > 1 else "")
    for cell in nb.cells:
        if SETUP_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = setup_cell_source(repo)
    nbformat.write(nb, path)


README_START, README_END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"


def readme_table(notebooks: list[Path], repo: str) -> str:
    """The README's table of notebooks, one row each, with its badge."""
    rows = ["| # | notebook | open |", "| --- | --- | --- |"]
    for path in notebooks:
        title = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0].split(" · ", 1)[-1]
        rows.append(f"| {path.name[:2]} | [{title}](notebooks/{path.name}) | {badge(path.name, repo)} |")
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
    repo = configured_repository()
    if not repo:
        print(
            f"Note: no repository configured; badges use the placeholder {PLACEHOLDER}. "
            "Set [tool.course] repository in pyproject.toml."
        )
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    readme = ROOT / "README.md"
    table = readme_table(notebooks, repo)
    if args.write:
        for path in notebooks:
            write(path, repo)
        readme.write_text(_readme_with_table(readme.read_text(), table))
        print(f"Updated {len(notebooks)} notebooks and the README's table.")
        return 0
    found = [p for path in notebooks for p in problems(path, repo)]
    if _readme_with_table(readme.read_text(), table) != readme.read_text():
        found.append("README.md: the notebook table is out of date")
    print("\n".join(found) if found else f"All {len(notebooks)} notebooks are up to date.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
