"""The course's recap quiz (notebook 10): questions, a hashed answer key, pure grading, an ipywidgets front end.

The right option of each question is stored only as a salted SHA-256 digest, so that the answer key cannot be
read in the notebook. Only the learner's first answer to a question counts: :class:`Attempt` keeps that rule
without any widget, and :func:`quiz_widget` shows it with the subset of ipywidgets common to 7.7 (Colab) and 8.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field

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
    why: str  # the explanation shown once the learner has answered

    @property
    def notebook(self) -> str:
        return self.id[:2]

    def is_right(self, option: str | None) -> bool:
        return option is not None and digest(self.id, option) == self.key

    def right_option(self) -> str:
        """The option the key designates (found by hashing each option: the key itself stays opaque)."""
        return next(o for o in self.options if self.is_right(o))


QUESTIONS: tuple[Question, ...] = (
    Question(
        "00.a",
        "The GPU doctor reports a GeForce GTX 1080 (compute capability 6.1, Pascal) under TensorFlow 2.21. "
        "What should you expect?",
        (
            "TensorFlow cannot use it: its build needs compute capability 7.0+",
            "TensorFlow runs on it, but 16-bit matmuls gain no speed: no Tensor Cores",
            "It runs float16 on its Tensor Cores, but neither bfloat16 nor TF32",
            "The driver compiles PTX on first use, then its Tensor Cores take over",
        ),
        "8bd5257dd6bb3fc21955",
        "TensorFlow 2.21's CUDA 12 build carries machine code from compute capability 6.0 up, so a 6.1 GPU runs "
        "it; Tensor Cores arrived with Volta (7.0), so mixed precision cannot speed up a Pascal card (notebook 00).",
    ),
    Question(
        "00.b",
        'A Conv2D with 3×3 kernels maps 64 channels to 128 and outputs a 56×56 grid (padding "same"). About '
        "how many FLOPs does it do for one image, a multiply-add counting 2?",
        ("about 0.15 million", "about 51 million", "about 231 million", "about 462 million"),
        "89bdcc8fe5c174a037d9",
        "Each output value is a dot product of a 3×3×64 patch with a filter: 2 · 9 · 64 = 1,152 FLOPs, for "
        "128 channels × 56 × 56 pixels = 401,408 outputs: 462 million (notebook 00).",
    ),
    Question(
        "01.a",
        "An A100 80GB SXM delivers 312 TFLOP/s in bfloat16 on its Tensor Cores and 2,039 GB/s of memory "
        "bandwidth. Where is its ridge point?",
        ("about 153 FLOP/byte", "about 0.15 FLOP/byte", "about 6.5 FLOP/byte", "about 612 FLOP/byte"),
        "9958f4188198a6fd7101",
        "Ridge = peak / bandwidth = (312 × 10¹²) / (2,039 × 10⁹) ≈ 153 FLOPs per byte: an operation must do that many "
        "FLOPs per byte it moves to be limited by arithmetic rather than memory (notebook 01).",
    ),
    Question(
        "01.b",
        "A square bfloat16 matmul does 2n³ FLOPs on 3n² numbers of 2 bytes. On an H100 SXM (ridge about "
        "295 FLOP/byte), which is the smallest of these sizes that is compute-bound?",
        ("n = 256", "n = 512", "n = 1,024", "n = 2,048"),
        "093206b86b70393b11db",
        "Its intensity is 2n³ / (3n² × 2 bytes) = n/3 FLOP/byte: 171 at n = 512, 341 at n = 1,024, the first "
        "past the ridge (notebook 01).",
    ),
    Question(
        "01.c",
        "Without synchronising, you time an 8192 × 8192 float32 matmul on a GPU at 10 µs: 2 · 8192³ ≈ 1.1 × 10¹² "
        "FLOPs in 10 µs. What did you measure?",
        (
            "The matmul itself: Tensor Cores run at that rate",
            "A cached result: TensorFlow reused the last product",
            "The copy of both matrices onto the GPU, not the matmul itself",
            "Only the launch: the call returned once work was queued",
        ),
        "4a644f1eaae2b291ea2c",
        "That would be 110 PFLOP/s, over 100 times an H100's dense float32 (TF32) peak. GPU work is asynchronous: the call only queues "
        "it. Wait for the result (synchronise) before stopping the clock (notebook 01).",
    ),
    Question(
        "02.a",
        "Each layer of an MLP is a matmul followed by about ten element-wise operations (GELU's pieces, a scale, "
        "a residual add). What does XLA (jit_compile=True) add on top of tf.function here?",
        (
            "It rounds the matmul's inputs to TF32 so that Tensor Cores run it",
            "It fuses the element-wise chain into one kernel: no trips to memory",
            "It traces the Python code into a graph, with no per-op dispatch cost",
            "It moves the element-wise ops to the CPU while the GPU multiplies",
        ),
        "c48c4ed22e0f0f959fa3",
        "tf.function already traces a graph and removes Python's per-op dispatch. XLA's gain is fusion: unfused, "
        "each element-wise op reads and writes the whole activation tensor, a memory-bound step (notebook 02).",
    ),
    Question(
        "02.b",
        "You call model.compile() with Keras's defaults on the TensorFlow backend, on a machine with a GPU, no "
        "distribution strategy, every layer XLA-compatible. Is the training step compiled with XLA?",
        (
            "No: XLA is opt-in, and only jit_compile=True turns it on",
            "Only for predict(): training steps run as a plain graph",
            'Yes: jit_compile="auto" turns XLA on when a GPU is visible',
            "Only under mixed precision, which needs XLA to compute in float16",
        ),
        "b86f845d50ebe7941af5",
        'The default jit_compile="auto" turns XLA on when TensorFlow sees a GPU, and keeps it off on a CPU-only '
        "machine, on Apple's Metal GPU, under a tf.distribute strategy, with op determinism on, or when a layer does "
        "not support it (notebook 02).",
    ),
    Question(
        "02.c",
        "An SM has 65,536 registers and holds at most 2,048 threads. A kernel needs 40 registers per thread and "
        "runs in blocks of 256 threads (a block is resident whole or not at all). What occupancy does it reach?",
        ("50%", "80%", "100%", "75%"),
        "a25bf9e5c5072e3d7677",
        "The registers hold 65,536 / (40 × 256) = 6.4 blocks, so 6 whole blocks: 1,536 of the 2,048 thread "
        "slots, 75% (notebook 02).",
    ),
    Question(
        "03.a",
        "On an A100 with TensorFlow's defaults, a float32 matmul runs far above the 19.5 TFLOP/s FP32 datasheet "
        "figure, and differs from a float64 reference by about 10⁻³ (relative), far more than float32 "
        "rounding explains. Why?",
        (
            "TF32: Tensor Cores get the inputs rounded to 10 mantissa bits",
            "Mixed precision is on by default on Ampere: it ran in float16",
            "XLA fused the matmul and skipped rounding its output to float32",
            "The clock stopped before the GPU finished, spoiling the result",
        ),
        "a24c7bcfc72639c97b12",
        "TensorFlow enables TF32 on Ampere and newer GPUs: float32 matmul inputs are rounded to 10 mantissa bits "
        "(float32 keeps 23) and multiplied on Tensor Cores, accumulating in float32. "
        "tf.config.experimental.enable_tensor_float_32_execution(False) turns it off (notebook 03).",
    ),
    Question(
        "03.b",
        'Why does "mixed_bfloat16" need no loss scaling, while "mixed_float16" does?',
        (
            "bfloat16 has more mantissa bits than float16: gradients round less",
            "Keras accumulates bfloat16 gradients in float64 before the update",
            "bfloat16 keeps float32's 8 exponent bits, so tiny gradients survive",
            "bfloat16 Tensor Cores rescale each block of gradients in hardware",
        ),
        "3ad131e28f33470bddb1",
        "float16 has 5 exponent bits: a gradient below about 3 × 10⁻⁸ rounds to 0, hence the scaling. bfloat16 has "
        "float32's range (8 exponent bits) with only 7 mantissa bits, fewer than float16's 10 (notebook 03).",
    ),
    Question(
        "03.c",
        "Training under \"mixed_float16\", one step's scaled gradients contain inf. What does Keras's "
        "LossScaleOptimizer do?",
        (
            "It clips the inf values to 65,504, then applies the step",
            "It skips this step's update and halves the loss scale",
            "It redoes this step in float32, then goes back to float16",
            "It doubles the loss scale so that the next step fits",
        ),
        "deda7477cc845a6bd8cf",
        "An overflow means the scale is too large: the step is skipped and the scale halved; after "
        "dynamic_growth_steps (2,000 by default) finite steps the scale doubles again. model.compile() wraps the "
        'optimizer in it by itself under "mixed_float16" (notebook 03).',
    ),
    Question(
        "04.a",
        "Keras trains with Adam on float32 variables, mixed precision or not. Activations aside, what is the "
        "largest model whose weights, gradients and optimizer state fit in 80 GB?",
        (
            "about 6.7 billion parameters",
            "about 5.0 billion parameters",
            "about 10 billion parameters",
            "about 20 billion parameters",
        ),
        "d4877c4fd70ad74f09ea",
        "4 bytes of weight + 4 of gradient + 8 for Adam's two moments = 16 bytes per parameter; 80 × 10⁹ / 16 = "
        "5 × 10⁹ parameters (notebook 04).",
    ),
    Question(
        "04.b",
        "Generating text token by token, an 8 B-parameter model in bfloat16 reads all of its 16 GB of weights "
        "once per token. On a GPU with 3,350 GB/s and 989 TFLOP/s, at most how many tokens per second can one "
        "sequence get?",
        ("about 105 tokens/s", "about 210 tokens/s", "about 3,350 tokens/s", "about 62,000 tokens/s"),
        "975eb1eb2d884a3fb072",
        "At about 1 FLOP per byte (bfloat16 weights), decoding sits far left of the ridge: bandwidth sets the pace, 3,350 GB/s / 16 GB "
        "≈ 210 tokens/s. The compute ceiling, 989 × 10¹² / (2 × 8 × 10⁹ FLOPs per token) ≈ 62,000, is far away "
        "(notebook 04).",
    ),
    Question(
        "05.a",
        'On a GPU you move RandomRotation and RandomZoom into the model and keep jit_compile="auto". '
        "What happens to XLA?",
        (
            "XLA stays on; those two layers run on the CPU inside it",
            "XLA compiles every layer but those two, which run eagerly",
            "Off for the whole model: they declare supports_jit=False",
            "XLA stays on, and the two layers are skipped in training",
        ),
        "18c8e6a4c5045fe0f76d",
        '"auto" turns XLA on only when every layer supports it; RandomRotation and RandomZoom set '
        "supports_jit=False, so the whole model runs without XLA: compare with jit_compile=False on both sides "
        "(notebook 05).",
    ),
    Question(
        "05.b",
        "A tf.data pipeline reads JPEG files, decodes them, resizes them, then augments them at random. Where "
        "does .cache() pay for the decoding once and keep the augmentation random?",
        (
            "Right after reading the files, before decoding them",
            "After the augmentation, so that it is computed once",
            "After the resize, before the random augmentation",
            "At the very end, after .prefetch(), to cover all",
        ),
        "0fa1a2894a8c39a0acb9",
        "Cache the deterministic part (decode, resize): it is computed in the first epoch only, and the "
        "augmentation after it still draws new transforms every epoch (notebook 05).",
    ),
    Question(
        "06.a",
        "On your CPU, batch 32 already keeps the cores busy with the tutorial's CNN. What does training one epoch "
        "at batch 512 instead, same learning rate, do?",
        (
            "About 16x faster, and the same accuracy after the epoch",
            "16x slower: each step now computes 16x more images",
            "Faster and more accurate: each gradient is less noisy",
            "Hardly any faster, and less learned: 16x fewer updates",
        ),
        "dc766e11ff030e089047",
        "Throughput grows with the batch only until the device is full; past that, a larger batch only cuts the "
        "number of weight updates per epoch, unless the learning rate grows with it (notebook 06).",
    ),
    Question(
        "06.b",
        "On the same data, recipe A trains at 9,000 images/s and reaches 97.5% validation accuracy after 5 "
        "epochs; recipe B trains at 6,000 images/s and reaches it after 2. Which gets there first?",
        (
            "A, since its throughput is 1.5x higher",
            "Neither: the two effects cancel out",
            "B, about 1.7x sooner than A",
            "B, about 2.5x sooner than A",
        ),
        "91fde1db8051f3e9eb32",
        "For N images, A needs 5N / 9,000 s and B 2N / 6,000 s: B arrives 1.67x sooner. A recipe's speed is "
        "its time to a target accuracy, not its images per second (notebook 06).",
    ),
    Question(
        "07.a",
        "The tutorial's LSTM reaches a validation perplexity of 60 with its 1,000-token vocabulary. "
        "What does that mean?",
        (
            "It guesses the next token right 60% of the time",
            "It gets 60 tokens wrong in every 1,000 it predicts",
            "It needs 60 tokens of context to predict well",
            "It is as unsure as a uniform pick among 60 tokens",
        ),
        "d0dd6bdd771229921e10",
        "Perplexity = exp(mean negative log-probability of the true next token), and a uniform guess among k "
        "tokens gives k: 60, against 1,000 for a uniform guess over the vocabulary (notebook 07).",
    ),
    Question(
        "07.b",
        "On a GPU, why does the cuDNN LSTM kernel train several times faster than Keras's generic loop "
        "for the same layer?",
        (
            "One library call per sequence: input matmuls batched, gates fused",
            "It runs the LSTM's recurrence in float16 on the Tensor Cores",
            "It stops backpropagating through time after the first steps",
            "It runs the 20 steps in parallel, as they do not depend on each other",
        ),
        "11f86b5dcf4d7a6180a8",
        "The generic loop launches several small kernels at every step; cuDNN computes the inputs' products for "
        "all steps as one matmul and fuses each step's gate arithmetic inside the library. The steps still run "
        "in order: each needs the previous step's h and c (notebook 07).",
    ),
    Question(
        "08.a",
        "You extract features with base.predict(preprocess_input(x_train)), x_train a float32 NumPy array of "
        "0-255 pixels, then train a model whose first step is preprocess_input on the same x_train. What does "
        "that model see?",
        (
            "The right input: preprocess_input returned a brand-new array",
            "Images shifted by the mean twice: x_train was overwritten",
            "BGR swapped twice, so RGB again, but otherwise correct",
            "An error: Keras refuses to preprocess an array twice",
        ),
        "c16ec6ce9c9e5691d69d",
        "On a float32 NumPy array, preprocess_input subtracts ImageNet's mean colour in place (Keras's docs: "
        '"written over the input data"); inside a model it gets a tensor and returns a new one. Pass a copy: '
        "preprocess_input(x.copy()) (notebook 08).",
    ),
    Question(
        "08.b",
        "Your images are already rescaled to [0, 1]. What does keras.applications.vgg16.preprocess_input "
        "then hand to VGG16?",
        (
            "The same images: it detects the range and rescales",
            "Images in [-1, 1], the range VGG16's weights were trained on",
            "An error: it accepts only uint8 pixels in [0, 255]",
            "Near-flat images about −104 to −124: it wants 0-255",
        ),
        "9ea9208214ee80d3a0c7",
        "VGG16's preprocessing swaps RGB to BGR and subtracts ImageNet's mean colour, about (104, 117, 124), "
        "without scaling: it expects pixels in 0-255. On [0, 1] images every pixel lands near minus the mean, "
        "with differences 255 times too small (notebook 08).",
    ),
    Question(
        "08.c",
        "Why can feature extraction (run the frozen base once, then train the head on the stored features) "
        "not use random augmentation?",
        (
            "Each new augmented image would need a new pass through the base",
            "Augmentation layers run on a GPU; stored features sit on the host",
            "A frozen base raises an error when its inputs change each epoch",
            "Stored features are 16-bit: too coarse for small transforms",
        ),
        "3f08854055910785902a",
        "The features are computed once per image; a random flip or rotation makes a new image every epoch, "
        "whose features the base must compute again. Keeping the frozen base in the model allows augmentation, "
        "at the cost of a pass through the base every epoch (notebook 08).",
    ),
    Question(
        "09.a",
        "Two machines with 4 GPUs each train with MultiWorkerMirroredStrategy; each replica processes "
        "micro-batches of 32 images and accumulates the gradients of 4 of them before each update. How many "
        "images does one weight update see?",
        ("128 images", "1,024 images", "256 images", "512 images"),
        "99113c05101d63aabec7",
        "8 replicas × 4 micro-batches × 32 images = 1,024: the all-reduce sums the replicas' gradients, "
        "accumulation sums the micro-batches'. Tune the learning rate for a batch of 1,024 (notebook 09).",
    ),
    Question(
        "09.b",
        "Each training step computes for 30 ms; the all-reduce of the gradients then takes 10 ms, not "
        "overlapped with compute. What scaling efficiency do you get?",
        ("75%", "25%", "33%", "67%"),
        "d789bcda137e21ae07d7",
        "Efficiency = compute / (compute + communication) = 30 / (30 + 10) = 75%. All-reducing buckets of "
        "gradients during the backward pass hides part of those 10 ms (notebook 09).",
    ),
    Question(
        "10.a",
        "A forward pass takes 2.0 ms at batch 1 and 2.5 ms at batch 64. What does batch 64 change?",
        (
            "51x the throughput, for 25% more latency per call",
            "64x the throughput, at no extra latency per call",
            "1.25x the throughput, for 64x the latency per call",
            "0.8x the throughput: a larger batch is slower",
        ),
        "579aabf231a9b06ce299",
        "Throughput = batch / latency: 1 / 2.0 ms = 500 images/s against 64 / 2.5 ms = 25,600 images/s, 51x, "
        "for 0.5 ms more per call. Below the knee the device was mostly idle (notebook 10).",
    ),
    Question(
        "10.b",
        "A server answers 1,000 requests per second with a p50 latency of 4 ms and a p99 of 40 ms. "
        "What does the p99 tell you?",
        (
            "The mean request takes (4 + 40) / 2 = 22 ms",
            "99 requests in every 100 take about 40 ms",
            "About 10 requests a second take 40 ms or more",
            "1% of the requests fail after waiting 40 ms or more",
        ),
        "27e384b5ce71a3822884",
        "99% of the requests finish within the p99: 1% of 1,000 per second, about 10 each second, take 40 ms "
        "or more. A server is sized for this tail, not for the median (notebook 10).",
    ),
    Question(
        "10.c",
        "The converter's full-integer .tflite of the tutorial's CNN is about 4x smaller than float32, but "
        'Keras\'s model.quantize("int8") shrinks the model far less. Why?',
        (
            "Keras keeps a float32 copy of each weight beside the int8 one",
            "Keras quantises the activations only; weights stay float32",
            "Only Dense-like layers have quantize(): Conv2D stays float32",
            "Keras stores its int8 weights in 32-bit slots until export",
        ),
        "142ceb4972d23855595c",
        "In Keras 3.13 and 3.15 only Dense, EinsumDense, Embedding and ReversibleEmbedding have a quantize "
        "method: the CNN's three Conv2D layers, 60% of its weights, stay float32, while the converter quantises "
        "every layer (notebook 10).",
    ),
)


def grade(answers: dict[str, str | None], questions: tuple[Question, ...] = QUESTIONS) -> tuple[int, list[str]]:
    """Score the learner's first answers (option text by question id) and one line of feedback per question."""
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


@dataclass
class Attempt:
    """One pass through the quiz: the first answer given to each question is the one that counts."""

    questions: tuple[Question, ...] = QUESTIONS
    first: dict[str, str] = field(default_factory=dict)  # question id -> the first option chosen

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise ValueError(f"unknown question id: {question_id!r}")

    def answer(self, question_id: str, option: str) -> bool:
        """Record ``option`` if it is the first answer to the question; return whether it counted."""
        q = self.question(question_id)
        if option not in q.options:
            raise ValueError(f"{option!r} is not an option of question {question_id}")
        if question_id in self.first:
            return False
        self.first[question_id] = option
        return True

    @property
    def score(self) -> int:
        return grade(self.first, self.questions)[0]

    @property
    def done(self) -> bool:
        return len(self.first) == len(self.questions)

    def to_revisit(self) -> list[str]:
        """The notebooks of the questions answered wrongly, in course order."""
        return sorted({q.notebook for q in self.questions if q.id in self.first and not q.is_right(self.first[q.id])})

    def summary(self) -> str:
        total = len(self.questions)
        if not self.done:
            return f"Score: {self.score} / {total} ({len(self.first)} answered, {total - len(self.first)} to go)"
        revisit = self.to_revisit()
        advice = f"Revisit notebook(s) {', '.join(revisit)}." if revisit else "Every question right."
        return f"Final score: {self.score} / {total}. {advice}"


def _html(text: str) -> str:
    return html.escape(text, quote=False)


FIRST_ANSWER_COUNTS = "Only your first answer to each question counts; its explanation appears once you answer."


def verdict_html(q: Question, first: str, latest: str | None = None) -> str:
    """The explanation shown under a question once ``first`` was chosen (``latest``: a later click, if any)."""
    if q.is_right(first):
        line = f"<span style='color:green'>✓ Right.</span> {_html(q.why)}"
    else:
        line = f"<span style='color:#b00'>✗ The answer is: {_html(q.right_option())}.</span> {_html(q.why)}"
    if latest is not None and latest != first:
        line += f"<br><i>Your first answer ({_html(first)}) is the one that counts: this choice changes nothing.</i>"
    return line


def quiz_widget(questions: tuple[Question, ...] = QUESTIONS):
    """One radio group per question (nothing selected), its explanation once answered, the score as you go."""
    import ipywidgets as widgets

    attempt = Attempt(questions)
    score = widgets.HTML(value=f"<b>{_html(attempt.summary())}</b>")
    items = [widgets.HTML(value=f"<i>{_html(FIRST_ANSWER_COUNTS)}</i>")]
    for number, q in enumerate(questions, 1):
        picker = widgets.RadioButtons(options=list(q.options), value=None, layout=widgets.Layout(width="auto"))
        verdict = widgets.HTML(value="")

        def on_change(change, q=q, verdict=verdict):
            choice = change["new"]
            if choice is None:
                return
            attempt.answer(q.id, choice)  # counts only the first time
            verdict.value = verdict_html(q, attempt.first[q.id], choice)
            score.value = f"<b>{_html(attempt.summary())}</b>"

        picker.observe(on_change, names="value")
        header = f"<b>{number}. {_html(q.text)}</b> <span style='color:grey'>(notebook {q.notebook})</span>"
        items += [widgets.HTML(value=header), picker, verdict]
    return widgets.VBox([*items, score])
