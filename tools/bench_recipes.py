"""The recipe benchmark: ``python -m tools.bench_recipes`` (``make bench-recipes``), from the repository root.

Notebook 06's recipes race to the same validation accuracy: keras.io's MNIST convnet, the plain recipe and the
faster one (:mod:`course_utils.recipes`), ``--rounds`` rounds interleaved, on real MNIST; the last line is
``faster vs keras.io: N.NNx``. A benchmark, not a test: minutes on a 2-core CPU. Any Keras backend works
(``KERAS_BACKEND=jax`` needs no TensorFlow).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from course_utils.recipes import TARGET, Split, default_recipes, load_split, run_benchmark, summarise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_recipes", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--target", type=float, default=TARGET)
    parser.add_argument("--faster-batch", type=int, default=None, help="faster recipe's batch (CPU 32, GPU 256)")
    parser.add_argument(
        "--faster-epochs", type=int, default=None, help="epochs its schedule plans (default: at least 250 steps)"
    )
    parser.add_argument("--limit", type=int, default=None, help="train on the first N images only (a dry run)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    import keras

    from course_utils.devices import gpu_count, keras_backend

    try:
        split = load_split()
    except FileNotFoundError as err:
        print(f"✗ {err}", file=sys.stderr)
        return 2
    if args.limit:
        split = Split(split.x_train[: args.limit], split.y_train[: args.limit], split.x_val, split.y_val, split.name)
    backend = keras_backend()
    on_gpu = gpu_count() > 0
    recipes = default_recipes(on_gpu, len(split.x_train), args.faster_batch, args.faster_epochs)
    device = "GPU" if on_gpu else "CPU"
    print(f"{split.name}; target {args.target:.1%} validation accuracy; {args.rounds} rounds, interleaved")
    print(
        f"Keras {keras.__version__} on {backend}, {device}; batch sizes "
        + ", ".join(f"{r.name} {r.batch_size}" for r in recipes)
    )
    start = time.perf_counter()
    runs = run_benchmark(recipes, split, args.rounds, args.target)
    lines, ratio = summarise(runs, args.target)
    print(f"(whole benchmark {time.perf_counter() - start:.0f} s; timings vary with the machine's load)")
    for line in lines:
        print(line)
    if args.json:
        record = {
            "data": split.name,
            "target": args.target,
            "backend": backend,
            "device": device,
            "keras": keras.__version__,
            "recipes": {
                r.name: {
                    "batch_size": r.batch_size,
                    "seconds": [x.seconds for x in runs[r.name]],
                    "history": [x.history for x in runs[r.name]],
                }
                for r in recipes
            },
            "faster_vs_keras_io": ratio,
        }
        args.json.write_text(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
