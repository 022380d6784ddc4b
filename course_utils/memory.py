"""How much accelerator memory a model needs, for training and for inference.

Bytes per parameter, as Keras lays them out:

* float32 training: weights 4, gradients 4, Adam's two moments 8 → 16 bytes per parameter;
* mixed precision (``mixed_float16``/``mixed_bfloat16``): Keras keeps the variables, their
  gradients and Adam's moments in float32 (the same 16 bytes per parameter); what shrinks
  is the activations, computed and stored in 16 bits;
* inference: the weights (4 bytes in float32, 2 in float16/bfloat16, 1 in int8/float8, 0.5 in
  4-bit formats), plus the activations of one layer at a time; a text generator also keeps the
  **KV cache** (:func:`kv_cache_bytes`): the keys and values of every earlier token, per layer.

Activations kept for the backward pass: the outputs of every layer, per sample, times the
batch size. Frameworks add workspace (cuDNN, cuBLAS) and allocator slack on top: the
estimate is a floor, typically within 10-30% of what a GPU reports.
"""

from __future__ import annotations

from dataclasses import dataclass

OPTIMIZER_SLOTS = {"adam": 2, "adamw": 2, "sgd": 0, "momentum": 1, "rmsprop": 1}
PRECISIONS = ("float32", "mixed")
WEIGHT_BYTES = {"float32": 4.0, "float16": 2.0, "bfloat16": 2.0, "int8": 1.0, "float8": 1.0, "int4": 0.5, "float4": 0.5}
MAX_PARAMS = 10**13  # 10 trillion: beyond any model anyone trains on one device
MAX_BATCH = 10**7


@dataclass(frozen=True)
class MemoryEstimate:
    weights: int
    gradients: int
    optimizer: int
    activations: int
    mode: str
    precision: str

    @property
    def total(self) -> int:
        return self.weights + self.gradients + self.optimizer + self.activations

    def table(self) -> str:
        rows = [(k, getattr(self, k)) for k in ("weights", "gradients", "optimizer", "activations")]
        lines = [f"{self.mode}, {self.precision}:"]
        lines += [f"  {name:<12}{_gib(value):>10}" for name, value in rows]
        lines.append(f"  {'total':<12}{_gib(self.total):>10}")
        return "\n".join(lines)


def _gib(n: int) -> str:
    return f"{n / 2**30:,.2f} GiB"


def _validate(params: int, batch_size: int, activations_per_sample: int, precision: str, optimizer: str) -> None:
    if not isinstance(params, int) or isinstance(params, bool) or not 0 < params <= MAX_PARAMS:
        raise ValueError(f"parameter count must be a whole number between 1 and {MAX_PARAMS:.0e}; got {params!r}.")
    if not isinstance(batch_size, int) or not 0 < batch_size <= MAX_BATCH:
        raise ValueError(f"batch size must be a whole number between 1 and {MAX_BATCH:,}; got {batch_size!r}.")
    if activations_per_sample < 0:
        raise ValueError(f"activations per sample cannot be negative; got {activations_per_sample!r}.")
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}; got {precision!r}.")
    if optimizer not in OPTIMIZER_SLOTS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZER_SLOTS)}; got {optimizer!r}.")


def estimate(
    params: int,
    *,
    batch_size: int = 1,
    activations_per_sample: int = 0,
    precision: str = "float32",
    optimizer: str = "adam",
    training: bool = True,
    peak_activations_per_sample: int | None = None,
    weight_dtype: str = "float32",
) -> MemoryEstimate:
    """Bytes for weights, gradients, optimizer state and activations.

    ``activations_per_sample``: numbers stored per sample for the backward pass (the sum of
    every layer's output size); ``peak_activations_per_sample``: the most alive at once at
    inference (a layer's input plus output); defaults to the training figure. ``weight_dtype``
    (inference only): how the weights are stored, a key of :data:`WEIGHT_BYTES`.
    """
    _validate(params, batch_size, activations_per_sample, precision, optimizer)
    if weight_dtype not in WEIGHT_BYTES:
        raise ValueError(f"weight_dtype must be one of {sorted(WEIGHT_BYTES)}; got {weight_dtype!r}.")
    if training and weight_dtype != "float32":
        raise ValueError(
            "Keras trains float32 variables (also under mixed precision): use weight_dtype only for inference."
        )
    act_bytes = 2 if precision == "mixed" else 4
    if training:
        return MemoryEstimate(
            weights=4 * params,
            gradients=4 * params,
            optimizer=4 * OPTIMIZER_SLOTS[optimizer] * params,
            activations=act_bytes * activations_per_sample * batch_size,
            mode="training",
            precision=precision,
        )
    peak = activations_per_sample if peak_activations_per_sample is None else peak_activations_per_sample
    weights = int(WEIGHT_BYTES[weight_dtype] * params)
    return MemoryEstimate(weights, 0, 0, act_bytes * peak * batch_size, "inference", precision)


def kv_cache_bytes(
    num_layers: int, num_kv_heads: int, head_dim: int, context_len: int, batch_size: int = 1, bytes_per_value: float = 2
) -> int:
    """Bytes of a transformer's KV cache: a key and a value vector per layer, KV head and token.

    ``2 × layers × kv_heads × head_dim × context × batch × bytes`` (2 bytes in float16/bfloat16).
    Models with grouped-query attention have fewer KV heads than query heads: use the KV count.
    """
    for name, value in (
        ("num_layers", num_layers),
        ("num_kv_heads", num_kv_heads),
        ("head_dim", head_dim),
        ("context_len", context_len),
        ("batch_size", batch_size),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}.")
    if not bytes_per_value > 0:
        raise ValueError(f"bytes_per_value must be positive; got {bytes_per_value!r}.")
    return int(2 * num_layers * num_kv_heads * head_dim * context_len * batch_size * bytes_per_value)


def _size(shape) -> int:
    n = 1
    for d in shape[1:]:
        n *= int(d)
    return n


def activation_elements(model) -> tuple[int, int]:
    """Per sample: (sum of every layer's output size, largest input+output of one layer)."""
    total, peak = 0, 0
    for layer in model.layers:
        out = _size(layer.output.shape)
        inputs = getattr(layer, "input", None)
        inputs = inputs if isinstance(inputs, list) else [inputs]
        inp = sum(_size(t.shape) for t in inputs if t is not None)
        total += out
        peak = max(peak, inp + out)
    return total, peak


def estimate_model(model, batch_size: int = 1, **kwargs) -> MemoryEstimate:
    """:func:`estimate` for a built Keras model: parameters and activations read from it."""
    total, peak = activation_elements(model)
    return estimate(
        int(model.count_params()),
        batch_size=batch_size,
        activations_per_sample=total,
        peak_activations_per_sample=peak,
        **kwargs,
    )


# Parameter counts from a layer's description, independent of Keras (to check against it).
def conv2d_params(kernel: int, c_in: int, c_out: int, bias: bool = True) -> int:
    return kernel * kernel * c_in * c_out + (c_out if bias else 0)


def dense_params(n_in: int, n_out: int, bias: bool = True) -> int:
    return n_in * n_out + (n_out if bias else 0)


def embedding_params(vocab: int, dim: int) -> int:
    return vocab * dim


def lstm_params(n_in: int, units: int) -> int:
    """Four gates, each with input weights, recurrent weights and a bias."""
    return 4 * (units * (n_in + units) + units)
