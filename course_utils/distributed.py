"""Distributed training plumbing: local worker processes that never outlive their launcher, and cost models.

The worker *program* is the learner's: notebook 09 writes it with ``%%writefile``, and the package ships that
cell, generated from the notebook, as ``course_utils/lessons/scripts/nb09_worker.py`` (:func:`default_script`).
This module only starts it, watches it and stops it:

* every worker is started through a small guard (``python -m course_utils.distributed --guard PID ...``)
  that exits as soon as its launcher dies: on Linux the kernel sends it ``SIGKILL`` when the parent dies
  (``prctl(PR_SET_PDEATHSIG)``), everywhere a thread also watches the parent's process id;
* workers are started inside the ``try`` whose ``finally`` stops them, so a failure while starting
  worker 1 does not orphan worker 0;
* the launcher knows its workers by their :class:`subprocess.Popen` handles (no scan of ``/proc``), and
  removes its temporary folder.

``import course_utils.distributed`` imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

# Links, one direction, per GPU or per node: (bandwidth GB/s, latency α in seconds, source). Notebook 09 cites them.
LINKS = {
    "10 Gb Ethernet": (1.25, 20e-6, "IEEE 802.3ae: 10 Gb/s = 1.25 GB/s"),
    "100 Gb Ethernet / RoCE": (12.5, 5e-6, "IEEE 802.3ba: 100 Gb/s = 12.5 GB/s"),
    "InfiniBand NDR (400 Gb/s)": (50.0, 2e-6, "NVIDIA Quantum-2 / ConnectX-7 datasheet: 400 Gb/s per port"),
    "InfiniBand XDR (800 Gb/s)": (100.0, 2e-6, "NVIDIA Quantum-X800 / ConnectX-8 datasheet: 800 Gb/s per port"),
    "PCIe 5.0 x16": (64.0, 2e-6, "PCI-SIG PCIe 5.0: 32 GT/s × 16 lanes ≈ 64 GB/s per direction"),
    "NVLink 4 (H100)": (450.0, 1e-6, "NVIDIA H100 datasheet: 900 GB/s bidirectional per GPU"),
    "NVLink 5 (Blackwell)": (900.0, 1e-6, "NVIDIA GB200 NVL72 / HGX B200: 1.8 TB/s bidirectional per GPU"),
}

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class WorkerError(RuntimeError):
    """A worker failed to start, crashed or timed out; the message says which and why."""


def free_port() -> int:
    """A TCP port on the loopback address that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# ------------------------------------------------------------------------------------------ the worker's side


def exit_with_parent(parent_pid: int, poll_s: float = 0.5) -> None:
    """Make this process exit when ``parent_pid`` (its launcher) dies, whatever kills the launcher."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # the kernel kills us when the parent dies
        except (OSError, AttributeError):
            pass  # the watch below still works
    if os.getppid() != parent_pid:  # the launcher died before prctl took effect
        os._exit(70)

    def watch() -> None:
        while True:
            time.sleep(poll_s)
            if os.getppid() != parent_pid:  # re-parented: the launcher is gone
                os._exit(70)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _guard_main(argv: list[str]) -> None:
    """``python -m course_utils.distributed --guard PARENT_PID SCRIPT [ARGS...]``: run SCRIPT, die with PARENT."""
    import runpy

    parent_pid, script, *args = argv
    exit_with_parent(int(parent_pid))
    sys.argv = [script, *args]
    sys.path.insert(0, str(Path(script).resolve().parent))
    runpy.run_path(script, run_name="__main__")


# ---------------------------------------------------------------------------------------- the launcher's side


@dataclass
class Workers:
    """The worker processes this launcher started, by their handles."""

    processes: list[subprocess.Popen] = field(default_factory=list)

    def alive(self) -> list[int]:
        return [p.pid for p in self.processes if p.poll() is None]

    def stop(self, grace_s: float = 10) -> None:
        """Terminate every worker still running, then kill what remains; leave no process behind."""
        for p in self.processes:
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + grace_s
        for p in self.processes:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


_STARTED: list[Workers] = []  # every launch of this process, to answer running_workers()


def running_workers() -> list[int]:
    """PIDs of the workers this process started that are still running (should be empty between launches)."""
    return [pid for workers in _STARTED for pid in workers.alive()]


def tail(path: Path, lines: int = 10) -> str:
    text = path.read_text(errors="replace").strip().splitlines() if path.exists() else []
    kept = [line for line in text if line.strip()][-lines:]
    return "\n".join(f"    | {line[:200]}" for line in kept) or "    | (empty log)"


def _why(code: int) -> str:
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    if code == 70:
        return "exited because its launcher was gone"
    return f"exited with code {code}"


PORT_TAKEN = ("Address already in use", "address already in use", "Failed to bind", "failed to bind")


def default_script() -> Path:
    """Notebook 09's worker program as the package ships it (package data, generated from the notebook)."""
    return Path(str(resources.files("course_utils.lessons") / "scripts" / "nb09_worker.py"))


def launch_workers(
    args: list[str],
    num_workers: int = 2,
    timeout_s: float = 600,
    *,
    script: str | Path | None = None,
    crash: int | None = None,
    hang: int | None = None,
    ports: list[int] | None = None,
    hide_gpus: bool = True,
    attempts: int = 2,
) -> list[dict]:
    """Run the worker program ``script`` in ``num_workers`` local processes; return each worker's result.

    Each worker gets its ``TF_CONFIG`` (the cluster on the loopback address, its own index) and writes
    ``worker<i>.json`` into a temporary folder passed as ``--out``. ``hide_gpus`` sets
    ``CUDA_VISIBLE_DEVICES=-1`` for the workers, as TensorFlow's multi-worker tutorial does, so that they
    do not fight the notebook's kernel for one GPU. If a worker exits with an error, hangs past
    ``timeout_s`` (``crash``/``hang`` name a worker to fail on purpose, for the drills), :class:`WorkerError`
    names it, says why and shows the end of its log; every worker is stopped on return or error. Ports chosen
    here that another process takes before the workers bind them are chosen again (``attempts``).
    """
    script = Path(script) if script is not None else default_script()
    if not script.is_file():
        raise WorkerError(f"the worker program {script} does not exist: run the cell that writes it first.")
    if ports is not None:
        if len(ports) != num_workers:
            raise ValueError(f"give one port per worker: {num_workers} workers, {len(ports)} ports.")
        taken = [port for port in ports if not port_is_free(port)]
        if taken:
            raise WorkerError(
                f"port(s) {taken} on 127.0.0.1 are taken by another process: choose other ports, or pass "
                "ports=None and the launcher picks free ones."
            )
    for attempt in range(1, attempts + 1):
        chosen = ports or [free_port() for _ in range(num_workers)]
        try:
            return _launch_once(script, args, chosen, timeout_s, crash, hang, hide_gpus)
        except _PortTaken as err:
            if ports is not None or attempt == attempts:
                raise WorkerError(str(err)) from None
            print(f"({err} Retrying with other ports.)")
    raise AssertionError("unreachable")


def loopback_bypasses_proxy(env: dict[str, str]) -> dict[str, str]:
    """``no_proxy`` settings that keep the workers' gRPC traffic on the loopback address off any proxy.

    gRPC follows ``http_proxy`` / ``https_proxy`` (clusters and offline machines often set one), and a worker
    that sends its all-reduce to a proxy waits forever; ``no_grpc_proxy`` and ``no_proxy`` exempt addresses.
    """
    names = ("no_grpc_proxy", "no_proxy", "NO_PROXY")
    kept = [host.strip() for var in names for host in env.get(var, "").split(",") if host.strip()]
    merged = ",".join(dict.fromkeys([*kept, "127.0.0.1", "localhost"]))  # the user's exemptions, then loopback
    return dict.fromkeys(names, merged)


class _PortTaken(Exception):
    pass


def _launch_once(script, args, ports, timeout_s, crash, hang, hide_gpus) -> list[dict]:
    num_workers = len(ports)
    cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
    out = Path(tempfile.mkdtemp(prefix="course_workers_"))
    logs = [out / f"worker{i}.log" for i in range(num_workers)]
    workers = Workers()
    _STARTED.append(workers)
    package_root = str(Path(__file__).resolve().parent.parent)
    try:
        for index in range(num_workers):  # started inside the try: an error here still stops the others
            env = dict(os.environ)
            env["TF_CONFIG"] = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
            env["PYTHONWARNINGS"] = "ignore"
            env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
            env.update(loopback_bypasses_proxy(env))
            if hide_gpus:
                env["CUDA_VISIBLE_DEVICES"] = "-1"
            extra = ["--crash"] * (crash == index) + ["--hang"] * (hang == index)
            command = [sys.executable, "-m", "course_utils.distributed", "--guard", str(os.getpid()), str(script)]
            with open(logs[index], "w") as handle:
                workers.processes.append(
                    subprocess.Popen(
                        [*command, "--out", str(out), *args, *extra],
                        env=env,
                        stdout=handle,
                        stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL,
                    )
                )
        deadline = time.monotonic() + timeout_s
        while workers.alive():
            for index, p in enumerate(workers.processes):
                if p.poll() not in (None, 0):
                    log = logs[index].read_text(errors="replace") if logs[index].exists() else ""
                    if any(marker in log for marker in PORT_TAKEN):
                        raise _PortTaken(f"worker {index} could not bind port {ports[index]}: another process took it.")
                    raise WorkerError(
                        f"worker {index} (port {ports[index]}) {_why(p.returncode)}; the other worker(s) were "
                        f"stopped. End of its log:\n{tail(logs[index])}"
                    )
            if time.monotonic() > deadline:
                running = [i for i, p in enumerate(workers.processes) if p.poll() is None]
                done = [i for i in range(num_workers) if i not in running]
                details = "\n".join(f"  worker {i}, end of its log:\n{tail(logs[i], 5)}" for i in running)
                raise WorkerError(
                    f"worker(s) {running} did not finish within {timeout_s:.0f} s"
                    + (f" (worker(s) {done} had finished)" if done else "")
                    + "; all were stopped. A worker waits for all the others at every all-reduce: one that is "
                    "slow to start (a loaded machine) or stuck stalls everyone. Raise timeout_s if the machine is "
                    f"busy, or look at the log:\n{details}"
                )
            time.sleep(0.2)
        results = []
        for index in range(num_workers):
            result = out / f"worker{index}.json"
            if not result.exists():
                raise WorkerError(
                    f"worker {index} exited normally but wrote no {result.name}: the worker program must write its "
                    f"result into --out. End of its log:\n{tail(logs[index])}"
                )
            results.append(json.loads(result.read_text()))
        return results
    finally:
        workers.stop()
        shutil.rmtree(out, ignore_errors=True)


# ------------------------------------------------------------------------------------------------ cost models


def ring_allreduce_bytes(params: int, workers: int, bytes_per_param: int = 4) -> float:
    """Bytes each worker sends per step in a ring all-reduce of the gradients: 2(N−1)/N × size."""
    return 2 * (workers - 1) / workers * params * bytes_per_param


def ring_allreduce_s(params: int, workers: int, link_gbs: float, latency_s: float, bytes_per_param: int = 4) -> float:
    """α-β model of a ring all-reduce: 2(N−1) messages, each paying the latency α, plus the bytes over β."""
    if workers <= 1:
        return 0.0
    return 2 * (workers - 1) * latency_s + ring_allreduce_bytes(params, workers, bytes_per_param) / (link_gbs * 1e9)


def predicted_efficiency(
    step_compute_s: float,
    params: int,
    workers: int,
    link_gbs: float,
    overlap: float = 0.0,
    latency_s: float = 0.0,
) -> float:
    """Scaling efficiency if each step adds the all-reduce time (``overlap``: fraction hidden behind compute)."""
    comm_s = ring_allreduce_s(params, workers, link_gbs, latency_s) * (1 - overlap)
    return step_compute_s / (step_compute_s + comm_s)


if __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[1] == "--guard":
    _guard_main(sys.argv[2:])
