"""A focus ring for the regions that take the keyboard but draw no focus of their own.

A page's scroll area is a Tab stop (the arrow keys then scroll it), and so is a chart; neither
shows that it has the focus, so a keyboard user presses Tab and sees nothing happen (WCAG 2.4.7).
A border in the style sheet would take two pixels of room from every page, which at 200% text
is enough to make one scroll sideways. So the ring is drawn *over* the region, by a child that
takes no room and no clicks, while the region has the focus; it follows the application's focus
through ``QApplication.focusChanged`` (a signal, not another event filter).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QGraphicsView, QScrollArea, QWidget

from companion.ui import theme

#: regions that take the focus and draw none themselves (lists, fields and buttons have theirs);
#: a widget of another kind that does the same (a chart painted by hand) sets the property
#: ``focusRing`` to True
RING_KINDS = (QScrollArea, QGraphicsView)
WIDTH = 2
_INSTALLED = "companion-focus-rings"


class FocusRing(QWidget):
    """Drawn over its region (a child, on top) while the region has the keyboard focus."""

    def __init__(self, region: QWidget) -> None:
        from PySide6.QtCore import Qt  # not at import: the launch imports this module

        super().__init__(region)
        self.setObjectName("FocusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        region.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._cover()
        return False

    def _cover(self) -> None:
        region = self.parentWidget()
        if region is not None:
            self.setGeometry(region.rect())
            self.raise_()

    def set_shown(self, shown: bool) -> None:
        if shown:
            self._cover()
        self.setVisible(shown)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(theme.current().accent), WIDTH))
        half = WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 4, 4)


def ring_of(region: QWidget, *, make: bool = False) -> FocusRing | None:
    from PySide6.QtCore import Qt

    ring = region.findChild(FocusRing, "FocusRing", Qt.FindChildOption.FindDirectChildrenOnly)
    if ring is None and make:
        ring = FocusRing(region)
    return ring


def wants_ring(widget: QWidget) -> bool:
    return isinstance(widget, RING_KINDS) or widget.property("focusRing") is True


def _focus_changed(old: QWidget | None, new: QWidget | None) -> None:
    if old is not None and shiboken6.isValid(old):
        ring = ring_of(old)
        if ring is not None:
            ring.set_shown(False)
    if new is not None and wants_ring(new):
        ring = ring_of(new, make=True)
        if ring is not None:
            ring.set_shown(True)


def install(app: QApplication) -> None:
    """Once per application: rings follow the focus from now on."""
    if app.property(_INSTALLED):
        return
    app.setProperty(_INSTALLED, True)
    app.focusChanged.connect(_focus_changed)
