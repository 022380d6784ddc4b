import subprocess
import sys
import warnings

import pytest

from course_utils.env import (
    MINIMUM_VERSIONS,
    TESTED_VERSIONS,
    VersionWarning,
    below_floor,
    check_versions,
    detect_platform,
    parse_version,
)


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
    assert "keras 2.15.0 is older than the course's floor 3.13.0" in messages[1] and "make lab" in messages[1]


def test_inside_the_range_is_a_warning_below_the_floor_is_not():
    """Colab's versions (the floor) run with a warning; one minor release below stops with the fix."""
    with pytest.warns(VersionWarning, match="within the supported range"):
        assert len(check_versions(dict(MINIMUM_VERSIONS))) == 2
    assert below_floor(dict(MINIMUM_VERSIONS)) == []
    assert len(below_floor({"tensorflow": "2.19.1", "keras": "3.13.2"})) == 1
    assert "2.19.1 is older" in below_floor({"tensorflow": "2.19.1", "keras": "3.13.2"})[0]


def test_below_the_floor_on_colab_says_change_the_runtime(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", object())
    message = below_floor({"tensorflow": "2.18.0", "keras": "3.13.2"})[0]
    assert "Runtime > Change runtime type" in message and "never pip-install TensorFlow" in message


def test_versions_are_parsed_not_split():
    assert parse_version("2.21.0rc1") < parse_version("2.21.0") < parse_version("2.21.1") < parse_version("2.100.0")
    assert parse_version("2.20.0.dev20250101").release == (2, 20, 0)
    assert parse_version("not-a-version") < parse_version("0.0.1")
    assert below_floor({"tensorflow": "2.20.0rc0", "keras": "3.13.0"}) != []  # a release candidate is below 2.20.0
    assert below_floor({"tensorflow": "not-a-version", "keras": "3.13.0"}) != []


def test_setup_stops_below_the_floor_before_any_lesson():
    code = (
        "import course_utils.env as env, course_utils.notebook as nb\n"
        "nb.below_floor = lambda: ['tensorflow 2.19.0 is older than the course floor 2.20.0']\n"
        "nb.setup_notebook()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "UnsupportedVersionError" in result.stderr and "2.19.0 is older" in result.stderr
    assert "import tensorflow" not in result.stderr


def test_import_is_side_effect_free():
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


def test_pins_are_read_from_requirements():
    from course_utils.env import _python_range, pinned_versions

    requires = [
        "keras==3.15.1",
        "numpy>=1.26,<3",
        'tensorflow-cpu==2.21.0; extra == "cpu"',
        "tensorflow[and-cuda]==2.21.0",
    ]
    assert pinned_versions(requires) == {"keras": "3.15.1", "tensorflow": "2.21.0"}
    assert pinned_versions(["keras>=3.13"]) == {}
    assert _python_range(">=3.11,<3.14") == ((3, 11), (3, 13))
