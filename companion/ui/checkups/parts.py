"""Pieces shared by the check-up form and result: the safety note and the band strip."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from companion.content.questionnaires import Band
from companion.core.checkups.flags import self_harm_message
from companion.i18n import _
from companion.ui import theme
from companion.ui.widgets.common import IconLabel, help_now_button, label


class SafetyNote(QFrame):
    """The calm note for a PHQ-9 question-9 answer above zero: words and one way to help.

    It never blocks: the form goes on around it. ``helpRequested`` asks the host to open the
    safety plan and helplines.
    """

    helpRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        self.setAccessibleName(_("Support"))
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 12, 14, 12)
        row.setSpacing(12)
        row.addWidget(IconLabel("mdi6.hand-heart-outline", 24))
        column = QVBoxLayout()
        column.setSpacing(8)
        self.text = label("")
        self.text.setAccessibleName(_("Support message"))
        column.addWidget(self.text)
        self.help = help_now_button()
        self.help.clicked.connect(self.helpRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.help)
        buttons.addStretch(1)
        column.addLayout(buttons)
        row.addLayout(column, 1)
        self.value = 0
        self.hide()

    def show_for(self, value: int) -> None:
        """Show the words for this answer; hide for zero or no answer."""
        self.value = value
        if value > 0:
            self.text.setText(self_harm_message(value))
            self.text.setAccessibleDescription(self.text.text())
            self.show()
        else:
            self.hide()


class BandStrip(QWidget):
    """The score's place among the instrument's bands: a quiet strip with a marker.

    Colours stay calm (one accent at growing strength, never red), and the strip is only a
    picture of what the text beside it already says; its accessible name says it in words.
    """

    def __init__(
        self, bands: tuple[Band, ...], multiplier: int = 1, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bands = bands
        self.multiplier = multiplier
        self.total: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(240)

    def set_total(self, total: int | None) -> None:
        self.total = total
        band = next((b for b in self.bands if total is not None and b.contains(total)), None)
        if band is not None and total is not None:
            m = self.multiplier
            self.setAccessibleName(
                _("Score {score}, in the range {low} to {high}: {band}").format(
                    score=total * m, low=band.min * m, high=band.max * m, band=band.label
                )
            )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 34 + self.fontMetrics().height())

    def _span(self) -> tuple[int, int]:
        return self.bands[0].min, self.bands[-1].max + 1

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.bands:
            return
        c = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        low, high = self._span()
        width = self.width() - 2.0
        bar = QRectF(1.0, 12.0, width, 12.0)
        accent = QColor(c.accent)
        count = len(self.bands)
        for n, band in enumerate(self.bands):
            left = bar.left() + width * (band.min - low) / (high - low)
            right = bar.left() + width * (band.max + 1 - low) / (high - low)
            colour = QColor(accent)
            colour.setAlphaF(0.15 + 0.6 * n / max(1, count - 1))
            painter.fillRect(QRectF(left, bar.top(), right - left - 1.5, bar.height()), colour)
        if self.total is not None:
            x = bar.left() + width * (self.total + 0.5 - low) / (high - low)
            painter.setPen(QPen(QColor(c.text), 2))
            painter.drawLine(QPointF(x, bar.top() - 4), QPointF(x, bar.bottom() + 4))
            painter.setBrush(QColor(c.text))
            painter.drawPolygon(
                QPolygonF(
                    [QPointF(x - 5, bar.top() - 10), QPointF(x + 5, bar.top() - 10),
                     QPointF(x, bar.top() - 4)]
                )
            )  # fmt: skip
        painter.setPen(QColor(c.muted))
        metrics = self.fontMetrics()
        baseline = bar.bottom() + 6 + metrics.ascent()
        last = str(self.bands[-1].max * self.multiplier)
        last_left = self.width() - metrics.horizontalAdvance(last) - 1
        drawn_to = -1e9
        for band in self.bands:
            text = str(band.min * self.multiplier)
            x = bar.left() + width * (band.min - low) / (high - low)
            right = x + metrics.horizontalAdvance(text)
            if x > drawn_to + 4 and right < last_left - 4:  # never let two numbers touch
                painter.drawText(QPointF(x, baseline), text)
                drawn_to = right
        painter.drawText(QPointF(last_left, baseline), last)
        painter.end()
