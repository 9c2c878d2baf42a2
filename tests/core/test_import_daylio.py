"""Daylio: the four layouts with and without a header, BOM and CR LF, languages, renamed
moods, 12/24-hour times, scales, notes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time

import pytest

from companion.core.errors import ImportFileError
from companion.core.mood.importing.daylio import LAYOUTS, sleep_quality_from
from companion.core.mood.importing.daylio_names import LANGUAGES, LEVEL_VALUES, mood_defaults
from companion.core.mood.service import MoodService, TrackerKind
from companion.core.mood.vocabulary import fold
from companion.storage.database import Database
from tests.core.import_helpers import bring_in, look
from tests.core.mood_helpers import fresh_db


@pytest.fixture
def db() -> Iterator[Database]:
    database = fresh_db()
    yield database
    database.close()


ROWS = {
    "old": [
        '2025,June 22,Sunday,9:15 pm,good,"walk | friends","A ""quoted"", word"',
        '2025,21 June,Saturday,08:05,meh,"","<b>Bold</b> and <br>a break"',
    ],
    "7": [
        '2025-06-22,June 22,Sunday,9:15 pm,good,"walk | friends","A ""quoted"", word"',
        '2025-06-21,June 21,Saturday,08:05,meh,"","<b>Bold</b> and <br>a break"',
    ],
    "8": [
        '2025-06-22,June 22,Sunday,9:15 pm,good,"walk | friends","","A ""quoted"", word"',
        '2025-06-21,June 21,Saturday,08:05,meh,"","","<b>Bold</b> and <br>a break"',
    ],
    "9": [
        '2025-06-22,June 22,Sunday,9:15 pm,good,"walk | friends","","","A ""quoted"", word"',
        '2025-06-21,June 21,Saturday,08:05,meh,"","","","<b>Bold</b> and <br>a break"',
    ],
}


def _file(layout: str, *, header: bool, bom: bool, crlf: bool) -> bytes:
    lines = ([",".join(LAYOUTS[layout])] if header else []) + ROWS[layout]
    newline = "\r\n" if crlf else "\n"
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize(("bom", "crlf"), [(False, False), (True, True), (True, False)])
def test_every_layout_with_or_without_header_bom_and_crlf(
    db: Database, layout: str, header: bool, bom: bool, crlf: bool
) -> None:
    plan = look(db, "daylio", _file(layout, header=header, bom=bom, crlf=crlf))
    assert plan.prepared.details["layout"] == layout
    assert plan.prepared.details["has_header"] is header
    assert plan.rows_read == 2 and plan.to_import == 2 and plan.problem_count == 0
    first, second = plan.sample
    assert (first.at.month, first.at.day, first.at.hour, first.at.minute) == (6, 22, 21, 15)
    assert (second.at.day, second.at.hour, second.at.minute) == (21, 8, 5)
    assert (first.mood, second.mood) == (7, 5)
    assert [t.name for t in first.tags] == ["walk", "friends"]
    assert first.note == 'A "quoted", word'
    assert second.note == "Bold and\na break"
    assert plan.problems == ()


def test_default_moods_in_each_known_language_need_no_mapping() -> None:
    assert LEVEL_VALUES == {5: 9, 4: 7, 3: 5, 2: 3, 1: 1}
    german = next(lang for lang in LANGUAGES if lang.code == "de")
    assert mood_defaults((german,)) == {
        "super": 9,
        "gut": 7,
        "ok": 5,
        "okay": 5,
        "schlecht": 3,
        "lausig": 1,
    }
    for lang in LANGUAGES:
        if lang.moods:
            assert sorted(lang.moods) == [1, 2, 3, 4, 5], lang.code
            assert len(lang.months) == 12, lang.code
        assert len(lang.weekdays) >= 7, lang.code
    # a word shared by two languages always means the same level
    seen: dict[str, int] = {}
    for lang in LANGUAGES:
        for level, names in lang.moods.items():
            for name in names:
                assert seen.setdefault(fold(name), level) == level, name


def test_german_old_layout_dates_and_language(db: Database) -> None:
    data = (
        "year,date,weekday,time,mood,activities,note\n"
        '2016,22. Juni,Mittwoch,21:00,super,"Freunde",""\n'
        '2016,3. März,Donnerstag,07:30,Lausig,"",""\n'
    ).encode()
    plan = look(db, "daylio", data)
    assert plan.prepared.details["language"] == "de"
    assert [(r.at.month, r.at.day, r.mood) for r in plan.sample] == [(6, 22, 9), (3, 3, 1)]
    assert any("German" in line for line in plan.mapping)


def test_renamed_moods_are_listed_and_mapped_with_mood_choices(db: Database) -> None:
    data = (
        b"full_date,date,weekday,time,mood,activities,note_title,note\n"
        b'2025-05-02,2 May,Friday,9:00 pm,stoked,"","",""\n'
        b'2025-05-01,1 May,Thursday,8:00 am,Super Tired,"","",""\n'
        b'2025-04-30,30 April,Wednesday,8:00 am,meh,"","",""\n'
    )
    with pytest.raises(ImportFileError) as info:
        look(db, "daylio", data)
    message = str(info.value)
    assert "“stoked”" in message and "“Super Tired”" in message and "--mood" in message
    assert "\n" not in message
    plan = look(db, "daylio", data, mood_map={"STOKED": 8, "super tired": 2})
    assert [r.mood for r in plan.sample] == [8, 2, 5]
    assert any("“stoked” → 8 (your choice)" in line for line in plan.mapping)
    with pytest.raises(ImportFileError, match="0 to 10"):
        look(db, "daylio", data, mood_map={"stoked": 11, "super tired": 2})


def test_an_unknown_language_is_named(db: Database) -> None:
    data = (
        b"full_date,date,weekday,time,mood,activities,note_title,note\n"
        b'2023-11-05,5 november,zondag,20:00,geweldig,"","",""\n'
        b'2023-11-04,4 november,zaterdag,20:00,goed,"","",""\n'
    )
    with pytest.raises(ImportFileError, match="Dutch"):
        look(db, "daylio", data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12:48 AM", time(0, 48)),
        ("12:05 pm", time(12, 5)),
        ("6:50 pm", time(18, 50)),
        ("6:50 p.m.", time(18, 50)),
        ("9:05 a. m.", time(9, 5)),
        ("23:54", time(23, 54)),
        ("07:05", time(7, 5)),
        ("18h05", time(18, 5)),
        ("午後6:50", time(18, 50)),
    ],
)
def test_twelve_and_twenty_four_hour_times(db: Database, text: str, expected: time) -> None:
    data = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f'2025-05-02,2 May,Friday,{text},good,"","",""\n'
    ).encode()
    (row,) = look(db, "daylio", data).sample
    assert row.at.time() == expected


def test_scales_become_sleep_and_trackers_or_tags(db: Database) -> None:
    scales = (
        "Sleep Quality: 8/10 points | Sleep Time: 7:30 | Awake mid-sleep:\u00a01:00 | "
        "Energy: 6/10 points | Stress: 3/5 | Water: 6 glasses | Weather: sunny"
    )
    data = (
        "full_date,date,weekday,time,mood,activities,scales,note_title,note\n"
        f'2025-05-02,2 May,Friday,21:00,good,"walk","{scales}","",""\n'
    ).encode()
    plan = look(db, "daylio", data)
    (row,) = plan.sample
    assert row.value("sleep_quality") == 4
    assert row.value("sleep_hours") == 7.5
    trackers = {ref.name: (ref.kind, value) for ref, value in row.trackers}
    assert trackers == {
        "Awake mid-sleep": (TrackerKind.NUMBER, 1.0),
        "Energy": (TrackerKind.SCALE, 6),
        "Stress": (TrackerKind.NUMBER, 3),
        "Water": (TrackerKind.NUMBER, 6),
    }
    assert [t.name for t in row.tags] == ["walk", "Weather: sunny"]
    summary = bring_in(db, "daylio", data)
    assert summary.added["trackers"] == 4
    svc = MoodService(db)
    (entry,) = svc.entries()
    assert entry.sleep_quality == 4 and entry.sleep_hours == 7.5
    water = next(t for t in svc.trackers() if t.name == "Water")
    assert water.unit == "glasses" and water.minimum == 0 and water.maximum >= 6


@pytest.mark.parametrize(
    ("points", "quality"),
    [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5)],
)
def test_sleep_quality_out_of_ten_by_proportion(points: int, quality: int) -> None:
    assert sleep_quality_from(points, 10) == quality


def test_note_html_entities_emoji_and_right_to_left_text(db: Database) -> None:
    note = "Line one<br/>line two<BR>&amp; &lt;3 &#39;x&#39; <i>it</i> 🌧️ שלום <li>item"
    data = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f'2025-05-02,2 May,Friday,21:00,good,"","<b>Title</b>","{note}"\n'
    ).encode()
    (row,) = look(db, "daylio", data).sample
    assert row.note == "Title\n\nLine one\nline two\n& <3 'x' it 🌧️ שלום\n• item"


def test_odd_activity_spacing_and_repeated_activities(db: Database) -> None:
    data = (
        b"full_date,date,weekday,time,mood,activities,note_title,note\n"
        b'2025-05-02,2 May,Friday,21:00,good," walk |  Walk|| music  |  bad   sleep ","",""\n'
    )
    (row,) = look(db, "daylio", data).sample
    assert [t.name for t in row.tags] == ["walk", "music", "bad sleep"]


def test_long_activity_names_are_shortened_and_listed(db: Database) -> None:
    name = "went for a very long walk along the river with the dog"
    data = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f'2025-05-02,2 May,Friday,21:00,good,"{name}","",""\n'
    ).encode()
    plan = look(db, "daylio", data)
    (row,) = plan.sample
    short = row.tags[0].name
    assert len(short) <= 40 and short.endswith("…") and name.startswith(short[:-1])
    assert plan.shortened == ((name, short),)
