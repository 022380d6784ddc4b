"""Read every notebook without running it: the course's conventions (STYLE.md)."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB_NOISE = {"outputId", "executionInfo", "colab", "id_str"}
SETUP_TAG = "colab-setup"


def test_notebooks_exist_and_are_numbered():
    names = [p.stem for p in NOTEBOOKS]
    assert names, "no notebooks found"
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+", n) for n in names), names
    assert names[0].startswith("00_")


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def nb(request):
    return nbformat.read(request.param, as_version=4), request.param


def _headings(notebook):
    return [line for c in notebook.cells if c.cell_type == "markdown" for line in c.source.splitlines()]


def test_title_and_badge(nb):
    notebook, path = nb
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# {path.stem[:2]} · "), "first line: '# NN · Title'"
    assert f"/notebooks/{path.name})" in first.source and "Open In Colab" in first.source, "Colab badge for this file"
    assert "Open In Kaggle" in first.source, "Kaggle badge for this file"


def test_sections_present(nb):
    notebook, _ = nb
    headings = _headings(notebook)
    for section in ("## Setup", "## Exercises", "## Summary"):
        assert section in headings, f"missing '{section}'"


def test_one_parameters_cell(nb):
    notebook, _ = nb
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "cu.pick(" in tagged[0].source


GRADE_RE = re.compile(r"cu\.grade\(\s*[\"'](\d\d\.\d+)[\"']")


def _h2_index(notebook):
    """Cell index of each '## ' heading, in order."""
    return [
        (i, line)
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]


def test_one_shape_setup_core_exercises_summary_further_solutions(nb):
    """COURSE_PLAN, "Learner-first": overview → Setup → core sections → Exercises → Summary → (Going further) → Solutions."""
    notebook, _ = nb
    h2 = [line.strip() for _, line in _h2_index(notebook)]
    assert _h2_index(notebook)[0] == (1, "## Setup"), "the overview (cell 0), then '## Setup'"
    assert "## Exercises" in h2, "an '## Exercises' section"
    end = h2[h2.index("## Exercises") :]
    assert end in (
        ["## Exercises", "## Summary", "## Solutions"],
        ["## Exercises", "## Summary", "## Going further", "## Solutions"],
    ), f"after the core: Exercises, Summary, (Going further), Solutions; found {end}"
    assert h2.index("## Exercises") > 1, "at least one core section between Setup and Exercises"


def _parts(notebook):
    """(cells before '## Solutions', cells of '## Solutions')."""
    start = next(i for i, line in _h2_index(notebook) if line.strip() == "## Solutions")
    return notebook.cells[:start], notebook.cells[start:]


def test_exercise_pattern_stub_check_then_solution(nb):
    notebook, path = nb
    lesson, solutions = _parts(notebook)
    for cell in lesson:
        assert "solution" not in cell.metadata.get("tags", []), "solution cells belong in '## Solutions'"
        if SETUP_TAG not in cell.metadata.get("tags", []):  # only the setup cell is folded behind its title
            assert not cell.metadata.get("jupyter", {}).get("source_hidden"), "no hidden cells before '## Solutions'"
    graded = []
    code = [c for c in lesson if c.cell_type == "code"]
    for k, cell in enumerate(code):
        for ex_id in GRADE_RE.findall(cell.source):
            assert ex_id.startswith(path.stem[:2] + "."), f"{ex_id} graded in notebook {path.stem[:2]}"
            assert k > 0, ex_id
            stub = code[k - 1].source
            assert "None" in stub or "NotImplemented" in stub, f"{ex_id}: the cell before its check is not a stub"
            graded.append(ex_id)
    assert graded, "every notebook has exercises graded by cu.grade"
    assert len(graded) == len(set(graded)), f"an exercise is checked twice before '## Solutions': {graded}"
    solved = [i for c in solutions if c.cell_type == "code" for i in GRADE_RE.findall(c.source)]
    assert sorted(solved) == sorted(graded), "each exercise's solution is followed by the same check"
    from course_utils.exercises import registered

    assert sorted(graded) == registered(path.stem[:2]), "the notebook's exercises are those registered in course_utils"
    tests = ROOT / "tests" / f"test_exercises_nb{path.stem[:2]}.py"
    assert tests.exists(), f"{tests.name}: unit tests of the checks (right, stub, typical wrong answer)"
    for ex_id in graded:
        called = re.search(rf'\(\s*"{re.escape(ex_id)}"\s*,', tests.read_text())
        assert called, f'{tests.name} does not grade exercise {ex_id} (e.g. verdict("{ex_id}", ...))'


def test_lessons_have_self_checks(nb):
    notebook, _ = nb
    lesson, _ = _parts(notebook)
    assert any("cu.check" in c.source for c in lesson if c.cell_type == "code"), "at least one self-check"


def test_no_outputs_and_clean_metadata(nb):
    notebook, _ = nb
    assert notebook.metadata.get("accelerator") == "GPU"
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert not (COLAB_NOISE - {"colab"}) & set(notebook.metadata)
    assert set(notebook.metadata.get("colab", {})) <= {"collapsed_sections"}, "only Colab's folded sections"
    for cell in notebook.cells:
        assert not COLAB_NOISE & set(cell.metadata), f"Colab metadata in cell {cell.get('id')}"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip outputs before committing"


def test_installs_only_in_the_guarded_colab_cell(nb):
    notebook, _ = nb
    setup = [c for c in notebook.cells if SETUP_TAG in c.metadata.get("tags", [])]
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(setup) == 1 and setup[0] is code[0], "the setup cell is the first code cell"
    assert 'if ("google.colab" in sys.modules or "KAGGLE_KERNEL_RUN_TYPE" in os.environ)' in setup[0].source
    assert "%pip install -q --no-deps {SOURCE}" in setup[0].source
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell in setup:
            continue
        for line in cell.source.splitlines():
            assert not re.match(r"\s*[!%]\s*pip", line), f"pip install outside the guarded setup cell: {line}"
            assert not re.search(r"-m\"?,? *\"?pip\"?,? *\"?install", line), f"pip run outside the setup cell: {line}"
