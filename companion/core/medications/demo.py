"""Synthetic medication and treatment history for ``companion demo``.

The story (counted back from the last demo day, so every demo vault tells it):

- a first SSRI (sertraline) started about eleven months ago and stopped after five weeks
  because of side effects (nausea, poor sleep: noted with severities);
- an SNRI (venlafaxine) titrated 37.5 → 75 → 150 mg over five weeks, still taken;
- an augmenting medicine (aripiprazole) added five months ago, 2 mg then 5 mg;
- melatonin as needed a few nights a month (as-needed doses never enter adherence);
- a CBT course (16 sessions, completed) and a trauma-focused therapy that is still going;
- doses mostly taken on time on weekdays, later and more often not logged at weekends (the
  "weekend misses"), a few entries filled in days later, one short break a year.

A course still taken that began before a short demo period is cut at the period's start (with
the dose taken then), so every demo has current medicines; a stopped course is shown whole or
not at all.

Longer demo periods (``--days 3650``) start earlier with older courses, almost back to back:
citalopram titrated and stopped as not helping, mirtazapine stopped for side effects,
escitalopram, nortriptyline with lithium augmentation, bupropion, duloxetine stopped because of
cost, an interpersonal therapy course and an rTMS course. Nothing claims to be a real
person; drug names are generic names and doses are ordinary ones.

The random source is a copy of the period's, so adding this generator does not change any
other feature's demo data.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Final

from sqlalchemy import insert
from sqlalchemy.orm import Session

from companion.core import demo
from companion.core.medications.models import (
    DoseLog,
    Medication,
    MedicationDose,
    MedicationSchedule,
    SideEffect,
    Treatment,
)

_SALT: Final = 0x6D656473  # "meds": this generator's own stream


@dataclass(frozen=True)
class _Course:
    name: str
    category: str
    form: str
    strength: float
    start: int  # days before the last demo day
    length: int | None  # None: still taken
    times: tuple[str, ...]
    #: (days after start, amount per dose)
    steps: tuple[tuple[int, float], ...]
    stop_reason: str | None = None
    purpose: str | None = None
    as_needed: bool = False
    side_effects: tuple[tuple[int, str, str, int | None], ...] = ()  # (day, severity, text, eased)
    stock: float | None = None


COURSES: Final[tuple[_Course, ...]] = (
    # -- older history (only in long demo periods) ----------------------------------------
    _Course(
        "Citalopram",
        "ssri",
        "tablet",
        20,
        3400,
        640,
        ("08:00",),
        ((0, 20), (42, 40)),
        stop_reason="not_helping",
        purpose="Depression",
    ),
    _Course(
        "Mirtazapine",
        "atypical",
        "tablet",
        15,
        2740,
        170,
        ("22:00",),
        ((0, 15), (21, 30)),
        stop_reason="side_effects",
        purpose="Depression and sleep",
        side_effects=((10, "moderate", "Much hungrier than usual", None),),
    ),
    _Course(
        "Escitalopram",
        "ssri",
        "tablet",
        10,
        2560,
        330,
        ("08:00",),
        ((0, 10), (28, 20)),
        stop_reason="other",
        purpose="Depression",
    ),
    _Course(
        "Nortriptyline",
        "tricyclic",
        "capsule",
        25,
        2200,
        300,
        ("21:00",),
        ((0, 25), (14, 50), (35, 75)),
        stop_reason="not_helping",
        purpose="Depression",
        side_effects=((5, "mild", "Dry mouth", 60),),
    ),
    _Course(
        "Lithium carbonate",
        "lithium",
        "tablet",
        400,
        1950,
        260,
        ("08:00", "20:00"),
        ((0, 200), (21, 400)),
        stop_reason="side_effects",
        purpose="Added to the antidepressant",
        side_effects=((30, "moderate", "Shaky hands", None),),
    ),
    _Course(
        "Bupropion XL",
        "atypical",
        "tablet",
        150,
        1880,
        520,
        ("08:00",),
        ((0, 150), (28, 300)),
        stop_reason="not_helping",
        purpose="Depression",
    ),
    _Course(
        "Duloxetine",
        "snri",
        "capsule",
        30,
        1340,
        980,
        ("08:00",),
        ((0, 30), (14, 60)),
        stop_reason="cost",
        purpose="Depression",
        side_effects=((3, "mild", "Headaches in the first week", 9),),
    ),
    # -- the last year (every demo vault) -------------------------------------------------
    _Course(
        "Sertraline",
        "ssri",
        "tablet",
        50,
        330,
        35,
        ("08:00",),
        ((0, 50),),
        stop_reason="side_effects",
        purpose="Depression",
        side_effects=(
            (4, "moderate", "Nausea most mornings", None),
            (9, "mild", "Trouble falling asleep", None),
        ),
    ),
    _Course(
        "Venlafaxine XR",
        "snri",
        "capsule",
        37.5,
        290,
        None,
        ("08:00",),
        ((0, 37.5), (7, 75), (28, 150)),
        purpose="Depression",
        side_effects=((16, "mild", "Sweating more at night", 120),),
        stock=36,
    ),
    _Course(
        "Aripiprazole",
        "antipsychotic_augmentation",
        "tablet",
        5,
        150,
        None,
        ("08:00",),
        ((0, 2.5), (28, 5)),
        purpose="Added to the antidepressant",
        stock=20,
    ),
    _Course(
        "Melatonin",
        "other",
        "tablet",
        2,
        200,
        None,
        (),
        ((0, 2),),
        purpose="Sleep",
        as_needed=True,
    ),
)

#: (kind, therapy type, days before the end it started, length in days or None, sessions, reason)
TREATMENTS: Final = (
    ("psychotherapy", "ipt", 2900, 120, 16, "completed"),
    ("rtms", None, 1700, 42, 30, "completed"),
    ("psychotherapy", "cbt", 300, 140, 16, "completed"),
    ("psychotherapy", "trauma_focused_cbt", 45, None, 6, None),
)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _offset_minutes(day: date) -> int:
    """A central-European clock (as the mood demo): UTC+1, UTC+2 in summer."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    return 120 if summer else 60


def _at(day: date, minutes: float) -> tuple[datetime, int]:
    offset = _offset_minutes(day)
    zone = timezone(timedelta(minutes=offset))
    moment = datetime.combine(day, time(), tzinfo=zone) + timedelta(minutes=round(minutes))
    return moment.astimezone(UTC), offset


def _rows(model: type[Any], rows: list[dict[str, Any]], session: Session) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)


def medication_history(session: Session, period: demo.DemoPeriod) -> None:
    """Medicines, schedules, dose steps, side effects, the dose log and treatment courses."""
    copy = random.Random()
    copy.setstate(period.rng.getstate())
    rng = random.Random(copy.getrandbits(64) ^ _SALT)
    now = datetime.now(UTC)
    end = period.end
    meds: list[dict[str, Any]] = []
    schedules: list[dict[str, Any]] = []
    doses: list[dict[str, Any]] = []
    effects: list[dict[str, Any]] = []
    log: list[dict[str, Any]] = []
    breaks = {
        end - timedelta(days=k + offset)
        for offset in range(200, period.days, 365)
        for k in range(rng.randint(3, 5))
    }

    for course in COURSES:
        began = end - timedelta(days=course.start)
        stopped = began + timedelta(days=course.length - 1) if course.length else None
        if stopped is not None and stopped >= end:
            stopped = None
        if began < period.start and stopped is not None:
            continue  # a stopped course is shown whole or not at all
        # a course still taken that began before the period is cut at its start, so every
        # demo, however short, has the medicines still taken
        start = max(began, period.start)
        created, _ = _at(start, 9 * 60)
        med_id = _uuid(rng)
        last_day = stopped or end
        stock_at = None
        if course.stock is not None:
            stock_at, _ = _at(end - timedelta(days=3), 19 * 60)
        meds.append(
            {
                "id": med_id,
                "name": course.name,
                "strength": float(course.strength),
                "strength_unit": "mg",
                "form": course.form,
                "category": course.category,
                "purpose": course.purpose,
                "started_on": start,
                "stopped_on": stopped,
                "stop_reason": course.stop_reason if stopped else None,
                "stop_note": None,
                "stock_count": course.stock,
                "stock_counted_at": stock_at,
                "reminders": not course.as_needed,
                "window_minutes": None,
                "created_at": created,
                "updated_at": created,
            }
        )
        schedules.append(
            {
                "id": _uuid(rng),
                "medication_id": med_id,
                "effective_from": start,
                "kind": "as_needed" if course.as_needed else "daily",
                "times": ",".join(course.times) or None,
                "weekdays": None,
                "interval_days": None,
                "created_at": created,
                "updated_at": created,
            }
        )
        amounts: list[tuple[date, float]] = []
        steps = [(began + timedelta(days=offset), amount) for offset, amount in course.steps]
        earlier = [amount for when, amount in steps if when < start]
        if earlier:  # the dose taken when the period begins
            steps = [(start, earlier[-1])] + [(w, a) for w, a in steps if w > start]
        for when, amount in steps:
            offset = (when - began).days
            if when > last_day:
                continue
            amounts.append((when, float(amount)))
            stamp, _ = _at(when, 9 * 60)
            doses.append(
                {
                    "id": _uuid(rng),
                    "medication_id": med_id,
                    "effective_from": when,
                    "amount": float(amount),
                    "unit": "mg",
                    "note": "Increase agreed with my prescriber" if when > start else None,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        for offset, severity, text, eased in course.side_effects:
            noted = began + timedelta(days=offset)
            if noted > last_day or noted < start:
                continue
            resolved = noted + timedelta(days=eased) if eased is not None else None
            if resolved is not None and resolved > end:
                resolved = None
            stamp, _ = _at(noted, 20 * 60)
            effects.append(
                {
                    "id": _uuid(rng),
                    "medication_id": med_id,
                    "noted_on": noted,
                    "severity": severity,
                    "description": text,
                    "resolved_on": resolved,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        if course.as_needed:
            _as_needed_log(rng, log, med_id, start, last_day, now)
        else:
            _scheduled_log(rng, log, med_id, course, start, last_day, amounts, breaks, now)

    treatments: list[dict[str, Any]] = []
    for kind, therapy, begins, length, sessions, reason in TREATMENTS:
        began = end - timedelta(days=begins)
        ended = began + timedelta(days=length) if length else None
        if ended is not None and ended > end:
            ended, reason = None, None
        if began < period.start and ended is not None:
            continue  # a finished course is shown whole or not at all
        start = max(began, period.start)  # one still going is cut at the period's start
        stamp, _ = _at(start, 18 * 60)
        treatments.append(
            {
                "id": _uuid(rng),
                "kind": kind,
                "therapy_type": therapy,
                "label": None,
                "started_on": start,
                "ended_on": ended,
                "end_reason": reason if ended else None,
                "sessions": sessions,
                "note": None,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )

    _rows(Medication, meds, session)
    _rows(MedicationSchedule, schedules, session)
    _rows(MedicationDose, doses, session)
    _rows(SideEffect, effects, session)
    _rows(DoseLog, log, session)
    _rows(Treatment, treatments, session)
    session.flush()


def _scheduled_log(
    rng: random.Random,
    log: list[dict[str, Any]],
    med_id: str,
    course: _Course,
    start: date,
    last_day: date,
    amounts: list[tuple[date, float]],
    breaks: set[date],
    now: datetime,
) -> None:
    day = start
    while day <= last_day:
        weekend = day.weekday() >= 5
        for text in course.times:
            slot_minutes = int(text[:2]) * 60 + int(text[3:])
            scheduled, _ = _at(day, slot_minutes)
            if scheduled > now:
                continue
            roll = rng.random()
            if day in breaks or roll > (0.80 if weekend else 0.95):
                continue  # not logged
            if roll > (0.78 if weekend else 0.935):
                status, recorded = "skipped", False
                occurred, offset = scheduled, _offset_minutes(day)
            else:
                status = "taken"
                delay = rng.gauss(70, 55) if weekend else rng.gauss(8, 22)
                recorded = rng.random() > 0.05
                if recorded:
                    occurred, offset = _at(day, slot_minutes + max(-90, delay))
                else:
                    occurred, offset = scheduled, _offset_minutes(day)
                if occurred > now:
                    continue
            lag = timedelta(seconds=rng.randint(3, 600))
            if rng.random() < 0.04 or not recorded:
                lag = timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 10))
            logged = min(occurred + lag, now)
            amount = None
            if status == "taken" and rng.random() < 0.01 and amounts:
                current = max((a for a in amounts if a[0] <= day), default=amounts[0])[1]
                amount = current / 2  # took half a dose once in a while
            log.append(
                {
                    "id": _uuid(rng),
                    "medication_id": med_id,
                    "slot_date": day,
                    "slot_time": text,
                    "status": status,
                    "occurred_at": occurred,
                    "utc_offset_minutes": offset,
                    "time_recorded": recorded,
                    "amount": amount,
                    "logged_at": logged,
                    "logged_offset_minutes": offset,
                    "note": None,
                    "created_at": logged,
                    "updated_at": logged,
                }
            )
        day += timedelta(days=1)


def _as_needed_log(
    rng: random.Random,
    log: list[dict[str, Any]],
    med_id: str,
    start: date,
    last_day: date,
    now: datetime,
) -> None:
    day = start
    while day <= last_day:
        if rng.random() < 0.1:
            occurred, offset = _at(day, rng.randint(22 * 60, 23 * 60 + 50))
            if occurred <= now:
                logged = min(occurred + timedelta(minutes=rng.randint(0, 20)), now)
                log.append(
                    {
                        "id": _uuid(rng),
                        "medication_id": med_id,
                        "slot_date": None,
                        "slot_time": None,
                        "status": "taken",
                        "occurred_at": occurred,
                        "utc_offset_minutes": offset,
                        "time_recorded": True,
                        "amount": None,
                        "logged_at": logged,
                        "logged_offset_minutes": offset,
                        "note": None,
                        "created_at": logged,
                        "updated_at": logged,
                    }
                )
        day += timedelta(days=1)
