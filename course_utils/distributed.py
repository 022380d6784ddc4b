"""Distributed training helpers: launching local workers safely, and an all-reduce cost model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Link bandwidths, one direction, per GPU (GB/s); sources in notebook 09.
LINKS_GBS = {
    "10 Gb Ethernet": 1.25,
    "100 Gb Ethernet / InfiniBand": 12.5,
    "PCIe 4.0 x16": 32.0,
    "PCIe 5.0 x16": 64.0,
    "NVLink 4 (H100)": 450.0,
}


class WorkerError(RuntimeError):
    """A worker failed to start, crashed or timed out; the message says which and why."""


def free_port() -> int:
    """A TCP port on the loopback address that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Workers:
    processes: list[subprocess.Popen]

    def alive(self) -> list[int]:
        return [p.pid for p in self.processes if p.poll() is None]

    def stop(self) -> None:
        """Terminate every worker still running, then kill what remains; leave no process behind."""
        for p in self.processes:
            if p.poll() is None:
                p.terminate()
        deadline = time.monotonic() + 10
        for p in self.processes:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def tail(path: Path, lines: int = 8) -> str:
    text = path.read_text(errors="replace").strip().splitlines() if path.exists() else []
    return "\n".join(text[-lines:])


def launch_workers(
    args: list[str], num_workers: int = 2, timeout_s: float = 600, crash: int | None = None
) -> list[dict]:
    """Run ``course_utils.multiworker`` in ``num_workers`` processes on loopback; return each worker's result.

    Free ports are chosen at launch. If a worker exits with an error (or ``crash`` names a
    worker to fail on purpose), the others are stopped and :class:`WorkerError` says which
    worker failed and shows the end of its log. Every worker is stopped on return or error.
    """
    ports = [free_port() for _ in range(num_workers)]
    cluster = {"worker": [f"127.0.0.1:{port}" for port in ports]}
    out = Path(tempfile.mkdtemp(prefix="course_workers_"))
    procs, logs = [], []
    for index in range(num_workers):
        env = dict(os.environ, TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}}))
        env["PYTHONWARNINGS"] = "ignore"
        extra = ["--crash"] if crash == index else []
        log = out / f"worker{index}.log"
        with open(log, "w") as handle:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "course_utils.multiworker", "--out", str(out), *args, *extra],
                    env=env,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                )
            )
        logs.append(log)
    workers = Workers(procs)
    deadline = time.monotonic() + timeout_s
    try:
        while workers.alive():
            for index, p in enumerate(procs):
                if p.poll() not in (None, 0):
                    raise WorkerError(
                        f"worker {index} (port {ports[index]}) exited with code {p.returncode}; the others were "
                        f"stopped. End of its log:\n{tail(logs[index])}"
                    )
            if time.monotonic() > deadline:
                raise WorkerError(f"the workers did not finish within {timeout_s:.0f} s; all were stopped.")
            time.sleep(0.2)
        for index, p in enumerate(procs):
            if p.returncode != 0:
                raise WorkerError(
                    f"worker {index} exited with code {p.returncode}. End of its log:\n{tail(logs[index])}"
                )
        return [json.loads((out / f"worker{i}.json").read_text()) for i in range(num_workers)]
    finally:
        workers.stop()


def surviving_workers() -> list[int]:
    """PIDs of ``course_utils.multiworker`` processes still running (Linux; empty elsewhere)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"course_utils.multiworker" in cmdline and int(proc.name) != os.getpid():
            found.append(int(proc.name))
    return found


def ring_allreduce_bytes(params: int, workers: int, bytes_per_param: int = 4) -> float:
    """Bytes each worker sends per step in a ring all-reduce of the gradients: 2(N−1)/N × size."""
    return 2 * (workers - 1) / workers * params * bytes_per_param


def predicted_efficiency(
    step_compute_s: float, params: int, workers: int, link_gbs: float, overlap: float = 0.0
) -> float:
    """Scaling efficiency if each step adds the all-reduce time (``overlap``: fraction hidden behind compute)."""
    comm_s = ring_allreduce_bytes(params, workers) / (link_gbs * 1e9) * (1 - overlap)
    return step_compute_s / (step_compute_s + comm_s)
