"""Today: a suggested exercise (the favourite, or one not tried lately; never a body scan)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from companion.core.exercises.service import ExerciseService
from companion.core.session import OpenDiary
from companion.ui.exercises.launch import start_exercise
from companion.ui.exercises.player import minutes_text
from companion.ui.pages import AppContext, TodayCard
from companion.ui.widgets.common import icon, label, primary_button

REASONS = {
    "favourite": "Your favourite.",
    "new": "One you haven't tried yet.",
    "not-lately": "One you haven't done for a while.",
}


class ExerciseTodayCard(TodayCard):
    heading = "A grounding exercise"
    order = 30

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = ExerciseService(diary.db)
        self.text = label("")
        self.body.addWidget(self.text)
        self.why = label("", name="Muted")
        self.body.addWidget(self.why)
        row = QHBoxLayout()
        self.start_button = primary_button("Start", "mdi6.play")
        self.start_button.clicked.connect(self.start)
        self.all_button = QPushButton(icon("mdi6.meditation"), "All exercises")
        self.all_button.setAccessibleName("See all grounding exercises")
        self.all_button.clicked.connect(lambda: context.signals.open_page.emit("exercises"))
        row.addWidget(self.start_button)
        row.addWidget(self.all_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.exercise_id = ""
        self.refresh()

    def refresh(self) -> None:
        exercise, why = self.service.suggestion()
        self.exercise_id = exercise.id
        self.text.setText(f"{exercise.title}: {exercise.summary}")
        self.why.setText(f"{REASONS[why]} {minutes_text(exercise.duration_minutes)}.")
        self.start_button.setAccessibleName(f"Start {exercise.title}")

    def start(self) -> None:
        start_exercise(self, self.diary, self.context, self.exercise_id)
