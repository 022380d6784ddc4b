"""Checks of notebook 10 (inference and deployment). Each computes its own truth."""

from __future__ import annotations

from course_utils.exercises import call, close, exercise, expect, number, wrong


@exercise("10.1", "the knee of the throughput curve", "the section 'Latency and throughput against batch size'")
def knee(answer, *, rows=None, **_):
    value = number(answer, "knee_batch")
    if not rows:
        wrong("run the latency cell first: the check needs your measured `rows`.")
    measured = {int(batch): float(rate) for batch, _ms, rate in rows}
    best_batch = max(measured, key=measured.get)
    truth = min(batch for batch, rate in measured.items() if 2 * rate >= measured[best_batch])
    expect(value in measured, f"{value:g} is not a batch size you measured: pick one of {sorted(measured)}.")
    if value == best_batch and best_batch != truth:
        wrong(
            "that is the batch with the best throughput; the knee is the smallest batch that already reaches half of it."
        )
    if value < truth:
        wrong(f"batch {value:g} reaches only {measured[int(value)] / measured[best_batch]:.0%} of the best throughput.")
    expect(value == truth, "keep the batches at half the best throughput or more, then take the smallest of them.")
    return f"batch {truth}: beyond it, more images per call buy little throughput and cost latency."


@exercise("10.2", "the size of dynamic-range quantisation", "the converter's settings (optimizations)")
def ratio(answer, **_):
    value = number(answer, "expected_ratio")
    truth = 1 / 4  # int8 (1 byte) weights instead of float32 (4 bytes); metadata adds a little
    if close(value, 4, rel=0.1):
        wrong("that is how many times *smaller* it gets; give the new size as a fraction of the old one.")
    if close(value, 0.5, rel=0.1):
        wrong("half would be float16 weights (2 bytes); Optimize.DEFAULT stores them in 8 bits.")
    if close(value, 1 / 8, rel=0.1):
        wrong("8 bits is one byte, not one bit: a quarter of float32's four bytes.")
    expect(
        truth * 0.8 <= value <= truth * 1.4,
        f"{value:g} is far from it: count the bytes of an int8 weight and a float32 one.",
    )
    return "about a quarter: one byte per weight instead of four, plus the flatbuffer's small metadata."


@exercise("10.3", "the integer-only accelerator", "the section 'Edge devices today'")
def integer_only(answer, **_):
    text = str(answer).lower()
    coral, jetson, phone = "coral" in text or "edge tpu" in text, "jetson" in text, "phone" in text or "npu" in text
    expect(coral or jetson or phone, 'answer with one of "Jetson Orin Nano", "Coral Edge TPU" or "phone NPU".')
    expect(coral + jetson + phone == 1, "give one device only.")
    if phone:
        wrong("Apple's Neural Engine and recent Hexagon NPUs run float16 too: look at the edge table's sources.")
    if jetson:
        wrong("a Jetson's GPU runs float32, float16 and int8 (TensorRT); it is not integer-only.")
    return "the Edge TPU executes only int8 models compiled for it: full-integer conversion is mandatory there."


def _small_model():
    import keras

    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])


def _representative():
    import numpy as np

    rng = np.random.default_rng(0)
    for _ in range(8):
        yield [rng.normal(size=(1, 4)).astype("float32")]


@exercise("10.4", "a converter with an int8 interface", "the section 'The TensorFlow Lite converter, in the open'")
def int8_converter(answer, **_):
    import tensorflow as tf

    converter = call(answer, _small_model(), _representative)
    expect(
        hasattr(converter, "convert") and hasattr(converter, "target_spec"),
        f"return the configured converter itself (tf.lite.TFLiteConverter), got {type(converter).__name__}.",
    )
    expect(
        tf.lite.Optimize.DEFAULT in list(converter.optimizations or []),
        "no quantisation without converter.optimizations = [tf.lite.Optimize.DEFAULT].",
    )
    expect(
        converter.representative_dataset is not None,
        "full integer needs converter.representative_dataset: the converter calibrates the activations with it.",
    )
    ops = set(converter.target_spec.supported_ops or [])
    expect(
        tf.lite.OpsSet.TFLITE_BUILTINS_INT8 in ops and tf.lite.OpsSet.TFLITE_BUILTINS not in ops,
        "set target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]: with float built-ins allowed, an "
        "operation without an integer kernel silently stays in float.",
    )
    for side, dtype in (("input", converter.inference_input_type), ("output", converter.inference_output_type)):
        if dtype == tf.uint8:
            wrong(f"uint8 for the {side} is the legacy scheme; LiteRT's 8-bit specification uses int8.")
        expect(dtype == tf.int8, f"set converter.inference_{side}_type = tf.int8 (it is {dtype}).")
    return "int8 in and out: the accelerator receives integers and no float operation is left in the model."
