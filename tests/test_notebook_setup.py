"""setup_notebook in a fresh interpreter: the mode it picks, logical devices, and a bad COURSE_MODE.

The expected mode follows the hardware the test runs on (``full`` where TensorFlow sees a GPU, ``cpu``
where not), so that the test tells the truth on a laptop, in CI and on a GPU machine alike.
"""

import os
import subprocess
import sys


def _run(code: str, mode: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_MODE"}
    env.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")  # beside other test processes on a GPU
    if mode is not None:
        env["COURSE_MODE"] = mode
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180)


def test_default_mode_follows_the_hardware_and_devices_split():
    code = (
        "import course_utils as cu\n"
        "ctx = cu.setup_notebook(logical_devices=2)\n"
        "import tensorflow as tf\n"
        "gpus = tf.config.list_physical_devices('GPU')\n"
        "expected = 'full' if gpus else 'cpu'\n"
        "assert ctx.mode.value == expected, (ctx.mode, len(gpus))\n"
        "kind = 'GPU' if gpus else 'CPU'\n"
        "assert len(tf.config.list_logical_devices(kind)) >= 2, tf.config.list_logical_devices()\n"
        "assert tf.get_logger().level >= 40\n"
        "print('GPUS', len(gpus))\n"
    )
    result = _run(code, None)
    assert result.returncode == 0, result.stderr[-2000:]
    gpus = int(result.stdout.split("GPUS", 1)[1].split()[0])
    expected_mode = "full" if gpus else "cpu"
    assert f"Run mode: {expected_mode}" in result.stdout
    if gpus == 0:
        assert "split into 2 logical CPU devices" in result.stdout
    elif gpus == 1:
        assert "1 GPU split into 2 logical GPUs" in result.stdout
    else:
        assert "physical GPUs: nothing to split" in result.stdout


def test_unknown_mode_stops_with_the_valid_values():
    result = _run("import course_utils as cu; cu.setup_notebook()", "turbo")
    assert result.returncode != 0
    assert "UnknownModeError" in result.stderr and "smoke, cpu, full" in result.stderr
