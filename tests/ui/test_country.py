"""The country for Get help now: guessed from the system, confirmed in setup, changeable in
Settings; and what a new person in NZ, IE, DE or an unlisted country sees first (issue 19 §2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from companion import paths
from companion.content.helplines import NOT_LISTED
from companion.core.session import OpenDiary
from companion.ui import country as country_module
from companion.ui import help as help_module
from companion.ui.help import CopyButton, HelpDialog, HelpPanel, open_help
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from companion.ui.settings.page import SettingsPage
from companion.ui.unlock.setup import SetupWindow
from companion.ui.widgets.common import Card


@pytest.fixture(autouse=True)
def _close_help_windows() -> Iterator[None]:
    """Get help now stays open on its own (it is meant to); each test closes what it opened."""
    yield
    from PySide6.QtWidgets import QApplication

    from companion.ui.help import HelpDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, HelpDialog):
            widget.close()


def _locale(monkeypatch: pytest.MonkeyPatch, code: str | None) -> None:
    """Pretend the system locale names ``code`` (None: a C locale that names no country)."""
    monkeypatch.setattr(country_module, "system_country", lambda: code or "")
    monkeypatch.setattr(help_module, "country_from_locale", lambda _name: code)


def _saved(data_dir: Path) -> str:
    raw = json.loads(paths.device_settings_path(data_dir).read_text(encoding="utf-8"))
    return str(raw["help_country"])


def _first_card(panel: HelpPanel) -> Card:
    cards = [c for c in panel.findChildren(Card) if c.isVisibleTo(panel)]
    return min(cards, key=lambda c: c.mapTo(panel, c.rect().topLeft()).y())


def _text(widget: object) -> str:
    return " ".join(w.text() for w in widget.findChildren(QLabel))  # type: ignore[attr-defined]


@pytest.mark.parametrize(("guess", "shown"), [("NZ", "New Zealand"), ("DE", "Germany")])
def test_setup_asks_once_with_the_systems_guess_and_remembers_the_answer(
    qtbot: QtBot,
    context: AppContext,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    guess: str,
    shown: str,
) -> None:
    _locale(monkeypatch, guess)
    window = SetupWindow(data_dir / paths.VAULT_NAME, context=context)
    qtbot.addWidget(window)
    window.show()
    assert window.country.isVisible()
    assert window.country.box.currentText() == shown
    assert context.device.help_country == ""  # nothing stored until the person goes on
    qtbot.mouseClick(window.begin_button, Qt.MouseButton.LeftButton)
    assert context.device.help_country == guess and _saved(data_dir) == guess


def test_the_person_corrects_the_guess_in_setup(
    qtbot: QtBot, context: AppContext, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locale(monkeypatch, "US")  # an English system in Ireland
    window = SetupWindow(data_dir / paths.VAULT_NAME, context=context)
    qtbot.addWidget(window)
    window.show()
    box = window.country.box
    box.setCurrentIndex(box.findData("IE"))
    assert "Ireland" in window.country.note.text()
    qtbot.mouseClick(window.begin_button, Qt.MouseButton.LeftButton)
    assert _saved(data_dir) == "IE"
    help_window = open_help(window, context.device.help_country)
    assert help_window.panel.country_code == "IE"


def test_without_a_guess_setup_starts_at_another_country(
    qtbot: QtBot, context: AppContext, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locale(monkeypatch, None)
    window = SetupWindow(data_dir / paths.VAULT_NAME, context=context)
    qtbot.addWidget(window)
    window.show()
    assert window.country.box.code() == NOT_LISTED
    assert "112" in window.country.note.text()


def test_settings_changes_the_country_and_help_follows(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _locale(monkeypatch, "GB")
    page = SettingsPage(diary, context)
    qtbot.addWidget(page)
    page.finish_building()  # (never shown: its lower cards would wait for a first paint)
    assert page.country.box.currentText() == "United Kingdom"  # the guess, until chosen
    page.country.box.setCurrentIndex(page.country.box.findData("NZ"))
    assert context.device.help_country == "NZ" and _saved(data_dir) == "NZ"
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog)]
    assert shown[-1].panel.country_code == "NZ"


# -- what a new person sees first ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "first_line", "copied", "lines"),
    [
        ("NZ", "Call 111", "111", ["1737"]),
        ("IE", "Call 112 or 999", "112", ["116 123", "50808"]),
        ("DE", "Call 112", "112", ["0800 111 0 111", "0800 111 0 222"]),
    ],
)
def test_before_setup_the_locale_guess_shows_the_right_number_first(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    first_line: str,
    copied: str,
    lines: list[str],
) -> None:
    _locale(monkeypatch, code)
    dialog = HelpDialog("")  # nothing chosen yet: the system's guess
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel
    first = _first_card(panel)
    assert first.accessibleName() == "Emergency number"
    assert first_line in _text(first)
    copy = first.findChild(CopyButton)
    assert copy is not None
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == copied
    everything = _text(panel)
    for number in lines:
        assert number in everything
    for doubt in ("confirmed", "research", "verified"):
        assert doubt not in everything.lower()


def test_an_unlisted_country_gets_emergency_numbers_first_and_the_directory_as_online(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _locale(monkeypatch, "ES")  # Spain: no bundled helplines (none confirmed from its own page)
    dialog = HelpDialog("")
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel
    assert panel.country_box.currentText() == "Spain"
    first = _first_card(panel)
    assert "Call your local emergency number" in _text(first)
    assert "112" in _text(first) and "911" in _text(first)
    copy = first.findChild(CopyButton)
    assert copy is not None and copy.value == "112"
    everything = _text(panel)
    assert "no helplines for Spain yet" in everything
    assert "Needs internet: findahelpline.com" in everything


def test_choosing_another_country_in_help_is_remembered_as_such(
    qtbot: QtBot,
    window_context: tuple[MainWindow, AppContext],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, context = window_context
    _locale(monkeypatch, "US")
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog)][-1]
    box = shown.panel.country_box
    box.setCurrentIndex(box.findData(""))
    assert context.device.help_country == NOT_LISTED  # not the locale's guess next time


@pytest.fixture
def window_context(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> tuple[MainWindow, AppContext]:
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.show()
    return w, context
