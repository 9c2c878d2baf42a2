"""A layout that places widgets left to right and wraps them onto new lines (tag chips, rows
of buttons that must not make a page wider than its window when the text is large)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to new lines (tag chips)."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 6, *, one_line_hint: bool = False
    ) -> None:
        """``one_line_hint``: the size it asks for is all its items on one line (beside
        something else in a row, it takes that room when there is some and wraps when not);
        otherwise its widest item (below other things, it is given the whole width anyway)."""
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._one_line_hint = one_line_hint
        #: heights already worked out, by width (a layout pass asks for the same widths
        #: many times); forgotten whenever Qt invalidates the layout
        self._heights: dict[int, int] = {}
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self._heights.clear()

    def addWidget(self, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        self._heights.clear()
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), apply=False)
        return height

    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        if not self._one_line_hint or not self._items:
            return self.minimumSize()
        hints = [item.sizeHint() for item in self._items if not item.isEmpty()]
        if not hints:
            return QSize(0, 0)
        width = sum(hint.width() for hint in hints) + self._spacing * (len(hints) - 1)
        return QSize(width, max(hint.height() for hint in hints))

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items line by line (each centred on its line); the height they need."""
        x, y, line = rect.x(), rect.y(), 0
        placed: list[tuple[QLayoutItem, QPoint, QSize]] = []

        def finish_line() -> None:
            for item, at, size in placed:
                item.setGeometry(QRect(QPoint(at.x(), at.y() + (line - size.height()) // 2), size))
            placed.clear()

        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room, not even a gap
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                if apply:
                    finish_line()
                x = rect.x()
                y += line + self._spacing
                line = 0
            if apply:
                placed.append((item, QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        if apply:
            finish_line()
        return y + line - rect.y()
