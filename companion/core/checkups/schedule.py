"""How often each check-up is due, and whether one is due now (pure rules, no database).

Defaults come from each questionnaire's file: PHQ-9 and GAD-7 every two weeks, PCL-5 every
month, WHO-5 off; the ACE is asked once and is never due. The person may choose another
interval or none, but never a shorter one than the questionnaire's recall window
(clinical-reference §2.1: no more often than the window its questions ask about).

A check-up becomes due only after it was taken once: the first time is the person's choice, so
nobody is nagged into a questionnaire, least of all a trauma one. After that it is due on the
day the interval has passed since it was last taken (the person's local day), and it stays due
until it is taken again or its reminder is turned off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from companion.content.questionnaires import Questionnaire
from companion.core.errors import ValidationError
from companion.core.settings import Option, bool_option
from companion.i18n import N_, _, ngettext

#: the intervals offered, in days (0: no reminder); each questionnaire keeps only the ones at
#: least as long as its recall window
CHOICES: Final = (0, 14, 30, 61, 91)
MAX_INTERVAL_DAYS: Final = 365


def allowed(q: Questionnaire) -> tuple[int, ...]:
    """The intervals a person may choose for ``q`` (just 0 for a questionnaire asked once)."""
    if q.min_interval_days <= 0:
        return (0,)
    return tuple(d for d in CHOICES if d == 0 or d >= q.min_interval_days)


def default_interval(q: Questionnaire) -> int:
    return q.default_interval_days if q.min_interval_days > 0 else 0


def check_interval(q: Questionnaire, days: object) -> int:
    """``days`` if the person may choose it for ``q``; else one clear sentence."""
    if q.min_interval_days <= 0:
        if days == 0:
            return 0
        raise ValidationError(
            _("The {name} is asked once, so it has no reminder.").format(name=q.name)
        )
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationError(_("How often must be a number of days."))
    if days == 0:
        return 0
    if days < q.min_interval_days:
        raise ValidationError(
            _(
                "The {name} asks about the last {days} days, so it should not be taken more "
                "often than that."
            ).format(name=q.name, days=q.min_interval_days)
        )
    if days > MAX_INTERVAL_DAYS:
        raise ValidationError(_("Please choose at most once a year."))
    return days


def _intervals(value: object) -> dict[str, int]:
    """Stored overrides made valid: unknown questionnaires and bad values are left out."""
    from companion.content.questionnaires import load_questionnaires

    if not isinstance(value, dict):
        raise ValidationError(_("The check-up intervals must be a table."))
    known = {q.id: q for q in load_questionnaires()}
    clean: dict[str, int] = {}
    for key, days in value.items():
        q = known.get(key) if isinstance(key, str) else None
        if q is None:
            continue
        clean[key] = check_interval(q, days)
    return clean


#: the person's choices, questionnaire id → days (0: no reminder); missing ids use the default
INTERVALS: Final[Option[dict[str, int]]] = Option(
    "checkups.intervals", {}, N_("How often each check-up is due"), _intervals
)
#: the in-app reminder when a check-up is due
REMINDERS: Final = bool_option(
    "checkups.reminders", True, N_("Remind me in the app when a check-up is due")
)


def interval_for(q: Questionnaire, chosen: Mapping[str, int]) -> int:
    """The interval in force for ``q``: the person's choice, or the questionnaire's default."""
    if q.min_interval_days <= 0:
        return 0
    days = chosen.get(q.id)
    return default_interval(q) if days is None else days


@dataclass(frozen=True)
class Due:
    """When a questionnaire is due. ``due_on`` is None when it is not scheduled: asked once,
    no reminder chosen, or never taken yet."""

    questionnaire_id: str
    interval_days: int
    last_taken: date | None
    due_on: date | None

    def is_due(self, today: date) -> bool:
        return self.due_on is not None and self.due_on <= today


def due(q: Questionnaire, last_taken: date | None, chosen: Mapping[str, int]) -> Due:
    interval = interval_for(q, chosen)
    due_on = None
    if interval > 0 and last_taken is not None:
        due_on = last_taken + timedelta(days=interval)
    return Due(q.id, interval, last_taken, due_on)


def interval_label(days: int) -> str:
    """ "Every 2 weeks", "Every month"…, or "No reminder"."""
    labels: dict[int, str] = {
        0: _("No reminder"),
        14: _("Every 2 weeks"),
        30: _("Every month"),
        61: _("Every 2 months"),
        91: _("Every 3 months"),
    }
    if days in labels:
        return labels[days]
    return ngettext("Every {days} day", "Every {days} days", days).format(days=days)
