"""Issue 18 in the GUI, used as a person would: weak passphrases and the suggestion, the
recovery-key rule, restoring a backup under every page, calm errors, private files."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from companion.core import passphrase as rules
from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.storage import format as vault_format
from companion.storage import vault as V
from companion.ui import crash
from companion.ui.app import AppController
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from companion.ui.settings.dialogs import ChangePassphraseDialog
from companion.ui.settings.page import SettingsPage
from companion.ui.unlock.setup import SetupWindow
from companion.ui.unlock.unlock import UnlockWindow
from companion.ui.widgets.passphrase import weak_passphrase_box

from .conftest import PASS, wait_for_tasks

NEW = "quiet harbour lanterns at dusk"


def _setup_at_passphrase(qtbot: QtBot, vault_path: Path) -> tuple[SetupWindow, list[object]]:
    window = SetupWindow(vault_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # the scrolling column settles its height a turn after the first paint; a click before
    # that lands on a button still 0 px tall (as no person could click so fast)
    qtbot.waitUntil(lambda: window.begin_button.height() > 0)
    created: list[object] = []
    window.created.connect(created.append)
    qtbot.mouseClick(window.begin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 1)
    return window, created


# --------------------------------------------------------------------------- weak passphrases


def test_setup_refuses_a_weak_passphrase_with_its_reason(qtbot: QtBot, vault_path: Path) -> None:
    window, _ = _setup_at_passphrase(qtbot, vault_path)
    qtbot.keyClicks(window.pass1.edit, "password1")
    qtbot.keyClicks(window.pass2.edit, "password1")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    text = window.pass_error.text()
    assert "too easy to guess" in text and "about" in text  # reason and guessing time
    assert window.choice.weak_button.isVisibleTo(window)
    assert not vault_path.exists()


def test_weak_override_needs_a_separate_yes(qtbot: QtBot, vault_path: Path) -> None:
    window, _ = _setup_at_passphrase(qtbot, vault_path)
    answers: list[bool] = []

    def confirm(_parent: object, reason: str) -> bool:
        assert "too easy to guess" in reason
        return answers.pop(0)

    window.choice._confirm = confirm
    for field in (window.pass1, window.pass2):
        qtbot.keyClicks(field.edit, "qwertyui")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    answers.append(False)  # "No, choose another"
    qtbot.mouseClick(window.choice.weak_button, Qt.MouseButton.LeftButton)
    assert not vault_path.exists() and window.stack.currentIndex() == 1
    answers.append(True)  # the person insists, deliberately
    qtbot.mouseClick(window.choice.weak_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 2, timeout=10_000)
    assert vault_path.exists()
    window.diary.lock()  # type: ignore[union-attr]
    OpenDiary.unlock(vault_path, passphrase="qwertyui").lock()


def test_weak_override_is_forgotten_when_the_text_changes(qtbot: QtBot, vault_path: Path) -> None:
    window, _ = _setup_at_passphrase(qtbot, vault_path)
    window.choice._confirm = lambda _p, _r: True
    for field in (window.pass1, window.pass2):
        qtbot.keyClicks(field.edit, "qwertyui")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    window.choice._allowed_text = "qwertyui"
    qtbot.keyClicks(window.pass1.edit, "x")  # now another text
    assert not window.choice.allow_weak(window.pass1.text())
    assert not window.choice.weak_button.isVisibleTo(window)


def test_the_confirmation_defaults_to_no(qtbot: QtBot) -> None:
    box = weak_passphrase_box(None, "This passphrase is too easy to guess.")
    qtbot.addWidget(box)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)


def test_suggest_fills_a_strong_visible_passphrase(qtbot: QtBot, vault_path: Path) -> None:
    window, _ = _setup_at_passphrase(qtbot, vault_path)
    qtbot.mouseClick(window.choice.suggest_button, Qt.MouseButton.LeftButton)
    text = window.pass1.text()
    assert text == window.pass2.text() and len(text.split()) == rules.GENERATED_WORDS
    assert window.pass1.toggle.isChecked()  # shown, so it can be written down
    assert "Strong" in window.meter_label.text() or "Very strong" in window.meter_label.text()
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 2, timeout=10_000)
    window.diary.lock()  # type: ignore[union-attr]
    OpenDiary.unlock(vault_path, passphrase=text).lock()


def test_change_passphrase_refuses_weak_and_offers_the_override(
    qtbot: QtBot, diary: OpenDiary, vault_path: Path
) -> None:
    dialog = ChangePassphraseDialog(diary)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.current.edit, PASS)
    for field in (dialog.new1, dialog.new2):
        qtbot.keyClicks(field.edit, "p@ssw0rd")
    before = vault_path.read_bytes()
    dialog.submit()
    assert "too easy to guess" in dialog.error.text()
    assert dialog.choice.weak_button.isVisibleTo(dialog)
    wait_for_tasks(qtbot)
    assert vault_path.read_bytes() == before


# --------------------------------------------------------------------------- recovery key


def _recovery_unlock(qtbot: QtBot, data_dir: Path) -> tuple[AppController, str]:
    vault = data_dir / "vault.companion"
    d, key = OpenDiary.create(vault, PASS)
    MoodService(d.db).create_entry(CheckIn(mood=4))
    d.lock()
    controller = AppController(data_dir)
    assert controller.start() is None
    window = controller.window
    assert isinstance(window, UnlockWindow)
    window.toggle_recovery_mode()
    qtbot.keyClicks(window.secret.edit, key)
    qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: controller.rekey_dialog is not None, timeout=10_000)
    return controller, key


def test_recovery_unlock_asks_for_a_passphrase_before_anything_else(
    qtbot: QtBot, data_dir: Path
) -> None:
    controller, key = _recovery_unlock(qtbot, data_dir)
    try:
        dialog = controller.rekey_dialog
        assert isinstance(dialog, ChangePassphraseDialog)
        assert not isinstance(controller.window, MainWindow)  # no pages before the change
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert "Later" not in cancel.text()
        for field in (dialog.new1, dialog.new2):
            qtbot.keyClicks(field.edit, NEW)
        dialog.submit()
        wait_for_tasks(qtbot)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        main = controller.window
        assert isinstance(main, MainWindow)
        assert "passphrase is changed" in main.save_notice.text.text()
    finally:
        controller.shutdown()
    OpenDiary.unlock(data_dir / "vault.companion", passphrase=NEW).lock()
    OpenDiary.unlock(data_dir / "vault.companion", recovery_key=key).lock()


def test_leaving_the_recovery_step_locks_without_writing(qtbot: QtBot, data_dir: Path) -> None:
    vault = data_dir / "vault.companion"
    controller, _ = _recovery_unlock(qtbot, data_dir)
    before = vault.read_bytes()
    try:
        dialog = controller.rekey_dialog
        assert isinstance(dialog, ChangePassphraseDialog)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
        qtbot.waitUntil(lambda: isinstance(controller.window, UnlockWindow), timeout=10_000)
        assert controller.diary is None
    finally:
        controller.shutdown()
    assert vault.read_bytes() == before
    OpenDiary.unlock(vault, passphrase=PASS).lock()  # the old passphrase still opens it


# --------------------------------------------------------------------------- restore


def test_restore_rebinds_every_page(
    qtbot: QtBot, vault_path: Path, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    d, _ = OpenDiary.create(vault_path, PASS)
    MoodService(d.db).create_entry(CheckIn(mood=2))
    d.lock()
    d = OpenDiary.unlock(vault_path, passphrase=PASS)
    MoodService(d.db).create_entry(CheckIn(mood=9))
    window = MainWindow(d, context)
    qtbot.addWidget(window)
    window.show()
    pages = window.pages  # every page built, each holding its services
    wait_for_tasks(qtbot)
    settings = pages["settings"]
    assert isinstance(settings, SettingsPage)
    session = next(i for i, b in enumerate(settings._backups) if b.kind == "session")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    settings.backup_table.selectRow(session)
    seen: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, *_: seen.append(kind.__name__))
    with qtbot.waitSignal(context.signals.diary_replaced):
        qtbot.mouseClick(settings.restore_button, Qt.MouseButton.LeftButton)
    for page_id in window.page_ids:  # show each page: each refreshes from the database
        window.open_page(page_id)
        wait_for_tasks(qtbot)
    assert seen == []
    assert [e.mood for e in MoodService(d.db).entries()] == [2]
    window.lock()


# --------------------------------------------------------------------------- calm errors


def test_gui_excepthook_shows_a_calm_message_without_data(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    crash.install_excepthook()
    try:
        raise ValueError("Invalid isoformat string: 'ZQXCRASH my private note text'")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: crash._box is not None and crash._box.isVisible(), timeout=5000)
    box = crash._box
    assert box is not None and box.text() == crash.CALM_MESSAGE
    err = capsys.readouterr().err
    assert "ValueError" in err and "ZQXCRASH" not in err and "Traceback" not in err
    box.close()


def test_another_error_after_the_window_of_the_last_box_was_deleted_shows_a_new_box(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The box is a child of the window that was active: a lock deletes that window, and the
    box with it. The next unexpected error shows a new box (the old one's check raised from
    inside the error handler itself)."""
    from PySide6.QtWidgets import QWidget

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(crash, "_box", None)
    crash.install_excepthook()
    window = QWidget()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    def error() -> None:
        try:
            raise ValueError("ZQXCRASH")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(
            lambda: (box := crash._box) is not None and shiboken6.isValid(box) and box.isVisible(),
            timeout=5000,
        )

    error()
    first = crash._box
    assert first is not None and first.parent() is window
    window.deleteLater()  # (a lock: the diary's window goes, its box with it)
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))
    error()
    box = crash._box
    assert box is not None and shiboken6.isValid(box) and box.text() == crash.CALM_MESSAGE
    assert "ZQXCRASH" not in capsys.readouterr().err
    box.close()
    box.deleteLater()


# --------------------------------------------------------------------------- private files


def test_every_file_the_gui_writes_is_private(qtbot: QtBot, tmp_path: Path) -> None:
    from companion.core.exercises.custom import save_exercise_file
    from companion.reports.pdf import html_document, write_pdf
    from companion.ui.widgets.recovery import save_recovery_pdf

    old = os.umask(0o022)
    try:
        save_recovery_pdf(V.new_recovery_key(), tmp_path / "companion-recovery-key.pdf")
        write_pdf(html_document("<h1>My safety plan</h1>"), tmp_path / "plan", "Safety plan")
        save_exercise_file('title = "Mine"\n', tmp_path / "mine.toml")
    finally:
        os.umask(old)
    written = ["companion-recovery-key.pdf", "plan.pdf", "mine.toml"]
    for name in written:
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(written)  # no temp left


def test_main_window_shows_last_saved_and_a_rollback_warning(
    qtbot: QtBot, vault_path: Path, context: AppContext
) -> None:
    d, _ = OpenDiary.create(vault_path, PASS)
    d.lock()
    old_copy = vault_path.read_bytes()
    for _ in range(2):
        d = OpenDiary.unlock(vault_path, passphrase=PASS)
        d.vault._clock = lambda: V._utcnow().replace(year=V._utcnow().year + 1)
        d.db.save(force=True)
        d.lock()
    vault_path.write_bytes(old_copy)
    d = OpenDiary.unlock(vault_path, passphrase=PASS)
    window = MainWindow(d, context)
    qtbot.addWidget(window)
    assert window.last_saved.text().startswith("Last saved before this session:")
    assert "newer than this diary file" in window.save_notice.text.text()
    window.lock()


def test_a_backup_dropped_on_a_full_disk_is_shown(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    assert diary.vault.on_backup_dropped is not None
    with qtbot.waitSignal(window.storage_notice):
        diary.vault.on_backup_dropped(2)
    assert "2 old backup files were removed" in window.save_notice.text.text()
    assert window.save_notice.isVisible()
    window.lock()
    QApplication.processEvents()


def test_a_planted_file_is_named_and_the_real_backup_offered(
    qtbot: QtBot, vault_path: Path, tmp_path: Path
) -> None:
    from companion.core.models import Base
    from companion.storage import migrations
    from companion.storage.database import Database

    d, key = OpenDiary.create(vault_path, PASS)
    MoodService(d.db).create_entry(CheckIn(mood=8))
    d.lock()
    d = OpenDiary.unlock(vault_path, passphrase=PASS)
    MoodService(d.db).create_entry(CheckIn(mood=9))  # the [8] file is now a session backup
    d.lock()
    victim = vault_format.parse(vault_path.read_bytes()).header.recovery
    assert victim is not None
    db = Database()
    migrations.upgrade(db.engine, Base.metadata)
    image = db.serialize()
    db.close()
    planter, _ = V.Vault.create(tmp_path / "p.companion", "planter owns this other one", image)
    slot = planter._recovery_slot_to(victim.salt, victim.pub, planter._dek)
    header = planter._next_header((planter._header.passphrase, slot))
    vault_path.write_bytes(bytes(V._seal(header, planter._dek, image)))

    window = UnlockWindow(vault_path, try_device=False)
    qtbot.addWidget(window)
    window.show()
    got: list[tuple[object, bool]] = []
    window.unlocked.connect(lambda diary, used: got.append((diary, used)))
    window.toggle_recovery_mode()
    qtbot.keyClicks(window.secret.edit, key)
    qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    assert "not made with it" in window.damaged_notice.text.text()
    assert got == []
    qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    restored = got[0][0]
    assert isinstance(restored, OpenDiary) and restored.must_change_passphrase
    assert [e.mood for e in MoodService(restored.db).entries()] == [8]
    restored.close()
