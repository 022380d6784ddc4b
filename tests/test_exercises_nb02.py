"""Notebook 02's checks: right answers written two ways, the untouched stub, typical wrong answers.

The CUDA kernels run in Numba's CUDA simulator here (no GPU needed).
"""

import numpy as np
import pytest

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def test_02_1_blocks():
    assert verdict("02.1", 3907)[0] == RIGHT
    assert verdict("02.1", np.ceil(1_000_000 / 256))[0] == RIGHT  # a NumPy float
    assert verdict("02.1", (1_000_000 + 255) // 256)[0] == RIGHT
    assert verdict("02.1", None)[0] == NOT_ATTEMPTED
    result, message = verdict("02.1", 1_000_000 // 256)  # rounded down
    assert result == WRONG and "round up" in message
    result, message = verdict("02.1", 1_000_000 / 256)  # not rounded
    assert result == WRONG and "Round up" in message


def test_02_2_cudnn():
    assert verdict("02.2", ["a", "c"])[0] == RIGHT
    assert verdict("02.2", ("C", "A"))[0] == RIGHT  # any order, any case, a tuple
    assert verdict("02.2", "a, c")[0] == RIGHT
    assert verdict("02.2", None)[0] == NOT_ATTEMPTED
    result, message = verdict("02.2", ["c"])  # the classic mistake: any dropout blocks cuDNN
    assert result == WRONG and "inputs" in message
    result, message = verdict("02.2", ["a"])  # the GRU forgotten
    assert result == WRONG and "reset_after" in message
    result, message = verdict("02.2", ["a", "c", "d"])
    assert result == WRONG and "bias" in message


def test_02_2_agrees_with_keras():
    import keras

    from course_utils.cudnn import lstm_cudnn_blockers
    from course_utils.exercises.nb02 import CUDNN_QUIZ

    layers = {k: eval(src, {}, vars(keras.layers)) for k, (src, _) in CUDNN_QUIZ.items()}  # noqa: S307 - fixed strings
    assert {k for k, layer in layers.items() if not lstm_cudnn_blockers(layer)} == {"a", "c"}


cuda = None  # numba.cuda in its simulator, set by the fixture: a kernel must find `cuda` among its globals


@pytest.fixture(scope="module")
def simulator():
    global cuda
    from course_utils.devices import numba_cuda

    cuda, simulated = numba_cuda(has_gpu=False)
    assert simulated
    return cuda


def right(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = max(x[i], 0.0)


def no_guard(x, out):
    i = cuda.grid(1)
    out[i] = max(x[i], 0.0)


def local_index(x, out):
    i = cuda.threadIdx.x
    if i < x.size:
        out[i] = max(x[i], 0.0)


def right_by_hand(x, out):  # the same kernel, the index and the test written out
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < out.shape[0]:
        out[i] = x[i] if x[i] > 0 else 0.0


def test_02_3_relu_kernel(simulator):
    jit = simulator.jit
    assert verdict("02.3", jit(right), cuda=simulator)[0] == RIGHT
    assert verdict("02.3", jit(right_by_hand), cuda=simulator)[0] == RIGHT
    assert verdict("02.3", None, cuda=simulator)[0] == NOT_ATTEMPTED
    result, message = verdict("02.3", jit(no_guard), cuda=simulator)
    assert result == WRONG and "if i < x.size" in message
    result, message = verdict("02.3", jit(local_index), cuda=simulator)
    assert result == WRONG and "global index" in message
    assert verdict("02.3", right, cuda=simulator)[0] == WRONG  # not compiled with @cuda.jit
