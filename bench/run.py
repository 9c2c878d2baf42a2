"""Companion's performance benchmarks (DESIGN §10). Not tests: they print a table of medians.

    python bench/run.py [--quick]

Builds a 1-year and a 10-year synthetic diary with ``companion demo`` (real KDF parameters),
then measures, in one run so ratios compare like with like:

- save after one edit (serialize, seal, fsync, replace): p50 / p95 over many edits;
- unlock beyond the KDF (read, decrypt, deserialize, integrity check, migrations check, the
  first page built), with the KDF timed on its own;
- launch to unlock window against a bare PySide6 window, each in a fresh process, interleaved;
- peak memory with the 10-year diary open (a fresh process; VmHWM and VmRSS).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASS = "bench passphrase for a synthetic diary"
ENV = {**os.environ, "COMPANION_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def make_demo(directory: Path, days: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "companion",
            "demo",
            "--data-dir",
            str(directory),
            "--days",
            str(days),
            "--seed",
            "7",
        ],
        env=ENV,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def bench_save_and_unlock(directory: Path, edits: int) -> dict[str, float]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from companion import paths
    from companion.core.session import OpenDiary
    from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
    from companion.storage import kdf
    from companion.storage.vault import read_info

    vault = paths.vault_path(directory)
    info = read_info(vault)
    kdf_times = []
    for _ in range(3):
        t = time.perf_counter()
        kdf.derive(PASS, b"\0" * 16, info.kdf)
        kdf_times.append(time.perf_counter() - t)
    kdf_time = statistics.median(kdf_times)

    # Time the KDF inside each unlock exactly, and report what the unlock costs beyond it.
    spent: list[float] = []
    real_derive = kdf.derive

    def timed_derive(*args: object, **kwargs: object) -> bytes:
        t = time.perf_counter()
        try:
            return real_derive(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            spent.append(time.perf_counter() - t)

    kdf.derive = timed_derive  # type: ignore[assignment]
    unlock_times, page_times = [], []
    for _ in range(5):
        spent.clear()
        t = time.perf_counter()
        diary = OpenDiary.unlock(vault, passphrase=PASS)
        unlock_times.append(time.perf_counter() - t - sum(spent))
        t = time.perf_counter()
        _first_page(diary, directory)
        page_times.append(time.perf_counter() - t)
        diary.close()
    kdf.derive = real_derive  # type: ignore[assignment]

    diary = OpenDiary.unlock(vault, passphrase=PASS)
    service = SettingsService(diary.db)
    saves = []
    for i in range(edits):
        t = time.perf_counter()
        service.set(AUTO_LOCK_MINUTES, 5 + i % 50)  # one committed edit → one durable save
        saves.append(time.perf_counter() - t)
    size = vault.stat().st_size
    diary.lock()
    return {
        "kdf": kdf_time,
        "unlock_beyond_kdf": statistics.median(unlock_times),
        "first_page": statistics.median(page_times),
        "save_p50": statistics.median(saves),
        "save_p95": percentile(saves, 95),
        "size": float(size),
        "kdf_m": float(info.kdf.memory_kib),
        "kdf_t": float(info.kdf.iterations),
    }


_APP = None


def _first_page(diary: object, directory: Path) -> None:
    global _APP
    from PySide6.QtCore import QCoreApplication

    from companion.core.device_settings import DeviceSettings
    from companion.ui.app import make_app
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import AppContext

    _APP = make_app()
    window = MainWindow(diary, AppContext(data_dir=directory, device=DeviceSettings()))  # type: ignore[arg-type]
    window.show()
    QCoreApplication.processEvents()
    window.idle.stop()
    window.hide()
    window.deleteLater()
    QCoreApplication.processEvents()


# Each child prints how long after its launch (a wall-clock stamp from the parent) the first
# window had been shown and painted; what happens after that (quitting) is not counted.
FIRST_PAINT = """
from PySide6.QtCore import QEvent, QObject
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWindow():
            print(time.time() - float(sys.argv[1]), flush=True)
            app.removeEventFilter(self)
            app.quit()
        return False
_watch = FirstPaint()
"""

BARE = (
    textwrap.dedent(
        """
    import sys, time
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication(sys.argv[:1])
    """
    )
    + FIRST_PAINT
    + textwrap.dedent(
        """
    app.installEventFilter(_watch)
    w = QWidget(); w.resize(1100, 760); w.show()
    app.exec()
    """
    )
)

# The real launch path: `companion --data-dir D` (argument parsing, hardening, the GUI).
COMPANION = (
    textwrap.dedent(
        """
    import sys, time
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    """
    )
    + FIRST_PAINT
    + textwrap.dedent(
        """
    app.installEventFilter(_watch)
    from companion.cli import main
    main(["--data-dir", sys.argv[2]])
    """
    )
)


def launch_ratio(directory: Path, runs: int) -> tuple[float, float]:
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(runs):
        for script, sink, extra in ((BARE, bare, []), (COMPANION, ours, [str(directory)])):
            out = subprocess.run(
                [sys.executable, "-c", script, repr(time.time()), *extra],
                env=ENV,
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            sink.append(float(out.strip().splitlines()[-1]))
    return statistics.median(bare), statistics.median(ours)


PEAK = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from companion import paths
    from companion.core.session import OpenDiary
    d = OpenDiary.unlock(paths.vault_path(Path(sys.argv[1])), passphrase=sys.argv[2])
    d.db.save(force=True)
    # VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec, so a child started by a big
    # parent would report the parent's high-water mark.
    status = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
    print(status["VmHWM"].split()[0], status["VmRSS"].split()[0])
    d.close()
    """
)


def peak_memory_mb(directory: Path) -> tuple[float, float]:
    """(peak RSS, RSS once open) in MB; the peak includes Argon2id's working memory."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK, str(directory), PASS],
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    peak, now = out.split()
    return int(peak) / 1024, int(now) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    edits = 40 if args.quick else 200
    runs = 3 if args.quick else 9
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for label, days in (("1 year", 365), ("10 years", 3650)):
            directory = Path(tmp) / label.replace(" ", "")
            made = make_demo(directory, days)
            r = bench_save_and_unlock(directory, edits)
            rows.append((label, days, made, r))
        bare, ours = launch_ratio(rows[-1][3] and Path(tmp) / "10years", runs)
        peak = peak_memory_mb(Path(tmp) / "10years")

    print("Companion benchmarks (medians; one run)")
    print(
        f"{'diary':<9} {'file':>9} {'save p50':>9} {'save p95':>9} {'KDF':>8} "
        f"{'unlock−KDF':>11} {'1st page':>9}"
    )
    for label, _days, _made, r in rows:
        print(
            f"{label:<9} {r['size'] / 1e6:>7.2f}MB {r['save_p50'] * 1e3:>7.1f}ms "
            f"{r['save_p95'] * 1e3:>7.1f}ms {r['kdf'] * 1e3:>6.0f}ms "
            f"{r['unlock_beyond_kdf'] * 1e3:>9.1f}ms {r['first_page'] * 1e3:>7.1f}ms"
        )
    kdf_r = rows[-1][3]
    print(f"KDF parameters: m={kdf_r['kdf_m'] / 1024:.0f} MiB, t={kdf_r['kdf_t']:.0f}, p=4")
    print(
        f"launch to unlock window: {ours * 1e3:.0f} ms vs bare PySide6 window "
        f"{bare * 1e3:.0f} ms → ratio {ours / bare:.2f} (budget ≤ 1.3)"
    )
    print(
        f"memory with the 10-year diary open: peak {peak[0]:.0f} MB (includes the KDF's "
        f"{kdf_r['kdf_m'] / 1024:.0f} MiB), {peak[1]:.0f} MB once open (budget ≤ 300 MB)"
    )
    budgets_ok = (
        ours / bare <= 1.3
        and kdf_r["save_p95"] <= 0.040
        and (kdf_r["unlock_beyond_kdf"] + kdf_r["first_page"]) <= 0.150
        and peak[0] <= 300
    )
    print("all budgets met" if budgets_ok else "a budget is exceeded (see above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
