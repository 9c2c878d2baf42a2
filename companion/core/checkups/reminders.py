"""The in-app reminder when a check-up is due: one calm line for all of them, never a name.

It appears from the morning of the due day and stays on offer while a check-up is due (the
person may dismiss it for the session, or turn it off on the check-ups page). The words never
say which questionnaire (a notification can be read over a shoulder, and "PHQ-9" says more
than "check-up"), and never scold.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Final

from companion.core.checkups.service import CheckupService
from companion.core.reminders import Reminder
from companion.i18n import ngettext
from companion.storage.database import Database

LINK: Final = "companion:tool/checkups"
#: a due check-up is offered from this time of the person's day
FROM: Final = time(9, 0)


class CheckupReminders:
    name = "checkups"

    def __init__(self, db: Database) -> None:
        self._service = CheckupService(db)

    def due(self, now: datetime) -> list[Reminder]:
        if not self._service.reminders_on():
            return []
        waiting = self._service.due_now(now=now)
        if not waiting:
            return []
        first = min(s.due.due_on or now.date() for s in waiting)
        at = datetime.combine(first, FROM, tzinfo=now.tzinfo)
        if at > now:
            return []
        text = ngettext(
            "A check-up is due, whenever you have a few quiet minutes",
            "{count} check-ups are due, whenever you have a few quiet minutes",
            len(waiting),
        ).format(count=len(waiting))
        return [
            Reminder(
                key=f"checkups:{first.isoformat()}:{len(waiting)}",
                source=self.name,
                due_at=at,
                text=text,
                link=LINK,
            )
        ]

    def complete(self, reminder: Reminder, now: datetime) -> None:
        """Nothing to do: a check-up is taken on its page."""
