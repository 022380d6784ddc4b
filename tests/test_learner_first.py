"""The learner-first shape and budgets (COURSE_PLAN.md, "Learner-first"), read from the notebooks without running them.

The rules copy those of ``../shared/tools/course_stats.py``, the reference (run it from the project's root for the
table). A notebook's *core path* is everything above its first ``## Going further`` or ``## Solutions`` heading.

Every notebook already keeps the rules that do not depend on its length: the setup cell, folded sections, a
Summary, the study time and the glossary in the overview, no talk of the course's own tests or machines, no bare
code in markdown. The budgets of length (core words, markdown cells of at most 220 words, code cells of at most 40
lines) are enforced for the notebooks listed in ``BUDGETED``: each notebook-group issue adds its notebooks as it
brings them within budget, until all eleven are, and a notebook within budget that is not listed fails the test.
"""

import re
from pathlib import Path

import nbformat
import pytest

from tools import colab

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

CORE_WORDS = {  # per notebook; the sum is the course's budget (14,000)
    "00": 1200, "01": 1300, "02": 1400, "03": 1300, "04": 1200, "05": 1100,
    "06": 1500, "07": 1300, "08": 1200, "09": 1300, "10": 1200,
}  # fmt: skip
COURSE_CORE_WORDS = 14_000
CELL_WORDS, CELL_LINES, SETUP_LINES = 220, 40, 12
BUDGETED: tuple[str, ...] = ("00",)  # notebooks within every length budget ("06", ...): all eleven in the end

CHATTER = re.compile(  # the run-mode table may say that smoke mode is for tests and CI: that informs the learner
    r"(a test keeps|the test keeps|tests? (keeps?|checks?|asserts?) (the|that|it|them)|unit tests?\b|test suite|"
    r"development (machine|cpu)|dev machine|course's (own )?(tests?|machine|\d-core|development|loaded)|"
    r"measured on the course's|an earlier session|this session|\bnbval\b|CI (runs|checks))",
    re.I,
)
CODE_LINE = re.compile(r"^\s*(def |class |import |from \S+ import |for .+:$|return |print\(|\w+ = .+\(.*\)$)")
FENCE = re.compile(r"^\s*(```|~~~)")
STUDY_TIME = re.compile(r"study time|minutes? of study|hours? of study|temps d'étude|d'étude", re.I)


def prose(text: str) -> list[str]:
    """The lines of a markdown cell outside fenced code."""
    out, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            out.append(line)
    return out


def count_words(lines: list[str]) -> int:
    """Words as course_stats.py counts them: table pipes and rules are not words."""
    tokens = " ".join(lines).replace("|", " ").split()
    return sum(1 for t in tokens if not re.fullmatch(r":?-{2,}:?", t))


def chatter(cell) -> list[str]:
    """Mentions of the course's own tests, CI, sessions or machines: in prose, code comments and docstrings."""
    if cell.cell_type == "markdown":
        return [m.group(0) for m in CHATTER.finditer(cell.source)]
    texts = [line.split("#", 1)[1] for line in cell.source.splitlines() if "#" in line]
    texts += re.findall(r'"""(.*?)"""', cell.source, re.S)
    return [m.group(0) for text in texts for m in CHATTER.finditer(text)]


def core_cells(nb) -> list:
    """The cells above the first '## Going further' or '## Solutions' heading."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and any(
            line.startswith(("## Going further", "## Solutions")) for line in prose(cell.source)
        ):
            return nb.cells[:i]
    return nb.cells


def length_problems(nb, number: str) -> list[str]:
    """Where the core path exceeds its budgets of length."""
    core = core_cells(nb)
    found = []
    words = sum(count_words(prose(c.source)) for c in core if c.cell_type == "markdown")
    if words > CORE_WORDS[number]:
        found.append(f"core path {words} words (budget {CORE_WORDS[number]})")
    for i, cell in enumerate(core):
        if cell.cell_type == "markdown" and count_words(prose(cell.source)) > CELL_WORDS:
            found.append(f"cell {i}: {count_words(prose(cell.source))} words (at most {CELL_WORDS})")
        if cell.cell_type == "code" and colab.SETUP_TAG not in cell.metadata.get("tags", []):
            if len(cell.source.splitlines()) > CELL_LINES:
                found.append(f"cell {i}: {len(cell.source.splitlines())} lines (at most {CELL_LINES})")
    return found


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def nb(request):
    return nbformat.read(request.param, as_version=4), request.param.stem[:2]


def test_setup_cell_short_and_folded_behind_its_title(nb):
    notebook, _ = nb
    setup = next(c for c in notebook.cells if c.cell_type == "code")
    assert colab.SETUP_TAG in setup.metadata.get("tags", []), "the first code cell is the setup cell"
    assert len(setup.source.splitlines()) <= SETUP_LINES, f"a setup cell of at most {SETUP_LINES} lines"
    assert setup.source.startswith("# @title ") and setup.metadata.get("cellView") == "form", "Colab: a form"
    assert setup.metadata.get("jupyter", {}).get("source_hidden") is True, "JupyterLab: source hidden"


def test_going_further_and_solutions_fold_on_open(nb):
    notebook, number = nb
    assert colab.fold_problems(notebook, number) == []


def test_overview_gives_study_time_and_glossary(nb):
    notebook, _ = nb
    overview = notebook.cells[0].source
    assert STUDY_TIME.search(overview), "the overview gives the study time"
    assert "glossary.md" in overview, "the overview links the glossary (notebooks/glossary.md)"
    assert re.search(r"`cpu` mode", overview) and re.search(r"`full` mode", overview), "machine time per mode"


def test_no_talk_of_the_course_own_tests_or_machines(nb):
    notebook, _ = nb
    found = {i: chatter(c) for i, c in enumerate(notebook.cells) if chatter(c)}
    assert not found, f"say what the learner sees and why, not what the course's tests do: {found}"


def test_no_bare_code_in_markdown(nb):
    notebook, _ = nb
    bare = [
        i
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "markdown" and sum(1 for line in prose(c.source) if CODE_LINE.match(line)) >= 3
    ]
    assert not bare, f"code belongs in a code cell or a fenced block: cells {bare}"


@pytest.mark.parametrize("number", BUDGETED)
def test_budgeted_notebooks_keep_their_budgets(number):
    path = next(p for p in NOTEBOOKS if p.stem.startswith(number))
    assert length_problems(nbformat.read(path, as_version=4), number) == []


def test_the_budgeted_list_is_current():
    """A notebook brought within its budgets is listed, so that it stays there."""
    within = [p.stem[:2] for p in NOTEBOOKS if not length_problems(nbformat.read(p, as_version=4), p.stem[:2])]
    assert sorted(set(within) - set(BUDGETED)) == [], "add these notebooks to BUDGETED"
    if len(BUDGETED) == len(NOTEBOOKS):
        total = sum(
            count_words(prose(c.source))
            for p in NOTEBOOKS
            for c in core_cells(nbformat.read(p, as_version=4))
            if c.cell_type == "markdown"
        )
        assert total <= COURSE_CORE_WORDS, f"the course's core path: {total} words (budget {COURSE_CORE_WORDS})"


def test_the_rules_catch_what_they_should():
    """Each rule fails on a notebook that breaks it (a check that cannot fail checks nothing)."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    long_prose = md(" ".join(["word"] * (CELL_WORDS + 1)) + "\n\n```python\n" + "x = 1\n" * 50 + "```")
    fenced_only = md("Short.\n\n```python\n" + " ".join(["word"] * 500) + "\n```")
    note = nbformat.v4.new_notebook(
        cells=[long_prose, fenced_only, code("\n".join(["x = 1"] * (CELL_LINES + 1))), md("## Solutions"), code("")]
    )
    problems = length_problems(note, "00")
    assert problems == [f"cell 0: {CELL_WORDS + 1} words (at most {CELL_WORDS})", "cell 2: 41 lines (at most 40)"]
    note.cells[0] = md(" ".join(["word"] * (CORE_WORDS["00"] + 1)))
    assert any(p.startswith("core path") for p in length_problems(note, "00"))
    assert chatter(md("A test keeps this honest.")) and chatter(code("x = 1  # measured on the course's CPU"))
    assert not chatter(md("`smoke` mode: every cell in seconds, for tests and CI."))
    assert count_words(prose("| a | b |\n| --- | --- |\n| one | two |")) == 4
    bare = md("def f(x):\n    return x\nprint(f(1))\ny = f(2)")
    assert sum(1 for line in prose(bare.source) if CODE_LINE.match(line)) >= 3


def test_glossary_english_and_french_side_by_side():
    text = (ROOT / "notebooks" / "glossary.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| **")]
    paired = [r for r in rows if len([c for c in r.split("|")[1:-1] if c.strip()]) >= 4]
    assert len(paired) >= 50, f"at least 50 terms with their French and a definition, found {len(paired)}"
    for english, french in (("mixed precision", "précision mixte"), ("throughput", "débit"), ("latency", "latence")):
        assert any(english in r.lower() and french in r.lower() for r in paired), (english, french)
    kernel = next(r for r in rows if r.lower().startswith("| **kernel"))
    assert "CUDA kernel" in kernel and "convolution kernel" in kernel and "noyau" in kernel
    assert "calcul en périphérie" in text
