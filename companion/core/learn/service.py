"""The Learn pages' own data: which pages were marked as read, and the reader's text size.

The pages themselves are bundled content (``companion.content.articles``); only what the person
did with them lives in the vault. Marking a page read twice keeps the first date; unmarking is a
real delete. The row id is derived from the slug, so importing another diary's reads merges them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import delete, select

from companion.content import is_slug
from companion.core.errors import ValidationError
from companion.core.learn.models import ArticleRead
from companion.core.settings import Option, SettingsService
from companion.core.timekeeping import local_date, local_now, offset_minutes
from companion.i18n import N_, _
from companion.storage.database import Database

_NAMESPACE: Final = uuid.UUID("0c7c3d0e-7a57-4f0b-9d0f-3c1e1c6a0b55")

MIN_TEXT_STEP: Final = -2
MAX_TEXT_STEP: Final = 6


def _text_step(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("The text size must be a whole number of steps."))
    return max(MIN_TEXT_STEP, min(MAX_TEXT_STEP, value))


#: the reader's text size, in steps of 10 % around the app's own size
TEXT_STEP: Final = Option("learn.text_step", 0, N_("Reading text size"), _text_step)


def read_id(slug: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"read:{slug}"))


@dataclass(frozen=True)
class ReadMark:
    slug: str
    read_at: datetime
    utc_offset_minutes: int

    @property
    def local_date(self) -> date:
        return local_date(self.read_at, self.utc_offset_minutes)


class LearnService:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._clock = clock or local_now

    def reads(self) -> dict[str, ReadMark]:
        with self._db.sessions() as session:
            rows = session.scalars(select(ArticleRead)).all()
            return {r.slug: ReadMark(r.slug, r.read_at, r.utc_offset_minutes) for r in rows}

    def is_read(self, slug: str) -> bool:
        return slug in self.reads()

    def mark_read(self, slug: str, read: bool = True) -> bool:
        """Mark (or unmark) a page as read; returns ``read``. Marking an already read page
        changes nothing."""
        if not is_slug(slug):
            raise ValidationError(_("That page is not part of Companion."))
        with self._db.session() as session:
            existing = session.scalar(select(ArticleRead).where(ArticleRead.slug == slug))
            if read and existing is None:
                now = self._clock()
                session.add(
                    ArticleRead(
                        id=read_id(slug),
                        slug=slug,
                        read_at=now,
                        utc_offset_minutes=offset_minutes(now),
                    )
                )
            elif not read and existing is not None:
                session.execute(delete(ArticleRead).where(ArticleRead.slug == slug))
        return read

    # -- reader text size -----------------------------------------------------------------

    def text_step(self) -> int:
        return SettingsService(self._db).get(TEXT_STEP)

    def set_text_step(self, step: int) -> int:
        """Remember the reader's text size; out-of-range steps are brought into range."""
        return SettingsService(self._db).set(TEXT_STEP, step)
