"""The mood diary survives the canonical JSON export and import unchanged."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core import portable
from companion.core.errors import ImportFileError
from companion.core.mood import CheckIn, MoodService, TrackerKind
from companion.storage.database import Database
from tests.core.mood_helpers import NOW, PLUS2, clock, fresh_db

MOOD_TABLES = ("mood_entries", "tags", "entry_tags", "trackers", "tracker_values")


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    out = dict(document)
    out.pop("exported_at")
    return out


def _round_trip(db: Database) -> tuple[dict[str, Any], dict[str, Any], Database]:
    first = portable.export_document(db, include_notes=True)
    # through real JSON text, as a file would carry it
    parsed = portable.parse_document(portable.dumps(first).encode("utf-8"))
    other = fresh_db()
    portable.import_document(other, parsed)
    second = portable.export_document(other, include_notes=True)
    return first, second, other


def _fill(svc: MoodService) -> None:
    tags = {t.name: t.id for t in svc.tags()}
    svc.add_tag("Choir", "activity")  # type: ignore[arg-type]
    pain = svc.add_tracker("Pain", TrackerKind.SCALE)
    coffee = svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=12)
    done = svc.add_tracker("Grounding", TrackerKind.YES_NO)
    svc.set_tag_archived(tags["Music"], True)
    svc.create_entry(
        CheckIn(
            mood=3,
            at=datetime(2026, 6, 1, 3, 0, 0, 123456, tzinfo=PLUS2),
            anxiety=7,
            energy=2,
            irritability=5,
            elevated=1,
            sleep_hours=4.25,
            sleep_quality=2,
            exercise_minutes=0,
            outdoors_minutes=15,
            alcohol_units=1.5,
            substances_used=True,
            substances_detail="private detail",
            felt_numb=True,
            intrusive_memories=False,
            strong_reaction=None,
            felt_unsafe=True,
            tag_ids={tags["Loneliness"], tags["Rest"]},
            tracker_values={pain.id: 6, coffee.id: 2.5, done.id: False},
            note="Ünïcödé note with “quotes”\nand a second line",
        )
    )
    svc.create_entry(
        CheckIn(mood=7, at=datetime(2026, 6, 2, 21, 45, tzinfo=timezone(timedelta(hours=-7))))
    )


def test_json_round_trip_gives_the_same_document() -> None:
    db = fresh_db()
    _fill(MoodService(db, clock=clock))
    first, second, other = _round_trip(db)
    assert _comparable(first) == _comparable(second)
    for table in MOOD_TABLES:
        assert first["tables"][table], table
    # and the service reads the imported diary exactly as the original
    assert MoodService(other, clock=clock).history() == MoodService(db, clock=clock).history()
    assert MoodService(other).trackers() == MoodService(db).trackers()
    db.close()
    other.close()


def test_export_leaves_notes_out_unless_asked() -> None:
    db = fresh_db()
    _fill(MoodService(db, clock=clock))
    text = json.dumps(portable.export_document(db))
    assert "private detail" not in text and "second line" not in text
    rows = portable.export_document(db)["tables"]["mood_entries"]
    assert all("note" not in r and "substances_detail" not in r for r in rows)
    full = json.dumps(portable.export_document(db, include_notes=True), ensure_ascii=False)
    assert "private detail" in full and "Ünïcödé" in full
    db.close()


def test_export_date_range_uses_the_entry_time() -> None:
    db = fresh_db()
    _fill(MoodService(db, clock=clock))
    ranged = portable.export_document(db, start=date(2026, 6, 2), end=date(2026, 6, 30))
    assert [r["mood"] for r in ranged["tables"]["mood_entries"]] == [7]
    db.close()


def test_importing_into_a_diary_that_already_has_the_default_tags_merges_them() -> None:
    """Default tags have fixed ids, so a second diary's copy is recognised, not duplicated."""
    db = fresh_db()
    _fill(MoodService(db, clock=clock))
    document = portable.export_document(db, include_notes=True)
    target = fresh_db()
    MoodService(target, clock=clock).tags()  # seeded on first use, as in a new diary
    summary = portable.import_document(target, document)
    assert summary.skipped_existing["tags"] >= 20
    assert len(MoodService(target).tags()) == len(MoodService(db).tags())
    db.close()
    target.close()


offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)
local_times = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2026, 6, 14))
maybe_rating = st.none() | st.integers(0, 10)
maybe_flag = st.none() | st.booleans()
text = st.none() | st.text(max_size=200)
checkins = st.builds(
    lambda when, zone, **kw: CheckIn(at=when.replace(tzinfo=zone), **kw),
    when=local_times,
    zone=offsets,
    mood=st.integers(0, 10),
    anxiety=maybe_rating,
    energy=maybe_rating,
    irritability=maybe_rating,
    elevated=st.none() | st.integers(0, 3),
    sleep_hours=st.none() | st.floats(0, 24, allow_nan=False),
    sleep_quality=st.none() | st.integers(1, 5),
    exercise_minutes=st.none() | st.integers(0, 1440),
    outdoors_minutes=st.none() | st.integers(0, 1440),
    alcohol_units=st.none() | st.floats(0, 100, allow_nan=False),
    substances_used=maybe_flag,
    substances_detail=text,
    felt_numb=maybe_flag,
    intrusive_memories=maybe_flag,
    strong_reaction=maybe_flag,
    felt_unsafe=maybe_flag,
    note=text,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    items=st.lists(
        st.tuples(checkins, st.sets(st.integers(0, 4), max_size=3), st.none() | st.floats(0, 10)),
        max_size=12,
    )
)
def test_round_trip_property(items: list[tuple[CheckIn, set[int], float | None]]) -> None:
    db = fresh_db()
    svc = MoodService(db, clock=lambda: NOW)
    tag_ids = [t.id for t in svc.tags()][:5]
    level = svc.add_tracker("Level", TrackerKind.NUMBER, unit="u", minimum=0, maximum=10)
    for checkin, tag_numbers, value in items:
        extra: dict[str, Any] = {"tag_ids": {tag_ids[n] for n in tag_numbers}}
        if value is not None:
            extra["tracker_values"] = {level.id: value}
        svc.create_entry(CheckIn(**{**checkin.__dict__, **extra}))
    first, second, other = _round_trip(db)
    assert _comparable(first) == _comparable(second)
    assert len(first["tables"]["mood_entries"]) == len(items)
    originals = MoodService(db).entries()
    copies = MoodService(other).entries()
    assert copies == originals
    for entry in copies:
        assert entry.occurred_at.tzinfo is UTC
        assert entry.local_time.utcoffset() == timedelta(minutes=entry.utc_offset_minutes)
    db.close()
    other.close()


def test_a_date_range_export_can_be_imported() -> None:
    db = fresh_db()
    svc = MoodService(db, clock=clock)
    tag = svc.tags()[0]
    svc.create_entry(CheckIn(mood=3, at=datetime(2026, 5, 1, 9, tzinfo=PLUS2), tag_ids={tag.id}))
    svc.create_entry(CheckIn(mood=6, at=datetime(2026, 6, 1, 9, tzinfo=PLUS2), tag_ids={tag.id}))
    document = portable.export_document(db, start=date(2026, 5, 15))
    target = fresh_db()
    portable.import_document(target, document)
    assert [e.mood for e in MoodService(target).entries()] == [6]


def test_an_elevated_rating_outside_0_to_3_rejects_the_whole_file() -> None:
    db = fresh_db()
    _fill(MoodService(db, clock=clock))
    document = portable.export_document(db)
    rows = sorted(document["tables"]["mood_entries"], key=lambda r: r["mood"])
    assert [r.get("elevated") for r in rows] == [1, None]
    rows[0]["elevated"] = 4
    target = fresh_db()
    try:
        portable.import_document(target, document)
    except ImportFileError:
        pass
    else:
        raise AssertionError("elevated = 4 was imported")
    assert MoodService(target).count_entries() == 0
    # an export from before the item existed has no "elevated": still imports, as unknown
    for row in document["tables"]["mood_entries"]:
        row.pop("elevated", None)
    portable.import_document(target, document)
    assert [e.elevated for e in MoodService(target).entries()] == [None, None]
    db.close()
    target.close()
