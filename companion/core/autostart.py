"""Start Companion when the person logs in (Linux: an XDG autostart entry; no Qt here).

The option writes ``~/.config/autostart/<app id>.desktop`` (``$XDG_CONFIG_HOME`` when set), which
every freedesktop session (GNOME, KDE, Xfce, Cinnamon, MATE, LXQt) starts at login, and removes
exactly that file when turned off. The entry starts the same program that is running now (the
bundle's executable, or this Python with ``-m companion``), minimised, on the same diary folder.

Inside a Flatpak the sandbox cannot write there (the Background portal is the way, not built);
on Windows and macOS the installers offer it (packaging/README.md), so the option is not shown.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from companion.appinfo import APP_ID, DISPLAY_NAME

#: the command-line switch the entry passes: start with the window minimised (or in the tray)
MINIMISED_FLAG = "--minimised"

#: characters that make an Exec argument need quoting (Desktop Entry spec, "The Exec key")
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def supported(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether this option can work here: a freedesktop system outside a Flatpak sandbox."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if not system.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    return not (env.get("FLATPAK_ID") or Path("/.flatpak-info").exists())


def entry_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    config = env.get("XDG_CONFIG_HOME") or ""
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "autostart" / f"{APP_ID}.desktop"


def launch_command(data_dir: Path) -> list[str]:
    """The program running now, asked to start minimised on the diary in ``data_dir``."""
    if getattr(sys, "frozen", False):
        program = [sys.executable]
    else:
        program = [sys.executable, "-m", "companion"]
    return [*program, "--data-dir", str(data_dir), MINIMISED_FLAG]


def _quote(argument: str) -> str:
    """One Exec argument: quoted where it must be, ``%`` doubled (field codes)."""
    argument = argument.replace("%", "%%")
    if not any(char in _RESERVED for char in argument):
        return argument
    inner = "".join("\\" + char if char in '"`$\\' else char for char in argument)
    return f'"{inner}"'


def exec_line(argv: list[str]) -> str:
    """The Exec value as written in the file (string escaping applied after quoting)."""
    return " ".join(_quote(arg) for arg in argv).replace("\\", "\\\\")


def entry_text(argv: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={DISPLAY_NAME}",
            "Comment=Starts Companion minimised when you log in, so reminders can appear",
            f"Exec={exec_line(argv)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )


def is_enabled(environ: Mapping[str, str] | None = None) -> bool:
    return entry_path(environ).is_file()


def enable(data_dir: Path, environ: Mapping[str, str] | None = None) -> Path:
    """Write the entry (``OSError`` when the folder cannot be written)."""
    from companion.core.diary_files import write_private_file

    path = entry_path(environ)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private_file(path, entry_text(launch_command(data_dir)).encode("utf-8"))
    return path


def disable(environ: Mapping[str, str] | None = None) -> None:
    """Remove the entry this option wrote (nothing else); missing is fine."""
    path = entry_path(environ)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
