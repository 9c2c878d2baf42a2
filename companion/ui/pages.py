"""What every sidebar page is, and the context the main window hands to it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from companion.core.device_settings import DeviceSettings
from companion.i18n import _
from companion.ui.changes import ChangeHub
from companion.ui.operations import Operations, UndoOffer
from companion.ui.widgets.common import Card

if TYPE_CHECKING:
    from companion.core.session import OpenDiary


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
    #: the open diary's change hub (a new one for each unlock; see ``ui/changes.py``)
    changes: ChangeHub = field(default_factory=ChangeHub)

    def operations(
        self,
        feature: str,
        errors: QLabel | Callable[[str], None],
        *,
        undo: UndoOffer | None = None,
        initiator: object | None = None,
    ) -> Operations:
        """The helper a page or dialog changes the diary through (``ui/operations.py``)."""
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


def in_locked_page(widget: QWidget) -> bool:
    """``widget`` belongs to a page whose diary has locked (a turn it had put off before the
    lock must not read the closed diary)."""
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, Page):
            return parent.locked
        parent = parent.parentWidget()
    return False


class Page(QWidget):
    """A page in the sidebar. ``page_id`` names the page its feature declared in the core
    (``companion.core.extension_points.PageDecl``: title, icon, place in the sidebar)."""

    page_id = ""
    #: the page shows the diary's current data once built, so the main window does not
    #: refresh it again at once when it is first shown (a second build of everything)
    refreshed_when_built = False

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.context = context
        #: the diary locked: the page is off screen, waiting to be deleted (``ui/teardown.py``);
        #: work it had put off for a later turn must not run any more
        self.locked = False
        from companion import features

        decl = features.load().page(self.page_id)
        self.setAccessibleName(_(decl.title) if decl is not None else self.page_id)

    def refresh(self) -> None:
        """Called each time the page is shown and after the diary is replaced."""

    def focus_start(self) -> bool:
        """Put the keyboard focus where a person starts on this page (after unlocking);
        False when the page has no such place."""
        return False

    def before_lock(self) -> None:
        """Called just before the diary locks (Ctrl+L, idle, screen lock, closing): save
        anything typed but not yet saved. After this the page is thrown away."""

    def open_item(self, item_id: str) -> bool:
        """Show one item (an article, an exercise…) from a ``companion:`` link.

        Return False when the item does not exist; the page is shown either way.
        """
        return False

    def bring_into_view(self, widget: QWidget, focus: QWidget | None = None) -> None:
        """Scroll the page's scroll area to ``widget`` and put the keyboard focus on ``focus``
        (e.g. a link from Today to one card of this page)."""
        from PySide6.QtWidgets import QApplication, QScrollArea

        QApplication.processEvents()  # the page was just shown: let it lay itself out
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 0, 24)
        if focus is not None:
            focus.setFocus()


class TodayCard(Card):
    """A card a feature adds to the Today page (doses, homework, a suggested exercise…)."""

    #: position on the Today page, top first
    order = 50
    #: the card's title, marked with ``N_()`` (translated here)
    heading = ""

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(_(self.heading) if self.heading else None, parent)
        self.diary = diary
        self.context = context

    def refresh(self) -> None:
        """Called whenever the Today page is shown or the diary changes."""

    def focus_start(self) -> bool:
        """Take the keyboard focus if this card is where a person starts (the check-in)."""
        return False
