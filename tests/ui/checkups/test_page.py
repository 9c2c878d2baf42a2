"""The check-ups page driven as a person would: with the keyboard only, through PHQ-9 question
9, across a lock, and back to the scores over time."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from companion.core import timekeeping
from companion.core.checkups.service import CheckupService
from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseInput
from companion.core.safety.service import SafetyService
from companion.core.session import OpenDiary
from companion.ui.checkups.page import CheckupsPage, SupportPanel
from companion.ui.help import HelpDialog
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext
from tests.core.medication_helpers import add_daily
from tests.ui.conftest import PASS, wait_for_tasks

from .conftest import focused, press, tab_to

ENTER = Qt.Key.Key_Return


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[CheckupsPage]:
    context.device = context.device.with_changes(help_country="GB")
    p = CheckupsPage(diary, context)
    qtbot.addWidget(p)
    p.resize(1000, 900)
    p.show()
    p.activateWindow()
    qtbot.waitExposed(p)
    yield p
    p.undo_bar.dismiss()


def _service(diary: OpenDiary) -> CheckupService:
    return diary.service(CheckupService)


def _texts(widget: object) -> str:
    QApplication.processEvents()  # widgets added to a shown layout appear on the next turn
    return " ".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))  # type: ignore[attr-defined]


def _close_help_windows() -> None:
    for top in QApplication.topLevelWidgets():
        if isinstance(top, HelpDialog):
            top.close()


def test_question_9_above_zero_shows_the_plan_and_helplines_and_the_form_goes_on(
    qtbot: QtBot, page: CheckupsPage, diary: OpenDiary
) -> None:
    SafetyService(diary.db).add_item("people", "Ruth, my sister", "07700 900461")
    page.take("phq9")
    form = page.form
    assert form is not None and form.view == "intro"
    press(qtbot, form, ENTER)
    for _ in range(8):
        press(qtbot, form, "1", ENTER)
    assert form.item.id == "9" and page.support is None
    press(qtbot, form, "1")
    # at once, in place: the person's own plan and the helplines for their country
    support = page.support
    assert isinstance(support, SupportPanel) and support.isVisible()
    words = _texts(support)
    assert "From your safety plan" in words and "Ruth, my sister" in words
    assert "Samaritans" in words and "999" in words
    assert form.safety.isVisible() and "shown below" in form.safety.text.text()
    # never blocking: the focus is still on the answer, and the form completes
    assert focused(form) is form.group.checkedButton()
    press(qtbot, form, ENTER, "2", ENTER)
    assert form.view == "review"
    press(qtbot, form, ENTER)
    assert page.stack.currentWidget() is page.result_view and page.result is not None
    assert page.result.safety.isVisible()
    assert any(isinstance(w, SupportPanel) for w in page.result_view.findChildren(SupportPanel))
    (stored,) = _service(diary).responses("phq9")
    assert stored.answers["9"] == 1 and stored.answers["difficulty"] == 2
    assert _service(diary).result(stored.id).score.total == 9


def test_a_whole_phq9_with_the_keyboard_only_then_its_result_and_trend(
    qtbot: QtBot, page: CheckupsPage, diary: OpenDiary
) -> None:
    take = page.overview.take_buttons["phq9"]
    page.overview.setFocus()
    tab_to(qtbot, page, take)
    press(qtbot, page, Qt.Key.Key_Space)
    form = page.form
    assert form is not None and focused(page) is form.start
    press(qtbot, form, ENTER)
    for digit in "321021100":
        press(qtbot, form, digit, ENTER)
    press(qtbot, form, "1", ENTER)  # how difficult
    assert form.view == "review" and focused(form) is form.finish
    press(qtbot, form, ENTER)
    result = page.result
    assert result is not None and result.big.text() == "10" and result.band.text() == "Moderate"
    assert "first PHQ-9 here" in result.change.text()
    # back to the overview with the keyboard; the trend shows the new result
    tab_to(qtbot, page, page.back_from_result)
    press(qtbot, page, Qt.Key.Key_Space)
    assert page.stack.currentWidget() is page.overview
    trend = page.overview.chart.trend
    assert trend is not None and [p.value for p in trend.points] == [10]
    assert "Last taken" in _texts(page.overview.list_card)


def test_the_draft_is_saved_as_it_goes_and_survives_a_lock(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, vault_path: Path
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    window.open_page("checkups")
    page = window.page("checkups")
    assert isinstance(page, CheckupsPage)
    page.take("gad7")
    form = page.form
    assert form is not None
    form.begin()
    form._choose(2)
    assert _service(diary).draft("gad7") is not None  # saved at once, not only at lock
    form.go_on()
    form._choose(1)
    form.go_on()  # now on question 3, not answered: only the lock saves where
    with qtbot.waitSignal(window.locked):
        window.lock()
    wait_for_tasks(qtbot)
    reopened = OpenDiary.unlock(vault_path, passphrase=PASS)
    try:
        draft = reopened.service(CheckupService).draft("gad7")
        assert draft is not None
        assert (draft.answers["1"], draft.answers["2"], draft.answers["3"]) == (2, 1, None)
        assert (draft.view, draft.position) == ("question", 2)
        again = MainWindow(reopened, context)
        qtbot.addWidget(again)
        again.show()
        again.open_page("checkups")
        page = again.page("checkups")
        assert isinstance(page, CheckupsPage)
        take = page.overview.take_buttons["gad7"]
        assert take.text() == "Continue"
        qtbot.mouseClick(take, Qt.MouseButton.LeftButton)
        assert page.form is not None and page.form.position() == ("question", 2)
        assert page.form.answers()["1"] == 2
        with qtbot.waitSignal(again.locked):
            again.lock()
        wait_for_tasks(qtbot)
    finally:
        reopened.close()


def test_leaving_the_form_keeps_the_answers_and_not_now_keeps_nothing(
    qtbot: QtBot, page: CheckupsPage, diary: OpenDiary
) -> None:
    page.take("phq9")
    assert page.form is not None
    qtbot.mouseClick(page.form.not_now, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.overview and _service(diary).draft("phq9") is None
    page.take("phq9")
    assert page.form is not None
    page.form.begin()
    page.form._choose(3)
    qtbot.mouseClick(page.back_from_form, Qt.MouseButton.LeftButton)
    draft = _service(diary).draft("phq9")
    assert draft is not None and draft.answers["1"] == 3
    assert "Unfinished: 1 answer so far" in _texts(page.overview.list_card)


def test_get_help_now_is_on_every_screen_and_inside_the_form(
    qtbot: QtBot, page: CheckupsPage, diary: OpenDiary
) -> None:
    _service(diary).complete("gad7", {str(n): 1 for n in range(1, 8)})
    page.context.changes.announce("checkups")  # as any change to the diary is
    assert page.help_button.isVisible()  # the overview
    page.take("phq9")
    form = page.form
    assert form is not None
    for move in (lambda: None, form.begin, form._show_review):
        move()
        assert form.help_button.isVisible(), form.view
    with qtbot.waitSignal(form.helpRequested):
        qtbot.mouseClick(form.help_button, Qt.MouseButton.LeftButton)
    _close_help_windows()
    page.show_result(_service(diary).responses("gad7")[0].id)
    assert page.help_button.isVisible()
    qtbot.mouseClick(page.help_button, Qt.MouseButton.LeftButton)
    assert any(isinstance(w, HelpDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    _close_help_windows()


def test_the_ace_is_asked_once_its_answers_can_be_changed_and_it_says_so(
    qtbot: QtBot, page: CheckupsPage, diary: OpenDiary
) -> None:
    page.take("ace")
    form = page.form
    assert form is not None and form.intro.isVisible()
    assert "Skipping is fine" in _texts(form.intro)  # the content note comes first
    form.begin()
    for digit in "1001000010":
        press(qtbot, form, digit, ENTER)
    press(qtbot, form, ENTER)
    assert page.result is not None and page.result.big.text() == "3"
    page.show_overview()
    overview = page.overview
    assert overview.take_buttons["ace"].text() == "Change answers"
    assert "ace" not in overview.interval_boxes  # never due, nothing to choose
    qtbot.mouseClick(overview.take_buttons["ace"], Qt.MouseButton.LeftButton)
    form = page.form
    assert form is not None and form.answers()["1"] == 1
    form.begin()
    form._choose(0)  # question 1: now No
    form._show_review()
    press(qtbot, form, ENTER)
    assert page.result is not None and page.result.big.text() == "2"
    assert page.result.edited is not None and "changed your answers" in page.result.edited.text()
    assert len(_service(diary).responses("ace")) == 1


def test_a_result_can_be_deleted_and_brought_back(
    qtbot: QtBot, page: CheckupsPage, diary: OpenDiary
) -> None:
    stored = _service(diary).complete("gad7", {str(n): 2 for n in range(1, 8)})
    page.show_result(stored.id)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.overview and _service(diary).responses() == []
    assert page.undo_bar.isVisible()
    qtbot.mouseClick(page.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    assert [r.id for r in _service(diary).responses()] == [stored.id]
    assert "Last taken" in _texts(page.overview.list_card)


def test_how_often_is_chosen_on_the_page(page: CheckupsPage, diary: OpenDiary) -> None:
    box = page.overview.interval_boxes["pcl5"]
    assert [box.itemData(i) for i in range(box.count())] == [0, 30, 61, 91]
    box.setCurrentIndex(box.findData(61))
    assert _service(diary).intervals()["pcl5"] == 61
    page.overview.reminders.setChecked(False)
    assert not _service(diary).reminders_on()


def test_a_due_check_up_is_announced_on_the_page(page: CheckupsPage, diary: OpenDiary) -> None:
    now = timekeeping.local_now()
    _service(diary).complete("phq9", {str(n): 1 for n in range(1, 10)}, now=now - timedelta(15))
    page.context.changes.announce("checkups")  # as any change to the diary is
    assert page.overview.due_notice.isVisible()
    assert "Your PHQ-9 is due" in page.overview.due_notice.text.text()
    assert page.overview.take_buttons["phq9"].text() == "Take it now"


def test_the_trend_draws_the_medication_overlay_without_overlapping_rows(
    page: CheckupsPage, diary: OpenDiary
) -> None:
    today = timekeeping.local_now().date()
    meds = MedicationService(diary.db)
    first = add_daily(meds, "Sertraline", started=today - timedelta(days=120))
    meds.stop(first.id, today - timedelta(days=100), "side_effects")
    second = add_daily(
        meds, "Venlafaxine XR", started=today - timedelta(days=95), strength=75, amount=75
    )
    meds.change_dose(second.id, DoseInput(150, "mg"), today - timedelta(days=60))
    svc = _service(diary)
    now = timekeeping.local_now()
    for days, value in ((110, 3), (80, 2), (40, 1)):
        svc.complete("phq9", {str(n): value for n in range(1, 10)}, now=now - timedelta(days))
    page.context.changes.announce("checkups")  # as any change to the diary is
    chart = page.overview.chart
    assert chart.trend is not None
    assert [p.value for p in chart.trend.points] == [27, 18, 9]
    assert {lane.event.label for lane in chart.placed} == {"Sertraline", "Venlafaxine XR"}
    rows: dict[int, list[tuple[float, float]]] = {}
    for lane in chart.placed:
        rows.setdefault(lane.row, []).append(chart._reach(lane.event))
    for spans in rows.values():
        spans.sort()
        assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
    description = chart.accessibleDescription()
    assert "Venlafaxine XR from" in description and "150 mg on" in description
    assert "response to treatment" in description
    assert chart.grab().width() > 0


def test_the_trend_is_drawn_once_and_copied_until_it_or_its_look_changes(
    page: CheckupsPage, diary: OpenDiary, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paint of the same chart (the page shown again, a focus ring, a scroll) copies the
    picture drawn before; another trend, size or theme draws it again, and what is copied
    is what a fresh drawing shows."""
    from companion.core.device_settings import DeviceSettings
    from companion.ui import theme
    from companion.ui.checkups.trend import TrendChart

    svc = _service(diary)
    now = timekeeping.local_now()
    for days, value in ((60, 3), (30, 2)):
        svc.complete("phq9", {str(n): value for n in range(1, 10)}, now=now - timedelta(days))
    page.context.changes.announce("checkups")
    chart = page.overview.chart
    drawn: list[int] = []
    original = TrendChart._draw
    monkeypatch.setattr(
        TrendChart, "_draw", lambda self, d, layers: (drawn.append(1), original(self, d, layers))
    )
    first = chart.grab().toImage()
    chart.grab()
    chart.repaint()
    assert drawn == [1]
    chart._drawn = None  # drawn afresh: the same pixels as the copy
    assert chart.grab().toImage() == first and drawn == [1, 1]
    svc.complete("phq9", {str(n): 1 for n in range(1, 10)}, now=now)
    page.context.changes.announce("checkups")  # another trend
    chart.grab()
    assert len(drawn) == 3
    chart.resize(chart.width() - 40, chart.height())
    chart.grab()
    assert len(drawn) == 4
    theme.apply(qapp, DeviceSettings(theme="dark"))
    try:
        chart.grab()
        assert len(drawn) == 5
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_a_new_text_size_fits_the_trend_a_turn_later_not_during_the_restyle(
    qtbot: QtBot,
    page: CheckupsPage,
    diary: OpenDiary,
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A theme or text size reaches every widget while Qt restyles the whole tree; the chart
    measures its words at once but sets its height in the next turn, never inside that (a
    geometry changed there is what crashed a full test run)."""
    from companion.core.device_settings import DeviceSettings
    from companion.ui import theme
    from companion.ui.checkups.trend import TrendChart

    now = timekeeping.local_now()
    _service(diary).complete("phq9", {str(n): 2 for n in range(1, 10)}, now=now)
    page.context.changes.announce("checkups")
    chart = page.overview.chart
    assert chart.trend is not None
    fitted: list[int] = []
    original = TrendChart._fit_height
    monkeypatch.setattr(TrendChart, "_fit_height", lambda self: (fitted.append(1), original(self)))
    font = chart._font.pointSizeF()
    theme.apply(qapp, DeviceSettings(theme="light", text_scale=2.0))
    try:
        assert chart._font.pointSizeF() > font  # measured at once
        assert fitted == []  # not during the restyle
        qtbot.waitUntil(lambda: bool(fitted))
        assert chart.height() == chart._height()
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))


def test_the_today_card_shows_only_when_one_is_due_and_starts_it(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    from companion.ui.checkups.today_card import CheckupsCard

    today = window.page("today")
    card = next(c for c in today.feature_cards if isinstance(c, CheckupsCard))  # type: ignore[attr-defined]
    assert not card.isVisible()
    now = timekeeping.local_now()
    _service(diary).complete("gad7", {str(n): 1 for n in range(1, 8)}, now=now - timedelta(16))
    card.refresh()
    assert card.isVisible() and "Your GAD-7 is due" in card.text.text()
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    page = window.current_page()
    assert isinstance(page, CheckupsPage) and page.form is not None
    assert page.form.q.id == "gad7"
    with qtbot.waitSignal(window.locked):
        window.lock()
    wait_for_tasks(qtbot)


def test_a_button_with_an_accessible_name_everywhere(page: CheckupsPage, diary: OpenDiary) -> None:
    _service(diary).complete("phq9", {str(n): 1 for n in range(1, 10)})
    page.context.changes.announce("checkups")  # as any change to the diary is
    for button in page.findChildren(QPushButton):
        if button.isVisibleTo(page):
            assert button.accessibleName().strip(), button.text()


def test_the_first_fill_reads_its_trend_over_three_steps_in_short_turns(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first fill runs at most ``STEP_MS`` (4 ms) of steps a turn, and reads the trend it
    shows in three steps: the questionnaire's responses, their scores, the trend (in one:
    13-15 ms at ten years)."""
    from collections.abc import Callable

    from companion.ui.checkups import page as page_module

    svc = _service(diary)
    now = timekeeping.local_now()
    for days, value in ((110, 3), (80, 2), (40, 1)):
        svc.complete("phq9", {str(n): value for n in range(1, 10)}, now=now - timedelta(days))
    built: list[tuple[list[Callable[[], object]], Callable[[], object] | None, float]] = []

    def build_in_steps(
        _page: CheckupsPage,
        steps: list[Callable[[], object]],
        done: Callable[[], object] | None = None,
        **kw: float,
    ) -> None:
        built.append((list(steps), done, kw.get("budget_ms", 8.0)))

    monkeypatch.setattr(CheckupsPage, "build_in_steps", build_in_steps)
    page = CheckupsPage(diary, context)
    qtbot.addWidget(page)
    for step in built.pop()[0]:
        step()  # what is due, read; then the rows' steps
    steps, done, budget_ms = built.pop()
    assert budget_ms == page_module.STEP_MS <= 4
    at = [0]
    calls: list[tuple[str, int]] = []
    for name, owner in (("responses", svc), ("trend", svc)):
        real = getattr(owner, name)
        monkeypatch.setattr(
            owner,
            name,
            lambda *a, _n=name, _r=real, **kw: calls.append((_n, at[0])) or _r(*a, **kw),
        )
    scored = page_module.score_response
    monkeypatch.setattr(
        page_module,
        "score_response",
        lambda *a: calls.append(("scored", at[0])) or scored(*a),
    )
    for at[0], step in enumerate(steps):
        step()
    assert done is None  # (the last steps lay it out: turns of their own)
    where = {name: at for name, at in calls}
    assert where["responses"] < where["scored"] < where["trend"]
    assert page.overview.chart.trend is not None
    assert [p.value for p in page.overview.chart.trend.points] == [27, 18, 9]


def test_built_ahead_its_views_are_made_in_steps_a_turn_each(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built ahead, out of sight, the constructor leaves the home screen (made, then placed
    and styled) and the other views to its first steps, one a turn (in the constructor, the
    page's piece was 12-17 ms); anything that needs them first makes them at once."""
    from collections.abc import Callable

    from companion.ui.pages import building_ahead

    built: list[tuple[list[Callable[[], object]], float]] = []

    def build_in_steps(_page: CheckupsPage, steps: list[Callable[[], object]], **kw: float) -> None:
        built.append((list(steps), kw["budget_ms"]))

    with monkeypatch.context() as patched:
        patched.setattr(CheckupsPage, "build_in_steps", build_in_steps)
        with building_ahead():
            page = CheckupsPage(diary, context)
        qtbot.addWidget(page)
    assert not hasattr(page, "_overview") and page.stack.count() == 0
    [(steps, budget_ms)] = built
    assert budget_ms == 0  # (a step a turn)
    steps[0]()
    assert hasattr(page, "_overview") and page.stack.count() == 0
    steps[1]()
    assert page.stack.count() == 1 and page.stack.currentWidget() is page._overview
    steps[2]()
    assert page.stack.count() == 3 and hasattr(page, "result_view")
    with building_ahead():
        other = CheckupsPage(diary, context)
    qtbot.addWidget(other)
    assert other.overview.isVisibleTo(other) and other.stack.count() == 3  # (made at once)


def _built_ahead(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> CheckupsPage:
    """A page built ahead, out of sight, its steps and its worker's reading left to run."""
    from companion.ui.pages import building_ahead

    with building_ahead():
        page = CheckupsPage(diary, context)
    qtbot.addWidget(page)
    page.resize(1000, 900)
    return page


def _seen(page: CheckupsPage) -> tuple[object, ...]:
    """What the overview shows: every label and button's words, the trend's points."""
    overview = page.overview
    words = [
        (w.text(), w.isVisibleTo(overview))
        for kind in (QLabel, QPushButton)
        for w in overview.findChildren(kind)  # type: ignore[attr-defined]
    ]
    trend = overview.chart.trend
    points = None if trend is None else [(p.day, p.value, p.response) for p in trend.points]
    visible = (
        overview.scores_card.isVisibleTo(overview),
        overview.often_card.isVisibleTo(overview),
    )
    return words, points, visible, overview.trend_id


def _take_phq9s(diary: OpenDiary) -> None:
    svc = _service(diary)
    now = timekeeping.local_now()
    for days, value in ((400, 3), (110, 3), (80, 2), (40, 1)):
        svc.complete("phq9", {str(n): value for n in range(1, 10)}, now=now - timedelta(days))
    svc.complete("gad7", {str(n): 1 for n in range(1, 8)}, now=now - timedelta(3))


@pytest.mark.parametrize("taken", [True, False])
def test_built_ahead_the_first_fill_reads_the_diary_on_a_worker_and_shows_the_same(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    taken: bool,
) -> None:
    """Built ahead, what the first fill shows (the statuses, then the trend's responses,
    scores and trend) is read on a worker from a copy of the diary, not on the GUI thread
    (there, turns of 8-18 ms); the page then shows what a page filled here shows, with
    check-ups taken or none at all."""
    import threading

    from companion.ui import tasks

    if taken:
        _take_phq9s(diary)
    threads: list[str] = []
    for name in ("statuses", "responses", "trend"):
        real = getattr(CheckupService, name)

        def spy(*a: object, _real: object = real, **kw: object) -> object:
            main = threading.current_thread() is threading.main_thread()
            threads.append("gui" if main else "worker")
            return _real(*a, **kw)  # type: ignore[operator]

        monkeypatch.setattr(CheckupService, name, spy)
    page = _built_ahead(qtbot, diary, context)
    qtbot.waitUntil(lambda: not page.building and tasks.running() == 0, timeout=10_000)
    assert threads and set(threads) == {"worker"}
    assert len(threads) == (3 if taken else 1)
    here = CheckupsPage(diary, context)  # (not built ahead: filled on this thread)
    qtbot.addWidget(here)
    here.finish_building()
    assert _seen(page) == _seen(here)
    assert (page.overview.chart.trend is not None) is taken
    assert page.overview.no_scores.isVisibleTo(page.overview) is not taken


def test_built_ahead_and_wanted_before_its_worker_is_back_it_is_filled_from_the_live_diary(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened (``finish_building``) before the worker has read the copy, the page reads the
    live diary here, at once, never the copy the worker may still be reading."""
    import threading

    from companion.core.session import ReadSnapshot
    from companion.ui import tasks

    _take_phq9s(diary)
    release = threading.Event()
    snapshot_db = ReadSnapshot.db

    asked: list[bool] = []  # (on the GUI thread?)

    def held(self: ReadSnapshot) -> object:
        asked.append(threading.current_thread() is threading.main_thread())
        if not asked[-1]:
            release.wait(10)  # the worker, held until the page has been filled
        return snapshot_db.fget(self)  # type: ignore[attr-defined]

    monkeypatch.setattr(ReadSnapshot, "db", property(held))
    try:
        page = _built_ahead(qtbot, diary, context)
        qtbot.waitUntil(lambda: tasks.running() == 1, timeout=10_000)
        assert page.building
        page.finish_building()
        assert not page.building
        assert page.overview.chart.trend is not None
        assert [p.value for p in page.overview.chart.trend.points] == [27, 18, 9]
    finally:
        release.set()
    tasks.wait_for_workers(10_000)
    qtbot.waitUntil(lambda: tasks.running() == 0, timeout=10_000)
    assert asked == [False]  # the copy was the worker's alone
    assert [p.value for p in page.overview.chart.trend.points] == [27, 18, 9]


def test_the_first_fill_draws_each_part_in_a_step_of_its_own(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How often (each of its rows made, then their intervals), the choice of scores, the
    chart, the results under it, each card shown, the layout settled and the tab order: each
    a step of its own (together, turns of 8-19 ms at ten years), and no ``done`` after the
    last."""
    from collections.abc import Callable

    from companion.ui.checkups import overview as overview_module
    from companion.ui.checkups import page as page_module

    _take_phq9s(diary)
    built: list[tuple[list[Callable[[], object]], Callable[[], object] | None]] = []

    def build_in_steps(
        _page: CheckupsPage,
        steps: list[Callable[[], object]],
        done: Callable[[], object] | None = None,
        **_kw: float,
    ) -> None:
        built.append((list(steps), done))

    ran: list[str] = []
    for owner, name in (
        (overview_module.Overview, "_often_row"),
        (overview_module.Overview, "_often"),
        (overview_module.Overview, "_choices"),
        (overview_module.Overview, "show_trend_chart"),
        (overview_module.Overview, "_list_results"),
        (page_module, "tab_order_as_laid_out"),
        (page_module, "settle_layouts"),
    ):
        real = getattr(owner, name)
        monkeypatch.setattr(
            owner, name, lambda *a, _n=name, _r=real, **kw: ran.append(_n) or _r(*a, **kw)
        )
    set_visible = overview_module.Card.setVisible

    def card_shown(card: QWidget, on: bool) -> None:
        if on:
            ran.append("card")
        set_visible(card, on)

    monkeypatch.setattr(overview_module.Card, "setVisible", card_shown)
    monkeypatch.setattr(CheckupsPage, "build_in_steps", build_in_steps)
    page = CheckupsPage(diary, context)
    qtbot.addWidget(page)
    for step in built.pop()[0]:
        step()
    steps, done = built.pop()
    assert done is None
    each: list[list[str]] = []
    for step in steps:
        ran.clear()
        step()
        if ran:
            each.append(sorted(set(ran)))
    assert each == [
        *[["_often_row"]] * 4,  # (the ACE has none)
        ["_often"],
        ["_choices", "card"],  # (the scores card, hidden again until its trend is drawn)
        ["show_trend_chart"],
        ["_list_results"],
        ["card"],
        ["card"],
        ["settle_layouts"],
        ["tab_order_as_laid_out"],
    ]
    assert page.overview.scores_card.isVisibleTo(page.overview)


def test_built_ahead_a_copy_that_cannot_be_read_is_read_here_instead(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's reading fails (a copy that would not open): the first fill reads the
    live diary on the GUI thread, as for a page opened before it was built ahead."""
    import threading

    from companion.ui import tasks
    from companion.ui.checkups import page as page_module

    _take_phq9s(diary)
    real = page_module.read_first

    def fails_on_a_worker(*a: object) -> object:
        if threading.current_thread() is not threading.main_thread():
            raise OSError("the copy could not be opened")
        return real(*a)  # type: ignore[arg-type]

    monkeypatch.setattr(page_module, "read_first", fails_on_a_worker)
    page = _built_ahead(qtbot, diary, context)
    qtbot.waitUntil(lambda: not page.building and tasks.running() == 0, timeout=10_000)
    assert page.overview.chart.trend is not None
    assert [p.value for p in page.overview.chart.trend.points] == [27, 18, 9]
    assert "GAD-7" in [b.text() for b in page.overview.choices.buttons()]
