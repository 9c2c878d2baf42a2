"""Word-wrapped labels that measure their height for a width once, not at every layout pass.

``QLabel.heightForWidth`` keeps no memory: a label whose text can be selected (every ``label()``
in the app) measures through a text document, setting its width and back — two full layouts of
its text per call — and nested box layouts ask each label several times per pass (height for
width, minimum height for width, at the widths of each level). Each new block added to a page
shown on screen starts a pass over every label on it, so a page of many wrapped labels built a
block at a time spent most of its turns re-measuring the labels already there (the Medications
page's treatment history at ten years: 100–150 ms turns of text layout).

:class:`MeasuredLabel` (defined in ``widgets.common``, whose ``label()``, bullets, headings and
status lines are all measured labels) answers a width it has measured for the same text from
memory; what else changes its height — the font, the style, margins, word wrap, the text
format — forgets what it measured. Here: :func:`measured_label` (``label()`` with rich text)
and :func:`measure_now` (measure in the step that builds a block, not in the next layout pass).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

# the class lives beside ``label()``, which makes every label of the app one
from companion.ui.widgets.common import MeasuredLabel, _selectable

__all__ = ["MeasuredLabel", "measure_now", "measured_label"]


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
