"""The recipe benchmark's command (tools/bench_recipes.py, `make bench-recipes`) on real MNIST."""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_idx

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_end_to_end_on_real_mnist(mnist_sample, tmp_path):
    """A dry run (1 round, 512 images, a low target) on real MNIST in its original layout (tests/data/'s 4,000 test
    images as mnist-test/t10k-*-ubyte.gz): the output's shape, never its timings."""
    shared = tmp_path / "shared"
    (shared / "mnist-test").mkdir(parents=True)
    write_idx(shared / "mnist-test" / "t10k-images-idx3-ubyte.gz", mnist_sample[0])
    write_idx(shared / "mnist-test" / "t10k-labels-idx1-ubyte.gz", mnist_sample[1])
    env = {**os.environ, "COURSE_SHARED_DATA": str(shared), "COURSE_DATA_DIR": str(tmp_path / "data")}
    args = ["--rounds", "1", "--limit", "512", "--target", "0.5", "--json", str(tmp_path / "r.json")]
    out = subprocess.run(
        [sys.executable, "-m", "tools.bench_recipes", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.strip().splitlines()
    assert "first 3,200 train / last 800 validation" in lines[0]
    assert re.fullmatch(r"faster vs keras\.io: (\d+\.\d\dx|n/a.*)", lines[-1]), lines[-1]
    assert [line.split()[0] for line in lines[-4:-1]] == ["keras.io", "plain", "faster"]
    assert (tmp_path / "r.json").exists()


def test_no_real_data_says_what_to_do_and_exits_2(tmp_path):
    env = {**os.environ, "COURSE_DATA_DIR": str(tmp_path / "data"), "COURSE_SHARED_DATA": str(tmp_path / "none")}
    out = subprocess.run(
        [sys.executable, "-m", "tools.bench_recipes"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 2 and "No real MNIST found" in out.stderr, out.stderr[-2000:]
