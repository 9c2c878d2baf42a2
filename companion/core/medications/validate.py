"""The medication log's rules for what a person enters: each check either returns the value as it
is stored or raises :class:`~companion.core.errors.ValidationError` with one sentence saying
what to change. Nothing here touches the database; checks that need "today" are given it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from companion.core import validation
from companion.core.errors import ValidationError
from companion.core.medications.adherence import ScheduleKind
from companion.core.medications.types import MedicationInput, ScheduleInput, TreatmentInput
from companion.core.medications.vocabulary import (
    CATEGORIES,
    FORMS,
    MAX_DOSE,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_PURPOSE_CHARS,
    MAX_TIMES_PER_DAY,
    SEVERITIES,
    THERAPY_TYPES,
    TREATMENT_END_REASONS,
    TREATMENT_KINDS,
    UNITS,
    format_amount,
    stock_unit,
    unit_label,
)
from companion.i18n import _, format_date, format_number, format_time

#: A time given for a scheduled dose must be this close to the scheduled time.
SLOT_REACH: Final = timedelta(hours=12)
#: How far ahead a dose may be marked (the evening dose in the morning, not tomorrow's).
LOG_AHEAD: Final = timedelta(hours=12)
CLOCK_SKEW: Final = timedelta(minutes=5)
EARLIEST: Final = date(1950, 1, 1)
#: A planned change may lie this far ahead.
PLAN_AHEAD: Final = timedelta(days=366)
#: More units than this in one dose is almost surely a slip of the keyboard.
MAX_UNITS_AT_ONCE: Final = 20
_HHMM: Final = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def choose(label: str, value: object, allowed: Iterable[str]) -> str:
    """One of ``allowed`` (a list the person picked from: "Please choose a unit from the list")."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        raise ValidationError(_("Please choose {what} from the list.").format(what=label))
    return value


def day(label: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(_("{label} must be a date.").format(label=label))
    if value < EARLIEST:
        raise ValidationError(
            _("{label} is before {year}; please check the year.").format(
                label=label, year=EARLIEST.year
            )
        )
    return value


def positive(
    label: str, value: object, limit: float, unit: str, *, field: str | None = None
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(_("{label} must be a number.").format(label=label), field=field)
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValidationError(_("{label} must be more than zero.").format(label=label), field=field)
    if number > limit:
        raise ValidationError(
            _(
                "{amount} {unit} is more than any single dose would be (this log accepts up to "
                "{limit} {unit}); please check the amount and the unit."
            ).format(
                amount=format_amount(number), unit=unit_label(unit), limit=format_number(limit)
            ),
            field=field,
        )
    return number


def dose_amount(label: str, amount: object, unit: object) -> tuple[float, str]:
    clean_unit = choose(_("a unit"), unit, UNITS)
    number = positive(label, amount, MAX_DOSE[clean_unit], clean_unit, field="amount")
    return number, clean_unit


def parse_time(value: str | time) -> str:
    """ "8:00", "08:00", time(8) → "08:00"; anything else → ValidationError."""
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if not isinstance(value, str):
        raise ValidationError(_("A dose time must be a time of day like 08:00."))
    text = value.strip()
    if re.fullmatch(r"\d:\d\d", text):
        text = "0" + text
    if not _HHMM.match(text):
        raise ValidationError(
            _("“{text}” is not a time of day; please use a time like 08:00.").format(
                text=value[:10]
            )
        )
    return text


def clean_schedule(schedule: ScheduleInput) -> tuple[str, str | None, int | None, int | None]:
    """(kind, times, weekday mask, interval) as stored, or a ValidationError."""
    try:
        kind = ScheduleKind(schedule.kind)
    except ValueError:
        raise ValidationError(
            _("Please choose how often: every day, some weekdays, every few days or as needed.")
        ) from None
    if kind is ScheduleKind.AS_NEEDED:
        return kind.value, None, None, None
    times = sorted({parse_time(t) for t in schedule.times})
    if not times:
        raise ValidationError(_("Please add at least one time of day for this schedule."))
    if len(times) > MAX_TIMES_PER_DAY:
        raise ValidationError(
            _("A schedule can have up to {count} times a day.").format(count=MAX_TIMES_PER_DAY)
        )
    if len(times) != len(list(schedule.times)):
        raise ValidationError(_("The same time appears twice in the schedule; please remove one."))
    mask = None
    interval = None
    if kind is ScheduleKind.WEEKDAYS:
        days = set(schedule.weekdays)
        if not days:
            raise ValidationError(_("Please choose at least one day of the week."))
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            raise ValidationError(_("Days of the week run from Monday to Sunday."))
        mask = sum(1 << d for d in days)
    elif kind is ScheduleKind.INTERVAL:
        n = schedule.interval_days
        if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 366:
            raise ValidationError(_("“Every N days” needs a number of days from 2 to 366."))
        interval = n
    return kind.value, ",".join(times), mask, interval


def window(value: object) -> int | None:
    """An on-time window in minutes either side (None: the usual one)."""
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 5 <= value <= 720
    ):
        raise ValidationError(_("The on-time window must be from 5 minutes to 12 hours."))
    return value


def medication(medication: MedicationInput, today: date) -> dict[str, Any]:
    """A medicine's details as stored."""
    name = validation.name(_("medicine"), medication.name, MAX_NAME_CHARS)
    category = choose(_("a kind of medicine"), medication.category, CATEGORIES)
    form = choose(_("a form"), medication.form, FORMS)
    strength: float | None = None
    unit: str | None = None
    if medication.strength is not None:
        unit = choose(_("a unit for the strength"), medication.strength_unit, UNITS)
        strength = positive(
            _("The strength"), medication.strength, MAX_DOSE[unit], unit, field="strength"
        )
    elif medication.strength_unit is not None:
        unit = choose(_("a unit for the strength"), medication.strength_unit, UNITS)
    started = day(_("The start date"), medication.started_on)
    if started > today + PLAN_AHEAD:
        raise ValidationError(_("The start date is more than a year ahead; please check it."))
    minutes = window(medication.window_minutes)
    if not isinstance(medication.reminders, bool):
        raise ValidationError(_("Reminders are either on or off."))
    return {
        "name": name,
        "category": category,
        "form": form,
        "strength": strength,
        "strength_unit": unit,
        "purpose": validation.text(_("The purpose"), medication.purpose, MAX_PURPOSE_CHARS),
        "started_on": started,
        "reminders": medication.reminders,
        "window_minutes": minutes,
    }


def strength_ratio(values: Mapping[str, Any], amount: float, unit: str) -> None:
    """A dose of more than 20 tablets at once is almost surely a slip of the keyboard."""
    strength = values.get("strength")
    form = values.get("form")
    if strength and values.get("strength_unit") == unit and form in ("tablet", "capsule"):
        count = amount / strength
        if count > MAX_UNITS_AT_ONCE:
            raise ValidationError(
                _(
                    "That dose would be {count} {units} at once; please check the dose and the "
                    "strength."
                ).format(count=format_number(count), units=stock_unit(str(form)))
            )


def when_taken(when: datetime, now: datetime) -> None:
    """A moment a dose was taken: not in the future, not before the log's earliest year."""
    if when > now + CLOCK_SKEW:
        raise ValidationError(_("That time is in the future; please check the time."))
    if when.date() < EARLIEST:
        raise ValidationError(
            _("That time is before {year}; please check the year.").format(year=EARLIEST.year)
        )


def near_slot(when: datetime, slot_at: datetime) -> None:
    """A time given for a scheduled dose must be within 12 hours of it, on the wall clock
    (the schedule follows the clock on the wall: the adherence module)."""
    wall = when.replace(tzinfo=None) - slot_at.replace(tzinfo=None)
    if abs(wall) > SLOT_REACH:
        raise ValidationError(
            _(
                "That time is more than 12 hours from the {time} dose on {date}. If it belongs "
                "to another day's dose, please log it on that day."
            ).format(time=format_time(slot_at), date=format_date(slot_at.date(), "full"))
        )


def side_effect(
    description: str, severity: str, noted_on: date, resolved_on: date | None, today: date
) -> dict[str, Any]:
    text = validation.text(_("The description"), description, MAX_NOTE_CHARS)
    if text is None:
        raise ValidationError(_("Please describe the side effect in a few words."))
    noted = day(_("The date"), noted_on)
    if noted > today:
        raise ValidationError(_("The date is in the future; please check it."))
    resolved = None
    if resolved_on is not None:
        resolved = day(_("The date it eased"), resolved_on)
        if resolved < noted:
            raise ValidationError(_("The date it eased is before the date it was noticed."))
        if resolved > today:
            raise ValidationError(_("The date it eased is in the future; please check it."))
    return {
        "description": text,
        "severity": choose(_("how much it bothers you"), severity, SEVERITIES),
        "noted_on": noted,
        "resolved_on": resolved,
    }


def treatment(treatment: TreatmentInput, today: date) -> dict[str, Any]:
    kind = choose(_("a kind of treatment"), treatment.kind, TREATMENT_KINDS)
    therapy = None
    if kind == "psychotherapy":
        if treatment.therapy_type is not None:
            therapy = choose(_("a kind of therapy"), treatment.therapy_type, THERAPY_TYPES)
    elif treatment.therapy_type is not None:
        raise ValidationError(_("A kind of therapy belongs to psychotherapy only."))
    started = day(_("The start date"), treatment.started_on)
    if started > today + PLAN_AHEAD:
        raise ValidationError(_("The start date is more than a year ahead; please check it."))
    ended = None
    if treatment.ended_on is not None:
        ended = day(_("The end date"), treatment.ended_on)
        if ended < started:
            raise ValidationError(_("The end date is before the start date."))
    reason = None
    if treatment.end_reason is not None:
        if ended is None:
            raise ValidationError(_("Please give the end date together with the reason."))
        reason = choose(_("a reason"), treatment.end_reason, TREATMENT_END_REASONS)
    sessions = treatment.sessions
    if sessions is not None and (
        isinstance(sessions, bool) or not isinstance(sessions, int) or not 0 <= sessions <= 2000
    ):
        raise ValidationError(_("The number of sessions must be a whole number up to 2,000."))
    label = None
    if treatment.label is not None and treatment.label.strip():
        label = validation.name(_("treatment"), treatment.label, MAX_NAME_CHARS)
    return {
        "kind": kind,
        "therapy_type": therapy,
        "label": label,
        "started_on": started,
        "ended_on": ended,
        "end_reason": reason,
        "sessions": sessions,
        "note": validation.text(_("The note"), treatment.note, MAX_NOTE_CHARS),
    }
