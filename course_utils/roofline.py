"""Peaks, ridge points and the roofline: what a device could do at best, and what limits an operation.

The roofline model (Williams, Waterman and Patterson, CACM 2009): an operation of arithmetic intensity
``I`` FLOP/byte runs at most at ``min(peak FLOP/s, bandwidth × I)``. The CPU's float32 peak is derived
from what the operating system reports: cores × clock × SIMD lanes × 2 (a fused multiply-add) × FMA units.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from course_utils.devices import cpu_flags, cpu_name


@dataclass
class CpuPeak:
    """The CPU's theoretical float32 peak: cores × clock × SIMD lanes × 2 (FMA) × FMA units."""

    name: str
    cores: int
    ghz: float
    lanes: int
    fma_units: int
    clock_source: str = "the model name"

    @property
    def tflops(self) -> float:
        return self.cores * self.ghz * 1e9 * self.lanes * 2 * self.fma_units / 1e12

    def explain(self) -> str:
        return (
            f"{self.cores} core(s) × {self.ghz:.2f} GHz × {self.lanes} float32 lanes × 2 (FMA) × "
            f"{self.fma_units} FMA unit(s) = {self.tflops * 1e3:.0f} GFLOP/s (clock from {self.clock_source}; "
            f"assumes {self.fma_units} FMA unit(s) per core; turbo raises it, AVX-512 down-clocking lowers it)"
        )


def clock_ghz(name: str | None = None) -> tuple[float, str] | None:
    """The CPU's clock in GHz and where it was read, or ``None``.

    In order: the model name (``... @ 2.80GHz``), the kernel's maximum frequency
    (``/sys/.../cpuinfo_max_freq``), ``lscpu``'s "CPU max MHz", then the clock ``/proc/cpuinfo``
    reports now ("cpu MHz": on a virtual machine often the nominal clock, below any turbo).
    """
    name = cpu_name() if name is None else name
    match = re.search(r"@\s*([\d.]+)\s*GHz", name)
    if match:
        return float(match.group(1)), "the model name"
    max_freq = Path("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    try:
        return int(max_freq.read_text()) / 1e6, "the kernel's cpuinfo_max_freq"
    except (OSError, ValueError):
        pass
    mhz = _lscpu_max_mhz()
    if mhz:
        return mhz / 1e3, "lscpu's 'CPU max MHz'"
    try:
        found = re.search(r"cpu MHz\s*:\s*([\d.]+)", Path("/proc/cpuinfo").read_text(errors="replace"))
    except OSError:
        found = None
    if found and float(found.group(1)) > 0:
        return float(found.group(1)) / 1e3, "/proc/cpuinfo's current 'cpu MHz' (may be below the turbo clock)"
    return None


def _lscpu_max_mhz() -> float | None:
    exe = shutil.which("lscpu")
    if exe is None:
        return None
    try:
        text = subprocess.run([exe], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"CPU max MHz:\s*([\d.,]+)", text)
    return float(found.group(1).replace(",", ".")) if found else None


def cpu_peak(
    flags: frozenset[str] | None = None,
    name: str | None = None,
    cores: int | None = None,
    clock: tuple[float, str] | None = None,
) -> CpuPeak | None:
    """Derive the CPU's float32 peak from its flags and clock; ``None`` when no clock can be read."""
    flags = cpu_flags() if flags is None else flags
    name = cpu_name() if name is None else name
    clock = clock_ghz(name) if clock is None else clock
    if clock is None:
        return None
    if cores is None:
        from course_utils.lessons.nb05 import physical_cores  # notebook 05 writes it out

        cores = physical_cores()
    lanes = 16 if "avx512f" in flags else 8 if "avx2" in flags or "avx" in flags else 4
    fma_units = 2 if ("fma" in flags and lanes >= 8) else 1
    return CpuPeak(name, cores, clock[0], lanes, fma_units, clock[1])


def ridge_point(peak_tflops: float, bandwidth_gbs: float) -> float:
    """Arithmetic intensity (FLOP/byte) above which a device is compute-bound."""
    return peak_tflops * 1e12 / (bandwidth_gbs * 1e9)


def roofline(intensity: float, peak_tflops: float, bandwidth_gbs: float) -> float:
    """Attainable TFLOP/s at an arithmetic intensity: min(peak, bandwidth × intensity)."""
    return min(peak_tflops, bandwidth_gbs * 1e9 * intensity / 1e12)
