"""The player, driven as a person would, with a clock the test controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.content.exercises import get_exercise
from companion.core.session import OpenDiary
from companion.ui.exercises.clock import ManualClock
from companion.ui.exercises.launch import active_player, ground_me_now, start_exercise
from companion.ui.exercises.pacer import ease, state_at
from companion.ui.exercises.player import FRAME_MS, IDLE_MS, ExercisePlayer
from companion.ui.pages import AppContext
from tests.core.exercise_helpers import Exercises
from tests.ui.conftest import PASS
from tests.ui.exercises.conftest import dispose


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def helped(context: AppContext, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record 'open help' instead of opening the real window."""
    calls: list[object] = []
    monkeypatch.setattr(context, "open_help", calls.append)
    return calls


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[QWidget]:
    host = QWidget()
    host.resize(1000, 720)
    host.show()
    yield host
    dispose(host)


def _sessions(diary: OpenDiary) -> list[object]:
    return list(Exercises.over(diary.db).practice.sessions())


def _key(qtbot: QtBot, player: ExercisePlayer, key: Qt.Key) -> None:
    qtbot.keyClick(player.focusWidget() or player, key)


def test_ground_me_now_starts_five_senses_at_its_first_step_in_one_click(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = ground_me_now(window, fast_diary, context, clock=clock)
    assert player is not None and player.exercise.id == "five-senses"
    assert player.state == "steps" and player.index == 0
    assert player.isVisible() and player.geometry() == window.rect()
    # the session exists before anything else is done
    (saved,) = Exercises.over(fast_diary.db).practice.sessions()
    assert saved.exercise_id == "five-senses" and not saved.completed and saved.steps_reached == 1
    # cautions and an optional rating are on the first step
    assert player.quick_cautions.isVisible() and player.quick_scale.isVisible()
    # pressing it again brings the same player forward instead of a second one
    assert ground_me_now(window, fast_diary, context, clock=clock) is player


def test_walk_through_a_whole_exercise_with_ratings_and_a_note(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = ground_me_now(window, fast_diary, context, clock=clock)
    assert player is not None
    qtbot.mouseClick(player.quick_scale.buttons[7], Qt.MouseButton.LeftButton)
    total = len(player.steps)
    texts = []
    for number in range(total):
        assert player.step_label.text() == f"Step {number + 1} of {total}"
        texts.append(player.step_text.text())
        clock.advance(20)
        if number < total - 1:
            qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    assert texts == [s.text for s in get_exercise("five-senses").steps_for("default")]
    assert player.next_button.text() == "Finish"
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    assert player.state == "end" and player.end_heading.text() == "You reached the end"
    qtbot.mouseClick(player.after_scale.buttons[4], Qt.MouseButton.LeftButton)
    assert player.change_text.text() == "Distress before: 7. Now: 4."
    assert not player.end_help.isVisible() and not player.no_change_text.isVisible()
    qtbot.keyClicks(player.note, "Felt my feet.")
    with qtbot.waitSignal(player.closed):
        qtbot.mouseClick(player.done_button, Qt.MouseButton.LeftButton)
    (s,) = Exercises.over(fast_diary.db).practice.sessions()
    assert s.completed and s.steps_reached == total
    assert (s.distress_before, s.distress_after, s.note) == (7, 4, "Felt my feet.")
    assert s.duration.total_seconds() == pytest.approx(20 * total, abs=1)
    qtbot.waitUntil(lambda: active_player(window) is None)


def test_timed_steps_pause_skip_and_back_with_the_keyboard(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(window, fast_diary, context, "paced-breathing", clock=clock)
    assert player is not None and player.state == "intro"
    assert player.intro_pace_card.isVisible()
    qtbot.mouseClick(player.begin_button, Qt.MouseButton.LeftButton)
    assert player.state == "steps"
    player.setFocus()
    _key(qtbot, player, Qt.Key.Key_Right)
    _key(qtbot, player, Qt.Key.Key_Right)
    assert player.index == 2 and player.steps[2].seconds == 150 and player.steps[2].pacer
    assert player.pacer.isVisible() and player.step_pace.isVisible()
    clock.advance(100)
    assert player.index == 2 and player.timer_text.text() == "0:50 left in this step"
    # Space pauses: time passes, nothing moves on
    _key(qtbot, player, Qt.Key.Key_Space)
    assert player.paused and player.pause_button.text() == "Resume"
    assert player.paused_text.isVisible()
    clock.advance(500)
    assert player.index == 2 and player.step_elapsed() == pytest.approx(100)
    _key(qtbot, player, Qt.Key.Key_Space)
    assert not player.paused
    clock.advance(50)  # the timer runs out: the next step comes by itself
    assert player.index == 3
    clock.advance(30)
    assert player.step_elapsed() == pytest.approx(30)
    _key(qtbot, player, Qt.Key.Key_Left)  # back one step, its timer starts again
    assert player.index == 2 and player.step_elapsed() == pytest.approx(0)
    _key(qtbot, player, Qt.Key.Key_Right)  # → skips a timed step
    _key(qtbot, player, Qt.Key.Key_Right)
    assert player.index == 4 and player.steps[4].seconds == 0
    assert player.timer_text.text() == "Go on whenever you are ready."
    clock.advance(600)  # an untimed step waits for Next
    assert player.index == 4 and player.state == "steps"
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    assert player.state == "end"
    (s,) = Exercises.over(fast_diary.db).practice.sessions()
    assert s.completed and s.breaths_per_minute == 6.0


def test_stopping_early_saves_the_session_as_not_completed(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = ground_me_now(window, fast_diary, context, clock=clock)
    assert player is not None
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    clock.advance(40)
    _key(qtbot, player, Qt.Key.Key_Escape)
    assert player.state == "end" and player.end_heading.text() == "You stopped here"
    (s,) = Exercises.over(fast_diary.db).practice.sessions()
    assert not s.completed and s.steps_reached == 3
    assert s.duration.total_seconds() == pytest.approx(40)
    # Esc again leaves the player
    with qtbot.waitSignal(player.closed):
        _key(qtbot, player, Qt.Key.Key_Escape)


def test_stop_button_and_i_need_help(
    qtbot: QtBot,
    window: QWidget,
    fast_diary: OpenDiary,
    context: AppContext,
    clock: ManualClock,
    helped: list[object],
) -> None:
    player = ground_me_now(window, fast_diary, context, clock=clock)
    assert player is not None
    assert player.help_button.text() == "Stop — I need help"
    qtbot.mouseClick(player.help_button, Qt.MouseButton.LeftButton)
    assert helped == [player]
    assert player.state == "end"
    assert not Exercises.over(fast_diary.db).practice.sessions()[0].completed
    player.close_player()
    other = start_exercise(window, fast_diary, context, "categories", clock=clock)
    qtbot.waitUntil(lambda: other is not None and other is not player)
    assert other is not None
    qtbot.mouseClick(other.begin_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(other.stop_button, Qt.MouseButton.LeftButton)
    assert other.state == "end" and helped == [player]


def test_very_high_distress_gently_offers_help_and_never_blocks(
    qtbot: QtBot,
    window: QWidget,
    fast_diary: OpenDiary,
    context: AppContext,
    clock: ManualClock,
    helped: list[object],
) -> None:
    player = start_exercise(window, fast_diary, context, "five-senses", clock=clock)
    assert player is not None
    qtbot.mouseClick(player.before_scale.buttons[8], Qt.MouseButton.LeftButton)
    assert not player.intro_help.isVisible()
    qtbot.mouseClick(player.before_scale.buttons[9], Qt.MouseButton.LeftButton)
    assert player.intro_help.isVisible() and player.begin_button.isEnabled()
    qtbot.mouseClick(player.intro_help.button, Qt.MouseButton.LeftButton)
    assert helped == [player]
    qtbot.mouseClick(player.begin_button, Qt.MouseButton.LeftButton)
    assert player.state == "steps"
    player.stop()
    qtbot.mouseClick(player.after_scale.buttons[8], Qt.MouseButton.LeftButton)
    assert player.end_help.isVisible()
    qtbot.mouseClick(player.after_scale.buttons[3], Qt.MouseButton.LeftButton)
    assert not player.end_help.isVisible()
    s = Exercises.over(fast_diary.db).practice.sessions()[0]
    assert (s.distress_before, s.distress_after) == (9, 3)


def test_no_change_is_shown_gently_not_as_failure(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = ground_me_now(window, fast_diary, context, clock=clock)
    assert player is not None
    qtbot.mouseClick(player.quick_scale.buttons[5], Qt.MouseButton.LeftButton)
    player.stop()
    qtbot.mouseClick(player.after_scale.buttons[6], Qt.MouseButton.LeftButton)
    assert player.no_change_text.isVisible()
    assert "not a failure" in player.no_change_text.text()
    qtbot.mouseClick(player.after_scale.skip, Qt.MouseButton.LeftButton)
    assert Exercises.over(fast_diary.db).practice.sessions()[0].distress_after is None


def test_ratings_are_optional_and_a_second_click_clears(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(window, fast_diary, context, "orienting", clock=clock)
    assert player is not None
    scale = player.before_scale
    qtbot.mouseClick(scale.buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(scale.buttons[6], Qt.MouseButton.LeftButton)
    assert scale.value is None
    qtbot.mouseClick(player.begin_button, Qt.MouseButton.LeftButton)
    assert Exercises.over(fast_diary.db).practice.sessions()[0].distress_before is None


def test_cautions_come_first_for_exercises_not_suggested_by_default(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    Exercises.over(fast_diary.db).favourites.make_first("cold-water")
    player = ground_me_now(window, fast_diary, context, clock=clock)
    assert player is not None and player.exercise.id == "cold-water"
    assert player.state == "intro" and _sessions(fast_diary) == []
    # the gentler hands-only version is the default; the face version is a choice
    assert player.variant == "default"
    player.variant_group.button(1).click()
    assert player.variant == "face"
    qtbot.mouseClick(player.not_now_button, Qt.MouseButton.LeftButton)
    assert _sessions(fast_diary) == []


def test_no_hold_variant_removes_the_pauses_from_the_pacer(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(window, fast_diary, context, "box-breathing", clock=clock)
    assert player is not None
    pacer = player.current_pacer()
    assert pacer is not None and pacer.has_holds
    player.variant_group.button(1).click()
    pacer = player.current_pacer()
    assert player.variant == "no-hold" and pacer is not None and not pacer.has_holds
    qtbot.mouseClick(player.begin_button, Qt.MouseButton.LeftButton)
    assert Exercises.over(fast_diary.db).practice.sessions()[0].variant == "no-hold"


def test_the_pace_can_be_changed_and_is_remembered(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(window, fast_diary, context, "paced-breathing", clock=clock)
    assert player is not None
    for _ in range(10):
        qtbot.mouseClick(player.intro_pace.slower, Qt.MouseButton.LeftButton)
    assert player.rate == 4.5 and not player.intro_pace.slower.isEnabled()
    qtbot.mouseClick(player.begin_button, Qt.MouseButton.LeftButton)
    player.next_step()
    player.next_step()
    clock.advance(3)
    qtbot.mouseClick(player.step_pace.faster, Qt.MouseButton.LeftButton)
    assert player.rate == 5.0
    pacer = player.current_pacer()
    assert pacer is not None and pacer.breaths_per_minute == pytest.approx(5.0)
    player.stop()
    assert Exercises.over(fast_diary.db).practice.sessions()[0].breaths_per_minute == 5.0
    player.close_player()
    again = start_exercise(window, fast_diary, context, "paced-breathing", clock=clock)
    qtbot.waitUntil(lambda: again is not None and again is not player)
    assert again is not None and again.rate == 5.0


def test_the_pacer_animates_smoothly_or_stays_still_with_reduce_motion(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(window, fast_diary, context, "paced-breathing", clock=clock)
    assert player is not None
    player.begin()
    player.next_step()
    player.next_step()
    assert player.ticker.interval == FRAME_MS  # type: ignore[attr-defined]
    levels = []
    for _ in range(4):
        clock.advance(0.9)
        levels.append(player.pacer.state.level)
    assert levels == sorted(levels) and player.pacer.state.phase == "inhale"
    player.close_player()

    context.device = context.device.with_changes(reduce_motion=True)
    still = start_exercise(window, fast_diary, context, "paced-breathing", clock=clock)
    qtbot.waitUntil(lambda: still is not None and still is not player)
    assert still is not None
    still.begin()
    still.next_step()
    still.next_step()
    assert still.pacer.reduce_motion and still.ticker.interval == IDLE_MS  # type: ignore[attr-defined]
    clock.advance(1)
    assert still.pacer.accessibleDescription() == "Breathe in, 3"
    grab = still.pacer.grab()
    assert not grab.isNull()


def test_pacer_timing_follows_the_exercise() -> None:
    box = get_exercise("box-breathing").pacer
    assert box is not None
    assert [state_at(box, t).phase for t in (0, 3.1, 6.1, 9.1, 12.1)] == [
        "inhale",
        "hold_in",
        "exhale",
        "hold_out",
        "inhale",
    ]
    assert state_at(box, 1.5).level == pytest.approx(0.5)
    assert state_at(box, 4).level == 1.0 and state_at(box, 10).level == 0.0
    assert state_at(box, 0.2).count == 3
    assert ease(0) == 0 and ease(1) == 1 and ease(0.5) == pytest.approx(0.5)
    plain = get_exercise("paced-breathing").pacer
    assert plain is not None
    assert state_at(plain, 9.99).phase == "exhale"
    assert state_at(plain, 10.0).phase == "inhale"


def test_enter_activates_the_focused_button(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(window, fast_diary, context, "categories", clock=clock)
    assert player is not None
    player.begin_button.setFocus()
    qtbot.keyClick(player.begin_button, Qt.Key.Key_Return)
    assert player.state == "steps"


def test_closing_mid_exercise_keeps_the_session(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(
        window, fast_diary, context, "progressive-muscle-relaxation", clock=clock
    )
    assert player is not None
    player.begin()
    player.next_step()
    clock.advance(4)  # within the 6-second step
    window.close()
    qtbot.waitUntil(lambda: len(_sessions(fast_diary)) == 1)
    (s,) = Exercises.over(fast_diary.db).practice.sessions()
    assert not s.completed and s.steps_reached == 2


def test_a_long_step_moves_the_saved_end_on(
    qtbot: QtBot, window: QWidget, fast_diary: OpenDiary, context: AppContext, clock: ManualClock
) -> None:
    player = start_exercise(window, fast_diary, context, "paced-breathing", clock=clock)
    assert player is not None
    player.begin()
    player.next_step()
    player.next_step()
    clock.advance(100)
    s = Exercises.over(fast_diary.db).practice.sessions()[0]
    assert s.duration.total_seconds() >= 90 and not s.completed


def test_locking_the_main_window_mid_exercise_loses_nothing(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, vault_path: Path, clock: ManualClock
) -> None:
    from companion.ui.main_window import MainWindow

    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    player = ground_me_now(window, diary, context, clock=clock)
    assert player is not None
    qtbot.mouseClick(player.quick_scale.buttons[6], Qt.MouseButton.LeftButton)
    player.next_step()
    player.next_step()
    clock.advance(15)
    with qtbot.waitSignal(window.locked):
        window.lock()
    reopened = OpenDiary.unlock(vault_path, passphrase=PASS)
    try:
        (s,) = Exercises.over(reopened.db).practice.sessions()
        assert (s.completed, s.steps_reached, s.distress_before) == (False, 3, 6)
    finally:
        reopened.close()


def test_a_note_typed_just_before_locking_is_kept(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, vault_path: Path, clock: ManualClock
) -> None:
    from companion.ui.main_window import MainWindow

    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    player = ground_me_now(window, diary, context, clock=clock)
    assert player is not None
    player.stop()
    qtbot.keyClicks(player.note, "Typed a moment ago")
    with qtbot.waitSignal(window.locked):
        window.lock()  # well inside the note's save delay
    reopened = OpenDiary.unlock(vault_path, passphrase=PASS)
    try:
        (s,) = Exercises.over(reopened.db).practice.sessions()
        assert s.note == "Typed a moment ago"
    finally:
        reopened.close()


def test_a_save_that_fails_is_told_calmly_and_the_exercise_goes_on(
    qtbot: QtBot,
    window: QWidget,
    fast_diary: OpenDiary,
    context: AppContext,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from companion.storage.errors import VaultError

    player = ground_me_now(window, fast_diary, context, clock=clock)
    assert player is not None

    def disk_full(*_args: object, **_kwargs: object) -> object:
        raise VaultError("The disk is full.")

    monkeypatch.setattr(player.practice, "record_progress", disk_full)
    with qtbot.waitSignal(context.signals.save_failed) as told:  # the app's notice hears it too
        qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    assert told.args == ["The disk is full."]
    assert player.status.text() == (
        "Your practice could not be saved just now (The disk is full.). Companion will try "
        "again at the next step."
    )
    assert player.state == "steps" and player.index == 1  # the exercise goes on
    monkeypatch.undo()
    qtbot.mouseClick(player.next_button, Qt.MouseButton.LeftButton)
    assert player.status.text() == "" and not player.status.isVisible()
    (s,) = Exercises.over(fast_diary.db).practice.sessions()
    assert s.steps_reached == 3
