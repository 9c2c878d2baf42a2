"""Reminders while the app runs: a registry of sources that say what is due (no Qt here).

The hook for features
---------------------
A feature that wants reminders (a questionnaire that is "due", a homework practice) declares a
*source factory* in its ``register(points)``::

    points.register_reminder_source(
        ReminderSourceDecl("checkups", lambda db: QuestionnairesDue(db))
    )

A source has a ``name`` and two methods: ``due(now)`` returns the reminders whose time has
come (and which are still wanted, e.g. "only if not logged yet"), and ``complete(reminder,
now)`` does the reminder's one action (mark the dose taken; sources with nothing to do can
ignore it). ``now`` is aware, in the person's local zone. Reminder keys must be stable for one
occurrence ("dose:<medicine>:<date>:<time>"), so snoozing and dismissing work across ticks.

:class:`ReminderRegistry` asks every source, drops what was dismissed or is snoozed, and sorts
the rest; ``companion.ui.reminders.ReminderCenter`` shows them as an in-app banner and a system
notification. Text is generic by default ("A scheduled dose is due"); names appear only when
the person opts in (privacy: a notification can be read over a shoulder). Reminder wording is
neutral and never shaming (clinical-reference §3.4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, Protocol

from companion.core.errors import ValidationError
from companion.i18n import _, format_date, format_time
from companion.storage.database import Database

if TYPE_CHECKING:
    from companion.core.extension_points import Registry

#: A reminder stays on offer this long after its time (then it is quietly dropped).
LOOKBACK: Final = timedelta(hours=3)


@dataclass(frozen=True)
class Reminder:
    key: str  # stable for one occurrence
    source: str
    due_at: datetime  # aware
    text: str  # what the banner and the notification say
    link: str | None = None  # a ``companion:`` link the banner can open
    action_label: str | None = None  # e.g. "Taken"; None: the reminder has no action


class ReminderSource(Protocol):
    name: str

    def due(self, now: datetime) -> list[Reminder]: ...

    def complete(self, reminder: Reminder, now: datetime) -> None: ...


class ReminderRegistry:
    """The sources of one open diary, plus what the person snoozed or dismissed this session."""

    def __init__(self, sources: Iterable[ReminderSource] = ()) -> None:
        self._sources: dict[str, ReminderSource] = {}
        self._snoozed: dict[str, datetime] = {}
        self._dismissed: set[str] = set()
        #: source name → the feature whose data its action changes ("" when not known)
        self._features: dict[str, str] = {}
        #: sources that raised on the last ask (counted, never logged: text may be private)
        self.failures = 0
        for source in sources:
            self.register(source)

    @classmethod
    def for_diary(cls, db: Database, registry: Registry | None = None) -> ReminderRegistry:
        """Every feature's sources for this open diary."""
        from companion import features

        points = registry or features.load()
        made = cls()
        for decl in points.reminder_sources():
            source = decl.make(db)
            if source is not None:
                made.register(source, feature=points.reminder_feature(decl.name))
        return made

    def register(self, source: ReminderSource, *, feature: str = "") -> None:
        if source.name in self._sources:
            raise ValueError(f"a reminder source called {source.name!r} is already registered")
        self._sources[source.name] = source
        self._features[source.name] = feature

    def feature_of(self, reminder: Reminder) -> str:
        """The feature whose data the reminder's action changes ("" when not known)."""
        return self._features.get(reminder.source, "")

    def unregister(self, name: str) -> None:
        self._sources.pop(name, None)

    @property
    def source_names(self) -> list[str]:
        return list(self._sources)

    def due(self, now: datetime) -> list[Reminder]:
        """Everything due now, oldest first, without the snoozed and the dismissed."""
        self.failures = 0
        found: list[Reminder] = []
        for name in self._sources:
            found.extend(self.ask(name, now))
        return self.select(found, now)

    def ask(self, name: str, now: datetime) -> list[Reminder]:
        """What one source says is due now, as it says it (``select`` then drops the snoozed
        and the dismissed); nothing from a source that raised (counted in ``failures``).
        ``due`` asks them all at once; a caller may ask one at a time."""
        source = self._sources.get(name)
        if source is None:
            return []
        try:
            return list(source.due(now))
        except Exception:  # one broken source must not silence the others
            self.failures += 1
            return []

    def select(self, found: Iterable[Reminder], now: datetime) -> list[Reminder]:
        """``found`` (what the sources said) without the snoozed and the dismissed, oldest
        first."""
        self._snoozed = {k: until for k, until in self._snoozed.items() if until > now}
        out = [r for r in found if r.key not in self._dismissed and r.key not in self._snoozed]
        out.sort(key=lambda r: (r.due_at, r.key))
        return out

    def snooze(self, reminder: Reminder, until: datetime) -> None:
        self._snoozed[reminder.key] = until

    def dismiss(self, reminder: Reminder) -> None:
        self._dismissed.add(reminder.key)

    def complete(self, reminder: Reminder, now: datetime) -> None:
        """Do the reminder's action (e.g. mark the dose taken), then stop showing it."""
        source = self._sources.get(reminder.source)
        if source is None:
            raise ValidationError(_("That reminder is no longer available."))
        source.complete(reminder, now)
        self._dismissed.add(reminder.key)


def describe_due(reminder: Reminder, now: datetime) -> str:
    """ "Due at 08:00", or "Due at 23:30 on Monday 1 June 2026" when not today."""
    time = format_time(reminder.due_at)
    if reminder.due_at.date() != now.date():
        return _("Due at {time} on {date}").format(
            time=time, date=format_date(reminder.due_at.date(), "full")
        )
    return _("Due at {time}").format(time=time)
