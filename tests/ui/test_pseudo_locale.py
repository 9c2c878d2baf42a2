"""Every visible text went through ``_()`` (issue 10 §5): the pseudo-locale check.

In the ``x-pseudo`` locale every translated string reads ``⟦…⟧``. Each test builds one window,
page or dialog on a demo diary in that locale and fails on any text a person can see or hear
(labels, buttons, group boxes, tabs, placeholders, list and table items, window titles,
tooltips, accessible names and descriptions) with words outside the markers, except the
person's own data, bundled content, numbers, dates and Qt's own buttons
(see ``tests/ui/pseudo.py``).

Point it at one page with ``-k``: ``pytest tests/ui/test_pseudo_locale.py -k settings``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from companion import features, i18n
from companion.core import demo, passphrase, timekeeping
from companion.core.checkups.service import CheckupService
from companion.core.reminders import Reminder
from companion.core.session import OpenDiary
from companion.storage.errors import CorruptVaultError
from companion.ui.main_window import MainWindow, dropped_text
from companion.ui.pages import AppContext, Page

from .conftest import wait_for_tasks
from .pseudo import Allowed, untranslated, visible_texts, words_left
from .test_setup_unlock import warmed_up


@pytest.fixture(autouse=True)
def pseudo_locale() -> Iterator[None]:
    i18n.install(i18n.PSEUDO)
    try:
        yield
    finally:
        i18n.install(None)


@pytest.fixture
def demo_diary(diary: OpenDiary) -> OpenDiary:
    demo.fill(diary.db, 40, 7)
    # a questionnaire last taken three weeks ago, asked for every two: the check-ups card shows
    checkups = diary.service(CheckupService)
    three_weeks_ago = timekeeping.local_now() - timedelta(days=21)
    checkups.complete("who5", {str(n): 3 for n in range(1, 6)}, now=three_weeks_ago)
    checkups.set_interval("who5", 14)
    return diary


@pytest.fixture
def allowed(demo_diary: OpenDiary) -> Allowed:
    return Allowed.from_diary(demo_diary)


@pytest.fixture
def window(qtbot: QtBot, demo_diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    w = MainWindow(demo_diary, context)
    qtbot.addWidget(w)
    w.resize(1100, 760)
    w.show()
    yield w
    wait_for_tasks(qtbot)


def check(root: QWidget, allowed: Allowed, skip: list[QWidget] | None = None) -> None:
    """Nothing untranslated in ``root`` (and something was there to look at)."""
    seen = [text for _where, text in visible_texts(root, skip or ()) if text]
    assert len(seen) >= 3, f"only {seen} to look at in {type(root).__name__}"
    assert untranslated(root, allowed, skip or ()) == []


def _settle(qtbot: QtBot) -> None:
    wait_for_tasks(qtbot)
    QApplication.processEvents()


def _feature_of(widget: QWidget) -> str:
    """ "mood" for a widget from ``companion.ui.mood…``; "" for the app's own."""
    return _feature_of_class(type(widget))


# -- pages ---------------------------------------------------------------------------------------


def _page_ids() -> list[object]:
    return [decl.id for decl in features.load().pages()]


@pytest.mark.parametrize("page_id", _page_ids())
def test_page(qtbot: QtBot, window: MainWindow, allowed: Allowed, page_id: str) -> None:
    window.open_page(page_id)
    _settle(qtbot)
    page: Page = window.page(page_id)
    cards = getattr(page, "feature_cards", [])  # Today: each feature's card is its own
    check(page, allowed, skip=cards)


def _features_with_cards() -> list[object]:
    from companion.ui.extension_points import load

    names = {_feature_of_class(card) for card in load().today_cards()}
    return sorted(names)


def _feature_of_class(cls: type) -> str:
    parts = cls.__module__.split(".")
    return parts[2] if len(parts) > 3 and parts[:2] == ["companion", "ui"] else ""


@pytest.mark.parametrize("feature", _features_with_cards())
def test_today_card(qtbot: QtBot, window: MainWindow, allowed: Allowed, feature: str) -> None:
    window.open_page("today")
    _settle(qtbot)
    cards = [c for c in window.page("today").feature_cards if _feature_of(c) == feature]
    assert cards
    for card in cards:
        check(card, allowed)


def test_main_window_around_the_pages(qtbot: QtBot, window: MainWindow, allowed: Allowed) -> None:
    window.show_save_problem(dropped_text(2))
    now = datetime.now().astimezone()
    text, action = i18n._("A reminder"), i18n._("Taken")  # the source's words: its own
    reminder = Reminder("k", "doses", now - timedelta(days=1), text, "x", action)
    window.reminder_banner.show_reminder(reminder, 2, now, 10)
    _settle(qtbot)
    check(window, allowed, skip=[window.stack])
    window.reminders.stop()


def test_undo_bar(qtbot: QtBot, allowed: Allowed) -> None:
    from companion.ui.widgets.undo_bar import UndoBar

    bar = UndoBar()
    qtbot.addWidget(bar)
    bar.show()
    bar.offer(i18n._("Removed."), lambda: None)
    check(bar, allowed)
    bar.dismiss()


# -- the windows before unlock, and help ----------------------------------------------------------


@pytest.mark.parametrize("step", [0, 1, 2, 3])
def test_setup_window(
    qtbot: QtBot, tmp_path: Path, context: AppContext, allowed: Allowed, step: int
) -> None:
    from companion.ui.unlock.setup import SetupWindow

    setup = SetupWindow(tmp_path / "new.companion", context=context)
    qtbot.addWidget(setup)
    setup.show()
    warmed_up(qtbot)
    if step == 1:
        setup.pass1.edit.setText("password")  # the strength meter speaks
        setup._create()  # a weak passphrase is refused, with the override offered
    if step == 2:
        setup.recovery.set_key("ABCDE-FGHIJ-KLMNO")
        allowed.add("ABCDE-FGHIJ-KLMNO")
    setup.stack.setCurrentIndex(step)
    if step == 3:
        setup._to_keyring()
    _settle(qtbot)
    check(setup, allowed)


@pytest.mark.parametrize("mode", ["passphrase", "recovery key", "damaged file"])
def test_unlock_window(
    qtbot: QtBot, vault_path: Path, context: AppContext, allowed: Allowed, mode: str
) -> None:
    from companion.ui.unlock.unlock import UnlockWindow

    unlock = UnlockWindow(vault_path, try_device=False, context=context)
    qtbot.addWidget(unlock)
    unlock.show()
    warmed_up(qtbot)
    if mode == "recovery key":
        unlock.toggle_recovery_mode()
        unlock.submit()  # "please type your recovery key"
    if mode == "damaged file":
        unlock._show_error(CorruptVaultError())
    _settle(qtbot)
    check(unlock, allowed)


@pytest.mark.parametrize("state", ["locked", "unlocked"])
def test_help_window(qtbot: QtBot, window: MainWindow, allowed: Allowed, state: str) -> None:
    from companion.ui.help import open_help

    dialog = open_help(window if state == "unlocked" else None)
    _settle(qtbot)
    try:
        check(dialog, allowed)
    finally:
        dialog.close()


# -- dialogs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("after_recovery", [False, True])
def test_change_passphrase_dialog(
    qtbot: QtBot, demo_diary: OpenDiary, allowed: Allowed, after_recovery: bool
) -> None:
    from companion.ui.settings.dialogs import ChangePassphraseDialog

    dialog = ChangePassphraseDialog(demo_diary, after_recovery=after_recovery)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new1.edit.setText("password")
    dialog.submit()  # refused as weak: the reason and the override show
    check(dialog, allowed)


@pytest.mark.parametrize("step", ["passphrase", "new key"])
def test_new_recovery_key_dialog(
    qtbot: QtBot, demo_diary: OpenDiary, allowed: Allowed, step: str
) -> None:
    from companion.ui.settings.dialogs import NewRecoveryKeyDialog

    dialog = NewRecoveryKeyDialog(demo_diary)
    qtbot.addWidget(dialog)
    dialog.show()
    if step == "new key":
        dialog._made("ABCDE-FGHIJ-KLMNO")
        allowed.add("ABCDE-FGHIJ-KLMNO")
        dialog.panel._copy()
    else:
        dialog.submit()  # "please type your passphrase"
    check(dialog, allowed)


def test_weak_passphrase_box(qtbot: QtBot, allowed: Allowed) -> None:
    from companion.ui.widgets.passphrase import weak_passphrase_box

    reason = passphrase.weak_reason(passphrase.strength("password"))
    # zxcvbn's own hint sits inside our sentence; it has no catalog of ours
    allowed.add(passphrase.strength("password").hint.rstrip("."))
    box = weak_passphrase_box(None, reason)
    qtbot.addWidget(box)
    box.show()
    try:
        check(box, allowed)
    finally:
        box.done(0)


def test_restore_question_and_backup_table(
    qtbot: QtBot, window: MainWindow, allowed: Allowed, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_a: object) -> object:
        asked.extend([title, text])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    window.open_page("settings")
    _settle(qtbot)
    settings = window.page("settings")
    settings.refresh_backups()
    settings.restore_selected()
    assert asked, "the demo diary has a backup to restore"
    assert [words_left(text, allowed) for text in asked] == ["", ""]
    check(settings, allowed)


def test_crash_box(qtbot: QtBot, allowed: Allowed) -> None:
    from companion.ui import crash

    crash._show()
    box = crash._box
    assert box is not None
    try:
        check(box, allowed)
    finally:
        box.done(0)
        crash._box = None


# -- the walker itself ---------------------------------------------------------------------------


def test_the_walker_finds_what_was_not_translated(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    marked = i18n._("Saved on {date}").format(date=i18n.format_date(datetime(2026, 5, 4)))
    for text in (marked, "Forgot me", "Walk with Sam", "42 · 7.5"):
        layout.addWidget(QLabel(text))
    button = QPushButton(i18n._("Save"))
    button.setToolTip("Also forgotten")
    layout.addWidget(button)
    edit = QLineEdit()
    edit.setPlaceholderText(i18n._("Type here"))
    edit.setAccessibleName("No name")
    layout.addWidget(edit)
    hidden = QLabel("Hidden, not read")
    layout.addWidget(hidden)
    root.show()
    hidden.hide()
    found = untranslated(root, Allowed(["Walk with Sam"]))  # the person's own words
    assert sorted(left for _where, left in found) == ["Also forgotten", "Forgot me", "No name"]
