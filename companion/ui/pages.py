"""What every sidebar page is, and the context the main window hands to it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from companion.core.device_settings import DeviceSettings
from companion.ui.widgets.common import Card

if TYPE_CHECKING:
    from companion.core.unlocked import OpenDiary


class AppSignals(QObject):
    lock_requested = Signal()
    device_settings_changed = Signal(object)
    auto_lock_changed = Signal(int)
    diary_replaced = Signal()  # a backup was restored: pages reload from the database
    save_failed = Signal(str)
    open_page = Signal(str)
    #: a ``companion:`` link, e.g. ``companion:exercise/five-senses`` (see MainWindow.open_link)
    open_link = Signal(str)


@dataclass
class AppContext:
    data_dir: Path
    device: DeviceSettings
    signals: AppSignals = field(default_factory=AppSignals)

    def update_device(self, **changes: object) -> None:
        """Change and remember a per-computer preference; a failed write is not fatal."""
        from companion.core import device_settings
        from companion.paths import device_settings_path

        self.device = self.device.with_changes(**changes)
        with contextlib.suppress(OSError):  # appearance is a nicety; never stop the app
            device_settings.save(device_settings_path(self.data_dir), self.device)
        self.signals.device_settings_changed.emit(self.device)

    def open_help(self, parent: QWidget | None) -> QWidget:
        """Show the help window for the person's country (remembering a change of country)."""
        from companion.ui.help import open_help

        return open_help(
            parent,
            self.device.help_country,
            on_country=lambda code: self.update_device(help_country=code),
        )


class Page(QWidget):
    """A page in the sidebar. Subclasses set the four class attributes."""

    page_id = ""
    title = ""
    icon_name = ""
    #: position in the sidebar (Today 0, Settings 100)
    order = 50

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.context = context
        self.setAccessibleName(self.title)

    def refresh(self) -> None:
        """Called each time the page is shown and after the diary is replaced."""

    def before_lock(self) -> None:
        """Called just before the diary locks (Ctrl+L, idle, screen lock, closing): save
        anything typed but not yet saved. After this the page is thrown away."""

    def open_item(self, item_id: str) -> bool:
        """Show one item (an article, an exercise…) from a ``companion:`` link.

        Return False when the item does not exist; the page is shown either way.
        """
        return False


class TodayCard(Card):
    """A card a feature adds to the Today page (doses, homework, a suggested exercise…)."""

    #: position on the Today page, top first
    order = 50
    heading = ""

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(self.heading, parent)
        self.diary = diary
        self.context = context

    def refresh(self) -> None:
        """Called whenever the Today page is shown or the diary changes."""
