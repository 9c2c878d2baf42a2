"""Grounding: the exercise library by kind, favourites, your own exercises, and practice history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.content.exercises import CATEGORIES, Exercise
from companion.core.errors import ImportFileError, ValidationError
from companion.core.exercises.service import (
    CustomEntry,
    ExerciseService,
    read_exercise_file,
    save_exercise_file,
)
from companion.core.session import OpenDiary
from companion.storage.errors import VaultError
from companion.ui.exercises.editor import CATEGORY_NAMES, ExerciseEditor
from companion.ui.exercises.history import EffectTable, WeeklyChart
from companion.ui.exercises.launch import ground_me_now, start_exercise
from companion.ui.exercises.player import minutes_text
from companion.ui.pages import AppContext, Page
from companion.ui.widgets.common import (
    Card,
    StatusLabel,
    icon,
    label,
    link_button,
    primary_button,
    title,
)
from companion.ui.widgets.undo_bar import UndoBar

CATEGORY_INTROS = {
    "grounding": "Bring your attention back to the here and now.",
    "breathing": "Slow, gentle breathing with a pacer to follow.",
    "relaxation": "Let the body soften, a little at a time.",
    "imagery": "A calm picture to come back to.",
    "soothing": "Comfort from things you choose yourself.",
}
FILE_FILTER = "Exercise files (*.toml);;All files (*)"


class ExerciseCard(Card):
    """One exercise: what it is, how long, and Start; purpose, cautions and sources on request."""

    def __init__(
        self,
        page: ExercisesPage,
        exercise: Exercise,
        *,
        favourite: bool,
        first: bool,
        entry: CustomEntry | None = None,
    ) -> None:
        super().__init__(exercise.title)
        self.exercise = exercise
        self.setAccessibleName(exercise.title)
        self.body.addWidget(label(exercise.summary))
        meta = minutes_text(exercise.duration_minutes)
        if first:
            meta += " · starts with “Ground me now”"
        self.body.addWidget(label(meta, name="Muted"))
        if not exercise.default_ok:
            self.body.addWidget(label("Please read its cautions before you try it.", name="Muted"))

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 4, 0, 4)
        details.addWidget(label(exercise.purpose))
        if exercise.cautions:
            details.addWidget(label("Good to know", name="CardTitle"))
            for caution in exercise.cautions:
                details.addWidget(label(f"•  {caution}"))
        if exercise.sources:
            sources = "; ".join(
                f'<a href="{s.url}">{s.text}</a>' if s.url else s.text for s in exercise.sources
            )
            source_label = label(f"Sources: {sources}", name="Muted")
            source_label.setTextFormat(Qt.TextFormat.RichText)
            source_label.setOpenExternalLinks(False)
            source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            details.addWidget(source_label)
        self.details.hide()
        self.body.addWidget(self.details)

        row = QHBoxLayout()
        self.start_button = primary_button("Start", "mdi6.play")
        self.start_button.setAccessibleName(f"Start {exercise.title}")
        self.start_button.clicked.connect(lambda: page.start(exercise.id))
        row.addWidget(self.start_button)
        self.more_button = QPushButton(icon("mdi6.information-outline"), "About this exercise")
        self.more_button.setCheckable(True)
        self.more_button.setAccessibleName(f"About {exercise.title}")
        self.more_button.toggled.connect(self.details.setVisible)
        row.addWidget(self.more_button)
        self.favourite_button = QPushButton(
            icon("mdi6.star" if favourite else "mdi6.star-outline"),
            "Favourite" if favourite else "Add to favourites",
        )
        self.favourite_button.setCheckable(True)
        self.favourite_button.setChecked(favourite)
        self.favourite_button.setAccessibleName(
            f"{exercise.title} is a favourite"
            if favourite
            else f"Add {exercise.title} to favourites"
        )
        self.favourite_button.toggled.connect(lambda on: page.set_favourite(exercise.id, on))
        row.addWidget(self.favourite_button)
        if favourite and not first:
            self.first_button = link_button("Use for “Ground me now”")
            self.first_button.setAccessibleName(f"Use {exercise.title} for Ground me now")
            self.first_button.clicked.connect(lambda: page.make_first(exercise.id))
            row.addWidget(self.first_button)
        row.addStretch(1)
        self.body.addLayout(row)
        if entry is not None:
            own = QHBoxLayout()
            edit = QPushButton(icon("mdi6.pencil-outline"), "Edit")
            edit.setAccessibleName(f"Edit {exercise.title}")
            edit.clicked.connect(lambda: page.edit(entry))
            save = QPushButton(icon("mdi6.file-export-outline"), "Save to a file")
            save.setAccessibleName(f"Save {exercise.title} to a file")
            save.clicked.connect(lambda: page.save_to_file(entry))
            remove = QPushButton(icon("mdi6.trash-can-outline"), "Remove")
            remove.setAccessibleName(f"Remove {exercise.title}")
            remove.clicked.connect(lambda: page.remove(entry))
            for button in (edit, save, remove):
                own.addWidget(button)
            own.addStretch(1)
            self.body.addLayout(own)


class ExercisesPage(Page):
    page_id = "exercises"

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = ExerciseService(diary.db)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)
        layout.addWidget(title("Grounding"))
        layout.addWidget(
            label(
                "Short exercises for hard moments, and for practice when things are calmer. "
                "Every one can be paused or stopped at any time. They are coping skills, "
                "not a treatment on their own."
            )
        )
        self.undo_bar = UndoBar()
        layout.addWidget(self.undo_bar)
        self.status = StatusLabel("Error", "Problem")
        layout.addWidget(self.status)
        self.ops = context.operations("exercises", self.status, undo=self.undo_bar)
        context.changes.listen("exercises", lambda _change: self.refresh(), receiver=self)

        quick = Card("Ground me now")
        self.quick_text = label("")
        quick.body.addWidget(self.quick_text)
        row = QHBoxLayout()
        self.ground_button = primary_button("Ground me now", "mdi6.hand-heart-outline")
        self.ground_button.setToolTip("Start straight away (Ctrl+G, from any page)")
        self.ground_button.clicked.connect(self.ground_now)
        row.addWidget(self.ground_button)
        row.addStretch(1)
        quick.body.addLayout(row)
        layout.addWidget(quick)

        self.sections = QVBoxLayout()
        self.sections.setSpacing(12)
        layout.addLayout(self.sections)

        own = Card("Your own exercises")
        own.body.addWidget(
            label(
                "Write your own step list, or open a file your therapist gave you. Your "
                "exercises are kept inside your encrypted diary.",
                name="Muted",
            )
        )
        row = QHBoxLayout()
        self.write_button = QPushButton(icon("mdi6.pencil-plus-outline"), "Write your own")
        self.write_button.setAccessibleName("Write your own exercise")
        self.write_button.clicked.connect(lambda: self.edit(None))
        self.open_button = QPushButton(icon("mdi6.folder-open-outline"), "Open from a file…")
        self.open_button.setAccessibleName("Open an exercise from a file")
        self.open_button.clicked.connect(self.open_file)
        row.addWidget(self.write_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        own.body.addLayout(row)
        self.own_list = QVBoxLayout()
        self.own_list.setSpacing(10)
        own.body.addLayout(self.own_list)
        self.own_card = own

        history = Card("Practice and how it went")
        self.weekly = WeeklyChart()
        history.body.addWidget(self.weekly)
        history.body.addWidget(label("Distress before and after, per exercise", name="CardTitle"))
        history.body.addWidget(
            label(
                "From the sessions where you rated distress both before and after. The rating "
                "is a rough personal gauge, not a precise measure, and a session that didn't "
                "change it is not a failure.",
                name="Muted",
            )
        )
        self.effects = EffectTable()
        history.body.addWidget(self.effects)
        self.no_effects = label("No ratings yet. They are always optional.", name="Muted")
        history.body.addWidget(self.no_effects)
        self.history_card = history

        self.tail = QVBoxLayout()
        self.tail.setSpacing(16)
        self.tail.addWidget(own)
        self.tail.addWidget(history)
        layout.addLayout(self.tail)
        layout.addStretch(1)
        self.cards: dict[str, ExerciseCard] = {}
        self.refresh()

    # -- showing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        favourites = self.service.favourites()
        first = favourites[0] if favourites else None
        chosen = self.service.ground_me_now_id()
        self.quick_text.setText(
            f"Starts “{self.service.title_of(chosen)}” straight away, from any page "
            "(Ctrl+G). "
            + (
                "It is your first favourite."
                if first
                else "Mark a favourite below to choose a different one."
            )
        )
        self._clear(self.sections)
        self._clear(self.own_list)
        self.cards = {}
        custom = self.service.custom_exercises()
        by_id = {c.slug: c for c in custom}
        if favourites:
            self.sections.addWidget(label("Your favourites", name="CardTitle"))
            for exercise_id in favourites:
                found = self.service.find(exercise_id)
                if found is not None:
                    self._add_card(
                        self.sections, found[0], favourites, first, by_id.get(exercise_id)
                    )
        library = [e for e in self.service.library() if e.id not in favourites]
        for category in CATEGORIES:
            members = [e for e in library if e.category == category and e.id not in by_id]
            if not members:
                continue
            self.sections.addWidget(label(CATEGORY_NAMES[category], name="CardTitle"))
            self.sections.addWidget(label(CATEGORY_INTROS[category], name="Muted"))
            for exercise in members:
                self._add_card(self.sections, exercise, favourites, first, None)
        for entry in custom:
            if entry.exercise is None:
                broken = Card(entry.slug)
                broken.body.addWidget(
                    label(f"This exercise needs fixing before it can be used: {entry.problem}")
                )
                fix = QPushButton(icon("mdi6.pencil-outline"), "Fix it")
                fix.setAccessibleName(f"Fix {entry.slug}")
                fix.clicked.connect(lambda _=False, e=entry: self.edit(e))
                broken.body.addWidget(fix, 0, Qt.AlignmentFlag.AlignLeft)
                self.own_list.addWidget(broken)
            elif entry.slug not in favourites:
                self._add_card(self.own_list, entry.exercise, favourites, first, entry)
        self.weekly.set_weeks(self.service.weekly_counts(12))
        effects = self.service.effects()
        self.effects.set_effects(effects, self.service.title_of)
        self.effects.setVisible(bool(effects))
        self.no_effects.setVisible(not effects)

    def _add_card(
        self,
        layout: QVBoxLayout,
        exercise: Exercise,
        favourites: list[str],
        first: str | None,
        entry: CustomEntry | None,
    ) -> None:
        card = ExerciseCard(
            self,
            exercise,
            favourite=exercise.id in favourites,
            first=exercise.id == first,
            entry=entry,
        )
        self.cards[exercise.id] = card
        layout.addWidget(card)

    @staticmethod
    def _clear(layout: QVBoxLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()

    def open_item(self, item_id: str) -> bool:
        """A ``companion:exercise/<id>`` link: show that exercise's start screen."""
        if self.service.find(item_id) is None:
            return False
        self.start(item_id)
        return True

    # -- actions -------------------------------------------------------------------------------

    def start(self, exercise_id: str) -> None:
        player = start_exercise(self, self.diary, self.context, exercise_id)
        if player is None:
            self.status.setText("That exercise is not in the library any more.")

    def ground_now(self) -> None:
        ground_me_now(self, self.diary, self.context)

    def set_favourite(self, exercise_id: str, on: bool) -> None:
        self.ops.run(lambda: self.service.set_favourite(exercise_id, on), what="favourites")

    def make_first(self, exercise_id: str) -> None:
        self.ops.run(lambda: self.service.make_first_favourite(exercise_id), what="favourites")

    def edit(self, entry: CustomEntry | None) -> None:
        dialog = ExerciseEditor(self.service, entry, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()

    def remove(self, entry: CustomEntry) -> None:
        name = entry.exercise.title if entry.exercise else entry.slug
        self.ops.run(
            lambda: self.service.delete_custom(entry.id),
            what="custom",
            undo_text=f"“{name}” was removed. Your practice history with it stays.",
            undo=lambda snapshot: lambda: self.service.restore_custom(snapshot),
        )

    def save_to_file(self, entry: CustomEntry, path: Path | None = None) -> bool:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save the exercise to a file", f"{entry.slug}.toml", FILE_FILTER
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            save_exercise_file(entry.text, path)
        except OSError as exc:
            self.status.setText(
                f"The file could not be written ({exc.strerror or 'unknown error'})."
            )
            return False
        self.undo_bar.offer(f"Saved to {path.name}. It is not encrypted: keep it safe.", None)
        return True

    def open_file(self, path: Path | None = None) -> bool:
        """Open an exercise file; one clear sentence if it can't be used, nothing added."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Open an exercise file", "", FILE_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        try:
            text = read_exercise_file(path)
            existing = None
            from companion.content.exercises import parse_exercise

            exercise = parse_exercise(text)
            existing = self.service.custom_by_slug(exercise.id)
            if existing is not None and existing.text == text:
                self.status.setText("")
                self.undo_bar.offer(f"“{exercise.title}” is already in your exercises.", None)
                return True
            if existing is not None:
                answer = QMessageBox.question(
                    self,
                    "Replace your exercise?",
                    f"You already have an exercise with the id “{exercise.id}”. "
                    "Replace it with the one in this file?",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                self.service.update_custom(existing.id, text)
            else:
                self.service.add_custom(text)
        except (ImportFileError, ValidationError) as exc:
            self.status.setText(f"Nothing was added: {exc}")
            return False
        except VaultError as exc:
            self.status.setText(exc.message)
            return False
        self.status.setText("")
        self.undo_bar.offer(f"“{exercise.title}” was added to your exercises.", None)
        self.refresh()
        return True
