"""Who the application is: the names and ids that Qt, desktop files and installers must agree on.

Every place that names the app to the operating system uses these values: the desktop file and
its ``Icon=``, the AppStream metainfo, the hicolor icon names, the Flatpak id, the macOS bundle
identifier, the Windows AppUserModelID, and Qt's application and organisation names. The files
under ``packaging/`` cannot import Python, so a test checks that they spell the same strings.

The id sits under a code-hosting prefix (``io.github.<owner>``) because the project controls no
domain of its own; app stores verify the id against the account that publishes it, and an id is
never changed after a release (it keys the user's desktop settings, pins and sandbox data).
"""

from __future__ import annotations

from typing import Final

from companion import APP_NAME, __version__

APP_ID: Final = "io.github.companiondiary.Companion"
"""Reverse-DNS id: desktop file name, icon name, metainfo id, Flatpak id, macOS bundle id."""

DISPLAY_NAME: Final = APP_NAME
"""The name people see: window titles, menus, the installer."""

EXECUTABLE: Final = "companion"
"""The command (and the bundle's executable); also the X11 WM_CLASS instance."""

ORGANIZATION_NAME: Final = APP_NAME
"""Qt's organisation name. Equal to the app name so that any folder Qt derives from it reads
``Companion`` like the data folder (``platformdirs`` with no author)."""

ORGANIZATION_DOMAIN: Final = "companiondiary.github.io"
"""Qt's organisation domain: the app id's prefix read forwards."""

WINDOWS_APP_USER_MODEL_ID: Final = APP_ID
"""Windows taskbar grouping, pinning and notifications; set on the shortcut and the process."""

DISTRIBUTION_NAME: Final = "companion-diary"
"""The name on the Python package index (``companion`` there is another project)."""

VERSION: Final = __version__
"""Defined once, in ``companion/__init__.py``; ``pyproject.toml`` reads it from there."""

LICENSE: Final = "GPL-3.0-or-later"
"""SPDX expression of Companion's own licence."""

COPYRIGHT: Final = "Copyright (C) 2026 The Companion developers"

HOMEPAGE: Final = "https://github.com/companiondiary/companion"
