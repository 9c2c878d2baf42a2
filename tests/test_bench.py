"""The benchmark works end to end (``bench/run.py --quick --json``). Timings are not judged
here: performance is measured in bench/, never in timed tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEASURED = (
    "launch_ratio",
    "unlock_beyond_kdf_ms_cold",
    "save_p95_ms",
    "gui_max_stall_ms",
    "gui_p99_stall_ms",
    "diary_first_paint_ms_cold",
    "chart_first_draw_ms_cold",
    "chart_frame_ms",
    "lock_ms",
    "rss_all_pages_mb",
)
#: features that do not exist yet: reported as such, never as a number
NOT_YET = ("pdf_90d_ms", "import_50mb_rss_mb")


def test_quick_bench_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_DATA_DIR"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json", str(out),
         "--json-only"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["failures"] == []
    for name in MEASURED:
        value = result[name]
        assert isinstance(value, int | float) and value > 0, (name, value)
        assert result["budgets"][name] is not None
    for name in NOT_YET:
        assert result[name] == "not measured"
        assert result["why_not_measured"][name]
    machine = result["machine"]
    assert machine["load_at_start"] and machine["load_at_end"] and machine["cores"]
    assert result["details"]["session"], "the scripted session did not finish"


def test_launch_only_measures_the_launch_and_says_why_the_rest_is_not(tmp_path: Path) -> None:
    out = tmp_path / "launch.json"
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_DATA_DIR"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--launch-only", "--json",
         str(out), "--json-only"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["failures"] == []
    assert isinstance(result["launch_ratio"], int | float) and result["launch_ratio"] > 0
    launch = result["cold_and_warm"]["launch"]
    assert launch["floor_ms"] > 0 and launch["app_to_floor"] > 0
    for name in MEASURED[1:]:
        assert result[name] == "not measured"
        assert result["why_not_measured"][name] == "not measured: --launch-only"


def _demo(tmp_path: Path, env: dict[str, str]) -> Path:
    """A 60-day demo diary in ``tmp_path``, with ``env``'s passphrase."""
    diary = tmp_path / "diary"
    subprocess.run(
        [sys.executable, "-m", "companion", "demo", "--data-dir", str(diary), "--days", "60",
         "--seed", "7"],
        cwd=tmp_path, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return diary


def test_page_floor_opens_a_page_beside_its_plain_copy(tmp_path: Path) -> None:
    """``bench/page_floor.py`` (a page of the app beside a plain PySide6 copy of it) runs end
    to end on a small diary: one round, one page, both sides measured, the copy looked at."""
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_DATA_DIR"}
    env["COMPANION_PASSPHRASE"] = "page floor smoke test passphrase"
    diary = _demo(tmp_path, env)
    out = tmp_path / "floor.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "page_floor.py"), "run", "--data-dir", str(diary),
         "--rounds", "1", "--pages", "settings", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    row = result["medians"]["settings"]
    for key in ("app_first_ms", "copy_first_ms", "app_again_ms", "copy_again_ms"):
        assert row[key] > 0, (key, row)
    assert list(result["medians"]) == ["settings"]
    look = result["look"]["settings"]
    assert abs(look["app_size"][0] - look["copy_size"][0]) <= 8  # in the same window
    assert look["same_pixels"] > 0.5
    assert result["copy"]["widgets"] > 100
    assert result["machine"]["cores"] and result["machine"]["load_1min"]
    assert "settings" in proc.stdout


def test_new_user_types_a_check_in_with_a_note_opens_every_page_and_locks(
    tmp_path: Path,
) -> None:
    """``bench/new_user.py`` (a new user's first minutes, input through the window system)
    runs end to end on a small diary: the check-in it types is saved with its note, every
    page is opened, the diary locks, and each stage's longest gap is printed (not judged)."""
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_DATA_DIR"}
    env["COMPANION_PASSPHRASE"] = "new user smoke test passphrase"
    env["QT_QPA_PLATFORM"] = "offscreen"
    diary = _demo(tmp_path, env)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "new_user.py"), str(diary), "--quick"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode in (0, 1), out[-3000:] + proc.stderr[-3000:]  # 1: a gap over 50 ms
    for line in (
        "note focused: yes",
        "check-in saved with its note: yes",
        "the check-in window's More… open: yes",
        "the check-in window closed: yes",
        "locked: yes",
    ):
        assert line in out, out
    for stage in ("typing the passphrase", "More… clicked", "typing the note", "Ctrl+N", "Ctrl+L"):
        assert stage in out
    assert out.count("opened from the sidebar") >= 8
    assert "longest gap" in out


def test_session_gaps_lists_each_steps_gaps_over_16_ms_up_to_the_end_of_the_session() -> None:
    """``bench/session_gaps.py``'s table from a session's stages (as ``children.py app``
    reports them): the steps with gaps over 16 ms in order, the bench's own pauses and the
    warm pass left out, the share of the session's time in those gaps."""
    sys.path.insert(0, str(ROOT / "bench"))
    from session_gaps import report

    result = {
        "stages": [
            {"stage": "unlock, first page painted", "ticks": 80, "seconds": 0.5,
             "gaps_over_16ms": [20.0, 17.5]},
            {"stage": "(measuring memory)", "ticks": 5, "seconds": 0.3,
             "gaps_over_16ms": [90.0]},
            {"stage": "check-in on Today", "ticks": 20, "seconds": 0.1, "gaps_over_16ms": []},
            {"stage": "lock", "ticks": 10, "seconds": 0.1, "gaps_over_16ms": [22.5]},
            {"stage": "(session over)", "ticks": 3, "seconds": 0.2, "gaps_over_16ms": [120.0]},
            {"stage": "warm: lock", "ticks": 10, "seconds": 0.1, "gaps_over_16ms": [60.0]},
        ]
    }  # fmt: skip
    lines = report(result)
    assert len(lines) == 3
    assert lines[0].split()[:4] == ["unlock,", "first", "page", "painted"]
    assert lines[0].endswith("> 16 ms: 20.0, 17.5")
    assert lines[1].split()[0] == "lock" and lines[1].endswith("22.5")
    assert lines[2] == "  session 700 ms, of which 60 ms in gaps over 16 ms (8.6%)"


def test_the_bench_says_so_when_there_is_no_diary_to_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No diary there (or a passphrase that does not open it): one sentence, at once, not a
    session waiting at its unlock window until it times out. ``run.py --data-dir`` checks it
    before any child starts, and ``session_gaps.py`` uses the same check."""
    sys.path.insert(0, str(ROOT / "bench"))
    import run
    from session_gaps import main as session_gaps_main

    with pytest.raises(SystemExit, match="There is no diary in"):
        run.check_diary(tmp_path, "any passphrase")
    with pytest.raises(SystemExit, match=r"There is no diary in .*companion demo --data-dir D"):
        run.main(["--rounds", "1", "--data-dir", str(tmp_path)])
    monkeypatch.setenv("COMPANION_PASSPHRASE", "any passphrase")
    monkeypatch.setattr(sys, "argv", ["session_gaps.py", str(tmp_path)])
    with pytest.raises(SystemExit, match="There is no diary in"):
        session_gaps_main()


def test_a_sampled_stack_is_let_go_of_on_the_monitored_thread_at_its_next_tick(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A function that returns while a sampler holds its frame leaves its locals to the
    frame: the frames a sample walked are kept until the stall monitor's next tick, on the
    thread it watches (where Qt objects may be destroyed), never let go of by the sampler."""
    import threading

    sys.path.insert(0, str(ROOT / "bench"))
    import drive

    inside, sampled, returned = threading.Event(), threading.Event(), threading.Event()
    real_frames = sys._current_frames

    def current_frames() -> dict[int, object]:
        frames = real_frames()
        sampled.set()
        returned.wait(5)  # the monitored function returns while the frames are held
        return frames

    monkeypatch.setattr(drive.sys, "_current_frames", current_frames)
    stacks: list[dict[int, list[str]]] = []
    thread = threading.Thread(target=lambda: (inside.wait(5), stacks.append(drive.thread_stacks())))

    def monitored() -> None:
        inside.set()
        sampled.wait(5)

    drive.FRAMES_HELD.clear()
    thread.start()
    monitored()
    returned.set()
    thread.join(5)
    me = threading.get_ident()
    assert any(line.endswith(" monitored") for line in stacks[0][me])
    assert thread.ident not in stacks[0]  # (not the sampler's own: its frames hold the list)
    held = [frame.f_code.co_name for frames in drive.FRAMES_HELD for frame in frames]  # type: ignore[attr-defined]
    assert "monitored" in held
    monitor = drive.StallMonitor.__new__(drive.StallMonitor)
    monitor.ticks, monitor.watchdog = [], None
    monitor._tick()
    assert drive.FRAMES_HELD == []


def test_gil_gaps_says_so_when_a_time_is_missing_or_not_a_number() -> None:
    """``--late-ms`` or ``--switch-ms`` without a number: one sentence, before any session."""
    sys.path.insert(0, str(ROOT / "bench"))
    import gil_gaps

    for tail in (["--late-ms"], ["--late-ms", "x12"], ["--switch-ms", "0"]):
        with pytest.raises(SystemExit, match="takes a number of milliseconds over 0"):
            gil_gaps.main(["run", "DATA", "CSV", "out.json", "--sample", *tail])
