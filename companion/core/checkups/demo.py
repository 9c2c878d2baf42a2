"""Synthetic check-ups for ``companion demo``: a PHQ-9 and GAD-7 every two weeks or so that
follow the demo's treatment story, two PCL-5s, and one ACE.

The scores respond to what the medication demo wrote, read back through the database (this
generator runs after it): a medicine taken for at least eight weeks eases symptoms from about
two weeks after it starts, more with each dose increase, and the effect fades after it stops;
one stopped early for side effects makes things a little worse while it lasts; a completed
course of therapy helps a little and most of that stays. Without medication rows (a diary
made with fewer features) the scores simply drift around a moderately severe level. The
numbers are noisy, as real ones are, and nothing claims to be a real person.

Question 9 of the PHQ-9 (thoughts of being better off dead or of self-harm) is 0 everywhere
except once, early in the last year, while things were at their worst: "several days". The app
handles that result as it would a real one (the safety note, the helplines, the plan).

The random source is a copy of the period's, so adding this generator changes no other
feature's demo data.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Final

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from companion.content.questionnaires import Questionnaire, get_questionnaire
from companion.core import demo
from companion.core.checkups.models import CheckupAnswer, CheckupResponse
from companion.core.models import Base

_SALT: Final = 0x63686B73  # "chks": this generator's own stream
#: where the untreated level sits, and the floor treatment can bring it to (PHQ-9 points)
UNTREATED: Final = 19.0
FLOOR: Final = 1.0
#: a medicine must be taken this long to count as a trial that could help
ADEQUATE_DAYS: Final = 56
#: the one PHQ-9 with question 9 above zero: about this many days before the last demo day
ITEM9_DAYS_BEFORE: Final = 305
#: PCL-5s, days before the last demo day (around the start of the trauma-focused therapy)
PCL5_DAYS_BEFORE: Final = (60, 13)
PCL5_TOTALS: Final = (44, 37)
ACE_DAYS_BEFORE: Final = 282
#: ACE: emotional abuse, emotional neglect, parents separated, a household member depressed
ACE_YES: Final = frozenset({"1", "4", "6", "9"})
#: PHQ-9 items' share of the total (question 9 apart), roughly as in depression samples
PHQ9_WEIGHTS: Final = {
    "1": 1.2,
    "2": 1.3,
    "3": 1.2,
    "4": 1.3,
    "5": 0.8,
    "6": 1.0,
    "7": 0.9,
    "8": 0.5,
}


@dataclass(frozen=True)
class _Course:
    """A medicine or a treatment as the generator sees it."""

    start: date
    stop: date | None
    reason: str | None
    steps: tuple[date, ...]  # dose increases after the first dose
    therapy: bool = False


def _table(name: str) -> Table | None:
    return Base.metadata.tables.get(name)


def _courses(session: Session) -> list[_Course]:
    """The medicines (not the as-needed ones) and treatments the earlier generators wrote."""
    meds, schedules, doses, treatments = (
        _table(n) for n in ("medications", "medication_schedules", "medication_doses", "treatments")
    )
    courses: list[_Course] = []
    if meds is not None and schedules is not None and doses is not None:
        as_needed = {
            row[0]
            for row in session.execute(
                select(schedules.c.medication_id).where(schedules.c.kind == "as_needed")
            )
        }
        steps: dict[str, list[tuple[date, float]]] = {}
        for med_id, day, amount in session.execute(
            select(doses.c.medication_id, doses.c.effective_from, doses.c.amount)
        ):
            steps.setdefault(med_id, []).append((day, amount))
        query = select(meds.c.id, meds.c.started_on, meds.c.stopped_on, meds.c.stop_reason)
        for med_id, started, stopped, reason in session.execute(query):
            if med_id in as_needed:
                continue
            mine = sorted(steps.get(med_id, []))
            increases = tuple(
                day
                for (day, amount), (_, before) in zip(mine[1:], mine, strict=False)
                if amount > before
            )
            courses.append(_Course(started, stopped, reason, increases))
    if treatments is not None:
        query = select(treatments.c.started_on, treatments.c.ended_on, treatments.c.end_reason)
        for row in session.execute(query):
            courses.append(_Course(row[0], row[1], row[2], (), therapy=True))
    return courses


def _ramp(day: date, begin: date, length: int) -> float:
    return min(1.0, max(0.0, (day - begin).days / length))


def _relief(course: _Course, day: date) -> float:
    """The share of the symptoms this course relieves on ``day`` (0 to under 1)."""
    if day < course.start:
        return 0.0
    if course.therapy:
        effect = 0.18 * _ramp(day, course.start + timedelta(days=14), 90)
        if course.stop is not None and day > course.stop:
            effect *= 0.7  # most of what was learnt stays
        return effect
    length = ((course.stop or day) - course.start).days + 1
    if course.stop is not None and length < ADEQUATE_DAYS:
        return 0.0
    effect = 0.32 * _ramp(day, course.start + timedelta(days=14), 56)
    for step in course.steps:
        effect += 0.08 * _ramp(day, step + timedelta(days=7), 35)
    if course.reason == "not_helping":
        effect *= 0.3
    if course.stop is not None and day > course.stop:
        effect *= 1.0 - _ramp(day, course.stop, 42)
    return min(effect, 0.8)


def _burden(course: _Course, day: date) -> float:
    """Side effects of a medicine stopped early for them: a little worse while it lasts."""
    if course.therapy or course.reason != "side_effects" or course.stop is None:
        return 0.0
    short = (course.stop - course.start).days + 1 < ADEQUATE_DAYS
    return 1.0 if short and course.start <= day <= course.stop else 0.0


def level(courses: Sequence[_Course], day: date) -> float:
    """The expected PHQ-9 total on ``day`` before noise."""
    remaining = 1.0
    for course in courses:
        remaining *= 1.0 - _relief(course, day)
    return FLOOR + (UNTREATED - FLOOR) * remaining + sum(_burden(c, day) for c in courses)


def _spread(rng: random.Random, total: int, weights: dict[str, float], top: int) -> dict[str, int]:
    """``total`` points over the items, by weight, none above ``top``."""
    answers = dict.fromkeys(weights, 0)
    total = min(total, top * len(weights))
    for _ in range(total):
        open_items = [k for k in weights if answers[k] < top]
        pick = rng.choices(open_items, weights=[weights[k] for k in open_items])[0]
        answers[pick] += 1
    return answers


def _difficulty(total: int) -> int:
    return 0 if total < 5 else 1 if total < 10 else 2 if total < 20 else 3


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _offset_minutes(day: date) -> int:
    """A central-European clock, as the other demo generators: UTC+1, UTC+2 in summer."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    return 120 if summer else 60


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _Writer:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.responses: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []

    def add(self, q: Questionnaire, day: date, answers: dict[str, int | None]) -> None:
        offset = _offset_minutes(day)
        zone = timezone(timedelta(minutes=offset))
        minutes = self.rng.randint(19 * 60, 21 * 60 + 30)
        local = datetime.combine(day, time(), tzinfo=zone) + timedelta(minutes=minutes)
        moment = min(local.astimezone(UTC), self.now)
        response_id = _uuid(self.rng)
        self.responses.append(
            {
                "id": response_id,
                "questionnaire_id": q.id,
                "version": q.version,
                "completed_at": moment,
                "utc_offset_minutes": offset,
                "edited_at": None,
                "edited_offset_minutes": None,
                "created_at": moment,
                "updated_at": moment,
            }
        )
        for item in q.items:
            self.answers.append(
                {
                    "id": _uuid(self.rng),
                    "response_id": response_id,
                    "item_id": item.id,
                    "value": answers.get(item.id),
                    "created_at": moment,
                    "updated_at": moment,
                }
            )

    def save(self, session: Session) -> None:
        if self.responses:
            session.execute(insert(CheckupResponse), self.responses)
            session.execute(insert(CheckupAnswer), self.answers)


def _schedule(rng: random.Random, period: demo.DemoPeriod) -> list[date]:
    """Every two weeks or so, backwards from about six days before the last demo day (so none
    is due when the demo opens), with the odd fortnight missed."""
    days: list[date] = []
    day = period.end - timedelta(days=6)
    while day >= period.start + timedelta(days=3):
        days.append(day)
        step = 14 + rng.choice((-2, -1, 0, 0, 0, 1, 2, 3))
        if rng.random() < 0.08:
            step += 14
        day -= timedelta(days=step)
    return sorted(days)


def checkup_history(session: Session, period: demo.DemoPeriod) -> None:
    """PHQ-9 and GAD-7 series, two PCL-5s and one ACE."""
    copy = random.Random()
    copy.setstate(period.rng.getstate())
    rng = random.Random(copy.getrandbits(64) ^ _SALT)
    writer = _Writer(rng, datetime.now(UTC))
    courses = _courses(session)
    phq9, gad7 = get_questionnaire("phq9"), get_questionnaire("gad7")
    days = _schedule(rng, period)
    flagged = min(days, key=lambda d: abs((period.end - d).days - ITEM9_DAYS_BEFORE), default=None)
    for day in days:
        expected = level(courses, day)
        total = round(min(24.0, max(0.0, rng.gauss(expected, 1.2))))
        answers: dict[str, int | None] = dict(_spread(rng, total, PHQ9_WEIGHTS, 3))
        answers["9"] = 1 if day == flagged and (period.end - day).days > 200 else 0
        answers["difficulty"] = _difficulty(total)
        writer.add(phq9, day, answers)
        anxious = round(min(21.0, max(0.0, rng.gauss(expected * 0.72, 1.5))))
        gad = dict.fromkeys((item.id for item in gad7.scored_items), 1.0)
        gad_answers: dict[str, int | None] = dict(_spread(rng, anxious, gad, 3))
        gad_answers["difficulty"] = _difficulty(anxious)
        writer.add(gad7, day, gad_answers)
    pcl5 = get_questionnaire("pcl5")
    weights = {item.id: 1.0 + (0.4 if int(item.id) <= 5 else 0.0) for item in pcl5.items}
    for before, total in zip(PCL5_DAYS_BEFORE, PCL5_TOTALS, strict=True):
        day = period.end - timedelta(days=before)
        if day >= period.start:
            writer.add(pcl5, day, dict(_spread(rng, total, weights, 4)))
    ace = get_questionnaire("ace")
    ace_day = max(period.start, period.end - timedelta(days=ACE_DAYS_BEFORE))
    writer.add(ace, ace_day, {item.id: int(item.id in ACE_YES) for item in ace.items})
    writer.save(session)
    session.flush()
