"""Numba's CUDA target as notebook 02 uses it: the simulator on a machine without a GPU, in a process with TensorFlow.

Run in a fresh interpreter, because the simulator must be switched on before Numba reads its configuration.
"""

import os
import subprocess
import sys

SCRIPT = r"""
import math
import numpy as np
import tensorflow as tf  # the notebook imports TensorFlow first
import numba  # ... and Numba may already be imported: its configuration is reloaded
from course_utils.devices import numba_cuda

cuda, simulated = numba_cuda(has_gpu=False)
assert simulated, "the simulator is on"
from numba import float32

TILE = 4

@cuda.jit
def saxpy(a, x, y, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < x.size:
        out[i] = a * x[i] + y[i]

@cuda.jit
def matmul_tiled(a, b, c):
    tile_a = cuda.shared.array((TILE, TILE), dtype=float32)
    tile_b = cuda.shared.array((TILE, TILE), dtype=float32)
    col, row = cuda.grid(2)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    acc = float32(0.0)
    for t in range((a.shape[1] + TILE - 1) // TILE):
        k = t * TILE
        tile_a[ty, tx] = a[row, k + tx] if row < a.shape[0] and k + tx < a.shape[1] else 0.0
        tile_b[ty, tx] = b[k + ty, col] if k + ty < b.shape[0] and col < b.shape[1] else 0.0
        cuda.syncthreads()
        for j in range(TILE):
            acc += tile_a[ty, j] * tile_b[j, tx]
        cuda.syncthreads()
    if row < c.shape[0] and col < c.shape[1]:
        c[row, col] = acc

rng = np.random.default_rng(0)
x, y = rng.standard_normal(300, dtype=np.float32), rng.standard_normal(300, dtype=np.float32)
out = cuda.device_array(300, dtype=np.float32)
saxpy[math.ceil(300 / 128), 128](np.float32(2.0), cuda.to_device(x), cuda.to_device(y), out)
assert np.allclose(out.copy_to_host(), 2 * x + y)
a, b = rng.standard_normal((10, 7), dtype=np.float32), rng.standard_normal((7, 9), dtype=np.float32)
c = cuda.device_array((10, 9), dtype=np.float32)
matmul_tiled[(math.ceil(9 / TILE), math.ceil(10 / TILE)), (TILE, TILE)](cuda.to_device(a), cuda.to_device(b), c)
assert np.allclose(c.copy_to_host(), a @ b, atol=1e-5), "tiled matmul on non-square, non-multiple shapes"
print("OK")
"""


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}  # the child decides
    return {**env, **extra}


def test_simulated_kernels_in_a_tensorflow_process():
    env_run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(TF_CPP_MIN_LOG_LEVEL="2"),
    )
    assert env_run.returncode == 0 and env_run.stdout.strip().endswith("OK"), env_run.stderr[-2000:]


def test_real_target_imported_without_a_gpu_says_restart():
    script = (
        "import os; os.environ.pop('NUMBA_ENABLE_CUDASIM', None)\n"
        "from numba import cuda\n"
        "from course_utils.devices import numba_cuda\n"
        "try:\n    numba_cuda(has_gpu=False)\nexcept RuntimeError as err:\n    print(err)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=_env())
    assert "restart the kernel" in run.stdout, run.stderr[-2000:]
