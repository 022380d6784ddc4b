"""The recap quiz: every notebook asked about, a hashed key that matches exactly one option, honest grading."""

import inspect

import ipywidgets as widgets
import pytest

from course_utils import quiz

# The answer key in clear, kept here (not in the notebook) so that the tests can check the hashed key.
RIGHT = {
    "00.a": "Its architecture generation and the features it supports",
    "01.a": "Fixed launch and dispatch overhead dominates such tiny work",
    "01.b": "The call returned before the GPU finished: no synchronisation",
    "02.a": "32 threads that execute the same instruction together",
    "03.a": "mixed_float16",
    "04.a": "16",
    "05.a": "1,000 images/s",
    "06.a": "Raise the learning rate (with a short warm-up)",
    "07.a": "recurrent_dropout=0.2",
    "08.a": "Large updates would wreck the pretrained features",
    "09.a": "The global batch size",
    "09.b": "Faster links, and the all-reduce overlapped with compute",
    "10.a": "A representative dataset of real inputs",
    "10.b": "It raises it, while throughput grows",
}


def test_one_question_per_notebook_at_least():
    notebooks = {q.id[:2] for q in quiz.QUESTIONS}
    assert notebooks == {f"{n:02d}" for n in range(11)}
    assert len({q.id for q in quiz.QUESTIONS}) == len(quiz.QUESTIONS)


def test_key_matches_exactly_the_right_option():
    for q in quiz.QUESTIONS:
        assert [o for o in q.options if q.is_right(o)] == [RIGHT[q.id]], q.id
        assert len(q.options) >= 3 and len(set(q.options)) == len(q.options)
        assert q.why, f"{q.id} explains its answer"


def test_key_is_not_in_clear_in_the_package():
    source = inspect.getsource(quiz)
    for q in quiz.QUESTIONS:
        assert f"answer={q.options.index(RIGHT[q.id])}" not in source
        assert q.key != RIGHT[q.id] and len(q.key) == 20


def test_grading():
    all_right = dict(RIGHT)
    score, feedback = quiz.grade(all_right)
    assert score == len(quiz.QUESTIONS) and all("✓" in line for line in feedback)
    score, feedback = quiz.grade({})
    assert score == 0 and all("not answered" in line for line in feedback)
    wrong = {q.id: next(o for o in q.options if o != RIGHT[q.id]) for q in quiz.QUESTIONS}
    score, feedback = quiz.grade(wrong)
    assert score == 0 and all("✗" in line for line in feedback)
    half = {**wrong, "04.a": "16", "09.a": "The global batch size"}
    assert quiz.grade(half)[0] == 2
    with pytest.raises(ValueError, match="not an option"):
        quiz.grade({"04.a": "32"})
    with pytest.raises(ValueError, match="unknown question"):
        quiz.grade({"11.a": "x"})


def _radios(box):
    return [w for w in box.children if isinstance(w, widgets.RadioButtons)]


def test_widget_starts_blank_explains_each_answer_and_scores():
    box = quiz.quiz_widget()
    radios = _radios(box)
    assert len(radios) == len(quiz.QUESTIONS)
    assert all(r.value is None for r in radios), "no answer is pre-filled"
    children = list(box.children)
    first = radios[0]
    explanation = children[children.index(first) + 1]
    assert explanation.value == ""
    first.value = RIGHT[quiz.QUESTIONS[0].id]
    assert "Right" in explanation.value and quiz.QUESTIONS[0].why in explanation.value
    second = radios[1]
    second.value = next(o for o in second.options if o != RIGHT[quiz.QUESTIONS[1].id])
    assert "Not this one" in children[children.index(second) + 1].value
    button = next(w for w in children if isinstance(w, widgets.Button))
    button.click()
    assert f"Score: 1 / {len(quiz.QUESTIONS)}" in children[-1].value
