"""Range presets for the charts: 2 weeks, 3 months, 1 year, all (pan and zoom stay free)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from companion.i18n import N_, _

#: (key, label, what a screen reader says, days; None = everything logged)
PRESETS: tuple[tuple[str, str, str, int | None], ...] = (
    ("2w", N_("2 weeks"), N_("Show 2 weeks"), 14),
    ("3m", N_("3 months"), N_("Show 3 months"), 91),
    ("1y", N_("1 year"), N_("Show 1 year"), 365),
    ("all", N_("All"), N_("Show all of it"), None),
)


def preset_range(key: str, first: date | None, last: date) -> tuple[date, date]:
    """The first and last day a preset shows, ending on ``last`` (usually today)."""
    days = {k: d for k, _label, _spoken, d in PRESETS}[key]
    if days is None:
        start = first if first is not None and first < last else last - timedelta(days=13)
        return start, last
    return last - timedelta(days=days - 1), last


class RangePresets(QWidget):
    """Exclusive buttons; ``chosen(key)`` when the person picks one."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, default: str = "3m") -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Period shown"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, spoken, _days in PRESETS:
            button = QPushButton(_(text))
            button.setCheckable(True)
            button.setObjectName("RangeChip")  # (its look: the application's style sheet)
            button.setAccessibleName(_(spoken))
            button.clicked.connect(lambda _checked=False, k=key: self._pick(k))
            self.group.addButton(button)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.key = default
        self.buttons[default].setChecked(True)

    def _pick(self, key: str) -> None:
        self.key = key
        self.chosen.emit(key)

    def select(self, key: str) -> None:
        self.buttons[key].click()

    def choose_quietly(self, key: str) -> None:
        """Mark ``key`` as the choice without ``chosen`` (the chart is about to be drawn
        again anyway, and draws the period of :attr:`key` then)."""
        self.buttons[key].setChecked(True)
        self.key = key

    def clear_choice(self) -> None:
        """After a pan or zoom no preset is exactly shown any more."""
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.key = ""
