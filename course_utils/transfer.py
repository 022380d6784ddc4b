"""Transfer learning helpers: VGG16's ImageNet base, the offline demonstration's steps, a batch-size finder.

Notebook 08 writes :func:`cnn_body` and :func:`few_shot_accuracy` out in the open; a test keeps them equal.
"""

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


def cnn_body():
    """The tutorial CNN's convolutional part (its layers up to Flatten), fresh weights: the part that transfers."""
    import keras

    from course_utils import models

    cnn = models.tutorial_cnn()  # one source for the CNN: notebook 06's model, kept equal to it by a test
    upto = next(i for i, layer in enumerate(cnn.layers) if isinstance(layer, keras.layers.Flatten)) + 1
    return keras.Sequential([keras.Input(cnn.input_shape[1:]), *cnn.layers[:upto]], name="cnn_body")


def few_shot_accuracy(pretrained_weights, x_few, y_few, x_test, y_test, seed, epochs=30):
    """Train on a few images: a frozen pretrained body + new head, or (weights None) the whole CNN from scratch."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    body = cnn_body()
    if pretrained_weights is not None:
        body.set_weights(pretrained_weights)
        body.trainable = False  # freeze the pretrained body: only the new head learns
    num_classes = int(y_test.max()) + 1
    model = keras.Sequential(
        [body, layers.Dense(64, activation="relu"), layers.Dense(num_classes, activation="softmax")]
    )
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_few, y_few, batch_size=16, epochs=epochs, verbose=0)
    return float(model.evaluate(x_test, y_test, verbose=0)[1])


def digit_transfer(
    data: ImageData,
    labels_per_class: tuple[int, ...] = (3, 10, 30),
    seeds: tuple[int, ...] = (0, 1, 2),
    pretrain_epochs: int = 5,
    head_epochs: int = 30,
) -> dict:
    """Notebook 08's offline demonstration in one call (the notebook writes its steps out): pretrain on 0-4, reuse for 5-9.

    For each number of labelled images per digit (5-9), and each seed (which images are labelled), two
    contenders see the same few images: the pretrained body, frozen, with a new head; and the same
    network from scratch. Accuracies are measured on every test image of digits 5-9, averaged over seeds.
    """
    import keras
    from keras import layers

    from course_utils.models import prepare_digits

    x_train, x_test = prepare_digits(data.x_train), prepare_digits(data.x_test)
    source, target_test = data.y_train < 5, data.y_test >= 5
    keras.utils.set_random_seed(0)
    body = cnn_body()
    pretrain = keras.Sequential([body, layers.Dense(64, activation="relu"), layers.Dense(5, activation="softmax")])
    pretrain.compile("adam", "sparse_categorical_crossentropy")
    start = time.perf_counter()
    pretrain.fit(x_train[source], data.y_train[source], batch_size=64, epochs=pretrain_epochs, verbose=0)
    pretrain_s = time.perf_counter() - start
    weights = body.get_weights()
    x_eval, y_eval = x_test[target_test], data.y_test[target_test] - 5
    rows = []
    for n in labels_per_class:
        scores = {"pretrained_base": [], "from_scratch": []}
        for seed in seeds:
            rng = np.random.default_rng(seed)
            few = np.concatenate(
                [rng.choice(np.flatnonzero(data.y_train == c), n, replace=False) for c in range(5, 10)]
            )
            x_few, y_few = x_train[few], data.y_train[few] - 5
            scores["pretrained_base"].append(
                few_shot_accuracy(weights, x_few, y_few, x_eval, y_eval, seed, head_epochs)
            )
            scores["from_scratch"].append(few_shot_accuracy(None, x_few, y_few, x_eval, y_eval, seed, head_epochs))
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
