"""The "Getting started" list on Today: the steps a newcomer may want to take, and which of them
the person has put aside (stored in the diary's settings, so it travels with the diary).

A step leaves the list when it is done (each is checked where its data lives: the country for
Get help now, the safety plan, the medicines, the check-in reminder times) or when the person
skips it. An import of an old diary leaves no mark of its own, so finishing one puts that step
aside here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from sqlalchemy.orm import Session

from companion.core.errors import ValidationError
from companion.core.settings import Option, SettingsService, write
from companion.i18n import N_, _
from companion.storage.database import Database

#: the steps, in the order they are offered
STEPS: Final = ("country", "safety", "medicines", "reminder", "import")


def _steps(value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("The getting-started steps must be a list of names."))
    unknown = [v for v in value if v not in STEPS]
    if unknown:
        raise ValidationError(_("“{name}” is not a getting-started step.").format(name=unknown[0]))
    return [step for step in STEPS if step in value]


#: the steps the person skipped (or finished where nothing else records it, an import)
PUT_ASIDE: Final[Option[list[str]]] = Option(
    "today.getting_started_put_aside", [], N_("Getting started steps put aside"), _steps
)


class GettingStarted:
    """Which steps the person put aside; the UI asks each feature whether its step is done."""

    def __init__(self, db: Database) -> None:
        self._settings = SettingsService(db)

    def put_aside(self) -> list[str]:
        return self._settings.get(PUT_ASIDE)

    def put_aside_steps(self, steps: Iterable[str]) -> list[str]:
        """Put these steps aside too (unknown names raise ValidationError, nothing changes)."""
        return self._settings.set(PUT_ASIDE, [*self.put_aside(), *steps])


def fill_demo(session: Session, _period: object) -> None:
    """A demo diary with history belongs to someone past their first days: no list."""
    write(session, PUT_ASIDE, list(STEPS))
