"""The accelerator catalogue and the memory calculator."""

import csv
import datetime
from importlib import resources

import keras
import pytest

from course_utils import memory
from course_utils.catalogue import CATALOGUE, COLUMNS, OPTIONAL, REFERENCE_GPUS, CatalogueError, find, parse
from course_utils.lessons.nb06 import tutorial_cnn
from course_utils.lessons.nb07 import tutorial_lstm

CSV_TEXT = resources.files("course_utils.data").joinpath("accelerators.csv").read_text(encoding="utf-8")


def test_the_catalogue_is_a_data_file_with_complete_rows_and_a_source_each():
    rows = list(csv.DictReader(CSV_TEXT.splitlines()))
    assert set(rows[0]) == set(COLUMNS) and len(rows) == len(CATALOGUE) >= 30
    for row in rows:
        for column in ("name", "vendor", "segment", "year", "memory_gb", "bandwidth_gb_per_s", "source_url"):
            assert row[column].strip(), f"{row['name']}: {column} is empty"
        assert row["source_url"].startswith("https://"), row["name"]
        for column in OPTIONAL + ("memory_gb", "bandwidth_gb_per_s"):
            if row[column].strip():
                assert float(row[column]) > 0, f"{row['name']}: {column} must be positive"
        assert any(row[c].strip() for c in OPTIONAL if c != "tdp_w") or "no GPU FLOP/s" in row["note"], (
            f"{row['name']}: no compute figure and no note saying why"
        )


def test_every_row_has_sane_numbers():
    for a in CATALOGUE:
        assert 1 <= a.memory_gb <= 512 and 50 <= a.bandwidth_gbs <= 10_000, a.name
        assert 2017 <= a.year <= datetime.date.today().year, a.name
        if a.tensor_tflops and a.fp32_tflops:
            assert a.tensor_tflops >= a.fp32_tflops, f"{a.name}: tensor figure below FP32"
        if a.fp8_tflops and a.tensor_tflops:
            assert a.tensor_tflops <= a.fp8_tflops <= 2.05 * a.tensor_tflops, f"{a.name}: FP8 is 1-2x dense 16-bit"
        if a.fp4_tflops and a.fp8_tflops:
            assert a.fp8_tflops < a.fp4_tflops <= 3.05 * a.fp8_tflops, (
                f"{a.name}: FP4 is 2-3x FP8 (Blackwell Ultra: 3x)"
            )


def test_late_2026_parts_are_in():
    for name in (
        "B200",
        "B300",
        "GB200",
        "GB300",
        "MI325X",
        "MI355X",
        "RTX PRO 6000",
        "RTX 5090",
        "DGX Spark",
        "Jetson AGX Thor",
        "Apple M5",
        "Gaudi 3",
        "TPU v5e",
        "TPU v6e",
    ):
        assert find(name), name


def test_segments_and_vendors_covered():
    assert {a.vendor for a in CATALOGUE} >= {"NVIDIA", "AMD", "Apple", "Intel", "Google"}
    assert {a.segment for a in CATALOGUE} >= {"data centre", "workstation", "consumer", "edge", "laptop/desktop SoC"}


def test_a_bad_row_is_named():
    header = CSV_TEXT.splitlines()[0]  # the file's own column order
    good = "X1,V,edge,2025,8,100,1,,2,,,10,https://example.com,ok"
    assert parse(f"{header}\n{good}\n")[0].tensor_tflops == 2
    with pytest.raises(CatalogueError, match="line 2 .*missing memory_gb"):
        parse(f"{header}\nX1,V,edge,2025,,100,1,,2,,,10,https://example.com,ok\n")
    with pytest.raises(CatalogueError, match="positive"):
        parse(f"{header}\nX1,V,edge,2025,8,100,-1,,2,,,10,https://example.com,ok\n")
    with pytest.raises(CatalogueError, match="https"):
        parse(f"{header}\nX1,V,edge,2025,8,100,1,,2,,,10,ftp://example.com,ok\n")
    with pytest.raises(CatalogueError, match="duplicate"):
        parse(f"{header}\n{good}\n{good}\n")


def test_peak_per_dtype():
    t4, a100 = REFERENCE_GPUS["T4"], REFERENCE_GPUS["A100 80GB SXM"]
    assert t4.peak_for("float16") == 65 and t4.peak_for("bfloat16") == 8.1, "a T4 has no bfloat16 Tensor Cores"
    assert a100.peak_for("float32") == 156 and a100.peak_for("float32", tf32=False) == 19.5
    with pytest.raises(ValueError, match="unknown dtype"):
        t4.peak_for("int3")


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
    cnn = tutorial_cnn()
    by_formula = (
        memory.conv2d_params(3, 1, 32)
        + memory.conv2d_params(3, 32, 64)
        + memory.conv2d_params(3, 64, 64)
        + memory.dense_params(3 * 3 * 64, 64)
        + memory.dense_params(64, 10)
    )
    assert by_formula == cnn.count_params() == memory.estimate_model(cnn).weights // 4
    lstm = tutorial_lstm()
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


def test_inference_weights_and_kv_cache():
    assert memory.estimate(1000, training=False, weight_dtype="bfloat16").weights == 2000
    assert memory.estimate(1000, training=False, weight_dtype="int8").weights == 1000
    with pytest.raises(ValueError, match="weight_dtype"):
        memory.estimate(1000, training=False, weight_dtype="float12")
    with pytest.raises(ValueError, match="only for inference"):
        memory.estimate(1000, weight_dtype="int8")
    # Llama 3.1 8B (32 layers, 8 KV heads of 128) at 8,192 tokens in bfloat16: 1 GiB, a figure often quoted
    assert memory.kv_cache_bytes(32, 8, 128, 8192) == 2**30
    with pytest.raises(ValueError, match="context_len"):
        memory.kv_cache_bytes(32, 8, 128, 0)


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
