"""The accelerator catalogue and the memory calculator."""

import keras
import pytest

from course_utils import memory, models
from course_utils.catalogue import CATALOGUE, REFERENCE_GPUS, find


def test_every_row_has_a_source_and_sane_numbers():
    for a in CATALOGUE:
        assert a.source.startswith("https://"), a.name
        assert 1 <= a.memory_gb <= 512 and 50 <= a.bandwidth_gbs <= 10_000, a.name
        if a.tensor_tflops and a.fp32_tflops:
            assert a.tensor_tflops >= a.fp32_tflops, f"{a.name}: tensor figure below FP32"
        if a.fp8_tflops:
            assert a.fp8_tflops == pytest.approx(2 * a.tensor_tflops, rel=0.05), (
                f"{a.name}: FP8 should be 2x dense 16-bit"
            )


def test_segments_and_vendors_covered():
    assert {a.vendor for a in CATALOGUE} >= {"NVIDIA", "AMD", "Apple"}
    assert {a.segment for a in CATALOGUE} >= {"data centre", "workstation", "consumer", "edge", "laptop/desktop SoC"}


def test_course_plan_reference_figures():
    t4, h100 = REFERENCE_GPUS["T4"], REFERENCE_GPUS["H100 SXM"]
    assert (t4.fp32_tflops, t4.tensor_tflops, t4.bandwidth_gbs, t4.tdp_w) == (8.1, 65, 320, 70)
    assert (h100.fp32_tflops, h100.tf32_tflops, h100.tensor_tflops, h100.bandwidth_gbs) == (67, 495, 989, 3350)
    assert h100.ridge_flop_per_byte == pytest.approx(989e12 / 3350e9)


def test_find():
    assert find("t4").name == "T4"
    with pytest.raises(KeyError, match="several"):
        find("H100")
    with pytest.raises(KeyError, match="no accelerators"):
        find("Voodoo")


def test_parameter_formulas_match_keras_exactly():
    cnn = models.tutorial_cnn()
    by_formula = (
        memory.conv2d_params(3, 1, 32)
        + memory.conv2d_params(3, 32, 64)
        + memory.conv2d_params(3, 64, 64)
        + memory.dense_params(3 * 3 * 64, 64)
        + memory.dense_params(64, 10)
    )
    assert by_formula == cnn.count_params() == memory.estimate_model(cnn).weights // 4
    lstm = models.tutorial_lstm()
    assert (
        memory.embedding_params(1000, 128) + memory.lstm_params(128, 128) + memory.dense_params(128, 1000)
        == lstm.count_params()
    )


VGG16_CONVS = (
    [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 256)] + [(256, 512)] + [(512, 512)] * 5
)


@pytest.fixture(scope="module")
def vgg16():
    return keras.applications.VGG16(weights=None, include_top=True)


def test_vgg16_parameters(vgg16):
    convs = sum(memory.conv2d_params(3, i, o) for i, o in VGG16_CONVS)
    dense = memory.dense_params(7 * 7 * 512, 4096) + memory.dense_params(4096, 4096) + memory.dense_params(4096, 1000)
    assert convs + dense == vgg16.count_params() == 138_357_544
    assert memory.dense_params(7 * 7 * 512, 4096) / vgg16.count_params() > 0.7, (
        "most weights sit in the first dense layer"
    )


def test_vgg16_activations_against_an_independent_count(vgg16):
    """The calculator reads output shapes from Keras; here they are written from VGG16's paper (224×224)."""
    sizes = [(224, 3)] + [(224, 64)] * 2 + [(112, 64)] + [(112, 128)] * 2 + [(56, 128)]
    sizes += [(56, 256)] * 3 + [(28, 256)] + [(28, 512)] * 3 + [(14, 512)] + [(14, 512)] * 3 + [(7, 512)]
    independent = sum(side * side * ch for side, ch in sizes) + 7 * 7 * 512 + 4096 + 4096 + 1000
    total, peak = memory.activation_elements(vgg16)
    assert abs(total - independent) / independent < 0.25
    assert peak == 2 * 224 * 224 * 64  # the second conv: its input and output, both 224×224×64


def test_estimates():
    e = memory.estimate(1_000_000, batch_size=32, activations_per_sample=1000)
    assert (e.weights, e.gradients, e.optimizer, e.activations) == (4_000_000, 4_000_000, 8_000_000, 128_000)
    m = memory.estimate(1_000_000, batch_size=32, activations_per_sample=1000, precision="mixed")
    assert m.activations == e.activations // 2 and m.weights == e.weights
    i = memory.estimate(
        1_000_000, batch_size=32, activations_per_sample=1000, training=False, peak_activations_per_sample=10
    )
    assert (i.gradients, i.optimizer, i.activations) == (0, 0, 32 * 10 * 4)
    assert "total" in e.table()


def test_seven_billion_parameters_do_not_fine_tune_on_24_gb():
    e = memory.estimate(7_000_000_000, precision="mixed")
    assert e.total / 1e9 == pytest.approx(112, rel=0.01) and e.total > 24e9


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"params": -5}, "parameter count"),
        ({"params": 10**15}, "parameter count"),
        ({"params": 2.5}, "parameter count"),
        ({"params": 100, "batch_size": 0}, "batch size"),
        ({"params": 100, "precision": "float16"}, "precision"),
        ({"params": 100, "optimizer": "lion"}, "optimizer"),
    ],
)
def test_bad_input_gets_a_clear_message(kwargs, message):
    params = kwargs.pop("params")
    with pytest.raises(ValueError, match=message):
        memory.estimate(params, **kwargs)
