"""Exercises that grade the learner's own answer.

Every exercise in the course has the same three cells: the task (in italics), a stub the learner fills in
(``answer = None``, or a function whose body returns ``NotImplemented``), and a check cell::

    cu.grade("01.1", dense_flops)

:func:`grade` gives one of three verdicts:

* **not attempted**: the stub is untouched. It prints where to look and raises nothing, so *Run all*
  goes through a notebook nobody has worked on;
* **wrong**: a ✗ with a hint that names the idea to revisit, raised as :class:`ExerciseError`;
* **right**: a ✓ and one sentence on why it matters.

The checks live here, one module per notebook (``nb00`` ... ``nb10``), each exercise registered under
its id ``"NN.k"`` with :func:`exercise`. Each computes its own ground truth, independently of the
solution shown in the notebook's ``## Solutions`` section, and the unit tests feed it the right answer,
the untouched stub and a typical wrong answer.

A grader is a function ``grader(answer, **context) -> str``: it returns the "why it matters" sentence when
the answer is right, calls :func:`wrong` with a hint otherwise, and may call :func:`not_attempted` (or
:func:`call`, which does it for a stub function) when it finds the stub untouched inside the answer.

**Multi-part answers** (one convention for the whole course): the stub names every part, and the check cell
passes them as one tuple, in the order the task names them::

    needs_gb, fits = None, None  # your answers
    cu.grade("04.1", (needs_gb, fits))

A tuple whose parts are all stubs is *not attempted*; a tuple with some parts still ``None`` is *wrong*, with a
hint naming the part to fill in. Context the notebook provides (not the learner) goes in keyword arguments.

Graders accept every right answer however it is written: :func:`same_text` compares labels whatever their case,
hyphens or spacing; :func:`boolean` takes Python and NumPy booleans; :func:`number` any real number (NumPy
scalars and 0-d arrays included). They observe results; they never patch a library.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course_utils.checks import SelfCheckError

NOT_ATTEMPTED, WRONG, RIGHT = "not attempted", "wrong", "right"


class ExerciseError(SelfCheckError):
    """The learner's answer is wrong: the message carries the hint."""


class _Wrong(Exception):
    pass


class _NotAttempted(Exception):
    pass


@dataclass(frozen=True)
class Exercise:
    id: str  # "NN.k": notebook NN, exercise k
    title: str
    where: str  # where in the notebook to look for the idea
    grader: Callable[..., str]


_REGISTRY: dict[str, Exercise] = {}


def exercise(id: str, title: str, where: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register ``grader`` as the check of exercise ``id`` (``"NN.k"``)."""

    def register(grader: Callable[..., str]) -> Callable[..., str]:
        if id in _REGISTRY:
            raise ValueError(f"exercise {id!r} is registered twice")
        _REGISTRY[id] = Exercise(id, title, where, grader)
        return grader

    return register


def wrong(hint: str) -> None:
    """Inside a grader: the answer is wrong; ``hint`` names the idea to revisit."""
    raise _Wrong(hint)


def expect(condition: bool, hint: str) -> None:
    """Inside a grader: :func:`wrong` with ``hint`` unless ``condition`` holds."""
    if not condition:
        wrong(hint)


def not_attempted() -> None:
    """Inside a grader: the learner has not filled in the stub yet."""
    raise _NotAttempted()


def is_stub(answer: Any) -> bool:
    """True for an untouched stub: ``None``, ``NotImplemented`` or ``...``."""
    return answer is None or answer is NotImplemented or answer is Ellipsis


def parts(answer: tuple, names: tuple[str, ...]) -> tuple:
    """The parts of a multi-part answer (a tuple in the order of ``names``); :func:`wrong` when one is missing."""
    if not isinstance(answer, tuple) or len(answer) != len(names):
        wrong(f"pass the {len(names)} parts as one tuple, in this order: ({', '.join(names)}).")
    missing = [name for name, part in zip(names, answer) if is_stub(part)]
    if missing:
        wrong(f"fill in every part: {', '.join(missing)} is still None.")
    return answer


def same_text(answer: Any, *truths: str) -> bool:
    """True when ``answer`` is one of ``truths`` up to case, hyphens, underscores and spacing."""
    return isinstance(answer, str) and normalise(answer) in {normalise(t) for t in truths}


def normalise(text: str) -> str:
    """``text`` in lower case with hyphens, underscores and runs of spaces as one space."""
    return " ".join(re.sub(r"[-_\s]+", " ", text).lower().split())


def boolean(answer: Any, what: str = "your answer") -> bool:
    """The answer as a bool: ``True``/``False`` and NumPy's booleans; :func:`wrong` for anything else."""
    if type(answer).__name__ in ("bool", "bool_") and type(answer).__module__ in ("builtins", "numpy"):
        return bool(answer)
    wrong(f"{what} should be True or False, got {answer!r}.")


def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's function: an untouched stub (returns ``NotImplemented``) is not attempted; ``None``
    (a forgotten ``return``) and an exception raised inside it are hints, not tracebacks."""
    if not callable(fn):
        wrong(f"expected a function, got {type(fn).__name__}: define it with `def` as in the stub.")
    try:
        result = fn(*args, **kwargs)
    except (_Wrong, _NotAttempted):
        raise
    except Exception as err:  # noqa: BLE001 - whatever the learner's code raised is the hint
        first = (str(err).strip().splitlines() or [""])[0][:200]
        wrong(f"your function raised {type(err).__name__}: {first}")
    if result is None:
        wrong("your function returns None: end it with `return ...` (printing a value is not returning it).")
    if is_stub(result):
        not_attempted()
    return result


def number(answer: Any, what: str = "your answer") -> float:
    """The answer as a float (NumPy scalars and 0-d arrays too); :func:`wrong` when it is not a real number."""
    if isinstance(answer, bool) or type(answer).__name__ == "bool_":
        wrong(f"{what} should be a number, got {answer!r}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        wrong(f"{what} should be a number, got {answer!r}.")
    if math.isnan(value):
        wrong(f"{what} is NaN.")
    return value


def close(answer: Any, truth: float, *, rel: float = 0.02, what: str = "your answer") -> bool:
    """True when ``answer`` is within ``rel`` (relative) of ``truth``."""
    return math.isclose(number(answer, what), truth, rel_tol=rel)


def get(id: str) -> Exercise:
    """The registered exercise ``id``; loads the module of its notebook on first use."""
    if id not in _REGISTRY:
        notebook = id.split(".", 1)[0]
        try:
            importlib.import_module(f"course_utils.exercises.nb{notebook}")
        except ModuleNotFoundError as err:
            raise KeyError(f"no exercises for notebook {notebook!r} (exercise id {id!r})") from err
    if id not in _REGISTRY:
        raise KeyError(f"unknown exercise {id!r}; the ids look like '01.2'")
    return _REGISTRY[id]


def verdict(id: str, answer: Any, **context: Any) -> tuple[str, str]:
    """Grade without printing or raising: ``(NOT_ATTEMPTED | WRONG | RIGHT, message)``. Used by the tests."""
    ex = get(id)
    if is_stub(answer) or (isinstance(answer, tuple) and answer and all(is_stub(part) for part in answer)):
        return NOT_ATTEMPTED, f"Exercise {id} ({ex.title}) is not attempted yet: fill in its stub. Look at {ex.where}."
    try:
        why = ex.grader(answer, **context)
    except _NotAttempted:
        return NOT_ATTEMPTED, f"Exercise {id} ({ex.title}) is not attempted yet: fill in its stub. Look at {ex.where}."
    except _Wrong as err:
        return WRONG, f"✗ Exercise {id} ({ex.title}): not yet. {err} (Revisit {ex.where}.)"
    return RIGHT, f"✓ Exercise {id} ({ex.title}): right. {why}"


def grade(id: str, answer: Any, **context: Any) -> None:
    """Grade the learner's answer to exercise ``id``: print the verdict; raise :class:`ExerciseError` when wrong."""
    result, message = verdict(id, answer, **context)
    if result == WRONG:
        raise ExerciseError(message)
    print(("○ " if result == NOT_ATTEMPTED else "") + message)
    if result == NOT_ATTEMPTED:
        print(
            "  (The worked solutions are in the last section, '## Solutions'; on Colab, unfold it under its heading.)"
        )


def registered(notebook: str) -> list[str]:
    """The ids of a notebook's exercises (``"01"`` → ``["01.1", ...]``)."""
    try:
        importlib.import_module(f"course_utils.exercises.nb{notebook}")
    except ModuleNotFoundError:
        return []
    return sorted(i for i in _REGISTRY if i.startswith(f"{notebook}."))
