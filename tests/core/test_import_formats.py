"""eMoods, Bearable and generic CSV imports: honest scales, not-recorded stays missing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest

from companion.core.errors import ImportFileError
from companion.core.import_csv import ColumnMapping, guess_mapping
from companion.core.mood import MoodService, TagKind
from companion.storage.database import Database
from tests.core.import_helpers import CORPUS, bring_in, look
from tests.core.mood_helpers import fresh_db


@pytest.fixture
def db() -> Iterator[Database]:
    database = fresh_db()
    yield database
    database.close()


# -- eMoods --------------------------------------------------------------------------------------

EMOODS = (
    "ID,DATE,IRRITABILITY,ANXIETY,DEPRESSED,ELEVATED,SLEEP,PSYCHOTIC SYMPTOMS,NOTE,THERAPY,"
    "MENSTRUAL CYCLE,WEIGHT\n"
    '1,2024-03-01,1,2,1,1,6.5,0,"none depressed",0,0,0.0\n'
    '2,2024-03-02,2,3,2,4,4.0,1,"",1,1,68.5\n'
    '3,2024-03-03,3,4,3,2,0.0,0,"",0,0,0\n'
    '4,2024-03-04,4,1,4,1,8,0,"",0,0,0\n'
    '5,2024-03-05,0,0,0,0,0.0,0,"nothing rated",0,0,0\n'
)


def _emoods_zip(entry: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("entry.csv", entry)
    return buf.getvalue()


def test_emoods_depression_becomes_mood_with_the_direction_right(db: Database) -> None:
    plan = look(db, "emoods", _emoods_zip(EMOODS), skip_bad_rows=True)
    assert [r.mood for r in plan.sample] == [5, 3, 2, 1]
    assert plan.problem_count == 1
    assert "no DEPRESSED rating" in plan.problems[0].sentence()
    assert plan.problems[0].line == 6
    words = " ".join(plan.mapping)
    assert "none 5, mild 3, moderate 2, severe 1" in words
    assert "more depressed means a lower mood" in words


def test_emoods_not_recorded_stays_missing_and_scales_are_named_steps(db: Database) -> None:
    summary = bring_in(db, "emoods", _emoods_zip(EMOODS), skip_bad_rows=True)
    assert summary.added["check-ins"] == 4
    svc = MoodService(db)
    entries = sorted(svc.entries(), key=lambda e: e.occurred_at)
    assert [(e.irritability, e.anxiety) for e in entries] == [(0, 3), (3, 5), (5, 8), (8, 0)]
    assert [e.sleep_hours for e in entries] == [6.5, 4.0, None, 8.0]
    assert all(e.local_time.hour == 12 for e in entries)
    assert entries[0].note == "none depressed"
    trackers = {t.name: t for t in svc.trackers()}
    assert entries[1].tracker_values[trackers["Weight"].id] == 68.5
    assert trackers["Weight"].id not in entries[0].tracker_values  # 0.0 = not recorded
    assert entries[1].tracker_values[trackers["Psychotic symptoms"].id] == 1.0
    assert trackers["Psychotic symptoms"].id not in entries[0].tracker_values
    therapy = {t.name: t.id for t in svc.tags(TagKind.ACTIVITY)}["Therapy session"]
    assert [therapy in e.tag_ids for e in entries] == [False, True, False, False]
    assert [e.elevated for e in entries] == [0, 3, 1, 0]
    assert "Elevated (eMoods)" not in trackers  # its own measure, not a tracker


def test_emoods_mood_numbers_can_be_chosen(db: Database) -> None:
    plan = look(db, "emoods", EMOODS.encode(), skip_bad_rows=True, mood_map={"none": 6})
    assert [r.mood for r in plan.sample] == [6, 3, 2, 1]
    assert "none 6 (your choice)" in " ".join(plan.mapping)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("ID,DATE,DEPRESSED\n1,2024-03-01,7\n", "0 (not recorded) or 1–4"),
        ("ID,DATE,DEPRESSED,PSYCHOTIC SYMPTOMS\n1,2024-03-01,2,3\n", "0 or 1"),
        ("ID,DATE,DEPRESSED,SLEEP\n1,2024-03-01,2,30\n", "0 to 24"),
        ("ID,DATE,DEPRESSED\n1,01/03/2024,2\n", "date"),
    ],
)
def test_emoods_values_out_of_range_are_bad_rows(db: Database, entry: str, words: str) -> None:
    plan = look(db, "emoods", entry.encode())
    assert plan.blocked and words in plan.problems[0].sentence()


def test_not_an_emoods_backup(db: Database) -> None:
    with pytest.raises(ImportFileError, match=r"not an eMoods entry\.csv"):
        look(db, "emoods", b"name,age\nA,3\n")
    with pytest.raises(ImportFileError, match=r"no entry\.csv"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            archive.writestr("other.csv", "x")
        look(db, "emoods", buf.getvalue())


# -- Bearable ------------------------------------------------------------------------------------


def test_bearable_readings_become_check_ins(db: Database) -> None:
    data = (CORPUS / "bearable_export.csv").read_bytes()
    plan = look(db, "bearable", data, skip_bad_rows=True)
    assert plan.rows_read == 12 and plan.to_import == 4
    first, second, third, fourth = plan.sample
    assert (first.at.hour, first.mood, first.value("energy"), first.value("sleep_hours")) == (
        9,
        6,
        4,
        7.25,
    )
    assert first.note == "Feelings: Meh, Anxious"
    assert (second.at.hour, second.mood, second.value("anxiety")) == (19, 8, 8)
    assert [t.name for t in second.tags] == ["Meditation", "Exercise", "Vitamin D"]
    assert [(ref.name, v) for ref, v in second.trackers] == [("Headache", 5)]
    assert second.note == "Feelings: Calm\n\nNice dinner\n\nHeadache: after lunch"
    assert (third.at.hour, third.mood) == (3, 3) and (fourth.at.hour, fourth.mood) == (13, 5)
    assert "Bowel Movements (1)" in " ".join(plan.notices)
    assert "no mood was recorded on 24 Sep 2020" in plan.problems[0].sentence()


def test_bearable_two_readings_in_one_part_of_the_day_stay_two(db: Database) -> None:
    data = (
        b'"date","weekday","time of day","category","rating/amount","detail","notes"\n'
        b'"1st Oct 2020","Thursday","am","Mood","4","",""\n'
        b'"1st Oct 2020","Thursday","am","Mood","4","",""\n'
    )
    plan = look(db, "bearable", data)
    assert [(r.at.hour, r.at.minute) for r in plan.sample] == [(9, 0), (9, 1)]


def test_not_a_bearable_export(db: Database) -> None:
    with pytest.raises(ImportFileError, match="not a Bearable export"):
        look(db, "bearable", b"a,b\n1,2\n")


# -- generic CSV -----------------------------------------------------------------------------------

GENERIC = (
    b"Date,Time,Mood,Anxiety,Sleep,Notes,Tags\n"
    b"2026-06-01,08:30,6,3,7.5,Fine morning,walk|friends\n"
    b"2026-06-01,21:00,4,,,,\n"
    b"02/06/2026,,8,0,,Sunny,\n"
)


def test_generic_csv_columns_are_recognised_by_name(db: Database) -> None:
    assert guess_mapping(["Date", "Time", "Mood", "Anxiety", "Sleep", "Notes", "Tags"]) == {
        "date": 0,
        "time": 1,
        "mood": 2,
        "anxiety": 3,
        "sleep_hours": 4,
        "note": 5,
        "tags": 6,
    }
    first, second, third = look(db, "csv", GENERIC).sample
    assert (first.mood, first.value("anxiety"), first.value("sleep_hours"), first.note) == (
        6,
        3,
        7.5,
        "Fine morning",
    )
    assert [t.name for t in first.tags] == ["walk", "friends"]
    assert (second.at.hour, second.value("anxiety"), second.note) == (21, None, None)
    assert (third.at.day, third.at.month, third.at.hour, third.mood) == (2, 6, 12, 8)


def test_generic_csv_with_a_mapping_a_one_to_five_scale_and_semicolons(db: Database) -> None:
    data = b"when;score;text\n2026-06-01 07:45;1;a\n2026-06-02T22:10;5;b\n2026-06-03 9:05 pm;3;\n"
    mapping = ColumnMapping({"datetime": 0, "mood": 1, "note": 2}, mood_scale=5)
    plan = look(db, "csv", data, columns=mapping)
    assert [r.mood for r in plan.sample] == [1, 9, 5]
    assert [(r.at.hour, r.at.minute) for r in plan.sample] == [(7, 45), (22, 10), (21, 5)]


def test_generic_csv_word_moods_need_numbers(db: Database) -> None:
    data = b"date,mood\n2026-06-01,happy\n2026-06-02,5\n"
    with pytest.raises(ImportFileError, match="“happy”"):
        look(db, "csv", data)
    assert [r.mood for r in look(db, "csv", data, mood_map={"Happy": 8}).sample] == [8, 5]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"date,mood\n2026-06-01,11\n", "0 to 10"),
        (b"date,mood\n2026-06-01,5.5\n", "whole number"),
        (b"date,mood\n2026-06-01,\n", "no mood"),
        (b"date,mood,anxiety\n2026-06-01,5,1e9\n", "0 to 10"),
        (b"date,mood,sleep\n2026-06-01,5,30\n", "0 to 24"),
        (b"date,mood\n0001-01-01,5\n", "1900"),
        (b"date,mood\n9999-12-31,5\n", "future"),
        (b"date,mood\n2026-06-01,5,extra,cells\n", "more fields"),
    ],
)
def test_absurd_values_in_a_generic_csv_are_bad_rows(db: Database, data: bytes, words: str) -> None:
    plan = look(db, "csv", data)
    assert plan.blocked
    assert words in plan.problems[0].sentence()


def test_generic_csv_needs_a_mood_and_a_date_column(db: Database) -> None:
    with pytest.raises(ImportFileError, match="mood"):
        look(db, "csv", b"date,feeling\n2026-06-01,5\n")
    with pytest.raises(ImportFileError, match="date"):
        look(db, "csv", b"mood,note\n5,x\n")
    with pytest.raises(ImportFileError, match="one thing only"):
        look(db, "csv", b"date,mood\n2026-06-01,5\n", columns=ColumnMapping({"date": 0, "mood": 0}))
    with pytest.raises(ImportFileError, match="Daylio"):
        look(db, "csv", (CORPUS / "daylio_de_8col.csv").read_bytes())
