"""Checks of notebook 03 (Tensor Cores and mixed precision). Each computes its own truth."""

from __future__ import annotations

from course_utils.exercises import close, exercise, expect, number, parts, same_text, wrong

FLOAT16_SMALLEST_SUBNORMAL = 2.0**-24  # 10 mantissa bits below the smallest normal exponent 2**-14


@exercise("03.1", "the smallest gradient loss scaling saves", "the section 'Loss scaling' and the formats' table")
def smallest_gradient(answer, **_):
    value = number(answer, "smallest_gradient")
    truth = FLOAT16_SMALLEST_SUBNORMAL / 2**15  # scaled by 2**15, it must still reach float16's smallest subnormal
    if value == 0:
        wrong(
            "0: the division ran in float16, where 2⁻²⁴ / 2¹⁵ underflows. Convert to a Python float first "
            "(float(np.finfo(np.float16).smallest_subnormal) / 2**15)."
        )
    if close(value, 2.0**-14 / 2**15, rel=0.02):
        wrong(
            "you used float16's smallest *normal* number (6.1e-5); below it float16 still has subnormals down to 2⁻²⁴."
        )
    if close(value, FLOAT16_SMALLEST_SUBNORMAL * 2**15, rel=0.02):
        wrong("the loss scale *multiplies* the gradient: divide float16's smallest value by 2¹⁵, do not multiply.")
    if close(value, FLOAT16_SMALLEST_SUBNORMAL, rel=0.02):
        wrong("that is the smallest gradient without loss scaling: the scale lets gradients 2¹⁵ times smaller survive.")
    expect(close(value, truth, rel=0.02), f"{value:.3g} is not it: smallest float16 value (2⁻²⁴) divided by the scale.")
    return "2⁻³⁹ ≈ 1.8e-12: loss scaling moves float16's floor 2¹⁵ times lower, where small gradients live."


POLICIES = ("float32", "mixed_float16", "mixed_bfloat16")


def _policy(answer, what):
    """The Keras policy a learner named, whatever its case, hyphens or spaces; wrong for anything else."""
    for name in POLICIES:
        if same_text(answer, name):
            return name
    if same_text(answer, "float16") or same_text(answer, "bfloat16"):
        wrong(
            f"{what} = {answer!r} keeps the weights in 16 bits too, where small updates round away: "
            "use a mixed policy ('mixed_float16' or 'mixed_bfloat16')."
        )
    wrong(f"{what} should be a Keras policy name, one of {list(POLICIES)}; got {answer!r}.")


@exercise("03.2", "the policy for a T4 and for an A100", "the generations table and the section 'Loss scaling'")
def policies(answer, **_):
    t4, a100 = parts(answer, ("t4_policy", "a100_policy"))
    t4, a100 = _policy(t4, "t4_policy"), _policy(a100, "a100_policy")
    expect(t4 != "mixed_bfloat16", "a T4 (Turing, 7.5) has no bfloat16 Tensor Cores: its 65 TF/s are float16.")
    expect(t4 == "mixed_float16", "a T4 has float16 Tensor Cores (65 TF/s vs 8.1 in float32): use them.")
    expect(
        a100 != "float32",
        "an A100 (Ampere, 8.0) has float16 and bfloat16 Tensor Cores (312 TF/s dense, vs 19.5 in float32): use them.",
    )
    if a100 == "mixed_float16":
        return (
            "T4: mixed_float16. A100: mixed_float16 runs at the same Tensor Core rate as bfloat16 (312 TF/s) and "
            "needs loss scaling, which Keras adds when you compile a mixed_float16 model; mixed_bfloat16 needs none."
        )
    return "T4: mixed_float16, with loss scaling; A100: mixed_bfloat16, float32's range, no loss scaling needed."


@exercise("03.3", "the MLP under a mixed policy", "the sections 'Mixed precision in Keras' and 'Measure training'")
def mixed_mlp(answer, **_):
    import keras

    expect(isinstance(answer, keras.Model), f"mixed_mlp should be a Keras model, got {type(answer).__name__}.")
    dense = [layer for layer in answer.layers if isinstance(layer, keras.layers.Dense)]
    expect(len(dense) >= 2, "keep the lesson's MLP: hidden Dense layers and a Dense output layer.")
    hidden, output = dense[:-1], dense[-1]
    for layer in hidden:
        expect(
            layer.compute_dtype in ("float16", "bfloat16"),
            f"hidden layer {layer.name} computes in {layer.compute_dtype}: build it while the mixed policy is set.",
        )
        expect(layer.variable_dtype == "float32", f"{layer.name} keeps {layer.variable_dtype} weights: use float32.")
    expect(
        output.compute_dtype == "float32",
        "the output layer computes in 16 bits: give it dtype='float32' (a softmax over 16-bit logits loses precision).",
    )
    expect(
        keras.mixed_precision.global_policy().name == "float32",
        "the global policy is still mixed: set it back with keras.mixed_precision.set_dtype_policy('float32'), "
        "or every model you build next is silently mixed.",
    )
    return "16-bit compute in the hidden layers, float32 weights and output, and the global policy restored."


TF32_EPS = 2.0**-10  # 10 mantissa bits: the next TF32 number after 1 is 1 + 2**-10


@exercise("03.4", "TF32's machine epsilon", "the section 'TF32, switched off and on' and the formats' table")
def tf32_eps(answer, **_):
    value = number(answer, "tf32_eps")
    if close(value, 2.0**-23, rel=0.005):
        wrong("that is float32's epsilon (23 mantissa bits); TF32 keeps only 10 mantissa bits.")
    if close(value, 2.0**-7, rel=0.005):
        wrong("that is bfloat16's epsilon (7 mantissa bits); TF32 has 10.")
    if close(value, TF32_EPS / 2, rel=0.005):
        wrong("2⁻¹¹ is the unit roundoff (half the gap, the largest relative rounding error): the gap itself is 2⁻¹⁰.")
    if close(value, 1e-3, rel=0.005):
        wrong("0.001 is rounded too far: give the gap exactly, or to 3 significant digits.")
    expect(close(value, TF32_EPS, rel=0.005), "count TF32's mantissa bits (10): the next number after 1 is 1 + 2⁻¹⁰.")
    return (
        "2⁻¹⁰ ≈ 0.001, float16's epsilon: TF32 matmuls round each input to about 3 decimal digits, then add in float32."
    )


@exercise("03.5", "model FLOPs utilisation", "the section 'Measure training' (model FLOPs utilisation)")
def mfu(answer, *, params=100e6, batch_size=512, step_s=0.05, peak_tflops=65.0, **_):
    value = number(answer, "mfu")
    truth = 6 * params * batch_size / step_s / (peak_tflops * 1e12)  # forward 2, backward 4 FLOPs per weight per sample
    if close(value, 100 * truth, rel=0.03):
        wrong("give a fraction between 0 and 1, not a percentage.")
    if close(value, truth / 3, rel=0.03):
        wrong(
            "2 FLOPs per weight per sample counts the forward pass only: the backward pass costs twice that (6 in all)."
        )
    if close(value, truth * 65.0 / 8.1, rel=0.03):
        wrong("divide by the T4's float16 Tensor Core peak (65 TF/s), the dtype the step runs in, not float32's 8.1.")
    expect(close(value, truth, rel=0.03), "FLOPs per step ≈ 6 × parameters × batch; divide FLOP/s by the dtype's peak.")
    return f"{truth:.1%}: real training sits well below the datasheet; MFU says how far, for the dtype used."
