"""The Medications page: today's doses, the medicines with their schedules, doses, side effects
and stock, adherence with the numbers behind each figure, the treatment history as plain facts,
a timeline over the mood chart, other treatments, and reminder settings.

The figures and the history are computed off the GUI thread (``ui/tasks.py``) from one read of
a private copy of the diary (``OpenDiary.read_snapshot``); everything else is a quick query.
Every change goes through the page's operations (``ui/operations.py``) and is announced on the
change hub, so the Today card and a reminder banner show it too. Wording follows
clinical-reference §3: numbers are reported, never judged; nothing here tells anyone to change,
skip or stop a medicine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.medications.history import Overview, TreatmentHistoryService, duration_source
from companion.core.medications.service import MedicationService
from companion.core.medications.types import (
    DoseSlot,
    MedicationInfo,
    StockEstimate,
    TreatmentInfo,
)
from companion.core.medications.vocabulary import STOP_REASON_LABELS, label_for, stock_unit
from companion.core.mood.service import DailyPoint, MoodService
from companion.core.session import OpenDiary
from companion.i18n import _, format_date, ngettext
from companion.ui import tasks, theme
from companion.ui.medications.dialogs import (
    BackfillDialog,
    DoseDialog,
    FormDialog,
    LogDoseDialog,
    MedicationDialog,
    ScheduleDialog,
    SideEffectsDialog,
    StockDialog,
    StopDialog,
    TreatmentDialog,
)
from companion.ui.medications.doses import DoseList, place_in_order
from companion.ui.medications.fields import combo, escape, fit_ahead, more_button
from companion.ui.medications.figures import (
    PERIODS,
    AdherenceView,
    HistoryView,
    measure_in_place,
    size_hint_at_any_width,
)
from companion.ui.medications.reminder_settings import RemindersCard
from companion.ui.pages import AppContext, Page
from companion.ui.timers import NEXT_TURN_MS, after, after_paint, in_steps
from companion.ui.widgets.common import (
    BusyRow,
    Card,
    StatusLabel,
    icon,
    link_button,
    primary_button,
    tab_order_as_laid_out,
    title,
)
from companion.ui.widgets.flow import FlowLayout
from companion.ui.widgets.measured import measured_label as label
from companion.ui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    import pyqtgraph as pg

    from companion.ui.charts.axis import PlotPieces
    from companion.ui.medications.timeline import Timeline


#: low estimates of the page's heights (px) at the smallest text: the page without doses or
#: medicines, a dose of today, a medicine's row (``_fill_first_screen_at_once``)
EMPTY_PAGE_HEIGHT = 350
DOSE_ROW_HEIGHT = 44
MEDICINE_ROW_HEIGHT = 100

#: milliseconds of steps per turn: with the layout pass and the paint that follow them, a
#: turn stays within a frame (16 ms) on a slow machine
STEP_BUDGET_MS = 4.0


@dataclass(frozen=True)
class _Loaded:
    """What the worker read from its copy of the diary (the GUI thread then only draws)."""

    overview: Overview
    mood: list[DailyPoint]
    medicines: list[MedicationInfo]
    treatments: list[TreatmentInfo]
    doses: list[DoseSlot]
    stocks: dict[str, StockEstimate | None]


def _stock_of(service: MedicationService, info: MedicationInfo) -> StockEstimate | None:
    """What the row of a medicine says of its stock (current medicines with a count)."""
    if info.stopped_on is None and info.stock_count is not None:
        return service.stock_of(info)
    return None


class _Card(Card):
    """A card of this page (``size_hint_at_any_width``)."""

    def sizeHint(self) -> QSize:
        return size_hint_at_any_width(self)


class MedicationRow(QFrame):
    """One medicine: what, how much, when, since when, stock, and what can be done with it."""

    def __init__(
        self, page: MedicationsPage, info: MedicationInfo, stock: StockEstimate | None
    ) -> None:
        super().__init__()
        self.page = page
        self.info = info
        #: what the row shows (``MedicationsPage`` keeps a row while it reads the same)
        self.shows = (info, stock, theme.current().name)
        self.setObjectName("MedicationRow")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 10, 0, 10)
        outer.setSpacing(4)
        today = page.service.today()
        active = info.stopped_on is None
        self._stock = stock
        badge = ""
        if stock is not None and stock.refill_soon:
            colours = theme.current()
            badge = (
                f' &nbsp;<span style="background-color: {colours.warning_bg};'
                f' color: {colours.text}; font-weight: 600;">&nbsp;{escape(_("Refill soon"))}'
                "&nbsp;</span>"
            )
        head = label(
            f"<b>{escape(info.name)}</b> &nbsp;<span> {escape(info.description)}"
            f"</span> &nbsp;·&nbsp; {escape(info.category_label)}{badge}"
        )
        head.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(head)
        lines = self._details(info, today) if active else [self._ended(info)]
        if info.side_effects:
            count = len(info.side_effects)
            easing = sum(1 for e in info.side_effects if e.resolved_on is None)
            if easing and active:
                lines.append(
                    ngettext(
                        "{count} side-effect note, {easing} not eased yet",
                        "{count} side-effect notes, {easing} not eased yet",
                        count,
                    ).format(count=count, easing=easing)
                )
            else:
                lines.append(
                    ngettext("{count} side-effect note", "{count} side-effect notes", count).format(
                        count=count
                    )
                )
        details = label("<br>".join(escape(line) for line in lines), name="Muted")
        details.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(details)

        # the buttons wrap onto a second line when larger text needs the room
        button_row = QWidget()
        buttons = FlowLayout(button_row, spacing=8)
        name = info.name
        if active and info.as_needed:
            buttons.addWidget(
                self._button(
                    _("Log a dose"),
                    _("Log a dose of {name}").format(name=name),
                    self.log_dose,
                    "mdi6.plus",
                )
            )
        if active:
            buttons.addWidget(
                self._button(
                    _("Change dose"),
                    _("Change dose: {name}").format(name=name),
                    self.change_dose,
                )
            )
            buttons.addWidget(
                self._button(
                    _("Change times"),
                    _("Change times: {name}").format(name=name),
                    self.change_schedule,
                )
            )
        buttons.addWidget(
            self._button(
                _("Side effects"),
                _("Side effects of {name}").format(name=name),
                self.side_effects,
            )
        )
        more = more_button(_("More"))
        more.setIcon(icon("mdi6.dots-horizontal"))
        more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        more.setAccessibleName(_("More for {name}").format(name=name))
        menu = QMenu(more)
        menu.addAction(_("Edit details…"), self.edit)
        if active:
            menu.addAction(_("Stock on hand…"), self.stock)
            if not info.as_needed:
                menu.addAction(_("Log an extra dose…"), self.log_dose)
            menu.addAction(_("Stopped taking it…"), self.stop)
        else:
            menu.addAction(_("It was not stopped (undo the stop)"), self.resume)
        menu.addSeparator()
        menu.addAction(_("Delete this medicine and its log…"), self.delete)
        more.setMenu(menu)
        self.more = more
        buttons.addWidget(more)
        outer.addWidget(button_row)

    def _details(self, info: MedicationInfo, today: date) -> list[str]:
        """What is taken now, since when, and the stock (a current medicine)."""
        schedule = info.schedule_on(today) or info.latest_schedule
        dose = info.dose_on(today) or info.latest_dose
        lines = [
            _("{dose} when needed").format(dose=dose.text)
            if info.as_needed
            else f"{dose.text} · {schedule.text}",
            _("Since {date}").format(date=format_date(info.started_on, "full")),
        ]
        stock = self._stock  # (details are of a current medicine)
        if stock is not None:
            amount, units = f"{stock.on_hand:g}", stock_unit(info.form)
            days = stock.days_left
            if stock.runs_out_on is not None and days is not None:
                lines.append(
                    ngettext(
                        "{amount} {units} left, enough for about {count} day (until {date})",
                        "{amount} {units} left, enough for about {count} days (until {date})",
                        days,
                    ).format(
                        amount=amount,
                        units=units,
                        count=days,
                        date=format_date(stock.runs_out_on, "full"),
                    )
                )
            else:
                lines.append(_("{amount} {units} left").format(amount=amount, units=units))
        return lines

    @staticmethod
    def _ended(info: MedicationInfo) -> str:
        """When a past medicine was taken, and why it stopped."""
        assert info.stopped_on is not None
        start, end = format_date(info.started_on, "full"), format_date(info.stopped_on, "full")
        reason = label_for(STOP_REASON_LABELS, info.stop_reason, "").lower()
        if reason:
            return _("Taken from {start} to {end} · stopped: {reason}").format(
                start=start, end=end, reason=reason
            )
        return _("Taken from {start} to {end}").format(start=start, end=end)

    def _button(
        self, text: str, name: str, slot: Callable[[], None], icon_name: str | None = None
    ) -> QPushButton:
        button = QPushButton(icon(icon_name), text) if icon_name else QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _dialog(self, dialog: QDialog) -> None:
        # Dialogs belong to the page, not to this row: a refresh while one is open (a dose
        # logged from a reminder) replaces the rows, and must not take the dialog with it.
        # What they change they announce themselves.
        dialog.exec()
        dialog.deleteLater()

    def edit(self) -> None:
        page = self.page
        self._dialog(MedicationDialog(page.service, page.context, self.info, page))

    def change_dose(self) -> None:
        page = self.page
        self._dialog(DoseDialog(page.service, page.context, self.info, page))

    def change_schedule(self) -> None:
        page = self.page
        self._dialog(ScheduleDialog(page.service, page.context, self.info, page))

    def stop(self) -> None:
        page = self.page
        self._dialog(StopDialog(page.service, page.context, self.info, page))

    def stock(self) -> None:
        page = self.page
        self._dialog(StockDialog(page.service, page.context, self.info, page))

    def log_dose(self) -> None:
        page = self.page
        self._dialog(LogDoseDialog(page.service, page.context, self.info, page))

    def side_effects(self) -> None:
        page = self.page
        self._dialog(SideEffectsDialog(page.service, page.context, self.info, page))

    def resume(self) -> None:
        medication_id = self.info.id
        self.page.ops.run(lambda: self.page.service.resume(medication_id), what="medicines")

    def delete(self) -> None:
        service = self.page.service
        medication_id = self.info.id
        self.page.ops.run(
            lambda: service.delete(medication_id),
            what="medicines",
            undo_text=_("{name} and its log were deleted.").format(name=self.info.name),
            undo=lambda snapshot: lambda: service.restore(snapshot),
        )


class MedicationsPage(Page):
    """Built in slices (``Page.build_in_steps``): the first screen (today's doses and the
    medicines that fit) in the turn that shows the page, then, once it is painted, the rest of
    the medicines and each card below, top to bottom, a few milliseconds a turn; the figures,
    worked out on a worker once the cards are there, are drawn a block at a time, and the
    timeline whole once drawn. Built ahead, out of sight, the page makes its first screen a
    piece per turn meanwhile (``prepare_hidden``); by ``ui/build_ahead.py`` (the person still),
    the rest too, the figures and the timeline with it, so that its first open only shows it.

    ``refresh()`` (shown again, a change announced) costs nothing when the diary, the day and
    the theme are as they were; otherwise only the rows and blocks that read differently are
    made again, each where it stands."""

    page_id = "medications"
    refreshed_when_built = True  # built from the diary as it is (one read, not two)

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = diary.service(MedicationService)
        self.overview: Overview | None = None
        self._loading = False
        self._again = False
        #: figures read before their cards were built, drawn once they are
        self._loaded: _Loaded | None = None
        self._cards_built = False
        self._failed = False
        #: the timeline waits for the chart modules' background import (``charts/warm.py``)
        self._timeline_waiting: _Loaded | None = None
        #: what the figures were last drawn from, and the drawing under way
        self._drawn: _Loaded | None = None
        self._draw_token = 0
        self.timeline: Timeline | None = None
        #: the timeline made ahead, while the page was out of sight (``prepare_hidden``)
        self._spare_timeline: Timeline | None = None
        #: its chart's plot, made a turn before it (``_make_timeline_ahead``)
        self._spare_plot: pg.PlotWidget | None = None
        #: the medicines' rows made so far, in the order shown
        self.rows: list[MedicationRow] = []
        self._row_by_id: dict[str, MedicationRow] = {}
        #: the medicines as last read, and the order they are shown in
        self._medicines: dict[str, MedicationInfo] = {}
        self._order: list[str] = []
        #: medicines whose rows are still to be made (a step each)
        self._unmade: set[str] = set()
        self.treatment_rows: list[QWidget] = []
        self._treatments_shown: list[TreatmentInfo] | None = None
        self._past_count = 0
        # Growing taller (a card added below the first screen, a step at a time) repaints
        # only what is new, not all in sight: the page draws nothing of its own but its
        # background, and what moves or changes repaints itself (checked against a fresh
        # rendering after resizes, scrolling and folding: no pixel differs)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(18)
        head = QHBoxLayout()
        head.addWidget(title(_("Medications")), 1)
        self.add_button = primary_button(_("Add a medicine"), "mdi6.plus")
        self.add_button.clicked.connect(self.add_medicine)
        head.addWidget(self.add_button)
        layout.addLayout(head)
        layout.addWidget(
            label(
                _(
                    "A record of what you take and how it goes, to share with your prescriber if "
                    "you wish. Companion reports what you logged; your clinician interprets it."
                ),
                name="Muted",
            )
        )
        self.undo_bar = UndoBar()
        layout.addWidget(self.undo_bar)
        self.status = StatusLabel("Error", _("Problem"))
        layout.addWidget(self.status)
        self.ops = context.operations("medications", self.status, undo=self.undo_bar)

        # today
        self.today_card = _Card(_("Today's doses"))
        self.doses = DoseList(
            self.service, context, empty_text=_("No doses are scheduled for today.")
        )
        self.today_card.body.addWidget(self.doses)
        backfill = link_button(_("Fill in an earlier day"))
        backfill.clicked.connect(self.backfill)
        self.today_card.body.addWidget(backfill, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.today_card)

        # medicines
        self.list_card = _Card(_("Your medicines"))
        self.current_box = QVBoxLayout()
        self.current_box.setSpacing(0)
        self.list_card.body.addLayout(self.current_box)
        self.no_medicines = label(
            _(
                "No medicines yet. Add one with its schedule to see today's doses here and on "
                "the Today page."
            ),
            name="Muted",
        )
        self.list_card.body.addWidget(self.no_medicines)
        self.past_toggle = link_button("")
        self.past_toggle.clicked.connect(self._toggle_past)
        self.list_card.body.addWidget(self.past_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self.past_box_widget = QWidget()
        self.past_box = QVBoxLayout(self.past_box_widget)
        self.past_box.setContentsMargins(0, 0, 0, 0)
        self.past_box.setSpacing(0)
        self.past_box_widget.hide()
        self.list_card.body.addWidget(self.past_box_widget)
        layout.addWidget(self.list_card)
        layout.addStretch(1)

        # one refresh for a burst of changes (a dose marked from a reminder, an undo…)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        context.changes.listen(
            "medications", lambda _change: self._medicines_changed(), receiver=self
        )

        # Today's doses and the medicines as the first screen needs them
        # (``Page._fill_first_screen``, before it is painted), the rest once it is painted
        # (``_start_building``, as the page is first shown). Built ahead, out of sight
        # (``prepare_hidden``), the first screen is made a piece per turn meanwhile, the
        # medicines read in the first (read here, they were 5 of the 13 ms of the turn that
        # built the page ahead).
        self._reads = self.reads_now()
        #: a change to the medicines was announced since they were read
        self._heard = False
        #: the next figures' read checks today's doses and the medicines too
        self._check_first_screen = False
        self._doses_filled = False
        #: today's doses read out of sight, with the diary's version then, shown a turn later
        self._slots_read: tuple[object, list[DoseSlot]] | None = None
        #: the other treatments read in the step before their card's, with the version then
        self._treatments_read: tuple[object, list[TreatmentInfo]] | None = None
        #: the steps that make the medicines' rows (``_fill_medicines``); None: not read yet
        self._first_steps: tuple[list[Callable[[], object]], list[Callable[[], object]]] | None = (
            None
        )
        #: out of sight, the first screen was found to have room for the next card
        self._room_for_card = False
        self._started = False
        self._measuring = True
        #: out of sight, the first screen is made (``prepare_hidden``)
        self._prepared = False
        #: how many of ``_cards()`` were made out of sight to fill the first screen
        self._cards_made_ahead = 0
        #: built ahead by ``ui/build_ahead.py``: the whole page is being made out of sight, its
        #: figures and timeline drawn (``prepare_hidden``); building until they are
        self._whole_ahead = False
        self._shown_before = False
        #: the cards (and history blocks) of a page built whole ahead, hidden, keeping their
        #: room, until it is first shown (those in sight) or painted (``_made_whole``)
        self._held_back: list[QWidget] = []
        #: the cards held back are being shown a turn each after the first paint
        #: (``_show_held_back_in_sight``), and the figures' read waits for them meanwhile
        self._showing_held_back = False
        self._read_waiting = False
        after(self, 0, self.prepare_hidden)

    def _start_building(self, *, out_of_sight: bool = False) -> None:
        """What is not made yet, as steps: the first screen's before the first paint, the
        rest after it (not before the page is first shown: a page made ahead stays small
        until then, and its first show has only its first screen to lay out), or at once
        ``out_of_sight`` (a page ``ui/build_ahead.py`` builds whole, laid out and painted
        unseen after its steps: its first show lays out nothing new)."""
        if self._started:
            return
        self._started = True
        current, past = self._first_steps or self._fill_medicines(until=lambda: True)
        self._first_steps = ([], [])
        # The figures are worked out on a worker once the page is built (not before: the
        # worker would take turns with this thread for Python's lock, and each turn of the
        # building would wait for it), and the timeline's chart modules imported then too.
        # Past medicines are folded away (their rows add no height to the first screen), so
        # they are made last, not before the first paint.
        self.build_in_steps(
            [
                self._fill_doses,
                *current,
                *self._cards()[self._cards_made_ahead :],
                *past,
            ],
            done=self._all_cards_built,
            after_first_paint=not out_of_sight,
            budget_ms=STEP_BUDGET_MS,
        )

    def _cards(self) -> list[Callable[[], None]]:
        """The steps that make the cards below the medicines, in their order on the page."""
        return [
            self._build_adherence_card,
            self._build_timeline_card,
            self._build_history_card,
            self._read_treatments,
            self._build_treatments_card,
            self._build_reminders_card,
        ]

    def showEvent(self, event: QShowEvent) -> None:
        first = not self._shown_before
        self._shown_before = True
        if first:
            self._start_building()
            self._fill_first_screen_at_once()
        super().showEvent(event)  # (which makes what the first screen still needs)
        if first:
            # the scroll bar, the page narrowed by it and laid out again, before the paint
            for _round in range(3):
                QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            if self._held_back:
                self._fit_height()
                self._show_held_back_in_sight()

    def _fit_height(self) -> None:
        """As tall as its layout now wants, as its scroll area would make it a turn later:
        laid out unseen, the page built whole was left 3 px taller than that (why is not
        known), and gave them to its medicines' card, whose rows then moved up once the
        scroll area caught up after the first paint."""
        room = self.parentWidget()
        tall = self.heightForWidth(self.width())
        if room is not None and tall > 0:
            tall = max(tall, room.height())
            if tall != self.height():
                self.resize(self.width(), tall)

    def _show_held_back_in_sight(self) -> None:
        """As the page is first shown, laid out, not painted yet: what was held back
        (``_made_whole``) and is in sight is shown now, the rest once the page is painted, one
        a turn (its room is kept meanwhile: nothing moves as it appears). A card's first show
        costs its first layout, after the step that shows it: the history's card and its
        longest block were 5-7 ms each, the adherence card and the timeline's 4-6 ms."""
        room = self.parentWidget()
        top = -self.y()  # (what of the page its scroll area shows)
        bottom = top + (room.height() if room is not None else self.height())
        in_sight = []
        for widget in self._held_back:
            y = widget.mapTo(self, QPoint(0, 0)).y()
            if y < bottom and y + widget.height() > top:
                in_sight.append(widget)
        if in_sight:
            self._show_held_back(in_sight)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self._showing_held_back = True
        after_paint(
            self,
            lambda: in_steps(  # (one a turn: the layout a show costs comes after its step)
                self,
                [partial(self._show_held_back, [widget]) for widget in self._held_back],
                budget_ms=0,
                done=self._held_back_shown,
            ),
        )

    def _held_back_shown(self) -> None:
        self._showing_held_back = False
        if self._read_waiting:
            self._read_waiting = False
            self._start_read()

    def _fill_first_screen_at_once(self) -> None:
        """Today's doses and as many current medicines as can be in sight, made at once:
        ``Page._fill_first_screen`` makes a piece and lays the page out to see whether it
        is full, before each piece (a layout pass of the page each time); here the rows are
        counted from a low estimate of their height, and the page is laid out once after."""
        room = self.parentWidget()
        if room is None:
            return
        self._fill_doses()
        height = EMPTY_PAGE_HEIGHT + DOSE_ROW_HEIGHT * len(self.doses.rows)
        self._measuring = False  # (measured once the scroll bar is there: the width is final)
        try:
            for medication_id in self._order:
                if height >= room.height() or self._medicines[medication_id].stopped_on:
                    break
                self._make_row(medication_id)
                height += MEDICINE_ROW_HEIGHT
        finally:
            self._measuring = True

    def _fill_doses(self) -> None:
        if not self._doses_filled:
            self._doses_filled = True
            self.doses.refresh()

    def prepare_hidden(self) -> None:
        """Made but not shown yet (built ahead of being opened): the first screen, a read or
        a piece per turn (the medicines read, today's doses read, then shown, then a current
        medicine each), styled; the page's first show then has only to lay it out and paint
        it. Nothing once shown: the rest waits for the first paint."""
        if self.isVisible() or self.locked:
            return
        if self._first_steps is None:
            self._first_steps = self._fill_medicines(until=lambda: True)
        elif not self._doses_filled:
            # read in one turn, shown in the next (the two were one 9-15 ms turn)
            version = self.diary.version
            if self._slots_read is None or self._slots_read[0] != version:
                self._slots_read = (version, self.doses.service.doses_for_day(self.doses.day))
            else:
                slots, self._slots_read = self._slots_read[1], None
                self._doses_filled = True
                self.doses.show_slots(slots)
                self.doses.ensurePolished()
                fit_ahead(self.doses)
        else:
            made = next((i for i in self._order if i in self._unmade), None)
            if made is None or self._medicines[made].stopped_on is not None:
                # then the cards, while the first screen has room for them (an empty
                # diary's doses and medicines leave room): its first show then makes nothing
                # more, and the scroll bar is there from its first paint
                # (whether there is room in one turn, the card in the next: the two were one
                # 10-15 ms turn)
                cards = self._cards()
                room = self.parentWidget()
                if self._cards_made_ahead < len(cards) and room is not None:
                    if self._room_for_card:
                        self._room_for_card = False
                        cards[self._cards_made_ahead]()
                        self._cards_made_ahead += 1
                        after(self, NEXT_TURN_MS, self.prepare_hidden)
                        return
                    if not self.overflows(room):
                        self._room_for_card = True
                        after(self, NEXT_TURN_MS, self.prepare_hidden)
                        return
                self._prepared = True  # (laid out and painted unseen by ``ui/build_ahead.py``)
                if not self.built_ahead:
                    self._make_timeline_ahead()
                    return
                # the rest, the figures read and drawn, the timeline: built whole, its first
                # open is that of a page shown again (the cards and blocks added a step at a
                # time to a page on screen were 15-28 ms turns each, every one laying out and
                # repainting the page); begun once the timeline's chart is made
                self._whole_ahead = True
                self._make_timeline_ahead(then=lambda: self._start_building(out_of_sight=True))
                return
            self._make_row(made)
            self._row_by_id[made].ensurePolished()
            fit_ahead(self._row_by_id[made])
        after(self, NEXT_TURN_MS, self.prepare_hidden)

    def _make_timeline_ahead(self, then: Callable[[], object] | None = None) -> None:
        """The timeline's chart, made out of sight and out of any layout (so the page's first
        show does not lay it out): making it is most of a turn (15 ms), which its card's step
        after the first paint then saves. Only once the chart modules are imported. ``then``
        in a turn after it (not in its turn, which it fills), unless the page was shown."""
        from companion.ui.charts import warm

        if self.timeline is None and self._spare_timeline is None and warm.imported():
            from companion.ui.charts.axis import PlotPieces, date_axis
            from companion.ui.medications.timeline import Timeline

            if self.isVisible() or self.locked:
                return  # (shown meanwhile: its card's step makes the timeline)
            if self._spare_plot is None:
                self._make_plot_ahead(PlotPieces(date_axis), then)
                return
            plot, self._spare_plot = self._spare_plot, None
            self._spare_timeline = Timeline(self, plot=plot)
            self._spare_timeline.hide()
        if then is not None and not self.isVisible() and not self.locked:
            after(self, 1, then)  # (the tick of another timer due first, if any)

    def _make_plot_ahead(
        self,
        pieces: PlotPieces,
        then: Callable[[], object] | None,
        steps: list[Callable[[], None]] | None = None,
    ) -> None:
        """The timeline's plot, made ahead a piece per turn (``PlotPieces``: the plot at once
        was 12-20 ms, most of the turn that made it), then the timeline in a turn after it.
        Once begun, its pieces are all made, even if the page is shown meanwhile, and they
        are held by the turns' calls, not by the page: a plot item half made, kept by the
        page and freed by a garbage collection after the page had gone, crashed."""
        steps = pieces.steps() if steps is None else steps
        steps[0]()
        if steps[1:]:
            after(self, NEXT_TURN_MS, partial(self._make_plot_ahead, pieces, then, steps[1:]))
            return
        plot = pieces.plot
        assert plot is not None
        plot.setParent(self)
        plot.hide()  # (until the timeline shows it)
        if self._spare_plot is None and self.timeline is None and not self.locked:
            self._spare_plot = plot
        after(self, NEXT_TURN_MS, lambda: self._make_timeline_ahead(then))

    def _add_card(self, card: QWidget) -> None:
        """A card below the others (above the closing stretch), shown at once: styled and
        measured for its width in the step that made it, so the layout pass and the show
        that follow the step find it done, and the step's budget holds (``measure_now``)."""
        self._layout.insertWidget(self._layout.count() - 1, card)
        self._measure(card)

    def _measure(self, widget: QWidget, inside: Card | None = None) -> None:
        """``measure_now`` for ``widget``, laid out in the page's column (or in the card
        ``inside`` it), once the page is shown, or built whole out of sight."""
        width = self._width_in(inside) if self._measuring else None
        if width is not None:
            measure_in_place(widget, width)

    def sizeHint(self) -> QSize:
        return size_hint_at_any_width(self)

    def _width_in(self, inside: Card | None = None) -> int | None:
        """The width of the page's column (or of the card ``inside`` it) once laid out: from
        the page's width, final from its first show on (the scroll area sizes it first), not
        from the cards', which are laid out only in the layout pass after the step. Built
        whole out of sight, from its scroll area's viewport (the page is sized to it as it is
        laid out unseen, with room for the scroll bar): measured in the step that made it,
        the page's layout unseen then finds it measured (measured there, the whole page at
        once, was a turn of 20-35 ms). None: not known yet."""
        room = self.parentWidget()
        if self.isVisible():
            width = self.width()
        elif self._whole_ahead and room is not None:
            width = room.width()
        else:
            return None
        margins = self._layout.contentsMargins()
        width -= margins.left() + margins.right()
        if inside is not None:
            for margins in (inside.contentsMargins(), inside.body.contentsMargins()):
                width -= margins.left() + margins.right()  # (its border, then its layout's)
        return width

    def _build_adherence_card(self) -> None:
        self.adherence_card = _Card(_("How regularly"))
        period_row = QHBoxLayout()
        self.period = combo(PERIODS, _("Period for the figures"))
        self.period.currentIndexChanged.connect(self._show_adherence)
        period_row.addWidget(label(_("Period")))
        period_row.addWidget(self.period)
        period_row.addStretch(1)
        self.adherence_card.body.addLayout(period_row)
        self.busy = BusyRow()
        self.adherence_card.body.addWidget(self.busy)
        if self._loading:
            self.busy.start(_("Working out the figures…"))
        self.adherence_view = AdherenceView()
        self.adherence_view.width_unseen = lambda: self._width_in(self.adherence_card)
        self.adherence_card.body.addWidget(self.adherence_view)
        self.adherence_card.body.addWidget(
            label(
                _(
                    "Self-reported: these figures come from what you logged. Doses skipped on "
                    "your prescriber's advice are left out, and medicines taken only when needed "
                    "are not counted."
                ),
                name="Muted",
            )
        )
        self.load_error = StatusLabel("Error", _("Problem"))
        self.adherence_card.body.addWidget(self.load_error)
        self._add_card(self.adherence_card)

    def _build_timeline_card(self) -> None:
        self.timeline_card = Card(_("Timeline"))  # (Qt's size hint: ``size_hint_at_any_width``)
        self.timeline_card.body.addWidget(
            label(
                _(
                    "Medicines and treatments drawn over your mood. Shaded bands are courses; "
                    "lines mark dose changes."
                ),
                name="Muted",
            )
        )
        self._add_card(self.timeline_card)

    def _build_history_card(self) -> None:
        self.history_card = Card(_("Treatment history"))  # (as the timeline's)
        self.history_card.body.addWidget(
            label(
                _(
                    "Each course as facts your clinician can read quickly: dates, doses and weeks "
                    "at each, doses logged, mood around it, and why it ended. Companion does not "
                    "judge whether a treatment was adequate; that is for your clinician."
                ),
                name="Muted",
            )
        )
        self.history_view = HistoryView()
        self.history_view.width_unseen = lambda: self._width_in(self.history_card)
        self.history_card.body.addWidget(self.history_view)
        self.history_card.body.addWidget(label(duration_source(), name="Muted"))
        self._add_card(self.history_card)

    def _build_treatments_card(self) -> None:
        self.treatments_card = _Card(_("Other treatments"))
        self.treatments_card.body.addWidget(
            label(
                _(
                    "Talking therapies and brain-stimulation treatments (ECT, rTMS, VNS), and "
                    "ketamine or esketamine given at a clinic."
                ),
                name="Muted",
            )
        )
        self.treatments_box = QVBoxLayout()
        self.treatments_card.body.addLayout(self.treatments_box)
        add_treatment = QPushButton(icon("mdi6.plus"), _("Add a treatment"))
        add_treatment.setAccessibleName(_("Add a treatment"))
        add_treatment.clicked.connect(self.add_treatment)
        self.treatments_card.body.addWidget(add_treatment, 0, Qt.AlignmentFlag.AlignLeft)
        self._fill_treatments()
        self._add_card(self.treatments_card)

    def _build_reminders_card(self) -> None:
        self.reminders_card = RemindersCard(self.diary, self.context)
        self._add_card(self.reminders_card)

    def _all_cards_built(self) -> None:
        from companion.ui.charts import warm

        self._cards_built = True
        tab_order_as_laid_out(self)
        loaded, self._loaded = self._loaded, None
        if loaded is not None:
            self._draw(loaded)
        elif self._failed:
            self._say_failed()
        elif not self._loading and self.overview is None:  # the first read
            self._load_overview()
        warm.start()

    @property
    def building(self) -> bool:
        # (out of sight, its first screen being made: ``ui/build_ahead.py`` waits for it
        # before it lays the page out and paints it unseen)
        preparing = not self._prepared and not self._started and not self.locked
        whole = self._whole_ahead and not self.locked  # (its figures and timeline to come)
        return (
            super().building
            or self._timeline_waiting is not None
            or preparing
            or whole
            or self._read_waiting  # (its figures' read, waiting for the cards held back)
        )

    def finish_building(self) -> None:
        self._start_building()
        super().finish_building()
        loaded, self._timeline_waiting = self._timeline_waiting, None
        if loaded is not None:  # the chart modules are imported here if need be
            self.build_in_steps(self._timeline_steps(loaded), budget_ms=STEP_BUDGET_MS)
            super().finish_building()
        self._whole_ahead = False  # (shown now, as it is: nothing held back)
        self._show_held_back()
        self._held_back_shown()  # (a read that waited for them starts now)

    def open_item(self, item_id: str) -> bool:
        """``companion:medications/reminders`` shows the reminder times."""
        if item_id != "reminders":
            return False
        self.finish_building()
        self.bring_into_view(self.reminders_card, self.reminders_card.checkins)
        return True

    # -- loading -----------------------------------------------------------------------------

    def reads_now(self) -> tuple[tuple[int, int], date, str]:
        """What the page shows depends on (``Page.reads_now``): the diary (any change to it),
        the day by the service's clock, the theme (colours written into rich text)."""
        return self.diary.version, self.service.today(), theme.current().name

    def refresh(self) -> None:
        """Shown again, or the diary changed: when nothing changed since the page read it,
        nothing at all; else it is read again, and only what reads differently is made again
        (a row, a block of figures), in place, each in one step. Today's doses and the
        medicines are read here and now only after a change to the medicines was announced
        (or another day, theme or diary image); after any other change (a check-in), the
        worker that works out the figures reads them too, and what differs is made again
        when it is back."""
        reads = self.reads_now()
        if reads == self._reads:
            return
        (image, _changes), *rest = self._reads
        (image_now, _changes_now), *rest_now = reads
        self._reads = reads
        remade = False  # (rows made again: the tab order is made again too, 2-3 ms)
        if self._heard or image != image_now or rest != rest_now:  # (another day or theme)
            self._heard = False
            self.doses.refresh()
            self._update_medicines()
            remade = True
        else:
            self._check_first_screen = True
        if self._treatments_shown is not None:
            remade = self._fill_treatments() or remade
        if hasattr(self, "reminders_card"):
            self.reminders_card.load()
        if self._cards_built:  # (else the first read is when they are: ``_all_cards_built``)
            self._load_overview()
        if remade and not self.building:
            tab_order_as_laid_out(self)

    def shown(self, *, fresh: bool) -> None:
        """Built ahead, the page read its figures then: a change since that it does not listen
        to (a check-in: the mood around each course, the timeline's mood; nothing of its
        first screen) is read once it is painted, as when it is shown again (``refresh``).
        (In the turn that shows it, the refresh was 4-8 ms more.)"""
        super().shown(fresh=fresh)
        if fresh and self.reads_now() != self._reads:
            after_paint(self, lambda: None if self.locked else self.refresh())

    def _medicines_changed(self) -> None:
        self._heard = True
        self._refresh_timer.start()

    def changed(self) -> None:
        """Something changed here outside the page's operations: every medication view of
        this diary refreshes."""
        self.context.changes.announce("medications")

    def _load_overview(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        if self._cards_built:
            self.busy.start(_("Working out the figures…"))
        if self._showing_held_back:
            # not while the cards held back are shown, a turn each: each turn would wait for
            # Python's lock while the worker reads (a page's first open: 16-29 ms gaps with
            # 1-3 ms of this thread's work in them)
            self._read_waiting = True
        else:
            self._start_read()

    def _start_read(self) -> None:
        # The copy the worker reads is taken in the next turn: this one ends the last build
        # step (or a refresh's reading), and the copy costs 2–3 ms more at ten years
        in_steps(self, [self._read_overview], budget_ms=0)  # (tests wait for it)

    def _read_overview(self) -> None:
        if self.locked:  # (the diary locked before this turn came)
            self._loading = False
            return
        # The diary's connection belongs to the GUI thread, so the worker reads a private
        # in-memory copy (a memory copy of a few megabytes even for ten years).
        snapshot = self.diary.read_snapshot()

        def work() -> _Loaded:
            with snapshot:
                service = snapshot.service(MedicationService)
                medicines = service.medications()
                return _Loaded(
                    snapshot.service(
                        lambda db: TreatmentHistoryService(MedicationService(db), db)
                    ).overview(),
                    snapshot.service(MoodService).daily_aggregates("mood"),
                    medicines,
                    service.treatments(),
                    service.doses_for_day(),
                    {m.id: _stock_of(service, m) for m in medicines},
                )

        tasks.run_task(work, self._overview_ready, self._overview_failed)

    def _overview_ready(self, result: object) -> None:
        # the window went away (a lock) while it worked
        if not shiboken6.isValid(self) or self.locked:
            return
        self._loading = False
        if self._again:
            self._again = False
            self._load_overview()
            return
        assert isinstance(result, _Loaded)
        if self._check_first_screen:  # read with the figures: what differs is made again
            self._check_first_screen = False
            self.doses.show_slots(result.doses)
            self._update_medicines(result.medicines, result.stocks)
            tab_order_as_laid_out(self)  # (rows made again are where they were)
        self.overview = result.overview
        self._failed = False
        if self._cards_built:
            self._draw(result)
        else:  # drawn once its cards are there
            self._loaded = result

    def _draw(self, loaded: _Loaded) -> None:
        """The figures, the history and the timeline, a block per step (blocks that read as
        before stay as they are: ``figures._Blocks``)."""
        self.busy.stop()
        self.load_error.setText("")
        self._drawn = loaded
        self._draw_token += 1
        token = self._draw_token

        def current(step: Callable[[], object]) -> Callable[[], object]:
            # a newer drawing (new figures, another period) makes the rest of this one moot
            return lambda: step() if token == self._draw_token else None

        overview = loaded.overview
        self.build_in_steps(
            [
                current(step)
                for step in (
                    *self.adherence_view.steps_to_show(overview, self.period.currentData()),
                    *self.history_view.steps_to_show(overview),
                )
            ],
            done=current(lambda: self._draw_timeline(loaded)),
            budget_ms=STEP_BUDGET_MS,
        )

    def _overview_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self) or self.locked:
            return
        self._loading = False
        self._made_whole()  # (nothing more to draw)
        if self._cards_built:
            self._say_failed()
        else:  # said once its card is there
            self._loaded = None
            self._failed = True

    def _say_failed(self) -> None:
        self.busy.stop()
        self.load_error.setText(
            _(
                "The figures could not be worked out just now; your log is safe. Try again by "
                "opening this page later."
            )
        )

    def _show_adherence(self) -> None:
        if self._drawn is not None:  # another period: drawn again (the history stays)
            self._draw(self._drawn)

    # -- medicines ---------------------------------------------------------------------------

    def _fill_medicines(
        self, until: Callable[[], bool], medicines: list[MedicationInfo] | None = None
    ) -> tuple[list[Callable[[], object]], list[Callable[[], object]]]:
        """The rows of the medicines, current ones first, made until ``until`` holds (the
        first screen is full); the others are returned as steps, one row each, for a later
        turn: (current medicines' steps, past medicines' steps). A row made later shows the
        medicine as last read (``_update_medicines``)."""
        current, past = self._read_medicines(medicines)
        self._unmade = {*current, *past}
        steps: list[Callable[[], object]] = [partial(self._make_row, i) for i in current]
        past_steps: list[Callable[[], object]] = [partial(self._make_row, i) for i in past]
        while steps and not until():
            steps.pop(0)()
        while not steps and past_steps and not until():
            past_steps.pop(0)()
        return steps, past_steps

    def _read_medicines(
        self, medicines: list[MedicationInfo] | None = None
    ) -> tuple[list[str], list[str]]:
        """Read the medicines (unless given as read); (current ones' ids, past ones' ids) in
        the order shown."""
        if medicines is None:
            medicines = self.service.medications()
        self._medicines = {m.id: m for m in medicines}
        current = [m.id for m in medicines if m.stopped_on is None]
        past = [m.id for m in medicines if m.stopped_on is not None]
        self._order = current + past
        self.no_medicines.setVisible(not current)
        self.past_toggle.setVisible(bool(past))
        self._past_count = len(past)
        self._update_past_toggle()
        return current, past

    def _make_row(self, medication_id: str) -> None:
        if medication_id not in self._unmade:
            return  # made meanwhile (a change read again), or no longer there
        self._unmade.discard(medication_id)
        info = self._medicines.get(medication_id)
        if info is not None:
            row = MedicationRow(self, info, _stock_of(self.service, info))
            self._row_by_id[medication_id] = row
            self._order_rows()
            if info.stopped_on is None or self.past_box_widget.isVisibleTo(self):
                self._measure(row, self.list_card)
            if row.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                fit_ahead(row)  # (styled: measured)

    def _update_medicines(
        self,
        medicines: list[MedicationInfo] | None = None,
        stocks: dict[str, StockEstimate | None] | None = None,
    ) -> None:
        """Read the medicines again (or take them as read, with their stock): a row that
        reads as before stays as it is, one that changed is made again in its place, and rows
        not made yet will show what was read."""
        if self._first_steps is None:  # not read yet: read now, its rows made as planned
            self._first_steps = self._fill_medicines(until=lambda: True, medicines=medicines)
            return
        self._read_medicines(medicines)
        self._doses_filled = True  # (read again just before)
        look = theme.current().name
        for medication_id, row in list(self._row_by_id.items()):
            info = self._medicines.get(medication_id)
            if info is None:
                del self._row_by_id[medication_id]
                self._drop_row(row)
                continue
            stock = _stock_of(self.service, info) if stocks is None else stocks.get(info.id)
            if row.shows != (info, stock, look):
                self._row_by_id[medication_id] = MedicationRow(self, info, stock)
                self._drop_row(row)
        for medication_id in self._order:
            if medication_id not in self._row_by_id and medication_id not in self._unmade:
                self._unmade.add(medication_id)  # new: made now
                self._make_row(medication_id)
        self._order_rows()

    def _order_rows(self) -> None:
        rows = [self._row_by_id[i] for i in self._order if i in self._row_by_id]
        current = [r for r in rows if r.info.stopped_on is None]
        past = [r for r in rows if r.info.stopped_on is not None]
        place_in_order(self.current_box, current)
        place_in_order(self.past_box, past)
        self.rows = current + past

    def _drop_row(self, row: MedicationRow) -> None:
        row.hide()
        row.setParent(None)
        row.deleteLater()

    def _update_past_toggle(self) -> None:
        count = self._past_count
        if self.past_box_widget.isVisibleTo(self):
            text = _("Hide past medicines ({count})").format(count=count)
        else:
            text = _("Show past medicines ({count})").format(count=count)
        self.past_toggle.setText(text)
        self.past_toggle.setAccessibleName(text)

    def _toggle_past(self) -> None:
        self.past_box_widget.setVisible(not self.past_box_widget.isVisibleTo(self))
        self._update_past_toggle()

    def row_for(self, name: str) -> MedicationRow:
        self.finish_building()
        for row in self.rows:
            if row.info.name == name:
                return row
        raise KeyError(name)

    def _run_dialog(self, dialog: QDialog) -> None:
        dialog.exec()
        dialog.deleteLater()

    def add_medicine(self) -> None:
        self._run_dialog(MedicationDialog(self.service, self.context, None, self))

    def backfill(self) -> None:
        self._run_dialog(BackfillDialog(self.service, self.context, self))

    # -- treatments --------------------------------------------------------------------------

    def _read_treatments(self) -> None:
        """The other treatments, read in the step before their card's (the read and the
        card were one 11-13 ms step)."""
        self._treatments_read = (self.diary.version, self.service.treatments())

    def _fill_treatments(self) -> bool:
        """The other treatments' rows, made again if they read differently (then True)."""
        read, self._treatments_read = self._treatments_read, None
        if read is not None and read[0] == self.diary.version:
            treatments = read[1]
        else:
            treatments = self.service.treatments()
        if treatments == self._treatments_shown:
            return False
        self._treatments_shown = treatments
        for row in self.treatment_rows:
            self.treatments_box.removeWidget(row)
            row.deleteLater()
        self.treatment_rows = []
        for info in treatments:
            self.treatment_rows.append(self._treatment_row(info))
            self.treatments_box.addWidget(self.treatment_rows[-1])
        return True

    def _treatment_row(self, info: TreatmentInfo) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 2, 0, 2)
        if info.ended_on is None:
            when = _("since {date}").format(date=format_date(info.started_on, "full"))
        else:
            when = _("{start} to {end}").format(
                start=format_date(info.started_on, "full"), end=format_date(info.ended_on, "full")
            )
        text = label(f"<b>{escape(info.title)}</b> &nbsp;<span>{escape(when)}</span>")
        text.setTextFormat(Qt.TextFormat.RichText)
        line.addWidget(text, 1)
        edit = QPushButton(_("Edit"))
        edit.setAccessibleName(_("Edit {treatment}").format(treatment=info.short_title))
        edit.clicked.connect(lambda: self.edit_treatment(info))
        line.addWidget(edit)
        remove = QPushButton(icon("mdi6.delete-outline"), "")
        remove.setToolTip(_("Delete"))
        remove.setAccessibleName(_("Delete {treatment}").format(treatment=info.short_title))
        remove.clicked.connect(lambda: self.delete_treatment(info))
        line.addWidget(remove)
        return row

    def add_treatment(self) -> None:
        self._run_dialog(TreatmentDialog(self.service, self.context, None, self))

    def edit_treatment(self, info: TreatmentInfo) -> None:
        self._run_dialog(TreatmentDialog(self.service, self.context, info, self))

    def delete_treatment(self, info: TreatmentInfo) -> None:
        service = self.service
        self.ops.run(
            lambda: service.delete_treatment(info.id),
            what="treatments",
            undo_text=_("{treatment} was deleted.").format(treatment=info.short_title),
            undo=lambda snapshot: lambda: service.restore_treatment(snapshot),
        )

    # -- timeline ----------------------------------------------------------------------------

    def _draw_timeline(self, loaded: _Loaded) -> None:
        """Once the chart modules are imported (on a worker: ``charts/warm.py``), the
        timeline a course or a dose change per step; until then the page stays responsive."""
        from companion.ui.charts import warm

        if self.locked:
            return
        self._timeline_waiting = loaded
        warm.when_ready(self, self._timeline_import_waited)

    def _timeline_import_waited(self) -> None:
        loaded, self._timeline_waiting = self._timeline_waiting, None
        if loaded is None or self.locked:  # (drawn meanwhile by ``finish_building``)
            return
        if self.timeline is not None:  # drawn before: what changed, in one go (no flicker)
            for step in self._timeline_steps(loaded):
                step()
            self._made_whole()
            return
        self.build_in_steps(
            self._timeline_steps(loaded),
            done=lambda: tab_order_as_laid_out(self),
            budget_ms=STEP_BUDGET_MS,
        )

    def _made_whole(self) -> None:
        """Built whole out of sight (``prepare_hidden``): its cards, and each block of the
        treatment history, are hidden, keeping their room in the page, so that its first
        show shows only its first screen (showing the whole page, a chart and some 200
        labels, was 6-10 ms more of the turn that shows it, and the history's blocks shown at
        once 10-20 ms of a turn after it); ``showEvent`` shows those in sight, the others
        follow a few per turn once it is painted (``_show_held_back_in_sight``)."""
        if not self._whole_ahead:
            return
        self._whole_ahead = False
        if self._shown_before or self.isVisible() or self.locked:
            return
        if self.timeline is not None:
            self._timeline_as_if_placed_in_sight(self.timeline)
        for card in (self.adherence_card, self.timeline_card, self.history_card):
            self._hold_back(card)
        for block in self.history_view.blocks:
            self._hold_back(block)
        self._hold_back(self.treatments_card)
        self._hold_back(self.reminders_card)

    @staticmethod
    def _timeline_as_if_placed_in_sight(timeline: Timeline) -> None:
        """The timeline's chart as tall as when it is placed in a page on screen. A plot
        asks for the height it was last given (its scene is its size: pyqtgraph's
        ``GraphicsView``); placed on screen, the page is still as tall as before it, so the
        chart is given its least height, and keeps it. Made out of sight, it was given the
        height of a widget never laid out (480 px), and the whole page laid out unseen kept
        that: 227 px taller than on a page built once shown. Its scene as at its making
        (a point) leaves it the least height again."""
        from pyqtgraph import GraphicsView

        plot = timeline.chart.plot
        GraphicsView.setRange(plot, QRectF(0, 0, 1, 1), padding=0, disableAutoPixel=False)
        plot.updateGeometry()

    def _hold_back(self, widget: QWidget) -> None:
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)
        widget.hide()
        self._held_back.append(widget)

    def _show_held_back(self, widgets: list[QWidget] | None = None) -> None:
        """Show what was held back (``_made_whole``): ``widgets``, or all of it, top first
        (a block of figures made again meanwhile has left the page: it is not shown)."""
        for widget in list(self._held_back) if widgets is None else widgets:
            if widget not in self._held_back:
                continue
            self._held_back.remove(widget)
            if shiboken6.isValid(widget) and widget.parentWidget() is not None:
                widget.show()
                policy = widget.sizePolicy()
                policy.setRetainSizeWhenHidden(False)
                widget.setSizePolicy(policy)

    def _timeline_steps(self, loaded: _Loaded) -> list[Callable[[], object]]:
        """The timeline's steps: made out of sight (the chart alone is most of a turn), drawn
        a course per step, then shown whole."""

        def make() -> None:
            from companion.ui.medications.timeline import Timeline

            made, self._spare_timeline = self._spare_timeline, None
            plot, self._spare_plot = self._spare_plot, None
            if made is None:  # (its plot made ahead, if the timeline is not yet)
                made = Timeline(self.timeline_card, plot=plot)
            else:
                made.setParent(self.timeline_card)
            self.timeline = made
            self.timeline.hide()

        def fill() -> list[Callable[[], object]]:
            assert self.timeline is not None
            return self.timeline.steps_to_show(
                loaded.overview, loaded.mood, loaded.medicines, loaded.treatments
            )

        def place() -> None:
            assert self.timeline is not None
            self.timeline_card.body.addWidget(self.timeline)
            self.timeline.show()
            # (shown first: the card's preferred width, at which Qt asks its labels their
            # height, is the chart's once it is shown)
            self._measure(self.timeline, self.timeline_card)

        if self.timeline is not None:
            return fill()
        # the chart's own steps are known once it is made
        return [
            make,
            lambda: self.build_in_steps(
                # then its range buttons in the tab order, between the cards around it (in
                # the next turn unless the chart's first show was quick)
                # (the last ends a page built whole ahead: ``_made_whole``)
                [*fill(), place, lambda: tab_order_as_laid_out(self), self._made_whole],
                budget_ms=STEP_BUDGET_MS,
            ),
        ]


__all__ = ["FormDialog", "MedicationsPage"]
