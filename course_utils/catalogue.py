"""Datasheet figures of accelerators, each row with its source.

All tensor figures are *dense* (NVIDIA datasheets also print a 2:4 "sparsity"
figure twice as large: it is not used here). ``None`` means the part has no
such unit or the datasheet gives no figure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accelerator:
    name: str
    vendor: str
    segment: str  # "data centre", "workstation", "consumer", "laptop/SoC", "edge"
    year: int
    memory_gb: float
    bandwidth_gbs: float
    fp32_tflops: float
    tensor_tflops: float | None  # FP16/BF16 dense tensor throughput
    fp8_tflops: float | None
    tdp_w: float
    source: str
    tf32_tflops: float | None = None
    note: str = ""

    @property
    def ridge_flop_per_byte(self) -> float:
        """Arithmetic intensity at which the part turns compute-bound (tensor peak / bandwidth)."""
        return (self.tensor_tflops or self.fp32_tflops) * 1e12 / (self.bandwidth_gbs * 1e9)


_NV = "https://www.nvidia.com"
CATALOGUE: list[Accelerator] = [
    Accelerator(
        "T4",
        "NVIDIA",
        "data centre",
        2018,
        16,
        320,
        8.1,
        65,
        None,
        70,
        f"{_NV}/content/dam/en-zz/Solutions/Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf",
        note="FP16 tensor only (no bfloat16); Colab's free GPU",
    ),
    Accelerator(
        "L4",
        "NVIDIA",
        "data centre",
        2023,
        24,
        300,
        30.3,
        121,
        242.5,
        72,
        f"{_NV}/en-us/data-center/l4/",
        tf32_tflops=60,
    ),
    Accelerator(
        "A100 80GB SXM",
        "NVIDIA",
        "data centre",
        2020,
        80,
        2039,
        19.5,
        312,
        None,
        400,
        f"{_NV}/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
        tf32_tflops=156,
    ),
    Accelerator(
        "H100 SXM",
        "NVIDIA",
        "data centre",
        2022,
        80,
        3350,
        67,
        989,
        1979,
        700,
        f"{_NV}/en-us/data-center/h100/",
        tf32_tflops=495,
    ),
]

REFERENCE_GPUS: dict[str, Accelerator] = {a.name: a for a in CATALOGUE}
