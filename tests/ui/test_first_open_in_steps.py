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


def test_tags_and_trackers_are_complete_and_in_order_after_their_steps(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    page = _diary(qtbot, window)
    page.tabs.setCurrentIndex(3)  # a click on the tab
    qtbot.waitUntil(lambda: 3 in page._built)
    manage = page.manage
    qtbot.waitUntil(lambda: manage.building)
    qtbot.waitUntil(lambda: not manage.building)
    svc = MoodService(diary.db)
    tags, trackers = svc.tags(), svc.trackers()
    assert set(manage.rows) == {t.id for t in tags} | {t.id for t in trackers}
    for box, wanted in (
        (manage.activity_box, [t for t in tags if t.kind is TagKind.ACTIVITY]),
        (manage.trigger_box, [t for t in tags if t.kind is TagKind.TRIGGER]),
        (manage.tracker_box, trackers),
    ):
        shown = [box.itemAt(i).widget() for i in range(box.count())]
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
    page = _diary(qtbot, window)
    page.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: 3 in page._built)
    manage = page.manage
    qtbot.waitUntil(lambda: manage.building)
    manage.refresh()  # a change arrives while the first build is still going
    assert not manage.building
    rows = dict(manage.rows)
    wait_for_tasks(qtbot)
    qtbot.wait(50)
    assert manage.rows == rows
    counts = [b.count() for b in (manage.activity_box, manage.trigger_box, manage.tracker_box)]
    assert sum(counts) == len(rows)


@pytest.mark.parametrize("where", ["manage"])
def test_locking_during_the_build_deletes_cleanly(
    qtbot: QtBot, window: MainWindow, where: str
) -> None:
    page = _diary(qtbot, window)
    page.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: 3 in page._built)
    building = page.manage
    qtbot.waitUntil(lambda: building.building)
    with qtbot.waitSignal(window.locked, timeout=5000):
        window.lock()
    qtbot.waitUntil(lambda: teardown.running() == 0, timeout=20_000)
    assert [w for w in QApplication.allWidgets() if isinstance(w, Page)] == []
