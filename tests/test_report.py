"""The hardware report: the command (tools/report.py) runs, tabulates and plots; notebook 01's pieces draw."""

import json

import matplotlib
import pytest

from course_utils import report as figures
from tools import report

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def data():
    return report.run([32, 64], ("float32",), budget_s=10, bandwidth_mb=32, progress=False, cross_check=False)


def test_report_runs_tabulates_and_plots(data, tmp_path):
    text = report.table(data)
    assert "cpu:0" in text and "bandwidth" in text
    json.dumps(data)  # JSON-ready
    report.plot(data, tmp_path / "r.png")
    assert (tmp_path / "r.png").stat().st_size > 10_000


def test_notebook_01_pieces_draw_the_measured_points(data):
    import matplotlib.pyplot as plt

    assert figures.device_name("cpu:0") == data["devices"]["cpu:0"]
    fig, (ax1, ax2) = plt.subplots(1, 2)
    figures.plot_matmul(ax1, data["matmul"])
    assert [line.get_label() for line in ax1.get_lines()] == ["cpu:0 float32"]
    assert list(ax1.get_lines()[0].get_xdata()) == [32, 64]
    bandwidths = {b["device"]: b["gbs"] for b in data["bandwidth"] if b["gbs"]}
    figures.plot_roofline(ax2, data["matmul"], bandwidths, references=("T4",))
    labels = [line.get_label() for line in ax2.get_lines()]
    assert "cpu:0 measured roof" in labels and "T4 datasheet (16-bit Tensor Core peak)" in labels
    assert "matmul float32" in labels
    plt.close(fig)


def test_the_command_writes_its_files_where_it_is_told(tmp_path):
    args = ["--size", "quick", "--dtypes", "float32", "--budget", "5", "--bandwidth-mb", "16", "--out", str(tmp_path)]
    assert report.main(args) == 0
    record = json.loads((tmp_path / "report.json").read_text())
    assert record["matmul"] and record["bandwidth"] and (tmp_path / "report.png").stat().st_size > 10_000
