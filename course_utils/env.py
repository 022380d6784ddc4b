"""Where the course runs (Colab, Kaggle, local) and with which versions."""

from __future__ import annotations

import os
import platform
import re
import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata

from packaging.version import InvalidVersion, Version


def pinned_versions(requirements: list[str]) -> dict[str, str]:
    """TensorFlow's and Keras's pins (``==``) in a list of requirements, as ``{"tensorflow": ..., "keras": ...}``."""
    from packaging.requirements import Requirement

    pins = {}
    for text in requirements:
        req = Requirement(text)
        name = "tensorflow" if req.name in ("tensorflow-cpu", "tensorflow") else req.name
        exact = [spec.version for spec in req.specifier if spec.operator == "=="]
        if name in ("tensorflow", "keras") and exact:
            pins.setdefault(name, exact[0])
    return pins


def _project() -> tuple[str, list[str]]:
    """``requires-python`` and the requirements of course_utils, from ONE source: pyproject.toml, as pip recorded
    it in the installed package's metadata (Colab's --no-deps install too), or read from the checkout beside it."""
    try:
        meta = metadata.metadata("course_utils")
        return meta["Requires-Python"], metadata.requires("course_utils") or []
    except metadata.PackageNotFoundError:  # run from a checkout (make gpu-check): read its pyproject.toml
        import tomllib
        from pathlib import Path

        project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
        extras = project["optional-dependencies"]
        return project["requires-python"], project["dependencies"] + extras["cpu"]


def _python_range(requires: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """``">=3.11,<3.14"`` -> ``((3, 11), (3, 13))``."""
    low = re.search(r">=\s*3\.(\d+)", requires)
    high = re.search(r"<\s*3\.(\d+)", requires)
    return (3, int(low.group(1))), (3, int(high.group(1)) - 1)


# The supported Python range and the versions this course was last tested with (the pins `make lab` installs):
# read from pyproject.toml's requires-python and pins, never written twice. Keras 3.15 needs Python 3.11 or newer;
# TensorFlow 2.21 and ai-edge-litert 2.3 publish wheels up to 3.13.
_REQUIRES_PYTHON, _REQUIREMENTS = _project()
SUPPORTED_PYTHON: tuple[tuple[int, int], tuple[int, int]] = _python_range(_REQUIRES_PYTHON)
TESTED_VERSIONS: dict[str, str] = pinned_versions(_REQUIREMENTS)

# The floor: Colab's own versions (googlecolab/backend-info, pip-freeze.gpu.txt, 2026), which the course must
# run on without touching them (`make test-colab` runs every notebook at these versions). Below it: stop, say why.
MINIMUM_VERSIONS: dict[str, str] = {
    "tensorflow": "2.20.0",
    "keras": "3.13.0",
}
# Distribution names to try for each package (TensorFlow ships as several).
_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tf-nightly", "tensorflow-macos"),
    "keras": ("keras",),
}


class VersionWarning(UserWarning):
    """Installed versions differ from the tested ones: usually fine, worth knowing."""


def detect_platform(modules: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Return ``"colab"``, ``"kaggle"`` or ``"local"``."""
    modules = sys.modules if modules is None else modules
    environ = os.environ if environ is None else environ
    if "google.colab" in modules or "COLAB_RELEASE_TAG" in environ:
        return "colab"
    if "KAGGLE_KERNEL_RUN_TYPE" in environ or "KAGGLE_URL_BASE" in environ:
        return "kaggle"
    return "local"


def installed_version(package: str) -> str | None:
    """Version of an installed package (without importing it), or ``None``."""
    for dist in _DISTRIBUTIONS.get(package, (package,)):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return None


def parse_version(version: str) -> Version:
    """A full :class:`~packaging.version.Version` (``2.20.0rc0 < 2.20.0``); an unparsable string counts as 0.

    The course's one way to compare versions: the setup's floor (:func:`below_floor`), the tested-version
    warning (:func:`check_versions`) and the GPU doctor all use it.
    """
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


class UnsupportedVersionError(RuntimeError):
    """TensorFlow or Keras is missing or below the course's floor: the message says what to do."""


def below_floor(installed: Mapping[str, str | None] | None = None) -> list[str]:
    """Messages for each package that is missing or older than :data:`MINIMUM_VERSIONS` (empty when fine)."""
    installed = {p: installed_version(p) for p in MINIMUM_VERSIONS} if installed is None else installed
    platform_name = detect_platform()
    found = []
    for package, floor in MINIMUM_VERSIONS.items():
        have = installed.get(package)
        tested = TESTED_VERSIONS[package]
        if have is None:
            how = (
                "On Colab or Kaggle, start a fresh runtime (Runtime > Disconnect and delete runtime)."
                if platform_name != "local"
                else "Run `make lab` from the course folder (it installs everything)."
            )
            found.append(f"{package} is not installed, and the course needs {package} {floor} or newer. {how}")
        elif parse_version(have) < parse_version(floor):
            how = (
                "On Colab: Runtime > Change runtime type (a current runtime version), or Runtime > Disconnect and "
                "delete runtime for a fresh one; never pip-install TensorFlow over Colab's own."
                if platform_name == "colab"
                else f"Run `make lab` (it installs the tested {package} {tested}), or `pip install -U '{package}>={floor}'`."
            )
            found.append(
                f"{package} {have} is older than the course's floor {floor} (tested with {tested}). "
                f"Lesson cells would fail in confusing ways. {how}"
            )
    return found


def check_versions(installed: Mapping[str, str | None] | None = None) -> list[str]:
    """Compare installed versions with the tested ones.

    Returns the messages; a missing or too-old package gives a message that
    says what to do, a different minor version a :class:`VersionWarning`
    (never an error: a newer Colab usually works).
    """
    installed = {p: installed_version(p) for p in TESTED_VERSIONS} if installed is None else installed
    messages = below_floor(installed)
    for package, tested in TESTED_VERSIONS.items():
        have = installed.get(package)
        if have is None or parse_version(have) < parse_version(MINIMUM_VERSIONS[package]):
            continue  # said by below_floor
        if parse_version(have).release[:2] != parse_version(tested).release[:2]:
            msg = (
                f"{package} {have} differs from the tested {tested} but is within the supported range "
                f"(>= {MINIMUM_VERSIONS[package]}): the course runs; if a cell fails, compare with "
                f"`pip install {package}=={tested}`."
            )
            warnings.warn(msg, VersionWarning, stacklevel=2)
            messages.append(msg)
    return messages


@dataclass
class Environment:
    platform: str
    python: str
    os: str
    versions: dict[str, str | None] = field(default_factory=dict)

    def summary(self) -> str:
        vers = ", ".join(f"{k} {v or 'missing'}" for k, v in self.versions.items())
        return f"{self.platform} · Python {self.python} · {self.os} · {vers}"


def environment() -> Environment:
    """Facts about where the course runs, gathered without importing TensorFlow."""
    versions = {p: installed_version(p) for p in ("tensorflow", "keras", "jax", "torch", "numpy")}
    return Environment(
        platform=detect_platform(),
        python=platform.python_version(),
        os=f"{platform.system()} {platform.machine()}",
        versions=versions,
    )
