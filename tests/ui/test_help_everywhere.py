"""Help from inside every dialog: F1 works and a 'Get help now' button is visible, above a
modal check-in being written too (issue 19 §4)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

import companion.ui
from companion.core.exercises.custom import CustomExerciseService
from companion.core.homework.demo import demo_plan
from companion.core.homework.plan import plan_to_toml
from companion.core.homework.service import HomeworkService
from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseInput, MedicationInput, ScheduleInput
from companion.core.mood.importing.engine import MoodImporter
from companion.core.mood.service import MoodService
from companion.core.session import OpenDiary
from companion.ui.exercises.editor import ExerciseEditor
from companion.ui.help import HelpDialog
from companion.ui.help_access import HelpfulDialog
from companion.ui.homework.plan_dialog import PlanDialog
from companion.ui.main_window import MainWindow
from companion.ui.medications import dialogs as med
from companion.ui.medications.doses import TakenDialog
from companion.ui.mood.dialogs import CheckInDialog
from companion.ui.mood.import_dialog import ImportDialog
from companion.ui.pages import AppContext
from companion.ui.settings.dialogs import ChangePassphraseDialog, NewRecoveryKeyDialog


@pytest.fixture(autouse=True)
def _close_help_windows() -> Iterator[None]:
    """Get help now stays open on its own (it is meant to); each test closes what it opened."""
    yield
    from PySide6.QtWidgets import QApplication

    from companion.ui.help import HelpDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, HelpDialog):
            widget.close()


def _all_dialog_classes() -> set[type[QDialog]]:
    for module in pkgutil.walk_packages(companion.ui.__path__, "companion.ui."):
        importlib.import_module(module.name)

    def walk(cls: type[QDialog]) -> Iterator[type[QDialog]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return {c for c in walk(QDialog) if c.__module__.startswith("companion.")}


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> MainWindow:
    context.device = context.device.with_changes(help_country="NZ")
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _medicine(diary: OpenDiary) -> MedicationService:
    service = MedicationService(diary.db)
    if not service.medications():
        now = datetime.now().astimezone()
        service.add(
            MedicationInput(name="Sertraline", category="ssri", started_on=date.today()),
            ScheduleInput(times=(f"{now.hour:02d}:{now.minute:02d}",)),
            DoseInput(50, "mg"),
        )
    return service


Factory = Callable[[OpenDiary, QWidget], QDialog]


def _ctx(parent: QWidget) -> AppContext:
    assert isinstance(parent, MainWindow)
    return parent.context


def _taken(d: OpenDiary, p: QWidget) -> QDialog:
    service = _medicine(d)
    slot = service.doses_for_day()[0]
    return TakenDialog(slot, 50, "mg", service.now() + timedelta(minutes=1), _ctx(p), p)


FACTORIES: dict[type[QDialog], Factory] = {
    CheckInDialog: lambda d, p: CheckInDialog(d.service(MoodService), _ctx(p), p),
    ImportDialog: lambda d, p: ImportDialog(d.service(MoodImporter), _ctx(p), p),
    ExerciseEditor: lambda d, p: ExerciseEditor(
        d.service(CustomExerciseService), _ctx(p), parent=p
    ),
    ChangePassphraseDialog: lambda d, p: ChangePassphraseDialog(d, p),
    PlanDialog: lambda d, p: PlanDialog(
        d.service(HomeworkService).open_text(plan_to_toml(demo_plan(date.today()))),
        d.service(HomeworkService),
        _ctx(p),
        p,
    ),
    NewRecoveryKeyDialog: lambda d, p: NewRecoveryKeyDialog(d, p),
    TakenDialog: _taken,
    med.MedicationDialog: lambda d, p: med.MedicationDialog(
        MedicationService(d.db), _ctx(p), parent=p
    ),
    med.ScheduleDialog: lambda d, p: med.ScheduleDialog(
        _medicine(d), _ctx(p), _medicine(d).medications()[0], p
    ),
    med.DoseDialog: lambda d, p: med.DoseDialog(
        _medicine(d), _ctx(p), _medicine(d).medications()[0], p
    ),
    med.StopDialog: lambda d, p: med.StopDialog(
        _medicine(d), _ctx(p), _medicine(d).medications()[0], p
    ),
    med.StockDialog: lambda d, p: med.StockDialog(
        _medicine(d), _ctx(p), _medicine(d).medications()[0], p
    ),
    med.LogDoseDialog: lambda d, p: med.LogDoseDialog(
        _medicine(d), _ctx(p), _medicine(d).medications()[0], p
    ),
    med.TreatmentDialog: lambda d, p: med.TreatmentDialog(
        MedicationService(d.db), _ctx(p), parent=p
    ),
    med.BackfillDialog: lambda d, p: med.BackfillDialog(_medicine(d), _ctx(p), p),
    med.SideEffectsDialog: lambda d, p: med.SideEffectsDialog(
        _medicine(d), _ctx(p), _medicine(d).medications()[0], p
    ),
}
#: base classes nobody opens directly, and the help window itself
NOT_OPENED = {HelpfulDialog, med.FormDialog, HelpDialog}


def help_windows() -> list[HelpDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog) and w.isVisible()
    ]


def close_help() -> None:
    for dialog in help_windows():
        dialog.close()


def test_every_dialog_in_companion_is_covered_and_gets_help() -> None:
    classes = _all_dialog_classes()
    assert classes - NOT_OPENED == set(FACTORIES), "a dialog without an F1 test"
    for cls in classes - {HelpDialog}:
        assert issubclass(cls, HelpfulDialog), f"{cls.__name__} must derive from HelpfulDialog"


@pytest.mark.parametrize("cls", list(FACTORIES), ids=lambda c: c.__name__)
def test_f1_and_the_help_button_work_inside_each_modal_dialog(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary, cls: type[QDialog]
) -> None:
    dialog = FACTORIES[cls](diary, window)
    assert isinstance(dialog, HelpfulDialog)
    dialog.setModal(True)
    dialog.open()  # window-modal, as the app opens them
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)  # keys go to the active window, as a person's do
    assert dialog.help_button.isVisible()
    assert dialog.help_button.accessibleName() == "Get help now"
    target = QApplication.focusWidget() or dialog
    qtbot.keyClick(target, Qt.Key.Key_F1)
    (shown,) = help_windows()
    assert shown.panel.country_code == "NZ"  # the person's country, through the main window
    assert shown.isActiveWindow() or QApplication.activeModalWidget() is shown
    close_help()
    qtbot.mouseClick(dialog.help_button, Qt.MouseButton.LeftButton)
    assert len(help_windows()) == 1
    close_help()
    dialog.reject()


def test_help_can_be_used_above_an_application_modal_dialog(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    """exec()-style dialogs block every other window; help comes up above them, usable."""
    dialog = CheckInDialog(diary.service(MoodService), window.context, window)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.form.note, "a hard evening")
    qtbot.keyClick(dialog.form.note, Qt.Key.Key_F1)
    (shown,) = help_windows()
    assert QApplication.activeModalWidget() is shown  # on top, taking input
    box = shown.panel.country_box
    box.setCurrentIndex(box.findData("IE"))  # it responds
    assert "112" in " ".join(w.text() for w in shown.panel.findChildren(type(dialog.form.question)))
    assert dialog.form.note.toPlainText() == "a hard evening"  # nothing typed is lost
    shown.close()
    dialog.reject()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # the next time, help is an ordinary window again
    qtbot.keyClick(window, Qt.Key.Key_F1)
    (again,) = help_windows()
    assert again.windowModality() == Qt.WindowModality.NonModal


def test_f1_in_a_message_box_opens_help(qtbot: QtBot, window: MainWindow) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Companion", "Restore this backup?", parent=window)
    box.open()
    qtbot.waitExposed(box)
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_F1)
    assert len(help_windows()) == 1
    close_help()
    box.reject()


def test_f1_inside_the_check_in_dialog_from_ctrl_n(qtbot: QtBot, window: MainWindow) -> None:
    """The issue's case: writing a distressing note in the check-in opened with Ctrl+N."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, CheckInDialog) and w.isVisible()
    )
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.form.set_expanded(True)
    qtbot.keyClicks(dialog.form.note, "I do not feel safe tonight")
    qtbot.keyClick(dialog.form.note, Qt.Key.Key_F1)
    (shown,) = help_windows()
    text = " ".join(w.text() for w in shown.panel.findChildren(type(dialog.form.question)))
    assert "Call 111" in text and "1737" in text
    assert "confirmed" not in text
    close_help()
    dialog.reject()
