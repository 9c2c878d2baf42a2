"""The "Getting started" list on Today, used as a newcomer would: follow a step, skip one,
hide the list; it stays until each step is done or skipped, across a lock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from companion.core.errors import ValidationError
from companion.core.getting_started import STEPS, GettingStarted
from companion.core.mood.reminders import CHECKIN_TIMES
from companion.core.safety.service import SafetyService
from companion.core.session import OpenDiary
from companion.core.settings import SettingsService
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from companion.ui.today.getting_started import STEP_TEXT, GettingStartedCard

from .conftest import PASS, wait_for_tasks


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.resize(1024, 640)
    w.show()
    qtbot.waitActive(w)
    yield w
    wait_for_tasks(qtbot)


def card_of(window: MainWindow) -> GettingStartedCard:
    cards = window.page("today").feature_cards  # type: ignore[attr-defined]
    return next(c for c in cards if isinstance(c, GettingStartedCard))


def button(card: GettingStartedCard, step: str, text: str) -> QPushButton:
    row = card.rows[step]
    return next(b for b in row.findChildren(QPushButton) if b.text() == text)


def test_the_steps_match_the_core_list() -> None:
    assert tuple(step.id for step in STEP_TEXT) == STEPS


def test_a_new_diary_offers_every_step(window: MainWindow) -> None:
    card = card_of(window)
    assert card.isVisible()
    assert card.open_steps() == list(STEPS)
    assert all(row.isVisible() for row in card.rows.values())


def test_each_button_leads_to_its_place(qtbot: QtBot, window: MainWindow) -> None:
    card = card_of(window)
    qtbot.mouseClick(button(card, "safety", "Start my plan"), Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "safety"
    window.open_page("today")
    qtbot.mouseClick(button(card, "reminder", "Choose a time"), Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "medications"
    reminders = window.page("medications").reminders_card  # type: ignore[attr-defined]
    assert QApplication.focusWidget() is reminders.checkins
    window.open_page("today")
    qtbot.mouseClick(button(card, "country", "Choose my country"), Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "settings"
    assert QApplication.focusWidget() is window.page("settings").country.box  # type: ignore[attr-defined]
    window.open_page("today")
    qtbot.mouseClick(button(card, "import", "Import my old diary"), Qt.MouseButton.LeftButton)
    dialog = window.page("mood").dialog  # type: ignore[attr-defined]
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_done_steps_leave_the_list(window: MainWindow, diary: OpenDiary) -> None:
    card = card_of(window)
    diary.service(SafetyService).add_item("warning_signs", "Not sleeping")
    window.changes.announce("safety")  # as the plan's editor does
    assert not card.rows["safety"].isVisible()
    diary.service(SettingsService).set(CHECKIN_TIMES, ["09:00"])
    window.open_page("settings")
    window.open_page("today")  # Today reads again when it is shown
    assert not card.rows["reminder"].isVisible()
    window.context.update_device(help_country="GB")
    assert not card.rows["country"].isVisible()
    assert card.progress.text() == "3 of 5 done or skipped"
    window.changes.announce("mood", "import")  # an old diary was brought in
    assert not card.rows["import"].isVisible()
    assert card.open_steps() == ["medicines"] and card.isVisible()


def test_a_check_in_leaves_the_list_as_it_was_without_reading_it_again(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No step depends on the check-ins: saving one reads no step's data (issue 11, the
    longest turn of a save); the list is still read again when Today is shown, and a
    restored backup (every feature) or an import still reaches it at once."""
    from companion.ui.changes import EVERYTHING

    card = card_of(window)
    reads: list[int] = []
    done = card.done
    monkeypatch.setattr(card, "done", lambda: reads.append(1) or done())
    form = window.page("today")._cards[0].form  # type: ignore[attr-defined]
    form.mood.buttons[6].click()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.status.text().startswith("Saved")
    assert reads == []
    assert all(row.isVisible() for row in card.rows.values()) and card.isVisible()
    diary.service(SafetyService).add_item("warning_signs", "Not sleeping")
    window.open_page("settings")
    window.open_page("today")  # Today reads again when it is shown
    assert reads and not card.rows["safety"].isVisible()
    diary.service(SettingsService).set(CHECKIN_TIMES, ["09:00"])
    window.changes.announce(EVERYTHING)  # as a restored backup is
    assert not card.rows["reminder"].isVisible()
    window.changes.announce("mood", "import")
    assert not card.rows["import"].isVisible()
    assert card.open_steps() == ["country", "medicines"]


def test_skipped_steps_stay_skipped_after_a_lock(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    card = card_of(window)
    qtbot.mouseClick(button(card, "medicines", "Skip"), Qt.MouseButton.LeftButton)
    assert not card.rows["medicines"].isVisible()
    assert diary.service(GettingStarted).put_aside() == ["medicines"]
    qtbot.mouseClick(card.hide_all, Qt.MouseButton.LeftButton)
    assert not card.isVisible()
    wait_for_tasks(qtbot)
    window.close()  # locks and saves
    reopened = OpenDiary.unlock(diary.vault.path, passphrase=PASS)
    try:
        assert reopened.service(GettingStarted).put_aside() == list(STEPS)
        again = MainWindow(reopened, context)
        qtbot.addWidget(again)
        again.show()
        assert not card_of(again).isVisible()
        again.close()
    finally:
        reopened.close()


def test_an_unknown_step_is_refused_and_changes_nothing(diary: OpenDiary) -> None:
    service = diary.service(GettingStarted)
    with pytest.raises(ValidationError):
        service.put_aside_steps(["everything"])
    assert service.put_aside() == []


def _colours(image: object) -> set[tuple[int, int, int]]:
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    found = set()
    for x in range(image.width()):
        for y in range(image.height()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200:
                found.add((pixel.red(), pixel.green(), pixel.blue()))
    return found


def test_the_step_pictures_follow_a_theme_switch_and_the_text_size(
    qtbot: QtBot, window: MainWindow, qapp: QApplication
) -> None:
    """Drawn again at once in the new theme's colour (they kept the old one until the next
    unlock), and larger with larger text."""
    from PySide6.QtGui import QColor

    from companion.core.device_settings import DeviceSettings
    from companion.ui import theme
    from companion.ui.widgets.common import IconLabel

    pictures = card_of(window).findChildren(IconLabel)
    assert len(pictures) == len(card_of(window).steps)
    light = QColor(theme.LIGHT.text)
    dark = QColor(theme.DARK.text)
    rgb = lambda c: (c.red(), c.green(), c.blue())  # noqa: E731
    assert rgb(light) in _colours(pictures[0].pixmap().toImage())
    try:
        theme.apply(qapp, DeviceSettings(theme="dark"))
        QApplication.processEvents()
        for picture in pictures:
            colours = _colours(picture.pixmap().toImage())
            assert rgb(dark) in colours and rgb(light) not in colours
        assert pictures[0].pixmap().width() == 22
        theme.apply(qapp, DeviceSettings(theme="dark", text_scale=2.0))
        QApplication.processEvents()
        assert pictures[0].pixmap().width() == 44
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))
    QApplication.processEvents()
    assert rgb(light) in _colours(pictures[0].pixmap().toImage())
    assert pictures[0].pixmap().width() == 22
