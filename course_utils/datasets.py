"""Where the course keeps its downloads (more loaders come with the datasets layer)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "COURSE_DATA_DIR"


def data_dir() -> Path:
    """The course's data folder: ``$COURSE_DATA_DIR``, else ``data/`` of a checkout, else ``~/course_data``."""
    if os.environ.get(ENV_VAR):
        path = Path(os.environ[ENV_VAR]).expanduser()
    else:
        checkout = Path(__file__).resolve().parent.parent / "data"
        path = checkout if (checkout / "README.md").exists() else Path.home() / "course_data"
    path.mkdir(parents=True, exist_ok=True)
    return path
