"""Reminders in the running app, under a controlled clock: the banner appears when a dose is
due, snooze and dismiss work, Taken logs the dose once, notifications are generic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QBoxLayout
from pytestqt.qtbot import QtBot

from companion.core.device_settings import DeviceSettings
from companion.core.medications.adherence import DoseStatus
from companion.core.medications.preferences import ReminderPreferences
from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseInput, MedicationInput, ScheduleInput
from companion.core.session import OpenDiary
from companion.ui import theme
from companion.ui.changes import Change
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from companion.ui.reminders import ReminderBanner, ReminderCenter, TrayNotifier
from tests.ui.a11y import problems, tab_stops

PLUS2 = timezone(timedelta(hours=2))


@dataclass
class Clock:
    now: datetime = datetime(2026, 6, 15, 7, 59, tzinfo=PLUS2)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Notes:
    shown: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, title: str, text: str) -> None:
        self.shown.append((title, text))


def ticks(qtbot: QtBot, center: ReminderCenter, count: int = 3) -> None:
    """Let the reminder timer check ``count`` more times (its own check runs first: it was
    connected first)."""
    seen: list[int] = []
    center.timer.timeout.connect(lambda: seen.append(1))
    qtbot.waitUntil(lambda: len(seen) >= count, timeout=5000)


@pytest.fixture
def setup(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> Iterator[tuple[ReminderBanner, ReminderCenter, Clock, Notes, str]]:
    clock = Clock()
    service = MedicationService(diary.db, clock=clock)
    med = service.add(
        MedicationInput(name="Sertraline", category="ssri", started_on=date(2026, 6, 1)),
        ScheduleInput(times=("08:00",)),
        DoseInput(50, "mg"),
    )
    banner = ReminderBanner()
    qtbot.addWidget(banner)
    banner.show()
    notes = Notes()
    ops = context.operations("*", banner.text)
    center = ReminderCenter(diary, banner, ops, clock=clock, notifier=notes, interval_ms=20)
    yield banner, center, clock, notes, med.id
    center.stop()


def test_a_reminder_fires_at_the_dose_time_and_taken_logs_it_once(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    setup: tuple[ReminderBanner, ReminderCenter, Clock, Notes, str],
) -> None:
    banner, center, clock, notes, med_id = setup
    ticks(qtbot, center)
    assert banner.isHidden() and notes.shown == []
    clock.now = datetime(2026, 6, 15, 8, 0, tzinfo=PLUS2)
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert "A scheduled dose is due" in banner.text.text()
    assert "Sertraline" not in banner.text.text()
    assert "Due at 08:00" in banner.text.text()
    ticks(qtbot, center)  # several checks: one notification only
    assert notes.shown == [("Companion", "A reminder is waiting.")]  # generic, always
    clock.now = datetime(2026, 6, 15, 8, 4, tzinfo=PLUS2)
    with qtbot.waitSignal(context.changes.changed, timeout=2000) as heard:
        qtbot.mouseClick(banner.taken_button, Qt.MouseButton.LeftButton)
    assert heard.args == [Change("medications")]  # the feature that declared the reminder
    (entry,) = MedicationService(diary.db).log_entries(med_id)
    assert entry.status is DoseStatus.TAKEN and entry.local_time == clock.now
    qtbot.waitUntil(banner.isHidden, timeout=2000)
    center.stop()


def test_snooze_brings_it_back_and_dismiss_ends_it(
    qtbot: QtBot, setup: tuple[ReminderBanner, ReminderCenter, Clock, Notes, str]
) -> None:
    banner, center, clock, notes, _ = setup
    clock.now = datetime(2026, 6, 15, 8, 1, tzinfo=PLUS2)
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert banner.snooze_button.text() == "Snooze 10 min"
    qtbot.mouseClick(banner.snooze_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
    clock.now = datetime(2026, 6, 15, 8, 10, tzinfo=PLUS2)
    ticks(qtbot, center)
    assert banner.isHidden()
    clock.now = datetime(2026, 6, 15, 8, 11, tzinfo=PLUS2)
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert len(notes.shown) == 2  # notified again after the snooze
    qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    ticks(qtbot, center)
    assert banner.isHidden()
    center.stop()


def test_names_only_when_opted_in_and_nothing_once_logged(
    qtbot: QtBot, diary: OpenDiary, setup: tuple[ReminderBanner, ReminderCenter, Clock, Notes, str]
) -> None:
    banner, center, clock, notes, med_id = setup
    service = MedicationService(diary.db, clock=clock)
    service.set_preferences(ReminderPreferences(show_names=True))
    clock.now = datetime(2026, 6, 15, 8, 2, tzinfo=PLUS2)
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert "Sertraline 50 mg is due (08:00)" in banner.text.text()
    # the name is in the window only: a system notification can be read over a shoulder
    assert notes.shown[-1] == ("Companion", "A reminder is waiting.")
    service.mark_taken(med_id, date(2026, 6, 15), "08:00")
    qtbot.waitUntil(banner.isHidden, timeout=2000)
    center.stop()


def test_no_tray_means_no_system_notification(qtbot: QtBot) -> None:
    notifier = TrayNotifier()
    if TrayNotifier.available():  # pragma: no cover - offscreen tests have no tray
        pytest.skip("a system tray is available here")
    notifier("Companion", "A scheduled dose is due")  # quietly nothing
    assert notifier._tray is None


def test_the_main_window_shows_the_banner_and_lock_stops_reminders(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    assert window.reminders.timer.isActive()
    assert window.reminder_banner.parent() is not None
    with qtbot.waitSignal(window.locked, timeout=3000):
        window.lock()
    assert not window.reminders.timer.isActive()


def test_after_unlocking_the_first_look_waits_for_today_then_asks_a_source_per_turn(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    from companion.core.reminders import Reminder, ReminderRegistry
    from companion.ui import timers

    clock = Clock(datetime(2026, 6, 15, 9, 5, tzinfo=PLUS2))
    asked: list[tuple[str, int]] = []
    turn = [0]

    class Source:
        def __init__(self, name: str) -> None:
            self.name = name

        def due(self, now: datetime) -> list[Reminder]:
            asked.append((self.name, turn[0]))
            return [Reminder(f"{self.name}:1", self.name, clock.now, "Something is due")]

        def complete(self, reminder: Reminder, now: datetime) -> None:
            """Nothing to do."""

    def count_turns() -> None:
        turn[0] += 1
        if center.current is None:
            timers.after(banner, 0, count_turns)

    registry = ReminderRegistry([Source("first"), Source("second")])
    banner = ReminderBanner()
    qtbot.addWidget(banner)
    busy = timers.in_steps(banner, [lambda: None] * 3)  # a page still building
    center = ReminderCenter(
        diary,
        banner,
        context.operations("*", banner.text),
        clock=clock,
        registry=registry,
        notifier=Notes(),
        after_first_paint=True,
    )
    banner.show()
    count_turns()
    qtbot.waitUntil(lambda: banner.isVisible() and banner.text.text() != "", timeout=5000)
    assert busy.finished
    assert [name for name, _turn in asked] == ["first", "second"]
    assert asked[0][1] != asked[1][1]  # each in a turn of its own
    assert center.current is not None and center.current.key == "first:1"
    center.stop()
    qtbot.waitUntil(lambda: timers.running() == 0)


def test_a_lock_during_the_first_look_abandons_it(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    from companion.core.reminders import Reminder, ReminderRegistry
    from companion.ui import timers

    asked: list[str] = []

    class Source:
        def __init__(self, name: str) -> None:
            self.name = name

        def due(self, now: datetime) -> list[Reminder]:
            asked.append(self.name)
            return []

        def complete(self, reminder: Reminder, now: datetime) -> None:
            """Nothing to do."""

    banner = ReminderBanner()
    qtbot.addWidget(banner)
    center = ReminderCenter(
        diary,
        banner,
        context.operations("*", banner.text),
        clock=Clock(),
        registry=ReminderRegistry([Source("first"), Source("second")]),
        notifier=Notes(),
        after_first_paint=True,
    )
    center._first_check()  # (as the first paint would): a source per turn from the next one
    assert timers.running()
    center.stop()  # the diary locks: the window then stops every timer it holds
    from PySide6.QtCore import QTimer

    for timer in center.findChildren(QTimer):
        timer.stop()
    qtbot.waitUntil(lambda: timers.running() == 0)
    assert asked == [] and banner.isHidden()


def test_the_banner_reads_as_it_looks_to_a_screen_reader(
    qtbot: QtBot, setup: tuple[ReminderBanner, ReminderCenter, Clock, Notes, str]
) -> None:
    """Each button's spoken name starts with the words on it (speech input finds a button by
    them): the snooze button said only "Snooze this reminder" while it showed "Snooze 10 min",
    which failed the accessibility checks of whichever page a test had open when a demo dose
    fell due on the wall clock."""
    banner, _center, clock, _notes, _ = setup
    clock.now = datetime(2026, 6, 15, 8, 1, tzinfo=PLUS2)
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert banner.snooze_button.accessibleName() == ("Snooze 10 min: remind me again in 10 minutes")
    stops = tab_stops(banner)
    assert banner.snooze_button in stops and banner.taken_button in stops
    assert problems(banner, stops) == []


@pytest.mark.parametrize("width", [1060, 800, 600])  # (the window less its sidebar)
def test_at_twice_the_text_size_every_button_fits(
    qtbot: QtBot,
    qapp: QApplication,
    setup: tuple[ReminderBanner, ReminderCenter, Clock, Notes, str],
    width: int,
) -> None:
    """At 200% text the four buttons and the words no longer fit on one line of a 1024 px
    window (Snooze had 173 of the 286 px it needs): the buttons go under the words, and wrap
    if they must. At the usual size, one line."""
    banner, _center, clock, _notes, _ = setup
    theme.apply(qapp, DeviceSettings(theme="light", text_scale=2.0))
    try:
        banner.resize(width, 80)
        clock.now = datetime(2026, 6, 15, 8, 1, tzinfo=PLUS2)
        qtbot.waitUntil(banner.isVisible, timeout=2000)
        banner.resize(width, banner.heightForWidth(width))
        QApplication.processEvents()
        buttons = [banner.taken_button, banner.snooze_button, banner.dismiss_button]
        for button in buttons:
            hint = button.sizeHint()
            assert button.width() >= hint.width() and button.height() >= hint.height(), (
                button.text()
            )
            assert banner.rect().contains(button.geometry().translated(banner.buttons.pos()))
        if width <= 800:
            assert banner.row.direction() is QBoxLayout.Direction.TopToBottom
        text = banner.text
        assert text.heightForWidth(text.width()) <= text.height() + 1
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))
    banner.resize(1280, banner.heightForWidth(1280))
    QApplication.processEvents()
    assert banner.row.direction() is QBoxLayout.Direction.LeftToRight


def test_a_new_text_size_refits_the_banner_a_turn_later_not_during_the_restyle(
    qtbot: QtBot,
    qapp: QApplication,
    setup: tuple[ReminderBanner, ReminderCenter, Clock, Notes, str],
) -> None:
    """A theme or text size reaches every widget while Qt restyles the whole tree; the
    banner changes its layout in the next turn, never inside that (a layout changed there
    crashed the process in a full test run)."""
    banner, _center, clock, _notes, _ = setup
    theme.apply(qapp, DeviceSettings(theme="light", text_scale=2.0))
    try:
        banner.resize(800, 80)
        clock.now = datetime(2026, 6, 15, 8, 1, tzinfo=PLUS2)
        qtbot.waitUntil(banner.isVisible, timeout=2000)
        assert banner.row.direction() is QBoxLayout.Direction.TopToBottom
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))
    assert banner.row.direction() is QBoxLayout.Direction.TopToBottom  # not during it
    qtbot.waitUntil(lambda: banner.row.direction() is QBoxLayout.Direction.LeftToRight)
