"""Unlocking shows Today as soon as its first screen is ready: the cards that fill it are built
before the page is shown (a piece per turn while the unlock window is still up, or at once as
it is shown), the others a few per turn of the event loop once it has been painted."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from companion.core.session import OpenDiary
from companion.ui.extension_points import load
from companion.ui.main_window import MainWindow
from companion.ui.mood.today_card import CheckInCard
from companion.ui.pages import AppContext

from .conftest import wait_for_tasks


def test_the_first_screen_first_and_the_other_cards_after_the_paint(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    page = window.page("today")
    every = load().today_cards()
    assert page._cards == []  # a bare page: its first screen is built in pieces, or when shown
    pieces = 0
    while page.first_screen_step():
        pieces += 1
    assert page.first_screen_whole() and not page.first_screen_step()
    assert isinstance(page._cards[0], CheckInCard)  # the check-in, where a person starts
    assert pieces >= 2  # (its form, then its recent check-ins)
    assert page._cards[0].recent_box.count() == len(page._cards[0].recent)
    assert page._waiting  # the rest wait for the paint
    window.show()
    window.focus_start()
    qtbot.waitUntil(lambda: not page.building)  # (the last one read and drawn in parts too)
    assert [type(card) for card in page._cards] == every  # in their order, none twice
    layout = page.cards
    assert layout.indexOf(page.safe_card) == layout.count() - 1  # "Your diary is safe" last
    # each is on screen, but for one that hid itself (check-ups with nothing due)
    assert all(card.isVisible() == card.isVisibleTo(page) for card in page._cards)
    assert page._cards[0].isVisible()
    assert window.focusWidget() is page._cards[0].form.mood  # focus stayed on the check-in
    wait_for_tasks(qtbot)


def test_asking_for_the_cards_builds_them_at_once(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    page = window.page("today")
    assert [type(card) for card in page.feature_cards] == load().today_cards()
    assert not page._waiting
    window.lock()  # nothing was painted: nothing is built afterwards
    wait_for_tasks(qtbot)


def test_the_backups_are_counted_off_the_gui_thread(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch
) -> None:
    """Listing the backups waits for a save under way (an fsync): a worker counts them, and
    the page is building until the count is in; it is counted again when Today is shown."""
    import threading

    from companion.ui.today.page import TodayPage

    threads: list[str] = []
    real = TodayPage._count_backups

    def counting(page: TodayPage) -> int:
        threads.append(threading.current_thread().name)
        return real(page)

    monkeypatch.setattr(TodayPage, "_count_backups", counting)
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    page = window.page("today")
    assert page.saved_label.text() == ""  # counted once its first screen has read the diary
    window.show()  # (a page off screen is finished at once by wait_for_tasks)
    assert page.building or "encrypted backup" in page.saved_label.text()
    qtbot.waitUntil(lambda: page.saved_label.text() != "")
    count = len(diary.backups())
    assert f"keeps {count} encrypted backup" in page.saved_label.text()
    page.refresh()  # shown again later
    wait_for_tasks(qtbot)
    assert len(threads) == 2 and threading.main_thread().name not in threads
    window.lock()
    wait_for_tasks(qtbot)


def test_a_page_finishing_at_once_counts_the_backups_at_once(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    page = window.page("today")
    page.finish_building()  # a screenshot, a link
    assert "encrypted backup" in page.saved_label.text()
    window.lock()
    wait_for_tasks(qtbot)


def test_a_page_shown_at_once_has_its_first_screen_when_first_painted(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    page = window.page("today")
    seen: list[int] = []
    original = page.paintEvent

    def painting(event: object) -> None:
        if not seen:
            seen.append(len(page._cards))
        original(event)  # type: ignore[arg-type]

    page.paintEvent = painting  # type: ignore[method-assign]
    window.show()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] >= 1 and isinstance(page._cards[0], CheckInCard)
    assert page.first_screen_whole()
    qtbot.waitUntil(lambda: not page.building)
    wait_for_tasks(qtbot)


def test_a_card_after_the_paint_is_built_a_piece_per_turn_and_taken_in_whole(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made, read (in a part or two) and drawn each in a turn of its own (together a card was
    a turn of 11-17 ms), off the page: it is on the page only once it is drawn."""
    from companion.core.medications.service import MedicationService
    from companion.ui.medications.today_card import DosesCard

    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    page = window.page("today")
    while page.first_screen_step():
        pass
    assert DosesCard in page._waiting
    turns: list[tuple[int, str]] = []
    turn = [0]
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: turn.__setitem__(0, turn[0] + 1))
    on_page_when_drawn: list[bool] = []

    def watched(what: str, real: Any) -> Any:
        def call(self: Any, *args: Any) -> Any:
            turns.append((turn[0], what))
            if what == "draw":
                on_page_when_drawn.append(self.parentWidget() is not None)
            return real(self, *args)

        return call

    monkeypatch.setattr(DosesCard, "_draw", watched("draw", DosesCard._draw))
    monkeypatch.setattr(DosesCard, "_has_medicines", watched("medicines", DosesCard._has_medicines))
    monkeypatch.setattr(
        MedicationService, "doses_for_day", watched("doses", MedicationService.doses_for_day)
    )
    ticker.start(0)  # counts the turns of the event loop
    window.show()
    qtbot.waitUntil(lambda: not page.building)
    ticker.stop()
    assert [what for _turn, what in turns] == ["medicines", "doses", "draw"]
    assert len({at for at, _what in turns}) == 3  # each in a turn of its own
    assert on_page_when_drawn == [False]  # drawn off the page, never seen half-built
    card = next(c for c in page._cards if isinstance(c, DosesCard))
    assert card.parentWidget() is not None and card.isVisible()
    assert [type(c) for c in page._cards] == load().today_cards()
    wait_for_tasks(qtbot)


def test_a_change_between_a_cards_read_and_its_drawing_is_read_again(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    from companion.core.safety.service import STEPS, SafetyService
    from companion.ui.today.getting_started import GettingStartedCard

    card, parts = GettingStartedCard.in_parts(diary, context)
    qtbot.addWidget(card)
    *reads, drawing = parts
    for read in reads:
        read()
    assert "safety" in card.open_steps()
    diary.service(SafetyService).add_item(STEPS[0].key, "Call my sister")  # (between them)
    drawing()
    assert card.rows["safety"].isHidden()  # what the diary holds now, not what was read


def test_a_card_built_after_the_paint_is_measured_off_the_page_in_a_turn_before_its_take_in(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its wrapped labels measured for the page's width while it is off the page: the turn
    that takes it in and lays the page out is the shorter for it."""
    from companion.ui.today.page import TodayPage

    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.warm_up_wait.timer.stop()
    window.resize(1100, 760)
    page = window.page("today")
    while page.first_screen_step():
        pass
    assert page._waiting
    seen: list[tuple[str, Any, bool]] = []
    measure, take_in = TodayPage._measure, TodayPage._take_in

    def measuring(self: TodayPage, card: Any) -> None:
        seen.append(("measured", card, card.parent() is None))
        measure(self, card)

    def taking_in(self: TodayPage, card: Any) -> None:
        seen.append(("taken in", card, card.parent() is None))
        take_in(self, card)

    monkeypatch.setattr(TodayPage, "_measure", measuring)
    monkeypatch.setattr(TodayPage, "_take_in", taking_in)
    window.show()
    qtbot.waitUntil(lambda: not page.building)
    measured = [card for what, card, _off in seen if what == "measured"]
    assert measured  # (the cards built in parts after the paint)
    for card in measured:
        steps = [(what, off) for what, c, off in seen if c is card]
        assert steps == [("measured", True), ("taken in", True)]  # off the page, then taken in
    assert [type(card) for card in page._cards] == load().today_cards()
    wait_for_tasks(qtbot)
