"""Write a plan: the Reports page's tab for therapists, on their own copy of Companion.

It needs no diary data: a title, who it is from, the first day and how many weeks, an
optional message, and tasks (check-ins, an exercise, pages to read, a questionnaire on a
schedule, anything else in the author's words). An exercise of the author's own is carried in
the file. Saving checks the plan with the same reader the person's copy uses
(``companion.core.homework.compose``) and writes it through the private-write helper.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion import i18n
from companion.content.articles import load_articles
from companion.content.exercises import load_exercises
from companion.content.questionnaires import load_questionnaires
from companion.core.exercises.custom import CustomExerciseService
from companion.core.homework.compose import PlanDraft, TaskDraft, compose, save_plan
from companion.core.homework.plan import MAX_TASKS, Plan, new_plan_id
from companion.core.timekeeping import local_now
from companion.i18n import N_, _
from companion.ui.pages import AppContext
from companion.ui.widgets.common import (
    Card,
    StatusLabel,
    icon,
    label,
    primary_button,
    scroll_area,
    tab_order_as_laid_out,
)

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

KINDS: tuple[tuple[str, str], ...] = (
    ("check-in", N_("Check-ins")),
    ("exercise", N_("An exercise")),
    ("read", N_("Pages to read")),
    ("questionnaire", N_("A questionnaire")),
    ("free-text", N_("Something else, in your words")),
)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _times(limit: int, value: int) -> tuple[QSpinBox, QComboBox]:
    times = QSpinBox()
    times.setRange(1, limit)
    times.setValue(value)
    times.setAccessibleName(_("How many times"))
    per = QComboBox()
    per.addItem(_("a day"), "day")
    per.addItem(_("a week"), "week")
    per.setAccessibleName(_("A day or a week"))
    return times, per


class TaskEditor(QFrame):
    """One task of the plan being written."""

    def __init__(self, kind: str, composer: Composer) -> None:
        super().__init__()
        self.kind = kind
        self.setObjectName("Card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        head = QHBoxLayout()
        words = next(i18n._(w) for k, w in KINDS if k == kind)
        self.heading = label(words, name="CardTitle")
        head.addWidget(self.heading, 1)
        self.remove_button = QPushButton(icon("mdi6.close"), "")
        self.remove_button.setAccessibleName(_("Remove this task"))
        self.remove_button.setToolTip(_("Remove this task"))
        self.remove_button.clicked.connect(lambda: composer.remove_task(self))
        head.addWidget(self.remove_button)
        layout.addLayout(head)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        self.times: QSpinBox | None = None
        self.per: QComboBox | None = None
        self.exercise: QComboBox | None = None
        self.pages: QListWidget | None = None
        self.questionnaire: QComboBox | None = None
        self.every: QSpinBox | None = None
        self.text: QLineEdit | None = None
        self.how_often: QCheckBox | None = None
        if kind in ("check-in", "exercise", "free-text"):
            self.times, self.per = _times(
                10 if kind != "exercise" else 5, 2 if kind == "check-in" else 3
            )
            self.per.setCurrentIndex(0 if kind == "check-in" else 1)
        if kind == "exercise":
            self.exercise = QComboBox()
            self.exercise.setAccessibleName(_("Exercise"))
            for exercise_id, title in composer.exercise_choices():
                self.exercise.addItem(title, exercise_id)
            form.addRow(_("Exercise"), self.exercise)
        if kind == "read":
            self.pages = QListWidget()
            self.pages.setAccessibleName(_("Learn pages to read"))
            self.pages.setMaximumHeight(150)
            for article in load_articles():
                item = QListWidgetItem(article.title)
                item.setData(Qt.ItemDataRole.UserRole, article.slug)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.pages.addItem(item)
            form.addRow(_("Pages"), self.pages)
        if kind == "questionnaire":
            self.questionnaire = QComboBox()
            self.questionnaire.setAccessibleName(_("Questionnaire"))
            self.every = QSpinBox()
            self.every.setRange(1, 52)
            self.every.setValue(2)
            self.every.setAccessibleName(_("Every how many weeks"))
            self.every.setSuffix(_(" weeks"))
            for q in load_questionnaires():
                if q.min_interval_days > 0:  # the ACE is answered once, never on a schedule
                    self.questionnaire.addItem(q.name, (q.id, -(-q.min_interval_days // 7)))
            self.questionnaire.currentIndexChanged.connect(self._shortest)
            self._shortest()
            form.addRow(_("Questionnaire"), self.questionnaire)
            form.addRow(_("Every"), self.every)
        if kind == "free-text":
            self.text = QLineEdit()
            self.text.setMaxLength(500)
            self.text.setPlaceholderText(_("e.g. A ten-minute walk after lunch"))
            self.text.setAccessibleName(_("What to do"))
            form.addRow(_("What"), self.text)
            self.how_often = QCheckBox(_("A number of times"))
            self.how_often.setAccessibleName(_("Ask for it a number of times"))
            self.how_often.setChecked(True)
            form.addRow("", self.how_often)
        if self.times is not None and self.per is not None:
            row = QHBoxLayout()
            row.addWidget(self.times)
            row.addWidget(self.per)
            row.addStretch(1)
            form.addRow(_("How often"), row)
            if self.how_often is not None:
                self.how_often.toggled.connect(self.times.setEnabled)
                self.how_often.toggled.connect(self.per.setEnabled)
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(_("Optional: a note in your words"))
        self.note.setAccessibleName(_("Note on this task"))
        form.addRow(_("Note"), self.note)

    def _shortest(self) -> None:
        if self.questionnaire is None or self.every is None:
            return
        data = self.questionnaire.currentData()
        if data:
            self.every.setMinimum(int(data[1]))

    def draft(self) -> TaskDraft:
        times = self.times.value() if self.times is not None else None
        per = self.per.currentData() if self.per is not None else None
        if self.how_often is not None and not self.how_often.isChecked():
            times = per = None
        pages: tuple[str, ...] = ()
        if self.pages is not None:
            pages = tuple(
                str(self.pages.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.pages.count())
                if self.pages.item(i).checkState() == Qt.CheckState.Checked
            )
        questionnaire = ""
        if self.questionnaire is not None and self.questionnaire.currentData():
            questionnaire = str(self.questionnaire.currentData()[0])
        return TaskDraft(
            kind=self.kind,
            times=times,
            per=per,
            exercise=str(self.exercise.currentData() or "") if self.exercise else "",
            pages=pages,
            questionnaire=questionnaire,
            every_weeks=self.every.value() if self.every is not None else None,
            text=self.text.text() if self.text is not None else "",
            note=self.note.text(),
        )


class Composer(QWidget):
    """The "Write a plan" tab."""

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.exercises = diary.service(CustomExerciseService)
        self.plan_id = new_plan_id()
        self.saved: Path | None = None
        self.editors: list[TaskEditor] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 12, 0, 0)
        area = scroll_area()
        area.setAccessibleName(_("What goes into the report"))
        area.setWidgetResizable(True)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(12)
        column.addWidget(
            label(
                _(
                    "For therapists: write a homework plan and save it as a file to give to "
                    "the person. It holds only what you type here, nothing from this diary. "
                    "They see what it asks and decide whether to accept it; Companion then "
                    "counts their progress from what they log."
                ),
                name="Muted",
            )
        )
        about = Card(_("The plan"))
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(120)
        self.title_edit.setPlaceholderText(_("e.g. Between our sessions"))
        self.title_edit.setAccessibleName(_("Title of the plan"))
        form.addRow(_("Title"), self.title_edit)
        self.author = QLineEdit()
        self.author.setMaxLength(80)
        self.author.setPlaceholderText(_("The name you want the person to see"))
        self.author.setAccessibleName(_("From"))
        form.addRow(_("From"), self.author)
        today = local_now().date()
        self.starts = QDateEdit(_qdate(today + timedelta(days=1)))
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("d MMM yyyy")
        self.starts.setAccessibleName(_("First day"))
        form.addRow(_("First day"), self.starts)
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 52)
        self.weeks.setValue(2)
        self.weeks.setSuffix(_(" weeks"))
        self.weeks.setAccessibleName(_("Lasts: how many weeks"))
        form.addRow(_("Lasts"), self.weeks)
        self.message = QPlainTextEdit()
        self.message.setPlaceholderText(_("Optional: a few words for the person"))
        self.message.setAccessibleName(_("Message"))
        self.message.setMaximumHeight(80)
        form.addRow(_("Message"), self.message)
        about.body.addLayout(form)
        column.addWidget(about)
        self.tasks_card = Card(_("Tasks"))
        self.task_column = QVBoxLayout()
        self.task_column.setSpacing(10)
        self.tasks_card.body.addLayout(self.task_column)
        self.add_button = QPushButton(icon("mdi6.plus"), _("Add a task"))
        self.add_button.setAccessibleName(_("Add a task to the plan"))
        menu = QMenu(self.add_button)
        for kind, words in KINDS:
            action = menu.addAction(i18n._(words))
            action.triggered.connect(lambda _on=False, k=kind: self.add_task(k))
        self.add_button.setMenu(menu)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.tasks_card.body.addLayout(row)
        column.addWidget(self.tasks_card)
        column.addStretch(1)
        area.setWidget(body)
        outer.addWidget(area, 1)
        self.status = StatusLabel(name="Error", accessible_name=_("Problem with the plan"))
        outer.addWidget(self.status)
        self.done = StatusLabel(accessible_name=_("Plan saved"))
        outer.addWidget(self.done)
        buttons = QHBoxLayout()
        self.save_button = primary_button(_("Save the plan file…"), "mdi6.content-save-outline")
        self.save_button.clicked.connect(self.choose_file)
        self.new_button = QPushButton(_("Start a new plan"))
        self.new_button.setAccessibleName(_("Clear the form and start a new plan"))
        self.new_button.clicked.connect(self.reset)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.ops = context.operations("homework", self.status)
        self.add_task("check-in")

    # -- tasks -------------------------------------------------------------------------------

    def exercise_choices(self) -> list[tuple[str, str]]:
        """Bundled exercises, then the author's own (those travel in the plan file)."""
        out = [(e.id, e.title) for e in load_exercises()]
        for entry in self.exercises.entries():
            if entry.exercise is not None:
                out.append(
                    (
                        entry.exercise.id,
                        _("{title} (your own: carried in the plan)").format(
                            title=entry.exercise.title
                        ),
                    )
                )
        return out

    def add_task(self, kind: str) -> TaskEditor | None:
        if len(self.editors) >= MAX_TASKS:
            self.status.setText(_("A plan can hold at most {count} tasks.").format(count=MAX_TASKS))
            return None
        editor = TaskEditor(kind, self)
        self.editors.append(editor)
        self.task_column.addWidget(editor)
        tab_order_as_laid_out(self)
        return editor

    def remove_task(self, editor: TaskEditor) -> None:
        self.editors.remove(editor)
        editor.hide()
        editor.deleteLater()

    def reset(self) -> None:
        for editor in list(self.editors):
            self.remove_task(editor)
        self.title_edit.clear()
        self.message.clear()
        self.plan_id = new_plan_id()
        self.saved = None
        self.status.setText("")
        self.done.setText("")
        self.add_task("check-in")

    # -- saving ------------------------------------------------------------------------------

    def draft(self) -> PlanDraft:
        start = self.starts.date().toPython()
        assert isinstance(start, date)
        return PlanDraft(
            title=self.title_edit.text(),
            author=self.author.text(),
            starts=start,
            weeks=self.weeks.value(),
            message=self.message.toPlainText(),
            tasks=tuple(e.draft() for e in self.editors),
        )

    def plan(self) -> Plan | None:
        """The plan the form describes, or None (and the reason shown) if it is not one."""
        own = {e.exercise.id: e.text for e in self.exercises.entries() if e.exercise}
        return self.ops.run(lambda: compose(self.draft(), self.plan_id, own), announce=False)

    def choose_file(self) -> None:
        plan = self.plan()
        if plan is None:
            return
        name, _chosen = QFileDialog.getSaveFileName(
            self,
            _("Save the plan file"),
            str(Path.home() / "homework-plan.toml"),
            _("Companion homework plans (*.toml)"),
        )
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(".toml")
            self.save_to(path, replace=path.exists())

    def save_to(self, path: Path, *, replace: bool = False) -> Path | None:
        plan = self.plan()
        if plan is None:
            return None
        written = self.ops.run(lambda: save_plan(plan, path, replace=replace), announce=False)
        self.done.setText("")
        if written is not None:
            self.saved = written
            self.done.setText(
                _("Saved {name}. Give it to the person; they open it in Companion.").format(
                    name=written.name
                )
            )
        return written
