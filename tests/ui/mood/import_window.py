"""The import window shown for a test, as the Diary page opens it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from companion.core.mood.importing.engine import MoodImporter
from companion.core.session import OpenDiary
from companion.ui.mood.import_dialog import ImportDialog
from companion.ui.pages import AppContext


def import_window_shown(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> ImportDialog:
    window = ImportDialog(diary.service(MoodImporter), context)
    qtbot.addWidget(window)
    window.show()
    return window
