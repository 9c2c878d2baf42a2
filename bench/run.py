"""Companion's performance benchmarks (DESIGN §10). Not tests: they print figures beside budgets.

    python bench/run.py [--quick] [--json FILE] [--rounds N] [--days N] [--stall-stacks FILE]

Builds a synthetic diary with ``companion demo --days 3650 --seed 7`` (real KDF parameters) in a
scratch folder, then runs rounds of FRESH processes (``bench/children.py``), each kind once per
round so the machine's load drifts over all of them alike:

- launch: the bare PySide6 window and ``companion --data-dir D``, whole processes, alternated
  A B / B A, each to its first window painted;
- the app: launch, unlock through the unlock window, five check-ins on Today, the Diary page,
  its Charts tab, five check-ins (Ctrl+N) with Charts showing, every page and tab, an import,
  lock; then unlock, every page and lock again in the same process (warm). A timer on the GUI
  thread records every gap between its ticks throughout;
- the mood chart: first draw in a fresh process (pyqtgraph's import included), warm draws,
  pan/zoom frames interleaved with an empty pyqtgraph plot;
- saves: a one-row edit's durable save, interleaved with the floor (serialize, AES-GCM, write +
  fdatasync + rename + directory fsync of the same size) measured in the same rounds.

Cold means the first time in a fresh process (imports, first call, first paint included); warm
means the same work again in the same process. Medians over rounds, with the range, and ratios
from this one run. ``--quick`` is a smoke run for CI (a small diary, one round): its figures say
that the bench works, not how fast the app is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHILDREN = Path(__file__).resolve().parent / "children.py"
PASS = "bench passphrase for a synthetic diary"
NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    budget: float | None
    what: str
    includes: str
    leaves_out: str


FIGURES = (
    Figure(
        "launch_ratio",
        "×",
        1.3,
        "launch to the unlock window painted ÷ a bare PySide6 window painted",
        "whole processes from the parent's spawn to the first window's first paint pass: "
        "interpreter start, imports, argument parsing, hardening, instance lock, theme, window; "
        "the ratio of the medians of alternated runs",
        "what happens after the first paint (the device-unlock attempt, the warm-up import, "
        "the raise-window socket)",
    ),
    Figure(
        "unlock_beyond_kdf_ms_cold",
        "ms",
        150,
        "Unlock pressed → the first page painted, minus the KDF, first unlock in the process",
        "reading and opening the vault, deserialize, integrity check, migrations check, the "
        "main window and the cards of Today's first screen built, the first paint",
        "the Argon2id KDF (timed exactly inside the unlock and subtracted); what the unlock "
        "window prepares on a worker while the passphrase is typed (the database layer, the "
        "features' registries, the modules of the main window and Today: reported "
        "separately); Today's other cards, built one per event-loop turn after the first "
        "paint (the stall monitor sees them)",
    ),
    Figure(
        "save_p95_ms",
        "ms",
        40,
        "a one-row edit committed and saved durably, p95",
        "the commit, serialize, seal (AES-GCM), temp write, fdatasync, backups, rename, "
        "directory fsync, pruning — on the same disk as the floor it is compared with",
        "anything a widget does after a save (listeners, repaints: see the GUI stalls)",
    ),
    Figure(
        "gui_max_stall_ms",
        "ms",
        50,
        "longest gap between two ticks of a 5 ms timer on the GUI thread in the session",
        "unlock, a still moment on Today while the pages are built ahead, 5 check-ins on "
        "Today, Diary, Charts, 5 check-ins (Ctrl+N) with Charts showing, every page and tab, "
        "an import, lock (until the unlock window is painted)",
        "the launch before the unlock window; the warm second pass",
    ),
    Figure(
        "gui_p99_stall_ms",
        "ms",
        16,
        "p99 of those gaps, each weighted by how long it lasted",
        "the same session; a gap counts as often as it lasted, so a long freeze is not "
        "outvoted by idle ticks (the count-based p99 is in the details)",
        "the idle time between steps is short (100 ms after the work settles), so this is "
        "the figure of a quick, busy person; of the still moment on Today only the gaps "
        "over 16 ms count (its idle ticks would dilute the percentile)",
    ),
    Figure(
        "diary_first_paint_ms_cold",
        "ms",
        300,
        "Diary in the sidebar → the Diary page painted, first time in the process",
        "building the page and its tabs, reading the history, the first paint",
        "the Charts tab's own first draw and its background work (in the details)",
    ),
    Figure(
        "chart_first_draw_ms_cold",
        "ms",
        150,
        "a 10-year mood chart built and painted, first in a fresh process",
        "importing the chart modules (pyqtgraph, numpy), reading the daily series, the first "
        "paint at 1000×420",
        "unlock (done before the clock starts)",
    ),
    Figure(
        "chart_frame_ms",
        "ms",
        16,
        "one pan or zoom frame with all ten years in view, median (the slower of pan and zoom)",
        "moving the view and painting the plot at 1000×420",
        "an empty pyqtgraph plot does the same in the time shown beside it (the floor)",
    ),
    Figure(
        "lock_ms",
        "ms",
        200,
        "Lock pressed at the end of the session → the diary hidden and the unlock window painted",
        "saving what is typed, the vault save, closing the database, hiding the diary and "
        "cutting it off, building and painting the unlock window",
        "deleting the old pages, done after that a slice per event-loop turn (the tail "
        "lock_teardown_ms and its longest slice are in the details; the slices count in "
        "gui_max_stall_ms)",
    ),
    Figure(
        "rss_all_pages_mb",
        "MB",
        300,
        "resident memory with every page and every Diary tab opened (VmRSS)",
        "after a garbage collection and Qt's deferred deletes, during the session (10 "
        "check-ins made)",
        "the peak during the KDF (VmHWM is in the details)",
    ),
    Figure(
        "pdf_90d_ms",
        "ms",
        1500,
        "90-day PDF summary with charts",
        "",
        "not measured here: bench/bench_reports.py measures it from a real diary (cold and warm)",
    ),
    Figure(
        "import_50mb_rss_mb",
        "MB",
        300,
        "peak memory importing a 50 MB file",
        "",
        "not measured here: bench/bench_import.py imports a 50 MB, 200,000-row file; the "
        "session imports a small CSV through the dialog (its stalls are in the session figures)",
    ),
)
BUDGETS = {f.name: f.budget for f in FIGURES}


# -- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cores": os.cpu_count(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
        names = [ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if "model name" in ln]
        info["cpu"] = names[0] if names else platform.processor()
        mem = Path("/proc/meminfo").read_text(encoding="ascii").split()
        info["memory_gib"] = round(int(mem[mem.index("MemTotal:") + 1]) / 1024**2, 1)
    except (OSError, ValueError):
        info["cpu"] = platform.processor()
    try:
        probe = (
            "import PySide6, PySide6.QtCore as c, pyqtgraph, numpy, sqlalchemy, sqlite3, "
            "cryptography; print(PySide6.__version__, c.qVersion(), pyqtgraph.__version__, "
            "numpy.__version__, sqlalchemy.__version__, sqlite3.sqlite_version, "
            "cryptography.__version__)"
        )
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout.split()
        keys = ("pyside6", "qt", "pyqtgraph", "numpy", "sqlalchemy", "sqlite", "cryptography")
        info["versions"] = dict(zip(keys, out, strict=True))
    except (subprocess.CalledProcessError, ValueError):
        info["versions"] = {}
    try:
        info["commit"] = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "unknown"
    return info


def filesystem_of(path: Path) -> str:
    """The file system type holding ``path`` (tmpfs would leave fsync out of the saves)."""
    best, kind = "", "unknown"
    try:
        for line in Path("/proc/mounts").read_text(encoding="ascii").splitlines():
            parts = line.split()
            mount, fstype = parts[1], parts[2]
            if str(path).startswith(mount) and len(mount) > len(best):
                best, kind = mount, fstype
    except OSError:
        pass
    return kind


def load() -> float:
    return round(os.getloadavg()[0], 2)


# -- children ---------------------------------------------------------------------------------


class ChildFailed(Exception):
    pass


class Bench:
    def __init__(self, scratch: Path, *, bytecode: bool, quiet: bool) -> None:
        self.scratch = scratch
        self.quiet = quiet
        self.loads: list[float] = []
        self.failures: list[str] = []
        env = {**os.environ, "COMPANION_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("COMPANION_DATA_DIR", None)
        if bytecode:
            # As an installed app runs: modules compiled once (by the warm-up), then loaded
            # from the cache, which lives in the scratch folder rather than the checkout.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.env = env
        self.copies = 0

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def child(self, kind: str, *args: str, timeout: float = 900) -> dict[str, Any]:
        self.loads.append(load())
        try:
            proc = subprocess.run(
                [sys.executable, str(CHILDREN), kind, *args],
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired as exc:
            raise ChildFailed(f"{kind}: still running after {timeout:.0f} s") from exc
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH-RESULT ")]
        if not lines:
            tail = "\n".join(proc.stderr.strip().splitlines()[-12:])
            raise ChildFailed(f"{kind}: exit code {proc.returncode}, no result\n{tail}")
        result: dict[str, Any] = json.loads(lines[-1].removeprefix("BENCH-RESULT "))
        if proc.returncode != 0:
            result.setdefault("error", f"exit code {proc.returncode}")
        return result

    def launch(self, kind: str, data_dir: Path) -> dict[str, Any]:
        stamp = repr(time.time())
        if kind == "bare":
            return self.child("launch-bare", stamp, timeout=120)
        if kind == "floor":
            return self.child("launch-floor", stamp, str(self.scratch / "floor.json"), timeout=120)
        return self.child("launch-app", stamp, str(data_dir), timeout=120)

    def copy(self, source: Path) -> Path:
        self.copies += 1
        target = self.scratch / f"copy{self.copies}"
        shutil.copytree(source, target)
        return target


def make_demo(bench: Bench, directory: Path, days: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "companion", "demo", "--data-dir", str(directory),
         "--days", str(days), "--seed", "7"],
        env=bench.env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )  # fmt: skip
    return time.perf_counter() - start


def write_import_csv(path: Path, rows: int) -> None:
    """A generic CSV export from another app: one evening check-in a day, a while back."""
    import random

    rng = random.Random(11)
    first = date.today() - timedelta(days=400 + rows)
    lines = ["date,time,mood,anxiety,energy,tags,note"]
    for i in range(rows):
        day = first + timedelta(days=i)
        lines.append(
            f"{day.isoformat()},21:{17 + i % 40:02d},{rng.randint(0, 10)},{rng.randint(0, 10)},"
            f"{rng.randint(0, 10)},walk;friends,an imported note {i}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- statistics -------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def med(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values: list[Any]) -> list[float] | None:
    values = [v for v in values if isinstance(v, int | float)]
    return [round(min(values), 2), round(max(values), 2)] if values else None


# -- the run ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    rounds = args.rounds or (1 if args.quick else 5)
    days = args.days or (60 if args.quick else 3650)
    launch_pairs = 1 if args.quick else 3
    checkins = 2 if args.quick else 5
    chart_runs = 2 if args.quick else 10
    edits = 6 if args.quick else 40
    info = machine()
    info["load_at_start"] = list(os.getloadavg())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        scratch = Path(tmp)
        cached = not (args.no_bytecode or args.quick)
        bench = Bench(scratch, bytecode=cached, quiet=args.json_only)
        info["scratch_filesystem"] = filesystem_of(scratch)
        info["bytecode"] = (
            "compiled once, then cached"
            if cached
            else "not cached: the project's modules compiled in every process"
        )
        demo = scratch / "demo"
        if args.data_dir:
            shutil.copytree(args.data_dir, demo)
            info["demo"] = {"source": str(args.data_dir)}
        else:
            bench.say(f"building a {days}-day demo diary…")
            info["demo"] = {
                "days": days,
                "seconds_to_build": round(make_demo(bench, demo, days), 1),
            }
        vault = next(demo.glob("*.companion"), None)
        info["demo"]["vault_bytes"] = vault.stat().st_size if vault else None
        csv_path = scratch / "import.csv"
        import_rows = 30 if args.quick else 365
        write_import_csv(csv_path, import_rows)
        info["import_rows"] = import_rows

        try:  # what the floor window copies from the unlock window
            bench.child("floor-spec", str(scratch / "floor.json"), timeout=120)
        except ChildFailed as exc:
            bench.failures.append(f"floor window: {exc}")
        if cached:  # a smoke run does without the cache: it only proves the bench works
            bench.say("warming up (compiling modules; nothing measured)…")
            try:
                bench.child("warmup", timeout=600)
                for kind in ("bare", "app", "floor"):
                    bench.launch(kind, demo)
            except ChildFailed as exc:
                bench.failures.append(f"warm-up: {exc}")

        raw: dict[str, list[Any]] = {
            "bare": [],
            "app_launch": [],
            "floor": [],
            "app": [],
            "chart": [],
            "save": [],
        }
        round_loads: list[list[float]] = []
        for r in range(rounds):
            bench.say(f"round {r + 1}/{rounds} (load {load():.2f})…")
            first = len(bench.loads)
            for pair in range(launch_pairs):
                order = ("bare", "app", "floor")
                if (r * launch_pairs + pair) % 2:
                    order = order[::-1]
                for kind in order:
                    try:
                        result = bench.launch(kind, demo)
                        raw[{"app": "app_launch"}.get(kind, kind)].append(result)
                    except ChildFailed as exc:
                        bench.failures.append(f"launch ({kind}): {exc}")
            jobs = () if args.launch_only else (
                ("app", lambda: bench.child(
                    "app", str(bench.copy(demo)), str(csv_path), str(checkins),
                    *(["--stall-stacks"] if args.stall_stacks else []),
                )),
                ("chart", lambda: bench.child("chart", str(bench.copy(demo)), str(chart_runs))),
                ("save", lambda: bench.child("save", str(bench.copy(demo)), str(edits))),
            )  # fmt: skip
            for name, job in jobs:
                try:
                    result = job()
                    if result.get("error"):
                        bench.failures.append(f"{name}: {result['error']}")
                    raw[name].append(result)
                except ChildFailed as exc:
                    bench.failures.append(f"{name}: {exc}")
            round_loads.append(bench.loads[first:])
        if not args.launch_only:
            try:  # bench/saves.py, once: background saves side by side with synchronous ones
                raw["saves"] = [bench.child("saves", str(bench.copy(demo)), str(edits))]
            except ChildFailed as exc:
                bench.failures.append(f"saves: {exc}")
        info["launch_only"] = bool(args.launch_only)
        info["load_at_end"] = list(os.getloadavg())
        info["load_per_child"] = spread(bench.loads)
        info["seconds"] = round(time.perf_counter() - started, 1)
        if args.stall_stacks:
            stacks = [res.get("stall_stacks", []) for res in raw["app"]]
            Path(args.stall_stacks).write_text(json.dumps(stacks), encoding="utf-8")
        return summarise(raw, info, bench.failures, round_loads)


def summarise(
    raw: dict[str, list[Any]], info: dict[str, Any], failures: list[str], round_loads: Any
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    ranges: dict[str, Any] = {}
    side: dict[str, Any] = {}
    details: dict[str, Any] = {"round_loads": round_loads}

    def put(name: str, values: list[Any], *, value: float | None = None) -> None:
        numbers = [v for v in values if isinstance(v, int | float)]
        result = value if value is not None else med(numbers)
        figures[name] = round(result, 2) if result is not None else NOT_MEASURED
        ranges[name] = {"range": spread(numbers), "n": len(numbers)}

    # launch
    bare = [r["wall_s"] * 1000 for r in raw["bare"]]
    ours = [r["wall_s"] * 1000 for r in raw["app_launch"]]
    if bare and ours:
        ratio = statistics.median(ours) / statistics.median(bare)
        pairs = [o / b for o, b in zip(ours, bare, strict=False)]
        put("launch_ratio", pairs, value=ratio)
        cpu_ratio = statistics.median([r["cpu_s"] for r in raw["app_launch"]]) / statistics.median(
            [r["cpu_s"] for r in raw["bare"]]
        )
        side["launch"] = {
            "app_ms": round(statistics.median(ours), 1),
            "bare_ms": round(statistics.median(bare), 1),
            "app_cpu_ms": round(
                statistics.median([r["cpu_s"] for r in raw["app_launch"]]) * 1000, 1
            ),
            "bare_cpu_ms": round(statistics.median([r["cpu_s"] for r in raw["bare"]]) * 1000, 1),
            "cpu_ratio": round(cpu_ratio, 2),
            "app_rss_mb": med([r["rss_mb"] for r in raw["app_launch"]]),
            "bare_rss_mb": med([r["rss_mb"] for r in raw["bare"]]),
            "runs": [len(ours), len(bare)],
        }
        floor = [r["wall_s"] * 1000 for r in raw.get("floor", [])]
        if floor:  # a plain PySide6 copy of the unlock window: what no app code can go below
            side["launch"]["floor_ms"] = round(statistics.median(floor), 1)
            side["launch"]["floor_cpu_ms"] = round(
                statistics.median([r["cpu_s"] for r in raw["floor"]]) * 1000, 1
            )
            side["launch"]["floor_ratio"] = round(
                statistics.median(floor) / statistics.median(bare), 2
            )
            side["launch"]["app_to_floor"] = round(
                statistics.median(ours) / statistics.median(floor), 2
            )
    else:
        put("launch_ratio", [])

    # the app session
    apps = [r for r in raw["app"] if r.get("figures")]
    f = [r["figures"] for r in apps]

    def col(key: str) -> list[Any]:
        return [x.get(key) for x in f]

    put("unlock_beyond_kdf_ms_cold", col("unlock_beyond_kdf_ms_cold"))
    put("diary_first_paint_ms_cold", col("diary_first_paint_ms_cold"))
    put("lock_ms", col("lock_ms_cold"))
    put("rss_all_pages_mb", col("rss_all_pages_mb_cold"))
    complete = [r for r in apps if r.get("session_complete")]
    put("gui_max_stall_ms", [r["session"].get("max_ms") for r in complete])
    put("gui_p99_stall_ms", [r["session"].get("p99_time_weighted_ms") for r in complete])
    for key in (
        "unlock_beyond_kdf_ms", "unlock_kdf_ms", "unlock_worker_beyond_kdf_ms",
        "unlock_main_window_build_ms", "unlock_first_paint_ms", "diary_first_paint_ms",
        "diary_build_ms", "lock_ms", "lock_gui_block_ms", "lock_teardown_ms",
        "lock_teardown_max_slice_ms", "lock_teardown_slices", "rss_all_pages_mb", "vm_hwm_mb",
        "rss_after_lock_mb",
    ):  # fmt: skip
        side[key] = {
            "cold": med(col(f"{key}_cold")),
            "warm": med(col(f"{key}_warm")),
            "cold_range": spread(col(f"{key}_cold")),
            "warm_range": spread(col(f"{key}_warm")),
        }
    for key in (
        "launch_in_process_ms", "database_layer_import_ms", "unlock_prepare_ms",
        "charts_tab_sync_ms",
        "charts_tab_first_paint_ms", "charts_tab_background_done_ms", "import_dialog_open_ms",
        "import_read_ms", "import_preview_gui_block_ms", "import_write_gui_block_ms",
        "rss_unlocked_mb", "rss_after_today_checkins_mb", "rss_diary_open_mb",
        "rss_after_charts_checkins_mb",
    ):  # fmt: skip
        details[key] = {"median": med(col(key)), "range": spread(col(key))}
    for key in (
        "checkin_today_gui_block_ms", "checkin_today_to_paint_ms", "checkin_dialog_open_ms",
        "checkin_charts_gui_block_ms", "checkin_charts_until_idle_ms",
    ):  # fmt: skip
        pooled = [v for x in col(key) if x for v in x if v is not None]
        details[key] = {
            "p50": med(pooled),
            "max": max(pooled) if pooled else None,
            "n": len(pooled),
        }
    pages: dict[str, dict[str, Any]] = {}
    for phase in ("cold", "warm"):
        for opened in col(f"page_first_open_ms_{phase}"):
            for page, value in (opened or {}).items():
                pages.setdefault(page, {}).setdefault(phase, []).append(value)
    details["page_first_open_ms"] = {
        page: {phase: med(v) for phase, v in by.items()} for page, by in pages.items()
    }
    again: dict[str, list[Any]] = {}
    for shown in col("page_shown_again_ms_warm"):
        for page, value in (shown or {}).items():
            again.setdefault(page, []).append(value)
    details["page_shown_again_ms_warm"] = {page: med(v) for page, v in again.items()}
    stages: dict[str, dict[str, Any]] = {}
    for result in complete:
        over = False
        for row in result["stages"]:
            if row["stage"] == "(session over)":
                over = True
            if over or not row.get("ticks") or row["stage"].startswith("("):
                continue
            s = stages.setdefault(row["stage"], {"max_ms": 0.0, "over_50ms": 0, "seconds": 0.0})
            s["max_ms"] = max(s["max_ms"], row["max_ms"])
            s["over_50ms"] += row["over_50ms"]
            s["seconds"] = round(s["seconds"] + row["seconds"], 3)
    details["session_stages"] = stages
    typing = [
        row.get("max_ms")
        for result in complete
        for row in result["stages"]
        if row["stage"] == "(the unlock window while the passphrase is typed)"
    ]
    details["unlock_window_max_stall_ms"] = {"median": med(typing), "range": spread(typing)}
    details["session"] = [r["session"] for r in complete]
    full = [c for r in complete for c in r.get("collections", []) if c["generation"] == 2]
    details["full_collections"] = {
        "n": len(full),
        "median_ms": med([c["ms"] for c in full]),
        "max_ms": max((c["ms"] for c in full), default=None),
        "in_page_opens": sum(1 for c in full if "first open" in c["stage"]),
        "stages": sorted({c["stage"] for c in full}),
    }
    details["notes"] = sorted({n for r in apps for n in r.get("notes", [])})
    details["import"] = sorted({x.get("import_summary") or "" for x in f} - {""})

    # the chart
    charts = raw["chart"]
    put("chart_first_draw_ms_cold", [c["cold_ms"] for c in charts])
    put("chart_frame_ms", [max(c["pan_all_ms"], c["zoom_all_ms"]) for c in charts])
    if charts:
        side["chart"] = {
            k: med([c[k] for c in charts])
            for k in (
                "cold_ms", "cold_cpu_ms", "cold_import_ms", "warm_ms", "pan_all_ms",
                "pan_all_empty_ms", "zoom_all_ms", "zoom_all_empty_ms", "pan_1y_ms",
                "pan_1y_empty_ms", "zoom_1y_ms", "zoom_1y_empty_ms",
            )
        }  # fmt: skip
        side["chart"]["pyqtgraph_imported_before"] = any(
            c["pyqtgraph_imported_before"] for c in charts
        )
        side["chart"]["days_drawn"] = charts[0]["days_drawn"]
        side["chart"]["checkins"] = charts[0]["checkins"]

    # saves
    saves = [row for s in raw["save"] for row in s["rounds"]]
    if saves:
        values = [row["save_ms"] for row in saves]
        per_round = [pct([row["save_ms"] for row in s["rounds"]], 95) for s in raw["save"]]
        put("save_p95_ms", per_round, value=pct(values, 95))
        floor = [row["floor_ms"] for row in saves]
        phases: dict[str, list[float]] = {}
        for row in saves:
            for name, value in row["phases"].items():
                phases.setdefault(name, []).append(value)
        commits = [v for s in raw["save"] for v in s["checkin_commit_ms"]]
        side["save"] = {
            "save_p50_ms": round(statistics.median(values), 2),
            "save_p95_ms": round(pct(values, 95), 2),
            "save_cpu_p50_ms": round(statistics.median([r["save_cpu_ms"] for r in saves]), 2),
            "floor_p50_ms": round(statistics.median(floor), 2),
            "floor_p95_ms": round(pct(floor, 95), 2),
            "save_over_floor_p50": round(
                statistics.median([r["save_ms"] / r["floor_ms"] for r in saves]), 2
            ),
            "floor_parts_p50_ms": {
                k: round(statistics.median([r[k] for r in saves]), 2)
                for k in ("floor_serialize_ms", "floor_aes_ms", "floor_disk_ms")
            },
            "save_phases_p50_ms": {k: round(statistics.median(v), 2) for k, v in phases.items()},
            "checkin_commit_p50_ms": round(statistics.median(commits), 2) if commits else None,
            "checkin_commit_p95_ms": round(pct(commits, 95), 2) if commits else None,
            "saves": len(values),
            "sealed_bytes": raw["save"][0]["sealed_bytes"],
        }
    else:
        put("save_p95_ms", [])
    if raw.get("saves"):
        side["saves_background"] = raw["saves"][0]

    why: dict[str, str] = {}
    for figure in FIGURES:
        if figure.name not in figures:
            figures[figure.name] = NOT_MEASURED
            why[figure.name] = figure.leaves_out
        elif figures[figure.name] == NOT_MEASURED:
            why[figure.name] = (
                "not measured: --launch-only"
                if info.get("launch_only") and figure.name != "launch_ratio"
                else "a measuring process failed (see failures)"
            )
    return {
        **figures,
        "why_not_measured": why,
        "budgets": BUDGETS,
        "ranges": ranges,
        "cold_and_warm": side,
        "details": details,
        "machine": info,
        "failures": failures,
    }


# -- the report -------------------------------------------------------------------------------


def verdict(name: str, value: Any) -> str:
    budget = BUDGETS.get(name)
    if not isinstance(value, int | float) or budget is None:
        return ""
    return "within" if value <= budget else "OVER"


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float):
        text = (
            f"{value:,.2f}" if unit == "×" else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"
        )
        return text + ("" if unit in ("", "×") else f" {unit}")
    return str(value)


def _diary_origin(demo: dict[str, Any]) -> str:
    """How the session's diary was made: a demo of N days, or a copy of ``--data-dir``."""
    if "source" in demo:
        return f"a copy of {demo['source']}"
    return f"a {demo.get('days', '?')}-day demo"


def report(result: dict[str, Any], quick: bool) -> str:
    m = result["machine"]
    lines = []
    add = lines.append
    add("Companion benchmarks — fresh processes, medians over rounds, ratios from this run")
    if quick:
        add("QUICK MODE: a small diary and one round. These figures prove the bench runs; they")
        add("say nothing about the budgets, which are for the 10-year diary.")
    demo = m.get("demo", {})
    add(
        f"machine: {m.get('cpu')} · {m.get('cores')} cores · {m.get('memory_gib', '?')} GiB · "
        f"Python {m.get('python')} · Qt {m.get('versions', {}).get('qt', '?')} · "
        f"commit {m.get('commit')}"
    )
    add(
        f"load average at start {m['load_at_start'][0]:.2f} / end {m['load_at_end'][0]:.2f}; "
        f"at each measured process's start {m['load_per_child']}"
        f" (1-minute figures; {m.get('cores')} cores)"
    )
    add(
        f"diary: {_diary_origin(demo)}, {(demo.get('vault_bytes') or 0) / 1e6:.2f} MB "
        f"sealed; scratch on {m.get('scratch_filesystem')}; bytecode {m.get('bytecode')}; "
        f"{m.get('seconds')} s in all"
    )
    add("")
    add(f"{'figure':<28} {'value':>10}  {'range (n)':<22} {'budget':>9}  verdict")
    for figure in FIGURES:
        value = result[figure.name]
        rng = result["ranges"].get(figure.name, {})
        span = rng.get("range")
        span_text = f"{fmt(span[0])}–{fmt(span[1])} ({rng.get('n')})" if span else ""
        budget = f"≤ {fmt(figure.budget, figure.unit)}" if figure.budget else ""
        add(
            f"{figure.name:<28} {fmt(value, figure.unit):>10}  {span_text:<22} {budget:>9}  "
            f"{verdict(figure.name, value)}"
        )
    side = result["cold_and_warm"]
    add("")
    add("Side by side (same run):")
    if "launch" in side:
        s = side["launch"]
        add(
            f"  launch to first paint: app {fmt(s['app_ms'], 'ms')} vs bare PySide6 window "
            f"{fmt(s['bare_ms'], 'ms')} wall; CPU {fmt(s['app_cpu_ms'], 'ms')} vs "
            f"{fmt(s['bare_cpu_ms'], 'ms')} (ratio {s['cpu_ratio']:.2f}); RSS "
            f"{fmt(s['app_rss_mb'], 'MB')} vs {fmt(s['bare_rss_mb'], 'MB')}; runs {s['runs']}"
        )
        if "floor_ms" in s:
            add(
                "  the floor, a plain PySide6 copy of the unlock window: "
                f"{fmt(s['floor_ms'], 'ms')} wall, CPU {fmt(s['floor_cpu_ms'], 'ms')}: "
                f"{s['floor_ratio']:.2f} × the bare "
                f"window; the app is {s['app_to_floor']:.2f} × the floor"
            )

    def cw(label: str, key: str, unit: str = "ms") -> None:
        s = side.get(key)
        if s and s["cold"] is not None:
            ratio = (
                f" (cold ÷ warm {s['cold'] / s['warm']:.1f})" if s["warm"] and unit == "ms" else ""
            )
            add(f"  {label}: cold {fmt(s['cold'], unit)} · warm {fmt(s['warm'], unit)}{ratio}")

    cw("unlock beyond the KDF to first paint", "unlock_beyond_kdf_ms")
    cw("  … worker beyond the KDF (read, decrypt, checks)", "unlock_worker_beyond_kdf_ms")
    cw("  … main window built (GUI thread: its frame, then Today)", "unlock_main_window_build_ms")
    cw("  … shown and first paint", "unlock_first_paint_ms")
    cw("  … the KDF itself (left out)", "unlock_kdf_ms")
    db = result["details"].get("database_layer_import_ms", {}).get("median")
    prepared = result["details"].get("unlock_prepare_ms", {}).get("median")
    if prepared is not None:
        add(
            "  prepared on a worker while the passphrase is typed (left out): "
            f"{fmt(prepared, 'ms')}, of which the database layer {fmt(db, 'ms')}"
        )
    elif db is not None:
        add(f"  database layer import while the passphrase is typed (left out): {fmt(db, 'ms')}")
    cw("Diary first paint", "diary_first_paint_ms")
    cw("  … of which built synchronously", "diary_build_ms")
    cw("lock to unlock window painted", "lock_ms")
    cw("  … of which the lock click itself", "lock_gui_block_ms")
    cw("  then the old pages deleted in slices, to the last (from the click)", "lock_teardown_ms")
    cw("  … the longest slice", "lock_teardown_max_slice_ms")
    cw("  … slices", "lock_teardown_slices", "")
    cw("RSS, every page opened", "rss_all_pages_mb", "MB")
    cw("RSS after lock", "rss_after_lock_mb", "MB")
    cw("peak RSS (VmHWM, includes the KDF)", "vm_hwm_mb", "MB")
    if "chart" in side:
        c = side["chart"]
        add(
            f"  chart first draw: cold {fmt(c['cold_ms'], 'ms')} (of which importing pyqtgraph "
            f"and numpy {fmt(c['cold_import_ms'], 'ms')}; CPU {fmt(c['cold_cpu_ms'], 'ms')}) · "
            f"warm {fmt(c['warm_ms'], 'ms')}; {c['days_drawn']} metric-days"
        )
        add(
            f"  chart frame, all in view: pan {fmt(c['pan_all_ms'], 'ms')} / zoom "
            f"{fmt(c['zoom_all_ms'], 'ms')} vs an empty plot {fmt(c['pan_all_empty_ms'], 'ms')} / "
            f"{fmt(c['zoom_all_empty_ms'], 'ms')}; one year in view: pan "
            f"{fmt(c['pan_1y_ms'], 'ms')} / zoom {fmt(c['zoom_1y_ms'], 'ms')}"
        )
    if "save" in side:
        s = side["save"]
        parts = s["floor_parts_p50_ms"]
        add(
            f"  save: p50 {fmt(s['save_p50_ms'], 'ms')} / p95 {fmt(s['save_p95_ms'], 'ms')} "
            f"(CPU p50 {fmt(s['save_cpu_p50_ms'], 'ms')}) vs the floor p50 "
            f"{fmt(s['floor_p50_ms'], 'ms')} / p95 {fmt(s['floor_p95_ms'], 'ms')} — "
            f"{s['save_over_floor_p50']:.2f}× (round by round), {s['saves']} saves of "
            f"{s['sealed_bytes'] / 1e6:.2f} MB"
        )
        add(
            f"    floor parts p50: serialize {fmt(parts['floor_serialize_ms'], 'ms')}, AES-GCM "
            f"{fmt(parts['floor_aes_ms'], 'ms')}, write + fdatasync + rename + dir fsync "
            f"{fmt(parts['floor_disk_ms'], 'ms')}"
        )
        add(
            "    save phases p50: "
            + ", ".join(f"{k} {fmt(v, 'ms')}" for k, v in s["save_phases_p50_ms"].items())
        )
        add(
            f"    a check-in commit (MoodService.create_entry): p50 "
            f"{fmt(s['checkin_commit_p50_ms'], 'ms')} / p95 {fmt(s['checkin_commit_p95_ms'], 'ms')}"
        )
    if "saves_background" in side:
        b = side["saves_background"]
        add(
            f"  background saves (bench/saves.py): the committing thread p95 "
            f"{fmt(b['gui_commit_p95_ms'], 'ms')}; commit → durable p95 "
            f"{fmt(b['save_p95_ms'], 'ms')}; lock with a save pending {fmt(b['lock_ms'], 'ms')}"
        )
    d = result["details"]
    add("")
    add("GUI thread in the session (blocks are the synchronous part of a click):")
    for key, label in (
        ("checkin_today_gui_block_ms", "check-in on Today, save click"),
        ("checkin_dialog_open_ms", "Ctrl+N check-in window, to painted"),
        ("checkin_charts_gui_block_ms", "check-in with Charts showing, save click"),
        ("checkin_charts_until_idle_ms", "  … until the charts' background work is drawn"),
    ):
        s = d.get(key, {})
        if s.get("n"):
            add(f"  {label}: p50 {fmt(s['p50'], 'ms')}, worst {fmt(s['max'], 'ms')} (n={s['n']})")
    memory = [
        (label, d.get(key, {}).get("median"))
        for key, label in (
            ("rss_unlocked_mb", "unlocked"),
            ("rss_after_today_checkins_mb", "after the Today check-ins"),
            ("rss_diary_open_mb", "Diary open"),
            ("rss_after_charts_checkins_mb", "after the Ctrl+N check-ins"),
        )
    ]
    if any(v is not None for _, v in memory):
        add("  RSS as the session goes: " + ", ".join(f"{k} {fmt(v, 'MB')}" for k, v in memory))
    for key, label in (
        ("charts_tab_first_paint_ms", "Charts tab first paint"),
        ("charts_tab_background_done_ms", "Charts tab background work drawn"),
        ("import_preview_gui_block_ms", "import preview click"),
        ("import_write_gui_block_ms", "import click (writes)"),
    ):
        s = d.get(key, {})
        if s.get("median") is not None:
            add(f"  {label}: {fmt(s['median'], 'ms')} (range {s['range']})")
    typing = d.get("unlock_window_max_stall_ms", {})
    if typing.get("median") is not None:
        add(
            f"  before the session, the unlock window's longest stall in the first second "
            f"(while the passphrase is typed): {fmt(typing['median'], 'ms')} "
            f"(range {typing['range']})"
        )
    for session in d.get("session", [])[:1]:
        add(
            f"  session gaps: {session.get('ticks')} ticks, count-based p99 "
            f"{fmt(session.get('p99_ms'), 'ms')}, {session.get('over_50ms')} gaps over 50 ms "
            f"({session.get('seconds_in_gaps_over_50ms')} s), "
            f"{100 * (session.get('share_of_time_in_gaps_over_16ms') or 0):.0f}% of the "
            "session's time in gaps over 16 ms (first round)"
        )
    full = d.get("full_collections") or {}
    if full.get("n"):
        add(
            f"  full garbage collections (all rounds, whole process): {full['n']}, median "
            f"{fmt(full['median_ms'], 'ms')}, longest {fmt(full['max_ms'], 'ms')}; "
            f"{full['in_page_opens']} during a page's first open"
        )
    stages = sorted(d.get("session_stages", {}).items(), key=lambda kv: -kv[1]["max_ms"])
    if stages:
        add("  longest stalls by step (worst over rounds):")
        for name, s in stages[:10]:
            add(f"    {fmt(s['max_ms'], 'ms'):>10}  {name} ({s['over_50ms']} gaps > 50 ms)")
    pages = d.get("page_first_open_ms", {})
    if pages:
        add("  first open of each page or tab, click → painted (cold · warm):")
        for page, by in pages.items():
            add(f"    {page:<34} {fmt(by.get('cold'), 'ms'):>10} · {fmt(by.get('warm'), 'ms')}")
    again = d.get("page_shown_again_ms_warm", {})
    if again:
        add("  each page opened again from Today, nothing changed, click → painted (warm pass):")
        add("    " + " · ".join(f"{page} {fmt(value, 'ms')}" for page, value in again.items()))
    for note in d.get("notes", []):
        add(f"  note: {note}")
    for summary in d.get("import", []):
        add(f"  import: {summary}")
    add("")
    add("What each figure includes, and what it leaves out:")
    for figure in FIGURES:
        add(f"  {figure.name}: {figure.what}.")
        if figure.includes:
            add(f"    includes: {figure.includes}.")
        add(f"    leaves out: {figure.leaves_out}.")
    add("")
    loads = [x for r in result["details"]["round_loads"] for x in r]
    if loads:
        add(
            f"Noise: the load average ranged {min(loads):.2f}–{max(loads):.2f} across the "
            f"measured processes on {m.get('cores')} cores; compare figures side by side within "
            "a run (ratios), not across runs. Each range above is the spread over rounds."
        )
    if result["failures"]:
        add("")
        add("FAILURES (figures from these processes are missing or partial):")
        for failure in result["failures"]:
            add("  " + failure.replace("\n", "\n    "))
    return "\n".join(lines)


def check_diary(data_dir: Path, passphrase: str, made_with: str = "companion demo") -> None:
    """Stop with one sentence when ``data_dir`` holds no diary or the passphrase does not
    open it (a session would otherwise wait at its unlock window until its time-out)."""
    from companion import paths
    from companion.core.session import OpenDiary
    from companion.storage.errors import VaultError

    vault = paths.vault_path(data_dir)
    if not vault.is_file():
        raise SystemExit(f"There is no diary in {data_dir} (make one with {made_with}).")
    try:
        OpenDiary.unlock(vault, passphrase=passphrase).close()
    except VaultError as error:
        raise SystemExit(
            f"The diary in {data_dir} could not be opened: {error} One for the bench is made "
            f"with {made_with}."
        ) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="CI smoke run: small diary, 1 round")
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE as JSON")
    parser.add_argument("--rounds", type=int, help="rounds of fresh processes (default 5)")
    parser.add_argument("--days", type=int, help="days of demo history (default 3650)")
    parser.add_argument("--data-dir", type=Path, help="use a copy of this demo diary instead")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile every module in every process"
    )
    parser.add_argument(
        "--stall-stacks", metavar="FILE", help="sample the GUI thread's stack in every stall"
    )
    parser.add_argument("--json-only", action="store_true", help="print no progress or table")
    parser.add_argument(
        "--launch-only",
        action="store_true",
        help="only the launch: the bare window, the app and the floor, alternated (no session, "
        "chart or save processes); --rounds rounds of 3 of each",
    )
    args = parser.parse_args(argv)
    if args.data_dir:
        check_diary(
            args.data_dir,
            PASS,
            f'COMPANION_PASSPHRASE="{PASS}" companion demo --data-dir D --days 3650 --seed 7',
        )
    result = run(args)
    if not args.json_only:
        print(report(result, args.quick))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
