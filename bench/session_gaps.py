"""The scripted session of ``run.py`` once per round, every gap over 16 ms by step: where the
GUI thread's longer turns are, which the figures only summarise.

    python bench/session_gaps.py DATA_DIR [--rounds N] [--csv FILE] [--over MS]

``DATA_DIR`` holds a demo diary (``run.py``'s 10-year demo: ``companion demo --days 3650 --seed
7``); ``COMPANION_PASSPHRASE`` its passphrase. It is copied for each round (the session writes
check-ins and imports). ``--csv``: the file the session imports (default: 365 rows written as
``run.py`` writes them). ``--over MS``: the length of gap to list (default 16, at least 10).
Prints, per round, each step with a gap over that (the step's ticks, its time, those gaps and
its garbage collections over 3 ms), then the share of the session's time in such gaps. The
warm pass and the bench's own pauses (steps in brackets) are left out, as in ``run.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHECKINS = 5


def session(data_dir: Path, csv_path: Path) -> dict[str, Any]:
    """One fresh process running the session on a copy of the diary: its result."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="companion-gaps-") as scratch:
        copy = Path(scratch) / "data"
        shutil.copytree(data_dir, copy)
        command = [sys.executable, str(HERE / "children.py"), "app", str(copy), str(csv_path)]
        done = subprocess.run(
            [*command, str(CHECKINS)],
            env=env,
            capture_output=True,
            text=True,
            cwd=scratch,
            check=False,
        )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH-RESULT "))
            return result
    raise SystemExit(f"the session did not finish:\n{done.stderr[-3000:]}")


def report(result: dict[str, Any], over_ms: float = 16) -> list[str]:
    """The steps with gaps over ``over_ms`` (16 or more, or from 10), in order, up to the end
    of the (cold) session."""
    lines, total, over = [], 0.0, 0.0
    collected: dict[str, str] = {}  # a step's garbage collections over 3 ms (generation: ms)
    for record in result.get("collections", []):
        if record["ms"] > 3:
            text = f"{record['generation']}: {record['ms']:.1f}"
            stage = record["stage"]
            collected[stage] = collected.get(stage, "  (collections") + f" {text}"
    collected = {stage: text + ")" for stage, text in collected.items()}
    for row in result["stages"]:
        name = row["stage"]
        if name == "(session over)":
            break
        if name.startswith("(") or not row.get("ticks"):
            continue
        key = "gaps_over_16ms" if over_ms >= 16 else "gaps_over_10ms"
        gaps = [g for g in row.get(key, []) if g > over_ms]
        total += row["seconds"] * 1000
        over += sum(gaps)
        if gaps:
            lines.append(
                f"  {name[:52]:52} {row['ticks']:5} ticks {row['seconds'] * 1000:7.0f} ms"
                f"  > {over_ms:g} ms: {', '.join(f'{g:.1f}' for g in gaps)}"
                + collected.get(name, "")
            )
    lines.append(
        f"  session {total:.0f} ms, of which {over:.0f} ms in gaps over {over_ms:g} ms"
        f" ({over / total:.1%})"
        if total
        else "  no session"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--csv", type=Path)
    parser.add_argument(
        "--over", type=float, default=16, help="list the gaps longer than this (ms, 10 or more)"
    )
    args = parser.parse_args()
    if "COMPANION_PASSPHRASE" not in os.environ:
        raise SystemExit("COMPANION_PASSPHRASE must hold the diary's passphrase")
    sys.path.insert(0, str(HERE))
    from run import check_diary, write_import_csv

    check_diary(args.data_dir, os.environ["COMPANION_PASSPHRASE"])
    with tempfile.TemporaryDirectory(prefix="companion-gaps-csv-") as folder:
        csv_path = args.csv
        if csv_path is None:
            csv_path = Path(folder) / "import.csv"
            write_import_csv(csv_path, 365)
        for n in range(args.rounds):
            result = session(args.data_dir, csv_path)
            print(f"round {n + 1}:")
            print("\n".join(report(result, max(10.0, args.over))))


if __name__ == "__main__":
    main()
