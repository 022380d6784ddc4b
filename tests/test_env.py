import subprocess
import sys
import warnings

import pytest

from course_utils.env import TESTED_VERSIONS, VersionWarning, check_versions, detect_platform


def test_detect_platform():
    assert detect_platform({"google.colab": object()}, {}) == "colab"
    assert detect_platform({}, {"KAGGLE_KERNEL_RUN_TYPE": "Interactive"}) == "kaggle"
    assert detect_platform({}, {}) == "local"


def test_tested_versions_pass_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_versions(dict(TESTED_VERSIONS)) == []


def test_newer_version_warns_but_never_fails():
    with pytest.warns(VersionWarning, match="tensorflow 2.30.0 differs"):
        messages = check_versions({"tensorflow": "2.30.0", "keras": TESTED_VERSIONS["keras"]})
    assert len(messages) == 1


def test_missing_and_too_old_say_what_to_do():
    messages = check_versions({"tensorflow": None, "keras": "2.15.0"})
    assert "tensorflow is not installed" in messages[0] and "make lab" in messages[0]
    assert "too old" in messages[1] and "pip install -U keras" in messages[1]


def test_import_is_fast_and_side_effect_free():
    code = (
        "import sys, course_utils as cu\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported a framework'\n"
        "cu.pick; cu.check; cu.environment()\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'helpers imported a framework'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_tensorflow_is_reported(monkeypatch):
    """With TensorFlow unimportable the doctor reports it instead of crashing."""
    code = (
        "import sys; sys.modules['tensorflow'] = None\n"
        "from course_utils.doctor import gather_facts, diagnose\n"
        "r = diagnose(gather_facts())\n"
        "assert r.facts.tf_version is None\n"
        "assert 'TensorFlow is not installed' in r.text(), r.text()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
