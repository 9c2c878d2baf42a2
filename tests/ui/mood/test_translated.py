"""Every word the mood diary shows goes through gettext: in the pseudo-locale each visible label,
button, tab, tooltip, placeholder, window title and accessible name of the mood widgets carries
its markers. What the person wrote (tag names, notes), numbers, and the parts other features
draw inside these pages (charts, the undo bar, the help button) are left to their own tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from companion import i18n
from companion.core.mood.service import CheckIn, MoodService, TrackerKind
from companion.core.session import OpenDiary
from companion.ui.charts.api import MoodChart
from companion.ui.charts.heatmap import CalendarHeatmap
from companion.ui.charts.patterns import PatternChart
from companion.ui.charts.presets import RangePresets
from companion.ui.charts.sleep import SleepChart
from companion.ui.mood.page import DiaryPage
from companion.ui.mood.today_card import CheckInCard
from companion.ui.pages import AppContext
from companion.ui.widgets.undo_bar import UndoBar
from tests.ui.conftest import wait_for_tasks

#: drawn by other parts of the app, checked by their own tests
FOREIGN = (MoodChart, SleepChart, CalendarHeatmap, PatternChart, RangePresets, UndoBar)
#: the person's own words: tag chips (their names are stored in the diary)
OWN_WORDS = {"Chip"}


@pytest.fixture
def pseudo() -> Iterator[None]:
    i18n.install(i18n.PSEUDO)
    yield
    i18n.install(None)


def _texts(widget: QWidget) -> list[str]:
    out = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
    if widget.isWindow():
        out.append(widget.windowTitle())
    if isinstance(widget, QLabel | QAbstractButton):
        out.append(widget.text())
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        out.append(widget.placeholderText())
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        out += [widget.specialValueText(), widget.suffix()]
    if isinstance(widget, QComboBox):
        out += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QTabWidget):
        out += [widget.tabText(i) for i in range(widget.count())]
    return out


def shown(root: QWidget) -> list[tuple[str, str]]:
    """(widget class, text) of every visible text of the mood widgets under ``root``."""
    found: list[tuple[str, str]] = []

    def walk(widget: QWidget) -> None:
        if isinstance(widget, FOREIGN) or widget.objectName() in OWN_WORDS | {"HelpNow"}:
            return
        found.extend((type(widget).__name__, t.strip()) for t in _texts(widget) if t.strip())
        for child in widget.findChildren(QWidget):
            if child.parentWidget() is widget and child.isVisibleTo(root):
                walk(child)

    walk(root)
    return found


def unmarked(root: QWidget, own: set[str]) -> list[str]:
    """Visible texts under ``root`` without the pseudo-locale's markers (numbers and the
    person's own words apart)."""
    texts = shown(root)
    assert len(texts) > 10, "the walk found next to nothing to check"
    return [
        f"{kind}: {text!r}"
        for kind, text in texts
        if i18n.PSEUDO_OPEN not in text
        and text not in own
        and not all(c.isdigit() or c in " .,:–-" for c in text)
    ]


@pytest.fixture
def filled(diary: OpenDiary) -> MoodService:
    svc = MoodService(diary.db)
    svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=10)
    svc.add_tracker("Walked", TrackerKind.YES_NO)
    moment = datetime.now().astimezone() - timedelta(hours=1)
    svc.create_entry(CheckIn(mood=5, anxiety=3, elevated=1, sleep_hours=7.5, at=moment))
    return svc


def test_the_diary_page_in_every_tab_is_translated(
    qtbot: QtBot, pseudo: None, diary: OpenDiary, context: AppContext, filled: MoodService
) -> None:
    page = DiaryPage(diary, context)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    page.refresh()
    own = {"Coffee", "Walked", "cups"}
    # the diary's own words in the Tags & trackers rows: its tags' names (the starting set is
    # stored in the diary as it is written, and renamed like any other), names in bold, and
    # the rows' "⋯" menus (a symbol, not a word)
    names = {t.name for t in filled.tags()} | own
    own |= names | {f"<b>{n}</b>" for n in names} | {"⋯"}
    problems: list[str] = []
    for name in ("history", "charts", "insights", "manage"):
        page.show_tab(name)
        wait_for_tasks(qtbot)
        problems += [f"{name}: {p}" for p in unmarked(page, own)]
    page.form.more_button.setChecked(True)
    page.form.substances.set_value(True)
    page.form.signs["felt_unsafe"].set_value(True)
    problems += [f"form: {p}" for p in unmarked(page.form, own)]
    assert problems == []


def test_the_today_card_and_the_check_in_windows_are_translated(
    qtbot: QtBot, pseudo: None, diary: OpenDiary, context: AppContext, filled: MoodService
) -> None:
    card = CheckInCard(diary, context)
    qtbot.addWidget(card)
    card.show()
    own = {"Coffee", "Walked", "cups"}
    assert unmarked(card, own) == []
    new = card.shortcut.open_dialog()
    new.form.more_button.setChecked(True)
    assert unmarked(new, own) == []
    new.reject()
    page = DiaryPage(diary, context)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.history.edit(page.history.entries()[0])
    edit = page.history.dialog
    assert edit is not None
    assert unmarked(edit, own) == []
    edit.reject()
    page.open_import()
    assert page.dialog is not None
    assert unmarked(page.dialog, own) == []
    page.dialog.close()
