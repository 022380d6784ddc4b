"""Convert a Keras model to TensorFlow Lite (LiteRT), quantise it, and run it.

``tf.lite.TFLiteConverter`` still ships with TensorFlow 2.21; the interpreter moved to the
``ai-edge-litert`` package (LiteRT), and ``tf.lite.Interpreter`` is deprecated. This module
uses LiteRT when installed and falls back to ``tf.lite.Interpreter`` otherwise.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np

MODES = ("float32", "dynamic range", "full integer")


class ConversionError(RuntimeError):
    """The converter refused the model; the message names the unsupported operations."""


def unsupported_ops(message: str) -> list[str]:
    """Operation names the converter could not map to TensorFlow Lite built-ins."""
    ops = set(re.findall(r"'tf\.(\w+)' op is neither a custom op nor a flex op", message))
    for line in re.findall(r"(?:Custom|Flex) ops: ([\w, ]+)", message):
        ops.update(op.strip() for op in line.split(","))
    return sorted(ops)


@contextmanager
def _quiet() -> Iterator[list[str]]:
    """Silence the converter's chatter (Python prints and native logs); keep it in the yielded list."""
    captured: list[str] = []
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    with tempfile.TemporaryFile() as tmp, open(os.devnull, "w") as devnull:
        for fd in saved:
            os.dup2(tmp.fileno(), fd)
        old_out, old_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = devnull
        try:
            yield captured
        finally:
            sys.stdout, sys.stderr = old_out, old_err
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            tmp.seek(0)
            captured.extend(tmp.read().decode(errors="replace").splitlines())


def convert(
    model, mode: str = "float32", representative: Callable[[], Iterable[list[np.ndarray]]] | None = None
) -> bytes:
    """A ``.tflite`` flatbuffer of ``model`` in ``mode``: float32, dynamic-range or full-integer (uint8 in and out)."""
    import tensorflow as tf

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}.")
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if mode != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]  # int8 weights
    if mode == "full integer":
        if representative is None:
            raise ValueError("full-integer quantisation needs a representative dataset (a few hundred real inputs).")
        converter.representative_dataset = representative  # calibrates the activations' ranges
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
    try:
        with _quiet(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return converter.convert()
    except Exception as err:  # noqa: BLE001 - ConverterError and friends
        ops = unsupported_ops(str(err))
        what = f"unsupported operation(s): {', '.join(ops)}" if ops else str(err).splitlines()[0][:200]
        raise ConversionError(
            f"TensorFlow Lite cannot convert this model ({what}). Replace the operation with a supported one, or "
            "allow TensorFlow ops (converter.target_spec.supported_ops += [tf.lite.OpsSet.SELECT_TF_OPS]), which "
            "makes the runtime larger."
        ) from err


def interpreter(model_bytes: bytes):
    """A ready interpreter: LiteRT's when installed, else TensorFlow's (deprecated)."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        import tensorflow as tf

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Interpreter = tf.lite.Interpreter  # noqa: N806
    it = Interpreter(model_content=model_bytes)
    it.allocate_tensors()
    return it


def predict(it, x: np.ndarray) -> np.ndarray:
    """Run the interpreter on every sample of ``x`` (float inputs; quantised ones are handled)."""
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    results = []
    for sample in x:
        value = sample[None]
        if inp["dtype"] != np.float32:
            scale, zero = inp["quantization"]
            value = np.clip(np.round(value / scale + zero), 0, 255).astype(inp["dtype"])
        it.set_tensor(inp["index"], value)
        it.invoke()
        result = it.get_tensor(out["index"])[0]
        if out["dtype"] != np.float32:
            scale, zero = out["quantization"]
            result = (result.astype(np.float32) - zero) * scale
        results.append(result)
    return np.stack(results)
