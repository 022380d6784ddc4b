"""The hardware report's pieces that notebook 01 uses: a device's name, the matmul sweep's plot, the roofline.

The command that runs the whole report and writes ``report.json`` and ``report.png`` is a maintainer tool,
``tools/report.py`` (``make report``).
"""

from __future__ import annotations

from course_utils import roofline
from course_utils.catalogue import REFERENCE_GPUS
from course_utils.devices import cpu_name, keras_backend


def device_name(device: str) -> str:
    """A human name for a Keras device string."""
    if device.startswith("cpu"):
        return cpu_name()
    backend = keras_backend()
    index = int(device.split(":")[1])
    if backend == "jax":
        import jax

        return next(d.device_kind for d in jax.devices() if d.id == index)
    if backend == "torch":
        import torch

        return torch.cuda.get_device_name(index)
    import tensorflow as tf

    gpu = tf.config.list_physical_devices("GPU")[index]
    return tf.config.experimental.get_device_details(gpu).get("device_name", device)


def plot_matmul(ax, rows: list[dict]) -> None:
    """TFLOP/s against matrix size, one line per device and dtype (rows as in the report's ``matmul``)."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        if r["timing"]:
            groups.setdefault((r["device"], r["dtype"]), []).append(r)
    for (dev, dtype), group in groups.items():
        ax.plot([r["n"] for r in group], [r["tflops"] for r in group], "o-", label=f"{dev} {dtype}")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="matrix size n (n × n @ n × n)",
        ylabel="TFLOP/s (median)",
        title="Matmul throughput vs size",
    )
    ax.legend(fontsize=8)


def plot_roofline(ax, rows: list[dict], bandwidths: dict[str, float], references=("T4", "H100 SXM")) -> None:
    """The roofline: measured roofs (best matmul rate, measured bandwidth), datasheet roofs, measured points."""
    import numpy as np

    x = np.logspace(-2, 4, 200)
    for dev, bw in bandwidths.items():
        measured = [r["tflops"] for r in rows if r["device"] == dev and r["timing"]]
        if measured and bw:
            ax.plot(x, [roofline.roofline(i, max(measured), bw) for i in x], "-", lw=2, label=f"{dev} measured roof")
    for name in references:
        ref = REFERENCE_GPUS[name]
        ax.plot(
            x,
            [roofline.roofline(i, ref.peak_tflops, ref.bandwidth_gbs) for i in x],
            "--",
            lw=1,
            label=f"{name} datasheet (16-bit Tensor Core peak)",
        )
    colours = {"float32": "black", "bfloat16": "tab:purple", "float16": "tab:orange"}
    for dtype, colour in colours.items():
        points = [(r["intensity"], r["tflops"]) for r in rows if r["timing"] and r["dtype"] == dtype]
        if points:
            ax.plot(*zip(*points, strict=True), "o", color=colour, ms=4, ls="none", label=f"matmul {dtype}")
    copies = [(0.125, bw * 0.125 / 1e3) for bw in bandwidths.values() if bw]
    if copies:
        ax.plot(*zip(*copies, strict=True), "rs", ms=6, ls="none", label="copy y = x·1 (1/8 FLOP/byte)")
    ax.set(xscale="log", yscale="log", xlabel="arithmetic intensity (FLOP/byte)", ylabel="TFLOP/s", title="Roofline")
    ax.legend(fontsize=7, loc="lower right")
