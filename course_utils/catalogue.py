"""Datasheet figures of current accelerators, each row with its source.

Rules for every figure here:

* tensor figures are **dense** (datasheets also print a 2:4 "sparsity" figure, twice as
  large: never used here);
* ``tensor_tflops`` is FP16/BF16 Tensor Core (or matrix-core) throughput with FP32
  accumulation, the mode mixed-precision training uses (GeForce cards run it at half
  their FP16-accumulate rate; workstation and data-centre cards at full rate);
* ``None`` means the part has no such unit or its maker publishes no figure.

The tutorial's "Quadro" and "Tesla" brands are retired: NVIDIA's workstation cards are now
"RTX A6000", "RTX 6000 Ada", "RTX PRO 6000 Blackwell"; data-centre parts are named by
chip (T4, A100, H100, B200).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accelerator:
    name: str
    vendor: str
    segment: str  # "data centre", "workstation", "consumer", "laptop/desktop SoC", "edge"
    year: int
    memory_gb: float
    bandwidth_gbs: float
    fp32_tflops: float | None
    tensor_tflops: float | None  # FP16/BF16 dense, FP32 accumulate
    fp8_tflops: float | None  # dense
    tdp_w: float | None
    source: str
    tf32_tflops: float | None = None
    note: str = ""

    @property
    def peak_tflops(self) -> float | None:
        """The highest 16-bit-or-wider figure: tensor when there is one, else FP32."""
        return self.tensor_tflops or self.fp32_tflops

    @property
    def ridge_flop_per_byte(self) -> float | None:
        """Arithmetic intensity at which the part turns compute-bound (peak / bandwidth)."""
        peak = self.peak_tflops
        return None if peak is None else peak * 1e12 / (self.bandwidth_gbs * 1e9)

    @property
    def tflops_per_watt(self) -> float | None:
        return None if not (self.peak_tflops and self.tdp_w) else self.peak_tflops / self.tdp_w


_NV = "https://www.nvidia.com"
_ADA = "https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf"
_AMD = "https://www.amd.com"
_APPLE = "https://www.apple.com/newsroom"
A = Accelerator
CATALOGUE: list[Accelerator] = [
    # NVIDIA data centre
    A(
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
        note="Turing; FP16 tensor only (no BF16, no TF32); Colab's free GPU",
    ),
    A(
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
        note="Ampere",
    ),
    A(
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
        note="Ada; low-power inference card",
    ),
    A(
        "L40S",
        "NVIDIA",
        "data centre",
        2023,
        48,
        864,
        91.6,
        362,
        733,
        350,
        f"{_NV}/en-us/data-center/l40s/",
        tf32_tflops=183,
        note="Ada",
    ),
    A(
        "H100 PCIe",
        "NVIDIA",
        "data centre",
        2022,
        80,
        2000,
        51,
        756,
        1513,
        350,
        f"{_NV}/en-us/data-center/h100/",
        tf32_tflops=378,
        note="Hopper",
    ),
    A(
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
        note="Hopper",
    ),
    A(
        "H200 SXM",
        "NVIDIA",
        "data centre",
        2024,
        141,
        4800,
        67,
        989,
        1979,
        700,
        f"{_NV}/en-us/data-center/h200/",
        tf32_tflops=495,
        note="Hopper with HBM3e: H100's compute, more and faster memory",
    ),
    A(
        "B200",
        "NVIDIA",
        "data centre",
        2025,
        180,
        8000,
        75,
        2250,
        4500,
        1000,
        f"{_NV}/en-us/data-center/hgx/",
        tf32_tflops=1100,
        note="Blackwell; per GPU of an HGX B200 (dense = half the sparse figures listed)",
    ),
    # NVIDIA workstation (formerly Quadro)
    A(
        "RTX A6000",
        "NVIDIA",
        "workstation",
        2020,
        48,
        768,
        38.7,
        154.8,
        None,
        300,
        f"{_NV}/content/dam/en-zz/Solutions/design-visualization/quadro-product-literature/proviz-print-nvidia-rtx-a6000-datasheet-us-nvidia-1454980-r9-web.pdf",
        note="Ampere; datasheet's 309.7 TFLOPS is sparse",
    ),
    A(
        "RTX 6000 Ada",
        "NVIDIA",
        "workstation",
        2022,
        48,
        960,
        91.1,
        364.2,
        728.5,
        300,
        f"{_NV}/en-us/design-visualization/rtx-6000/",
        note="Ada; datasheet's 1,457 TFLOPS is FP8 sparse",
    ),
    # NVIDIA consumer (GeForce)
    A(
        "GeForce RTX 3090",
        "NVIDIA",
        "consumer",
        2020,
        24,
        936,
        35.6,
        71,
        None,
        350,
        "https://images.nvidia.com/aem-dam/en-zz/Solutions/geforce/ampere/pdf/NVIDIA-ampere-GA102-GPU-Architecture-Whitepaper-V1.pdf",
        note="Ampere; FP16 with FP32 accumulate (142 with FP16 accumulate)",
    ),
    A(
        "GeForce RTX 4090",
        "NVIDIA",
        "consumer",
        2022,
        24,
        1008,
        82.6,
        165.2,
        330.3,
        450,
        _ADA,
        note="Ada; FP16 with FP32 accumulate (330 with FP16 accumulate)",
    ),
    A(
        "GeForce RTX 5090",
        "NVIDIA",
        "consumer",
        2025,
        32,
        1792,
        104.8,
        209.5,
        419,
        575,
        "https://images.nvidia.com/aem-dam/Solutions/geforce/blackwell/nvidia-rtx-blackwell-gpu-architecture.pdf",
        note="Blackwell; FP16 with FP32 accumulate",
    ),
    # NVIDIA edge
    A(
        "Jetson AGX Orin 64GB",
        "NVIDIA",
        "edge",
        2023,
        64,
        204.8,
        5.3,
        None,
        None,
        60,
        f"{_NV}/en-us/autonomous-machines/embedded-systems/jetson-orin/",
        note="Ampere GPU; NVIDIA publishes 275 sparse INT8 TOPS (GPU + DLAs), 15-60 W; memory shared with the CPU",
    ),
    A(
        "Jetson Orin Nano Super 8GB",
        "NVIDIA",
        "edge",
        2024,
        8,
        102,
        1.3,
        None,
        None,
        25,
        f"{_NV}/en-us/autonomous-machines/embedded-systems/jetson-orin/nano-super-developer-kit/",
        note="67 sparse INT8 TOPS, 7-25 W; memory shared with the CPU",
    ),
    # AMD
    A(
        "Instinct MI250X",
        "AMD",
        "data centre",
        2021,
        128,
        3277,
        47.9,
        383,
        None,
        560,
        f"{_AMD}/en/products/accelerators/instinct/mi200/mi250x.html",
        note="CDNA 2; FP32 vector figure",
    ),
    A(
        "Instinct MI300X",
        "AMD",
        "data centre",
        2023,
        192,
        5300,
        81.7,
        1307.4,
        2614.9,
        750,
        f"{_AMD}/en/products/accelerators/instinct/mi300/mi300x.html",
        tf32_tflops=653.7,
        note="CDNA 3; FP32 vector figure (163.4 matrix)",
    ),
    A(
        "Instinct MI325X",
        "AMD",
        "data centre",
        2024,
        256,
        6000,
        81.7,
        1307.4,
        2614.9,
        1000,
        f"{_AMD}/en/products/accelerators/instinct/mi300/mi325x.html",
        tf32_tflops=653.7,
        note="CDNA 3 with HBM3E: MI300X's compute, more memory",
    ),
    A(
        "Radeon RX 7900 XTX",
        "AMD",
        "consumer",
        2022,
        24,
        960,
        61.4,
        122.8,
        None,
        355,
        f"{_AMD}/en/products/graphics/desktops/radeon/7000-series/amd-radeon-rx-7900xtx.html",
        note="RDNA 3; FP16 via WMMA; FP32 counts dual issue",
    ),
    A(
        "Radeon PRO W7900",
        "AMD",
        "workstation",
        2023,
        48,
        864,
        61.3,
        122.6,
        None,
        295,
        f"{_AMD}/en/products/graphics/workstations/radeon-pro/w7900.html",
        note="RDNA 3",
    ),
    # Apple silicon: Apple publishes memory, bandwidth and Neural Engine TOPS, not GPU FLOP/s
    A(
        "Apple M3 Max",
        "Apple",
        "laptop/desktop SoC",
        2023,
        128,
        400,
        None,
        None,
        None,
        None,
        f"{_APPLE}/2023/10/apple-unveils-m3-m3-pro-and-m3-max-the-most-advanced-chips-for-a-personal-computer/",
        note="unified memory shared by CPU and GPU; Neural Engine 18 TOPS; no GPU FLOP/s published",
    ),
    A(
        "Apple M4 Max",
        "Apple",
        "laptop/desktop SoC",
        2024,
        128,
        546,
        None,
        None,
        None,
        None,
        f"{_APPLE}/2024/10/apple-introduces-m4-pro-and-m4-max/",
        note="unified memory shared by CPU and GPU; Neural Engine 38 TOPS; no GPU FLOP/s published",
    ),
]
del A

REFERENCE_GPUS: dict[str, Accelerator] = {a.name: a for a in CATALOGUE}


def find(name: str) -> Accelerator:
    """An accelerator by (part of) its name, case-insensitive; a clear error when none or several match."""
    hits = [a for a in CATALOGUE if name.lower() in a.name.lower()]
    exact = [a for a in hits if a.name.lower() == name.lower()]
    if exact:
        return exact[0]
    if len(hits) != 1:
        names = ", ".join(a.name for a in (hits or CATALOGUE))
        raise KeyError(f"{'no' if not hits else 'several'} accelerators match {name!r}; choose from: {names}")
    return hits[0]
