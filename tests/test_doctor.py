"""The GPU doctor on fake machines: CPU only, a T4, an A100, an H100, and broken set-ups."""

import pytest

from course_utils.doctor import Facts, GpuInfo, diagnose, parse_nvidia_smi_csv
from course_utils.env import MINIMUM_VERSIONS, below_floor

T4 = GpuInfo("Tesla T4", (7, 5), 15360, 15000)
A100 = GpuInfo("NVIDIA A100-SXM4-80GB", (8, 0), 81920, 80000)
H100 = GpuInfo("NVIDIA H100 80GB HBM3", (9, 0), 81559, 80000)
RTX_5090 = GpuInfo("NVIDIA GeForce RTX 5090", (12, 0), 32607, 32000)
RTX_PRO_6000 = GpuInfo("NVIDIA RTX PRO 6000 Blackwell Server Edition", (12, 0), 97887, 97000)


def cuda_facts(*gpus, platform="colab"):
    return Facts(platform, "2.21.0", True, "12.5.1", "9", list(gpus), list(gpus), "550.54")


def test_cpu_only_local():
    report = diagnose(Facts("local", "2.21.0", cpu="Xeon"))
    text = report.text()
    assert "none (CPU-only build" in text and "No GPU is visible" in text
    assert "'cpu' mode" in text and not report.problems


def test_cpu_only_colab_says_how_to_switch_gpu_on():
    text = diagnose(Facts("colab", "2.21.0")).text()
    assert "Runtime > Change runtime type" in text


def test_t4_has_fp16_tensor_cores_only():
    assert (T4.tensor_cores, T4.tf32, T4.fp8) == (True, False, False)
    text = diagnose(cuda_facts(T4)).text()
    assert "compute capability 7.5" in text and "mixed_float16" in text and "CUDA 12.5.1, cuDNN 9" in text


def test_a100_has_tf32_and_bf16_not_fp8():
    assert (A100.tensor_cores, A100.tf32, A100.fp8) == (True, True, False)
    assert "mixed_bfloat16" in diagnose(cuda_facts(A100)).text()


def test_h100_has_fp8():
    assert H100.fp8
    report = diagnose(cuda_facts(H100))
    assert "FP8 yes" in report.text() and not report.problems


def test_old_gpu_is_too_old_for_tensorflow():
    k80 = GpuInfo("Tesla K80", (3, 7), 11441, 11000)
    assert "too old for TensorFlow" in diagnose(cuda_facts(k80)).text()


def test_gpu_seen_by_smi_but_not_tensorflow_is_a_cuda_mismatch():
    facts = cuda_facts(T4)
    facts.tf_gpus = []
    report = diagnose(facts)
    assert len(report.problems) == 1 and "CUDA/cuDNN mismatch" in report.text()


def test_gpu_with_cpu_only_build():
    facts = Facts("local", "2.21.0", False, smi_gpus=[T4])
    assert "CPU-only build" in diagnose(facts).problems[0].message


def test_low_free_memory_warns():
    busy = GpuInfo("Tesla T4", (7, 5), 15360, 300)
    assert "Only 300 MiB" in diagnose(cuda_facts(busy)).text()


def test_missing_and_old_tensorflow():
    assert "not installed" in diagnose(Facts()).problems[0].message
    assert "too old" in diagnose(Facts(tf_version="2.12.0")).problems[0].message
    assert "Change runtime type" in diagnose(Facts("colab", "2.12.0")).problems[0].fix


def test_the_doctor_and_the_setup_agree_on_the_floor():
    """One version comparison: a release candidate of the floor (2.20.0rc0 for 2.20.0) is below it for both."""
    floor = MINIMUM_VERSIONS["tensorflow"]
    major, minor, _ = (int(n) for n in floor.split("."))
    older = [f"{floor}rc0", f"{floor}.dev20250101", f"{major}.{minor - 1}.9", "2.12.0", "junk"]
    newer = [floor, f"{floor}.post1", f"{major}.{minor}.1", f"{major}.{minor + 1}.0rc1", f"{major + 1}.0.0"]
    for version in older + newer:
        doctor = any("too old" in p.message for p in diagnose(Facts(tf_version=version)).problems)
        setup = bool(below_floor({"tensorflow": version, "keras": MINIMUM_VERSIONS["keras"]}))
        assert doctor == setup == (version in older), version


def test_parse_nvidia_smi_csv():
    gpus, driver = parse_nvidia_smi_csv("Tesla T4, 7.5, 15360, 15101, 550.54.15\nNVIDIA H100, 9.0, 81559, [N/A], 560\n")
    assert gpus[0] == GpuInfo("Tesla T4", (7, 5), 15360.0, 15101.0)
    assert gpus[1].memory_free_mb is None and driver == "560"


def test_explain_policy():
    from course_utils.devices import explain_policy, recommended_policy

    assert "emulated" in explain_policy("mixed_float16", None, cpu_bf16=True)
    assert "no bfloat16 hardware" in explain_policy("mixed_bfloat16", None, cpu_bf16=False)
    assert explain_policy("mixed_bfloat16", None, cpu_bf16=True) is None
    assert "mixed_float16" in explain_policy("mixed_bfloat16", (7, 5), cpu_bf16=False)
    assert "no Tensor Cores" in explain_policy("mixed_float16", (6, 1), cpu_bf16=False)
    assert "not a Keras" in explain_policy("float8", (9, 0), cpu_bf16=False)
    for cc, bf16 in (((7, 5), False), ((8, 0), False), ((9, 0), False), (None, True), (None, False)):
        assert explain_policy(recommended_policy(cc, bf16)[0], cc, bf16) is None


def test_gtx_16xx_has_no_tensor_cores_despite_compute_capability_7_5():
    gtx = GpuInfo("NVIDIA GeForce GTX 1660 SUPER", (7, 5), 6144, 6000)
    assert not gtx.tensor_cores and T4.tensor_cores
    assert "GTX 16xx" in diagnose(cuda_facts(gtx, platform="local")).text()
    from course_utils.devices import recommended_policy

    assert recommended_policy((7, 5), False, gtx.name)[0] == "float32"
    assert recommended_policy((7, 5), False, T4.name)[0] == "mixed_float16"


@pytest.mark.parametrize(
    ("name", "cc", "expected"),
    [
        ("Tesla T4", (7, 5), True),
        ("NVIDIA T1000 8GB", (7, 5), False),  # TU117
        ("NVIDIA GeForce MX450", (7, 5), False),  # TU117
        ("NVIDIA GeForce GTX 1650", (7, 5), False),
        ("NVIDIA GeForce RTX 2060", (7, 5), True),
        ("Tesla V100-SXM2-16GB", (7, 0), True),
        ("Tesla P100-PCIE-16GB", (6, 0), False),
        ("NVIDIA H100 80GB HBM3", (9, 0), True),
    ],
)
def test_tensor_cores_by_compute_capability_and_turing_part(name, cc, expected):
    from course_utils.devices import explain_policy, has_tensor_cores

    assert has_tensor_cores(cc, name) is expected
    assert GpuInfo(name, cc, 8192, 8000).tensor_cores is expected
    if cc >= (7, 0) and not expected:  # the policy helpers say why mixed precision buys no time there
        assert "no Tensor Cores" in explain_policy("mixed_float16", cc, False, name)


def test_gpus_older_than_pascal_are_reported_unusable_by_tensorflow():
    for gpu in (GpuInfo("Tesla K80", (3, 7), 11441, 11000), GpuInfo("GeForce GTX 980", (5, 2), 4096, 4000)):
        report = diagnose(cuda_facts(gpu, platform="local"))
        assert not gpu.usable_by_tensorflow
        assert len(report.problems) == 1 and "cannot use this GPU" in report.problems[0].message


def test_pascal_and_volta_warned_about_cuda_13():
    v100 = GpuInfo("Tesla V100-SXM2-16GB", (7, 0), 16384, 16000)
    text = diagnose(cuda_facts(v100)).text()
    assert "CUDA 13 dropped Maxwell, Pascal and Volta" in text and "Volta" in text
    assert "CUDA 13" not in diagnose(cuda_facts(T4)).text()


def test_blackwell_has_fp4_and_only_datacentre_parts_may_run_tensorflow_through_ptx():
    b200 = GpuInfo("NVIDIA B200", (10, 0), 183359, 180000)
    for gpu in (b200, RTX_5090, RTX_PRO_6000):
        assert gpu.fp4 and gpu.fp8 and gpu.architecture == "Blackwell"
        assert "FP4/FP6 yes" in diagnose(cuda_facts(gpu)).text()
    report = diagnose(cuda_facts(b200))
    assert not report.problems and "compute_90 PTX" in report.text()
    assert not H100.fp4 and H100.architecture == "Hopper" and T4.architecture == "Turing"
    assert "PTX" not in diagnose(cuda_facts(H100)).text()  # Hopper runs machine code


@pytest.mark.parametrize("gpu", [RTX_5090, RTX_PRO_6000], ids=["rtx-5090", "rtx-pro-6000"])
def test_sm_120_is_a_problem_for_tensorflow_with_a_way_out(gpu):
    report = diagnose(cuda_facts(gpu))
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert "CUDA_ERROR_INVALID_PTX" in problem.message and "sm_120" in problem.message
    assert "JAX" in problem.fix and "PyTorch" in problem.fix and "COURSE_MODE=cpu" in problem.fix
    assert "Let the first run finish" not in report.text() and "use TF32 in TensorFlow" not in report.text()


def test_pascal_without_tensor_cores_points_to_notebook_03():
    p100 = GpuInfo("Tesla P100-PCIE-16GB", (6, 0), 16280, 16000)
    assert "no Tensor Cores" in diagnose(cuda_facts(p100)).text() and p100.usable_by_tensorflow
