"""The check-ups page's first screen: each questionnaire with when it was last taken and when
it is due, its scores over time, and how often each one is due.

Widgets only: the page gives them the statuses and trends it read, and hears what the person
chose through signals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.content.questionnaires import get_questionnaire
from companion.core.checkups import schedule
from companion.core.checkups.service import Result, Status
from companion.core.checkups.trends import Trend, describe_trend
from companion.i18n import _, ngettext, pgettext
from companion.ui.charts import palette
from companion.ui.checkups.result import day_label
from companion.ui.checkups.trend import TrendChart
from companion.ui.widgets.common import Card, Notice, icon, label, link_button, primary_button
from companion.ui.widgets.flow import FlowLayout

__all__ = [
    "RANGES",
    "Overview",
    "drawable",
    "due_text",
    "last_text",
    "names_list",
    "score_text",
    "trend_choice",
]

#: the periods the scores card offers, in days (0: everything)
RANGES = (91, 182, 365, 0)
#: results listed under the chart before "Show all"
LISTED = 6


def _range_label(days: int) -> str:
    labels = {
        91: _("The last 3 months"),
        182: _("The last 6 months"),
        365: _("The last 12 months"),
        0: _("Everything"),
    }
    return labels[days]


def score_text(result: Result) -> str:
    """ "9, mild" / "52% wellbeing, low" / "No total"."""
    score = result.score
    if score.shown is None:
        return _("no total")
    percent = get_questionnaire(score.questionnaire_id).scoring.multiplier != 1
    value = f"{score.shown}%" if percent else str(score.shown)
    if score.band is None:
        return value
    return _("{value}, {band}").format(value=value, band=score.band.label.lower())


def last_text(status: Status, today: date) -> str:
    if status.last is None:
        return _("Not taken yet")
    return _("Last taken {day}: {score}").format(
        day=day_label(status.last.day, today), score=score_text(status.last)
    )


def due_text(status: Status, today: date) -> str:
    due = status.due
    if status.asked_once:
        return _("Asked once; you can change your answers")
    if due.interval_days == 0:
        return _("No reminder")
    if due.due_on is None:
        return _("{often}, once you have taken it").format(
            often=schedule.interval_label(due.interval_days)
        )
    if due.due_on <= today:
        return _("Due now")
    return _("Next due {day}").format(day=day_label(due.due_on, today))


@dataclass(eq=False)
class _Row:
    """One questionnaire's row: its words and the buttons that may show."""

    holder: QWidget
    detail: QLabel
    take: QPushButton
    take_now: QPushButton  # the same, stronger, when it is due or unfinished
    see: QPushButton
    change: QPushButton
    scores: QPushButton
    response_id: str = ""


class Overview(QWidget):
    """Questionnaires, scores over time and how often: the page's home screen."""

    #: take (or continue) a questionnaire: its id
    takeRequested = Signal(str)
    #: change the answers of a completed response (the ACE): its id
    editRequested = Signal(str)
    #: open a result: the response id
    resultRequested = Signal(str)
    #: draw another questionnaire or period: (questionnaire id, days or 0)
    trendRequested = Signal(str, int)
    #: a new interval: (questionnaire id, days)
    intervalChosen = Signal(str, int)
    remindersChosen = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(
            label(
                _(
                    "Short questionnaires that clinicians use to follow how things change. Each "
                    "takes a few minutes; the result is information to take to your clinician, "
                    "never a diagnosis."
                ),
                name="Muted",
            )
        )
        self.due_notice = Notice("")
        self.due_notice.setAccessibleName(_("Due now"))
        self.due_notice.hide()
        layout.addWidget(self.due_notice)

        self.list_card = Card(_("Questionnaires"))
        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(12)
        self.rows.setVerticalSpacing(12)
        self.rows.setColumnStretch(0, 1)
        self.list_card.body.addLayout(self.rows)
        layout.addWidget(self.list_card)

        self.scores_card = Card(_("Scores over time"))
        top = QHBoxLayout()
        self.choices = QButtonGroup(self)
        self.choices.setExclusive(True)
        self.choice_row = QHBoxLayout()
        self.choice_row.setSpacing(6)
        top.addLayout(self.choice_row)
        top.addStretch(1)
        self.period = QComboBox()
        self.period.setAccessibleName(_("Period shown"))
        for days in RANGES:
            self.period.addItem(_range_label(days), days)
        self.period.setCurrentIndex(2)
        self.period.currentIndexChanged.connect(self._period_changed)
        top.addWidget(self.period)
        self.scores_card.body.addLayout(top)
        self.chart = TrendChart()
        self.scores_card.body.addWidget(self.chart)
        self.legend = label("", name="Muted")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAccessibleName(_("Chart legend"))
        self.scores_card.body.addWidget(self.legend)
        self.summary = label("", name="Muted")
        self.summary.setAccessibleName(_("Chart summary"))
        self.scores_card.body.addWidget(self.summary)
        self.results_title = label(_("Results"), name="CardTitle")
        self.scores_card.body.addWidget(self.results_title)
        self.results = QGridLayout()
        self.results.setHorizontalSpacing(14)
        self.results.setColumnStretch(2, 1)
        self.scores_card.body.addLayout(self.results)
        self.show_all = link_button("")
        self.show_all.clicked.connect(self._toggle_all)
        self.scores_card.body.addWidget(self.show_all, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.scores_card)
        self.no_scores = label(
            _("Your scores will be drawn here once you have taken a check-up."), name="Muted"
        )
        self.list_card.body.addWidget(self.no_scores)

        self.often_card = Card(_("How often"))
        self.often_card.body.addWidget(
            label(
                _(
                    "A check-up becomes due once you have taken it, never more often than the "
                    "time its questions ask about. Turn any of them off here."
                ),
                name="Muted",
            )
        )
        self.often = QGridLayout()
        self.often.setHorizontalSpacing(14)
        self.often.setColumnStretch(2, 1)
        self.often_card.body.addLayout(self.often)
        self.reminders = QCheckBox(_("Remind me in the app when a check-up is due"))
        self.reminders.setAccessibleName(_("Remind me in the app when a check-up is due"))
        self.reminders.toggled.connect(self.remindersChosen)
        self.often_card.body.addWidget(self.reminders)
        layout.addWidget(self.often_card)

        self.trend_id = ""
        self.showing_all = False
        self._results: list[Result] = []
        self.take_buttons: dict[str, QPushButton] = {}
        self.result_buttons: dict[str, QPushButton] = {}
        self.interval_boxes: dict[str, QComboBox] = {}
        self._rows: dict[str, _Row] = {}

    # -- the questionnaires --------------------------------------------------------------

    def show_statuses(self, statuses: list[Status], today: date, reminders: bool) -> None:
        """Fill in each questionnaire's row (built once; later calls only change words and
        which buttons show, so a refresh does not rebuild the page)."""
        self.show_questionnaires(statuses, today)
        self.show_schedule(statuses, reminders)

    def show_questionnaires(self, statuses: list[Status], today: date) -> None:
        """The first part of ``show_statuses``: each questionnaire's row and what is due."""
        for step in self.questionnaire_steps(statuses, today):
            step()

    def questionnaire_steps(
        self, statuses: list[Status], today: date
    ) -> list[Callable[[], object]]:
        """``show_questionnaires`` as steps, a row each (made, if the rows are new, and
        filled), then what is due: for a page that fills itself over several turns."""
        rebuild = list(self._rows) != [s.questionnaire.id for s in statuses]

        def begin() -> None:
            if rebuild:
                _clear_grid(self.rows)
                self._rows = {}
            self.take_buttons = {}
            self.result_buttons = {}

        def row(n: int, status: Status) -> None:
            if rebuild:
                self._build_row(n, status)
            self._fill_row(self._rows[status.questionnaire.id], status, today)

        def due() -> None:
            waiting = [s for s in statuses if s.due.is_due(today)]
            if waiting:
                names = names_list([s.questionnaire.name for s in waiting])
                self.due_notice.text.setText(
                    ngettext(
                        "Your {names} is due. It takes a few minutes, whenever suits you.",
                        "Your {names} are due. Each takes a few minutes, whenever suits you.",
                        len(waiting),
                    ).format(names=names)
                )
            self.due_notice.setVisible(bool(waiting))

        return [begin, *(partial(row, n, status) for n, status in enumerate(statuses)), due]

    def show_schedule(self, statuses: list[Status], reminders: bool) -> None:
        """The rest of ``show_statuses``: how often, reminders, which scores can be drawn."""
        for step in self.schedule_steps(statuses, reminders):
            step()

    def schedule_steps(self, statuses: list[Status], reminders: bool) -> list[Callable[[], object]]:
        """``show_schedule`` as steps: how often (its rows made, if they are new, a row a
        step: together 5-8 ms the first time), then reminders and which scores can be
        drawn."""

        def often() -> None:
            self._often(statuses)

        def scores() -> None:
            self.reminders.blockSignals(True)
            self.reminders.setChecked(reminders)
            self.reminders.blockSignals(False)
            taken = drawable(statuses)
            if [b.text() for b in self.choices.buttons()] != [s.questionnaire.name for s in taken]:
                self._choices(taken)
            self.no_scores.setVisible(not taken)
            self.scores_card.setVisible(bool(taken))

        if not self._often_rebuilt(statuses):
            return [often, scores]
        rows = [s for s in statuses if schedule.allowed(s.questionnaire) != (0,)]

        def begin() -> None:
            _clear_grid(self.often)
            self.interval_boxes = {}

        return [begin, *(partial(self._often_row, n, s) for n, s in enumerate(rows)), often, scores]

    def _build_row(self, n: int, status: Status) -> None:
        q = status.questionnaire
        text = QVBoxLayout()
        text.setSpacing(2)
        text.setContentsMargins(0, 0, 0, 0)
        name = label(q.title)
        font = name.font()
        font.setBold(True)
        name.setFont(font)
        text.addWidget(name)
        detail = label("", name="Muted")
        text.addWidget(detail)
        holder = QWidget()
        holder.setLayout(text)
        holder.setAccessibleName(q.name)
        self.rows.addWidget(holder, n, 0)
        take = QPushButton(icon("mdi6.arrow-right"), "")
        take_now = primary_button("", "mdi6.arrow-right")
        see = QPushButton(icon("mdi6.clipboard-text-outline"), _("See result"))
        see.setAccessibleName(_("See result: your {name}").format(name=q.name))
        change = QPushButton(icon("mdi6.pencil-outline"), _("Change answers"))
        change.setAccessibleName(_("Change answers: your {name}").format(name=q.name))
        scores = QPushButton(icon("mdi6.chart-line"), _("Scores"))
        scores.setAccessibleName(_("Show your {name} scores").format(name=q.name))
        row = _Row(holder, detail, take, take_now, see, change, scores)
        for button in (take, take_now):
            button.clicked.connect(lambda _c=False, qid=q.id: self.takeRequested.emit(qid))
        see.clicked.connect(lambda _c=False, r=row: self.resultRequested.emit(r.response_id))
        change.clicked.connect(lambda _c=False, r=row: self.editRequested.emit(r.response_id))
        scores.clicked.connect(
            lambda _c=False, qid=q.id: self.trendRequested.emit(qid, self.days())
        )
        box = QWidget()
        # on one line when there is room; wrapped under each other when larger text needs it
        buttons = FlowLayout(box, spacing=6, one_line_hint=True)
        for button in (see, change, take, take_now, scores):
            buttons.addWidget(button)
        self.rows.addWidget(box, n, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._rows[q.id] = row
        _show_now(holder, box)

    def _fill_row(self, row: _Row, status: Status, today: date) -> None:
        q = status.questionnaire
        parts = [last_text(status, today), due_text(status, today)]
        if status.draft is not None:
            parts.append(
                ngettext(
                    "Unfinished: {count} answer so far",
                    "Unfinished: {count} answers so far",
                    status.draft.answered,
                ).format(count=status.draft.answered)
            )
        elif status.stale_draft_on is not None:
            parts.append(
                _(
                    "The answers you began on {day} are too old to continue; it starts afresh"
                ).format(day=day_label(status.stale_draft_on, today))
            )
        row.detail.setText(" · ".join(parts))
        row.holder.setAccessibleDescription(" · ".join(parts))
        once = status.asked_once and status.last is not None
        row.response_id = status.last.stored.id if status.last is not None else ""
        row.see.setVisible(once)
        # answers given to an older wording cannot be changed into the new one
        changeable = status.last is not None and q.scores_version(status.last.stored.version)
        row.change.setVisible(once and changeable)
        if status.draft is not None:
            words, spoken = _("Continue"), _("Continue your {name}")
        elif status.due.is_due(today):
            words, spoken = _("Take it now"), _("Take it now: the {name}")
        else:
            words, spoken = _("Take it"), _("Take it: the {name}")
        urgent = status.due.is_due(today) or status.draft is not None
        for button, shown in ((row.take, not urgent), (row.take_now, urgent)):
            button.setText(words)
            button.setAccessibleName(spoken.format(name=q.name))
            button.setVisible(shown and not once)
        row.scores.setVisible(bool(status.count and q.bands) and not once)
        if once:
            self.take_buttons[q.id] = row.change if changeable else row.see
            self.result_buttons[q.id] = row.see
        else:
            self.take_buttons[q.id] = row.take_now if urgent else row.take
            if row.scores.isVisibleTo(self):
                self.result_buttons[q.id] = row.scores

    def _often_rebuilt(self, statuses: list[Status]) -> bool:
        """Whether the rows of how often are not those of ``statuses`` (made anew)."""
        return list(self.interval_boxes) != [
            s.questionnaire.id for s in statuses if schedule.allowed(s.questionnaire) != (0,)
        ]

    def _often(self, statuses: list[Status]) -> None:
        if self._often_rebuilt(statuses):
            self._build_often(statuses)
        for status in statuses:
            box = self.interval_boxes.get(status.questionnaire.id)
            if box is None:
                continue
            days = status.due.interval_days
            index = box.findData(days)
            box.blockSignals(True)
            if index < 0:  # an interval chosen elsewhere (an import): shown as it is
                box.addItem(schedule.interval_label(days), days)
                index = box.count() - 1
            box.setCurrentIndex(index)
            box.blockSignals(False)

    def _build_often(self, statuses: list[Status]) -> None:
        _clear_grid(self.often)
        self.interval_boxes = {}
        row = 0
        for status in statuses:
            if schedule.allowed(status.questionnaire) != (0,):
                self._often_row(row, status)
                row += 1

    def _often_row(self, row: int, status: Status) -> None:
        """One questionnaire's row of how often, made (its interval is set after)."""
        q = status.questionnaire
        choices = schedule.allowed(q)
        name = label(q.name, wrap=False)
        box = QComboBox()
        box.setAccessibleName(_("How often the {name} is due").format(name=q.name))
        for days in choices:
            box.addItem(schedule.interval_label(days), days)
        box.currentIndexChanged.connect(
            lambda _i, qid=q.id, b=box: self.intervalChosen.emit(qid, int(b.currentData()))
        )
        name.setBuddy(box)
        self.often.addWidget(name, row, 0)
        self.often.addWidget(box, row, 1)
        _show_now(name, box)
        self.interval_boxes[q.id] = box

    # -- scores over time ----------------------------------------------------------------

    def _choices(self, taken: list[Status]) -> None:
        for button in self.choices.buttons():
            self.choices.removeButton(button)
            button.hide()
            button.deleteLater()
        self.trend_id = trend_choice(taken, self.trend_id) or self.trend_id
        for status in taken:
            q = status.questionnaire
            button = QPushButton(q.name)
            button.setObjectName("TrendChoice")
            button.setCheckable(True)
            button.setChecked(q.id == self.trend_id)
            button.setAccessibleName(_("Show the {name} scores").format(name=q.name))
            button.clicked.connect(
                lambda _c=False, qid=q.id: self.trendRequested.emit(qid, self.days())
            )
            self.choices.addButton(button)
            self.choice_row.addWidget(button)
            _show_now(button)

    def days(self) -> int:
        return int(self.period.currentData())

    def _period_changed(self) -> None:
        if self.trend_id:
            self.trendRequested.emit(self.trend_id, self.days())

    def show_trend(self, trend: Trend, results: list[Result]) -> None:
        self.show_trend_chart(trend, results)
        self._list_results()

    def show_trend_chart(self, trend: Trend, results: list[Result]) -> None:
        """The first part of ``show_trend``: the chart and its words (the results listed
        under it follow, ``list_results``)."""
        q = trend.questionnaire
        self.trend_id = q.id
        for button in self.choices.buttons():
            button.setChecked(button.text() == q.name)
        self.chart.set_trend(trend)
        self.summary.setText(" ".join(describe_trend(trend)))
        self.legend.setText(_legend(trend))
        self._results = list(reversed(results))

    def list_results(self) -> None:
        """The rest of ``show_trend``: the results under the chart."""
        self._list_results()

    def _toggle_all(self) -> None:
        self.showing_all = not self.showing_all
        self._list_results()

    def _list_results(self) -> None:
        _clear_grid(self.results)
        shown = self._results if self.showing_all else self._results[:LISTED]
        today = date.today()
        for row, result in enumerate(shown):
            day = label(day_label(result.day, today), wrap=False)
            value = label(score_text(result), wrap=False)
            self.results.addWidget(day, row, 0)
            self.results.addWidget(value, row, 1)
            note = ""
            if result.score.flags:
                note = _("Question 9 was answered above zero")
            elif result.stored.edited_at is not None:
                note = _("Answers changed on {day}").format(
                    day=day_label(result.stored.edited_at.date(), today)
                )
            noted = label(note, name="Muted")
            self.results.addWidget(noted, row, 2)
            _show_now(noted)
            open_button = link_button(_("Open"))
            open_button.setAccessibleName(
                _("Open the result of {day}").format(day=day_label(result.day, today))
            )
            response_id = result.stored.id
            open_button.clicked.connect(
                lambda _c=False, rid=response_id: self.resultRequested.emit(rid)
            )
            self.results.addWidget(open_button, row, 3)
            _show_now(day, value, open_button)
        more = len(self._results) - LISTED
        self.show_all.setVisible(more > 0)
        self.show_all.setText(
            _("Show fewer")
            if self.showing_all
            else ngettext("Show {count} more", "Show {count} more", max(more, 0)).format(count=more)
        )
        self.results_title.setVisible(bool(self._results))


def _legend(trend: Trend) -> str:
    pal = palette.colours()
    q = trend.questionnaire
    parts = [
        f'<span style="color:{pal.mood};">●</span>&nbsp;' + _("{name} results").format(name=q.name),
    ]
    rule = q.change
    if rule is not None and rule.response_drop_percent is not None:
        parts.append(
            f'<span style="color:{pal.points};">◯</span>&nbsp;'
            + _("response: {percent}% lower than at the start").format(
                percent=rule.response_drop_percent
            )
        )
    if rule is not None and rule.remission_below is not None:
        parts.append(
            f'<span style="color:{pal.points};">◆</span>&nbsp;'
            + _("remission: under {score}").format(score=rule.remission_below)
        )
    if rule is not None:
        parts.append(
            "┆&nbsp;"
            + ngettext(
                "a change of {count} point either way from the latest is meaningful",
                "a change of {count} points either way from the latest is meaningful",
                rule.meaningful,
            ).format(count=rule.meaningful)
        )
    kinds = {e.kind for e in trend.events}
    if kinds:
        colour = pal.kind("medication")
        parts.append(
            f'<span style="color:{colour};">▬</span>&nbsp;'
            + _("medicines and treatments; dashed: dose changes")
        )
    lines = [
        "&nbsp;&nbsp;&nbsp; ".join(parts[index : index + 2]) for index in range(0, len(parts), 2)
    ]
    return "<br>".join(lines)


def drawable(statuses: list[Status]) -> list[Status]:
    """The questionnaires whose scores can be drawn: taken, and with bands."""
    return [s for s in statuses if s.count and s.questionnaire.bands]


def trend_choice(statuses: list[Status], current: str) -> str | None:
    """The questionnaire whose scores the card shows: ``current`` while it can be drawn,
    else the first that can; None when none can."""
    ids = [s.questionnaire.id for s in drawable(statuses)]
    if current in ids:
        return current
    return ids[0] if ids else None


def names_list(names: list[str]) -> str:
    """ "PHQ-9", "PHQ-9 and GAD-7", "PHQ-9, GAD-7 and PCL-5"."""
    if len(names) == 1:
        return names[0]
    return _("{items} and {last}").format(
        items=pgettext("list separator", ", ").join(names[:-1]), last=names[-1]
    )


def _clear_grid(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def _show_now(*widgets: QWidget) -> None:
    """Widgets just put in a layout: shown now, not on the event loop's next turn (a page
    filled in steps is already on screen, and whoever finishes it at once needs them there)."""
    for widget in widgets:
        widget.show()
