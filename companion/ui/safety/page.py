"""The safety plan page: a calm one-screen view of the plan, and a guided editor step by step.

The view is what the person sees first (and what "Get help now" links to): each step with its
items, numbers large and copyable. The editor walks the seven steps with a question, a few
words of guidance and examples for each. Words typed but not yet added are added when the
person moves to another step, so nothing typed is lost; anything the service refuses (too long,
too many) stays in the box with one calm sentence. Print and "Save as PDF" give a copy for the
wallet, the bedside or the therapist.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.content.helplines import Country, for_country
from companion.core.safety.service import STEPS, Plan, PlanItem, SafetyService, Step
from companion.core.session import OpenDiary
from companion.i18n import N_, _, format_date, ngettext
from companion.ui.country import effective_country
from companion.ui.help import CopyButton
from companion.ui.pages import AppContext, Page
from companion.ui.widgets.common import (
    Card,
    CurrentPageStack,
    Notice,
    StatusLabel,
    bullet,
    icon,
    label,
    link_button,
    primary_button,
    tab_order_as_laid_out,
    title,
)
from companion.ui.widgets.flow import FlowLayout

#: the names in the editor's list of steps (the full titles are shown beside it)
SHORT_NAMES = {
    "warning_signs": N_("Warning signs"),
    "coping_alone": N_("On my own"),
    "distractions": N_("People and places"),
    "people": N_("Asking for help"),
    "professionals": N_("Professional help"),
    "safer_surroundings": N_("Safer surroundings"),
    "reasons": N_("What matters to me"),
}


#: the plan's cards made in the turn that shows the page (two rows of two: the first screen)
FIRST_CARDS = 4
#: how long the cards' steps run in one turn before the rest wait for the next (8 ms of
#: them, with the plan fitted after the last: turns of 13-15 ms)
STEP_MS = 4.0


class DraftEdit(QPlainTextEdit):
    """A few lines of text; Enter adds, Shift+Enter starts a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ItemRow(QWidget):
    """One item in the editor with its buttons."""

    def __init__(self, item: PlanItem, first: bool, last: bool) -> None:
        super().__init__()
        self.item = item
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        text = label(item.text)
        row.addWidget(text, 1)
        if item.phone:
            row.addWidget(label(item.phone, wrap=False))
        short = item.text if len(item.text) <= 40 else item.text[:39] + "…"
        # one visible action (Change); moving and removing are in the item's "⋯" menu
        self.edit_button = QPushButton(icon("mdi6.pencil-outline"), _("Change"))
        self.edit_button.setAccessibleName(_("Change “{item}”").format(item=short))
        row.addWidget(self.edit_button)
        self.more = QToolButton()
        self.more.setObjectName("ItemMenu")  # (its look: the application's style sheet)
        self.more.setText("⋯")
        self.more.setAccessibleName(_("More for “{item}”").format(item=short))
        self.more.setToolTip(_("Move or remove"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        self.up_button = menu.addAction(icon("mdi6.arrow-up"), _("Move up"))
        self.down_button = menu.addAction(icon("mdi6.arrow-down"), _("Move down"))
        menu.addSeparator()
        self.remove_button = menu.addAction(icon("mdi6.delete-outline"), _("Remove"))
        self.up_button.setEnabled(not first)
        self.down_button.setEnabled(not last)
        self.more.setMenu(menu)
        row.addWidget(self.more)


class StepEditor(QWidget):
    """The guided editor: the list of steps on the left, one step on the right."""

    done = Signal()

    def __init__(self, service: SafetyService, context: AppContext) -> None:
        super().__init__()
        self.service = service
        self.context = context
        self.step_index = 0
        self.editing: PlanItem | None = None
        self._undo: Callable[[], object] | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(18)

        self.steps = QListWidget()
        # a list of steps, not a second sidebar: a thin rule, the chosen step bold with an
        # accent mark, the others muted (the application's style sheet)
        self.steps.setObjectName("StepList")
        self.steps.setAccessibleName(_("Steps of the plan"))
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for step in STEPS:
            item = QListWidgetItem(f"{step.number}. {_(SHORT_NAMES[step.key])}")
            item.setToolTip(_(step.title))
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                _("Step {number}: {title}").format(number=step.number, title=_(step.title)),
            )
            self.steps.addItem(item)
        # as wide as the longest step's name (whole, never cut short), at any text size
        self.steps.setFixedWidth(self.steps.sizeHintForColumn(0) + 2 * self.steps.frameWidth() + 8)
        rows = sum(self.steps.sizeHintForRow(n) for n in range(self.steps.count()))
        self.steps.setFixedHeight(rows + 4 * len(STEPS) + 2 * self.steps.frameWidth() + 8)
        self.steps.currentRowChanged.connect(self._step_chosen)
        row.addWidget(self.steps, 0, Qt.AlignmentFlag.AlignTop)

        self.card = Card()
        body = self.card.body
        self.counter = label("", name="Muted")
        body.addWidget(self.counter)
        self.step_title = label("", name="CardTitle")
        body.addWidget(self.step_title)
        self.question = label("")
        font = self.question.font()
        font.setBold(True)
        self.question.setFont(font)
        body.addWidget(self.question)
        self.guidance = label("")
        body.addWidget(self.guidance)
        self.examples = label("", name="Muted")
        self.examples.setTextFormat(Qt.TextFormat.RichText)
        body.addWidget(self.examples)

        self.items_box = QVBoxLayout()
        self.items_box.setSpacing(2)
        body.addLayout(self.items_box)
        self.empty_items = label(_("Nothing here yet."), name="Muted")
        body.addWidget(self.empty_items)

        self.form_label = label("")
        font = self.form_label.font()
        font.setBold(True)
        self.form_label.setFont(font)
        body.addWidget(self.form_label)
        self.draft = DraftEdit()
        self.draft.setTabChangesFocus(True)
        self.draft.setFixedHeight(self.draft.fontMetrics().lineSpacing() * 3 + 18)
        self.draft.submitted.connect(self.submit)
        body.addWidget(self.draft)
        self.phone_row = QWidget()
        phone_layout = QHBoxLayout(self.phone_row)
        phone_layout.setContentsMargins(0, 0, 0, 0)
        phone_layout.addWidget(label(_("Number"), wrap=False))
        self.phone = QLineEdit()
        self.phone.setAccessibleName(_("Phone number"))
        self.phone.setPlaceholderText(_("Optional, e.g. 07700 900461"))
        self.phone.returnPressed.connect(self.submit)
        phone_layout.addWidget(self.phone, 1)
        body.addWidget(self.phone_row)

        buttons = QHBoxLayout()
        self.add_button = primary_button(_("Add"), "mdi6.plus")
        self.add_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(_("Cancel change"))
        self.cancel_button.setAccessibleName(_("Cancel change"))
        self.cancel_button.clicked.connect(self.cancel_edit)
        self.helplines_button = QPushButton(icon("mdi6.card-account-phone-outline"), "")
        self.helplines_button.clicked.connect(self.add_helplines)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.helplines_button)
        body.addLayout(buttons)
        self.error = StatusLabel("Error", _("Problem with this item"))
        body.addWidget(self.error)
        undo_row = QHBoxLayout()
        self.status = StatusLabel("Muted", _("What just happened"))
        undo_row.addWidget(self.status, 1)
        self.undo_button = link_button(_("Undo"))
        self.undo_button.setAccessibleName(_("Undo remove"))
        self.undo_button.clicked.connect(self.undo_remove)
        self.undo_button.hide()
        undo_row.addWidget(self.undo_button)
        body.addLayout(undo_row)
        # changes show their problems in the error line and their Undo in the line below it;
        # what is typed in the box is said to be still there when it could not be added
        self.ops = context.operations("safety", self.error, undo=self)
        self.form_ops = context.operations("safety", self._form_problem, undo=self)

        nav = QHBoxLayout()
        self.back_button = QPushButton(icon("mdi6.arrow-left"), _("Previous step"))
        self.back_button.setAccessibleName(_("Previous step"))
        self.back_button.clicked.connect(lambda: self.go(self.step_index - 1))
        self.next_button = QPushButton(icon("mdi6.arrow-right"), _("Next step"))
        self.next_button.setAccessibleName(_("Next step"))
        self.next_button.clicked.connect(lambda: self.go(self.step_index + 1))
        self.finish_button = primary_button(_("See my plan"), "mdi6.check")
        self.finish_button.clicked.connect(self.finish)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        nav.addWidget(self.finish_button)
        body.addSpacing(6)
        body.addLayout(nav)
        row.addWidget(self.card, 1)

    def set_room(self, width: int) -> None:
        """The list of steps beside the step when ``width`` pixels hold both with room to
        write; otherwise only the step (its "Step 2 of 7" and Previous/Next lead through the
        plan), so large text or a small window never pushes it sideways."""
        em = self.fontMetrics().horizontalAdvance("M")
        wanted = max(self.card.minimumSizeHint().width(), 34 * em)
        beside = width >= self.steps.width() + 18 + wanted
        if beside != self.steps.isVisibleTo(self):
            self.steps.setVisible(beside)

    @property
    def step(self) -> Step:
        return STEPS[self.step_index]

    # -- moving between steps -------------------------------------------------------------

    def _step_chosen(self, row: int) -> None:
        if row < 0 or row == self.step_index:
            return
        if not self._keep_draft():
            self.steps.blockSignals(True)
            self.steps.setCurrentRow(self.step_index)
            self.steps.blockSignals(False)
            return
        self.step_index = row
        self.show_step()

    def go(self, index: int) -> None:
        """Open a step; words typed in the current step are added first (or kept on error)."""
        index = max(0, min(len(STEPS) - 1, index))
        if index != self.step_index and not self._keep_draft():
            return
        self.step_index = index
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(index)
        self.steps.blockSignals(False)
        self.show_step()

    def finish(self) -> None:
        if self._keep_draft():
            self.done.emit()

    def _keep_draft(self) -> bool:
        """Add whatever is typed; False (with the message shown) when it cannot be added."""
        if not self.draft.toPlainText().strip() and not self.phone.text().strip():
            self.editing = None
            return True
        return self.submit()

    def show_step(self) -> None:
        step = self.step
        item = _(step.item_name)
        self.counter.setText(
            _("Step {number} of {total}").format(number=step.number, total=len(STEPS))
        )
        self.step_title.setText(_(step.title))
        self.question.setText(_(step.question))
        self.guidance.setText(_(step.guidance))
        examples = "".join(f"<li>{html.escape(_(e))}</li>" for e in step.examples)
        self.examples.setText(
            html.escape(_("Some examples, in other people's words:"))
            + f"<ul style='margin-left:-20px'>{examples}</ul>"
        )
        self.phone_row.setVisible(step.has_phone)
        self.draft.setAccessibleName(_("New {item}").format(item=item))
        if step.key == "people":
            self.draft.setPlaceholderText(_("Name"))
        elif step.key == "professionals":
            self.draft.setPlaceholderText(_("Name or service"))
        else:
            self.draft.setPlaceholderText(_("Write a {item}…").format(item=item))
        self.helplines_button.setVisible(step.key == "professionals")
        country = self._country()
        self.helplines_button.setText(
            _("Add the helplines for {country}").format(country=country.name)
            if country.code
            else _("Add a helpline directory")
        )
        self.helplines_button.setAccessibleName(self.helplines_button.text())
        self.back_button.setEnabled(self.step_index > 0)
        self.next_button.setVisible(self.step_index < len(STEPS) - 1)
        self.error.setText("")
        self.offer("", None)
        self.editing = None
        self.draft.clear()
        self.phone.clear()
        self._form_mode()
        self.reload_items()

    def _form_mode(self) -> None:
        editing = self.editing is not None
        item = _(self.step.item_name)
        self.form_label.setText(
            _("Change this {item}").format(item=item)
            if editing
            else _("Add a {item}").format(item=item)
        )
        self.add_button.setText(_("Save change") if editing else _("Add"))
        self.add_button.setAccessibleName(self.add_button.text())
        self.cancel_button.setVisible(editing)

    def reload_items(self) -> None:
        while self.items_box.count():
            entry = self.items_box.takeAt(0)
            widget = entry.widget() if entry is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        items = self.service.plan().for_step(self.step.key)
        self.rows: list[ItemRow] = []
        for n, item in enumerate(items):
            row = ItemRow(item, n == 0, n == len(items) - 1)
            row.edit_button.clicked.connect(lambda _c=False, i=item: self.start_edit(i))
            row.up_button.triggered.connect(lambda _c=False, i=item: self.move_item(i, -1))
            row.down_button.triggered.connect(lambda _c=False, i=item: self.move_item(i, +1))
            row.remove_button.triggered.connect(lambda _c=False, i=item: self.remove(i))
            self.items_box.addWidget(row)
            self.rows.append(row)
        self.empty_items.setVisible(not items)
        tab_order_as_laid_out(self)

    # -- changing items -------------------------------------------------------------------

    def submit(self) -> bool:
        """Add what is typed (or save the change to the item being changed); False, with
        the words kept in the box, when it cannot be."""
        text = self.draft.toPlainText()
        phone = self.phone.text() if self.step.has_phone else None
        editing, key = self.editing, self.step.key
        if editing is not None:
            saved = self.form_ops.run(
                lambda: self.service.update_item(editing.id, text, phone),
                what="items",
                undo_text=_("Saved."),
            )
        else:
            saved = self.form_ops.run(
                lambda: self.service.add_item(key, text, phone),
                what="items",
                undo_text=_("Added."),
            )
        if saved is None:
            return False
        self.editing = None
        self.draft.clear()
        self.phone.clear()
        self._form_mode()
        self.draft.setFocus()
        return True

    def _form_problem(self, message: str) -> None:
        if message and self.draft.toPlainText().strip():
            message = _("{problem} Your words are still in the box.").format(problem=message)
        self.error.setText(message)

    def offer(self, message: str, undo: Callable[[], object] | None) -> None:
        """What just happened, under the form, with Undo after a remove (the editor's own
        undo line: its operations offer undo here)."""
        self.status.setText(message)
        self._undo = undo
        self.undo_button.setVisible(undo is not None)

    def start_edit(self, item: PlanItem) -> None:
        typed = self.draft.toPlainText().strip() or self.phone.text().strip()
        other = self.editing is None or self.editing.id != item.id
        if typed and other and not self.submit():
            return
        self.editing = item
        self.draft.setPlainText(item.text)
        self.phone.setText(item.phone)
        self._form_mode()
        self.draft.setFocus()

    def cancel_edit(self) -> None:
        self.editing = None
        self.draft.clear()
        self.phone.clear()
        self.error.setText("")
        self._form_mode()

    def move_item(self, item: PlanItem, delta: int) -> None:
        if self.ops.run(lambda: self.service.move_item(item.id, delta), what="items") is None:
            self.reload_items()  # it may have gone: show the step as it is

    def remove(self, item: PlanItem) -> None:
        removed = self.ops.run(
            lambda: self.service.delete_item(item.id),
            what="items",
            undo_text=_("Removed from your plan."),
            undo=lambda snapshot: lambda: self.service.restore_item(snapshot),
        )
        if removed is not None and self.editing is not None and self.editing.id == item.id:
            self.cancel_edit()

    def undo_remove(self) -> None:
        action = self._undo
        if action is not None and action() is not None:
            self.offer(_("Put back."), None)

    def _country(self) -> Country:
        return for_country(self._country_code())

    def _country_code(self) -> str:
        return effective_country(self.context.device.help_country)

    def add_helplines(self) -> None:
        code = self._country_code()
        added = self.ops.run(lambda: self.service.add_helplines_for(code), what="items")
        if added is None:
            return
        self.offer(
            ngettext(
                "Added {count} entry. Check them, and change anything you like.",
                "Added {count} entries. Check them, and change anything you like.",
                added,
            ).format(count=added)
            if added
            else _("Those helplines are already in this step."),
            None,
        )


class PlanView(QWidget):
    """The whole plan on one screen, each step a card, numbers large and copyable."""

    edit_step = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.layout_ = QGridLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(12)
        self.layout_.setColumnStretch(0, 1)
        self.layout_.setColumnStretch(1, 1)

        self.cards: list[Card] = []
        self.columns = 2
        #: each card's narrowest width, measured once (its rich-text lists make measuring cost
        #: a few ms a card); forgotten when the cards are made again or the font changes
        self._narrowest: dict[Card, tuple[str, int]] = {}

    def show_plan(self, plan: Plan, *, now: int | None = None) -> list[Callable[[], object]]:
        """Each step a card, in order (laid out by :meth:`set_room`). With ``now``, only the
        first ``now`` cards are made at once; the others are returned as steps, a card each,
        for later turns (each goes straight to its own place: nothing moves)."""
        while self.layout_.count():
            entry = self.layout_.takeAt(0)
            widget = entry.widget() if entry is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.cards = []
        self._narrowest.clear()
        steps = [partial(self._add_card, index, step, plan) for index, step in enumerate(STEPS)]
        while steps and (now is None or len(self.cards) < now):
            steps.pop(0)()
        # each card left measured in a step of its own after it is made, not all of them in
        # the turn that fits the plan to its room (``set_room``: 10-14 ms for seven cards)
        later: list[Callable[[], object]] = []
        for step_ in steps:
            later += [step_, self._measure_last]
        return later

    def _measure_last(self) -> None:
        if self.cards:
            self._narrowest_width(self.cards[-1])

    def _add_card(self, index: int, step: Step, plan: Plan) -> None:
        card = self._card(index, step, plan.for_step(step.key))
        self.cards.append(card)
        self._put(index, card)

    def set_room(self, width: int) -> None:
        """Two columns, read across (1 2 / 3 4 / 5 6 / 7) when ``width`` pixels hold two cards
        side by side with room to read; one column, top to bottom, otherwise (a small laptop,
        a large text size): the plan is never cut off or scrolled sideways."""
        em = self.fontMetrics().horizontalAdvance("M")
        widest = max((self._narrowest_width(card) for card in self.cards), default=0)
        wanted = max(2 * widest + self.layout_.horizontalSpacing(), 66 * em)
        columns = 2 if width >= wanted else 1
        if columns != self.columns:
            self.columns = columns
            self._place()

    def _narrowest_width(self, card: Card) -> int:
        font = card.font().key()
        known = self._narrowest.get(card)
        if known is None or known[0] != font:
            known = self._narrowest[card] = (font, card.minimumSizeHint().width())
        return known[1]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._narrowest.clear()  # a larger text size: the cards need more room
        super().changeEvent(event)

    def _place(self) -> None:
        for card in self.cards:
            self.layout_.removeWidget(card)
        self.layout_.setColumnStretch(1, 1 if self.columns == 2 else 0)
        for index, card in enumerate(self.cards):
            self._put(index, card)

    def _put(self, index: int, card: Card) -> None:
        """Card ``index`` in its place (one card for each of the plan's steps)."""
        if self.columns == 1:
            self.layout_.addWidget(card, index, 0)
            return
        last_alone = index == len(STEPS) - 1 and index % 2 == 0
        self.layout_.addWidget(card, index // 2, index % 2, 1, 2 if last_alone else 1)

    def _card(self, index: int, step: Step, items: list[PlanItem]) -> Card:
        card = Card(f"{step.number}. {_(step.title)}")
        card.body.setSpacing(6)
        card.body.addWidget(label(_(step.question), name="Muted"))
        if not items:
            row_widget = QWidget()
            row = FlowLayout(row_widget, spacing=8)  # wraps when larger text needs the room
            row.addWidget(label(_("Nothing written here yet."), name="Muted", wrap=False))
            add = link_button(_("Add to step {number}").format(number=step.number))
            add.clicked.connect(lambda: self.edit_step.emit(index))
            row.addWidget(add)
            card.body.addWidget(row_widget)
            card.body.addStretch(1)
            return card
        if step.has_phone:
            # each contact read top to bottom: who, then the number large with its copy button
            # (never side by side, so a narrow window or large text cannot push it off)
            for item in items:
                card.body.addWidget(label(item.text))
                if item.phone:
                    line = QHBoxLayout()
                    line.setSpacing(10)
                    number = label(item.phone, wrap=False)
                    font = number.font()
                    font.setPointSizeF(font.pointSizeF() * 1.3)
                    font.setBold(True)
                    number.setFont(font)
                    line.addWidget(number)
                    what = _("number for {name}").format(name=item.text[:40])
                    line.addWidget(CopyButton(item.phone, what))
                    line.addStretch(1)
                    card.body.addLayout(line)
        else:
            for item in items:
                card.body.addWidget(bullet(item.text))
        change = link_button(_("Change step {number}").format(number=step.number))
        change.clicked.connect(lambda: self.edit_step.emit(index))
        card.body.addWidget(change, 0, Qt.AlignmentFlag.AlignLeft)
        card.body.addStretch(1)
        return card


class SafetyPage(Page):
    page_id = "safety"
    refreshed_when_built = True  # built from the plan as it is (not built twice)

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = diary.service(SafetyService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)

        # the title and its buttons side by side, or the buttons under the title when the
        # room is too narrow for both (see _fit); the buttons wrap when larger text needs it
        self.head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.page_title = title(_("Safety plan"))
        self.head.addWidget(self.page_title, 1)
        self.head_buttons = QWidget()
        head_row = FlowLayout(self.head_buttons, spacing=8, one_line_hint=True)
        self.edit_button = QPushButton(icon("mdi6.pencil-outline"), _("Change my plan"))
        self.edit_button.setAccessibleName(_("Change my plan"))
        self.edit_button.clicked.connect(lambda: self.open_editor(0))
        self.print_button = QPushButton(icon("mdi6.printer-outline"), _("Print…"))
        self.print_button.setAccessibleName(_("Print my plan"))
        self.print_button.clicked.connect(self.print_plan)
        self.pdf_button = QPushButton(icon("mdi6.file-pdf-box"), _("Save as PDF…"))
        self.pdf_button.setAccessibleName(_("Save as PDF: my safety plan"))
        self.pdf_button.clicked.connect(self.choose_pdf)
        for button in (self.edit_button, self.print_button, self.pdf_button):
            head_row.addWidget(button)
        self.head.addWidget(self.head_buttons)
        layout.addLayout(self.head)
        layout.addWidget(
            label(
                _(
                    "A plan you write for yourself, for when things get very hard. Use the steps "
                    "in order, as far as you need. If you are in danger right now, use “Get help "
                    "now” or call your local emergency number."
                ),
                name="Muted",
            )
        )

        self.review_notice = Notice("")
        self.review_button = QPushButton(_("I read it through: it still fits"))
        self.review_button.setAccessibleName(_("Mark the plan as reviewed"))
        self.review_button.clicked.connect(self.mark_reviewed)
        self.review_notice.layout().addWidget(self.review_button)  # type: ignore[union-attr]
        layout.addWidget(self.review_notice)
        self.reviewed_label = label("", name="Muted")
        layout.addWidget(self.reviewed_label)
        self.status = StatusLabel("Success", _("Plan status"))
        layout.addWidget(self.status)
        self.error = StatusLabel("Error", _("Problem with the plan"))
        layout.addWidget(self.error)
        self.ops = context.operations("safety", self.error)
        context.changes.listen("safety", self.refresh_when_seen, receiver=self)

        self.stack = CurrentPageStack()
        self.empty = Card(_("A plan for hard moments"))
        self.empty.body.addWidget(
            label(
                _(
                    "A safety plan is a short list in your own words: the signs that a hard time "
                    "is building, things that help, people and places, who to contact, how to make "
                    "your surroundings safer, and what matters most to you. Writing it on a calmer "
                    "day means it is ready when you need it. Many people write theirs with a "
                    "therapist, and you can change it at any time."
                )
            )
        )
        self.start_button = primary_button(_("Start my plan"), "mdi6.pencil-outline")
        self.start_button.clicked.connect(self.start)
        self.empty.body.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._watching = False
        self.view = PlanView()
        self.view.edit_step.connect(self.open_editor)
        #: the guided editor, made when first opened (most visits only read the plan)
        self._editor: StepEditor | None = None
        for widget in (self.empty, self.view):
            self.stack.addWidget(widget)
        layout.addWidget(self.stack)
        layout.addStretch(1)
        # The first cards of the plan now (the first screen); the others one per turn once
        # it is painted (``Page.build_in_steps``), each straight into its place.
        if self.built_ahead:
            # hidden, nobody waits for it: the plan read and the header filled in a step of
            # their own (the constructor's turn was 12-15 ms), then every card in steps
            self.build_in_steps([self._plan_in_steps], budget_ms=STEP_MS)
            return
        rest = self.show_view(first_cards=FIRST_CARDS)
        self.build_in_steps(rest, done=self._fit_plan, after_first_paint=True, budget_ms=STEP_MS)

    def _plan_in_steps(self) -> None:
        """Built ahead: the plan as it is, every card in later steps (``STEP_MS`` each)."""
        rest = self._show_plan(first_cards=0)
        self.build_in_steps(rest, done=self._fit_plan, budget_ms=STEP_MS)

    @property
    def editor(self) -> StepEditor:
        """The guided editor (made now if it has not been opened yet)."""
        if self._editor is None:
            self._editor = StepEditor(self.service, self.context)
            self._editor.done.connect(self.show_view)
            self.stack.addWidget(self._editor)
            self._fit()
        return self._editor

    # -- showing --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """The plan's columns follow the room the window gives the page (its scroll area's
        viewport: the page itself is never narrower than two columns need)."""
        super().showEvent(event)
        viewport = self._viewport()
        if viewport is not None and not self._watching:
            viewport.installEventFilter(self)
            self._watching = True
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _viewport(self) -> QWidget | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent.viewport() if isinstance(parent, QScrollArea) else None

    def _fit_plan(self) -> None:
        """The plan's columns once all its cards are there (the header stays as it is)."""
        if not self.isVisible():  # built ahead, hidden: the header too, at its real width
            self._fit()
            return
        viewport = self._viewport()
        room = viewport.width() if viewport is not None else self.width()
        margins = self.layout().contentsMargins()  # type: ignore[union-attr]
        self.view.set_room(room - margins.left() - margins.right())

    def _fit(self) -> None:
        viewport = self._viewport()
        room = viewport.width() if viewport is not None else self.width()
        margins = self.layout().contentsMargins()  # type: ignore[union-attr]
        room -= margins.left() + margins.right()
        self.view.set_room(room)
        if self._editor is not None:
            self._editor.set_room(room)
        one_line = self.page_title.sizeHint().width() + self.head_buttons.sizeHint().width() + 14
        self.head.setDirection(
            QBoxLayout.Direction.LeftToRight
            if room >= one_line
            else QBoxLayout.Direction.TopToBottom
        )

    def reads_now(self) -> object:
        """Shown again, refreshed only after a change to what it shows: the plan in the diary,
        the day (when a review is due), the theme."""
        return self.diary_day_theme()

    def refresh(self) -> None:
        """Shown, or the plan changed (here, in the editor, or anywhere else)."""
        self.finish_building()  # then the plan is shown again as it is now
        if self._editor is not None and self.stack.currentWidget() is self._editor:
            self._editor.reload_items()
            self._update_header(self.service.plan())
            return
        self.show_view()

    def show_view(self, first_cards: int | None = None) -> list[Callable[[], object]]:
        """The plan as it is (with ``first_cards``, only so many cards now: the others are
        returned as steps for later turns)."""
        self.finish_building()  # (cards still to come would be of the plan as it was)
        return self._show_plan(first_cards)

    def _show_plan(self, first_cards: int | None) -> list[Callable[[], object]]:
        plan = self.service.plan()
        self._update_header(plan)
        rest: list[Callable[[], object]] = []
        if plan.is_empty:
            self.stack.setCurrentWidget(self.empty)
        else:
            rest = self.view.show_plan(plan, now=first_cards)
            self._fit()
            self.stack.setCurrentWidget(self.view)
        self.edit_button.setVisible(not plan.is_empty)
        self.stack.adjustSize()
        return rest

    def _update_header(self, plan: Plan) -> None:
        has_plan = not plan.is_empty
        self.print_button.setEnabled(has_plan)
        self.pdf_button.setEnabled(has_plan)
        reviewed = plan.reviewed_on
        due = plan.review_due(date.today())
        self.review_notice.setVisible(due)
        if due and reviewed is not None:
            self.review_notice.text.setText(
                _(
                    "You last looked over your plan on {date}. When you feel up to it, read it "
                    "through and change anything that no longer fits."
                ).format(date=format_date(reviewed, "long"))
            )
        elif due:
            self.review_notice.text.setText(
                _(
                    "When you feel up to it, read your plan through and change anything that "
                    "no longer fits."
                )
            )
        self.reviewed_label.setVisible(has_plan and not due)
        if reviewed is not None:
            self.reviewed_label.setText(
                _(
                    "Last reviewed {date}. Looking over it every month or two keeps it useful."
                ).format(date=format_date(reviewed, "long"))
            )

    def open_editor(self, index: int = 0) -> None:
        self.status.setText("")
        self.stack.setCurrentWidget(self.editor)
        self.edit_button.setVisible(False)
        self.editor.step_index = -1
        self.editor.go(index)
        self.stack.adjustSize()

    def start(self) -> None:
        """Begin a plan: the crisis lines for the person's country are filled in for step 5."""
        self.editor.add_helplines()
        self.open_editor(0)

    def mark_reviewed(self) -> None:
        if self.ops.run(self.service.mark_reviewed, what="reviewed") is not None:
            self.status.setText(_("Thank you. Marked as reviewed today."))

    # -- paper ----------------------------------------------------------------------------

    def choose_pdf(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save safety plan as PDF"), "my-safety-plan.pdf", _("PDF (*.pdf)")
        )
        if name:
            self.save_pdf(Path(name))

    def save_pdf(self, path: Path) -> Path | None:
        from companion.reports.pdf import safety_plan_document, write_pdf

        try:
            written = write_pdf(
                safety_plan_document(self.service.plan(), today=date.today()),
                path,
                _("Safety plan"),
            )
        except OSError:
            self.status.setText("")
            self.error.setText(_("The PDF could not be saved there. Please choose another place."))
            return None
        self.error.setText("")
        self.status.setText(
            _("Saved as {name}. The PDF is not encrypted: keep it somewhere private.").format(
                name=written.name
            )
        )
        return written

    def print_plan(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from companion.reports.pdf import safety_plan_document

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            safety_plan_document(self.service.plan(), today=date.today()).print_(printer)
            self.status.setText(_("Sent to the printer."))

    def before_lock(self) -> None:
        """Words typed into the editor but not yet added are added before the diary locks."""
        editor = self._editor  # (one never opened holds nothing typed)
        if editor is not None and (editor.isVisible() or editor.draft.toPlainText().strip()):
            editor._keep_draft()

    def open_item(self, item_id: str) -> bool:
        return False
