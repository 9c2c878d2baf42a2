"""Today's homework card hears of every change a plan might count; it draws a plan again only
when what it shows of it changed (a check-in is saved in one turn, the card's reading in the
next: redrawing every plan each time was most of that turn)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion.core.homework.demo import demo_plan
from companion.core.homework.plan import plan_to_toml
from companion.core.homework.service import HomeworkService
from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from companion.core.timekeeping import local_now
from companion.ui.homework.progress_view import PlanShown
from companion.ui.homework.today_card import HomeworkCard
from companion.ui.pages import AppContext

from .conftest import wait_for_tasks


def _texts(card: HomeworkCard) -> list[str]:
    return [w.text() for view in card.views for w in view.findChildren(QLabel)]


def test_a_plan_is_drawn_again_only_when_what_it_shows_changed(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    card = HomeworkCard(diary, context)  # made before the page takes it in, as Today does
    assert not card.isVisible()  # (shown without a parent, it would be a window of its own)
    QVBoxLayout(holder).addWidget(card)
    holder.show()
    homework = diary.service(HomeworkService)
    today = local_now().date()
    info = homework.accept(homework.open_text(plan_to_toml(demo_plan(today - timedelta(days=3)))))
    context.changes.announce("homework", "plans")
    qtbot.waitUntil(lambda: len(card.views) == 1)
    view, before = card.views[0], _texts(card)
    # nothing any plan shows has changed: the same view stays
    context.changes.announce("learn")
    context.changes.announce("checkups")
    qtbot.waitUntil(lambda: not card._rebuild.isActive())  # (it reads on the next turn)
    assert card.views == [view] and _texts(card) == before
    # a change it shows: drawn again, as a fresh card draws it
    MoodService(diary.db).create_entry(CheckIn(mood=5))
    homework.set_tick(info.id, 5, today, True)
    context.changes.announce("homework", "ticks")
    qtbot.waitUntil(lambda: card.views != [view])
    assert card.views[0].ticks[5].isChecked()
    fresh = HomeworkCard(diary, context, holder)
    assert _texts(card) == _texts(fresh)
    wait_for_tasks(qtbot)


def test_built_in_parts_a_change_before_its_drawing_is_read_by_the_drawing(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Built after Today's first paint, the card is off the page until drawn: a change heard
    meanwhile starts nothing of its own (a lock may come before its turn), its drawing reads
    the diary again."""
    card, parts = HomeworkCard.in_parts(diary, context)
    qtbot.addWidget(card)
    *reads, drawing = parts
    for read in reads:
        read()
    homework = diary.service(HomeworkService)
    today = local_now().date()
    homework.accept(homework.open_text(plan_to_toml(demo_plan(today - timedelta(days=3)))))
    context.changes.announce("homework", "plans")
    assert not card._rebuild.isActive()
    drawing()
    assert len(card.views) == 1  # the plan accepted between the read and the drawing
    context.changes.announce("homework", "plans")
    assert card._rebuild.isActive()  # drawn: it hears changes again
    card._rebuild.stop()
    wait_for_tasks(qtbot)


def test_a_change_is_read_in_one_turn_and_drawn_in_the_next_on_the_gui_thread(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Read and drawn in turns of their own (together, after a check-in, one turn of 10-20
    ms), both on the GUI thread: the live diary's session is this thread's alone."""
    import threading

    from companion.ui import timers

    holder = QWidget()
    qtbot.addWidget(holder)
    card = HomeworkCard(diary, context)
    QVBoxLayout(holder).addWidget(card)
    holder.show()
    seen: list[tuple[str, bool, int]] = []
    read, draw = card._read, card._draw

    def reading() -> list[PlanShown]:
        seen.append(("read", threading.current_thread() is threading.main_thread(), 0))
        return read()

    def drawing(shown: list[PlanShown]) -> None:
        seen.append(("draw", threading.current_thread() is threading.main_thread(), 0))
        draw(shown)

    card._read = reading  # type: ignore[method-assign]
    card._draw = drawing  # type: ignore[method-assign]
    homework = diary.service(HomeworkService)
    homework.accept(homework.open_text(plan_to_toml(demo_plan(local_now().date()))))
    card._rebuild.stop()
    card._read_then_draw()  # (what a change heard starts, a turn after it)
    assert [kind for kind, _gui, _n in seen] == ["read"]  # the drawing waits for a turn
    assert timers.turns_pending() == 1
    qtbot.waitUntil(lambda: len(card.views) == 1)
    assert seen == [("read", True, 0), ("draw", True, 0)]
    wait_for_tasks(qtbot)


def test_a_change_while_it_reads_is_read_again_before_anything_is_drawn(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """A change between the read and the drawing's turn: what was read is not drawn; the
    drawing reads again (``read_then_draw``)."""
    holder = QWidget()
    qtbot.addWidget(holder)
    card = HomeworkCard(diary, context)
    QVBoxLayout(holder).addWidget(card)
    holder.show()
    homework = diary.service(HomeworkService)
    read = card._read
    reads: list[int] = []

    def reading() -> list[PlanShown]:
        shown = read()
        if not reads:  # a plan accepted between the first read and its drawing
            homework.accept(homework.open_text(plan_to_toml(demo_plan(local_now().date()))))
        reads.append(len(shown))
        return shown

    card._read = reading  # type: ignore[method-assign]
    context.changes.announce("homework", "plans")
    qtbot.waitUntil(lambda: len(card.views) == 1)
    assert reads[:2] == [0, 1]  # the first read, stale by its drawing's turn, was not drawn
    wait_for_tasks(qtbot)
