"""Where the time goes: profiles of the scenarios issue 11 asks about, each in a fresh process.

    python bench/profiles.py SCENARIO --data-dir DIR [--out DIR] [--cprofile]
    python bench/profiles.py all --data-dir DIR --out DIR
    python bench/profiles.py stalls STACKS.json     # summarise run.py --stall-stacks output
    python bench/profiles.py rss --data-dir DIR     # memory page by page

Scenarios (the GUI thread is profiled; pyinstrument samples every millisecond, so the figures
carry little overhead; ``--cprofile`` gives call counts instead, with more overhead):

- ``first-page``: Unlock pressed → the first page painted (cold: first unlock in the process);
- ``checkin``: five check-ins saved from the Today card (the save click and its listeners);
- ``checkin-charts``: five check-ins (Ctrl+N) with the Diary's Charts tab showing;
- ``diary``: the first open of the Diary page, click → painted;
- ``lock``: Lock pressed with every page built → the unlock window painted;
- ``launch``: ``companion`` to the unlock window painted (compare ``python -X importtime``);
- ``save``: forty one-row edits through the core API (no Qt), for the CPU inside a save.

The demo diary in DIR is copied first, so it is never changed. ``COMPANION_PASSPHRASE`` must hold
its passphrase (``bench/run.py`` uses "bench passphrase for a synthetic diary").
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
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENARIOS = ("launch", "first-page", "checkin", "diary", "checkin-charts", "lock", "save")


class Recorder:
    """Starts and stops one profiler around the interesting part, any number of times."""

    def __init__(self, use_cprofile: bool) -> None:
        self.use_cprofile = use_cprofile
        self.wall = 0.0
        self._start = 0.0
        if use_cprofile:
            import cProfile

            self.profiler: Any = cProfile.Profile()
        else:
            from pyinstrument import Profiler

            self.profiler = Profiler(interval=0.001)

    def start(self) -> None:
        self._start = time.perf_counter()
        if self.use_cprofile:
            self.profiler.enable()
        else:
            self.profiler.start()

    def stop(self) -> None:
        if self.use_cprofile:
            self.profiler.disable()
        else:
            self.profiler.stop()
        self.wall += time.perf_counter() - self._start

    def write(self, out: Path, title: str) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        head = f"{title}\nprofiled wall time: {self.wall * 1000:.0f} ms\n\n"
        if self.use_cprofile:
            import io
            import pstats

            buffer = io.StringIO()
            stats = pstats.Stats(self.profiler, stream=buffer)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            out.write_text(head + buffer.getvalue(), encoding="utf-8")
        else:
            text = self.profiler.output_text(unicode=True, color=False, show_all=False)
            out.write_text(head + text, encoding="utf-8")


# -- GUI scenarios --------------------------------------------------------------------------------


def gui(scenario: str, data_dir: Path, rec: Recorder) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import drive
    from drive import Idle, Painted, Until
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from companion.ui.app import AppController, make_app

    make_app()
    controller = AppController(data_dir)

    def script() -> Any:
        yield from drive.unlocked(controller, 1000, rec.start if scenario == "first-page" else None)
        if scenario == "first-page":
            rec.stop()
        window = controller.window
        yield Idle()
        rows = {
            window.nav.item(r).data(Qt.ItemDataRole.UserRole): r for r in range(window.nav.count())
        }
        if scenario == "checkin":
            card = next(
                c for c in window.page("today").feature_cards if type(c).__name__ == "CheckInCard"
            )
            for i in range(5):
                card.form.mood.buttons[3 + i].click()
                rec.start()
                card.form.save_button.click()
                yield Painted(card.form.status, timeout_ms=5000)
                rec.stop()
                yield Idle()
        if scenario in ("diary", "checkin-charts", "lock"):
            if scenario == "diary":
                rec.start()
            window.nav.setCurrentRow(rows["mood"])
            yield Painted(window.page("mood"))
            if scenario == "diary":
                rec.stop()
            yield Idle()
        if scenario == "checkin-charts":
            page = window.page("mood")
            page.tabs.setCurrentIndex(1)
            yield Idle()
            if QApplication.activeWindow() is not window:
                window.activateWindow()
                yield Until(lambda: QApplication.activeWindow() is window)
            for i in range(5):
                QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
                dialog = QApplication.activeModalWidget()
                if dialog is None or not hasattr(dialog, "form"):
                    dialog = page.shortcut.open_dialog()
                yield Painted(dialog)
                dialog.form.mood.buttons[2 + i].click()
                rec.start()
                dialog.form.save_button.click()
                yield Idle(settle_ms=0)
                rec.stop()
                yield Idle()
        if scenario == "lock":
            for page_id, row in rows.items():
                window.nav.setCurrentRow(row)
                yield Painted(window.page(page_id))
                yield Idle()
            rec.start()
            window.lock_button.click()
            yield Painted(controller.window)
            rec.stop()
            yield Idle()
        controller.shutdown()

    with drive.quiet_qt_messages():
        runner = drive.Runner(script())
        runner.run()
    if runner.error:
        raise SystemExit(runner.error)


def launch(data_dir: Path, rec: Recorder) -> None:
    import drive
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import companion.ui.app as app_module

    replace = app_module.AppController._replace_window
    keep: list[object] = []

    def replace_and_watch(self: Any, window: Any) -> None:
        replace(self, window)

        def painted(_t: float) -> None:
            rec.stop()
            QTimer.singleShot(0, QApplication.quit)

        keep.append(drive.watch_paint(window, painted))

    app_module.AppController._replace_window = replace_and_watch  # type: ignore[method-assign]
    from companion.cli import main

    main(["--data-dir", str(data_dir)])


def save(data_dir: Path, rec: Recorder) -> None:
    from companion import paths
    from companion.core.session import OpenDiary
    from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService

    diary = OpenDiary.unlock(
        paths.vault_path(data_dir), passphrase=os.environ["COMPANION_PASSPHRASE"]
    )
    settings = SettingsService(diary.db)
    settings.set(AUTO_LOCK_MINUTES, 7)  # the first save of a session also makes a backup
    rec.start()
    for i in range(40):
        settings.set(AUTO_LOCK_MINUTES, 5 + i % 50)
    rec.stop()
    diary.lock()


# -- memory, page by page -------------------------------------------------------------------------


def rss(data_dir: Path) -> dict[str, Any]:
    """RSS after each step (settled), and what is still alive after lock."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import gc

    import drive
    from drive import Idle, Painted, Wait
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    steps: list[tuple[str, float | None]] = [
        ("interpreter + bench helpers", drive.proc_status()["VmRSS"])
    ]
    from companion.ui.app import AppController, make_app

    make_app()
    steps.append(("QApplication + companion.ui.app imported", drive.settled_rss_mb()))
    controller = AppController(data_dir)
    out: dict[str, Any] = {}

    def script() -> Any:
        controller.start()
        yield Painted(controller.window)
        yield Wait(1000)
        yield Idle()
        steps.append(("unlock window shown, database layer imported", drive.settled_rss_mb()))
        unlock = controller.window
        unlock.secret.edit.setText(os.environ["COMPANION_PASSPHRASE"])
        unlock.unlock_button.click()
        from companion.ui.main_window import MainWindow

        yield drive.Until(lambda: isinstance(controller.window, MainWindow), timeout_ms=60_000)
        window = controller.window
        yield Idle()
        steps.append(("unlocked, Today shown", drive.settled_rss_mb()))
        for r in range(window.nav.count()):
            page_id = window.nav.item(r).data(Qt.ItemDataRole.UserRole)
            if page_id == "today":
                continue
            window.nav.setCurrentRow(r)
            yield Painted(window.page(page_id))
            yield Idle()
            steps.append((f"+ {page_id}", drive.settled_rss_mb()))
            if page_id == "mood":
                page = window.page("mood")
                for index in range(1, page.tabs.count()):
                    page.tabs.setCurrentIndex(index)
                    yield Idle()
                    name = page.tabs.tabText(index).replace("&&", "&")
                    steps.append((f"+ Diary tab {name}", drive.settled_rss_mb()))
        widgets_open = len(QApplication.allWidgets())
        window.lock_button.click()
        yield Painted(controller.window)
        yield Idle()
        del window
        steps.append(("locked (unlock window shown)", drive.settled_rss_mb()))
        gc.collect()
        out["widgets_before_lock"] = widgets_open
        out["widgets_after_lock"] = len(QApplication.allWidgets())
        alive = Counter(type(w).__name__ for w in QApplication.allWidgets())
        out["widget_types_after_lock"] = alive.most_common(12)
        from companion.storage.database import Database

        out["databases_alive_after_lock"] = sum(
            1 for o in gc.get_objects() if isinstance(o, Database)
        )
        controller.shutdown()

    with drive.quiet_qt_messages():
        runner = drive.Runner(script())
        runner.run()
    if runner.error:
        raise SystemExit(runner.error)
    out["steps"] = steps
    out["vm_hwm_mb"] = drive.proc_status().get("VmHWM")
    return out


# -- stalls: where the GUI thread was when it froze ----------------------------------------------


def stalls(path: Path) -> str:
    """For each stall the watchdog caught: its step, about how long, and the innermost frames of
    the project's own code that the samples show most."""
    runs = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for n, run in enumerate(runs, 1):
        lines.append(f"run {n}: {len(run)} stalls over 50 ms")
        for stall in sorted(run, key=lambda s: -len(s["samples"]))[:40]:
            samples = stall["samples"]
            ours: Counter[str] = Counter()
            leaf: Counter[str] = Counter()
            for stack in samples:
                own = [f for f in stack if "companion/" in f and "bench/" not in f]
                if own:
                    ours[own[-1]] += 1
                leaf[stack[-1]] += 1
            lines.append(
                f"  ≈{50 + 10 * len(samples)} ms in “{stall['stage']}”: "
                + "; ".join(f"{k} ×{v}" for k, v in ours.most_common(3))
            )
            lines.append(
                "      innermost: " + "; ".join(f"{k} ×{v}" for k, v in leaf.most_common(2))
            )
    return "\n".join(lines)


# -- entry ----------------------------------------------------------------------------------------


def run_one(scenario: str, data_dir: Path, out: Path | None, use_cprofile: bool) -> None:
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory(prefix="companion-profile-") as tmp:
        copy = Path(tmp) / "diary"
        shutil.copytree(data_dir, copy)
        if scenario == "rss":
            result = rss(copy)
            text = json.dumps(result, indent=1)
            print(text)
            if out:
                out.mkdir(parents=True, exist_ok=True)
                (out / "rss.json").write_text(text, encoding="utf-8")
            os._exit(0)
        rec = Recorder(use_cprofile)
        if scenario == "launch":
            rec.start()
            launch(copy, rec)
        elif scenario == "save":
            save(copy, rec)
        else:
            gui(scenario, copy, rec)
        target = (
            out or Path(tmp)
        ) / f"{scenario}.{'cprofile' if use_cprofile else 'pyinstrument'}.txt"
        rec.write(target, f"scenario {scenario}, data {data_dir}, load {os.getloadavg()[0]:.2f}")
        if out is None:
            print(target.read_text(encoding="utf-8"))
        else:
            print(f"{scenario}: {rec.wall * 1000:.0f} ms profiled → {target}")
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenario", choices=(*SCENARIOS, "all", "rss", "stalls"))
    parser.add_argument("file", nargs="?", type=Path, help="for stalls: the --stall-stacks file")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scenario == "stalls":
        print(stalls(args.file))
        return
    if args.data_dir is None:
        parser.error("--data-dir is needed")
    if args.scenario == "all":
        for scenario in (*SCENARIOS, "rss"):
            command = [sys.executable, __file__, scenario, "--data-dir", str(args.data_dir)]
            if args.out:
                command += ["--out", str(args.out)]
            if args.cprofile:
                command.append("--cprofile")
            subprocess.run(command, check=False)
        return
    run_one(args.scenario, args.data_dir, args.out, args.cprofile)


if __name__ == "__main__":
    main()
