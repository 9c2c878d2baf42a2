"""Mood chart benchmark (DESIGN §10): 10-year first draw ≤ 150 ms, pan/zoom frame ≤ 16 ms.

    python bench/bench_charts.py [--data-dir DIR] [--runs N]
    python bench/bench_charts.py --turns [--data-dir DIR] [--rounds N]
    python bench/bench_charts.py --cold [--data-dir DIR] [--rounds N]
    python bench/bench_charts.py --felt [--data-dir DIR] [--rounds N] [--think-ms MS]
                                 [--diary-during-import-ms MS] [--no-turns]

Without ``--data-dir`` it builds a 10-year demo diary (``companion demo --days 3650``) in a
temporary folder. Prints medians (not a timed test):

- first draw: a new ``MoodChart`` (mood, anxiety, energy) reading the SQL daily series for
  all ten years, the "All" range set, and the widget painted once (offscreen, ``grab``);
- SQL read alone (``daily_aggregates_all``) for comparison;
- pan frame: the view moved by 5% of its width, then painted; zoom frame: scaled by 0.9 / 1.1;
  at the "1 year" and "All" ranges.

``--cold``: the first draw in a fresh process (``bench/children.py chart``, the figure
``bench/run.py`` reports), alternately as it is and with a window painted before the clock
starts, as the app's main window always is before a chart can be opened; medians of wall and
CPU time and of each phase (numpy; pyqtgraph and the chart modules; the chart made; read and
drawn; painted).

``--turns``: the GUI thread's CPU time in its longest event-loop turns while Charts opens, three
check-ins are saved with it showing and Patterns & insights opens (each round a fresh process;
CPU time stays meaningful on a machine other processes share, where wall-clock gaps do not).

``--felt``: the first chart as a person meets it, each round in a fresh process on the real app:
launch, unlock through the unlock window, read Today for ``--think-ms``, open the Diary, after
another ``--tab-ms`` click Charts; figures are click → first chart painted (cold: pyqtgraph and
numpy are imported in the background on the way, and that is timed too: when the import ran and
how long it took), Diary first paint, the GUI thread's gaps while the background import ran and
over the whole round (a 5 ms timer: the import holds the GIL), and RSS at the end.
``--diary-during-import-ms MS`` opens the Diary that long after the warm-up's import begins
(the person moved meanwhile), rather than after ``--think-ms``; ``--no-turns`` makes the import
run without taking turns with the window (as it did before ``warm.py`` took turns), for a
same-run comparison. With
``FELT_PROFILE=FILE`` in the environment, a cProfile from the Charts click to the chart's
first paint is written to FILE; with ``FELT_PROFILE_DIARY=FILE``, one of the Diary's first paint.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
    parser.add_argument("--felt", action="store_true", help="click Charts in the real app")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--think-ms", type=int, default=1500)
    parser.add_argument("--tab-ms", type=int, default=800)
    parser.add_argument(
        "--diary-during-import-ms",
        type=int,
        help="open the Diary this long after the warm-up's import begins (instead of --think-ms)",
    )
    parser.add_argument(
        "--no-turns",
        action="store_true",
        help="with --felt: the warm-up's import does not take turns with the window (as before)",
    )
    parser.add_argument(
        "--turns",
        action="store_true",
        help="the GUI thread's CPU per event-loop turn: Charts, check-ins, Patterns & insights",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="the first draw in fresh processes, with and without a window painted first",
    )
    parser.add_argument("--turns-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--felt-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))
    if args.felt_child:
        felt_child(
            args.data_dir, args.passphrase, args.think_ms, args.tab_ms, args.diary_during_import_ms
        )
        return 0
    if args.turns_child:
        turns_child(args.data_dir, args.passphrase)
        return 0
    if args.turns:
        with ten_years(args.data_dir) as data_dir:
            return turns(data_dir, args)
    if args.cold:
        with ten_years(args.data_dir) as data_dir:
            return cold(data_dir, args.passphrase, args.rounds)
    if args.felt:
        with ten_years(args.data_dir) as data_dir:
            return felt(data_dir, args)

    with ten_years(args.data_dir) as data_dir:
        return run(data_dir, args.passphrase, args.runs)


@contextlib.contextmanager
def ten_years(data_dir: Path | None) -> Iterator[Path]:
    """The diary given, or a 10-year demo made in a temporary folder (removed afterwards)."""
    if data_dir is not None:
        yield data_dir
        return
    with tempfile.TemporaryDirectory() as tmp:
        made = Path(tmp) / "ten-years"
        print("building a 10-year demo diary…", file=sys.stderr)
        make_demo(made)
        yield made


def cold(data_dir: Path, passphrase: str, rounds: int) -> int:
    """``bench/children.py chart`` in fresh processes, alternately without and with a window
    painted before the clock starts (see the child's text): medians of wall and CPU time and
    of each phase."""
    import json

    env = {**os.environ, "COMPANION_PASSPHRASE": passphrase, "QT_QPA_PLATFORM": "offscreen"}
    results: dict[str, list[dict[str, Any]]] = {"bare": [], "window first": []}
    for i in range(rounds * 2):
        window = i % 2 == 1
        command = [sys.executable, str(ROOT / "bench" / "children.py"), "chart", str(data_dir)]
        command += ["1", "--window-first"] if window else ["1"]
        proc = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH-RESULT ")]
        if not lines:
            print(proc.stderr[-2000:], file=sys.stderr)
            return 1
        results["window first" if window else "bare"].append(
            json.loads(lines[-1].removeprefix("BENCH-RESULT "))
        )
    print(f"load average {os.getloadavg()[0]:.2f}; {rounds} fresh processes each")
    for name, rows in results.items():
        wall = statistics.median(r["cold_ms"] for r in rows)
        cpu = statistics.median(r["cold_cpu_ms"] for r in rows)
        phases = {
            k: statistics.median(r["cold_phases"][k] for r in rows) for k in rows[0]["cold_phases"]
        }
        parts = ", ".join(f"{k} {v:.1f}" for k, v in phases.items())
        print(f"  first draw, {name}: {wall:.1f} ms (CPU {cpu:.1f}) = {parts}")
        each = ", ".join(f"{r['cold_ms']:.0f}" for r in rows)
        print(f"    each: {each}")
    return 0


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
            chart.show_all_days()
            chart.load(service)
            span = chart.data_span()
            assert span is not None
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


# -- the first chart as a person meets it ---------------------------------------------------------


def felt(data_dir: Path, args: argparse.Namespace) -> int:
    import json
    import shutil

    rounds = []
    for i in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "diary"
            shutil.copytree(data_dir, copy)
            env = {**os.environ, "COMPANION_PASSPHRASE": args.passphrase}
            env["QT_QPA_PLATFORM"] = "offscreen"
            if args.no_turns:
                env["FELT_NO_TURNS"] = "1"
            result = subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--felt-child",
                    "--data-dir",
                    str(copy),
                    "--passphrase",
                    args.passphrase,
                    "--think-ms",
                    str(args.think_ms),
                    "--tab-ms",
                    str(args.tab_ms),
                    *(
                        ["--diary-during-import-ms", str(args.diary_during_import_ms)]
                        if args.diary_during_import_ms is not None
                        else []
                    ),
                ],
                env=env,
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
        lines = [x for x in result.stdout.splitlines() if x.startswith("FELT ")]
        if not lines:
            print(result.stderr[-3000:], file=sys.stderr)
            return 1
        rounds.append(json.loads(lines[-1][5:]))
        print(f"round {i + 1}: {lines[-1][5:]}", file=sys.stderr)
    keys = [k for k, v in rounds[0].items() if isinstance(v, int | float)]
    print(
        f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"{len(rounds)} fresh processes, median (min–max)"
    )
    for key in keys:
        values = [r[key] for r in rounds if isinstance(r.get(key), int | float)]
        if values:
            print(
                f"{key:<44}{statistics.median(values):>9.1f}  ({min(values):.1f}–{max(values):.1f})"
            )
    return 0


def felt_child(
    data_dir: Path,
    passphrase: str,
    think_ms: int,
    tab_ms: int,
    diary_during_import_ms: int | None = None,
) -> None:
    import json

    sys.path.insert(0, str(ROOT / "bench"))
    import drive
    from drive import Await, Idle, Painted, Until, Wait, ms, now
    from PySide6.QtCore import Qt

    from companion.ui.app import AppController, make_app
    from companion.ui.charts import warm

    app = make_app()  # noqa: F841  (lives until the end)
    monitor = drive.StallMonitor(interval_ms=5)
    out: dict[str, object] = {}
    clock: dict[str, float] = {}
    # when the mood chart is first painted with data in it (its class patched once imported)
    chart_paints: list[tuple[float, float]] = []  # wall clock, GUI thread's CPU time

    def watch_chart() -> None:
        import pyqtgraph as pg

        from companion.ui.charts.api import MoodChart

        real_set_daily = MoodChart.set_daily
        real_paint = pg.GraphicsView.paintEvent
        watched: list[object] = []

        def set_daily(self: MoodChart, daily: Any) -> None:
            real_set_daily(self, daily)
            if self.data_span() is not None and not watched:
                watched.append(self.plot)

        def paint_event(self: Any, event: Any) -> None:
            real_paint(self, event)
            if watched and self is watched[0] and not chart_paints:
                painted(now(), time.thread_time())  # the end of its paint, data in it

        MoodChart.set_daily = set_daily  # type: ignore[method-assign]
        pg.GraphicsView.paintEvent = paint_event  # type: ignore[method-assign]

    profiler: Any = None

    def painted(wall: float, cpu: float) -> None:
        chart_paints.append((wall, cpu))
        if profiler is not None:
            profiler.disable()  # the profile: click → first chart painted

    real_import = warm._import

    def timed_import(*args: Any) -> None:
        clock["import_start"] = now()
        cpu = time.thread_time()
        real_import(*args)
        clock["import_cpu"] = time.thread_time() - cpu
        clock["import_end"] = now()
        turns = warm._turns
        if turns is not None:  # how often the import gave the window its turn, how long it waited
            clock["import_turns"] = turns.turns
            clock["import_waited_s"] = turns.waited_s
        watch_chart()

    warm._import = timed_import  # type: ignore[assignment]  # looked up when the thread starts
    if os.environ.get("FELT_NO_TURNS"):  # for comparison: the import without taking turns
        warm.SWITCH_S = sys.getswitchinterval()
        warm.TURN_S = float("inf")  # never a turn

    def script() -> drive.Script:
        controller = AppController(data_dir)
        on_main = drive.main_window_paints(controller)
        controller.start()
        yield Painted(controller.window)
        yield Wait(1000)  # typing the passphrase
        window = controller.window
        window.secret.edit.setText(passphrase)

        def arm(resume: Callable[[float], None]) -> None:
            on_main.append(resume)
            window.unlock_button.click()

        unlocked = yield Await(arm)
        clock["unlocked"] = unlocked
        monitor.start("Today, read")
        window = controller.window
        if diary_during_import_ms is None:
            yield Wait(think_ms)
        else:  # the Diary opened while the warm-up imports (the person moved meanwhile)
            yield Until(lambda: "import_start" in clock, timeout_ms=20_000)
            yield Wait(diary_during_import_ms)
        if diary_during_import_ms is None:
            monitor.stage("(measuring memory)")
            out["rss_before_diary_mb"] = drive.settled_rss_mb()  # with the warm-up or not
        out["pyqtgraph_imported_before_diary"] = int("pyqtgraph" in sys.modules)
        monitor.stage("Diary, first open")
        rows = {
            window.nav.item(r).data(Qt.ItemDataRole.UserRole): r for r in range(window.nav.count())
        }
        diary_profile = os.environ.get("FELT_PROFILE_DIARY")  # the same for the Diary's paint
        if diary_profile:
            import cProfile

            diary_profiler = cProfile.Profile()
            diary_profiler.enable()
        start, cpu = now(), time.thread_time()
        window.nav.setCurrentRow(rows["mood"])
        page = window.page("mood")
        painted = yield Painted(page)
        if diary_profile:
            diary_profiler.disable()
            diary_profiler.dump_stats(diary_profile)
        out["diary_first_paint_ms"] = ms(painted - start) if painted else None
        out["diary_first_paint_gui_cpu_ms"] = ms(time.thread_time() - cpu)
        yield Wait(tab_ms)
        monitor.stage("Charts, first open")
        profile = os.environ.get("FELT_PROFILE")  # a cProfile of the Charts stage, to this file
        if profile:
            import cProfile

            nonlocal profiler
            profiler = cProfile.Profile()
            profiler.enable()
        start, cpu = now(), time.thread_time()
        page.tabs.setCurrentIndex(1)
        # the chart with its data: the first paint of its plot after data was set
        yield Until(lambda: bool(chart_paints), timeout_ms=20_000)
        painted, cpu_then = chart_paints[0]
        out["charts_click_to_chart_painted_ms"] = ms(painted - start)
        out["charts_click_to_chart_painted_gui_cpu_ms"] = ms(cpu_then - cpu)
        yield Idle(settle_ms=300)
        out["charts_click_to_all_drawn_ms"] = ms(now() - start)
        if profile:
            profiler.dump_stats(profile)
        monitor.stage("(end)")
        window.lock()
        yield Idle()
        controller.shutdown()

    with drive.quiet_qt_messages():
        runner = drive.Runner(script())
        runner.run()
    monitor.stop()
    if runner.error:
        print(runner.error, file=sys.stderr)
        os._exit(1)
    unlocked = clock["unlocked"]
    if "import_start" in clock:
        start, end = clock["import_start"], clock["import_end"]
        out["import_started_after_unlock_ms"] = ms(start - unlocked)
        out["import_wall_ms"] = ms(end - start)
        out["import_cpu_ms"] = ms(clock["import_cpu"])
        during = monitor.gaps(start, end + 0.05)
        out["gui_max_gap_during_import_ms"] = max(during, default=0.0)
        out["gui_ticks_during_import"] = len(during)
        out["import_turns"] = clock.get("import_turns", 0)
        out["import_waited_ms"] = ms(clock.get("import_waited_s", 0.0))
    marks = dict((name, t) for t, name in monitor.marks)
    stages = [
        (
            "today",
            "Today, read",
            "(measuring memory)" if diary_during_import_ms is None else "Diary, first open",
        ),
        ("diary", "Diary, first open", "Charts, first open"),
        ("charts", "Charts, first open", "(end)"),
    ]
    for key, a, b in stages:
        out[f"gui_max_gap_{key}_ms"] = max(monitor.gaps(marks[a], marks[b]), default=0.0)
    out["rss_end_mb"] = drive.settled_rss_mb()
    print("FELT " + json.dumps(out), flush=True)
    os._exit(0)


def turns(data_dir: Path, args: argparse.Namespace) -> int:
    """``--turns``: each round in a fresh process on a copy of the diary; the longest turns'
    CPU time on the GUI thread per step, median over rounds (CPU time, unlike the wall-clock
    gaps of ``run.py``'s stall monitor, hardly grows when other processes share the cores)."""
    import json
    import shutil

    rounds: list[dict[str, list[float]]] = []
    for i in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "diary"
            shutil.copytree(data_dir, copy)
            env = {**os.environ, "COMPANION_PASSPHRASE": args.passphrase}
            env["QT_QPA_PLATFORM"] = "offscreen"
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--turns-child",
                "--data-dir",
                str(copy),
                "--passphrase",
                args.passphrase,
            ]
            result = subprocess.run(
                command, env=env, capture_output=True, text=True, cwd=ROOT, check=False
            )
        lines = [x for x in result.stdout.splitlines() if x.startswith("TURNS ")]
        if not lines:
            print(result.stderr[-3000:], file=sys.stderr)
            return 1
        rounds.append(json.loads(lines[-1][6:]))
        print(f"round {i + 1}: {lines[-1][6:]}", file=sys.stderr)
    print(
        f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"{len(rounds)} fresh processes; the GUI thread's CPU in its longest turns, ms, median "
        "over rounds (the three longest, and how many turns over 50 ms)"
    )
    for step in rounds[0]:
        longest = [sorted(r[step], reverse=True) for r in rounds]
        top = [statistics.median(t[k] for t in longest if len(t) > k) for k in range(3)]
        over = statistics.median(sum(g > 50 for g in t) for t in longest)
        print(f"{step:<34}{top[0]:>7.1f}{top[1]:>7.1f}{top[2]:>7.1f}   over 50 ms: {over:g}")
    return 0


def turns_child(data_dir: Path, passphrase: str) -> None:
    """The Diary page in a scroll area, as in the window: Charts opened (its background work
    drawn), three check-ins saved with Ctrl+N's window while Charts shows, then Patterns &
    insights opened. A 2 ms timer on the GUI thread notes the thread's CPU time at each tick:
    the CPU between two ticks is one turn's (or several turns run back to back)."""
    import json

    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtWidgets import QScrollArea

    from companion import paths
    from companion.core.device_settings import DeviceSettings
    from companion.core.session import OpenDiary
    from companion.ui import tasks, theme, timers
    from companion.ui.app import make_app
    from companion.ui.charts import warm
    from companion.ui.mood.page import DiaryPage
    from companion.ui.pages import AppContext

    app = make_app()
    device = DeviceSettings(theme="light")
    theme.apply(app, device, dark=False)
    diary = OpenDiary.unlock(paths.vault_path(data_dir), passphrase=passphrase)
    warm.start()  # as after unlock; waited for below, so Charts never waits for the import
    warm.wait()
    cpu: list[float] = [time.thread_time()]
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(2)
    timer.timeout.connect(lambda: cpu.append(time.thread_time()))
    timer.start()

    def settle(done: Any, limit_s: float = 20.0) -> None:
        end = time.perf_counter() + limit_s
        while not done() and time.perf_counter() < end:
            QCoreApplication.processEvents()
            time.sleep(0.001)
        for _ in range(30):  # what the last turn asked for: layouts, paints
            QCoreApplication.processEvents()
            time.sleep(0.002)

    def idle() -> bool:
        return tasks.running() == 0 and timers.running() == 0

    out: dict[str, list[float]] = {}

    def step(name: str, act: Any, done: Any) -> None:
        first = len(cpu)
        act()
        settle(done)
        out[name] = [(b - a) * 1000 for a, b in zip(cpu[first - 1 :], cpu[first:], strict=False)]

    page = DiaryPage(diary, AppContext(data_dir=data_dir, device=device))
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    scroller.setWidget(page)
    scroller.resize(1100, 900)
    scroller.show()
    page.refresh()
    settle(idle)
    step(
        "Charts tab, first open",
        lambda: page.tabs.setCurrentIndex(1),
        lambda: 1 in page._built and idle() and page.charts.busy.isHidden(),
    )
    for i in range(3):
        dialog = page.shortcut.open_dialog()
        settle(dialog.isVisible)
        dialog.form.mood.buttons[(2 + 3 * i) % len(dialog.form.mood.buttons)].click()
        settle(lambda: True)
        step(f"check-in {i + 1} with Charts showing", dialog.form.save_button.click, idle)
    step("Patterns & insights, first open", lambda: page.tabs.setCurrentIndex(2), idle)
    timer.stop()
    print("TURNS " + json.dumps(out), flush=True)
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
