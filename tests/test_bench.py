"""Timing, benchmarks and roofline: timing discipline (notebook 01's time_fn), FLOP counts, faults reported.

No test asserts a timing: rates are printed as diagnostics (run with -s to see them).
"""

import math

import pytest

from course_utils import benchmarks, roofline, timing
from course_utils.lessons.nb01 import time_fn


def test_timing_statistics():
    t = timing.Timing.from_samples([1.0, 2.0, 3.0, 4.0, 100.0])
    assert t.median_s == 3.0 and t.min_s == 1.0 and t.max_s == 100.0
    assert t.q1_s <= t.median_s <= t.q3_s
    assert "median" in str(t)


def test_time_fn_warms_up_synchronises_and_repeats():
    calls, syncs = [], []
    result = time_fn(lambda: calls.append(1) or len(calls), warmup=3, repeats=4, number=2, sync=syncs.append)
    assert len(calls) == 3 + 4 * 2
    assert syncs == [1, 2, 3, 5, 7, 9, 11], "sync after every warm-up call and after each sample's last call"
    assert len(result.samples) == 4


def test_matmul_counts_flops_and_intensity():
    r = benchmarks.matmul(64, "float32", "cpu:0", repeats=3)
    assert r.error is None and r.flops == 2 * 64**3
    assert r.timing.median_s > 0
    print(f"diagnostic: 64³ float32 matmul on the CPU at {r.tflops * 1e3:.2f} GFLOP/s")
    assert math.isclose(r.intensity, 2 * 64**3 / (3 * 64**2 * 4))


def test_unsupported_dtype_is_reported_not_raised():
    r = benchmarks.matmul(16, "not_a_dtype", "cpu:0", repeats=1)
    assert r.timing is None and "not supported" in r.error


def test_out_of_memory_is_reported(monkeypatch):
    def oom(*args, **kwargs):
        raise RuntimeError("RESOURCE_EXHAUSTED: OOM when allocating tensor")

    monkeypatch.setattr("keras.random.normal", oom)
    r = benchmarks.matmul(32768, "float32", "cpu:0")
    assert r.timing is None and r.error.startswith("out of memory at n=32768") and "12.0 GiB" in r.error


def test_sweep_skips_what_the_budget_cannot_afford():
    results = benchmarks.matmul_sweep([32, 4096, 8192], ("float32",), ["cpu:0"], repeats=2, budget_s=0.5)
    assert results[0].timing is not None
    assert all(r.error and r.error.startswith("skipped") for r in results[1:])


def test_bandwidth_counts_read_and_write():
    r = benchmarks.bandwidth("cpu:0", megabytes=64, repeats=3)
    assert r.nbytes == 64 * 2**20
    assert math.isclose(r.gbs, 2 * r.nbytes / r.timing.median_s / 1e9)
    print(f"diagnostic: CPU copy bandwidth {r.gbs:.1f} GB/s")


def test_cpu_peak_formula():
    peak = roofline.cpu_peak(frozenset({"avx512f", "fma"}), "Intel(R) Xeon(R) Processor @ 2.80GHz", cores=2)
    assert math.isclose(peak.tflops, 2 * 2.8e9 * 16 * 2 * 2 / 1e12)
    assert roofline.cpu_peak(frozenset({"avx2", "fma"}), "X @ 3.00GHz", cores=4).lanes == 8
    clockless = roofline.cpu_peak(frozenset({"avx2", "fma"}), "AMD EPYC", cores=2, clock=(2.45, "lscpu"))
    assert math.isclose(clockless.tflops, 2 * 2.45e9 * 8 * 2 * 2 / 1e12) and "lscpu" in clockless.explain()


def test_clock_is_read_from_the_name_first_then_from_the_os(monkeypatch):
    assert roofline.clock_ghz("Intel(R) Xeon(R) CPU @ 2.20GHz") == (2.2, "the model name")
    monkeypatch.setattr(roofline, "_lscpu_max_mhz", lambda: 3700.0)
    monkeypatch.setattr(roofline.Path, "read_text", lambda self, **kw: (_ for _ in ()).throw(OSError()))
    assert roofline.clock_ghz("AMD EPYC") == (3.7, "lscpu's 'CPU max MHz'")
    monkeypatch.setattr(roofline, "_lscpu_max_mhz", lambda: None)
    assert roofline.clock_ghz("AMD EPYC") is None
    assert roofline.cpu_peak(frozenset(), "AMD EPYC", cores=1) is None


def test_float16_on_a_cpu_without_fp16_units_is_skipped_not_timed():
    assert "emulated" in benchmarks.emulated_reason("float16", "cpu:0", frozenset({"avx2"}))
    assert benchmarks.emulated_reason("float16", "cpu:0", frozenset({"avx512_fp16"})) is None
    assert benchmarks.emulated_reason("float16", "gpu:0", frozenset()) is None
    if not benchmarks.cpu_has_fp16_math():
        r = benchmarks.matmul(4096, "float16", "cpu:0")
        assert r.timing is None and r.error.startswith("skipped")


def test_cross_check_pins_every_measurement_to_one_device(monkeypatch):
    seen = []
    real = benchmarks.matmul
    monkeypatch.setattr(
        benchmarks, "matmul", lambda n, device, repeats: seen.append(device) or real(n, "float32", device, repeats)
    )
    plain = []
    monkeypatch.setattr(benchmarks, "_plain_tf_matmul_s", lambda n, r, device: plain.append(device) or 1.0)
    found = benchmarks.cross_check(64, rounds=1, repeats=2)
    assert seen == ["cpu:0"] and plain == ["cpu:0"] and set(found) == {"course", "numpy", "plain_tf"}


def test_transfer_reports_both_directions():
    out = benchmarks.transfer("cpu:0", megabytes=4, repeats=2)
    assert set(out) == {"host_to_device", "device_to_host"}
    for r in out.values():
        assert r.error is None and r.passes == 1 and r.nbytes == 4 * 2**20
        print(f"diagnostic: {r.device} copy {r.gbs:.1f} GB/s (a copy inside RAM on a CPU)")


def test_roofline_and_ridge():
    assert math.isclose(roofline.ridge_point(65, 320), 65e12 / 320e9)
    assert roofline.roofline(1.0, 65, 320) == pytest.approx(0.32)
    assert roofline.roofline(1e4, 65, 320) == 65


def test_datasheet_match_finds_the_catalogue_row_of_a_device_name():
    names = {
        "Tesla T4": "T4",
        "NVIDIA A100-SXM4-80GB": "A100 80GB SXM",
        "NVIDIA H100 80GB HBM3": "H100 SXM",
        "NVIDIA H100 PCIe": "H100 PCIe",
        "NVIDIA L4": "L4",
    }
    for device_name, row in names.items():
        assert benchmarks.datasheet_match(device_name).name == row, device_name
    assert benchmarks.datasheet_match("AMD EPYC") is None
