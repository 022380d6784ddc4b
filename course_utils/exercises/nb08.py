"""Checks of notebook 08 (transfer learning with VGG16). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, expect, number, wrong


def _small_vgg16(image_size: int = 64):
    import keras

    keras.utils.set_random_seed(0)
    return keras.applications.VGG16(weights=None, include_top=False, input_shape=(image_size, image_size, 3))


@exercise("08.1", "a GlobalAveragePooling head", "the sections 'The tutorial's recipe' and 'Feature extraction'")
def gap_model(answer, **_):
    import keras

    base, num_classes = _small_vgg16(64), 5  # 64×64: the base's output is 2×2×512, so Flatten ≠ pooling
    model = call(answer, base, num_classes)
    expect(isinstance(model, keras.Model), f"return the keras.Model you built, not {type(model).__name__}.")
    kinds = {type(layer).__name__ for layer in model._flatten_layers(include_self=False)}
    if "Flatten" in kinds:
        wrong("the model still has a Flatten: replace it by layers.GlobalAveragePooling2D().")
    expect("GlobalAveragePooling2D" in kinds, "average the base's output grid with layers.GlobalAveragePooling2D().")
    expect(not base.trainable_weights, "the base must stay frozen: set base.trainable = False before building.")
    expect(model.output_shape[-1] == num_classes, f"the last Dense layer needs num_classes ({num_classes}) units.")
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    truth = (512 * 256 + 256) + (256 * num_classes + num_classes)  # Dense 512 → 256, Dense 256 → classes
    expect(
        trainable == truth,
        f"the trainable head has {trainable:,} parameters, expected {truth:,}: "
        "GlobalAveragePooling2D → Dense 256 relu → Dense num_classes softmax, nothing else trainable.",
    )
    sample = np.random.default_rng(0).uniform(0, 255, (2, 64, 64, 3)).astype("float32")
    out = np.asarray(model(sample, training=False))
    expect(np.allclose(out.sum(axis=-1), 1.0, atol=1e-3), "end with a softmax: each row of the output sums to 1.")
    return "512 values per image whatever the image size: a head 50x smaller than Flatten's at 224×224."


@exercise("08.2", "features without corrupting the data", "the section 'The tutorial's recipe' (the ⚠ note)")
def safe_features(answer, **_):
    import keras

    base = _small_vgg16(32)
    images = np.random.default_rng(1).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    original = images.copy()
    features = np.asarray(call(answer, base, images))
    if not np.array_equal(images, original):
        wrong(
            "your function changed `images`: preprocess_input writes over a float32 NumPy array. Pass np.copy(images)."
        )
    # the truth: preprocess by hand (RGB → BGR, minus ImageNet's mean per channel), on a separate array
    bgr = original[..., ::-1] - np.array([103.939, 116.779, 123.68], dtype="float32")
    truth = np.asarray(base(keras.ops.convert_to_tensor(bgr), training=False))
    expect(features.shape == truth.shape, f"expected features of shape {truth.shape}, got {features.shape}.")
    if np.allclose(features, np.asarray(base(original, training=False)), rtol=1e-3, atol=1e-3):
        wrong("these are the features of the raw images: apply keras.applications.vgg16.preprocess_input first.")
    expect(np.allclose(features, truth, rtol=1e-3, atol=1e-3), "apply preprocess_input exactly once, to a copy.")
    return "the data stay as loaded, so every later step (and every comparison) sees the same images."


@exercise("08.3", "the batch-size finder", "the section 'VGG16's size, and out-of-memory'")
def finder(answer, **_):
    value = number(answer, "found")
    tries = [256 // 2**k for k in range(9)]
    truth = next(b for b in tries if b <= 40)  # the first halving of 256 that a 40-image GPU holds
    if value == 40:
        wrong("40 is the GPU's capacity, but the finder only tries 256, 128, 64, ...: run it on your step.")
    expect(value == truth, "run transfer.largest_batch_that_fits(step, start=256) and keep the batch it returns.")
    return "halving is quick to converge, and leaves up to half the memory unused: a finer search could go higher."


@exercise("08.4", "why compile again", "the section 'Fine-tune the last block'")
def recompile(answer, **_):
    expect(answer in ("a", "b", "c"), 'answer with one letter: "a", "b" or "c".')
    if answer == "a":
        wrong("compile leaves the weights as they are: fine-tuning starts from the trained head.")
    if answer == "c":
        wrong("the loss is the same: what changed is which weights are trainable.")
    return "the compiled training step captures the trainable weights: compile again after changing them (keras.io's transfer-learning guide says so)."
