"""Small pieces the medication page, its dialogs and the dose rows share: date and number
boxes, choice lists from the core's label tables, translated dialog buttons, the "⋯" button,
and running a change that may return nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtCore import QDate, QEvent, QTimer
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QPushButton,
    QToolButton,
    QWidget,
)

from companion.core.medications.vocabulary import UNIT_LABELS, label_for
from companion.i18n import _, qt_date_format
from companion.ui.operations import Operations

Button = QDialogButtonBox.StandardButton


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date, accessible_name: str, *, latest: date | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(qt_date_format("day_medium"))
    edit.setMinimumDate(QDate(1950, 1, 1))
    if latest is not None:
        edit.setMaximumDate(qdate(latest))
    edit.setAccessibleName(accessible_name)
    return edit


def combo(
    options: Mapping[str, str], accessible_name: str, current: str | None = None
) -> QComboBox:
    """A choice from a label table (``N_`` labels, translated here), the stored key as data."""
    box = QComboBox()
    for key in options:
        box.addItem(label_for(options, key), key)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    box.setAccessibleName(accessible_name)
    return box


def amount_box(value: float, accessible_name: str, *, empty: str = "") -> QDoubleSpinBox:
    """A number box; ``empty`` is what it shows at zero (e.g. "Not given")."""
    box = QDoubleSpinBox()
    box.setDecimals(2)
    if empty:
        box.setSpecialValueText(empty)
    box.setRange(0, 1_000_000)
    box.setValue(value)
    box.setAccessibleName(accessible_name)
    box.setMinimumWidth(120)
    return box


def unit_box(current: str | None, accessible_name: str) -> QComboBox:
    return combo(UNIT_LABELS, accessible_name, current or "mg")


def dialog_buttons(*buttons: Button) -> QDialogButtonBox:
    """Standard dialog buttons with their words from Companion's catalog (Qt's own are not)."""
    box = QDialogButtonBox()
    words = {Button.Save: _("Save"), Button.Cancel: _("Cancel"), Button.Close: _("Close")}
    for which in buttons:
        button = box.addButton(which)
        button.setText(words[which])
        button.setIcon(QIcon())  # no stock floppy disk or red cross beside the app's own icons
    return box


def more_button(text: str = "") -> QToolButton:
    """A "⋯" button that opens a menu, looking like the other buttons (no arrow)."""
    button = _MoreButton()
    button.setText(text)
    button.setObjectName("MoreButton")  # (its look: the application's style sheet)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    return button


class _MoreButton(QToolButton):
    """Exactly as tall as the push buttons beside it (a tool button lays out 1–2 px taller),
    at any text size."""

    #: what it was fitted to (its text, icon and font; None: not fitted, or restyled since)
    _fitted: tuple[str, int, str] | None = None

    def _fits(self) -> tuple[str, int, str]:
        return self.text(), self.icon().cacheKey(), self.font().key()

    def fit(self) -> None:
        """Fitted now, out of sight (a page built ahead): shown, it has nothing to fit (a
        twin push button styled and measured, for each of them, in the turn that showed a
        page of medicines)."""
        twin = QPushButton(self.text() or "…")
        twin.setIcon(self.icon())
        twin.setFont(self.font())
        self.setFixedHeight(twin.sizeHint().height())
        twin.deleteLater()
        self._fitted = self._fits()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # hidden, it is fitted when shown (a page of medicines being built sends many); shown,
        # in the next turn, not now: a theme or text size applied sends this to every widget
        # while Qt restyles the whole tree, and a geometry changed in the middle of that is
        # what crashed the process before (ui/reminders.py)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fitted = None
            if self.isVisible():
                QTimer.singleShot(0, self, self.fit)

    def showEvent(self, event: QShowEvent) -> None:
        if self._fitted != self._fits():
            self.fit()
        super().showEvent(event)


def fit_ahead(widget: QWidget) -> None:
    """The "⋯" buttons in ``widget`` (styled: ``ensurePolished``), fitted now, out of sight,
    rather than as they are shown (``_MoreButton.fit``)."""
    for button in widget.findChildren(_MoreButton):
        button.fit()


def run_change(ops: Operations, action: Callable[[], object], *, what: str = "") -> bool:
    """Run a change through ``ops``; True when it was made (whatever it returned, None too)."""

    def made() -> bool:
        action()
        return True

    return ops.run(made, what=what) is True


def escape(text: str) -> str:
    """Text for a rich-text label."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
