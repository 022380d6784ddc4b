"""The Colab/Kaggle setup cell and badges, generated from one setting, and the supported versions stated once."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from course_utils import colab
from course_utils.env import MINIMUM_VERSIONS, SUPPORTED_PYTHON, TESTED_VERSIONS

ROOT = Path(__file__).resolve().parent.parent


def _pyproject(tmp_path, repository="", ref=""):
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[tool.course]\nrepository = "{repository}"\nref = "{ref}"\n')
    return path


def test_configured_setting_is_validated(tmp_path):
    assert colab.configured_repository(_pyproject(tmp_path)) == ""
    assert colab.configured_ref(_pyproject(tmp_path, "me/course", "v0.2.0")) == "v0.2.0"
    with pytest.raises(ValueError, match="ref is empty"):
        colab.configured_ref(_pyproject(tmp_path, "me/course", ""))
    with pytest.raises(ValueError, match="owner/name"):
        colab.configured_repository(_pyproject(tmp_path, "not a repo"))


def test_badges_open_the_pinned_ref_in_colab_and_kaggle():
    text = colab.badge("06_cnn_mnist.ipynb", "me/course", "v0.2.0")
    assert "colab.research.google.com/github/me/course/blob/v0.2.0/notebooks/06_cnn_mnist.ipynb" in text
    assert (
        "kaggle.com/kernels/welcome?src=https://github.com/me/course/blob/v0.2.0/notebooks/06_cnn_mnist.ipynb" in text
    )
    assert colab.BADGE_RE.fullmatch(text)


def test_setup_cell_is_pinned_no_deps_and_never_touches_the_frameworks():
    source = colab.setup_cell_source("me/course", "v0.2.0")
    compile(re.sub(r"get_ipython\(\)", "None", source), "cell", "exec")  # plain Python, no magics
    assert '"COURSE_INSTALL_SOURCE", "git+https://github.com/me/course.git@v0.2.0"' in source
    assert '["--no-deps", COURSE_SOURCE]' in source
    assert '["--no-deps", COURSE_SOURCE], ["ai-edge-litert==2.3.0"]' in source
    assert set(re.findall(r"[\w-]+==[\d.]+", source)) == {"ai-edge-litert==2.3.0"}  # nothing else is pinned
    for framework in ("tensorflow", "keras", "numpy"):
        assert f'"{framework}' not in source.lower()
    assert "KAGGLE_KERNEL_RUN_TYPE" in source and "Settings > Internet" in source


def _run_cell(source, env, tmp_path):
    """Run the cell in a fresh IPython-like interpreter with a stand-in get_ipython and pip."""
    shim = tmp_path / "shim.py"
    shim.write_text(
        "import builtins, subprocess, sys, types\n"
        "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        "class Shell:\n"
        "    def set_custom_exc(self, types_, handler): print('handler set for', [t.__name__ for t in types_])\n"
        "builtins.get_ipython = lambda: Shell()\n"
        "class Done: returncode = 1; stderr = 'ERROR: Could not find a version that satisfies the requirement'\n"
        "subprocess.run = lambda *a, **k: (print('pip', *a[0][3:]), Done())[1]\n"
        f"exec(compile(open({str(tmp_path / 'cell.py')!r}).read(), 'cell', 'exec'))\n"
    )
    (tmp_path / "cell.py").write_text(source)
    return subprocess.run([sys.executable, str(shim)], env=env, capture_output=True, text=True)


def test_unconfigured_cell_on_colab_says_what_to_do(tmp_path):
    result = _run_cell(colab.setup_cell_source("", ""), {"PATH": "/usr/bin"}, tmp_path)
    assert result.returncode != 0 and "CourseSetupError" in result.stderr
    assert "[tool.course] repository and ref" in result.stderr and "COURSE_INSTALL_SOURCE" in result.stderr
    assert "handler set for ['ImportError', 'CourseSetupError']" in result.stdout


def test_failed_install_names_the_setting_and_the_fix(tmp_path):
    env = {"PATH": "/usr/bin", "COURSE_INSTALL_SOURCE": "git+https://github.com/me/typo.git@v9"}
    result = _run_cell(colab.setup_cell_source("me/course", "v0.2.0"), env, tmp_path)
    assert "pip install -q --no-deps git+https://github.com/me/typo.git@v9" in result.stdout
    assert "Could not find a version" in result.stderr and "repository and ref" in result.stderr
    assert "Settings > Internet" in result.stderr


def test_supported_range_is_stated_once_and_everywhere():
    low, high = SUPPORTED_PYTHON
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={low[0]}.{low[1]},<{high[0]}.{high[1] + 1}"
    makefile = (ROOT / "Makefile").read_text()
    assert f"({low[0]}, {low[1]}) <= v <= ({high[0]}, {high[1]})" in makefile
    readme = (ROOT / "README.md").read_text()
    versions = [f"3.{m}" for m in range(low[1], high[1] + 1)]
    assert f"Python {', '.join(versions[:-1])} or {versions[-1]}" in readme
    assert "3.10" not in readme.split("## Two commands")[1].split("##")[0]
    env_yml = (ROOT / "environment.yml").read_text()
    python = re.search(r"- python=3\.(\d+)", env_yml)
    assert python and low[1] <= int(python.group(1)) <= high[1]
    assert f"TensorFlow {MINIMUM_VERSIONS['tensorflow']}" in readme and f"Keras {MINIMUM_VERSIONS['keras']}" in readme
    assert f"TensorFlow {TESTED_VERSIONS['tensorflow']}" in readme
    reqs = (ROOT / "tests" / "colab" / "requirements-colab.txt").read_text()
    assert f"tensorflow-cpu=={MINIMUM_VERSIONS['tensorflow']}" in reqs
    keras = re.search(r"^keras==(3\.\d+)\.\d+", reqs, re.M)
    assert keras and MINIMUM_VERSIONS["keras"].startswith(keras.group(1) + "."), "the floor is Colab's Keras"


def test_ci_runs_both_test_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("make test\n") < ci.index("make test-colab")
    assert "make test-colab" in (ROOT / "README.md").read_text()


def test_installed_from_the_same_source_is_not_reinstalled(tmp_path):
    """Rerunning the cell (or the next notebook on the same runtime) reuses what pip recorded in direct_url.json."""
    env = {"PATH": "/usr/bin", "COURSE_INSTALL_SOURCE": str(ROOT)}  # .venv installed the checkout (editable)
    result = _run_cell(colab.setup_cell_source("me/course", "v0.2.0"), env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "already installed from" in result.stdout and "pip install" not in result.stdout
