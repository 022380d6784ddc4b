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
    """A tiny model whose every operation has an int8 kernel, with fixed weights (no global seed touched)."""
    import keras
    import numpy as np

    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")]
    )
    rng = np.random.default_rng(10)
    model.set_weights([rng.normal(0, 0.7, w.shape).astype("float32") for w in model.get_weights()])
    return model


def _inputs(count):
    import numpy as np

    return np.random.default_rng(0).normal(size=(count, 4)).astype("float32")


def _representative():
    for sample in _inputs(64):
        yield [sample[None]]


@exercise("10.4", "a converter with an int8 interface", "the section 'The TensorFlow Lite converter, in the open'")
def int8_converter(answer, **_):
    import numpy as np

    from course_utils import deploy

    model = _small_model()
    converter = call(answer, model, _representative)
    expect(
        callable(getattr(converter, "convert", None)),
        f"return the configured converter itself (tf.lite.TFLiteConverter), got {type(converter).__name__}.",
    )
    try:  # convert it, as the lesson does, on a tiny model of the check's own
        flatbuffer = deploy.run_converter(converter)
    except Exception as err:  # noqa: BLE001 - whatever the converter said about the learner's settings is the hint
        said = " ".join(str(getattr(err, "__cause__", None) or err).split())[:300]
        if not list(getattr(converter, "optimizations", None) or []):
            wrong(
                f"no quantisation without converter.optimizations = [tf.lite.Optimize.DEFAULT] (the converter says: {said})."
            )
        if getattr(converter, "representative_dataset", None) is None:
            wrong(
                "full integer needs converter.representative_dataset = representative: the converter calibrates "
                f"the activations with it (the converter says: {said})."
            )
        wrong(f"the converter refused your settings: {said}")
    interpreter = deploy.interpreter(flatbuffer)
    for side, details in (("input", interpreter.get_input_details()), ("output", interpreter.get_output_details())):
        dtype = np.dtype(details[0]["dtype"])
        if dtype == np.uint8:
            wrong(f"uint8 for the {side} is the legacy scheme; LiteRT's 8-bit specification uses int8.")
        expect(
            dtype == np.int8, f"the converted model's {side} is {dtype}: set converter.inference_{side}_type = tf.int8."
        )
    floats = [t["name"] for t in interpreter.get_tensor_details() if np.dtype(t["dtype"]) == np.float32]
    expect(not floats, f"tensors stayed float32 inside the model ({', '.join(floats[:3])}): quantise it fully.")
    x = _inputs(32)
    got = deploy.predict(interpreter, x)  # int8 in, int8 out, with the model's own scales and zero points
    expect(
        np.allclose(got, np.asarray(model(x)), atol=0.05),
        "the int8 model runs, but its predictions are far from the float model's: calibrate with the "
        "representative dataset the function receives.",
    )
    return "int8 in and out, and integers all the way through: what an integer-only accelerator runs."
