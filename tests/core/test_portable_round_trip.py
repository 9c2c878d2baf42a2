"""The JSON export round trip as a property: a diary exported, imported into an empty vault and
exported again gives the same file, whatever it holds (issue 14). What was shared never
leaves the vault."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import features
from companion.core import demo, portable
from companion.core.homework.demo import demo_plan
from companion.core.homework.models import HomeworkPlan, HomeworkTick
from companion.core.homework.plan import new_plan_id, plan_to_toml
from companion.core.models import Base
from companion.core.mood.models import MoodEntry
from companion.core.reports.models import SharedExport
from companion.storage import migrations
from companion.storage.database import Database

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


_EMPTY: list[bytes] = []


def fresh() -> Database:
    """An empty vault's database (migrated once, then copied: examples stay fast)."""
    if not _EMPTY:
        features.load_tables()
        db = Database()
        migrations.upgrade(db.engine, Base.metadata)
        _EMPTY.append(db.serialize())
        db.close()
    return Database(image=_EMPTY[0])


def round_trip(db: Database) -> tuple[bytes, bytes]:
    first = portable.dumps(portable.export_document(db, include_notes=True, now=NOW)).encode()
    other = fresh()
    try:
        portable.import_document(other, portable.parse_document(first))
        again = portable.dumps(portable.export_document(other, include_notes=True, now=NOW))
    finally:
        other.close()
    return first, again.encode()


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.integers(1, 75), seed=st.integers(0, 10_000))
def test_a_demo_diary_round_trips_byte_for_byte(days: int, seed: int) -> None:
    db = fresh()
    try:
        demo.fill(db, days, seed, today=date(2026, 12, 4))
        first, again = round_trip(db)
    finally:
        db.close()
    assert first == again
    tables = portable.parse_document(first)["tables"]
    assert "shared_exports" not in tables  # what was shared never leaves the vault
    assert tables["homework_plans"]
    if days >= 7:  # a demo of a few days may have skipped them all, as a person may
        assert tables["mood_entries"]


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
_moment = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
_entry = st.fixed_dictionaries(
    {
        "occurred_at": _moment,
        "utc_offset_minutes": st.integers(-1080, 1080),
        "mood": st.integers(0, 10),
        "anxiety": st.none() | st.integers(0, 10),
        "sleep_hours": st.none() | st.floats(0, 24, allow_nan=False),
        "alcohol_units": st.none() | st.floats(0, 100, allow_nan=False),
        "felt_numb": st.none() | st.booleans(),
        "note": st.none() | _text,
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=st.lists(_entry, max_size=12),
    title=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
    .map(str.strip)
    .filter(bool),
    ticks=st.sets(st.integers(0, 27), max_size=10),
    shared=st.booleans(),
)
def test_any_diary_content_round_trips(
    entries: list[dict[str, object]], title: str, ticks: set[int], shared: bool
) -> None:
    db = fresh()
    try:
        with db.session() as s:
            for values in entries:
                s.add(MoodEntry(**values))
            plan = replace(demo_plan(date(2026, 11, 16)), id=new_plan_id(), title=title)
            row = HomeworkPlan(
                plan_id=plan.id,
                title=plan.title,
                author=plan.author,
                starts=plan.starts,
                ends=plan.ends,
                text=plan_to_toml(plan),
                state="active",
                decided_at=NOW,
                utc_offset_minutes=60,
            )
            s.add(row)
            s.flush()
            for n in ticks:
                s.add(
                    HomeworkTick(plan_row_id=row.id, task_number=5, day=plan.starts + timedelta(n))
                )
            if shared:
                s.add(
                    SharedExport(
                        made_at=NOW,
                        utc_offset_minutes=60,
                        format="pdf",
                        sections=["mood"],
                        includes_notes=False,
                        protected=False,
                        via="app",
                    )
                )
        first, again = round_trip(db)
    finally:
        db.close()
    assert first == again
    document = portable.parse_document(first)
    assert len(document["tables"]["mood_entries"]) == len(entries)
    assert len(document["tables"]["homework_ticks"]) == len(ticks)
    assert "shared_exports" not in document["tables"]
