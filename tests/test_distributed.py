"""Local multi-worker training: results, failures named, no worker outliving its launcher, the fit() gap, costs."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from course_utils import distributed

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "09_multi_gpu_training.ipynb"


def alive(pid: int) -> bool:
    """Is this one process still running (a zombie counts as dead)? Looks at that pid only."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except (OSError, IndexError):
            return False
    return True


def test_free_port_is_free():
    port = distributed.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_notebook_writes_the_tested_worker_program():
    """The worker program the notebook writes with %%writefile is the package's copy, character for character."""
    cells = [c.source for c in nbformat.read(NOTEBOOK, 4).cells if c.cell_type == "code"]
    written = [s for s in cells if s.startswith("%%writefile")]
    assert len(written) == 1, "notebook 09 writes its worker program in one %%writefile cell"
    body = written[0].split("\n", 1)[1]
    assert body.strip() == distributed.default_script().read_text().strip(), (
        "notebook 09's worker program and course_utils/multiworker.py differ: copy one onto the other"
    )


def test_two_workers_train_in_sync_and_stop():
    results = distributed.launch_workers(["--steps", "8", "--max-train", "600"], num_workers=2, timeout_s=400)
    assert [r["worker"] for r in results] == [0, 1]
    assert results[0]["replicas"] == 2 and results[0]["global_batch"] == 64
    assert results[0]["weights_checksum"] == results[1]["weights_checksum"]
    assert results[0]["losses"][-1] < results[0]["losses"][0]
    assert distributed.running_workers() == []


def test_a_crashing_worker_is_named_and_nothing_survives():
    with pytest.raises(distributed.WorkerError, match=r"worker 1 \(port \d+\) exited with code 1") as info:
        distributed.launch_workers(["--steps", "5"], num_workers=2, timeout_s=120, crash=1)
    assert "simulated crash" in str(info.value)  # the end of its log is shown
    assert distributed.running_workers() == []


def test_a_hanging_worker_times_out_and_is_named():
    with pytest.raises(distributed.WorkerError, match=r"worker\(s\) \[0, 1\] did not finish within 5 s") as info:
        distributed.launch_workers(["--steps", "5"], num_workers=2, timeout_s=5, hang=0)  # 1 waits for 0
    assert "stalls everyone" in str(info.value) and "worker 0, end of its log" in str(info.value)
    assert distributed.running_workers() == []


def test_missing_worker_program_says_what_to_do(tmp_path):
    with pytest.raises(distributed.WorkerError, match="run the cell that writes it"):
        distributed.launch_workers([], script=tmp_path / "absent.py")


def test_a_port_already_taken_is_refused_clearly():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        with pytest.raises(distributed.WorkerError, match=rf"port\(s\) \[{taken}\] .* taken by another process"):
            distributed.launch_workers([], ports=[taken, distributed.free_port()])
    assert distributed.running_workers() == []


LAUNCHER = textwrap.dedent(
    """
    import sys
    from course_utils import distributed
    distributed.launch_workers(["--steps", "5"], num_workers=2, timeout_s=600, hang=0, crash=None)
    """
)


def _children(pid: int) -> list[int]:
    """The direct children of ``pid`` (the launcher's workers), from /proc/PID/task/*/children."""
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in children.read_text().split()]
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the launcher's children from /proc")
def test_no_worker_survives_a_killed_launcher(tmp_path):
    """Kernel > Restart or an out-of-memory kill: SIGKILL the launcher; 15 s later no worker may be running."""
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
            workers = _children(launcher.pid)
        assert len(workers) == 2, f"the launcher did not start two workers in 120 s (children: {workers})"
        time.sleep(2)  # let both workers get going (one hangs by design, the other waits for it)
        assert all(alive(pid) for pid in workers)
        launcher.send_signal(signal.SIGKILL)
        launcher.wait()
        time.sleep(15)
        survivors = [pid for pid in workers if alive(pid)]
        assert survivors == [], f"workers {survivors} outlived their launcher by 15 s"
    finally:
        for pid in _children(launcher.pid) if launcher.poll() is None else []:
            os.kill(pid, signal.SIGKILL)
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()


@pytest.mark.xfail(
    strict=True,
    reason="Keras 3.15 + TF 2.21: model.fit under MultiWorkerMirroredStrategy fails with 'Attempt to convert a "
    "value (PerReplica...)' (keras-team/keras#20585). When this XPASSes, fit works: update notebook 09.",
)
def test_fit_under_multiworker_strategy():
    results = distributed.launch_workers(["--fit", "--max-train", "600"], num_workers=2, timeout_s=400)
    for result in results:  # the workers ran and wrote what fit did: a failure for any other reason is an error
        fit = result["fit"]
        if not fit["ok"]:
            if "PerReplica" not in fit["error"]:
                raise RuntimeError(f"fit failed for another reason than the known gap: {fit['error']}")
            pytest.fail(f"the known gap: {fit['error'][:120]}")
    assert all(r["fit"]["ok"] and len(r["fit"]["losses"]) == 1 for r in results)


def test_cost_model():
    assert distributed.ring_allreduce_bytes(1000, 2) == 4000
    assert distributed.ring_allreduce_bytes(1000, 1) == 0
    assert distributed.predicted_efficiency(1.0, 1000, 1, 1.0) == 1.0
    slow = distributed.predicted_efficiency(0.1, 138_357_544, 8, 1.25)
    fast = distributed.predicted_efficiency(0.1, 138_357_544, 8, 450)
    assert slow < 0.2 < 0.9 < fast
    # α-β: 14 messages of 1 µs latency dominate a 4-byte all-reduce; bandwidth dominates 553 MB
    assert distributed.ring_allreduce_s(1, 8, 450, 1e-6) == pytest.approx(14e-6, rel=1e-3)
    big = distributed.ring_allreduce_s(138_357_544, 8, 12.5, 5e-6)
    assert big == pytest.approx(2 * 7 / 8 * 138_357_544 * 4 / 12.5e9 + 14 * 5e-6, rel=1e-9)
    assert distributed.predicted_efficiency(0.1, 1000, 8, 1.0, overlap=1.0) == 1.0


def test_zero_stages():
    assert [distributed.zero_bytes_per_param(s, 8) for s in range(4)] == [16, 2 + 2 + 1.5, 2 + 0.25 + 1.5, 2.0]
    assert json.dumps(distributed.LINKS)  # every link has its numbers and a source
