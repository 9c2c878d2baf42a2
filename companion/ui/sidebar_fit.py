"""The main window's sidebar fitted to the window and the text size.

- **Width**: 220 px, or wider when larger text needs it (the page names and buttons whole).
  When the window is too narrow for the page *and* a sidebar of words (large text on a small
  screen: 200% text in a 1024 px window is the room of a 512 px one), the sidebar keeps only
  its icons, so the pages need no sideways scrolling; each page's name stays its tooltip and
  what a screen reader says, and Ctrl+1…9 still open the pages. "Get help now" keeps its
  colour, its lifebuoy and the word "Help". The "Last saved" line becomes a saved mark
  (``SavedMark``): its sentence is its tooltip, what a screen reader says, and shown when it is
  reached with Tab or clicked.
- **Height**: when the nine pages do not fit the window's height at their usual spacing
  (a 600 px high window), the rows sit closer together (the same text and icons).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt
from PySide6.QtGui import QFocusEvent, QFontMetrics
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QToolButton, QToolTip, QWidget

from companion.ui.widgets.common import icon

#: a window narrower than this many "M"s of the current text keeps only the sidebar's icons
#: (at 200% text: under 1200 px, at 175% under 1056, at 150% under 912; never at 125% or less)
NARROW_EMS = 48
#: how much taller each page's row is at its usual spacing than close together (theme.py:
#: padding 6 px instead of 2 at top and bottom, margin 1 px instead of 0)
COMPACT_SAVING = 2 * (6 - 2) + 2 * 1


class SavedMark(QToolButton):
    """The narrow sidebar's "Last saved" line: a saved icon whose sentence is its tooltip and
    accessible name, shown beside it when it is clicked or reached with the keyboard (a
    tooltip alone is out of reach without a mouse)."""

    def __init__(self, sentence: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SavedMark")
        self.setIcon(icon("mdi6.content-save-check-outline"))
        self.setIconSize(QSize(20, 20))
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        #: whether the sidebar wants it (icons only); shown only with a sentence to say
        self.wanted = False
        self.set_sentence(sentence)
        self.clicked.connect(self.say)

    def set_sentence(self, sentence: str) -> None:
        self.setToolTip(sentence)
        self.setAccessibleName(sentence)
        self.set_wanted(self.wanted)

    def set_wanted(self, wanted: bool) -> None:
        self.wanted = wanted
        self.setVisible(wanted and bool(self.toolTip()))

    def say(self) -> None:
        """The sentence beside the mark, as its tooltip shows it."""
        if self.toolTip():
            QToolTip.showText(self.mapToGlobal(QPoint(self.width(), 0)), self.toolTip(), self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.say()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        QToolTip.hideText()


class SidebarFit(QObject):
    """Keeps the sidebar's width and spacing right as the window or the text size changes."""

    def __init__(
        self,
        window: QWidget,
        sidebar: QWidget,
        nav: QListWidget,
        buttons: list[QPushButton],
        hidden_when_narrow: list[QLabel],
        short_words: dict[QPushButton, str] | None = None,
        shown_when_narrow: list[SavedMark] | None = None,
    ) -> None:
        """``short_words``: what a button says instead of nothing when the sidebar is narrow
        ("Help" for "Get help now": the way to help is never only a picture).
        ``shown_when_narrow``: what stands in for ``hidden_when_narrow`` (the saved mark for
        the "Last saved" line); each is shown only when it has something to say."""
        super().__init__(sidebar)  # goes with the sidebar: never called with it half gone
        self.window = window
        self.sidebar = sidebar
        self.nav = nav
        self.buttons = buttons
        self.extras = hidden_when_narrow
        #: each button's words, kept while it shows only its icon
        self.words = {button: button.text() for button in buttons}
        self.short_words = short_words or {}
        self.stand_ins = shown_when_narrow or []
        for stand_in in self.stand_ins:
            stand_in.set_wanted(False)
        self.narrow = False
        self.compact = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.window
            and event.type() == QEvent.Type.Resize
            # a window being deleted may still be resized after the sidebar's list is gone
            and shiboken6.isValid(self.nav)
            and shiboken6.isValid(self.sidebar)
        ):
            self.fit()
        return False

    def fit(self, *_args: object) -> None:
        em = QFontMetrics(self.window.font()).horizontalAdvance("M")
        self._set_narrow(self.window.width() < NARROW_EMS * em)
        self._fit_width()
        self._fit_height()

    # -- width ------------------------------------------------------------------------------

    def _set_narrow(self, narrow: bool) -> None:
        if narrow == self.narrow:
            return
        self.narrow = narrow
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            name = item.data(Qt.ItemDataRole.AccessibleTextRole) or item.text()
            item.setData(Qt.ItemDataRole.AccessibleTextRole, name)
            item.setText("" if narrow else name)
            item.setToolTip(name if narrow else "")
        for button in self.buttons:
            button.setText(self.short_words.get(button, "") if narrow else self.words[button])
        for extra in self.extras:
            extra.setVisible(not narrow)
        for stand_in in self.stand_ins:
            stand_in.set_wanted(narrow)

    def _fit_width(self) -> None:
        side = self.sidebar.layout()
        margins = side.contentsMargins().left() + side.contentsMargins().right() if side else 0
        widest = max(
            [self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 16]
            + [button.sizeHint().width() for button in self.buttons]
            + [
                extra.sizeHint().width()
                for extra in self.extras
                if not self.narrow and not extra.wordWrap()
            ]
        )
        self.sidebar.setFixedWidth(widest + margins if self.narrow else max(220, widest + margins))

    # -- height -----------------------------------------------------------------------------

    def _fit_height(self) -> None:
        rows = self.nav.count()
        row = self.nav.sizeHintForRow(0) if rows else 0
        usual = row + COMPACT_SAVING if self.compact else row
        self._set_compact(rows * usual > self._room_for_rows())

    def _room_for_rows(self) -> int:
        """The height the page list gets: the window's (the sidebar runs top to bottom) less
        everything else in the sidebar (worked out from their sizes, not the current layout,
        which may not have caught up with the window yet)."""
        layout = self.sidebar.layout()
        if layout is None:
            return self.nav.height()
        margins = layout.contentsMargins()
        room = self.window.height() - margins.top() - margins.bottom()
        width = self.sidebar.width() - margins.left() - margins.right()
        for index in range(layout.count()):
            item = layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is None or widget is self.nav or widget.isHidden():
                continue
            hint = widget.sizeHint().height()
            if widget.hasHeightForWidth():
                hint = widget.heightForWidth(width)
            room -= hint + layout.spacing()
        return room - 2 * self.nav.frameWidth()

    def _set_compact(self, compact: bool) -> None:
        if compact == self.compact:
            return
        self.compact = compact
        self.nav.setProperty("compact", compact)
        style = self.nav.style()
        style.unpolish(self.nav)
        style.polish(self.nav)
        self.nav.doItemsLayout()
