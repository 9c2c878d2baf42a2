"""Saves, side by side in one process: what a commit costs the GUI thread, how long until it is
durable, the seal with fresh against reused buffers, the full against the quick integrity
check, how long the caller's thread is held while the writer works, and lock.

    python bench/saves.py [--data-dir D] [--rounds N] [--json FILE] [--gui]

``D`` is a diary made with the bench's passphrase (``COMPANION_PASSPHRASE="bench passphrase
for a synthetic diary" companion demo --data-dir D --days 3650 --seed 7``); it is copied to a
scratch folder on the same file system as the system's temp folder (never written). Without
it a 10-year demo is made there first. Every comparison is interleaved round by round, so the
machine's load falls on both sides alike; figures are medians and p95 over the rounds.

``--gui`` adds the real main window (offscreen): check-ins saved from the Today card, the
save click's time on the GUI thread with background saves against synchronous ones
(alternated check-in by check-in), and ``MainWindow.lock`` with a save just handed over.

``bench/run.py`` runs this once in a fresh process (``children.py saves D N``) and reports
it beside its own save figures, under ``cold_and_warm.saves_background``: ``save_p95_ms`` here is a
commit made durable by the background writer (commit → on disk), ``gui_commit_p95_ms`` what
that commit costs the committing (GUI) thread, ``lock_ms`` the core lock (wait for the writer,
write, close) with a save just handed over. Run alone, it prints its own table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PASS = "bench passphrase for a synthetic diary"
ROOT = Path(__file__).resolve().parent.parent
DEMO_ARGS = ("--days", "3650", "--seed", "7")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(pct(values, 95), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def minor_faults() -> int:
    return resource.getrusage(getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)).ru_minflt


class Ticker:
    """The caller's thread as a GUI thread would be: it wants to run every millisecond; the
    gaps between its turns are the time it was held (by the GIL, here)."""

    def __init__(self) -> None:
        self.gaps: list[float] = []

    def run_while(self, busy: Callable[[], bool]) -> None:
        last = time.perf_counter()
        while busy():
            time.sleep(0.001)
            now = time.perf_counter()
            self.gaps.append((now - last) * 1000)
            last = now


def make_demo(folder: Path) -> None:
    env = dict(os.environ, COMPANION_PASSPHRASE=PASS)
    subprocess.run(
        [sys.executable, "-m", "companion", "demo", "--data-dir", str(folder), *DEMO_ARGS],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def measure(data_dir: Path, rounds: int) -> dict[str, Any]:
    from companion import paths
    from companion.core.session import OpenDiary
    from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
    from companion.storage import format as vault_format
    from companion.storage.database import Database

    vault_path = paths.vault_path(data_dir)
    background = hasattr(OpenDiary, "save_in_background")
    reusable = hasattr(vault_format, "SealBuffers")
    streamed = hasattr(vault_format, "SealedFile")
    out: dict[str, Any] = {
        "sealed_bytes": vault_path.stat().st_size,
        "background_saves_built": background,
        "seal_buffers_built": reusable,
        "streamed_seal_built": streamed,
    }
    rows: dict[str, list[float]] = {}

    def put(name: str, value: float) -> None:
        rows.setdefault(name, []).append(value)

    diary = OpenDiary.unlock(vault_path, passphrase=PASS)
    settings = SettingsService(diary.db)
    image = diary.db.serialize()
    out["image_bytes"] = len(image)
    header = diary.vault._next_header()
    dek = diary.vault._dek
    buffers = vault_format.SealBuffers() if reusable else None
    failures: list[str] = []
    value = 5

    def edit() -> None:
        nonlocal value
        value = 5 + (value + 1) % 50
        settings.set(AUTO_LOCK_MINUTES, value)

    edit()  # the session's first save also links the backups: measure the steady state
    for _round in range(rounds):
        # 1. synchronous save (the CLI; the app before background saves)
        start = time.perf_counter()
        edit()
        put("sync_save_ms", ms_since(start))

        # 2. background: the committing thread's time, then until it is durable
        if background:
            diary.save_in_background(failures.append)
            start = time.perf_counter()
            edit()
            put("bg_commit_gui_ms", ms_since(start))
            diary.flush()
            put("bg_durable_ms", ms_since(start))
            diary.db.stop_background_saves()

        # 3. the seal alone (same image, same key): the whole file at once, against the
        # streamed seal a save uses (chunk by chunk through the vault's reused buffer)
        faults = minor_faults()
        start = time.perf_counter()
        vault_format.seal(header, dek, image)
        put("seal_fresh_ms", ms_since(start))
        put("seal_fresh_faults", minor_faults() - faults)
        if streamed:
            faults = minor_faults()
            start = time.perf_counter()
            for _chunk in vault_format.SealedFile(header, dek, image, buffers).chunks():
                pass
            put("seal_reused_ms", ms_since(start))
            put("seal_reused_faults", minor_faults() - faults)
        elif buffers is not None:
            faults = minor_faults()
            start = time.perf_counter()
            vault_format.seal(header, dek, image, buffers)  # type: ignore[call-arg]
            put("seal_reused_ms", ms_since(start))
            put("seal_reused_faults", minor_faults() - faults)

        # 4. integrity checks on a copy of the image
        probe = Database(image, saver=None, check="opens") if reusable else None
        conn = probe.raw_connection if probe is not None else None
        if conn is None:
            import sqlite3

            conn = sqlite3.connect(":memory:")
            conn.deserialize(image)
        for pragma in ("integrity_check", "quick_check"):
            start = time.perf_counter()
            conn.execute(f"PRAGMA {pragma}").fetchall()
            put(f"{pragma}_ms", ms_since(start))
        if probe is not None:
            probe.close()
        else:
            conn.close()

    # 5. the caller's thread while the writer seals and writes (GIL hold), against idle
    idle = Ticker()
    stop_at = time.perf_counter() + 0.5
    idle.run_while(lambda: time.perf_counter() < stop_at)
    out["ticker_idle_ms"] = {"p99": round(pct(idle.gaps, 99), 2), "max": round(max(idle.gaps), 2)}
    if background:
        diary.save_in_background(failures.append)
        held = Ticker()
        writes = 0
        writer = diary.db._writer
        assert writer is not None
        for _ in range(rounds):
            before = writer.writes
            edit()
            held.run_while(lambda b=before: writer.writes == b)  # type: ignore[misc]
            writes += 1
        diary.flush()
        out["ticker_during_writes_ms"] = {
            "p99": round(pct(held.gaps, 99), 2),
            "max": round(max(held.gaps), 2),
            "writes": writes,
        }
        # coalescing: a burst of 20 commits (a spin box held down)
        first = writer.writes
        start = time.perf_counter()
        for _ in range(20):
            edit()
        burst_gui = ms_since(start)
        diary.flush()
        out["burst_20_commits"] = {
            "gui_ms_total": round(burst_gui, 2),
            "writes": writer.writes - first,
        }
        diary.db.stop_background_saves()
    diary.lock()

    # 6. lock: core lock (flush + close) with a save just handed to the writer, and with none
    for pending in (True, False):
        times = []
        for _ in range(max(1, rounds // 10)):
            diary = OpenDiary.unlock(vault_path, passphrase=PASS)
            settings = SettingsService(diary.db)
            if background:
                diary.save_in_background(failures.append)
            if pending:
                edit()
            start = time.perf_counter()
            diary.lock()
            times.append(ms_since(start))
        out["lock_pending_ms" if pending else "lock_idle_ms"] = summary(times)
    out["failures"] = len(failures)
    for name, values in rows.items():
        out[name] = summary(values)
    # the names bench/run.py reports
    if background:
        out["save_p95_ms"] = out["bg_durable_ms"]["p95"]
        out["gui_commit_p95_ms"] = out["bg_commit_gui_ms"]["p95"]
        out["lock_ms"] = out["lock_pending_ms"]["p50"]
    else:
        out["save_p95_ms"] = out["gui_commit_p95_ms"] = out["sync_save_ms"]["p95"]
        out["lock_ms"] = out["lock_idle_ms"]["p50"]
    return out


def child(data_dir: str, rounds: int) -> dict[str, Any]:
    """For ``bench/children.py``: measure on the copy it was given (already a scratch copy)."""
    out = measure(Path(data_dir), rounds)
    out["load_avg_1m"] = round(os.getloadavg()[0], 2)
    return out


def measure_gui(data_dir: Path, rounds: int) -> dict[str, Any]:
    """Today check-ins in a real MainWindow: the click's GUI-thread time, background against
    synchronous saves in alternation; then the window's lock with a save just handed over."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent

    from companion import paths
    from companion.core.device_settings import DeviceSettings
    from companion.core.session import OpenDiary
    from companion.ui.app import make_app
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import AppContext

    app = make_app()
    vault_path = paths.vault_path(data_dir)
    blocks: dict[str, list[float]] = {"background": [], "synchronous": []}
    cpu: dict[str, list[float]] = {"background": [], "synchronous": []}
    locks: list[float] = []

    def settle() -> None:
        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()

    for _window in range(max(1, rounds // 10)):
        diary = OpenDiary.unlock(vault_path, passphrase=PASS)
        window = MainWindow(diary, AppContext(data_dir=data_dir, device=DeviceSettings()))
        window.show()
        settle()
        today = window.page("today")
        card = next(c for c in today.feature_cards if type(c).__name__ == "CheckInCard")
        for i in range(rounds):
            mode = "background" if i % 2 == 0 else "synchronous"
            if mode == "background":
                diary.save_in_background(None)
            else:
                diary.db.stop_background_saves()
            form = card.form
            form.mood.buttons[(4 + i) % len(form.mood.buttons)].click()
            start, thread_cpu = time.perf_counter(), time.thread_time()
            form.save_button.click()
            blocks[mode].append(ms_since(start))
            cpu[mode].append((time.thread_time() - thread_cpu) * 1000)
            settle()
            diary.flush()  # the next check-in starts from an idle writer, both ways
        diary.save_in_background(None)
        form = card.form
        form.mood.buttons[5].click()
        form.save_button.click()  # handed to the writer: lock must wait for it
        start = time.perf_counter()
        window.lock()
        locks.append(ms_since(start))
        window.close()
        window.deleteLater()
        settle()
    return {
        "gui_checkin_click_background_ms": summary(blocks["background"]),
        "gui_checkin_click_synchronous_ms": summary(blocks["synchronous"]),
        "gui_checkin_click_background_cpu_ms": summary(cpu["background"]),
        "gui_checkin_click_synchronous_cpu_ms": summary(cpu["synchronous"]),
        "gui_lock_with_save_pending_ms": summary(locks),
    }


def report(out: dict[str, Any]) -> None:
    def line(label: str, key: str) -> None:
        if key in out:
            s = out[key]
            print(f"  {label:<44} p50 {s['p50']:8.2f}   p95 {s['p95']:8.2f}   max {s['max']:8.2f}")

    print(f"sealed {out['sealed_bytes']:,} bytes, image {out['image_bytes']:,} bytes")
    print("(ms unless said)")
    line("synchronous save after one edit (durable)", "sync_save_ms")
    line("background: the committing thread", "bg_commit_gui_ms")
    line("background: commit → durable (flush)", "bg_durable_ms")
    line("seal, the whole file at once", "seal_fresh_ms")
    line("seal, the whole file at once: minor page faults", "seal_fresh_faults")
    line("seal, streamed (reused chunk buffer, no disk)", "seal_reused_ms")
    line("seal, streamed: minor page faults", "seal_reused_faults")
    line("PRAGMA integrity_check", "integrity_check_ms")
    line("PRAGMA quick_check", "quick_check_ms")
    line("lock with a save pending (flush + close)", "lock_pending_ms")
    line("lock with nothing pending", "lock_idle_ms")
    line("Today check-in click, GUI thread, background", "gui_checkin_click_background_ms")
    line("Today check-in click, GUI thread, synchronous", "gui_checkin_click_synchronous_ms")
    line("… its CPU time, background", "gui_checkin_click_background_cpu_ms")
    line("… its CPU time, synchronous", "gui_checkin_click_synchronous_cpu_ms")
    line("MainWindow.lock with a save pending", "gui_lock_with_save_pending_ms")
    print(f"  caller's 1 ms ticker, idle: {out['ticker_idle_ms']}")
    if "ticker_during_writes_ms" in out:
        print(f"  caller's 1 ms ticker during background writes: {out['ticker_during_writes_ms']}")
    if "burst_20_commits" in out:
        print(f"  20 commits in a burst: {out['burst_20_commits']}")
    print(f"  save failures reported: {out['failures']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--gui", action="store_true", help="also the real main window")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="companion-bench-saves-") as scratch:
        folder = Path(scratch) / "diary"
        if args.data_dir is not None:
            shutil.copytree(args.data_dir, folder)
        else:
            make_demo(folder)
        os.environ["COMPANION_PASSPHRASE"] = PASS
        out = measure(folder, args.rounds)
        if args.gui:
            out.update(measure_gui(folder, args.rounds))
    out["load_avg_1m"] = round(os.getloadavg()[0], 2)
    report(out)
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
