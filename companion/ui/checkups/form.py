"""Taking a questionnaire: one calm question at a time, fully usable from the keyboard.

Keys: a digit picks the answer with that number, Up and Down move between answers, Enter or
Right goes on, Backspace or Left goes back, and S leaves a question out. A question may always
be left out; the review before the result says plainly what that means for the score.

The form never blocks. When a flagged answer needs a safety response (PHQ-9 question 9 above
zero) it says so calmly in place, offers Get help now, emits ``selfHarmAnswered`` at once so
the page can show the safety plan and helplines, and lets the person carry on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.content.questionnaires import SKIP_LABEL, Item, Questionnaire
from companion.core.checkups.flags import SELF_HARM
from companion.core.checkups.scoring import score_answers
from companion.i18n import _, ngettext
from companion.ui.checkups.parts import SafetyNote
from companion.ui.widgets.common import (
    Card,
    CurrentPageStack,
    Notice,
    StatusLabel,
    help_now_button,
    icon,
    label,
    link_button,
    primary_button,
)

__all__ = ["QuestionnaireForm"]

_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_BACK = (Qt.Key.Key_Backspace, Qt.Key.Key_Left)
_ON = (*_ENTER, Qt.Key.Key_Right)


def skip_label(q: Questionnaire) -> str:
    """The skip button's words: the questionnaire's own (the ACE's "Prefer not to say"), or
    the app's, translated."""
    return _("Skip this question") if q.skip_label == SKIP_LABEL else q.skip_label


class QuestionnaireForm(QWidget):
    """One questionnaire, from its introduction to the review before the result.

    ``answers()`` and ``position()`` give everything needed to save a draft, and ``restore``
    puts one back, so the host can keep a half-finished form across lock and quit.
    """

    #: an answer was chosen or cleared: (question id, value or None)
    answerChanged = Signal(str, object)
    #: a flagged answer above zero was chosen (PHQ-9 question 9): the value, at once
    selfHarmAnswered = Signal(int)
    #: the person asked to see the result: the answers, question id -> value or None
    completed = Signal(dict)
    #: "Not now" on the introduction
    cancelled = Signal()
    helpRequested = Signal()
    #: a ``companion:`` link, e.g. to the related article
    linkActivated = Signal(str)

    def __init__(self, questionnaire: Questionnaire, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.q = questionnaire
        self._answers: dict[str, int | None] = {item.id: None for item in questionnaire.items}
        self._index = 0
        self._flag_shown = 0
        self.setAccessibleName(_("{name} questionnaire").format(name=questionnaire.name))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(8)
        # Get help now on every screen of the form, in the same place (the host may put a
        # way back at the start of this row: add_leading)
        self.top = QHBoxLayout()
        self.top.addStretch(1)
        self.help_button = help_now_button()
        self.help_button.clicked.connect(self.helpRequested)
        self.top.addWidget(self.help_button)
        column.addLayout(self.top)
        self.stack = CurrentPageStack()
        column.addWidget(self.stack)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(780)
        column.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(holder, 8)
        outer.addStretch(1)

        self.intro = self._build_intro()
        self.question = self._build_question()
        self.review = self._build_review()
        for view in (self.intro, self.question, self.review):
            self.stack.addWidget(view)
        self._watch(self)
        for button in self.findChildren(QAbstractButton):
            self._watch(button)

    def add_leading(self, widget: QWidget) -> None:
        """Put ``widget`` (the host's way back) at the start of the row with Get help now."""
        self.top.insertWidget(0, widget)
        self._watch(widget)

    # --- building ---------------------------------------------------------------------------

    def _build_intro(self) -> Card:
        q = self.q
        card = Card(q.title)
        card.body.addWidget(label(q.about))
        scored = len(q.scored_items)
        extra = len(q.items) - scored
        if extra:
            size = ngettext(
                "{count} question, and {extra} more that is not scored.",
                "{count} questions, and {extra} more that is not scored.",
                scored,
            ).format(count=scored, extra=extra)
        else:
            size = ngettext("{count} question.", "{count} questions.", scored).format(count=scored)
        card.body.addWidget(
            label(
                _(
                    "{size} You can leave any question out, and stop at any time. "
                    "Your answers stay on this computer."
                ).format(size=size),
                name="Muted",
            )
        )
        if q.content_note:
            note = Notice(q.content_note)
            note.setAccessibleName(_("Before you start"))
            note.text.setAccessibleName(q.content_note)
            card.body.addWidget(note)
        row = QHBoxLayout()
        self.start = primary_button(_("Start"), "mdi6.arrow-right")
        self.start.setAccessibleName(_("Start the {name}").format(name=q.name))
        self.start.clicked.connect(self.begin)
        self.not_now = QPushButton(_("Not now"))
        self.not_now.setAccessibleName(
            _("Not now: leave the {name} for another time").format(name=q.name)
        )
        self.not_now.clicked.connect(self.cancelled)
        row.addWidget(self.start)
        row.addWidget(self.not_now)
        row.addStretch(1)
        card.body.addLayout(row)
        if q.related_article:
            read = link_button(_("Read: how childhood experiences can affect depression"))
            read.setAccessibleName(_("Read the article on childhood trauma and depression"))
            read.clicked.connect(
                lambda: self.linkActivated.emit(f"companion:article/{q.related_article}")
            )
            card.body.addWidget(read, 0, Qt.AlignmentFlag.AlignLeft)
            self.read_button = read
        card.body.addSpacing(6)
        card.body.addWidget(self._notice())
        return card

    def _notice(self) -> QWidget:
        notice = label(self.q.notice, name="Muted")
        notice.setAccessibleName(_("Notice: {notice}").format(notice=self.q.notice))
        font = notice.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        notice.setFont(font)
        return notice

    def _build_question(self) -> Card:
        q = self.q
        card = Card()
        top = QHBoxLayout()
        self.counter = label("", name="Muted", wrap=False)
        top.addWidget(self.counter)
        top.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, len(q.items))
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(180)
        top.addWidget(self.progress)
        card.body.addLayout(top)
        self.instructions = label(q.instructions, name="Muted")
        card.body.addWidget(self.instructions)
        self.stem = label(q.stem)
        self.stem.setVisible(bool(q.stem))
        card.body.addWidget(self.stem)
        self.text = label("", name="QuestionText")
        card.body.addWidget(self.text)
        card.body.addSpacing(4)
        self.choices = QWidget()
        self.choices_layout = QVBoxLayout(self.choices)
        self.choices_layout.setContentsMargins(0, 0, 0, 0)
        self.choices_layout.setSpacing(6)
        card.body.addWidget(self.choices)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.idClicked.connect(self._picked)
        self.option_buttons: list[QPushButton] = []
        self.safety = SafetyNote()
        self.safety.helpRequested.connect(self.helpRequested)
        card.body.addWidget(self.safety)
        self.reminder = self._reminder()
        card.body.addWidget(self.reminder)
        self.status = StatusLabel("Muted", _("Hint"))
        card.body.addWidget(self.status)
        nav = QHBoxLayout()
        self.back = QPushButton(_("Back"))
        self.back.setIcon(icon("mdi6.arrow-left"))
        self.back.setAccessibleName(_("Back to the previous question"))
        self.back.clicked.connect(self.go_back)
        self.skip = link_button(skip_label(q))
        self.skip.setAccessibleName(_("{skip}: leave this question out").format(skip=skip_label(q)))
        self.skip.clicked.connect(self.skip_question)
        self.next = primary_button(_("Next"), "mdi6.arrow-right")
        self.next.clicked.connect(self.go_on)
        nav.addWidget(self.back)
        nav.addWidget(self.skip)
        nav.addStretch(1)
        nav.addWidget(self.next)
        card.body.addLayout(nav)
        self.keys = label("", name="Muted")
        card.body.addWidget(self.keys)
        return card

    def _reminder(self) -> QFrame:
        """After a flagged answer, one quiet line on every later page with a way to help."""
        frame = QFrame()
        frame.setObjectName("Notice")
        frame.setAccessibleName(_("Support"))
        row = QHBoxLayout(frame)
        row.setContentsMargins(12, 6, 12, 6)
        words = label(
            _("Your safety plan and helplines are one click away, whenever you want them.")
        )
        row.addWidget(words, 1)
        button = help_now_button()
        button.clicked.connect(self.helpRequested)
        row.addWidget(button)
        self.reminder_help = button
        frame.hide()
        return frame

    def _build_review(self) -> Card:
        card = Card(_("Before you see your result"))
        self.summary = label("")
        self.summary.setAccessibleName(_("Summary of your answers"))
        card.body.addWidget(self.summary)
        self.outcome = label("", name="Muted")
        card.body.addWidget(self.outcome)
        self.review_reminder = self._reminder()
        card.body.addWidget(self.review_reminder)
        row = QHBoxLayout()
        self.review_back = QPushButton(_("Back"))
        self.review_back.setIcon(icon("mdi6.arrow-left"))
        self.review_back.setAccessibleName(_("Back to the last question"))
        self.review_back.clicked.connect(self.go_back)
        self.fill_in = QPushButton(_("Answer the ones left out"))
        self.fill_in.setAccessibleName(_("Go to the first question left out"))
        self.fill_in.clicked.connect(self._first_blank)
        self.finish = primary_button(_("See my result"), "mdi6.check")
        self.finish.clicked.connect(self.submit)
        row.addWidget(self.review_back)
        row.addWidget(self.fill_in)
        row.addStretch(1)
        row.addWidget(self.finish)
        card.body.addLayout(row)
        card.body.addWidget(
            label(_("Enter shows your result; Backspace goes back to the questions."), name="Muted")
        )
        return card

    # --- state ------------------------------------------------------------------------------

    @property
    def view(self) -> str:
        current = self.stack.currentWidget()
        return (
            "intro" if current is self.intro else "review" if current is self.review else "question"
        )

    @property
    def item(self) -> Item:
        return self.q.items[self._index]

    def answers(self) -> dict[str, int | None]:
        return dict(self._answers)

    def position(self) -> tuple[str, int]:
        """Where the person is: ("intro" | "question" | "review", question index)."""
        return self.view, self._index

    def restore(self, answers: dict[str, object], index: int = 0, view: str = "question") -> None:
        """Put a saved draft back. Unknown questions and answers that do not fit are dropped."""
        for item in self.q.items:
            value = answers.get(item.id)
            if isinstance(value, int) and not isinstance(value, bool) and item.option(value):
                self._answers[item.id] = value
            else:
                self._answers[item.id] = None
        self._index = min(max(index, 0), len(self.q.items) - 1)
        self._flag_shown = self._flag_value()
        if view == "intro":
            self._show_intro()
        elif view == "review":
            self._show_review()
        else:
            self._show_question()

    def _flag_value(self) -> int:
        for item in self.q.items:
            value = self._answers.get(item.id)
            if item.flag == SELF_HARM and value:
                return value
        return 0

    # --- moving about -----------------------------------------------------------------------

    def begin(self) -> None:
        self._index = 0
        self._show_question()

    def go_on(self) -> None:
        if self.view == "intro":
            self.begin()
        elif self.view == "review":
            self.submit()
        elif self._answers[self.item.id] is None:
            keys = self._digit_range()
            self.status.setText(
                _("Choose an answer ({keys}), or use “{skip}” (S) to leave it out.").format(
                    keys=keys, skip=skip_label(self.q)
                )
            )
        else:
            self._advance()

    def skip_question(self) -> None:
        if self.view != "question":
            return
        self._set(self.item, None)
        self._advance()

    def go_back(self) -> None:
        if self.view == "review":
            self._index = len(self.q.items) - 1
            self._show_question()
        elif self.view == "question":
            if self._index == 0:
                self._show_intro()
            else:
                self._index -= 1
                self._show_question()

    def submit(self) -> None:
        self.completed.emit(self.answers())

    def _advance(self) -> None:
        if self._index + 1 < len(self.q.items):
            self._index += 1
            self._show_question()
        else:
            self._show_review()

    def _first_blank(self) -> None:
        for n, item in enumerate(self.q.items):
            if item.scored and self._answers[item.id] is None:
                self._index = n
                self._show_question()
                return

    # --- showing ----------------------------------------------------------------------------

    def _show_intro(self) -> None:
        self.stack.setCurrentWidget(self.intro)
        self.start.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_question(self) -> None:
        item = self.item
        total = len(self.q.items)
        self.counter.setText(
            _("{name} · question {number} of {total}").format(
                name=self.q.name, number=item.number, total=total
            )
        )
        self.progress.setValue(item.number)
        self.progress.setAccessibleName(
            _("Question {number} of {total}").format(number=item.number, total=total)
        )
        shared = item.scored  # an unscored question (PHQ-9 difficulty) has its own wording
        self.instructions.setVisible(shared)
        self.stem.setVisible(shared and bool(self.q.stem))
        self.text.setText(item.text)
        self.text.setAccessibleName(item.text)
        self.choices.setAccessibleName(
            _("Question {number} of {total}: {text}").format(
                number=item.number, total=total, text=item.text
            )
        )
        for button in self.option_buttons:
            self.group.removeButton(button)
            button.hide()
            button.deleteLater()
        self.option_buttons = []
        chosen = self._answers[item.id]
        for option in item.options:
            button = QPushButton(f"{option.value}     {option.label}")
            button.setObjectName("ChoiceOption")
            button.setCheckable(True)
            button.setChecked(option.value == chosen)
            button.setAccessibleName(f"{option.value}: {option.label}")
            button.setAccessibleDescription(item.text)
            self.group.addButton(button, option.value)
            self.choices_layout.addWidget(button)
            button.show()  # now, not when the layout gets round to it: focus needs it shown
            self.option_buttons.append(button)
            self._watch(button)
        last = item.number == total
        self.next.setText(_("Finish") if last else _("Next"))
        self.next.setAccessibleName(
            _("Finish and review your answers") if last else _("Next question")
        )
        self.keys.setText(
            _("Keys: {digits} choose · Enter next · Backspace back · S {skip}").format(
                digits=self._digit_range(), skip=skip_label(self.q).lower()
            )
        )
        self.status.setText("")
        self._show_safety()
        self.stack.setCurrentWidget(self.question)
        self._focus_choice()

    def _show_safety(self) -> None:
        item = self.item
        value = self._answers[item.id] or 0
        here = item.flag == SELF_HARM and value > 0
        self.safety.show_for(value if here else 0)
        after = not here and self._flag_value() > 0
        self.reminder.setVisible(after)

    def _show_review(self) -> None:
        q = self.q
        scored = q.scored_items
        blank = [item for item in scored if self._answers[item.id] is None]
        answered = len(scored) - len(blank)
        # which questions were left out is said once, in the outcome below
        self.summary.setText(
            ngettext(
                "You answered {answered} of the {count} question.",
                "You answered {answered} of the {count} questions.",
                len(scored),
            ).format(answered=answered, count=len(scored))
        )
        score = score_answers(q, self._answers)
        if score.status == "not-scored":
            outcome = _(
                "{note} You can go back and answer, or see your answers without a total."
            ).format(note=score.note)
        elif score.note:
            outcome = score.note
        else:
            outcome = _("Your result will show what the total means, in plain words.")
        self.outcome.setText(outcome)
        self.fill_in.setVisible(bool(blank))
        self.review_reminder.setVisible(self._flag_value() > 0)
        self.stack.setCurrentWidget(self.review)
        self.finish.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_choice(self) -> None:
        checked = self.group.checkedButton()
        target = checked or (self.option_buttons[0] if self.option_buttons else self.next)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _digit_range(self) -> str:
        values = self.item.values
        return f"{min(values)}–{max(values)}"

    # --- answering --------------------------------------------------------------------------

    def _picked(self, value: int) -> None:
        self._set(self.item, value)

    def _set(self, item: Item, value: int | None) -> None:
        before = self._answers[item.id]
        self._answers[item.id] = value
        if self.view == "question" and item is self.item:
            button = self.group.button(value) if value is not None else None
            if button is not None and not button.isChecked():
                button.setChecked(True)
            elif value is None:
                self.group.setExclusive(False)
                for other in self.option_buttons:
                    other.setChecked(False)
                self.group.setExclusive(True)
            self.status.setText("")
        if before != value:
            self.answerChanged.emit(item.id, value)
        if item.flag == SELF_HARM:
            if value and value != self._flag_shown:
                self._flag_shown = value
                self.selfHarmAnswered.emit(value)
            elif not value:
                self._flag_shown = 0
            if self.view == "question" and item is self.item:
                self._show_safety()

    def _choose(self, value: int) -> bool:
        if self.item.option(value) is None:
            return False
        self._set(self.item, value)
        button = self.group.button(value)
        if button is not None:
            button.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _step_choice(self, step: int) -> None:
        values = list(self.item.values)
        chosen = self._answers[self.item.id]
        if chosen is None:
            index = 0 if step > 0 else len(values) - 1
        else:
            index = min(max(values.index(chosen) + step, 0), len(values) - 1)
        self._choose(values[index])

    # --- keys -------------------------------------------------------------------------------

    def _watch(self, widget: QObject) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_key = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if is_key and self._key(watched, event):  # type: ignore[arg-type]
            return True
        return super().eventFilter(watched, event)

    def _key(self, watched: QObject, event: QKeyEvent) -> bool:
        """Handle one key press; True when it was used."""
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = Qt.Key(event.key())
        is_option = watched in self.option_buttons
        if key in _ENTER and isinstance(watched, QAbstractButton) and not is_option:
            watched.click()  # Enter on a focused button does what the button says
            return True
        view = self.view
        if view == "question":
            if key in _DIGITS:
                return self._choose(_DIGITS[key])
            if key == Qt.Key.Key_Down:
                self._step_choice(1)
                return True
            if key == Qt.Key.Key_Up:
                self._step_choice(-1)
                return True
            if key == Qt.Key.Key_S:
                self.skip_question()
                return True
        if (key in _ON and view != "intro") or key in _ENTER:
            self.go_on()
            return True
        if key in _BACK and view != "intro":
            self.go_back()
            return True
        return False
