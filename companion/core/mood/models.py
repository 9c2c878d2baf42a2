"""The mood diary's tables: check-ins, tags, custom trackers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.models.base import Base, Key, Timestamped, UTCDateTime

#
# One row per check-in (any number a day). ``occurred_at`` is the moment described, in UTC;
# ``utc_offset_minutes`` is the offset of the person's clock at that moment, so the local time
# ("3 a.m.") survives travel and daylight-saving changes. Ranges are validated by
# ``companion.core.mood.service.MoodService``; the CHECK constraints below are defence in
# depth (they also guard imported files, which bypass the service).


class MoodEntry(Timestamped, Base):
    """A check-in: mood plus optional ratings, sleep, activity, substances and trauma signs."""

    __tablename__ = "mood_entries"
    __table_args__ = (
        CheckConstraint("utc_offset_minutes BETWEEN -1080 AND 1080", name="offset_range"),
        CheckConstraint("mood BETWEEN 0 AND 10", name="mood_range"),
        CheckConstraint("anxiety BETWEEN 0 AND 10", name="anxiety_range"),
        CheckConstraint("energy BETWEEN 0 AND 10", name="energy_range"),
        CheckConstraint("irritability BETWEEN 0 AND 10", name="irritability_range"),
        CheckConstraint("elevated BETWEEN 0 AND 3", name="elevated_range"),
        CheckConstraint("sleep_hours >= 0 AND sleep_hours <= 24", name="sleep_hours_range"),
        CheckConstraint("sleep_quality BETWEEN 1 AND 5", name="sleep_quality_range"),
        CheckConstraint("exercise_minutes BETWEEN 0 AND 1440", name="exercise_range"),
        CheckConstraint("outdoors_minutes BETWEEN 0 AND 1440", name="outdoors_range"),
        CheckConstraint("alcohol_units >= 0 AND alcohol_units <= 100", name="alcohol_range"),
        CheckConstraint("length(note) <= 20000", name="note_length"),
        {"info": {"export_time_column": "occurred_at"}},
    )

    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    mood: Mapped[int] = mapped_column(Integer)
    anxiety: Mapped[int | None] = mapped_column(Integer)
    energy: Mapped[int | None] = mapped_column(Integer)
    irritability: Mapped[int | None] = mapped_column(Integer)
    #: "wired" or unusually up, 0 none … 3 a lot (eMoods' elevated-mood item; revision 0006)
    elevated: Mapped[int | None] = mapped_column(Integer)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    #: 1 very poor … 5 very good (the data dictionary's scale; see mood.SLEEP_QUALITY_ANCHORS)
    sleep_quality: Mapped[int | None] = mapped_column(Integer)
    exercise_minutes: Mapped[int | None] = mapped_column(Integer)
    outdoors_minutes: Mapped[int | None] = mapped_column(Integer)
    #: standard drinks
    alcohol_units: Mapped[float | None] = mapped_column(Float)
    substances_used: Mapped[bool | None] = mapped_column(Boolean)
    substances_detail: Mapped[str | None] = mapped_column(String(200), info={"private_text": True})
    felt_numb: Mapped[bool | None] = mapped_column(Boolean)
    intrusive_memories: Mapped[bool | None] = mapped_column(Boolean)
    strong_reaction: Mapped[bool | None] = mapped_column(Boolean)
    felt_unsafe: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text, info={"private_text": True})


class MoodTag(Timestamped, Base):
    """An activity or trigger the person can attach to check-ins (user-editable)."""

    __tablename__ = "tags"
    __table_args__ = (
        CheckConstraint("kind IN ('activity', 'trigger')", name="kind_valid"),
        CheckConstraint("length(name) BETWEEN 1 AND 40", name="name_length"),
    )

    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class MoodEntryTag(Base):
    """Which tags a check-in carries. The key is the pair, so a link can exist only once and
    re-importing an export never duplicates it; the link lives and dies with its entry and tag.

    ``WITHOUT ROWID`` (revision 0009): the pair is the table's own key, so a link is stored in
    the table and in the tag index only, rather than also in a separate key index (a third of
    a large diary's size went to that copy).
    """

    __tablename__ = "entry_tags"
    __table_args__ = ({"sqlite_with_rowid": False},)

    entry_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("mood_entries.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Tracker(Timestamped, Base):
    """A measure the person defines: a 0–10 scale, yes/no, or a number with unit and bounds."""

    __tablename__ = "trackers"
    __table_args__ = (
        CheckConstraint("kind IN ('scale', 'yes_no', 'number')", name="kind_valid"),
        CheckConstraint("length(name) BETWEEN 1 AND 40", name="name_length"),
        CheckConstraint(
            "kind != 'number' OR (min_value IS NOT NULL AND max_value IS NOT NULL "
            "AND min_value < max_value)",
            name="number_bounds",
        ),
    )

    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str | None] = mapped_column(String(20))
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TrackerValue(Base):
    """One tracker's value on one check-in (yes/no stored as 1.0/0.0); ``WITHOUT ROWID`` like
    :class:`MoodEntryTag`."""

    __tablename__ = "tracker_values"
    __table_args__ = ({"sqlite_with_rowid": False},)

    entry_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("mood_entries.id", ondelete="CASCADE"), primary_key=True
    )
    tracker_id: Mapped[str] = mapped_column(
        Key(), ForeignKey("trackers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[float] = mapped_column(Float)
