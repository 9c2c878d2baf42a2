"""The Learn pages' table: which bundled pages the person has marked as read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from companion.core.models.base import Base, Timestamped, UTCDateTime


class ArticleRead(Timestamped, Base):
    """One row per page marked as read; unmarking deletes it.

    The id is derived from the slug (``companion.core.learn.service.read_id``), so two diaries that
    both marked a page share the row and an import never duplicates it.
    """

    __tablename__ = "articles_read"
    __table_args__ = (
        CheckConstraint("length(slug) BETWEEN 1 AND 64", name="slug_length"),
        CheckConstraint("utc_offset_minutes BETWEEN -1080 AND 1080", name="offset_range"),
        {"info": {"export_time_column": "read_at"}},
    )

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)
