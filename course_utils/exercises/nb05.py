"""Checks of notebook 05 (data pipelines). Each computes its own truth, independently of the notebook."""

from __future__ import annotations

from course_utils.exercises import close, exercise, expect, number, wrong


@exercise("05.1", "input-bound or compute-bound?", "the section 'The model alone, then model and pipeline together'")
def diagnosis(answer, *, model_rate=4000.0, pipeline_rate=1500.0, **_):
    try:
        label, expected_rate = answer
    except (TypeError, ValueError):
        wrong("give a pair: (diagnosis, expected_rate).")
    truth_label = "input-bound" if pipeline_rate < model_rate else "compute-bound"
    expect(label in ("input-bound", "compute-bound"), "diagnosis is 'input-bound' or 'compute-bound'.")
    expect(label == truth_label, "the slower half sets the pace: here the pipeline delivers less than the model eats.")
    rate = number(expected_rate, "expected_rate")
    slower = min(model_rate, pipeline_rate)
    if close(rate, (model_rate + pipeline_rate) / 2, rel=0.05) or close(rate, max(model_rate, pipeline_rate), rel=0.05):
        wrong("training cannot beat its slower half: the model waits for every batch the pipeline has not made.")
    expect(
        0.8 * slower <= rate <= 1.05 * slower,  # at most the slower half; a bit less where the halves share cores
        f"expect about the slower half's rate ({slower:,.0f} images/s), a little less when both share the CPU.",
    )
    return f"{truth_label}, about {slower:,.0f} images/s: speed up the pipeline first; a faster GPU would wait."


def pipeline_stages(dataset) -> list[tuple[str, list]]:
    """The ``tf.data`` ops of ``dataset`` from source to output, each with its constant inputs (as Python values).

    Read from the dataset's own graph (before tf.data's automatic rewrites), so it shows what was *built*.
    """
    import tensorflow as tf

    graph = tf.compat.v1.GraphDef()
    graph.ParseFromString(dataset._as_serialized_graph().numpy())
    nodes = {n.name: n for n in graph.node}
    consts = {}
    for n in graph.node:
        if n.op == "Const" and not n.attr["value"].tensor.tensor_shape.dim:  # scalars: sizes, flags
            try:
                consts[n.name] = tf.make_ndarray(n.attr["value"].tensor).tolist()
            except (KeyError, TypeError, ValueError):  # variant tensors (the source data) are not numbers
                pass
    out = next(n for n in graph.node if n.op == "_Retval").input[0].split(":")[0]
    stages = []
    while out in nodes and nodes[out].op != "Const":
        node = nodes[out]
        inputs = [i.split(":")[0] for i in node.input if not i.startswith("^")]
        stages.append((node.op, [consts[i] for i in inputs if i in consts]))
        parents = [i for i in inputs if i in nodes and "Dataset" in nodes[i].op]
        if not parents:
            break
        out = parents[0]
    return stages[::-1]


@exercise(
    "05.2", "a pipeline with parallel map, cache, batch and prefetch", "the section 'Give each stage its own effect'"
)
def my_pipeline(answer, *, batch_size=None, image_size=None, **_):
    import tensorflow as tf

    expect(
        isinstance(answer, tf.data.Dataset), f"my_pipeline should be a tf.data.Dataset, got {type(answer).__name__}."
    )
    ops = [op for op, _ in pipeline_stages(answer)]
    args = dict(pipeline_stages(answer))
    maps = [op for op in ops if "MapDataset" in op]
    expect(maps, "map the resize function over `base` first: base.map(resize, num_parallel_calls=...).")
    if not any(op.startswith("ParallelMap") for op in maps):
        wrong("your map runs on one thread: pass num_parallel_calls=tf.data.AUTOTUNE to map.")
    expect(any(op.startswith("Cache") for op in ops), "add .cache() so that the resize is computed once.")
    expect(any(op.startswith("Batch") or op == "ParallelBatchDataset" for op in ops), "batch the images: .batch(...).")
    first_map = next(i for i, op in enumerate(ops) if "MapDataset" in op)
    cache = next(i for i, op in enumerate(ops) if op.startswith("Cache"))
    if cache < first_map:
        wrong("cache() comes before the map: it stores the raw images and the resize still runs every epoch.")
    expect(ops[-1] == "PrefetchDataset", "end with .prefetch(tf.data.AUTOTUNE), so that batches are ready in advance.")
    batch_op = next(op for op in ops if op.startswith("Batch") or op == "ParallelBatchDataset")
    if batch_size is not None:
        built = args[batch_op][0] if args.get(batch_op) else None
        expect(built == batch_size, f"batch by batch_size ({batch_size}), not {built}.")
    if image_size is not None:
        shape = tuple(answer.element_spec[0].shape)
        expect(shape[1:3] == (image_size, image_size), f"images should be {image_size}×{image_size}, got {shape}.")
    return "parallel map, cache after the deterministic work, batch, prefetch: each stage added on purpose."


@exercise("05.3", "time saved by prefetch", "the section 'Measure prefetch's overlap'")
def prefetch_saving(answer, *, producer_ms=30.0, consumer_ms=50.0, num_batches=100, **_):
    value = number(answer, "saved_s")
    truth = num_batches * (producer_ms + consumer_ms - max(producer_ms, consumer_ms)) / 1e3
    if close(value, num_batches * consumer_ms / 1e3, rel=0.03):
        wrong("prefetch hides the *shorter* of the two, not the consumer: the step still waits for the longer one.")
    if close(value, num_batches * (producer_ms + consumer_ms) / 1e3, rel=0.03):
        wrong(
            "that is the whole run without prefetch; subtract the run with prefetch, max(producer, consumer) a batch."
        )
    if close(value, truth * 1000, rel=0.03):
        wrong("convert milliseconds to seconds.")
    expect(
        close(value, truth, rel=0.03),
        "without prefetch a batch costs producer + consumer, with it max(producer, consumer).",
    )
    return f"{truth:.1f} s: overlap saves the shorter stage's time, each batch; the longer stage sets the pace."
