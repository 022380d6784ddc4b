"""Checks of notebook 08 (transfer learning with VGG16). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, expect, is_stub, not_attempted, number, wrong

IMAGENET_MEAN_BGR = np.array([103.939, 116.779, 123.68], dtype="float32")  # what vgg16.preprocess_input subtracts


def _by_hand(images):
    """VGG16's preprocessing written out (RGB → BGR, minus ImageNet's mean per channel), on a new array."""
    return np.asarray(images, dtype="float32")[..., ::-1] - IMAGENET_MEAN_BGR


def _vgg16_base(image_size: int):
    """A VGG16 without pretrained weights, cut after block 4 (16x smaller than its input, 512 channels).

    Cut there, even a 32×32 image leaves a 2×2 grid of positions, so that Flatten and a global pooling give
    different models at every size the notebook uses.
    """
    import keras

    vgg = keras.applications.VGG16(weights=None, include_top=False, input_shape=(image_size, image_size, 3))
    return keras.Model(vgg.input, vgg.get_layer("block4_pool").output, name="vgg16_to_block4")


def _build(fn, *args):
    """The learner's model; a failure while building it is a hint, not a traceback."""
    if not callable(fn):
        wrong(f"expected a function, got {type(fn).__name__}: define it with `def` as in the stub.")
    try:
        model = fn(*args)
    except Exception as err:  # noqa: BLE001 - whatever the learner's code raised is the hint
        first = (str(err).strip().splitlines() or [""])[0][:200]
        wrong(
            f"building your model raised {type(err).__name__}: {first.rstrip('.')}. Build it on the base you are given, with "
            "keras.Input(base.input_shape[1:]) as tutorial_transfer_model does."
        )
    if model is None:
        wrong("your function returns None: end it with `return model`.")
    if is_stub(model):
        not_attempted()
    return model


def _head(pooled, w1, b1, w2, b2, relu=True, softmax=True):
    hidden = pooled @ w1 + b1
    hidden = np.maximum(hidden, 0) if relu else hidden
    logits = hidden @ w2 + b2
    if not softmax:
        return logits
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@exercise("08.1", "a GlobalAveragePooling head", "the sections 'The tutorial's recipe' and 'Feature extraction'")
def gap_model(answer, *, image_size=64, **_):
    import keras

    base, num_classes = _vgg16_base(int(image_size)), 5
    model = _build(answer, base, num_classes)
    expect(isinstance(model, keras.Model), f"return the keras.Model you built, not {type(model).__name__}.")
    expect(not base.trainable_weights, "the base must stay frozen: set base.trainable = False before building.")

    grid_h, grid_w, channels = base.output_shape[1:]
    trainable = model.trainable_weights
    kernels = [w for w in trainable if len(w.shape) == 2]
    if any(tuple(k.shape)[0] == grid_h * grid_w * channels for k in kernels):
        wrong(
            f"the first Dense layer receives all {grid_h}×{grid_w}×{channels} values of the base's grid: that is "
            "a Flatten. Replace it by layers.GlobalAveragePooling2D(), which averages each channel over the grid."
        )
    shapes = sorted(tuple(w.shape) for w in trainable)
    expected = sorted([(channels, 256), (256,), (256, num_classes), (num_classes,)])
    expect(
        shapes == expected,
        f"the trainable weights have shapes {shapes}, expected {expected}: GlobalAveragePooling2D → Dense 256 "
        "relu → Dense num_classes softmax, and nothing else trainable.",
    )

    # Give the head known weights of a moderate size (so that no softmax saturates), then compare the model's
    # output with the head computed here on the base's features of the preprocessed images.
    rng = np.random.default_rng(8)
    images = rng.uniform(0, 255, (2, int(image_size), int(image_size), 3)).astype("float32")
    features = {
        "right": np.asarray(base(_by_hand(images), training=False)),
        "raw": np.asarray(base(images, training=False)),
        "twice": np.asarray(base(_by_hand(_by_hand(images)), training=False)),
    }
    pooled = features["right"].mean(axis=(1, 2))
    w1 = rng.normal(size=(channels, 256)).astype("float32") / (np.sqrt(channels) * np.sqrt(np.mean(pooled**2)))
    b1 = rng.normal(0, 0.1, size=256).astype("float32")
    hidden = np.maximum(pooled @ w1 + b1, 0)
    w2 = rng.normal(size=(256, num_classes)).astype("float32") / np.sqrt(256 * np.mean(hidden**2) + 1e-12)
    b2 = rng.normal(0, 0.1, size=num_classes).astype("float32")
    for weight in trainable:
        value = {(channels, 256): w1, (256,): b1, (256, num_classes): w2, (num_classes,): b2}[tuple(weight.shape)]
        weight.assign(value)

    try:
        out = np.asarray(model(images, training=False))
    except Exception as err:  # noqa: BLE001
        wrong(f"calling your model on {image_size}×{image_size} images raised {type(err).__name__}: {err}")
    expect(
        out.shape == (2, num_classes), f"the model's output should have shape (batch, {num_classes}), got {out.shape}."
    )

    def same(probs):
        return np.allclose(out, probs, atol=2e-3)

    if same(_head(pooled, w1, b1, w2, b2)):
        return "512 values per image whatever the image size: a head 50x smaller than Flatten's at 224×224."
    if same(_head(features["raw"].mean(axis=(1, 2)), w1, b1, w2, b2)):
        wrong("the base sees the raw pixels: put preprocess (vgg16.preprocess_input) between the input and the base.")
    if same(_head(features["twice"].mean(axis=(1, 2)), w1, b1, w2, b2)):
        wrong("the images are preprocessed twice: apply preprocess_input once, inside the model.")
    if same(_head(features["right"].max(axis=(1, 2)), w1, b1, w2, b2)):
        wrong("that is the maximum over the grid (GlobalMaxPooling2D): average it with GlobalAveragePooling2D().")
    if same(_head(pooled, w1, b1, w2, b2, relu=False)):
        wrong("the Dense 256 layer needs activation='relu'.")
    if same(_head(pooled, w1, b1, w2, b2, softmax=False)):
        wrong("end with a softmax: the last Dense layer needs activation='softmax'.")
    wrong(
        "the output differs from preprocess → frozen base → GlobalAveragePooling2D → Dense 256 relu → Dense "
        "num_classes softmax: compare your layers with tutorial_transfer_model."
    )


@exercise("08.2", "features without corrupting the data", "the section 'The tutorial's recipe' (the ⚠ note)")
def safe_features(answer, **_):
    import keras

    vgg = keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    images = np.random.default_rng(1).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    original = images.copy()
    features = np.asarray(call(answer, vgg, images))
    if not np.array_equal(images, original):
        wrong(
            "your function changed `images`: preprocess_input writes over a float32 NumPy array. Pass np.copy(images)."
        )
    truth = np.asarray(vgg(_by_hand(original), training=False))
    expect(features.shape == truth.shape, f"expected features of shape {truth.shape}, got {features.shape}.")
    if np.allclose(features, np.asarray(vgg(original, training=False)), rtol=1e-3, atol=1e-3):
        wrong("these are the features of the raw images: apply keras.applications.vgg16.preprocess_input first.")
    expect(np.allclose(features, truth, rtol=1e-3, atol=1e-3), "apply preprocess_input exactly once, to a copy.")
    return "the data stay as loaded, so every later step (and every comparison) sees the same images."


@exercise("08.3", "the batch-size finder", "the section 'VGG16's size, and out-of-memory'")
def finder(answer, **_):
    if isinstance(answer, (tuple, list)) and len(answer) == 2 and isinstance(answer[1], list):
        wrong("that is the finder's whole pair (batch, log): unpack it, `found, log = ...`, and keep the batch.")
    value = number(answer, "found")
    tries = [256 // 2**k for k in range(9)]
    truth = next(b for b in tries if b <= 40)  # the first halving of 256 that a 40-image GPU holds
    if value == 40:
        wrong("40 is the GPU's capacity, but the finder only tries 256, 128, 64, ...: run it on your step.")
    if value == 2 * truth:
        wrong(f"{value:g} images do not fit in 40: the finder halves once more.")
    expect(value == truth, "run `found, log = transfer.largest_batch_that_fits(step, start=256)` and print the log.")
    return "halving is quick to converge, and leaves up to half the memory unused: a finer search could go higher."


@exercise("08.4", "why compile again", "the section 'Fine-tune the last block'")
def recompile(answer, **_):
    letter = answer.strip().strip("().:").strip().lower() if isinstance(answer, str) else None
    expect(letter in ("a", "b", "c"), f'answer with one letter: "a", "b" or "c" (got {answer!r}).')
    if letter == "a":
        wrong("compile leaves the weights as they are: fine-tuning starts from the trained head.")
    if letter == "c":
        wrong("the loss is the same: what changed is which weights are trainable.")
    return "the compiled training step captures the trainable weights: compile again after changing them (keras.io's transfer-learning guide says so)."
