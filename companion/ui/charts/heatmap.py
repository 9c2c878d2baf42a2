"""A calendar of daily mood: one square a day, weeks as columns, Monday at the top.

Days not logged are drawn empty (a gap, never a zero). Hover or keyboard (arrows move a
visible cursor) tells the day's value; the summary beside says it in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from companion.core.mood.stats import HeatCell
from companion.i18n import _, format_number, month_name, ngettext, weekday_name
from companion.ui.charts import palette
from companion.ui.charts.summary import day_text, describe_heatmap
from companion.ui.widgets.measured import MeasuredLabel

#: at most this many days are drawn (the latest of the period): one year fits a page width
MAX_DAYS = 371
#: the rows that carry their weekday's name (Monday, Wednesday, Friday, Sunday)
LABELLED_ROWS = (0, 2, 4, 6)


def row_label(row: int) -> str:
    """The short weekday name of a row (Monday first), or "" for the rows left unnamed."""
    if row not in LABELLED_ROWS:
        return ""
    return weekday_name(date.fromordinal(1 + row), short=True)  # day 1 is a Monday


def cell_text(cell: HeatCell) -> str:
    day = weekday_name(cell.day, short=True)
    if cell.mood_mean is None:
        return _("{weekday} {date}: not logged").format(weekday=day, date=day_text(cell.day))
    n = cell.n_entries
    return ngettext(
        "{weekday} {date}: mood {mood} ({count} check-in)",
        "{weekday} {date}: mood {mood} ({count} check-ins)",
        n,
    ).format(weekday=day, date=day_text(cell.day), mood=format_number(cell.mood_mean, 1), count=n)


class HeatmapCanvas(QWidget):
    cursor_moved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells: list[HeatCell] = []
        self.cursor_index = -1
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Mood calendar"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(150)

    def set_cells(self, cells: Sequence[HeatCell]) -> None:
        self.cells = list(cells)[-MAX_DAYS:]
        self.cursor_index = len(self.cells) - 1 if self.cells else -1
        self.update()

    # geometry: left margin for weekday names, top margin for month names
    def _layout(self) -> tuple[float, float, float, int]:
        fm = QFontMetrics(self.font())
        left = max(fm.horizontalAdvance(row_label(r)) for r in LABELLED_ROWS) + 8
        top = fm.height() + 4
        weeks = self._weeks()
        size = min((self.width() - left - 4) / max(weeks, 1), (self.height() - top - 4) / 7, 22.0)
        return left, top, max(size, 4.0), weeks

    def _weeks(self) -> int:
        if not self.cells:
            return 1
        first = self.cells[0].day
        offset = first.weekday()
        return (offset + len(self.cells) + 6) // 7

    def _position(self, index: int) -> tuple[int, int]:
        offset = self.cells[0].day.weekday()
        n = offset + index
        return n // 7, n % 7

    def _rect(self, index: int) -> QRectF:
        left, top, size, _ = self._layout()
        col, row = self._position(index)
        gap = max(1.0, size * 0.14)
        return QRectF(left + col * size, top + row * size, size - gap, size - gap)

    def sizeHint(self) -> QSize:
        return QSize(53 * 18 + 40, 7 * 18 + 24)

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = palette.colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, top, size, _weeks = self._layout()
        painter.setPen(palette.qcolor(pal.muted))
        for row in LABELLED_ROWS:
            painter.drawText(
                QRectF(0, top + row * size, left - 6, size),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                row_label(row),
            )
        last_month = None
        for index, cell in enumerate(self.cells):
            rect = self._rect(index)
            first_week = (cell.day.day <= 7 and cell.day.weekday() == 0) or (
                index == 0 and cell.day.day <= 14
            )
            if first_week and cell.day.month != last_month:
                painter.setPen(palette.qcolor(pal.muted))
                month = month_name(cell.day.month, short=True)
                painter.drawText(QPoint(int(rect.left()), int(top - 6)), month)
                last_month = cell.day.month
            if cell.mood_mean is None:
                painter.setPen(QPen(palette.qcolor(pal.grid)))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.ramp(cell.mood_mean))
            radius = max(1.0, size * 0.18)
            painter.drawRoundedRect(rect, radius, radius)
        if self.hasFocus() and 0 <= self.cursor_index < len(self.cells):
            pen = QPen(palette.qcolor(pal.text))
            pen.setWidthF(2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect(self.cursor_index).adjusted(-1, -1, 1, 1), 3, 3)
        painter.end()

    def index_at(self, point: QPoint) -> int:
        for index in range(len(self.cells)):
            if self._rect(index).contains(point.toPointF()):
                return index
        return -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if index >= 0:
            QToolTip.showText(event.globalPosition().toPoint(), cell_text(self.cells[index]), self)
        else:
            QToolTip.hideText()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: -7,
            Qt.Key.Key_Right: 7,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
        }
        step = steps.get(Qt.Key(event.key()))
        if step is None or not self.cells:
            super().keyPressEvent(event)
            return
        self.cursor_index = min(len(self.cells) - 1, max(0, self.cursor_index + step))
        text = cell_text(self.cells[self.cursor_index])
        self.setAccessibleDescription(text)
        self.cursor_moved.emit(text)
        self.update()
        event.accept()

    def focusInEvent(self, event: object) -> None:
        if self.cells and 0 <= self.cursor_index < len(self.cells):
            self.setAccessibleDescription(cell_text(self.cells[self.cursor_index]))
        self.update()
        super().focusInEvent(event)  # type: ignore[arg-type]

    def focusOutEvent(self, event: object) -> None:
        self.update()
        super().focusOutEvent(event)  # type: ignore[arg-type]


class CalendarHeatmap(QWidget):
    """The calendar, its legend, and the summary beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = HeatmapCanvas()
        self.summary = MeasuredLabel()
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Calendar summary"))
        self.summary.setMinimumWidth(180)
        self.summary.setMaximumWidth(280)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = QLabel()
        self.legend.setAccessibleName(_("Calendar legend"))
        self.cursor_label = QLabel()
        self.cursor_label.setObjectName("Muted")
        self.canvas.cursor_moved.connect(self.cursor_label.setText)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.canvas)
        column.addWidget(self.legend)
        column.addWidget(self.cursor_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addWidget(left, 1)
        row.addWidget(self.summary)
        self._legend()

    def set_cells(self, cells: Sequence[HeatCell]) -> None:
        self.canvas.set_cells(cells)
        shown = self.canvas.cells
        text = describe_heatmap(shown)
        if len(cells) > len(shown):
            text = _("{summary} (The calendar shows the latest year of the period.)").format(
                summary=text
            )
        self.summary.setText(text)
        self.canvas.setAccessibleDescription(text)

    def _legend(self) -> None:
        squares = []
        for value in (0, 2.5, 5, 7.5, 10):
            colour = palette.ramp(value).name()
            squares.append(f'<span style="color:{colour}; font-size:14pt;">■</span>')
        empty = palette.colours().grid
        self.legend.setText(
            _("Lower mood {squares} higher mood &nbsp;&nbsp; {empty} not logged").format(
                squares="".join(squares),
                empty=f'<span style="color:{empty}; font-size:14pt;">□</span>',
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._legend()
            self.canvas.update()
        super().changeEvent(event)
