"""Checks of notebook 01 (CPU vs GPU). Each computes its own truth."""

from __future__ import annotations

from course_utils.exercises import call, close, exercise, expect, number, wrong

M, K, N = 256, 1024, 4096  # the dense layer of exercises 1 and 2: (256, 1024) @ (1024, 4096)


@exercise("01.1", "the FLOPs of a dense layer", "the section 'Sweep matrix sizes on each device'")
def dense_flops(answer, **_):
    value = number(answer, "dense_flops")
    truth = 2 * M * K * N
    if close(value, truth / 2, rel=1e-6):
        wrong("that is the number of multiply-adds: each one is 2 FLOPs.")
    expect(close(value, truth, rel=1e-6), f"{value:,.0f} is not it: count m·k·n multiply-adds, 2 FLOPs each.")
    return f"{truth / 1e9:.2f} GFLOP per batch: a dense layer is a matmul, the work GPUs are built for."


@exercise("01.2", "the arithmetic intensity of a dense layer", "the section 'Read the roofline'")
def dense_intensity(answer, **_):
    value = number(answer, "dense_intensity")
    flops = 2 * M * K * N
    elements_read, elements_written = M * K + K * N, M * N
    truth = flops / ((elements_read + elements_written) * 4)
    if close(value, flops / (elements_read * 4), rel=0.01):
        wrong("you counted the bytes read only: the product C is written to memory too.")
    if close(value, flops / ((elements_read + elements_written) * 2), rel=0.01):
        wrong("float32 is 4 bytes per number, not 2.")
    if close(value, flops / 2 / ((elements_read + elements_written) * 4), rel=0.01):
        wrong("count FLOPs, not multiply-adds: 2 per multiply-add.")
    expect(close(value, truth, rel=0.01), f"{value:.1f} is not it: FLOPs over the bytes of A, B and C in float32.")
    return (
        f"{truth:.0f} FLOP/byte: right of a T4's float32 ridge (8.1e12 / 320e9 ≈ 25) but left of an H100's "
        "16-bit ridge (≈ 295): the same layer is compute-bound on one GPU and memory-bound on another."
    )


@exercise("01.3", "bandwidth from a timed addition", "the section 'Measure memory bandwidth'")
def add_bandwidth(answer, **_):
    cases = [(16 * 2**20, 0.010), (1000, 1e-6), (3 * 2**20, 0.25)]
    for n, elapsed_s in cases:
        got = number(call(answer, n, elapsed_s), "add_bandwidth_gbs(n, elapsed_s)")
        if close(got, 8 * n / elapsed_s / 1e9, rel=1e-3):
            wrong("you counted the two inputs read, not the output written: x + y moves 3 × 4 bytes per element.")
        if close(got, 12 * n / elapsed_s, rel=1e-3):
            wrong("the result is in B/s: divide by 10⁹ for GB/s.")
        if close(got, 12 * n / elapsed_s / 2**30, rel=1e-3):
            wrong("that is GiB/s (2³⁰): bandwidth figures are quoted in GB/s (10⁹ bytes).")
        expect(close(got, 12 * n / elapsed_s / 1e9, rel=1e-3), "bytes moved per element (2 read + 1 written) × 4.")
    return "the same byte count every roofline uses: all the bytes that cross memory, read and written."


@exercise("01.4", "a matmul timer for the sweep", "the section 'Sweep matrix sizes on each device'")
def time_matmul(answer, **context):
    import keras

    timing = call(answer, 64, "float32", "cpu:0")
    if isinstance(timing, (int, float)):
        wrong("return the Timing that time_fn gives (median and spread), not one number.")
    expect(hasattr(timing, "median_s") and hasattr(timing, "samples"), "return the result of time_fn(...).")
    expect(len(timing.samples) >= 3, "time at least 3 repeats: one run is noise.")
    expect(timing.median_s > 0, "the median time must be positive: time the matmul itself.")
    seen = []
    real = keras.ops.matmul
    keras.ops.matmul = lambda a, b: (
        seen.append((tuple(a.shape), tuple(b.shape), keras.backend.standardize_dtype(a.dtype))) or real(a, b)
    )
    try:
        call(answer, 32, "bfloat16", "cpu:0")
    finally:
        keras.ops.matmul = real
    expect(seen, "use keras.ops.matmul, as the sweep does.")
    expect(all(s[0] == (32, 32) and s[1] == (32, 32) for s in seen), f"multiply n × n matrices; got shapes {seen[0]}.")
    expect(all(s[2] == "bfloat16" for s in seen), "cast the matrices to the dtype asked for before multiplying.")
    return "one function, any size, dtype and device: the sweep and the widget are loops around it."
