"""The import window as a person uses it: choose the format and file, give renamed moods a
number, preview (mapping in words, unreadable rows with line numbers), skip or not, import,
stop a long run; and the history appears in the Diary."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.core.mood.service import MoodService
from companion.core.session import OpenDiary
from companion.ui.mood.import_dialog import UNSET, ImportDialog
from companion.ui.mood.page import DiaryPage
from companion.ui.pages import AppContext
from tests.core.import_helpers import CORPUS
from tests.ui.conftest import wait_for_tasks
from tests.ui.mood.import_window import import_window_shown


@pytest.fixture
def dialog(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> ImportDialog:
    return import_window_shown(qtbot, diary, context)


def step(qtbot: QtBot, dialog: ImportDialog, action: object, name: str) -> None:
    """Do something that starts background work and wait until that step reports back."""
    with qtbot.waitSignal(dialog.step_finished, timeout=20_000) as blocker:
        action()  # type: ignore[operator]
    assert blocker.args == [name]


def click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_daylio_with_renamed_moods_is_mapped_previewed_and_imported(
    qtbot: QtBot, dialog: ImportDialog, diary: OpenDiary
) -> None:
    path = CORPUS / "daylio_custom_moods.csv"
    step(qtbot, dialog, lambda: dialog.load_path(path), "look")
    assert set(dialog.mood_spins) == {
        "stoked",
        "content",
        "fine",
        "numb",
        "drained",
        "wired",
        "good",
    }
    assert dialog.mood_spins["good"].value() == 7
    assert dialog.mood_spins["stoked"].value() == UNSET
    click(qtbot, dialog.preview_button)
    assert "Choose a number for each mood first" in dialog.error.text()
    for name, value in {
        "stoked": 9,
        "content": 7,
        "fine": 6,
        "numb": 3,
        "drained": 2,
        "wired": 6,
    }.items():
        dialog.mood_spins[name].setValue(value)
    step(qtbot, dialog, lambda: click(qtbot, dialog.preview_button), "preview")
    assert dialog.summary.text().startswith("7 rows read; 7 check-ins to import")
    assert "“stoked” → 9 (your choice)" in dialog.explanation.text()
    assert dialog.table.rowCount() == 7
    assert MoodService(diary.db).count_entries() == 0  # a preview writes nothing
    assert dialog.import_button.isEnabled()
    step(qtbot, dialog, lambda: click(qtbot, dialog.import_button), "import")
    assert dialog.summary.text() == "Imported 7 check-ins (4 Apr 2025 to 10 Apr 2025)."
    assert sorted(e.mood for e in MoodService(diary.db).entries()) == [2, 3, 6, 6, 7, 7, 9]
    # the same file again: everything is already in the diary
    step(qtbot, dialog, lambda: dialog.load_path(path), "look")
    for name, value in {
        "stoked": 9,
        "content": 7,
        "fine": 6,
        "numb": 3,
        "drained": 2,
        "wired": 6,
    }.items():
        dialog.mood_spins[name].setValue(value)
    step(qtbot, dialog, lambda: click(qtbot, dialog.preview_button), "preview")
    assert "7 rows are already in the diary" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_unreadable_rows_are_listed_and_the_rest_imported_only_when_chosen(
    qtbot: QtBot, dialog: ImportDialog, diary: OpenDiary
) -> None:
    step(qtbot, dialog, lambda: dialog.load_path(CORPUS / "daylio_bad_rows.csv"), "look")
    step(qtbot, dialog, lambda: click(qtbot, dialog.preview_button), "preview")
    assert dialog.problems.count() == 6
    assert dialog.problems.item(0).text().startswith("Line 3:")
    assert dialog.skip_bad.isVisible()
    assert not dialog.import_button.isEnabled()  # all or nothing until the person chooses
    dialog.skip_bad.setChecked(True)
    assert dialog.import_button.isEnabled()
    assert "will be skipped" in dialog.summary.text()
    step(qtbot, dialog, lambda: click(qtbot, dialog.import_button), "import")
    assert MoodService(diary.db).count_entries() == 2
    assert "6 rows that could not be read were skipped" in dialog.summary.text()


def test_emoods_backup_shows_its_mapping_in_words(
    qtbot: QtBot, dialog: ImportDialog, diary: OpenDiary
) -> None:
    dialog.set_format("emoods")
    step(qtbot, dialog, lambda: dialog.load_path(CORPUS / "emoods_backup.emoods"), "look")
    assert [s.value() for s in dialog.mood_spins.values()] == [5, 3, 2, 1]
    step(qtbot, dialog, lambda: click(qtbot, dialog.preview_button), "preview")
    words = dialog.explanation.text()
    assert "more depressed means a lower mood" in words
    assert "nothing that was not recorded becomes a value" in words
    assert dialog.problems.count() == 1 and "DEPRESSED" in dialog.problems.item(0).text()
    dialog.skip_bad.setChecked(True)
    step(qtbot, dialog, lambda: click(qtbot, dialog.import_button), "import")
    assert MoodService(diary.db).count_entries() == 5


def test_other_csv_with_word_moods_asks_for_their_numbers(
    qtbot: QtBot, dialog: ImportDialog, diary: OpenDiary
) -> None:
    dialog.set_format("csv")
    step(qtbot, dialog, lambda: dialog.load_path(CORPUS / "generic_semicolon.csv"), "look")
    assert dialog.column_boxes["mood"].currentData() is None  # German header: not guessed
    dialog.column_boxes["date"].setCurrentIndex(1)
    dialog.column_boxes["time"].setCurrentIndex(2)
    dialog.column_boxes["mood"].setCurrentIndex(3)
    dialog.column_boxes["note"].setCurrentIndex(4)
    step(qtbot, dialog, lambda: click(qtbot, dialog.preview_button), "preview")
    assert "“gut”" in dialog.error.text()
    dialog.mood_spins["gut"].setValue(7)
    dialog.mood_spins["müde"].setValue(4)
    step(qtbot, dialog, lambda: click(qtbot, dialog.preview_button), "preview")
    assert dialog.error.text() == ""
    step(qtbot, dialog, lambda: click(qtbot, dialog.import_button), "import")
    assert sorted(e.mood for e in MoodService(diary.db).entries()) == [4, 7, 7]


def test_a_bad_file_says_so_in_one_sentence(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    step(qtbot, dialog, lambda: dialog.load_path(binary), "look")
    assert "not a text file" in dialog.error.text()
    assert not dialog.preview_button.isEnabled()


def test_stop_during_a_long_import_writes_nothing(
    qtbot: QtBot, dialog: ImportDialog, diary: OpenDiary, tmp_path: Path
) -> None:
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    for i in range(30_000):
        lines.append(f'{2000 + i // 8760}-01-01,x,x,{i % 24:02d}:{i % 60:02d},good,"","","{i}"')
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    step(qtbot, dialog, lambda: dialog.load_path(path), "look")
    step(qtbot, dialog, lambda: click(qtbot, dialog.preview_button), "preview")
    assert dialog.import_button.isEnabled()
    before = diary.db.serialize()
    with qtbot.waitSignal(dialog.step_finished, timeout=60_000):
        click(qtbot, dialog.import_button)
        assert dialog.progress_box.isVisible()
        click(qtbot, dialog.stop_button)
    assert dialog.error.text() == "Stopped; nothing was imported."
    assert diary.db.serialize() == before


def test_the_diary_page_opens_the_window_and_shows_the_history(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    page = DiaryPage(diary, context)
    qtbot.addWidget(page)
    page.show()
    click(qtbot, page.import_button)
    window = page.dialog
    assert isinstance(window, ImportDialog)
    step(qtbot, window, lambda: window.load_path(CORPUS / "daylio_de_8col.csv"), "look")
    step(qtbot, window, lambda: click(qtbot, window.preview_button), "preview")
    step(qtbot, window, lambda: click(qtbot, window.import_button), "import")
    window.close()
    page.show_tab("history")
    qtbot.waitUntil(lambda: len(page.history.entries()) == 6)
    assert page.history.count.text() == "6 check-ins on 6 days."
    assert sorted(e.mood for e in page.history.entries()) == [1, 3, 5, 7, 7, 9]
    assert not any(e.backfilled for e in page.history.entries())  # not "written later"
    page.show_tab("charts")  # built when first shown
    assert page.charts.presets.key == "all"  # the 2023 history is in view in Charts
    wait_for_tasks(qtbot)  # its data, drawn in later turns
    assert page.charts.chart.visible_range()[0].year == 2023
