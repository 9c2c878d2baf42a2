"""The check-in form: mood in a few seconds, everything else one "More…" away.

Mood alone takes three interactions or fewer: by mouse, click a number and "Save"; by
keyboard, focus the mood row (Tab), press a digit, press Enter. "More…" opens anxiety, energy,
irritability, feeling wired or unusually up (0–3), sleep, exercise, time outdoors, alcohol and
other substances, the four trauma-related experiences, tags, custom trackers, a note with a
visible limit, and the date and time (for writing about earlier). The same form edits a
stored check-in.

Nothing here judges: the confirmation is "Saved", every optional field may stay empty
("not recorded" is not zero), and a save that fails keeps every word on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.errors import ValidationError
from companion.core.mood.service import (
    CheckIn,
    Entry,
    MoodService,
    TagKind,
    TrackerInfo,
    TrackerKind,
)
from companion.core.mood.vocabulary import (
    MAX_DETAIL_CHARS,
    MAX_NOTE_CHARS,
    TRAUMA_SIGNS,
    anchors,
    trauma_question,
)
from companion.i18n import _, format_datetime, format_number, ngettext, qt_date_format
from companion.storage.errors import VaultError
from companion.ui import theme
from companion.ui.mood.inputs import (
    ChipGroup,
    OptionalNumber,
    ScaleInput,
    YesNoInput,
)
from companion.ui.pages import AppContext, in_locked_page
from companion.ui.timers import after
from companion.ui.widgets.common import (
    StatusLabel,
    follow_in_tab_order,
    icon,
    label,
    laid_out_tab_stops,
    link_button,
    primary_button,
)

#: what ``next()`` gives once the parts of the inputs behind "More…" are all built
_ENDED = object()
#: the note's character count shows from this share of the limit on
NOTE_COUNT_FROM = 0.9


class SectionHeader(QToolButton):
    """A section's heading: one Tab stop; Space or Enter opens or folds its part (Enter would
    otherwise reach the form and save the check-in)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
        ):
            self.click()
            event.accept()
            return
        super().keyPressEvent(event)


class Section(QWidget):
    """A heading that folds its part of the form away (a chevron says which way)."""

    toggled = Signal(bool)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 2)
        outer.setSpacing(6)
        self.header = SectionHeader()
        self.header.setObjectName("SectionHeader")
        self.header.setText(title)
        self.header.setAccessibleName(title)
        self.header.setCheckable(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setAutoRaise(True)
        # its look and focus ring: theme.py (QToolButton#SectionHeader)
        self.header.setCursor(Qt.CursorShape.PointingHandCursor)
        self.header.toggled.connect(self._toggled)
        outer.addWidget(self.header)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(22, 0, 0, 4)
        self.body_layout.setSpacing(8)
        outer.addWidget(self.body)
        self._show(False)

    def is_open(self) -> bool:
        return self.header.isChecked()

    def set_open(self, opened: bool) -> None:
        self.header.blockSignals(True)
        self.header.setChecked(opened)
        self.header.blockSignals(False)
        self._show(opened)
        if opened:
            self.set_answers(0)  # its answers are in sight

    def _toggled(self, opened: bool) -> None:
        self._show(opened)
        self.toggled.emit(opened)

    def set_answers(self, count: int) -> None:
        """Its heading, with how many answers it holds when there are any (folded)."""
        words = (
            _("{title} · {answers}").format(
                title=self.title,
                answers=ngettext("{count} answer", "{count} answers", count).format(
                    count=format_number(count)
                ),
            )
            if count
            else self.title
        )
        self.header.setText(words)
        self.header.setAccessibleName(words)  # the words on screen, as they change

    def _show(self, opened: bool) -> None:
        self.body.setVisible(opened)
        self.header.setIcon(icon("mdi6.chevron-down" if opened else "mdi6.chevron-right"))
        # the name is the words on screen; a screen reader says "expanded" or "collapsed" from
        # the checked state, a tooltip says what a click does
        self.header.setToolTip(_("Fold this part away") if opened else _("Show this part"))


class NoteEdit(QPlainTextEdit):
    """The note: Tab moves on (it never types a tab), and Ctrl+Enter saves."""

    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.submit.emit()
            return
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()
            self.focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
            return
        super().keyPressEvent(event)


#: the inputs behind "More…", built the first time they are needed (see ``CheckInForm``)
_DETAIL_INPUTS = frozenset(
    {
        "when",
        "now_button",
        "sections",
        "anxiety",
        "energy",
        "irritability",
        "elevated",
        "sleep_hours",
        "exercise",
        "outdoors",
        "alcohol",
        "sleep_quality",
        "substances",
        "substances_detail",
        "signs",
        "unsafe_offer",
        "unsafe_button",
        "activities",
        "triggers",
        "trackers_heading",
        "trackers_box",
        "tracker_inputs",
        "note",
        "note_count",
    }
)


class CheckInForm(QWidget):
    """``saved(Entry)`` after a check-in is stored; ``cancelled()`` when an edit is abandoned.

    Only the mood row and the buttons are built with the form: a quick check-in (a digit and
    Enter) needs nothing else, and the first page after unlocking appears sooner. The inputs
    behind "More…" are built the first time they are needed: "More…" opened, a check-in loaded
    to be changed, or one of them asked for by name (``form.note``), which builds them all.
    """

    saved = Signal(object)
    cancelled = Signal()

    when: QDateTimeEdit
    now_button: QPushButton
    sections: dict[str, Section]
    anxiety: ScaleInput
    energy: ScaleInput
    irritability: ScaleInput
    elevated: ScaleInput
    sleep_hours: OptionalNumber
    exercise: OptionalNumber
    outdoors: OptionalNumber
    alcohol: OptionalNumber
    sleep_quality: ScaleInput
    substances: YesNoInput
    substances_detail: QLineEdit
    signs: dict[str, YesNoInput]
    unsafe_offer: QWidget
    unsafe_button: QPushButton
    activities: ChipGroup
    triggers: ChipGroup
    trackers_heading: Section
    trackers_box: QFormLayout
    tracker_inputs: dict[str, tuple[TrackerInfo, QWidget]]
    note: NoteEdit
    note_count: QLabel

    def __init__(
        self,
        service: MoodService,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        expanded: bool = False,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.editing: Entry | None = None
        self._time_touched = False
        #: in a window that closes (and is deleted) once the check-in is saved: the form is
        #: not emptied and collapsed after saving (~5 ms of the save's turn, for nothing seen)
        self.closes_on_save = False
        #: what follows a save (its change announced, ``saved`` emitted) runs in the next turn
        #: of the event loop, after the click's paint (the Today card: the listeners and the
        #: new row were half of a 17-21 ms turn)
        self.follow_up_later = False
        self.setAccessibleName(_("Check-in"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.question = label(_("How is your mood right now?"))
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.question)
        self.mood = ScaleInput(
            _("Mood"), anchors("mood"), clearable=False, spoken=self.question.text()
        )
        self.question.setBuddy(self.mood)
        layout.addWidget(self.mood)

        self._open_sections: list[str] = []
        self._built = False
        #: what is left to build of the inputs behind "More…" (``build_details_ahead``)
        self._details_parts: Iterator[None] | None = None
        #: tags or trackers changed since the inputs behind "More…" read them
        self._options_stale = False
        self.details = QWidget()
        self.details.setAccessibleName(_("More about this check-in"))
        self.details.setVisible(False)
        layout.addWidget(self.details)

        row = QHBoxLayout()
        row.setSpacing(10)
        self.save_button = primary_button(_("Save check-in"), "mdi6.check")
        self.save_button.setToolTip(_("Save (Enter)"))
        self.save_button.clicked.connect(self.save)
        self.more_button = QPushButton()
        #: the words and the theme "More…" was last drawn with (``_label_more``)
        self._more_look: tuple[str, str] | None = None
        self.more_button.setCheckable(True)
        self.more_button.toggled.connect(self.set_expanded)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel editing"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row.addWidget(self.save_button)
        row.addWidget(self.more_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addLayout(row)
        # under the buttons, not beside them: a wrapped "Saved · …" moved them in a narrow card
        self.status = StatusLabel("Success", _("Check-in status"))
        layout.addWidget(self.status)
        self.error = StatusLabel("Error", _("Check-in problem"))
        layout.addWidget(self.error)
        layout.addStretch(1)  # in a taller window (Ctrl+N) the room goes below, not between
        self.ops = context.operations("mood", self.error)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(8000)
        self._status_timer.timeout.connect(lambda: self.status.setText(""))

        self._label_more(False)
        self.reset()
        if expanded:
            self.set_expanded(True)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Only called for an attribute not set yet: a detail input asked for before
            # "More…" was ever opened (another widget, a test) is built, with the rest, now.
            if name in _DETAIL_INPUTS and not self.__dict__.get("_building", False):
                self._ensure_details()
                return self.__dict__[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # -- building ----------------------------------------------------------------------------

    def _ensure_details(self) -> None:
        """Build the inputs behind "More…" (once; what is left of them, when they were being
        built ahead), with the tags, trackers and remembered sections as they are now, and
        put them in the Tab order after the mood."""
        for _part in self.build_details_ahead():
            pass

    def build_details_ahead(self) -> Iterator[None]:
        """The inputs behind "More…" built hidden, a part per ``next()`` (a section or two,
        then their tags and trackers), for a person who has not opened it yet: the Today
        card's form, while the person is still (``ui/build_ahead.py``). Built in one turn by
        the first "More…", they were 36 ms of GUI work at ten years, a 42-69 ms freeze with
        their showing and paint. Stopped half way, the first "More…" builds the rest."""
        if self._details_parts is None:
            self._details_parts = self._build_details()
        parts = self._details_parts
        while not self._built:
            self._building = True
            try:
                ended = next(parts, _ENDED) is _ENDED
            finally:
                self._building = False
            if ended:  # (the last part ran: built; or an earlier one failed)
                return
            yield

    def _build_details(self) -> Iterator[None]:
        """The inputs behind "More…", a section or two per ``next()``, then their options
        and the Tab order; each part ends with a yield."""
        self._open_sections = self.service.open_sections()
        layout = QVBoxLayout(self.details)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)

        when = QHBoxLayout()
        when_label = QLabel(_("When"))
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat(qt_date_format("day_medium", with_time=True))
        self.when.setAccessibleName(_("When: the date and time of this check-in"))
        self.when.dateTimeChanged.connect(self._touched_time)
        when_label.setBuddy(self.when)
        self.now_button = QPushButton(_("Now"))
        self.now_button.setAccessibleName(_("Set the time to now"))
        self.now_button.clicked.connect(self._set_now)
        when.addWidget(when_label)
        when.addWidget(self.when)
        when.addWidget(self.now_button)
        when.addStretch(1)
        layout.addLayout(when)

        self.sections: dict[str, Section] = {}
        feelings = self._section("feelings", _("Other feelings"), layout)
        self.anxiety = ScaleInput(_("Anxiety"), anchors("anxiety"))
        self.energy = ScaleInput(_("Energy"), anchors("energy"))
        self.irritability = ScaleInput(_("Irritability"), anchors("irritability"))
        for name, scale in (
            (_("Anxiety"), self.anxiety),
            (_("Energy"), self.energy),
            (_("Irritability"), self.irritability),
        ):
            caption = QLabel(name)
            caption.setBuddy(scale)
            feelings.addWidget(caption)
            feelings.addWidget(scale)
        # clinical-reference §6.1: eMoods' elevated-mood item, 0–3. Only recorded, never
        # interpreted: the words describe the feeling, not a condition.
        self.elevated = ScaleInput(_("Wired or unusually up"), anchors("elevated"))
        caption = QLabel(_("Wired or unusually up"))
        caption.setBuddy(self.elevated)
        feelings.addWidget(caption)
        feelings.addWidget(
            label(
                _(
                    "Sped up, restless or on a high: more energy or drive than is usual for "
                    "you. Optional."
                ),
                name="Muted",
            )
        )
        feelings.addWidget(self.elevated)

        yield
        day = self._section("sleep", _("Sleep and the day"), layout)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.sleep_hours = OptionalNumber(
            _("Hours of sleep last night"),
            0,
            24,
            step=0.5,
            decimals=1,
            suffix=_(" h"),
            unit=_("hours"),
        )
        minutes = _(" min")
        self.exercise = OptionalNumber(
            _("Exercise, minutes"), 0, 1440, step=5, suffix=minutes, unit=_("minutes")
        )
        self.outdoors = OptionalNumber(
            _("Time outdoors, minutes"), 0, 1440, step=5, suffix=minutes, unit=_("minutes")
        )
        self.alcohol = OptionalNumber(
            _("Alcohol, standard drinks"),
            0,
            100,
            step=0.5,
            decimals=1,
            suffix=_(" drinks"),
            unit=_("drinks"),
        )
        fields = (
            (_("Sleep last night"), self.sleep_hours),
            (_("Exercise"), self.exercise),
            (_("Time outdoors"), self.outdoors),
            (_("Alcohol"), self.alcohol),
        )
        for i, (caption_text, widget) in enumerate(fields):
            caption = QLabel(caption_text)
            caption.setBuddy(widget)
            grid.addWidget(caption, i // 2, (i % 2) * 2)
            grid.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        grid.setColumnStretch(4, 1)
        day.addLayout(grid)
        caption = QLabel(_("Sleep quality"))
        self.sleep_quality = ScaleInput(_("Sleep quality"), anchors("sleep_quality"), low=1)
        caption.setBuddy(self.sleep_quality)
        day.addWidget(caption)
        day.addWidget(self.sleep_quality)
        self.substances = YesNoInput(_("Other substances"))
        day.addWidget(self.substances)
        self.substances_detail = QLineEdit()
        self.substances_detail.setMaxLength(MAX_DETAIL_CHARS)
        self.substances_detail.setPlaceholderText(_("Which, if you want to note it (optional)"))
        self.substances_detail.setAccessibleName(_("Which substances"))
        self.substances_detail.setVisible(False)
        self.substances.changed.connect(
            lambda v: self.substances_detail.setVisible(v is True and self.details.isVisible())
        )
        day.addWidget(self.substances_detail)

        yield
        signs = self._section("experiences", _("Experiences (optional)"), layout)
        hint = label(
            _(
                "Some people notice these at times. Answer only if you want to; leaving them "
                "empty is fine."
            ),
            name="Muted",
        )
        signs.addWidget(hint)
        self.signs: dict[str, YesNoInput] = {}
        for key in TRAUMA_SIGNS:
            answer = YesNoInput(trauma_question(key))
            self.signs[key] = answer
            signs.addWidget(answer)
            if key == "felt_unsafe":
                signs.addWidget(self._unsafe_offer())
        self.signs["felt_unsafe"].changed.connect(
            lambda value: self.unsafe_offer.setVisible(value is True)
        )

        yield
        part = self._section("day", _("What was part of your day"), layout)
        self.activities = ChipGroup(_("Activities"))
        self.triggers = ChipGroup(_("Things that were hard"))
        part.addWidget(label(_("Activities"), name="Muted"))
        part.addWidget(self.activities)
        part.addWidget(label(_("Things that were hard"), name="Muted"))
        part.addWidget(self.triggers)

        yield
        trackers = self._section("trackers", _("Your trackers"), layout)
        self.trackers_heading = self.sections["trackers"]
        self.trackers_box = QFormLayout()
        trackers.addLayout(self.trackers_box)
        self.tracker_inputs: dict[str, tuple[TrackerInfo, QWidget]] = {}

        note = self._section("note", _("Note"), layout)
        self.note = NoteEdit()
        self.note.setAccessibleName(_("Note"))
        self.note.setPlaceholderText(_("Anything you want to remember about now (optional)"))
        self.note.setMinimumHeight(90)
        self.note.setMaximumHeight(180)
        self.note.textChanged.connect(self._count_note)
        self.note.submit.connect(self.save)
        note.addWidget(self.note)
        self.note_count = label("", name="Muted")
        self.note_count.setAccessibleName(_("Note length"))
        self.note_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        note.addWidget(self.note_count)

        yield
        self._built = True
        self.reload_options()
        self._reset_details()
        follow_in_tab_order(
            self.mood,
            [
                *laid_out_tab_stops(self.details),
                self.save_button,
                self.more_button,
                self.cancel_button,
            ],
        )
        # (a part like the others: without this yield, what was built ahead next (another
        # form's first part) ran in the same turn as this one, a 12-19 ms turn at ten years)
        yield

    def _section(self, key: str, title: str, layout: QVBoxLayout) -> QVBoxLayout:
        """A part of the expanded check-in under a heading that folds it away."""
        section = Section(title)
        section.set_open(key in self._open_sections)
        section.toggled.connect(lambda opened: self._remember_section(key, opened))
        section.toggled.connect(lambda _opened: self._show_answers())
        self.sections[key] = section
        layout.addWidget(section)
        return section.body_layout

    def _remember_section(self, key: str, opened: bool) -> None:
        """Which sections the person opens or folds is kept in the diary, so the form opens
        as they left it. Only the section they toggled: one opened because an edited
        check-in had a value in it is not remembered as open."""
        keys = [
            k
            for k in self.sections
            if (k == key and opened) or (k != key and k in self._open_sections)
        ]
        self._open_sections = keys
        self.ops.run(lambda: self.service.set_open_sections(keys), announce=False)

    def _restore_sections(self) -> None:
        """Each section open or folded as the person left it (after an edit opened some)."""
        for key, section in self.sections.items():
            section.set_open(key in self._open_sections)

    def _follow_remembered_sections(self) -> None:
        """The sections open as the person last left them in any check-in form (another
        form may have changed them since these inputs were made, ahead or at an earlier
        "More…"); those holding answers stay open."""
        remembered = self.service.open_sections()
        if remembered == self._open_sections:
            return
        self._open_sections = remembered
        self._restore_sections()
        self._open_filled_sections()

    def _answers(self) -> dict[str, int]:
        """How many answers each section holds."""
        return {
            "feelings": sum(
                s.value() is not None
                for s in (self.anxiety, self.energy, self.irritability, self.elevated)
            ),
            "sleep": sum(
                n.number() is not None
                for n in (self.sleep_hours, self.exercise, self.outdoors, self.alcohol)
            )
            + (self.sleep_quality.value() is not None)
            + (self.substances.value() is not None),
            "experiences": sum(a.value() is not None for a in self.signs.values()),
            "day": len(self.activities.selected() | self.triggers.selected()),
            "trackers": sum(
                self._tracker_value(info, w) is not None for info, w in self.tracker_inputs.values()
            ),
            "note": int(bool(self.note.toPlainText())),
        }

    def _open_filled_sections(self) -> None:
        """When a check-in is loaded to be changed, every section holding a value opens."""
        answers = self._answers()
        for key, section in self.sections.items():
            if answers.get(key):
                section.set_open(True)
        self._show_answers(answers)

    def _show_answers(self, answers: dict[str, int] | None = None) -> None:
        """A folded section says how many answers it holds ("Sleep and the day · 2 answers"),
        so nothing filled in is out of sight without a word."""
        if not self._built:
            return
        answers = self._answers() if answers is None else answers
        for key, section in self.sections.items():
            section.set_answers(0 if section.is_open() else answers.get(key, 0))

    def _unsafe_offer(self) -> QWidget:
        """Shown, quietly, when "Felt unsafe or on guard" is answered yes: the person's plan
        and helplines are one click away (in the help window, which opens above this form
        even when it is in a modal check-in window, and shows the plan first)."""
        self.unsafe_offer = QWidget()
        self.unsafe_offer.setAccessibleName(_("Your safety plan and helplines"))
        row = QHBoxLayout(self.unsafe_offer)
        row.setContentsMargins(12, 0, 0, 4)
        row.addWidget(label(_("If you feel unsafe now:"), name="Muted", wrap=False))
        self.unsafe_button = link_button(_("Open my safety plan and helplines"))
        self.unsafe_button.clicked.connect(self._open_help)
        row.addWidget(self.unsafe_button)
        row.addStretch(1)
        self.unsafe_offer.setVisible(False)
        return self.unsafe_offer

    def _open_help(self) -> None:
        from companion.ui.help_access import open_help_from

        open_help_from(self)

    def reload_options(self) -> None:
        """Tags and trackers as they are now (an archived one stays visible while chosen).

        Before "More…" was first opened there is nothing to reload: the details read them
        when they are built."""
        if not self._built:
            return
        self._options_stale = False
        keep_tags = set(self.editing.tag_ids) if self.editing else set()
        keep_tags |= self.activities.selected() | self.triggers.selected()
        tags = self.service.tags()
        for kind, group in ((TagKind.ACTIVITY, self.activities), (TagKind.TRIGGER, self.triggers)):
            group.set_options(
                [
                    (t.id, t.name)
                    for t in tags
                    if t.kind is kind and (not t.archived or t.id in keep_tags)
                ]
            )
        current = {
            tid: self._tracker_value(info, w) for tid, (info, w) in self.tracker_inputs.items()
        }
        while self.trackers_box.rowCount():
            self.trackers_box.removeRow(0)
        self.tracker_inputs = {}
        kept = set(self.editing.tracker_values) if self.editing else set()
        for info in self.service.trackers():
            if info.archived and info.id not in kept:
                continue
            widget = self._tracker_widget(info)
            self.tracker_inputs[info.id] = (info, widget)
            if info.kind is TrackerKind.YES_NO:
                self.trackers_box.addRow(widget)
            else:
                caption = QLabel(info.name)
                caption.setBuddy(widget)
                self.trackers_box.addRow(caption, widget)
            value = current.get(info.id)
            if value is not None:
                self._set_tracker_value(info, widget, value)
        self.trackers_heading.setVisible(bool(self.tracker_inputs))
        follow_in_tab_order(
            self.trackers_heading, [widget for _info, widget in self.tracker_inputs.values()]
        )

    def options_changed(self) -> None:
        """Tags or trackers changed while nobody looks at the inputs behind "More…" (a window
        made ahead): read again when "More…" next opens, not now."""
        self._options_stale = self._built

    def _tracker_widget(self, info: TrackerInfo) -> QWidget:
        if info.kind is TrackerKind.YES_NO:
            return YesNoInput(info.name)
        if info.kind is TrackerKind.SCALE:
            return ScaleInput(info.name, [str(i) for i in range(11)])
        low = info.minimum if info.minimum is not None else 0.0
        high = info.maximum if info.maximum is not None else 1e6
        unit = f" {info.unit}" if info.unit else ""
        return OptionalNumber(
            info.name, low, high, step=1, decimals=2, suffix=unit, unit=info.unit or ""
        )

    @staticmethod
    def _tracker_value(info: TrackerInfo, widget: QWidget) -> float | bool | None:
        if isinstance(widget, YesNoInput):
            return widget.value()
        if isinstance(widget, ScaleInput):
            return widget.value()
        assert isinstance(widget, OptionalNumber)
        return widget.number()

    @staticmethod
    def _set_tracker_value(info: TrackerInfo, widget: QWidget, value: float | bool) -> None:
        if isinstance(widget, YesNoInput):
            widget.set_value(bool(value >= 0.5) if not isinstance(value, bool) else value)
        elif isinstance(widget, ScaleInput):
            widget.set_value(int(value))
        elif isinstance(widget, OptionalNumber):
            widget.set_number(float(value))

    # -- state -------------------------------------------------------------------------------

    def set_expanded(self, expanded: bool) -> None:
        if expanded:
            made_before = self._built
            self._ensure_details()
            if self._options_stale:
                self.reload_options()
            if self.editing is None and not self._time_touched:
                # a new check-in's time follows the clock: the inputs built ahead, or shown
                # again after a save, still said when they were made
                self._set_now()
            if made_before and self.editing is None:
                self._follow_remembered_sections()
        self.details.setVisible(expanded)
        if self.more_button.isChecked() != expanded:
            self.more_button.setChecked(expanded)
        if self._built:
            self.substances_detail.setVisible(expanded and self.substances.value() is True)
        self._label_more(expanded)

    def _label_more(self, expanded: bool) -> None:
        text = _("Fewer details") if expanded else _("More…")
        look = (text, theme.current().name)
        if look == self._more_look:
            return  # (as it is: a new icon was 1-1.5 ms of each save's turn)
        self._more_look = look
        self.more_button.setText(text)
        self.more_button.setIcon(icon("mdi6.chevron-up" if expanded else "mdi6.chevron-down"))
        self.more_button.setAccessibleName(
            _("Show fewer details")
            if expanded
            else _("More: other feelings, sleep, tags, note, time")
        )

    def reset(self) -> None:
        """An empty form for a new check-in (the time follows the clock until changed)."""
        self.editing = None
        self.mood.set_value(None)
        self._time_touched = False
        if self._built:
            self._reset_details()
            self._restore_sections()
            self._show_answers()
        self.save_button.setText(_("Save check-in"))
        self.save_button.setAccessibleName(_("Save check-in"))
        self.cancel_button.hide()
        self.error.setText("")

    def _reset_details(self) -> None:
        for scale in (
            self.anxiety,
            self.energy,
            self.irritability,
            self.elevated,
            self.sleep_quality,
        ):
            scale.set_value(None)
        for number in (self.sleep_hours, self.exercise, self.outdoors, self.alcohol):
            number.set_number(None)
        self.substances.set_value(None)
        self.substances_detail.clear()
        for answer in self.signs.values():
            answer.set_value(None)
        self.unsafe_offer.setVisible(False)
        self.activities.set_selected(set())
        self.triggers.set_selected(set())
        for _info, widget in self.tracker_inputs.values():
            if isinstance(widget, ScaleInput | YesNoInput):
                widget.set_value(None)
            elif isinstance(widget, OptionalNumber):
                widget.set_number(None)
        self.note.clear()
        self._set_now()
        self._time_touched = False
        self._count_note()

    def load_entry(self, entry: Entry) -> None:
        """Fill the form with a stored check-in to edit it."""
        self.reset()
        self.editing = entry
        self._ensure_details()
        self.reload_options()
        self.mood.set_value(entry.mood)
        self.anxiety.set_value(entry.anxiety)
        self.energy.set_value(entry.energy)
        self.irritability.set_value(entry.irritability)
        self.elevated.set_value(entry.elevated)
        self.sleep_quality.set_value(entry.sleep_quality)
        self.sleep_hours.set_number(entry.sleep_hours)
        self.exercise.set_number(entry.exercise_minutes)
        self.outdoors.set_number(entry.outdoors_minutes)
        self.alcohol.set_number(entry.alcohol_units)
        self.substances.set_value(entry.substances_used)
        self.substances_detail.setText(entry.substances_detail or "")
        for key, answer in self.signs.items():
            answer.set_value(getattr(entry, key))
        self.unsafe_offer.setVisible(entry.felt_unsafe is True)
        self.activities.set_selected(entry.tag_ids)
        self.triggers.set_selected(entry.tag_ids)
        for tracker_id, value in entry.tracker_values.items():
            if tracker_id in self.tracker_inputs:
                info, widget = self.tracker_inputs[tracker_id]
                self._set_tracker_value(info, widget, value)
        self.note.setPlainText(entry.note or "")
        local = entry.local_time
        self.when.blockSignals(True)
        self.when.setDateTime(
            QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0)
        )
        self.when.blockSignals(False)
        self._time_touched = False
        self.save_button.setText(_("Save changes"))
        self.save_button.setAccessibleName(_("Save changes"))
        self.cancel_button.show()
        self._open_filled_sections()
        self.set_expanded(True)

    def _set_now(self) -> None:
        now = QDateTime.currentDateTime()
        self.when.blockSignals(True)
        self.when.setMaximumDateTime(now.addSecs(300))
        self.when.setDateTime(now)
        self.when.blockSignals(False)
        self._time_touched = self.editing is not None

    def _touched_time(self) -> None:
        self._time_touched = True

    def _count_note(self) -> None:
        n = len(self.note.toPlainText())
        count, limit = format_number(n), format_number(MAX_NOTE_CHARS)
        if n > MAX_NOTE_CHARS:
            self.note_count.setObjectName("Error")
            self.note_count.setText(
                _(
                    "{count} of {limit} characters: too long to save in one check-in. "
                    "Please shorten it or split it over more than one."
                ).format(count=count, limit=limit)
            )
        elif n >= NOTE_COUNT_FROM * MAX_NOTE_CHARS:  # only near the limit is it worth a look
            self.note_count.setObjectName("Muted")
            self.note_count.setText(
                _("{count} of {limit} characters").format(count=count, limit=limit)
            )
        else:
            self.note_count.setObjectName("Muted")
            self.note_count.setText("")
        self.note_count.setVisible(bool(self.note_count.text()))
        self.note_count.style().unpolish(self.note_count)
        self.note_count.style().polish(self.note_count)

    # -- saving ------------------------------------------------------------------------------

    def checkin(self) -> CheckIn:
        """What the form holds, as the service takes it (raises if mood is not chosen)."""
        mood = self.mood.value()
        if mood is None:
            raise ValidationError(_("Choose a number for your mood first (0 to 10)."))
        if not self._built:  # "More…" never opened: the mood, now
            return CheckIn(mood=mood)
        at: datetime | None = None
        if self._time_touched:
            chosen = cast(datetime, self.when.dateTime().toPython())
            at = chosen.replace(second=0, microsecond=0).astimezone()
        trackers: dict[str, float | bool] = {}
        for tracker_id, (info, widget) in self.tracker_inputs.items():
            value = self._tracker_value(info, widget)
            if value is not None:
                trackers[tracker_id] = value
        sleep = self.sleep_hours.number()
        values: dict[str, Any] = {
            "mood": mood,
            "at": at,
            "anxiety": self.anxiety.value(),
            "energy": self.energy.value(),
            "irritability": self.irritability.value(),
            "elevated": self.elevated.value(),
            "sleep_hours": sleep,
            "sleep_quality": self.sleep_quality.value(),
            "exercise_minutes": _int(self.exercise.number()),
            "outdoors_minutes": _int(self.outdoors.number()),
            "alcohol_units": self.alcohol.number(),
            "substances_used": self.substances.value(),
            "substances_detail": self.substances_detail.text() if self.substances.value() else None,
            "tag_ids": self.activities.selected() | self.triggers.selected(),
            "tracker_values": trackers,
            "note": self.note.toPlainText() or None,
        }
        for key, answer in self.signs.items():
            values[key] = answer.value()
        return CheckIn(**values)

    def save(self) -> Entry | None:
        """Store the check-in; on a problem, say so in one sentence and keep everything.
        With ``follow_up_later``, the change is announced, and ``saved`` emitted, in the next
        turn of the event loop (``_follow_up``)."""
        editing = self.editing
        later = self.follow_up_later and not self.closes_on_save
        kept_in_memory = False

        def store() -> Entry:
            nonlocal kept_in_memory
            try:
                return self._store(editing)
            except VaultError:  # stored, not written to disk: the others must still hear it
                kept_in_memory = True
                raise

        entry = self.ops.run(store, what="entries", announce=not later)
        if entry is None:
            self.status.setText("")
            if self.mood.value() is None:
                self.mood.setFocus()
            if kept_in_memory and later:
                self._follow_up(None)
            return None
        if self.closes_on_save:  # its window closes and is deleted: nothing to show again
            self.saved.emit(entry)
            return entry
        self.reset()
        self.set_expanded(False)
        when = format_datetime(entry.local_time)
        if editing is not None:
            self.status.setText(_("Saved your changes · {when}.").format(when=when))
        else:
            self.status.setText(_("Saved · {when}.").format(when=when))
        self._status_timer.start()
        if later:
            self._follow_up(entry)
        else:
            self.saved.emit(entry)
        return entry

    def _follow_up(self, entry: Entry | None) -> None:
        """A save's change announced, and ``saved`` emitted (unless it is None: kept in
        memory only), in the next turn: the click's turn holds the commit and what the person
        sees at once (the form emptied, "Saved"), the listeners and the new row come after
        its paint. Nothing once the diary has locked meanwhile (its pages are thrown away,
        the diary is closed), nor once the form has been deleted (the timer goes with it)."""

        def follow_up() -> None:
            if in_locked_page(self):
                return
            self.ops.changes.announce(self.ops.feature, "entries", initiator=self.ops.initiator)
            if entry is not None:
                self.saved.emit(entry)

        after(self, 0, follow_up)

    def _store(self, editing: Entry | None) -> Entry:
        checkin = self.checkin()
        if editing is not None:
            return self.service.update_entry(editing.id, checkin)
        return self.service.create_entry(checkin)

    def save_if_started(self) -> None:
        """Before a lock: keep a check-in that has its mood (or an edit). Without a mood there
        is nothing the diary can hold; the form is thrown away with the window."""
        if self.mood.value() is not None:
            self.save()

    def cancel(self) -> None:
        self.reset()
        self.set_expanded(False)
        self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self.editing is not None:
            self.cancel()
            event.accept()
            return
        super().keyPressEvent(event)


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)
