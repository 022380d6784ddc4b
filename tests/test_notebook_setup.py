"""setup_notebook in a fresh interpreter: the mode it picks, logical devices, and a bad COURSE_MODE."""

import os
import subprocess
import sys


def _run(code: str, mode: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_MODE"}
    if mode is not None:
        env["COURSE_MODE"] = mode
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_default_mode_without_gpu_is_cpu_and_devices_split():
    code = (
        "import course_utils as cu\n"
        "ctx = cu.setup_notebook(logical_devices=2)\n"
        "import tensorflow as tf\n"
        "assert ctx.mode.value == 'cpu', ctx.mode\n"
        "assert len(tf.config.list_logical_devices('CPU')) == 2\n"
        "assert tf.get_logger().level >= 40\n"
    )
    result = _run(code, None)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Run mode: cpu" in result.stdout and "split into 2 logical CPU devices" in result.stdout


def test_unknown_mode_stops_with_the_valid_values():
    result = _run("import course_utils as cu; cu.setup_notebook()", "turbo")
    assert result.returncode != 0
    assert "UnknownModeError" in result.stderr and "smoke, cpu, full" in result.stderr
