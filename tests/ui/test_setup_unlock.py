"""Setup and unlock, driven as a person would: typing, clicking, pressing Enter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.ui.pages import AppContext
from companion.ui.unlock import common as unlock_common
from companion.ui.unlock.setup import SetupWindow
from companion.ui.unlock.unlock import UnlockWindow

from .conftest import PASS, wait_for_tasks


def _type(qtbot: QtBot, widget: object, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)


def warmed_up(qtbot: QtBot) -> None:
    """The database layer's background import (once a process, a moment after the first
    window shows) has run: a short test would otherwise end while it still runs."""
    qtbot.waitUntil(lambda: unlock_common._warmed, timeout=5000)
    wait_for_tasks(qtbot)


def shown(qtbot: QtBot, window: QWidget) -> None:
    """Show ``window`` as a person would see it before clicking: exposed and laid out (the
    offscreen platform exposes a window at once, before its layouts have run)."""
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()


def walk_setup(qtbot: QtBot, vault_path: Path) -> tuple[SetupWindow, list[object]]:
    window = SetupWindow(vault_path)
    qtbot.addWidget(window)
    shown(qtbot, window)
    warmed_up(qtbot)
    qtbot.waitUntil(lambda: window.begin_button.height() > 0)  # the column has settled
    created: list[object] = []
    window.created.connect(created.append)
    qtbot.mouseClick(window.begin_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == 1
    return window, created


def test_setup_refuses_short_and_mismatched_passphrases(qtbot: QtBot, vault_path: Path) -> None:
    window, _ = walk_setup(qtbot, vault_path)
    _type(qtbot, window.pass1.edit, "short")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert "at least 8" in window.pass_error.text()
    _type(qtbot, window.pass1.edit, PASS)
    _type(qtbot, window.pass2.edit, PASS + "x")
    qtbot.keyClick(window.pass2.edit, Qt.Key.Key_Return)
    assert "not the same" in window.pass_error.text()
    assert not vault_path.exists()


def test_strength_meter_follows_typing(qtbot: QtBot, vault_path: Path) -> None:
    window, _ = walk_setup(qtbot, vault_path)
    _type(qtbot, window.pass1.edit, "password")
    weak = window.meter.value()
    _type(qtbot, window.pass1.edit, "violet tractor sings under marmalade")
    assert window.meter.value() > weak
    assert window.meter_label.text().startswith(("Strong", "Very strong"))


def test_full_setup_then_unlock_with_passphrase_and_recovery_key(
    qtbot: QtBot, vault_path: Path, tmp_path: Path
) -> None:
    window, created = walk_setup(qtbot, vault_path)
    _type(qtbot, window.pass1.edit, PASS)
    _type(qtbot, window.pass2.edit, PASS)
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 2, timeout=10_000)
    key = window.recovery.key_label.text()
    assert len(key) > 20
    assert window.pass1.text() == "" and window.pass2.text() == ""
    assert not window.recovery_continue.isEnabled()
    window.recovery.save_pdf(tmp_path / "key")
    pdf = (tmp_path / "key.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    window.recovery.stored.setChecked(True)
    assert window.recovery_continue.isEnabled()
    qtbot.mouseClick(window.recovery_continue, Qt.MouseButton.LeftButton)
    assert window.recovery.key_label.text() == ""
    wait_for_tasks(qtbot)
    qtbot.mouseClick(window.finish_button, Qt.MouseButton.LeftButton)
    assert len(created) == 1
    diary = created[0]
    assert isinstance(diary, OpenDiary)
    diary.lock()

    OpenDiary.unlock(vault_path, passphrase=PASS).lock()
    OpenDiary.unlock(vault_path, recovery_key=key.lower().replace("-", " ")).lock()


def make_unlock(qtbot: QtBot, vault_path: Path) -> tuple[UnlockWindow, list[tuple[object, bool]]]:
    window = UnlockWindow(vault_path, try_device=False)
    qtbot.addWidget(window)
    shown(qtbot, window)
    got: list[tuple[object, bool]] = []
    window.unlocked.connect(lambda d, r: got.append((d, r)))
    return window, got


def test_wrong_passphrase_is_calm_and_changes_nothing(
    qtbot: QtBot, diary: OpenDiary, vault_path: Path
) -> None:
    diary.lock()
    before = vault_path.read_bytes()
    window, got = make_unlock(qtbot, vault_path)
    qtbot.keyClicks(window.secret.edit, "not my passphrase")
    qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    assert "does not open this diary" in window.error.text()
    assert got == []
    assert vault_path.read_bytes() == before
    assert window.secret.edit.hasSelectedText()


def test_empty_passphrase_asks_gently(qtbot: QtBot, diary: OpenDiary, vault_path: Path) -> None:
    diary.lock()
    window, got = make_unlock(qtbot, vault_path)
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    assert window.error.text() == "Please type your passphrase."
    assert got == []


def test_right_passphrase_unlocks_and_clears_the_field(
    qtbot: QtBot, diary: OpenDiary, vault_path: Path
) -> None:
    diary.lock()
    window, got = make_unlock(qtbot, vault_path)
    qtbot.keyClicks(window.secret.edit, PASS)
    qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    assert len(got) == 1 and got[0][1] is False
    assert window.secret.text() == ""
    got[0][0].lock()  # type: ignore[attr-defined]


def test_recovery_mode_with_a_typo(qtbot: QtBot, vault_path: Path) -> None:
    d, key = OpenDiary.create(vault_path, PASS)
    d.lock()
    window, got = make_unlock(qtbot, vault_path)
    qtbot.mouseClick(window.mode_button, Qt.MouseButton.LeftButton)
    assert window.field_label.text() == "Recovery key"
    assert "recovery key" in window.intro.text() and "passphrase to open" not in window.intro.text()
    typo = ("B" if key[0] != "B" else "C") + key[1:]
    qtbot.keyClicks(window.secret.edit, typo)
    qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    assert window.error.text() != ""
    assert got == []
    qtbot.mouseClick(window.mode_button, Qt.MouseButton.LeftButton)  # back and forth
    assert window.intro.text() == "Your diary is locked. Type your passphrase to open it."
    qtbot.mouseClick(window.mode_button, Qt.MouseButton.LeftButton)
    assert "recovery key" in window.intro.text()
    _type(qtbot, window.secret.edit, key)
    qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    assert len(got) == 1 and got[0][1] is True
    got[0][0].lock()  # type: ignore[attr-defined]


def test_damaged_vault_offers_the_newest_backup_that_opens(qtbot: QtBot, vault_path: Path) -> None:
    from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService

    d, _ = OpenDiary.create(vault_path, PASS)
    SettingsService(d.db).set(AUTO_LOCK_MINUTES, 7)
    d.lock()
    d = OpenDiary.unlock(vault_path, passphrase=PASS)
    SettingsService(d.db).set(AUTO_LOCK_MINUTES, 9)  # first save of the session: a backup
    d.lock()
    data = bytearray(vault_path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    vault_path.write_bytes(bytes(data))

    window, got = make_unlock(qtbot, vault_path)
    assert window._damaged_notice is None  # made when a file turns out damaged, not at launch
    qtbot.keyClicks(window.secret.edit, PASS)
    qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
    wait_for_tasks(qtbot)
    assert window.damaged_notice.isVisible()
    assert window.restore_button.isVisible()
    assert window.damaged_notice.text.textInteractionFlags() & (
        Qt.TextInteractionFlag.TextSelectableByMouse
    )
    # where they would have been had they been made with the window: the notice under the
    # error, the button last in the card, for the eye, the Tab key and a screen reader
    body = window.card.body
    assert body.indexOf(window.damaged_notice) == body.indexOf(window.error) + 1
    assert body.itemAt(body.count() - 1).widget() is window.restore_button
    chain, widget = [], window.secret.edit
    for _step in range(12):
        chain.append(widget)
        widget = widget.nextInFocusChain()
    tab_stops = [w for w in chain if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert tab_stops.index(window.mode_button) < tab_stops.index(window.restore_button)
    assert got == []
    qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert len(got) == 1
    restored = got[0][0]
    assert SettingsService(restored.db).get(AUTO_LOCK_MINUTES) == 7  # type: ignore[attr-defined]
    restored.lock()  # type: ignore[attr-defined]
    kept = [p for p in (vault_path.parent / "backups").iterdir() if p.read_bytes() == bytes(data)]
    assert len(kept) == 1, "the damaged file is kept among the backups"
    OpenDiary.unlock(vault_path, passphrase=PASS).lock()


def test_a_disabled_primary_button_looks_disabled(
    qtbot: QtBot, vault_path: Path, context: AppContext
) -> None:
    """ "Continue" on the recovery-key page: no teal fill and a muted arrow until the box is
    ticked, then the full primary look."""
    from PySide6.QtGui import QColor, QIcon

    from companion.ui import theme

    colours = theme.current()
    window = SetupWindow(vault_path)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.stack.setCurrentIndex(2)
    button = window.recovery_continue

    def fill() -> QColor:
        picture = button.grab().toImage()
        return picture.pixelColor(picture.width() - 8, picture.height() // 2)

    assert not button.isEnabled()
    assert fill().name() == QColor(colours.window).name()  # no fill: the window shows through
    arrow = button.icon().pixmap(16, 16, QIcon.Mode.Disabled).toImage()
    inked = [
        arrow.pixelColor(x, y)
        for x in range(16)
        for y in range(16)
        if arrow.pixelColor(x, y).alpha() > 200
    ]
    muted = QColor(colours.muted)
    assert inked and all(
        abs(c.red() - muted.red()) + abs(c.green() - muted.green()) + abs(c.blue() - muted.blue())
        < 12
        for c in inked
    )
    window.recovery.stored.setChecked(True)
    assert button.isEnabled()
    qtbot.waitUntil(lambda: fill().name() == QColor(colours.accent).name())


def test_each_setup_step_is_as_tall_as_itself_and_the_recovery_key_fits_1024x640(
    qtbot: QtBot, vault_path: Path
) -> None:
    """The recovery-key step used to scroll at 1024×640 (the steps' stack was as tall as the
    welcome step): now everything on it, "Continue" included, is on screen without scrolling."""
    from PySide6.QtWidgets import QScrollArea

    window = SetupWindow(vault_path)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.recovery.set_key("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ12-3456")
    window.stack.setCurrentIndex(2)
    QApplication.processEvents()
    scroller = window.findChild(QScrollArea)
    assert scroller is not None
    qtbot.waitUntil(lambda: scroller.verticalScrollBar().maximum() == 0)
    assert window.recovery_continue.isVisible()
    bottom = window.recovery_continue.mapTo(window, window.recovery_continue.rect().bottomLeft())
    assert bottom.y() <= window.height()
    assert window.stack.height() < window.stack.widget(0).sizeHint().height()  # not the tallest
