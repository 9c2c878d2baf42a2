"""The safety plan's tables: one plan, and the items of each step.

The steps follow the published components of safety planning (clinical-reference §5.1) in our
own wording. Names, numbers and words the person wrote are private text: an export leaves them
out unless the person asks for notes to be included. ``text`` may be NULL only in such an export
imported back; the service never writes NULL and does not show those rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.models.base import Base, Key, Timestamped, UTCDateTime

#: step keys, in the order the plan is used (kept in step with companion.core.safety.service.STEPS)
STEP_KEYS = (
    "warning_signs",
    "coping_alone",
    "distractions",
    "people",
    "professionals",
    "safer_surroundings",
    "reasons",
)
_STEP_SQL = ", ".join(f"'{key}'" for key in STEP_KEYS)


class SafetyPlan(Timestamped, Base):
    """The plan itself (one per diary, with a fixed id): when it was last reviewed."""

    __tablename__ = "safety_plans"
    __table_args__ = (
        CheckConstraint(
            "reviewed_offset_minutes IS NULL OR reviewed_offset_minutes BETWEEN -1080 AND 1080",
            name="offset_range",
        ),
        CheckConstraint(
            "(reviewed_at IS NULL) = (reviewed_offset_minutes IS NULL)", name="reviewed_pair"
        ),
    )

    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_offset_minutes: Mapped[int | None] = mapped_column(Integer)


class SafetyPlanItem(Timestamped, Base):
    """One line of one step: a warning sign, a person with a number, a reason…"""

    __tablename__ = "safety_plan_items"
    __table_args__ = (
        CheckConstraint(f"step IN ({_STEP_SQL})", name="step_valid"),
        CheckConstraint("text IS NULL OR length(text) BETWEEN 1 AND 2000", name="text_length"),
        CheckConstraint("phone IS NULL OR length(phone) BETWEEN 1 AND 40", name="phone_length"),
        CheckConstraint("position BETWEEN 0 AND 10000", name="position_range"),
    )

    plan_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("safety_plans.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str | None] = mapped_column(Text, info={"private_text": True})
    phone: Mapped[str | None] = mapped_column(String(40), info={"private_text": True})
