"""Checks of notebook 09 (multi-GPU and distributed training). Each computes its own truth."""

from __future__ import annotations

import math

from course_utils.exercises import call, close, exercise, expect, number, parts, wrong

# The tutorial CNN's parameters, counted from its layers: (kernel inputs + 1 bias) × filters/units.
CNN_PARAMS = (
    (3 * 3 * 1 + 1) * 32  # Conv2D 32
    + (3 * 3 * 32 + 1) * 64  # Conv2D 64
    + (3 * 3 * 64 + 1) * 64  # Conv2D 64
    + (3 * 3 * 64 + 1) * 64  # Dense 64 on the flattened 3×3×64 map
    + (64 + 1) * 10  # Dense 10
)


@exercise("09.1", "global batch and learning rate on 4 GPUs", "the section 'MirroredStrategy: one process'")
def global_batch(answer, **_):
    batch, lr = parts(answer, ("my_global_batch", "my_learning_rate"))
    batch, lr = number(batch, "my_global_batch"), number(lr, "my_learning_rate")
    if batch == 64:
        wrong("64 is each replica's share: the global batch is per-replica batch × number of replicas.")
    expect(batch == 4 * 64, "global batch = per-replica batch × replicas.")
    if close(lr, 4e-3, rel=1e-3):
        wrong("×4 is the linear rule (SGD's); the square-root rule multiplies by √4 = 2.")
    expect(close(lr, 1e-3 * math.sqrt(4), rel=1e-3), "square-root rule: multiply 1e-3 by √(replicas).")
    return "256 images per step at 2e-3: the global batch grows with the replicas, and the learning rate with it."


@exercise("09.2", "one ring all-reduce, latency and bandwidth", "the section 'the all-reduce cost model' (α-β)")
def allreduce_time(answer, **_):
    value = number(answer, "allreduce_s")
    workers, alpha, beta = 8, 20e-6, 1.25e9
    payload = CNN_PARAMS * 4
    latency = 2 * (workers - 1) * alpha
    bandwidth = 2 * (workers - 1) / workers * payload / beta
    truth = latency + bandwidth
    if close(value, truth * 1e3, rel=0.03):
        wrong("that is in milliseconds: give seconds.")
    if close(value, bandwidth, rel=0.03):
        wrong("you left out the latency term: each of the 2(N−1) messages pays α = 20 µs, a third of the time here.")
    if close(value, latency + payload / beta, rel=0.03) or close(value, latency + bandwidth / 2, rel=0.03):
        wrong("a ring all-reduce sends 2(N−1)/N × the gradient bytes per worker (reduce-scatter, then all-gather).")
    if close(value, latency + bandwidth / 8, rel=0.03):
        wrong("1.25 GB/s is already in bytes (10 Gb/s ÷ 8): do not divide by 8 again.")
    expect(close(value, truth, rel=0.03), f"t = 2(N−1)·α + 2(N−1)/N · bytes/β with {CNN_PARAMS:,} float32 gradients.")
    return f"{truth * 1e3:.2f} ms, a third of it latency: small models are latency-bound, large ones bandwidth-bound."


def _problem():
    """A small real model and batch, and its large-batch gradients, computed here with one tape."""
    import keras
    import numpy as np
    import tensorflow as tf

    keras.utils.set_random_seed(9)
    model = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(5, activation="tanh"), keras.layers.Dense(3, activation="softmax")]
    )
    rng = np.random.default_rng(9)
    images = rng.normal(size=(10, 6)).astype("float32")
    labels = rng.integers(0, 3, size=10).astype("int32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(labels, model(images)))
    return model, images, labels, [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]


def _equal_weights(model, images, labels, size):
    """The classic mistake, computed here: every micro-batch's mean weighted the same."""
    import keras
    import tensorflow as tf

    slices = list(range(0, len(images), size))
    total = None
    for begin in slices:
        with tf.GradientTape() as tape:
            per = keras.losses.sparse_categorical_crossentropy(
                labels[begin : begin + size], model(images[begin : begin + size])
            )
            loss = tf.reduce_mean(per) / len(slices)
        grads = [g.numpy() for g in tape.gradient(loss, model.trainable_variables)]
        total = grads if total is None else [t + g for t, g in zip(total, grads)]
    return total


@exercise("09.3", "gradient accumulation with unequal micro-batches", "the section 'Gradient accumulation'")
def accumulate(answer, **_):
    import numpy as np

    model, images, labels, truth = _problem()
    result = call(answer, model, images, labels, 4)  # slices of 4, 4 and 2
    try:
        grads = [np.asarray(g) for g in result]
    except TypeError:
        wrong("return a list of gradients, one per trainable variable (as tape.gradient gives).")
    expect(len(grads) == len(truth), f"return one gradient per trainable variable ({len(truth)}), got {len(grads)}.")
    expect(all(g.shape == t.shape for g, t in zip(grads, truth)), "each gradient has its variable's shape.")

    def same(a, b):
        return all(np.allclose(x, y, rtol=1e-4, atol=1e-6) for x, y in zip(a, b))

    if same(grads, truth):
        return "each slice counts by its share: the update is the large batch's, whatever the split."
    if same(grads, [s * 3 for s in _equal_weights(model, images, labels, 4)]):
        wrong("the gradients are too large: you summed the micro-batches' means without scaling them.")
    if same(grads, _equal_weights(model, images, labels, 4)):
        wrong(
            "dividing every micro-batch by their number weights the short last slice like a full one: weight each "
            "slice's mean by len(slice) / len(batch)."
        )
    wrong(
        "the accumulated gradients differ from the large batch's: sum each slice's gradients, each scaled by its "
        "share of the batch."
    )


ZERO_PARAMS, ZERO_GPUS = 7e9, 8


def _zero_bytes(stage: int, weights: float, grads: float, state: float) -> float:
    """Bytes per parameter on each GPU: stage 1 shards the optimizer state, 2 the gradients too, 3 the weights too."""
    gpus = ZERO_GPUS
    return (
        (weights / gpus if stage >= 3 else weights)
        + (grads / gpus if stage >= 2 else grads)
        + (state / gpus if stage >= 1 else state)
    )


@exercise("09.4", "memory per GPU under ZeRO stage 2", "the ZeRO paragraph and picture")
def zero2(answer, **_):
    value = number(answer, "zero2_gb")
    mixed = {stage: ZERO_PARAMS * _zero_bytes(stage, 2, 2, 12) / 1e9 for stage in range(4)}  # ZeRO's accounting
    keras_fp32 = {stage: ZERO_PARAMS * _zero_bytes(stage, 4, 4, 8) / 1e9 for stage in range(4)}  # notebook 04's

    def near(gb):  # in GB, or in GiB: both defensible
        return close(value, gb, rel=0.03) or close(value, gb * 1e9 / 2**30, rel=0.03)

    if near(mixed[2]):
        return f"{mixed[2]:.2f} GB instead of {mixed[0]:.0f}: sharding gradients and optimizer state fits 7 B on 32 GB cards."
    if close(value, mixed[2] * 1e9, rel=0.03):
        wrong("that is in bytes: give GB (divide by 1e9).")
    if close(value, _zero_bytes(2, 2, 2, 12), rel=0.03):
        wrong("that is bytes per parameter: multiply by the 7e9 parameters and divide by 1e9 for GB.")
    if near(mixed[0]):
        wrong("that is the unsharded 16 bytes per parameter: stage 2 splits gradients and optimizer state over 8 GPUs.")
    if near(mixed[3]):
        wrong("that is stage 3, which also shards the weights: stage 2 keeps a full 16-bit copy on every GPU.")
    if near(keras_fp32[2]):  # 38.5 GB: also stage 1 in mixed precision, by coincidence
        wrong(
            "38.5 GB is stage 2 with notebook 04's float32 accounting (4 + (4 + 8)/8 bytes), and also stage 1 in "
            "mixed precision (2 + 2 + 12/8). In mixed precision, ZeRO counts 2 bytes of 16-bit weights, 2 of 16-bit "
            "gradients and 12 of float32 optimizer state (master weights and Adam's two moments); stage 2 keeps the "
            "weights whole and divides the other 14 bytes by 8."
        )
    if near(keras_fp32[1]):
        wrong(
            "that is stage 1 with notebook 04's float32 bytes (4 + 4 + 8/8). In mixed precision, ZeRO counts 2 + 2 + "
            "12 bytes per parameter, and stage 2 shards the gradients too: 2 + (2 + 12)/8."
        )
    wrong("per parameter: 2 bytes of weights stay whole; 2 of gradients and 12 of optimizer state are divided by 8.")
