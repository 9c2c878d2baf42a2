"""Demo homework for ``companion demo``: a four-week plan from a therapist, accepted and in its
third week, with a walk ticked off on about half the days.

Everything else the plan asks (check-ins, five-senses practice, two Learn pages, a PHQ-9 every
two weeks) is counted from what the other features' demo data logged, as it would be for a
real person, so the Today card and the summary show honest, uneven progress. Runs after them.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from companion.core import demo
from companion.core.homework.models import HomeworkPlan, HomeworkTick
from companion.core.homework.plan import (
    CheckInTask,
    ExerciseTask,
    FreeTextTask,
    Plan,
    QuestionnaireTask,
    ReadTask,
    plan_to_toml,
)

__all__ = ["DEMO_PLAN_ID", "demo_plan", "homework"]

DEMO_PLAN_ID: Final = "0b9f6c1e-5a5e-4d8e-9a55-2f1f0c3b7d21"
#: the plan began this many days before the last demo day (its third week)
STARTED_DAYS_BEFORE: Final = 17
#: the free-text task's number in the plan (a walk), ticked on about this share of days
WALK_TASK: Final = 5
WALK_SHARE: Final = 0.5


def demo_plan(starts: date) -> Plan:
    """The therapist's plan of the demo (and of the summary tests)."""
    return Plan(
        id=DEMO_PLAN_ID,
        title="Between our sessions",
        author="Sam Rivera (your therapist)",
        starts=starts,
        ends=starts + timedelta(days=27),
        message="Small steps count. Bring the summary to our next session.",
        tasks=(
            CheckInTask(times=2, per="day"),
            ExerciseTask(exercise="five-senses", times=3, per="week"),
            ReadTask(pages=("what-is-trd", "grounding-and-self-soothing")),
            QuestionnaireTask(questionnaire="phq9", every_weeks=2),
            FreeTextTask(text="A ten-minute walk outside", times=3, per="week"),
        ),
    )


def homework(session: Session, period: demo.DemoPeriod) -> None:
    """The plan, accepted on its first evening, and the walks ticked so far."""
    if session.scalar(select(HomeworkPlan).where(HomeworkPlan.plan_id == DEMO_PLAN_ID)):
        return
    rng = random.Random(f"homework:{period.start.isoformat()}:{period.days}")
    starts = max(period.start, period.end - timedelta(days=STARTED_DAYS_BEFORE))
    plan = demo_plan(starts)
    accepted = datetime.combine(starts, time(17, 40), tzinfo=UTC)
    row = HomeworkPlan(
        plan_id=plan.id,
        title=plan.title,
        author=plan.author,
        starts=plan.starts,
        ends=plan.ends,
        text=plan_to_toml(plan),
        state="active",
        decided_at=accepted,
        utc_offset_minutes=60,
        created_at=accepted,
        updated_at=accepted,
    )
    session.add(row)
    session.flush()
    day = starts
    while day <= period.end:
        if rng.random() < WALK_SHARE:
            moment = datetime.combine(day, time(19, rng.randint(0, 59)), tzinfo=UTC)
            session.add(
                HomeworkTick(
                    plan_row_id=row.id,
                    task_number=WALK_TASK,
                    day=day,
                    created_at=moment,
                    updated_at=moment,
                )
            )
        day += timedelta(days=1)
