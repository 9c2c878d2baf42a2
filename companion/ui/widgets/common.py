"""Small building blocks shared by every page: cards, titles, notices, busy rows.

The unlock window is made of these before anything else is on screen, so what only some of
them need (``QStyle`` and its options: 10 ms of PySide's type set-up) is imported where it is
used, not here; and so is the ``Qt`` namespace, whose first use builds all its 93 enum types
(10–20 ms): the unlock window is painted without it (``theme.system_dark``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, QTimer, Signal
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.i18n import _
from companion.ui import icons, theme

if TYPE_CHECKING:  # annotations only: each type's first use costs the launch (see above)
    from PySide6.QtGui import QPaintEvent, QShowEvent
    from PySide6.QtWidgets import QApplication, QScrollArea


def icon(name: str, *, colour: str | None = None) -> QIcon:
    """A glyph in the theme's text colour (or ``colour``), muted on a disabled button: a white
    glyph on a disabled primary button would vanish into its pale fill."""
    colours = theme.current()
    return icons.icon(name, colour or colours.text, colours.muted)


class IconLabel(QLabel):
    """A picture beside words (a notice's sign, a list's step): drawn in the theme's text colour
    at a size that grows with the text, and drawn again when either changes (a theme switch,
    light or dark following the system, a new text size), so it never keeps the old colour."""

    def __init__(self, name: str, side: int = 22, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt

        self.icon_name = name
        self.side = side
        self.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._stale = False
        self.draw()

    def draw(self) -> None:
        self._stale = False
        side = round(self.side * max(1.0, theme.text_scale()))
        self.setPixmap(icon(self.icon_name).pixmap(side, side))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Drawn again in the next turn of the event loop, never inside the event: Qt sends it
        # while it re-polishes a tree (a style sheet applied, a widget added to a styled
        # parent), and changing the picture in the middle of that crashed the process now and
        # then. Hidden too (a page built ahead is polished hidden): drawn as it is shown, its
        # new picture would lay the page out again in the turn it appears.
        if not self._stale and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self._stale = True
            QTimer.singleShot(0, self, self._redraw)

    def _redraw(self) -> None:
        if self._stale:
            self.draw()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.draw()
        super().showEvent(event)


#: labels waiting to be made selectable (see :func:`selectable_after_paint`), or None
#: inside :func:`selectable_after_paint`: (widget, finishing touch) for after the paint
_later: list[tuple[Any, Callable[[Any], None]]] | None = None


def _finish(widget: QWidget, touch: Callable[[Any], None]) -> None:
    """``touch(widget)`` now, or just after the window is painted inside
    :func:`selectable_after_paint`."""
    if _later is not None:
        _later.append((widget, touch))
    else:
        touch(widget)


def _make_selectable(widget: QLabel) -> None:
    from PySide6.QtCore import Qt

    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


def _make_unselectable(widget: QLabel) -> None:
    from PySide6.QtCore import Qt

    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)


def _pointing_hand(widget: QWidget) -> None:
    from PySide6.QtCore import Qt

    widget.setCursor(Qt.CursorShape.PointingHandCursor)


def _selectable(widget: QLabel) -> None:
    _finish(widget, _make_selectable)


@contextmanager
def selectable_after_paint(window: QWidget) -> Iterator[None]:
    """Labels made inside this block become selectable (headings unselectable, link buttons
    get the pointing hand) just after ``window`` is first painted.

    The first selectable label of a process costs Qt 10–20 ms (its text control's machinery),
    and naming a text-interaction flag or a cursor shape builds the whole ``Qt`` namespace
    (10–20 ms more); the first window need not wait for either. Each looks exactly the same
    (plain text shows no links to follow either way), and nobody can select text or point at
    a button in a window that is not on screen yet."""
    global _later
    outer, _later = _later, []
    try:
        yield
    finally:
        waiting, _later = _later, outer

    def apply() -> None:
        for widget, touch in waiting:
            if shiboken6.isValid(widget):
                touch(widget)

    if waiting:
        from companion.ui.timers import after_paint

        after_paint(window, apply)


if TYPE_CHECKING:  # the label's annotations (the namespace is not built for them)
    from PySide6.QtCore import Qt

#: a label is asked about a few widths at a time (its own, its layouts'); beyond this many a
#: resize is under way and older widths are forgotten
_WIDTHS_KEPT = 8


class MeasuredLabel(QLabel):
    """A ``QLabel`` that remembers its height for each width (same text, font and style).

    ``QLabel.heightForWidth`` keeps no memory: a word-wrapped label whose text can be selected
    measures through a text document, setting its width and back — two full layouts of its
    text per call — and nested box layouts ask each label several times per pass (height for
    width, minimum height for width, at the widths of each level). Each block added to a page
    on screen starts a pass over every label on it, so a page built a block at a time spent
    most of its turns re-measuring the labels already there. This one answers a width it has
    measured for the same text from memory; what else changes its height (the font, the
    style, margins, word wrap, the text format, selectability) forgets what it measured.

    Defined here, not in a module of its own, because every label of the app is one
    (:func:`label`) and the unlock window is built of them: a subclass costs its window no
    import, and its methods name no ``Qt`` type outside annotations (see the module's
    docstring)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        #: height by width, for the text in ``_measured`` (one copy of it, not one per width:
        #: a long history holds thousands of these)
        self._heights: dict[int, int] = {}
        self._measured = ""

    def heightForWidth(self, width: int) -> int:
        text = self.text()  # set in Python or by Qt itself (``setNum``, ``clear``)
        if text != self._measured:
            self._measured = text
            self._heights.clear()
        height = self._heights.get(width)
        if height is None:
            if len(self._heights) >= _WIDTHS_KEPT:
                self._heights.clear()
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def forget_heights(self) -> None:
        self._heights.clear()

    # what changes a label's height other than its text and width (margins, font, style and
    # palette changes all arrive as change events)
    def changeEvent(self, event: QEvent) -> None:
        self._heights.clear()
        super().changeEvent(event)

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        self._heights.clear()
        super().setTextFormat(fmt)

    def setTextInteractionFlags(self, flags: Qt.TextInteractionFlag) -> None:
        self._heights.clear()  # a selectable label measures through a text document
        super().setTextInteractionFlags(flags)

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:
        self._heights.clear()
        super().setAlignment(alignment)

    def setWordWrap(self, on: bool) -> None:
        self._heights.clear()
        super().setWordWrap(on)

    def setIndent(self, indent: int) -> None:
        self._heights.clear()
        super().setIndent(indent)

    def setMargin(self, margin: int) -> None:
        self._heights.clear()
        super().setMargin(margin)


def label(text: str, *, name: str | None = None, wrap: bool = True) -> MeasuredLabel:
    """A label, word-wrapped unless ``wrap`` is false, selectable (after the first paint
    inside :func:`selectable_after_paint`), measured once per width (:class:`MeasuredLabel`)."""
    widget = MeasuredLabel(text)
    widget.setWordWrap(wrap)
    _selectable(widget)
    if name:
        widget.setObjectName(name)
    return widget


class Bullet(MeasuredLabel):
    """A list item: a bullet, and the words beside it wrapping under the first word, not under
    the bullet. Plain text (it may be the person's own words), laid out as a plain label: the
    rich-text table it once was took a text document's table layout per item (a safety plan's
    first screen spent ~16 ms in them). The words start where that table's second column did:
    the bullet's width and 8 pixels after it."""

    GAP = 8

    def __init__(self, text: str) -> None:
        from PySide6.QtCore import Qt

        super().__init__(text)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        _selectable(self)
        self.setAccessibleName(text)
        self._indent()

    def _indent(self) -> None:
        from PySide6.QtGui import QFontMetricsF

        width = math.ceil(QFontMetricsF(self.font()).horizontalAdvance("•"))
        self.setContentsMargins(width + self.GAP, 0, 0, 0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._indent()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        from PySide6.QtGui import QPainter

        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorGroup.Current, self.foregroundRole()))
        painter.setFont(self.font())
        metrics = self.fontMetrics()
        top = self.contentsRect().top()
        painter.drawText(QPoint(0, top + metrics.ascent()), "•")
        painter.end()


def bullet(text: str) -> QLabel:
    """A list item whose wrapped lines start under its first word, not under the bullet
    (``text`` is plain text: it may be the person's own words)."""
    return Bullet(text)


def _unselectable(text: str, name: str) -> QLabel:
    """A word-wrapped label whose text cannot be selected (a heading)."""
    widget = MeasuredLabel(text)
    widget.setWordWrap(True)
    widget.setObjectName(name)
    _finish(widget, _make_unselectable)
    return widget


def title(text: str) -> QLabel:
    widget = _unselectable(text, "PageTitle")
    widget.setAccessibleName(text)
    return widget


class StatusLabel(MeasuredLabel):
    """A one-sentence message (error or success) that takes no room while it is empty."""

    def __init__(self, name: str = "Muted", accessible_name: str = "") -> None:
        super().__init__("")
        self.setObjectName(name)
        self.setWordWrap(True)
        _selectable(self)
        if accessible_name:
            self.setAccessibleName(accessible_name)
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class Card(QFrame):
    """A rounded panel with an optional heading; ``body`` is its vertical layout."""

    def __init__(self, heading: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 16, 20, 18)
        self.body.setSpacing(10)
        if heading:
            head = _unselectable(heading, "CardTitle")
            self.body.addWidget(head)
            self.setAccessibleName(heading)


class Notice(QFrame):
    """A soft coloured box for something the person should read before going on."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        row.addWidget(IconLabel("mdi6.information-outline"))
        self.text = label(text)
        row.addWidget(self.text, 1)


class BusyRow(QWidget):
    """'Working on it' feedback: an indeterminate bar and a sentence. Hidden when idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(120)
        self.text = label("", name="Muted")
        layout.addWidget(self.bar)
        layout.addWidget(self.text, 1)
        self.hide()

    def start(self, message: str) -> None:
        self.text.setText(message)
        self.bar.setAccessibleName(message)
        self.bar.setVisible(not theme.reduce_motion())  # its sliding chunk is movement
        self.show()

    def stop(self) -> None:
        self.hide()


def primary_button(text: str, icon_name: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("Primary")
    if icon_name:
        button.setIcon(icon(icon_name, colour=theme.current().accent_text))
    button.setAccessibleName(text)
    return button


class WrappingButton(QPushButton):
    """A flat button whose words wrap onto more lines when its place is narrow (a title that
    opens something): its words are a word-wrapped label inside it, and its name for a screen
    reader is ``accessible_name``. Styled by its object name (``CardTitleLink``)."""

    def __init__(self, text: str, accessible_name: str, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setObjectName("CardTitleLink")
        self.setAccessibleName(accessible_name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.words = MeasuredLabel(text)
        self.words.setObjectName("CardTitleLinkText")
        self.words.setWordWrap(True)
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.words)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(policy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_words_font(self, font: QFont) -> None:
        self.setFont(font)
        self.words.setFont(font)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.minimumSize() if layout is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout is not None else -1


class WrappingCheckBox(QCheckBox):
    """A check box whose words wrap onto more lines when its place is narrow (large text in
    a small window), the box beside the first line; clicking the words ticks it, as usual."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QSizePolicy  # its type: ~0.5 ms the unlock window skips

        super().__init__(text, parent)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)  # may be narrower than one line
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)  # as tall as its lines need
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _indent(self) -> int:
        """Where the words start: the box and the gap after it."""
        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        self.initStyleOption(option)
        box = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        words = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, self)
        return max(box.right() + 1, words.left()) + 2

    def _words_height(self, width: int) -> int:
        from PySide6.QtCore import Qt

        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
        room = QRect(0, 0, max(1, width - self._indent()), 100_000)
        return self.fontMetrics().boundingRect(room, flags, self.text()).height()

    def minimumSizeHint(self) -> QSize:
        widest = max(
            (self.fontMetrics().horizontalAdvance(w) for w in self.text().split()), default=0
        )
        return QSize(self._indent() + widest + 2, super().minimumSizeHint().height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        one_line = super().sizeHint().height()
        return max(one_line, self._words_height(width) + one_line - self.fontMetrics().height())

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QStyle, QStyleOptionButton, QStylePainter

        option = QStyleOptionButton()
        self.initStyleOption(option)
        painter = QStylePainter(self)
        style = self.style()
        box = style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        one_line = super().sizeHint().height()
        box.moveTop((one_line - box.height()) // 2)  # beside the first line
        indicator = QStyleOptionButton(option)
        indicator.rect = box
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, indicator, painter, self)
        top = (one_line - self.fontMetrics().height()) // 2
        words = QRect(self._indent(), top, self.width() - self._indent(), self.height() - top)
        role = QPalette.ColorRole.WindowText
        painter.setPen(self.palette().color(role))
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        painter.drawText(words, int(flags), self.text())


def link_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("Link")
    _finish(button, _pointing_hand)
    button.setAccessibleName(text)
    return button


class SecretField(QWidget):
    """A password field with a show/hide toggle; the text is never logged or stored."""

    def __init__(self, hint: str, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(hint)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setMaxLength(10_000)
        self.edit.setMinimumWidth(280)
        self.toggle = QPushButton()
        self.toggle.setCheckable(True)
        self.toggle.setIcon(icon("mdi6.eye-outline"))
        self.toggle.setToolTip(_("Show or hide what you typed"))
        self.toggle.setAccessibleName(
            _("Show what you typed: {field}").format(field=accessible_name)
        )
        self.toggle.toggled.connect(self._show)
        row.addWidget(self.edit, 1)
        row.addWidget(self.toggle)

    def _show(self, visible: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password)
        self.toggle.setIcon(icon("mdi6.eye-off-outline" if visible else "mdi6.eye-outline"))

    def text(self) -> str:
        return self.edit.text()

    def clear(self) -> None:
        """Clear the text and the undo history, so nothing can be brought back."""
        self.edit.clear()
        self.edit.setModified(False)
        self.edit.setText("")
        self.toggle.setChecked(False)


def help_now_button() -> QPushButton:
    """The 'Get help now' button: the same look and name on every window (F1 opens it too)."""
    button = QPushButton(icon("mdi6.lifebuoy", colour=theme.current().help_text), _("Get help now"))
    button.setObjectName("HelpNow")
    button.setAccessibleName(_("Get help now"))
    button.setToolTip(_("Helplines and your safety plan (F1)"))
    return button


class CurrentPageStack(QWidget):
    """Views on top of each other, one shown at a time, as tall as the one shown.

    A QStackedWidget sizes itself (and its height for a width, with wrapped text) for its
    tallest view even when that view is hidden; in a scroll area that leaves short views
    stretched. Hidden widgets take no room in a box layout, so this simply hides the others.
    """

    currentChanged = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._views: list[QWidget] = []
        self._current = -1

    def addWidget(self, view: QWidget) -> int:
        self._views.append(view)
        self._layout.addWidget(view, 1)
        if self._current < 0:
            self._current = 0
        view.setVisible(len(self._views) - 1 == self._current)
        return len(self._views) - 1

    def count(self) -> int:
        return len(self._views)

    def widget(self, index: int) -> QWidget:
        return self._views[index]

    def currentIndex(self) -> int:
        return self._current

    def currentWidget(self) -> QWidget | None:
        return self._views[self._current] if self._current >= 0 else None

    def setCurrentIndex(self, index: int) -> None:
        self.setCurrentWidget(self._views[index])

    def setCurrentWidget(self, view: QWidget) -> None:
        index = self._views.index(view)
        if index == self._current:
            return
        self._current = index
        for n, other in enumerate(self._views):
            if n != index:
                other.hide()
        view.show()
        self.currentChanged.emit(index)


def scroll_area() -> QScrollArea:
    """A scroll area without a frame, its viewport filled with the colour of what it sits on
    (the background role it inherits), as every scroll area of the app is made.

    Not by the style sheet: any rule for ``QScrollArea`` there (it had ``border: none;
    background: transparent``) leaves the viewport unfilled, so every paint of what scrolls in
    it paints the window beneath it too. A page's full repaint cost 2.5-3 times as much with
    that rule (Today 3.2 -> 1.2 ms of GUI CPU at 1,100 x 760, each of the nine pages alike), for
    the same pixels (compared on every page and dialog, in each theme)."""
    from PySide6.QtWidgets import QScrollArea

    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def follow_in_tab_order(anchor: QWidget, widgets: list[QWidget]) -> None:
    """Put ``widgets`` right after ``anchor`` in the Tab order.

    A widget made after its window was built joins the *end* of the window's Tab order (after
    "Lock now"); this puts it back. Qt moves a widget only after one that takes focus, so the
    anchor does, for a moment.
    """
    from PySide6.QtCore import Qt

    policy = anchor.focusPolicy()
    anchor.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    previous = anchor
    for widget in widgets:
        if widget.window() is anchor.window():
            QWidget.setTabOrder(previous, widget)
            previous = widget
    anchor.setFocusPolicy(policy)


def laid_out_tab_stops(root: QWidget) -> list[QWidget]:
    """The controls in ``root`` in the order its layouts place them (the reading order)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    found: list[QWidget] = []

    def visit_layout(layout: QLayout | None) -> None:
        if layout is None:
            return
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None:
                continue
            visit(item.widget())
            if item.widget() is None:
                visit_layout(item.layout())

    def visit(widget: QWidget | None) -> None:
        if widget is None:
            return
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
            if not isinstance(widget, QScrollArea):
                return  # a control's own parts (a spin box's line edit) stay with it
        if isinstance(widget, QScrollArea):
            visit(widget.widget())
        else:
            visit_layout(widget.layout())

    visit_layout(root.layout())
    return found


def tab_order_as_laid_out(root: QWidget) -> None:
    """Make Tab go through ``root``'s controls in reading order, after a page has made some
    of them anew (cards of a list rebuilt on refresh)."""
    follow_in_tab_order(root, laid_out_tab_stops(root))


def _date_editor(widget: QWidget) -> QWidget | None:
    """The date or time editor ``widget`` is, or is the line edit of (asked through Qt's
    meta-object, so the launch builds no Python type for it)."""
    if widget.inherits("QDateTimeEdit"):
        return widget
    parent = widget.parentWidget()
    return parent if parent is not None and parent.inherits("QDateTimeEdit") else None


class _DateTabStop(QObject):
    """Tab leaves a date or time field. Qt's own date editors take one Tab stop per part
    (day, month, year, hour, minute: six for a date and time); the arrow keys already move
    between the parts, so Tab goes on to the next control like everywhere else. The filter
    sits on the focused part of a date editor only, following ``QApplication.focusChanged``
    (no application-wide filter sees every event for it)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.on: QWidget | None = None
        app.focusChanged.connect(self.follow)

    def follow(self, _old: QWidget | None, now: QWidget | None) -> None:
        if self.on is not None and shiboken6.isValid(self.on):
            self.on.removeEventFilter(self)
        self.on = None
        if now is not None and _date_editor(now) is not None:
            now.installEventFilter(self)
            self.on = now

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent

        if not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            return False
        edit = _date_editor(watched)
        if edit is None or event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            return False
        back = event.key() == Qt.Key.Key_Backtab or bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        QWidget.focusNextPrevChild(edit.window(), not back)
        return True


def install_date_tab_stops(app: QObject) -> None:
    """Once per application: every date and time field is one Tab stop."""
    from PySide6.QtWidgets import QApplication

    if app.property("companion-date-tab-stops") or not isinstance(app, QApplication):
        return
    app.setProperty("companion-date-tab-stops", True)
    _DateTabStop(app)
