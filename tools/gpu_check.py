"""The GPU verification kit: one command that measures a GPU the way the course does and keeps the figures.

Run it on a machine with an NVIDIA GPU and JAX (TensorFlow is not needed)::

    make gpu-check                      # = KERAS_BACKEND=jax python -m tools.gpu_check

from the repository root (``course_utils`` need not be installed: the Makefile puts the checkout on
``PYTHONPATH``). It measures, with the course's own code:

* the hardware report at GPU sizes (:mod:`tools.report`): matmuls up to 8192³ in bfloat16 and float32, the
  device's copy bandwidth, host↔device transfers;
* notebook 06's recipe benchmark (:mod:`course_utils.recipes`, time to 97.5 % on real MNIST), when real MNIST
  is on the machine;
* the LSTM's training step with ``use_cudnn`` on and off (:func:`course_utils.cudnn.time_lstm_cudnn`);

and writes one JSON file (device, date, software versions, figures), by default
``data/reference/gpu_check_<device>.json``: a dated reference measured on a real GPU. A part that cannot run
says ``skipped: ...`` in the file (``failed: ...`` with its traceback when it raised); nothing is invented.

``--quick`` is a dry run at small sizes (any machine, e.g. a CPU with JAX): its file is marked ``dry run`` and
goes to ``data/reports/`` unless ``--out`` says otherwise; it is not a reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import sys
import time
import traceback
from pathlib import Path

# The goals for an H100 (SXM, HBM3), printed beside the measured figures, never asserted. Datasheet peaks:
# 989 TFLOP/s dense bfloat16, 3.35 TB/s HBM3 (NVIDIA H100 Tensor Core GPU datasheet); a good matmul reaches
# about 70 % of the former, a copy about 75-90 % of the latter.
GOALS = {"H100": {"bfloat16_tflops": 700.0, "copy_tbs": 2.5}}

FULL = {"sizes": [1024, 4096, 8192], "dtypes": ("bfloat16", "float32"), "bandwidth_mb": 2048, "budget_s": 180.0}
QUICK = {"sizes": [256, 512], "dtypes": ("bfloat16", "float32"), "bandwidth_mb": 64, "budget_s": 30.0}
QUICK_TRAIN, QUICK_VAL = 2000, 500  # images the dry run's recipe benchmark trains and validates on


def slug(name: str) -> str:
    """``"NVIDIA H100 80GB HBM3"`` → ``"nvidia_h100_80gb_hbm3"`` (for file names)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "device"


def _skipped(reason: str) -> dict:
    return {"status": f"skipped: {reason}"}


def _failed(err: BaseException) -> dict:
    return {"status": f"failed: {type(err).__name__}: {str(err)[:300]}", "traceback": traceback.format_exc()[-2000:]}


def hardware(quick: bool, on_gpu: bool) -> dict:
    """The hardware report (matmul sweep and copy bandwidth) at GPU sizes, plus host↔device transfers."""
    from course_utils import benchmarks
    from tools import report

    params = QUICK if quick else FULL
    result = report.run(
        params["sizes"], params["dtypes"], params["budget_s"], params["bandwidth_mb"], progress=False, cross_check=False
    )
    if on_gpu:
        result["transfer"] = benchmarks.to_jsonable(benchmarks.transfer("gpu:0", megabytes=256))
    result["status"] = "measured"
    return result


def dry_run_split(split):
    """The first ``QUICK_TRAIN`` training and ``QUICK_VAL`` validation images of a ``recipes.Split``, named so."""
    n, m = QUICK_TRAIN, QUICK_VAL
    name = f"{split.name} (first {n:,} training and {m:,} validation images: dry run)"
    return type(split)(split.x_train[:n], split.y_train[:n], split.x_val[:m], split.y_val[:m], name)


def recipe_benchmark(quick: bool) -> dict:
    """Notebook 06's recipes racing to the target accuracy, or why not."""
    from course_utils import recipes

    try:
        split = recipes.load_split()
    except FileNotFoundError as err:
        return _skipped(f"no real MNIST on this machine ({err})")
    from course_utils.devices import gpu_count

    target = 0.8 if quick else recipes.TARGET
    rounds = 1 if quick else 3
    if quick:
        split = dry_run_split(split)
    rs = recipes.default_recipes(gpu_count() > 0)
    runs = recipes.run_benchmark(rs, split, rounds, target, log=lambda line: print(line, flush=True))
    lines, ratio = recipes.summarise(runs, target)
    for line in lines:
        print("  " + line)
    return {
        "status": "measured",
        "data": split.name,
        "target": target,
        "rounds": rounds,
        "recipes": {r.name: {"batch_size": r.batch_size, "seconds": [x.seconds for x in runs[r.name]]} for r in rs},
        "summary": lines,
        "faster_vs_keras_io": ratio,
    }


def lstm_cudnn(quick: bool) -> dict:
    """The LSTM's training step with ``use_cudnn`` "auto" and False (:func:`course_utils.cudnn.time_lstm_cudnn`)."""
    from course_utils import cudnn

    kwargs = {"repeats": 3, "warmup": 1} if quick else {"batch_size": 256, "repeats": 20}  # notebook 07's full batch
    figures = cudnn.time_lstm_cudnn(**kwargs)
    return {
        "status": "measured",
        "function": "course_utils.cudnn.time_lstm_cudnn",
        "arguments": kwargs,
        "figures": figures,
    }


def versions() -> dict:
    from course_utils.env import installed_version

    names = ("keras", "jax", "jaxlib", "jax-cuda12-plugin", "jax-cuda13-plugin", "tensorflow", "torch", "numpy")
    found = {p: installed_version(p) for p in names}
    return {p: v for p, v in found.items() if v} | {"python": platform.python_version()}


def device_description() -> tuple[str, bool]:
    """The first GPU's name (or the CPU's), and whether a GPU is there."""
    from course_utils.devices import cpu_name, gpu_count
    from course_utils.report import device_name

    if gpu_count() > 0:
        return device_name("gpu:0"), True
    return cpu_name(), False


def goals_for(device: str, record: dict) -> list[str]:
    """Lines comparing the measured figures with the issue's goals for this GPU (diagnostics, never asserted)."""
    lines = []
    for key, goal in GOALS.items():
        if key not in device:
            continue
        hw = record["parts"].get("hardware", {})
        bf16 = [r["tflops"] for r in hw.get("matmul", []) if r["dtype"] == "bfloat16" and r.get("timing")]
        copies = [b["gbs"] for b in hw.get("bandwidth", []) if b["device"].startswith("gpu") and b.get("gbs")]
        if bf16:
            best = max(bf16)
            verdict = "meets" if best >= goal["bfloat16_tflops"] else "is BELOW"
            lines.append(f"bfloat16 matmul {best:.0f} TFLOP/s {verdict} the goal of {goal['bfloat16_tflops']:.0f}")
        if copies:
            best = max(copies) / 1e3
            verdict = "meets" if best >= goal["copy_tbs"] else "is BELOW"
            lines.append(f"copy {best:.2f} TB/s {verdict} the goal of {goal['copy_tbs']} TB/s")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gpu_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a dry run at small sizes (any machine)")
    parser.add_argument("--out", type=Path, default=None, help="the JSON file to write")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: hardware,recipes,lstm")
    args = parser.parse_args(argv)

    from course_utils.devices import keras_backend

    backend = keras_backend()
    if backend != "jax":
        print(f"⚠ Keras backend is {backend!r}; the kit is meant for KERAS_BACKEND=jax (`make gpu-check` sets it).")
    device, on_gpu = device_description()
    if not on_gpu and not args.quick:
        print("⚠ No GPU visible to this backend: the figures below are the CPU's. Add --quick for a dry run.")
    kind = "dry run (not a reference)" if args.quick or not on_gpu else "reference"
    root = Path(__file__).resolve().parent.parent / "data"
    out = args.out or (root / ("reference" if kind == "reference" else "reports") / f"gpu_check_{slug(device)}.json")
    record = {
        "kind": kind,
        "device": device,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "backend": backend,
        "versions": versions(),
        "platform": platform.platform(),
        "command": " ".join(["python -m tools.gpu_check", *(argv if argv is not None else sys.argv[1:])]),
        "parts": {},
    }
    print(f"GPU check · {device} · Keras backend {backend} · {kind}")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    parts = [("hardware", lambda: hardware(args.quick, on_gpu)), ("recipes", lambda: recipe_benchmark(args.quick))]
    parts.append(("lstm", lambda: lstm_cudnn(args.quick)))
    for name, run in parts:
        start = time.perf_counter()
        print(f"\n── {name}", flush=True)
        if name in skip:
            result = _skipped("--skip on the command line")
        else:
            try:
                result = run()
            except Exception as err:  # noqa: BLE001 - one part failing must not lose the others
                result = _failed(err)
        result["elapsed_s"] = round(time.perf_counter() - start, 1)
        record["parts"][name] = result
        print(f"   {result['status']} ({result['elapsed_s']} s)")
        if name == "hardware" and result["status"] == "measured":
            from tools.report import table

            print(table(result))
    for line in goals_for(device, record):
        print("Goal: " + line)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    tmp.write_text(json.dumps(record, indent=1, default=str))
    tmp.replace(out)
    print(f"\nWrote {out}")
    failed = [n for n, r in record["parts"].items() if r["status"].startswith("failed")]
    if failed:
        print(f"✗ failed: {', '.join(failed)} (see 'traceback' in the file)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
