"""The recap quiz: every notebook asked about, computed answers recomputed here, a hashed key that matches exactly one
option, options that cannot be gamed by length or place, the first answer counting, and the widget driven through
real ipywidgets objects."""

import re
from collections import Counter
from statistics import mean

import ipywidgets as widgets
import pytest

from course_utils import quiz

# The answer key in clear, kept here (not in the package or the notebook) to check the hashed key.
RIGHT = {
    "00.a": "TensorFlow runs on it, but 16-bit matmuls gain no speed: no Tensor Cores",
    "00.b": "about 462 million",
    "01.a": "about 153 FLOP/byte",
    "01.b": "n = 1,024",
    "01.c": "Only the launch: the call returned once work was queued",
    "02.a": "It fuses the element-wise chain into one kernel: no trips to memory",
    "02.b": 'Yes: jit_compile="auto" turns XLA on when a GPU is visible',
    "02.c": "75%",
    "03.a": "TF32: Tensor Cores get the inputs rounded to 10 mantissa bits",
    "03.b": "bfloat16 keeps float32's 8 exponent bits, so tiny gradients survive",
    "03.c": "It skips this step's update and halves the loss scale",
    "04.a": "about 5.0 billion parameters",
    "04.b": "about 210 tokens/s",
    "05.a": "Off for the whole model: they declare supports_jit=False",
    "05.b": "After the resize, before the random augmentation",
    "06.a": "Hardly any faster, and less learned: 16x fewer updates",
    "06.b": "B, about 1.7x sooner than A",
    "07.a": "It is as unsure as a uniform pick among 60 tokens",
    "07.b": "One library call per sequence: input matmuls batched, gates fused",
    "08.a": "Images shifted by the mean twice: x_train was overwritten",
    "08.b": "Near-flat images about −104 to −124: it wants 0-255",
    "08.c": "Each new augmented image would need a new pass through the base",
    "09.a": "1,024 images",
    "09.b": "75%",
    "10.a": "51x the throughput, for 25% more latency per call",
    "10.b": "About 10 requests a second take 40 ms or more",
    "10.c": "Only Dense-like layers have quantize(): Conv2D stays float32",
}

# The questions that ask for a computation, each answer recomputed here from the figures the question gives.
COMPUTED = {
    "00.b": 2 * 3 * 3 * 64 * 128 * 56 * 56 / 1e6,  # Conv2D FLOPs per image, in millions
    "01.a": 312e12 / 2039e9,  # ridge point = peak / bandwidth
    "01.b": min(n for n in (256, 512, 1024, 2048) if 2 * n**3 / (3 * n**2 * 2) >= 295),  # first compute-bound n
    "02.c": 100 * min(65536 // (40 * 256), 2048 // 256) * 256 / 2048,  # occupancy, whole blocks
    "04.a": 80e9 / (4 + 4 + 8) / 1e9,  # billions of parameters trained with Adam in 80 GB
    "04.b": 3350e9 / 16e9,  # tokens/s when every weight is read once per token
    "06.b": (5 / 9000) / (2 / 6000),  # how much sooner B reaches the target
    "09.a": 2 * 4 * 32 * 4,  # machines × GPUs × micro-batch × micro-batches
    "09.b": 100 * 30 / (30 + 10),  # scaling efficiency, %
    "10.a": (64 / 2.5e-3) / (1 / 2.0e-3),  # throughput gain of batch 64
}

# What the learner's review found missing, and a word that such a question, or its right answer, must use.
TOPICS = {
    "roofline and arithmetic intensity": r"ridge",
    "XLA": r"\bXLA\b",
    "loss scaling": r"loss scal",
    "TF32": r"\bTF32\b",
    "the preprocess_input trap": r"preprocess_input",
}


def _first_number(option):
    found = re.search(r"\d[\d,]*(?:\.\d+)?", option)
    return float(found.group().replace(",", "")) if found else None


def test_every_notebook_is_asked_about():
    ids = [q.id for q in quiz.QUESTIONS]
    assert len(ids) >= 20 and len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"(0\d|10)\.[a-z]", i) for i in ids)
    per_notebook = Counter(q.notebook for q in quiz.QUESTIONS)
    assert set(per_notebook) == {f"{n:02d}" for n in range(11)}
    assert min(per_notebook.values()) >= 2, per_notebook
    for q in quiz.QUESTIONS:
        assert f"(notebook {q.notebook})" in q.why, f"{q.id}: its explanation names its notebook"


@pytest.mark.parametrize("topic", TOPICS)
def test_the_missing_topics_are_asked_about(topic):
    asked = [q.id for q in quiz.QUESTIONS if re.search(TOPICS[topic], q.text + q.right_option(), re.IGNORECASE)]
    assert asked, f"no question asks about {topic}"


def test_computed_answers_match_a_recomputation():
    assert len(COMPUTED) >= 4
    by_id = {q.id: q for q in quiz.QUESTIONS}
    for question_id, truth in COMPUTED.items():
        q = by_id[question_id]
        right = q.right_option()
        assert _first_number(right) == pytest.approx(truth, rel=0.03), f"{question_id}: {right!r} vs {truth:.4g}"
        for option in q.options:
            value = _first_number(option)
            if option != right and value is not None:
                assert value != pytest.approx(truth, rel=0.05), f"{question_id}: {option!r} is also right"


def test_key_matches_exactly_the_right_option():
    assert set(RIGHT) == {q.id for q in quiz.QUESTIONS}
    for q in quiz.QUESTIONS:
        assert [o for o in q.options if q.is_right(o)] == [RIGHT[q.id]], q.id
        assert q.right_option() == RIGHT[q.id]
        assert len(q.options) >= 3 and len(set(q.options)) == len(q.options)
        assert not q.is_right(None)


def test_key_is_a_salted_digest_tied_to_its_question():
    keys = [q.key for q in quiz.QUESTIONS]
    assert all(re.fullmatch(r"[0-9a-f]{20}", k) for k in keys) and len(set(keys)) == len(keys)
    assert quiz.digest("09.b", "75%") != quiz.digest("02.c", "75%"), "the question id is part of the digest"
    # Both questions have "75%" as their right option: each key opens its own question only.
    by_id = {q.id: q for q in quiz.QUESTIONS}
    assert by_id["09.b"].key != by_id["02.c"].key
    for q in quiz.QUESTIONS:
        assert q.key not in q.options and q.key != str(q.options.index(RIGHT[q.id]))


def _strategy_score(questions, right, pick):
    """Expected share of right answers for a learner who always picks by `pick` (ties: one of them at random)."""
    shares = []
    for q in questions:
        chosen = pick(q.options)
        shares.append((right[q.id] in chosen) / len(chosen))
    return mean(shares)


STRATEGIES = {
    "longest": lambda options: [o for o in options if len(o) == max(map(len, options))],
    "shortest": lambda options: [o for o in options if len(o) == min(map(len, options))],
    "first": lambda options: [options[0]],
    "last": lambda options: [options[-1]],
}


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_no_blind_strategy_beats_chance_by_more_than_10_points(strategy):
    chance = mean(1 / len(q.options) for q in quiz.QUESTIONS)
    score = _strategy_score(quiz.QUESTIONS, RIGHT, STRATEGIES[strategy])
    assert score <= chance + 0.10, f"always the {strategy} option: {score:.0%} against chance {chance:.0%}"


def test_the_strategy_check_catches_a_key_that_favours_long_options():
    rigged = tuple(
        quiz.Question(q.id, q.text, q.options, quiz.digest(q.id, max(q.options, key=len)), q.why)
        for q in quiz.QUESTIONS
    )
    longest = {q.id: max(q.options, key=len) for q in rigged}
    assert _strategy_score(rigged, longest, STRATEGIES["longest"]) > mean(1 / len(q.options) for q in rigged) + 0.10


def test_right_answers_are_spread_across_positions():
    positions = Counter(q.options.index(RIGHT[q.id]) for q in quiz.QUESTIONS)
    counts = [positions[i] for i in range(4)]
    assert max(counts) - min(counts) <= 3, counts


def _wrong(q):
    return next(o for o in q.options if o != RIGHT[q.id])


def test_grading():
    score, feedback = quiz.grade(dict(RIGHT))
    assert score == len(quiz.QUESTIONS) and all("✓" in line for line in feedback)
    score, feedback = quiz.grade({})
    assert score == 0 and all("not answered" in line for line in feedback)
    wrong = {q.id: _wrong(q) for q in quiz.QUESTIONS}
    score, feedback = quiz.grade(wrong)
    assert score == 0 and all("✗" in line for line in feedback)
    assert quiz.grade({**wrong, "04.a": RIGHT["04.a"], "09.a": RIGHT["09.a"]})[0] == 2
    with pytest.raises(ValueError, match="not an option"):
        quiz.grade({"04.a": "about 40 billion parameters"})
    with pytest.raises(ValueError, match="unknown question"):
        quiz.grade({"11.a": "x"})


def test_only_the_first_answer_counts():
    q1, q2 = quiz.QUESTIONS[0], quiz.QUESTIONS[1]
    attempt = quiz.Attempt()
    assert attempt.answer(q1.id, _wrong(q1)) is True
    assert attempt.answer(q1.id, RIGHT[q1.id]) is False, "a second answer is not recorded"
    assert attempt.first[q1.id] == _wrong(q1) and attempt.score == 0
    assert attempt.answer(q2.id, RIGHT[q2.id]) is True
    assert attempt.answer(q2.id, _wrong(q2)) is False
    assert attempt.score == 1
    assert attempt.summary() == f"Score: 1 / {len(quiz.QUESTIONS)} (2 answered, {len(quiz.QUESTIONS) - 2} to go)"
    with pytest.raises(ValueError, match="not an option"):
        attempt.answer(q1.id, "something else")
    with pytest.raises(ValueError, match="unknown question"):
        attempt.answer("11.a", "x")


def test_final_score_names_the_notebooks_to_revisit():
    attempt = quiz.Attempt()
    for q in quiz.QUESTIONS:
        attempt.answer(q.id, _wrong(q) if q.id in ("03.b", "08.a", "08.c") else RIGHT[q.id])
    assert attempt.done
    assert attempt.to_revisit() == ["03", "08"]
    assert (
        attempt.summary()
        == f"Final score: {len(quiz.QUESTIONS) - 3} / {len(quiz.QUESTIONS)}. Revisit notebook(s) 03, 08."
    )
    perfect = quiz.Attempt()
    for q in quiz.QUESTIONS:
        perfect.answer(q.id, RIGHT[q.id])
    assert perfect.summary().endswith("Every question right.")


def _radios_and_verdicts(box):
    children = list(box.children)
    radios = [w for w in children if isinstance(w, widgets.RadioButtons)]
    return radios, [children[children.index(r) + 1] for r in radios]


def test_widget_starts_blank_and_says_the_first_answer_counts():
    box = quiz.quiz_widget()
    radios, verdicts = _radios_and_verdicts(box)
    assert len(radios) == len(quiz.QUESTIONS)
    assert all(r.value is None for r in radios), "no answer is pre-filled"
    assert all(v.value == "" for v in verdicts), "no explanation before an answer"
    assert "first answer" in box.children[0].value
    assert f"Score: 0 / {len(quiz.QUESTIONS)} (0 answered" in box.children[-1].value


def test_widget_scores_the_first_click_only():
    box = quiz.quiz_widget()
    radios, verdicts = _radios_and_verdicts(box)
    score = box.children[-1]
    first, second = quiz.QUESTIONS[0], quiz.QUESTIONS[1]

    radios[0].value = _wrong(first)  # wrong first...
    assert "✗" in verdicts[0].value and first.why in verdicts[0].value
    assert "The answer is" in verdicts[0].value
    assert "Score: 0 /" in score.value and "(1 answered" in score.value
    radios[0].value = RIGHT[first.id]  # ...then right: still wrong, and the widget says so
    assert "✗" in verdicts[0].value and "changes nothing" in verdicts[0].value
    assert "Score: 0 /" in score.value and "(1 answered" in score.value

    radios[1].value = RIGHT[second.id]  # right first: it counts, and a later click does not undo it
    assert "✓ Right." in verdicts[1].value and second.why in verdicts[1].value
    radios[1].value = _wrong(second)
    assert "✓ Right." in verdicts[1].value and "changes nothing" in verdicts[1].value
    assert "Score: 1 /" in score.value

    for radio, q in zip(radios[2:], quiz.QUESTIONS[2:]):
        radio.value = RIGHT[q.id]
    n = len(quiz.QUESTIONS)
    assert f"Final score: {n - 1} / {n}. Revisit notebook(s) {first.notebook}." in score.value


def test_widget_escapes_text_as_html():
    q = quiz.Question("00.z", "Is 2 < 3 & 4 > 1?", ("yes", "no"), quiz.digest("00.z", "yes"), "Yes (notebook 00).")
    box = quiz.quiz_widget((q,))
    assert "2 &lt; 3 &amp; 4 &gt; 1" in box.children[1].value
