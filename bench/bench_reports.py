"""The clinician summary and the exports, from a real diary (DESIGN §10: a 90-day PDF with
charts in ≤ 1.5 s; the 10-year PDF's peak memory under 300 MB).

    COMPANION_PASSPHRASE=… python bench/bench_reports.py --data-dir D [--runs 5] [--json]

``D`` is a demo diary (``companion demo --data-dir D --days 3650 --seed 7``). Every *cold*
figure is a fresh process: it unlocks the diary first (the KDF and the unlock are not in the
figure), then times, wall and CPU, the export as the Reports page runs it — importing the
export code, Qt's offscreen ``QGuiApplication`` and fonts, reading the diary, building every
section, drawing the pages — up to the PDF's bytes in memory (writing the file is a save,
measured elsewhere).
The median of ``--runs``. Peak memory is VmHWM, reset after the unlock (``/proc/self/clear_refs``)
so Argon2id's working memory is left out; VmRSS before the export is printed beside it.
*Warm* figures are the median of the same export again in one process.

- ``pdf_90d_ms`` (cold) / ``pdf_90d_warm_ms``; ``pdf_10y_ms`` and ``pdf_10y_rss_mb`` (cold);
- ``csv_90d_ms`` / ``fhir_90d_ms`` (warm);
- ``json_10y_export_ms`` (warm) and ``json_10y_import_ms``: the whole diary as JSON, then read
  back into an empty diary in memory (schema created, every row checked and inserted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = {"pdf_90d_ms": 1500.0, "pdf_10y_rss_mb": 300.0}

_CHILD = """
import os, sys, time
from datetime import timedelta
from pathlib import Path
from companion import paths
from companion.core.session import OpenDiary
diary = OpenDiary.unlock(paths.vault_path(Path({data_dir!r})),
                         passphrase=os.environ["COMPANION_PASSPHRASE"])
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # the peak from here on (Argon2id's memory left out)
def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return 0.0
rss_before = status("VmRSS:")
start, cpu = time.perf_counter(), time.process_time()
from PySide6.QtGui import QGuiApplication
app = QGuiApplication.instance() or QGuiApplication(["bench"])
from companion.core import timekeeping
from companion.core.reports.model import Period
from companion.reports.export import ExportRequest, default_sections, render
now = timekeeping.local_now()
period = Period(now.date() - timedelta(days={days} - 1), now.date())
made = render(diary.db, ExportRequest("pdf", period, default_sections()), now)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
print(elapsed * 1000, status("VmHWM:"), rss_before, len(made.data), made.pages, cpu * 1000)
diary.close()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def cold(data_dir: Path, days: int, runs: int) -> dict[str, float]:
    times, cpus, peaks, before, size, pages = [], [], [], [], 0, 0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD.format(data_dir=str(data_dir), days=days)],
            env=_env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        times.append(float(out[0]))
        peaks.append(float(out[1]))
        before.append(float(out[2]))
        size, pages = int(out[3]), int(out[4])
        cpus.append(float(out[5]))
    return {
        "ms": statistics.median(times),
        "ms_min": min(times),
        "ms_max": max(times),
        "cpu_ms": statistics.median(cpus),
        "peak_mb": max(peaks),
        "rss_before_mb": statistics.median(before),
        "kb": size / 1024,
        "pages": pages,
    }


def warm(data_dir: Path, runs: int) -> dict[str, float]:
    import time
    from datetime import timedelta

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from companion import paths
    from companion.core import portable, timekeeping
    from companion.core.reports.model import Period
    from companion.core.reports.service import ReportsService
    from companion.core.session import OpenDiary
    from companion.reports.export import ExportRequest, default_sections, render
    from companion.storage import migrations
    from companion.storage.database import Database

    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    diary = OpenDiary.unlock(
        paths.vault_path(data_dir), passphrase=os.environ["COMPANION_PASSPHRASE"]
    )
    now = timekeeping.local_now()
    period = Period(now.date() - timedelta(days=89), now.date())
    sections = default_sections()
    key = ReportsService(diary.db).pseudonym_key(create=False) or "bench"

    def timed(fn: object, n: int = runs) -> float:
        assert callable(fn)
        fn()
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)

    def export(fmt: str) -> bytes:
        request = ExportRequest(fmt, period, sections, pseudonym_key=key)  # type: ignore[arg-type]
        return render(diary.db, request, now).data

    whole = ExportRequest("json", None)
    document = render(diary.db, whole, now).data

    def import_json() -> None:
        empty = Database()
        migrations.upgrade(empty.engine)
        portable.import_document(empty, portable.parse_document(document))
        empty.close()

    figures = {
        "pdf_90d_warm_ms": timed(lambda: export("pdf")),
        "csv_90d_ms": timed(lambda: export("csv")),
        "fhir_90d_ms": timed(lambda: export("fhir")),
        "json_10y_export_ms": timed(lambda: render(diary.db, whole, now), max(1, runs // 2)),
        "json_10y_import_ms": timed(import_json, max(1, runs // 2)),
        "json_10y_mb": len(document) / 1_000_000,
    }
    diary.close()
    del app
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="a demo diary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if "COMPANION_PASSPHRASE" not in os.environ:
        parser.error("set COMPANION_PASSPHRASE to the demo diary's passphrase")
    sys.path.insert(0, str(ROOT))
    with open("/proc/loadavg") as load:
        load_at_start = load.read().split()[0]
    figures: dict[str, float] = {}
    c90 = cold(args.data_dir, 90, args.runs)
    figures["pdf_90d_ms"] = c90["ms"]
    figures["pdf_90d_cpu_ms"] = c90["cpu_ms"]
    figures["pdf_90d_pages"] = c90["pages"]
    figures["pdf_90d_kb"] = c90["kb"]
    c10 = cold(args.data_dir, 3650, max(1, args.runs // 2))
    figures["pdf_10y_ms"] = c10["ms"]
    figures["pdf_10y_cpu_ms"] = c10["cpu_ms"]
    figures["pdf_10y_rss_mb"] = c10["peak_mb"]
    figures["pdf_10y_rss_before_mb"] = c10["rss_before_mb"]
    figures["pdf_10y_pages"] = c10["pages"]
    figures.update(warm(args.data_dir, args.runs))
    with open("/proc/loadavg") as load:
        load_at_end = load.read().split()[0]
    if args.json:
        figures_out = {k: round(v, 1) for k, v in figures.items()}
        print(json.dumps({"load": [load_at_start, load_at_end], **figures_out}, indent=1))
        return 0
    print(f"load average (1 min) at start {load_at_start}, at end {load_at_end}")
    print(f"pdf 90 days, cold: median {c90['ms']:.0f} ms ({c90['ms_min']:.0f}–{c90['ms_max']:.0f})")
    for name, value in figures.items():
        budget = BUDGETS.get(name)
        mark = "" if budget is None else (" (within budget)" if value <= budget else " (OVER)")
        print(f"{name:24} {value:10.1f}{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
