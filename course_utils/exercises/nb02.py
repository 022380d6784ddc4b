"""Checks of notebook 02 (CUDA, cuDNN and the frameworks). Each computes its own truth."""

from __future__ import annotations

import re

from course_utils.exercises import exercise, expect, number, wrong


@exercise("02.1", "blocks in a grid", "the section 'Write a CUDA kernel: SAXPY'")
def num_blocks(answer, **_):
    value = number(answer, "num_blocks")
    n, threads = 1_000_000, 256
    truth = -(-n // threads)  # ceiling division
    if value == n // threads:
        wrong(f"{n // threads} blocks leave the last {n - n // threads * threads} elements without a thread: round up.")
    if value == n:
        wrong("that is the number of threads; a block holds 256 of them.")
    if value == n / threads:
        wrong(f"{value:g} blocks: a grid holds whole blocks. Round up.")
    expect(value == truth, f"{value:g} is not it: divide the elements by the threads per block, rounding up.")
    return f"{truth:,} blocks: the last one is partly idle, which is why every kernel checks `if i < n`."


# Which layers keep cuDNN, from Keras 3's conditions (keras/src/backend/tensorflow/rnn.py, cudnn_ok; lstm.py and
# gru.py for recurrent dropout): tanh, sigmoid, no recurrent dropout, no unroll, a bias, and reset_after=True for
# a GRU (its default). tests/test_exercises_nb02.py compares these answers with course_utils.cudnn's blockers.
CUDNN_QUIZ = {
    "a": ("LSTM(64, dropout=0.5)", True),  # input dropout is applied outside the kernel
    "b": ('LSTM(64, recurrent_activation="hard_sigmoid")', False),
    "c": ("GRU(64)", True),  # reset_after=True by default in Keras 3
    "d": ("LSTM(64, use_bias=False)", False),
}


@exercise("02.2", "layers that keep the cuDNN kernel", "the section 'Keep the cuDNN LSTM kernel'")
def cudnn_eligible(answer, **_):
    if isinstance(answer, str):  # "a, c" or "ac": the letters it names
        answer = re.findall(r"[a-z]", re.sub(r"\b(and|et|or|ou)\b", " ", answer.lower()))  # "a, c", "ac", "a and c"
    try:
        chosen = {str(x).strip().lower() for x in answer}
    except TypeError:
        wrong('give a list of letters, e.g. ["a", "d"].')
    truth = {k for k, (_, ok) in CUDNN_QUIZ.items() if ok}
    expect(chosen <= set(CUDNN_QUIZ), f"choose among {sorted(CUDNN_QUIZ)}.")
    if not chosen:
        wrong("some of these layers do keep the cuDNN kernel.")
    if "a" not in chosen:
        wrong("dropout on the *inputs* (dropout=0.5) is applied outside the kernel: only recurrent_dropout blocks it.")
    if "c" not in chosen:
        wrong("a GRU has a cuDNN kernel too, under the LSTM's conditions plus reset_after=True, Keras 3's default.")
    if "b" in chosen:
        wrong("cuDNN implements the sigmoid gate only: recurrent_activation='hard_sigmoid' falls back.")
    if "d" in chosen:
        wrong("cuDNN's kernel has biases: use_bias=False falls back to the generic loop.")
    expect(chosen == truth, "check each setting against the list of conditions.")
    return "dropout on the inputs is fine, recurrent dropout, other activations, no bias or unroll are not."


@exercise("02.3", "a CUDA kernel of your own: ReLU", "the section 'Write a CUDA kernel: SAXPY'")
def relu_kernel(answer, *, cuda=None, **_):
    import numpy as np

    if cuda is None:
        from numba import cuda
    expect(hasattr(answer, "__getitem__"), "decorate relu_kernel with @cuda.jit, as saxpy is.")
    n, threads = 1000, 256
    blocks = -(-n // threads)
    x = np.linspace(-1.0, 1.0, n, dtype=np.float32)
    padded = np.full(n + threads, -7.0, dtype=np.float32)  # room past the end, to catch writes there
    d_x, d_padded = cuda.to_device(x), cuda.to_device(padded)
    try:
        answer[blocks, threads](d_x, d_padded[:n])
        cuda.synchronize()
    except IndexError:
        wrong(
            f"{blocks} blocks × {threads} threads = {blocks * threads} threads for {n} elements: guard with `if i < x.size`."
        )
    except Exception as err:  # noqa: BLE001 - the learner's kernel failed to compile or run
        wrong(f"the kernel failed: {type(err).__name__}: {str(err).splitlines()[0][:200]}")
    out = d_padded.copy_to_host()
    if not np.all(out[n:] == -7.0):
        wrong("the kernel wrote past the end of `out`: guard with `if i < out.size` (or x.size).")
    if np.all(out[threads:n] == -7.0) and not np.all(out[:threads] == -7.0):
        wrong(
            "only the first block's elements were computed: the global index is blockIdx.x * blockDim.x + threadIdx.x."
        )
    expect(np.allclose(out[:n], np.maximum(x, 0.0)), "out[i] should be max(x[i], 0) for every i.")
    return "one thread per element, a global index and a bounds check: the shape of nearly every element-wise kernel."
