"""The Diary page as a person uses it: history (filter, edit, delete and undo), charts with
values checked against hand-computed days, insights, tags & trackers, and the import window."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from companion.core.mood.service import CheckIn, MoodService, TagKind
from companion.core.session import OpenDiary
from companion.ui import theme
from companion.ui.changes import Change
from companion.ui.charts.api import MoodChart
from companion.ui.charts.axis import day_x
from companion.ui.charts.palette import colours
from companion.ui.mood.dialogs import CheckInDialog
from companion.ui.mood.insights_tab import InsightRow
from companion.ui.mood.page import DiaryPage
from companion.ui.pages import AppContext
from tests.ui.conftest import wait_for_tasks
from tests.ui.mood.scrolled import (
    charts_drawn,
    diary_page_in_scroller,
    diary_page_shown,
    tab_opened_in_scroller,
)

if TYPE_CHECKING:
    from companion.ui.mood.charts_tab import ChartsView


def local(days_ago: int, hour: int, minute: int = 0) -> datetime:
    """That time on a day this many days ago; today never later than now (so the tests also
    pass just after midnight)."""
    day = date.today() - timedelta(days=days_ago)
    moment = datetime(day.year, day.month, day.day, hour, minute)
    if days_ago == 0:
        moment = min(moment, datetime.now().replace(second=0, microsecond=0))
    return moment.astimezone()


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[DiaryPage]:
    widget = diary_page_shown(qtbot, diary, context)
    yield widget
    wait_for_tasks(qtbot)  # charts and insights are computed in the background


def test_history_groups_by_day_and_filters_by_text_and_tag(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    walk = {t.name: t.id for t in svc.tags(TagKind.ACTIVITY)}["Walk"]
    svc.create_entry(CheckIn(mood=4, at=local(1, 9), note="Rainy café morning"))
    svc.create_entry(CheckIn(mood=6, at=local(1, 20), tag_ids={walk}))
    svc.create_entry(CheckIn(mood=7, at=local(0, 8)))
    page.refresh()
    history = page.history
    assert history.count.text() == "3 check-ins on 2 days."
    assert [e.mood for e in history.entries()] == [7, 6, 4]  # newest first
    history.search.setFocus()
    qtbot.keyClicks(history.search, "cafe")  # accents ignored
    qtbot.waitUntil(lambda: [e.mood for e in history.entries()] == [4])
    history.clear_filters()
    history.tag.setCurrentIndex(history.tag.findData(walk))
    assert [e.mood for e in history.entries()] == [6]
    assert "match these filters" in history.count.text()
    history.clear_filters()
    history.use_dates.setChecked(True)
    history.start.setDate(date.today())
    history.end.setDate(date.today())
    assert [e.mood for e in history.entries()] == [7]


def test_edit_from_history_and_delete_with_undo_restores_the_same_entry(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    first = svc.create_entry(CheckIn(mood=3, at=local(2, 10), elevated=2, note="Keep every word."))
    page.refresh()
    history_list = page.history.list
    row = history_list.model().index(1, 0)  # under the day's heading
    assert "Wired or up: quite a bit" in row.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Keep every word." in row.data(Qt.ItemDataRole.AccessibleTextRole)
    qtbot.mouseClick(
        history_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=history_list.button_position(first.id, "edit"),
    )
    dialog = page.history.dialog
    assert isinstance(dialog, CheckInDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.form.mood.value() == 3
    assert dialog.form.note.toPlainText() == "Keep every word."
    assert dialog.form.elevated.value() == 2
    qtbot.mouseClick(dialog.form.mood.buttons[5], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    edited = svc.get_entry(first.id)
    assert edited.mood == 5 and edited.note == "Keep every word." and edited.elevated == 2
    assert edited.occurred_at == first.occurred_at  # the time was not touched
    assert [e.mood for e in page.history.entries()] == [5]

    qtbot.mouseClick(
        history_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=history_list.button_position(first.id, "delete"),
    )
    assert svc.count_entries() == 0
    assert page.history.entries() == []
    assert page.history.undo.isVisible()
    assert "deleted" in page.history.undo.text.text()
    qtbot.mouseClick(page.history.undo.undo_button, Qt.MouseButton.LeftButton)
    back = svc.get_entry(first.id)
    assert back == edited
    assert [e.id for e in page.history.entries()] == [first.id]


def test_mood_chart_draws_hand_computed_daily_means_bands_and_rolling_mean(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    # Day A (3 days ago): moods 2 and 6 → mean 4, band 2–6. Day B (2 days ago): 8.
    # Day C (today): 5. Yesterday not logged.
    svc.create_entry(CheckIn(mood=2, anxiety=7, at=local(3, 8)))
    svc.create_entry(CheckIn(mood=6, at=local(3, 20)))
    svc.create_entry(CheckIn(mood=8, at=local(2, 12)))
    svc.create_entry(CheckIn(mood=5, at=local(0, 7)))
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    chart = page.charts.chart
    days = [date.today() - timedelta(days=n) for n in (3, 2, 0)]
    xs, ys = chart.dots["mood"].getData()
    assert list(xs) == [day_x(d) for d in days]
    assert list(ys) == [4.0, 8.0, 5.0]
    assert [(p.minimum, p.maximum) for p in chart.daily["mood"]] == [(2, 6), (8, 8), (5, 5)]
    # rolling mean of the daily means over the logged days in the trailing 7-day window:
    # day A 4; day B (4+8)/2 = 6; yesterday still 6 (nothing new); today (4+8+5)/3 = 17/3
    rolling = [(p.day, round(p.mean, 6), p.n_days) for p in chart.rolling_points("mood")]
    yesterday = date.today() - timedelta(days=1)
    assert rolling == [
        (days[0], 4.0, 1),
        (days[1], 6.0, 2),
        (yesterday, 6.0, 2),
        (days[2], round(17 / 3, 6), 3),
    ]
    band = chart.bands["mood"].boundingRect()
    assert (band.top(), band.bottom()) == (2.0, 8.0)
    line_x, line_y = chart.lines["mood"].getData()
    assert [round(v, 6) for v in line_y] == [4.0, 6.0, 6.0, round(17 / 3, 6)]
    assert list(line_x) == [day_x(d) for d in (days[0], days[1], yesterday, days[2])]
    assert [p.mean for p in chart.daily["anxiety"]] == [7.0]
    page.charts.presets.select("2w")
    summary = chart.summary.text()
    assert "Mood" in summary and "3 of 14 days logged; average 5.7" in summary
    assert "(daily averages from 4.0 to 8.0)" in summary
    assert chart.plot.accessibleDescription() == summary
    # sleep and the calendar arrive from the worker
    heat = page.charts.heatmap.canvas.cells
    assert heat[-1].day == date.today() and heat[-1].mood_mean == 5.0
    assert [c.mood_mean for c in heat if c.day == days[0]] == [4.0]
    assert "not logged" in page.charts.heatmap.summary.text() or "3 of" in (
        page.charts.heatmap.summary.text()
    )


def test_overlay_api_markers_periods_points_remove_and_theme_change(
    qtbot: QtBot, context: AppContext
) -> None:
    chart = MoodChart(metrics=("mood",))
    qtbot.addWidget(chart)
    chart.show()
    start = date(2025, 1, 1)
    chart.set_range(start, date(2025, 1, 31))
    marker = chart.add_event_marker(date(2025, 1, 10), "Dose change", kind="dose")
    period = chart.add_period(date(2025, 1, 5), date(2025, 1, 20), "Sertraline")
    points = chart.add_points(
        "phq9", [(date(2025, 1, 3), 17.0), (date(2025, 1, 17), 12.0)], "PHQ-9"
    )
    assert chart.visible_range() == (start, date(2025, 1, 31))
    text = chart.summary_text()
    assert "Dose change on 10 Jan 2025." in text
    assert "Sertraline: from 5 Jan 2025 to 20 Jan 2025." in text
    assert "PHQ-9: 17 on 3 Jan 2025, 12 on 17 Jan 2025." in text
    line = marker.items[0]  # type: ignore[attr-defined]
    assert line.value() == day_x(date(2025, 1, 10))
    assert line.pen.color().name() == colours().kind("dose")
    light = line.pen.color().name()
    theme.apply(qtbot_app(), context.device.with_changes(theme="dark"), dark=True)
    qtbot.waitUntil(lambda: line.pen.color().name() != light)
    assert line.pen.color().name() == colours().kind("dose")
    chart.remove(marker)
    assert "Dose change" not in chart.summary_text()
    chart.remove(marker)  # twice is harmless
    again = chart.add_points("phq9", [(date(2025, 1, 24), 9.0)], "PHQ-9")
    assert points not in chart.overlays and again in chart.overlays
    chart.clear_overlays()
    assert chart.overlays == [] and period not in chart.overlays
    theme.apply(qtbot_app(), context.device, dark=False)


def qtbot_app():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def test_insights_need_14_days_and_say_how_many(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    for n in range(5):
        svc.create_entry(
            CheckIn(mood=5, at=local(n + 1, 12))
        )  # noon: never today's (it may be morning)
    page.show_tab("insights")
    wait_for_tasks(qtbot)
    notice = page.insights.not_enough
    assert notice.isVisible()
    assert "Not enough data yet — 5 of 14 days" in notice.text.text()
    # no bars while the notice says there is not enough: one quiet line instead
    assert not page.insights.weekday.isVisible() and not page.insights.time_of_day.isVisible()
    assert page.insights.patterns_waiting.isVisible()
    for n in range(5, 25):
        svc.create_entry(
            CheckIn(
                mood=(7 if n % 4 == 1 else 6) if n % 2 else (3 if n % 4 == 0 else 4),
                exercise_minutes=30 if n % 2 else 0,
                at=local(n + 1, 12),
            )
        )
    page.refresh()  # as when the page is shown again
    wait_for_tasks(qtbot)
    assert not notice.isVisible()
    assert page.insights.weekday.isVisible() and not page.insights.patterns_waiting.isVisible()
    # every weekday has a bar here; a bucket with nothing gets no "not logged" words on it
    morning_only = page.insights.time_of_day
    words = [t.toPlainText() for t in morning_only.labels]
    assert "not logged" not in words and len(words) == 1  # all check-ins were at noon
    rows = page.insights.findChildren(InsightRow)
    exercise = [r for r in rows if r.insight.key == "exercise"]
    assert exercise and exercise[0].insight.clear  # 10 vs 10 days, three points apart
    wording = exercise[0].insight.wording()
    assert "likely range" in wording and "10 vs 10 days" in wording
    texts = [w.text() for w in page.insights.findChildren(type(page.insights.looked_at))]
    assert sum("not what causes what" in t for t in texts) == 1
    looked_at = page.insights.looked_at.text()
    assert looked_at.startswith("1 comparison was looked at in this period. 1 stands out")
    assert looked_at.count("chance") == 1  # the caveat, said once


def test_tags_add_rename_archive_and_delete_with_undo(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    page.show_tab("manage")
    manage = page.manage
    manage.new_tag.setFocus()
    qtbot.keyClicks(manage.new_tag, "Swimming")
    qtbot.keyClick(manage.new_tag, Qt.Key.Key_Return)
    tag = {t.name: t for t in svc.tags()}["Swimming"]
    entry = svc.create_entry(CheckIn(mood=6, tag_ids={tag.id}))
    manage.refresh()
    row = manage.rows[tag.id]
    qtbot.waitUntil(row.isVisible)
    assert not row.name.isVisible()  # one line: the name, what it is, and a "⋯" menu
    row.rename_action.trigger()  # "⋯" → Rename…: the name becomes editable in place
    assert row.name.isVisible() and row.focusWidget() is row.name
    qtbot.keyClicks(row.name, "Swimming in the sea")
    qtbot.keyClick(row.name, Qt.Key.Key_Escape)  # changed my mind: nothing renamed
    assert not row.name.isVisible()
    assert {t.id: t.name for t in svc.tags()}[tag.id] == "Swimming"
    row.rename_action.trigger()
    qtbot.keyClicks(row.name, "Swimming outdoors")
    qtbot.keyClick(row.name, Qt.Key.Key_Return)
    assert svc.get_entry(entry.id).tag_ids == {tag.id}
    assert {t.id: t.name for t in svc.tags()}[tag.id] == "Swimming outdoors"
    manage.rows[tag.id].archive.trigger()
    assert {t.id: t.archived for t in svc.tags()}[tag.id] is True
    assert tag.id not in page.form.activities.chips  # hidden from new check-ins
    manage.rows[tag.id].delete.trigger()
    assert tag.id not in {t.id for t in svc.tags()}
    assert svc.get_entry(entry.id).tag_ids == frozenset()
    assert "taken off 1 check-in" in manage.undo.text.text()
    qtbot.mouseClick(manage.undo.undo_button, Qt.MouseButton.LeftButton)
    assert svc.get_entry(entry.id).tag_ids == {tag.id}
    # a duplicate name is refused in one sentence
    qtbot.keyClicks(manage.new_tag, "swimming OUTDOORS")
    qtbot.keyClick(manage.new_tag, Qt.Key.Key_Return)
    assert "already" in manage.error.text()


def test_trackers_can_be_added_and_appear_in_the_form(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    page.show_tab("manage")
    manage = page.manage
    manage.new_tracker_kind.setCurrentIndex(manage.new_tracker_kind.findText("number"))
    qtbot.keyClicks(manage.new_tracker, "Coffee")
    qtbot.keyClicks(manage.new_unit, "cups")
    manage.new_min.setValue(0)
    manage.new_max.setValue(15)
    qtbot.keyClick(manage.new_tracker, Qt.Key.Key_Return)
    assert manage.error.text() == ""
    (tracker,) = MoodService(diary.db).trackers()
    assert (tracker.name, tracker.unit, tracker.minimum, tracker.maximum) == (
        "Coffee",
        "cups",
        0,
        15,
    )
    assert tracker.id in page.form.tracker_inputs


def test_a_link_opens_its_check_in_and_a_missing_one_says_no(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    entry = svc.create_entry(CheckIn(mood=4, at=local(1, 9), note="Linked."))
    gone = svc.create_entry(CheckIn(mood=6, at=local(1, 10)))
    svc.delete_entry(gone.id)
    page.show_tab("charts")
    assert page.open_item(gone.id) is False
    assert page.open_item("not-an-id") is False
    assert page.history.dialog is None
    assert page.open_item(entry.id) is True
    assert page.tabs.currentIndex() == 0
    dialog = page.history.dialog
    assert isinstance(dialog, CheckInDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.form.editing == entry and dialog.form.note.toPlainText() == "Linked."
    dialog.reject()


def test_a_new_diary_charts_end_today_with_the_range_chosen(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    """One check-in: "3 months" stays chosen and shows 91 days ending today, not a clamped
    period running a month into the future."""
    MoodService(diary.db).create_entry(CheckIn(mood=6, at=local(0, 9)))
    page.refresh()
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    charts = page.charts
    qtbot.wait(200)  # the chart reports a settled range after a short pause
    assert charts.presets.key == "3m" and charts.presets.buttons["3m"].isChecked()
    assert charts.chart.visible_range() == (date.today() - timedelta(days=90), date.today())
    charts.presets.select("1y")
    assert charts.chart.visible_range()[1] == date.today()


def test_a_period_set_by_the_page_settling_late_keeps_a_choice_made_meanwhile(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    """A period the page sets is reported by the chart once it has settled (120 ms later);
    "All" chosen in between (an import) is kept; a period the person pans to clears the
    choice, as before. (An import right after the tab's first draw lost its "All" now and
    then, and two tests with it.)"""
    for days_ago in (200, 1):
        MoodService(diary.db).create_entry(CheckIn(mood=6, at=local(days_ago, 9)))
    page.refresh()
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    charts = page.charts
    chart = charts.chart
    qtbot.wait(200)
    with qtbot.waitSignal(chart.range_changed, timeout=2000):
        chart.set_range(date.today() - timedelta(days=30), date.today())
        charts.presets.choose_quietly("all")
    assert not chart.moved_by_person
    assert charts.presets.key == "all" and charts.presets.buttons["all"].isChecked()
    with qtbot.waitSignal(chart.range_changed, timeout=2000):
        chart.vb.setXRange(*chart.vb.viewRange()[0], padding=0.5)  # as a zoom out does
    assert chart.moved_by_person and charts.presets.key == ""


def test_course_names_stay_inside_the_chart_and_the_legend_names_the_overlays(
    qtbot: QtBot,
) -> None:
    chart = MoodChart(metrics=("mood",))
    qtbot.addWidget(chart)
    chart.resize(700, 360)
    chart.show()
    qtbot.waitExposed(chart)
    today = date.today()
    chart.set_range(today - timedelta(days=364), today)
    period = chart.add_period(today - timedelta(days=10), None, "Trauma-focused CBT")
    chart.add_event_marker(today - timedelta(days=40), "150 mg", kind="dose")
    qtbot.waitUntil(lambda: chart.overlay_updates == 1)  # once for both, before the next frame
    text = period.items[1]  # type: ignore[attr-defined]
    (x0, _x1), _y = chart.vb.viewRange()
    right = chart.vb.mapViewToScene(text.pos()).x() + text.boundingRect().width()
    assert x0 <= text.pos().x()
    assert right <= chart.vb.sceneBoundingRect().right() + 1  # not cut at the right edge
    legend = chart.legend.text()
    assert "a medicine taken" not in legend  # a treatment band ("treatment" by default)
    assert "another treatment" in legend and "a dose change" in legend


def test_tabs_are_built_when_first_shown_and_as_tall_as_their_own_content(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    svc = MoodService(diary.db)
    for n in range(60):
        svc.create_entry(CheckIn(mood=n % 11, note="A line of the day. " * 8, at=local(n, 9)))
    page = DiaryPage(diary, context)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    page.refresh()
    assert set(page._built) == {0}  # only the check-ins: the tab the page opens on
    long = page.sizeHint().height()
    assert long > 3000  # thirty days of check-ins
    page.show_tab("manage")
    assert set(page._built) == {0, 3}
    assert page.sizeHint().height() < long / 2  # not the blank height of the history
    page.tabs.setCurrentIndex(2)  # a click on the tab: the frame first, the content after
    assert 2 not in page._built
    qtbot.waitUntil(lambda: 2 in page._built)
    wait_for_tasks(qtbot)
    assert page.sizeHint().height() < long / 2
    page.tabs.setCurrentIndex(0)
    assert page.sizeHint().height() == long


def test_an_empty_diary_shows_a_sentence_and_the_check_in_not_filters(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    history = page.history
    assert history.empty.isVisible()
    assert not history.filter_row.isVisible() and not history.list_card.isVisible()
    assert "Nothing logged yet" in history.empty.findChild(QLabel).text()
    qtbot.mouseClick(history.check_in_button, Qt.MouseButton.LeftButton)
    assert page.form.mood.hasFocus()
    qtbot.mouseClick(page.form.mood.buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [e.mood for e in history.entries()] == [6])
    assert history.filter_row.isVisible() and not history.empty.isVisible()
    # filters that match nothing are not an empty diary: they stay, with their sentence
    qtbot.keyClicks(history.search, "nothing like this")
    qtbot.waitUntil(lambda: history.entries() == [])
    assert history.filter_row.isVisible() and not history.empty.isVisible()
    assert history.count.text() == "No check-ins match these filters."


def test_history_reads_only_the_days_it_shows(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = MoodService(diary.db)
    for n in range(45):
        svc.create_entry(CheckIn(mood=5, at=local(n, 8)))
        svc.create_entry(CheckIn(mood=7, at=local(n, 20)))
    read: list[tuple[date | None, date | None]] = []
    real = MoodService.entries

    def spy(self: MoodService, **kwargs: object) -> object:
        read.append((kwargs.get("start"), kwargs.get("end")))  # type: ignore[arg-type]
        return real(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MoodService, "entries", spy)
    page.refresh()
    history = page.history
    assert read == [(date.today() - timedelta(days=29), date.today())]
    assert len(history.entries()) == 60
    assert history.count.text() == "90 check-ins on 45 days; showing the latest 30 days."
    qtbot.mouseClick(history.more_button, Qt.MouseButton.LeftButton)
    assert read[-1] == (date.today() - timedelta(days=44), date.today() - timedelta(days=30))
    assert len(history.entries()) == 90 and not history.more_button.isVisible()


def test_history_by_keyboard_enter_edits_delete_deletes_and_rows_are_named(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    older = svc.create_entry(CheckIn(mood=3, at=local(1, 9), note="Older."))
    newer = svc.create_entry(CheckIn(mood=8, at=local(0, 7)))
    page.refresh()
    view = page.history.list
    model = view.model()
    names = [
        model.index(r, 0).data(Qt.ItemDataRole.AccessibleTextRole) for r in range(model.rowCount())
    ]
    assert names[0].startswith("Today") and "mood 8" in names[1]
    assert names[2].startswith("Yesterday") and "Note: Older." in names[3]
    assert view.accessibleName() == "Your check-ins"
    view.setFocus()
    assert view.currentIndex().row() == 1  # the newest check-in, not a heading
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 3  # over the day's heading
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = page.history.dialog
    assert isinstance(dialog, CheckInDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.form.editing == older
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.reject()
    view.setFocus()
    view.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert svc.find_entry(newer.id) is None
    assert [e.id for e in page.history.entries()] == [older.id]
    assert page.history.undo.isVisible()


def test_ctrl_n_windows_are_deleted_after_closing(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    import shiboken6

    first = page.shortcut.open_dialog()
    qtbot.waitUntil(first.isVisible)
    qtbot.mouseClick(first.form.mood.buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(first.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))
    second = page.shortcut.open_dialog()
    qtbot.waitUntil(second.isVisible)
    second.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(second))
    # (only the spare made ahead for the next Ctrl+N, if a quiet second has passed)
    assert [d for d in page.window().findChildren(CheckInDialog) if not d.spare] == []
    assert [e.mood for e in MoodService(diary.db).entries()] == [4]


def test_ctrl_n_shows_a_whole_empty_window_made_ahead(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    import shiboken6

    key = page.shortcut
    qtbot.waitUntil(lambda: key._spare() is not None, timeout=5000)  # a quiet moment after
    spare = key._spare()
    assert spare is not None and not spare.isVisible()
    dialog = key.open_dialog()
    assert dialog is spare and not dialog.spare
    qtbot.waitUntil(dialog.isVisible)
    key._make_spare()  # none while a check-in window is open
    assert key._spare() is None
    form = dialog.form
    assert form.mood.value() is None and form.editing is None
    assert dialog.windowTitle() == "New check-in" and dialog.help_button.isVisible()
    assert form.save_button.isVisible() and form.cancel_button.text() == "Close"
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)  # built when first opened
    assert form.details.isVisible() and form.note.toPlainText() == ""
    qtbot.mouseClick(form.mood.buttons[7], Qt.MouseButton.LeftButton)
    form.note.setPlainText("Made ahead, saved now.")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    (entry,) = MoodService(diary.db).entries()
    assert entry.mood == 7 and entry.note == "Made ahead, saved now."
    assert abs((datetime.now().astimezone() - entry.local_time).total_seconds()) < 120
    # the next one is made once the last has closed: empty again, nothing carried over
    qtbot.waitUntil(lambda: key._spare() is not None, timeout=5000)
    second = key.open_dialog()
    qtbot.waitUntil(second.isVisible)
    assert second is not dialog and second.form.mood.value() is None
    qtbot.mouseClick(second.form.more_button, Qt.MouseButton.LeftButton)
    assert second.form.note.toPlainText() == ""
    second.reject()
    qtbot.waitUntil(lambda: not shiboken6.isValid(second))
    assert len(MoodService(diary.db).entries()) == 1


def test_the_spare_window_is_made_in_two_turns_and_taken_whole(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare check-in window is made in two turns of the event loop (the window and its
    form, then the form put in its scroll area and set up: 8-11 ms of the GUI thread in one
    turn); a Ctrl+N between the two takes it whole."""
    from companion.ui.mood import dialogs

    key = page.shortcut
    steps: list[list[object]] = []
    qtbot.waitUntil(lambda: key._spare() is not None, timeout=5000)
    made = key._spare()
    assert made is not None
    made.deleteLater()  # (made on its own: this test makes the next one, step by step)
    qtbot.waitUntil(lambda: key._spare() is None)
    monkeypatch.setattr(dialogs, "in_steps", lambda _o, s, **_k: steps.append(list(s)))
    key._make_spare()
    spare = key._spare()
    assert spare is not None and not spare.placed
    scroller = spare.findChild(dialogs.QScrollArea)
    assert scroller is not None and scroller.widget() is None  # not in its place yet
    assert spare.form.cancel_button.isHidden()
    ((place,),) = steps
    place()  # type: ignore[operator]  # the next turn
    assert spare.placed and scroller.widget() is spare.form
    assert spare.form.cancel_button.text() == "Close" and spare.form.closes_on_save
    place()  # type: ignore[operator]  # (once only)
    assert scroller.widget() is spare.form

    # taken by a Ctrl+N before its second turn: whole at once
    spare.deleteLater()
    qtbot.waitUntil(lambda: key._spare() is None)
    steps.clear()
    key._make_spare()
    second = key._spare()
    assert second is not None and not second.placed and len(steps) == 1
    dialog = key.open_dialog()
    assert dialog is second and dialog.placed
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.form.cancel_button.isVisible() and dialog.focusWidget() is dialog.form.mood
    qtbot.mouseClick(dialog.form.mood.buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [e.mood for e in MoodService(diary.db).entries()] == [6]


def test_a_chart_summary_is_never_a_window_of_its_own(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    before = set(QApplication.topLevelWidgets())
    chart = MoodChart(metrics=("mood",), show_summary=False)
    qtbot.addWidget(chart)
    other = MoodChart(metrics=("mood",))
    qtbot.addWidget(other)
    assert chart.summary.parent() is chart and other.summary.parent() is other
    # shown or hidden only with its chart, never on its own before it had a parent
    assert not other.summary.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
    new = set(QApplication.topLevelWidgets()) - before
    assert not any(isinstance(w, QLabel) for w in new)  # (pyqtgraph's menus are parentless)
    assert not any(w.isVisible() for w in new)


def test_charts_redraw_only_the_days_a_change_touched_and_match_a_full_reload(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    page: DiaryPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from companion.core.mood.stats import summarise_days

    svc = MoodService(diary.db)
    for n in range(1, 40):
        svc.create_entry(CheckIn(mood=n % 11, sleep_hours=6 + n % 3, at=local(n, 9)))
    moved = svc.create_entry(CheckIn(mood=2, at=local(20, 21)))
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    charts = page.charts
    asked: list[object] = []
    real = MoodService.daily_aggregates_all

    def spy(self: MoodService, *args: object, **kwargs: object) -> object:
        asked.append(kwargs.get("days"))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MoodService, "daily_aggregates_all", spy)
    # a check-in with Ctrl+N while the charts show
    dialog = page.shortcut.open_dialog()
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.form.mood.buttons[9], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.form.save_button, Qt.MouseButton.LeftButton)
    charts_drawn(qtbot, page)  # read on a worker, drawn in later turns
    assert asked == [{date.today()}]
    # an edit that moves a check-in to another day, and a delete
    ops = context.operations("mood", lambda _m: None)
    ops.run(lambda: svc.update_entry(moved.id, CheckIn(mood=2, at=local(3, 21))))
    charts_drawn(qtbot, page)
    ops.run(lambda: svc.delete_entry(svc.entries(start=local(5, 0).date())[0].id))
    charts_drawn(qtbot, page)
    assert asked[1:] == [
        {local(20, 0).date(), local(3, 0).date()},
        {local(5, 0).date()},
    ]
    charts_drawn(qtbot, page)
    full = real(svc)
    for metric in ("mood", "anxiety", "energy"):
        assert charts.chart.daily[metric] == full[metric]
    assert charts.days == summarise_days(svc.entries(), svc.trackers())
    (today,) = [c for c in charts.heatmap.canvas.cells if c.day == date.today()]
    assert today.mood_mean == 9.0


def test_the_page_scrolls_to_the_check_in_the_keyboard_reached(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    from PySide6.QtWidgets import QScrollArea

    svc = MoodService(diary.db)
    for n in range(20):
        svc.create_entry(CheckIn(mood=5, at=local(n, 9)))
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    page = DiaryPage(diary, context)
    scroller.setWidget(page)
    qtbot.addWidget(scroller)
    scroller.resize(1000, 600)
    scroller.show()
    qtbot.waitExposed(scroller)
    page.refresh()
    view = page.history.list
    view.setFocus()
    bar = scroller.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 1000)  # the page laid out around the history
    assert bar.value() == 0
    qtbot.keyClick(view, Qt.Key.Key_End)
    last = view.visualRect(view.currentIndex())
    assert view.entry_at(view.currentIndex()) is not None
    qtbot.waitUntil(lambda: bar.value() > 0)
    shown = scroller.viewport().rect()
    where = view.viewport().mapTo(scroller.viewport(), last.center())
    assert shown.contains(where)


def test_charts_draw_the_days_shown_first_and_the_rest_in_later_turns(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = MoodService(diary.db)
    for n in (0, 5, 60, 95, 97, 200, 400):  # inside "3 months", the week before, long before
        svc.create_entry(CheckIn(mood=n % 11, sleep_hours=7, at=local(n, 9)))
    from companion.ui.mood.charts_tab import ChartsView

    seen: dict[str, object] = {}
    real = ChartsView._first_draw

    def first_draw(self: ChartsView, generation: int) -> None:
        if "tab built" not in seen:  # the turns before: the frame, then the chart made hidden
            seen["tab built"] = 1 in page._built
            seen["chart hidden"] = self._chart is not None and self._chart.isHidden()
        real(self, generation)
        if "drawn" not in seen:
            seen["drawn"] = [p.day for p in self.chart.daily["mood"]]
            seen["more made"] = (self._sleep, self._heatmap)
            seen["busy"] = self.busy.isVisible()
            seen["range"] = self.chart.visible_range()
            seen["shown"] = self.chart.isVisible()
            seen["plot"] = self.chart.plot.parent() is not None

    monkeypatch.setattr(ChartsView, "_first_draw", first_draw)
    page.tabs.setCurrentIndex(1)  # a click on Charts
    qtbot.waitUntil(lambda: "drawn" in seen)
    charts = page.charts
    # the first draw: the mood chart with the days of "3 months" and the week before them
    # (for their 7-day averages); sleep and the calendar not made yet, the rest being read
    first = date.today() - timedelta(days=90)
    assert seen["tab built"] and seen["chart hidden"]  # never an empty chart on screen
    drawn = seen["drawn"]
    assert isinstance(drawn, list)
    assert drawn == sorted(local(n, 9).date() for n in (0, 5, 60, 95, 97))
    assert min(drawn) >= first - timedelta(days=7)
    assert seen["more made"] == (None, None)
    # drawn while hidden, and shown with all of it in the next turn (which paints it)
    assert seen["busy"] and not seen["shown"] and seen["plot"]
    assert seen["range"] == (first, date.today())
    qtbot.waitUntil(charts.chart.isVisible)
    assert charts.chart.visible_range() == (first, date.today())
    charts_drawn(qtbot, page)
    # then everything: the whole series, sleep and the calendar, the same period shown
    assert [p.day for p in charts.chart.daily["mood"]] == sorted(
        local(n, 9).date() for n in (0, 5, 60, 95, 97, 200, 400)
    )
    assert charts._sleep is not None and charts._heatmap is not None
    assert charts.chart.visible_range() == (first, date.today())
    assert charts.marks == svc.day_marks() and charts.mark == svc.diary_mark()
    # once on screen, sleep pans and zooms with the mood chart, the same days across
    qtbot.waitUntil(lambda: charts.sleep.item.getViewBox().linkedView(0) is not None)
    charts.chart.vb.translateBy(x=-10 * 86_400)
    assert charts.sleep.item.getViewBox().viewRange()[0] == charts.chart.vb.viewRange()[0]
    charts.presets.select("all")
    assert charts.chart.visible_range()[0] == local(400, 9).date()
    # a check-in now: only its day is read again
    svc.create_entry(CheckIn(mood=3, at=local(0, 7)))
    page._diary_changed(Change("mood", "entries"))
    charts_drawn(qtbot, page)
    assert charts.marks == svc.day_marks()
    today = [p for p in charts.chart.daily["mood"] if p.day == date.today()]
    assert len(today) == 1 and today[0].n == 2


def test_the_mood_chart_is_painted_unseen_at_its_size_before_it_is_shown(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the chart's first paint makes and keeps (its axes, curves, their text) is made in
    turns of their own, a band each, while it is hidden: the turn that shows it repaints."""
    svc = MoodService(diary.db)
    for n in range(0, 80, 3):
        svc.create_entry(CheckIn(mood=n % 11, sleep_hours=7, at=local(n, 9)))
    from companion.ui.mood import charts_tab
    from companion.ui.mood.charts_tab import ChartsView

    events: list[tuple[str, object]] = []
    real_unseen = charts_tab.paint_unseen

    def unseen(widget, size, ratio):  # type: ignore[no-untyped-def]
        events.append(("unseen", (widget.isHidden(), size.width(), size.height())))
        for _piece in real_unseen(widget, size, ratio):
            events.append(("band", None))
            yield

    real_reveal = ChartsView._reveal

    def reveal(self: ChartsView) -> None:
        events.append(("reveal", self.chart.size()))
        real_reveal(self)

    monkeypatch.setattr(charts_tab, "paint_unseen", unseen)
    monkeypatch.setattr(ChartsView, "_reveal", reveal)
    page.tabs.setCurrentIndex(1)
    charts_drawn(qtbot, page)
    kinds = [kind for kind, _what in events]
    assert kinds[0] == "unseen" and kinds[-1] == "reveal"
    assert kinds.count("band") >= 2  # in pieces, not one long turn
    hidden, width, height = events[0][1]  # type: ignore[misc]
    assert hidden and width > 300 and height > 150
    shown = events[-1][1]
    assert (shown.width(), shown.height()) == (width, height)  # type: ignore[attr-defined]
    assert page.charts.chart.size() == shown


def _a_month_charted(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> tuple[MoodService, ChartsView]:
    """Four weeks of check-ins with sleep, and the Charts tab shown and drawn."""
    svc = MoodService(diary.db)
    for n in range(1, 30):
        svc.create_entry(CheckIn(mood=n % 11, sleep_hours=7, at=local(n, 9)))
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    return svc, page.charts


def test_a_check_in_with_the_charts_showing_is_read_off_the_gui_thread_and_drawn_later(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    page: DiaryPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    svc, charts = _a_month_charted(qtbot, diary, page)
    threads: list[str] = []
    for name in ("day_marks", "daily_aggregates_all", "entries"):
        real = getattr(MoodService, name)

        def spy(self: MoodService, *args: object, _real: object = real, **kw: object) -> object:
            threads.append(threading.current_thread().name)
            return _real(self, *args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(MoodService, name, spy)
    import sys

    modules = set(sys.modules)
    ops = context.operations("mood", lambda _m: None)
    ops.run(lambda: svc.create_entry(CheckIn(mood=9, sleep_hours=8, at=local(0, 7))))
    gui = threading.main_thread().name
    assert gui not in threads  # the save's listeners read nothing heavy on the GUI thread
    assert charts.chart.daily["mood"][-1].day != date.today()  # drawn later, in turns
    charts_drawn(qtbot, page)
    assert threads and gui not in threads
    # nothing that defines Qt classes is imported meanwhile (on the worker it could crash)
    qt = ("PySide6", "shiboken6", "pyqtgraph", "companion.ui")
    assert not [m for m in set(sys.modules) - modules if m.startswith(qt)]
    today = [p for p in charts.chart.daily["mood"] if p.day == date.today()]
    assert len(today) == 1 and today[0].mean == 9.0
    (cell,) = [c for c in charts.heatmap.canvas.cells if c.day == date.today()]
    assert cell.mood_mean == 9.0
    assert charts.sleep.points[-1].day == date.today()


def test_sleep_is_drawn_again_only_when_a_change_touches_a_nights_sleep(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    page: DiaryPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A check-in without sleep, with the charts showing, draws the mood chart and the
    calendar again but not sleep (ten years of nights made into bars and a summary again,
    for the same picture: 3-7 ms of a turn after every check-in); one with sleep, or an edit
    of a night's sleep, draws it again."""
    from companion.ui.charts.sleep import SleepChart

    svc, charts = _a_month_charted(qtbot, diary, page)
    drawn: list[int] = []
    real = SleepChart.set_points

    def set_points(self: SleepChart, points: object) -> None:
        drawn.append(len(points))  # type: ignore[arg-type]
        real(self, points)  # type: ignore[arg-type]

    monkeypatch.setattr(SleepChart, "set_points", set_points)
    nights = list(charts.sleep.points)
    ops = context.operations("mood", lambda _m: None)
    ops.run(lambda: svc.create_entry(CheckIn(mood=9, at=local(0, 7))), what="entries")
    charts_drawn(qtbot, page)
    assert [p for p in charts.chart.daily["mood"] if p.day == date.today()]  # drawn
    assert drawn == [] and charts.sleep.points == nights  # sleep as it was
    entry = ops.run(lambda: svc.create_entry(CheckIn(mood=4, sleep_hours=5, at=local(0, 8))))
    charts_drawn(qtbot, page)
    assert drawn == [len(nights) + 1] and charts.sleep.points[-1].day == date.today()
    assert entry is not None
    ops.run(lambda: svc.update_entry(entry.id, CheckIn(mood=4, sleep_hours=6, at=local(0, 8))))
    charts_drawn(qtbot, page)
    assert len(drawn) == 2 and charts.sleep.points[-1].hours == 6


def test_comparisons_that_may_be_chance_are_made_when_first_shown(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage
) -> None:
    svc = MoodService(diary.db)
    for n in range(30):
        exercise = n % 2 == 0
        svc.create_entry(
            CheckIn(
                mood=(7 if exercise else 3) + (n % 3 == 0),
                exercise_minutes=30 if exercise else 0,
                alcohol_units=2.0 if n % 5 < 2 else 0.0,  # unrelated to mood: may be chance
                at=local(n, 12),
            )
        )
    page.show_tab("insights")
    wait_for_tasks(qtbot)
    view = page.insights
    assert view.overview is not None
    unsure = [i for i in view.overview.insights if not i.clear]
    clear = [i for i in view.overview.insights if i.clear]
    assert unsure and clear
    # the clear ones drawn; the others wait behind the button, made when first shown
    assert [r.insight for r in view.findChildren(InsightRow)] == clear
    button = view.unsure_button
    assert button.isVisible()
    assert button.text().startswith(f"Show {len(unsure)} more comparison")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)  # by keyboard
    rows = [r for r in view.findChildren(InsightRow) if r.insight in unsure]
    assert [r.insight for r in rows] == unsure and all(r.isVisible() for r in rows)
    assert button.text() == "Hide the comparisons that may be chance"
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert not view.unsure_box.isVisible()
    assert button.text().startswith(f"Show {len(unsure)} more comparison")


def test_a_failed_chart_update_says_so_and_the_next_change_draws_everything(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    page: DiaryPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from companion.ui.mood import charts_tab

    svc = MoodService(diary.db)
    for n in range(1, 10):
        svc.create_entry(CheckIn(mood=5, at=local(n, 9)))
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    charts = page.charts
    real = charts_tab._read_changes

    def broken(*_args: object) -> object:
        raise OSError("the copy could not be read")

    monkeypatch.setattr(charts_tab, "_read_changes", broken)
    ops = context.operations("mood", lambda _m: None)
    ops.run(lambda: svc.create_entry(CheckIn(mood=1, at=local(0, 7))))
    charts_drawn(qtbot, page)
    assert charts.error.isVisible()
    assert charts.error.text() == "The charts could not be updated just now."
    assert "could not be read" not in charts.error.text()  # one sentence, no internals
    assert date.today() not in [p.day for p in charts.chart.daily["mood"]]
    # the next change: both check-ins drawn, the sentence gone
    monkeypatch.setattr(charts_tab, "_read_changes", real)
    ops.run(lambda: svc.create_entry(CheckIn(mood=3, at=local(0, 8))))
    charts_drawn(qtbot, page)
    assert not charts.error.isVisible()
    today = [p for p in charts.chart.daily["mood"] if p.day == date.today()]
    assert len(today) == 1 and today[0].n == 2 and today[0].mean == 2.0
    assert charts.chart.daily["mood"] == svc.daily_aggregates_all()["mood"]


def test_a_change_during_the_last_ones_drawing_leaves_the_charts_equal_to_a_full_reload(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    page: DiaryPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from companion.core.mood.stats import summarise_days
    from companion.ui.mood import charts_tab

    svc = MoodService(diary.db)
    old = svc.create_entry(CheckIn(mood=4, sleep_hours=6, at=local(10, 9)))
    for n in range(1, 9):
        svc.create_entry(CheckIn(mood=5, sleep_hours=7, at=local(n, 9)))
    page.show_tab("charts")
    charts_drawn(qtbot, page)
    charts = page.charts
    held: list[list[object]] = []  # the drawing steps, held back to run late
    monkeypatch.setattr(charts_tab, "in_steps", lambda _owner, steps, **_kw: held.append(steps))
    ops = context.operations("mood", lambda _m: None)
    # an old check-in edited (day 10) and, before its drawing steps run, a new one today
    ops.run(lambda: svc.update_entry(old.id, CheckIn(mood=9, sleep_hours=9, at=local(10, 9))))
    qtbot.waitUntil(lambda: len(held) == 1)
    ops.run(lambda: svc.create_entry(CheckIn(mood=1, sleep_hours=5, at=local(0, 7))))
    qtbot.waitUntil(lambda: len(held) == 2)
    for steps in held:  # the first change's are cut short by the second's
        for run in steps:
            run()  # type: ignore[operator]
    wait_for_tasks(qtbot)
    full = svc.daily_aggregates_all()
    for metric in ("mood", "anxiety", "energy"):
        assert charts.chart.daily[metric] == full[metric]
    assert charts.days == summarise_days(svc.entries(), svc.trackers())
    assert charts.marks == svc.day_marks()
    nights = {p.day: p.hours for p in charts.sleep.points}
    assert nights[local(10, 9).date()] == 9 and nights[date.today()] == 5


def test_a_long_diary_paints_its_frame_first_then_reads_the_check_ins(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Reading and laying out the newest days costs ~50 ms at ten years: with many check-ins
    the first open paints the page (its scroll bar already there) and reads them a turn
    later; a link to a check-in (``finish_building``) reads them at once."""
    from PySide6.QtWidgets import QScrollArea

    from companion.ui.main_window import MainWindow
    from companion.ui.timers import after_paint

    svc = MoodService(diary.db)
    for n in range(35):
        svc.create_entry(CheckIn(mood=4 + n % 3, at=local(n + 1, 9)))
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.resize(1100, 760)
    window.show()
    qtbot.waitExposed(window)
    window.open_page("diary")
    page = window.page("mood")
    assert isinstance(page, DiaryPage)
    assert page.building and page.history.list.history_model.rowCount() == 0
    scroller = page.parentWidget()
    while scroller is not None and not isinstance(scroller, QScrollArea):
        scroller = scroller.parentWidget()
    assert isinstance(scroller, QScrollArea)
    at_paint: list[tuple[bool, int]] = []
    after_paint(
        page,
        lambda: at_paint.append(
            (
                scroller.verticalScrollBar().isVisible(),
                page.history.list.history_model.rowCount(),
            )
        ),
    )
    qtbot.waitUntil(lambda: not page.building)
    assert at_paint and at_paint[0][0]  # the scroll bar from the first paint
    assert len(page.history.entries()) >= 30
    assert not page.history.more_button.isHidden()  # 35 days: more than it shows
    # built but not shown (a link to a check-in): ``finish_building`` reads the list at once
    other = DiaryPage(diary, context)
    assert other.building and other.history.list.history_model.rowCount() == 0
    other.finish_building()
    assert not other.building and len(other.history.entries()) >= 30
    with qtbot.waitSignal(other.destroyed):
        other.deleteLater()
    wait_for_tasks(qtbot)


def test_the_plots_made_ahead_of_their_charts_are_never_seen_alone(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mood and sleep charts' plots are made before the rest of their chart: held
    hidden by the tab meanwhile (never a window of their own, never an empty plot on screen),
    then shown with their chart."""
    from companion.ui.mood.charts_tab import ChartsView

    svc = MoodService(diary.db)
    for n in range(5):
        svc.create_entry(CheckIn(mood=5, sleep_hours=7, at=local(n, 9)))
    made: list[tuple[object, bool, bool, bool]] = []
    real = ChartsView._hidden_plot

    def hidden_plot(self: ChartsView, *made_ahead: object) -> object:
        plot = real(self, *made_ahead)
        made.append((plot, plot.isWindow(), plot.isVisible(), plot.parent() is self))
        return plot

    monkeypatch.setattr(ChartsView, "_hidden_plot", hidden_plot)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: 1 in page._built)
    charts_drawn(qtbot, page)
    charts = page.charts
    qtbot.waitUntil(lambda: charts._sleep is not None and charts.sleep.plot.isVisible())
    # the mood chart's, and sleep's unless the worker's reading came back first (sleep is
    # then made at once, its plot with it)
    assert 1 <= len(made) <= 2
    assert all(tuple(flags) == (False, False, True) for _plot, *flags in made)
    assert made[0][0] is charts.chart.plot and charts.chart.plot.isVisible()
    if len(made) == 2:
        assert made[1][0] is charts.sleep.plot
    assert charts._plot is None and charts._sleep_plot is None


def test_the_charts_plots_are_made_a_piece_a_turn(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chart's plot is made in three turns of the event loop (its axes, its plot item,
    the widget around them), not in one: the plot made at once was the longest turn of the
    Charts tab's first open (10-25 ms). What it makes is the plot ``plot_widget`` makes. The
    mood chart's items are made in a turn of their own before the rest of the chart."""
    from companion.ui.charts.axis import DayAxis, QuietAxis
    from tests.ui.mood.plot_pieces import PIECES, PieceTurns

    svc = MoodService(diary.db)
    for n in range(5):
        svc.create_entry(CheckIn(mood=5, sleep_hours=7, at=local(n, 9)))
    turns = PieceTurns(monkeypatch)
    from companion.ui.mood import charts_tab

    made_items: list[object] = []

    def items(metrics: tuple[str, ...]) -> object:
        turns.note("items")
        made_items.append(chart_items(metrics))
        return made_items[-1]

    chart_items = charts_tab.chart_items
    monkeypatch.setattr(charts_tab, "chart_items", items)
    real_chart = charts_tab.MoodChart.__init__

    def chart(self: object, *args: object, **kwargs: object) -> None:
        turns.note("chart")
        real_chart(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(charts_tab.MoodChart, "__init__", chart)
    turns.start()
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: 1 in page._built)
    charts_drawn(qtbot, page)
    charts = page.charts
    qtbot.waitUntil(lambda: charts._sleep is not None and charts.sleep.plot.isVisible())
    turns.stop()
    assert turns.names[:5] == [*PIECES, "items", "chart"]
    # each piece in a turn of its own (another timer ran between them), the mood chart's
    # items too, made before the chart, which draws with them
    assert all(a[1] < b[1] for a, b in itertools.pairwise(turns.pieces[:5]))
    assert made_items and charts.chart.bands["mood"] is made_items[0]["mood"][0]  # type: ignore[index]
    plot = charts.chart.plot
    item = plot.getPlotItem()
    assert isinstance(item.getAxis("bottom"), DayAxis)
    assert isinstance(item.getAxis("left"), QuietAxis)
    assert not item.getAxis("top").isVisible() and not item.getAxis("right").isVisible()
    assert not item.menuEnabled()


def test_charts_open_at_their_final_width_and_show_sleep_and_the_calendar_only_drawn(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """The Charts tab keeps the room of sleep and the calendar from its first paint, so the
    page's scroll bar never comes and goes while it is drawn (each time every chart was laid
    out and painted again at another width) and the mood chart never shrinks as they come;
    sleep and the calendar appear only with their days (never an empty chart), each in its
    own turn."""
    from PySide6.QtCore import QEvent, QObject

    svc = MoodService(diary.db)
    for n in range(60):
        svc.create_entry(CheckIn(mood=n % 11, sleep_hours=6 + n % 3, at=local(n, 9)))
    scroller, page = diary_page_in_scroller(qtbot, diary, context)
    bar = scroller.verticalScrollBar()
    assert bar.isVisible()  # the check-ins: longer than the window

    class Watch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.bar_hidden = 0
            self.mood_resized = 0
            self.shown: list[tuple[str, bool]] = []

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if watched is bar and kind == QEvent.Type.Hide:
                self.bar_hidden += 1
            elif kind == QEvent.Type.Resize and watched is getattr(charts, "_mood_card", None):
                if charts._chart is not None and charts._chart.isVisible():
                    self.mood_resized += 1  # (after it was shown with its data)
            elif kind == QEvent.Type.Show and watched is getattr(charts, "_sleep_card", None):
                self.shown.append(("sleep", bool(charts.sleep.points)))
            elif kind == QEvent.Type.Show and watched is getattr(charts, "_heat_card", None):
                assert charts._heatmap is not None
                self.shown.append(("calendar", bool(charts._heatmap.canvas.cells)))
            return False

    watch = Watch()
    charts = None
    bar.installEventFilter(watch)
    page.tabs.setCurrentIndex(1)  # a click on Charts
    qtbot.waitUntil(lambda: 1 in page._built)
    charts = page.charts
    charts._mood_card.installEventFilter(watch)
    qtbot.waitUntil(lambda: charts._sleep is not None)
    charts._sleep_card.installEventFilter(watch)
    qtbot.waitUntil(lambda: charts._heatmap is not None)
    charts._heat_card.installEventFilter(watch)
    charts_drawn(qtbot, page)
    qtbot.waitUntil(lambda: len(watch.shown) == 2)
    assert watch.bar_hidden == 0 and bar.isVisible()
    assert watch.mood_resized == 0  # nothing above sleep and the calendar moved as they came
    assert watch.shown == [("sleep", True), ("calendar", True)]
    assert charts._room is None  # the room kept for them is gone, they are in it
    assert charts._sleep_card.isVisible() and charts._heat_card.isVisible()
    bar.removeEventFilter(watch)


def test_tags_and_trackers_open_at_the_pages_width(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """The Tags & trackers tab's place is kept as tall as the tab before until its rows are
    made (a few a turn), so the page's scroll bar does not go with its frame and come back
    with its rows; then it is as tall as its rows."""

    svc = MoodService(diary.db)
    for n in range(30):
        svc.create_entry(CheckIn(mood=n % 11, at=local(n, 9)))
    scroller, page = diary_page_in_scroller(qtbot, diary, context)
    hidden = tab_opened_in_scroller(qtbot, scroller, page, 3)  # Tags & trackers
    bar = scroller.verticalScrollBar()
    assert page.manage.rows and not page.manage.building
    assert hidden.count == 0 and bar.isVisible()
    assert page._holders[3].minimumHeight() == 0  # as tall as its rows from now on
    bar.removeEventFilter(hidden)


def test_the_trackers_card_is_made_hidden_before_the_rows_and_shown_after_the_tags(
    qtbot: QtBot,
    diary: OpenDiary,
    context: AppContext,
    page: DiaryPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The trackers' card is made, hidden, in the first step of the rows (before any tag's
    row), and shown in a later step, once the tags' rows above it are made: made and shown in
    one step, its making, first layout and paint held the window 14-22 ms."""
    from companion.ui.mood.manage import ManageView

    tags = MoodService(diary.db).tags()  # (the default ones)
    assert tags
    seen: list[tuple[str, bool, bool]] = []

    def card(view: ManageView) -> tuple[bool, bool]:
        made = view.trackers_card
        return made is not None, made is not None and made.isVisible()

    real_row = ManageView._tag_row
    real_start = ManageView._trackers_start

    def tag_row(self: ManageView, *args: object) -> None:
        seen.append(("row", *card(self)))
        real_row(self, *args)  # type: ignore[arg-type]

    def start(self: ManageView, any_trackers: bool) -> None:
        seen.append(("start", *card(self)))
        real_start(self, any_trackers)
        seen.append(("started", *card(self)))

    monkeypatch.setattr(ManageView, "_tag_row", tag_row)
    monkeypatch.setattr(ManageView, "_trackers_start", start)
    page.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: 3 in page._built and not page.manage.building)
    manage = page.manage
    assert [s[0] for s in seen] == ["row"] * len(tags) + ["start", "started"]
    # made before the first row, hidden until the rows above it are made, then shown
    assert all(s[1:] == (True, False) for s in seen[:-1]), seen
    assert seen[-1] == ("started", True, True)
    assert manage.trackers_card is not None and manage.trackers_card.isVisible()
    assert manage.no_trackers.isVisible()  # (none yet)


def test_the_rows_of_tags_and_trackers_are_made_in_turns_apart(
    qtbot: QtBot, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are made on screen, a few a turn, and each turn is laid out and painted:
    the turns are ``APART_MS`` apart (1 ms apart, two 4 ms turns and their paint ran in one
    pass of the event loop, 13-15 ms before an animation's next frame); the lists and counts
    read before them, which paint nothing, come as soon as they may."""
    from companion.ui import timers
    from companion.ui.mood import manage

    calls: list[tuple[int, int]] = []
    real = manage.in_steps

    def recorded(owner, steps, *args, **kwargs):  # type: ignore[no-untyped-def]
        steps = list(steps)
        calls.append((len(steps), kwargs.get("apart_ms", timers.NEXT_TURN_MS)))
        return real(owner, steps, *args, **kwargs)

    monkeypatch.setattr(manage, "in_steps", recorded)
    page.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: 3 in page._built and not page.manage.building)
    assert page.manage.rows
    (reads, reads_apart), (rows, rows_apart) = calls
    assert reads == 4 and reads_apart == timers.NEXT_TURN_MS
    assert rows > len(page.manage.rows) // 2 and rows_apart == timers.APART_MS


def test_sleep_and_the_calendar_not_read_say_so_under_the_mood_chart(
    qtbot: QtBot, diary: OpenDiary, page: DiaryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While they are read, and if reading them fails, the words are right under the mood
    chart (not below the room kept for sleep and the calendar), and no blank room stays."""
    from companion.ui.mood import charts_tab

    svc = MoodService(diary.db)
    for n in range(10):
        svc.create_entry(CheckIn(mood=5, sleep_hours=7, at=local(n, 9)))

    def broken(*_args: object) -> object:
        raise OSError("no")

    monkeypatch.setattr(charts_tab, "summarise_days", broken)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: 1 in page._built)
    charts = page.charts
    qtbot.waitUntil(lambda: charts._chart is not None and charts.chart.isVisible())
    if charts.busy.isVisible():  # "Drawing sleep and the calendar…", under the chart
        assert charts.busy.y() < charts._mood_card.geometry().bottom() + 40
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: bool(charts.error.text()))
    assert charts.error.isVisible() and not charts.busy.isVisible()
    assert charts.error.y() < charts._mood_card.geometry().bottom() + 40
    assert charts._room is not None and charts._room.isHidden()
    assert charts._sleep_card.isHidden() and charts._heat_card.isHidden()
    assert "could not be drawn" in charts.error.text()
