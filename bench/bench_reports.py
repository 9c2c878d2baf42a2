"""The clinician summary PDF and the exports on synthetic records (DESIGN §10: 90-day PDF ≤ 1.5 s).

    python bench/bench_reports.py [--runs 5] [--json]

A sketch until the Reports page is wired (issue 14): it uses the tests' synthetic records
(``tests/reports/synthetic.py``), not a ``companion demo`` vault, so reading the diary is not
in these figures yet. Each cold figure is a fresh process (imports, the offscreen
``QGuiApplication``, fonts, first render), the median of ``--runs``; warm figures are the
median of renders in one process. Peak memory is the process's VmHWM after the render.

- ``pdf_90d_ms``: records → sections → summary → PDF bytes, 90 days, cold (budget 1.5 s);
- ``pdf_90d_warm_ms``: the same, warm;
- ``pdf_protect_90d_ms``: AES-256 protection of that PDF, warm;
- ``pdf_10y_ms`` / ``pdf_10y_rss_mb``: 3650 days, cold, and the peak memory (budget 300 MB);
- ``csv_90d_ms`` / ``fhir_90d_ms``: the CSV zip and the FHIR bundle (built and serialised), warm.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
BUDGETS = {"pdf_90d_ms": 1500.0, "pdf_10y_rss_mb": 300.0}

_CHILD = """
import sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from tests.reports.synthetic import make_diary, summary_of
from companion.reports.summary_pdf import render_summary_pdf
data = render_summary_pdf(summary_of(make_diary(days={days})))
elapsed = time.perf_counter() - start
peak = 0.0
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
print(elapsed * 1000, peak, len(data))
"""


def cold(days: int, runs: int) -> tuple[float, float, int]:
    times, peaks, size = [], [], 0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD.format(root=str(ROOT), days=days)],
            env=ENV,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        times.append(float(out[0]))
        peaks.append(float(out[1]))
        size = int(out[2])
    return statistics.median(times), max(peaks), size


def warm(runs: int) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from companion.reports.csv_zip import render_csv_zip
    from companion.reports.fhir import fhir_bundle, render_fhir_json
    from companion.reports.protect import protect_pdf
    from companion.reports.summary_pdf import render_summary_pdf
    from tests.reports.synthetic import make_diary, summary_of

    diary = make_diary(days=90)

    def timed(fn: object) -> float:
        assert callable(fn)
        fn()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)

    pdf = render_summary_pdf(summary_of(diary))
    return {
        "pdf_90d_warm_ms": timed(lambda: render_summary_pdf(summary_of(diary))),
        "pdf_protect_90d_ms": timed(lambda: protect_pdf(pdf, "river lamp orbit seven")),
        "csv_90d_ms": timed(lambda: render_csv_zip(summary_of(diary))),
        "fhir_90d_ms": timed(
            lambda: render_fhir_json(
                fhir_bundle(
                    made_at=diary.made_at,
                    patient_key="bench",
                    checkups=diary.checkups,
                    checkins=diary.checkins,
                    medicines=diary.medicines,
                    period=diary.period,
                )
            )
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    figures["pdf_90d_ms"], figures["pdf_90d_rss_mb"], size_90 = cold(90, args.runs)
    figures["pdf_10y_ms"], figures["pdf_10y_rss_mb"], size_10y = cold(3650, max(1, args.runs // 2))
    figures["pdf_90d_kb"] = size_90 / 1024
    figures["pdf_10y_kb"] = size_10y / 1024
    figures.update(warm(args.runs))
    if args.json:
        print(json.dumps({k: round(v, 1) for k, v in figures.items()}, indent=1))
        return 0
    print(f"{'figure':<22} {'value':>10}  budget")
    for name, value in figures.items():
        budget = BUDGETS.get(name)
        mark = "" if budget is None else f"≤ {budget:g} " + ("ok" if value <= budget else "OVER")
        print(f"{name:<22} {value:>10.1f}  {mark}")
    load = os.getloadavg()[0]
    print(f"(load average {load:.2f} on {os.cpu_count()} cores while measuring)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
