"""``companion screenshot``: render one page offscreen to a PNG, for the README and reviews."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from companion import paths
from companion.core.device_settings import DeviceSettings
from companion.i18n import _

if TYPE_CHECKING:
    from companion.ui.main_window import MainWindow


def _settle(app: object, rounds: int = 5) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from companion.ui import tasks, timers
    from companion.ui.pages import Page

    for _round in range(rounds):
        QCoreApplication.processEvents()
        tasks.wait_for_workers(2000)
        QCoreApplication.processEvents()
        for widget in QApplication.allWidgets():  # a page built over later turns: all of it
            if isinstance(widget, Page) and widget.building:
                widget.finish_building()
    # a page that builds itself over several turns (``timers.in_steps``): all of it
    deadline = time.monotonic() + 20
    while (timers.running() or tasks.running()) and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        tasks.wait_for_workers(200)
    for _round in range(rounds):  # and what they added laid out, as a moment later on screen
        time.sleep(0.02)
        QCoreApplication.processEvents()


def _themed_app(
    theme: str, font_scale: float, size: tuple[int, int] | None = None
) -> tuple[object, DeviceSettings]:
    """The application (on an offscreen screen of ``size`` when given), in ``theme`` at
    ``font_scale``, with Qt's offscreen chatter quieted; and the device settings it shows."""
    from companion.ui import theme as theme_mod
    from companion.ui.app import make_app

    if size is None:
        app = make_app()
    else:
        with _offscreen_screen(size):
            app = make_app()
    _quiet_offscreen_messages()
    device = DeviceSettings(theme=theme, text_scale=font_scale)
    theme_mod.apply(app, device, dark=theme != "light")
    return app, device


#: what the recovery-key step shows in a screenshot: the shape of a key, opening nothing
SAMPLE_RECOVERY_KEY = "7QK2M-XD4RA-PN6TW-H3JZC-KBVEF-GUM2Q-TR5XN-4HDJA"


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
    app, device = _themed_app(theme, font_scale)
    vault_path = paths.vault_path(data_dir)

    if page in ("setup", "setup-recovery"):
        from companion.ui.unlock.setup import SetupWindow

        with tempfile.TemporaryDirectory() as tmp:
            setup = SetupWindow(Path(tmp) / paths.VAULT_NAME)
            if page == "setup-recovery":  # the step after "Create my diary", with a sample key
                setup.show_recovery_key(SAMPLE_RECOVERY_KEY)
            _grab(app, setup, size, out)
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


#: windows of the app itself, not of a feature: their dialogs are always there
_SHELL = ("settings", "help")


def _dialog_name(cls_path: str) -> str:
    """``companion.ui.mood.dialogs:CheckInDialog`` → ``check-in``."""
    import re

    name = cls_path.split(":")[1].removesuffix("Dialog")
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _dialog_cases() -> dict[str, object]:
    """The dialogs of this version, by name: the smoke test's list of every dialog the app can
    open (a test keeps it complete), less those of features not built."""
    from companion import features
    from companion.ui.smoke import DIALOGS

    built = set(features.FEATURES) | set(_SHELL)
    return {
        _dialog_name(case.cls_path): case
        for case in DIALOGS
        if case.cls_path.split(".")[2].split(":")[0] in built
    }


def dialog_names() -> list[str]:
    """What ``screenshot --dialog`` accepts."""
    return list(_dialog_cases())


@contextmanager
def _offscreen_screen(size: tuple[int, int]) -> Iterator[None]:
    """Offscreen, a screen of ``size`` (Qt's offscreen screen is 800×800 otherwise): dialogs
    size themselves by their screen. Only before the application exists."""
    from PySide6.QtWidgets import QApplication

    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform != "offscreen" or QApplication.instance() is not None:
        yield
        return
    screen = {"name": "screenshot", "x": 0, "y": 0, "width": size[0], "height": size[1]}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "screen.json"
        config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        try:
            yield
        finally:
            os.environ["QT_QPA_PLATFORM"] = platform


def render_dialog(
    *,
    dialog: str,
    out: Path,
    data_dir: Path,
    size: tuple[int, int],
    theme: str,
    passphrase: Callable[[], str],
    font_scale: float = 1.0,
) -> None:
    """The dialog as it opens over the main window (Today) on a screen of ``size``: the window
    dimmed behind it, the dialog at its own size in the middle (or from the top left, cut at
    the screen's edges, when it is larger than the screen)."""
    app, device = _themed_app(theme, font_scale, size)
    vault_path = paths.vault_path(data_dir)

    from companion.core.session import open_diary_locked
    from companion.storage.errors import VaultError
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import AppContext

    if not vault_path.exists():
        raise VaultError(
            _("There is no diary in {folder} to take a screenshot of.").format(folder=data_dir)
        )
    case = _dialog_cases()[dialog]
    with open_diary_locked(vault_path, passphrase, read_only=True) as diary:
        window = MainWindow(diary, AppContext(data_dir=data_dir, device=device))
        window.resize(*size)
        window.show()
        _settle(app)
        _save(_dialog_picture(app, window, case, size), out)
        _dispose(window)


def _dialog_picture(app: object, window: MainWindow, case: object, size: tuple[int, int]) -> object:
    """The dialog of ``case`` opened over ``window``, composed as on a screen (then closed)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QPainter

    from companion.ui import theme as theme_mod
    from companion.ui.smoke import DialogCase

    assert isinstance(case, DialogCase)
    widget = case.make(window)
    widget.show()
    _settle(app)
    # at the size it opens at (its own size hint); one larger than the screen runs off its
    # bottom and right edges, as it would on that screen (the offscreen platform draws no
    # window frames: the title bar is drawn here)
    bar = widget.fontMetrics().height() + 12
    colours = theme_mod.current()
    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 96))  # the window behind, dimmed
    shown = widget.grab()
    left = max(24, (size[0] - shown.width()) // 2)
    top = max(12, (size[1] - shown.height() - bar) // 2)
    frame = QRect(left - 1, top - 1, shown.width() + 1, shown.height() + bar + 1)
    painter.fillRect(frame, QColor(colours.sidebar))
    painter.setPen(QColor(colours.outline))
    painter.drawRect(frame)
    painter.setPen(QColor(colours.text))
    painter.setFont(widget.font())
    title_rect = QRect(left + 12, top, shown.width() - 24, bar)
    painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignVCenter), widget.windowTitle())
    painter.drawPixmap(left, top + bar, shown)
    painter.end()
    _dispose(widget)
    return picture


def render_batch(
    *,
    pages: list[str],
    dialogs: list[str],
    size: tuple[int, int],
    themes: list[str],
    scales: list[int],
    data_dir: Path,
    out: Path,
    passphrase: Callable[[], str],
) -> list[Path]:
    """Many pictures at one screen size in one process (tools/screens.sh): each sidebar page
    (``out/PAGE-THEME-WxH-SCALE.png``) and dialog (``out/dialogs/…``) in each theme and text
    size (percent), the diary unlocked once. The pictures are those of ``render_page`` and
    ``render_dialog``."""
    from PySide6.QtWidgets import QWidget

    from companion.core.session import open_diary_locked
    from companion.ui import theme as theme_mod
    from companion.ui.app import make_app
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import AppContext

    with _offscreen_screen(size):
        app = make_app()
    _quiet_offscreen_messages()
    cases = _dialog_cases()
    made: list[Path] = []
    wide, high = size
    with open_diary_locked(paths.vault_path(data_dir), passphrase, read_only=True) as diary:
        for theme in themes:
            for scale in scales:
                device = DeviceSettings(theme=theme, text_scale=scale / 100)
                theme_mod.apply(app, device, dark=theme != "light")
                window = MainWindow(diary, AppContext(data_dir=data_dir, device=device))
                window.resize(*size)
                window.show()
                _settle(app)
                for page in pages:
                    window.open_page(page)
                    _settle(app)
                    picture = out / f"{page}-{theme}-{wide}x{high}-{scale}.png"
                    _save(window.grab(), picture)
                    made.append(picture)
                window.open_page(window.page_ids[0])
                _settle(app)
                for dialog in dialogs:
                    picture = out / "dialogs" / f"{dialog}-{theme}-{wide}x{high}-{scale}.png"
                    _save(_dialog_picture(app, window, cases[dialog], size), picture)
                    made.append(picture)
                assert isinstance(window, QWidget)
                _dispose(window)
    return made


def _grab(app: object, window: object, size: tuple[int, int], out: Path) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    window.resize(*size)
    window.show()
    window.resize(*size)  # again: a dialog may grow to its height-for-width on show
    _settle(app)
    image = window.grab()
    _dispose(window)
    _save(image, out)


def _save(image: object, out: Path) -> None:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPixmap

    from companion.core.diary_files import write_private_file

    assert isinstance(image, QPixmap)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the picture could not be made")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_private_file(out, bytes(buffer.data().data()))  # it shows what the person wrote: 0600


def _dispose(window: object) -> None:
    """Close and delete the window now, and collect what it left in reference cycles (the
    command may run inside a longer process, e.g. the tests: Qt objects left for Python's
    garbage collector can be destroyed on the wrong thread, or after the application)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QWidget

    from companion.ui import gc_policy, tasks

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
    gc_policy.collect_everything()


def _quiet_offscreen_messages() -> None:
    """The offscreen platform warns about window features it lacks; those are not problems."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if "This plugin does not support" in message:
            return
        print(message, file=sys.stderr)

    qInstallMessageHandler(handler)
