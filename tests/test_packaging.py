"""pyproject.toml and environment.yml list the same packages; every conda pin says why."""

import re
from pathlib import Path

import yaml

from course_utils.colab import configured_repository
from course_utils.colab import main as colab_main
from course_utils.env import TESTED_VERSIONS

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

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


def test_tested_versions_are_the_pins():
    project = _pyproject()["project"]
    pins = project["dependencies"] + project["optional-dependencies"]["cpu"]
    assert f"keras=={TESTED_VERSIONS['keras']}" in pins
    assert f"tensorflow-cpu=={TESTED_VERSIONS['tensorflow']}" in pins
    assert f"tensorflow[and-cuda]=={TESTED_VERSIONS['tensorflow']}" in project["optional-dependencies"]["gpu"]


def test_badges_and_colab_cells_match_the_configured_repository():
    configured_repository()  # raises on a malformed value
    assert colab_main(["--check"]) == 0, "run `make badges` (python -m course_utils.colab --write)"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
