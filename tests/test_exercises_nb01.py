"""Notebook 01's checks: right answers written two ways, the untouched stub, typical wrong answers."""

import time

import numpy as np

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def stub(*args):
    return NotImplemented


def test_01_1_dense_flops():
    assert verdict("01.1", 2 * 256 * 1024 * 4096)[0] == RIGHT
    assert verdict("01.1", np.float64(2.147e9))[0] == RIGHT  # written rounded, as a NumPy float
    assert verdict("01.1", None)[0] == NOT_ATTEMPTED
    result, message = verdict("01.1", 256 * 1024 * 4096)  # multiply-adds, not FLOPs
    assert result == WRONG and "2 FLOPs" in message


def test_01_2_dense_intensity():
    # by hand: 2·256·1024·4096 FLOPs over (256·1024 + 1024·4096 + 256·4096) · 4 bytes
    assert verdict("01.2", (2_147_483_648 / 22_020_096, True, False))[0] == RIGHT
    assert verdict("01.2", (np.float32(97.5), np.True_, np.False_))[0] == RIGHT
    assert verdict("01.2", (None, None, None))[0] == NOT_ATTEMPTED
    result, message = verdict("01.2", (97.5, None, None))
    assert result == WRONG and "t4_compute_bound" in message
    result, message = verdict("01.2", (2_147_483_648 / 17_825_792, True, False))  # the write of C forgotten
    assert result == WRONG and "written" in message
    assert verdict("01.2", (195.0, True, False))[0] == WRONG  # 2 bytes per float32
    result, message = verdict("01.2", (97.5, True, True))  # the bfloat16 intensity taken for compute-bound
    assert result == WRONG and "left of it" in message
    result, message = verdict("01.2", (97.5, False, False))
    assert result == WRONG and "right of the ridge" in message
    assert verdict("01.2", (97.5, "yes", "no"))[0] == WRONG  # booleans, not words


def test_01_3_add_bandwidth():
    def per_element(n, elapsed_s):
        bytes_moved = (2 + 1) * n * np.dtype("float32").itemsize  # x and y read, the sum written
        return bytes_moved / elapsed_s * 1e-9

    assert verdict("01.3", lambda n, elapsed_s: 3 * 4 * n / elapsed_s / 1e9)[0] == RIGHT
    assert verdict("01.3", per_element)[0] == RIGHT
    assert verdict("01.3", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("01.3", lambda n, elapsed_s: 2 * 4 * n / elapsed_s / 1e9)  # the forgotten write
    assert result == WRONG and "written" in message

    def prints(n, elapsed_s):  # prints instead of returning
        print(3 * 4 * n / elapsed_s / 1e9)

    result, message = verdict("01.3", prints)
    assert result == WRONG and "return" in message


def test_01_4_time_matmul():
    import keras
    import tensorflow as tf

    from course_utils.lessons.nb01 import time_fn

    def right(n, dtype, device):
        with keras.device(device):
            a = keras.ops.cast(keras.random.normal((n, n), seed=1), dtype)
            b = keras.ops.cast(keras.random.normal((n, n), seed=2), dtype)
            return time_fn(lambda: keras.ops.matmul(a, b), repeats=3)

    def with_tf(n, dtype, device):  # another API, the @ operator
        with tf.device(device):
            a = tf.random.normal((n, n), dtype=dtype)
            b = tf.random.normal((n, n), dtype=dtype)
            return time_fn(lambda: a @ b, repeats=5)

    def one_shot(n, dtype, device):  # the classic mistake: one run, no warm-up, no Timing
        a = keras.random.normal((n, n))
        start = time.perf_counter()
        keras.ops.matmul(a, a)
        return time.perf_counter() - start

    def float32_always(n, dtype, device):
        with keras.device(device):
            a = keras.random.normal((n, n))
        return time_fn(lambda: keras.ops.matmul(a, a), repeats=3)

    def fixed_size(n, dtype, device):
        with keras.device(device):
            a = keras.ops.cast(keras.random.normal((128, 128)), dtype)
        return time_fn(lambda: a @ a, repeats=3)

    def anywhere(n, dtype, device):
        a = keras.ops.cast(keras.random.normal((n, n)), dtype)
        return time_fn(lambda: a @ a, repeats=3)

    assert verdict("01.4", right)[0] == RIGHT
    assert verdict("01.4", with_tf)[0] == RIGHT
    assert verdict("01.4", stub)[0] == NOT_ATTEMPTED
    for wrong_answer, hint in (
        (one_shot, "Timing"),
        (float32_always, "dtype"),
        (fixed_size, "ignores n"),
        (anywhere, "keras.device"),
    ):
        result, message = verdict("01.4", wrong_answer)
        assert result == WRONG and hint in message, (wrong_answer.__name__, message)
