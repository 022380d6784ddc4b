"""Read every notebook without running it: the course's conventions (STYLE.md)."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB_NOISE = {"outputId", "executionInfo", "colab", "id_str"}


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
    assert f"/blob/main/notebooks/{path.name})" in first.source, "Open-in-Colab badge for this file"


def test_sections_present(nb):
    notebook, _ = nb
    headings = _headings(notebook)
    for section in ("## Setup", "## Exercises", "## Summary"):
        assert section in headings, f"missing '{section}'"


def test_one_parameters_cell(nb):
    notebook, _ = nb
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "cu.pick(" in tagged[0].source


def test_solutions_are_hidden_and_self_checked(nb):
    notebook, _ = nb
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    assert solutions, "exercises need solutions the learner can reveal"
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in solutions)
    assert any("cu.check" in c.source for c in notebook.cells), "at least one self-check"


def test_no_outputs_and_clean_metadata(nb):
    notebook, _ = nb
    assert notebook.metadata.get("accelerator") == "GPU"
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert not COLAB_NOISE & set(notebook.metadata)
    for cell in notebook.cells:
        assert not COLAB_NOISE & set(cell.metadata), f"Colab metadata in cell {cell.get('id')}"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "strip outputs before committing"


def test_installs_only_in_the_guarded_colab_cell(nb):
    notebook, _ = nb
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if re.match(r"\s*[!%]\s*pip", line):
                assert "colab-setup" in cell.metadata.get("tags", []) and line.startswith("    "), line
                assert "--no-deps" in line and "tensorflow" not in line.lower()
