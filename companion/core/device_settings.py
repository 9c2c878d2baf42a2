"""Per-computer preferences that are needed before unlock (theme, text size, motion).

Stored as a small JSON file beside the vault. It must never hold diary content or anything
secret: it is plain text on disk by design.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, NamedTuple

from companion import paths
from companion.core.errors import ValidationError
from companion.core.settings import Option, bool_option, device_document, device_values
from companion.i18n import N_, _
from companion.storage import files
from companion.storage.errors import VaultError

THEMES = ("system", "light", "dark", "high-contrast")
#: the text size, as a multiple of the normal size (WCAG 1.4.4 asks for 200% without loss)
MIN_TEXT_SCALE = 0.8
MAX_TEXT_SCALE = 2.0


def _theme(value: Any) -> str:
    if value not in THEMES:
        raise ValidationError(
            _("The theme must be one of: {themes}.").format(themes=", ".join(THEMES))
        )
    return str(value)


def _scale(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValidationError(_("The text size must be a number."))
    return round(min(MAX_TEXT_SCALE, max(MIN_TEXT_SCALE, float(value))), 2)


def _country(value: Any) -> str:
    country = value.strip().upper() if isinstance(value, str) else ""
    if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise ValidationError(_("The country must be a two-letter code."))
    return country


THEME: Final = Option("theme", "system", N_("Theme"), _theme, "device")
#: multiplies the base font size; 0.8 … 2.0
TEXT_SCALE: Final = Option("text_scale", 1.0, N_("Text size"), _scale, "device")
REDUCE_MOTION: Final = bool_option("reduce_motion", False, N_("Reduce motion"), scope="device")
#: ISO 3166-1 code for the helplines shown by "Get help now"; "" = from the system locale
HELP_COUNTRY: Final = Option("help_country", "", N_("Your country"), _country, "device")
#: closing the window keeps Companion running in the system tray (where there is one)
CLOSE_TO_TRAY: Final = bool_option(
    "close_to_tray", False, N_("Keep running in the tray when the window is closed"), scope="device"
)
#: start minimised at login (``companion.core.autostart`` writes the login entry)
START_AT_LOGIN: Final = bool_option(
    "start_at_login", False, N_("Start Companion when I log in, minimised"), scope="device"
)
OPTIONS: Final[tuple[Option[Any], ...]] = (
    THEME,
    TEXT_SCALE,
    REDUCE_MOTION,
    HELP_COUNTRY,
    CLOSE_TO_TRAY,
    START_AT_LOGIN,
)


class DeviceSettings(NamedTuple):
    """This computer's settings, each checked by its option in :data:`OPTIONS` (a named
    tuple, not a dataclass: the launch reads them before its first window is painted)."""

    theme: str = THEME.default
    text_scale: float = TEXT_SCALE.default
    reduce_motion: bool = REDUCE_MOTION.default
    help_country: str = HELP_COUNTRY.default
    close_to_tray: bool = CLOSE_TO_TRAY.default
    start_at_login: bool = START_AT_LOGIN.default

    def with_changes(self, **changes: Any) -> DeviceSettings:
        return _clean({**self._asdict(), **changes})


def _clean(raw: Mapping[str, Any]) -> DeviceSettings:
    return DeviceSettings(**device_values(raw, OPTIONS))


#: far more than the settings need; a planted huge file is not read into memory
_MAX_BYTES = 64 * 1024


def load(path: Path) -> DeviceSettings:
    """Defaults when the file is missing or unreadable: a bad file never stops the app.

    Opened with ``O_NOFOLLOW``; a link, or a file that is not this user's, counts as missing.
    """
    try:
        fd = files.open_regular(path, os.O_RDONLY)
    except (OSError, VaultError):
        return DeviceSettings()
    try:
        with os.fdopen(fd, "rb") as fh:
            raw = json.loads(fh.read(_MAX_BYTES + 1)[:_MAX_BYTES].decode("utf-8"))
    except (OSError, ValueError):
        return DeviceSettings()
    if not isinstance(raw, dict):
        return DeviceSettings()
    return _clean(raw)


def save(path: Path, settings: DeviceSettings) -> None:
    """Through the private-write helper: random temp name, no link followed, 0600, rename."""
    document = device_document(settings._asdict())
    files.write_private(path, json.dumps(document, indent=2).encode("utf-8"))


def load_for(data_dir: Path) -> DeviceSettings:
    """This computer's settings for the diary in ``data_dir`` (defaults when unreadable)."""
    return load(paths.device_settings_path(data_dir))


def save_for(data_dir: Path, settings: DeviceSettings) -> None:
    """Remember this computer's settings beside the diary in ``data_dir`` (``OSError`` when
    the folder cannot be written)."""
    save(paths.device_settings_path(data_dir), settings)
