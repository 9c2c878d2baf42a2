"""Grounding exercises: practice sessions, the person's own exercises, and favourites."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.models.base import Base, Timestamped, UTCDateTime

# Ranges are validated by ``companion.core.exercises.service.ExerciseService``; the CHECK
# constraints are defence in depth (they also guard JSON imports, which bypass the service).


class PracticeSession(Timestamped, Base):
    """One time the person opened an exercise, saved when it starts and updated as it goes.

    ``ended_at`` is the last moment the session was seen (every step moves it on), so a
    session cut short by closing the window or locking still has an honest length, and stays
    ``completed = false``. ``steps_reached`` is the furthest step shown (1-based).
    """

    __tablename__ = "exercise_sessions"
    __table_args__ = (
        CheckConstraint("utc_offset_minutes BETWEEN -1080 AND 1080", name="offset_range"),
        CheckConstraint("length(exercise_id) BETWEEN 1 AND 64", name="exercise_id_length"),
        CheckConstraint("length(variant) BETWEEN 1 AND 40", name="variant_length"),
        CheckConstraint("ended_at >= started_at", name="ends_after_start"),
        CheckConstraint("steps_total BETWEEN 1 AND 100", name="steps_total_range"),
        CheckConstraint("steps_reached BETWEEN 0 AND steps_total", name="steps_reached_range"),
        CheckConstraint("distress_before BETWEEN 0 AND 10", name="distress_before_range"),
        CheckConstraint("distress_after BETWEEN 0 AND 10", name="distress_after_range"),
        CheckConstraint("breaths_per_minute >= 2 AND breaths_per_minute <= 20", name="pace_range"),
        CheckConstraint("length(note) <= 20000", name="note_length"),
        {"info": {"export_time_column": "started_at"}},
    )

    #: a bundled exercise's id, or the id inside one of the person's own exercises
    exercise_id: Mapped[str] = mapped_column(String(64), index=True)
    custom: Mapped[bool] = mapped_column(Boolean, default=False)
    variant: Mapped[str] = mapped_column(String(40), default="default")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    steps_reached: Mapped[int] = mapped_column(Integer, default=1)
    steps_total: Mapped[int] = mapped_column(Integer)
    #: 0 = completely calm … 10 = the worst distress imaginable; None = not rated
    distress_before: Mapped[int | None] = mapped_column(Integer)
    distress_after: Mapped[int | None] = mapped_column(Integer)
    #: the breathing pace used, for exercises with a pacer
    breaths_per_minute: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text, info={"private_text": True})


class CustomExercise(Timestamped, Base):
    """An exercise the person or their therapist wrote, kept as its TOML text.

    The text is the same schema as the bundled files and is validated by ``parse_exercise``
    before it is stored; ``slug`` is the id inside it, unique and never a bundled id.
    """

    __tablename__ = "custom_exercises"
    __table_args__ = (
        CheckConstraint("length(slug) BETWEEN 1 AND 64", name="slug_length"),
        CheckConstraint("length(toml) BETWEEN 1 AND 262144", name="toml_length"),
    )

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    toml: Mapped[str] = mapped_column(Text)


class FavouriteExercise(Timestamped, Base):
    """A favourite; the one at the lowest position is what "Ground me now" starts."""

    __tablename__ = "exercise_favourites"
    __table_args__ = (
        CheckConstraint("length(exercise_id) BETWEEN 1 AND 64", name="exercise_id_length"),
    )

    exercise_id: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
