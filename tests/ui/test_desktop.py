"""Desktop integration: identity, the tray and its menu, close to tray, start minimised, start
at login, generic notifications, and the sentences for no display, no tray and a data folder
that cannot be written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion import cli
from companion.appinfo import APP_ID, ORGANIZATION_DOMAIN, ORGANIZATION_NAME
from companion.core import autostart, device_settings
from companion.core.session import OpenDiary
from companion.ui import identity, tray
from companion.ui.app import AppController
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from companion.ui.reminders import TrayNotifier
from companion.ui.settings.desktop_card import DesktopCard
from companion.ui.unlock.unlock import UnlockWindow

from .conftest import PASS, wait_for_tasks

# -- identity ------------------------------------------------------------------------------------


def test_identity_comes_from_the_one_app_id(qapp: QApplication) -> None:
    identity.set_app_identity(qapp)
    identity.set_app_icon(qapp)
    assert qapp.desktopFileName() == APP_ID
    assert qapp.organizationName() == ORGANIZATION_NAME
    assert qapp.organizationDomain() == ORGANIZATION_DOMAIN
    assert identity.icon_path().name == f"{APP_ID}.svg" and identity.icon_path().is_file()
    icon = identity.app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(16, 16).isNull()  # the SVG master draws at the smallest size
    assert not qapp.windowIcon().isNull()


def test_every_window_carries_the_icon(qtbot: QtBot, qapp: QApplication, data_dir: Path) -> None:
    """Set once the first window is painted (loading it is not needed to draw the window),
    on the application, so the window shown already and every later one carry it."""
    before = qapp.windowIcon()
    qapp.setWindowIcon(QIcon())
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        window = controller.window
        assert window is not None
        qtbot.waitUntil(lambda: controller.settled)
        assert not window.windowIcon().isNull()
        assert window.windowIcon().cacheKey() == identity.app_icon().cacheKey()
    finally:
        controller.shutdown()
        qapp.setWindowIcon(before)


# -- no display ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, True),
        ({"DISPLAY": ":0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"}, False),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":1"}, True),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb:nograb", "DISPLAY": ":1"}, False),
    ],
)
def test_display_problem_on_linux(env: dict[str, str], problem: bool) -> None:
    text = identity.display_problem(env, "linux")
    assert bool(text) is problem
    if problem:
        assert "graphical desktop" in text and "\n" not in text


def test_windows_and_macos_never_need_a_display_variable() -> None:
    assert identity.display_problem({}, "win32") == ""
    assert identity.display_problem({}, "darwin") == ""


def _bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No DISPLAY, no WAYLAND_DISPLAY, a throw-away HOME: nothing of this machine's session."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    env.update(extra)
    return env


def test_no_display_is_one_sentence_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(data)],
        env=_bare_env(tmp_path),
        cwd=tmp_path / "home",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == cli.EXIT_OTHER  # not Qt's abort (134)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "graphical desktop" in lines[0]
    assert "xcb" not in result.stderr and "Traceback" not in result.stderr
    assert not data.exists()  # nothing made where nothing was asked for
    assert list((tmp_path / "home").iterdir()) == []


# -- the data folder -----------------------------------------------------------------------------


def test_a_data_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(blocker / "diary")],
        env=_bare_env(tmp_path, QT_QPA_PLATFORM="offscreen"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == cli.EXIT_OTHER
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write to its data folder" in lines[0]
    assert "--data-dir" in lines[0] and "Traceback" not in result.stderr
    assert blocker.read_bytes() == b"not a folder"


def test_an_unwritable_data_folder_is_one_sentence_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder exists but refuses new files (a read-only mount, another account's folder).
    The tests run as root, where permission bits refuse nothing, so the refusal is made by
    the one call the check makes."""
    import tempfile

    data = tmp_path / "data"
    data.mkdir()
    (data / "vault.companion").write_bytes(b"an existing diary stays as it is")

    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert cli.main(["--data-dir", str(data)]) == cli.EXIT_OTHER
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"Companion cannot write to its data folder {data.resolve()} (Permission denied); "
        "choose a folder you can write to with --data-dir or COMPANION_DATA_DIR."
    ]
    assert sorted(p.name for p in data.iterdir()) == ["vault.companion"]
    assert (data / "vault.companion").read_bytes() == b"an existing diary stays as it is"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_data_folder_for_real(tmp_path: Path) -> None:  # pragma: no cover - root CI
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        assert "cannot write" in identity.data_folder_problem(data)
    finally:
        data.chmod(0o700)


def test_a_writable_data_folder_passes_and_keeps_nothing(tmp_path: Path) -> None:
    assert identity.data_folder_problem(tmp_path) == ""
    assert list(tmp_path.iterdir()) == []


# -- the tray ------------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    wait_for_tasks(qtbot)


@pytest.fixture
def desktop_tray(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> Iterator[tray.DesktopTray]:
    shown: list[MainWindow | None] = [window]
    t = tray.DesktopTray(lambda: shown[0], close_to_tray=lambda: context.device.close_to_tray)
    t.watch(window)
    yield t
    t.close()
    t.deleteLater()


def test_tray_menu_offers_check_in_ground_lock_quit(desktop_tray: tray.DesktopTray) -> None:
    texts = [a.text() for a in desktop_tray.menu.actions() if not a.isSeparator()]
    assert texts == ["Open Companion", "Check in…", "Ground me now", "Lock", "Quit"]
    desktop_tray.update_actions()
    assert all(a.isEnabled() for a in desktop_tray.menu.actions())


def test_tray_check_in_opens_the_check_in_window(
    qtbot: QtBot, desktop_tray: tray.DesktopTray, window: MainWindow
) -> None:
    from companion.ui.mood.dialogs import CheckInDialog

    window.showMinimized()
    desktop_tray.check_in_action.trigger()
    dialogs = [d for d in window.findChildren(CheckInDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert not window.isMinimized()
    dialogs[0].reject()


def test_tray_ground_me_now_starts_an_exercise(
    qtbot: QtBot, desktop_tray: tray.DesktopTray, window: MainWindow
) -> None:
    from companion.ui.exercises.launch import active_player

    (ground,) = desktop_tray.feature_actions
    window.showMinimized()
    ground.trigger()
    assert not window.isMinimized()
    player = active_player(window)
    assert player is not None and player.isVisible()
    player.close()


def test_tray_lock_locks_and_then_offers_only_open_and_quit(
    qtbot: QtBot, desktop_tray: tray.DesktopTray, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.locked, timeout=10_000) as locked:
        desktop_tray.lock_action.trigger()
    assert locked.args == [False]
    desktop_tray.update_actions()
    enabled = [a.text() for a in desktop_tray.menu.actions() if a.isEnabled() and a.text()]
    assert enabled == ["Open Companion", "Quit"]


def test_tray_quit_asks_the_app_to_quit(qtbot: QtBot, desktop_tray: tray.DesktopTray) -> None:
    with qtbot.waitSignal(desktop_tray.quit_requested, timeout=1000):
        desktop_tray.quit_action.trigger()


def test_close_to_tray_hides_the_window_and_keeps_the_diary_open(
    qtbot: QtBot,
    desktop_tray: tray.DesktopTray,
    window: MainWindow,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(desktop_tray.icon, "isVisible", lambda: True)  # as on a desktop with a tray
    context.update_device(close_to_tray=True)
    window.close()
    assert window.isHidden() and window.isEnabled()  # hidden, not locked
    assert not window.diary.db.closed if hasattr(window.diary.db, "closed") else True
    desktop_tray.show_window()
    assert window.isVisible()
    context.update_device(close_to_tray=False)
    with qtbot.waitSignal(window.locked, timeout=10_000) as locked:
        window.close()  # without the option, closing locks and quits as before
    assert locked.args == [True]


def test_quitting_from_the_tray_goes_through_even_with_close_to_tray(
    qtbot: QtBot,
    desktop_tray: tray.DesktopTray,
    window: MainWindow,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(desktop_tray.icon, "isVisible", lambda: True)
    context.update_device(close_to_tray=True)
    desktop_tray.quitting = True
    with qtbot.waitSignal(window.locked, timeout=10_000) as locked:
        window.close()
    assert locked.args == [True]


def test_no_tray_means_no_icon_and_the_window_closes_as_before(
    qtbot: QtBot, data_dir: Path
) -> None:
    assert not tray.available()  # offscreen has no tray, like GNOME without an extension
    controller = AppController(data_dir)
    assert controller.start() is None
    try:
        qtbot.waitUntil(lambda: controller.settled)  # the tray comes after the first paint
        assert controller.tray is None and tray.current() is None
        assert QApplication.quitOnLastWindowClosed()
    finally:
        controller.shutdown()


# -- notifications -------------------------------------------------------------------------------


def test_reminders_notify_through_the_apps_tray_with_generic_words(
    qtbot: QtBot, desktop_tray: tray.DesktopTray, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(tray.QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(desktop_tray, "notify", lambda title, text: shown.append((title, text)))
    monkeypatch.setattr(tray, "_current", desktop_tray)  # as DesktopTray.show() on a desktop
    assert tray.current() is desktop_tray
    notifier = TrayNotifier()
    notifier(tray.REMINDER_TITLE, tray.reminder_text())
    assert shown == [("Companion", "A reminder is waiting.")]
    assert notifier._tray is None  # no second icon of its own


# -- start minimised, start at login -------------------------------------------------------------


def test_started_at_login_the_first_window_is_minimised(
    qtbot: QtBot, data_dir: Path, diary: OpenDiary
) -> None:
    diary.lock()
    controller = AppController(data_dir, minimised=True)
    assert controller.start() is None
    try:
        window = controller.window
        assert isinstance(window, UnlockWindow)
        assert window.windowState() & Qt.WindowState.WindowMinimized
        qtbot.keyClicks(window.secret.edit, PASS)
        qtbot.keyClick(window.secret.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        assert controller.window.windowState() & Qt.WindowState.WindowMinimized
        wait_for_tasks(qtbot)
    finally:
        controller.shutdown()


def test_minimised_flag_is_on_the_command_line() -> None:
    args = cli.build_parser().parse_args(["--minimised"])
    assert args.minimised and not args.smoke_test


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def test_start_at_login_writes_and_removes_exactly_one_entry(
    config_home: Path, data_dir: Path
) -> None:
    path = autostart.enable(data_dir)
    assert path == config_home / "autostart" / f"{APP_ID}.desktop"
    text = path.read_text(encoding="utf-8")
    assert f"Icon={APP_ID}" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(f"--data-dir {data_dir} --minimised")
    assert "-m companion" in exec_line or getattr(sys, "frozen", False)
    assert path.stat().st_mode & 0o077 == 0
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True)
        assert result.returncode == 0, result.stdout + result.stderr
    (config_home / "autostart" / "other.desktop").write_text("[Desktop Entry]\n")
    autostart.disable()
    assert not path.exists()
    assert (config_home / "autostart" / "other.desktop").exists()  # only our own entry goes
    autostart.disable()  # already gone: fine


def test_exec_arguments_are_quoted_as_the_desktop_entry_spec_says() -> None:
    line = autostart.exec_line(["/opt/my apps/companion", "--data-dir", "/home/a/100% $safe"])
    assert line == '"/opt/my apps/companion" --data-dir "/home/a/100%% \\\\$safe"'


def test_start_at_login_is_offered_only_where_it_works() -> None:
    assert autostart.supported({}, "linux") is not Path("/.flatpak-info").exists()
    assert not autostart.supported({"FLATPAK_ID": APP_ID}, "linux")
    assert not autostart.supported({}, "win32")
    assert not autostart.supported({}, "darwin")


def test_settings_card_without_a_tray_and_with_start_at_login(
    qtbot: QtBot, context: AppContext, config_home: Path
) -> None:
    card = DesktopCard(context)
    qtbot.addWidget(card)
    card.show()
    assert not card.close_to_tray.isEnabled()  # offscreen: no tray
    assert card.no_tray.isVisible() and "no system tray" in card.no_tray.text()
    assert card.start_at_login.isVisible() is autostart.supported()
    qtbot.mouseClick(card.start_at_login, Qt.MouseButton.LeftButton)
    assert autostart.is_enabled()
    assert context.device.start_at_login
    assert device_settings.load_for(context.data_dir).start_at_login  # remembered
    qtbot.mouseClick(card.start_at_login, Qt.MouseButton.LeftButton)
    assert not autostart.is_enabled() and not context.device.start_at_login
    assert not card.status.isVisible()


def test_settings_card_says_when_the_login_entry_cannot_be_written(
    qtbot: QtBot, context: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    card = DesktopCard(context)
    qtbot.addWidget(card)
    card.show()
    qtbot.mouseClick(card.start_at_login, Qt.MouseButton.LeftButton)
    assert card.status.isVisible() and "could not be changed" in card.status.text()
    assert not card.start_at_login.isChecked() and not context.device.start_at_login


# -- the app with a tray -------------------------------------------------------------------------


@pytest.fixture
def with_a_tray(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a desktop with a tray (offscreen has none): the icon counts as shown."""
    monkeypatch.setattr(tray, "available", lambda: True)
    monkeypatch.setattr(tray.QSystemTrayIcon, "isVisible", lambda _self: True)
    monkeypatch.setattr(tray.QSystemTrayIcon, "show", lambda _self: None)


def test_in_the_tray_the_diary_stays_there_through_auto_lock_and_quit_locks_it(
    qtbot: QtBot,
    data_dir: Path,
    diary: OpenDiary,
    with_a_tray: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    diary.lock()
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: quits.append(True)))
    device = device_settings.DeviceSettings(close_to_tray=True)
    controller = AppController(data_dir, device=device)
    assert controller.start() is None
    try:
        qtbot.waitUntil(lambda: controller.settled)  # the tray comes after the first paint
        assert controller.tray is not None and tray.current() is controller.tray
        assert not QApplication.quitOnLastWindowClosed()  # only Quit ends the app
        unlock = controller.window
        assert isinstance(unlock, UnlockWindow)
        qtbot.keyClicks(unlock.secret.edit, PASS)
        qtbot.keyClick(unlock.secret.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        main = controller.window
        assert isinstance(main, MainWindow)
        wait_for_tasks(qtbot)
        main.close()
        assert main.isHidden() and controller.diary is not None  # in the tray, still open
        main.lock()  # auto-lock while in the tray
        assert isinstance(controller.window, UnlockWindow)
        assert controller.window.isHidden()  # no window pops up by itself
        controller.tray.show_window()
        assert controller.window.isVisible()
        qtbot.keyClicks(controller.window.secret.edit, PASS)
        qtbot.keyClick(controller.window.secret.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
        wait_for_tasks(qtbot)
        controller.quit_from_tray()
        assert controller.diary is None and quits == [True]  # locked (saved), then quit
    finally:
        controller.shutdown()
    assert QApplication.quitOnLastWindowClosed() and tray.current() is None


def test_asked_for_the_tray_where_there_is_none_it_says_so_and_stays_reachable(
    qtbot: QtBot, data_dir: Path, diary: OpenDiary, capsys: pytest.CaptureFixture[str]
) -> None:
    diary.lock()
    device = device_settings.DeviceSettings(close_to_tray=True)
    controller = AppController(data_dir, device=device, minimised=True)
    assert controller.start() is None
    try:
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [
            "This desktop has no system tray, so Companion starts minimised in the taskbar "
            "instead of in the tray."
        ]
        window = controller.window
        assert window is not None and not window.isHidden()  # never an invisible app
        assert window.windowState() & Qt.WindowState.WindowMinimized
    finally:
        controller.shutdown()
