"""Per-computer preferences that are needed before unlock (theme, text size, motion).

Stored as a small JSON file beside the vault. It must never hold diary content or anything
secret: it is plain text on disk by design.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from companion.storage import files
from companion.storage.errors import VaultError

THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class DeviceSettings:
    theme: str = "system"
    #: multiplies the base font size; 0.8 … 1.6
    text_scale: float = 1.0
    reduce_motion: bool = False
    #: ISO 3166-1 code for the helplines shown by "Get help now"; "" = from the system locale
    help_country: str = ""

    def with_changes(self, **changes: Any) -> DeviceSettings:
        return _clean(replace(self, **changes))


def _clean(s: DeviceSettings) -> DeviceSettings:
    theme = s.theme if s.theme in THEMES else "system"
    try:
        scale = float(s.text_scale)
    except (TypeError, ValueError):
        scale = 1.0
    scale = min(1.6, max(0.8, scale)) if scale == scale else 1.0
    country = s.help_country.strip().upper() if isinstance(s.help_country, str) else ""
    country = country if len(country) == 2 and country.isascii() and country.isalpha() else ""
    return DeviceSettings(
        theme=theme,
        text_scale=round(scale, 2),
        reduce_motion=bool(s.reduce_motion),
        help_country=country,
    )


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
    fields = ("theme", "text_scale", "reduce_motion", "help_country")
    known = {k: raw[k] for k in fields if k in raw}
    try:
        return _clean(DeviceSettings(**known))
    except TypeError:
        return DeviceSettings()


def save(path: Path, settings: DeviceSettings) -> None:
    """Through the private-write helper: random temp name, no link followed, 0600, rename."""
    files.write_private(path, json.dumps(asdict(settings), indent=2).encode("utf-8"))
