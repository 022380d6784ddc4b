"""Checks of notebook 00 (welcome and setup). Each computes its own truth."""

from __future__ import annotations

from course_utils.exercises import boolean, close, exercise, expect, not_attempted, number, parts, wrong

# (name as TensorFlow and nvidia-smi print it, compute capability, has Tensor Cores): from NVIDIA's architecture
# whitepapers (Volta 2017 brought Tensor Cores; Turing's TU116/TU117, the GTX 16xx, were built without them).
GPUS = [
    ("Tesla K80", (3, 7), False),
    ("Tesla P100-PCIE-16GB", (6, 0), False),
    ("Tesla V100-SXM2-16GB", (7, 0), True),
    ("Tesla T4", (7, 5), True),
    ("NVIDIA GeForce GTX 1660 SUPER", (7, 5), False),
    ("NVIDIA A100-SXM4-80GB", (8, 0), True),
    ("NVIDIA H100 80GB HBM3", (9, 0), True),
    ("NVIDIA B200", (10, 0), True),
]


@exercise("00.1", "which GPUs have Tensor Cores", "the section 'Examine your machine with the GPU doctor'")
def has_tensor_cores(answer, **_):
    if not callable(answer):
        wrong(f"expected a function, got {type(answer).__name__}: define it with `def` as in the stub.")
    wrong_on = []
    for name, cc, truth in GPUS:
        try:
            result = answer(name, cc)
        except Exception as err:  # noqa: BLE001 - the learner's function failed: say how
            wrong(
                f"has_tensor_cores({name!r}, {cc}) raised {type(err).__name__}: {err}. `name` is a string, "
                "`cc` a tuple such as (7, 5): compare it with another tuple, (7, 0)."
            )
        if result is NotImplemented or result is Ellipsis:
            not_attempted()
        if result is None:
            wrong(f"has_tensor_cores({name!r}, {cc}) returned None: return False when a GPU has no Tensor Cores.")
        if boolean(result, f"has_tensor_cores({name!r}, {cc})") is not truth:
            wrong_on.append(name)
    if not wrong_on:
        return "compute capability alone is not enough: a GTX 1660 is Turing (7.5) like a T4, without Tensor Cores."
    if wrong_on == ["NVIDIA GeForce GTX 1660 SUPER"]:
        wrong(
            "a GTX 1660 has compute capability 7.5 but no Tensor Cores: the GTX 16xx chips were built without them "
            "(its name as TensorFlow prints it: 'NVIDIA GeForce GTX 1660 SUPER')."
        )
    if "Tesla V100-SXM2-16GB" in wrong_on or "Tesla T4" in wrong_on:
        wrong("Tensor Cores arrived with Volta, compute capability 7.0: a V100 (7.0) and a T4 (7.5) have them.")
    name, cc, truth = next(gpu for gpu in GPUS if gpu[0] == wrong_on[0])
    wrong(f"{name} (compute capability {cc[0]}.{cc[1]}) {'has' if truth else 'has no'} Tensor Cores.")


# The task's CNN, layer by layer: the lesson's three convolutions, then Conv2D(64, 3, padding="same") before Flatten.
CNN = [
    ("Conv2D", 32, (3, 3), (1, 1), "valid"),
    ("MaxPooling2D", (2, 2)),
    ("Conv2D", 64, (3, 3), (1, 1), "valid"),
    ("MaxPooling2D", (2, 2)),
    ("Conv2D", 64, (3, 3), (1, 1), "valid"),
    ("Conv2D", 64, (3, 3), (1, 1), "same"),
    ("Flatten",),
    ("Dense", 64),
    ("Dense", 10),
]
# Its multiply-adds per 28 × 28 image, by hand: outputs × kernel × input channels for each Conv2D
# (26·26·32 × 3·3·1, 11·11·64 × 3·3·32, 3·3·64 × 3·3·64 twice), inputs × units for each Dense (576·64, 64·10).
BIGGER_MACS = 26 * 26 * 32 * 9 * 1 + 11 * 11 * 64 * 9 * 32 + 2 * (3 * 3 * 64 * 9 * 64) + 576 * 64 + 64 * 10
LESSON_MACS = BIGGER_MACS - 3 * 3 * 64 * 9 * 64  # the lesson's CNN, without the new layer


def _layers(model):
    """The model's layers in order, nested models opened (public ``.layers`` only)."""
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
        else:
            yield layer


def _signature(layer):
    """What sets a layer's FLOPs and output shape; None for layers that change neither (activations, Input)."""
    import keras

    if isinstance(layer, keras.layers.Conv2D):
        return ("Conv2D", layer.filters, tuple(layer.kernel_size), tuple(layer.strides), layer.padding)
    if isinstance(layer, keras.layers.MaxPooling2D):
        return ("MaxPooling2D", tuple(layer.pool_size))
    if isinstance(layer, keras.layers.Flatten):
        return ("Flatten",)
    if isinstance(layer, keras.layers.Dense):
        return ("Dense", layer.units)
    return None


def _describe(signature):
    kind, *rest = signature
    if kind == "Conv2D":
        filters, kernel, strides, padding = rest
        stride = f", strides={strides}" if strides != (1, 1) else ""
        return f"Conv2D({filters}, {kernel[0]}×{kernel[1]}, padding={padding!r}{stride})"
    return f"{kind}({', '.join(map(str, rest))})"


def _is_relu(layer) -> bool:
    import keras

    if isinstance(layer, keras.layers.ReLU):
        return True
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", "") == "relu"


@exercise("00.2", "a deeper CNN and its FLOPs", "the section 'Why a GPU: a CNN is a chain of matmuls'")
def deeper_cnn(answer, **_):
    import keras

    model, flops = parts(answer, ("bigger_model", "bigger_flops"))
    expect(isinstance(model, keras.Model), f"bigger_model should be a Keras model, got {type(model).__name__}.")
    try:
        input_shape = tuple(model.inputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        wrong("bigger_model has no input yet: start it with keras.Input((28, 28, 1)), as the lesson's CNN does.")
    expect(input_shape == (28, 28, 1), f"the input is {input_shape}: the CNN takes 28 × 28 × 1 digits.")
    layers = list(_layers(model))
    shaped = [(layer, _signature(layer)) for layer in layers if _signature(layer) is not None]
    signatures = [s for _, s in shaped]
    convs = [s for s in signatures if s[0] == "Conv2D"]
    expect(len(convs) == 4, f"the model has {len(convs)} Conv2D layers: add one to the lesson's three.")
    if signatures != CNN:
        if [s[:4] for s in signatures] == [s[:4] for s in CNN] and signatures[5][4] == "valid":
            wrong(
                'the new Conv2D needs padding="same": it keeps the 3 × 3 input size; without it the output '
                "shrinks to 1 × 1 and the layer does far less work."
            )
        if sorted(signatures) == sorted(CNN):
            wrong("the new Conv2D goes right before Flatten, after the lesson's third Conv2D.")
        for i, (got, want) in enumerate(zip(signatures, CNN)):
            if got != want:
                wrong(
                    f"layer {i + 1} is {_describe(got)} where the task has {_describe(want)}: keep the lesson's CNN "
                    'and add Conv2D(64, 3, activation="relu", padding="same") right before Flatten.'
                )
        wrong(f"the model has {len(signatures)} layers that compute, the task's CNN {len(CNN)}: compare them.")
    new_conv = shaped[5][0]
    after = layers[layers.index(new_conv) + 1]
    expect(
        _is_relu(new_conv) or _is_relu(after),
        'the new Conv2D has no ReLU: give it activation="relu", as the task says.',
    )
    value = number(flops, "bigger_flops")
    if close(value, BIGGER_MACS, rel=0.002):
        wrong("that counts multiply-adds: each is 2 FLOPs (a multiply and an add).")
    if close(value * 1e6, 2 * BIGGER_MACS, rel=0.002):
        wrong(f"{value} is in MFLOP: give the count in FLOPs ({value} × 10⁶).")
    if close(value, 2 * LESSON_MACS, rel=0.002):
        wrong("that is the lesson's CNN: apply layer_flops to the layers of bigger_model.")
    expect(
        close(value, 2 * BIGGER_MACS, rel=0.002),
        f"{value:,.0f} FLOPs is not it: sum layer_flops(layer) over bigger_model.layers.",
    )
    return (
        f"{2 * BIGGER_MACS / 1e6:.2f} MFLOP per image: the new layer adds {2 * 3 * 3 * 64 * 9 * 64 / 1e6:.2f}, as much "
        "as the third; a layer's FLOPs follow its output size × kernel size × input channels."
    )


T4_MIB = 15360  # what nvidia-smi prints for a T4's memory.total (ECC on)


@exercise("00.3", "nvidia-smi's MiB in GB", "the exercise's own text (a MiB is 2²⁰ bytes, a GB 10⁹ bytes)")
def t4_memory(answer, **_):
    value = number(answer, "t4_memory_gb")
    gb, gib = T4_MIB * 2**20 / 1e9, T4_MIB * 2**20 / 2**30
    if close(value, gib, rel=0.005):
        wrong("15 is in GiB (2³⁰ bytes): the task asks for GB, 10⁹ bytes. Multiply by 2²⁰ bytes, divide by 10⁹.")
    if close(value, T4_MIB / 1000, rel=0.005):
        wrong("a MiB is 2²⁰ = 1,048,576 bytes, not 10⁶: multiply by 2²⁰, then divide by 10⁹.")
    if close(value, gb * 1e9, rel=0.005):
        wrong("that is the number of bytes: divide by 10⁹ for GB.")
    if close(value, 16.0, rel=0.001):
        wrong("16 is the datasheet's round figure: convert nvidia-smi's 15360 MiB, to one decimal.")
    expect(abs(value - gb) <= 0.051, f"{value:g} is not it: 15360 MiB × 2²⁰ bytes, in GB to one decimal.")
    return (
        f"15360 MiB = {gb:.1f} GB = {gib:.0f} GiB. A T4 carries 16 GiB; with ECC on, 1/16 of it holds the "
        "error-correcting bits, so the driver reports 15 GiB. That 16.1 GB lands near the datasheet's 16 is a coincidence."
    )
