"""Homework plans' tables: each plan the person opened, what they decided, and free-text ticks.

A plan keeps its file's text (``text``, as Companion writes it: the same plan, without the
author's comments), read again with the same strict reader whenever it is shown, so what the
person accepted is what the app counts against; its title, author and dates are copied out
for lists. ``state``:

- ``active``: accepted; shown on Today while it runs (and after its last day, finished, until
  the person puts it away or accepts a new plan);
- ``declined``: opened and declined (kept, so opening the same file again says so);
- ``ended``: ended by the person before its last day (``ended_on``);
- ``archived``: finished or ended, and put away: listed under earlier plans.

A tick is the one thing a person marks by hand: a free-text task ("a walk after lunch") done on
a day. Everything else a plan asks is counted from what the app recorded.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.models.base import Base, Key, Timestamped, UTCDateTime

STATES = ("active", "declined", "ended", "archived")


class HomeworkPlan(Timestamped, Base):
    """A homework plan from a therapist, as its file said, and what the person decided."""

    __tablename__ = "homework_plans"
    __table_args__ = (
        CheckConstraint("length(plan_id) = 36", name="plan_id_length"),
        CheckConstraint("length(title) BETWEEN 1 AND 120", name="title_length"),
        CheckConstraint("length(author) BETWEEN 1 AND 80", name="author_length"),
        CheckConstraint("length(text) BETWEEN 1 AND 524288", name="text_length"),
        CheckConstraint("ends >= starts", name="ends_after_start"),
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in STATES) + ")", name="state_valid"
        ),
        CheckConstraint("utc_offset_minutes BETWEEN -1080 AND 1080", name="offset_range"),
        CheckConstraint("ended_on IS NULL OR state IN ('ended', 'archived')", name="ended_state"),
        {"info": {"export_time_column": "decided_at"}},
    )

    #: the plan file's own id: the same plan opened twice is noticed
    plan_id: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    author: Mapped[str] = mapped_column(String(80))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    #: the plan file's text, exactly as opened
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))
    #: when the person accepted or declined it, and their clock's offset then
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    #: the last day it counted, when the person ended it early
    ended_on: Mapped[date | None] = mapped_column(Date)


class HomeworkTick(Timestamped, Base):
    """A free-text task ticked off on a day (task numbers count from 1, as in the plan)."""

    __tablename__ = "homework_ticks"
    __table_args__ = (
        UniqueConstraint("plan_row_id", "task_number", "day"),
        CheckConstraint("task_number BETWEEN 1 AND 20", name="task_number_range"),
    )

    plan_row_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("homework_plans.id", ondelete="CASCADE"), index=True
    )
    task_number: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
