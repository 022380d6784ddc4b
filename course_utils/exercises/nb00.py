"""Checks of notebook 00 (welcome and setup). Each computes its own truth."""

from __future__ import annotations

from course_utils.exercises import call, close, exercise, expect, number, wrong

# (name, compute capability, has Tensor Cores): from NVIDIA's architecture whitepapers (Volta 2017 brought
# Tensor Cores; Turing's TU116/TU117, the GTX 16xx, were built without them).
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
    wrong_on = [(name, cc, truth) for name, cc, truth in GPUS if bool(call(answer, name, cc)) is not truth]
    if not wrong_on:
        return "compute capability alone is not enough: a GTX 1660 is Turing (7.5) like a T4, without Tensor Cores."
    names = {name for name, _, _ in wrong_on}
    if names == {"NVIDIA GeForce GTX 1660 SUPER"}:
        wrong("a GTX 1660 has compute capability 7.5 but no Tensor Cores: the GTX 16xx chips were built without them.")
    if "Tesla V100-SXM2-16GB" in names or "Tesla T4" in names:
        wrong("Tensor Cores arrived with Volta, compute capability 7.0: a V100 (7.0) and a T4 (7.5) have them.")
    name, cc, truth = wrong_on[0]
    wrong(f"{name} (compute capability {cc[0]}.{cc[1]}) {'has' if truth else 'has no'} Tensor Cores.")


@exercise("00.2", "a deeper CNN and its FLOPs", "the section 'Why a GPU: a CNN is a chain of matmuls'")
def deeper_cnn(answer, **_):
    import keras

    try:
        model, flops = answer
    except (TypeError, ValueError):
        wrong("give a pair: (bigger_model, bigger_flops).")
    if model is None or flops is None:
        from course_utils.exercises import not_attempted

        not_attempted()
    expect(isinstance(model, keras.Model), f"bigger_model should be a Keras model, got {type(model).__name__}.")
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    expect(len(convs) == 4, f"the model has {len(convs)} Conv2D layers: add one to the tutorial's three.")
    last = convs[-1]
    expect(
        last.filters == 64 and tuple(last.kernel_size) == (3, 3),
        f"the new Conv2D has {last.filters} filters of {last.kernel_size}: use 64 filters of 3×3.",
    )
    truth = 0
    for layer in model.layers:  # multiply-adds of each Conv2D and Dense layer, 2 FLOPs each
        if isinstance(layer, keras.layers.Conv2D):
            _, h, w, c_out = layer.output.shape
            k_h, k_w = layer.kernel_size
            truth += 2 * h * w * c_out * k_h * k_w * layer.input.shape[-1]
        elif isinstance(layer, keras.layers.Dense):
            truth += 2 * layer.input.shape[-1] * layer.units
    value = number(flops, "bigger_flops")
    if close(value, truth / 2, rel=0.02):
        wrong("that counts multiply-adds: each is 2 FLOPs (a multiply and an add).")
    expect(close(value, truth, rel=0.02), f"{value:,.0f} FLOPs is not it: rerun the counting cell on bigger_model.")
    return f"{truth / 1e6:.1f} MFLOP per image: a layer's FLOPs follow its output size × kernel size × input channels."


@exercise("00.3", "nvidia-smi's MiB in GB", "the section 'What TensorFlow sees, call by call'")
def t4_memory(answer, **_):
    value = number(answer, "t4_memory_gb")
    mib = 15360  # what nvidia-smi prints for a T4's memory.total
    gb, gib = mib * 2**20 / 1e9, mib / 1024
    if close(value, mib / 1000, rel=0.005):
        wrong("a MiB is 2²⁰ = 1,048,576 bytes, not 10⁶: multiply by 2²⁰, then divide by 10⁹.")
    expect(close(value, gb, rel=0.01) or close(value, gib, rel=0.01), f"{value} is not it: 15360 MiB × 2²⁰ bytes.")
    return f"15360 MiB = {gb:.1f} GB = {gib:.0f} GiB: datasheets count in GB (10⁹), nvidia-smi in MiB (2²⁰)."
