"""Settings, used as a person would: auto-lock, passphrase change, recovery key, backups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from companion.core import device_settings
from companion.core.device_settings import DeviceSettings
from companion.core.session import OpenDiary
from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
from companion.paths import device_settings_path
from companion.storage.errors import WrongKeyError
from companion.storage.vault import Vault
from companion.ui import theme
from companion.ui.pages import AppContext
from companion.ui.settings.dialogs import ChangePassphraseDialog, NewRecoveryKeyDialog
from companion.ui.settings.page import SettingsPage

from .conftest import PASS, wait_for_tasks

NEW = "quiet harbour lanterns at dusk"


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[SettingsPage]:
    p = SettingsPage(diary, context)
    qtbot.addWidget(p)
    p.show()
    wait_for_tasks(qtbot)
    yield p
    wait_for_tasks(qtbot)


def test_auto_lock_minutes_are_saved_and_announced(
    qtbot: QtBot, page: SettingsPage, diary: OpenDiary, context: AppContext
) -> None:
    with qtbot.waitSignal(context.signals.auto_lock_changed) as blocker:
        page.auto_lock.setValue(15)
    assert blocker.args == [15]
    assert SettingsService(diary.db).get(AUTO_LOCK_MINUTES) == 15
    page.auto_lock.setValue(10_000)  # the spin box clamps absurd values
    assert page.auto_lock.value() == 240


def test_typed_nonsense_in_the_auto_lock_box_leaves_a_valid_time(
    qtbot: QtBot, page: SettingsPage, diary: OpenDiary
) -> None:
    """Letters are refused as typed; a number below the range goes back to the time before
    when the box is left, one above it is cut as typed; what is saved is always the time
    shown, one the auto-lock can use."""
    box = page.auto_lock
    low, high = AUTO_LOCK_MINUTES.minimum, AUTO_LOCK_MINUTES.maximum
    for typed in ("abc", "0", "99999"):
        box.setFocus()
        box.selectAll()
        before = box.value()
        qtbot.keyClicks(box, typed)
        qtbot.keyClick(box, Qt.Key.Key_Enter)
        box.clearFocus()
        if typed != "99999":
            assert box.value() == before, typed
        assert low <= box.value() <= high, typed
        assert SettingsService(diary.db).get(AUTO_LOCK_MINUTES) == box.value(), typed


def test_the_auto_lock_box_shows_its_whole_value_at_any_text_size(
    qtbot: QtBot, page: SettingsPage, qapp: QApplication
) -> None:
    """As wide as its longest value and its step buttons need at the text size in use (a
    fixed 160 px cut "minutes" at 200 % text), and no wider."""
    box = page.auto_lock
    try:
        for scale in (1.0, 2.0):
            theme.apply(qapp, DeviceSettings(theme="light", text_scale=scale))
            box.setValue(box.maximum())  # (its longest words)
            qtbot.waitUntil(lambda: box.width() == box.sizeHint().width())
            shown = box.lineEdit().width()
            words = box.fontMetrics().horizontalAdvance(box.text())
            assert shown >= words, (scale, shown, words)
            assert box.width() < page.width() // 2
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_change_passphrase_with_a_wrong_current_one(qtbot: QtBot, diary: OpenDiary) -> None:
    dialog = ChangePassphraseDialog(diary)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.current.edit, "wrong passphrase")
    qtbot.keyClicks(dialog.new1.edit, NEW)
    qtbot.keyClicks(dialog.new2.edit, NEW)
    dialog.submit()
    wait_for_tasks(qtbot)
    assert "not right" in dialog.error.text()
    diary.lock()
    OpenDiary.unlock(diary.vault.path, passphrase=PASS).lock()


def test_change_passphrase_mismatch_is_caught_before_any_work(
    qtbot: QtBot, diary: OpenDiary
) -> None:
    dialog = ChangePassphraseDialog(diary)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.current.edit, PASS)
    qtbot.keyClicks(dialog.new1.edit, NEW)
    qtbot.keyClicks(dialog.new2.edit, NEW + "!")
    dialog.submit()
    assert "not the same" in dialog.error.text()


def test_change_passphrase_reseals_backups(qtbot: QtBot, vault_path: Path) -> None:
    d, _ = OpenDiary.create(vault_path, PASS)
    SettingsService(d.db).set(AUTO_LOCK_MINUTES, 6)
    d.lock()
    d = OpenDiary.unlock(vault_path, passphrase=PASS)
    SettingsService(d.db).set(AUTO_LOCK_MINUTES, 8)
    assert d.backups()
    dialog = ChangePassphraseDialog(d)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.current.edit, PASS)
    qtbot.keyClicks(dialog.new1.edit, NEW)
    qtbot.keyClicks(dialog.new2.edit, NEW)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    assert "passphrase is changed" in dialog.result_text
    backups = d.backups()
    d.lock()
    with pytest.raises(WrongKeyError):
        OpenDiary.unlock(vault_path, passphrase=PASS)
    OpenDiary.unlock(vault_path, passphrase=NEW).lock()
    for b in backups:
        with pytest.raises(WrongKeyError):
            Vault.unlock(b.path, passphrase=PASS)
        Vault.unlock(b.path, passphrase=NEW)[0].close()


def test_new_recovery_key_needs_the_passphrase_and_replaces_the_old_key(
    qtbot: QtBot, vault_path: Path
) -> None:
    d, old_key = OpenDiary.create(vault_path, PASS)
    dialog = NewRecoveryKeyDialog(d)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase.edit, "wrong passphrase")
    qtbot.keyClick(dialog.passphrase.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    assert "not right" in dialog.error.text()
    assert dialog.stack.currentIndex() == 0
    dialog.passphrase.edit.clear()
    qtbot.keyClicks(dialog.passphrase.edit, PASS)
    dialog.submit()
    wait_for_tasks(qtbot)
    assert dialog.stack.currentIndex() == 1
    new_key = dialog.panel.key_label.text()
    assert len(new_key) > 20 and new_key != old_key
    assert not dialog.done_button.isEnabled()
    dialog.panel.stored.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert dialog.panel.key_label.text() == ""
    d.lock()
    with pytest.raises(WrongKeyError):
        OpenDiary.unlock(vault_path, recovery_key=old_key)
    OpenDiary.unlock(vault_path, recovery_key=new_key).lock()


def test_after_a_recovery_unlock_a_new_passphrase_is_asked_without_the_old_one(
    qtbot: QtBot, vault_path: Path
) -> None:
    d, key = OpenDiary.create(vault_path, PASS)
    d.lock()
    d = OpenDiary.unlock(vault_path, recovery_key=key)
    dialog = ChangePassphraseDialog(d, after_recovery=True)
    qtbot.addWidget(dialog)
    assert not dialog.current.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.new1.edit, NEW)
    qtbot.keyClicks(dialog.new2.edit, NEW)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    d.lock()
    OpenDiary.unlock(vault_path, passphrase=NEW).lock()
    OpenDiary.unlock(vault_path, recovery_key=key).lock()


def test_restore_a_backup_and_come_back(
    qtbot: QtBot, vault_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, _ = OpenDiary.create(vault_path, PASS)
    SettingsService(d.db).set(AUTO_LOCK_MINUTES, 6)
    d.lock()
    d = OpenDiary.unlock(vault_path, passphrase=PASS)
    SettingsService(d.db).set(AUTO_LOCK_MINUTES, 30)
    page = SettingsPage(d, context)
    qtbot.addWidget(page)
    wait_for_tasks(qtbot)
    assert page.backup_table.rowCount() >= 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(context.signals.diary_replaced):
        page.backup_table.selectRow(0)
        qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert SettingsService(d.db).get(AUTO_LOCK_MINUTES) == 6
    assert page.auto_lock.value() == 6
    assert "Restored" in page.backup_status.text()
    wait_for_tasks(qtbot)  # the restored diary's backups are listed in the background
    d.lock()


def test_save_an_encrypted_copy(qtbot: QtBot, page: SettingsPage, tmp_path: Path) -> None:
    page.save_copy_to(tmp_path / "elsewhere")
    copy = tmp_path / "elsewhere.companion"
    assert copy.exists()
    assert "encrypted copy" in page.backup_status.text()
    Vault.unlock(copy, passphrase=PASS)[0].close()


def test_appearance_is_remembered_on_this_computer(
    qtbot: QtBot, page: SettingsPage, context: AppContext
) -> None:
    with qtbot.waitSignal(context.signals.device_settings_changed):
        page.theme_box.setCurrentIndex(page.theme_box.findData("dark"))
    page.reduce_motion.setChecked(True)
    saved = device_settings.load(device_settings_path(context.data_dir))
    assert saved.theme == "dark" and saved.reduce_motion


def test_keyring_unavailable_is_explained(qtbot: QtBot, page: SettingsPage) -> None:
    # No trusted keyring in the plain test run: the option is disabled with a reason.
    qtbot.waitUntil(lambda: not page.keyring_status.text().startswith("Checking"))
    text = page.keyring_status.text()
    assert text.startswith(("Unlocking without", "This computer's keyring is available"))
    if text.startswith("Unlocking without the passphrase is not available"):
        # one muted line: no greyed checkbox, no warning about a choice that is not there
        assert not page.remember.isEnabled()
        assert not page.remember.isVisible() and not page.keyring_warning.isVisible()
        assert page.keyring_status.isVisible()
    else:
        assert page.remember.isVisible() and page.keyring_warning.isVisible()


def test_the_keyring_is_probed_once_the_page_is_built(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first probe imports the keyring's backends (~115 ms of Python on a worker): not
    while the page builds, when it would take turns with it for Python's lock."""
    from companion.ui.settings import page as settings_page

    started: list[str] = []
    real = settings_page.run_task

    def recording(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(getattr(fn, "__name__", ""))
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(settings_page, "run_task", recording)
    p = SettingsPage(diary, context)
    qtbot.addWidget(p)
    p.show()
    assert p.building and "keyring_availability" not in started
    qtbot.waitUntil(lambda: not p.building)
    assert started.count("keyring_availability") == 1
    wait_for_tasks(qtbot)
    assert p.keyring_status.text() != "Checking this computer's keyring…"


def test_built_ahead_the_backups_card_is_a_step_and_each_card_a_turn(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Built ahead, out of sight, the constructor makes the security card only; the backups
    card is the first of its steps, above the others, and its steps run a card a turn (the
    constructor was a turn of 11-16 ms, two cards a turn of 12 ms)."""
    from companion.ui.pages import building_ahead
    from companion.ui.timers import Steps

    with building_ahead():
        page = SettingsPage(diary, context)
    qtbot.addWidget(page)
    assert not hasattr(page, "backup_table")
    page.start_steps_now()
    [steps] = [work for work in page._building if isinstance(work, Steps)]
    assert steps._budget_s == 0
    page.finish_building()
    layout = page.layout()
    assert layout is not None
    made = [layout.itemAt(i).widget() for i in range(layout.count())]
    card = page.backup_table.parentWidget()
    while card is not None and card.parentWidget() is not page:
        card = card.parentWidget()
    assert made.index(card) == 2  # (the title, the security card, then the backups card)
    assert made[-1] is None and len(made) == 8  # (six cards below the title, the stretch)


def test_shown_again_with_the_same_backups_the_table_keeps_the_row_chosen(
    qtbot: QtBot, vault_path: Path, context: AppContext
) -> None:
    """Each showing lists the backups again (a save may have made one); the same list leaves
    the table as it is, with the row the person chose; a new backup fills it again."""
    d, _ = OpenDiary.create(vault_path, PASS)
    for minutes in (6, 7):
        SettingsService(d.db).set(AUTO_LOCK_MINUTES, minutes)
        d.lock()
        d = OpenDiary.unlock(vault_path, passphrase=PASS)
    page = SettingsPage(d, context)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.building)
    wait_for_tasks(qtbot)
    assert page.backup_table.rowCount() >= 2
    page.backup_table.selectRow(1)
    first_cell = page.backup_table.item(0, 0)
    page.refresh()
    wait_for_tasks(qtbot)
    assert page.backup_table.item(0, 0) is first_cell  # not filled again
    assert page.backup_table.selectionModel().selectedRows()[0].row() == 1
    fewer = page._backups[1:]  # (as if the oldest had been pruned meanwhile)
    page._show_backups(fewer)
    assert page.backup_table.rowCount() == len(fewer)
    assert page.backup_table.item(0, 0) is not first_cell
    d.lock()
