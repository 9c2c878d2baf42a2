#!/usr/bin/env python3
"""Run the test suite over and over, the way CI and a busy laptop would, and count failures.

    tools/stress-tests.py [--full 10] [--ui 200] [--cores 1,2] [--load 1] [--workdir DIR]

1. Clones this repository's HEAD into a fresh folder and makes a fresh virtualenv there
   (``pip install -e .[test,dev]``), so nothing from a working copy leaks in: only committed
   files are tested.
2. Runs the whole suite ``--full`` times in its fixed (CI) order, under each CPU setting.
3. Runs the setup, unlock and app UI tests ``--ui`` times in a random order (pytest-randomly,
   a new seed each run, printed with any failure so it can be replayed), under each setting.

A CPU setting ``1`` pins the tests to core 0 (as ``taskset -c 0`` does); ``2`` to cores 0-1.
Beside every run, ``--load`` busy loops pinned to the same cores compete with the tests. Every
run goes through ``tools/with-keyring.sh`` as in CI. A run that outlives ``--timeout``
seconds is killed and counted as a hang. Logs of failed runs are kept under the work folder.
At the end it prints, for each phase and setting: runs, passed, failed, crashes (killed by a
signal, or a "Fatal Python error"), hangs, and the longest unbroken streak of passes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_TESTS = [
    "tests/ui/test_setup_unlock.py",
    "tests/ui/test_device_unlock.py",
    "tests/ui/test_app_and_privacy.py",
    "tests/ui/test_instance.py",
]
BUSY_LOOP = "while True:\n    pass\n"


@dataclass
class Tally:
    phase: str
    cores: int
    runs: int = 0
    passed: int = 0
    crashes: int = 0
    hangs: int = 0
    streak: int = 0
    best_streak: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, crashed: bool, hung: bool, elapsed: float, note: str) -> None:
        self.runs += 1
        self.seconds += elapsed
        if ok:
            self.passed += 1
            self.streak += 1
            self.best_streak = max(self.best_streak, self.streak)
        else:
            self.streak = 0
            self.crashes += crashed
            self.hangs += hung
            self.failures.append(note)

    def line(self) -> str:
        failed = self.runs - self.passed
        mean = self.seconds / self.runs if self.runs else 0.0
        return (
            f"{self.phase:<5} {self.cores} core(s): {self.runs:4d} runs, {self.passed:4d} passed, "
            f"{failed:3d} failed ({self.crashes} crashes, {self.hangs} hangs), "
            f"longest streak {self.best_streak}, {mean:5.1f} s per run"
        )


def pin(cores: int) -> None:
    """In the child, before exec: run on cores 0..cores-1 only (what taskset -c does)."""
    os.sched_setaffinity(0, set(range(cores)))


def start_load(count: int, cores: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", BUSY_LOOP],
            preexec_fn=lambda: pin(cores),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.kill()
    for proc in procs:
        proc.wait()


def prepare(workdir: Path, quiet: bool) -> Path:
    clone = workdir / "clone"
    print(f"== fresh clone of {ROOT} at {git_head()} into {clone}", flush=True)
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    print("== fresh virtualenv (pip install -e .[test,dev])", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(clone / ".venv")], check=True)
    pip = [str(clone / ".venv" / "bin" / "python"), "-m", "pip", "install"]
    extra = ["-q"] if quiet else []
    subprocess.run([*pip, *extra, "--upgrade", "pip"], check=True, cwd=clone)
    subprocess.run([*pip, *extra, "-e", ".[test,dev]"], check=True, cwd=clone)
    probe = "import PySide6; print(PySide6.__version__)"
    version = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"   PySide6 {version}", flush=True)
    return clone


def git_head() -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def run_once(
    clone: Path, args: list[str], cores: int, timeout: float, log: Path
) -> tuple[bool, bool, bool, float]:
    """One pytest run in its own session; returns (passed, crashed, hung, seconds)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPANION_")}
    env["PYTHONFAULTHANDLER"] = "1"
    command = [
        "tools/with-keyring.sh",
        str(clone / ".venv" / "bin" / "python"),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *args,
    ]
    began = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen(
            command,
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: pin(cores),
            start_new_session=True,
        )
        hung = False
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            hung = True
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
        except BaseException:  # stopped (Ctrl+C, SIGTERM): take the run down with us
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    elapsed = time.monotonic() - began
    text = log.read_text(errors="replace")
    crashed = code < 0 or code >= 128 or "Fatal Python error" in text
    return code == 0 and not hung and not crashed, crashed, hung, elapsed


def phase(
    tally: Tally,
    clone: Path,
    runs: int,
    load: int,
    timeout: float,
    logs: Path,
    randomised: bool,
    paths: list[str],
) -> None:
    name, cores = tally.phase, tally.cores
    busy = start_load(load, cores)
    try:
        for i in range(1, runs + 1):
            seed = random.randrange(1, 2**31)
            args = ["-p", "randomly", f"--randomly-seed={seed}"] if randomised else []
            log = logs / f"{name}-{cores}core-{i}.log"
            ok, crashed, hung, elapsed = run_once(clone, [*args, *paths], cores, timeout, log)
            how = "hang" if hung else "crash" if crashed else "fail"
            note = f"run {i}" + (f" seed {seed}" if randomised else "") + f": {how}, log {log}"
            tally.add(ok, crashed, hung, elapsed, note)
            if ok:
                log.unlink()
            else:
                print(f"   {name} {cores} core(s) {note}", flush=True)
            if i % 10 == 0 or i == runs:
                print(f"   {tally.line()}", flush=True)
    finally:
        stop(busy)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", type=int, default=10, help="whole-suite runs per CPU setting")
    parser.add_argument("--ui", type=int, default=200, help="UI runs per CPU setting")
    parser.add_argument("--cores", default="1,2", help="CPU settings, e.g. 1,2")
    parser.add_argument("--load", type=int, default=1, help="busy loops beside the tests")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a hang")
    parser.add_argument("--workdir", type=Path, help="where to clone (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the clone and venv")
    parser.add_argument("--verbose", action="store_true", help="show pip's output")
    parser.add_argument(
        "--deselect",
        action="append",
        default=[],
        metavar="NODEID",
        help="leave out a test known to fail every time (say which in the report)",
    )
    options = parser.parse_args()
    # SIGTERM (or Ctrl+C) stops cleanly: the busy loops and the current run are ended too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))

    settings = [int(c) for c in options.cores.split(",") if c]
    available = len(os.sched_getaffinity(0))
    if any(c < 1 or c > available for c in settings):
        parser.error(f"--cores: this machine offers {available} core(s)")
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="companion-stress-"))
    workdir.mkdir(parents=True, exist_ok=True)
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    commit = git_head()
    clone = prepare(workdir, quiet=not options.verbose)
    tallies: list[Tally] = []  # filled as it goes, so a stopped run still reports
    try:
        for cores in settings:
            if options.full:
                print(f"== whole suite, fixed order, {cores} core(s), load {options.load}")
                tallies.append(Tally("full", cores))
                phase(
                    tallies[-1],
                    clone,
                    options.full,
                    options.load,
                    options.timeout,
                    logs,
                    randomised=False,
                    paths=[f"--deselect={n}" for n in options.deselect],
                )
            if options.ui:
                print(f"== setup/unlock/app UI tests, random order, {cores} core(s)")
                tallies.append(Tally("ui", cores))
                phase(
                    tallies[-1],
                    clone,
                    options.ui,
                    options.load,
                    min(options.timeout, 600),
                    logs,
                    randomised=True,
                    paths=[*UI_TESTS, *(f"--deselect={n}" for n in options.deselect)],
                )
    finally:
        print(f"\n== results (commit {commit}, {options.load} busy loop(s) beside the tests)")
        for node in options.deselect:
            print(f"   left out: {node}")
        for tally in tallies:
            print(tally.line())
            for note in tally.failures:
                print(f"    {note}")
        if not options.keep:
            shutil.rmtree(clone, ignore_errors=True)
    return 0 if all(t.passed == t.runs for t in tallies) else 1


if __name__ == "__main__":
    sys.exit(main())
