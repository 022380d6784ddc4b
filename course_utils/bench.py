"""Former home of the benchmarks, kept as a thin re-export so that ``from course_utils.bench import ...``
and ``cu.time_fn`` keep working.

The code now lives in three modules, each doing one job:

* :mod:`course_utils.timing`: :class:`Timing`, :func:`synchronize`, :func:`time_fn` (timing device work);
* :mod:`course_utils.benchmarks`: matmul, memory-bandwidth and host↔device transfer benchmarks;
* :mod:`course_utils.roofline`: the CPU's peak, ridge points and the roofline.

New code should import from those modules.
"""

from course_utils.benchmarks import (
    BYTES_PER_ELEMENT,
    DTYPES,
    BandwidthResult,
    MatmulResult,
    available_devices,
    bandwidth,
    cross_check,
    dataset_throughput,
    emulated_reason,
    matmul,
    matmul_sweep,
    numpy_matmul,
    numpy_matmul_tflops,
    to_jsonable,
    transfer,
)
from course_utils.roofline import CpuPeak, cpu_peak, ridge_point, roofline
from course_utils.timing import Timing, synchronize, time_fn

__all__ = [
    "BYTES_PER_ELEMENT",
    "DTYPES",
    "BandwidthResult",
    "CpuPeak",
    "MatmulResult",
    "Timing",
    "available_devices",
    "bandwidth",
    "cpu_peak",
    "cross_check",
    "dataset_throughput",
    "emulated_reason",
    "matmul",
    "matmul_sweep",
    "numpy_matmul",
    "numpy_matmul_tflops",
    "ridge_point",
    "roofline",
    "synchronize",
    "time_fn",
    "to_jsonable",
    "transfer",
]
