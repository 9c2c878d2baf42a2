"""A word-wrapped label that measures its height for a width once, not at every layout pass.

``QLabel.heightForWidth`` keeps no memory: a label whose text can be selected (every ``label()``
in the app) measures through a text document, setting its width and back — two full layouts of
its text per call — and nested box layouts ask each label several times per pass (height for
width, minimum height for width, at the widths of each level). Each new block added to a page
shown on screen starts a pass over every label on it, so a page of many wrapped labels built a
block at a time spent most of its turns re-measuring the labels already there (the Medications
page's treatment history at ten years: 100–150 ms turns of text layout).

:class:`MeasuredLabel` answers a width it has measured for the same text from memory. What else
changes its height — the font, the style, margins, word wrap, the text format — forgets what it
measured.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from companion.ui.widgets.common import _selectable

#: a label is asked about a few widths at a time (its own, its layouts'); beyond this many a
#: resize is under way and older widths are forgotten
_WIDTHS_KEPT = 8


class MeasuredLabel(QLabel):
    """A ``QLabel`` that remembers its height for each width (same text, font and style)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._heights: dict[tuple[int, str], int] = {}

    def heightForWidth(self, width: int) -> int:
        key = (width, self.text())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= _WIDTHS_KEPT:
                self._heights.clear()
            height = self._heights[key] = super().heightForWidth(width)
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


def measured_label(
    text: str, *, name: str | None = None, wrap: bool = True, rich: bool = False
) -> MeasuredLabel:
    """As ``common.label`` (word-wrapped unless ``wrap`` is false, selectable after the first
    paint), measured once per width. ``rich``: the text is rich text (escape anything the
    person wrote)."""
    widget = MeasuredLabel(text)
    if rich:
        widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setWordWrap(wrap)
    _selectable(widget)
    if name:
        widget.setObjectName(name)
    return widget


def measure_now(widget: QWidget, width: int) -> None:
    """Style ``widget`` and measure it for ``width`` now, in the step that made it, rather than
    in the layout pass after the step: a page built a block per step then keeps each turn
    within its budget, the layout pass finding the labels' heights already measured (for
    :class:`MeasuredLabel`\\ s) and the style already applied."""
    widget.ensurePolished()
    widget.sizeHint()
    widget.minimumSizeHint()
    if widget.hasHeightForWidth():
        widget.heightForWidth(width)
