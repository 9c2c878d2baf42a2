"""Mood chart benchmark (DESIGN §10): 10-year first draw ≤ 150 ms, pan/zoom frame ≤ 16 ms.

    python bench/bench_charts.py [--data-dir DIR] [--runs N]

Without ``--data-dir`` it builds a 10-year demo diary (``companion demo --days 3650``) in a
temporary folder. Prints medians (not a timed test):

- first draw: a new ``MoodChart`` (mood, anxiety, energy) reading the SQL daily series for
  all ten years, the "All" range set, and the widget painted once (offscreen, ``grab``);
- SQL read alone (``daily_aggregates_all``) for comparison;
- pan frame: the view moved by 5% of its width, then painted; zoom frame: scaled by 0.9 / 1.1;
  at the "1 year" and "All" ranges.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASS = "bench passphrase for a synthetic diary"


def make_demo(directory: Path) -> None:
    env = {**os.environ, "COMPANION_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "companion",
            "demo",
            "--data-dir",
            str(directory),
            "--days",
            "3650",
            "--seed",
            "7",
        ],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--passphrase", default=PASS)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp) / "ten-years"
            print("building a 10-year demo diary…", file=sys.stderr)
            make_demo(data_dir)
        return run(data_dir, args.passphrase, args.runs)


def run(data_dir: Path, passphrase: str, runs: int) -> int:
    from datetime import date, timedelta

    from PySide6.QtCore import QCoreApplication

    from companion import paths
    from companion.core.device_settings import DeviceSettings
    from companion.core.mood.service import MoodService
    from companion.core.session import OpenDiary
    from companion.ui import theme
    from companion.ui.app import make_app
    from companion.ui.charts.api import MoodChart

    app = make_app()
    theme.apply(app, DeviceSettings(theme="light"), dark=False)
    diary = OpenDiary.unlock(paths.vault_path(data_dir), passphrase=passphrase)
    service = MoodService(diary.db)
    n_entries = service.count_entries()
    try:
        sql: list[float] = []
        for _ in range(runs):
            t = time.perf_counter()
            service.daily_aggregates_all()
            sql.append(time.perf_counter() - t)

        first: list[float] = []
        chart: MoodChart | None = None
        for _ in range(runs):
            if chart is not None:
                chart.deleteLater()
                QCoreApplication.processEvents()
            t = time.perf_counter()
            chart = MoodChart(metrics=("mood", "anxiety", "energy"))
            chart.resize(1000, 420)
            chart.load(service)
            span = chart.data_span()
            assert span is not None
            chart.set_range(*span)
            chart.show()
            chart.grab()  # one full paint of the widget and the plot
            first.append(time.perf_counter() - t)
        assert chart is not None
        days = sum(len(v) for v in chart.daily.values())

        frames: dict[str, list[float]] = {}
        today = date.today()
        for name, start in (("1 year", today - timedelta(days=364)), ("All", span[0])):
            chart.set_range(start, today)
            chart.grab()
            pans: list[float] = []
            zooms: list[float] = []
            for i in range(runs * 2):
                (x0, x1), _ = chart.vb.viewRange()
                t = time.perf_counter()
                chart.vb.translateBy(x=(x1 - x0) * (0.05 if i % 2 else -0.05))
                chart.plot.grab()
                pans.append(time.perf_counter() - t)
                t = time.perf_counter()
                chart.vb.scaleBy(x=0.9 if i % 2 else 1 / 0.9)
                chart.plot.grab()
                zooms.append(time.perf_counter() - t)
            frames[f"pan frame, {name} in view"] = pans
            frames[f"zoom frame, {name} in view"] = zooms
        empty = empty_frames(runs)
    finally:
        diary.close()

    print(
        f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; an empty "
        f"pyqtgraph plot of the same size paints a frame in {median_ms(empty):.1f} ms"
    )
    print(f"10-year diary: {n_entries} check-ins, {days} metric-days drawn ({runs} runs)")
    print(f"{'what':<34}{'median':>10}{'budget':>10}")
    print(f"{'SQL daily series (4 ratings)':<34}{median_ms(sql):>8.1f} ms{'':>10}")
    print(f"{'first draw, 10 years':<34}{median_ms(first):>8.1f} ms{'150 ms':>10}")
    for label, values in frames.items():
        print(f"{label:<34}{median_ms(values):>8.1f} ms{'16 ms':>10}")
    return 0


def empty_frames(runs: int) -> list[float]:
    """The same pan on an empty plot: what this machine needs for any frame at all."""
    import pyqtgraph as pg

    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    plot.resize(1000, 420)
    plot.show()
    plot.setXRange(1.5e9, 1.8e9)
    plot.grab()
    times = []
    for i in range(runs * 2):
        (x0, x1), _ = plot.getViewBox().viewRange()
        t = time.perf_counter()
        plot.getViewBox().translateBy(x=(x1 - x0) * (0.05 if i % 2 else -0.05))
        plot.grab()
        times.append(time.perf_counter() - t)
    return times


if __name__ == "__main__":
    raise SystemExit(main())
