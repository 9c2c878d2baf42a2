"""The clinician summary as a PDF, drawn with QtGui offscreen (no window, no printer).

Page one is the summary at a glance: every section's ``glance`` blocks (the mood chart with
its rolling mean and the medicine changes, the latest check-ups with the question-9 flag,
adherence per medicine, homework). The detail pages follow, one section after another. Every
page carries the period, the day it was made, its number of the total, and "self-reported,
not a diagnosis".

Made for paper that may be printed in grey: black text on white, greys with enough contrast,
one dark accent, and nothing that relies on colour alone (the rolling mean is a heavy line,
the daily means are dots, medicine changes are numbered dashed lines listed under the chart,
a flagged answer sits in a heavy box and says what it is). Charts are vector drawings.

The PDF is built in memory and returned as bytes, so nothing unencrypted touches the disk
when a password is added (:mod:`companion.reports.protect`) and the caller writes the file
through the private-write helper. Like ``pdf.py``, this module needs a ``QGuiApplication``
(fonts); :func:`ensure_gui` makes an offscreen one for the command line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from companion.core.reports.model import (
    Block,
    Cell,
    Chart,
    Column,
    Facts,
    Marker,
    Summary,
    Table,
    Text,
)
from companion.core.reports.wording import DASH, number, percent, period_text
from companion.i18n import _, format_date, format_time, month_name, ngettext

__all__ = ["PAPERS", "Paper", "SummaryDocument", "ensure_gui", "render_summary_pdf"]

Paper = Literal["a4", "letter"]
PAPERS: dict[str, QPageSize.PageSizeId] = {
    "a4": QPageSize.PageSizeId.A4,
    "letter": QPageSize.PageSizeId.Letter,
}
RESOLUTION = 600

# Greys that survive a grey printer; one dark accent (about 21% grey when printed).
INK = QColor("#111111")
MUTED = QColor("#4d4d4d")
RULE = QColor("#8c8c8c")
FAINT = QColor("#d4d4d4")
FILL = QColor("#ebebeb")
ZEBRA = QColor("#f5f5f5")
ACCENT = QColor("#1f3b63")
DOTS = QColor("#7a7a7a")

_FAMILIES = ["DejaVu Sans", "Noto Sans", "Helvetica", "Arial", "Liberation Sans"]


_APP: list[QGuiApplication] = []


def ensure_gui() -> None:
    """Make sure a ``QGuiApplication`` exists (an offscreen one when there is none)."""
    if QGuiApplication.instance() is None:
        _APP.append(QGuiApplication(["companion", "-platform", "offscreen"]))


class _Style:
    """Fonts, metrics and sizes for one writer (points converted to device pixels)."""

    def __init__(self, device: QPdfWriter) -> None:
        self.device = device
        self.k = device.resolution() / 72.0
        self._fonts: dict[tuple[float, bool, bool], QFont] = {}
        self._metrics: dict[tuple[float, bool, bool], QFontMetricsF] = {}

    def pt(self, points: float) -> float:
        return points * self.k

    def font(self, size: float, bold: bool = False, italic: bool = False) -> QFont:
        key = (size, bold, italic)
        if key not in self._fonts:
            font = QFont()
            font.setFamilies(_FAMILIES)
            font.setStyleHint(QFont.StyleHint.SansSerif)
            font.setPointSizeF(size)
            font.setBold(bold)
            font.setItalic(italic)
            font.setKerning(True)
            if hasattr(font, "setFeature"):  # Qt 6.7+: no ligatures, so copied text and
                font.setFeature(QFont.Tag("liga"), 0)  # screen readers get plain "ff", "fi"
            self._fonts[key] = font
        return self._fonts[key]

    def metrics(self, size: float, bold: bool = False, italic: bool = False) -> QFontMetricsF:
        key = (size, bold, italic)
        if key not in self._metrics:
            self._metrics[key] = QFontMetricsF(self.font(size, bold, italic), self.device)
        return self._metrics[key]

    def text_height(
        self, text: str, width: float, size: float, bold: bool = False, italic: bool = False
    ) -> float:
        if not text:
            return 0.0
        rect = self.metrics(size, bold, italic).boundingRect(
            QRectF(0, 0, max(width, 1.0), 1e7), _WRAP, text
        )
        return rect.height()

    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        return max(
            (self.metrics(size, bold).horizontalAdvance(line) for line in text.split("\n")),
            default=0.0,
        )

    def draw(
        self,
        p: QPainter,
        rect: QRectF,
        text: str,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        colour: QColor = INK,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    ) -> None:
        p.setFont(self.font(size, bold, italic))
        p.setPen(colour)
        p.drawText(rect, int(_WRAP | align), text)


_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


# -- layout atoms ------------------------------------------------------------------------------

Painter = Callable[[QPainter, float, float], None]


@dataclass
class _Atom:
    """An unbreakable piece of the page: its height, how to paint it at (x, y)."""

    height: float
    paint: Painter
    #: keep on the same page as the next atom (headings, a table's title and header)
    keep: bool = False
    #: painted again at the top of a page when a table breaks before this atom
    repeat: _Atom | None = None
    page_break: bool = False


def _nothing(_p: QPainter, _x: float, _y: float) -> None:
    return None


def _break() -> _Atom:
    return _Atom(0.0, _nothing, page_break=True)


def _cell_text(column: Column, value: Cell) -> str:
    if value is None:
        return DASH
    if column.kind == "percent" and isinstance(value, int | float):
        return percent(float(value))
    if column.kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        text = number(float(value), column.decimals)
        return f"{text} {column.unit}" if column.unit else text
    if column.kind == "boolean":
        return _("Yes") if value else _("No")
    if column.kind == "datetime" and isinstance(value, datetime):
        return _("{date} {time}").format(
            date=format_date(value.date(), "medium"), time=format_time(value)
        )
    if column.kind == "month" and isinstance(value, date):
        return format_date(value, "month_short")
    if column.kind == "date" and isinstance(value, date):
        return format_date(value, "medium")
    return str(value)


def _numeric(column: Column) -> bool:
    return column.kind in ("integer", "number", "percent")


class _Builder:
    """Turns the summary's blocks into atoms for a content width (device pixels)."""

    def __init__(self, summary: Summary, style: _Style, width: float) -> None:
        self.summary = summary
        self.s = style
        self.width = width
        self.markers = summary.markers

    # headings and text

    def heading(
        self, text: str, size: float, *, rule: bool = True, space_before: float = 10
    ) -> _Atom:
        s = self.s
        h = s.text_height(text, self.width, size, bold=True)
        before, after = s.pt(space_before), s.pt(4)

        def paint(p: QPainter, x: float, y: float) -> None:
            s.draw(p, QRectF(x, y + before, self.width, h), text, size, bold=True, colour=ACCENT)
            if rule:
                p.setPen(QPen(RULE, s.pt(0.6)))
                line_y = y + before + h + s.pt(1.5)
                p.drawLine(QPointF(x, line_y), QPointF(x + self.width, line_y))

        return _Atom(before + h + s.pt(2) + after, paint, keep=True)

    def paragraph(
        self,
        text: str,
        size: float = 9,
        *,
        colour: QColor = INK,
        italic: bool = False,
        bold: bool = False,
        after: float = 5,
        indent: float = 0,
    ) -> _Atom:
        s = self.s
        width = self.width - s.pt(indent)
        h = s.text_height(text, width, size, bold=bold, italic=italic)

        def paint(p: QPainter, x: float, y: float) -> None:
            s.draw(
                p,
                QRectF(x + s.pt(indent), y, width, h + 1),
                text,
                size,
                bold=bold,
                italic=italic,
                colour=colour,
            )

        return _Atom(h + s.pt(after), paint)

    def text_block(self, block: Text) -> list[_Atom]:
        atoms = []
        if block.heading:
            atom = self.paragraph(block.heading, 8.5, bold=True, after=1.5)
            atom.keep = True
            atoms.append(atom)
        atoms.append(self.paragraph(block.text, 9, after=6))
        return atoms

    # facts: a grid of cells, flagged facts across the whole width in a heavy box

    def facts(self, block: Facts) -> list[_Atom]:
        s = self.s
        atoms: list[_Atom] = []
        if block.title:
            title = self.paragraph(block.title, 9, bold=True, after=3)
            title.keep = True
            atoms.append(title)
        short = all(len(f.value) <= 14 and len(f.label) <= 34 for f in block.items)
        columns = (5 if short else 3) if self.width > s.pt(430) else (3 if short else 2)
        gap = s.pt(10)
        cell_w = (self.width - gap * (columns - 1)) / columns
        plain = [f for f in block.items if not f.flag]
        for start in range(0, len(plain), columns):
            row = plain[start : start + columns]
            heights = [self._fact_height(f.label, f.value, f.detail, cell_w) for f in row]
            row_h = max(heights)

            def paint(p: QPainter, x: float, y: float, row: list = row) -> None:  # type: ignore[type-arg]
                for n, fact in enumerate(row):
                    self._paint_fact(
                        p, x + n * (cell_w + gap), y, cell_w, fact.label, fact.value, fact.detail
                    )

            atoms.append(_Atom(row_h + s.pt(4), paint))
        pad = s.pt(6)
        inner = self.width - 2 * pad - s.pt(4)
        for fact in (f for f in block.items if f.flag):
            h = self._fact_height(fact.label, fact.value, fact.detail, inner) + 2 * pad

            def paint_flag(p: QPainter, x: float, y: float, fact=fact, h=h) -> None:  # type: ignore[no-untyped-def]
                p.setPen(QPen(INK, s.pt(1.4)))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(x, y, self.width, h))
                p.fillRect(QRectF(x, y, s.pt(4), h), INK)
                self._paint_fact(
                    p,
                    x + s.pt(4) + pad,
                    y + pad,
                    inner,
                    _("Flag · {label}").format(label=fact.label),
                    fact.value,
                    fact.detail,
                )

            atoms.append(_Atom(h + s.pt(6), paint_flag))
        return atoms

    def _fact_height(self, label: str, value: str, detail: str, width: float) -> float:
        s = self.s
        return (
            s.text_height(label, width, 7.5)
            + s.text_height(value, width, 10.5, bold=True)
            + (s.text_height(detail, width, 7.5) if detail else 0)
            + s.pt(1)
        )

    def _paint_fact(
        self, p: QPainter, x: float, y: float, width: float, label: str, value: str, detail: str
    ) -> None:
        s = self.s
        h1 = s.text_height(label, width, 7.5)
        s.draw(p, QRectF(x, y, width, h1 + 1), label, 7.5, colour=MUTED)
        h2 = s.text_height(value, width, 10.5, bold=True)
        s.draw(p, QRectF(x, y + h1, width, h2 + 1), value, 10.5, bold=True)
        if detail:
            h3 = s.text_height(detail, width, 7.5)
            s.draw(p, QRectF(x, y + h1 + h2, width, h3 + 1), detail, 7.5, colour=MUTED)

    # tables

    def table(self, table: Table, *, titled: bool = True) -> list[_Atom]:
        s = self.s
        columns = [c for c in table.columns if c.shown]
        index = [table.columns.index(c) for c in columns]
        rows = [
            [_cell_text(c, row[i]) for c, i in zip(columns, index, strict=True)]
            for row in table.rows
        ]
        atoms = []
        if titled or not rows:
            title = self.paragraph(table.title, 9.5, bold=True, after=3)
            title.keep = True
            atoms.append(title)
        if not rows:
            empty = table.empty_text or _("Nothing recorded in this period.")
            atoms.append(self.paragraph(empty, 8.5, colour=MUTED, italic=True, after=8))
            return atoms
        size, head_size = 8, 7.5
        pad = s.pt(3)
        widths = self._column_widths(columns, rows, size, head_size, pad)
        aligns = [
            Qt.AlignmentFlag.AlignRight if _numeric(c) else Qt.AlignmentFlag.AlignLeft
            for c in columns
        ]

        def row_height(cells: Sequence[str], font: float, bold: bool) -> float:
            return (
                max(
                    s.text_height(t, w - 2 * pad, font, bold)
                    for t, w in zip(cells, widths, strict=True)
                )
                + 2 * pad
            )

        headers = [
            c.title + (f" ({c.unit})" if c.unit and c.kind != "number" else "") for c in columns
        ]
        head_h = row_height(headers, head_size, True)

        def paint_head(p: QPainter, x: float, y: float) -> None:
            p.fillRect(QRectF(x, y, sum(widths), head_h), FILL)
            cx = x
            for text, w, align in zip(headers, widths, aligns, strict=True):
                s.draw(
                    p,
                    QRectF(cx + pad, y + pad, w - 2 * pad, head_h),
                    text,
                    head_size,
                    bold=True,
                    align=align,
                )
                cx += w
            p.setPen(QPen(RULE, s.pt(0.6)))
            p.drawLine(QPointF(x, y + head_h), QPointF(x + sum(widths), y + head_h))

        head = _Atom(head_h, paint_head, keep=True)
        atoms.append(head)
        for n, cells in enumerate(rows):
            h = row_height(cells, size, False)

            def paint_row(p: QPainter, x: float, y: float, cells=cells, h=h, n=n) -> None:  # type: ignore[no-untyped-def]
                if n % 2 == 1:
                    p.fillRect(QRectF(x, y, sum(widths), h), ZEBRA)
                cx = x
                for text, w, align in zip(cells, widths, aligns, strict=True):
                    s.draw(p, QRectF(cx + pad, y + pad, w - 2 * pad, h), text, size, align=align)
                    cx += w
                p.setPen(QPen(FAINT, s.pt(0.4)))
                p.drawLine(QPointF(x, y + h), QPointF(x + sum(widths), y + h))

            atoms.append(_Atom(h, paint_row, repeat=head))
        if table.caption:
            atoms.append(self.paragraph(table.caption, 7.5, colour=MUTED, after=2))
        atoms[-1].height += s.pt(8)
        return atoms

    def _column_widths(
        self,
        columns: list[Column],
        rows: list[list[str]],
        size: float,
        head_size: float,
        pad: float,
    ) -> list[float]:
        s = self.s
        natural = []
        minimum = []
        for i, column in enumerate(columns):
            cells = [r[i] for r in rows[:400]]
            widest = max((s.text_width(t, size) for t in cells), default=0.0)
            head = s.text_width(column.title, head_size, True)
            words = [w for t in [*cells, column.title] for w in t.split()]
            longest_word = max((s.text_width(w, size) for w in words), default=0.0)
            natural.append(max(widest, head) + 2 * pad + 1)
            if column.kind == "text":
                minimum.append(min(max(longest_word, s.pt(28)), s.pt(90)) + 2 * pad + 1)
            else:  # numbers and dates never wrap
                minimum.append(max(widest, longest_word) + 2 * pad + 1)
        total = sum(natural)
        if total <= self.width:
            # spread the spare room over every column, so a table spans the page evenly
            extra = (self.width - total) / len(columns)
            return [w + extra for w in natural]
        # shrink the columns that can wrap, never below their longest word
        shrinkable = sum(n - m for n, m in zip(natural, minimum, strict=True))
        over = total - self.width
        if shrinkable <= 0:
            factor = self.width / total
            return [w * factor for w in natural]
        share = min(1.0, over / shrinkable)
        widths = [n - (n - m) * share for n, m in zip(natural, minimum, strict=True)]
        squeeze = self.width / sum(widths)
        return [w * min(1.0, squeeze) for w in widths]

    # charts

    def chart(self, chart: Chart, *, tall: bool) -> list[_Atom]:
        s = self.s
        height = s.pt(132 if tall else 110)
        markers = tuple(
            m for m in (self.markers if chart.timeline else ()) if m.day in self.summary.period
        )

        def paint(p: QPainter, x: float, y: float) -> None:
            _ChartPainter(self.summary, s, chart, markers).paint(
                p, QRectF(x, y, self.width, height)
            )

        atoms = []
        if not tall:  # on page one the section heading and the running header say it all
            title = self.paragraph(chart.title, 9.5, bold=True, after=2)
            title.keep = True
            atoms.append(title)
        atoms.append(_Atom(height + s.pt(4), paint, keep=bool(markers) or bool(chart.caption)))
        atoms.append(self._legend(chart, markers))
        if chart.caption:
            atoms.append(self.paragraph(chart.caption, 7.5, colour=MUTED, after=2))
        atoms[-1].height += s.pt(8)
        return atoms

    def _legend(self, chart: Chart, markers: Sequence[Marker]) -> _Atom:
        s = self.s
        entries = [
            _("{day}: {event}").format(day=format_date(m.day, "medium"), event=m.label)
            for m in markers
        ]
        columns = 2
        col_w = (self.width - s.pt(12)) / columns
        series_h = s.pt(11)
        line_h = max((s.text_height(e, col_w - s.pt(14), 7.5) for e in entries), default=0.0)
        rows = math.ceil(len(entries) / columns)
        total = series_h + rows * (line_h + s.pt(1.5))

        def paint(p: QPainter, x: float, y: float) -> None:
            cx = x
            for series in chart.series:
                mid = y + s.pt(4)
                if series.style == "dots":
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QBrush(DOTS))
                    p.drawEllipse(QPointF(cx + s.pt(5), mid), s.pt(1.8), s.pt(1.8))
                else:
                    p.setPen(
                        QPen(
                            ACCENT if series.emphasis else MUTED,
                            s.pt(1.8 if series.emphasis else 0.8),
                        )
                    )
                    p.drawLine(QPointF(cx, mid), QPointF(cx + s.pt(12), mid))
                label_w = s.text_width(series.label, 7.5) + s.pt(4)
                s.draw(
                    p, QRectF(cx + s.pt(15), y, label_w, s.pt(10)), series.label, 7.5, colour=MUTED
                )
                cx += s.pt(15) + label_w + s.pt(12)
            if markers:
                mid = y + s.pt(4)
                p.setPen(_dashed(s))
                p.drawLine(
                    QPointF(cx + s.pt(3), mid - s.pt(4)), QPointF(cx + s.pt(3), mid + s.pt(4))
                )
                s.draw(
                    p,
                    QRectF(cx + s.pt(8), y, s.pt(200), s.pt(10)),
                    _("medicine changes, numbered"),
                    7.5,
                    colour=MUTED,
                )
            for n, entry in enumerate(entries):
                row, col = divmod(n, columns)
                ex = x + col * (col_w + s.pt(12))
                ey = y + series_h + row * (line_h + s.pt(1.5))
                _badge(p, s, QPointF(ex + s.pt(5), ey + s.pt(4.5)), str(n + 1))
                s.draw(p, QRectF(ex + s.pt(13), ey, col_w - s.pt(14), line_h + 1), entry, 7.5)

        return _Atom(total + s.pt(3), paint)

    # the whole document

    def block(self, block: Block, *, glance: bool) -> list[_Atom]:
        if isinstance(block, Table):  # on page one the section heading names the table
            return self.table(block, titled=not glance) if block.printed else []
        if isinstance(block, Facts):
            return self.facts(block)
        if isinstance(block, Chart):
            return self.chart(block, tall=glance)
        return self.text_block(block)

    def opening(self) -> list[_Atom]:
        sm = self.summary
        atoms = [self.paragraph(sm.title, 16, bold=True, colour=ACCENT, after=2)]
        line = ngettext(
            "{period} ({days} day) · made {made}",
            "{period} ({days} days) · made {made}",
            sm.period.days,
        ).format(
            period=period_text(sm.period.start, sm.period.end),
            days=sm.period.days,
            made=format_date(sm.made_at.date(), "medium"),
        )
        if sm.subject:
            line = _("{subject} · {line}").format(subject=sm.subject, line=line)
        atoms.append(self.paragraph(line, 10, after=2))
        caveat = (
            _(
                "Everything here was recorded by the person in the Companion app. It is "
                "self-reported and is not a diagnosis. It includes their own notes."
            )
            if sm.includes_private
            else _(
                "Everything here was recorded by the person in the Companion app. It is "
                "self-reported and is not a diagnosis."
            )
        )
        atoms.append(self.paragraph(caveat, 8.5, colour=MUTED, after=4))
        return atoms

    def atoms(self) -> Iterator[_Atom]:
        sm = self.summary
        yield from self.opening()
        for section in sm.sections:
            blocks = [a for b in section.glance for a in self.block(b, glance=True)]
            if blocks:
                yield self.heading(section.title, 11, space_before=6)
                yield from blocks
        detailed = [
            (section, [a for b in section.detail for a in self.block(b, glance=False)])
            for section in sm.sections
        ]
        detailed = [(section, atoms) for section, atoms in detailed if atoms]
        if detailed:
            yield _break()
            first = True
            for section, atoms in detailed:
                yield self.heading(
                    _("{section} (details)").format(section=section.title)
                    if section.glance
                    else section.title,
                    13,
                    space_before=0 if first else 14,
                )
                first = False
                yield from atoms
        if sm.notices:
            yield self.heading(_("Notices"), 9, space_before=10)
            for notice in sm.notices:
                yield self.paragraph(notice, 7, colour=MUTED, after=3)


def _dashed(s: _Style) -> QPen:
    pen = QPen(INK, s.pt(0.7))
    pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _badge(p: QPainter, s: _Style, centre: QPointF, text: str) -> None:
    radius = s.pt(4.2)
    p.setPen(QPen(INK, s.pt(0.6)))
    p.setBrush(QBrush(QColor("#ffffff")))
    p.drawEllipse(centre, radius, radius)
    s.draw(
        p,
        QRectF(centre.x() - radius, centre.y() - radius + s.pt(0.6), 2 * radius, 2 * radius),
        text,
        6 if len(text) < 2 else 5,
        bold=True,
        align=Qt.AlignmentFlag.AlignHCenter,
    )


class _ChartPainter:
    def __init__(
        self, summary: Summary, style: _Style, chart: Chart, markers: Sequence[Marker]
    ) -> None:
        self.period = summary.period
        self.s = style
        self.chart = chart
        self.markers = markers

    def paint(self, p: QPainter, box: QRectF) -> None:
        s = self.s
        chart = self.chart
        left = s.pt(26)
        bottom = s.pt(16)
        # badges that would touch go up a row, so every number stays readable
        span_days = max(self.period.days - 1, 1)
        width = box.width() - s.pt(30)
        xs = [width * (m.day - self.period.start).days / span_days for m in self.markers]
        rows = _badge_rows(xs, s.pt(9.5))
        top = s.pt(12) + s.pt(9) * max(rows, default=0) if self.markers else s.pt(4)
        plot = QRectF(
            box.left() + left,
            box.top() + top,
            box.width() - left - s.pt(4),
            box.height() - top - bottom,
        )
        span = max(self.period.days - 1, 1)

        def x_of(day: date) -> float:
            return plot.left() + plot.width() * ((day - self.period.start).days / span)

        def y_of(value: float) -> float:
            share = (value - chart.y_min) / (chart.y_max - chart.y_min)
            return plot.bottom() - plot.height() * min(max(share, 0.0), 1.0)

        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # grid and y axis
        ticks = chart.y_ticks or (chart.y_min, chart.y_max)
        for tick in ticks:
            ty = y_of(tick)
            p.setPen(QPen(FAINT if tick != chart.y_min else RULE, s.pt(0.5)))
            p.drawLine(QPointF(plot.left(), ty), QPointF(plot.right(), ty))
            s.draw(
                p,
                QRectF(box.left(), ty - s.pt(5), left - s.pt(5), s.pt(10)),
                number(tick, 0),
                7,
                colour=MUTED,
                align=Qt.AlignmentFlag.AlignRight,
            )
        # x axis ticks
        for day, label in _x_ticks(self.period.start, self.period.end):
            tx = x_of(day)
            p.setPen(QPen(RULE, s.pt(0.5)))
            p.drawLine(QPointF(tx, plot.bottom()), QPointF(tx, plot.bottom() + s.pt(3)))
            w = s.pt(44)
            s.draw(
                p,
                QRectF(tx - w / 2, plot.bottom() + s.pt(4), w, s.pt(10)),
                label,
                7,
                colour=MUTED,
                align=Qt.AlignmentFlag.AlignHCenter,
            )
        # medicine changes: numbered dashed lines
        for n, (marker, row) in enumerate(zip(self.markers, rows, strict=True), start=1):
            mx = x_of(marker.day)
            badge_y = plot.top() - s.pt(5.5) - row * s.pt(9)
            p.setPen(_dashed(s))
            p.drawLine(QPointF(mx, badge_y), QPointF(mx, plot.bottom()))
            _badge(p, s, QPointF(mx, badge_y), str(n))
        # series: dots first, lines over them
        for series in sorted(chart.series, key=lambda x: x.style != "dots"):
            if series.style == "dots":
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QBrush(DOTS))
                r = s.pt(1.5 if self.period.days <= 120 else 0.9)
                for point in series.points:
                    if point.day in self.period:
                        p.drawEllipse(QPointF(x_of(point.day), y_of(point.value)), r, r)
                continue
            pen = QPen(ACCENT if series.emphasis else MUTED, s.pt(1.8 if series.emphasis else 0.8))
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            path = QPainterPath()
            previous: date | None = None
            for point in series.points:
                if point.day not in self.period:
                    previous = None
                    continue
                where = QPointF(x_of(point.day), y_of(point.value))
                if previous is not None and (point.day - previous).days == 1:
                    path.lineTo(where)
                else:
                    path.moveTo(where)
                previous = point.day
            p.drawPath(path)
        # frame
        p.setPen(QPen(RULE, s.pt(0.6)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())


def _badge_rows(xs: Sequence[float], gap: float) -> list[int]:
    """A row for each badge (0 = lowest) so that badges in one row are ``gap`` apart."""
    last: list[float] = []
    rows = []
    for x in xs:
        row = next((r for r, seen in enumerate(last) if x - seen >= gap), len(last))
        if row == len(last):
            last.append(x)
        last[row] = x
        rows.append(row)
    return rows


def _x_ticks(start: date, end: date) -> list[tuple[date, str]]:
    days = (end - start).days + 1
    if days <= 21:
        return [
            (start + timedelta(days=n), format_date(start + timedelta(days=n), "short"))
            for n in range(0, days, 2 if days > 10 else 1)
        ]
    if days <= 120:
        first = start + timedelta(days=(7 - start.weekday()) % 7)  # Mondays
        step = 7 if days <= 70 else 14
        return [
            (first + timedelta(days=n), format_date(first + timedelta(days=n), "short"))
            for n in range(0, (end - first).days + 1, step)
        ]
    months: list[tuple[date, str]] = []
    month = date(start.year, start.month, 1)
    if month < start:
        month = (month + timedelta(days=32)).replace(day=1)
    total_months = days / 30.4
    step = 1 if total_months <= 14 else (3 if total_months <= 40 else 12)
    while month <= end:
        if (month.month - 1) % step == 0:
            label = (
                format_date(month, "month_short")
                if (month.month == 1 or step >= 12 or not months)
                else month_name(month.month, short=True)
            )
            months.append((month, label))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


# -- pages -------------------------------------------------------------------------------------


def _paginate(atoms: list[_Atom], room: float) -> list[list[tuple[_Atom, float]]]:
    pages: list[list[tuple[_Atom, float]]] = [[]]
    y = 0.0
    n = 0
    while n < len(atoms):
        atom = atoms[n]
        if atom.page_break:
            if pages[-1]:
                pages.append([])
                y = 0.0
            n += 1
            continue
        # the run of atoms that must stay together with this one
        run_h = atom.height
        m = n
        while atoms[m].keep and m + 1 < len(atoms) and not atoms[m + 1].page_break:
            m += 1
            run_h += atoms[m].height
            if run_h > room:
                break
        needed = min(run_h, room)
        if y > 0 and y + needed > room:
            pages.append([])
            y = 0.0
            if atom.repeat is not None:
                pages[-1].append((atom.repeat, y))
                y += atom.repeat.height
        pages[-1].append((atom, y))
        y += atom.height
        n += 1
    return [page for page in pages if page]


class SummaryDocument:
    """The summary laid out on pages once, then painted into a PDF or onto page images.

    The layout is measured with a PDF writer's metrics (600 dpi), so the preview shows the
    very pages the PDF will have: :meth:`page_image` paints a page onto a ``QImage`` with the
    same painter calls, scaled. Both may run on a worker thread (QPainter on a QImage or a
    PDF writer is safe there); ``check`` is called between pages and may raise to cancel.
    """

    def __init__(
        self, summary: Summary, *, paper: Paper = "a4", check: Callable[[], None] | None = None
    ) -> None:
        ensure_gui()
        self.summary = summary
        self.paper = paper
        self._check = check or _nothing_to_check
        self._data = QByteArray()
        self._buffer = QBuffer(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self._writer = writer = QPdfWriter(self._buffer)
        writer.setResolution(RESOLUTION)
        writer.setPageSize(QPageSize(PAPERS[paper]))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        writer.setTitle(summary.title)
        writer.setCreator("Companion")
        self._style = style = _Style(writer)
        self._page = writer.pageLayout().fullRectPixels(RESOLUTION)
        self._margin_x, margin_top, margin_bottom = style.pt(45), style.pt(42), style.pt(40)
        self._margin_top = margin_top
        width = self._page.width() - 2 * self._margin_x
        room = self._page.height() - margin_top - margin_bottom
        self._pages = _paginate(list(_Builder(summary, style, width).atoms()), room)

    @property
    def page_count(self) -> int:
        return len(self._pages)

    @property
    def page_ratio(self) -> float:
        """Height over width of a page."""
        return self._page.height() / self._page.width()

    def _paint(self, painter: QPainter, index: int) -> None:
        page = self._page
        _frame(
            painter,
            self._style,
            self.summary,
            page.width(),
            page.height(),
            index + 1,
            len(self._pages),
        )
        for atom, y in self._pages[index]:
            atom.paint(painter, self._margin_x, self._margin_top + y)

    def pdf_bytes(self) -> bytes:
        """The whole document as PDF bytes (call once)."""
        painter = QPainter(self._writer)
        try:
            for index in range(len(self._pages)):
                self._check()
                if index:
                    self._writer.newPage()
                self._paint(painter, index)
        finally:
            painter.end()
            self._buffer.close()
        return bytes(self._data.data())

    def page_image(self, index: int, width: int) -> QImage:
        """Page ``index`` (0-based) as a white image ``width`` pixels wide, for the preview."""
        page = self._page
        scale = width / page.width()
        image = QImage(width, max(1, round(page.height() * scale)), QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        dots_per_metre = round(RESOLUTION / 0.0254)  # fonts sized as on the 600 dpi page
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            painter.scale(scale, scale)
            self._paint(painter, index)
        finally:
            painter.end()
        return image


def _nothing_to_check() -> None:
    return None


def render_summary_pdf(
    summary: Summary, *, paper: Paper = "a4", check: Callable[[], None] | None = None
) -> bytes:
    """The summary as PDF bytes, on A4 or US Letter."""
    return SummaryDocument(summary, paper=paper, check=check).pdf_bytes()


def _frame(
    p: QPainter, s: _Style, summary: Summary, width: float, height: float, number_: int, total: int
) -> None:
    """The running header and footer every page carries."""
    margin = s.pt(45)
    inner = width - 2 * margin
    period = _("Period {period}").format(
        period=period_text(summary.period.start, summary.period.end)
    )
    top = s.pt(24)
    s.draw(
        p,
        QRectF(margin, top, inner, s.pt(10)),
        _("Companion · {title}").format(title=summary.title),
        7.5,
        colour=MUTED,
    )
    s.draw(
        p,
        QRectF(margin, top, inner, s.pt(10)),
        period,
        7.5,
        colour=MUTED,
        align=Qt.AlignmentFlag.AlignRight,
    )
    p.setPen(QPen(FAINT, s.pt(0.5)))
    p.drawLine(QPointF(margin, top + s.pt(11)), QPointF(width - margin, top + s.pt(11)))
    foot = height - s.pt(30)
    p.drawLine(QPointF(margin, foot - s.pt(3)), QPointF(width - margin, foot - s.pt(3)))
    made = _("Made {day} · Self-reported, not a diagnosis").format(
        day=format_date(summary.made_at.date(), "medium")
    )
    s.draw(p, QRectF(margin, foot, inner, s.pt(10)), made, 7.5, colour=MUTED)
    s.draw(
        p,
        QRectF(margin, foot, inner, s.pt(10)),
        _("Page {number} of {total}").format(number=number_, total=total),
        7.5,
        colour=INK,
        bold=True,
        align=Qt.AlignmentFlag.AlignRight,
    )
