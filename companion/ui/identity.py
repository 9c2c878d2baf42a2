"""Who the app is to the desktop: names, the window icon, and whether a desktop is there at all.

Every value comes from :mod:`companion.appinfo`, so the window, the desktop file, the tray and
the installers agree on one id.
"""

from __future__ import annotations

import contextlib
import os
import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QIcon

from companion.appinfo import (
    APP_ID,
    ORGANIZATION_DOMAIN,
    ORGANIZATION_NAME,
    WINDOWS_APP_USER_MODEL_ID,
)
from companion.i18n import _


def icon_path() -> Path:
    """The SVG master in the bundled resources (the same file the packages' icons come from)."""
    from companion import paths

    return paths.resources_dir() / "icons" / f"{APP_ID}.svg"


@cache
def app_icon() -> QIcon:
    """The window and tray icon: the installed theme icon where one exists (Linux), else the
    bundled SVG master (Windows and macOS have no icon theme)."""
    fallback = QIcon(str(icon_path()))
    return QIcon.fromTheme(APP_ID, fallback)


def set_process_identity() -> None:
    """Before the first window: the Windows taskbar groups, pins and notifies by this id."""
    if sys.platform != "win32":
        return
    import ctypes

    with contextlib.suppress(AttributeError, OSError):  # else grouped by executable
        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(WINDOWS_APP_USER_MODEL_ID)


def set_app_identity(app: QGuiApplication) -> None:
    """Names Qt hands to the desktop: Wayland's app id and X11's class come from these (and
    with them the desktop file, whose icon the desktop shows from the start)."""
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    QGuiApplication.setDesktopFileName(APP_ID)


def set_app_icon(app: QGuiApplication) -> None:
    """The window icon of every window, those shown already included (Qt hands a new
    application icon to each top-level window that has none of its own).

    The launch sets it once its first window is painted: loading the SVG master (Qt's SVG
    plugin) and the icon theme lookup are not needed to draw the window, and the window
    manager takes the icon whenever it is set."""
    app.setWindowIcon(app_icon())


def display_problem(environ: dict[str, str] | None = None, platform: str | None = None) -> str:
    """One sentence when the app cannot show a window here, else "".

    Qt itself aborts (exit 134) with a long hint about the xcb plugin when there is no display;
    this is checked first. Only Linux and the BSDs use a display server; a platform plugin that
    draws without one (``QT_QPA_PLATFORM=offscreen``) needs none.
    """
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if system in ("win32", "darwin", "cygwin"):
        return ""
    has_x11 = bool(env.get("DISPLAY"))
    has_wayland = bool(env.get("WAYLAND_DISPLAY"))
    # "wayland;xcb" lists fallbacks; "xcb:option=value" passes options to the plugin
    chosen = [
        entry.split(":")[0].strip().lower()
        for entry in env.get("QT_QPA_PLATFORM", "").split(";")
        if entry.strip()
    ]
    if not chosen and (has_x11 or has_wayland):
        return ""
    for name in chosen:
        if name.startswith("xcb"):
            if has_x11:
                return ""
        elif name.startswith("wayland"):
            if has_wayland:
                return ""
        else:
            return ""  # offscreen, vnc, eglfs or another plugin: no display server to find
    return _(
        "Companion needs a graphical desktop, and none was found (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set); start it from your desktop session."
    )


def data_folder_problem(directory: Path) -> str:
    """One sentence when the data folder cannot hold a diary (cannot be written), else "".

    Tried by creating and removing a private temporary file, because permission bits do not
    tell the whole truth (a read-only mount, an administrator account, network folders).
    """
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".companion-write-test-", dir=directory)
    except OSError as exc:
        return folder_sentence(directory, exc)
    os.close(fd)
    try:
        os.unlink(name)
    except OSError as exc:
        return folder_sentence(directory, exc)
    return ""


def folder_sentence(directory: Path, exc: OSError) -> str:
    return _(
        "Companion cannot write to its data folder {folder} ({reason}); choose a folder you "
        "can write to with --data-dir or COMPANION_DATA_DIR."
    ).format(folder=directory, reason=exc.strerror or _("unknown error"))
