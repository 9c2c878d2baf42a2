"""Daylio and generic CSV imports: real-format samples, preview, duplicates, all or nothing,
bad input (one clear sentence, nothing imported) and property-based fuzzing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import cli, paths
from companion.core.errors import ImportFileError
from companion.core.importers import IMPORTERS
from companion.core.mood import CheckIn, MoodService, TagKind
from companion.core.mood_import import (
    DAYLIO_DEFAULT_MOODS,
    ColumnMapping,
    guess_mapping,
    import_bytes,
    parse_csv,
    parse_daylio,
    preview,
    write,
)
from companion.storage.database import Database
from tests.core.mood_helpers import NOW, fresh_db

# A current (8-column) Daylio export, in Daylio's own style: newest first, 12-hour times with
# lower-case am/pm, stray spaces after moods and activities, a title and an HTML line break.
DAYLIO_8 = (
    b"full_date,date,weekday,time,mood,activities,note_title,note\n"
    b'2026-05-28,28 May,Thursday,10:00 pm,bad ,"cleaning | music | bad sleep | tired ","",""\n'
    b'2026-05-27,27 May,Wednesday,11:05 pm,meh,"cooking  | walk","Long day",'
    b'"Felt slow.<br>Better later."\n'
    b'2026-05-26,26 May,Tuesday,8:15 am,rad,"","",""\n'
    b'2026-05-26,26 May,Tuesday,9:40 pm,good,"friends | Walk","",""\n'
    b'2026-05-25,25 May,Monday,21:30,awful,"","","A ""quoted"" word, and a comma."\n'
)

# The older 7-column layout (year + "18 May" style date).
DAYLIO_7 = (
    b"year,date,weekday,time,mood,activities,note\n"
    b'2026,18 May,Monday,11:54 pm,good,"cleaning | cooking | music","Went out"\n'
    b'2026,May 17,Sunday,10:21 pm,meh,"cooking ",""\n'
    b'2026,16 May,Saturday,11:41 pm,awful,"","Did nothing today."\n'
)


@pytest.fixture
def db() -> Iterator[Database]:
    database = fresh_db()
    yield database
    database.close()


def parse8(data: bytes = DAYLIO_8, **kw: object) -> object:
    return parse_daylio(data, now=NOW, **kw)  # type: ignore[arg-type]


def rows_in(db: Database) -> int:
    return MoodService(db).count_entries()


# -- Daylio: real formats ----------------------------------------------------------------------


def test_current_daylio_layout_is_read_with_the_documented_mood_mapping() -> None:
    parsed = parse_daylio(DAYLIO_8, now=NOW)
    assert parsed.format == "daylio"
    assert [r.mood for r in parsed.rows] == [3, 5, 9, 7, 1]
    assert DAYLIO_DEFAULT_MOODS == {"awful": 1, "bad": 3, "meh": 5, "good": 7, "rad": 9}
    first = parsed.rows[0]
    assert (first.at.year, first.at.month, first.at.day, first.at.hour, first.at.minute) == (
        2026,
        5,
        28,
        22,
        0,
    )
    assert first.tags == ("cleaning", "music", "bad sleep", "tired")
    assert parsed.rows[1].note == "Long day\n\nFelt slow.\nBetter later."
    assert parsed.rows[1].tags == ("cooking", "walk")
    assert parsed.rows[2].at.hour == 8 and parsed.rows[2].note is None
    assert parsed.rows[4].note == 'A "quoted" word, and a comma.'
    assert parsed.rows[4].at.hour == 21
    assert parsed.mood_names == {"bad": 1, "meh": 1, "rad": 1, "good": 1, "awful": 1}


def test_older_daylio_layout_with_both_date_styles() -> None:
    parsed = parse_daylio(DAYLIO_7, now=NOW)
    assert [(r.at.month, r.at.day, r.at.hour, r.at.minute) for r in parsed.rows] == [
        (5, 18, 23, 54),
        (5, 17, 22, 21),
        (5, 16, 23, 41),
    ]
    assert [r.mood for r in parsed.rows] == [7, 5, 1]
    assert parsed.rows[0].note == "Went out"
    assert parsed.rows[1].tags == ("cooking",)


def test_import_writes_entries_and_tags_and_a_second_import_skips_every_duplicate(
    db: Database,
) -> None:
    svc = MoodService(db)
    existing_walk = {t.name: t.id for t in svc.tags(TagKind.ACTIVITY)}["Walk"]
    summary = import_bytes(db, DAYLIO_8, lambda d: parse_daylio(d, now=NOW))
    assert summary.added["check-ins"] == 5
    # "walk", "music", "cooking", "friends" match the starting tags (case-insensitive)
    names = {t.name for t in svc.tags(TagKind.ACTIVITY)}
    assert {"cleaning", "bad sleep", "tired"} <= names
    assert not {"walk", "music", "cooking", "friends"} & names
    assert summary.added["tags"] == 3
    entries = svc.entries()
    assert len(entries) == 5
    with_walk = [e for e in entries if existing_walk in e.tag_ids]
    assert len(with_walk) == 2
    assert summary.describe() == "Imported 5 check-ins and 3 new tags."

    again = import_bytes(db, DAYLIO_8, lambda d: parse_daylio(d, now=NOW))
    assert again.added == {"check-ins": 0, "tags": 0}
    assert again.skipped_existing == {"check-ins": 5}
    assert rows_in(db) == 5
    assert "5 were already in the diary" in again.describe()


def test_preview_writes_nothing_and_counts_duplicates_by_local_time_and_mood(
    db: Database,
) -> None:
    svc = MoodService(db)
    parsed = parse_daylio(DAYLIO_8, now=NOW)
    same = parsed.rows[3]  # 26 May 21:40 local, "good" = 7
    svc.create_entry(CheckIn(mood=7, at=same.at))
    svc.create_entry(CheckIn(mood=6, at=parsed.rows[2].at))  # same time, other mood: not a dup
    before = db.serialize()
    plan = preview(db, parsed)
    assert db.serialize() == before
    assert plan.duplicates == 1
    assert len(plan.new_rows) == 4
    assert "1 is already in the diary" in plan.describe()
    result = write(db, plan)
    assert result.skipped_existing["check-ins"] == 1
    assert rows_in(db) == 6


def test_a_row_repeated_inside_the_file_is_imported_once(db: Database) -> None:
    data = DAYLIO_7 + b'2026,18 May,Monday,11:54 pm,good,"",""\n'
    summary = import_bytes(db, data, lambda d: parse_daylio(d, now=NOW))
    assert summary.added["check-ins"] == 3
    assert summary.skipped_existing["check-ins"] == 1


def test_custom_mood_names_need_a_mapping_and_the_message_lists_them() -> None:
    data = DAYLIO_7.replace(b"good", b"stoked").replace(b"awful", b"Super Tired")
    with pytest.raises(ImportFileError) as info:
        parse_daylio(data, now=NOW)
    message = str(info.value)
    assert "“Super Tired”" in message and "“stoked”" in message
    assert "rad, good, meh, bad and awful" in message
    parsed = parse_daylio(data, {"stoked": 8, "super tired": 2}, now=NOW)
    assert [r.mood for r in parsed.rows] == [8, 5, 2]
    with pytest.raises(ImportFileError, match="0 to 10"):
        parse_daylio(data, {"stoked": 11, "super tired": 2}, now=NOW)


# -- generic CSV -------------------------------------------------------------------------------

GENERIC = (
    b"Date,Time,Mood,Anxiety,Sleep,Notes,Tags\n"
    b"2026-06-01,08:30,6,3,7.5,Fine morning,walk|friends\n"
    b"2026-06-01,21:00,4,,,,\n"
    b"02/06/2026,,8,0,,Sunny,\n"
)


def test_generic_csv_columns_are_recognised_by_name() -> None:
    assert guess_mapping(["Date", "Time", "Mood", "Anxiety", "Sleep", "Notes", "Tags"]) == {
        "date": 0,
        "time": 1,
        "mood": 2,
        "anxiety": 3,
        "sleep_hours": 4,
        "note": 5,
        "tags": 6,
    }
    parsed = parse_csv(GENERIC, now=NOW)
    first, second, third = parsed.rows
    assert (first.mood, first.anxiety, first.sleep_hours, first.note, first.tags) == (
        6,
        3,
        7.5,
        "Fine morning",
        ("walk", "friends"),
    )
    assert (second.at.hour, second.anxiety, second.note) == (21, None, None)
    assert (third.at.day, third.at.month, third.at.hour, third.mood) == (2, 6, 12, 8)


def test_generic_csv_with_an_explicit_mapping_and_a_one_to_five_scale() -> None:
    data = b"when;score;text\n2026-06-01 07:45;1;a\n2026-06-02T22:10;5;b\n2026-06-03 9:05 pm;3;\n"
    mapping = ColumnMapping({"datetime": 0, "mood": 1, "note": 2}, mood_scale=5)
    parsed = parse_csv(data, mapping, now=NOW)
    assert [r.mood for r in parsed.rows] == [1, 9, 5]
    assert [(r.at.hour, r.at.minute) for r in parsed.rows] == [(7, 45), (22, 10), (21, 5)]


def test_generic_csv_needs_a_mood_and_a_date_column() -> None:
    with pytest.raises(ImportFileError, match="mood"):
        parse_csv(b"date,feeling\n2026-06-01,5\n", now=NOW)
    with pytest.raises(ImportFileError, match="date"):
        parse_csv(b"mood,note\n5,x\n", now=NOW)
    with pytest.raises(ImportFileError, match="one thing only"):
        parse_csv(b"date,mood\n2026-06-01,5\n", ColumnMapping({"date": 0, "mood": 0}), now=NOW)
    with pytest.raises(ImportFileError, match="Daylio"):
        parse_csv(DAYLIO_8, now=NOW)


# -- bad input: one sentence, nothing imported --------------------------------------------------

BAD_DAYLIO: list[tuple[bytes, str]] = [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x00\x01\x02PK\x03\x04binary", "not a text file"),
    (b"name,age\nA,3\n", "not a Daylio export"),
    (b"datum,datum_kurz,wochentag,zeit,stimmung,aktivitaeten,notiz_titel,notiz\n", "English"),
    (DAYLIO_8.split(b"\n")[0] + b"\n", "no check-ins"),
    (DAYLIO_8.replace(b"10:00 pm", b"25:61"), "time"),
    (DAYLIO_8.replace(b"2026-05-28", b"2026-13-45"), "date"),
    (DAYLIO_8.replace(b"2026-05-28", b"2099-05-28"), "future"),
    (DAYLIO_8.replace(b"2026-05-28", b"1850-05-28"), "1900"),
    (DAYLIO_8 + b"2026-05-24,24 May,Sunday,9:00 pm,good\n", "columns"),
    (DAYLIO_8 + b'2026-05-24,24 May,Sunday,9:00 pm,good,"unclosed\n', "CSV"),
    (DAYLIO_7.replace(b"2026,18", b"twenty,18"), "year"),
    (DAYLIO_8.replace(b"bad ,", b","), "no mood"),
]


@pytest.mark.parametrize(("data", "words"), BAD_DAYLIO)
def test_bad_daylio_files_are_refused_with_one_sentence_and_nothing_written(
    db: Database, data: bytes, words: str
) -> None:
    before = db.serialize()
    with pytest.raises(ImportFileError) as info:
        import_bytes(db, data, lambda d: parse_daylio(d, now=NOW))
    message = str(info.value)
    assert words.lower() in message.lower()
    assert "\n" not in message and len(message) < 400
    assert db.serialize() == before


def test_a_one_megabyte_note_refuses_the_whole_file(db: Database) -> None:
    note = "x" * 1_000_000
    data = DAYLIO_7 + f'2026,15 May,Friday,9:00 pm,good,"","{note}"\n'.encode()
    with pytest.raises(ImportFileError, match="line 5 has 1,000,000 characters"):
        import_bytes(db, data, lambda d: parse_daylio(d, now=NOW))
    assert rows_in(db) == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"date,mood\n2026-06-01,11\n", "0 to 10"),
        (b"date,mood\n2026-06-01,-1\n", "0 to 10"),
        (b"date,mood\n2026-06-01,5.5\n", "whole number"),
        (b"date,mood\n2026-06-01,nan\n", "whole number"),
        (b"date,mood\n2026-06-01,\n", "no mood"),
        (b"date,mood,anxiety\n2026-06-01,5,1e9\n", "0 to 10"),
        (b"date,mood,sleep\n2026-06-01,5,30\n", "0 to 24"),
        (b"date,mood,sleep\n2026-06-01,5,inf\n", "0 to 24"),
        (b"date,mood\n0001-01-01,5\n", "1900"),
        (b"date,mood\n9999-12-31,5\n", "future"),
        (b"date,mood\n2026-06-01,5,extra,cells\n", "more columns"),
    ],
)
def test_absurd_values_in_a_generic_csv_are_refused(db: Database, data: bytes, words: str) -> None:
    with pytest.raises(ImportFileError) as info:
        import_bytes(db, data, lambda d: parse_csv(d, now=NOW))
    assert words.lower() in str(info.value).lower()
    assert rows_in(db) == 0


def test_a_failure_in_the_middle_of_writing_leaves_the_diary_unchanged(db: Database) -> None:
    plan = preview(db, parse_daylio(DAYLIO_8, now=NOW))
    broken = plan.__class__(
        plan.parsed,
        (*plan.new_rows[:2], plan.new_rows[2].__class__(line=9, at=plan.new_rows[2].at, mood=99)),
        0,
        plan.new_tags,
    )
    before = db.serialize()
    with pytest.raises(ImportFileError, match="does not fit"):
        write(db, broken)
    assert db.serialize() == before


# -- property-based ------------------------------------------------------------------------------

_cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FF), max_size=12
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_either_parse_or_give_one_sentence(data: bytes) -> None:
    for parse in (parse_daylio, parse_csv):
        try:
            parsed = parse(data, now=NOW)  # type: ignore[operator]
        except ImportFileError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            for row in parsed.rows:
                assert 0 <= row.mood <= 10


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["rad", "good", "meh", "bad", "awful", "Rad ", "other"]),
            st.dates(min_value=datetime(1890, 1, 1).date(), max_value=datetime(2100, 1, 1).date()),
            st.integers(0, 23),
            st.integers(0, 59),
            st.lists(_cells, max_size=3),
            _cells,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_daylio_like_files_import_all_or_nothing(rows: list[tuple[object, ...]]) -> None:
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    for mood, day, hour, minute, tags, note in rows:
        quoted = " | ".join(str(t).replace('"', '""') for t in tags)  # type: ignore[attr-defined]
        text = str(note).replace('"', '""')
        lines.append(f'{day},x,x,{hour}:{minute:02d},{mood},"{quoted}","","{text}"')
    data = ("\n".join(lines) + "\n").encode()
    db = fresh_db()
    try:
        before = db.serialize()
        try:
            summary = import_bytes(db, data, lambda d: parse_daylio(d, now=NOW))
        except ImportFileError as exc:
            assert "\n" not in str(exc)
            assert db.serialize() == before
        else:
            assert rows_in(db) == summary.added["check-ins"]
            assert summary.added["check-ins"] + summary.skipped_existing["check-ins"] == len(rows)
    finally:
        db.close()


# -- registry and command line -------------------------------------------------------------------


def test_importers_are_registered() -> None:
    import companion.core.features  # noqa: F401

    assert {"daylio", "csv"} <= set(IMPORTERS)


def test_cli_imports_daylio_and_refuses_unknown_moods_with_exit_6(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COMPANION_PASSPHRASE", "violet tractor marmalade")
    assert cli.main(["demo", "--data-dir", str(data_dir), "--days", "0"]) == 0
    capsys.readouterr()
    vault = paths.vault_path(data_dir)
    bad = tmp_path / "custom.csv"
    bad.write_bytes(DAYLIO_7.replace(b"good", b"stoked"))
    before = vault.read_bytes()
    assert cli.main(["import", "--data-dir", str(data_dir), "--format", "daylio", str(bad)]) == 6
    err = capsys.readouterr().err
    assert err.startswith("Nothing was imported") and "“stoked”" in err
    assert vault.read_bytes() == before
    good = tmp_path / "daylio.csv"
    good.write_bytes(DAYLIO_7)
    assert cli.main(["import", "--data-dir", str(data_dir), "--format", "daylio", str(good)]) == 0
    assert "Imported 3 check-ins" in capsys.readouterr().out
    generic = tmp_path / "generic.csv"
    generic.write_bytes(b"date,mood\n2026-01-01,-3\n")
    assert cli.main(["import", "--data-dir", str(data_dir), "--format", "csv", str(generic)]) == 6
