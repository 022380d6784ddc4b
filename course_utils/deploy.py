"""Plumbing for TensorFlow Lite (LiteRT): run the converter keeping its diagnostics, load and run a model.

The converter's settings are written in notebook 10; this module only runs what the notebook configured.

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
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


class ConversionError(RuntimeError):
    """The converter refused the model; the message names the unsupported operations, ``log`` keeps all it said."""

    def __init__(self, message: str, log: list[str] | None = None):
        super().__init__(message)
        self.log = list(log or [])


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


def run_converter(converter) -> bytes:
    """Run ``converter.convert()`` quietly; on failure raise :class:`ConversionError` that keeps its diagnostics.

    The converter's chatter (Python prints and the native MLIR log) is captured. When the conversion fails,
    the error names the unsupported operations, ends with the last lines of that log, and keeps the whole
    log in ``err.log`` so that nothing the converter said is lost.
    """
    log: list[str] = []
    try:
        with _quiet() as captured, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return converter.convert()
            finally:
                log = captured
    except Exception as err:  # noqa: BLE001 - ConverterError and friends
        full_log = [*log, *str(err).splitlines()]
        ops = unsupported_ops("\n".join(full_log))
        what = f"unsupported operation(s): {', '.join(ops)}" if ops else str(err).splitlines()[0][:200]
        last = "\n".join(f"    | {line[:200]}" for line in [x for x in full_log if x.strip()][-8:])
        raise ConversionError(
            f"TensorFlow Lite cannot convert this model ({what}). Replace the operation with a supported one, or "
            "allow TensorFlow ops (converter.target_spec.supported_ops += [tf.lite.OpsSet.SELECT_TF_OPS]), which "
            f"makes the runtime larger. The converter's last words (all of them in err.log):\n{last}",
            log=full_log,
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
    """Run the interpreter on every sample of ``x``, one at a time (float inputs; integer interfaces are handled)."""
    inp, out = it.get_input_details()[0], it.get_output_details()[0]
    results = []
    for sample in x:
        value = sample[None]
        if inp["dtype"] != np.float32:
            scale, zero = inp["quantization"]
            limits = np.iinfo(inp["dtype"])  # int8 [-128, 127] (the spec's choice) or uint8 [0, 255] (legacy)
            value = np.clip(np.round(value / scale + zero), limits.min, limits.max).astype(inp["dtype"])
        it.set_tensor(inp["index"], value)
        it.invoke()
        result = it.get_tensor(out["index"])[0]
        if out["dtype"] != np.float32:
            scale, zero = out["quantization"]
            result = (result.astype(np.float32) - zero) * scale
        results.append(result)
    return np.stack(results)
