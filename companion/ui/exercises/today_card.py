"""Today: a suggested exercise (the favourite, or one not tried lately; never a body scan)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from companion.core.exercises.favourites import FavouriteService
from companion.core.session import OpenDiary
from companion.i18n import N_, _
from companion.ui.exercises.launch import start_exercise
from companion.ui.exercises.player import minutes_text
from companion.ui.pages import AppContext, TodayCard
from companion.ui.widgets.common import icon, label, primary_button

REASONS = {
    "favourite": N_("Your favourite."),
    "new": N_("One you haven't tried yet."),
    "not-lately": N_("One you haven't done for a while."),
}


class ExerciseTodayCard(TodayCard):
    heading = N_("A grounding exercise")
    order = 30

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.favourites = diary.service(FavouriteService)
        self.text = label("")
        self.body.addWidget(self.text)
        self.why = label("", name="Muted")
        self.body.addWidget(self.why)
        row = QHBoxLayout()
        self.start_button = primary_button(_("Start"), "mdi6.play")
        self.start_button.clicked.connect(self.start)
        self.all_button = QPushButton(icon("mdi6.meditation"), _("All exercises"))
        self.all_button.setAccessibleName(_("All exercises on the Grounding page"))
        self.all_button.clicked.connect(lambda: context.signals.open_page.emit("exercises"))
        row.addWidget(self.start_button)
        row.addWidget(self.all_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.exercise_id = ""
        context.changes.listen("exercises", lambda _change: self.refresh(), receiver=self)
        self.refresh()

    def refresh(self) -> None:
        exercise, why = self.favourites.suggestion()
        self.exercise_id = exercise.id
        self.text.setText(f"{exercise.title}: {exercise.summary}")
        self.why.setText(
            _("{reason} {length}.").format(
                reason=_(REASONS[why]), length=minutes_text(exercise.duration_minutes)
            )
        )
        self.start_button.setAccessibleName(_("Start {title}").format(title=exercise.title))

    def start(self) -> None:
        start_exercise(self, self.diary, self.context, self.exercise_id)
