"""Checks of notebook 01 (CPU vs GPU). Each computes its own truth."""

from __future__ import annotations

from course_utils.exercises import boolean, call, close, exercise, expect, number, parts, wrong

M, K, N = 256, 1024, 4096  # the dense layer of exercises 1 and 2: (256, 1024) @ (1024, 4096)
T4_FLOAT32_RIDGE = 8.1e12 / 320e9  # FLOP/byte: the T4 datasheet's float32 peak over its bandwidth, ≈ 25
H100_BF16_RIDGE = 989e12 / 3.35e12  # the H100 SXM's dense bfloat16 Tensor Core peak over its bandwidth, ≈ 295


@exercise("01.1", "the FLOPs of a dense layer", "the section 'Sweep matrix sizes on each device'")
def dense_flops(answer, **_):
    value = number(answer, "dense_flops")
    truth = 2 * M * K * N
    if close(value, truth / 2, rel=1e-3):
        wrong("that is the number of multiply-adds: each one is 2 FLOPs.")
    expect(close(value, truth, rel=0.005), f"{value:,.0f} is not it: count m·k·n multiply-adds, 2 FLOPs each.")
    return f"{truth / 1e9:.2f} GFLOP per batch: a dense layer is a matmul, the work GPUs are built for."


@exercise("01.2", "the arithmetic intensity of a dense layer", "the section 'Read the roofline'")
def dense_intensity(answer, **_):
    intensity, t4, h100 = parts(answer, ("dense_intensity", "t4_compute_bound", "h100_compute_bound"))
    value = number(intensity, "dense_intensity")
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
    expect(
        boolean(t4, "t4_compute_bound") is (truth > T4_FLOAT32_RIDGE),
        f"on a T4 in float32 the ridge is ≈ {T4_FLOAT32_RIDGE:.0f} FLOP/byte and the layer's intensity {truth:.1f}: "
        "right of the ridge, compute is the limit.",
    )
    expect(
        boolean(h100, "h100_compute_bound") is (2 * truth > H100_BF16_RIDGE),
        f"on an H100 in bfloat16 the ridge is ≈ {H100_BF16_RIDGE:.0f} FLOP/byte; with 2-byte numbers the intensity "
        f"doubles to {2 * truth:.0f}, still left of it: memory is the limit.",
    )
    return (
        f"{truth:.1f} FLOP/byte: right of a T4's float32 ridge (≈ 25) but left of an H100's bfloat16 ridge (≈ 295): "
        "the same layer is compute-bound on one GPU and memory-bound on another."
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
def time_matmul(answer, **_):
    timing = call(answer, 64, "float32", "cpu:0")
    if isinstance(timing, (int, float)) or type(timing).__module__ == "numpy":
        wrong("return the Timing that time_fn gives (median and spread), not one number.")
    expect(hasattr(timing, "median_s") and hasattr(timing, "samples"), "return the result of time_fn(...), a Timing.")
    expect(len(timing.samples) >= 3, "time at least 3 repeats: one run is noise.")
    expect(timing.median_s > 0, "the median time must be positive: time the matmul itself.")
    # Each argument must reach the work: with an impossible value, a function that uses it fails.
    probes = (
        ((-1, "float32", "cpu:0"), "time_matmul ignores n: make two n × n matrices."),
        ((64, "not_a_dtype", "cpu:0"), "time_matmul ignores dtype: cast the matrices to it (keras.ops.cast)."),
        (
            (64, "float32", "nowhere:0"),
            "time_matmul ignores device: make the matrices inside `with keras.device(device):`.",
        ),
    )
    for args, hint in probes:
        try:
            answer(*args)
        except Exception:  # noqa: BLE001, S112 - the impossible value reached the work, as it should
            continue
        wrong(hint)
    return "one function, any size, dtype and device: the sweep and the widget are loops around it."
