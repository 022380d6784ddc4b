"""The Colab/Kaggle setup cell and badges, generated from one setting, and the supported versions stated once."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import colab

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
    assert colab.COLAB_BADGE_RE.fullmatch(text)


def test_setup_cell_is_short_pinned_no_deps_and_never_touches_the_frameworks():
    from IPython.core.inputtransformer2 import TransformerManager

    source = colab.setup_cell_source("me/course", "v0.2.0")
    assert len(source.splitlines()) <= 12, "the learner-first budget: a setup cell of at most 12 lines"
    assert source.startswith("# @title ") and 'display-mode: "form"' in source.splitlines()[0]
    compile(TransformerManager().transform_cell(source), "cell", "exec")  # IPython syntax, magics included
    assert '"COURSE_INSTALL_SOURCE", "git+https://github.com/me/course.git@v0.2.0"' in source
    assert "%pip install -q --no-deps {SOURCE}\n" in source
    assert set(re.findall(r"[\w-]+==[\d.]+", source)) == {"ai-edge-litert==2.3.0"}  # nothing else is pinned
    for framework in ("tensorflow", "keras", "numpy"):
        assert framework not in source.lower()
    assert "KAGGLE_KERNEL_RUN_TYPE" in source and "turn the Internet on" in source and "make lab" in source


def _run_cell(source, tmp_path, *, platform=True, pip_works=True, installed=False, env=None):
    """Run the cell in a real IPython shell whose `system` (what %pip calls) records the command instead.

    The checkout's own course_utils is hidden, so that the cell sees a runtime without it; a "working" pip
    writes a course_utils package into a folder on sys.path, as pip would into site-packages.
    """
    site = tmp_path / "site"
    site.mkdir()
    if installed:
        (site / "course_utils").mkdir()
        (site / "course_utils" / "__init__.py").write_text("")
    (tmp_path / "cell.py").write_text(source)
    (tmp_path / "run.py").write_text(
        "import os, sys, types\n"
        "sys.meta_path[:] = [f for f in sys.meta_path if '__editable__' not in getattr(f, '__module__', '')]\n"
        f"sys.path.insert(0, {str(site)!r})\n"
        + ("sys.modules['google.colab'] = types.ModuleType('google.colab')\n" if platform else "")
        + "from IPython.core.interactiveshell import InteractiveShell\n"
        "class Shell(InteractiveShell):\n"
        "    def system(self, cmd):\n"
        "        print('RAN', cmd.split(' -m ', 1)[1])\n"
        f"        if {pip_works} and '--no-deps' in cmd:\n"
        f"            os.makedirs({str(site / 'course_utils')!r}, exist_ok=True)\n"
        f"            open({str(site / 'course_utils' / '__init__.py')!r}, 'w').close()\n"
        f"result = Shell.instance().run_cell(open({str(tmp_path / 'cell.py')!r}).read())\n"
        "print('ERROR', repr(result.error_in_exec))\n"
    )
    run_env = {"PATH": "/usr/bin", "HOME": str(tmp_path), "IPYTHONDIR": str(tmp_path / "ipython"), **(env or {})}
    return subprocess.run([sys.executable, "run.py"], cwd=tmp_path, env=run_env, capture_output=True, text=True)


def test_installs_on_colab_with_no_deps_then_the_extras(tmp_path):
    env = {"COURSE_INSTALL_SOURCE": "git+https://github.com/me/fork.git@v9"}
    result = _run_cell(colab.setup_cell_source("me/course", "v0.2.0"), tmp_path, env=env)
    ran = [line for line in result.stdout.splitlines() if line.startswith("RAN")]
    assert ran == [
        "RAN pip install -q --no-deps git+https://github.com/me/fork.git@v9",
        "RAN pip install -q ai-edge-litert==2.3.0",
    ]
    assert "ERROR None" in result.stdout, result.stdout + result.stderr


def test_failed_install_says_what_to_do(tmp_path):
    result = _run_cell(colab.setup_cell_source("me/course", "v0.2.0"), tmp_path, pip_works=False)
    assert "RAN pip install -q --no-deps git+https://github.com/me/course.git@v0.2.0" in result.stdout
    assert "RuntimeError" in result.stdout + result.stderr and "turn the Internet on" in result.stdout + result.stderr


def test_installed_or_local_runs_nothing(tmp_path):
    """Rerunning the cell (or `make test-colab`'s later notebooks) finds course_utils; off Colab/Kaggle it is a no-op."""
    for name, kwargs in (("rerun", {"installed": True}), ("local", {"platform": False, "installed": True})):
        (tmp_path / name).mkdir()
        result = _run_cell(colab.setup_cell_source("me/course", "v0.2.0"), tmp_path / name, **kwargs)
        assert "RAN" not in result.stdout and "ERROR None" in result.stdout, result.stdout + result.stderr


def test_missing_package_says_what_to_do_everywhere(tmp_path):
    """Without `make lab` on a laptop, or on Colab from a copy that names no release: a message, not an ImportError."""
    (tmp_path / "local").mkdir()
    result = _run_cell(colab.setup_cell_source("me/course", "v0.2.0"), tmp_path / "local", platform=False)
    assert "RAN" not in result.stdout and "run `make lab` first" in result.stdout
    (tmp_path / "unconfigured").mkdir()
    result = _run_cell(colab.setup_cell_source("", ""), tmp_path / "unconfigured", pip_works=False)
    assert "No release to install on Colab/Kaggle: set COURSE_INSTALL_SOURCE" in result.stdout


def test_ci_runs_both_test_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("make test\n") < ci.index("make test-colab")
    assert "make test-colab" in (ROOT / "README.md").read_text()


def test_glossary_link_opens_beside_the_notebook_and_on_github():
    link = colab.glossary_link("me/course", "v0.2.0")
    assert link.startswith("[glossary, English–French](glossary.md) ")
    assert "(https://github.com/me/course/blob/v0.2.0/notebooks/glossary.md)" in link
    assert colab.GLOSSARY_RE.fullmatch(link) and colab.GLOSSARY_RE.fullmatch(colab.glossary_link("", ""))
