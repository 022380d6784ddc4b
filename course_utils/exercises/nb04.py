"""Checks of notebook 04 (choosing a GPU). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import csv
from importlib import resources

from course_utils.exercises import close, exercise, expect, number, wrong

ADAM_BYTES_PER_PARAM = 4 + 4 + 8  # float32 weight, its gradient, Adam's two moments


def _conv(k, c_in, c_out):
    return k * k * c_in * c_out + c_out


def _dense(n_in, n_out):
    return n_in * n_out + n_out


# VGG16 from its paper (Simonyan & Zisserman, 2014), configuration D, 224×224 input
_VGG16_CONVS = [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 256), (256, 512)]
_VGG16_CONVS += [(512, 512)] * 5
VGG16_PARAMS = sum(_conv(3, i, o) for i, o in _VGG16_CONVS) + _dense(25088, 4096) + _dense(4096, 4096)
VGG16_PARAMS += _dense(4096, 1000)
_SIDES = [(224, 3)] + [(224, 64)] * 2 + [(112, 64)] + [(112, 128)] * 2 + [(56, 128)] + [(56, 256)] * 3
_SIDES += [(28, 256)] + [(28, 512)] * 3 + [(14, 512)] * 4 + [(7, 512)]
VGG16_VALUES_PER_IMAGE = sum(s * s * c for s, c in _SIDES) + 25088 + 4096 + 4096 + 1000  # every layer's output


@exercise("04.1", "does a 7B model fine-tune on 24 GB?", "the section 'What memory does a model need?'")
def seven_billion(answer, **_):
    try:
        needs_gb, fits = answer
    except (TypeError, ValueError):
        wrong("give a pair: (needs_gb, fits).")
    value = number(needs_gb, "needs_gb")
    truth_bytes = 7e9 * ADAM_BYTES_PER_PARAM
    if close(value, 7e9 * 2 / 1e9, rel=0.1) or close(value, 7e9 * 4 / 1e9, rel=0.1):
        wrong("that counts the weights only: training also keeps a gradient (4 B) and Adam's two moments (8 B) each.")
    expect(
        close(value, truth_bytes / 1e9, rel=0.03) or close(value, truth_bytes / 2**30, rel=0.03),
        "count 4 (weight) + 4 (gradient) + 8 (Adam) bytes per parameter; mixed precision keeps them in float32.",
    )
    expect(fits is False, "compare needs_gb with 24: it is more than four times larger, so fits is False.")
    return "112 GB (104 GiB) before activations: full fine-tuning needs several GPUs, LoRA, or 8-bit optimizer states."


def _ridges():
    text = resources.files("course_utils.data").joinpath("accelerators.csv").read_text(encoding="utf-8")
    ridges, peaks = {}, {}
    for row in csv.DictReader(text.splitlines()):
        peak = row["fp16_bf16_tensor_tflops"] or row["fp32_tflops"]
        if peak:
            ridges[row["name"]] = float(peak) * 1e12 / (float(row["bandwidth_gb_per_s"]) * 1e9)
            peaks[row["name"]] = float(peak)
    return ridges, peaks


@exercise("04.2", "the highest ridge point", "the sections 'Today's accelerators' and 'Which GPU wins'")
def highest_ridge(answer, **_):
    ridges, peaks = _ridges()
    expect(isinstance(answer, str), "set highest_ridge to the accelerator's name, a string as in the table.")
    best = max(ridges, key=ridges.get)
    if answer == max(peaks, key=peaks.get) and answer != best:
        wrong("that part has the highest peak, not the highest ridge: divide each peak by its bandwidth.")
    expect(answer in ridges, f"{answer!r} is not a catalogue name with a compute figure: copy it from the table.")
    expect(
        ridges[answer] >= 0.99 * ridges[best],
        f"{answer} turns compute-bound at {ridges[answer]:.0f} FLOP/byte; another needs more. Divide peak by bandwidth.",
    )
    return f"{best}: {ridges[best]:.0f} FLOP/byte. Such a part needs very dense work (large matmuls) to be busy."


@exercise("04.3", "VGG16's largest batch on a 16 GB T4", "the sections 'What memory does a model need?' (VGG16)")
def max_batch(answer, **_):
    value = number(answer, "max_batch")
    fixed = VGG16_PARAMS * ADAM_BYTES_PER_PARAM
    per_image = VGG16_VALUES_PER_IMAGE * 4
    truths = [(memory - fixed) / per_image for memory in (16e9, 16 * 2**30)]  # 16 GB or 16 GiB: both defensible
    if any(abs(value - t) <= max(2.0, 0.01 * t) for t in truths):  # floor or round, GB or GiB
        return (
            f"about {int(min(truths))}-{int(max(truths))} images: fewer in practice (cuDNN workspace, fragmentation)."
        )
    if any(abs(value - (m - VGG16_PARAMS * 4) / per_image) <= 2.0 for m in (16e9, 16 * 2**30)):
        wrong("you subtracted the weights only: training also holds their gradients and Adam's moments (16 B each).")
    if any(close(value, t * 4, rel=0.03) for t in truths):
        wrong("activations are float32 here: 4 bytes per stored value, not 1.")
    wrong("subtract the fixed part (16 bytes per parameter), divide by one image's activations (4 bytes per value).")


@exercise("04.4", "widen the tutorial CNN", "the section 'What memory does a model need?' (parameters by hand)")
def wide_cnn(answer, *, wide_params_by_hand=None, **_):
    import keras

    expect(isinstance(answer, keras.Model), f"wide_cnn should be a Keras model, got {type(answer).__name__}.")
    convs = [layer for layer in answer.layers if isinstance(layer, keras.layers.Conv2D)]
    dense = [layer for layer in answer.layers if isinstance(layer, keras.layers.Dense)]
    expect([c.filters for c in convs] == [32, 64, 64], "keep the tutorial's three Conv2D layers (32, 64, 64 filters).")
    expect(len(dense) == 2, "keep two Dense layers: the hidden one and the 10-way output.")
    if dense[-1].units != 10:
        wrong("the output layer must keep 10 units (one per digit): widen the hidden Dense layer instead.")
    expect(dense[0].units == 512, f"the hidden Dense layer has {dense[0].units} units: set it to 512.")
    truth = _conv(3, 1, 32) + _conv(3, 32, 64) + _conv(3, 64, 64) + _dense(3 * 3 * 64, 512) + _dense(512, 10)
    expect(answer.count_params() == truth, "build it on 28×28×1 inputs, as the tutorial does.")
    if wide_params_by_hand is None:
        wrong(
            "also set wide_params_by_hand with the lesson's formulas, and pass it: cu.grade(..., wide_params_by_hand=...)."
        )
    by_hand = number(wide_params_by_hand, "wide_params_by_hand")
    if by_hand == truth - 32 - 64 - 64 - 512 - 10:
        wrong("your count forgets the biases: one per filter or unit.")
    expect(by_hand == truth, f"{by_hand:,.0f} is not Keras's count: redo the Dense(576 → 512) term.")
    return f"{truth:,} parameters, {truth / 225_034:.1f}x the tutorial's: the first Dense layer holds most of them."
