"""Hardware report: ``python -m tools.report`` (or ``make report``), from the repository root.

Runs the benchmark suite on this machine in a bounded time with a progress bar, prints a table, and writes
``report.json`` and ``report.png`` (roofline with the measured points, and the matmul sweep) into
``data/reports/`` (or ``--out``). Works under any Keras backend (``KERAS_BACKEND=jax python -m tools.report``
on a machine without TensorFlow).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
from pathlib import Path

from course_utils import benchmarks, roofline
from course_utils.devices import keras_backend
from course_utils.download import data_dir
from course_utils.env import installed_version
from course_utils.report import device_name, plot_matmul, plot_roofline

SIZES = {
    "quick": [64, 256, 1024, 2048],
    "default": [64, 128, 256, 512, 1024, 2048, 4096],
    "gpu": [256, 1024, 2048, 4096, 8192, 16384],
}


def run(
    sizes: list[int],
    dtypes: tuple[str, ...],
    budget_s: float,
    bandwidth_mb: int,
    progress: bool = True,
    cross_check: bool = True,
) -> dict:
    """Run the suite and return everything as a JSON-ready dict."""
    devices = benchmarks.available_devices()
    sweep = benchmarks.matmul_sweep(sizes, dtypes, devices, repeats=5, budget_s=budget_s, progress=progress)
    bws = [
        benchmarks.bandwidth(d, megabytes=bandwidth_mb if d.startswith("gpu") else min(bandwidth_mb, 256))
        for d in devices
    ]
    check_n = 2048
    peak = roofline.cpu_peak()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "backend": keras_backend(),
        "versions": {p: installed_version(p) for p in ("keras", "tensorflow", "jax", "jaxlib", "torch", "numpy")},
        "python": platform.python_version(),
        "devices": {d: device_name(d) for d in devices},
        "cpu_peak": None if peak is None else {"tflops": peak.tflops, "how": peak.explain()},
        "matmul": benchmarks.to_jsonable(sweep),
        "bandwidth": benchmarks.to_jsonable(bws),
        "cpu_cross_check": {"n": check_n, "gflops": benchmarks.cross_check(check_n) if cross_check else {}},
    }


def table(report: dict) -> str:
    """The report as a text table."""
    lines = [f"Hardware report · {report['date']} · Keras backend {report['backend']}"]
    for dev, name in report["devices"].items():
        lines.append(f"  {dev}: {name}")
    lines.append(f"\n{'device':<8}{'dtype':<10}{'n':>7}{'median':>12}{'TFLOP/s':>10}  note")
    for r in report["matmul"]:
        if r["timing"]:
            lines.append(
                f"{r['device']:<8}{r['dtype']:<10}{r['n']:>7}{r['timing']['median_s'] * 1e3:>10.3f}ms{r['tflops']:>10.3f}"
            )
        else:
            lines.append(f"{r['device']:<8}{r['dtype']:<10}{r['n']:>7}{'-':>12}{'-':>10}  {r['error']}")
    lines.append("")
    for b in report["bandwidth"]:
        value = f"{b['gbs']:.1f} GB/s" if b["gbs"] else b["error"]
        lines.append(f"bandwidth {b['device']}: {value} (read + write of {b['nbytes'] / 2**20:.0f} MiB)")
    if report["cpu_peak"]:
        lines.append(f"CPU peak: {report['cpu_peak']['how']}")
    check = report["cpu_cross_check"]
    if check["gflops"]:
        g = check["gflops"]
        parts = ", ".join(f"{k} {v:.0f}" for k, v in g.items())
        lines.append(f"CPU float32 cross-check at n={check['n']} (GFLOP/s, interleaved medians): {parts}")
        lines.append(
            f"  course / NumPy = {g['course'] / g['numpy']:.2f}"
            + (f", course / plain TF = {g['course'] / g['plain_tf']:.2f}" if "plain_tf" in g else "")
        )
    return "\n".join(lines)


def plot(report: dict, path: Path | None = None, references: tuple[str, ...] = ("T4", "H100 SXM")):
    """Two panels: TFLOP/s against matrix size, and the roofline with measured points."""
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.8))
    plot_matmul(ax1, report["matmul"])
    bandwidths = {b["device"]: b["gbs"] for b in report["bandwidth"] if b["gbs"]}
    plot_roofline(ax2, report["matmul"], bandwidths, references)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=110)
    return fig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.report", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="default", help="matrix sizes to sweep")
    parser.add_argument("--dtypes", default="float32,bfloat16,float16")
    parser.add_argument("--budget", type=float, default=75.0, help="seconds for the matmul sweep")
    parser.add_argument("--bandwidth-mb", type=int, default=256, help="buffer size for the copy (GPU)")
    parser.add_argument("--out", type=Path, default=None, help="folder for report.json and report.png")
    args = parser.parse_args(argv)
    out = args.out or data_dir() / "reports"
    out.mkdir(parents=True, exist_ok=True)
    report = run(SIZES[args.size], tuple(args.dtypes.split(",")), args.budget, args.bandwidth_mb)
    print("\n" + table(report))
    (out / "report.json").write_text(json.dumps(report, indent=1))
    import matplotlib

    matplotlib.use("Agg")
    plot(report, out / "report.png")
    print(f"\nWrote {out / 'report.json'} and {out / 'report.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
