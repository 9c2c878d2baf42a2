"""The import window's work after a read or a preview comes back is spread over several turns
of the event loop (each turn one the window's 5 ms timers can tick between), and what the
person sees in between is whole: the progress until the mapping is complete, no table until
its cells are filled and its columns fitted. The preview's parts, hidden until a preview, are
made after the window's first paint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from companion.core.mood.importing.engine import PREVIEW_ROWS, MoodImporter
from companion.core.session import OpenDiary
from companion.ui import timers
from companion.ui.mood.import_dialog import ImportDialog
from companion.ui.pages import AppContext
from companion.ui.widgets.common import laid_out_tab_stops
from tests.core.import_helpers import CORPUS
from tests.ui.mood.import_window import import_window_shown


@pytest.fixture
def dialog(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> ImportDialog:
    return import_window_shown(qtbot, diary, context)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    lines = ["date,time,mood,anxiety,energy,tags,note"]
    for i in range(PREVIEW_ROWS + 50):
        lines.append(
            f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},{i % 24:02d}:{i % 60:02d},7,3,5,walk,n{i}"
        )
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def each_turn(owner: ImportDialog, look: Callable[[], Any]) -> list[Any]:
    """What ``look()`` sees once in every turn of the event loop from now on (a zero timer
    fires once per turn)."""
    seen: list[Any] = []
    timer = QTimer(owner)
    timer.setInterval(0)
    timer.timeout.connect(lambda: seen.append(look()))
    timer.start()
    return seen


def step(qtbot: QtBot, dialog: ImportDialog, action: Callable[[], object], name: str) -> None:
    with qtbot.waitSignal(dialog.step_finished, timeout=20_000) as blocker:
        action()
    assert blocker.args == [name]


def test_the_mapping_is_made_over_several_turns_and_shown_only_whole(
    qtbot: QtBot, dialog: ImportDialog, csv_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.ui.mood import import_dialog

    # a row a turn: how many fit in a turn's budget depends on the machine (all of them, on a
    # fast one, made the test's "a few per turn" fail now and then)
    monkeypatch.setattr(import_dialog, "STEP_MS", 0.0)
    dialog.set_format("csv")
    states = each_turn(
        dialog,
        lambda: (
            len(dialog.column_boxes),
            dialog.mapping_scroll.isVisible(),
            dialog.progress_box.isVisible(),
        ),
    )
    step(qtbot, dialog, lambda: dialog.load_path(csv_file), "look")
    qtbot.wait(20)
    made = len(dialog.column_boxes)
    assert made == 10 and dialog.mapping_scroll.isVisible()
    assert any(0 < boxes < made for boxes, _shown, _progress in states)  # a few per turn
    # all made, not shown yet: measured in a turn of their own, shown in the next
    assert any(boxes == made and not shown for boxes, shown, _progress in states)
    for boxes, shown, progress in states:
        assert shown or progress  # never neither: the progress until the mapping is there
        if shown:
            assert boxes == made and not progress  # and then the whole of it
    assert dialog.preview_button.isEnabled()


def test_the_preview_table_is_filled_and_fitted_over_several_turns_and_shown_whole(
    qtbot: QtBot, dialog: ImportDialog, csv_file: Path
) -> None:
    dialog.set_format("csv")
    step(qtbot, dialog, lambda: dialog.load_path(csv_file), "look")
    qtbot.waitUntil(lambda: hasattr(dialog, "table"))  # (made once the mapping is)
    table = dialog.table

    def filled() -> int:
        return sum(1 for i in range(table.rowCount()) if table.item(i, 0) is not None)

    states = each_turn(
        dialog,
        lambda: (
            filled(),
            [table.columnWidth(j) for j in range(4)],
            table.isVisible(),
            dialog.import_button.isEnabled(),
        ),
    )
    step(qtbot, dialog, dialog.preview_button.click, "preview")
    qtbot.wait(20)
    rows = table.rowCount()
    widths = [table.columnWidth(j) for j in range(4)]
    assert rows == PREVIEW_ROWS and filled() == rows and table.isVisible()
    table.resizeColumnsToContents()  # what the columns were fitted with at once before
    assert [table.columnWidth(j) for j in range(4)] == widths
    assert any(0 < count < rows for count, *_rest in states)  # the cells a part per turn
    turns_fitting = {tuple(w) for count, w, shown, _import in states if count == rows and not shown}
    assert len(turns_fitting) >= 3  # the columns fitted one per turn, not all at once
    for count, w, shown, can_import in states:
        if shown:
            assert count == rows and w == widths  # shown only whole
        else:
            assert not can_import  # nothing to import before the preview is seen


def test_the_preview_parts_are_made_after_the_first_paint_in_their_place_in_the_tab_order(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = ImportDialog(diary.service(MoodImporter), context)
    qtbot.addWidget(window)
    assert not hasattr(window, "table")  # not made with the window
    painted: list[bool] = []  # at the first paint: were they made?

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Paint and not painted:
                painted.append(hasattr(window, "table"))
            return False

    watch = Watch(window)
    window.installEventFilter(watch)
    window.show()
    qtbot.waitUntil(lambda: hasattr(window, "table"))
    assert painted == [False]  # the first paint came before them
    chain: list[QWidget] = []
    widget: QWidget = window.help_button
    while True:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.window() is window:
            chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is window.help_button:
            break
    assert chain == laid_out_tab_stops(window)  # as laid out: not after Import


def test_a_file_chosen_before_the_preview_parts_are_made_leaves_them_made_cleared(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = ImportDialog(diary.service(MoodImporter), context)
    qtbot.addWidget(window)
    step(qtbot, window, lambda: window.load_path(CORPUS / "daylio_de_8col.csv"), "look")
    assert not hasattr(window, "table")  # choosing a file needed none of them
    window.show()
    qtbot.waitUntil(lambda: hasattr(window, "table"))
    assert window.details.isHidden() and window.table.isHidden()  # as a new file leaves them
    step(qtbot, window, window.preview_button.click, "preview")
    assert window.details.isVisible() and window.table.rowCount() == 6


def test_the_preview_parts_wait_until_the_file_read_and_its_mapping_are_done(
    qtbot: QtBot, dialog: ImportDialog, csv_file: Path
) -> None:
    busy_then: list[bool] = []
    make = dialog._make_details

    def recorded() -> None:
        busy_then.append(timers.under_way())
        make()

    dialog._make_details = recorded  # type: ignore[method-assign]
    dialog.set_format("csv")
    step(qtbot, dialog, lambda: dialog.load_path(csv_file), "look")  # at once, as the bench
    qtbot.waitUntil(lambda: hasattr(dialog, "table"))
    assert busy_then == [False]  # not in a turn of the read or of the mapping's steps


def test_the_window_is_styled_and_laid_out_in_the_turn_that_makes_it(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    window = ImportDialog(diary.service(MoodImporter), context)
    qtbot.addWidget(window)
    # before it is shown: its help row placed, every part styled (the showing turn paints)
    assert window.help_button.parentWidget() is window and window._help_placed
    assert all(
        w.testAttribute(Qt.WidgetAttribute.WA_WState_Polished)
        for w in (window, *window.findChildren(QWidget))
    )
    window.show()
    qtbot.waitExposed(window)
    assert laid_out_tab_stops(window)[0] is window.help_button  # help first, as before
