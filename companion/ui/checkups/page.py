"""Check-ups: the questionnaires, taking one, its result, and scores over time.

Three screens on one page: the overview (what is due, scores over time, how often), a
questionnaire being taken (its draft saved after every answer and before the diary locks),
and a result. Get help now is on every one of them. When PHQ-9 question 9 is answered above
zero, the person's safety plan and their country's helplines (what Get help now shows) appear
under the form at once, without taking the focus or stopping the form, and again with the
result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.content import ContentError
from companion.content.helplines import NOT_LISTED
from companion.core.checkups.scoring import score_response
from companion.core.checkups.service import (
    CheckupService,
    Deleted,
    Result,
    Status,
    StoredResponse,
)
from companion.core.checkups.trends import Trend
from companion.core.session import OpenDiary
from companion.i18n import _
from companion.ui.changes import Change
from companion.ui.checkups.form import QuestionnaireForm
from companion.ui.checkups.overview import Overview, trend_choice
from companion.ui.checkups.result import CheckupResult
from companion.ui.pages import AppContext, Page
from companion.ui.timers import settle_layouts
from companion.ui.widgets.common import (
    CurrentPageStack,
    StatusLabel,
    help_now_button,
    icon,
    link_button,
    tab_order_as_laid_out,
    title,
)
from companion.ui.widgets.undo_bar import UndoBar

__all__ = ["CheckupsPage", "SupportPanel"]


class SupportPanel(QWidget):
    """The person's safety plan and their country's helplines: the Get help now panel itself,
    shown in place (never a window that takes the focus)."""

    def __init__(self, owner: QWidget, context: AppContext) -> None:
        super().__init__()
        from companion.ui.help import HelpPanel, _plan_source

        self.setAccessibleName(_("Your safety plan and helplines"))
        plan, unlocked, opener = _plan_source(owner)
        self.panel = HelpPanel(
            context.device.help_country, plan=plan, unlocked=unlocked, on_open_plan=opener
        )
        panel = self.panel
        if panel.helplines is not None:
            panel.country_box.currentIndexChanged.connect(
                lambda _i: context.update_device(help_country=panel.country_code or NOT_LISTED)
            )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)


#: how long the first fill runs its steps in one turn before the rest wait for the next
#: (``Page.build_in_steps``)
STEP_MS = 4.0


@dataclass(frozen=True)
class FirstRead:
    """What the first fill shows: every questionnaire's status, and the trend the scores card
    draws first with its results (None when there is none to draw)."""

    statuses: list[Status]
    trend: tuple[Trend, list[Result]] | None


def read_first(service: CheckupService, now: datetime, trend_id: str, days: int) -> FirstRead:
    """Everything the first fill reads, at once (a pure read of the diary: on a worker, of a
    copy of it, for a page built ahead)."""
    statuses = service.statuses(now=now)
    wanted = trend_choice(statuses, trend_id)
    trend = None if wanted is None else read_trend(service, wanted, days, now)
    return FirstRead(statuses, trend)


def read_trend(
    service: CheckupService,
    questionnaire_id: str,
    days: int,
    now: datetime,
    every: list[Result] | None = None,
) -> tuple[Trend, list[Result]]:
    """One questionnaire's trend over the last ``days`` (0: all), and its results then
    (``every`` result of it, if they have just been read)."""
    today = now.date()
    start = date.fromordinal(today.toordinal() - days + 1) if days else None
    if every is None:
        every = service.results(questionnaire_id)
    trend = service.trend(questionnaire_id, start=start, end=today, now=now, results=every)
    return trend, [r for r in every if start is None or r.day >= start]


class CheckupsPage(Page):
    page_id = "checkups"
    refreshed_when_built = True  # (the first fill reads the diary as it is)

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = diary.service(CheckupService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)
        head = QHBoxLayout()
        head.addWidget(title(_("Check-ups")), 1)
        self.help_button = help_now_button()
        self.help_button.clicked.connect(self.open_help)
        head.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        self.undo_bar = UndoBar()
        layout.addWidget(self.undo_bar)
        self.status = StatusLabel("Error", _("Problem"))
        layout.addWidget(self.status)
        self.ops = context.operations("checkups", self.status, undo=self.undo_bar)
        context.changes.listen(("checkups", "medications"), self._changed, receiver=self)

        self.stack = CurrentPageStack()
        layout.addWidget(self.stack)
        layout.addStretch(1)
        # its views: now, or, built ahead, out of sight, each a step of its own (in the
        # constructor, the page's piece was 12-17 ms)
        views = [self._make_overview, self._place_overview, self._make_other_views]
        if not self.built_ahead:
            for make in views:
                make()
            views = []

        self.form: QuestionnaireForm | None = None
        self.result: CheckupResult | None = None
        self.support: SupportPanel | None = None
        #: the completed response the form changes (an ACE edit), or None for a new one
        self.editing: str | None = None
        self.shown_response: str | None = None
        self._stale = True
        self._filled_on: date | None = None
        self._scores_wanted = False
        self._statuses: list[Status] = []
        self._trend_read: tuple[Trend, list[Result]] | None = None
        #: the first fill's statuses and trend were read together, off the GUI thread
        self._read_ahead = False
        #: the first fill has drawn a trend whose results are listed in its next step
        self._listing = False
        #: the first fill's trend, read over three steps: its questionnaire's responses, then
        #: their results (scored), then the trend (in one step: 13-15 ms at ten years)
        self._first_responses: list[StoredResponse] | None = None
        self._first_results: list[Result] | None = None
        self.problem = ""
        try:
            self.service.questionnaires()
        except ContentError:
            self.problem = _(
                "The check-up questionnaires that come with Companion could not be read, so "
                "check-ups are not available in this copy. Reinstalling Companion should fix it."
            )
            self.status.setText(self.problem)
            self.stack.hide()
            for make in views:
                make()
            return
        # The first fill over several turns, top-down: what is due (read), each
        # questionnaire's row, how often, then the scores over time (every result of one
        # questionnaire scored) with the cards below them. Built ahead, out of sight, all it
        # reads is read first, on a worker (on this thread: turns of 8-18 ms).
        read = self._read_on_worker if self.built_ahead else self._read_statuses
        self.build_in_steps([*views, read], budget_ms=0)

    def _make_overview(self) -> None:
        """The check-ups' home screen, made (a step of its own when built ahead)."""
        self._overview = Overview()
        self._overview.takeRequested.connect(self.take)
        self._overview.editRequested.connect(self.edit)
        self._overview.resultRequested.connect(self.show_result)
        self._overview.trendRequested.connect(self.show_trend)
        self._overview.intervalChosen.connect(self.set_interval)
        self._overview.remindersChosen.connect(self.set_reminders)

    def _place_overview(self) -> None:
        """The home screen in the stack, shown in it (styled: a step of its own when built
        ahead, ~5-7 ms)."""
        self.stack.addWidget(self._overview)

    def _make_other_views(self) -> None:
        """The views for taking a questionnaire and for a result, hidden in the stack."""

        self.taking = QWidget()
        taking = QVBoxLayout(self.taking)
        taking.setContentsMargins(0, 0, 0, 0)
        taking.setSpacing(14)
        self.form_area = QVBoxLayout()
        taking.addLayout(self.form_area)
        self.form_support = QVBoxLayout()
        taking.addLayout(self.form_support)
        self.stack.addWidget(self.taking)

        self.result_view = QWidget()
        outer = QVBoxLayout(self.result_view)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(14)
        centred = QHBoxLayout()  # in the same column as the result card below
        column = QWidget()
        column.setMaximumWidth(780)
        result = QVBoxLayout(column)
        result.setContentsMargins(0, 0, 0, 0)
        result.setSpacing(14)
        centred.addStretch(1)
        centred.addWidget(column, 8)
        centred.addStretch(1)
        outer.addLayout(centred)
        actions = QHBoxLayout()
        self.back_from_result = link_button(_("All check-ups"))
        self.back_from_result.setIcon(icon("mdi6.arrow-left"))
        self.back_from_result.setAccessibleName(_("Back to all check-ups"))
        self.back_from_result.clicked.connect(self.show_overview)
        actions.addWidget(self.back_from_result)
        actions.addStretch(1)
        self.change_button = QPushButton(icon("mdi6.pencil-outline"), _("Change answers"))
        self.change_button.clicked.connect(self._edit_shown)
        actions.addWidget(self.change_button)
        self.delete_button = QPushButton(icon("mdi6.trash-can-outline"), _("Delete this result"))
        self.delete_button.clicked.connect(self._delete_shown)
        actions.addWidget(self.delete_button)
        result.addLayout(actions)
        self.result_area = QVBoxLayout()  # the result centres itself the same way
        outer.addLayout(self.result_area)
        self.result_support = QVBoxLayout()
        outer.addLayout(self.result_support)
        self.stack.addWidget(self.result_view)

    @property
    def overview(self) -> Overview:
        """The check-ups' home screen, filled (now, if the page was still filling it)."""
        self.finish_building()
        return self._overview

    def _read_statuses(self) -> None:
        """What is due, read here; the first fill's other steps follow."""
        if self.locked:
            return
        now = self.service.now()
        self._stale = False
        self._filled_on = now.date()
        self._statuses = self.service.statuses(now=now)
        self._fill_statuses()

    def _read_on_worker(self) -> None:
        """Built ahead: what the first fill shows (``read_first``) read off the GUI thread, from
        a copy of the diary taken now; the rows, the schedule and the trend are drawn from it,
        in steps, when it is back. (On this thread, the statuses were a turn of 8-11 ms, the
        trend's responses one of 16-18 ms, its scores and trend 7 and 6-14 ms more.)"""
        if self.locked:
            return
        now = self.service.now()
        self._stale = False  # (a change from now on marks it stale again)
        self._filled_on = now.date()
        live, snapshot, overlays = self.service, self.diary.read_snapshot(), self.service.overlays()
        trend_id, days = self._overview.trend_id, self._overview.days()

        def work() -> FirstRead:
            if threading.current_thread() is threading.main_thread():
                # (``finish_building`` before the worker was done: the page is wanted now,
                # and the live diary belongs to this thread; the worker reads its copy)
                return read_first(live, now, trend_id, days)
            with snapshot:
                return read_first(
                    CheckupService(snapshot.db, overlays=overlays), now, trend_id, days
                )

        self.build_after_task(work, self._read_back, self._unread)

    def _read_back(self, read: object) -> None:
        assert isinstance(read, FirstRead)
        self._statuses, self._trend_read, self._read_ahead = read.statuses, read.trend, True
        self._fill_statuses()

    def _unread(self, _error: BaseException) -> None:
        """The copy could not be read: the first fill reads the diary here, as it does for a
        page opened before it was built ahead."""
        self._read_statuses()

    def _fill_statuses(self) -> None:
        """The questionnaires' rows, one per step (each a few ms: the first fill ran them all
        in one turn, ~35 ms)."""
        if self.locked or self._filled_on is None:
            return

        def hide_below() -> None:
            # the cards below the questionnaires wait, hidden, until they are all filled
            self._overview.scores_card.hide()
            self._overview.often_card.hide()

        reads = (
            []
            if self._read_ahead
            else [self._read_first_responses, self._score_first_results, self._read_first_trend]
        )
        self.build_in_steps(
            [
                hide_below,
                *self._overview.questionnaire_steps(self._statuses, self._filled_on),
                *self._overview.schedule_steps(self._statuses, self.service.reminders_on()),
                self._schedule_shown,
                *reads,
                self._fill_trend,
                self._list_trend,
                self._show_scores,
                self._show_often,
                # (laid out first: the tab order goes by the layouts' order, not by where
                # they put things; and a turn that had run the short step above and the tab
                # order went on to this one, 5-7 ms: a turn of 9 ms)
                self._settle,
                self._order_tabs,
            ],
            # (its steps are 1-6 ms: with 8 ms of them a turn, a turn was 11-15 ms)
            budget_ms=STEP_MS,
        )

    def _schedule_shown(self) -> None:
        """The schedule filled: the scores card waits, hidden, until its trend is drawn."""
        self._scores_wanted = self._overview.scores_card.isVisibleTo(self._overview)
        self._overview.scores_card.hide()

    def _first_trend_wanted(self) -> str | None:
        """The questionnaire whose trend the first fill shows, if it shows one."""
        if not self.locked and self._scores_wanted and self._overview.trend_id:
            return self._overview.trend_id
        return None

    def _read_first_responses(self) -> None:
        wanted = self._first_trend_wanted()
        self._first_responses = None if wanted is None else self.service.responses(wanted)

    def _score_first_results(self) -> None:
        wanted, responses = self._first_trend_wanted(), self._first_responses
        self._first_responses = None
        if wanted is not None and responses is not None:
            q = self.service.questionnaire(wanted)
            self._first_results = [Result(s, score_response(q, s.for_scoring())) for s in responses]

    def _read_first_trend(self) -> None:
        self._trend_read = None
        wanted, every = self._first_trend_wanted(), self._first_results
        self._first_results = None
        if wanted is not None:
            self._trend_read = self._read_trend(wanted, self._overview.days(), every)

    def _fill_trend(self) -> None:
        """The chart and its words (the results under it are the next step)."""
        read, self._trend_read = self._trend_read, None
        self._listing = read is not None and read[0].questionnaire.id == self._first_trend_wanted()
        if read is not None and self._listing:
            self._overview.show_trend_chart(*read)

    def _list_trend(self) -> None:
        """The results under the chart just drawn."""
        if self._listing:
            self._listing = False
            self._overview.list_results()

    def _show_scores(self) -> None:
        """The cards below the questionnaires, filled: shown, top-down, each in a step of its
        own (3 ms each at first)."""
        self._overview.scores_card.setVisible(self._scores_wanted)

    def _show_often(self) -> None:
        self._overview.often_card.show()

    def _order_tabs(self) -> None:
        tab_order_as_laid_out(self._overview)

    def _settle(self) -> None:
        settle_layouts(self)

    # -- showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read again what changed since the overview was last filled (or a new day began:
        what is due depends on the date)."""
        self.finish_building()
        if self.problem or self.stack.currentWidget() is not self._overview:
            self._stale = True
            return
        now = self.service.now()
        if not self._stale and self._filled_on == now.date():
            return
        self._stale = False
        self._filled_on = now.date()
        statuses = self.service.statuses(now=now)
        self._overview.show_statuses(statuses, now.date(), self.service.reminders_on())
        tab_order_as_laid_out(self._overview)
        if self._overview.trend_id:
            self.show_trend(self._overview.trend_id, self._overview.days())

    def _changed(self, change: Change) -> None:
        self._stale = True
        if self.isVisible() and self.stack.currentWidget() is self._overview:
            self.refresh()

    def show_overview(self) -> None:
        self._drop_form()
        self._drop_result()
        self.stack.setCurrentWidget(self._overview)
        self.help_button.show()
        self._stale = True  # a draft or a result may have been saved meanwhile
        self.refresh()

    def show_trend(self, questionnaire_id: str, days: int) -> None:
        self._overview.show_trend(*self._read_trend(questionnaire_id, days))
        tab_order_as_laid_out(self._overview)

    def _read_trend(
        self, questionnaire_id: str, days: int, every: list[Result] | None = None
    ) -> tuple[Trend, list[Result]]:
        """``read_trend`` of the live diary, now."""
        return read_trend(self.service, questionnaire_id, days, self.service.now(), every)

    def open_help(self) -> None:
        self.context.open_help(self)

    def open_link(self, url: str) -> None:
        self.context.signals.open_link.emit(url)

    def open_item(self, item_id: str) -> bool:
        """``companion:checkup/<id>`` starts (or continues) that questionnaire."""
        if self.problem:
            return False
        if item_id not in {q.id for q in self.service.questionnaires()}:
            return False
        self.take(item_id)
        return True

    # -- taking one ------------------------------------------------------------------------

    def take(self, questionnaire_id: str) -> None:
        """Start a questionnaire, or continue its draft where it was left."""
        self.finish_building()
        q = self.service.questionnaire(questionnaire_id)
        draft = self.service.draft(q.id)
        if draft is not None and draft.response_id is not None:
            self._open_form(q.id, draft.answers, draft.position, draft.view, draft.response_id)
        elif draft is not None:
            self._open_form(q.id, draft.answers, draft.position, draft.view, None)
        else:
            self._open_form(q.id, {}, 0, "intro", None)

    def edit(self, response_id: str) -> None:
        """Change a completed response's answers (the ACE), from its answers or its draft."""
        stored = self.ops.run(lambda: self.service.response(response_id), announce=False)
        if stored is None:
            return
        draft = self.service.draft(stored.questionnaire_id)
        if draft is not None and draft.response_id == response_id:
            self._open_form(
                stored.questionnaire_id, draft.answers, draft.position, draft.view, response_id
            )
        else:
            answers = dict(stored.answers)
            self._open_form(stored.questionnaire_id, answers, 0, "intro", response_id)

    def _open_form(
        self,
        questionnaire_id: str,
        answers: dict[str, int | None],
        position: int,
        view: str,
        response_id: str | None,
    ) -> None:
        self._drop_form()
        self._drop_result()
        q = self.service.questionnaire(questionnaire_id)
        form = QuestionnaireForm(q)
        form.answerChanged.connect(lambda _item, _value: self.save_draft())
        form.selfHarmAnswered.connect(lambda _value: self.show_support())
        form.completed.connect(self.finish)
        form.cancelled.connect(self.leave_form)
        form.helpRequested.connect(self.open_help)
        form.linkActivated.connect(self.open_link)
        back = link_button(_("All check-ups"))
        back.setIcon(icon("mdi6.arrow-left"))
        back.setAccessibleName(_("Back to all check-ups; your answers are kept"))
        back.clicked.connect(self.leave_form)
        form.add_leading(back)
        self.back_from_form = back
        self.form = form
        self.editing = response_id
        self.form_area.addWidget(form)
        self.help_button.hide()  # the form has its own, in the same place on every screen
        self.stack.setCurrentWidget(self.taking)
        form.restore(dict(answers), position, view)
        if any(item.flag and (form.answers().get(item.id) or 0) > 0 for item in q.items):
            self.show_support()

    def save_draft(self) -> None:
        """Keep the answers so far, and where the person is (after every answer)."""
        form = self.form
        if form is None:
            return
        view, index = form.position()
        answers = form.answers()
        qid, editing = form.q.id, self.editing
        self.ops.run(
            lambda: self.service.save_draft(
                qid, answers, position=index, view=view, response_id=editing
            ),
            what="draft",
        )

    def leave_form(self) -> None:
        """Back to the overview; answers already given stay as a draft."""
        form = self.form
        if form is not None and any(v is not None for v in form.answers().values()):
            self.save_draft()
        self.show_overview()

    def finish(self, answers: dict[str, int | None]) -> None:
        form = self.form
        if form is None:
            return
        qid, editing = form.q.id, self.editing
        stored: StoredResponse | None
        if editing is None:
            stored = self.ops.run(lambda: self.service.complete(qid, answers), what="results")
        else:
            stored = self.ops.run(
                lambda: self.service.change_answers(editing, answers), what="results"
            )
        if stored is not None:
            self.show_result(stored.id)

    def show_support(self) -> None:
        """The safety plan and helplines under the form, at once; the focus stays put."""
        if self.support is not None or self.form is None:
            return
        self.support = SupportPanel(self, self.context)
        self.form_support.addWidget(self.support)
        self.support.show()  # now, not on the next turn of the event loop

    def _drop_form(self) -> None:
        if self.form is not None:
            self.form.hide()
            self.form.deleteLater()
            self.form = None
        self.editing = None
        self.support = None
        _clear(self.form_support)

    # -- a result --------------------------------------------------------------------------

    def show_result(self, response_id: str) -> None:
        result = self.ops.run(lambda: self.service.result(response_id), announce=False)
        if result is None:
            return
        previous, baseline = self.service.earlier(response_id)
        q = self.service.questionnaire(result.stored.questionnaire_id)
        self._drop_form()
        self._drop_result()
        edited = result.stored.edited_at
        view = CheckupResult(
            q,
            result.score,
            result.day,
            previous=previous,
            baseline=baseline,
            edited=edited.date() if edited is not None else None,
        )
        view.helpRequested.connect(self.open_help)
        view.linkActivated.connect(self.open_link)
        self.result = view
        self.shown_response = response_id
        self.result_area.addWidget(view)
        self.change_button.setVisible(
            q.recall_days == 0 and q.scores_version(result.stored.version)
        )
        self.change_button.setAccessibleName(_("Change answers: your {name}").format(name=q.name))
        self.delete_button.setAccessibleName(_("Delete this {name} result").format(name=q.name))
        if result.score.flags:
            self.result_support.addWidget(SupportPanel(self, self.context))
        self.help_button.show()
        self.stack.setCurrentWidget(self.result_view)
        self.back_from_result.setFocus(Qt.FocusReason.OtherFocusReason)

    def _drop_result(self) -> None:
        if self.result is not None:
            self.result.hide()
            self.result.deleteLater()
            self.result = None
        self.shown_response = None
        _clear(self.result_support)

    def _edit_shown(self) -> None:
        if self.shown_response is not None:
            self.edit(self.shown_response)

    def _delete_shown(self) -> None:
        response_id = self.shown_response
        if response_id is None:
            return

        def restore(deleted: Deleted) -> Callable[[], object]:
            return lambda: self.service.restore(deleted)

        done = self.ops.run(
            lambda: self.service.delete(response_id),
            what="results",
            undo_text=_("The result was deleted."),
            undo=restore,
        )
        if done is not None:
            self.show_overview()

    # -- settings --------------------------------------------------------------------------

    def set_interval(self, questionnaire_id: str, days: int) -> None:
        self.ops.run(lambda: self.service.set_interval(questionnaire_id, days), what="settings")

    def set_reminders(self, on: bool) -> None:
        self.ops.run(lambda: self.service.set_reminders(on), what="settings")

    # -- locking ---------------------------------------------------------------------------

    def before_lock(self) -> None:
        """A questionnaire being answered is kept as a draft, where the person was."""
        form = self.form
        if form is not None and (
            self.editing is not None or any(v is not None for v in form.answers().values())
        ):
            self.save_draft()


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()
