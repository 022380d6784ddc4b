"""Checks of notebook 04 (choosing a GPU). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

import csv
import re
from importlib import resources

from course_utils.exercises import boolean, close, exercise, expect, number, parts, same_text, wrong

ADAM_BYTES_PER_PARAM = 4 + 4 + 8  # float32 weight, its gradient, Adam's two moments
GB = 1e9  # the unit the tasks ask for; GiB = 2**30 bytes gets its own hint
MAX_BATCH_TOLERANCE = 0.06  # 04.3 states it: the notebook's rounded figures (2.2 GB, 15 M values) land within it


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
    needs_gb, fits = parts(answer, ("needs_gb", "fits"))
    value = number(needs_gb, "needs_gb")
    truth_bytes = 7e9 * ADAM_BYTES_PER_PARAM
    if close(value, 7e9 * 2 / GB, rel=0.1) or close(value, 7e9 * 4 / GB, rel=0.1):
        wrong("that counts the weights only: training also keeps a gradient (4 B) and Adam's two moments (8 B) each.")
    if close(value, truth_bytes / 2**30, rel=0.02):
        wrong("that is in GiB (2³⁰ bytes); the task asks for GB (10⁹ bytes): divide the bytes by 1e9.")
    if close(value, truth_bytes, rel=0.02):
        wrong("that is in bytes: divide by 1e9 for GB.")
    expect(
        close(value, truth_bytes / GB, rel=0.02),
        "count 4 (weight) + 4 (gradient) + 8 (Adam) bytes per parameter; mixed precision keeps them in float32.",
    )
    expect(not boolean(fits, "fits"), "compare needs_gb with 24: it is more than four times larger, so fits is False.")
    return "112 GB before activations: full fine-tuning needs several GPUs, LoRA, or 8-bit optimizer states."


def _catalogue():
    """(vendor, name, ridge FLOP/byte, peak TFLOP/s) of every row with a compute figure, from the CSV itself."""
    text = resources.files("course_utils.data").joinpath("accelerators.csv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        peak = row["fp16_bf16_tensor_tflops"] or row["fp32_tflops"]
        if peak:
            ridge = float(peak) * 1e12 / (float(row["bandwidth_gb_per_s"]) * 1e9)
            rows.append((row["vendor"], row["name"], ridge, float(peak)))
    return rows


def _spellings(vendor: str, name: str) -> list[str]:
    """The ways a learner may write a part: as the table prints it (vendor and name), the name alone, each
    also without a trailing note in parentheses ("TPU v6e (Trillium)" → "TPU v6e")."""
    names = [name, f"{vendor} {name}"]
    short = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    if short != name:
        names += [short, f"{vendor} {short}"]
    return names


@exercise("04.2", "the highest ridge point", "the sections 'Today's accelerators' and 'Which GPU wins'")
def highest_ridge(answer, **_):
    rows = _catalogue()
    expect(isinstance(answer, str), f"set highest_ridge to the accelerator's name, a string, not {answer!r}.")
    matches = [row for row in rows if same_text(answer, *_spellings(row[0], row[1]))]
    if len(matches) > 1:  # a short form shared by two rows: the learner must say which
        wrong(
            f"{answer!r} names several parts ({', '.join(r[1] for r in matches)}): copy the full name from the table."
        )
    expect(matches, f"{answer!r} is not a catalogue part with a compute figure: copy its name from the table.")
    _, name, ridge, peak = matches[0]
    best = max(rows, key=lambda row: row[2])
    if peak == max(row[3] for row in rows) and ridge < 0.99 * best[2]:
        wrong("that part has the highest peak, not the highest ridge: divide each peak by its bandwidth.")
    expect(
        ridge >= 0.99 * best[2],
        f"{name} turns compute-bound at {ridge:.0f} FLOP/byte; another needs more. Divide peak by bandwidth.",
    )
    return (
        f"{best[0]} {best[1]}: {best[2]:.0f} FLOP/byte. Such a part needs very dense work (large matmuls) to be busy."
    )


@exercise("04.3", "VGG16's largest batch on a 16 GB T4", "the section 'What memory does a model need?' (VGG16)")
def max_batch(answer, **_):
    value = number(answer, "max_batch")
    per_image = VGG16_VALUES_PER_IMAGE * 4
    truth = (16 * GB - VGG16_PARAMS * ADAM_BYTES_PER_PARAM) / per_image
    if abs(value - truth) <= MAX_BATCH_TOLERANCE * truth:  # floor or round, exact or rounded figures
        return f"about {int(truth)} images: fewer in practice (cuDNN workspace, allocator slack)."
    if close(value, (16 * 2**30 - VGG16_PARAMS * ADAM_BYTES_PER_PARAM) / per_image, rel=0.02):
        wrong("that takes 16 GiB (16 × 2³⁰ bytes); the task takes 16 GB = 16 × 10⁹ bytes.")
    if close(value, (16 * GB - VGG16_PARAMS * 4) / per_image, rel=0.02):
        wrong("you subtracted the weights only: training also holds their gradients and Adam's moments (16 B each).")
    if close(value, truth * 4, rel=0.06):
        wrong("activations are float32 here: 4 bytes per stored value, not 1.")
    wrong("subtract the fixed part (16 bytes per parameter), divide by one image's activations (4 bytes per value).")


@exercise("04.4", "widen the tutorial CNN", "the section 'What memory does a model need?' (parameters by hand)")
def wide_cnn(answer, **_):
    import keras

    model, by_hand = parts(answer, ("wide_cnn", "wide_params_by_hand"))
    expect(isinstance(model, keras.Model), f"wide_cnn should be a Keras model, got {type(model).__name__}.")
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    expect([c.filters for c in convs] == [32, 64, 64], "keep the tutorial's three Conv2D layers (32, 64, 64 filters).")
    expect(len(dense) == 2, "keep two Dense layers: the hidden one and the 10-way output.")
    if dense[-1].units != 10:
        wrong("the output layer must keep 10 units (one per digit): widen the hidden Dense layer instead.")
    expect(dense[0].units == 512, f"the hidden Dense layer has {dense[0].units} units: set it to 512.")
    expect(model.built, "wide_cnn is not built, so it has no weights yet: start it with keras.Input((28, 28, 1)).")
    truth = _conv(3, 1, 32) + _conv(3, 32, 64) + _conv(3, 64, 64) + _dense(3 * 3 * 64, 512) + _dense(512, 10)
    expect(model.count_params() == truth, "build it on 28×28×1 inputs, as the tutorial does.")
    count = number(by_hand, "wide_params_by_hand")
    if count == truth - 32 - 64 - 64 - 512 - 10:
        wrong("your count forgets the biases: one per filter or unit.")
    expect(count == truth, f"{count:,.0f} is not Keras's count: redo the Dense(576 → 512) term.")
    return f"{truth:,} parameters, {truth / 93_322:.1f}x the tutorial's: the first Dense layer holds most of them."
