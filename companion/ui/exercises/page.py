"""Grounding: the exercise library by kind, favourites, your own exercises, and practice history."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
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
from companion.core.exercises.custom import CustomEntry, CustomExerciseService, save_exercise_file
from companion.core.exercises.favourites import FavouriteService
from companion.core.exercises.service import ExerciseService
from companion.core.exercises.sessions import Effect, PracticeService
from companion.core.session import OpenDiary
from companion.i18n import N_, _
from companion.ui.exercises.editor import CATEGORY_NAMES, ExerciseEditor, needs_fixing
from companion.ui.exercises.launch import ground_me_now, start_exercise
from companion.ui.exercises.player import minutes_text
from companion.ui.pages import AppContext, Page
from companion.ui.timers import in_steps, settle_layouts
from companion.ui.widgets.common import (
    Card,
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
from companion.ui.widgets.undo_bar import UndoBar

#: how long the page's first build runs its steps in one turn before the rest wait for the
#: next (``Page.build_in_steps``)
STEP_MS = 3.0
#: the effects table is shown in this many steps (in one, the page's largest: 11-12 ms)
EFFECT_PARTS = 3

CATEGORY_INTROS = {
    "grounding": N_("Bring your attention back to the here and now."),
    "breathing": N_("Slow, gentle breathing with a pacer to follow."),
    "relaxation": N_("Let the body soften, a little at a time."),
    "imagery": N_("A calm picture to come back to."),
    "soothing": N_("Comfort from things you choose yourself."),
}


def _file_filter() -> str:
    return _("Exercise files (*.toml);;All files (*)")


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
            meta = _("{length} · starts with “Ground me now”").format(length=meta)
        self.body.addWidget(label(meta, name="Muted"))
        if not exercise.default_ok:
            self.body.addWidget(
                label(_("Please read its cautions before you try it."), name="Muted")
            )

        # purpose, cautions and sources: filled the first time they are asked for (most
        # cards are never opened, and twenty-odd cards of them made the page slow to open)
        self.details = QWidget()
        QVBoxLayout(self.details).setContentsMargins(0, 4, 0, 4)
        self.details.hide()
        self.body.addWidget(self.details)

        # the buttons wrap onto a second line when larger text needs the room
        row_widget = QWidget()
        row = FlowLayout(row_widget, spacing=8)
        name = exercise.title
        self.start_button = primary_button(_("Start"), "mdi6.play")
        self.start_button.setAccessibleName(_("Start {title}").format(title=name))
        self.start_button.clicked.connect(lambda: page.start(exercise.id))
        row.addWidget(self.start_button)
        self.more_button = QPushButton(icon("mdi6.information-outline"), _("About this exercise"))
        self.more_button.setCheckable(True)
        self.more_button.setAccessibleName(_("About this exercise: {title}").format(title=name))
        self.more_button.toggled.connect(self._show_details)
        row.addWidget(self.more_button)
        self.favourite_button = QPushButton(
            icon("mdi6.star" if favourite else "mdi6.star-outline"),
            _("Favourite") if favourite else _("Add to favourites"),
        )
        self.favourite_button.setCheckable(True)
        self.favourite_button.setChecked(favourite)
        self.favourite_button.setAccessibleName(
            _("Favourite: {title}").format(title=name)
            if favourite
            else _("Add to favourites: {title}").format(title=name)
        )
        self.favourite_button.toggled.connect(lambda on: page.set_favourite(exercise.id, on))
        row.addWidget(self.favourite_button)
        if favourite and not first:
            self.first_button = link_button(_("Use for “Ground me now”"))
            self.first_button.setAccessibleName(
                _("Use for “Ground me now”: {title}").format(title=name)
            )
            self.first_button.clicked.connect(lambda: page.make_first(exercise.id))
            row.addWidget(self.first_button)
        self.body.addWidget(row_widget)
        if entry is not None:
            own_widget = QWidget()
            own = FlowLayout(own_widget, spacing=8)
            edit = QPushButton(icon("mdi6.pencil-outline"), _("Edit"))
            edit.setAccessibleName(_("Edit {title}").format(title=name))
            edit.clicked.connect(lambda: page.edit(entry))
            save = QPushButton(icon("mdi6.file-export-outline"), _("Save to a file"))
            save.setAccessibleName(_("Save to a file: {title}").format(title=name))
            save.clicked.connect(lambda: page.save_to_file(entry))
            remove = QPushButton(icon("mdi6.trash-can-outline"), _("Remove"))
            remove.setAccessibleName(_("Remove {title}").format(title=name))
            remove.clicked.connect(lambda: page.remove(entry))
            for button in (edit, save, remove):
                own.addWidget(button)
            self.body.addWidget(own_widget)

    def _show_details(self, shown: bool) -> None:
        layout = self.details.layout()
        if shown and layout is not None and not layout.count():
            exercise = self.exercise
            layout.addWidget(label(exercise.purpose))
            if exercise.cautions:
                layout.addWidget(label(_("Good to know"), name="CardTitle"))
                for caution in exercise.cautions:
                    layout.addWidget(bullet(caution))
            if exercise.sources:
                sources = "; ".join(
                    f'<a href="{s.url}">{s.text}</a>' if s.url else s.text for s in exercise.sources
                )
                source = label(_("Sources: {sources}").format(sources=sources), name="Muted")
                source.setTextFormat(Qt.TextFormat.RichText)
                source.setOpenExternalLinks(False)
                source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                layout.addWidget(source)
            tab_order_as_laid_out(self)
        self.details.setVisible(shown)


class ExercisesPage(Page):
    page_id = "exercises"
    refreshed_when_built = True

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.library = diary.service(ExerciseService)
        self.favourites = diary.service(FavouriteService)
        self.custom = diary.service(CustomExerciseService)
        self.practice = diary.service(PracticeService)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)
        layout.addWidget(title(_("Grounding")))
        layout.addWidget(
            label(
                _(
                    "Short exercises for hard moments, and for practice when things are calmer. "
                    "Every one can be paused or stopped at any time. They are coping skills, "
                    "not a treatment on their own."
                )
            )
        )
        self.undo_bar = UndoBar()
        layout.addWidget(self.undo_bar)
        self.status = StatusLabel("Error", _("Problem"))
        layout.addWidget(self.status)
        self.ops = context.operations("exercises", self.status, undo=self.undo_bar)
        #: opening a file: what cannot be used is said with "Nothing was added"
        self.file_ops = context.operations("exercises", self._file_problem)
        context.changes.listen("exercises", self.refresh_when_seen, receiver=self)

        # one line, not a second "Ground me now" card and button: the sidebar's button is
        # beside this page all the time
        self.quick_text = label("", name="Muted")
        layout.addWidget(self.quick_text)

        self.sections = QVBoxLayout()
        self.sections.setSpacing(12)
        layout.addLayout(self.sections)

        own = Card(_("Your own exercises"))
        own.body.addWidget(
            label(
                _(
                    "Write your own step list, or open a file your therapist gave you. Your "
                    "exercises are kept inside your encrypted diary."
                ),
                name="Muted",
            )
        )
        row = QHBoxLayout()
        self.write_button = QPushButton(icon("mdi6.pencil-plus-outline"), _("Write your own"))
        self.write_button.setAccessibleName(_("Write your own exercise"))
        self.write_button.clicked.connect(lambda: self.edit(None))
        self.open_button = QPushButton(icon("mdi6.folder-open-outline"), _("Open from a file…"))
        self.open_button.setAccessibleName(_("Open from a file: an exercise"))
        self.open_button.clicked.connect(self.open_file)
        row.addWidget(self.write_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        own.body.addLayout(row)
        self.own_list = QVBoxLayout()
        self.own_list.setSpacing(10)
        own.body.addLayout(self.own_list)

        # the weekly chart (pyqtgraph) is drawn a turn after the page: see _draw_chart
        from companion.ui.exercises.history import EffectTable, WeeklyChart

        history = Card(_("Practice and how it went"))
        self.weekly = WeeklyChart()
        history.body.addWidget(self.weekly)
        history.body.addWidget(
            label(_("Distress before and after, per exercise"), name="CardTitle")
        )
        history.body.addWidget(
            label(
                _(
                    "From the sessions where you rated distress both before and after. The "
                    "rating is a rough personal gauge, not a precise measure, and a session "
                    "that didn't change it is not a failure."
                ),
                name="Muted",
            )
        )
        self.effects = EffectTable()
        history.body.addWidget(self.effects)
        self.no_effects = label(_("No ratings yet. They are always optional."), name="Muted")
        history.body.addWidget(self.no_effects)

        self.tail = QVBoxLayout()
        self.tail.setSpacing(16)
        self.tail.addWidget(own)
        self.tail.addWidget(history)
        layout.addLayout(self.tail)
        layout.addStretch(1)
        self._cards: dict[str, ExerciseCard] = {}
        #: the effects read by one step, shown by the next (``_refresh_steps``)
        self._effects_read: list[Effect] = []
        #: the steps showing them (``_show_effects``)
        self._effect_parts: list[Callable[[], None]] = []
        self._effects_shown = False
        # The first time, the exercises are made a card or two per turn of the event loop,
        # top-down; the cards below them (own exercises, practice) wait hidden until then.
        self._own_card, self._history_card = own, history
        own.hide()
        history.hide()
        # (a smaller budget than the default: a turn's steps end before 3 ms, so the largest
        # step after them, the effects shown (5-7 ms), ends the turn near 10 ms at most; with
        # 8 ms the weeks, the effects read and shown were one turn of 13-19 ms)
        # (what the steps are depends on the favourites and own exercises: built ahead, out of
        # sight, they are read in a first step, not in the constructor, ~4 ms of its 10-12)
        if self.built_ahead:
            self.build_in_steps([self._first_steps], budget_ms=0)
        else:
            self._first_steps()
        from companion.ui.charts import warm

        warm.start()  # the chart modules, on a worker, if nothing has imported them yet

    def _first_steps(self) -> None:
        if not self.locked:
            self.build_in_steps(self._refresh_steps(), done=self._first_made, budget_ms=STEP_MS)

    def _first_made(self) -> None:
        if self.locked:
            return
        self._own_card.show()
        self._history_card.show()
        tab_order_as_laid_out(self)
        if self.isVisible():
            # (hidden, built ahead: laid out in pieces of their own, ``ui/build_ahead.py``)
            settle_layouts(self)
        in_steps(self, [self._draw_chart], budget_ms=0)  # (the next turn; waited for as steps)

    @property
    def cards(self) -> dict[str, ExerciseCard]:
        """The exercises' cards by id (all of them: made now if the page was still making
        them)."""
        self.finish_building()
        return self._cards

    def _draw_chart(self) -> None:
        """The weekly chart, once its modules are imported (waiting in turns of the event
        loop, never in the import)."""
        from companion.ui.charts import warm

        if not self.locked:
            warm.when_ready(self, self._make_chart)

    def _make_chart(self) -> None:
        """The chart's parts made in one turn, its plot item in the next, the chart in a
        third, its bars drawn in a fourth (in one turn: 14-16 ms)."""
        if self.locked:
            return

        def unless_locked(call: Callable[[], object]) -> Callable[[], object]:
            return lambda: None if self.locked else call()

        weekly = self.weekly
        # (in steps of no budget, a step a turn: waited for as the page's other steps are, by
        # the build-ahead and the tests)
        in_steps(
            self,
            [
                unless_locked(weekly.make_parts),
                unless_locked(weekly.make_item),
                unless_locked(weekly.make_plot),
                unless_locked(weekly.draw),
            ],
            budget_ms=0,
        )

    # -- showing -------------------------------------------------------------------------------

    def reads_now(self) -> object:
        """Shown again, refreshed only after a change to what it shows: the diary (favourites, own
        exercises, sessions), the day (the weeks counted back from it), the theme."""
        return self.diary_day_theme()

    def refresh(self) -> None:
        self.finish_building()
        for step in self._refresh_steps():
            step()
        tab_order_as_laid_out(self)

    def _refresh_steps(self) -> list[Callable[[], object]]:
        """What ``refresh`` does, in steps of about a card each, top-down."""
        favourites = self.favourites.favourites()
        custom = self.custom.entries()
        own = {c.slug: c for c in custom}

        def start() -> None:
            self._show_ground_me_now(bool(favourites))
            self._clear(self.sections)
            self._clear(self.own_list)
            self._cards.clear()

        def unless_locked(call: Callable[[], object]) -> Callable[[], object]:
            return lambda: None if self.locked else call()

        steps: list[Callable[[], object]] = [start]
        steps += self._library_steps(favourites, own)
        steps.append(partial(self._show_own, custom, favourites))
        # (each of these reads every session of the diary; the effects are read a step
        # before they are shown, and the weeks come last: the effects shown, the largest
        # step, then begin a turn or follow less than 3 ms of steps, and the weeks end the
        # build with what its ``done`` does; both cards are hidden until then)
        steps.append(self._read_effects)
        steps += [partial(self._show_effects, part) for part in range(EFFECT_PARTS)]
        steps.append(self._show_weeks)
        return [unless_locked(step) for step in steps]

    def _show_weeks(self) -> None:
        self.weekly.set_weeks(self.practice.weekly_counts(12))

    def _read_effects(self) -> None:
        self._effects_read = self.practice.effects()

    def _show_effects(self, part: int) -> None:
        """A share of the effects read (``_read_effects``) put in their table, the first
        share with its headings; the last step shows the table, or says there is nothing."""
        if part == 0:
            effects, self._effects_read = self._effects_read, []
            self._effects_shown = bool(effects)
            self._effect_parts = self.effects.effect_parts(
                effects, self.library.title_of, EFFECT_PARTS
            )
        if part < len(self._effect_parts):
            self._effect_parts[part]()
        if part == EFFECT_PARTS - 1:
            self._effect_parts = []
            self.effects.setVisible(self._effects_shown)
            self.no_effects.setVisible(not self._effects_shown)

    def _show_ground_me_now(self, has_favourite: bool) -> None:
        starts = self.library.title_of(self.favourites.ground_me_now_id())
        self.quick_text.setText(
            _(
                "“Ground me now”, on the left or Ctrl+G from any page, starts “{title}” "
                "straight away. It is your first favourite."
            ).format(title=starts)
            if has_favourite
            else _(
                "“Ground me now”, on the left or Ctrl+G from any page, starts “{title}” "
                "straight away. Mark a favourite below to choose a different one."
            ).format(title=starts)
        )

    def _library_steps(
        self, favourites: list[str], own: dict[str, CustomEntry]
    ) -> list[Callable[[], object]]:
        """Favourites first, then the bundled exercises by kind (own ones have their card):
        a step per card, a section's heading with its first card."""
        steps: list[Callable[[], object]] = []
        found = [self.library.find(i) for i in favourites]
        chosen = [f[0] for f in found if f is not None]
        if favourites:
            heading = partial(self._heading, _("Your favourites"), None)
            steps += self._card_steps(heading, chosen, favourites, own)
        library = [e for e in self.library.library() if e.id not in favourites]
        for category in CATEGORIES:
            members = [e for e in library if e.category == category and e.id not in own]
            if not members:
                continue
            heading = partial(
                self._heading, _(CATEGORY_NAMES[category]), _(CATEGORY_INTROS[category])
            )
            steps += self._card_steps(heading, members, favourites, {})
        return steps

    def _heading(self, words: str, intro: str | None) -> None:
        for text in (words, intro):
            if text is not None:
                heading = label(text, name="CardTitle" if text is words else "Muted")
                self.sections.addWidget(heading)
                heading.show()

    def _card_steps(
        self,
        heading: Callable[[], None],
        exercises: list[Exercise],
        favourites: list[str],
        own: dict[str, CustomEntry],
    ) -> list[Callable[[], object]]:
        def card(index: int, exercise: Exercise) -> None:
            if index == 0:
                heading()
            self._add_card(self.sections, exercise, favourites, own.get(exercise.id))

        return [partial(card, i, e) for i, e in enumerate(exercises)]

    def _show_own(self, custom: list[CustomEntry], favourites: list[str]) -> None:
        for entry in custom:
            if entry.exercise is None:
                broken = Card(entry.slug)
                broken.body.addWidget(label(needs_fixing(entry)))
                fix = QPushButton(icon("mdi6.pencil-outline"), _("Fix it"))
                fix.setAccessibleName(_("Fix {name}").format(name=entry.slug))
                fix.clicked.connect(lambda _checked=False, e=entry: self.edit(e))
                broken.body.addWidget(fix, 0, Qt.AlignmentFlag.AlignLeft)
                self.own_list.addWidget(broken)
            elif entry.slug not in favourites:
                self._add_card(self.own_list, entry.exercise, favourites, entry)

    def _add_card(
        self,
        layout: QVBoxLayout,
        exercise: Exercise,
        favourites: list[str],
        entry: CustomEntry | None,
    ) -> None:
        card = ExerciseCard(
            self,
            exercise,
            favourite=exercise.id in favourites,
            first=bool(favourites) and exercise.id == favourites[0],
            entry=entry,
        )
        self._cards[exercise.id] = card
        layout.addWidget(card)
        card.show()  # now (on a shown page it would be in a later turn)

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
        if self.library.find(item_id) is None:
            return False
        self.start(item_id)
        return True

    # -- actions -------------------------------------------------------------------------------

    def start(self, exercise_id: str) -> None:
        player = start_exercise(self, self.diary, self.context, exercise_id)
        if player is None:
            self.ops.show_error(_("That exercise is not in the library any more."))

    def ground_now(self) -> None:
        ground_me_now(self, self.diary, self.context)

    def set_favourite(self, exercise_id: str, on: bool) -> None:
        self.ops.run(lambda: self.favourites.set_favourite(exercise_id, on), what="favourites")

    def make_first(self, exercise_id: str) -> None:
        self.ops.run(lambda: self.favourites.make_first(exercise_id), what="favourites")

    def edit(self, entry: CustomEntry | None) -> None:
        """Write a new exercise or change one; the change hub refreshes the page."""
        ExerciseEditor(self.custom, self.context, entry, self).exec()

    def remove(self, entry: CustomEntry) -> None:
        name = entry.exercise.title if entry.exercise else entry.slug
        self.ops.run(
            lambda: self.custom.delete(entry.id),
            what="custom",
            undo_text=_("“{name}” was removed. Your practice history with it stays.").format(
                name=name
            ),
            undo=lambda snapshot: lambda: self.custom.restore(snapshot),
        )

    def save_to_file(self, entry: CustomEntry, path: Path | None = None) -> bool:
        if path is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Save the exercise to a file"), f"{entry.slug}.toml", _file_filter()
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            save_exercise_file(entry.text, path)
        except OSError as exc:
            reason = exc.strerror or _("unknown error")
            self.ops.show_error(
                _("The file could not be written ({reason}).").format(reason=reason)
            )
            return False
        self.undo_bar.offer(
            _("Saved to {name}. It is not encrypted: keep it safe.").format(name=path.name), None
        )
        return True

    def open_file(self, path: Path | None = None) -> bool:
        """Open an exercise file; one clear sentence if it can't be used, nothing added."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, _("Open an exercise file"), "", _file_filter()
            )
            if not chosen:
                return False
            path = Path(chosen)
        chosen_path = path
        found = self.file_ops.run(lambda: self.custom.open_file(chosen_path), announce=False)
        if found is None:
            return False
        name = found.exercise.title
        if found.already_there:
            self.undo_bar.offer(
                _("“{title}” is already in your exercises.").format(title=name), None
            )
            return True
        existing = found.existing
        if existing is not None:
            answer = QMessageBox.question(
                self,
                _("Replace your exercise?"),
                _(
                    "You already have an exercise with the id “{id}”. Replace it with the one "
                    "in this file?"
                ).format(id=found.exercise.id),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            saved = self.ops.run(lambda: self.custom.update(existing.id, found.text), what="custom")
        else:
            saved = self.ops.run(lambda: self.custom.add(found.text), what="custom")
        if saved is None:
            return False
        self.undo_bar.offer(_("“{title}” was added to your exercises.").format(title=name), None)
        return True

    def _file_problem(self, message: str) -> None:
        self.status.setText(
            _("Nothing was added: {reason}").format(reason=message) if message else ""
        )
