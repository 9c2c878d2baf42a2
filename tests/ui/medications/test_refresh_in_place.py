"""The Medications page shown again, or told the diary changed (issue 11): with nothing changed
it reads nothing and makes nothing again; after a change only the rows and figure blocks that
read differently are made again, in place. A dose logged and a medicine added while the page
is still being built show as they would on a page built after them. A page built ahead, out
of sight, makes its first screen a piece per turn meanwhile and the rest only once it has been
shown and painted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from companion.core import demo
from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseInput, MedicationInput, ScheduleInput
from companion.core.session import OpenDiary
from companion.ui import theme
from companion.ui.main_window import MainWindow
from companion.ui.medications.page import MedicationsPage
from companion.ui.pages import AppContext
from tests.ui.conftest import wait_for_tasks


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    demo.fill(diary.db, 200, 7)  # current and past medicines, doses due today, treatments
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.resize(1100, 760)
    w.show()
    qtbot.waitExposed(w)
    yield w
    wait_for_tasks(qtbot)


def _opened(qtbot: QtBot, window: MainWindow) -> MedicationsPage:
    window.open_page("medications")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    wait_for_tasks(qtbot)
    assert not page.building
    return page


def _everything(page: MedicationsPage) -> dict[str, list[object]]:
    """The widgets that show the diary: each made again only if what it shows changed."""
    return {
        "doses": list(page.doses.rows),
        "medicines": list(page.rows),
        "treatments": list(page.treatment_rows),
        "adherence": list(page.adherence_view.blocks),
        "history": list(page.history_view.blocks),
    }


def _texts(page: MedicationsPage) -> list[str]:
    return sorted(w.text() for w in page.findChildren(QLabel) if w.text() and w.isVisibleTo(page))


def _built_now(diary: OpenDiary, context: AppContext, qtbot: QtBot) -> MedicationsPage:
    """The page as it would be if built now, all at once, to compare with."""
    page = MedicationsPage(diary, context)
    qtbot.addWidget(page)
    page.resize(868, 760)
    page.show()
    page.finish_building()
    wait_for_tasks(qtbot)
    page.past_toggle.click()
    return page


def test_shown_again_with_nothing_changed_it_reads_and_makes_nothing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _opened(qtbot, window)
    before = _everything(page)
    assert all(before.values())
    timeline = page.timeline
    assert timeline is not None
    overlays = list(timeline.chart.overlays)
    window.open_page("today")
    wait_for_tasks(qtbot)
    reads: list[str] = []  # (the service is the Today card's too: watched from here on)
    service = page.service
    monkeypatch.setattr(service, "medications", lambda **_k: reads.append("medicines") or [])
    monkeypatch.setattr(service, "doses_for_day", lambda day=None: reads.append("doses") or [])
    monkeypatch.setattr(page.diary, "read_snapshot", lambda: reads.append("figures"))

    window.open_page("medications")
    wait_for_tasks(qtbot)
    assert reads == []
    assert not page.building
    assert _everything(page) == before
    assert page.timeline is timeline and list(timeline.chart.overlays) == overlays


def test_a_dose_logged_elsewhere_makes_only_what_it_changed_again(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, context: AppContext
) -> None:
    page = _opened(qtbot, window)
    before = _everything(page)
    slots = [row.slot for row in page.doses.rows if row.slot.entry is None]
    assert len(page.doses.rows) >= 2 and slots  # the demo has doses due today, not logged
    slot = slots[0]
    service = diary.service(MedicationService)
    # as the Today card logs it: through the service, then announced to every view
    service.mark_taken(slot.medication_id, slot.day, slot.time, time_known=False)
    context.changes.announce("medications")
    qtbot.waitUntil(lambda: page.doses.row_for(slot.medication_name, slot.time).slot != slot)
    wait_for_tasks(qtbot)

    after = _everything(page)
    changed = page.doses.row_for(slot.medication_name, slot.time)
    assert changed not in before["doses"]
    assert changed.state.text() == "Taken (time not recorded)"
    assert [r for r in after["doses"] if r is not changed] == [
        r for r in before["doses"] if r.slot != slot
    ]
    # the other medicines' rows, the treatments and the courses that did not change stay
    kept = [r for r in after["medicines"] if r in before["medicines"]]
    assert len(kept) >= len(before["medicines"]) - 1
    assert after["treatments"] == before["treatments"]
    assert set(after["history"]) & set(before["history"])
    # and the page reads as one built now
    assert _texts(page) == _texts(_shown_past(_built_now(diary, context, qtbot), page))


def _shown_past(whole: MedicationsPage, like: MedicationsPage) -> MedicationsPage:
    """``whole`` with its past medicines folded as ``like``'s are."""
    if whole.past_box_widget.isVisibleTo(whole) != like.past_box_widget.isVisibleTo(like):
        whole.past_toggle.click()
    return whole


def test_a_dose_logged_and_a_medicine_added_while_the_page_is_being_built(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, context: AppContext
) -> None:
    window.open_page("medications")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    assert page.building  # the cards below the first screen are still to come
    service = diary.service(MedicationService)
    slot = next(row.slot for row in page.doses.rows if row.slot.entry is None)
    service.mark_skipped(slot.medication_id, slot.day, slot.time, advised=False)
    context.changes.announce("medications")
    QApplication.processEvents()  # the page's refresh, with its steps still pending
    service.add(
        MedicationInput(
            name="Lithium carbonate",
            category="lithium",
            started_on=date.today() - timedelta(days=3),
            strength=400,
            strength_unit="mg",
        ),
        ScheduleInput(times=["21:00"]),
        DoseInput(amount=400, unit="mg"),
    )
    context.changes.announce("medications")
    wait_for_tasks(qtbot)

    assert not page.building
    names = [row.info.name for row in page.rows]
    assert names.count("Lithium carbonate") == 1
    assert page.doses.row_for(slot.medication_name, slot.time).state.text() == "Skipped"
    assert page.doses.row_for("Lithium carbonate", "21:00").slot.entry is None
    whole = _built_now(diary, context, qtbot)
    assert names == [row.info.name for row in whole.rows]
    assert _texts(page) == _texts(_shown_past(whole, page))


def test_a_page_built_ahead_makes_its_first_screen_out_of_sight_and_the_rest_once_shown(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, context: AppContext
) -> None:
    window.open_page("today")
    page = window.page("medications")  # built ahead, as the main window may while idle
    assert isinstance(page, MedicationsPage)
    assert not page.isVisible()
    # (the medicines are read in its first turn out of sight, not as it is made)
    assert not page._order
    qtbot.waitUntil(lambda: bool(page._order))
    current = [i for i in page._order if page._medicines[i].stopped_on is None]
    assert current
    qtbot.waitUntil(lambda: bool(page.doses.rows) and len(page.rows) == len(current))
    # out of sight, no more than fills its first screen (here the hidden scroll area has
    # Qt's default size, 640×480: the doses and the medicines leave room for the first card,
    # which is made and fills it; none after it, no figures read). (Waited for, not counted
    # in turns: Today's cards, built after its paint in turns a few milliseconds apart, share
    # the event loop with it.)
    qtbot.waitUntil(lambda: hasattr(page, "adherence_card"))
    qtbot.wait(100)
    room = page.parentWidget()
    assert room is not None
    assert page.height() >= room.height()
    assert not any(hasattr(page, card) for card in ("timeline_card", "history_card"))
    assert page.overview is None
    assert all(row.info.stopped_on is None for row in page.rows)
    rows = list(page.rows)

    window.open_page("medications")
    wait_for_tasks(qtbot)
    assert not page.building
    assert page.rows[: len(rows)] == rows  # made once, out of sight
    assert page.timeline is not None and page.timeline.isVisible()
    assert _texts(page) == _texts(_shown_past(_built_now(diary, context, qtbot), page))


def test_a_page_built_ahead_then_locked_reads_nothing_after_the_lock(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    window.open_page("today")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    page.locked = True  # what the lock sets first (``ui/teardown.py``)
    made = list(page.rows)
    for _ in range(10):
        QApplication.processEvents()
    assert page.rows == made and not page.doses.rows


def test_another_theme_makes_the_rows_with_colours_in_them_again(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _opened(qtbot, window)
    before = _everything(page)
    monkeypatch.setattr(theme, "current", lambda: theme.DARK)
    page.refresh()
    assert not set(page.rows) & set(before["medicines"])  # the "Refill soon" badge's colours
    assert not set(page.doses.rows) & set(before["doses"])  # the primary button's icon
    assert page.treatment_rows == before["treatments"]


def test_after_a_change_elsewhere_the_doses_are_read_again_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check-in changes the diary but not the medicines: shown again, the page reads today's
    doses and the medicines with the figures, on the worker, and makes again only what differs
    (here a dose logged without telling the page, which it then shows all the same)."""
    page = _opened(qtbot, window)
    window.open_page("today")
    wait_for_tasks(qtbot)
    slot = next(row.slot for row in page.doses.rows if row.slot.entry is None)
    service = diary.service(MedicationService)
    service.mark_taken(slot.medication_id, slot.day, slot.time, time_known=False)  # unsaid
    before = _everything(page)
    on_gui: list[str] = []
    real = service.doses_for_day
    monkeypatch.setattr(
        service, "doses_for_day", lambda day=None: on_gui.append("doses") or real(day)
    )

    window.open_page("medications")
    assert on_gui == []  # not in the turn that shows the page
    assert page.doses.row_for(slot.medication_name, slot.time).slot == slot
    wait_for_tasks(qtbot)
    assert on_gui == []
    changed = page.doses.row_for(slot.medication_name, slot.time)
    assert changed.state.text() == "Taken (time not recorded)"
    assert [r for r in page.doses.rows if r is not changed] == [
        r for r in before["doses"] if r.slot != slot
    ]
    assert page.treatment_rows == before["treatments"]


def test_another_period_redraws_the_figures_and_keeps_the_history(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _opened(qtbot, window)
    history = list(page.history_view.blocks)
    before = list(page.adherence_view.blocks)
    texts = sorted(w.text() for w in page.adherence_view.findChildren(QLabel))
    page.period.setCurrentIndex(page.period.findData("365"))
    wait_for_tasks(qtbot)
    assert page.history_view.blocks == history
    assert not set(page.adherence_view.blocks) & set(before)  # other counts in every block
    assert sorted(w.text() for w in page.adherence_view.findChildren(QLabel)) != texts
    page.period.setCurrentIndex(page.period.findData("30"))  # and back: as they were
    wait_for_tasks(qtbot)
    assert sorted(w.text() for w in page.adherence_view.findChildren(QLabel)) == texts
    assert page.history_view.blocks == history
