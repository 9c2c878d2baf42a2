"""The GUI thread's turns while one page (or one Diary tab) first opens, each with its wall time
and the GUI thread's own CPU time: a gap whose CPU is far below its wall time was spent waiting
(for Python's lock held by a worker, or for a core on a busy machine), one whose CPU is close
to it was work on the GUI thread (what to split or trim).

    python bench/open_turns.py DATA_DIR [--page medications] [--tab N] [--rounds 3] [--ahead]

``COMPANION_PASSPHRASE`` must hold the diary's passphrase (the diary is copied first). Each
round is a fresh process: unlock, the main window at 1100×760, two quiet seconds (the
warm-up after unlock is over), then the page
opened (with ``--tab``, the page first, then that tab) and a 5 ms timer's gaps recorded until
the page has been idle for half a second (with ``--ahead``, the page is first built out of
sight, a second and a half before the click, as the main window may while the person is
still: the open is then of a page already built). Prints, per round, the five longest gaps as
wall/CPU ms and when they began (ms after the click), the GUI CPU of the whole open, and how
many gaps were over 40 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def child(data_dir: Path, page_id: str, tab: int | None, ahead: bool = False) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import drive
    from drive import Idle, Painted, Wait
    from PySide6.QtCore import Qt, QTimer

    from companion.ui.app import AppController, make_app

    make_app()
    ticks: list[tuple[float, float]] = []  # (wall, GUI thread CPU)
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append((time.perf_counter(), time.thread_time())))
    controller = AppController(data_dir)
    marks: dict[str, float] = {}

    def script() -> Any:
        yield from drive.unlocked(controller, 500)
        window = controller.window
        window.resize(1100, 760)
        yield Idle()
        yield Wait(2000)  # the warm-up after unlock (chart modules, page modules) is over
        yield Idle()
        rows = {
            window.nav.item(r).data(Qt.ItemDataRole.UserRole): r for r in range(window.nav.count())
        }
        if ahead:
            window.page(page_id)  # built out of sight
            yield Idle()
            yield Wait(1500)
            yield Idle()
        if tab is not None:
            window.nav.setCurrentRow(rows[page_id])
            yield Painted(window.page(page_id))
            yield Idle()
            yield Wait(800)
            yield Idle()
        timer.start()
        yield Wait(100)
        marks["click"] = time.perf_counter()
        if tab is None:
            window.nav.setCurrentRow(rows[page_id])
            yield Painted(window.page(page_id))
        else:
            page = window.page(page_id)
            page.tabs.setCurrentIndex(tab)
            yield Painted(page.tabs.widget(tab))
        yield Idle()
        yield Wait(500)
        marks["end"] = time.perf_counter()
        timer.stop()
        controller.shutdown()

    with drive.quiet_qt_messages():
        runner = drive.Runner(script())
        runner.run()
    if runner.error:
        raise SystemExit(runner.error)
    click, end = marks["click"], marks["end"]
    seen = [t for t in ticks if click - 0.01 <= t[0] <= end]
    gaps = [
        ((b[0] - a[0]) * 1000, (b[1] - a[1]) * 1000, (a[0] - click) * 1000)
        for a, b in pairwise(seen)
    ]
    return {
        "longest": sorted(gaps, reverse=True)[:5],
        "gui_cpu_ms": sum(g[1] for g in gaps),
        "over_40": sum(1 for g in gaps if g[0] > 40),
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--page", default="medications")
    parser.add_argument("--tab", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ahead", action="store_true", help="build the page out of sight first")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args.data_dir, args.page, args.tab, args.ahead)
        print("RESULT " + json.dumps(result), flush=True)
        os._exit(0)
    for n in range(args.rounds):
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "diary"
            shutil.copytree(args.data_dir, copy)
            command = [sys.executable, __file__, str(copy), "--page", args.page, "--child"]
            if args.tab is not None:
                command += ["--tab", str(args.tab)]
            if args.ahead:
                command.append("--ahead")
            done = subprocess.run(command, capture_output=True, text=True, check=True)
        line = next(s for s in done.stdout.splitlines() if s.startswith("RESULT "))
        result = json.loads(line.removeprefix("RESULT "))
        longest = ", ".join(f"{w:.0f}/{c:.0f}@{at:.0f}" for w, c, at in result["longest"])
        print(
            f"round {n + 1} (load {result['load']:.2f}): longest gaps wall/CPU@ms {longest}; "
            f"GUI CPU {result['gui_cpu_ms']:.0f} ms; gaps over 40 ms: {result['over_40']}"
        )


if __name__ == "__main__":
    main()
