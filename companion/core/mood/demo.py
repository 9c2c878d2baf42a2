"""Synthetic mood history for ``companion demo``: plausible, deterministic, fast.

A latent daily mood drives everything: a baseline with a weekly rhythm (brighter weekends,
a flatter Monday), depressive dips with a slow descent, a plateau and a gradual recovery
(about one every two and a half years, at least one), the previous night's sleep, exercise,
a hangover after drinking, friends and triggers, and day-to-day noise that carries over
(AR(1)). Logging thins out during dips (completeness falls as illness worsens) and there is a
longer break each year, so the history has real gaps. One to three check-ins a logged day.

Notes are short, generic and about ordinary life: nothing about any real person and nothing
about self-harm. Everything comes from the period's seeded random source, so the same seed
gives the same diary; check-ins that would lie in the future are left out.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Final, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from companion.core import demo
from companion.core.models import Base
from companion.core.mood.models import MoodEntry, MoodEntryTag, MoodTag, Tracker, TrackerValue
from companion.core.mood.tags import seed_default_tags
from companion.core.mood.vocabulary import DEFAULT_TAGS, TRAUMA_SIGNS

BASELINE: Final = 5.8

NOTES_LOW: Final = (
    "Hard to get going this morning.",
    "Felt flat most of the day.",
    "Stayed in. Everything felt like a lot.",
    "Tired and heavy. Did the minimum.",
    "Couldn't concentrate on anything.",
    "Slept badly and felt it all day.",
    "Quiet, low day. Got through it.",
    "Cancelled plans; needed to rest.",
)
NOTES_MID: Final = (
    "Ordinary day.",
    "Did the shopping and some laundry.",
    "Work was busy but manageable.",
    "A bit tired in the afternoon.",
    "Made soup for the week.",
    "Read a few chapters before bed.",
    "Rainy day, mostly indoors.",
    "Caught up on emails.",
)
NOTES_HIGH: Final = (
    "Good walk by the river.",
    "Had coffee with a friend.",
    "Felt more like myself today.",
    "Got a lot done and felt okay about it.",
    "Nice evening, cooked something new.",
    "Sunny. Sat outside for a while.",
    "Good session with my therapist.",
    "Played music for an hour.",
)

ACTIVITY_ODDS: Final = {
    "Family": 0.2,
    "Hobby": 0.15,
    "Reading": 0.2,
    "Music": 0.2,
    "Cooking": 0.25,
    "Housework": 0.25,
}
TRIGGER_ODDS: Final = {
    "Conflict": 0.05,
    "Money worries": 0.05,
    "Health worries": 0.04,
    "Feeling criticised": 0.04,
    "Crowds or noise": 0.04,
    "News or social media": 0.08,
    "Physical pain": 0.05,
}


@dataclass(frozen=True)
class _Dip:
    start: int
    descent: int
    plateau: int
    recovery: int
    depth: float

    def amount(self, index: int) -> float:
        """How far below baseline the dip holds mood on day ``index`` (0 outside it)."""
        k = index - self.start
        if k < 0:
            return 0.0
        if k < self.descent:
            return self.depth * k / self.descent
        k -= self.descent
        if k < self.plateau:
            return self.depth
        k -= self.plateau
        if k < self.recovery:
            return self.depth * (1 - k / self.recovery)
        return 0.0


def _table(model: type[Base]) -> Table:
    """The Core table of a model (bulk inserts through Core are several times faster)."""
    return cast(Table, model.__table__)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _offset_minutes(day: date) -> int:
    """A central-European clock: UTC+1, UTC+2 in summer (so the data crosses DST changes)."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    return 120 if summer else 60


def _clip(value: float, low: int = 0, high: int = 10) -> int:
    return max(low, min(high, round(value)))


def _dips(rng: random.Random, days: int) -> list[_Dip]:
    count = max(1, round(days / 900))
    scale = min(1.0, days / 160)
    dips = []
    for k in range(count):
        descent = max(1, round(rng.randint(14, 28) * scale))
        plateau = max(1, round(rng.randint(21, 49) * scale))
        recovery = max(1, round(rng.randint(28, 56) * scale))
        length = descent + plateau + recovery
        slot = days / count
        centre = slot * (k + 0.6) + rng.uniform(-0.15, 0.15) * slot
        start = max(0, min(days - length, round(centre - length / 2)))
        dips.append(_Dip(start, descent, plateau, recovery, rng.uniform(2.6, 3.4)))
    return dips


def _breaks(rng: random.Random, days: int) -> set[int]:
    """One longer break from logging a year (4–10 days), never in the first or last weeks."""
    out: set[int] = set()
    if days < 120:
        return out
    for year_start in range(0, days, 365):
        first = year_start + rng.randint(30, 300)
        out.update(range(first, min(days - 14, first + rng.randint(4, 10))))
    return out


def _times(rng: random.Random, count: int, dip: float) -> list[tuple[int, int]]:
    """Local (hour, minute) of the day's check-ins, in order; sometimes one in the night."""
    slots = sorted(rng.sample([(7, 10), (12, 16), (19, 23)], count))
    out = [(rng.randint(a, b), rng.randint(0, 59)) for a, b in slots]
    if rng.random() < 0.03 + 0.05 * dip and count < 3:
        out.insert(0, (rng.randint(0, 4), rng.randint(0, 59)))
    return out


def mood_diary(session: Session, period: demo.DemoPeriod) -> None:
    """Check-ins, tags, two custom trackers and their values over the demo period."""
    rng = random.Random(period.rng.getrandbits(64))
    now = datetime.now(UTC)
    first_moment = datetime.combine(period.start, time(9), tzinfo=UTC)

    existing = set(session.scalars(select(MoodTag.id)))
    seed_default_tags(session, skip=existing, now=first_moment)
    tag_ids = {name: tag_id for tag_id, name in session.execute(select(MoodTag.id, MoodTag.name))}
    for kind, name in DEFAULT_TAGS:  # a renamed default: re-add it for the demo
        if name not in tag_ids:
            tag_ids[name] = _uuid(rng)
            session.add(MoodTag(id=tag_ids[name], name=name, kind=kind.value, position=99))
    grounding_id, coffee_id = _uuid(rng), _uuid(rng)
    session.execute(
        insert(_table(Tracker)),
        [
            {
                "id": grounding_id,
                "name": "Practised grounding",
                "kind": "yes_no",
                "unit": None,
                "min_value": None,
                "max_value": None,
                "archived": False,
                "position": 1,
                "created_at": first_moment,
                "updated_at": first_moment,
            },
            {
                "id": coffee_id,
                "name": "Coffee",
                "kind": "number",
                "unit": "cups",
                "min_value": 0.0,
                "max_value": 12.0,
                "archived": False,
                "position": 2,
                "created_at": first_moment,
                "updated_at": first_moment,
            },
        ],
    )

    days = period.days
    dips = _dips(rng, days)
    breaks = _breaks(rng, days)
    therapy_weekday = rng.randint(0, 4)
    entries: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    noise = 0.0
    hangover = 0.0

    for index in range(days):
        day = period.start + timedelta(days=index)
        weekday = day.weekday()
        dip = sum(d.amount(index) for d in dips)
        low = min(1.0, dip / 3.0)  # 0 well … 1 deep in a dip

        # The day as lived (computed whether or not it gets logged).
        noise = 0.6 * noise + rng.gauss(0, 0.75)
        sleep = min(11.0, max(3.0, rng.gauss(7.3 - 0.9 * low, 0.9 + 0.5 * low)))
        sleep = round(sleep * 4) / 4
        exercised = rng.random() < 0.42 - 0.25 * low
        outdoors = rng.randint(20, 150) if rng.random() < 0.6 - 0.3 * low else 0
        drinks = 0.0
        if rng.random() < (0.3 if weekday in (4, 5) else 0.1):
            drinks = float(rng.choice((1, 1, 2, 2, 3, 4)))
        friends = rng.random() < (0.35 if weekday >= 5 else 0.15) * (1 - 0.5 * low)
        day_tags = {"Friends"} if friends else set()
        if weekday < 5 and rng.random() < 0.75 - 0.25 * low:
            day_tags.add("Work or study")
            if rng.random() < 0.25:
                day_tags.add("Work stress")
        if exercised and rng.random() < 0.75:
            day_tags.add("Walk")
        if outdoors > 60 and rng.random() < 0.5:
            day_tags.add("Time in nature")
        if rng.random() < 0.2 + 0.35 * low:
            day_tags.add("Rest")
        if weekday == therapy_weekday and rng.random() < 0.8:
            day_tags.add("Therapy session")
        if rng.random() < 0.06 + 0.25 * low:
            day_tags.add("Loneliness")
        if rng.random() < 0.03 + 0.05 * low:
            day_tags.add("Reminder of the past")
        day_tags.update(n for n, p in ACTIVITY_ODDS.items() if rng.random() < p * (1 - 0.4 * low))
        day_tags.update(n for n, p in TRIGGER_ODDS.items() if rng.random() < p)
        grounded = rng.random() < 0.3 + 0.25 * low
        if grounded and rng.random() < 0.6:
            day_tags.add("Grounding exercise")
        triggers = sum(1 for n in day_tags if n in TRIGGER_ODDS or n in ("Work stress",))
        weekly = {0: -0.3, 4: 0.15, 5: 0.45, 6: 0.35}.get(weekday, 0.0)
        latent = (
            BASELINE
            - dip
            + weekly
            + 0.45 * (sleep - 7.0)
            + (0.5 if exercised else 0.0)
            + (0.3 if outdoors > 45 else 0.0)
            + (0.5 if friends else 0.0)
            + (0.2 if grounded else 0.0)
            - 0.45 * triggers
            - 0.6 * ("Loneliness" in day_tags)
            - hangover
            + noise
        )
        hangover = 0.35 * drinks if drinks >= 2 else 0.0

        if index in breaks or rng.random() > 0.84 - 0.3 * low:
            continue
        count = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        offset = _offset_minutes(day)
        zone = timezone(timedelta(minutes=offset))
        day_entries: list[dict[str, Any]] = []
        for n, (hour, minute) in enumerate(_times(rng, count, low)):
            slot = -0.8 if hour < 5 else (-0.2 if hour < 12 else (0.2 if hour >= 18 else 0.0))
            mood = _clip(latent + slot + rng.gauss(0, 0.7))
            at = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
            entry: dict[str, Any] = {
                "id": _uuid(rng),
                "occurred_at": at,
                "utc_offset_minutes": offset,
                "mood": mood,
                "anxiety": _clip(2.5 + 0.6 * (6 - mood) + 0.5 * triggers + rng.gauss(0, 1.1))
                if rng.random() < 0.95
                else None,
                "energy": _clip(1.5 + 0.6 * mood + 0.35 * (sleep - 7) + rng.gauss(0, 1.0))
                if rng.random() < 0.95
                else None,
                "irritability": _clip(
                    1.5 + 0.4 * (6 - mood) + 0.5 * max(0.0, 7 - sleep) + rng.gauss(0, 1.0)
                )
                if rng.random() < 0.7
                else None,
                "sleep_hours": None,
                "sleep_quality": None,
                "exercise_minutes": None,
                "outdoors_minutes": None,
                "alcohol_units": None,
                "substances_used": None,
                "substances_detail": None,
                "note": None,
            }
            for sign in TRAUMA_SIGNS:
                entry[sign] = None
            if n == 0 and hour >= 5 and rng.random() < 0.88:
                entry["sleep_hours"] = sleep
                entry["sleep_quality"] = max(
                    1, min(5, round(1 + (sleep - 4) * 0.8 + rng.gauss(0, 0.7)))
                )
            if rng.random() < 0.2:
                pool = NOTES_LOW if mood <= 3 else (NOTES_HIGH if mood >= 7 else NOTES_MID)
                entry["note"] = rng.choice(pool)
            lag = timedelta(seconds=rng.randint(5, 240))
            if rng.random() < 0.04:
                lag = timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 12))
            created = min(at + lag, now)
            entry["created_at"] = entry["updated_at"] = created
            day_entries.append(entry)

        last = day_entries[-1]
        if rng.random() < 0.75:
            last["exercise_minutes"] = rng.choice((15, 20, 30, 30, 45, 60)) if exercised else 0
        if rng.random() < 0.65:
            last["outdoors_minutes"] = outdoors
        if rng.random() < 0.65:
            last["alcohol_units"] = drinks
        if rng.random() < 0.25:
            last["substances_used"] = False
        if rng.random() < 0.35:
            for sign in TRAUMA_SIGNS:
                last[sign] = rng.random() < 0.04 + 0.2 * low
        for name in sorted(day_tags):
            links.append({"entry_id": rng.choice(day_entries)["id"], "tag_id": tag_ids[name]})
        if rng.random() < 0.6:
            values.append(
                {"entry_id": last["id"], "tracker_id": grounding_id, "value": float(grounded)}
            )
        if rng.random() < 0.5:
            cups = float(min(12, max(0, round(rng.gauss(2.2 - 0.4 * (sleep - 7), 1.0)))))
            values.append(
                {"entry_id": day_entries[0]["id"], "tracker_id": coffee_id, "value": cups}
            )
        entries.extend(day_entries)

    future = {e["id"] for e in entries if e["occurred_at"] > now}
    if future:
        entries = [e for e in entries if e["id"] not in future]
        links = [k for k in links if k["entry_id"] not in future]
        values = [v for v in values if v["entry_id"] not in future]
    if entries:
        session.execute(insert(_table(MoodEntry)), entries)
    if links:
        session.execute(insert(_table(MoodEntryTag)), links)
    if values:
        session.execute(insert(_table(TrackerValue)), values)
    session.flush()
