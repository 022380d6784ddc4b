"""Run modes: one switch, ``COURSE_MODE`` = ``smoke`` | ``cpu`` | ``full``.

* ``full``: real data sizes and epochs (default where a GPU is visible);
* ``cpu``: the same lessons scaled to finish in minutes on a 2-core laptop
  (default where no GPU is visible);
* ``smoke``: every cell runs in seconds on tiny sizes (tests and CI).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import Enum
from typing import TypeVar

T = TypeVar("T")

ENV_VAR = "COURSE_MODE"


class RunMode(str, Enum):  # noqa: UP042  (str() of a member stays "RunMode.CPU", as before)
    SMOKE = "smoke"
    CPU = "cpu"
    FULL = "full"


VALID_MODES: tuple[str, ...] = tuple(m.value for m in RunMode)


class UnknownModeError(ValueError):
    """Raised for a ``COURSE_MODE`` that is not one of :data:`VALID_MODES`."""


def parse_mode(value: str) -> RunMode:
    """Turn a string into a :class:`RunMode`, or explain which values are valid."""
    cleaned = value.strip().lower()
    try:
        return RunMode(cleaned)
    except ValueError:
        raise UnknownModeError(
            f"{ENV_VAR}={value!r} is not a run mode. Valid values: "
            f"{', '.join(VALID_MODES)}. Set it before starting Jupyter, e.g. "
            f"`COURSE_MODE=cpu make lab`, or in a cell: "
            f"`%env {ENV_VAR}=cpu`, then restart the kernel."
        ) from None


def get_mode(has_gpu: bool | Callable[[], bool] | None = None) -> RunMode:
    """Read the run mode from ``COURSE_MODE``.

    When the variable is unset, the default is ``full`` where a GPU is visible
    and ``cpu`` where not. ``has_gpu`` may be a bool or a function (called only
    when needed); by default it asks :func:`course_utils.devices.gpu_count`.
    """
    raw = os.environ.get(ENV_VAR, "")
    if raw.strip():
        return parse_mode(raw)
    if has_gpu is None:
        from course_utils.devices import gpu_count

        has_gpu = gpu_count
    visible = has_gpu() if callable(has_gpu) else has_gpu
    return RunMode.FULL if visible else RunMode.CPU


def pick(mode: RunMode | str, *, smoke: T, cpu: T, full: T) -> T:
    """Return the value that belongs to ``mode`` (the parameters cell's one tool)."""
    mode = parse_mode(mode) if isinstance(mode, str) else mode
    return {RunMode.SMOKE: smoke, RunMode.CPU: cpu, RunMode.FULL: full}[mode]
