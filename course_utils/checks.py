"""Self-checks: compare a learner's answer with what is expected, say clearly
whether it passed, and raise when it did not (so that "Run All" stops there)."""

from __future__ import annotations


class SelfCheckError(AssertionError):
    """A self-check failed: the message says what was expected and what to try."""


def check(condition: bool, success: str, failure: str) -> None:
    """Print ``success`` when ``condition`` holds; raise with ``failure`` otherwise."""
    if not condition:
        raise SelfCheckError(f"✗ Not yet: {failure}")
    print(f"✓ {success}")
