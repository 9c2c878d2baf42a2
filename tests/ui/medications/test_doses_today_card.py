"""Today's doses on the Today page: one click, gentle words."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.core.medications.adherence import DoseStatus
from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseInput, MedicationInput, ScheduleInput
from companion.core.session import OpenDiary
from companion.ui.medications.today_card import DosesCard
from companion.ui.pages import AppContext
from tests.ui.medications.helpers import hhmm


def test_the_card_invites_adding_medicines_when_there_are_none(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = DosesCard(diary, context)
    qtbot.addWidget(card)
    assert "Add your medicines" in card.summary.text()
    with qtbot.waitSignal(context.signals.open_page) as blocker:
        qtbot.mouseClick(card.open_page, Qt.MouseButton.LeftButton)
    assert blocker.args == ["medications"]


def test_one_click_taken_and_skipped(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> None:
    now = datetime.now().astimezone()
    service = MedicationService(diary.db)
    service.add(
        MedicationInput(
            name="Venlafaxine", category="snri", started_on=date.today() - timedelta(days=3)
        ),
        ScheduleInput(times=(hhmm(now),)),
        DoseInput(75, "mg"),
    )
    service.add(
        MedicationInput(
            name="Aripiprazole", category="antipsychotic_augmentation", started_on=date.today()
        ),
        ScheduleInput(times=(hhmm(now),)),
        DoseInput(5, "mg"),
    )
    card = DosesCard(diary, context)
    qtbot.addWidget(card)
    card.show()
    assert card.summary.text() == "Not logged yet."
    assert "missed" not in card.summary.text().lower()
    qtbot.mouseClick(
        card.doses.row_for("Venlafaxine", hhmm(now)).taken_button, Qt.MouseButton.LeftButton
    )
    assert card.summary.text() == "1 of 2 not logged yet."
    qtbot.mouseClick(
        card.doses.row_for("Aripiprazole", hhmm(now)).skip_button, Qt.MouseButton.LeftButton
    )
    assert card.summary.text() == "Everything for today is logged."
    statuses = {e.status for e in service.log_entries()}
    assert statuses == {DoseStatus.TAKEN, DoseStatus.SKIPPED}
    # undo puts it back to "not logged yet"
    qtbot.mouseClick(
        card.doses.row_for("Aripiprazole", hhmm(now)).undo_button, Qt.MouseButton.LeftButton
    )
    assert card.doses.row_for("Aripiprazole", hhmm(now)).state.text() == "Not logged yet"
