"""Keyboard and screen-reader access to every page and the main dialogs (WCAG 2.2 AA).

Each test opens a page of the features registry (or a dialog) on a demo diary, walks its Tab
order with ``tests/ui/a11y.py`` and fails on an unnamed control, a control without a control's
role, a visible label missing from the accessible name, or Tab going against the visual order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from companion import features
from companion.core import demo
from companion.core.session import OpenDiary
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext

from .a11y import accessible_name, problems, tab_stops
from .conftest import wait_for_tasks
from .test_setup_unlock import warmed_up


@pytest.fixture
def demo_diary(diary: OpenDiary) -> OpenDiary:
    demo.fill(diary.db, 200, 7)  # long enough for current medicines (issue 15 defect 4)
    return diary


@pytest.fixture
def window(qtbot: QtBot, demo_diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    w = MainWindow(demo_diary, context)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    yield w
    wait_for_tasks(qtbot)


def _settle(qtbot: QtBot) -> None:
    wait_for_tasks(qtbot)
    QApplication.processEvents()


def _main_regions(window: MainWindow) -> object:
    sidebar = window.findChild(QWidget, "Sidebar")

    def region(widget: QWidget) -> str:
        return "sidebar" if sidebar is not None and sidebar.isAncestorOf(widget) else "page"

    return region


def _page_ids() -> list[str]:
    return [decl.id for decl in features.load().pages()]


@pytest.mark.parametrize("page_id", _page_ids())
def test_page(qtbot: QtBot, window: MainWindow, page_id: str) -> None:
    window.open_page(page_id)
    _settle(qtbot)
    stops = tab_stops(window)
    assert len(stops) > 3
    found = problems(window, stops, region=_main_regions(window))
    assert not found, "\n".join(found)


def _check(window: QWidget, region: object = None) -> None:
    stops = tab_stops(window)
    assert len(stops) > 2, [type(s).__name__ for s in stops]
    found = problems(window, stops, region=region)  # type: ignore[arg-type]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("tab", ["charts", "insights", "manage"])
def test_diary_tab(qtbot: QtBot, window: MainWindow, tab: str) -> None:
    window.open_page("mood")
    page = window.page("mood")
    page.tabs.setCurrentWidget(getattr(page, tab))
    _settle(qtbot)
    _check(window, _main_regions(window))


def test_today_with_every_question(qtbot: QtBot, window: MainWindow) -> None:
    window.open_page("today")
    _settle(qtbot)
    from companion.ui.mood.checkin_form import CheckInForm

    form = window.page("today").findChild(CheckInForm)
    assert form is not None
    form.set_expanded(True)
    for section in form.sections.values():  # every part open: the tag chips are walked too
        section.set_open(True)
    _settle(qtbot)
    _check(window, _main_regions(window))


def test_today_with_more_open_is_few_tab_stops_and_reaches_every_input(
    qtbot: QtBot, demo_diary: OpenDiary, context: AppContext
) -> None:
    """Tab stops across Today at 1024×640 (issue 15: 40 with "More" open; 41 with the sections
    that started open, 49 with all open): the check-in's sections start folded, each heading
    one stop, so "More" adds 8 stops (When, Now and six headings), and the whole window takes
    29 at 00:30 (21 with "More" closed). The doses card's stops vary with the time of day (the
    test failed every morning), so the bound leaves them out: 24 at 00:30, and a plan's day may
    add one. A keyboard-only person opens each heading with Space and reaches every input."""
    from companion.ui.medications.today_card import DosesCard
    from companion.ui.mood.checkin_form import CheckInForm
    from companion.ui.reminders import ReminderBanner

    window = MainWindow(demo_diary, context)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.open_page("today")
    _settle(qtbot)
    form = window.page("today").findChild(CheckInForm)
    assert form is not None
    # the reminder banner above the pages shows when a dose falls due on the wall clock (Open,
    # Taken, Snooze, Dismiss: this test failed from 08:00 to about 08:30), maybe while the test
    # runs: its stops are left out of every count
    banner = window.findChild(ReminderBanner)
    assert banner is not None

    def stops_now() -> list[QWidget]:
        return [w for w in tab_stops(window) if not banner.isAncestorOf(w)]

    closed = stops_now()
    form.set_expanded(True)
    _settle(qtbot)
    stops = stops_now()
    names = "\n".join(f"{type(w).__name__}: {accessible_name(w)}" for w in stops)
    in_form = [w for w in stops if form.isAncestorOf(w)]
    headings = [section.header for section in form.sections.values()]
    assert in_form == [
        form.mood, form.when, form.now_button, *headings, form.save_button, form.more_button
    ], names  # fmt: skip
    assert len(stops) - len(closed) == 8, names
    # the doses due depend on the time of day (three stops each): counted apart
    doses = window.page("today").findChild(DosesCard)
    assert doses is not None
    steady = [w for w in stops if not doses.isAncestorOf(w)]
    assert len(steady) <= 26, names
    # the keyboard alone: Tab to each heading, Space opens it, every input is then a Tab stop
    for header in headings:
        assert header in stops
        qtbot.keyClick(header, Qt.Key.Key_Space)
    _settle(qtbot)
    every = stops_now()
    inputs = [
        form.anxiety, form.energy, form.irritability, form.elevated, form.sleep_hours,
        form.exercise, form.outdoors, form.alcohol, form.sleep_quality, form.substances,
        *form.signs.values(), form.activities.current(), form.triggers.current(),
        *(widget for _info, widget in form.tracker_inputs.values()), form.note,
    ]  # fmt: skip
    missing = [accessible_name(w) or type(w).__name__ for w in inputs if w not in every]
    assert not missing, missing
    assert len(every) == len(stops) + len(inputs)  # each heading stays one stop
    assert not problems(window, every, region=_main_regions(window))


@pytest.mark.parametrize("where", ["intro", "step"])
def test_exercise_player(
    qtbot: QtBot, window: MainWindow, demo_diary: OpenDiary, context: AppContext, where: str
) -> None:
    from companion.ui.exercises.launch import start_exercise

    player = start_exercise(window, demo_diary, context, "box-breathing", quick=where == "step")
    assert player is not None
    _settle(qtbot)
    _check(window, _main_regions(window))
    player.stop() if hasattr(player, "stop") else None


def test_safety_plan_editor(qtbot: QtBot, window: MainWindow) -> None:
    window.open_page("safety")
    window.page("safety").open_editor(1)
    _settle(qtbot)
    _check(window, _main_regions(window))


def test_add_medicine_dialog(qtbot: QtBot, window: MainWindow) -> None:
    from companion.ui.medications.dialogs import MedicationDialog

    window.open_page("medications")
    page = window.page("medications")
    dialog = MedicationDialog(page.service, page.context, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qtbot)
    _check(dialog)


@pytest.mark.parametrize("state", ["locked", "unlocked"])
def test_help_window(qtbot: QtBot, window: MainWindow, state: str) -> None:
    from companion.ui.help import open_help

    dialog = open_help(window if state == "unlocked" else None)
    _settle(qtbot)
    try:
        _check(dialog)
    finally:
        dialog.close()


@pytest.mark.parametrize("step", [0, 1, 2, 3])
def test_setup_window(qtbot: QtBot, tmp_path: Path, context: AppContext, step: int) -> None:
    from companion.ui.unlock.setup import SetupWindow

    setup = SetupWindow(tmp_path / "new.companion", context=context)
    qtbot.addWidget(setup)
    setup.show()
    warmed_up(qtbot)
    if step == 2:
        setup.recovery.set_key("ABCDE-FGHIJ-KLMNO")
    setup.stack.setCurrentIndex(step)
    if step == 3:
        setup._to_keyring()
    _settle(qtbot)
    _check(setup)


@pytest.mark.parametrize("mode", ["passphrase", "recovery key"])
def test_unlock_window(qtbot: QtBot, vault_path: Path, context: AppContext, mode: str) -> None:
    from companion.ui.unlock.unlock import UnlockWindow

    unlock = UnlockWindow(vault_path, try_device=False, context=context)
    qtbot.addWidget(unlock)
    unlock.show()
    warmed_up(qtbot)
    if mode == "recovery key":
        unlock.toggle_recovery_mode()
    _settle(qtbot)
    _check(unlock)


# -- the inputs themselves -------------------------------------------------------------------


def test_a_scale_is_a_slider_with_a_value_and_one_tab_stop(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QAccessible, QWheelEvent

    from companion.ui.mood.inputs import ScaleInput

    scale = ScaleInput("Mood", [str(i) for i in range(11)], spoken="How is your mood?")
    qtbot.addWidget(scale)
    scale.show()
    iface = QAccessible.queryAccessibleInterface(scale)
    assert iface.role() == QAccessible.Role.Slider
    assert iface.text(QAccessible.Text.Name) == "How is your mood?, 0 to 10, not rated yet"
    scale.set_value(7)
    value = iface.valueInterface()
    assert value is not None
    assert (value.currentValue(), value.minimumValue(), value.maximumValue()) == (7, 0, 10)
    assert iface.text(QAccessible.Text.Name) == "How is your mood?, 0 to 10"
    assert iface.text(QAccessible.Text.Description) == "7: 7"
    value.setCurrentValue(3)  # what a screen reader does to change it
    assert scale.value() == 3
    wheel = QWheelEvent(
        QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(scale, wheel)
    assert scale.value() == 3  # the wheel scrolls the page, it never changes an answer
    focusable = [b for b in scale.buttons if b.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert focusable == []


def test_a_yes_no_question_is_a_check_box_half_ticked_until_answered(qtbot: QtBot) -> None:
    from PySide6.QtGui import QAccessible

    from companion.ui.mood.inputs import YesNoInput

    question = YesNoInput("Felt numb")
    qtbot.addWidget(question)
    iface = QAccessible.queryAccessibleInterface(question)
    assert iface.role() == QAccessible.Role.CheckBox
    assert iface.state().checkStateMixed and not iface.state().checked
    question.set_value(True)
    assert iface.state().checked and not iface.state().checkStateMixed
    question.set_value(False)
    assert not iface.state().checked and not iface.state().checkStateMixed


def test_the_exercise_distress_rating_is_one_tab_stop_like_the_check_in(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    from companion.ui.exercises.distress import DistressScale

    rating = DistressScale("How strong is the distress right now?")
    qtbot.addWidget(rating)
    rating.show()
    stops = tab_stops(rating)
    assert [type(w).__name__ for w in stops] == ["ScaleInput", "QPushButton"]  # and Skip
    assert problems(rating, stops) == []
    got: list[object] = []
    rating.rated.connect(got.append)
    stops[0].setFocus()
    qtbot.keyClick(stops[0], Qt.Key.Key_7)
    qtbot.keyClick(stops[0], Qt.Key.Key_Right)
    assert rating.value == 8 and got == [7, 8]


# -- the walker itself -------------------------------------------------------------------------


def test_the_walker_finds_what_a_keyboard_or_screen_reader_user_would_meet(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    row = QHBoxLayout()
    right = QPushButton("Right")
    left = QPushButton("Left")
    row.addWidget(left)
    row.addWidget(right)
    layout.addLayout(row)
    renamed = QPushButton("All")
    renamed.setAccessibleName("Show everything")
    layout.addWidget(renamed)
    frame = QFrame()
    frame.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    frame.setAccessibleName("A scale")
    layout.addWidget(frame)
    layout.addWidget(QScrollArea())
    root.resize(400, 400)
    root.show()
    QWidget.setTabOrder(right, left)  # Tab goes right to left
    QWidget.setTabOrder(left, renamed)
    found = problems(root, tab_stops(root))
    assert found == [
        "label not in name: “All” is read as “Show everything”",
        "role Border on an input: QFrame “A scale”",
        "unnamed: QScrollArea (Client)",
        "a silent scroll area: QScrollArea",
        "order: “Left” comes after “Right” but is above or to its left",
    ]


# -- charts ------------------------------------------------------------------------------------


def _charts(root: QWidget) -> list[QWidget]:
    import pyqtgraph as pg

    from companion.ui.charts.heatmap import HeatmapCanvas
    from companion.ui.checkups.trend import TrendChart

    kinds = (pg.GraphicsView, HeatmapCanvas, TrendChart)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(root)]


@pytest.mark.parametrize(
    ("page_id", "tab"),
    [("mood", "charts"), ("mood", "insights"), ("exercises", None), ("medications", None),
     ("checkups", None)],
)  # fmt: skip
def test_every_chart_has_a_text_alternative(
    qtbot: QtBot, window: MainWindow, page_id: str, tab: str | None
) -> None:
    """What a chart shows, in words a screen reader reads: its name, and a summary (figures,
    the period, what is missing) as its accessible description."""
    window.open_page(page_id)
    page = window.page(page_id)
    if tab is not None:
        page.show_tab(tab)  # built when first shown
    _settle(qtbot)
    if page_id == "checkups":
        page.show_trend("phq9", 0)
        _settle(qtbot)
    charts = _charts(page)
    assert charts, f"no chart on {page_id}"
    for chart in charts:
        name, description = chart.accessibleName(), chart.accessibleDescription()
        assert name and len(description) > 20, (type(chart).__name__, name, description)


# -- every dialog ------------------------------------------------------------------------------


def _dialog_kinds() -> list[object]:
    from .test_help_everywhere import FACTORIES

    return [pytest.param(kind, id=kind.__name__) for kind in FACTORIES]


@pytest.mark.parametrize("kind", _dialog_kinds())
def test_dialog(qtbot: QtBot, window: MainWindow, demo_diary: OpenDiary, kind: type) -> None:
    from .test_help_everywhere import FACTORIES

    dialog = FACTORIES[kind](demo_diary, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qtbot)
    try:
        _check(dialog)
    finally:
        dialog.reject()


@pytest.mark.parametrize(
    ("page_id", "item"),
    [("learn", "what-is-trd"), ("learn", "childhood-trauma-and-depression"),
     ("reports", "homework"), ("reports", "shared"), ("reports", "write")],
)  # fmt: skip
def test_inside_a_page(qtbot: QtBot, window: MainWindow, page_id: str, item: str) -> None:
    """An article open in Learn (with and without its content note), the other report tabs."""
    window.open_page(page_id)
    _settle(qtbot)
    assert window.page(page_id).open_item(item)
    _settle(qtbot)
    _check(window, _main_regions(window))


def test_the_walker_tells_a_second_column_from_a_skipped_row(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    columns = QHBoxLayout(root)
    left, right = QWidget(), QWidget()
    first, second = QPushButton("First"), QPushButton("Second")
    QVBoxLayout(left).addWidget(first)
    left.layout().addWidget(second)  # type: ignore[union-attr]
    third = QPushButton("Third")
    QVBoxLayout(right).addWidget(third)
    columns.addWidget(left)
    columns.addWidget(right)
    card = QWidget()  # like Today's doses: a row with a button on the right, a link below
    rows = QWidget()
    row = QHBoxLayout(rows)
    undo, link = QPushButton("Undo"), QPushButton("Open")
    row.addStretch(1)
    row.addWidget(undo)
    in_card = QVBoxLayout(card)
    in_card.addWidget(rows)
    in_card.addWidget(link, 0, Qt.AlignmentFlag.AlignLeft)
    left.layout().addWidget(card)  # type: ignore[union-attr]
    root.resize(600, 400)
    root.show()
    QWidget.setTabOrder(second, link)  # the card's link before the row above it
    QWidget.setTabOrder(link, undo)
    QWidget.setTabOrder(undo, third)  # then up to the second column: fine
    stops = tab_stops(root)
    assert [s.text() for s in stops] == ["First", "Second", "Open", "Undo", "Third"]  # type: ignore[attr-defined]
    assert problems(root, stops) == ["order: “Undo” comes after “Open” but is above or to its left"]


def test_a_date_and_time_field_is_one_tab_stop(qtbot: QtBot, context: AppContext) -> None:
    """Qt's date editors stop at each part on Tab (the review counted six for "When"); the
    arrows move between the parts, Tab and Shift+Tab leave the field."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDateTimeEdit, QPushButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    before, when, after = QPushButton("Before"), QDateTimeEdit(), QPushButton("After")
    for widget in (before, when, after):
        layout.addWidget(widget)
    root.show()
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)  # keys go to the active window, as a person's do
    when.setFocus()
    qtbot.keyClick(QApplication.focusWidget() or when, Qt.Key.Key_Tab)
    assert root.focusWidget() is after
    when.setFocus()
    qtbot.keyClick(
        QApplication.focusWidget() or when, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier
    )
    assert root.focusWidget() is before
