"""The course's recap quiz (notebook 10): questions, a hashed answer key, pure grading, an ipywidgets front end.

The right option of each question is stored only as a salted SHA-256 digest, so that the answer key cannot be
read in the notebook (or skimmed here). The widget uses the subset of ipywidgets common to 7.7 (Colab) and 8.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

SALT = "gpu-essentials-recap"


def digest(question_id: str, option: str) -> str:
    """The stored fingerprint of ``option`` as the answer to ``question_id``."""
    return hashlib.sha256(f"{SALT}|{question_id}|{option}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Question:
    id: str  # "NN.x": the notebook it tests
    text: str
    options: tuple[str, ...]
    key: str  # digest() of the right option
    why: str  # the explanation shown after the learner answers

    def is_right(self, option: str | None) -> bool:
        return option is not None and digest(self.id, option) == self.key


QUESTIONS: tuple[Question, ...] = (
    Question(
        "00.a",
        "The GPU doctor reports a compute capability of 7.5 for your GPU. What does that number tell you?",
        (
            "How many GB of memory it has",
            "Its architecture generation and the features it supports",
            "The CUDA version its driver supports",
            "Its clock speed in GHz",
        ),
        "b5aa3194fa2597981631",
        "Compute capability names the architecture (7.5 is Turing, e.g. a T4) and so its features: "
        "Tensor Core generation, the dtypes they accept (notebook 00).",
    ),
    Question(
        "01.a",
        "A 64×64 float32 matmul takes about as long on a data-centre GPU as on a laptop CPU. Why?",
        (
            "The GPU runs float32 slowly",
            "Fixed launch and dispatch overhead dominates such tiny work",
            "Matmuls that small run on the CPU anyway",
            "The GPU's memory bandwidth is lower",
        ),
        "5da9140f26163d4fd492",
        "64×64 is 0.5 MFLOP: microseconds of work, far less than the fixed cost of a call; the GPU wins on "
        "large, parallel work (notebook 01).",
    ),
    Question(
        "01.b",
        "You time a GPU matmul with time.perf_counter() around the call, and it looks 100x faster than expected. "
        "The most likely cause?",
        (
            "The first call was a warm-up",
            "The call returned before the GPU finished: no synchronisation",
            "Tensor Cores were used",
            "The CPU clock boosted",
        ),
        "049f047abbb176855ed7",
        "GPU work is asynchronous: the call only queues it. Synchronise (e.g. read the result) before stopping "
        "the clock (notebook 01).",
    ),
    Question(
        "02.a",
        "In CUDA's programming model, a warp is:",
        (
            "A block of up to 1,024 threads sharing memory",
            "32 threads that execute the same instruction together",
            "One streaming multiprocessor",
            "The grid of all blocks of a kernel",
        ),
        "c47bb605c468efce6003",
        "The hardware schedules threads by warps of 32; a block holds several warps (notebook 02).",
    ),
    Question(
        "03.a",
        "Which Keras dtype policy pays on a T4 (Turing)?",
        ("mixed_bfloat16", "mixed_float16", "float64", "float32 with TF32"),
        "e986eaa3d501c74caf18",
        "A T4 has float16 Tensor Cores (65 TF/s vs 8.1 in float32) and no bfloat16 or TF32 support (notebook 03).",
    ),
    Question(
        "04.a",
        "Training with Adam in plain float32, how many bytes per parameter do weights, gradients and optimizer "
        "state take (activations aside)?",
        ("4", "8", "12", "16"),
        "3b00227885d72c09fa9a",
        "4 (weight) + 4 (gradient) + 8 (Adam's two moments) = 16 bytes (notebook 04).",
    ),
    Question(
        "05.a",
        "The input pipeline alone delivers 1,000 images/s; the model alone trains on 5,000. With prefetch "
        "overlapping the two, training runs at about:",
        ("1,000 images/s", "3,000 images/s", "5,000 images/s", "6,000 images/s"),
        "345f124b98b6906fdf8d",
        "With prefetch the two halves overlap, and training runs at the speed of the slower one (notebook 05).",
    ),
    Question(
        "06.a",
        "You multiply the batch size by 8 to use the GPU better. What else do you usually change?",
        (
            "Nothing",
            "Raise the learning rate (with a short warm-up)",
            "Lower the learning rate 8x",
            "Train 8x more epochs",
        ),
        "f33d56ef324d6cc5e2ca",
        "Fewer, larger steps need larger ones: scale the learning rate up, warm up, and measure time to accuracy "
        "(notebook 06).",
    ),
    Question(
        "07.a",
        "Which setting makes Keras's LSTM give up the fast cuDNN kernel?",
        ("dropout=0.2", "recurrent_dropout=0.2", "units=256", "return_sequences=True"),
        "b4117e1c81b37b45a478",
        "cuDNN's LSTM has no recurrent dropout: recurrent_dropout > 0 forces the generic loop (notebooks 02, 07).",
    ),
    Question(
        "08.a",
        "Fine-tuning VGG16's last block after training a new head, why a learning rate 10-100x lower?",
        (
            "Frozen layers need it",
            "Large updates would wreck the pretrained features",
            "It saves GPU memory",
            "Mixed precision requires it",
        ),
        "42d5199427345129f849",
        "The pretrained weights are already good; a large step destroys what they learned before the head "
        "adapts (notebook 08).",
    ),
    Question(
        "09.a",
        "In a custom MirroredStrategy training step, each replica divides its summed loss by:",
        ("Its own slice of the batch", "The global batch size", "The number of replicas", "Nothing"),
        "a1ff1262e9aba6351881",
        "The all-reduce then sums the replicas' gradients into the gradient of the mean over the global batch "
        "(tf.nn.compute_average_loss, notebook 09).",
    ),
    Question(
        "09.b",
        "8 workers all-reduce a large model's gradients over 100 Gb Ethernet and scale poorly. Which change helps "
        "most?",
        (
            "A faster CPU per worker",
            "Faster links, and the all-reduce overlapped with compute",
            "A smaller batch per worker",
            "Twice as many workers",
        ),
        "ee12616957c1ba8832c4",
        "Communication time = latency + bytes / bandwidth; more bandwidth and hiding it behind compute raise the "
        "efficiency (notebook 09).",
    ),
    Question(
        "10.a",
        "Full-integer post-training quantisation with the TFLite converter needs:",
        ("A representative dataset of real inputs", "A GPU", "Retraining from scratch", "Float16 weights first"),
        "45fa604ee721fca838b4",
        "Calibration on a few hundred real inputs sets each activation's range (notebook 10).",
    ),
    Question(
        "10.b",
        "A server must answer single requests within 5 ms. What does batching requests together do to a "
        "request's latency?",
        (
            "It always lowers it",
            "It raises it, while throughput grows",
            "Nothing, latency is fixed",
            "It lowers it on a GPU only",
        ),
        "a48e68d29b4485e66545",
        "Past the knee, a larger batch takes longer per call: batching buys throughput with latency (notebook 10).",
    ),
)


def grade(answers: dict[str, str | None], questions: tuple[Question, ...] = QUESTIONS) -> tuple[int, list[str]]:
    """Score the learner's chosen options (by question id) and one line of feedback per question."""
    unknown = set(answers) - {q.id for q in questions}
    if unknown:
        raise ValueError(f"unknown question id(s): {sorted(unknown)}")
    score, feedback = 0, []
    for q in questions:
        choice = answers.get(q.id)
        if choice is not None and choice not in q.options:
            raise ValueError(f"{choice!r} is not an option of question {q.id}")
        if q.is_right(choice):
            score += 1
            feedback.append(f"{q.id} ✓ {q.why}")
        elif choice is None:
            feedback.append(f"{q.id} (not answered)")
        else:
            feedback.append(f"{q.id} ✗ not '{choice}'. {q.why}")
    return score, feedback


def quiz_widget(questions: tuple[Question, ...] = QUESTIONS):
    """One radio group per question (nothing selected), its explanation once answered, and a score button."""
    import ipywidgets as widgets

    answers: dict[str, str | None] = {q.id: None for q in questions}
    items = []
    for number, q in enumerate(questions, 1):
        picker = widgets.RadioButtons(options=list(q.options), value=None, layout=widgets.Layout(width="auto"))
        verdict = widgets.HTML(value="")

        def on_change(change, q=q, verdict=verdict):
            if change.get("name") != "value":
                return
            answers[q.id] = change["new"]
            if change["new"] is None:
                verdict.value = ""
            elif q.is_right(change["new"]):
                verdict.value = f"<span style='color:green'>✓ Right.</span> {q.why}"
            else:
                verdict.value = f"<span style='color:#b00'>✗ Not this one.</span> {q.why}"

        picker.observe(on_change, names="value")
        items += [widgets.HTML(value=f"<b>{number}. {q.text}</b>"), picker, verdict]
    output = widgets.HTML(value="")
    button = widgets.Button(description="Show my score")

    def on_click(_):
        score, _feedback = grade(answers, questions)
        answered = sum(a is not None for a in answers.values())
        output.value = f"<b>Score: {score} / {len(questions)}</b> ({answered} answered)"

    button.on_click(on_click)
    return widgets.VBox([*items, button, output])
