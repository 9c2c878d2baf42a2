"""Check-ups' part of the clinician summary and the exports.

Two sections: **checkups** (latest scores with bands and change, the PHQ-9 question-9 flag,
every result and answer) and **ace** (the ACE questionnaire alone). The ACE is left unticked
on the Reports page: its answers say which kinds of childhood adversity the person lived
through, the most sensitive thing they can record, and its own authors describe the count as
neither diagnostic nor predictive for one person, with no cut-off for individual decisions
(clinical reference §2.6). It adds little to a two-minute summary, so it goes only when the
person chooses it.

Every completed response is read (earlier ones give the first result in the period its
"before"); totals are always worked out again from the raw answers.
"""

from __future__ import annotations

from datetime import datetime

from companion.core.checkups.service import CheckupService
from companion.core.extension_points import ExportSection
from companion.core.reports.model import Period, Section
from companion.core.reports.records import CheckupRecord
from companion.core.reports.sections import ORDER
from companion.core.reports.sections.checkups import ACE, checkups_section
from companion.i18n import N_
from companion.storage.database import Database

__all__ = ["ace_records", "ace_report", "checkup_records", "checkups_records", "checkups_report"]


def checkup_records(db: Database, *, until: datetime | None = None) -> list[CheckupRecord]:
    """Every completed questionnaire, oldest first (up to ``until`` when given)."""
    out = []
    for r in CheckupService(db).responses():
        if until is not None and r.completed_at > until:
            continue
        out.append(CheckupRecord(r.questionnaire_id, r.version, r.completed_at, r.answers, r.id))
    return out


def checkups_report(db: Database, period: Period, now: datetime) -> Section:
    return checkups_section(checkup_records(db, until=now), period)


def ace_report(db: Database, period: Period, now: datetime) -> Section:
    return checkups_section(checkup_records(db, until=now), period, ace=True)


def checkups_records(
    db: Database, period: Period, now: datetime, include_notes: bool
) -> list[object]:
    return [
        r for r in checkup_records(db, until=now) if r.day in period and r.questionnaire_id != ACE
    ]


def ace_records(db: Database, period: Period, now: datetime, include_notes: bool) -> list[object]:
    return [
        r for r in checkup_records(db, until=now) if r.day in period and r.questionnaire_id == ACE
    ]


CHECKUPS_SECTION = ExportSection(
    "checkups",
    N_("Check-ups"),
    ORDER["checkups"],
    checkups_report,
    about=N_("Questionnaire scores with their ranges and change, and every answer."),
    records=checkups_records,
)
ACE_SECTION = ExportSection(
    "ace",
    N_("Childhood experiences (ACE)"),
    ORDER["ace"],
    ace_report,
    about=N_(
        "Your answers to the ACE questionnaire. Left out unless you tick it: they are very "
        "personal, and the count is not meant for decisions about one person."
    ),
    default=False,
    records=ace_records,
)
