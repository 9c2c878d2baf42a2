"""Where the vault and the device settings live.

The data directory is, in order: the ``--data-dir`` option, the ``COMPANION_DATA_DIR``
environment variable, then the platform's user data folder (platformdirs).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

VAULT_NAME = "vault.companion"
BACKUP_DIR_NAME = "backups"
DEVICE_SETTINGS_NAME = "device.json"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return (and create, private to the user) the folder that holds the vault."""
    if override:
        path = Path(override).expanduser()
    elif os.environ.get("COMPANION_DATA_DIR"):
        path = Path(os.environ["COMPANION_DATA_DIR"]).expanduser()
    else:
        import platformdirs  # only when no folder is given (it costs a few ms at launch)

        path = Path(platformdirs.user_data_dir("Companion", appauthor=False, roaming=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path.resolve()


def vault_path(directory: Path) -> Path:
    return directory / VAULT_NAME


def backup_dir(directory: Path) -> Path:
    return directory / BACKUP_DIR_NAME


def device_settings_path(directory: Path) -> Path:
    """Non-secret, per-computer preferences (theme, window size); never diary content."""
    return directory / DEVICE_SETTINGS_NAME


@cache
def resources_dir() -> Path:
    """The bundled content (articles, exercises, questionnaires, helplines, locale, icons).

    ``resources/`` at the top of a checkout; ``companion/resources`` once installed from a
    wheel; ``resources/`` beside the program in a frozen bundle. (Found once: the launch asks
    several times before its first window is painted, and each look resolved the path.)
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    package = Path(__file__).resolve().parent
    installed = package / "resources"
    return installed if installed.is_dir() else package.parent / "resources"
