"""One worker of a MultiWorkerMirroredStrategy run (notebook 09 writes this file; its launcher starts the workers)."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--out", type=Path, required=True)  # where to write worker<i>.json
parser.add_argument("--steps", type=int, default=50)
parser.add_argument("--per-worker-batch", type=int, default=32)
parser.add_argument("--max-train", type=int, default=10000)
parser.add_argument("--fit", action="store_true")  # try model.fit instead of the custom loop
parser.add_argument("--crash", action="store_true")  # drill: fail at start-up
parser.add_argument("--hang", action="store_true")  # drill: never finish
args = parser.parse_args()
index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]  # this worker's place in the cluster
if args.crash:
    sys.exit(f"worker {index}: simulated crash (--crash)")
if args.hang:
    time.sleep(3600)

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_utils import datasets, models  # noqa: E402

strategy = tf.distribute.MultiWorkerMirroredStrategy()  # reads TF_CONFIG, connects to the other workers
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
result = {"worker": index, "replicas": strategy.num_replicas_in_sync, "global_batch": global_batch}

if args.fit:  # model.fit under this strategy: record what happens, success or error
    try:
        with strategy.scope():
            model.compile(optimizer, "sparse_categorical_crossentropy")
        history = model.fit(dataset, steps_per_epoch=5, epochs=1, verbose=0)
        result["fit"] = {"ok": True, "losses": [float(v) for v in history.history["loss"]]}
    except Exception as err:  # noqa: BLE001 - any failure is the result
        result["fit"] = {"ok": False, "error": f"{type(err).__name__}: {str(err).splitlines()[0][:300]}"}
else:
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
    predictions = model.predict(models.prepare_digits(data.x_test), verbose=0).argmax(axis=1)
    result |= {
        "losses": losses,
        "seconds": time.perf_counter() - start,
        "test_accuracy": float(np.mean(predictions == data.y_test)),
        "data": data.name,
        "weights_checksum": float(sum(float(np.sum(w)) for w in model.get_weights())),
    }

args.out.mkdir(parents=True, exist_ok=True)
(args.out / f"worker{index}.json").write_text(json.dumps(result))
