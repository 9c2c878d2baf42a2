"""Write your own exercise: a plain step list, or the full text a therapist may hand over.

The simple form covers what most people need (a name, what it is for, steps with optional
timings, cautions). Exercises that use more of the schema (versions, a breathing pacer,
sources) open as text, which is validated by the same parser as the bundled files before
anything is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.content.exercise_toml import ExerciseDraft
from companion.content.exercises import CATEGORIES, Exercise
from companion.core.exercises.custom import CustomEntry, CustomExerciseService
from companion.i18n import N_, _, pgettext
from companion.ui import theme
from companion.ui.help_access import HelpfulDialog
from companion.ui.widgets.common import (
    StatusLabel,
    icon,
    label,
    link_button,
    primary_button,
    scroll_area,
)

if TYPE_CHECKING:
    from companion.ui.pages import AppContext

#: the kinds of exercise, as the library's headings and the form's list name them
CATEGORY_NAMES = {
    # (not plain "Grounding": that is the page's own title, right above the library)
    "grounding": N_("Grounding with your senses"),
    "breathing": N_("Breathing"),
    "relaxation": N_("Relaxation"),
    "imagery": N_("Imagery"),
    "soothing": N_("Soothing"),
}


def is_simple(exercise: Exercise) -> bool:
    """True when the simple form can show everything in the exercise without losing any of it."""
    return (
        exercise.pacer is None
        and len(exercise.variants) == 1
        and not exercise.variant_labels
        and not exercise.sources
        and exercise.eyes_open
        and exercise.default_ok
        and not any(s.pacer for s in exercise.steps)
    )


class StepRow(QWidget):
    """One step: its text, how long it lasts (0 = waits for Next), and a remove button."""

    def __init__(self, number: int, text: str = "", seconds: int = 0) -> None:
        super().__init__()
        # large text: the text on a line of its own, its timing and remove button under it
        # (side by side they are wider than a small screen at 200%)
        stacked = theme.text_scale() >= 1.5
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        row = QHBoxLayout()
        outer.addLayout(row)
        below = QHBoxLayout() if stacked else row
        if stacked:
            outer.addLayout(below)
        self.number = label("", wrap=False)
        self.number.setMinimumWidth(24)
        self.text = QLineEdit(text)
        self.text.setMaxLength(500)
        self.text.setPlaceholderText(
            _("One calm invitation, e.g. “Notice your feet on the floor.”")
        )
        self.seconds = QSpinBox()
        self.seconds.setRange(0, 3600)
        self.seconds.setSingleStep(5)
        self.seconds.setSuffix(pgettext("after a number of seconds", " s"))
        self.seconds.setSpecialValueText(_("waits for Next"))
        self.seconds.setValue(seconds)
        self.seconds.setMinimumWidth(130)
        self.remove = QPushButton(icon("mdi6.close"), "")
        self.remove.setToolTip(_("Remove this step"))
        row.addWidget(self.number)
        row.addWidget(self.text, 1)
        if stacked:
            below.addSpacing(self.number.minimumWidth() + row.spacing())
        below.addWidget(self.seconds)
        below.addWidget(self.remove)
        if stacked:
            below.addStretch(1)
        self.renumber(number)

    def renumber(self, number: int) -> None:
        self.number.setText(f"{number}.")
        self.text.setAccessibleName(_("Step {number}").format(number=number))
        self.seconds.setAccessibleName(
            _("Seconds for step {number} (0 waits for Next)").format(number=number)
        )
        self.remove.setAccessibleName(_("Remove step {number}").format(number=number))


class ExerciseEditor(HelpfulDialog):
    """Create or change one of the person's own exercises. ``saved`` holds the result."""

    def __init__(
        self,
        custom: CustomExerciseService,
        context: AppContext,
        entry: CustomEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.custom = custom
        self.entry = entry
        self.saved: CustomEntry | None = None
        self.setWindowTitle(_("Your own exercise"))
        self.setMinimumSize(680, 560)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            label(
                _(
                    "Write the steps in your own words, or the words your therapist gave you. "
                    "Invitations work better than orders: “If you like, notice…”. Each step "
                    "can wait for you to press Next, or move on after some seconds."
                )
            )
        )
        self.modes = QStackedWidget()
        layout.addWidget(self.modes, 1)
        self.modes.addWidget(self._form())
        self.modes.addWidget(self._text_mode())
        self.error = StatusLabel("Error", _("Problem with the exercise"))
        layout.addWidget(self.error)
        self.ops = context.operations("exercises", self.error)
        buttons = QHBoxLayout()
        self.as_text_button = link_button(_("Edit as text instead"))
        self.as_text_button.clicked.connect(self.switch_to_text)
        buttons.addWidget(self.as_text_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = primary_button(_("Save exercise"), "mdi6.content-save-outline")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

        if entry is None:
            for _row in range(3):
                self.add_step()
        elif entry.exercise is not None and is_simple(entry.exercise):
            self._load(entry.exercise)
        else:
            self.text_edit.setPlainText(entry.text)
            self.text_note.setText(
                _(
                    "This exercise uses more than the simple form shows (such as versions, a "
                    "breathing pacer or sources), so it opens as text."
                )
                if entry.exercise is not None
                else needs_fixing(entry)
            )
            self.text_note.show()
            self._show_text()

    # -- the simple form -----------------------------------------------------------------------

    def _form(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        wrap = QFormLayout.RowWrapPolicy  # large text: each field under its label
        form.setRowWrapPolicy(wrap.WrapAllRows if theme.text_scale() >= 1.5 else wrap.WrapLongRows)
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.name.setAccessibleName(_("Name of the exercise"))
        self.name.setPlaceholderText(_("e.g. Evening wind-down"))
        form.addRow(_("Name"), self.name)
        self.purpose = QPlainTextEdit()
        self.purpose.setAccessibleName(_("What it is for"))
        self.purpose.setPlaceholderText(_("When it helps, in a sentence or two (optional)"))
        self.purpose.setTabChangesFocus(True)
        self.purpose.setFixedHeight(64)
        form.addRow(_("What it is for"), self.purpose)
        self.category = QComboBox()
        self.category.setAccessibleName(_("Kind of exercise"))
        for key in CATEGORIES:
            self.category.addItem(_(CATEGORY_NAMES[key]), key)
        form.addRow(_("Kind"), self.category)
        layout.addLayout(form)
        layout.addWidget(label(_("Steps"), name="CardTitle"))
        self.step_rows: list[StepRow] = []
        self.steps_box = QVBoxLayout()
        self.steps_box.setSpacing(6)
        holder = QWidget()
        holder.setLayout(self.steps_box)
        scroller = scroll_area()
        scroller.setWidgetResizable(True)
        scroller.setAccessibleName(_("Steps"))
        scroller.setWidget(holder)
        scroller.setMinimumHeight(160)
        layout.addWidget(scroller, 1)
        self.steps_box.addStretch(1)
        self.add_button = QPushButton(icon("mdi6.plus"), _("Add a step"))
        self.add_button.setAccessibleName(_("Add a step"))
        self.add_button.clicked.connect(lambda: self.add_step(focus=True))
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(label(_("Cautions (optional, one per line)"), name="Muted"))
        self.cautions = QPlainTextEdit()
        self.cautions.setAccessibleName(_("Cautions, one per line"))
        self.cautions.setPlaceholderText(_("e.g. Skip any step that doesn't feel right."))
        self.cautions.setTabChangesFocus(True)
        self.cautions.setFixedHeight(56)
        layout.addWidget(self.cautions)
        return page

    def add_step(self, text: str = "", seconds: int = 0, *, focus: bool = False) -> StepRow:
        row = StepRow(len(self.step_rows) + 1, text, seconds)
        row.remove.clicked.connect(lambda: self.remove_step(row))
        self.step_rows.append(row)
        self.steps_box.insertWidget(len(self.step_rows) - 1, row)
        if focus:
            row.text.setFocus()
        return row

    def remove_step(self, row: StepRow) -> None:
        if row in self.step_rows:
            self.step_rows.remove(row)
            row.setParent(None)
            row.deleteLater()
            for number, other in enumerate(self.step_rows, start=1):
                other.renumber(number)

    def _load(self, exercise: Exercise) -> None:
        self.name.setText(exercise.title)
        self.purpose.setPlainText(exercise.purpose)
        self.category.setCurrentIndex(max(0, self.category.findData(exercise.category)))
        for step in exercise.steps:
            self.add_step(step.text, step.seconds)
        self.cautions.setPlainText("\n".join(exercise.cautions))

    def draft(self) -> ExerciseDraft:
        return ExerciseDraft(
            title=self.name.text(),
            purpose=self.purpose.toPlainText(),
            category=str(self.category.currentData()),
            steps=[(r.text.text(), r.seconds.value()) for r in self.step_rows],
            cautions=self.cautions.toPlainText().splitlines(),
        )

    # -- as text -------------------------------------------------------------------------------

    def _text_mode(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text_note = label("", name="Muted")
        self.text_note.hide()
        layout.addWidget(self.text_note)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName(_("The exercise as text"))
        self.text_edit.setTabChangesFocus(True)
        mono = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text_edit.setFont(mono)
        layout.addWidget(self.text_edit, 1)
        return page

    def _show_text(self) -> None:
        self.modes.setCurrentIndex(1)
        self.as_text_button.hide()
        self.text_edit.setFocus()

    def switch_to_text(self) -> None:
        """Turn the form into text (it must be valid first, so nothing is lost)."""
        text = self.ops.run(self._form_text, announce=False)
        if text is not None:
            self.text_edit.setPlainText(text)
            self._show_text()

    def _form_text(self) -> str:
        return self.custom.draft_to_toml(self.draft(), keep_id=self._keep_id())

    def _keep_id(self) -> str | None:
        return self.entry.slug if self.entry is not None else None

    # -- saving --------------------------------------------------------------------------------

    def save(self) -> None:
        saved = self.ops.run(self._save, what="custom")
        if saved is not None:
            self.saved = saved
            self.accept()

    def _save(self) -> CustomEntry:
        text = self._form_text() if self.modes.currentIndex() == 0 else self.text_edit.toPlainText()
        if self.entry is None:
            return self.custom.add(text)
        return self.custom.update(self.entry.id, text)


def needs_fixing(entry: CustomEntry) -> str:
    """Why one of the person's exercises cannot be used as it is."""
    return _("This exercise needs fixing before it can be used: {problem}").format(
        problem=entry.problem
    )
