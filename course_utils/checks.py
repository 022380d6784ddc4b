"""Self-checks: compare a learner's answer with what is expected, say clearly
whether it passed, and raise when it did not (so the tests notice)."""

from __future__ import annotations

import math


class SelfCheckError(AssertionError):
    """A self-check failed: the message says what was expected and what to try."""


def check(condition: bool, success: str, failure: str) -> None:
    """Print ``success`` when ``condition`` holds; raise with ``failure`` otherwise."""
    if not condition:
        raise SelfCheckError(f"✗ Not yet: {failure}")
    print(f"✓ {success}")


def check_close(
    actual: float, expected: float, *, rel: float = 1e-6, abs_tol: float = 0.0, what: str = "value"
) -> None:
    """Check that ``actual`` is within ``rel`` (relative) or ``abs_tol`` of ``expected``."""
    ok = math.isclose(float(actual), float(expected), rel_tol=rel, abs_tol=abs_tol)
    check(
        ok,
        f"{what} = {actual:.6g} (expected {expected:.6g})",
        f"{what} is {actual:.6g}, expected {expected:.6g} (tolerance {rel:.0%} relative).",
    )
