"""The fault matrix: each fault a learner can meet, driven for real, with the message they read and what is kept.

Every test here causes one fault (no network, a damaged cache, TensorFlow missing or too old, a bad run mode,
device memory running out) and asserts two things: the learner reads a message that says what happened and what
to do, and nothing is lost (cached files stay, the run goes on with labelled fallback data or the next size).
Sections are owned by different parts of the course; add yours at the end (see the last comment).
"""

import hashlib
import os
import subprocess
import sys
import textwrap
import urllib.error
from pathlib import Path

import pytest

from course_utils import datasets, download
from course_utils.datasets import Source


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "course_data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    return folder


# ---------------------------------------------------------------------------- no network


def test_offline_every_dataset_falls_back_with_a_message_and_the_cache_is_kept(data_dir, monkeypatch, capsys):
    """No network at all (name resolution fails, as on a cluster node): the course's real sources, unchanged."""

    def no_network(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(download.urllib.request, "urlopen", no_network)
    data_dir.mkdir(parents=True)
    keep = data_dir / "models" / "mnist_cnn.keras"
    keep.parent.mkdir()
    keep.write_bytes(b"a model the learner trained")

    digits = datasets.load_mnist()
    text = datasets.load_shakespeare()
    photos = datasets.load_flowers(32)
    out = capsys.readouterr().out

    assert digits.is_fallback and digits.name.startswith("FALLBACK") and len(digits.x_train) > 1000
    assert text.is_fallback and text.name.startswith("FALLBACK") and len(text.text) > 100_000
    assert photos is None  # notebook 08 then runs its own transfer demonstration
    assert out.count("is not available") == 3 and "Temporary failure in name resolution" in out
    assert "--fetch-all" in out and "COURSE_DATA_DIR" in out, "the message says how to get the data offline"
    assert keep.read_bytes() == b"a model the learner trained"
    assert sorted(p.name for p in data_dir.iterdir()) == ["models"], "no partial or temporary file is left"


# ---------------------------------------------------------------------------- damaged cache


@pytest.mark.parametrize("damage", ["truncated", "tampered"])
def test_damaged_cache_offline_is_not_used_and_not_deleted(data_dir, damage, capsys, shakespeare):
    real = shakespeare.read_bytes()
    bad = real[: len(real) // 3] if damage == "truncated" else real.replace(b"First Citizen", b"Final Citizen", 1)
    data_dir.mkdir(parents=True)
    (data_dir / "shakespeare.txt").write_bytes(bad)
    s = datasets.SOURCES["shakespeare"]
    offline = Source(s.fname, "http://127.0.0.1:9/shakespeare.txt", s.sha256, s.description)
    text = datasets.load_shakespeare(offline)
    out = capsys.readouterr().out
    assert "corrupted or incomplete" in out and "is not available" in out
    assert text.is_fallback, "a damaged file is never used as the real data"
    assert (data_dir / "shakespeare.txt").read_bytes() == bad, "kept: another process may be replacing it"


@pytest.mark.parametrize("damage", ["truncated", "tampered"])
def test_damaged_cache_online_is_replaced_by_a_verified_download(data_dir, server, damage, capsys, shakespeare):
    served, url = server
    real = shakespeare.read_bytes()
    (served / "shakespeare.txt").write_bytes(real)
    bad = real[:1000] if damage == "truncated" else real[:500] + b"X" + real[501:]
    data_dir.mkdir(parents=True)
    (data_dir / "shakespeare.txt").write_bytes(bad)
    s = datasets.SOURCES["shakespeare"]
    text = datasets.load_shakespeare(Source(s.fname, f"{url}/shakespeare.txt", s.sha256, s.description))
    assert "corrupted or incomplete" in capsys.readouterr().out
    assert not text.is_fallback and text.text.startswith("First Citizen")
    assert hashlib.sha256((data_dir / "shakespeare.txt").read_bytes()).hexdigest() == s.sha256


def test_tampered_source_is_refused(data_dir, server, capsys):
    """The server hands out a different file than the one the course knows: never cached, never used."""
    served, url = server
    (served / "shakespeare.txt").write_text("Not Shakespeare at all. " * 5000)
    s = datasets.SOURCES["shakespeare"]
    text = datasets.load_shakespeare(Source(s.fname, f"{url}/shakespeare.txt", s.sha256, s.description))
    out = capsys.readouterr().out
    assert text.is_fallback and "corrupted or incomplete" in out and "sha256" in out
    assert not data_dir.exists() or list(data_dir.iterdir()) == []


def test_read_only_data_folder_falls_back_with_what_to_do(data_dir, monkeypatch, capsys):
    """A prefetched copy mounted read-only, without the file: no crash, the fallback, and how to fix it."""

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(download.tempfile, "mkstemp", read_only)
    text = datasets.load_shakespeare()
    out = capsys.readouterr().out
    assert text.is_fallback and "cannot write to" in out and "COURSE_DATA_DIR to a writable folder" in out


# ---------------------------------------------------------------------------- TensorFlow missing or too old

# A sitecustomize that makes this interpreter look like one where TensorFlow is not installed (nothing can
# import it, and its package metadata is gone), or installed at an old version (metadata only: the version
# check runs before TensorFlow is imported).
_SITECUSTOMIZE = """
import importlib.abc, importlib.metadata, os, sys

MODE = os.environ["FAKE_TF"]
_real_version = importlib.metadata.version
TF_DISTS = {"tensorflow", "tensorflow-cpu", "tensorflow_cpu", "tf-nightly", "tensorflow-macos"}

def version(name):
    if name in TF_DISTS or name.replace("_", "-") in TF_DISTS:
        if MODE == "missing":
            raise importlib.metadata.PackageNotFoundError(name)
        if name in ("tensorflow", "tensorflow-cpu"):
            return MODE
        raise importlib.metadata.PackageNotFoundError(name)
    return _real_version(name)

importlib.metadata.version = version

class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if MODE == "missing" and fullname.split(".")[0] == "tensorflow":
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None

sys.meta_path.insert(0, _Blocker())
"""


def _python_with_fake_tensorflow(tmp_path: Path, mode: str, code: str) -> subprocess.CompletedProcess:
    site = tmp_path / "fake_site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_MODE", "KERAS_BACKEND")}
    env.update(FAKE_TF=mode, PYTHONPATH=os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_tensorflow_missing_stops_setup_with_what_to_do(tmp_path):
    code = textwrap.dedent(
        """
        try:
            import tensorflow
        except ModuleNotFoundError:
            print("BLOCKED")
        import course_utils as cu   # the package itself needs no TensorFlow
        cu.setup_notebook()
        """
    )
    result = _python_with_fake_tensorflow(tmp_path, "missing", code)
    assert "BLOCKED" in result.stdout, "the fake environment did not hide TensorFlow"
    assert result.returncode != 0
    err = result.stderr
    assert "UnsupportedVersionError" in err and "tensorflow is not installed" in err and "make lab" in err, err[-1500:]


def test_course_utils_data_layer_works_without_tensorflow(tmp_path):
    """Nothing is lost without TensorFlow: the package imports and the offline text fallback still loads."""
    code = textwrap.dedent(
        """
        import sys
        import course_utils
        from course_utils import datasets
        s = datasets.SOURCES["shakespeare"]
        data = datasets.load_shakespeare(datasets.Source(s.fname, "http://127.0.0.1:9/x", s.sha256, s.description))
        assert data.is_fallback and "tensorflow" not in sys.modules and "keras" not in sys.modules
        print("OK")
        """
    )
    env_dir = tmp_path / "data"
    result = _python_with_fake_tensorflow(
        tmp_path, "missing", f"import os; os.environ['COURSE_DATA_DIR']={str(env_dir)!r}\n" + code
    )
    assert result.returncode == 0 and "OK" in result.stdout, result.stderr[-1500:]


def test_tensorflow_below_the_floor_names_the_version_and_what_to_do(tmp_path):
    result = _python_with_fake_tensorflow(tmp_path, "2.15.1", "import course_utils as cu\ncu.setup_notebook()\n")
    assert result.returncode != 0
    err = result.stderr.lower()
    assert "unsupportedversionerror" in err and "2.15.1" in err, result.stderr[-1500:]
    assert "older" in err or "floor" in err
    assert "make lab" in err or "pip install" in err or "runtime" in err, "the message says what to do"


# ---------------------------------------------------------------------------- run mode


@pytest.mark.parametrize("value", ["turbo", "GPU", "fast "])
def test_unknown_run_mode_lists_the_valid_values(monkeypatch, value):
    from course_utils import modes

    monkeypatch.setenv("COURSE_MODE", value)
    with pytest.raises(modes.UnknownModeError) as info:
        modes.get_mode(has_gpu=False)
    message = str(info.value)
    assert repr(value) in message and "smoke, cpu, full" in message and "restart the kernel" in message


def test_run_mode_is_case_and_space_tolerant(monkeypatch):
    from course_utils import modes

    monkeypatch.setenv("COURSE_MODE", " CPU ")
    assert modes.get_mode(has_gpu=True) is modes.RunMode.CPU


# ---------------------------------------------------------------------------- out of device memory


def _resource_exhausted(n: int):
    import tensorflow as tf

    return tf.errors.ResourceExhaustedError(
        None, None, f"OOM when allocating tensor with shape[{n},{n}] and type float on /job:localhost/device:GPU:0"
    )


def test_out_of_memory_errors_of_every_backend_are_recognised():
    from course_utils.devices import is_out_of_memory

    assert is_out_of_memory(_resource_exhausted(8))
    assert is_out_of_memory(RuntimeError("RESOURCE_EXHAUSTED: Out of memory while trying to allocate 8.0GiB"))  # JAX
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))  # PyTorch
    assert not is_out_of_memory(ValueError("Shapes (2, 3) and (4, 5) are incompatible"))


def test_out_of_memory_during_a_matmul_sweep_is_reported_and_the_sweep_goes_on(monkeypatch):
    from course_utils import benchmarks

    real_time_fn = benchmarks.time_fn
    oom_from = 128

    def time_fn(fn, **kwargs):
        n = fn().shape[0]
        if n >= oom_from:
            raise _resource_exhausted(n)
        return real_time_fn(fn, **kwargs)

    monkeypatch.setattr(benchmarks, "time_fn", time_fn)
    results = benchmarks.matmul_sweep([32, 64, 128, 256], devices=["cpu:0"], repeats=2, budget_s=120)
    by_n = {r.n: r for r in results}
    assert by_n[32].timing is not None and by_n[64].timing is not None, "the sizes that fit are measured"
    for n in (128, 256):
        assert by_n[n].timing is None and by_n[n].error.startswith(f"out of memory at n={n}")
        assert "GiB" in by_n[n].error, "the message says how much memory the matrices need"


# ---------------------------------------------------------------------------- more faults
# Other parts of the course append their sections below (workers that crash or hang, a killed launcher, a port
# already taken, out of memory during training, the disk full while saving a model): one section per fault,
# each asserting the learner's message and that nothing is lost. Keep each test fast (seconds), no timing asserts.


# ---------------------------------------------------------------------------- disk full, out of memory in training
# (notebook 06's saved model; owned by course_utils/models.py and training.py)


def _saved_cnn(data_dir, monkeypatch):
    """A trained CNN saved with its record, as notebook 06 leaves it (1 epoch on the offline fallback digits)."""
    from course_utils import models

    monkeypatch.setattr(datasets, "load_mnist", lambda source=None: datasets.load_digits_fallback())
    model, data = models.load_or_train_cnn(epochs=1, verbose=0, mode="smoke")
    path = models.cnn_path()
    return model, data, path, (path.read_bytes(), models.provenance_path(path).read_bytes())


def test_disk_full_while_saving_the_model_says_what_to_do_and_keeps_the_old_one(data_dir, monkeypatch):
    import errno

    from course_utils import models

    model, data, path, before = _saved_cnn(data_dir, monkeypatch)
    real_save = model.save

    def save_on_a_full_disk(target):
        real_save(target)  # the file gets written, then the disk fills up: a partial file remains
        with open(target, "r+b") as f:
            f.truncate(100)
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(model, "save", save_on_a_full_disk)
    with pytest.raises(OSError, match=r"disk is full.*Free some space.*COURSE_DATA_DIR") as info:
        models.save_cnn(model, mode="cpu", data_name=data.name, is_fallback=True, epochs=3, num_train=100)
    assert info.value.errno == errno.ENOSPC
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, models.provenance_path(path).name])
    assert (path.read_bytes(), models.provenance_path(path).read_bytes()) == before, "the previous model is intact"
    assert models.reuse_problem(path, "smoke", data.name) is None, "and later notebooks still reuse it"


def test_out_of_memory_during_training_says_what_to_change_and_keeps_the_saved_model(data_dir, monkeypatch):
    import keras

    from course_utils import models
    from course_utils.training import TrainingOutOfMemoryError

    _, data, path, before = _saved_cnn(data_dir, monkeypatch)

    def fit_out_of_memory(self, *args, **kwargs):
        raise _resource_exhausted(4096)

    monkeypatch.setattr(keras.Model, "fit", fit_out_of_memory)
    with pytest.raises(TrainingOutOfMemoryError, match=r"out of memory.*batch_size=128.*batch_size=64.*Restart"):
        models.load_or_train_cnn(epochs=1, verbose=0, mode="full")  # a smaller mode's model: it retrains
    assert (path.read_bytes(), models.provenance_path(path).read_bytes()) == before, "the saved model is intact"


def test_an_error_that_is_not_out_of_memory_passes_through_unchanged():
    from course_utils.training import out_of_memory_advice

    with pytest.raises(ValueError, match="incompatible"):
        with out_of_memory_advice(32):
            raise ValueError("Shapes (2, 3) and (4, 5) are incompatible")


# ---------------------------------------------------------------------------- workers: crash, hang, killed launcher, port
# (notebook 09's local workers; owned by course_utils/distributed.py. Each worker is one real process.)


def _worker_alive(pid: int) -> bool:
    """Is this one process still running (a zombie counts as dead)? Looks at that pid only."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):  # gone between the two looks
        return False


def test_a_crashing_worker_is_named_with_its_log_and_the_others_stop():
    from course_utils import distributed

    with pytest.raises(distributed.WorkerError, match=r"worker 1 \(port \d+\) exited with code 1") as info:
        distributed.launch_workers(["--steps", "5"], num_workers=2, timeout_s=120, crash=1)
    assert "simulated crash" in str(info.value), "the end of the failed worker's log is shown"
    assert distributed.running_workers() == []


def test_a_hanging_worker_times_out_names_who_still_runs_and_says_what_to_do():
    from course_utils import distributed

    with pytest.raises(distributed.WorkerError, match=r"worker\(s\) \[0, 1\] did not finish within 5 s") as info:
        distributed.launch_workers(["--steps", "5"], num_workers=2, timeout_s=5, hang=0)  # 1 waits for 0
    assert "Raise timeout_s" in str(info.value) and "worker 0, end of its log" in str(info.value)
    assert distributed.running_workers() == []


def test_a_port_already_taken_is_refused_with_what_to_do():
    import socket

    from course_utils import distributed

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        with pytest.raises(distributed.WorkerError, match=rf"port\(s\) \[{taken}\] .* pass ports=None"):
            distributed.launch_workers([], ports=[taken, distributed.free_port()])
    assert distributed.running_workers() == []


def test_a_missing_worker_program_says_which_cell_to_run(tmp_path):
    from course_utils import distributed

    with pytest.raises(distributed.WorkerError, match="run the cell that writes it first"):
        distributed.launch_workers([], script=tmp_path / "mnist_worker.py")


KILLED_LAUNCHER = """
from course_utils import distributed
distributed.launch_workers(["--steps", "5"], num_workers=2, timeout_s=600, hang=0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the launcher's children from /proc")
def test_no_worker_survives_its_launcher_killed_with_sigkill():
    """Kernel > Restart or an out-of-memory kill: SIGKILL the launcher; 15 s later no worker may be running."""
    import signal
    import time

    root = Path(__file__).resolve().parent.parent
    launcher = subprocess.Popen([sys.executable, "-c", KILLED_LAUNCHER], cwd=root)

    def children():
        found = []
        for listing in Path(f"/proc/{launcher.pid}/task").glob("*/children"):
            found += [int(pid) for pid in listing.read_text().split()]
        return found

    workers = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
            workers = children()
        assert len(workers) == 2, f"the launcher did not start two workers in 120 s (children: {workers})"
        time.sleep(2)
        assert all(_worker_alive(pid) for pid in workers)
        launcher.send_signal(signal.SIGKILL)
        launcher.wait()
        time.sleep(15)
        survivors = [pid for pid in workers if _worker_alive(pid)]
        assert survivors == [], f"workers {survivors} outlived their launcher by 15 s"
    finally:
        for pid in workers:
            if _worker_alive(pid):
                os.kill(pid, signal.SIGKILL)
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
