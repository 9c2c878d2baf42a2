"""Input widgets of the check-in form: a 0–10 scale with named steps, a yes/no answer that can
stay unanswered, a number that can stay "not recorded", and a flowing row of tag chips.

Each is one keyboard stop with visible focus, announces the named step (never a bare "7"), and
treats "not answered" as different from zero, like the diary does.
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleInterface,
    QAccessibleStateChangeEvent,
    QFocusEvent,
    QKeyEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAccessibleWidget,
    QButtonGroup,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion.i18n import _
from companion.ui.widgets.common import MeasuredLabel, follow_in_tab_order
from companion.ui.widgets.flow import FlowLayout

#: after a "1", a "0" pressed within this many ms makes 10 (so every step has a key)
TEN_WINDOW_MS = 900


_SCALE_KEYS = frozenset(
    {
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Plus,
        Qt.Key.Key_Minus,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_Delete,
        Qt.Key.Key_Backspace,
    }
)


class ScaleInput(QAbstractSlider):
    """0–10 (or another range) with a name for every step; ``value()`` is None when unrated.

    Mouse: click a number (click it again to clear, when clearing is allowed). Keyboard (one
    tab stop): digits choose a step ("1" then "0" quickly is 10), arrows move, Home/End go to
    the ends, Delete or Backspace clears. Enter is left to the form (save).

    A slider underneath, so screen readers announce a slider with its value and range (the
    chosen step's words are its description); the mouse wheel is left to the page.
    """

    changed = Signal(object)

    def __init__(
        self,
        name: str,
        anchors: Sequence[str],
        *,
        low: int = 0,
        clearable: bool = True,
        spoken: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # (its look, and its buttons', is in the application's style sheet: #Scale, #Step,
        # #Answer, #Chip; a sheet of its own was parsed and applied for each one made)
        self.setObjectName("Scale")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setOrientation(Qt.Orientation.Horizontal)
        self.name = name
        names = tuple(anchors)
        if low == 1 and names and names[0] == "":  # SLEEP_QUALITY_ANCHORS leaves index 0 empty
            names = names[1:]
        self.anchors = names
        self.low = low
        self.high = low + len(names) - 1
        self.clearable = clearable
        self._value: int | None = None
        self._pending_one = False
        self._one_timer = QTimer(self)
        self._one_timer.setSingleShot(True)
        self._one_timer.setInterval(TEN_WINDOW_MS)
        self._one_timer.timeout.connect(self._clear_pending)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setRange(self.low, self.high)
        self.setPageStep(1)
        #: what a screen reader calls it: the visible question when there is one
        self.spoken = spoken or name
        self._syncing = False
        self.valueChanged.connect(self._slider_set)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[QPushButton] = []
        for step in range(self.low, self.high + 1):
            button = QPushButton(str(step))
            button.setObjectName("Step")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            words = self.anchor(step)
            button.setToolTip(_("{step}: {words}").format(step=step, words=words))
            button.setAccessibleName(
                _("{name} {step}: {words}").format(name=name, step=step, words=words)
            )
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.group.addButton(button, step)
            self.buttons.append(button)
            row.addWidget(button)
        self.group.buttonClicked.connect(self._clicked)
        outer.addLayout(row)
        ends = QHBoxLayout()
        self.low_label = MeasuredLabel(
            _("{step} · {words}").format(step=self.low, words=self.anchor(self.low))
        )
        self.low_label.setObjectName("Muted")
        self.current = MeasuredLabel()
        self.current.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.high_label = MeasuredLabel(
            _("{words} · {step}").format(step=self.high, words=self.anchor(self.high))
        )
        self.high_label.setObjectName("Muted")
        self.high_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        for end in (self.low_label, self.current, self.high_label):
            end.setWordWrap(True)  # large text in a narrow window: the words wrap, whole
        ends.addWidget(self.low_label, 1)
        ends.addWidget(self.current, 1)
        ends.addWidget(self.high_label, 1)
        outer.addLayout(ends)
        self._show()

    def anchor(self, step: int) -> str:
        return self.anchors[step - self.low]

    def value(self) -> int | None:  # type: ignore[override]
        return self._value

    def set_value(self, value: int | None) -> None:
        if value is not None and not self.low <= value <= self.high:
            raise ValueError(f"{value} is outside {self.low}–{self.high}")
        if value == self._value:
            self._show()
            return
        self._value = value
        self._show()
        self.changed.emit(value)

    def _show(self) -> None:
        for button in self.buttons:
            button.setChecked(self.group.id(button) == self._value)
        spoken = _("{name}, {low} to {high}").format(name=self.spoken, low=self.low, high=self.high)
        if self._value is None:
            self.current.setText(_("not rated yet"))
            look = "Muted"
            description = _("not rated yet")
            # the slider's value cannot be empty: the name says that nothing is chosen
            spoken = _("{scale}, not rated yet").format(scale=spoken)
        else:
            words = self.anchor(self._value)
            description = _("{step}: {words}").format(step=self._value, words=words)
            self.current.setText(_("<b>{step}</b> · {words}").format(step=self._value, words=words))
            look = ""
        if self.current.objectName() != look:  # (styled again only when its look changes)
            self.current.setObjectName(look)
            self.current.style().unpolish(self.current)
            self.current.style().polish(self.current)
        self.setAccessibleName(spoken)
        self.setAccessibleDescription(description)
        self._syncing = True
        try:
            QAbstractSlider.setValue(self, self.low if self._value is None else self._value)
        finally:
            self._syncing = False

    def _slider_set(self, step: int) -> None:
        """A value set through the slider itself (a screen reader's value interface)."""
        if not self._syncing:
            self.set_value(step)

    def _clicked(self, button: QAbstractButton) -> None:
        step = self.group.id(button)
        if step == self._value and self.clearable:
            self.set_value(None)
        else:
            self.set_value(step)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def _clear_pending(self) -> None:
        self._pending_one = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        if text.isdigit() and len(text) == 1:
            digit = int(text)
            if self._pending_one and digit == 0 and self.high >= 10:
                self._pending_one = False
                self.set_value(10)
            elif self.low <= digit <= self.high:
                self.set_value(digit)
                self._pending_one = digit == 1 and self.high >= 10
                if self._pending_one:
                    self._one_timer.start()
            event.accept()
            return
        current = self._value
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Plus):
            self.set_value(self.low if current is None else min(self.high, current + 1))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Minus):
            self.set_value(self.high if current is None else max(self.low, current - 1))
        elif key == Qt.Key.Key_Home:
            self.set_value(self.low)
        elif key == Qt.Key.Key_End:
            self.set_value(self.high)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.clearable:
            self.set_value(None)
        else:
            QWidget.keyPressEvent(self, event)  # Enter, Tab, Escape go to the form
            return
        event.accept()

    def event(self, event: QEvent) -> bool:
        # The scale's own keys win over a window's shortcuts while it has focus (the exercise
        # player moves between steps with the arrows)
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            text = event.text()
            if event.key() in _SCALE_KEYS or (len(text) == 1 and text.isdigit()):
                event.accept()
                return True
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # scrolling the page over a scale never changes an answer


class _YesNoAccessible(QAccessibleWidget):
    """A yes/no answer as screen readers know it: a check box, half-ticked while unanswered."""

    def __init__(self, widget: YesNoInput) -> None:
        super().__init__(widget, QAccessible.Role.CheckBox)
        self.answer = widget

    def state(self) -> QAccessible.State:
        state = super().state()
        value = self.answer.value()
        state.checkable = True
        state.checked = value is True
        state.checkStateMixed = value is None
        return state


def _accessible(_key: str, obj: QObject) -> QAccessibleInterface | None:
    return _YesNoAccessible(obj) if isinstance(obj, YesNoInput) else None


_factory_installed = False


def _install_accessible_factory() -> None:
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_accessible)
        _factory_installed = True


class YesNoInput(QFrame):
    """A yes/no question that may stay unanswered (None). Y / N keys answer, Delete clears."""

    changed = Signal(object)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _install_accessible_factory()
        self.setObjectName("Scale")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(question)
        self.question = question
        self._value: bool | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.setSpacing(6)
        self.text = MeasuredLabel(question)
        self.text.setWordWrap(True)
        # the answers right beside the question (a column of its own width), not at the far
        # end of a wide window
        self.text.setFixedWidth(self.text.fontMetrics().averageCharWidth() * 36)
        row.addWidget(self.text)
        self.no = QPushButton(_("No"))
        self.yes = QPushButton(_("Yes"))
        for button, answer in ((self.no, False), (self.yes, True)):
            button.setObjectName("Answer")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            spoken = _("{question}: yes") if answer else _("{question}: no")
            button.setAccessibleName(spoken.format(question=question))
            button.clicked.connect(lambda _=False, a=answer: self._clicked(a))
            row.addWidget(button)
        row.addStretch(1)
        self._show()

    def value(self) -> bool | None:
        return self._value

    def set_value(self, value: bool | None) -> None:
        changed = value != self._value
        self._value = value
        self._show()
        if changed:
            self.changed.emit(value)

    def _clicked(self, answer: bool) -> None:
        self.set_value(None if self._value is answer else answer)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def _show(self) -> None:
        self.yes.setChecked(self._value is True)
        self.no.setChecked(self._value is False)
        words = {None: _("not answered"), True: _("yes"), False: _("no")}[self._value]
        self.setAccessibleDescription(words)
        if QAccessible.isActive():
            changes = QAccessible.State()
            changes.checked = True
            changes.checkStateMixed = True
            QAccessible.updateAccessibility(QAccessibleStateChangeEvent(self, changes))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Y:
            self.set_value(True)
        elif key == Qt.Key.Key_N:
            self.set_value(False)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        elif key in (Qt.Key.Key_Space,):
            self.set_value({None: True, True: False, False: None}[self._value])
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class OptionalNumber(QDoubleSpinBox):
    """A number that can stay "not recorded" (the lowest position of the box shows that)."""

    def __init__(
        self,
        name: str,
        low: float,
        high: float,
        *,
        step: float = 1.0,
        decimals: int = 0,
        suffix: str = "",
        unit: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._low = low
        self._empty = low - step
        self.setDecimals(decimals)
        self.setRange(self._empty, high)
        self.setSingleStep(step)
        # the unit is said even before a number is set ("not recorded" alone leaves one
        # guessing: hours? minutes?)
        self.setSpecialValueText(
            _("not recorded ({unit})").format(unit=unit) if unit else _("not recorded")
        )
        self.setSuffix(suffix)
        self.setAccessibleName(name)
        self.setKeyboardTracking(True)
        self.setMinimumWidth(130)
        self.setMaximumWidth(220)
        self.setValue(self._empty)

    def number(self) -> float | None:
        value = self.value()
        return None if value < self._low else value

    def set_number(self, value: float | None) -> None:
        self.setValue(self._empty if value is None else value)


class _Chip(QPushButton):
    """One tag of a :class:`ChipGroup`: arrows go to its neighbours, Space toggles it."""

    def __init__(self, text: str, group: ChipGroup) -> None:
        super().__init__(text)
        self.owner = group

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.owner.key(self, event.key()):
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.owner.make_current(self)  # a click gives focus too: Tab comes back here
        super().focusInEvent(event)


_CHIP_KEYS = {
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_Up: -1,
}


class ChipGroup(QWidget):
    """Tags as toggle chips that wrap across lines, one Tab stop for the whole group.

    Tab comes to one chip (the last one used, at first the first); the arrow keys move to the
    previous or next chip, Home and End to the first and last, Space toggles the chip that has
    focus. Each chip is a real toggle button with the tag as its name, and its description says
    where it is ("Activities, 2 of 9"), so a screen reader announces the chip, its state and its
    place as focus moves (the "roving tab stop" of toolbars and chip sets).
    """

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setAccessibleName(name)
        self.flow = FlowLayout(self)
        self.chips: dict[str, QPushButton] = {}
        self._current: QPushButton | None = None

    def set_options(self, options: Sequence[tuple[str, str]]) -> None:
        """(id, name) pairs; choices that still exist stay chosen."""
        chosen = self.selected()
        current_id = next(
            (option_id for option_id, chip in self.chips.items() if chip is self._current), None
        )
        self._current = None
        while self.flow.count():
            item = self.flow.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.chips = {}
        total = len(options)
        for index, (option_id, name) in enumerate(options, start=1):
            chip = _Chip(name, self)
            chip.setObjectName("Chip")
            chip.setCheckable(True)
            chip.setChecked(option_id in chosen)
            chip.setAccessibleName(name)
            chip.setAccessibleDescription(
                _("{group}, {index} of {total}").format(group=self.name, index=index, total=total)
            )
            chip.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # one chip at a time takes Tab
            chip.toggled.connect(self.changed)
            self.flow.addWidget(chip)
            self.chips[option_id] = chip
        follow_in_tab_order(self, list(self.chips.values()))
        if self.chips:
            keep = self.chips.get(current_id) if current_id is not None else None
            self.make_current(keep or next(iter(self.chips.values())))
        self.updateGeometry()

    def current(self) -> QPushButton | None:
        """The chip Tab comes to."""
        return self._current

    def make_current(self, chip: QPushButton) -> None:
        """``chip`` becomes the group's one Tab stop (where it is in the Tab order)."""
        previous = self._current
        if previous is chip:
            chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return
        chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if previous is not None and shiboken6.isValid(previous):
            QWidget.setTabOrder(previous, chip)  # the same place in the Tab order
            previous.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._current = chip

    def key(self, chip: QPushButton, key: int) -> bool:
        """Move between the chips with the arrow keys, Home and End; True when handled."""
        chips = list(self.chips.values())
        if chip not in chips:
            return False
        index = chips.index(chip)
        if key in _CHIP_KEYS:
            target = max(0, min(len(chips) - 1, index + _CHIP_KEYS[Qt.Key(key)]))
        elif key == Qt.Key.Key_Home:
            target = 0
        elif key == Qt.Key.Key_End:
            target = len(chips) - 1
        else:
            return False
        self.make_current(chips[target])
        chips[target].setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def selected(self) -> set[str]:
        return {option_id for option_id, chip in self.chips.items() if chip.isChecked()}

    def set_selected(self, ids: set[str] | frozenset[str]) -> None:
        for option_id, chip in self.chips.items():
            chip.setChecked(option_id in ids)
