"""What was shared: one row for every export the person made, from the Reports page or the
command line (when, which days, which sections, which format, whether their notes were in it).

It is for the person's own memory ("what did I give Dr Rivera in March?") and never leaves the
vault: the table is marked ``portable: False``, so not even the JSON export carries it. A
record of who was given what is itself sensitive, and it means nothing outside this diary; the
vault file and its backups keep it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.models.base import Base, Timestamped, UTCDateTime

FORMATS = ("pdf", "csv", "json", "fhir")
SOURCES = ("app", "cli")


class SharedExport(Timestamped, Base):
    """One export the person made."""

    __tablename__ = "shared_exports"
    __table_args__ = (
        CheckConstraint(
            "format IN (" + ", ".join(f"'{f}'" for f in FORMATS) + ")", name="format_valid"
        ),
        CheckConstraint("via IN (" + ", ".join(f"'{s}'" for s in SOURCES) + ")", name="via_valid"),
        CheckConstraint("utc_offset_minutes BETWEEN -1080 AND 1080", name="offset_range"),
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_end >= period_start",
            name="period_order",
        ),
        CheckConstraint("length(file_name) <= 255", name="file_name_length"),
        CheckConstraint("length(shared_with) <= 80", name="shared_with_length"),
        {"info": {"portable": False}},
    )

    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(8))
    #: the local days exported (both None: the whole diary, JSON only)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    #: the section ids included, in order (empty for JSON: everything)
    sections: Mapped[list[Any]] = mapped_column(JSON)
    includes_notes: Mapped[bool] = mapped_column(Boolean)
    #: a PDF protected with a password
    protected: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the file's name (not its folder)
    file_name: Mapped[str | None] = mapped_column(String(255))
    #: who it was for, if the person said (kept only here)
    shared_with: Mapped[str | None] = mapped_column(String(80))
    via: Mapped[str] = mapped_column(String(8), default="app")
