"""Notebook 02's checks: the right answer, the untouched stub, the classic wrong answer.

The CUDA kernels run in Numba's CUDA simulator here (no GPU needed).
"""

import pytest

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def test_02_1_blocks():
    assert verdict("02.1", 3907)[0] == RIGHT
    assert verdict("02.1", None)[0] == NOT_ATTEMPTED
    result, message = verdict("02.1", 1_000_000 // 256)  # rounded down
    assert result == WRONG and "round up" in message


def test_02_2_cudnn():
    assert verdict("02.2", ["a", "c"])[0] == RIGHT
    assert verdict("02.2", ["c", "a"])[0] == RIGHT
    assert verdict("02.2", None)[0] == NOT_ATTEMPTED
    result, message = verdict("02.2", ["c"])  # the classic mistake: any dropout blocks cuDNN
    assert result == WRONG and "inputs" in message
    assert verdict("02.2", ["a", "c", "d"])[0] == WRONG


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


def test_02_3_relu_kernel(simulator):
    jit = simulator.jit
    assert verdict("02.3", jit(right), cuda=simulator)[0] == RIGHT
    assert verdict("02.3", None, cuda=simulator)[0] == NOT_ATTEMPTED
    result, message = verdict("02.3", jit(no_guard), cuda=simulator)
    assert result == WRONG and "if i < n" in message
    result, message = verdict("02.3", jit(local_index), cuda=simulator)
    assert result == WRONG and "global index" in message
    assert verdict("02.3", right, cuda=simulator)[0] == WRONG  # not compiled with @cuda.jit
