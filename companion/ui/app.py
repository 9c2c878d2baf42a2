"""The QApplication, the theme, and the walk between setup, unlock and the main window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from companion import APP_NAME, __version__, paths
from companion.core import device_settings
from companion.core.device_settings import DeviceSettings
from companion.storage.errors import VaultInUseError
from companion.storage.lock import InstanceLock
from companion.ui import theme
from companion.ui.pages import AppContext

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

    from companion.core.session import OpenDiary

EXIT_IN_USE = 5
#: work that can wait until the first window is on screen starts this many ms after launch
AFTER_FIRST_PAINT_MS = 50


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("org.companion.Companion")
    return app


def server_name(vault_path: Path) -> str:
    """A per-vault, per-user name for the 'raise the window' channel (no path in clear)."""
    import hashlib

    digest = hashlib.sha256(str(vault_path).encode("utf-8")).hexdigest()[:16]
    return f"companion-{digest}"


def ask_running_instance_to_show(vault_path: Path) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(server_name(vault_path))
    if not socket.waitForConnected(500):
        return False
    socket.write(b"show\n")
    socket.waitForBytesWritten(500)
    socket.disconnectFromServer()
    return True


class AppController(QObject):
    """Owns the instance lock from the first window until quit, and the current window."""

    def __init__(self, data_dir: Path, *, device: DeviceSettings | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.vault_path = paths.vault_path(data_dir)
        settings = device or device_settings.load(paths.device_settings_path(data_dir))
        self.context = AppContext(data_dir=data_dir, device=settings)
        self.context.signals.device_settings_changed.connect(self.apply_theme)
        self.instance_lock = InstanceLock(self.vault_path)
        self.window: QWidget | None = None
        self.server: QLocalServer | None = None
        self.diary: OpenDiary | None = None
        self.rekey_dialog: QWidget | None = None

    def apply_theme(self, settings: DeviceSettings | None = None) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, settings or self.context.device)

    def start(self) -> int | None:
        """Take the lock and show the first window; an exit code when we cannot."""
        try:
            self.instance_lock.acquire()
        except VaultInUseError as exc:
            shown = ask_running_instance_to_show(self.vault_path)
            print(
                exc.message + (" It has been brought to the front." if shown else ""),
                file=sys.stderr,
            )
            return EXIT_IN_USE
        self.apply_theme()
        if self.vault_path.exists():
            self.show_unlock()
        else:
            self.show_setup()
        # Not needed to show the first window, so done once it has been painted.
        QTimer.singleShot(AFTER_FIRST_PAINT_MS, self._after_first_window)
        return None

    def _after_first_window(self) -> None:
        from companion.storage.vault import cleanup_stale_temp_files

        cleanup_stale_temp_files(self.data_dir)
        self._listen()

    def _listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self.vault_path)
        QLocalServer.removeServer(name)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._raise_window)
        self.server.listen(name)

    def _raise_window(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.disconnectFromServer()
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def _replace_window(self, window: QWidget) -> None:
        old, self.window = self.window, window
        window.setWindowIcon(QIcon.fromTheme("org.companion.Companion"))
        window.resize(1100, 760)
        window.show()
        if old is not None:
            old.hide()
            old.deleteLater()
        window.raise_()
        window.activateWindow()

    def show_setup(self) -> None:
        from companion.ui.unlock.setup import SetupWindow

        window = SetupWindow(self.vault_path, context=self.context)
        window.created.connect(self.show_main)
        self._replace_window(window)

    def show_unlock(self, *, try_device: bool = True) -> None:
        from companion.ui.unlock.unlock import UnlockWindow

        window = UnlockWindow(self.vault_path, try_device=try_device, context=self.context)
        window.unlocked.connect(self.show_main)
        self._replace_window(window)
        window.secret.edit.setFocus()

    def show_main(self, diary: OpenDiary, used_recovery_key: bool = False) -> None:
        from companion.ui.main_window import MainWindow

        self.diary = diary
        if diary.must_change_passphrase:
            self._require_new_passphrase(diary)
            return
        window = MainWindow(diary, self.context)
        window.locked.connect(self._locked)
        self._replace_window(window)

    def _require_new_passphrase(self, diary: OpenDiary) -> None:
        """Opened with the recovery key: a new passphrase before anything else (no 'Later').

        The diary cannot save until then (the vault refuses), and the main window is not
        shown: leaving the dialog locks the diary again without writing anything.
        """
        from companion.ui.settings.dialogs import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(diary, self.window, after_recovery=True)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._after_new_passphrase(diary, dialog.result_text))
        dialog.rejected.connect(lambda: self._abandon_recovery(diary))
        self.rekey_dialog = dialog
        dialog.open()

    def _after_new_passphrase(self, diary: OpenDiary, text: str) -> None:
        self.rekey_dialog = None
        self.show_main(diary)
        show = getattr(self.window, "show_save_problem", None)
        if callable(show) and text:
            show(text)

    def _abandon_recovery(self, diary: OpenDiary) -> None:
        self.rekey_dialog = None
        self.diary = None
        diary.close()  # nothing was written: there is nothing to save
        self.show_unlock(try_device=False)

    def _locked(self, quitting: bool) -> None:
        self.diary = None
        if quitting:
            QApplication.quit()
        else:
            self.show_unlock(try_device=False)

    def shutdown(self) -> None:
        """Lock whatever is open and let go of the instance lock."""
        if self.diary is not None:  # the main window is showing: lock it (saves first)
            lock = getattr(self.window, "lock", None)
            if callable(lock):
                lock()
            elif self.diary.must_change_passphrase:  # recovery unlock: nothing to save
                self.diary.close()
                self.diary = None
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        if self.server is not None:
            self.server.close()
        self.instance_lock.release()


def run(data_dir: Path) -> int:
    from companion.storage.files import tighten_data_dir
    from companion.ui.crash import install_excepthook

    app = make_app()
    install_excepthook()
    warnings = tighten_data_dir(data_dir)  # 0700 folder, 0600 files, where this user owns them
    for warning in warnings:
        print(warning, file=sys.stderr)
    controller = AppController(data_dir)
    code = controller.start()
    if code is not None:
        return code
    error = getattr(controller.window, "error", None)
    if warnings and error is not None:
        error.setText(" ".join(warnings))
    app.aboutToQuit.connect(controller.shutdown)
    return app.exec()
