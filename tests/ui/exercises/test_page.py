"""The Grounding page, the Today card, the editor and "Ground me now" from the main window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from companion.content.exercises import load_exercises, parse_exercise
from companion.core.exercises.sessions import PracticeService
from companion.core.session import OpenDiary
from companion.ui.exercises.editor import ExerciseEditor, is_simple
from companion.ui.exercises.launch import active_player
from companion.ui.exercises.page import ExercisesPage
from companion.ui.exercises.today_card import ExerciseTodayCard
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from tests.core.exercise_helpers import Exercises
from tests.core.test_exercises_service import OWN
from tests.ui.exercises.conftest import dispose


@pytest.fixture
def page(qtbot: QtBot, fast_diary: OpenDiary, context: AppContext) -> Iterator[ExercisesPage]:
    widget = ExercisesPage(fast_diary, context)
    widget.resize(900, 700)
    widget.show()
    yield widget
    dispose(widget)


def test_the_library_shows_every_exercise_by_kind(page: ExercisesPage) -> None:
    assert set(page.cards) == {e.id for e in load_exercises()}
    card = page.cards["body-scan"]
    assert not card.details.isVisible()
    card.more_button.click()
    assert card.details.isVisible()
    assert "Ctrl+G" in page.quick_text.text() and "5-4-3-2-1" in page.quick_text.text()
    assert page.no_effects.isVisible()


def test_favourites_choose_what_ground_me_now_starts(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary
) -> None:
    page.cards["box-breathing"].favourite_button.click()
    qtbot.waitUntil(lambda: page.cards["box-breathing"].favourite_button.isChecked())
    assert Exercises.over(fast_diary.db).favourites.ground_me_now_id() == "box-breathing"
    page.cards["categories"].favourite_button.click()
    qtbot.waitUntil(lambda: hasattr(page.cards["categories"], "first_button"))
    page.cards["categories"].first_button.click()
    assert Exercises.over(fast_diary.db).favourites.favourites() == ["categories", "box-breathing"]
    assert "Categories" in page.quick_text.text()
    page.cards["categories"].favourite_button.click()
    assert Exercises.over(fast_diary.db).favourites.favourites() == ["box-breathing"]


def test_start_and_companion_links_open_the_player(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary
) -> None:
    assert page.open_item("no-such-exercise") is False
    assert page.open_item("safe-place") is True
    player = active_player(page.window())
    assert player is not None and player.exercise.id == "safe-place" and player.state == "intro"
    qtbot.mouseClick(player.not_now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: active_player(page.window()) is None)
    qtbot.mouseClick(page.cards["categories"].start_button, Qt.MouseButton.LeftButton)
    player = active_player(page.window())
    assert player is not None and player.exercise.id == "categories"


def test_history_shows_sessions_and_change_with_n(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary
) -> None:
    svc = Exercises.over(fast_diary.db)
    for before, after in ((7, 4), (6, 5)):
        s = svc.practice.start_session("five-senses", distress_before=before)
        svc.practice.finish_session(s.id)
        svc.practice.set_ratings(s.id, distress_after=after)
    page.refresh()
    assert page.effects.rows == [
        ("5-4-3-2-1: noticing with your senses", "2", "2", "2.0 lower afterwards (6.5 → 4.5)")
    ]
    assert sum(w.sessions for w in page.weekly.weeks) == 2
    assert "2 sessions" in page.weekly.summary.text()


def test_the_page_shows_practice_as_soon_as_the_player_closes(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary
) -> None:
    page.start("categories")
    player = active_player(page.window())
    assert player is not None
    player.begin()
    player.next_step()
    assert sum(w.sessions for w in page.weekly.weeks) == 0  # nothing redrawn behind the player
    player.close_player()  # stopped early: it is kept, and the page hears of it
    assert sum(w.sessions for w in page.weekly.weeks) == 1


def test_write_your_own_exercise_in_the_app(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary
) -> None:
    svc = Exercises.over(fast_diary.db)
    editor = ExerciseEditor(svc.custom, page.context, None, page)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.error.text() == "Please give your exercise a name."
    qtbot.keyClicks(editor.name, "Before bed")
    editor.step_rows[0].text.setText("Put the phone away.")
    editor.step_rows[1].text.setText("Notice three sounds.")
    editor.step_rows[1].seconds.setValue(30)
    editor.remove_step(editor.step_rows[2])
    editor.add_step("Name one kind thing you did today.")
    editor.cautions.setPlainText("Skip any step.\n")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.saved is not None and editor.saved.exercise is not None
    exercise = editor.saved.exercise
    assert exercise.id == "before-bed" and len(exercise.steps) == 3
    assert exercise.steps[1].seconds == 30 and exercise.cautions == ("Skip any step.",)
    # editing keeps the id and shows the simple form
    again = ExerciseEditor(svc.custom, page.context, editor.saved, page)
    assert again.modes.currentIndex() == 0 and again.name.text() == "Before bed"
    again.name.setText("Before sleep")
    again.save()
    assert (
        svc.library.find("before-bed") is not None
        and svc.library.title_of("before-bed") == "Before sleep"
    )
    page.refresh()
    assert "before-bed" in page.cards


def test_an_exercise_with_more_than_the_form_shows_opens_as_text(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary
) -> None:
    svc = Exercises.over(fast_diary.db)
    entry = svc.custom.add(
        OWN.replace(
            "duration_minutes = 2", 'duration_minutes = 2\nsources = [{ text = "My therapist" }]'
        )
    )
    assert entry.exercise is not None and not is_simple(entry.exercise)
    editor = ExerciseEditor(svc.custom, page.context, entry, page)
    assert editor.modes.currentIndex() == 1 and editor.text_note.isVisibleTo(editor)
    editor.text_edit.setPlainText("nonsense = [")
    editor.save()
    assert "TOML" in editor.error.text()
    assert svc.custom.entries()[0].text == entry.text  # nothing changed
    editor.text_edit.setPlainText(entry.text.replace("My walk", "Our walk"))
    editor.save()
    assert svc.library.title_of("my-walk") == "Our walk"


def test_save_to_a_file_and_open_it_elsewhere(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary, tmp_path: Path
) -> None:
    svc = Exercises.over(fast_diary.db)
    entry = svc.custom.add(OWN)
    path = tmp_path / "my-walk.toml"
    assert page.save_to_file(entry, path)
    assert parse_exercise(path.read_text(encoding="utf-8")) == entry.exercise
    # the same file again: already there, nothing duplicated
    assert page.open_file(path)
    assert len(svc.custom.entries()) == 1


def test_opening_a_bad_file_says_one_sentence_and_adds_nothing(
    page: ExercisesPage, fast_diary: OpenDiary, tmp_path: Path
) -> None:
    for name, content in (
        ("empty.toml", b""),
        ("export.json", b'{"format": "companion-export"}'),
        ("big.toml", b"#" * 300_000),
        ("nosteps.toml", OWN.split("[[steps]]")[0].encode()),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        assert page.open_file(path) is False
        assert page.status.text().startswith("Nothing was added:")
        assert page.status.isVisible()
    assert Exercises.over(fast_diary.db).custom.entries() == []


def test_opening_a_changed_file_asks_before_replacing(
    page: ExercisesPage, fast_diary: OpenDiary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = Exercises.over(fast_diary.db)
    svc.custom.add(OWN)
    path = tmp_path / "changed.toml"
    path.write_text(OWN.replace("My walk", "My new walk"), encoding="utf-8")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert page.open_file(path) is False
    assert svc.library.title_of("my-walk") == "My walk"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.open_file(path) is True
    assert svc.library.title_of("my-walk") == "My new walk"


def test_removing_your_own_exercise_can_be_undone(
    qtbot: QtBot, page: ExercisesPage, fast_diary: OpenDiary
) -> None:
    svc = Exercises.over(fast_diary.db)
    entry = svc.custom.add(OWN)
    svc.favourites.set_favourite("my-walk", True)
    page.refresh()
    page.remove(entry)
    assert svc.custom.entries() == [] and page.undo_bar.isVisible()
    qtbot.mouseClick(page.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    assert svc.favourites.favourites() == ["my-walk"] and "my-walk" in page.cards


def test_today_card_suggests_and_starts(
    qtbot: QtBot, fast_diary: OpenDiary, context: AppContext
) -> None:
    card = ExerciseTodayCard(fast_diary, context)
    qtbot.addWidget(card)
    card.show()
    assert card.exercise_id == "five-senses" and "haven't tried" in card.why.text()
    Exercises.over(fast_diary.db).favourites.set_favourite("orienting", True)
    context.changes.announce("exercises", "favourites")  # as the page's favourite button does
    assert card.exercise_id == "orienting" and card.why.text().startswith("Your favourite.")
    with qtbot.waitSignal(context.signals.open_page) as opened:
        card.all_button.click()
    assert opened.args == ["exercises"]
    card.start_button.click()
    player = active_player(card.window())
    assert player is not None and player.exercise.id == "orienting"


def test_ground_me_now_from_any_page_of_the_main_window(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.open_page("settings")
    qtbot.mouseClick(window.action_buttons["ground"], Qt.MouseButton.LeftButton)
    player = active_player(window)
    assert player is not None and player.exercise.id == "five-senses"
    assert player.state == "steps" and player.isVisible()
    player.close_player()
    qtbot.waitUntil(lambda: active_player(window) is None)
    Exercises.over(diary.db).favourites.set_favourite("box-breathing", True)
    (shortcut,) = [s for s in window.findChildren(QShortcut) if s.key() == QKeySequence("Ctrl+G")]
    shortcut.activated.emit()  # offscreen key delivery to shortcuts is unreliable
    player = active_player(window)
    assert player is not None and player.exercise.id == "box-breathing"
    assert window.open_link("companion:exercise/categories") is True  # the open player stays
    assert active_player(window) is player


def test_the_weekly_chart_is_made_in_four_turns_without_pyqtgraph_s_menu(
    qtbot: QtBot, page: ExercisesPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its view and axes, its plot item, the plot, then its bars, each a turn of its own
    (steps of budget 0),
    the plot hidden until its bars are drawn; pyqtgraph's view menu is never built (it was,
    ~6 ms, only to be switched off)."""
    from pyqtgraph.graphicsItems.ViewBox import ViewBoxMenu

    from companion.ui.exercises import page as page_module
    from companion.ui.exercises.history import WeeklyChart

    menus: list[object] = []
    made = ViewBoxMenu.ViewBoxMenu.__init__

    def menu_made(menu: object, *args: object) -> None:
        menus.append(menu)
        made(menu, *args)

    monkeypatch.setattr(ViewBoxMenu.ViewBoxMenu, "__init__", menu_made)
    turns: list[list[object]] = []

    def in_steps(_owner: object, calls: list[object], budget_ms: float = 8.0) -> None:
        assert budget_ms == 0
        turns.append(calls)

    monkeypatch.setattr(page_module, "in_steps", in_steps)
    page.finish_building()
    [[draw_chart]] = turns  # (the next turn, after the page's first build)
    draw_chart()  # type: ignore[operator]
    qtbot.waitUntil(lambda: len(turns) == 2)  # (the chart modules imported)
    calls = turns[1]
    assert len(calls) == 4
    weekly = page.weekly
    calls[0]()  # the view and axes
    assert weekly.plot is None and weekly._parts is not None
    calls[1]()  # the plot item, of them
    assert weekly.plot is None and weekly._item is not None and weekly._parts is None
    item = weekly._item
    calls[2]()  # the plot, hidden, of it
    assert isinstance(weekly, WeeklyChart) and weekly.plot is not None
    assert weekly.plot.getPlotItem() is item and weekly._item is None
    assert not weekly.plot.isVisible()
    calls[3]()  # its bars, shown
    assert weekly.plot.isVisible() and len(weekly.plot.getPlotItem().items) == 2
    assert weekly.plot.getViewBox().menu is None and menus == []


def test_a_page_built_hidden_leaves_its_layout_to_the_build_ahead(
    qtbot: QtBot, fast_diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built hidden (ahead), the last turn of its steps does not lay the page out as well: the
    build-ahead does, in pieces of its own (``ui/build_ahead.py``); shown, it does."""
    from companion.ui.exercises import page as page_module

    settled: list[object] = []
    monkeypatch.setattr(page_module, "settle_layouts", settled.append)
    hidden = ExercisesPage(fast_diary, context)
    hidden.finish_building()
    assert hidden._history_card.isVisibleTo(hidden) and settled == []
    dispose(hidden)
    shown = ExercisesPage(fast_diary, context)
    shown.show()
    shown.finish_building()
    assert settled == [shown]
    dispose(shown)


def test_the_first_build_reads_the_effects_and_shows_them_in_steps_of_their_own(
    qtbot: QtBot, fast_diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built ahead, the constructor reads none of the diary's exercises (its first step does,
    and makes the steps from them); the page's first build runs its steps for at most
    ``STEP_MS`` (3 ms) a turn, and the effects are read a step before the one that shows them
    (read and shown after the weeks in the same turn of 8 ms of steps: 13-19 ms)."""
    from companion.core.exercises.favourites import FavouriteService
    from companion.ui.exercises import page as page_module
    from companion.ui.exercises.history import EffectTable

    built: list[tuple[list[Callable[[], object]], float]] = []

    def build_in_steps(
        _page: ExercisesPage, steps: list[Callable[[], object]], **kw: float
    ) -> None:
        built.append((list(steps), kw["budget_ms"]))

    monkeypatch.setattr(ExercisesPage, "build_in_steps", build_in_steps)
    read_favourites: list[object] = []
    favourites = FavouriteService.favourites
    monkeypatch.setattr(
        FavouriteService, "favourites", lambda s: read_favourites.append(s) or favourites(s)
    )
    from companion.ui.pages import building_ahead

    practice = Exercises.over(fast_diary.db).practice
    for exercise_id in ("five-senses", "categories", "safe-place", "box-breathing"):
        session = practice.start_session(exercise_id, distress_before=6)
        practice.finish_session(session.id)
        practice.set_ratings(session.id, distress_after=4)
    with building_ahead():
        page = ExercisesPage(fast_diary, context)
    [([first], first_budget_ms)] = built
    assert first_budget_ms == 0 and read_favourites == []
    first()
    assert read_favourites
    [_first, (steps, budget_ms)] = built
    assert budget_ms == page_module.STEP_MS <= 3
    where: list[tuple[str, int, int]] = []
    read, begun, added = PracticeService.effects, EffectTable._begin, EffectTable._add_rows
    at = [0]
    monkeypatch.setattr(
        PracticeService,
        "effects",
        lambda s, **kw: where.append(("read", at[0], 0)) or read(s, **kw),
    )
    monkeypatch.setattr(
        EffectTable,
        "_begin",
        lambda t, rows, *a: where.append(("begun", at[0], len(rows))) or begun(t, rows, *a),
    )
    monkeypatch.setattr(
        EffectTable,
        "_add_rows",
        lambda t, rows, *a: where.append(("added", at[0], len(rows))) or added(t, rows, *a),
    )
    for at[0], step in enumerate(steps):
        step()
    # read a step before they are shown, then shown in steps of their own: the headings and
    # a share of the rows, then the other shares (in one step: 11-12 ms)
    read_at = where[0][1]
    assert where[0][0] == "read" and where[1][:2] == ("begun", read_at + 1)
    shown = [entry for entry in where if entry[0] == "added" and entry[1] > read_at + 1]
    assert [entry[1] for entry in shown] == list(range(read_at + 2, read_at + 2 + len(shown)))
    effects = read(page.practice)
    assert len(effects) >= page_module.EFFECT_PARTS  # (the diary's sessions: a share a step)
    assert 1 <= len(shown) <= page_module.EFFECT_PARTS - 1
    assert where[1][2] + sum(entry[2] for entry in shown) == len(effects)
    assert len(page.effects.rows) == len(effects) and not page.effects.isHidden()
    dispose(page)
