"""Profile a few training steps with TensorFlow's profiler and read the result in the notebook.

Notebook 02 calls ``tf.profiler.experimental.start``/``stop`` itself; :func:`profile` does the same for
other notebooks. The trace is written where XProf, the profiler's viewer, reads it
(``pip install xprof``, then ``xprof --logdir LOGDIR``; XProf is also TensorBoard's profile plugin).
To show it without a viewer, :func:`op_stats` and :func:`trace_events` convert it with the converter
TensorFlow ships (a TensorFlow-internal module: when a future TensorFlow moves it, the function says so
and the trace files remain).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def profile(fn: Callable[[], object], logdir: str | Path) -> list[Path]:
    """Run ``fn`` under the profiler; return the trace files written (``*.xplane.pb``)."""
    import tensorflow as tf

    logdir = Path(logdir)
    before = set(logdir.glob("plugins/profile/*/*.xplane.pb"))
    tf.profiler.experimental.start(str(logdir))
    try:
        fn()
    finally:
        tf.profiler.experimental.stop()
    return sorted(set(logdir.glob("plugins/profile/*/*.xplane.pb")) - before)


def _convert(files: list[Path], tool: str) -> bytes:
    try:
        from tensorflow.python.profiler.internal import _pywrap_profiler_plugin as plugin
    except ImportError as err:
        raise RuntimeError(
            "This TensorFlow no longer ships the trace converter; open the trace in XProf instead: "
            "`pip install xprof`, then `xprof --logdir <logdir>`."
        ) from err
    data, ok = plugin.xspace_to_tools_data([str(f) for f in files], tool, {})
    if not ok:
        raise RuntimeError(f"the profiler could not convert the trace: {data[:200]!r}")
    return data


def op_stats(files: list[Path], top: int = 10) -> list[dict]:
    """The operations that took the most self-time, busiest first (idle time left out)."""
    tables = json.loads(_convert(files, "framework_op_stats"))
    table = tables[0]  # the converter returns the same table twice (with and without idle time)
    cols = [c["id"] for c in table["cols"]]
    rows = []
    for row in table["rows"]:
        rec = dict(zip(cols, (c.get("v") for c in row["c"]), strict=False))
        if rec.get("type") != "IDLE":
            rows.append(rec)
    rows.sort(key=lambda r: r.get("total_self_time") or 0.0, reverse=True)
    return [
        {
            "where": r["host_or_device"],
            "kernel": r["type"],
            "operation": r["operation"].replace("StatefulPartitionedCall/", ""),
            "calls": int(r["occurrences"]),
            "self_ms": r["total_self_time"] / 1e3,
        }
        for r in rows[:top]
    ]


def trace_events(files: list[Path]) -> list[dict]:
    """Complete events (``ph == 'X'``) of the trace: name, start and duration in µs, thread id."""
    trace = json.loads(_convert(files, "trace_viewer@"))
    return [e for e in trace.get("traceEvents", []) if e.get("ph") == "X" and "dur" in e]
