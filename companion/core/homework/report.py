"""Homework's part of the clinician summary: each plan that ran during the period, task by
task, with what was done so far (``companion.core.reports.sections.homework``)."""

from __future__ import annotations

from datetime import datetime

from companion.core.homework.progress import PlanProgress
from companion.core.homework.service import HomeworkService
from companion.core.reports.model import Period, Section
from companion.core.reports.sections.homework import homework_section
from companion.storage.database import Database

__all__ = ["homework_report", "plan_progress"]


def plan_progress(db: Database, now: datetime) -> list[PlanProgress]:
    """Every plan the person accepted (running, finished, ended or put away), as of ``now``."""
    service = HomeworkService(db, clock=lambda: now)
    out = []
    for info in service.plans(("active", "ended", "archived")):
        found = service.progress(info, now.date())
        if found is not None:
            out.append(found)
    return sorted(out, key=lambda p: (p.plan.starts, p.plan.title))


def homework_report(db: Database, period: Period, now: datetime) -> Section:
    return homework_section(plan_progress(db, now), period)
