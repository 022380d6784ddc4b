"""Transfer learning helpers: VGG16's ImageNet base, the offline demonstration's steps, a batch-size finder.

Notebook 08 writes :func:`cnn_body` and :func:`few_shot_accuracy` out in the open; a test keeps them equal.
"""

from __future__ import annotations

from collections.abc import Callable

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

    cnn = models.tutorial_cnn()  # notebook 06's model: one definition of the CNN
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
