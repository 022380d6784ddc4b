"""Where the course runs (Colab, Kaggle, local) and with which versions."""

from __future__ import annotations

import os
import platform
import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata

# The versions this course was last tested with (the pins of pyproject.toml).
TESTED_VERSIONS: dict[str, str] = {
    "tensorflow": "2.21.0",
    "keras": "3.15.1",
}
# Below these, the course's code does not run: say so instead of failing later.
MINIMUM_VERSIONS: dict[str, str] = {
    "tensorflow": "2.16.0",  # first TensorFlow whose `tf.keras` is Keras 3
    "keras": "3.3.0",  # keras.ops and LossScaleOptimizer as used here
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


def _as_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check_versions(installed: Mapping[str, str | None] | None = None) -> list[str]:
    """Compare installed versions with the tested ones.

    Returns the messages; a missing or too-old package gives a message that
    says what to do, a different minor version a :class:`VersionWarning`
    (never an error: a newer Colab usually works).
    """
    installed = {p: installed_version(p) for p in TESTED_VERSIONS} if installed is None else installed
    messages = []
    for package, tested in TESTED_VERSIONS.items():
        have = installed.get(package)
        if have is None:
            messages.append(
                f"{package} is not installed. Run `make lab` from the course folder (it installs "
                f"everything), or `pip install {package}=={tested}`."
            )
        elif _as_tuple(have) < _as_tuple(MINIMUM_VERSIONS[package]):
            messages.append(
                f"{package} {have} is too old for this course (needs {MINIMUM_VERSIONS[package]} or newer, "
                f"tested with {tested}). Upgrade: `pip install -U {package}=={tested}`."
            )
        elif _as_tuple(have)[:2] != _as_tuple(tested)[:2]:
            msg = (
                f"{package} {have} differs from the tested {tested}: the course should still run; "
                f"if a cell fails, compare with `pip install {package}=={tested}`."
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
