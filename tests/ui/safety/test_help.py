"""'Get help now': one click from every page and from the windows before unlock; the person's
own plan first when unlocked, only helplines when locked; honest dates; calm fallbacks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion import paths
from companion.content.helplines import load_helplines
from companion.core.safety import SafetyService
from companion.core.unlocked import OpenDiary
from companion.ui import help as help_module
from companion.ui.help import CopyButton, HelpDialog, HelpPanel, open_help
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from companion.ui.unlock.setup import SetupWindow
from companion.ui.unlock.unlock import UnlockWindow
from tests.ui.conftest import wait_for_tasks


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    context.device = context.device.with_changes(help_country="GB")
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.show()
    yield w
    wait_for_tasks(qtbot)  # pages read in the background when first shown


def settle() -> None:
    """Deliver what is queued, deferred deletions included."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def open_dialogs() -> list[HelpDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog) and w.isVisible()
    ]


def close_help() -> None:
    for dialog in open_dialogs():
        dialog.close()


def fill_plan(diary: OpenDiary) -> None:
    svc = SafetyService(diary.db)
    svc.add_item("people", "Ruth (sister)", "07700 900461")
    svc.add_item("professionals", "My therapist", "020 7946 0312")
    svc.add_item("coping_alone", "Walk round the block")
    svc.add_item("warning_signs", "A private warning sign")


def test_help_is_one_click_from_every_sidebar_page_and_f1(qtbot: QtBot, window: MainWindow) -> None:
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
        dialogs = open_dialogs()
        assert len(dialogs) == 1, window.current_page().page_id
        assert dialogs[0].panel.country_code == "GB"
        close_help()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.keyClick(window, Qt.Key.Key_F1)  # a second press raises the same window
    assert len(open_dialogs()) == 1


def test_help_from_the_unlock_and_setup_windows_shows_only_helplines(
    qtbot: QtBot, diary: OpenDiary, vault_path: Path, tmp_path: Path
) -> None:
    fill_plan(diary)
    diary.lock()
    unlock = UnlockWindow(vault_path, try_device=False)
    qtbot.addWidget(unlock)
    unlock.show()
    qtbot.mouseClick(unlock.help_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    (dialog,) = open_dialogs()
    text = " ".join(
        label.text() for label in dialog.panel.findChildren(type(dialog.panel.checked_label))
    )
    assert "Ruth" not in text and "07700" not in text
    assert help_module.LOCKED_PLAN_NOTE in text
    assert dialog.panel.cards.count() >= 1
    close_help()
    setup = SetupWindow(tmp_path / "new" / paths.VAULT_NAME)
    qtbot.addWidget(setup)
    setup.show()
    qtbot.mouseClick(setup.help_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert len(open_dialogs()) == 1
    wait_for_tasks(qtbot)  # the windows' background warm-up


def _texts(panel: HelpPanel) -> str:
    return " ".join(w.text() for w in panel.findChildren(type(panel.checked_label)))


def test_unlocked_the_persons_own_plan_comes_first(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    (dialog,) = open_dialogs()
    assert help_module.NO_PLAN_NOTE in _texts(dialog.panel)
    qtbot.mouseClick(dialog.panel.open_plan_button, Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "safety"
    fill_plan(diary)
    window.nav.setCurrentRow(0)
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)  # the open window updates
    assert open_dialogs() == [dialog]
    panel = dialog.panel
    text = _texts(panel)
    assert "From your safety plan" in text
    assert "Ruth (sister)" in text and "07700 900461" in text
    assert "Walk round the block" in text
    assert "A private warning sign" not in text  # only the parts that help in the moment
    layout = panel.layout().itemAt(1).widget().layout()  # type: ignore[union-attr]
    order = [layout.itemAt(i) for i in range(layout.count())]
    plan_index = next(i for i, it in enumerate(order) if it.layout() is panel.plan_area)
    cards_index = next(i for i, it in enumerate(order) if it.layout() is panel.cards)
    assert plan_index < cards_index  # the plan above the helplines
    copy = next(b for b in panel.findChildren(CopyButton) if b.value == "07700 900461")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "07700 900461"
    qtbot.mouseClick(panel.open_plan_button, Qt.MouseButton.LeftButton)
    assert window.current_page().page_id == "safety"


def test_locking_drops_the_plan_but_keeps_the_helplines(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    fill_plan(diary)
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    (dialog,) = open_dialogs()
    with qtbot.waitSignal(window.locked, timeout=2000):
        window.lock()
    settle()  # whatever the lock deletes is deleted now
    assert dialog.isVisible()
    text = _texts(dialog.panel)
    assert "Ruth" not in text and "07700" not in text
    assert "116 123" in text  # the helplines stay
    window.close()
    settle()
    assert dialog.isVisible()  # closing the main window does not take the helplines away


def test_the_checked_sentence_is_honest() -> None:
    helplines = load_helplines()
    sentence = help_module.honest_checked_sentence(helplines)
    day = helplines.last_checked
    assert sentence.startswith(f"Numbers last checked on {day.day} {day:%B %Y}.")
    assert "If one does not connect, call your local emergency number." in sentence
    assert "confirmed" not in sentence.lower() and "research" not in sentence.lower()


@pytest.mark.parametrize("code", ["ZZ", "", "not a country", "../../etc"])
def test_an_unknown_country_gets_the_directory_and_local_emergency(
    qtbot: QtBot, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(help_module, "country_from_locale", lambda _name: None)
    dialog = HelpDialog(code)
    qtbot.addWidget(dialog)
    panel = dialog.panel
    assert panel.country_code == ""
    assert panel.country_box.currentText() == "Another country"
    text = _texts(panel)
    assert "Call your local emergency number" in text
    assert "findahelpline.com" in text and "needs internet" in text


def test_every_country_shows_its_emergency_number_and_lines(qtbot: QtBot) -> None:
    dialog = HelpDialog("GB")
    qtbot.addWidget(dialog)
    panel = dialog.panel
    for country in load_helplines().countries:
        panel.country_box.setCurrentIndex(panel.country_box.findData(country.code))
        text = _texts(panel)
        assert f"Call {country.emergency}" in text
        assert panel.cards.count() == len(country.lines)
        assert "findahelpline.com" in text  # a way to find help elsewhere, always


def test_the_browser_opens_only_on_an_explicit_click(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(help_module.QDesktopServices, "openUrl", lambda url: opened.append(url))
    dialog = HelpDialog("US")
    qtbot.addWidget(dialog)
    assert opened == []
    qtbot.mouseClick(dialog.panel.browser_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1


def test_a_chosen_country_is_remembered_on_this_computer(
    qtbot: QtBot, window: MainWindow, context: AppContext, data_dir: Path
) -> None:
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    (dialog,) = open_dialogs()
    box = dialog.panel.country_box
    box.setCurrentIndex(box.findData("AU"))
    assert context.device.help_country == "AU"
    saved = json.loads(paths.device_settings_path(data_dir).read_text(encoding="utf-8"))
    assert saved["help_country"] == "AU"
    close_help()
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    assert open_dialogs()[0].panel.country_code == "AU"


def test_open_help_without_a_parent_works(qtbot: QtBot) -> None:
    dialog = open_help(None, "CA")
    assert dialog.isVisible() and dialog.panel.country_code == "CA"
