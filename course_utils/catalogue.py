"""Datasheet figures of current accelerators, read from a data file with a source per row.

The figures live in ``course_utils/data/accelerators.csv``: a header row, one accelerator a row,
units in the column names, a ``source_url`` per row. Rules for every figure there:

* tensor figures are **dense** (datasheets also print a 2:4 "sparsity" figure, twice as large:
  halved here, and the row's note says so);
* ``fp16_bf16_tensor_tflops`` is 16-bit Tensor Core (or matrix-core) throughput with FP32
  accumulation, the mode mixed-precision training uses (GeForce cards run it at half their
  FP16-accumulate rate; workstation and data-centre cards at full rate);
* an empty cell means the part has no such unit or its maker publishes no figure for it.

Add a part by adding a row: :func:`load` checks every row (complete, figures positive, a source).
The tutorial's "Quadro" and "Tesla" brands are retired: NVIDIA's workstation cards are now
"RTX A6000", "RTX 6000 Ada", "RTX PRO 6000 Blackwell"; data-centre parts go by their chip.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

CSV_NAME = "accelerators.csv"
REQUIRED = ("name", "vendor", "segment", "year", "memory_gb", "bandwidth_gb_per_s", "source_url")
OPTIONAL = (
    "fp32_tflops",
    "tf32_tensor_tflops",
    "fp16_bf16_tensor_tflops",
    "fp8_tensor_tflops",
    "fp4_tensor_tflops",
    "tdp_w",
)
COLUMNS = REQUIRED + OPTIONAL + ("note",)


class CatalogueError(ValueError):
    """A row of the accelerator file is incomplete or holds an impossible figure."""


@dataclass(frozen=True)
class Accelerator:
    name: str
    vendor: str
    segment: str  # "data centre", "workstation", "consumer", "desktop", "edge", "cloud TPU", "laptop/desktop SoC"
    year: int
    memory_gb: float
    bandwidth_gbs: float
    fp32_tflops: float | None
    tensor_tflops: float | None  # FP16/BF16 dense, FP32 accumulate
    fp8_tflops: float | None  # dense
    tdp_w: float | None
    source: str
    tf32_tflops: float | None = None
    fp4_tflops: float | None = None  # dense
    note: str = ""

    @property
    def peak_tflops(self) -> float | None:
        """The highest 16-bit-or-wider figure: tensor when there is one, else FP32."""
        return self.tensor_tflops or self.fp32_tflops

    def peak_for(self, dtype: str, tf32: bool = True) -> float | None:
        """Datasheet peak for a matmul in ``dtype`` ("float32", "bfloat16", "float16", "float8", "float4").

        float32 runs on TF32 Tensor Cores when the part has them and ``tf32`` is on (TensorFlow's
        default on Ampere and newer); bfloat16 needs bfloat16 Tensor Cores, which a T4 lacks (its
        16-bit figure is float16 only), so a T4's bfloat16 peak is its FP32 figure.
        """
        if dtype == "float32":
            return (self.tf32_tflops if tf32 else None) or self.fp32_tflops
        if dtype == "bfloat16" and "no bfloat16" in self.note:
            return self.fp32_tflops
        if dtype in ("float16", "bfloat16"):
            return self.tensor_tflops
        if dtype == "float8":
            return self.fp8_tflops
        if dtype == "float4":
            return self.fp4_tflops
        raise ValueError(f"unknown dtype {dtype!r}: use float32, bfloat16, float16, float8 or float4")

    @property
    def ridge_flop_per_byte(self) -> float | None:
        """Arithmetic intensity at which the part turns compute-bound (peak / bandwidth)."""
        peak = self.peak_tflops
        return None if peak is None else peak * 1e12 / (self.bandwidth_gbs * 1e9)

    @property
    def tflops_per_watt(self) -> float | None:
        return None if not (self.peak_tflops and self.tdp_w) else self.peak_tflops / self.tdp_w


def _number(row: dict[str, str], column: str, line: int) -> float | None:
    text = (row.get(column) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise CatalogueError(f"line {line} ({row.get('name')}): {column}={text!r} is not a number") from None
    if not value > 0:
        raise CatalogueError(f"line {line} ({row.get('name')}): {column}={text!r} must be positive")
    return value


def parse(text: str) -> list[Accelerator]:
    """Accelerators from CSV text; :class:`CatalogueError` names the line of any bad row."""
    reader = csv.DictReader(io.StringIO(text))
    if set(reader.fieldnames or ()) != set(COLUMNS):
        raise CatalogueError(f"the header must name the columns {', '.join(COLUMNS)}; got {reader.fieldnames}")
    parts = []
    for line, row in enumerate(reader, start=2):
        missing = [c for c in REQUIRED if not (row.get(c) or "").strip()]
        if missing:
            raise CatalogueError(f"line {line} ({row.get('name')}): missing {', '.join(missing)}")
        if not row["source_url"].startswith("https://"):
            raise CatalogueError(f"line {line} ({row['name']}): source_url must be an https:// link")
        n = {c: _number(row, c, line) for c in ("year", "memory_gb", "bandwidth_gb_per_s") + OPTIONAL}
        parts.append(
            Accelerator(
                name=row["name"].strip(),
                vendor=row["vendor"].strip(),
                segment=row["segment"].strip(),
                year=int(n["year"]),
                memory_gb=n["memory_gb"],
                bandwidth_gbs=n["bandwidth_gb_per_s"],
                fp32_tflops=n["fp32_tflops"],
                tensor_tflops=n["fp16_bf16_tensor_tflops"],
                fp8_tflops=n["fp8_tensor_tflops"],
                tdp_w=n["tdp_w"],
                source=row["source_url"].strip(),
                tf32_tflops=n["tf32_tensor_tflops"],
                fp4_tflops=n["fp4_tensor_tflops"],
                note=(row.get("note") or "").strip(),
            )
        )
    names = [a.name for a in parts]
    if len(names) != len(set(names)):
        raise CatalogueError(f"duplicate names: {sorted({x for x in names if names.count(x) > 1})}")
    return parts


def load() -> list[Accelerator]:
    """The course's accelerator file, installed with the package."""
    return parse(resources.files("course_utils.data").joinpath(CSV_NAME).read_text(encoding="utf-8"))


CATALOGUE: list[Accelerator] = load()
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
