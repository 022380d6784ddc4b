"""Transfer learning helpers: VGG16's ImageNet base, and a batch-size finder.

The offline demonstration's steps (``cnn_body``, ``few_shot_accuracy``) are notebook 08's code:
:mod:`course_utils.lessons.nb08`, generated from the notebook.
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
