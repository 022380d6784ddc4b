"""The exercise mechanism itself: three verdicts, stubs recognised, wrong answers raise."""

import pytest

from course_utils import exercises as ex


@ex.exercise("99.1", "a test exercise", "the test")
def _double(answer, *, base=21):
    ex.expect(ex.close(answer, 2 * base), "double it.")
    return "two times the base."


@ex.exercise("99.2", "a function exercise", "the test")
def _square_fn(answer):
    ex.expect(ex.call(answer, 3) == 9, "square the input.")
    return "squares."


def test_three_verdicts(capsys):
    assert ex.verdict("99.1", None)[0] == ex.NOT_ATTEMPTED
    assert ex.verdict("99.1", 42)[0] == ex.RIGHT
    assert ex.verdict("99.1", 41)[0] == ex.WRONG
    assert ex.verdict("99.1", 10, base=5)[0] == ex.RIGHT
    assert ex.grade("99.1", None) is None  # a check cell shows the printed verdict, no Out[] echo
    assert "not attempted yet" in capsys.readouterr().out
    with pytest.raises(ex.ExerciseError, match="double it"):
        ex.grade("99.1", 41)


def test_stub_function_is_not_attempted():
    def stub(x):
        return NotImplemented

    assert ex.verdict("99.2", stub)[0] == ex.NOT_ATTEMPTED
    assert ex.verdict("99.2", lambda x: x * x)[0] == ex.RIGHT
    assert ex.verdict("99.2", lambda x: 2 * x)[0] == ex.WRONG
    assert ex.verdict("99.2", 9)[0] == ex.WRONG  # not a function


def test_non_numbers_are_wrong_not_crashes():
    assert ex.verdict("99.1", "forty-two")[0] == ex.WRONG
    assert ex.verdict("99.1", float("nan"))[0] == ex.WRONG


def test_unknown_ids_say_so():
    with pytest.raises(KeyError, match="unknown exercise|no exercises"):
        ex.get("99.7")
    with pytest.raises(KeyError):
        ex.get("77.1")


def test_exported_from_the_package():
    import course_utils as cu

    assert cu.grade is ex.grade


@ex.exercise("99.3", "a two-part exercise", "the test")
def _two_parts(answer):
    size, fits = ex.parts(answer, ("size", "fits"))
    ex.expect(ex.close(size, 8) and ex.boolean(fits, "fits") is True, "8 and True.")
    return "both parts."


def test_multi_part_convention():
    import numpy as np

    assert ex.verdict("99.3", (None, None))[0] == ex.NOT_ATTEMPTED
    result, message = ex.verdict("99.3", (8, None))
    assert result == ex.WRONG and "fits is still None" in message
    assert ex.verdict("99.3", (8, True))[0] == ex.RIGHT
    assert ex.verdict("99.3", (np.float32(8.0), np.True_))[0] == ex.RIGHT
    assert ex.verdict("99.3", (8, "yes"))[0] == ex.WRONG
    assert ex.verdict("99.3", [8, True])[0] == ex.WRONG  # a list is one answer, not the parts


def test_same_text_and_numbers_however_written():
    import numpy as np

    assert ex.same_text("Input-Bound", "input bound") and ex.same_text("input_bound ", "input bound")
    assert not ex.same_text("compute bound", "input bound") and not ex.same_text(3, "3")
    assert ex.number(np.array(2.5)) == 2.5 and ex.number(np.int64(3)) == 3.0 and ex.number("1e3") == 1000.0
    assert ex.verdict("99.1", np.int64(42))[0] == ex.RIGHT
    assert ex.verdict("99.1", True)[0] == ex.WRONG  # a boolean is not a number


def test_graders_use_public_apis_and_one_convention():
    """No private attribute of another library (`model._flatten_layers`); multi-part answers as plain tuples."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for module in sorted((root / "course_utils" / "exercises").glob("nb*.py")):
        private = re.findall(r"(?<!self)\.\_[a-z]\w*", module.read_text())
        assert not private, f"{module.name} reads private attributes: {private}"
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        assert "None if" not in notebook.read_text(), f"{notebook.name}: pass the parts as one tuple (see exercises)"


def test_a_forgotten_return_or_a_raising_function_is_a_hint():
    def no_return(x):
        x * x

    def raises(x):
        raise ValueError("oops")

    result, message = ex.verdict("99.2", no_return)
    assert result == ex.WRONG and "returns None" in message
    result, message = ex.verdict("99.2", raises)
    assert result == ex.WRONG and "ValueError: oops" in message


def test_close_is_relative_even_for_tiny_truths():
    assert ex.close(2.0**-39, 2.0**-39) and not ex.close(2.0**-40, 2.0**-39) and not ex.close(1e-12, 2.0**-39)
