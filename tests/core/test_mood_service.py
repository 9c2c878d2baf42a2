"""The mood diary service: validation, time, tags, trackers, history and undo."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from companion.core.errors import ValidationError
from companion.core.models import key_to_db
from companion.core.mood.models import MoodEntry, Tracker
from companion.core.mood.service import CheckIn, MoodService, NotFoundError, TagKind, TrackerKind
from companion.core.mood.vocabulary import DEFAULT_TAGS, MAX_NOTE_CHARS, anchor
from companion.core.session import ReadSnapshot
from companion.core.timekeeping import local_time
from companion.storage.database import Database
from companion.storage.errors import CorruptVaultError
from tests.core.mood_helpers import NOW, PLUS2, clock, fresh_db


@pytest.fixture
def db() -> Iterator[Database]:
    database = fresh_db()
    yield database
    database.close()


@pytest.fixture
def svc(db: Database) -> MoodService:
    return MoodService(db, clock=clock)


def at(day: int, hour: int, minute: int = 0, tz: timezone = PLUS2) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=tz)


# -- time ------------------------------------------------------------------------------------


def test_three_am_at_utc_plus_two_stays_three_am(svc: MoodService) -> None:
    entry = svc.create_entry(CheckIn(mood=3, at=at(10, 3)))
    assert entry.occurred_at == datetime(2026, 6, 10, 1, 0, tzinfo=UTC)
    assert entry.utc_offset_minutes == 120
    again = svc.get_entry(entry.id)
    assert again.local_time.hour == 3
    assert again.local_time.utcoffset() == timedelta(hours=2)
    assert again.local_date == date(2026, 6, 10)
    assert local_time(again.occurred_at, again.utc_offset_minutes) == at(10, 3)


def test_local_time_ignores_the_computers_current_zone(svc: MoodService) -> None:
    """Reading the diary in another zone (after travel) does not move the entry."""
    entry = svc.create_entry(CheckIn(mood=3, at=at(10, 3)))
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    try:
        again = svc.get_entry(entry.id)
        assert again.local_time.hour == 3
        assert svc.history()[0].day == date(2026, 6, 10)
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_daylight_saving_change_keeps_each_wall_clock_time(svc: MoodService) -> None:
    """Berlin moves from UTC+1 to UTC+2 at 02:00 on 29 March 2026: both check-ins say 03:00."""
    berlin = ZoneInfo("Europe/Berlin")
    before = svc.create_entry(CheckIn(mood=4, at=datetime(2026, 3, 28, 3, 0, tzinfo=berlin)))
    after = svc.create_entry(CheckIn(mood=4, at=datetime(2026, 3, 29, 3, 0, tzinfo=berlin)))
    assert (before.utc_offset_minutes, after.utc_offset_minutes) == (60, 120)
    assert before.local_time.hour == after.local_time.hour == 3
    # 23 hours apart in real time, one calendar day apart on the wall.
    assert after.occurred_at - before.occurred_at == timedelta(hours=23)
    assert [g.day for g in svc.history()] == [date(2026, 3, 29), date(2026, 3, 28)]


def test_entries_are_grouped_by_the_local_day_not_the_utc_day(svc: MoodService) -> None:
    # 00:30 at UTC+2 is 22:30 UTC the day before: it belongs to the local day.
    svc.create_entry(CheckIn(mood=5, at=at(11, 0, 30)))
    # 23:30 at UTC−5 is 04:30 UTC the next day.
    svc.create_entry(CheckIn(mood=6, at=at(10, 23, 30, tz=timezone(timedelta(hours=-5)))))
    groups = svc.history()
    assert [(g.day, len(g.entries)) for g in groups] == [
        (date(2026, 6, 11), 1),
        (date(2026, 6, 10), 1),
    ]
    assert [e.mood for e in svc.entries(start=date(2026, 6, 11), end=date(2026, 6, 11))] == [5]


def test_future_times_are_refused_beyond_five_minutes_of_clock_skew(svc: MoodService) -> None:
    svc.create_entry(CheckIn(mood=5, at=NOW + timedelta(minutes=4, seconds=59)))
    with pytest.raises(ValidationError, match="future"):
        svc.create_entry(CheckIn(mood=5, at=NOW + timedelta(minutes=5, seconds=1)))
    with pytest.raises(ValidationError, match="future"):
        svc.create_entry(CheckIn(mood=5, at=NOW + timedelta(days=1)))
    assert svc.count_entries() == 1


def test_backdating_is_allowed_but_not_before_1900(svc: MoodService) -> None:
    old = svc.create_entry(CheckIn(mood=5, at=datetime(2019, 2, 3, 21, 15, tzinfo=PLUS2)))
    assert old.local_date == date(2019, 2, 3)
    assert not old.backfilled or old.created_at == NOW
    assert old.backfilled  # written years after the moment it describes
    with pytest.raises(ValidationError, match="too far in the past"):
        svc.create_entry(CheckIn(mood=5, at=datetime(1899, 12, 31, tzinfo=UTC)))


def test_no_time_means_now_and_an_edit_without_a_time_keeps_it(svc: MoodService) -> None:
    entry = svc.create_entry(CheckIn(mood=5))
    assert entry.occurred_at == NOW
    edited = svc.update_entry(entry.id, CheckIn(mood=7))
    assert edited.occurred_at == NOW and edited.mood == 7


def test_a_naive_time_is_read_as_this_computers_local_time(svc: MoodService) -> None:
    naive = datetime(2026, 6, 1, 9, 0)
    entry = svc.create_entry(CheckIn(mood=5, at=naive))
    assert entry.local_time.replace(tzinfo=None) == naive
    assert entry.occurred_at == naive.astimezone().astimezone(UTC)


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mood": -1}, "Mood must be from 0 to 10"),
        ({"mood": 11}, "Mood must be from 0 to 10"),
        ({"mood": 5.5}, "Mood must be a whole number"),
        ({"mood": True}, "Mood must be a whole number"),
        ({"mood": None}, "Mood is required"),
        ({"anxiety": 11}, "Anxiety"),
        ({"energy": -1}, "Energy"),
        ({"irritability": 12}, "Irritability"),
        ({"elevated": 4}, "wired or unusually up must be from 0 to 3"),
        ({"elevated": -1}, "wired or unusually up"),
        ({"elevated": 1.5}, "wired or unusually up must be a whole number"),
        ({"sleep_hours": 24.5}, "Sleep must be from 0 to 24 hours"),
        ({"sleep_hours": -0.5}, "Sleep"),
        ({"sleep_hours": math.nan}, "Sleep"),
        ({"sleep_hours": "7"}, "Sleep must be a number"),
        ({"sleep_quality": 0}, "Sleep quality must be from 1 to 5"),
        ({"sleep_quality": 6}, "Sleep quality"),
        ({"exercise_minutes": 1441}, "Exercise"),
        ({"outdoors_minutes": -5}, "Time outdoors"),
        ({"alcohol_units": -1}, "Alcohol"),
        ({"alcohol_units": math.inf}, "Alcohol"),
        ({"felt_numb": "yes"}, "numb"),
        ({"substances_used": 1}, "Other substances"),
        ({"substances_detail": "x" * 201}, "substances note is too long"),
    ],
)
def test_out_of_range_values_are_refused_with_a_sentence(
    svc: MoodService, changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {"mood": 5, "at": at(1, 9)}
    values.update(changes)
    with pytest.raises(ValidationError, match=message) as caught:
        svc.create_entry(CheckIn(**values))  # type: ignore[arg-type]
    text = str(caught.value)
    assert text.endswith(".") and "\n" not in text
    assert svc.count_entries() == 0


def test_the_ends_of_every_range_are_accepted(svc: MoodService) -> None:
    for low in (True, False):
        svc.create_entry(
            CheckIn(
                at=at(1, 9),
                mood=0 if low else 10,
                anxiety=0 if low else 10,
                energy=0 if low else 10,
                irritability=0 if low else 10,
                elevated=0 if low else 3,
                sleep_hours=0.0 if low else 24.0,
                sleep_quality=1 if low else 5,
                exercise_minutes=0 if low else 1440,
                outdoors_minutes=0 if low else 1440,
                alcohol_units=0 if low else 100,
                substances_used=not low,
                felt_numb=low,
                intrusive_memories=low,
                strong_reaction=low,
                felt_unsafe=low,
            )
        )
    assert svc.count_entries() == 2


def test_a_one_megabyte_note_is_refused_with_a_clear_message(svc: MoodService) -> None:
    with pytest.raises(ValidationError) as caught:
        svc.create_entry(CheckIn(mood=5, at=at(1, 9), note="a" * 1_048_576))
    assert str(caught.value) == (
        "The note is too long: it has 1,048,576 characters and the limit is 20,000. "
        "Please shorten it or split it over more than one check-in."
    )
    assert svc.count_entries() == 0


def test_a_note_at_the_limit_is_kept_word_for_word(svc: MoodService) -> None:
    note = "é" * (MAX_NOTE_CHARS - 2) + "\n."
    entry = svc.create_entry(CheckIn(mood=5, at=at(1, 9), note=note))
    assert svc.get_entry(entry.id).note == note
    with pytest.raises(ValidationError, match="too long"):
        svc.create_entry(CheckIn(mood=5, at=at(1, 9), note=note + "!"))
    assert svc.create_entry(CheckIn(mood=5, at=at(1, 9), note="   ")).note is None


def test_notes_never_appear_in_repr(svc: MoodService) -> None:
    entry = svc.create_entry(
        CheckIn(mood=5, at=at(1, 9), note="private words", substances_detail="private too")
    )
    assert "private" not in repr(entry)
    assert "private" not in repr(entry.to_checkin())


def test_the_database_refuses_out_of_range_rows_that_bypass_the_service(db: Database) -> None:
    """CHECK constraints are the second line of defence (imports do not use the service)."""
    row = {
        "id": "x",
        "occurred_at": NOW,
        "utc_offset_minutes": 0,
        "mood": 11,
        "created_at": NOW,
        "updated_at": NOW,
    }
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(insert(MoodEntry), [row])
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(insert(MoodEntry), [{**row, "mood": 5, "note": "n" * 20_001}])
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(insert(MoodEntry), [{**row, "mood": 5, "sleep_quality": 0}])
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(insert(MoodEntry), [{**row, "mood": 5, "elevated": 4}])
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(
            insert(Tracker),
            [{"id": "t", "name": "n", "kind": "number", "min_value": 5.0, "max_value": 1.0}],
        )


def test_named_anchors_cover_every_step() -> None:
    assert anchor("mood", 0) == "As low as it gets"
    assert anchor("mood", 10) == "As good as it gets"
    assert anchor("sleep_quality", 1) == "Very poor"
    assert [anchor("elevated", v) for v in range(4)] == [
        "Not at all",
        "A little",
        "Quite a bit",
        "A lot",
    ]
    assert len({anchor("mood", v) for v in range(11)}) == 11
    with pytest.raises(ValidationError):
        anchor("sleep_quality", 0)


# -- edit, delete, undo ----------------------------------------------------------------------


def test_update_replaces_every_value_and_keeps_id_and_created_at(svc: MoodService) -> None:
    tag = svc.tags()[0]
    entry = svc.create_entry(
        CheckIn(mood=4, at=at(1, 9), anxiety=6, tag_ids={tag.id}, note="first")
    )
    edited = svc.update_entry(entry.id, CheckIn(mood=6, at=at(1, 10), note="second"))
    assert (edited.id, edited.created_at) == (entry.id, entry.created_at)
    assert (edited.mood, edited.anxiety, edited.note, edited.tag_ids) == (
        6,
        None,
        "second",
        frozenset(),
    )
    assert edited.local_time.hour == 10
    # undo of the edit: send the old values back
    restored = svc.update_entry(entry.id, entry.to_checkin())
    assert restored.mood == 4 and restored.tag_ids == {tag.id} and restored.note == "first"


def test_delete_is_real_and_undo_recreates_the_same_entry(svc: MoodService, db: Database) -> None:
    tag = svc.tags()[0]
    tracker = svc.add_tracker("Pain", TrackerKind.SCALE)
    entry = svc.create_entry(
        CheckIn(
            mood=2,
            at=at(3, 3),
            sleep_hours=4.5,
            felt_unsafe=True,
            tag_ids={tag.id},
            tracker_values={tracker.id: 7},
            note="a hard night",
        )
    )
    snapshot = svc.delete_entry(entry.id)
    assert snapshot == entry
    assert svc.count_entries() == 0
    assert db.scalar("SELECT count(*) FROM entry_tags") == 0
    assert db.scalar("SELECT count(*) FROM tracker_values") == 0
    with pytest.raises(NotFoundError):
        svc.get_entry(entry.id)
    assert svc.find_entry(entry.id) is None

    restored = svc.restore_entry(snapshot)
    assert restored == entry  # same id, values, links and timestamps
    assert svc.get_entry(entry.id) == entry
    assert svc.find_entry(entry.id) == entry
    with pytest.raises(ValidationError, match="already"):
        svc.restore_entry(snapshot)


def test_undo_skips_tags_deleted_in_the_meantime(svc: MoodService) -> None:
    first, second = svc.tags()[:2]
    entry = svc.create_entry(CheckIn(mood=5, at=at(1, 9), tag_ids={first.id, second.id}))
    snapshot = svc.delete_entry(entry.id)
    svc.delete_tag(second.id)
    assert svc.restore_entry(snapshot).tag_ids == {first.id}


def test_editing_or_deleting_a_missing_entry_says_so(svc: MoodService) -> None:
    with pytest.raises(NotFoundError, match="no longer in the diary"):
        svc.update_entry("nope", CheckIn(mood=5))
    with pytest.raises(NotFoundError):
        svc.delete_entry("nope")


# -- history ---------------------------------------------------------------------------------


def test_history_filters_by_date_range_tag_and_accent_insensitive_text(
    svc: MoodService,
) -> None:
    tags = {t.name: t.id for t in svc.tags()}
    walk, friends = tags["Walk"], tags["Friends"]
    svc.create_entry(CheckIn(mood=5, at=at(1, 9), tag_ids={walk}, note="Coffee at the CAFÉ"))
    svc.create_entry(CheckIn(mood=6, at=at(1, 20), tag_ids={walk, friends}, note="Naïve plan"))
    svc.create_entry(CheckIn(mood=7, at=at(3, 12), tag_ids={friends}, note="cafe again"))
    svc.create_entry(CheckIn(mood=4, at=at(5, 8)))

    groups = svc.history()
    assert [g.day.day for g in groups] == [5, 3, 1]  # newest day first
    assert [e.mood for e in groups[-1].entries] == [5, 6]  # time order within the day
    assert groups[-1].mood_mean == 5.5

    assert [e.mood for e in svc.entries(start=date(2026, 6, 2), end=date(2026, 6, 3))] == [7]
    assert [e.mood for e in svc.entries(start=date(2026, 6, 3))] == [7, 4]
    assert [e.mood for e in svc.entries(end=date(2026, 6, 1))] == [5, 6]
    assert [e.mood for e in svc.entries(tag_ids=[walk])] == [5, 6]
    assert [e.mood for e in svc.entries(tag_ids=[walk, friends])] == [5, 6, 7]
    assert [e.mood for e in svc.entries(tag_ids=[walk, friends], all_tags=True)] == [6]
    assert [e.mood for e in svc.entries(text="cafe")] == [5, 7]
    assert [e.mood for e in svc.entries(text="Café")] == [5, 7]
    assert [e.mood for e in svc.entries(text="NAIVE")] == [6]
    assert [e.mood for e in svc.entries(text="cafe again")] == [7]
    assert [e.mood for e in svc.entries(text="cafe", tag_ids=[friends])] == [7]
    assert svc.entries(text="nothing like this") == []
    with pytest.raises(ValidationError, match="start date is after"):
        svc.entries(start=date(2026, 6, 3), end=date(2026, 6, 1))


def test_history_days_count_what_history_would_show_without_loading_it(
    svc: MoodService,
) -> None:
    tags = {t.name: t.id for t in svc.tags()}
    walk, friends = tags["Walk"], tags["Friends"]
    svc.create_entry(CheckIn(mood=5, at=at(1, 9), tag_ids={walk}, note="Coffee at the CAFÉ"))
    svc.create_entry(CheckIn(mood=6, at=at(1, 20), tag_ids={walk, friends}, note="Naïve plan"))
    svc.create_entry(CheckIn(mood=7, at=at(3, 12), tag_ids={friends}, note="cafe again"))
    svc.create_entry(CheckIn(mood=4, at=at(5, 8)))
    svc.create_entry(CheckIn(mood=3, at=at(5, 23, 30, ZoneInfo("Pacific/Kiritimati"))))
    cases: list[dict[str, object]] = [
        {},
        {"start": date(2026, 6, 2), "end": date(2026, 6, 3)},
        {"tag_ids": [walk]},
        {"tag_ids": [walk, friends]},
        {"text": "cafe"},
        {"text": "NAIVE"},
        {"text": "cafe", "tag_ids": [friends]},
        {"text": "nothing like this"},
    ]
    for filters in cases:
        groups = svc.history(**filters)  # type: ignore[arg-type]
        days = svc.history_days(**filters)  # type: ignore[arg-type]
        assert [d.day for d in days] == [g.day for g in groups], filters
        assert [(d.count, d.mood_min, d.mood_max) for d in days] == [
            (len(g.entries), g.mood_min, g.mood_max) for g in groups
        ]
        assert [d.mood_mean for d in days] == pytest.approx([g.mood_mean for g in groups])
    with pytest.raises(ValidationError, match="start date is after"):
        svc.history_days(start=date(2026, 6, 3), end=date(2026, 6, 1))


def test_day_marks_change_on_the_days_a_change_touched(svc: MoodService) -> None:
    first = svc.create_entry(CheckIn(mood=5, at=at(1, 9)))
    svc.create_entry(CheckIn(mood=6, at=at(3, 9)))
    before = svc.day_marks()
    assert sorted(before) == [date(2026, 6, 1), date(2026, 6, 3)]
    assert before[date(2026, 6, 1)][0] == 1

    mark = svc.diary_mark()

    def changed() -> set[date]:
        nonlocal before, mark
        after = svc.day_marks()
        found = {d for d in before.keys() | after.keys() if before.get(d) != after.get(d)}
        before = after
        assert (svc.diary_mark() != mark) == bool(found)  # one mark for the whole diary too
        mark = svc.diary_mark()
        return found

    # the clock is frozen here: an edit is seen by what it changed, not only by its time
    svc.update_entry(first.id, CheckIn(mood=5, sleep_hours=7, at=at(1, 9)))
    assert changed() == {date(2026, 6, 1)}
    svc.update_entry(first.id, CheckIn(mood=7, sleep_hours=7, at=at(1, 10)))
    assert changed() == {date(2026, 6, 1)}
    svc.update_entry(first.id, CheckIn(mood=7, sleep_hours=7, at=at(2, 10)))
    assert changed() == {date(2026, 6, 1), date(2026, 6, 2)}
    svc.delete_entry(first.id)
    assert changed() == {date(2026, 6, 2)}
    assert changed() == set()
    svc.create_entry(CheckIn(mood=8, at=at(1, 9)))
    assert svc.daily_aggregates_all(days=[date(2026, 6, 1)])["mood"][0].mean == 8.0
    assert [p.day for p in svc.daily_aggregates_all(days=[date(2026, 6, 3)])["mood"]] == [
        date(2026, 6, 3)
    ]


# -- tags ------------------------------------------------------------------------------------


def test_the_starting_tags_are_seeded_once_on_first_use(svc: MoodService) -> None:
    tags = svc.tags()
    assert len(tags) == len(DEFAULT_TAGS)
    assert {t.kind for t in tags} == {TagKind.ACTIVITY, TagKind.TRIGGER}
    for tag in tags:
        svc.delete_tag(tag.id)
    assert svc.tags() == []  # deleting them all does not bring them back


def test_tags_can_be_added_renamed_archived_and_names_stay_unique(svc: MoodService) -> None:
    tag = svc.add_tag("  Choir   practice ", TagKind.ACTIVITY)
    assert tag.name == "Choir practice"
    with pytest.raises(ValidationError, match="already an activity called “Choir practice”"):
        svc.add_tag("CHOIR PRACTICE", TagKind.ACTIVITY)
    svc.add_tag("Choir practice", TagKind.TRIGGER)  # the same word may be a trigger too
    with pytest.raises(ValidationError, match="already an activity called “Walk”"):
        svc.rename_tag(tag.id, "walk")
    with pytest.raises(ValidationError, match="give the tag a name"):
        svc.add_tag("   ", TagKind.ACTIVITY)
    with pytest.raises(ValidationError, match="40 characters"):
        svc.add_tag("x" * 41, TagKind.ACTIVITY)
    with pytest.raises(ValidationError, match="activity or a trigger"):
        svc.add_tag("Odd", "mood")  # type: ignore[arg-type]
    renamed = svc.rename_tag(tag.id, "Singing")
    assert renamed.name == "Singing" and renamed.id == tag.id
    assert svc.rename_tag(tag.id, "singing").name == "singing"  # its own name, new case

    svc.set_tag_archived(tag.id, True)
    assert tag.id not in {t.id for t in svc.tags(include_archived=False)}
    assert tag.id in {t.id for t in svc.tags()}
    # an archived tag still works on old (and edited) entries
    entry = svc.create_entry(CheckIn(mood=5, at=at(1, 9), tag_ids={tag.id}))
    assert entry.tag_ids == {tag.id}
    svc.set_tag_archived(tag.id, False)
    assert tag.id in {t.id for t in svc.tags(TagKind.ACTIVITY, include_archived=False)}


def test_deleting_a_tag_used_by_entries_keeps_the_entries(svc: MoodService, db: Database) -> None:
    tags = {t.name: t.id for t in svc.tags()}
    walk, rest = tags["Walk"], tags["Rest"]
    first = svc.create_entry(CheckIn(mood=5, at=at(1, 9), tag_ids={walk, rest}))
    second = svc.create_entry(CheckIn(mood=6, at=at(2, 9), tag_ids={walk}))
    assert svc.tag_usage(walk) == 2

    snapshot = svc.delete_tag(walk)
    assert snapshot.entry_ids == tuple(sorted((first.id, second.id)))
    assert svc.count_entries() == 2
    assert svc.get_entry(first.id).tag_ids == {rest}
    assert svc.get_entry(second.id).tag_ids == frozenset()
    assert svc.tag_usage(walk) == 0
    assert db.scalar("SELECT count(*) FROM entry_tags WHERE tag_id = ?", key_to_db(walk)) == 0
    with pytest.raises(NotFoundError, match="tags no longer exists"):
        svc.create_entry(CheckIn(mood=5, at=at(3, 9), tag_ids={walk}))

    svc.delete_entry(second.id)
    restored = svc.restore_tag(snapshot)
    assert restored == snapshot.tag
    assert svc.get_entry(first.id).tag_ids == {walk, rest}
    assert svc.tag_usage(walk) == 1  # the deleted entry is not resurrected


# -- trackers --------------------------------------------------------------------------------


def test_custom_trackers_validate_their_values(svc: MoodService) -> None:
    pain = svc.add_tracker("Pain", TrackerKind.SCALE)
    meds = svc.add_tracker("Took it easy", TrackerKind.YES_NO)
    coffee = svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=12)
    entry = svc.create_entry(
        CheckIn(mood=5, at=at(1, 9), tracker_values={pain.id: 3, meds.id: True, coffee.id: 2.5})
    )
    assert entry.tracker_values == {pain.id: 3.0, meds.id: 1.0, coffee.id: 2.5}
    assert coffee.format_value(2.5) == "2.5 cups" and meds.format_value(0.0) == "no"
    # the same values come back through to_checkin unchanged
    assert svc.update_entry(entry.id, entry.to_checkin()).tracker_values == entry.tracker_values

    bad: list[tuple[str, object, str]] = [
        (pain.id, 11, "“Pain” must be a whole number from 0 to 10"),
        (pain.id, 2.5, "“Pain” must be a whole number"),
        (meds.id, 2, "yes/no question"),
        (coffee.id, 13, "“Coffee” must be from 0 to 12 cups"),
        (coffee.id, math.nan, "needs a number"),
        ("missing", 1, "trackers no longer exists"),
    ]
    for tracker_id, value, message in bad:
        with pytest.raises(ValidationError, match=message):
            svc.create_entry(
                CheckIn(mood=5, at=at(1, 9), tracker_values={tracker_id: value})  # type: ignore[dict-item]
            )
    assert svc.count_entries() == 1


def test_tracker_definitions_are_checked(svc: MoodService) -> None:
    with pytest.raises(ValidationError, match="lowest and a highest"):
        svc.add_tracker("Steps", TrackerKind.NUMBER, unit="steps")
    with pytest.raises(ValidationError, match="smaller than the highest"):
        svc.add_tracker("Steps", TrackerKind.NUMBER, minimum=10, maximum=10)
    with pytest.raises(ValidationError, match="Only number trackers"):
        svc.add_tracker("Pain", TrackerKind.SCALE, unit="points")
    with pytest.raises(ValidationError, match="scale, a yes/no question, or a number"):
        svc.add_tracker("Pain", "slider")  # type: ignore[arg-type]
    svc.add_tracker("Pain", TrackerKind.SCALE)
    with pytest.raises(ValidationError, match="already a tracker called “Pain”"):
        svc.add_tracker("pain", TrackerKind.YES_NO)


def test_changing_bounds_never_strands_recorded_values(svc: MoodService) -> None:
    coffee = svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=12)
    svc.create_entry(CheckIn(mood=5, at=at(1, 9), tracker_values={coffee.id: 8}))
    with pytest.raises(ValidationError, match="1 recorded value of “Coffee” would fall outside"):
        svc.update_tracker(coffee.id, name="Coffee", unit="cups", minimum=0, maximum=6)
    changed = svc.update_tracker(
        coffee.id, name="Coffee (cups)", unit="mugs", minimum=0, maximum=20
    )
    assert (changed.name, changed.unit, changed.maximum) == ("Coffee (cups)", "mugs", 20.0)


def test_deleting_a_tracker_removes_its_values_and_undo_brings_them_back(
    svc: MoodService,
) -> None:
    pain = svc.add_tracker("Pain", TrackerKind.SCALE)
    entry = svc.create_entry(CheckIn(mood=5, at=at(1, 9), tracker_values={pain.id: 4}))
    assert svc.tracker_usage(pain.id) == 1
    snapshot = svc.delete_tracker(pain.id)
    assert svc.get_entry(entry.id).tracker_values == {}
    assert svc.trackers() == []
    assert svc.restore_tracker(snapshot) == pain
    assert svc.get_entry(entry.id).tracker_values == {pain.id: 4.0}
    svc.set_tracker_archived(pain.id, True)
    assert svc.trackers(include_archived=False) == []


def test_every_write_is_saved_once_per_action(db: Database) -> None:
    saved: list[int] = []
    db.set_saver(lambda image: saved.append(len(image)))
    svc = MoodService(db, clock=clock)
    svc.tags()  # seeding on first use is a write
    assert len(saved) == 1
    svc.create_entry(CheckIn(mood=5, at=at(1, 9)))
    assert len(saved) == 2
    svc.history()
    svc.tags()
    assert len(saved) == 2  # reads do not rewrite the vault
    with pytest.raises(ValidationError):
        svc.create_entry(CheckIn(mood=50, at=at(1, 9)))
    assert len(saved) == 2


def test_utc_offsets_outside_the_real_range_are_refused(db: Database) -> None:
    svc = MoodService(db, clock=clock)
    entry = svc.create_entry(CheckIn(mood=5, at=at(1, 9, tz=timezone(timedelta(hours=14)))))
    assert entry.utc_offset_minutes == 14 * 60
    with db.session() as session, pytest.raises(IntegrityError):
        session.execute(
            update(MoodEntry).where(MoodEntry.id == entry.id).values(utc_offset_minutes=2000)
        )


def test_daily_aggregates_all_match_hand_computed_days_and_the_single_metric_query(
    svc: MoodService,
) -> None:
    # 14 June (local, UTC+2): moods 2 and 7, anxiety 5 on one; 23:30 local still 14 June.
    svc.create_entry(CheckIn(mood=2, anxiety=5, at=at(14, 8)))
    svc.create_entry(CheckIn(mood=7, at=at(14, 23, 30)))
    # 15 June: one check-in at 00:30 local (22:30 UTC on the 14th) with energy 3.
    svc.create_entry(CheckIn(mood=4, energy=3, at=at(15, 0, 30)))
    daily = svc.daily_aggregates_all()
    mood = [(p.day, p.mean, p.minimum, p.maximum, p.n) for p in daily["mood"]]
    assert mood == [(date(2026, 6, 14), 4.5, 2, 7, 2), (date(2026, 6, 15), 4.0, 4, 4, 1)]
    assert [(p.day, p.mean, p.n) for p in daily["anxiety"]] == [(date(2026, 6, 14), 5.0, 1)]
    assert [(p.day, p.mean) for p in daily["energy"]] == [(date(2026, 6, 15), 3.0)]
    assert daily["irritability"] == []
    for metric in ("mood", "anxiety", "energy", "irritability"):
        assert daily[metric] == svc.daily_aggregates(metric)
    only_15 = svc.daily_aggregates_all(date(2026, 6, 15), date(2026, 6, 15))
    assert [p.day for p in only_15["mood"]] == [date(2026, 6, 15)]
    # some ratings only: the same points, the others not read
    some = svc.daily_aggregates_all(ratings=("energy", "mood"))
    assert some == {"mood": daily["mood"], "energy": daily["energy"]}
    with pytest.raises(ValueError, match="not chartable"):
        svc.daily_aggregates_all(ratings=("mood", "sleep_hours"))
    with pytest.raises(ValueError, match="not chartable"):
        svc.daily_aggregates_all(ratings=())


def test_daily_aggregates_all_find_each_local_day_exactly_at_its_edges(db: Database) -> None:
    """The chart's read finds the local day in whole numbers; it is the day SQLite's ``date()``
    gives (the single-rating query, and Python's own arithmetic) for times a millisecond either
    side of local midnight, with fractions of a second, before 1970, on a leap day and at the
    widest offsets, including rows written without the service (an import's)."""
    moments = [
        datetime(2026, 6, 14, 21, 59, 59, 999_000, tzinfo=UTC),  # 23:59:59.999 at UTC+2
        datetime(2026, 6, 14, 22, 0, tzinfo=UTC),  # midnight at UTC+2
        datetime(2026, 6, 14, 21, 59, 59, 999_600, tzinfo=UTC),  # rounds to the millisecond
        datetime(1969, 12, 31, 23, 59, 59, 999_000, tzinfo=UTC),
        datetime(1970, 1, 1, 0, 0, tzinfo=UTC),
        datetime(1900, 1, 1, 18, 0, 0, 1, tzinfo=UTC),
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
        datetime(2099, 12, 31, 5, 59, 0, tzinfo=UTC),
    ]
    offsets = (0, 120, -1, 1, -1080, 1080, 330, -570)
    rows = [
        {
            "id": f"e{i}-{j}",
            "occurred_at": moment,
            "utc_offset_minutes": offset,
            "mood": (i + j) % 11,
            "anxiety": None if j % 3 == 0 else (i * j) % 11,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for i, moment in enumerate(moments)
        for j, offset in enumerate(offsets)
    ]
    with db.session() as session:
        session.execute(insert(MoodEntry), rows)
    svc = MoodService(db, clock=clock)
    daily = svc.daily_aggregates_all(ratings=("mood", "anxiety"))
    for metric in ("mood", "anxiety"):
        assert daily[metric] == svc.daily_aggregates(metric)
    expected: dict[date, list[int]] = {}
    for row in rows:
        # SQLite keeps a time to the millisecond (rounded) before shifting it by the offset
        moment = row["occurred_at"]
        millis = round(moment.microsecond / 1000)
        local = moment.replace(microsecond=0) + timedelta(
            milliseconds=millis, minutes=row["utc_offset_minutes"]
        )
        expected.setdefault(local.date(), []).append(row["mood"])
    assert [(p.day, p.n, p.minimum, p.maximum) for p in daily["mood"]] == [
        (day, len(moods), min(moods), max(moods)) for day, moods in sorted(expected.items())
    ]
    assert all(type(p.mean) is float and type(p.minimum) is int for p in daily["mood"])
    assert svc.daily_aggregates_all(date(2000, 1, 1), date(2000, 1, 2)) == {
        m: [] for m in ("mood", "anxiety", "energy", "irritability")
    }


# -- reading on a copy -----------------------------------------------------------------------


def test_a_read_snapshot_is_a_private_copy_opened_where_it_is_used(
    svc: MoodService, db: Database
) -> None:
    svc.create_entry(CheckIn(mood=4, at=at(1, 9)))
    snapshot = ReadSnapshot(db.serialize())
    svc.create_entry(CheckIn(mood=6, at=at(1, 10)))  # after the copy was taken
    with snapshot:
        assert [e.mood for e in snapshot.service(MoodService).entries()] == [4]
    with pytest.raises(RuntimeError, match="closed"):
        snapshot.service(MoodService)
    # taking a snapshot only copies bytes; the copy is opened (and checked) on first use,
    # on the worker thread that reads it
    damaged = ReadSnapshot(b"not a database at all" * 100)
    with pytest.raises(CorruptVaultError):
        damaged.service(MoodService)
    damaged.close()


# -- statements compiled ahead ---------------------------------------------------------------


def _cache_misses_of_a_save(svc: MoodService, db: Database) -> list[str]:
    """The reads of ``create_entry`` that SQLAlchemy compiled in its call."""
    from sqlalchemy import event
    from sqlalchemy.engine.default import CACHE_HIT, DefaultExecutionContext

    misses: list[str] = []

    def seen(*args: object) -> None:
        statement, context = args[2], args[4]
        assert isinstance(statement, str) and isinstance(context, DefaultExecutionContext)
        if statement.lstrip().upper().startswith("SELECT") and context.cache_hit is not CACHE_HIT:
            misses.append(statement)

    event.listen(db.engine, "after_cursor_execute", seen)
    try:
        svc.create_entry(CheckIn(mood=4))
    finally:
        event.remove(db.engine, "after_cursor_execute", seen)
    return misses


def test_compile_ahead_compiles_what_a_save_reads_back_and_writes_nothing(
    svc: MoodService, db: Database
) -> None:
    svc.create_entry(CheckIn(mood=3, at=at(10, 3)))
    fresh = MoodService(Database(db.serialize()), clock=clock)  # a new engine: nothing cached
    version = fresh._db.version
    fresh.compile_ahead()
    assert fresh._db.version == version  # read only
    assert _cache_misses_of_a_save(fresh, fresh._db) == []
    fresh._db.close()


def test_without_compile_ahead_a_first_save_compiles_its_reads(
    svc: MoodService, db: Database
) -> None:
    svc.create_entry(CheckIn(mood=3, at=at(10, 3)))
    fresh = MoodService(Database(db.serialize()), clock=clock)
    assert len(_cache_misses_of_a_save(fresh, fresh._db)) == 3  # what compile_ahead is for
    fresh._db.close()
