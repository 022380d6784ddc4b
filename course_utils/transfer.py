"""Transfer learning helpers: VGG16's ImageNet base, an offline demonstration, a batch-size finder."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from course_utils.datasets import ImageData
from course_utils.devices import is_out_of_memory


def load_vgg16_base(input_shape: tuple[int, int, int]):
    """VGG16 without its top, with ImageNet weights through Keras's loader (58 MB, cached, progress bar).

    Returns ``(base, pretrained)``; offline, the same architecture with random weights and
    ``pretrained=False``, after a message that says so.
    """
    import keras

    try:
        return keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=input_shape), True
    except Exception as err:  # noqa: BLE001 - get_file raises a bare Exception when offline
        print(
            f"⚠ VGG16's ImageNet weights could not be downloaded ({str(err)[:120]}).\n"
            "  The architecture is built with random weights (fine for its size and memory), and the accuracy "
            "comparison uses a base the course trains itself: the digits transfer demonstration below."
        )
        return keras.applications.VGG16(weights=None, include_top=False, input_shape=input_shape), False


def _cnn_body():
    """The tutorial CNN's convolutional part (up to Flatten): the feature extractor that transfers."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
        ],
        name="cnn_body",
    )


def digit_transfer(
    data: ImageData,
    labels_per_class: tuple[int, ...] = (3, 10, 30),
    seeds: tuple[int, ...] = (0, 1, 2),
    pretrain_epochs: int = 5,
    head_epochs: int = 30,
    verbose: int = 0,
) -> dict:
    """Transfer learning without downloads: pretrain the tutorial's CNN on digits 0-4, reuse it for 5-9.

    For each number of labelled images per digit (5-9), and each seed (which images are
    labelled), two contenders see the same few images: the pretrained convolutional base,
    frozen, with a new head; and the same network trained from scratch. Accuracies are
    measured on every test image of digits 5-9 and averaged over the seeds.
    """
    import keras
    from keras import layers

    x_train = (data.x_train[..., None] / 255.0).astype("float32")
    x_test = (data.x_test[..., None] / 255.0).astype("float32")
    source, target_test = data.y_train < 5, data.y_test >= 5

    keras.utils.set_random_seed(0)
    body = _cnn_body()
    pretrain = keras.Sequential([body, layers.Dense(64, activation="relu"), layers.Dense(5, activation="softmax")])
    pretrain.compile("adam", "sparse_categorical_crossentropy")
    start = time.perf_counter()
    pretrain.fit(x_train[source], data.y_train[source], batch_size=64, epochs=pretrain_epochs, verbose=verbose)
    pretrain_s = time.perf_counter() - start
    pretrained_weights = body.get_weights()

    def run(few: np.ndarray, pretrained: bool, seed: int) -> float:
        keras.utils.set_random_seed(seed)
        base = _cnn_body()
        if pretrained:
            base.set_weights(pretrained_weights)
            base.trainable = False  # freeze the pretrained base
        model = keras.Sequential([base, layers.Dense(64, activation="relu"), layers.Dense(5, activation="softmax")])
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train[few], data.y_train[few] - 5, batch_size=16, epochs=head_epochs, verbose=verbose)
        return float(model.evaluate(x_test[target_test], data.y_test[target_test] - 5, verbose=0)[1])

    rows = []
    for n in labels_per_class:
        scores = {"pretrained_base": [], "from_scratch": []}
        for seed in seeds:
            rng = np.random.default_rng(seed)
            few = np.concatenate(
                [rng.choice(np.flatnonzero(data.y_train == c), n, replace=False) for c in range(5, 10)]
            )
            scores["pretrained_base"].append(run(few, True, seed))
            scores["from_scratch"].append(run(few, False, seed))
        rows.append({"labels_per_class": n, **{k: float(np.mean(v)) for k, v in scores.items()}, "runs": len(seeds)})
    return {"data": data.name, "rows": rows, "pretrain_s": pretrain_s, "test_images": int(target_test.sum())}


def largest_batch_that_fits(step: Callable[[int], object], start: int = 256, minimum: int = 1) -> tuple[int, list[str]]:
    """Try ``step(batch)`` from ``start``, halving on out-of-memory; return the batch that ran and a log.

    Anything other than an out-of-memory error is raised as is.
    """
    log, batch = [], start
    while batch >= minimum:
        try:
            step(batch)
            log.append(f"batch {batch}: fits")
            return batch, log
        except Exception as err:  # noqa: BLE001
            if not is_out_of_memory(err):
                raise
            log.append(f"batch {batch}: out of memory, halving")
            batch //= 2
    raise MemoryError(f"even a batch of {minimum} does not fit: use a smaller input size or model, or mixed precision.")
