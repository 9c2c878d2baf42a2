"""Medicines and treatments drawn over the mood chart (``companion.ui.charts.api.MoodChart``).

Each scheduled medicine is a shaded band from its start to its last day (ongoing: to today),
each dose change after the first is a labelled line, and each non-drug treatment is a band of
its own kind. The chart's own text summary lists the overlays for screen readers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from companion.core.medications.history import Overview
from companion.core.medications.types import MedicationInfo, TreatmentInfo
from companion.core.medications.vocabulary import amount_text
from companion.core.mood.service import DailyPoint
from companion.i18n import _
from companion.ui.charts.api import MoodChart
from companion.ui.charts.presets import RangePresets, preset_range

if TYPE_CHECKING:
    import pyqtgraph as pg


class Timeline(QWidget):
    def __init__(self, parent: QWidget | None = None, plot: pg.PlotWidget | None = None) -> None:
        """``plot``: its chart's plot, made a turn before (``MoodChart``)."""
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.presets = RangePresets(default="1y")
        self.presets.chosen.connect(self._preset)
        layout.addWidget(self.presets)
        # The words for this chart are the treatment history card just below it, so the chart
        # gets the full width; its summary stays available to screen readers as a description.
        self.chart = MoodChart(
            metrics=("mood",),
            show_summary=False,
            accessible_name=_("Mood with medicines and treatments"),
            plot=plot,
        )
        self.chart.setMinimumHeight(300)
        layout.addWidget(self.chart)
        self.today = date.today()
        self.first: date | None = None
        #: what is drawn: (today, medicines, treatments) for the overlays, and the mood
        self._overlays: tuple[object, ...] | None = None
        self._mood: list[DailyPoint] | None = None
        self._starts: list[date] = []

    def show_overview(
        self,
        overview: Overview,
        mood: Sequence[DailyPoint],
        medicines: Sequence[MedicationInfo],
        treatments: Sequence[TreatmentInfo],
    ) -> None:
        for step in self.steps_to_show(overview, mood, medicines, treatments):
            step()

    def steps_to_show(
        self,
        overview: Overview,
        mood: Sequence[DailyPoint],
        medicines: Sequence[MedicationInfo],
        treatments: Sequence[TreatmentInfo],
    ) -> list[Callable[[], object]]:
        """``show_overview`` as steps, each a few milliseconds (the mood, then a course or a
        dose change each), for a page that draws it over several turns of the event loop.
        What is drawn already is not drawn again: none when nothing changed, one (the mood)
        when only the mood did."""
        chart = self.chart
        today = overview.now.date()
        overlays = (today, tuple(medicines), tuple(treatments))
        points = list(mood)
        if overlays == self._overlays:
            if points == self._mood:
                return []

            def mood_again() -> None:
                self._mood = points
                chart.set_daily({"mood": points})
                self._finish(points)

            return [mood_again]
        starts: list[date] = []

        def begin() -> None:
            self.today = today
            self._overlays, self._mood, self._starts = overlays, points, starts
            chart.clear_overlays()
            chart.set_daily({"mood": points})

        steps: list[Callable[[], object]] = [begin]
        # Bands in order of their start, so their labels take turns at the three label heights.
        bands: list[tuple[date, date | None, str, str]] = []
        for info in medicines:
            if info.as_needed and len(info.schedules) == 1:
                continue
            bands.append((info.started_on, info.stopped_on, info.name, "medication"))
            for entry in info.doses[1:]:
                v = entry.version
                # the band names the medicine; the line says the new dose
                steps.append(
                    partial(
                        chart.add_event_marker,
                        v.effective_from,
                        amount_text(v.amount, v.unit),
                        kind="dose",
                    )
                )
        for treatment in treatments:
            bands.append(
                (treatment.started_on, treatment.ended_on, treatment.short_title, "treatment")
            )
        for start, end, name, kind in sorted(bands, key=lambda b: b[0]):
            starts.append(start)
            steps.append(partial(chart.add_period, start, end, name, kind=kind))
        steps.append(lambda: self._finish(points))
        return steps

    def _finish(self, mood: Sequence[DailyPoint]) -> None:
        firsts = [p.day for p in mood[:1]] + self._starts
        self.first = min(firsts) if firsts else None
        self._preset(self.presets.key or "1y")
        self.chart.plot.setAccessibleDescription(self.chart.summary_text())

    def _preset(self, key: str) -> None:
        start, end = preset_range(key, self.first, self.today)
        self.chart.set_range(start, end)
