"""Where a GUI stall's wall time goes: the GUI thread's CPU, its wait for a core, and the rest
("blocked": on a GUI thread that does no I/O, waiting for Python's lock while a worker runs
Python, or for a module lock while a worker imports). Linux only (``/proc/thread-self``).

    python bench/gil_gaps.py run DATA_DIR CSV OUT.json [--sample [--late-ms MS]] [--switch-ms MS]
    python bench/gil_gaps.py summary OUT.json...

``run`` is the session child of ``bench/run.py`` (``children.py app``; the diary in DATA_DIR
is written to: give it a copy, and ``COMPANION_PASSPHRASE``), with the GUI thread's CPU time and
run-queue wait recorded at every tick of the stall monitor; ``--sample`` adds a thread that
takes every thread's stack (its innermost ten frames, let go of on the GUI thread:
``drive.FRAMES_HELD``) while the GUI thread is 30 ms late (or ``--late-ms``); ``--switch-ms``
sets Python's switch interval before the app starts (the app may set its own). For an A/B, run
it from each checkout with ``PYTHONPATH`` set to it, alternated, and compare with ``summary``.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from array import array
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: the steps the summary shows (stage names of ``children.py``)
STEPS = (
    "unlock, first page painted",
    "check-in on Today",
    "Charts tab, first open",
    "check-in saved with Charts showing",
    "import: write",
    "Diary page, first open",
)


def _run_queue_s() -> float:
    with open("/proc/thread-self/schedstat", encoding="ascii") as fh:
        return int(fh.read().split()[1]) / 1e9


def run(
    data_dir: str,
    csv_path: str,
    out: str,
    sample: bool,
    switch_ms: float | None,
    late_ms: float = 30,
) -> None:
    # as the app does: no automatic collection in a thread that is not the GUI thread (the
    # sampler allocates, and a collection there could destroy Qt objects; issue 17)
    gc.disable()
    if switch_ms:
        sys.setswitchinterval(switch_ms / 1000)
    sys.path.insert(0, str(HERE))
    import children
    import drive

    cpu = array("d")
    queued = array("d")
    monitors: list[drive.StallMonitor] = []
    stalls: list[dict[str, Any]] = []
    stop = threading.Event()
    tick, init = drive.StallMonitor._tick, drive.StallMonitor.__init__

    def _tick(self: drive.StallMonitor) -> None:
        tick(self)
        cpu.append(time.thread_time())
        queued.append(_run_queue_s())

    def _init(self: drive.StallMonitor, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        monitors.append(self)

    drive.StallMonitor._tick = _tick  # type: ignore[method-assign]
    drive.StallMonitor.__init__ = _init  # type: ignore[method-assign]
    gui = threading.get_ident()

    def sampler() -> None:
        current: dict[str, Any] | None = None
        while not stop.wait(0.004):
            if not monitors or not monitors[0].ticks:
                continue
            monitor = monitors[0]
            beat = monitor.ticks[-1]
            if time.perf_counter() - beat < late_ms / 1000:
                current = None
                continue
            snap = {
                "GUI" if ident == gui else str(ident): stack
                for ident, stack in drive.thread_stacks(10).items()
            }
            if current is None or current["beat"] != beat:
                stage = monitor.marks[-1][1] if monitor.marks else ""
                current = {"beat": beat, "stage": stage, "samples": []}
                stalls.append(current)
            current["samples"].append(snap)

    if sample:
        threading.Thread(target=sampler, daemon=True, name="gil-gaps").start()
    emit = children.emit

    def _emit(result: dict[str, Any], code: int = 0) -> None:
        stop.set()
        time.sleep(0.05)
        monitor = monitors[0]
        ticks, marks = monitor.ticks, monitor.marks
        gaps = []
        for i in range(1, len(ticks)):
            stage = ""
            for start, name in marks:
                if start < ticks[i]:
                    stage = name
            gaps.append(
                {
                    "stage": stage,
                    "wall": round((ticks[i] - ticks[i - 1]) * 1000, 2),
                    "cpu": round((cpu[i] - cpu[i - 1]) * 1000, 2),
                    "run_queue": round((queued[i] - queued[i - 1]) * 1000, 2),
                    # (the ticks themselves, ``time.perf_counter``: to find what ran in a gap)
                    "t0": ticks[i - 1],
                    "t1": ticks[i],
                }
            )
        record = {
            "switch_interval_s": sys.getswitchinterval(),
            "load": os.getloadavg()[0],
            "session": result.get("session"),
            "gaps": gaps,
            "stalls": stalls,
            "error": result.get("error"),
        }
        Path(out).write_text(json.dumps(record), encoding="utf-8")
        emit(result, code)

    children.emit = _emit
    children.app_session(data_dir, csv_path, 5, False)


def summary(files: list[str]) -> None:
    print(
        "each step: worst gap wall/CPU/run queue ms (gaps > 50 ms); blocked ms in its gaps > 8 ms"
    )
    for name in files:
        record = json.loads(Path(name).read_text(encoding="utf-8"))
        cells = []
        for step in STEPS:
            gaps = [g for g in record["gaps"] if g["stage"] == step]
            if not gaps:
                cells.append("-")
                continue
            worst = max(gaps, key=lambda g: g["wall"])
            over = sum(1 for g in gaps if g["wall"] > 50)
            blocked = sum(g["wall"] - g["cpu"] - g["run_queue"] for g in gaps if g["wall"] > 8)
            cells.append(
                f"{worst['wall']:.0f}/{worst['cpu']:.0f}/{worst['run_queue']:.0f} ({over})"
                f" blocked {blocked:.0f}"
            )
        session = record.get("session") or {}
        print(
            f"{Path(name).name}: switch {record['switch_interval_s'] * 1000:g} ms,"
            f" load {record['load']:.2f}, max {session.get('max_ms')} ms,"
            f" {session.get('over_50ms')} gaps > 50 ms"
        )
        for step, cell in zip(STEPS, cells, strict=True):
            print(f"    {step:<38} {cell}")


def _milliseconds(argv: list[str], option: str) -> float | None:
    """The positive number of milliseconds after ``option`` (None when it is not given)."""
    if option not in argv:
        return None
    at = argv.index(option) + 1
    try:
        value = float(argv[at])
    except (IndexError, ValueError):
        value = -1.0
    if not value > 0:
        raise SystemExit(f"{option} takes a number of milliseconds over 0, e.g. {option} 12")
    return value


def main(argv: list[str]) -> None:
    if argv and argv[0] == "run" and len(argv) >= 4:
        switch = _milliseconds(argv, "--switch-ms")
        late = _milliseconds(argv, "--late-ms")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        run(argv[1], argv[2], argv[3], "--sample" in argv, switch, 30 if late is None else late)
    elif argv and argv[0] == "summary":
        summary(argv[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
