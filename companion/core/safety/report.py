"""The safety plan's part of the summary: shared only when the person ticks it (its words are
theirs, and its contacts are other people's numbers)."""

from __future__ import annotations

from datetime import datetime

from companion.core.extension_points import ExportSection
from companion.core.reports.model import Period, Section
from companion.core.reports.records import SafetyPlanRecord, SafetyStep
from companion.core.reports.sections import ORDER
from companion.core.reports.sections.personal import safety_plan_section
from companion.core.safety.service import STEPS, SafetyService
from companion.i18n import N_, _
from companion.storage.database import Database

__all__ = ["safety_plan_record", "safety_report"]


def safety_plan_record(db: Database) -> SafetyPlanRecord:
    plan = SafetyService(db).plan()
    steps = []
    for step in STEPS:
        items = tuple(
            _("{text} — {phone}").format(text=item.text, phone=item.phone)
            if item.phone
            else item.text
            for item in plan.for_step(step.key)
        )
        steps.append(SafetyStep(step.number, step.title, items))
    return SafetyPlanRecord(tuple(steps), plan.reviewed_on)


def safety_report(db: Database, period: Period, now: datetime) -> Section:
    return safety_plan_section(safety_plan_record(db))


SAFETY_SECTION = ExportSection(
    "safety-plan",
    N_("Safety plan"),
    ORDER["safety-plan"],
    safety_report,
    about=N_("Your safety plan, step by step. Left out unless you tick it."),
    default=False,
)
