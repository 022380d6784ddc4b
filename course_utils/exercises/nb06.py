"""Checks of notebook 06 (the tutorial's CNN). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import math

from course_utils.exercises import exercise, expect, is_stub, not_attempted, wrong

# The tutorial's CNN, weight by weight: (kernel, bias) of each Conv2D and Dense layer, from its description.
# 28 → conv 3×3 → 26 → pool → 13 → conv → 11 → pool → 5 → conv → 3: Flatten gives 3·3·64 = 576 inputs.
TUTORIAL_WEIGHT_SHAPES = [
    (3, 3, 1, 32),
    (32,),
    (3, 3, 32, 64),
    (64,),
    (3, 3, 64, 64),
    (64,),
    (576, 64),
    (64,),
    (64, 10),
    (10,),
]


def _layer_kinds(model) -> list[str]:
    return [type(layer).__name__ for layer in getattr(model, "layers", [])]


@exercise("06.1", "build the tutorial's CNN", "the section 'Build the tutorial's CNN'")
def build_cnn(answer, **_):
    if not hasattr(answer, "weights") or not hasattr(answer, "layers"):
        wrong(f"expected a Keras model (keras.Sequential([...])), got {type(answer).__name__}.")
    kinds = _layer_kinds(answer)
    expect(kinds.count("Conv2D") == 3, f"three Conv2D layers (32, 64, 64 filters); yours has {kinds.count('Conv2D')}.")
    expect(kinds.count("MaxPooling2D") == 2, f"two MaxPooling2D layers; yours has {kinds.count('MaxPooling2D')}.")
    expect("Flatten" in kinds, "a Flatten layer turns the last feature maps into one vector before the Dense layers.")
    shapes = [tuple(int(d) for d in w.shape) for w in answer.weights]
    if len(shapes) == len(TUTORIAL_WEIGHT_SHAPES) and shapes[6] != TUTORIAL_WEIGHT_SHAPES[6]:
        wrong(
            f"the first Dense layer has a {shapes[6]} kernel, expected (576, 64): each 3×3 'valid' convolution "
            "shrinks the image by 2 and each pooling halves it, so Flatten gives 3×3×64 = 576 values."
        )
    expect(
        shapes == TUTORIAL_WEIGHT_SHAPES,
        f"weight shapes {shapes} differ from the tutorial's: compare filters, kernel sizes and units layer by layer.",
    )
    last = answer.layers[-1]
    activation = getattr(getattr(last, "activation", None), "__name__", "")
    expect(activation == "softmax", f"the last layer gives probabilities: activation='softmax' (yours: {activation}).")
    return "93,322 weights, most of them in the convolutions' shared kernels: you can now read any Keras CNN."


def _schedule_config(model) -> dict:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        wrong("compile the model: build it with faster_recipe(...), which compiles it.")
    schedule = getattr(optimizer, "_learning_rate", None)
    if not hasattr(schedule, "get_config"):
        wrong("its optimizer has a constant learning rate: build the model with faster_recipe(...).")
    return schedule.get_config()


@exercise("06.2", "the faster recipe at batch 128", "the section 'The faster recipe, as an ablation that wins'")
def faster_at_128(answer, *, num_images: int, **_):
    config = _schedule_config(answer)
    steps = num_images // 128  # whole batches of 128
    peak = 3e-3 * math.sqrt(128 / 32)  # the recipe's √ rule from its batch-32 peak
    warmup = config.get("warmup_target")
    if warmup is None:
        wrong("no warm-up in its schedule: build it with faster_recipe(...).")
    if math.isclose(warmup, 3e-3 * 128 / 32, rel_tol=1e-3):
        wrong("its peak grew linearly with the batch (×4); for Adam the rule is the square root (×2).")
    if math.isclose(warmup, 3e-3, rel_tol=1e-3):
        wrong("its peak learning rate is batch 32's: pass batch_size=128 so the recipe scales it by √4.")
    expect(math.isclose(warmup, peak, rel_tol=1e-3), f"peak learning rate {warmup:.2e}, expected {peak:.2e}.")
    total = int(config["warmup_steps"]) + int(config["decay_steps"])
    if total == 2 * (num_images // 32):
        wrong("steps_per_epoch counts batches of 128, not 32: its schedule would last 4 times too long.")
    expect(
        total == 2 * steps,
        f"the schedule lasts {total} steps; 2 epochs of whole batches of 128 are 2 × {steps} = {2 * steps} steps.",
    )
    iterations = int(answer.optimizer.iterations.numpy())
    if iterations == 0:
        wrong("the model is built but not trained: call my_fast.fit(...) for one epoch.")
    if iterations == math.ceil(num_images / 128) and num_images % 128:
        wrong("it trained on a last, partial batch: keep whole batches only (x_fit[: steps * 128]).")
    expect(iterations == steps, f"it took {iterations} steps; one epoch of whole batches of 128 is {steps} steps.")
    return "batch, learning rate and schedule move together: change one and the other two follow."


@exercise("06.3", "read one of the model's mistakes", "the sections 'Confusion matrix and the worst mistakes'")
def a_mistake(answer, *, model, images, labels, **_):
    try:
        index, prediction = answer
    except (TypeError, ValueError):
        wrong("give a pair: (index, my_prediction).")
    if is_stub(index) or is_stub(prediction):
        not_attempted()
    try:
        index = int(index)
        true_digit = int(labels[index])
    except (TypeError, ValueError, IndexError):
        wrong(f"index must be a whole number from 0 to {len(labels) - 1}.")
    predicted = int(model.predict(images[index : index + 1], verbose=0).argmax())
    if predicted == true_digit:
        wrong(f"the model reads image {index} correctly (a {true_digit}): choose an image it gets wrong.")
    if int(prediction) == true_digit:
        wrong(f"{prediction} is the true digit; my_prediction is what the model says it sees.")
    expect(int(prediction) == predicted, f"the model predicts {predicted} for image {index}, not {prediction}.")
    return f"a {true_digit} read as {predicted}: looking at mistakes tells you what the model has not learned."
