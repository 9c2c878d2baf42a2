"""Practice sessions, own exercises and favourites: JSON round trip, file import, demo data."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import features
from companion.core import demo, portable
from companion.core.errors import ImportFileError
from companion.core.exercises.custom import import_exercise_file, save_exercise_file
from companion.storage.database import Database
from tests.core.exercise_helpers import Exercises
from tests.core.mood_helpers import PLUS2, clock, fresh_db
from tests.core.test_exercises_service import OWN

TABLES = ("exercise_sessions", "custom_exercises", "exercise_favourites")


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    out = dict(document)
    out.pop("exported_at")
    return out


def _fill(svc: Exercises) -> None:
    svc.custom.add(OWN.replace("Something", "Ünïcödé “quoted”\\nthing"))
    svc.favourites.set_favourite("my-walk", True)
    svc.favourites.set_favourite("paced-breathing", True)
    a = svc.practice.start_session(
        "paced-breathing",
        variant="default",
        distress_before=8,
        breaths_per_minute=5.5,
        at=datetime(2026, 6, 1, 3, 0, 0, 123456, tzinfo=PLUS2),
    )
    svc.practice.record_progress(a.id, 3)
    svc.practice.set_ratings(a.id, distress_after=6, note="Private words\nsecond line")
    b = svc.practice.start_session(
        "my-walk", at=datetime(2026, 6, 2, 21, 45, tzinfo=timezone(timedelta(hours=-7)))
    )
    svc.practice.finish_session(b.id)
    svc.practice.start_session("safe-place", variant="eyes-closed")


def test_json_round_trip_gives_the_same_document() -> None:
    db = fresh_db()
    svc = Exercises.over(db, clock=clock)
    _fill(svc)
    first = portable.export_document(db, include_notes=True)
    parsed = portable.parse_document(portable.dumps(first).encode("utf-8"))
    other = fresh_db()
    portable.import_document(other, parsed)
    second = portable.export_document(other, include_notes=True)
    assert _comparable(first) == _comparable(second)
    for table in TABLES:
        assert first["tables"][table], table
    again = Exercises.over(other, clock=clock)
    assert again.practice.sessions() == svc.practice.sessions()
    assert (
        again.favourites.favourites()
        == svc.favourites.favourites()
        == ["my-walk", "paced-breathing"]
    )
    assert again.custom.entries() == svc.custom.entries()


def test_export_without_notes_leaves_the_session_note_out_and_still_imports() -> None:
    db = fresh_db()
    _fill(Exercises.over(db, clock=clock))
    document = portable.export_document(db, include_notes=False)
    assert "Private words" not in portable.dumps(document)
    other = fresh_db()
    portable.import_document(other, portable.parse_document(portable.dumps(document).encode()))
    assert all(s.note is None for s in Exercises.over(other).practice.sessions())
    assert len(Exercises.over(other).practice.sessions()) == 3


def test_a_tampered_export_with_an_invalid_own_exercise_is_shown_as_a_problem() -> None:
    db = fresh_db()
    Exercises.over(db, clock=clock).custom.add(OWN)
    document = portable.export_document(db, include_notes=True)
    document["tables"]["custom_exercises"][0]["toml"] = "id = 1"
    other = fresh_db()
    portable.import_document(other, document)
    svc = Exercises.over(other)
    (entry,) = svc.custom.entries()
    assert entry.exercise is None and entry.problem
    assert svc.library.find("my-walk") is None
    assert "my-walk" not in [e.id for e in svc.library.library()]


def test_a_tampered_export_with_absurd_ratings_imports_nothing() -> None:
    db = fresh_db()
    _fill(Exercises.over(db, clock=clock))
    document = portable.export_document(db, include_notes=True)
    document["tables"]["exercise_sessions"][0]["distress_after"] = 42
    other = fresh_db()
    with pytest.raises(ImportFileError):
        portable.import_document(other, document)
    assert Exercises.over(other).practice.count_sessions() == 0
    assert Exercises.over(other).custom.entries() == []


# -- the exercise importer -------------------------------------------------------------------


def test_importer_is_registered_and_all_or_nothing(tmp_path: Path) -> None:
    assert "exercise" in features.load().import_formats()
    db = fresh_db()
    path = tmp_path / "homework.toml"
    path.write_text(OWN, encoding="utf-8")
    assert import_exercise_file(db, path).total_added == 1
    again = import_exercise_file(db, path)
    assert again.total_added == 0 and again.skipped_existing == {"custom_exercises": 1}
    path.write_text(OWN.replace("My walk", "Another walk"), encoding="utf-8")
    with pytest.raises(ImportFileError, match="different exercise"):
        import_exercise_file(db, path)
    assert len(Exercises.over(db).custom.entries()) == 1


def test_save_and_open_a_file_round_trip(tmp_path: Path) -> None:
    db = fresh_db()
    svc = Exercises.over(db)
    entry = svc.custom.add(OWN)
    path = tmp_path / "my-walk.toml"
    save_exercise_file(entry.text, path)
    other = fresh_db()
    import_exercise_file(other, path)
    assert Exercises.over(other).custom.entries()[0].exercise == entry.exercise


BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "blank": b"   \n\t\n",
    "json": b'{"id": "x", "steps": []}',
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "zip": b"PK\x03\x04" + b"\x00" * 40,
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    "html": b"<!DOCTYPE html><html></html>",
    "binary": b"id = \x00\x01\x02",
    "latin1": 'title = "caf\xe9"'.encode("latin-1"),
    "csv": b"date,mood\n2026-01-01,5\n",
    "no steps": OWN.split("[[steps]]")[0].encode(),
    "empty step": OWN.replace('text = "Stand up if you like."', 'text = ""').encode(),
    "absurd seconds": OWN.replace("seconds = 30", "seconds = 99999999").encode(),
    "negative seconds": OWN.replace("seconds = 30", "seconds = -5").encode(),
    "too many steps": (OWN + '\n[[steps]]\ntext = "again"\nseconds = 0\n' * 120).encode(),
    "bundled id": OWN.replace("my-walk", "five-senses").encode(),
    "huge": b"# " + b"x" * 300_000,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_give_one_sentence_and_import_nothing(tmp_path: Path, name: str) -> None:
    db = fresh_db()
    path = tmp_path / "bad.toml"
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(ImportFileError) as caught:
        import_exercise_file(db, path)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and len(message) < 300
    assert "Traceback" not in message
    assert Exercises.over(db).custom.entries() == []


def test_a_missing_file_is_a_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="could not be read"):
        import_exercise_file(fresh_db(), tmp_path / "missing.toml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600) | st.text(max_size=600).map(lambda t: t.encode("utf-8")))
def test_any_bytes_either_import_one_valid_exercise_or_nothing(raw: bytes) -> None:
    import tempfile

    db = fresh_db()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.toml"
        path.write_bytes(raw)
        try:
            import_exercise_file(db, path)
        except ImportFileError as exc:
            assert str(exc).strip()
            assert Exercises.over(db).custom.entries() == []
        else:
            (entry,) = Exercises.over(db).custom.entries()
            assert entry.exercise is not None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.text(max_size=80), st.integers(min_value=-10, max_value=5000)), max_size=8
    ),
    st.text(max_size=40),
)
def test_mutated_step_lists_either_validate_or_are_refused(
    steps: list[tuple[str, int]], title: str
) -> None:
    """Absurd or missing steps in an otherwise well-formed file."""
    import tempfile

    from companion.content.exercise_toml import toml_string

    body = OWN.split("[[steps]]")[0].replace('"My walk"', toml_string(title or "x"))
    for text, seconds in steps:
        body += f"\n[[steps]]\ntext = {toml_string(text)}\nseconds = {seconds}\n"
    db = fresh_db()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.toml"
        path.write_text(body, encoding="utf-8")
        valid = (
            bool(steps)
            and bool((title or "x").strip())
            and all(t.strip() and 0 <= s <= 3600 for t, s in steps)
        )
        try:
            import_exercise_file(db, path)
        except ImportFileError:
            assert Exercises.over(db).custom.entries() == []
        else:
            assert Exercises.over(db).library.find("my-walk") is not None
        if not valid:
            assert Exercises.over(db).custom.entries() == []


def test_cli_import_of_a_bad_file_exits_6_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"COMPANION_PASSPHRASE": "violet tractor marmalade", "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "companion"]
    made = subprocess.run(
        [*run, "demo", "--data-dir", str(data), "--days", "0"], env=env, capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("the demo command is not usable in this environment")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"%PDF-1.4 nonsense")
    result = subprocess.run(
        [*run, "import", "--format", "exercise", str(bad), "--data-dir", str(data)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 6
    assert result.stderr.strip().count("\n") == 0
    assert "PDF" in result.stderr and "Traceback" not in result.stderr
    good = tmp_path / "good.toml"
    good.write_text(OWN, encoding="utf-8")
    result = subprocess.run(
        [*run, "import", "--format", "exercise", str(good), "--data-dir", str(data)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Imported 1" in result.stdout


# -- demo ------------------------------------------------------------------------------------


def test_demo_practice_is_plausible_deterministic_and_fast(
    report_figure: Callable[[str], None],
) -> None:
    from companion.core.exercises.demo import exercise_practice

    today = date(2026, 6, 14)
    db = fresh_db()
    rng_period = demo.DemoPeriod(
        start=today - timedelta(days=3649), end=today, rng=__import__("random").Random(7)
    )
    started = time.perf_counter()
    with db.session() as session:
        exercise_practice(session, rng_period)
    elapsed = time.perf_counter() - started
    svc = Exercises.over(db)
    sessions = svc.practice.sessions()
    report_figure(f"exercise demo: 3,650 days → {len(sessions)} sessions in {elapsed:.2f} s")
    assert elapsed < 5
    assert 500 < len(sessions) < 3000
    assert any(not s.completed for s in sessions) and any(s.completed for s in sessions)
    assert any(s.distress_before is None for s in sessions)
    effects = svc.practice.effects()
    assert all(e.mean_change is None or -4 < e.mean_change < 1 for e in effects)
    assert sum(1 for s in sessions if s.exercise_id == "body-scan") < len(sessions) / 10
    cold = [s.distress_before for s in sessions if s.exercise_id == "cold-water"]
    assert cold and all(d is None or d >= 8 for d in cold)
    assert svc.favourites.favourites() == ["paced-breathing", "five-senses"]
    assert [c.slug for c in svc.custom.entries()] == ["evening-wind-down"]
    assert all(s.ended_at >= s.started_at for s in sessions)
    # the same seed gives the same practice, and the shared random source is not consumed
    rng = __import__("random").Random(7)
    state = rng.getstate()
    db2 = fresh_db()
    with db2.session() as session:
        exercise_practice(session, demo.DemoPeriod(rng_period.start, today, rng))
    assert rng.getstate() == state
    strip = lambda d: [(s.exercise_id, s.started_at, s.distress_before) for s in d]  # noqa: E731
    assert strip(Exercises.over(db2).practice.sessions()) == strip(sessions)


def test_demo_over_zero_and_one_day_works() -> None:
    db: Database = fresh_db()
    demo.fill(db, 1, seed=3)
    assert Exercises.over(db).favourites.ground_me_now_id() == "paced-breathing"
