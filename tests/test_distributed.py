"""Local multi-worker training: results, failures named, no worker outliving its launcher, the fit() gap, costs."""

import json
import socket

import pytest

from course_utils import distributed


def test_free_port_is_free():
    port = distributed.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_the_worker_program_ships_with_the_package():
    """Notebook 09's %%writefile cell, generated into the package (tests/test_sync.py checks it is the cell)."""
    script = distributed.default_script()
    assert script.is_file() and script.name == "nb09_worker.py"
    assert "MultiWorkerMirroredStrategy()" in script.read_text()


def test_loopback_bypasses_proxy_keeps_the_user_s_exemptions():
    env = {"NO_PROXY": "intranet.example,localhost", "http_proxy": "http://proxy:3128"}
    got = distributed.loopback_bypasses_proxy(env)
    assert got == dict.fromkeys(("no_grpc_proxy", "no_proxy", "NO_PROXY"), "intranet.example,localhost,127.0.0.1")
    assert distributed.loopback_bypasses_proxy({})["no_proxy"] == "127.0.0.1,localhost"


def test_two_workers_train_in_sync_and_stop(monkeypatch):
    # A proxy in the environment (a cluster node, an offline machine): the workers' gRPC on the loopback address
    # must not go through it (it hung until the timeout before the launcher exempted the loopback address).
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    for var in ("no_proxy", "NO_PROXY", "no_grpc_proxy"):
        monkeypatch.delenv(var, raising=False)
    results = distributed.launch_workers(["--steps", "8", "--max-train", "600"], num_workers=2, timeout_s=400)
    assert [r["worker"] for r in results] == [0, 1]
    assert results[0]["replicas"] == 2 and results[0]["global_batch"] == 64
    assert results[0]["weights_checksum"] == results[1]["weights_checksum"]
    assert results[0]["losses"][-1] < results[0]["losses"][0]
    assert distributed.running_workers() == []


# Crashes, hangs, a port taken and a launcher killed with SIGKILL: tests/test_faults.py, section 'workers'.


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


def test_every_link_has_its_numbers_and_a_source():
    assert json.dumps(distributed.LINKS)
    assert all(gbs > 0 and 0 < alpha < 1e-3 and source for gbs, alpha, source in distributed.LINKS.values())
