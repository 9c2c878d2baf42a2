"""Check-ups' tables: completed questionnaires with their raw answers, and unfinished drafts.

Only raw answers are stored, never a total: every result is worked out again from them
(:mod:`companion.core.checkups.scoring`), so a result can never disagree with its answers. Each
response carries the questionnaire's id and version (answers given to an older wording are kept
but not scored as the new one) and the moment it was completed, in UTC with the person's UTC
offset then. A response whose answers were changed afterwards (only the ACE allows that: it is
about childhood, not the last two weeks) records when, in ``edited_at``.

A draft is a questionnaire being answered: one per questionnaire, saved after every answer, so
it survives lock, quit and a crash. ``response_id`` names the completed response it changes,
when it is an edit.

The CHECK constraints are defence in depth: the service validates every answer against the
questionnaire, and an imported file that bypasses it still cannot store a value no questionnaire
uses; answers that fit no question are kept and marked "not scored", never mis-scored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.models.base import Base, Key, Timestamped, UTCDateTime

#: where a draft was left: the introduction, a question, or the review before the result
DRAFT_VIEWS = ("intro", "question", "review")
_ID_CHECK = "length({column}) BETWEEN 1 AND 32"
_OFFSET_CHECK = "{column} BETWEEN -1080 AND 1080"


class CheckupResponse(Timestamped, Base):
    """A completed questionnaire (its answers are :class:`CheckupAnswer` rows)."""

    __tablename__ = "checkup_responses"
    __table_args__ = (
        CheckConstraint(_ID_CHECK.format(column="questionnaire_id"), name="questionnaire_length"),
        CheckConstraint("version BETWEEN 1 AND 1000", name="version_range"),
        CheckConstraint(_OFFSET_CHECK.format(column="utc_offset_minutes"), name="offset_range"),
        CheckConstraint(
            "edited_offset_minutes IS NULL OR "
            + _OFFSET_CHECK.format(column="edited_offset_minutes"),
            name="edited_offset_range",
        ),
        CheckConstraint(
            "(edited_at IS NULL) = (edited_offset_minutes IS NULL)", name="edited_pair"
        ),
        {"info": {"export_time_column": "completed_at"}},
    )

    #: the questionnaire's file name: phq9, gad7, pcl5, ace, who5
    questionnaire_id: Mapped[str] = mapped_column(String(32), index=True)
    #: the questionnaire's version the answers were given to
    version: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    #: when the answers were changed after completion (ACE only), and the offset then
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edited_offset_minutes: Mapped[int | None] = mapped_column(Integer)


class CheckupAnswer(Timestamped, Base):
    """One question's answer in a completed questionnaire (NULL: left out)."""

    __tablename__ = "checkup_answers"
    __table_args__ = (
        UniqueConstraint("response_id", "item_id"),
        CheckConstraint(_ID_CHECK.format(column="item_id"), name="item_length"),
        CheckConstraint("value IS NULL OR value BETWEEN 0 AND 100", name="value_range"),
    )

    response_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("checkup_responses.id", ondelete="CASCADE"), index=True
    )
    #: the question's id in the questionnaire file ("1"… "9", "difficulty")
    item_id: Mapped[str] = mapped_column(String(32))
    value: Mapped[int | None] = mapped_column(Integer)


class CheckupDraft(Timestamped, Base):
    """A questionnaire being answered, saved as it goes (one per questionnaire)."""

    __tablename__ = "checkup_drafts"
    __table_args__ = (
        UniqueConstraint("questionnaire_id"),
        CheckConstraint(_ID_CHECK.format(column="questionnaire_id"), name="questionnaire_length"),
        CheckConstraint("version BETWEEN 1 AND 1000", name="version_range"),
        CheckConstraint(_OFFSET_CHECK.format(column="utc_offset_minutes"), name="offset_range"),
        CheckConstraint("position BETWEEN 0 AND 1000", name="position_range"),
        CheckConstraint(
            "view IN (" + ", ".join(f"'{v}'" for v in DRAFT_VIEWS) + ")", name="view_valid"
        ),
        {"info": {"export_time_column": "started_at"}},
    )

    questionnaire_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    #: question id → value (or null); read back through the questionnaire, never trusted
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    view: Mapped[str] = mapped_column(String(10), default="question")
    #: the completed response this draft changes (an ACE being edited), if any
    response_id: Mapped[str | None] = mapped_column(
        Key(), ForeignKey("checkup_responses.id", ondelete="CASCADE")
    )
