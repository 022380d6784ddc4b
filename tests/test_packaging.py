"""pyproject.toml and environment.yml list the same packages; every conda pin says why."""

import re
import tomllib
from pathlib import Path

import yaml

from tools.colab import configured_repository
from tools.colab import main as colab_main

ROOT = Path(__file__).resolve().parent.parent


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _normalise(req: str) -> str:
    return re.sub(r"\s+", "", req).replace('"', "'")


def _pip_lines():
    raw = (ROOT / "environment.yml").read_text()
    env = yaml.safe_load(raw)
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    return raw, [p for p in pip if p != "-e ."]


def test_environment_yml_matches_pyproject():
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    expected = project["dependencies"] + extras["cpu"] + extras["lab"] + extras["dev"]
    _, pip = _pip_lines()
    assert sorted(map(_normalise, pip)) == sorted(map(_normalise, expected))


def test_every_conda_pin_is_commented():
    raw, pip = _pip_lines()
    for req in pip:
        line = next(line for line in raw.splitlines() if req in line)
        assert "#" in line.split(req, 1)[1], f"environment.yml: say why {req!r} is pinned"


def test_pins_have_one_source():
    """pyproject.toml holds the pins and the Python range; everything else is read from it or checked here, once:
    course_utils.env reads them from the package's metadata, environment.yml lists the same requirements (the test
    above), and the README, the Makefile's gate and conda's Python say what pyproject says. Colab's versions (the
    floor) live in tests/colab/requirements-colab.txt."""
    from course_utils.env import MINIMUM_VERSIONS, SUPPORTED_PYTHON, TESTED_VERSIONS, pinned_versions

    project = _pyproject()["project"]
    pins = pinned_versions(project["dependencies"] + project["optional-dependencies"]["cpu"])
    assert (
        TESTED_VERSIONS == pins
        and pinned_versions(project["optional-dependencies"]["gpu"])["tensorflow"] == pins["tensorflow"]
    )
    (low, high) = SUPPORTED_PYTHON
    assert project["requires-python"] == f">=3.{low[1]},<3.{high[1] + 1}"
    assert f"({low[0]}, {low[1]}) <= v <= ({high[0]}, {high[1]})" in (ROOT / "Makefile").read_text()
    conda_python = re.search(r"- python=3\.(\d+)", (ROOT / "environment.yml").read_text())
    assert conda_python and low[1] <= int(conda_python.group(1)) <= high[1]
    readme = (ROOT / "README.md").read_text()
    versions = [f"3.{m}" for m in range(low[1], high[1] + 1)]
    assert f"Python {', '.join(versions[:-1])} or {versions[-1]}" in readme
    assert f"TensorFlow {pins['tensorflow']}" in readme and f"Keras {pins['keras']}" in readme
    assert f"TensorFlow {MINIMUM_VERSIONS['tensorflow']}" in readme and f"Keras {MINIMUM_VERSIONS['keras']}" in readme
    colab_lines = (ROOT / "tests" / "colab" / "requirements-colab.txt").read_text().splitlines()
    colab = pinned_versions(
        [line.split("#")[0] for line in colab_lines if line.startswith(("tensorflow-cpu==", "keras=="))]
    )
    assert colab["tensorflow"] == MINIMUM_VERSIONS["tensorflow"], "the floor is Colab's TensorFlow"
    assert colab["keras"].rsplit(".", 1)[0] == MINIMUM_VERSIONS["keras"].rsplit(".", 1)[0], "the floor is Colab's Keras"


def test_badges_and_colab_cells_match_the_configured_repository():
    configured_repository()  # raises on a malformed value
    assert colab_main(["--check"]) == 0, "run `make badges` (python -m tools.colab --write)"


def test_every_root_export_resolves_and_is_used_by_a_notebook():
    import course_utils as cu

    notebooks = "".join(p.read_text() for p in (ROOT / "notebooks").glob("*.ipynb"))
    for name in cu.__all__:
        if name != "__version__":
            assert getattr(cu, name) is not None
            assert f"cu.{name}" in notebooks, f"course_utils.{name} is exported but no notebook uses it"


def test_the_workflow_runs_targets_the_makefile_has():
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.M))
    used = set(re.findall(r"make ([a-z][\w-]*)", workflow))
    assert used and used <= targets, f"targets the workflow runs but the Makefile lacks: {used - targets}"
    assert {"test-unit", "test-notebooks", "test-colab"} <= used
