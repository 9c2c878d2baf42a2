"""The page's figures: how regularly each medicine was taken in a chosen period (with the counts
behind every figure), and the treatment history as plain facts.

Wording follows clinical-reference §3: numbers are reported, never judged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Final

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from companion.core.medications import adherence as adh
from companion.core.medications.history import Overview
from companion.i18n import N_, _, format_date, ngettext
from companion.ui.medications.fields import escape
from companion.ui.widgets.measured import measure_now, measured_label


def size_hint_at_any_width(widget: QWidget) -> QSize:
    """Qt's size hint of ``widget`` (laid out by its layout), without the height it would
    have at its preferred width: for the page, most of its cards and its columns of blocks,
    laid out in a column by their height for the width they are given, that height is never
    used (the page's scroll area ignores the page's: its size policy lets it shrink), yet Qt
    worked it out in every layout pass after a change, asking each wrapped label in them its
    height at one more width (built whole ahead, the page's unseen layout measured 90 labels
    so; at its first open, the busy line appearing in the adherence card widened the card's
    preferred width and its labels were measured again, twice; each wider block of the
    history, placed, had every block above it measured again at the column's new preferred
    width). Not for the timeline's and the history's cards: the room each keeps while held
    back (``MedicationsPage._made_whole``) is their height by Qt's size hint."""
    layout = widget.layout()
    if layout is None:
        return QWidget.sizeHint(widget)
    return layout.sizeHint().grownBy(widget.contentsMargins())


def measure_in_place(widget: QWidget, width: int) -> None:
    """``measure_now`` for ``widget`` just placed in the page, and the size hint of each
    widget around it up to the page: Qt's size hint of a widget with a layout asks its
    wrapped labels their height at the widget's own preferred width, so the layout pass
    after the step asks the new labels at one more width per level around them (the cards
    built ahead met those in the page's unseen layout: 131 labels, 13 ms of a 16 ms turn).
    Measured here, in the step that placed them, they are remembered (``MeasuredLabel``)."""
    from companion.ui.pages import Page

    measure_now(widget, width)
    around = widget.parentWidget()
    while around is not None and not isinstance(around, Page):
        around.sizeHint()
        around = around.parentWidget()


#: the periods the figures can cover (labels translated where shown)
PERIODS: Final = {
    "30": N_("Last 30 days"),
    "90": N_("Last 90 days"),
    "365": N_("Last 12 months"),
    "course": N_("Each whole course"),
}
#: how many days each period is (None: each whole course)
PERIOD_DAYS: Final[dict[str, int | None]] = {"30": 30, "90": 90, "365": 365, "course": None}


def _pct(part: int, whole: int) -> str:
    share = adh.format_share(part / whole if whole else None)
    return _("{part} of {whole} ({share})").format(part=part, whole=whole, share=share)


def _doses(count: int) -> str:
    return ngettext("{count} dose", "{count} doses", count).format(count=count)


def window_text(minutes: int) -> str:
    """±2 hours, ±90 minutes."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("±{count} hour", "±{count} hours", hours).format(count=hours)
    return ngettext("±{count} minute", "±{count} minutes", minutes).format(count=minutes)


def _windows_text(windows: list[int]) -> str:
    texts = [window_text(w) for w in windows]
    if not texts:
        return _("the usual window")
    if len(texts) == 1:
        return texts[0]
    return _("{first} or {last}").format(first=", ".join(texts[:-1]), last=texts[-1])


#: the one block a view shows when it has nothing else
_EMPTY: Final = object()


class _Blocks(QWidget):
    """A column of blocks, one per medicine or course. Drawn again (a new overview), a block
    that reads as before stays as it is; one that changed is replaced where it stands, in the
    step that made its successor, so the column never shows a block twice or a gap."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(14)
        #: the blocks on show, top first
        self.blocks: list[QWidget] = []
        #: each block on show by what it is of (a medicine, a course), with what it shows
        self._shown: dict[object, tuple[object, QWidget]] = {}
        #: what the pass under way has placed so far, top first
        self._pass: list[object] = []
        #: the width the column will have, while it is out of sight (None: not known)
        self.width_unseen: Callable[[], int | None] = lambda: None

    def sizeHint(self) -> QSize:
        return size_hint_at_any_width(self)

    def _begin(self) -> None:
        self._pass = []

    def _show(self, ident: object, shows: object, build: Callable[[], QWidget]) -> None:
        """The next block of this pass: the one on show for ``ident`` if it ``shows`` the
        same, else a new one ``build()`` makes (replacing the old one in the same step)."""
        position = len(self._pass)
        while ident in self._pass:  # (two blocks of one medicine: each keeps its place)
            ident = (ident, "again")
        self._pass.append(ident)
        old = self._shown.get(ident)
        if old is not None and old[0] == shows:
            block = old[1]
        else:
            block = build()
            self._shown[ident] = (shows, block)
            if old is not None:
                self._drop(old[1])
        if self.box.indexOf(block) != position:
            if self.box.indexOf(block) >= 0:
                self.box.removeWidget(block)
            self.box.insertWidget(position, block)
            # measured now, in the step that made it (styled, and its height for this
            # width): what Qt measures in the layout pass after the step is part of the
            # step's cost (labels remember what they measured: ``MeasuredLabel``), so the
            # steps of a turn add no more than fits; out of sight, at the width it will have
            width = self.width() if self.isVisible() else self.width_unseen()
            if width is not None:
                measure_in_place(block, width)
        self.blocks = [self._shown[i][1] for i in self._pass] + [
            b for i, (_s, b) in self._shown.items() if i not in self._pass
        ]

    def _end(self, empty_text: str) -> None:
        """The pass is over: blocks of what is no longer there go, and with none, a line
        saying so."""
        if not self._pass or self._pass == [_EMPTY]:
            self._pass = []
            self._show(_EMPTY, empty_text, lambda: measured_label(empty_text, name="Muted"))
        for ident in [i for i in self._shown if i not in self._pass]:
            self._drop(self._shown.pop(ident)[1])
        self.blocks = [self._shown[i][1] for i in self._pass]

    def _drop(self, block: QWidget) -> None:
        self.box.removeWidget(block)
        block.hide()
        block.setParent(None)
        block.deleteLater()


class AdherenceView(_Blocks):
    """Per medicine, the figures with the counts behind them, for a chosen period."""

    def show_overview(self, overview: Overview, period: str) -> None:
        for step in self.steps_to_show(overview, period):
            step()

    def steps_to_show(self, overview: Overview, period: str) -> list[Callable[[], object]]:
        """``show_overview`` as steps, a medicine each (drawn over several turns)."""
        steps: list[Callable[[], object]] = [self._begin]
        today = overview.now.date()
        days = PERIOD_DAYS[period]
        for record in sorted(overview.records, key=lambda r: (r.stopped_on is not None, r.name)):
            end = min(record.stopped_on or today, today)
            start = record.started_on if days is None else today - timedelta(days=days - 1)
            if end < start or record.started_on > today:
                continue
            figures_start = start if days else record.started_on
            steps.append(
                partial(
                    self._add_block,
                    overview,
                    record.id,
                    record.name,
                    (max(start, record.started_on), end),
                    figures_start,
                )
            )
        steps.append(lambda: self._end(_("Nothing to count in this period yet.")))
        return steps

    def _add_block(
        self,
        overview: Overview,
        medication_id: str,
        name: str,
        counted: tuple[date, date],
        shown_from: date,
    ) -> None:
        figures = overview.adherence(medication_id, *counted)
        if figures is None or (not figures.has_data and not figures.not_logged):
            return
        self._show(
            medication_id,
            (name, figures, shown_from, counted[1]),
            lambda: self._block(name, figures, shown_from, counted[1]),
        )

    def _block(self, name: str, a: adh.Adherence, start: date, end: date) -> QWidget:
        block = QWidget()
        block.setAccessibleName(_("Adherence for {name}").format(name=name))
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        head = measured_label(f"<b>{escape(name)}</b>")
        head.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(head)
        if a.expected == 0:
            layout.addWidget(
                measured_label(
                    ngettext(
                        "Taken as needed: {count} dose logged in this period. As-needed medicines "
                        "are not counted as adherence.",
                        "Taken as needed: {count} doses logged in this period. As-needed medicines "
                        "are not counted as adherence.",
                        a.as_needed,
                    ).format(count=a.as_needed),
                    name="Muted",
                )
            )
            return block
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        window = _windows_text(sorted(a.windows))
        rows = [
            (_("Doses logged as taken"), _pct(a.taken, a.expected)),
            (_("Days with every dose taken"), _pct(a.covered_days, a.dose_days)),
            # the reference's timing adherence (clinical-reference §3.4): on time ÷ expected,
            # then the share among doses logged with a time, labelled as such
            (
                _("On time (within {window})").format(window=window),
                _("{figure} expected doses").format(figure=_pct(a.on_time, a.expected)),
            ),
            (
                _("On time, of those with a time"),
                _("{figure} doses logged with a time").format(figure=_pct(a.on_time, a.timed))
                if a.timed
                else _("no doses logged with a time"),
            ),
            (
                _("Not logged"),
                ngettext(
                    "{count} dose (not known whether taken)",
                    "{count} doses (not known whether taken)",
                    a.not_logged,
                ).format(count=a.not_logged),
            ),
        ]
        if a.skipped:
            rows.append((_("Skipped"), _doses(a.skipped)))
        if a.skipped_advised:
            rows.append((_("Skipped on advice (not counted)"), str(a.skipped_advised)))
        gap = a.longest_gap_days
        rows.append(
            (
                _("Longest stretch without a dose logged as taken"),
                ngettext("{count} day", "{count} days", gap).format(count=gap)
                if a.longest_gap
                else _("none"),
            )
        )
        if a.extra:
            rows.append((_("Extra doses outside the schedule"), str(a.extra)))
        if a.different_dose:
            rows.append((_("Taken at a different amount"), str(a.different_dose)))
        if a.late_logged:
            rows.append((_("Entered more than a day later"), str(a.late_logged)))
        for index, (what, value) in enumerate(rows):
            left = measured_label(what, name="Muted")  # wraps when larger text needs the room
            right = measured_label(value)
            right.setAccessibleName(_("{what}: {value}").format(what=what, value=value))
            grid.addWidget(left, index, 0)
            grid.addWidget(right, index, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addWidget(
            measured_label(
                ngettext(
                    "{start} to {end} · {count} day with doses",
                    "{start} to {end} · {count} days with doses",
                    a.dose_days,
                ).format(
                    start=format_date(start, "full"),
                    end=format_date(end, "full"),
                    count=a.dose_days,
                ),
                name="Muted",
            )
        )
        return block


class HistoryView(_Blocks):
    """Each trial and treatment course as a short list of plain facts."""

    def show_overview(self, overview: Overview) -> None:
        for step in self.steps_to_show(overview):
            step()

    def steps_to_show(self, overview: Overview) -> list[Callable[[], object]]:
        """``show_overview`` as steps, a course each (drawn over several turns)."""
        steps: list[Callable[[], object]] = [self._begin]
        history = overview.history
        for trial in history.trials:
            when = _span(trial.started_on, trial.end, trial.ongoing)
            steps.append(
                partial(
                    self._add,
                    ("trial", trial.medication_id),
                    f"{trial.name} · {trial.category_label}",
                    when,
                    trial.facts[1:],
                )
            )
        for course in history.courses:
            t = course.treatment
            heading = t.title + (f" · {t.label}" if t.label else "")
            when = _span(t.started_on, course.end, course.ongoing)
            steps.append(partial(self._add, ("course", t.id), heading, when, course.facts[1:]))
        steps.append(
            lambda: self._end(
                _(
                    "Antidepressant and augmentation courses, and treatments such as therapy, "
                    "appear here once they are added."
                )
            )
        )
        return steps

    def _add(self, ident: object, heading: str, when: str, facts: tuple[str, ...]) -> None:
        self._show(ident, (heading, when, facts), lambda: self._block(heading, when, facts))

    def _block(self, heading: str, when: str, facts: tuple[str, ...]) -> QWidget:
        block = QWidget()
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = measured_label(f"<b>{escape(heading)}</b> &nbsp;<span>{escape(when)}</span>")
        head.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(head)
        items = "".join(f"<li>{escape(f)}</li>" for f in facts)
        body = measured_label(f"<ul style='margin-left:-20px'>{items}</ul>")
        body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(body)
        block.setAccessibleName(_("{heading}, {when}").format(heading=heading, when=when))
        return block


def _span(start: date, end: date, ongoing: bool) -> str:
    """ "since Monday 1 June 2026", "Monday 1 June 2026 to Friday 3 July 2026"."""
    if ongoing:
        return _("since {date}").format(date=format_date(start, "full"))
    return _("{start} to {end}").format(
        start=format_date(start, "full"), end=format_date(end, "full")
    )
