"""What holds the GUI thread when each page first opens: a session like ``run.py``'s (unlock,
the Diary, then every page in sidebar order), with every gap of a 5 ms timer, every garbage
collection (its generation and time) and every ``in_steps`` run still going, by stage.

    python bench/page_stalls.py DATA_DIR [--profile PAGE[,PAGE]] [--out DIR] [--rounds N]

``COMPANION_PASSPHRASE`` must hold the demo diary's passphrase; the diary is copied first.
With ``--profile``, the named pages' opens (click → idle) are sampled by pyinstrument (1 ms).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def session(data_dir: Path, profile: set[str], out: Path | None, tabs: bool) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import drive
    from drive import Idle, Painted, Wait, now
    from PySide6.QtCore import Qt

    from companion.ui import timers
    from companion.ui.app import AppController, make_app

    make_app()
    monitor = drive.StallMonitor(interval_ms=5)
    collections: list[tuple[float, int, float, int]] = []  # (end, generation, ms, collected)
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            begun = started.pop()
            end = time.perf_counter()
            collections.append(
                (end, info["generation"], (end - begun) * 1000, info.get("collected", 0))
            )

    gc.callbacks.append(on_gc)
    controller = AppController(data_dir)
    steps_running: dict[str, int] = {}
    fulls: dict[str, float] = {}

    def script() -> Any:
        yield from drive.unlocked(
            controller, 1000, lambda: monitor.start("unlock, first page painted")
        )
        window = controller.window
        yield Idle()
        rows = {
            window.nav.item(r).data(Qt.ItemDataRole.UserRole): r for r in range(window.nav.count())
        }
        for page_id, row in rows.items():
            if page_id == "today":
                continue
            stage = f"{page_id} page, first open"
            monitor.stage(stage)
            steps_running[stage] = timers.running()
            profiler = None
            if page_id in profile:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.001)
                profiler.start()
            start = now()
            window.nav.setCurrentRow(row)
            painted = yield Painted(window.page(page_id))
            yield Idle()
            if profiler is not None:
                profiler.stop()
                if out is not None:
                    text = profiler.output_text(unicode=True, color=False, show_all=False)
                    (out / f"{page_id}.txt").write_text(text, encoding="utf-8")
            monitor.stage(f"({page_id} painted after {drive.ms(painted - start):.0f} ms)")
            yield Wait(300)
            if page_id == "mood" and tabs:
                page = window.page("mood")
                for index in range(1, page.tabs.count()):
                    monitor.stage(f"(Diary tab {index})")
                    page.tabs.setCurrentIndex(index)
                    yield Painted(page.tabs.widget(index))
                    yield Idle()
                    yield Wait(300)
        monitor.stage("(over)")
        # what a full collection costs now, walking everything the session made (as the
        # old policy's did), and again once that is frozen (as gc_policy's do after their first)
        begun = time.perf_counter()
        gc.collect()
        fulls["everything since start-up"] = (time.perf_counter() - begun) * 1000
        gc.freeze()
        window.nav.setCurrentRow(rows["mood"])
        yield Idle()
        window.nav.setCurrentRow(rows["settings"])
        yield Idle()
        begun = time.perf_counter()
        gc.collect()
        fulls["after a freeze (two more page shows)"] = (time.perf_counter() - begun) * 1000
        gc.unfreeze()
        controller.shutdown()

    with drive.quiet_qt_messages():
        runner = drive.Runner(script())
        runner.run()
    monitor.stop()
    gc.callbacks.remove(on_gc)
    if runner.error:
        raise SystemExit(runner.error)
    rows = []
    for i, (start, name) in enumerate(monitor.marks):
        end = monitor.marks[i + 1][0] if i + 1 < len(monitor.marks) else monitor.ticks[-1]
        gaps = [round(g, 1) for g in monitor.gaps(start, end) if g > 16]
        gcs = [(g, round(t, 1), n) for (e, g, t, n) in collections if start < e <= end and t > 2]
        (gui0, all0), (gui1, all1) = monitor.cpu[i], monitor.cpu[i + 1]
        rows.append(
            {
                "stage": name,
                "gui_cpu_ms": round((gui1 - gui0) * 1000, 1),
                "process_cpu_ms": round((all1 - all0) * 1000, 1),
                "max_ms": max(monitor.gaps(start, end), default=0),
                "gaps_over_16": gaps,
                "collections_over_2ms": gcs,
                "in_steps_running_at_start": steps_running.get(name),
            }
        )
    full = [round(t, 1) for (_e, g, t, _n) in collections if g == 2]
    return {"stages": rows, "full_collections_ms": full, "full_collection_cost_ms": fulls}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--profile", default="")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--tabs", action="store_true", help="open every Diary tab first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "diary"
        shutil.copytree(args.data_dir, copy)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
        result = session(copy, set(filter(None, args.profile.split(","))), args.out, args.tabs)
    for row in result["stages"]:
        print(
            f"{row['max_ms']:6.1f}  cpu {row['gui_cpu_ms']:6.1f} gui "
            f"{row['process_cpu_ms']:6.1f} all"
            f"  {row['stage']}  steps running: "
            f"{row['in_steps_running_at_start']}  gaps>16: {row['gaps_over_16']}  "
            f"gc: {row['collections_over_2ms']}"
        )
    print("full collections (ms):", result["full_collections_ms"])
    print("a full collection at the end:", result["full_collection_cost_ms"])
    if args.json:
        args.json.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
