"""Helper package of the course "GPU essentials for deep learning".

Importing it has no side effect: it imports neither TensorFlow nor Keras,
sets no seed and downloads nothing. Each notebook calls
:func:`course_utils.setup_notebook` in its Setup section instead.
The submodules are loaded on first use, so ``import course_utils as cu`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> submodule that defines it; loaded lazily on first attribute access. Only what the notebooks call.
_EXPORTS = {
    "pick": "modes",
    "setup_notebook": "notebook",
    "check": "checks",
    "environment": "env",
    "gpu_doctor": "doctor",
    "grade": "exercises",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'course_utils' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"course_utils.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
