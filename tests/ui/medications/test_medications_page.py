"""The Medications page, tried as a new person would: add a medicine with a schedule, mark
today's dose, change the dose, stop it with a reason, and read the figures and the history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from companion.core.medications.adherence import DoseStatus
from companion.core.medications.service import MedicationService
from companion.core.medications.types import (
    DoseInput,
    MedicationInput,
    ScheduleInput,
    TreatmentInput,
)
from companion.core.session import OpenDiary
from companion.ui.medications.dialogs import (
    BackfillDialog,
    DoseDialog,
    MedicationDialog,
    SideEffectsDialog,
    StopDialog,
    TreatmentDialog,
    qdate,
)
from companion.ui.medications.page import MedicationsPage
from companion.ui.medications.today_card import DosesCard
from companion.ui.pages import AppContext
from tests.ui.conftest import wait_for_tasks
from tests.ui.medications.helpers import hhmm, with_modal


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MedicationsPage]:
    widget = MedicationsPage(diary, context)
    qtbot.addWidget(widget)
    widget.resize(1100, 900)
    widget.show()
    wait_for_tasks(qtbot)
    yield widget
    wait_for_tasks(qtbot)  # a change at the end of a test starts a new background read


def texts(widget: object) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))  # type: ignore[attr-defined]


def save(dialog: QDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    box.button(QDialogButtonBox.StandardButton.Save).click()


def fill_new_medicine(dialog: QDialog, *, amount: float, at: str) -> None:
    assert isinstance(dialog, MedicationDialog)
    dialog.name.setText("Sertraline")
    dialog.category.setCurrentIndex(dialog.category.findData("ssri"))
    dialog.strength.setValue(50)
    dialog.started.setDate(qdate(date.today() - timedelta(days=20)))
    assert dialog.schedule is not None
    hour, minute = (int(x) for x in at.split(":"))
    dialog.schedule.time_edits[0].setTime(QTime(hour, minute))
    dialog.amount.setValue(amount)


def test_a_new_person_adds_marks_changes_and_stops_a_medicine(
    qtbot: QtBot, page: MedicationsPage, diary: OpenDiary
) -> None:
    assert page.no_medicines.isVisible()
    now = datetime.now().astimezone()
    slot = hhmm(now)

    # a dose of zero is refused with a sentence, and what was typed stays in the dialog
    def first_try(dialog: QDialog) -> None:
        fill_new_medicine(dialog, amount=0, at=slot)
        save(dialog)
        assert dialog.isVisible()
        assert "more than zero" in dialog.field_error.text()  # type: ignore[attr-defined]
        assert dialog.name.text() == "Sertraline"  # type: ignore[attr-defined]
        dialog.amount.setValue(50)  # type: ignore[attr-defined]
        save(dialog)

    with_modal(page.add_button.click, first_try)
    qtbot.waitUntil(lambda: bool(page.rows))
    wait_for_tasks(qtbot)
    assert not page.no_medicines.isVisible()
    row = page.row_for("Sertraline")
    assert "50 mg · Every day at " + slot in texts(row)

    # today's dose: one click
    dose_row = page.doses.row_for("Sertraline", slot)
    assert "Not logged yet" in dose_row.state.text()
    qtbot.mouseClick(dose_row.taken_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.doses.row_for("Sertraline", slot).slot.entry is not None)
    entry = page.doses.row_for("Sertraline", slot).slot.entry
    assert entry is not None and entry.status is DoseStatus.TAKEN and entry.time_recorded
    assert "Taken at" in page.doses.row_for("Sertraline", slot).state.text()
    # a second click on a fresh row cannot count it twice (the button is gone; the service
    # would return the same entry anyway)
    assert not page.doses.row_for("Sertraline", slot).taken_button.isVisible()

    # change the dose from today
    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, DoseDialog)
        dialog.amount.setValue(100)
        save(dialog)

    with_modal(lambda: page.row_for("Sertraline").change_dose(), change)
    qtbot.waitUntil(lambda: "100 mg · Every day" in texts(page.row_for("Sertraline")))

    # figures and history read true
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: "Sertraline" in texts(page.history_view))
    history = texts(page.history_view)
    assert "at the highest dose, " in history and "shorter than" not in history
    assert "adequate" not in history.lower() and "failed" not in history.lower()
    adherence = texts(page.adherence_view)
    assert "Doses logged as taken" in adherence and "(not known whether taken)" in adherence
    # timing adherence as the reference defines it (on time ÷ expected), then among timed doses
    assert "expected doses" in adherence and "doses logged with a time" in adherence
    assert page.timeline is not None
    assert any(o.kind == "dose" for o in page.timeline.chart.overlays)

    # stop it with a reason: it moves to the past medicines
    def stop(dialog: QDialog) -> None:
        assert isinstance(dialog, StopDialog)
        dialog.reason.setCurrentIndex(dialog.reason.findData("side_effects"))
        dialog.last_day.setDate(qdate(date.today() - timedelta(days=1)))
        save(dialog)
        # a dose is logged as taken today: the stop must be on or after today
        assert "logged as taken on" in dialog.error.text()
        dialog.last_day.setDate(qdate(date.today()))
        save(dialog)

    with_modal(lambda: page.row_for("Sertraline").stop(), stop)
    qtbot.waitUntil(lambda: "stopped: side effects" in texts(page.row_for("Sertraline")))
    info = MedicationService(diary.db).medications()[0]
    assert info.stop_reason == "side_effects" and info.stopped_on == date.today()
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: "Stopped: side effects." in texts(page.history_view))


def test_delete_offers_undo_and_undo_restores_everything(
    qtbot: QtBot, page: MedicationsPage, diary: OpenDiary
) -> None:
    service = MedicationService(diary.db)
    med = service.add(
        MedicationInput(name="Lithium", category="lithium", started_on=date.today()),
        ScheduleInput(times=("08:00", "20:00")),
        DoseInput(400, "mg"),
    )
    service.add_side_effect(med.id, "Thirsty", "mild", date.today())
    page.changed()
    qtbot.waitUntil(lambda: bool(page.rows))
    page.row_for("Lithium").delete()
    qtbot.waitUntil(lambda: not page.rows)
    assert page.undo_bar.isVisible() and "Lithium" in page.undo_bar.text.text()
    qtbot.mouseClick(page.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.rows))
    assert service.get(med.id).side_effects[0].description == "Thirsty"


def test_side_effects_backfill_and_treatments(
    qtbot: QtBot, page: MedicationsPage, diary: OpenDiary
) -> None:
    service = MedicationService(diary.db)
    start = date.today() - timedelta(days=10)
    med = service.add(
        MedicationInput(name="Venlafaxine", category="snri", started_on=start),
        ScheduleInput(times=("08:00",)),
        DoseInput(75, "mg"),
    )
    page.changed()
    qtbot.waitUntil(lambda: bool(page.rows))

    dialog = SideEffectsDialog(service, page.context, service.get(med.id), page)
    qtbot.addWidget(dialog)
    dialog.add()
    assert "describe the side effect" in dialog.error.text()
    dialog.description.setText("Sweating at night")
    dialog.severity.setCurrentIndex(dialog.severity.findData("moderate"))
    dialog.add()
    assert [e.description for e in service.get(med.id).side_effects] == ["Sweating at night"]
    assert "Sweating at night" in texts(dialog)

    backfill = BackfillDialog(service, page.context, page)
    qtbot.addWidget(backfill)
    backfill.day.setDate(qdate(start + timedelta(days=2)))
    (row,) = backfill.doses.rows
    qtbot.mouseClick(row.taken_button, Qt.MouseButton.LeftButton)
    (entry,) = service.log_entries(med.id)
    assert entry.slot_date == start + timedelta(days=2) and not entry.time_recorded
    assert "time not recorded" in backfill.doses.rows[0].state.text()
    backfill.day.setDate(qdate(start - timedelta(days=1)))  # before it was started
    assert backfill.doses.rows == [] and not backfill.doses.empty.isHidden()

    def add_therapy(dialog: QDialog) -> None:
        assert isinstance(dialog, TreatmentDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("psychotherapy"))
        dialog.therapy.setCurrentIndex(dialog.therapy.findData("emdr"))
        dialog.start.setDate(qdate(start))
        dialog.ended.setChecked(True)
        dialog.end.setDate(qdate(start - timedelta(days=5)))
        save(dialog)
        assert "before the start date" in dialog.error.text()
        dialog.ended.setChecked(False)
        save(dialog)

    with_modal(page.add_treatment, add_therapy)
    qtbot.waitUntil(lambda: "EMDR" in texts(page.treatments_card))
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: "EMDR" in texts(page.history_view))


def test_reminder_settings_are_saved(qtbot: QtBot, page: MedicationsPage, diary: OpenDiary) -> None:
    card = page.reminders_card
    card.show_names.setChecked(True)
    card.window_once.setValue(90)
    prefs = MedicationService(diary.db).preferences()
    assert prefs.show_names and prefs.window_once == 90
    card.checkins.setText("21:00; 9:00")
    card.save_checkins()
    assert card.checkins.text() == "09:00, 21:00"
    card.checkins.setText("noon")
    card.save_checkins()
    assert "not a time of day" in card.status.text()


def test_the_add_dialog_refuses_a_schedule_without_times(
    qtbot: QtBot, page: MedicationsPage
) -> None:
    dialog = MedicationDialog(page.service, page.context, None, page)
    qtbot.addWidget(dialog)
    dialog.name.setText("Test")
    dialog.amount.setValue(10)
    assert dialog.schedule is not None
    first = dialog.schedule.time_edits[0]
    dialog.schedule.remove_time(first.parentWidget(), first)
    save(dialog)
    assert "at least one time of day" in dialog.error.text()
    assert page.service.medications() == []


def test_a_dose_marked_on_the_today_card_shows_on_the_page_at_once(
    qtbot: QtBot, page: MedicationsPage, diary: OpenDiary, context: AppContext
) -> None:
    now = datetime.now().astimezone()
    service = MedicationService(diary.db)
    service.add(
        MedicationInput(name="Bupropion", category="atypical", started_on=date.today()),
        ScheduleInput(times=(hhmm(now),)),
        DoseInput(150, "mg"),
    )
    page.changed()
    qtbot.waitUntil(lambda: bool(page.doses.rows))
    card = DosesCard(diary, context)
    qtbot.addWidget(card)
    qtbot.mouseClick(
        card.doses.row_for("Bupropion", hhmm(now)).taken_button, Qt.MouseButton.LeftButton
    )
    # one change hub per diary: the page heard it, without anyone telling it directly
    qtbot.waitUntil(lambda: page.doses.row_for("Bupropion", hhmm(now)).slot.entry is not None)
    assert "Taken" in page.doses.row_for("Bupropion", hhmm(now)).state.text()


def test_a_change_that_cannot_be_made_says_why_in_one_sentence(
    qtbot: QtBot, page: MedicationsPage, diary: OpenDiary
) -> None:
    service = MedicationService(diary.db)
    med = service.add(
        MedicationInput(name="Quetiapine", category="other", started_on=date.today()),
        ScheduleInput(times=("21:00",)),
        DoseInput(25, "mg"),
    )
    page.changed()
    qtbot.waitUntil(lambda: bool(page.rows))
    row = page.row_for("Quetiapine")
    service.delete(med.id)  # gone in the meantime (another window, an import…)
    row.delete()
    assert page.status.text() == "That medicine is no longer in the diary."
    assert not page.undo_bar.isVisible()
    page.changed()
    qtbot.waitUntil(lambda: not page.rows)
    # the next change that works clears the sentence
    service.add_treatment(TreatmentInput(kind="ect", started_on=date.today()))
    page.changed()
    qtbot.waitUntil(lambda: bool(page.treatment_rows))
    page.delete_treatment(service.treatments()[0])
    assert page.status.text() == ""
    assert page.undo_bar.isVisible() and "ECT was deleted." in page.undo_bar.text.text()
    qtbot.mouseClick(page.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    assert [t.kind for t in service.treatments()] == ["ect"]


def test_the_more_button_is_as_tall_as_its_row(
    qtbot: QtBot, page: MedicationsPage, diary: OpenDiary
) -> None:
    from PySide6.QtWidgets import QPushButton

    MedicationService(diary.db).add(
        MedicationInput(name="Lithium", category="lithium", started_on=date.today()),
        ScheduleInput(times=("08:00",)),
        DoseInput(400, "mg"),
    )
    page.changed()
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: bool(page.rows) and page.row_for("Lithium").more.isVisible())
    row = page.row_for("Lithium")
    more = row.more
    neighbours = [b for b in row.findChildren(QPushButton) if b.isVisible() and b.y() == more.y()]
    assert neighbours
    assert {b.height() for b in neighbours} == {more.height()}


def test_the_add_dialog_says_a_problem_beside_its_field(
    qtbot: QtBot, page: MedicationsPage
) -> None:
    """An empty name: the sentence right under the Name field, which is marked and focused;
    then the dose; no stock icons on the buttons, and no kind of medicine presumed."""
    from PySide6.QtWidgets import QFormLayout

    dialog = MedicationDialog(page.service, page.context, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.category.currentData() == "other"
    save_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save_button.icon().isNull()
    qtbot.mouseClick(save_button, Qt.MouseButton.LeftButton)
    assert dialog.field_error.isVisible() and "name" in dialog.field_error.text()
    assert dialog.error.text() == ""
    row, _role = dialog.form.getWidgetPosition(dialog.field_error)
    name_row, _role = dialog.form.getWidgetPosition(dialog.name)
    assert row == name_row + 1
    assert "border" in dialog.name.styleSheet()
    assert dialog.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, "Sertraline")
    qtbot.mouseClick(save_button, Qt.MouseButton.LeftButton)
    assert "dose" in dialog.field_error.text().lower()
    assert dialog.name.styleSheet() == "" and dialog.amount.styleSheet() != ""
    assert (
        dialog.form.itemAt(
            dialog.form.getWidgetPosition(dialog.field_error)[0] - 1, QFormLayout.ItemRole.FieldRole
        )
        .layout()
        .indexOf(dialog.amount)
        >= 0
    )
    dialog.amount.setValue(50)
    qtbot.mouseClick(save_button, Qt.MouseButton.LeftButton)
    assert [m.name for m in page.service.medications()] == ["Sertraline"]


def test_low_stock_wears_a_refill_soon_badge(
    qtbot: QtBot, page: MedicationsPage, diary: OpenDiary
) -> None:
    service = MedicationService(diary.db)
    low = service.add(
        MedicationInput(name="Lithium", category="lithium", started_on=date.today()),
        ScheduleInput(times=("08:00",)),
        DoseInput(400, "mg"),
    )
    plenty = service.add(
        MedicationInput(name="Sertraline", category="ssri", started_on=date.today()),
        ScheduleInput(times=("08:00",)),
        DoseInput(50, "mg"),
    )
    service.set_stock(low.id, 5)
    service.set_stock(plenty.id, 60)
    page.changed()
    wait_for_tasks(qtbot)
    qtbot.waitUntil(lambda: len(page.rows) == 2)
    assert "Refill soon" in texts(page.row_for("Lithium"))
    assert "Refill soon" not in texts(page.row_for("Sertraline"))


def test_a_new_text_size_fits_the_more_button_a_turn_later_not_during_the_restyle(
    qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The "⋯" button matches its neighbours' height at any text size; a theme or text size
    applied reaches it while Qt restyles the whole tree, so it fits itself in the next turn,
    never inside that (a geometry changed there is what crashed a full test run)."""
    from PySide6.QtWidgets import QPushButton

    from companion.core.device_settings import DeviceSettings
    from companion.ui import theme
    from companion.ui.medications import fields

    button = fields.more_button("More")
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    fits: list[int] = []
    original = fields._MoreButton.fit
    monkeypatch.setattr(fields._MoreButton, "fit", lambda self: (fits.append(1), original(self)))
    theme.apply(qapp, DeviceSettings(theme="light", text_scale=2.0))
    try:
        assert fits == []  # not during the restyle
        qtbot.waitUntil(lambda: bool(fits))
        twin = QPushButton("More")
        twin.setFont(button.font())
        assert button.height() == twin.sizeHint().height()
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))
