"""A small multiple-choice quiz: a pure grading function and an ipywidgets front end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...]
    answer: int  # index into options
    why: str


def grade(questions: list[Question], answers: list[int | None]) -> tuple[int, list[str]]:
    """Score and one line of feedback per question."""
    if len(answers) != len(questions):
        raise ValueError(f"expected {len(questions)} answers, got {len(answers)}.")
    score, feedback = 0, []
    for i, (q, a) in enumerate(zip(questions, answers), 1):
        if a == q.answer:
            score += 1
            feedback.append(f"{i}. ✓ {q.why}")
        elif a is None:
            feedback.append(f"{i}. (no answer) {q.why}")
        else:
            feedback.append(f"{i}. ✗ you chose '{q.options[a]}'. Right: '{q.options[q.answer]}'. {q.why}")
    return score, feedback


def quiz_widget(questions: list[Question]):
    """Radio buttons for each question and a button that grades them."""
    import ipywidgets as widgets

    pickers = [
        widgets.RadioButtons(options=list(q.options), value=None, layout=widgets.Layout(width="max-content"))
        for q in questions
    ]
    output = widgets.Output()
    button = widgets.Button(description="Check my answers", button_style="primary")

    def on_click(_):
        answers = [None if p.value is None else list(q.options).index(p.value) for p, q in zip(pickers, questions)]
        score, feedback = grade(questions, answers)
        output.clear_output()
        with output:
            print(f"Score: {score}/{len(questions)}")
            print("\n".join(feedback))

    button.on_click(on_click)
    items = []
    for i, (q, p) in enumerate(zip(questions, pickers), 1):
        items += [widgets.HTML(f"<b>{i}. {q.text}</b>"), p]
    return widgets.VBox([*items, button, output])
