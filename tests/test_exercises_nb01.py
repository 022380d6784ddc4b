"""Notebook 01's checks: the right answer, the untouched stub, the classic wrong answer."""

import time

from course_utils.exercises import NOT_ATTEMPTED, RIGHT, WRONG, verdict


def stub(*args):
    return NotImplemented


def test_01_1_dense_flops():
    assert verdict("01.1", 2_147_483_648)[0] == RIGHT
    assert verdict("01.1", None)[0] == NOT_ATTEMPTED
    result, message = verdict("01.1", 256 * 1024 * 4096)  # multiply-adds, not FLOPs
    assert result == WRONG and "2 FLOPs" in message


def test_01_2_dense_intensity():
    # by hand: 2·256·1024·4096 FLOPs over (256·1024 + 1024·4096 + 256·4096) · 4 bytes
    assert verdict("01.2", 2_147_483_648 / 22_020_096)[0] == RIGHT
    assert verdict("01.2", 97.5)[0] == RIGHT
    assert verdict("01.2", None)[0] == NOT_ATTEMPTED
    result, message = verdict("01.2", 2_147_483_648 / 17_825_792)  # the write of C forgotten
    assert result == WRONG and "written" in message
    assert verdict("01.2", 195.0)[0] == WRONG  # 2 bytes per float32


def test_01_3_add_bandwidth():
    assert verdict("01.3", lambda n, elapsed_s: 3 * 4 * n / elapsed_s / 1e9)[0] == RIGHT
    assert verdict("01.3", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("01.3", lambda n, elapsed_s: 2 * 4 * n / elapsed_s / 1e9)  # the forgotten write
    assert result == WRONG and "written" in message


def test_01_4_time_matmul():
    import keras

    from course_utils.timing import time_fn

    def right(n, dtype, device):
        with keras.device(device):
            a = keras.ops.cast(keras.random.normal((n, n), seed=1), dtype)
            b = keras.ops.cast(keras.random.normal((n, n), seed=2), dtype)
            return time_fn(lambda: keras.ops.matmul(a, b), repeats=3)

    def one_shot(n, dtype, device):  # the classic mistake: one run, no warm-up, no Timing
        a = keras.random.normal((n, n))
        start = time.perf_counter()
        keras.ops.matmul(a, a)
        return time.perf_counter() - start

    def float32_always(n, dtype, device):
        a = keras.random.normal((n, n))
        return time_fn(lambda: keras.ops.matmul(a, a), repeats=3)

    assert verdict("01.4", right)[0] == RIGHT
    assert verdict("01.4", stub)[0] == NOT_ATTEMPTED
    result, message = verdict("01.4", one_shot)
    assert result == WRONG and "Timing" in message
    result, message = verdict("01.4", float32_always)
    assert result == WRONG and "dtype" in message
