"""The exercise player: a calm full-window view, one step at a time.

Three screens: *before you start* (purpose, cautions, version, pace, an optional distress
rating), the *steps* (large type, progress, a timer for timed steps, the breathing pacer) and
*afterwards* (an optional distress rating and note). The person is in control throughout:
Back, Pause, Next and Stop at any moment by mouse or keyboard (← Space → Esc), and
"Stop — I need help" stops and opens the safety plan and helplines.

The session is saved when the first step is shown and updated at every step (and every
30 seconds within a long one), so closing the window or locking mid-exercise keeps it, as
not completed, with the furthest step reached. Time comes from an injectable
:class:`~companion.ui.exercises.clock.Clock`, so tests walk through an exercise second by second.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.content.exercises import DEFAULT_VARIANT, Exercise, Pacer, Step
from companion.core.exercises.sessions import PracticeService, Session, offers_help
from companion.i18n import _, format_number, ngettext
from companion.ui import theme
from companion.ui.exercises.clock import Clock, SystemClock
from companion.ui.exercises.distress import DistressScale
from companion.ui.exercises.pacer import BreathingPacer, state_at
from companion.ui.operations import Operations
from companion.ui.widgets.common import (
    Card,
    StatusLabel,
    bullet,
    icon,
    label,
    primary_button,
    scroll_area,
    title,
)

if TYPE_CHECKING:
    from companion.core.session import OpenDiary
    from companion.ui.pages import AppContext

#: redraw rates: smooth while the pacer moves, calm otherwise
FRAME_MS = 33
IDLE_MS = 250
#: how often a long step moves the saved end time on
HEARTBEAT_SECONDS = 30.0
PACE_STEP = 0.5


def _help_before() -> str:
    return _(
        "That sounds really hard right now. If you would like, your safety plan and helplines "
        "are one click away. You can also carry on with the exercise."
    )


def _help_after() -> str:
    return _(
        "That sounds really hard. You don't have to handle this on your own: your safety plan "
        "and helplines are one click away."
    )


def _no_change() -> str:
    return _(
        "Sometimes an exercise doesn't take the edge off, and that is not a failure. You could "
        "try a different one, come back to this later, or look at your safety plan."
    )


def _no_penalty() -> str:
    return _("You can pause or stop at any time, with no penalty.")


def _distress_now() -> str:
    return _("How strong is the distress right now? (optional)")


def minutes_text(minutes: int) -> str:
    return ngettext("About {count} minute", "About {count} minutes", minutes).format(count=minutes)


def clock_text(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-6))
    return f"{whole // 60}:{whole % 60:02d}"


def _pace_text(rate: float) -> str:
    decimals = len(f"{rate:g}".partition(".")[2])
    return _("{rate} breaths a minute").format(rate=format_number(rate, decimals))


class HelpOffer(Card):
    """A gentle offer of the safety plan and helplines; it never blocks anything."""

    def __init__(self, on_open: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self.setAccessibleName(_("An offer of help"))
        self.text = label("")
        self.body.addWidget(self.text)
        row = QHBoxLayout()
        self.button = QPushButton(
            icon("mdi6.lifebuoy", colour=theme.current().help_text),
            _("Open my safety plan and helplines"),
        )
        self.button.setObjectName("HelpNow")
        self.button.setAccessibleName(_("Open my safety plan and helplines"))
        self.button.clicked.connect(on_open)
        row.addWidget(self.button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.hide()

    def offer(self, text: str | None) -> None:
        if text:
            self.text.setText(text)
        self.setVisible(bool(text))


class PaceControl(QWidget):
    """Slower / faster in half-breath steps, inside the exercise's own range."""

    changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Breathing pace"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.slower = QPushButton(icon("mdi6.minus"), _("Slower"))
        self.slower.setAccessibleName(_("Slower breathing pace"))
        self.faster = QPushButton(icon("mdi6.plus"), _("Faster"))
        self.faster.setAccessibleName(_("Faster breathing pace"))
        self.text = label("", wrap=False)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMinimumWidth(170)
        row.addStretch(1)
        row.addWidget(self.slower)
        row.addWidget(self.text)
        row.addWidget(self.faster)
        row.addStretch(1)
        self.low, self.high, self.rate = 6.0, 6.0, 6.0
        self.slower.clicked.connect(lambda: self.set_rate(self.rate - PACE_STEP, emit=True))
        self.faster.clicked.connect(lambda: self.set_rate(self.rate + PACE_STEP, emit=True))

    def configure(self, low: float, high: float, rate: float) -> None:
        self.low, self.high = low, high
        self.set_rate(rate)

    def set_rate(self, rate: float, *, emit: bool = False) -> None:
        rate = round(min(self.high, max(self.low, rate)) * 100) / 100
        self.rate = rate
        self.text.setText(_pace_text(rate))
        self.slower.setEnabled(rate > self.low + 1e-9)
        self.faster.setEnabled(rate < self.high - 1e-9)
        if emit:
            self.changed.emit(rate)


class ExercisePlayer(QWidget):
    """One run of one exercise. ``closed`` is emitted when the person leaves the player.

    ``quick=True`` (Ground me now) skips the *before you start* screen for exercises that are
    safe to suggest: the first step shows at once, with the cautions and the optional rating
    on it. Exercises that are not (body scan, cold water) always show their cautions first.
    """

    closed = Signal()

    def __init__(
        self,
        diary: OpenDiary,
        context: AppContext,
        exercise: Exercise,
        *,
        quick: bool = False,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.diary = diary
        self.context = context
        self.exercise = exercise
        self.clock: Clock = clock or SystemClock()
        self.practice = diary.service(PracticeService).with_clock(self.clock.utcnow)
        self.setObjectName("ExercisePlayer")
        self.setAccessibleName(_("Exercise: {title}").format(title=exercise.title))
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.session: Session | None = None
        self.variant = DEFAULT_VARIANT
        self.steps: tuple[Step, ...] = exercise.steps_for(DEFAULT_VARIANT)
        self.index = 0
        self.reached = 0
        self.paused = False
        self.state = "intro"
        self.distress_before: int | None = None
        self.distress_after: int | None = None
        self._step_acc = 0.0
        self._step_since: float | None = None
        self._pacer_acc = 0.0
        self._pacer_since: float | None = None
        self._last_saved = 0.0
        self.rate: float | None = None
        #: why the last save failed, while its sentence is being shown
        self._unsaved: str | None = None
        # Saves go through the one operation helper, but quietly: the page behind is told
        # once, when the player closes, and a failed save keeps the exercise going.
        self.ops = Operations(
            context.changes,
            "exercises",
            self._show_problem,
            on_save_failed=self._save_failed,
            initiator=self,
        )

        self.ticker = self.clock.ticker(self.tick, self)
        self.ticker.set_interval(IDLE_MS)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(500)
        self._note_timer.timeout.connect(self.save_note)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 18, 28, 18)
        outer.setSpacing(10)
        outer.addLayout(self._top_bar())
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.pages.addWidget(self._scrolling(self._intro_page()))
        self.pages.addWidget(self._steps_page())
        self.pages.addWidget(self._scrolling(self._end_page()))
        self.status = StatusLabel("Error", _("Saving problem"))
        outer.addWidget(self.status, 0, Qt.AlignmentFlag.AlignHCenter)

        self._shortcuts: list[QShortcut] = []
        for keys, slot in (
            (Qt.Key.Key_Space, self.toggle_pause),
            (Qt.Key.Key_Right, self.next_step),
            (Qt.Key.Key_Left, self.previous_step),
        ):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setEnabled(False)
            self._shortcuts.append(shortcut)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.escape)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self._choose_variant(DEFAULT_VARIANT)
        if quick and exercise.default_ok:
            self.begin(quick=True)
        else:
            self._show_page("intro")

    # -- building ------------------------------------------------------------------------------

    def _scrolling(self, inner: QWidget) -> QScrollArea:
        area = scroll_area()
        area.setWidgetResizable(True)
        area.setAccessibleName(self.exercise.title)
        area.setWidget(inner)
        return area

    def _column(self) -> tuple[QWidget, QVBoxLayout]:
        """A centred column of comfortable reading width."""
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        column = QWidget()
        column.setMaximumWidth(760)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(14)
        row.addStretch(1)
        row.addWidget(column, 8)
        row.addStretch(1)
        return page, layout

    def _top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.top_title = label(self.exercise.title, name="Muted", wrap=False)
        bar.addWidget(self.top_title)
        bar.addStretch(1)
        self.help_button = QPushButton(
            icon("mdi6.lifebuoy", colour=theme.current().help_text), _("Get help now")
        )
        self.help_button.setObjectName("HelpNow")
        self.help_button.setAccessibleName(_("Get help now"))
        self.help_button.clicked.connect(self.need_help)
        bar.addWidget(self.help_button)
        return bar

    def _intro_page(self) -> QWidget:
        page, layout = self._column()
        heading = title(self.exercise.title)
        layout.addWidget(heading)
        layout.addWidget(label(self.exercise.summary))
        meta = minutes_text(self.exercise.duration_minutes)
        if self.exercise.eyes_open:
            meta = _("{length} · eyes open").format(length=meta)
        layout.addWidget(label(meta, name="Muted"))
        layout.addWidget(label(self.exercise.purpose))

        if self.exercise.cautions:
            cautions = Card(_("Before you start"))
            for caution in self.exercise.cautions:
                cautions.body.addWidget(bullet(caution))
            cautions.body.addWidget(label(_no_penalty(), name="Muted"))
            layout.addWidget(cautions)

        self.variant_group = QButtonGroup(self)
        variants = self.exercise.variants
        if len(variants) > 1:
            box = Card(_("Choose a version"))
            for number, name in enumerate(variants):
                radio = QRadioButton(self.exercise.label_for(name))
                radio.setAccessibleName(self.exercise.label_for(name))
                radio.setChecked(number == 0)
                self.variant_group.addButton(radio, number)
                box.body.addWidget(radio)
            self.variant_group.idClicked.connect(lambda n: self._choose_variant(variants[n]))
            layout.addWidget(box)

        self.intro_pace = PaceControl()
        self.intro_pace.changed.connect(self._set_rate)
        self.intro_pace_card = Card(_("Breathing pace"))
        self.intro_pace_card.body.addWidget(
            label(
                _(
                    "About six breaths a minute is a starting point, not a rule. Choose what "
                    "feels comfortable; you can change it during the exercise too."
                ),
                name="Muted",
            )
        )
        self.intro_pace_card.body.addWidget(self.intro_pace)
        layout.addWidget(self.intro_pace_card)

        self.before_scale = DistressScale(_distress_now())
        self.before_scale.rated.connect(self._rated_before)
        layout.addWidget(self.before_scale)
        self.intro_help = HelpOffer(self.open_help)
        layout.addWidget(self.intro_help)

        buttons = QHBoxLayout()
        self.begin_button = primary_button(_("Begin"), "mdi6.play")
        self.begin_button.clicked.connect(lambda: self.begin())
        self.not_now_button = QPushButton(_("Not now"))
        self.not_now_button.setAccessibleName(_("Not now"))
        self.not_now_button.clicked.connect(self.close_player)
        buttons.addWidget(self.begin_button)
        buttons.addWidget(self.not_now_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def _steps_page(self) -> QWidget:
        page, layout = self._column()
        row = QHBoxLayout()
        self.step_label = label("", name="Muted", wrap=False)
        row.addWidget(self.step_label)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        self.progress.setAccessibleName(_("Progress through the exercise"))
        layout.addWidget(self.progress)
        layout.addStretch(1)

        self.step_text = label("")
        self.step_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step_text.setAccessibleName(_("Step"))
        font = QFont(self.step_text.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        self.step_text.setFont(font)
        self.step_text.setMinimumHeight(90)
        layout.addWidget(self.step_text)

        self.pacer = BreathingPacer()
        self.pacer.set_reduce_motion(self.context.device.reduce_motion)
        self.pacer.setMinimumSize(220, 220)
        layout.addWidget(self.pacer, 3)
        self.step_pace = PaceControl()
        self.step_pace.changed.connect(self._set_rate)
        layout.addWidget(self.step_pace)

        self.timer_text = label("", name="Muted", wrap=False)
        self.timer_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.timer_text.setAccessibleName(_("Time left in this step"))
        layout.addWidget(self.timer_text)
        self.step_timer_bar = QProgressBar()
        self.step_timer_bar.setTextVisible(False)
        self.step_timer_bar.setFixedHeight(6)
        self.step_timer_bar.setRange(0, 1000)
        self.step_timer_bar.setFixedWidth(280)
        self.step_timer_bar.setAccessibleName(_("Time in this step"))
        layout.addWidget(self.step_timer_bar, 0, Qt.AlignmentFlag.AlignHCenter)
        self.paused_text = label(
            _("Paused. Take all the time you need; press Space or Resume to go on."), name="Muted"
        )
        self.paused_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_text.hide()
        layout.addWidget(self.paused_text)
        layout.addStretch(1)

        # Shown on the first step when Ground me now skipped "before you start".
        self.quick_cautions = label("", name="Muted")
        self.quick_cautions.hide()
        layout.addWidget(self.quick_cautions)
        self.quick_scale = DistressScale(_distress_now(), compact=True)
        self.quick_scale.rated.connect(self._rated_before)
        self.quick_scale.hide()
        layout.addWidget(self.quick_scale)
        self.step_help = HelpOffer(self.open_help)
        layout.addWidget(self.step_help)

        controls = QHBoxLayout()
        controls.setSpacing(10)
        self.back_button = QPushButton(icon("mdi6.arrow-left"), _("Back"))
        self.back_button.setAccessibleName(_("Back one step"))
        self.back_button.setToolTip(_("Back one step (←)"))
        self.back_button.clicked.connect(self.previous_step)
        self.pause_button = QPushButton(icon("mdi6.pause"), _("Pause"))
        self.pause_button.setAccessibleName(_("Pause"))
        self.pause_button.setToolTip(_("Pause or resume (Space)"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.next_button = primary_button(_("Next"), "mdi6.arrow-right")
        self.next_button.setToolTip(_("Next step (→)"))
        self.next_button.clicked.connect(self.next_step)
        self.stop_button = QPushButton(icon("mdi6.stop"), _("Stop"))
        self.stop_button.setAccessibleName(_("Stop the exercise"))
        self.stop_button.setToolTip(_("Stop the exercise (Esc)"))
        self.stop_button.clicked.connect(self.stop)
        controls.addWidget(self.back_button)
        controls.addStretch(1)
        controls.addWidget(self.pause_button)
        controls.addWidget(self.next_button)
        controls.addStretch(1)
        controls.addWidget(self.stop_button)
        layout.addLayout(controls)
        return page

    def _end_page(self) -> QWidget:
        page, layout = self._column()
        self.end_heading = title("")
        layout.addWidget(self.end_heading)
        self.end_text = label("")
        layout.addWidget(self.end_text)
        self.after_scale = DistressScale(_("How strong is the distress now? (optional)"))
        self.after_scale.rated.connect(self._rated_after)
        layout.addWidget(self.after_scale)
        self.change_text = label("", name="Muted")
        self.change_text.hide()
        layout.addWidget(self.change_text)
        self.end_help = HelpOffer(self.open_help)
        layout.addWidget(self.end_help)
        self.no_change_text = label(_no_change())
        self.no_change_text.hide()
        layout.addWidget(self.no_change_text)
        layout.addWidget(label(_("A note for yourself (optional, kept private)"), name="Muted"))
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(_("A note for yourself"))
        self.note.setPlaceholderText(_("What helped, what didn't, anything you noticed…"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(96)
        self.note.textChanged.connect(lambda: self._note_timer.start())
        self.note.installEventFilter(self)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.done_button = primary_button(_("Done"), "mdi6.check")
        self.done_button.clicked.connect(self.close_player)
        row.addWidget(self.done_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # -- saving --------------------------------------------------------------------------------

    def _save(self, action: Callable[[], Session]) -> None:
        """Save through the practice service; a failed save is told calmly and the exercise
        goes on (the diary keeps the change in memory and saves it with the next one)."""
        saved = self.ops.run(action, what="sessions", announce=False)
        if saved is not None:
            self.session = saved

    def _save_failed(self, reason: str) -> None:
        self._unsaved = reason
        self.context.signals.save_failed.emit(reason)

    def _show_problem(self, message: str) -> None:
        reason, self._unsaved = self._unsaved, None
        if message and message == reason:
            message = _(
                "Your practice could not be saved just now ({reason}). Companion will try "
                "again at the next step."
            ).format(reason=reason)
        self.status.setText(message)

    # -- state ---------------------------------------------------------------------------------

    def _show_page(self, state: str) -> None:
        self.state = state
        self.pages.setCurrentIndex({"intro": 0, "steps": 1, "end": 2}[state])
        for shortcut in self._shortcuts:
            shortcut.setEnabled(state == "steps")
        self.help_button.setText(_("Stop — I need help") if state == "steps" else _("Get help now"))
        self.help_button.setAccessibleName(self.help_button.text())
        if state == "steps":
            self.ticker.start()
        else:
            self.ticker.stop()
        focus = {"intro": self.begin_button, "steps": self.next_button, "end": self.done_button}
        QTimer.singleShot(0, lambda: self._focus(focus[state]))

    def _focus(self, widget: QWidget) -> None:
        if self.isVisible():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose_variant(self, variant: str) -> None:
        self.variant = variant
        self.steps = self.exercise.steps_for(variant)
        base = self.exercise.pacer_for(variant)
        uses_pacer = base is not None and any(s.pacer for s in self.steps)
        if base is not None and base.adjustable:
            low, high = base.min_breaths_per_minute, base.max_breaths_per_minute
            last = self.practice.last_pace(self.exercise.id) if variant == DEFAULT_VARIANT else None
            rate = last if last is not None and low <= last <= high else base.breaths_per_minute
            self.rate = round(rate, 2)
            for control in (self.intro_pace, self.step_pace):
                control.configure(low, high, self.rate)
        else:
            self.rate = round(base.breaths_per_minute, 2) if base is not None else None
        adjustable = uses_pacer and base is not None and base.adjustable
        self.intro_pace_card.setVisible(adjustable)

    def current_pacer(self) -> Pacer | None:
        base = self.exercise.pacer_for(self.variant)
        if base is None:
            return None
        return base.at_rate(self.rate) if self.rate is not None else base

    def _set_rate(self, rate: float) -> None:
        """A new pace keeps the breath where it is (the same fraction of the cycle)."""
        pacer = self.current_pacer()
        fraction = 0.0
        if pacer is not None:
            fraction = (self._pacer_time() % pacer.cycle_seconds) / pacer.cycle_seconds
        self.rate = rate
        for control in (self.intro_pace, self.step_pace):
            control.set_rate(rate)
        pacer = self.current_pacer()
        if pacer is not None:
            self._pacer_acc = fraction * pacer.cycle_seconds
            self._pacer_since = None if self.paused else self.clock.monotonic()
        session = self.session
        if session is not None:
            self._save(
                lambda: self.practice.record_progress(
                    session.id, max(1, self.reached), breaths_per_minute=rate
                )
            )
        self._refresh_step()

    def _rated_before(self, value: object) -> None:
        self.distress_before = value if isinstance(value, int) else None
        for scale in (self.before_scale, self.quick_scale):
            if scale.value != self.distress_before:
                scale.set_value(self.distress_before)
        high = offers_help(self.distress_before, None)
        self.intro_help.offer(_help_before() if high else None)
        self.step_help.offer(_help_before() if high and self.state == "steps" else None)
        session, before = self.session, self.distress_before
        if session is not None:
            self._save(lambda: self.practice.set_ratings(session.id, distress_before=before))

    def _rated_after(self, value: object) -> None:
        self.distress_after = value if isinstance(value, int) else None
        session, after = self.session, self.distress_after
        if session is not None:
            self._save(lambda: self.practice.set_ratings(session.id, distress_after=after))
        self._show_change()

    def _show_change(self) -> None:
        before, after = self.distress_before, self.distress_after
        if before is not None and after is not None:
            self.change_text.setText(
                _("Distress before: {before}. Now: {after}.").format(before=before, after=after)
            )
            self.change_text.show()
        else:
            self.change_text.hide()
        # a calm rating afterwards speaks for itself; unrated, the rating before decides
        high = offers_help(None, after) if after is not None else offers_help(before, None)
        self.end_help.offer(_help_after() if high else None)
        gentle = before is not None and after is not None and after >= before and after > 0
        self.no_change_text.setVisible(gentle and not high)

    # -- running -------------------------------------------------------------------------------

    def begin(self, *, quick: bool = False) -> None:
        """Save the session, then show the first step."""
        exercise_id, variant, before = self.exercise.id, self.variant, self.distress_before
        rate = self.rate if self.exercise.pacer is not None else None
        self._save(
            lambda: self.practice.start_session(
                exercise_id, variant=variant, distress_before=before, breaths_per_minute=rate
            )
        )
        self.reached = 1
        self._last_saved = self.clock.monotonic()
        self.quick_cautions.setVisible(quick and bool(self.exercise.cautions))
        if quick and self.exercise.cautions:
            self.quick_cautions.setText(
                "\n".join([*(f"•  {c}" for c in self.exercise.cautions), _no_penalty()])
            )
        self.quick_scale.setVisible(quick)
        self.step_help.offer(_help_before() if offers_help(self.distress_before, None) else None)
        self.paused = False
        self._pacer_acc, self._pacer_since = 0.0, None
        self._enter(0, carry=0.0)
        self._show_page("steps")
        self._refresh_step()

    def _running_time(self, acc: float, since: float | None) -> float:
        if since is None:
            return acc
        return acc + (self.clock.monotonic() - since)

    def step_elapsed(self) -> float:
        return self._running_time(self._step_acc, self._step_since)

    def _pacer_time(self) -> float:
        return self._running_time(self._pacer_acc, self._pacer_since)

    def _enter(self, index: int, *, carry: float) -> None:
        was_pacer = 0 <= self.index < len(self.steps) and self.steps[self.index].pacer
        self.index = index
        now = None if self.paused else self.clock.monotonic()
        self._step_acc, self._step_since = carry, now
        step = self.steps[index]
        if step.pacer and not (was_pacer and self.state == "steps"):
            self._pacer_acc, self._pacer_since = carry, now
        if index + 1 > self.reached:
            self.reached = index + 1
        if index > 0:  # the first step's "before" extras go once the person moves on
            self.quick_scale.hide()
            self.quick_cautions.hide()
            self.step_help.offer(None)
        session = self.session
        if session is not None:
            rate = self.rate if self.exercise.pacer is not None else None
            self._save(
                lambda: self.practice.record_progress(
                    session.id, index + 1, breaths_per_minute=rate
                )
            )
            self._last_saved = self.clock.monotonic()

    def tick(self) -> None:
        if self.state != "steps" or self.paused:
            return
        # Timed steps move on by themselves; leftover time carries into the next step, so
        # the timing stays exact however coarse the ticks are.
        while self.state == "steps":
            step = self.steps[self.index]
            elapsed = self.step_elapsed()
            if step.seconds <= 0 or elapsed < step.seconds:
                break
            carry = elapsed - step.seconds
            if self.index + 1 >= len(self.steps):
                self.finish()
                return
            self._enter(self.index + 1, carry=carry)
        if (
            self.session is not None
            and self.clock.monotonic() - self._last_saved >= HEARTBEAT_SECONDS
        ):
            self._save_progress()
            self._last_saved = self.clock.monotonic()
        self._refresh_step()

    def _refresh_step(self) -> None:
        if self.state != "steps":
            return
        total = len(self.steps)
        step = self.steps[self.index]
        self.step_label.setText(
            _("Step {number} of {total}").format(number=self.index + 1, total=total)
        )
        self.progress.setRange(0, total)
        self.progress.setValue(self.index + 1)
        if self.step_text.text() != step.text:
            self.step_text.setText(step.text)
        pacer = self.current_pacer() if step.pacer else None
        self.pacer.setVisible(pacer is not None)
        base = self.exercise.pacer_for(self.variant)
        self.step_pace.setVisible(pacer is not None and base is not None and base.adjustable)
        if pacer is not None:
            self.pacer.set_state(state_at(pacer, self._pacer_time()))
        if step.seconds > 0:
            left = max(0.0, step.seconds - self.step_elapsed())
            self.timer_text.setText(_("{time} left in this step").format(time=clock_text(left)))
            self.step_timer_bar.setValue(round(1000 * (1 - left / step.seconds)))
            self.step_timer_bar.show()
        else:
            self.timer_text.setText(_("Go on whenever you are ready."))
            self.step_timer_bar.hide()
        last = self.index + 1 >= total
        self.next_button.setText(_("Finish") if last else _("Next"))
        self.next_button.setAccessibleName(_("Finish the exercise") if last else _("Next step"))
        self.back_button.setEnabled(self.index > 0)
        self.pause_button.setText(_("Resume") if self.paused else _("Pause"))
        self.pause_button.setAccessibleName(self.pause_button.text())
        self.pause_button.setIcon(icon("mdi6.play" if self.paused else "mdi6.pause"))
        self.paused_text.setVisible(self.paused)
        moving = pacer is not None and not self.paused and not self.context.device.reduce_motion
        self.ticker.set_interval(FRAME_MS if moving else IDLE_MS)

    def toggle_pause(self) -> None:
        if self.state != "steps":
            return
        now = self.clock.monotonic()
        if self.paused:
            self.paused = False
            self._step_since = now
            if self._pacer_since is None and self.steps[self.index].pacer:
                self._pacer_since = now
        else:
            self.paused = True
            self._step_acc = self._running_time(self._step_acc, self._step_since)
            self._pacer_acc = self._running_time(self._pacer_acc, self._pacer_since)
            self._step_since = self._pacer_since = None
            if self.session is not None:
                self._save_progress()
                self._last_saved = now
        self._refresh_step()

    def next_step(self) -> None:
        if self.state != "steps":
            return
        if self.index + 1 >= len(self.steps):
            self.finish()
            return
        self._enter(self.index + 1, carry=0.0)
        self._refresh_step()

    def previous_step(self) -> None:
        if self.state != "steps" or self.index == 0:
            return
        self._enter(self.index - 1, carry=0.0)
        if self.steps[self.index].pacer:
            self._pacer_acc = 0.0
            self._pacer_since = None if self.paused else self.clock.monotonic()
        self._refresh_step()

    def finish(self) -> None:
        """The last step is done: the session is completed."""
        session = self.session
        if session is not None:
            self._save(lambda: self.practice.finish_session(session.id))
        self._show_end(completed=True)

    def stop(self) -> None:
        """Stop early: the session is kept as not completed. Stopping is always fine."""
        if self.state != "steps":
            return
        session, reached = self.session, self.reached
        if session is not None:
            self._save(lambda: self.practice.stop_session(session.id, reached))
        self._show_end(completed=False)

    def _show_end(self, *, completed: bool) -> None:
        self.paused = False
        if completed:
            self.end_heading.setText(_("You reached the end"))
            self.end_text.setText(_("Take a moment before you go on. Notice how you feel now."))
        else:
            self.end_heading.setText(_("You stopped here"))
            self.end_text.setText(
                _(
                    "Stopping is always okay. You can come back to this, or to any other "
                    "exercise, whenever you like."
                )
            )
        self._show_page("end")
        self._show_change()

    def need_help(self) -> None:
        """'Stop — I need help' during the steps; 'Get help now' on the other screens."""
        if self.state == "steps":
            self.stop()
        self.open_help()

    def open_help(self) -> None:
        self.context.open_help(self)

    def escape(self) -> None:
        if self.state == "steps":
            self.stop()
        else:
            self.close_player()

    def save_note(self) -> None:
        self._note_timer.stop()
        if self.session is None:
            return
        session, text = self.session, self.note.toPlainText()
        if (session.note or "") == (text if text.strip() else ""):
            return
        self._save(lambda: self.practice.set_ratings(session.id, note=text))

    def save_now(self) -> None:
        """Flush everything not yet saved (the diary is about to lock)."""
        if self.state == "end":
            self.save_note()
        elif self.state == "steps" and self.session is not None:
            self._save_progress()
        self.ticker.stop()

    def _save_progress(self) -> None:
        """Move the saved end time on (a long step, a pause, a lock)."""
        session, reached = self.session, self.reached
        if session is not None:
            self._save(lambda: self.practice.record_progress(session.id, reached))

    def close_player(self) -> None:
        if self.state == "end":
            self.save_note()
        elif self.state == "steps":
            self.stop()
        self.ticker.stop()
        if self.session is not None:  # the pages behind show the practice history
            self.context.changes.announce("exercises", "sessions", initiator=self)
        self.closed.emit()

    def hideEvent(self, event: QHideEvent) -> None:
        """Hidden on purpose (closed, or its window locked): no more ticks or saves. A
        minimised window (a spontaneous hide) keeps time, so timers stay true."""
        if not event.spontaneous():
            self.ticker.stop()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self.state == "steps":
            self.ticker.start()
        super().showEvent(event)

    # -- keyboard ------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter activates the focused button (Space is kept for pausing during the steps)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            widget = self.focusWidget()
            if isinstance(widget, QAbstractButton) and widget.isEnabled():
                widget.click()
                return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.save_note()
        return False
