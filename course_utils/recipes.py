"""Notebook 06's training recipes side by side, and the benchmark behind ``make bench-recipes``.

Three recipes race to the same validation accuracy (time to 97.5 %, the clock includes each model's own
tracing and compilation, as a learner pays it):

* **keras.io**: keras.io's "Simple MNIST convnet" (fchollet, keras-team/keras-io,
  ``examples/vision/mnist_convnet.py``): its own model (2 Conv2D, Dropout 0.5), batch 128, Adam 1e-3;
* **plain**: the tutorial's CNN as notebook 06 first trains it: batch 32, Adam 1e-3;
* **faster**: the tutorial's CNN with the course's faster recipe (``faster_recipe``).

The three models and recipes are notebook 06's code (:mod:`course_utils.lessons.nb06`, generated from it).

The benchmark's command is ``tools/bench_recipes.py`` (``make bench-recipes``). It works under any Keras backend
(``KERAS_BACKEND=jax`` needs no TensorFlow): it feeds NumPy arrays to ``fit``, which copies each batch from
host memory to the device (under JAX too: Keras's array adapter turns a device array back into NumPy,
``keras/src/trainers/data_adapters/array_slicing.py``). Data resident on the device is notebook 06's
``ResidentData`` row (TensorFlow: a ``train_step`` that gathers each batch on the device), not part of this
benchmark. Every recipe trains on whole batches only, as in the notebook.
"""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from course_utils.lessons.nb06 import faster_recipe, keras_io_convnet, tutorial_cnn
from course_utils.models import prepare_digits

TARGET = 0.975
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Recipe:
    """A way to train a model: how to build and compile it, its batch size and epoch budget."""

    name: str
    build: Callable[[int], object]  # steps per epoch -> a compiled model
    batch_size: int
    max_epochs: int
    drop_remainder: bool = True  # train on whole batches only (no retrace for a last, smaller batch)


def _compiled(model, learning_rate: float = 1e-3):
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def default_recipes(
    on_gpu: bool, num_train: int = 8000, faster_batch: int | None = None, faster_epochs: int | None = None
) -> list[Recipe]:
    """keras.io's recipe, the plain one and the faster one, sized for a CPU or a GPU.

    On a CPU the faster recipe keeps batch 32 (a larger batch is no faster per epoch there and learns less,
    as notebook 06 measures); on a GPU it takes batch 256. Its schedule is planned over at least 250 steps
    (one epoch of 8,000 images at batch 32), in whole epochs.
    """
    batch = faster_batch or (256 if on_gpu else 32)
    epochs = faster_epochs or max(1, math.ceil(250 / max(num_train // batch, 1)))
    return [
        Recipe("keras.io", lambda steps: _compiled(keras_io_convnet()), batch_size=128, max_epochs=15),
        Recipe("plain", lambda steps: _compiled(tutorial_cnn()), batch_size=32, max_epochs=15),
        Recipe(
            "faster",
            lambda steps: faster_recipe(steps, num_epochs=epochs, batch_size=batch),
            batch_size=batch,
            max_epochs=max(epochs, 1) + 4,
        ),
    ]


# ---------------------------------------------------------------------------- data


@dataclass
class Split:
    x_train: np.ndarray
    y_train: np.ndarray  # one-hot
    x_val: np.ndarray
    y_val: np.ndarray
    name: str


def shared_data_dir() -> Path:
    """The course's real test data: ``$COURSE_SHARED_DATA``, else ``../shared/data`` beside the checkout."""
    return Path(os.environ.get("COURSE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def _one_hot(labels) -> np.ndarray:
    return np.eye(10, dtype="float32")[np.asarray(labels, dtype=int)]


def load_split() -> Split:
    """Real MNIST: the full set when cached (60,000 train / 10,000 validation), else the MNIST test set's
    first 8,000 / last 2,000 images from the course's shared data. Raises with what to do when neither exists."""
    from course_utils import datasets

    source = datasets.SOURCES["mnist"]
    cached = datasets.data_dir() / source.fname
    if cached.exists() and datasets.sha256(cached) == source.sha256:
        with np.load(cached, allow_pickle=False) as f:
            x_train, y_train, x_test, y_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
        name = "MNIST (60,000 train / 10,000 test as validation)"
        return Split(prepare_digits(x_train), _one_hot(y_train), prepare_digits(x_test), _one_hot(y_test), name)
    folder = shared_data_dir() / "mnist-test"
    if (folder / "t10k-images-idx3-ubyte.gz").exists():
        images = prepare_digits(datasets.read_idx(folder / "t10k-images-idx3-ubyte.gz"))
        labels = _one_hot(datasets.read_idx(folder / "t10k-labels-idx1-ubyte.gz"))
        n = len(images) * 4 // 5  # 8,000 / 2,000 of the 10,000 test images
        name = f"MNIST test set split: first {n:,} train / last {len(images) - n:,} validation"
        return Split(images[:n], labels[:n], images[n:], labels[n:], name)
    raise FileNotFoundError(
        f"No real MNIST found: neither {cached} nor {folder}. Download MNIST once (run notebook 06 online, "
        f"or `python -m course_utils.datasets --fetch-all`), or set COURSE_SHARED_DATA to the folder holding "
        f"mnist-test/."
    )


# ---------------------------------------------------------------------------- timing


@dataclass
class Run:
    seconds: float | None  # time to the target; None when not reached within the epoch budget
    first_step_s: float | None = None  # the first training step: tracing and compilation, shown apart
    history: list[tuple[float, float]] = field(default_factory=list)  # (elapsed s, val accuracy) per epoch


def time_to_accuracy(recipe: Recipe, split: Split, target: float = TARGET, seed: int = 0) -> Run:
    """Train ``recipe`` from scratch until the validation accuracy reaches ``target``; the wall time it took."""
    import keras

    from course_utils.training import TimeToAccuracy, out_of_memory_advice

    x, y = split.x_train, split.y_train
    if recipe.drop_remainder:
        keep = len(x) // recipe.batch_size * recipe.batch_size
        x, y = x[:keep], y[:keep]
    keras.utils.set_random_seed(seed)
    model = recipe.build(len(x) // recipe.batch_size)
    stopper = TimeToAccuracy(target)
    with out_of_memory_advice(recipe.batch_size, where=f"the {recipe.name} recipe (--faster-batch)"):
        model.fit(
            x,
            y,
            batch_size=recipe.batch_size,
            epochs=recipe.max_epochs,
            validation_data=(split.x_val, split.y_val),
            callbacks=[stopper],
            verbose=0,
        )
    return Run(stopper.seconds, stopper.first_step_s, stopper.history)


def _warm_up(recipes: list[Recipe], split: Split) -> None:
    """One untimed short fit per recipe: process-wide one-off costs (kernel libraries, thread pools)."""
    import keras

    for recipe in recipes:
        n = recipe.batch_size * 2
        keras.utils.set_random_seed(0)
        recipe.build(2).fit(split.x_train[:n], split.y_train[:n], batch_size=recipe.batch_size, epochs=1, verbose=0)


def run_benchmark(
    recipes: list[Recipe], split: Split, rounds: int = 3, target: float = TARGET, log=print
) -> dict[str, list[Run]]:
    """``rounds`` rounds; in each, every recipe trains once (the order rotates from round to round)."""
    _warm_up(recipes, split)
    runs: dict[str, list[Run]] = {r.name: [] for r in recipes}
    for k in range(rounds):
        order = recipes[k % len(recipes) :] + recipes[: k % len(recipes)]
        for recipe in order:
            run = time_to_accuracy(recipe, split, target, seed=k)
            runs[recipe.name].append(run)
            got = f"{run.seconds:.1f} s" if run.seconds else f"not reached in {len(run.history)} epochs"
            log(f"  round {k + 1}: {recipe.name:<9} {got}")
    return runs


def summarise(runs: dict[str, list[Run]], target: float = TARGET) -> tuple[list[str], float | None]:
    """A line per recipe (median and spread of the rounds that reached the target), and faster vs keras.io."""
    lines, medians = [], {}
    for name, rs in runs.items():
        reached = [r.seconds for r in rs if r.seconds is not None]
        epochs = [len(r.history) for r in rs]
        if reached:
            medians[name] = statistics.median(reached)
            first = [r.first_step_s for r in rs if r.first_step_s is not None]
            compile_note = f"; first step {statistics.median(first):.1f} s of it" if first else ""
            lines.append(
                f"{name:<9} median {medians[name]:6.1f} s to {target:.1%} (min {min(reached):.1f}, "
                f"max {max(reached):.1f} s; {len(reached)}/{len(rs)} rounds reached it; epochs {epochs}"
                f"{compile_note})"
            )
        else:
            lines.append(f"{name:<9} did not reach {target:.1%} in any round (epochs {epochs})")
    ratio = None
    if "keras.io" in medians and "faster" in medians:
        ratio = medians["keras.io"] / medians["faster"]
        lines.append(f"faster vs keras.io: {ratio:.2f}x")
    else:
        lines.append("faster vs keras.io: n/a (a recipe never reached the target; raise its epoch budget)")
    return lines, ratio
