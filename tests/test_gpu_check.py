"""The GPU verification kit's plumbing (the kit itself is dry-run with ``make gpu-check GPU_CHECK_ARGS=--quick``)."""

import json

import numpy as np

from course_utils.recipes import Split
from tools import gpu_check


def test_slug_names_the_file_after_the_device():
    assert gpu_check.slug("NVIDIA H100 80GB HBM3") == "nvidia_h100_80gb_hbm3"
    assert gpu_check.slug("???") == "device"


def test_goals_are_compared_for_an_h100_only():
    record = {
        "parts": {
            "hardware": {
                "matmul": [
                    {"dtype": "bfloat16", "tflops": 712.0, "timing": {"median_s": 1.5e-3}},
                    {"dtype": "float32", "tflops": 400.0, "timing": {"median_s": 3e-3}},
                ],
                "bandwidth": [{"device": "gpu:0", "gbs": 2300.0}, {"device": "cpu:0", "gbs": 20.0}],
            }
        }
    }
    lines = gpu_check.goals_for("NVIDIA H100 80GB HBM3", record)
    assert lines == [
        "bfloat16 matmul 712 TFLOP/s meets the goal of 700",
        "copy 2.30 TB/s is BELOW the goal of 2.5 TB/s",
    ]
    assert gpu_check.goals_for("NVIDIA A100-SXM4-40GB", record) == []


def test_parts_skipped_or_measured_and_the_file_is_written(tmp_path, monkeypatch):
    from course_utils import cudnn

    out = tmp_path / "check.json"
    assert gpu_check.main(["--quick", "--skip", "hardware,recipes,lstm", "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    assert record["kind"] == "dry run (not a reference)" and record["versions"]["keras"] and record["device"]
    assert all(p["status"] == "skipped: --skip on the command line" for p in record["parts"].values())

    calls = []

    def time_lstm_cudnn(**kwargs):
        calls.append(kwargs)
        return {"use_cudnn=auto": 0.01, "use_cudnn=False": 0.03}

    monkeypatch.setattr(cudnn, "time_lstm_cudnn", time_lstm_cudnn)
    assert gpu_check.main(["--quick", "--skip", "hardware,recipes", "--out", str(out)]) == 0
    part = json.loads(out.read_text())["parts"]["lstm"]
    assert part["status"] == "measured" and part["figures"] == {"use_cudnn=auto": 0.01, "use_cudnn=False": 0.03}
    assert calls == [{"repeats": 3, "warmup": 1}], "a dry run asks for few repeats"


def test_a_failing_part_is_recorded_and_the_others_kept(tmp_path, monkeypatch):
    def broken(quick):
        raise RuntimeError("CUDA_ERROR_NO_DEVICE")

    monkeypatch.setattr(gpu_check, "lstm_cudnn", broken)
    out = tmp_path / "check.json"
    assert gpu_check.main(["--quick", "--skip", "hardware,recipes", "--out", str(out)]) == 1
    record = json.loads(out.read_text())
    assert record["parts"]["lstm"]["status"] == "failed: RuntimeError: CUDA_ERROR_NO_DEVICE"
    assert record["parts"]["recipes"]["status"].startswith("skipped")


def test_the_dry_run_says_how_many_images_it_trains_on():
    n = 3000
    split = Split(np.zeros((n, 1)), np.zeros((n, 10)), np.ones((n, 1)), np.ones((n, 10)), "MNIST")
    small = gpu_check.dry_run_split(split)
    train, val = len(small.x_train), len(small.x_val)
    assert 0 < train < n and 0 < val < n and (len(small.y_train), len(small.y_val)) == (train, val)
    assert small.name == f"MNIST (first {train:,} training and {val:,} validation images: dry run)"
