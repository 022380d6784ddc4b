"""How much accelerator memory a model needs, for training and for inference.

Bytes per parameter, as Keras lays them out:

* float32 training: weights 4, gradients 4, Adam's two moments 8 → 16 bytes per parameter;
* mixed precision (``mixed_float16``/``mixed_bfloat16``): Keras keeps the variables, their
  gradients and Adam's moments in float32 (the same 16 bytes per parameter); what shrinks
  is the activations, computed and stored in 16 bits;
* inference: the weights, plus the activations of one layer at a time.

Activations kept for the backward pass: the outputs of every layer, per sample, times the
batch size. Frameworks add workspace (cuDNN, cuBLAS) and allocator slack on top: the
estimate is a floor, typically within 10-30% of what a GPU reports.
"""

from __future__ import annotations

from dataclasses import dataclass

OPTIMIZER_SLOTS = {"adam": 2, "adamw": 2, "sgd": 0, "momentum": 1, "rmsprop": 1}
PRECISIONS = ("float32", "mixed")
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
) -> MemoryEstimate:
    """Bytes for weights, gradients, optimizer state and activations.

    ``activations_per_sample``: numbers stored per sample for the backward pass (the sum of
    every layer's output size); ``peak_activations_per_sample``: the most alive at once at
    inference (a layer's input plus output); defaults to the training figure.
    """
    _validate(params, batch_size, activations_per_sample, precision, optimizer)
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
    return MemoryEstimate(4 * params, 0, 0, act_bytes * peak * batch_size, "inference", precision)


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
