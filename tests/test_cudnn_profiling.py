import keras
import pytest
from keras.src.backend.tensorflow.rnn import _do_lstm_arguments_support_cudnn

from course_utils import profiling
from course_utils.cudnn import lstm_cudnn_blockers

CONFIGS = [
    {},
    {"activation": "relu"},
    {"recurrent_activation": "hard_sigmoid"},
    {"unroll": True},
    {"use_bias": False},
    {"dropout": 0.3},
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "default")
def test_blockers_agree_with_keras_own_check(kwargs):
    layer = keras.layers.LSTM(8, **kwargs)
    cell = layer.cell
    keras_says = _do_lstm_arguments_support_cudnn(
        cell.activation, cell.recurrent_activation, layer.unroll, cell.use_bias
    )
    assert (not lstm_cudnn_blockers(layer)) == keras_says


def test_recurrent_dropout_and_use_cudnn_false_block():
    assert "recurrent_dropout" in lstm_cudnn_blockers(keras.layers.LSTM(8, recurrent_dropout=0.1))[0]
    assert lstm_cudnn_blockers(keras.layers.LSTM(8, use_cudnn=False)) == ["use_cudnn=False"]
    assert "reset_after" in lstm_cudnn_blockers(keras.layers.GRU(8, reset_after=False))[0]


def test_profile_and_read_back(tmp_path):
    import tensorflow as tf

    x = tf.random.normal((128, 128))
    f = tf.function(lambda: tf.matmul(x, x))
    f()
    files = profiling.profile(lambda: [f() for _ in range(3)], tmp_path)
    assert files and files[0].suffix == ".pb"
    stats = profiling.op_stats(files)
    assert any("MatMul" in row["kernel"] for row in stats)
    assert profiling.trace_events(files)


def test_time_lstm_cudnn_runs_on_a_cpu_and_proves_nothing_there():
    from course_utils.cudnn import time_lstm_cudnn

    figures = time_lstm_cudnn(batch_size=16, repeats=2, warmup=1)
    assert figures["use_cudnn=auto"] > 0 and figures["use_cudnn=False"] > 0  # timings printed, never compared
    print(figures)
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        assert figures["cudnn_proven"] is False  # use_cudnn=True raises without a GPU: reported, not crashed
