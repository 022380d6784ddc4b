"""One worker of a two-process ``MultiWorkerMirroredStrategy`` run, with a custom training loop.

Started by :func:`course_utils.distributed.launch_workers` (notebook 09), each in its own
process with its own ``TF_CONFIG``::

    TF_CONFIG='{"cluster": {"worker": ["127.0.0.1:PORT0", "127.0.0.1:PORT1"]},
                "task": {"type": "worker", "index": 0}}' python -m course_utils.multiworker --out DIR

``model.fit`` does not work under this strategy with Keras 3 today ("Attempt to convert a
value (PerReplica...)": keras-team/keras#20585, tensorflow/tensorflow#72388); ``--fit`` tries it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="folder for worker<i>.json")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--per-worker-batch", type=int, default=32)
    parser.add_argument("--max-train", type=int, default=10000)
    parser.add_argument("--fit", action="store_true", help="use model.fit instead of the custom loop")
    parser.add_argument("--crash", action="store_true", help="exit with an error before training (a failure drill)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    if args.crash:
        print(f"worker {index}: simulated crash (--crash)", file=sys.stderr)
        return 17

    import keras
    import numpy as np
    import tensorflow as tf

    from course_utils import datasets, models

    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # reads TF_CONFIG, connects to the other worker
    data = datasets.load_mnist()
    x = models.prepare_digits(data.x_train[: args.max_train])
    y = data.y_train[: args.max_train].astype("int32")
    global_batch = args.per_worker_batch * strategy.num_replicas_in_sync
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=0).repeat().batch(global_batch)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA  # split each batch
    dataset = dataset.with_options(options)

    with strategy.scope():  # variables created here are mirrored on every worker
        model = models.tutorial_cnn()
        optimizer = keras.optimizers.Adam(1e-3)

    if args.fit:
        with strategy.scope():
            model.compile(optimizer, "sparse_categorical_crossentropy")
        model.fit(dataset, steps_per_epoch=5, epochs=1, verbose=0)
        return 0

    distributed = iter(strategy.experimental_distribute_dataset(dataset))

    @tf.function
    def train_step(iterator):
        def step_fn(inputs):  # runs on each replica with its share of the global batch
            images, labels = inputs
            with tf.GradientTape() as tape:
                probs = model(images, training=True)
                per_example = keras.losses.sparse_categorical_crossentropy(labels, probs)
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))  # all-reduces the gradients
            return loss

        per_replica = strategy.run(step_fn, args=(next(iterator),))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    losses, start = [], time.perf_counter()
    for _ in range(args.steps):
        losses.append(float(train_step(distributed)))
    seconds = time.perf_counter() - start
    predictions = model.predict(models.prepare_digits(data.x_test), verbose=0).argmax(axis=1)
    result = {
        "worker": index,
        "replicas": strategy.num_replicas_in_sync,
        "global_batch": global_batch,
        "losses": losses,
        "seconds": seconds,
        "test_accuracy": float(np.mean(predictions == data.y_test)),
        "data": data.name,
        "weights_checksum": float(sum(float(np.sum(w)) for w in model.get_weights())),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"worker{index}.json").write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
