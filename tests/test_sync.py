"""The notebooks are the source of the code they teach: course_utils/lessons/ is exactly what `make sync` writes."""

import json
import shutil
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from tools import sync

ROOT = Path(__file__).resolve().parent.parent


def test_generated_files_are_their_notebooks_cells(tmp_path):
    """Export every notebook into tmp_path: each file there equals the package's copy, and the package has no other."""
    files = sync.generate()
    sync.write(files, tmp_path)
    generated = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.py"))
    assert generated == sorted(files)
    assert {"nb01.py", "nb06.py", "nb07.py", "nb08.py", "scripts/nb09_worker.py"} <= set(files)
    for name in generated:
        assert (sync.LESSONS / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), (
            f"course_utils/lessons/{name} differs from its notebook: run `make sync`"
        )
    assert sync.differences(files) == [], "run `make sync`"


def test_the_same_notebooks_give_the_same_bytes(tmp_path):
    assert sync.generate() == sync.generate()
    sync.write(sync.generate(), tmp_path)
    assert sync.write(sync.generate(), tmp_path) == []


def test_an_edited_cell_is_caught_and_a_sync_fixes_it(tmp_path):
    notebooks, lessons = tmp_path / "notebooks", tmp_path / "lessons"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / "06_cnn_mnist.ipynb", notebooks)
    sync.write(sync.generate(notebooks), lessons)
    path = notebooks / "06_cnn_mnist.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if c["source"] and "".join(c["source"]).startswith("#| export\ndef tutorial_cnn")]
    cell["source"] = "".join(cell["source"]).replace("Conv2D(32,", "Conv2D(16,")
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert sync.differences(sync.generate(notebooks), lessons) == ["nb06.py: differs from its notebook"]
    assert sync.main(["--check", "--notebooks", str(notebooks), "--out", str(lessons)]) == 1
    assert sync.main(["--notebooks", str(notebooks), "--out", str(lessons)]) == 0
    assert "Conv2D(16," in (lessons / "nb06.py").read_text()
    assert sync.differences(sync.generate(notebooks), lessons) == []


def _notebook(folder: Path, *sources: str, name: str = "05_demo.ipynb") -> Path:
    cells = [{"cell_type": "markdown", "id": "md", "metadata": {}, "source": "# 05 · Demo"}]
    cells += [
        {"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
        for i, s in enumerate(sources)
    ]
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_what_is_exported_and_how(tmp_path):
    path = _notebook(
        tmp_path,
        "#| export\nimport math\n\nTAU = 2 * math.pi",
        "print('not exported')",
        "#|export\ndef half(x):\n    return x / 2",
        "%%writefile {target}\n#| export demo_worker.py\nimport sys\n\nprint(sys.argv)\n",
        "%%time\nhalf(2)",
    )
    files = sync.export_notebook(path)
    assert sorted(files) == ["nb05.py", "scripts/demo_worker.py"]
    module = files["nb05.py"]
    assert module.startswith("# Generated from notebooks/05_demo.ipynb by `make sync`") and "Do not edit" in module
    assert "TAU = 2 * math.pi" in module and "def half(x):" in module and '"""Notebook 05\'s' in module
    assert "#|" not in module.replace("`#| export`", "") and "not exported" not in module and "x = 1" not in module
    script = files["scripts/demo_worker.py"]
    assert script.splitlines()[2:] == ["import sys", "", "print(sys.argv)"] and "%%writefile" not in script
    namespace = {}
    exec(compile(module, "nb05.py", "exec"), namespace)  # noqa: S102 - the module is plain Python
    assert namespace["half"](namespace["TAU"]) == pytest.approx(3.14159, rel=1e-5)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("#| export\n%pip install numpy", "not plain Python"),
        ("#| exports\nx = 1", "unknown directive"),
        ("# a comment, then\n#| export\nx = 1", "must be the cell's first line"),
        ("#| export other.py\nx = 1", "only a `%%writefile` cell"),
        ("%%bash\n#| export run.py\necho hi", "must be `%%writefile`"),
        ("%%writefile x.py\n#| export Bad-Name.py\nx = 1", "must be `%%writefile`"),
    ],
)
def test_a_cell_that_cannot_be_exported_is_named(tmp_path, source, message):
    path = _notebook(tmp_path, source)
    with pytest.raises(sync.ExportError, match=message) as info:
        sync.export_notebook(path)
    assert "notebooks/05_demo.ipynb, cell c0" in str(info.value)


def test_a_file_no_notebook_exports_any_more_is_removed(tmp_path):
    (tmp_path / "nb99.py").write_text("# Generated from notebooks/99_gone.ipynb by `make sync` ...\n")
    (tmp_path / "__init__.py").write_text('"""Written by hand: never touched."""\n')
    files = sync.export_notebook(_notebook(tmp_path / "nbs", "#| export\nx = 1"))
    assert sync.differences(files, tmp_path) == ["nb05.py: missing", "nb99.py: no notebook exports it any more"]
    sync.write(files, tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.py")) == ["__init__.py", "nb05.py"]


def test_lessons_import_no_framework():
    """`import course_utils` stays light: the generated modules import Keras inside their functions only."""
    code = (
        "import sys\n"
        "import course_utils.lessons.nb01, course_utils.lessons.nb06, course_utils.lessons.nb07\n"
        "import course_utils.lessons.nb08, course_utils.models, course_utils.recipes, course_utils.distributed\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'a lessons module imported a framework'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_generated_scripts_are_package_data():
    """A wheel holds only what pyproject.toml declares: every generated script matches a package-data pattern."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    scripts = [f"lessons/{name}" for name in sync.generate() if name.startswith("scripts/")]
    assert scripts and all(any(fnmatch(s, p) for p in patterns["course_utils"]) for s in scripts)
