"""Practice over time: sessions per week (a small bar chart) and the change in distress per
exercise, each figure with the number of sessions behind it (DESIGN: honest numbers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from companion.core.exercises.sessions import Effect, WeekCount
from companion.i18n import _, format_date, format_number, ngettext
from companion.ui import theme
from companion.ui.widgets.common import MeasuredLabel, label

if TYPE_CHECKING:
    import pyqtgraph as pg


def describe_change(effect: Effect) -> str:
    """The average change in words, e.g. "1.4 lower afterwards (6.1 → 4.7)"."""
    if effect.mean_change is None or effect.mean_before is None or effect.mean_after is None:
        return _("Not rated before and after yet")
    change = effect.mean_change
    figures = {
        "change": format_number(abs(change), 1),
        "before": format_number(effect.mean_before, 1),
        "after": format_number(effect.mean_after, 1),
    }
    if abs(change) < 0.05:
        return _("About the same afterwards ({before} → {after})").format(**figures)
    if change < 0:
        return _("{change} lower afterwards ({before} → {after})").format(**figures)
    return _("{change} higher afterwards ({before} → {after})").format(**figures)


def weeks_summary(weeks: Sequence[WeekCount]) -> str:
    recent = weeks[-4:]
    total = sum(w.sessions for w in recent)
    done = sum(w.completed for w in recent)
    if total == 0:
        return _("No practice in the last four weeks yet. Any time is a good time to start.")
    return ngettext(
        "In the last four weeks: {count} session, {done} of them to the end.",
        "In the last four weeks: {count} sessions, {done} of them to the end.",
        total,
    ).format(count=total, done=done)


class WeeklyChart(QWidget):
    """Bars of sessions per week (completed darker, stopped early lighter), oldest left.

    The summary in words is there at once; the bars (pyqtgraph) are drawn by :meth:`draw`,
    which the page calls a turn later, once the chart modules are imported."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        #: the bar chart, made by the first :meth:`draw`
        self.plot: pg.PlotWidget | None = None
        #: its view and axes, made a turn before it (:meth:`make_parts`)
        self._parts: tuple[pg.ViewBox, dict[str, pg.AxisItem]] | None = None
        #: its plot item, made of them a turn later (:meth:`make_item`)
        self._item: pg.PlotItem | None = None
        self.summary = label("", name="Muted")
        self.summary.setAccessibleName(_("Practice summary"))
        self._layout.addWidget(self.summary)
        self.weeks: list[WeekCount] = []

    def make_parts(self) -> None:
        """The chart's view and axes, for :meth:`make_plot`: a turn of their own (the first
        plot of the process took 14 ms in one turn, its parts included)."""
        import pyqtgraph as pg

        if self.plot is not None or self._parts is not None or self._item is not None:
            return
        # (no context menu: pyqtgraph would build the view's menu, ~6 ms, only to have it
        # switched off)
        view = pg.ViewBox(enableMenu=False)
        axes = {side: pg.AxisItem(orientation=side) for side in ("left", "bottom")}
        self._parts = (view, axes)

    def make_item(self) -> None:
        """The chart's plot item, of :meth:`make_parts` (made now if need be): a turn of its
        own (with the widget that shows it, 11-13 ms in one turn; the item alone is most of
        it, the options form pyqtgraph builds for every plot)."""
        import pyqtgraph as pg

        if self.plot is not None or self._item is not None:
            return
        self.make_parts()
        assert self._parts is not None
        (view, axes), self._parts = self._parts, None
        self._item = pg.PlotItem(viewBox=view, axisItems=axes, enableMenu=False)

    def make_plot(self) -> None:
        """Make the chart (of :meth:`make_item`, made now if need be), hidden until
        :meth:`draw` draws its bars: a turn of its own, so that no turn makes it and draws
        it too."""
        import pyqtgraph as pg

        if self.plot is not None:
            return
        self.make_item()
        assert self._item is not None
        item, self._item = self._item, None
        plot = pg.PlotWidget(plotItem=item)
        plot.setAccessibleName(_("Practice sessions per week"))
        plot.setMinimumHeight(170)
        plot.setMaximumHeight(220)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=False, y=True, alpha=0.2)
        plot.hide()
        self._layout.insertWidget(0, plot)
        self.plot = plot

    def set_weeks(self, weeks: Sequence[WeekCount]) -> None:
        self.weeks = list(weeks)
        self.summary.setText(
            _("{summary} Solid: to the end; faint: stopped early.").format(
                summary=weeks_summary(self.weeks)
            )
        )
        if self.plot is not None:
            self.draw()

    def draw(self) -> None:
        """Draw the bars of :attr:`weeks` (making the chart the first time)."""
        import pyqtgraph as pg

        from companion.ui.charts import palette
        from companion.ui.charts.themed import style_axes

        if self.plot is None:
            self.make_plot()
        assert self.plot is not None
        pal = palette.colours()
        c = theme.current()
        self.plot.setBackground(c.surface)
        item = self.plot.getPlotItem()
        item.clear()
        xs = list(range(len(self.weeks)))
        completed = [w.completed for w in self.weeks]
        stopped = [w.sessions - w.completed for w in self.weeks]
        colour = pal.kind("exercise")
        item.addItem(
            pg.BarGraphItem(
                x=xs, height=completed, width=0.62, brush=palette.qcolor(colour), pen=None
            )
        )
        item.addItem(
            pg.BarGraphItem(
                x=xs,
                y0=completed,
                height=stopped,
                width=0.62,
                brush=palette.qcolor(colour, 90),
                pen=None,
            )
        )
        top = max([w.sessions for w in self.weeks] + [3])
        item.setYRange(0, top + 0.5, padding=0)
        item.setXRange(-0.6, len(self.weeks) - 0.4, padding=0)
        step = max(1, len(self.weeks) // 6)
        bottom = item.getAxis("bottom")
        bottom.setTicks(
            [
                [
                    (i, format_date(w.week_start, "short"))
                    for i, w in enumerate(self.weeks)
                    if i % step == 0
                ]
            ]
        )
        left = item.getAxis("left")
        left.setTicks([[(v, str(v)) for v in range(0, top + 1, max(1, (top + 1) // 4))]])
        style_axes(item, pal)
        # the chart in words, week by week, for a screen reader
        spoken = [
            ngettext(
                "week of {day}: {count} session, {done} to the end",
                "week of {day}: {count} sessions, {done} to the end",
                w.sessions,
            ).format(day=format_date(w.week_start, "short"), count=w.sessions, done=w.completed)
            for w in self.weeks
            if w.sessions
        ]
        self.plot.setAccessibleDescription(
            " ".join([weeks_summary(self.weeks), "; ".join(spoken)]).strip()
        )
        self.plot.show()  # now, not on the layout's next turn


class EffectTable(QWidget):
    """One row per exercise: sessions, how many were rated before and after, the change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(6)
        self.rows: list[tuple[str, str, str, str]] = []

    def set_effects(self, effects: Sequence[Effect], title_of: Callable[[str], str]) -> None:
        for part in self.effect_parts(effects, title_of, 1):
            part()

    def effect_parts(
        self, effects: Sequence[Effect], title_of: Callable[[str], str], parts: int
    ) -> list[Callable[[], None]]:
        """:meth:`set_effects` in ``parts`` steps: the table emptied and its headings with
        the first rows, then the others a share a step (a page's step showing them all was
        11-12 ms)."""
        share = max(1, -(-len(effects) // parts))
        numbered = list(enumerate(effects, start=1))
        chunks = [numbered[start : start + share] for start in range(0, len(numbered), share)]
        steps: list[Callable[[], None]] = [
            partial(self._begin, chunks[0] if chunks else [], title_of)
        ]
        steps += [partial(self._add_rows, chunk, title_of) for chunk in chunks[1:]]
        return steps

    def _begin(self, rows: list[tuple[int, Effect]], title_of: Callable[[str], str]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.rows = []
        for column, text in enumerate(_headers()):
            head = label(text, name="Muted")  # wraps when larger text needs the room
            head.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            self.grid.addWidget(head, 0, column)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(3, 3)
        self._add_rows(rows, title_of)

    def _add_rows(self, rows: list[tuple[int, Effect]], title_of: Callable[[str], str]) -> None:
        headers = _headers()
        for number, effect in rows:
            row = (
                title_of(effect.exercise_id),
                str(effect.sessions),
                str(effect.rated),
                describe_change(effect),
            )
            self.rows.append(row)
            for column, text in enumerate(row):
                cell = MeasuredLabel(text)
                cell.setWordWrap(True)
                cell.setAccessibleName(
                    _("{column}: {value}").format(column=headers[column], value=text)
                )
                self.grid.addWidget(cell, number, column)


def _headers() -> tuple[str, str, str, str]:
    return (
        _("Exercise"),
        _("Sessions"),
        _("Rated before and after"),
        _("Average change in distress"),
    )
