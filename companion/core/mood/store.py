"""What the mood diary's services share: the diary and clock they work over, the error for a
thing that is no longer in the diary, and the bookkeeping of tags and trackers.

Tags and trackers are both *named lists* a person keeps: each item has a name unique within its
list (ignoring case and accents), a place in the list, can be archived (hidden from new
check-ins, kept on past ones), and is linked to check-ins (``entry_tags``, ``tracker_values``).
Deleting one removes its links and returns a snapshot; the undo puts it back on the check-ins
that still exist. :class:`NamedList` does that part once for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from companion.core.errors import ValidationError
from companion.core.models import Base
from companion.core.mood.models import MoodEntry, MoodTag, Tracker
from companion.core.mood.vocabulary import fold
from companion.core.timekeeping import utcnow
from companion.i18n import _
from companion.storage.database import Database


class NotFoundError(ValidationError):
    """The thing asked for is not (or no longer) in the diary."""


class MoodStore:
    """A service over one unlocked diary database.

    ``clock`` returns the current time (aware); tests pass a fixed one.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock


R = TypeVar("R", MoodTag, Tracker)


class NamedList(Generic[R]):
    """The rows of one named list (``model``) and their links to check-ins (``link``, whose
    ``link_key`` column holds the row's id). ``missing`` and ``present`` are the sentences for
    a row that is gone, and for an undo of a row that is already back (translated when said).
    """

    def __init__(
        self,
        model: type[R],
        link: type[Base],
        link_key: InstrumentedAttribute[str],
        *,
        missing: str,
        present: str,
    ) -> None:
        self.model: type[R] = model
        self.link = link
        self.link_key = link_key
        self._missing = missing
        self._present = present

    def row(self, session: Session, row_id: str) -> R:
        found: R | None = session.get(self.model, row_id)
        if found is None:
            raise NotFoundError(_(self._missing))
        return found

    def set_archived(self, session: Session, row_id: str, archived: bool) -> R:
        found = self.row(session, row_id)
        found.archived = bool(archived)
        session.flush()
        return found

    def usage(self, session: Session, row_id: str) -> int:
        """How many check-ins are linked to the row."""
        return int(session.scalar(select(func.count()).where(self.link_key == row_id)) or 0)

    def usages(self, session: Session) -> dict[str, int]:
        """How many check-ins are linked to each row that has any (one query for a list)."""
        found = session.execute(select(self.link_key, func.count()).group_by(self.link_key))
        return {str(row_id): int(count) for row_id, count in found.all()}

    def next_position(self, session: Session, *where: Any) -> int:
        """The place after the last one (within ``where``)."""
        last = session.scalar(select(func.max(self.model.position)).where(*where))
        return int(last or 0) + 1

    def check_absent(self, session: Session, row_id: str) -> None:
        """Before an undo of a delete: the row must not be back already."""
        if session.get(self.model, row_id) is not None:
            raise ValidationError(_(self._present))

    def relink(self, session: Session, links: Iterable[Mapping[str, object]]) -> None:
        """Put back the links (``entry_id`` + the link's other columns) whose check-in still
        exists; links to check-ins deleted in the meantime are left off."""
        wanted = list(links)
        entry_ids = [str(link["entry_id"]) for link in wanted]
        existing = set(session.scalars(select(MoodEntry.id).where(MoodEntry.id.in_(entry_ids))))
        rows = [dict(link) for link in wanted if link["entry_id"] in existing]
        if rows:
            session.execute(insert(self.link), rows)


def name_taken(names: Iterable[tuple[str, str]], name: str, *, except_id: str | None) -> str | None:
    """The name, among ``(id, name)`` pairs, that ``name`` would repeat (ignoring case and
    accents), or None when it is free."""
    wanted = fold(name)
    for other_id, other in names:
        if other_id != except_id and fold(other) == wanted:
            return other
    return None
