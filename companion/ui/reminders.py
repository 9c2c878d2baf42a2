"""Reminders in the running app: an in-app banner, and a system notification where a tray
exists (``QSystemTrayIcon.isSystemTrayAvailable()``).

:class:`ReminderCenter` asks the reminder registry (``companion.core.reminders``, where features
register their sources) what is due every half minute, on a clock that tests replace. The first
reminder due is shown in :class:`ReminderBanner` with Taken (when the reminder has an action),
Snooze and Dismiss; "and 2 more" says when others wait. A system notification is shown once per
reminder (again after a snooze), through the app's tray icon (``ui/tray.py``). Its words are
always generic ("A reminder is waiting."): a notification can be read over a shoulder or on a
locked screen, so the banner (in the window) is the only place a reminder's own words appear.
Nothing is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSystemTrayIcon,
    QWidget,
)

from companion.core.medications.service import MedicationService
from companion.core.reminders import Reminder, ReminderRegistry, describe_due
from companion.core.timekeeping import local_now
from companion.i18n import _, ngettext
from companion.ui.changes import EVERYTHING
from companion.ui.identity import app_icon
from companion.ui.operations import Operations
from companion.ui.timers import after, after_paint
from companion.ui.tray import REMINDER_TITLE, reminder_text
from companion.ui.widgets.common import IconLabel, icon, label, link_button
from companion.ui.widgets.flow import FlowLayout

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

#: how often the registry is asked (a dose is at most this late on the banner)
CHECK_MS = 30_000
#: after unlocking, the first look waits while the rest of Today is being built, looking again
#: this often, at most this many times
FIRST_CHECK_RETRY_MS = 100
FIRST_CHECK_WAITS = 20

Notifier = Callable[[str, str], None]  # (title, text)

#: the banner's words keep room for about this many characters beside its buttons; with less,
#: the buttons go under the words
WORDS_ROOM = 28


class ReminderBanner(QFrame):
    """A calm strip above the page: what is due, and Taken / Snooze / Dismiss."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        self.setAccessibleName(_("Reminder"))
        # the words and the buttons side by side, or the buttons under the words when the
        # window is too narrow for both (large text: ``_fit``); the buttons wrap if they must
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.setContentsMargins(16, 10, 12, 10)
        self.row.setSpacing(10)
        words = QHBoxLayout()
        words.setSpacing(10)
        bell = IconLabel("mdi6.bell-outline")
        bell.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        words.addWidget(bell)
        self.text = label("")
        self.text.setAccessibleName(_("Reminder text"))
        words.addWidget(self.text, 1)
        self.row.addLayout(words, 1)
        self.buttons = QWidget()
        flow = self._flow = FlowLayout(self.buttons, spacing=10, one_line_hint=True)
        self.open_button = link_button(_("Open"))
        flow.addWidget(self.open_button)
        self.taken_button = QPushButton(icon("mdi6.check"), _("Taken"))
        self.taken_button.setObjectName("Primary")
        self.taken_button.setAccessibleName(_("Taken: mark this dose as taken now"))
        flow.addWidget(self.taken_button)
        self.snooze_button = QPushButton(icon("mdi6.alarm-snooze"), _("Snooze"))
        self.snooze_button.setAccessibleName(_("Snooze this reminder"))
        flow.addWidget(self.snooze_button)
        self.dismiss_button = QPushButton(icon("mdi6.close"), _("Dismiss"))
        self.dismiss_button.setAccessibleName(_("Dismiss this reminder"))
        flow.addWidget(self.dismiss_button)
        self.row.addWidget(self.buttons)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        self.hide()

    def show_reminder(self, reminder: Reminder, waiting: int, now: datetime, snooze: int) -> None:
        text = _("<b>{reminder}</b> · {due}").format(
            reminder=_escape(reminder.text), due=describe_due(reminder, now)
        )
        if waiting:
            text = ngettext(
                "{reminder} · and {count} more", "{reminder} · and {count} more", waiting
            ).format(reminder=text, count=waiting)
        self.text.setText(text)
        self.taken_button.setText(reminder.action_label or _("Done"))
        self.taken_button.setVisible(reminder.action_label is not None)
        snooze_text = ngettext("Snooze {minutes} min", "Snooze {minutes} min", snooze).format(
            minutes=snooze
        )
        self.snooze_button.setText(snooze_text)
        # what a screen reader says starts with what is on the button (speech input finds it
        # by those words)
        self.snooze_button.setAccessibleName(
            ngettext(
                "{label}: remind me again in {minutes} minute",
                "{label}: remind me again in {minutes} minutes",
                snooze,
            ).format(label=snooze_text, minutes=snooze)
        )
        self.open_button.setVisible(reminder.link is not None)
        self._flow.invalidate()  # (other buttons shown: another width on one line)
        self._fit()
        self.show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # fitted in the next turn, not now: a theme or text size applied sends this to
            # every widget while Qt restyles the whole tree, and a layout changed in the
            # middle of that crashed the process (IconLabel once did the same with a pixmap)
            self._refit.start()

    def _fit(self) -> None:
        """The buttons beside the words while both fit (the words keep room for about
        :data:`WORDS_ROOM` characters), else under them."""
        margins = self.row.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        words = self.text.fontMetrics().averageCharWidth() * WORDS_ROOM
        needs = words + self.row.spacing() + self.buttons.sizeHint().width()
        direction = (
            QBoxLayout.Direction.LeftToRight if room >= needs else QBoxLayout.Direction.TopToBottom
        )
        if self.row.direction() != direction:
            self.row.setDirection(direction)


class TrayNotifier:
    """System notifications through the app's tray icon; without one (a window made outside
    the app, e.g. in tests), through an icon of its own, created only where a tray exists."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._parent = parent
        self._tray: QSystemTrayIcon | None = None

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def __call__(self, title: str, text: str) -> None:
        if not self.available():
            return
        from companion.ui import tray

        shared = tray.current()
        if shared is not None:
            shared.notify(title, text)
            return
        if self._tray is None:
            self._tray = QSystemTrayIcon(app_icon(), self._parent)
            self._tray.setToolTip("Companion")
            self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()
            self._tray.deleteLater()
            self._tray = None


class ReminderCenter(QObject):
    """Keeps the banner in step with what is due; acts on the banner's buttons.

    A reminder's action (Taken) changes the diary through ``operations``, like any page: a
    problem is said on the banner, and the change is announced to the feature it concerns.
    """

    #: a reminder's action changed the diary (e.g. a dose was marked taken)
    acted = Signal()
    #: the person asked to open what a reminder is about (a ``companion:`` link)
    open_link = Signal(str)

    def __init__(
        self,
        diary: OpenDiary,
        banner: ReminderBanner,
        operations: Operations,
        *,
        clock: Callable[[], datetime] = local_now,
        registry: ReminderRegistry | None = None,
        notifier: Notifier | None = None,
        interval_ms: int = CHECK_MS,
        after_first_paint: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.diary = diary
        self.banner = banner
        self.ops = operations
        self.clock = clock
        self.registry = registry or diary.service(ReminderRegistry.for_diary)
        self._tray = TrayNotifier(self) if notifier is None else None
        self.notify: Notifier = notifier or self._tray  # type: ignore[assignment]
        self.current: Reminder | None = None
        self._notified: set[str] = set()
        self._stopped = False
        self._first_waits = 0
        self._first_steps: QObject | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        banner.taken_button.clicked.connect(self.complete)
        banner.snooze_button.clicked.connect(self.snooze)
        banner.dismiss_button.clicked.connect(self.dismiss)
        banner.open_button.clicked.connect(self._open)
        self.timer.start()
        if after_first_paint:  # unlocking: Today on screen first, then the first look
            after_paint(banner.window(), self._first_check)
        else:
            QTimer.singleShot(0, self.check)

    def _snooze_minutes(self) -> int:
        try:
            return self.diary.service(MedicationService).preferences().snooze_minutes
        except Exception:  # a closed database after lock: nothing to remind of
            return 10

    def _first_check(self) -> None:
        """The first look after unlocking: once the rest of Today has been built (each
        source reads the diary: all of them at once were one 12-23 ms turn, on top of
        Today's), a source per turn of the event loop."""
        if not self.timer.isActive():  # stopped meanwhile (a lock)
            return
        from companion.ui import timers

        busy = timers.under_way() or timers.turns_pending()  # (Today's other cards, say)
        if busy and self._first_waits < FIRST_CHECK_WAITS:
            self._first_waits += 1
            after(self, FIRST_CHECK_RETRY_MS, self._first_check)
            return
        now = self.clock()
        found: list[Reminder] = []
        self.registry.failures = 0

        def ask(name: str) -> None:
            if not self._stopped:
                found.extend(self.registry.ask(name, now))

        self._first_steps = timers.in_steps(
            self,
            [partial(ask, name) for name in self.registry.source_names],
            budget_ms=0,  # (one per turn: each reads the diary, 3-12 ms)
            done=lambda: self._show_due(found, now),
        )

    def check(self) -> None:
        """Ask the registry and show the first due reminder (or hide the banner)."""
        if self._stopped:  # locked: the check queued at start must not reach the banner
            return
        try:
            now = self.clock()
            due = self.registry.due(now)
        except Exception:  # the diary was locked under us; the window is going away
            self.timer.stop()
            return
        self._show(due, now)

    def _show_due(self, found: list[Reminder], now: datetime) -> None:
        if not self._stopped:
            self._show(self.registry.select(found, now), now)

    def _show(self, due: list[Reminder], now: datetime) -> None:
        if not due:
            self.current = None
            self.banner.hide()
            return
        self.current = due[0]
        self.banner.show_reminder(due[0], len(due) - 1, now, self._snooze_minutes())
        for reminder in due:
            if reminder.key not in self._notified:
                self._notified.add(reminder.key)
                self.notify(REMINDER_TITLE, reminder_text())  # never the reminder's words

    def complete(self) -> None:
        reminder = self.current
        if reminder is None:
            return

        def act() -> bool:
            self.registry.complete(reminder, self.clock())
            return True

        if not self.ops.run(act, feature=self.registry.feature_of(reminder) or EVERYTHING):
            return
        self.acted.emit()
        self.check()

    def snooze(self) -> None:
        if self.current is None:
            return
        until = self.clock() + timedelta(minutes=self._snooze_minutes())
        self.registry.snooze(self.current, until)
        self._notified.discard(self.current.key)  # notify again when it comes back
        self.check()

    def dismiss(self) -> None:
        if self.current is None:
            return
        self.registry.dismiss(self.current)
        self.check()

    def _open(self) -> None:
        if self.current is not None and self.current.link:
            self.open_link.emit(self.current.link)

    def start(self) -> None:
        """Check again on the timer (a lock that failed to save keeps the diary open)."""
        self._stopped = False
        self.timer.start()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
        steps, self._first_steps = self._first_steps, None
        if steps is not None and shiboken6.isValid(steps):
            steps.deleteLater()  # (the first look, a source per turn, is abandoned)
        self.banner.hide()
        if self._tray is not None:
            self._tray.close()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
