"""Small helpers shared by the tests."""

from course_utils.exercises import verdict


def v(id, answer, **kw):
    """The verdict alone (not attempted / wrong / right) of exercise ``id`` for ``answer``."""
    return verdict(id, answer, **kw)[0]
