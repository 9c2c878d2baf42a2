"""Benchmark: importing a 50 MB, 200,000-row Daylio export (DESIGN §10, ``import_50mb_rss_mb``).

    python bench/bench_import.py [--rows N] [--json]

Writes a synthetic Daylio export (current 9-column layout: 12-hour times, activities, scales,
notes of about 170 characters), creates an empty diary with the real KDF, then imports the file
with ``companion import --format daylio`` in a fresh process and reports:

- the time of each pass (encoding check, first look, preview, write) and the whole command;
- peak memory (VmHWM) of that process, and its memory right after unlocking, so the KDF's own
  working memory can be told apart from the import's.

Not a test: it prints figures. Budget: peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASS = "bench passphrase for a synthetic diary"
ENV = {**os.environ, "COMPANION_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}

WORDS = [
    "slept",
    "walked",
    "called",
    "tired",
    "better",
    "worse",
    "morning",
    "evening",
    "rain",
    "sun",
    "coffee",
    "work",
    "sister",
    "friend",
    "quiet",
    "loud",
    "meeting",
    "doctor",
    "bus",
    "lunch",
    "dinner",
    "read",
    "wrote",
    "music",
    "cleaned",
    "cooked",
    "garden",
    "headache",
    "calm",
    "anxious",
    "grateful",
    "slow",
    "early",
    "late",
    "park",
    "river",
    "market",
    "news",
    "phone",
    "letter",
    "soup",
    "tea",
]
ACTIVITIES = [f"activity {i}" for i in range(40)] + ["walk", "friends", "work", "bad sleep"]
MOODS = ("rad", "good", "meh", "bad", "awful")


def make_export(path: Path, rows: int, seed: int = 7) -> int:
    """A Daylio export with ``rows`` check-ins, newest first; returns its size in bytes."""
    rng = random.Random(seed)
    moment = datetime(2025, 12, 31, 21, 0)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\ufefffull_date,date,weekday,time,mood,activities,scales,note_title,note\r\n")
        for _ in range(rows):
            moment -= timedelta(minutes=rng.randint(40, 160))
            hour = moment.hour % 12 or 12
            clock = f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"
            tags = " | ".join(rng.sample(ACTIVITIES, rng.randint(0, 4)))
            scales = (
                f"Sleep Quality: {rng.randint(0, 10)}/10 points | "
                f"Sleep Time: {rng.randint(3, 10)}:{rng.choice(('00', '15', '30', '45'))}"
                if rng.random() < 0.3
                else ""
            )
            note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(18, 38)))
            if rng.random() < 0.2:
                note = note.replace(" ", "<br>", 1).replace("tea", "<b>tea</b>")
            fh.write(
                f"{moment:%Y-%m-%d},{moment:%B} {moment.day},{moment:%A},{clock},"
                f'{rng.choice(MOODS)},"{tags}","{scales}","","{note}"\r\n'
            )
    return path.stat().st_size


RUN = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    def status():
        fields = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
        return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024

    def reset_peak():  # Linux: the high-water mark restarts from the current RSS
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")

    from companion import paths
    from companion.core.mood.importing.daylio import DaylioReader
    from companion.core.mood.importing.engine import ImportOptions, preview, write
    from companion.core.mood.importing.reading import Monitor, Source, detect_encoding
    from companion.core.session import OpenDiary
    from companion.core.mood.service import MoodService
    from companion.ui import memory

    memory.configure()  # the app's allocator policy (ui/gc_policy.py sets it at start-up)
    directory, export, passphrase = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    t0 = time.perf_counter()
    diary = OpenDiary.unlock(paths.vault_path(directory), passphrase=passphrase)
    t1 = time.perf_counter()
    after_unlock = status()
    reset_peak()  # the KDF's working memory is freed; measure the import from here
    reader, monitor, source = DaylioReader(), Monitor(), Source.from_path(export)
    t2 = time.perf_counter()
    detect_encoding(source, monitor)
    t3 = time.perf_counter()
    prepared = reader.prepare(source, ImportOptions(), monitor)
    t4 = time.perf_counter()
    plan = preview(diary.db, reader, source, ImportOptions(), monitor, prepared=prepared)
    t5 = time.perf_counter()
    after_preview = status()
    before_save = []
    serialize = diary.db.serialize

    def serialize_noting_memory():
        # rows written, before the save snapshots the image: the high-water mark so far, the
        # memory in use now, and the database's size (the snapshot will be as large)
        pages = diary.db.scalar("PRAGMA page_count") * diary.db.scalar("PRAGMA page_size")
        before_save.append((*status(), pages / 2**20))
        return serialize()

    def noting_the_tables():
        # what the import made, b-tree by b-tree: bytes on its pages and how full they are
        conn = diary.db.raw_connection
        for name, size, unused in conn.execute(
            "SELECT name, sum(pgsize), sum(unused) FROM dbstat GROUP BY name "
            "HAVING sum(pgsize) > 1048576 ORDER BY 2 DESC"
        ):
            tables[name] = (size / 1e6, 1 - unused / size)
        memory.give_back()  # as the import window does (MoodImporter.write(before_save=))

    tables = {}

    diary.db.serialize = serialize_noting_memory
    summary = write(diary.db, plan, monitor, before_save=noting_the_tables)
    t6 = time.perf_counter()
    after_write = status()
    diary.lock()
    t7 = time.perf_counter()
    print(json.dumps({
        "unlock_s": t1 - t0,
        "encoding_s": t3 - t2,
        "look_s": t4 - t3,
        "preview_s": t5 - t4,
        "write_and_save_s": t6 - t5,
        "lock_s": t7 - t6,
        "import_total_s": t7 - t2,
        "rss_after_unlock_mb": after_unlock[1],
        "hwm_after_unlock_mb": after_unlock[0],
        "hwm_after_preview_mb": after_preview[0],
        "hwm_after_write_mb": after_write[0],
        "hwm_before_save_mb": before_save[0][0] if before_save else None,
        "rss_at_save_mb": before_save[0][1] if before_save else None,
        "image_mib": before_save[0][2] if before_save else None,
        "peak_mb": status()[0],
        "imported": summary.added["check-ins"],
        "rows": plan.rows_read,
        "btrees_mb_and_fill": tables,
    }))
    """
)

CLI = textwrap.dedent(
    """
    import sys, time
    from companion import cli
    from companion.core import session as unlocked

    real_unlock = unlocked.OpenDiary.unlock.__func__

    def unlock_then_reset_peak(cls, *args, **kwargs):
        diary = real_unlock(cls, *args, **kwargs)
        with open("/proc/self/clear_refs", "w") as fh:  # leave the KDF's memory out
            fh.write("5")
        return diary

    unlocked.OpenDiary.unlock = classmethod(unlock_then_reset_peak)
    t = time.perf_counter()
    code = cli.main(sys.argv[1:])
    elapsed = time.perf_counter() - t
    fields = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
    print(code, elapsed, int(fields["VmHWM"].split()[0]) / 1024)
    """
)


def make_diary(directory: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "companion", "demo", "--data-dir", str(directory), "--days", "0"],
        env=ENV,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "daylio_export.csv"
        t = time.perf_counter()
        size = make_export(export, args.rows)
        made = time.perf_counter() - t
        phases_dir = Path(tmp) / "phases"
        make_diary(phases_dir)
        out = subprocess.run(
            [sys.executable, "-c", RUN, str(phases_dir), str(export), PASS],
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        phases = json.loads(out.strip().splitlines()[-1])
        cli_dir = Path(tmp) / "cli"
        make_diary(cli_dir)
        cli_out = subprocess.run(
            [
                sys.executable,
                "-c",
                CLI,
                "import",
                "--data-dir",
                str(cli_dir),
                "--format",
                "daylio",
                str(export),
            ],
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        code, cli_s, cli_peak = cli_out.strip().splitlines()[-1].split()
        vault_mb = (cli_dir / "vault.companion").stat().st_size / 1e6
    figures = {
        "file_mb": size / 1e6,
        "rows": phases["rows"],
        "imported": phases["imported"],
        **phases,
        "cli_exit": int(code),
        "cli_s": float(cli_s),
        "import_50mb_rss_mb": float(cli_peak),
        "vault_mb": vault_mb,
        "generate_s": made,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print("Import benchmark (one run)")
    print(
        f"file: {figures['file_mb']:.1f} MB, {figures['rows']:,} rows "
        f"({figures['imported']:,} imported); vault afterwards {vault_mb:.1f} MB"
    )
    print(
        f"passes: encoding {phases['encoding_s']:.2f} s · first look {phases['look_s']:.2f} s · "
        f"preview {phases['preview_s']:.2f} s · write + save {phases['write_and_save_s']:.2f} s"
        f" · lock {phases['lock_s']:.2f} s (unlock with the KDF {phases['unlock_s']:.2f} s)"
    )
    print(
        f"memory (from the end of the unlock, whose KDF peaked at "
        f"{phases['hwm_after_unlock_mb']:.0f} MB): {phases['rss_after_unlock_mb']:.0f} MB "
        f"unlocked, peak {phases['hwm_after_preview_mb']:.0f} MB through the preview, "
        f"{phases['hwm_before_save_mb']:.0f} MB with every row written (before the save), "
        f"{phases['hwm_after_write_mb']:.0f} MB through the save"
    )
    image = phases["image_mib"] * 2**20 / 1e6
    print(
        f"at the save: {phases['rss_at_save_mb']:.0f} MB in use, of which the database "
        f"{image:.0f} MB; the save adds one snapshot of it (Python's sqlite3 can only copy "
        f"a database whole), so the floor of a whole-image save here is the runtime "
        f"({phases['rss_after_unlock_mb']:.0f} MB) plus twice the database: "
        f"{phases['rss_after_unlock_mb'] + 2 * image:.0f} MB; the rest "
        f"({phases['rss_at_save_mb'] - phases['rss_after_unlock_mb'] - image:.0f} MB) is "
        "what the import left in the allocators"
    )
    print(
        "the database, b-tree by b-tree (MB, how full its pages are): "
        + "; ".join(
            f"{name} {mb:.1f} ({fill:.0%})"
            for name, (mb, fill) in phases["btrees_mb_and_fill"].items()
        )
    )
    print(
        f"companion import --format daylio: {float(cli_s):.1f} s, exit {code}, peak "
        f"{float(cli_peak):.0f} MB after the unlock (budget ≤ 300 MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
