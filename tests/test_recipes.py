"""Notebook 06's recipes (course_utils.lessons.nb06): the models, the schedule, the benchmark's summary."""

import keras
import numpy as np
import pytest

from course_utils import recipes
from course_utils.lessons.nb06 import faster_recipe, keras_io_convnet
from course_utils.recipes import Run


def test_keras_io_convnet_is_keras_io_model():
    # keras.io "Simple MNIST convnet": 320 + 18,496 + 16,010 parameters
    assert keras_io_convnet().count_params() == 34_826


@pytest.mark.parametrize("batch", [32, 128, 256])
def test_faster_recipe_scales_its_peak_by_the_square_root_and_plans_its_steps(batch):
    model = faster_recipe(100, num_epochs=3, batch_size=batch)
    config = model.optimizer._learning_rate.get_config()
    assert config["warmup_target"] == pytest.approx(3e-3 * (batch / 32) ** 0.5)
    assert config["warmup_steps"] + config["decay_steps"] == 300
    assert model.count_params() == 93_322
    assert keras.config.dtype_policy().name == "float32"  # the global policy is left as it was


def test_faster_recipe_mixed_precision_keeps_a_float32_output():
    model = faster_recipe(10, dtype_policy="mixed_bfloat16")
    assert model.layers[0].dtype_policy.name == "mixed_bfloat16"
    assert model.layers[-1].dtype_policy.name == "float32"
    assert keras.config.dtype_policy().name == "float32"


def test_summary_ends_with_the_ratio():
    runs = {
        "keras.io": [Run(10.0), Run(12.0), Run(30.0)],
        "plain": [Run(8.0), Run(None), Run(9.0)],
        "faster": [Run(4.0), Run(5.0), Run(6.0)],
    }
    lines, ratio = recipes.summarise(runs)
    assert len(lines) == 4 and lines[-1] == "faster vs keras.io: 2.40x" and ratio == pytest.approx(2.4)
    assert "2/3 rounds" in lines[1]
    lines, ratio = recipes.summarise({"keras.io": [Run(3.0)], "faster": [Run(None)]})
    assert ratio is None and lines[-1].startswith("faster vs keras.io: n/a")


def test_no_real_data_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_SHARED_DATA", str(tmp_path / "none"))
    with pytest.raises(FileNotFoundError, match="COURSE_SHARED_DATA"):
        recipes.load_split()


def test_faster_recipe_ablation_knobs_change_one_thing_each():
    no_schedule = faster_recipe(100, num_epochs=3, batch_size=128, schedule=False)
    lr = no_schedule.optimizer.learning_rate
    assert float(keras.ops.convert_to_numpy(lr)) == pytest.approx(3e-3 * 2, rel=1e-6)  # the peak, constant
    assert not isinstance(no_schedule.optimizer._learning_rate, keras.optimizers.schedules.LearningRateSchedule)
    assert no_schedule.steps_per_execution == 1
    assert faster_recipe(100, steps_per_execution=10).steps_per_execution == 10
    scheduled = faster_recipe(100, num_epochs=3)
    assert isinstance(scheduled.optimizer._learning_rate, keras.optimizers.schedules.CosineDecay)


def test_every_recipe_trains_on_whole_batches():
    assert all(r.drop_remainder for r in recipes.default_recipes(on_gpu=False))


def test_time_to_accuracy_records_the_first_step_apart():
    from course_utils.training import TimeToAccuracy

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    stopper = TimeToAccuracy(target=2.0)  # never reached: every epoch runs
    model.fit(x, y, batch_size=16, epochs=2, validation_data=(x, y), callbacks=[stopper], verbose=0)
    assert stopper.seconds is None and len(stopper.history) == 2
    assert 0 < stopper.first_step_s < stopper.history[0][0]  # the first step ends before the first epoch
