"""Pages and tabs that build their content over several turns of the event loop on first
open (``companion.ui.timers.in_steps``): complete once their steps have run, complete at once
for whoever needs the whole page (a link, a test, the keyboard), and a lock in the middle of
the build deletes them cleanly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.core.mood.service import MoodService, TagKind, TrackerKind
from companion.core.session import OpenDiary
from companion.ui import teardown
from companion.ui.main_window import MainWindow
from companion.ui.mood.page import DiaryPage
from companion.ui.pages import AppContext, Page

from .conftest import wait_for_tasks


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    svc = MoodService(diary.db)
    svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=10)
    svc.add_tracker("Walked", TrackerKind.YES_NO)
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.resize(1100, 760)
    w.show()
    qtbot.waitExposed(w)
    yield w
    wait_for_tasks(qtbot)


def _diary(qtbot: QtBot, window: MainWindow) -> DiaryPage:
    window.open_page("mood")
    page = window.page("mood")
    assert isinstance(page, DiaryPage)
    wait_for_tasks(qtbot)
    return page


def _manage_building(qtbot: QtBot, window: MainWindow) -> DiaryPage:
    """A click on the Tags & trackers tab, and the turns after it up to its first rows."""
    page = _diary(qtbot, window)
    page.tabs.setCurrentIndex(3)
    page._build_then_fill(3)  # (the turn after the click)
    page._fill(3)  # (the turn after that)
    assert page.manage.building
    return page


def test_tags_and_trackers_are_complete_and_in_order_after_their_steps(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    page = _manage_building(qtbot, window)
    manage = page.manage
    qtbot.waitUntil(lambda: not manage.building)
    svc = MoodService(diary.db)
    tags, trackers = svc.tags(), svc.trackers()
    assert set(manage.rows) == {t.id for t in tags} | {t.id for t in trackers}
    for box, wanted in (
        (manage.activity_box, [t for t in tags if t.kind is TagKind.ACTIVITY]),
        (manage.trigger_box, [t for t in tags if t.kind is TagKind.TRIGGER]),
        (manage.tracker_box, trackers),
    ):
        shown = [item.widget() for i in range(box.count()) if (item := box.itemAt(i))]
        assert shown == [manage.rows[t.id] for t in wanted]  # top-down, in the diary's order
    assert manage.trackers_card is not None and manage.trackers_card.isVisible()
    assert manage.hard_heading.isVisible()
    assert not manage.no_trackers.isVisible()
    uses = {r.original: r.details.text() for r in manage.rows.values()}
    assert uses["Coffee"] == "number, 0 to 10 cups · 0 values"


def test_a_refresh_keeps_the_rows_that_did_not_change(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    page = _diary(qtbot, window)
    page.show_tab("manage")  # by name: the whole tab at once
    manage = page.manage
    assert not manage.building
    before = dict(manage.rows)
    svc = MoodService(diary.db)
    walk = {t.name: t for t in svc.tags()}["Walk"]
    svc.set_tag_archived(walk.id, True)
    manage.refresh()
    assert manage.rows[walk.id] is not before[walk.id]  # made again: archived
    kept = [i for i in before if i != walk.id]
    assert all(manage.rows[i] is before[i] for i in kept)
    assert "archived" in manage.rows[walk.id].details.text()


def test_a_refresh_during_the_build_replaces_it(qtbot: QtBot, window: MainWindow) -> None:
    manage = _manage_building(qtbot, window).manage
    manage.refresh()  # a change arrives while the first build is still going
    assert not manage.building
    rows = dict(manage.rows)
    wait_for_tasks(qtbot)
    qtbot.wait(50)
    assert manage.rows == rows
    counts = [b.count() for b in (manage.activity_box, manage.trigger_box, manage.tracker_box)]
    assert sum(counts) == len(rows)


def _open(qtbot: QtBot, window: MainWindow, page_id: str) -> Page:
    """A click on the page in the sidebar: the page's frame now, the rest in later turns."""
    window.open_page(page_id)
    page = window.page(page_id)
    assert page.building  # type: ignore[attr-defined]
    return page


def _built(qtbot: QtBot, page: Page) -> None:
    qtbot.waitUntil(lambda: not page.building, timeout=10_000)  # type: ignore[attr-defined]
    wait_for_tasks(qtbot)


def test_reports_is_complete_after_its_steps(qtbot: QtBot, window: MainWindow) -> None:
    from companion.ui.reports.page import ReportsPage

    page = _open(qtbot, window, "reports")
    assert isinstance(page, ReportsPage)
    assert set(page._built) == {0}  # the other tabs when first shown
    _built(qtbot, page)
    export = page._export
    cards = [
        export.period.parentWidget(),
        export.section_boxes["mood"].parentWidget(),
        export.save_button.parentWidget(),
    ]
    assert all(c is not None and c.isVisible() for c in cards)
    ys = [c.mapTo(export, c.rect().topLeft()).y() for c in cards if c is not None]
    assert ys == sorted(ys)  # period, sections, format: top-down
    qtbot.waitUntil(lambda: export.preview_result is not None, timeout=20_000)
    page.tabs.setCurrentIndex(2)  # a click on "What was shared"
    assert 2 in page._built and page.shared.isVisible()


def test_reports_link_during_the_build(qtbot: QtBot, window: MainWindow) -> None:
    page = _open(qtbot, window, "reports")
    assert page.open_item("write")  # (as the homework card's "write a plan" does)
    assert not page.building  # type: ignore[attr-defined]
    assert page.tabs.currentIndex() == 3  # type: ignore[attr-defined]
    assert page.composer.isVisible()  # type: ignore[attr-defined]


def test_exercises_is_complete_after_its_steps(qtbot: QtBot, window: MainWindow) -> None:
    from companion.ui.exercises.page import ExercisesPage

    page = _open(qtbot, window, "exercises")
    assert isinstance(page, ExercisesPage)
    assert not page._own_card.isVisible()  # below the exercises: shown once they are
    _built(qtbot, page)
    assert page._own_card.isVisible() and page._history_card.isVisible()
    cards = list(page._cards.values())
    assert len(cards) == len(page.library.library())
    ys = [c.y() for c in cards]
    assert ys == sorted(ys) and all(c.isVisible() for c in cards)
    assert "Ctrl+G" in page.quick_text.text()
    assert page.weekly.weeks  # the practice figures are there too


def test_exercises_link_during_the_build(qtbot: QtBot, window: MainWindow) -> None:
    from companion.ui.exercises.launch import active_player

    _open(qtbot, window, "exercises")
    assert window.open_link("companion:exercise/box-breathing")
    player = active_player(window)
    assert player is not None
    player.close_player()


def test_checkups_is_complete_after_its_steps(qtbot: QtBot, window: MainWindow) -> None:
    from companion.ui.checkups.page import CheckupsPage

    page = _open(qtbot, window, "checkups")
    assert isinstance(page, CheckupsPage)
    _built(qtbot, page)
    overview = page._overview
    assert overview.often_card.isVisible()
    assert set(overview.take_buttons) == {q.id for q in page.service.questionnaires()}
    assert all(b.isVisible() for b in overview.take_buttons.values())


def test_checkups_link_during_the_build(qtbot: QtBot, window: MainWindow) -> None:
    page = _open(qtbot, window, "checkups")
    assert window.open_link("companion:checkup/phq9")
    assert not page.building  # type: ignore[attr-defined]
    assert page.form is not None and page.form.isVisible()  # type: ignore[attr-defined]


@pytest.mark.parametrize("where", ["manage", "reports", "exercises", "checkups"])
def test_locking_during_the_build_deletes_cleanly(
    qtbot: QtBot, window: MainWindow, where: str
) -> None:
    if where == "manage":
        _manage_building(qtbot, window)
    else:
        _open(qtbot, window, where)
    with qtbot.waitSignal(window.locked, timeout=5000):
        window.lock()
    qtbot.waitUntil(lambda: teardown.running() == 0, timeout=20_000)
    assert [w for w in QApplication.allWidgets() if isinstance(w, Page)] == []
