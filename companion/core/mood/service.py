"""The mood diary service the UI and the command line call: check-ins, tags and trackers.

:class:`MoodService` is the three parts in one object over one diary database:
check-ins and their history (``entries.py``), tags (``tags.py``) and custom trackers
(``trackers.py``); the words and limits they share are in ``vocabulary.py``. It validates input
and raises :class:`~companion.core.errors.ValidationError` with one sentence meant for the
person; bad input never reaches the database. It returns frozen dataclasses, never ORM objects.

The value types of its methods are importable from here too, so a caller needs one import.
"""

from __future__ import annotations

from companion.core.mood.entries import (
    CheckIn,
    DailyPoint,
    DayCount,
    DayGroup,
    Entry,
    EntryService,
)
from companion.core.mood.store import NotFoundError
from companion.core.mood.tags import TagInfo, TagService, TagSnapshot
from companion.core.mood.trackers import TrackerInfo, TrackerService, TrackerSnapshot
from companion.core.mood.vocabulary import TagKind, TrackerKind

__all__ = [
    "CheckIn",
    "DailyPoint",
    "DayCount",
    "DayGroup",
    "Entry",
    "MoodService",
    "NotFoundError",
    "TagInfo",
    "TagKind",
    "TagSnapshot",
    "TrackerInfo",
    "TrackerKind",
    "TrackerSnapshot",
]


class MoodService(EntryService, TagService, TrackerService):
    """Check-ins, history, tags and trackers over one unlocked diary database.

    ``MoodService(db, clock=...)``: ``clock`` returns the current time (aware); tests pass a
    fixed one.
    """

    def open_sections(self) -> list[str]:
        """The check-in form's sections that start open (``preferences.SECTIONS``)."""
        from companion.core.mood.preferences import OPEN_SECTIONS
        from companion.core.settings import SettingsService

        return SettingsService(self._db).get(OPEN_SECTIONS)

    def set_open_sections(self, keys: list[str]) -> list[str]:
        from companion.core.mood.preferences import OPEN_SECTIONS
        from companion.core.settings import SettingsService

        return SettingsService(self._db).set(OPEN_SECTIONS, keys)
