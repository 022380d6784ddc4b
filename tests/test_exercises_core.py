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
