import pytest

from course_utils.modes import RunMode, UnknownModeError, get_mode, parse_mode, pick


@pytest.mark.parametrize("value", ["smoke", "CPU", " full "])
def test_parse_valid(value):
    assert parse_mode(value).value == value.strip().lower()


def test_unknown_mode_lists_valid_values(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "fast")
    with pytest.raises(UnknownModeError) as info:
        get_mode(has_gpu=False)
    message = str(info.value)
    assert "'fast'" in message and "smoke, cpu, full" in message


@pytest.mark.parametrize(("gpu", "expected"), [(True, RunMode.FULL), (False, RunMode.CPU)])
def test_default_follows_gpu(monkeypatch, gpu, expected):
    monkeypatch.delenv("COURSE_MODE", raising=False)
    assert get_mode(has_gpu=gpu) is expected
    assert get_mode(has_gpu=lambda: gpu) is expected


def test_env_var_wins_over_gpu(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "smoke")
    assert get_mode(has_gpu=True) is RunMode.SMOKE


def test_pick():
    assert pick("smoke", smoke=1, cpu=2, full=3) == 1
    assert pick(RunMode.FULL, smoke=1, cpu=2, full=3) == 3


@pytest.mark.parametrize(
    ("mode", "gpus", "expected"),
    [
        (RunMode.FULL, [], RunMode.CPU),  # full sizes are GPU sizes: a CPU gets cpu sizes
        (RunMode.FULL, ["NVIDIA H100"], RunMode.FULL),
        (RunMode.CPU, ["NVIDIA H100"], RunMode.CPU),  # asked for cpu: cpu, even with a GPU
        (RunMode.SMOKE, [], RunMode.SMOKE),
    ],
)
def test_size_mode_keeps_full_sizes_for_a_gpu(mode, gpus, expected):
    from course_utils.notebook import NotebookContext

    assert NotebookContext(mode=mode, platform="local", backend="tensorflow", gpus=gpus).size_mode is expected
