"""Checks of notebook 06 (the tutorial's CNN). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import math

from course_utils.exercises import exercise, expect, number, parts, wrong

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


def _reference_cnn():
    """The tutorial's CNN written from its description (not from the notebook), to compare outputs with."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def _activation_name(layer) -> str:
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", str(activation))


def _without_relu(model) -> list[str]:
    """The Conv2D and hidden Dense layers whose output no ReLU follows (in the layer or as the next layer)."""
    found = []
    model_layers = list(model.layers)
    for i, layer in enumerate(model_layers[:-1]):
        if type(layer).__name__ not in ("Conv2D", "Dense") or _activation_name(layer) == "relu":
            continue
        after = model_layers[i + 1]
        if type(after).__name__ == "ReLU" or (
            type(after).__name__ == "Activation" and _activation_name(after) == "relu"
        ):
            continue
        found.append(f"{layer.name} ({_activation_name(layer)})")
    return found


@exercise("06.1", "build the tutorial's CNN", "the section 'Build the tutorial's CNN'")
def build_cnn(answer, **_):
    import keras
    import numpy as np

    if not isinstance(answer, keras.Model):
        wrong(f"expected a Keras model (keras.Sequential([...])), got {type(answer).__name__}.")
    kinds = [type(layer).__name__ for layer in answer.layers]
    expect(kinds.count("Conv2D") == 3, f"three Conv2D layers (32, 64, 64 filters); yours has {kinds.count('Conv2D')}.")
    expect(kinds.count("MaxPooling2D") == 2, f"two MaxPooling2D layers; yours has {kinds.count('MaxPooling2D')}.")
    expect("Flatten" in kinds, "a Flatten layer turns the last feature maps into one vector before the Dense layers.")
    if not answer.weights:
        wrong(
            "your model has no weights yet: Keras has not built it, because it does not know the input's shape. "
            "Start the list with keras.Input(shape=(28, 28, 1))."
        )
    shapes = [tuple(int(d) for d in w.shape) for w in answer.weights]
    if len(shapes) == len(TUTORIAL_WEIGHT_SHAPES) and shapes[6][0] != TUTORIAL_WEIGHT_SHAPES[6][0]:
        wrong(
            f"the first Dense layer has a {shapes[6]} kernel, expected (576, 64): each 3×3 'valid' convolution "
            "shrinks the image by 2 and each pooling halves it, so Flatten gives 3×3×64 = 576 values."
        )
    expect(
        shapes == TUTORIAL_WEIGHT_SHAPES,
        f"weight shapes {shapes} differ from the tutorial's: compare filters, kernel sizes and units layer by layer.",
    )
    # Same weights, same inputs: the learner's model must compute what the tutorial's computes.
    reference = _reference_cnn()
    reference.set_weights(answer.get_weights())
    images = np.random.default_rng(0).random((4, 28, 28, 1), dtype=np.float32)
    theirs = np.asarray(keras.ops.convert_to_numpy(answer(images, training=False)), dtype=np.float64)
    ours = np.asarray(keras.ops.convert_to_numpy(reference(images, training=False)), dtype=np.float64)
    if np.allclose(theirs, ours, rtol=1e-4, atol=1e-5):
        return "93,322 weights, most of them in the convolutions' shared kernels: you can now read any Keras CNN."
    if not np.allclose(theirs.sum(axis=-1), 1.0, atol=1e-4):
        wrong(
            f"the last layer gives probabilities: activation='softmax' (yours: {_activation_name(answer.layers[-1])})."
        )
    if missing := _without_relu(answer):
        wrong(f"every Conv2D and the hidden Dense use activation='relu'; these do not: {', '.join(missing)}.")
    wrong("with the tutorial's weights your model computes something else: compare the layers' order with the task.")


def _schedule_config(model) -> dict:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        wrong("compile the model: build it with faster_recipe(...), which compiles it.")
    learning_rate = optimizer.get_config()["learning_rate"]  # a schedule is serialised as a dict
    if not isinstance(learning_rate, dict):
        wrong("its optimizer has a constant learning rate: build the model with faster_recipe(...).")
    return learning_rate.get("config", {})


@exercise(
    "06.2",
    "the faster recipe at batch 128",
    "the sections 'Batch size: speed against accuracy' and 'The faster recipe, as an ablation'",
)
def faster_at_128(answer, *, num_images: int, **_):
    import keras

    expect(isinstance(answer, keras.Model), f"my_fast should be the Keras model faster_recipe returns, not {answer!r}.")
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
        wrong("it trained on a last, partial batch: keep whole batches only (x_small[: steps * 128]).")
    expect(iterations == steps, f"it took {iterations} steps; one epoch of whole batches of 128 is {steps} steps.")
    return "batch, learning rate and schedule move together: change one and the other two follow."


@exercise(
    "06.3",
    "read one of the model's mistakes",
    "the section 'Look inside the network' (confusion matrix and worst mistakes)",
)
def a_mistake(answer, *, model, images, labels, **_):
    index, prediction = parts(answer, ("index", "my_prediction"))
    value = number(index, "index")
    expect(
        value.is_integer() and 0 <= value < len(labels), f"index must be a whole number from 0 to {len(labels) - 1}."
    )
    index = int(value)
    digit = number(prediction, "my_prediction")
    expect(digit.is_integer() and 0 <= digit <= 9, f"my_prediction is a digit from 0 to 9, not {prediction!r}.")
    true_digit = int(labels[index])
    predicted = int(model.predict(images[index : index + 1], verbose=0).argmax())
    if predicted == true_digit:
        wrong(f"the model reads image {index} correctly (a {true_digit}): choose an image it gets wrong.")
    if int(digit) == true_digit:
        wrong(f"{int(digit)} is the true digit; my_prediction is what the model says it sees.")
    expect(int(digit) == predicted, f"the model predicts {predicted} for image {index}, not {int(digit)}.")
    return f"a {true_digit} read as {predicted}: looking at mistakes tells you what the model has not learned."
