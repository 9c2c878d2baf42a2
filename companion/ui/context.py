"""The context the application hands to its windows and pages: the data folder, this
computer's settings, the app-wide signals and the open diary's change hub.

Apart from ``pages`` (which re-exports it) so that the launch, which needs the context for its
first window, does not import what only pages need (the page class, its building in steps,
the operations helper).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from companion.core.device_settings import DeviceSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget

    from companion.ui.changes import ChangeHub
    from companion.ui.operations import Operations, UndoOffer


#: the size every new window of the app is given (the unlock window, then the main window
#: in its place); what the first screen of a page built before the window shows must fill
WINDOW_SIZE = (1100, 760)


class AppSignals(QObject):
    lock_requested = Signal()
    device_settings_changed = Signal(object)
    auto_lock_changed = Signal(int)
    diary_replaced = Signal()  # a backup was restored: pages reload from the database
    save_failed = Signal(str)
    open_page = Signal(str)
    #: a ``companion:`` link, e.g. ``companion:exercise/five-senses`` (see MainWindow.open_link)
    open_link = Signal(str)


class AppContext:
    """What every window and page is handed (a plain class: the launch makes one before its
    first paint, and a dataclass would cost it the ``dataclasses`` import)."""

    def __init__(
        self,
        data_dir: Path,
        device: DeviceSettings,
        signals: AppSignals | None = None,
        changes: ChangeHub | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.device = device
        self.signals = AppSignals() if signals is None else signals
        self._changes = changes

    @property
    def changes(self) -> ChangeHub:
        """The open diary's change hub (a new one for each unlock; see ``ui/changes.py``),
        made when first asked for: the windows before unlock have no diary to change."""
        if self._changes is None:
            from companion.ui.changes import ChangeHub

            self._changes = ChangeHub()
        return self._changes

    @changes.setter
    def changes(self, hub: ChangeHub) -> None:
        self._changes = hub

    def operations(
        self,
        feature: str,
        errors: QLabel | Callable[[str], None],
        *,
        undo: UndoOffer | None = None,
        initiator: object | None = None,
    ) -> Operations:
        """The helper a page or dialog changes the diary through (``ui/operations.py``)."""
        from companion.ui.operations import Operations

        return Operations(
            self.changes,
            feature,
            errors,
            undo=undo,
            on_save_failed=self.signals.save_failed.emit,
            initiator=initiator,
        )

    def update_device(self, **changes: object) -> None:
        """Change and remember a per-computer preference; a failed write is not fatal."""
        from companion.core import device_settings

        self.device = self.device.with_changes(**changes)
        with contextlib.suppress(OSError):  # appearance is a nicety; never stop the app
            device_settings.save_for(self.data_dir, self.device)
        self.signals.device_settings_changed.emit(self.device)

    def open_help(self, parent: QWidget | None) -> QWidget:
        """Show the help window for the person's country (remembering a change of country)."""
        from companion.ui.help import open_help

        return open_help(
            parent,
            self.device.help_country,
            on_country=lambda code: self.update_device(help_country=code),
        )
