"""``companion screenshot``: render one page offscreen to a PNG, for the README and reviews."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from companion import paths
from companion.core.device_settings import DeviceSettings
from companion.i18n import _


def _settle(app: object, rounds: int = 5) -> None:
    from PySide6.QtCore import QCoreApplication

    from companion.ui import tasks

    for _round in range(rounds):
        QCoreApplication.processEvents()
        tasks.wait_for_workers(2000)
        QCoreApplication.processEvents()


def render_page(
    *,
    page: str,
    out: Path,
    data_dir: Path,
    size: tuple[int, int],
    theme: str,
    passphrase: Callable[[], str],
    font_scale: float = 1.0,
) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from companion.ui import theme as theme_mod
    from companion.ui.app import make_app

    app = make_app()
    _quiet_offscreen_messages()
    device = DeviceSettings(theme=theme, text_scale=font_scale)
    theme_mod.apply(app, device, dark=theme != "light")
    vault_path = paths.vault_path(data_dir)

    if page == "setup":
        from companion.ui.unlock.setup import SetupWindow

        with tempfile.TemporaryDirectory() as tmp:
            _grab(app, SetupWindow(Path(tmp) / paths.VAULT_NAME), size, out)
        return
    if page == "help" and not vault_path.exists():
        from companion.ui.help import HelpDialog

        _grab(app, HelpDialog(device.help_country), size, out)  # as seen before setup
        return
    if page == "unlock":
        from companion.ui.unlock.unlock import UnlockWindow

        _grab(app, UnlockWindow(vault_path, try_device=False), size, out)
        return

    from companion.core.session import open_diary_locked
    from companion.storage.errors import VaultError
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import AppContext

    if not vault_path.exists():
        raise VaultError(
            _("There is no diary in {folder} to take a screenshot of.").format(folder=data_dir)
        )
    # read-only: a screenshot never writes to the diary
    with open_diary_locked(vault_path, passphrase, read_only=True) as diary:
        context = AppContext(data_dir=data_dir, device=device)
        window = MainWindow(diary, context)
        if page == "help":  # opened from the unlocked diary: the person's plan comes first
            from companion.ui.help import open_help

            window.show()
            _grab(app, open_help(window, device.help_country), size, out)
            _dispose(window)
        else:
            window.open_page(page)
            _grab(app, window, size, out)


def _grab(app: object, window: object, size: tuple[int, int], out: Path) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    window.resize(*size)
    window.show()
    window.resize(*size)  # again: a dialog may grow to its height-for-width on show
    _settle(app)
    image = window.grab()
    _dispose(window)
    from PySide6.QtCore import QBuffer, QIODevice

    from companion.core.diary_files import write_private_file

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the picture could not be made")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_private_file(out, bytes(buffer.data().data()))  # it shows what the person wrote: 0600


def _dispose(window: object) -> None:
    """Close and delete the window now (the command may run inside a longer process, e.g. the
    tests: Qt objects left for Python's garbage collector can be destroyed on the wrong thread)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QWidget

    from companion.ui import tasks

    assert isinstance(window, QWidget)
    idle = getattr(window, "idle", None)
    if idle is not None:
        idle.stop()
    tasks.wait_for_workers(10_000)  # Companion's own pool, not Qt's global one
    QCoreApplication.processEvents()
    window.hide()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _quiet_offscreen_messages() -> None:
    """The offscreen platform warns about window features it lacks; those are not problems."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if "This plugin does not support" in message:
            return
        print(message, file=sys.stderr)

    qInstallMessageHandler(handler)
