"""Check-ins saved on Today's card appear in its recent check-ins at once, exactly as a fresh
read of the diary would show them (the card adds the one just saved without reading back)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.core.mood.service import CheckIn, MoodService, TagKind
from companion.core.session import OpenDiary
from companion.storage.errors import VaultWriteError
from companion.ui.mood.entry_view import EntryView
from companion.ui.mood.today_card import RECENT, CheckInCard
from companion.ui.pages import AppContext


def _card(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> CheckInCard:
    card = CheckInCard(diary, context)
    qtbot.addWidget(card)
    card.resize(900, 700)
    card.show()
    qtbot.waitExposed(card)
    return card


def _shown(card: CheckInCard) -> list[tuple[str, int]]:
    return [(v.entry.id, v.entry.mood) for v in card.recent]


def _as_read(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> list[tuple[str, int]]:
    return _shown(_card(qtbot, diary, context))


def _click_save(qtbot: QtBot, card: CheckInCard, mood: int) -> None:
    qtbot.mouseClick(card.form.mood.buttons[mood], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.form.save_button, Qt.MouseButton.LeftButton)


def _save(qtbot: QtBot, card: CheckInCard, mood: int) -> None:
    """Saved, the turn after the click's (the change heard, the row made) and the one after
    it (the row placed) over."""
    _click_save(qtbot, card, mood)
    qtbot.wait(1)
    qtbot.waitUntil(lambda: card._newest is None)


def test_each_check_in_is_on_top_at_once_and_the_list_is_what_a_read_shows(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = _card(qtbot, diary, context)
    assert card.empty.isVisible() and card.recent == []
    heard: list[str] = []
    context.changes.listen("mood", lambda change: heard.append(change.what), receiver=card)
    for count, mood in enumerate((3, 5, 7, 9, 4), start=1):
        before = list(card.recent)
        _click_save(qtbot, card, mood)
        # in the click's turn: saved, the form emptied and "Saved" (painted before the rest)
        assert card.form.status.text().startswith("Saved")
        assert card.form.mood.value() is None
        assert len(card.service.entries()) == count
        # the change is heard, and the row drawn, in the next turn (with the click's paint
        # before them they made a 17-21 ms turn)
        assert heard == ["entries"] * (count - 1)
        assert card.recent == before
        qtbot.waitUntil(lambda: len(heard) == count)  # noqa: B023
        # the row made in that turn, out of the list; placed on top in the next one (in one
        # turn with the page's layout and paint, they were 15-20 ms)
        qtbot.waitUntil(lambda: card.recent[:1] != before[:1])  # noqa: B023
        # the rows already there stay as they are (one row is drawn, none read back)
        assert card.recent[1:] == before[: RECENT - 1]
        assert card.recent[0].entry.mood == mood
        assert len(card.recent) == min(count, RECENT)
        assert not card.empty.isVisible()
        assert card.recent_box.count() == len(card.recent)
        assert _shown(card) == _as_read(qtbot, diary, context)
    assert [m for _id, m in _shown(card)] == [4, 9, 7]


def test_an_earlier_time_or_a_new_tag_reads_the_card_again(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = _card(qtbot, diary, context)
    _save(qtbot, card, 6)
    _save(qtbot, card, 8)
    form = card.form
    # backdated: it goes below the newer ones, where a read puts it
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
    form.when.setDateTime(form.when.dateTime().addDays(-1))
    _save(qtbot, card, 2)
    assert [m for _id, m in _shown(card)] == [8, 6, 2]
    assert _shown(card) == _as_read(qtbot, diary, context)
    # a tag made since the card last read its tags: the new check-in is drawn with its name
    service = MoodService(diary.db)
    calm = service.add_tag("Calm", TagKind.ACTIVITY)
    card.form.reload_options()
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
    if not form.sections["experiences"].body.isVisible():
        qtbot.mouseClick(form.sections["experiences"].header, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.activities.chips[calm.id], Qt.MouseButton.LeftButton)
    _save(qtbot, card, 5)
    top = card.recent[0]
    assert top.entry.mood == 5 and top.entry.tag_ids == {calm.id}
    assert "Calm" in {t.name for t in card._tags.values()}
    assert _shown(card) == _as_read(qtbot, diary, context)


def test_a_check_in_kept_in_memory_when_the_disk_fails_is_shown_all_the_same(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = _card(qtbot, diary, context)
    _save(qtbot, card, 6)
    real = card.service.create_entry

    def written_then_refused(checkin: object) -> object:
        real(checkin)  # type: ignore[arg-type]
        raise VaultWriteError()

    monkeypatch.setattr(card.service, "create_entry", written_then_refused)
    _click_save(qtbot, card, 3)
    assert "could not save" in card.form.error.text().lower()
    qtbot.waitUntil(lambda: len(card.recent) == 2)
    assert [m for _id, m in _shown(card)] == [3, 6]
    assert _shown(card) == _as_read(qtbot, diary, context)


def test_a_check_in_saved_elsewhere_is_read_as_before(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = _card(qtbot, diary, context)
    _save(qtbot, card, 6)
    service = MoodService(diary.db)
    service.create_entry(replace(service.entries()[-1].to_checkin(), mood=9, at=None))
    context.changes.announce("mood", "entries")  # as the Ctrl+N window or an import does
    assert [m for _id, m in _shown(card)] == [9, 6]
    assert _shown(card) == _as_read(qtbot, diary, context)


def test_a_lock_between_the_save_and_its_next_turn_adds_nothing_to_the_closed_diary(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    from companion.ui.pages import Page

    page = Page(diary, context)
    qtbot.addWidget(page)
    card = CheckInCard(diary, context, page)
    page.show()
    qtbot.waitExposed(page)
    heard: list[object] = []
    context.changes.listen("mood", heard.append, receiver=page)
    _click_save(qtbot, card, 6)
    assert len(card.service.entries()) == 1  # saved (the lock's ``before_lock`` may do this)
    page.locked = True  # as the main window marks its pages when the diary locks
    qtbot.wait(20)
    assert heard == [] and card.recent == []  # nothing read from, nor drawn for, it


def test_built_in_parts_its_check_ins_and_their_tags_are_read_apart_and_never_drawn_stale(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Today's first screen, a piece per turn while the unlock window is up: the check-ins,
    then the tags and trackers (together 8-9 ms), then the drawing, which reads again if the
    diary changed since."""
    service = MoodService(diary.db)
    service.tags()  # (a new diary's first read writes its tags)
    service.create_entry(replace(_checkin(), mood=4))
    card, parts = CheckInCard.in_parts(diary, context)
    qtbot.addWidget(card)
    assert len(parts) == 3
    *reads, drawing = parts
    for read in reads:
        read()
    service.create_entry(replace(_checkin(), mood=7))  # between the reads and the drawing
    drawing()
    assert [m for _id, m in _shown(card)] == [7, 4]
    assert _shown(card) == _as_read(qtbot, diary, context)


def _checkin() -> CheckIn:
    return CheckIn(mood=5)


def test_the_page_takes_its_new_height_in_the_turn_that_adds_the_row(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """The new row is shown in the turn that adds it (a layout shows a widget added to it a
    turn later: the paint after the change showed the list without it), and, a row of another
    height than the one it replaces making Today taller or shorter, the page is laid out to
    that height then, not resized by its scroll area a turn later (which painted the whole
    page a second time after each check-in)."""
    from datetime import datetime, timedelta

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from tests.ui.conftest import main_window_shown, wait_for_tasks

    service = MoodService(diary.db)
    start = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=RECENT + 1)
    for hour in range(RECENT):  # rows two lines tall: a mood alone is one
        note = "a walk by the river in the rain, then tea with a friend at the corner café"
        service.create_entry(CheckIn(mood=5, note=note, at=start + timedelta(hours=hour)))
    window = main_window_shown(qtbot, diary, context)
    page = window.page("today")
    wait_for_tasks(qtbot)
    card = next(c for c in page.feature_cards if isinstance(c, CheckInCard))
    before = page.height()
    resized: list[int] = []

    class Resizes(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                resized.append(page.height())
            return False

    watch = Resizes()
    seen: list[bool] = []  # the new row visible in the turn that places it
    place = card._place_newest

    def placed(view: EntryView) -> None:
        place(view)
        seen.append(card.recent[0] is view and view.isVisible())

    card._place_newest = placed  # type: ignore[method-assign]
    _click_save(qtbot, card, 7)
    qtbot.waitUntil(lambda: card.recent[0].entry.mood == 7)
    assert seen == [True]
    assert page.height() != before  # (the new row is shorter: the page is already shorter)
    page.installEventFilter(watch)
    for _turn in range(5):
        QApplication.processEvents()
    assert resized == []


def test_the_rows_are_styled_by_the_application_not_each_by_a_sheet_of_its_own(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """A row with a style sheet of its own had it parsed and applied as it was made (0.5-2 ms
    of the turn that shows a new check-in); the application's sheet styles them alike: the
    mood's round badge at its size, the rule line above each row."""
    from PySide6.QtWidgets import QLabel

    from companion.ui import theme

    card = _card(qtbot, diary, context)
    for mood in (3, 8):
        _click_save(qtbot, card, mood)
        qtbot.waitUntil(lambda m=mood: bool(card.recent) and card.recent[0].entry.mood == m)
    side = theme.mood_badge_side(theme.text_scale())
    for view in card.recent:
        assert view.styleSheet() == ""
        badge = view.findChild(QLabel, "MoodBadge")
        assert badge is not None and badge.width() == badge.height() == side
        assert view.contentsRect().top() >= 1  # (the rule line: a 1 px border on top)


def test_the_new_row_is_made_in_one_turn_and_placed_in_the_next(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """The turn after the click's makes the row, styled and measured at the rows' width, out
    of the list; the next places it on top, shown, with the page's layout and paint. A list
    read again in between (a change from elsewhere) drops the row made."""
    card = _card(qtbot, diary, context)
    _save(qtbot, card, 4)
    shown = list(card.recent)
    before_placing: list[tuple[object, ...]] = []
    place = card._place_newest

    def placed(view: EntryView) -> None:
        before_placing.append(
            (view.entry.mood, card.recent == shown, view.isHidden(), view.parentWidget())
        )
        place(view)

    card._place_newest = placed  # type: ignore[method-assign]
    _click_save(qtbot, card, 6)
    qtbot.waitUntil(lambda: bool(before_placing) and card._newest is None)
    # made a turn before, not in the list yet, styled where it goes
    assert before_placing == [(6, True, True, card.recent_box.parentWidget())]
    assert card.recent[0].entry.mood == 6 and card.recent[0].isVisible()
    # read again before it was placed: the row made goes, the list is what a read shows
    card._place_newest = place  # type: ignore[method-assign]
    made: list[EntryView] = []
    add = card._add_newest

    def added(entry: object) -> bool:
        done = add(entry)  # type: ignore[arg-type]
        assert card._newest is not None
        made.append(card._newest)
        card.refresh(options=False)
        return done

    card._add_newest = added  # type: ignore[method-assign]
    _click_save(qtbot, card, 8)
    qtbot.waitUntil(lambda: bool(made))
    qtbot.wait(5)
    assert made[0] not in card.recent and card._newest is None
    assert [v.entry.mood for v in card.recent] == [8, 6, 4]
    assert _shown(card) == _as_read(qtbot, diary, context)
