"""``companion --smoke-test``: prove that this installation works, without a person or a display.

It runs the real program (the same code a bundle carries) offscreen against a throw-away demo
diary in a temporary folder, and goes through what a first day of use touches: the setup, unlock
and help windows; the main window with every page the features declare; every dialog the app
can open (``DIALOGS``; a test keeps the list complete); the tray menu; the summary PDF, protected
with a password (JSON without the reports feature); a lock (which saves through the real vault)
and a second unlock that reads everything back. Then the folder is removed.

It never touches the person's own diary, data folder or keyring (a keyring that always says
"unavailable" is put in place), and writes nothing outside its temporary folder. Success prints
one line, ``SMOKE-OK companion <version> <platform> …``, and exits 0; a failure prints one
sentence naming the step that failed, and exits 1.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from companion import __version__, paths
from companion.i18n import _

if TYPE_CHECKING:
    from companion.core.session import OpenDiary
    from companion.ui.main_window import MainWindow

#: days of demo history: a year, so every chart, table and medicine dialog has something
DEMO_DAYS = 365
#: the window size pages are rendered at
SIZE = (1100, 760)


class SmokeFailure(Exception):
    """A step failed; the message is the one sentence printed."""


@dataclass(frozen=True)
class DialogCase:
    """How the smoke test opens one dialog class (given the unlocked main window)."""

    cls_path: str  # "module:Class", checked by the test that keeps DIALOGS complete
    make: Callable[[MainWindow], QWidget]


def _cls(path: str) -> type:
    import importlib

    module, name = path.split(":")
    found = getattr(importlib.import_module(module), name)
    assert isinstance(found, type)
    return found


def _service(window: MainWindow, path: str) -> object:
    return window.diary.service(_cls(path))


def _medication(window: MainWindow) -> object:
    from companion.core.medications.service import MedicationService

    medicines = window.diary.service(MedicationService).medications()
    if not medicines:
        raise SmokeFailure(_("The demo diary has no medicines to open dialogs with."))
    return medicines[0]


def _treatment(window: MainWindow) -> object | None:
    from companion.core.medications.service import MedicationService

    treatments = window.diary.service(MedicationService).treatments()
    return treatments[0] if treatments else None


def _taken_dialog(window: MainWindow) -> QWidget:
    from datetime import timedelta

    from companion.core.medications.service import MedicationService
    from companion.ui.medications.doses import TakenDialog

    service = window.diary.service(MedicationService)
    today = service.today()
    for back in range(30):
        slots = service.doses_for_day(today - timedelta(days=back))
        if slots:
            slot = slots[0]
            info = service.get(slot.medication_id)
            dose = info.dose_on(slot.day) or info.latest_dose
            if dose is None:
                continue
            return TakenDialog(
                slot, dose.version.amount, dose.version.unit, service.now(), window.context, window
            )
    raise SmokeFailure(_("The demo diary has no scheduled doses to open the dose dialog with."))


def _plan_dialog(window: MainWindow) -> QWidget:
    """A therapist's plan file as opened from disk (the demo's plan, read from its text)."""
    from companion.core.homework.demo import demo_plan
    from companion.core.homework.plan import plan_to_toml
    from companion.core.homework.service import HomeworkService
    from companion.core.timekeeping import local_now
    from companion.ui.homework.plan_dialog import PlanDialog

    service = window.diary.service(HomeworkService)
    opened = service.open_text(plan_to_toml(demo_plan(local_now().date())))
    return PlanDialog(opened, service, window.context, window)


_MED = "companion.core.medications.service:MedicationService"
_MED_DIALOGS = "companion.ui.medications.dialogs"


def _med_dialog(name: str) -> Callable[[MainWindow], QWidget]:
    def make(window: MainWindow) -> QWidget:
        cls = _cls(f"{_MED_DIALOGS}:{name}")
        widget = cls(_service(window, _MED), window.context, _medication(window), window)
        assert isinstance(widget, QWidget)
        return widget

    return make


def _make(path: str, *args: Callable[[MainWindow], object]) -> Callable[[MainWindow], QWidget]:
    """A dialog made from ``path`` with each argument computed from the window, then the
    window as the parent (the dialogs' usual last argument)."""

    def make(window: MainWindow) -> QWidget:
        widget = _cls(path)(*(arg(window) for arg in args), window)
        assert isinstance(widget, QWidget)
        return widget

    return make


def _context(window: MainWindow) -> object:
    return window.context


def _diary(window: MainWindow) -> object:
    return window.diary


#: every dialog class in ``companion.ui`` and how to open it (a test keeps this complete)
DIALOGS: tuple[DialogCase, ...] = (
    DialogCase(
        "companion.ui.mood.dialogs:CheckInDialog",
        _make(
            "companion.ui.mood.dialogs:CheckInDialog",
            lambda w: _service(w, "companion.core.mood.service:MoodService"),
            _context,
        ),
    ),
    DialogCase(
        "companion.ui.mood.import_dialog:ImportDialog",
        _make(
            "companion.ui.mood.import_dialog:ImportDialog",
            lambda w: _service(w, "companion.core.mood.importing.engine:MoodImporter"),
            _context,
        ),
    ),
    DialogCase(
        "companion.ui.exercises.editor:ExerciseEditor",
        _make(
            "companion.ui.exercises.editor:ExerciseEditor",
            lambda w: _service(w, "companion.core.exercises.custom:CustomExerciseService"),
            _context,
            lambda w: None,
        ),
    ),
    DialogCase(
        "companion.ui.settings.dialogs:ChangePassphraseDialog",
        _make("companion.ui.settings.dialogs:ChangePassphraseDialog", _diary),
    ),
    DialogCase(
        "companion.ui.settings.dialogs:NewRecoveryKeyDialog",
        _make("companion.ui.settings.dialogs:NewRecoveryKeyDialog", _diary),
    ),
    DialogCase(
        "companion.ui.help:HelpDialog",
        _make("companion.ui.help:HelpDialog", lambda w: w.context.device.help_country),
    ),
    DialogCase("companion.ui.medications.doses:TakenDialog", _taken_dialog),
    DialogCase("companion.ui.homework.plan_dialog:PlanDialog", _plan_dialog),
    DialogCase(
        f"{_MED_DIALOGS}:MedicationDialog",
        _make(
            f"{_MED_DIALOGS}:MedicationDialog", lambda w: _service(w, _MED), _context, _medication
        ),
    ),
    DialogCase(f"{_MED_DIALOGS}:ScheduleDialog", _med_dialog("ScheduleDialog")),
    DialogCase(f"{_MED_DIALOGS}:DoseDialog", _med_dialog("DoseDialog")),
    DialogCase(f"{_MED_DIALOGS}:StopDialog", _med_dialog("StopDialog")),
    DialogCase(f"{_MED_DIALOGS}:StockDialog", _med_dialog("StockDialog")),
    DialogCase(f"{_MED_DIALOGS}:LogDoseDialog", _med_dialog("LogDoseDialog")),
    DialogCase(f"{_MED_DIALOGS}:SideEffectsDialog", _med_dialog("SideEffectsDialog")),
    DialogCase(
        f"{_MED_DIALOGS}:BackfillDialog",
        _make(f"{_MED_DIALOGS}:BackfillDialog", lambda w: _service(w, _MED), _context),
    ),
    DialogCase(
        f"{_MED_DIALOGS}:TreatmentDialog",
        _make(f"{_MED_DIALOGS}:TreatmentDialog", lambda w: _service(w, _MED), _context, _treatment),
    ),
)

#: base classes that are never shown on their own
DIALOG_BASES = frozenset(
    {"companion.ui.help_access:HelpfulDialog", "companion.ui.medications.dialogs:FormDialog"}
)


# -- running ------------------------------------------------------------------------------------


class _Run:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.step = _("starting")
        self.pages = 0
        self.dialogs = 0
        self.qt_errors: list[str] = []

    @contextmanager
    def doing(self, step: str) -> Iterator[None]:
        self.step = step
        yield

    def fail(self, exc: BaseException) -> SmokeFailure:
        if isinstance(exc, SmokeFailure):
            return exc
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        kind = type(exc).__name__ + (f": {detail}" if detail else "")
        return SmokeFailure(
            _("The smoke test failed while {step} ({kind}).").format(step=self.step, kind=kind)
        )


def run_smoke_test() -> int:
    """The whole test; returns the exit code (0 or 1) after printing one line."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # whatever the desktop: no window is shown
    import keyring

    folder = Path(tempfile.mkdtemp(prefix="companion-smoke-"))
    run = _Run(folder)
    previous_keyring = keyring.get_keyring()
    try:
        try:
            _all_steps(run)
        except BaseException as exc:  # one sentence, never a traceback
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise run.fail(exc) from None
    except SmokeFailure as failure:
        print(str(failure), file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        keyring.set_keyring(previous_keyring)
    if folder.exists():
        print(_("The smoke test could not remove its folder {folder}.").format(folder=folder))
        return 1
    from PySide6.QtGui import QGuiApplication

    print(
        f"SMOKE-OK companion {__version__} {sys.platform} {QGuiApplication.platformName()} "
        f"pages={run.pages} dialogs={run.dialogs} export={_export_kind()}"
    )
    return 0


def _all_steps(run: _Run) -> None:
    from companion.core import demo
    from companion.core.device_settings import DeviceSettings
    from companion.core.diary_files import InstanceLock
    from companion.core.session import OpenDiary
    from companion.ui import theme
    from companion.ui.app import make_app
    from companion.ui.pages import AppContext

    with run.doing(_("starting Qt")):
        _no_keyring()
        app = make_app()
        _watch_qt_messages(run)
        device = DeviceSettings(theme="light")
        theme.apply(app, device)
    with run.doing(_("drawing the app icon")):
        from companion.ui.identity import app_icon

        if app_icon().pixmap(32, 32).isNull():  # the SVG master and Qt's SVG plugin
            raise SmokeFailure(_("The app icon could not be drawn."))
    data_dir = run.folder / "diary"
    data_dir.mkdir(mode=0o700)
    vault = paths.vault_path(data_dir)
    passphrase = secrets.token_urlsafe(24)

    with run.doing(_("rendering the first-run window")):
        from companion.ui.unlock.setup import SetupWindow

        _render(run, SetupWindow(run.folder / "unused" / paths.VAULT_NAME))
    with run.doing(_("creating the demo diary")), InstanceLock(vault):
        diary, _key = OpenDiary.create(vault, passphrase)
        try:
            demo.fill(diary.db, DEMO_DAYS, 1)
            diary.lock()
        except BaseException:
            diary.close()
            raise
    with run.doing(_("rendering the unlock window")):
        from companion.ui.unlock.unlock import UnlockWindow

        _render(run, UnlockWindow(vault, try_device=False))

    context = AppContext(data_dir=data_dir, device=device)
    with InstanceLock(vault):
        with run.doing(_("unlocking the demo diary")):
            diary = OpenDiary.unlock(vault, passphrase=passphrase)
        try:
            _main_window(run, diary, context)
        except BaseException:
            _close_quietly(diary)  # nothing of a failed run is saved
            raise
        with run.doing(_("unlocking the saved diary again")):
            again = OpenDiary.unlock(vault, passphrase=passphrase, read_only=True)
            try:
                from companion.core.diary_check import check_rows

                rows = check_rows(again.db)
                if not rows.ok:
                    raise SmokeFailure(
                        _("The smoke test's diary did not read back whole after saving.")
                    )
            finally:
                again.close()
    if run.qt_errors:
        raise SmokeFailure(
            _("Qt reported a critical error: {message}").format(message=run.qt_errors[0])
        )


def _main_window(run: _Run, diary: OpenDiary, context: object) -> None:
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import AppContext

    assert isinstance(context, AppContext)
    with run.doing(_("opening the main window")):
        window = MainWindow(diary, context)
        window.resize(*SIZE)
        window.show()
        _settle()
    for page_id in window.page_ids:
        with run.doing(_("rendering the page “{page}”").format(page=page_id)):
            window.open_page(page_id)
            _settle()
            _check_image(window)
            run.pages += 1
    for case in DIALOGS:
        name = case.cls_path.split(":")[1]
        with run.doing(_("opening the dialog “{dialog}”").format(dialog=name)):
            dialog = case.make(window)
            _render(run, dialog)
            run.dialogs += 1
    with run.doing(_("building the tray menu")):
        from companion.ui.tray import DesktopTray

        tray = DesktopTray(lambda: window, close_to_tray=lambda: False)
        tray.update_actions()
        if not tray.lock_action.isEnabled():
            raise SmokeFailure(_("The tray menu did not offer Lock for an open diary."))
        tray.close()
        tray.deleteLater()
    with run.doing(_("exporting a summary")):
        _export(run, diary)
    with run.doing(_("locking (saving) the diary")):
        window.lock()
        if window.isEnabled():
            raise SmokeFailure(_("The smoke test's diary did not lock."))
        _dispose(window)


def _export(run: _Run, diary: OpenDiary) -> None:
    """The summary a person hands a clinician: a password-protected PDF of the default sections
    over the last 90 days when the reports feature is there (Qt's PDF writer and pypdf's AES,
    the parts a bundle could miss), else the JSON export; written as the app writes it, then
    read back."""
    from companion import features

    if "reports" in features.FEATURES:
        _export_pdf(run, diary)
    else:
        _export_json(run, diary)


def _export_pdf(run: _Run, diary: OpenDiary) -> None:
    from datetime import timedelta

    from companion.core.reports.model import Period
    from companion.core.timekeeping import local_now
    from companion.reports.export import ExportRequest, default_sections, make_export

    now = local_now()
    period = Period(now.date() - timedelta(days=89), now.date())
    out = run.folder / "summary.pdf"
    password = secrets.token_urlsafe(12)
    request = ExportRequest("pdf", period, default_sections(), password=password)
    made = make_export(diary.db, request, now, out)
    data = out.read_bytes()
    if not data.startswith(b"%PDF-") or not made.pages:
        raise SmokeFailure(_("The summary PDF was not written whole."))
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    if not reader.is_encrypted or not reader.decrypt(password) or len(reader.pages) != made.pages:
        raise SmokeFailure(_("The summary PDF could not be opened with its password."))


def _export_json(run: _Run, diary: OpenDiary) -> None:
    import json

    from companion.core import portable
    from companion.core.diary_files import write_private_file

    out = run.folder / "export.json"
    document = portable.export_document(diary.db, include_notes=True, start=None, end=None)
    write_private_file(out, portable.dumps(document).encode("utf-8"))
    if not isinstance(json.loads(out.read_text(encoding="utf-8")), dict):
        raise SmokeFailure(_("The exported summary could not be read back."))


# -- helpers ------------------------------------------------------------------------------------


def _export_kind() -> str:
    from companion import features

    return "pdf" if "reports" in features.FEATURES else "json"


def _no_keyring() -> None:
    """Never the person's keyring: a backend that is always unavailable."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def _watch_qt_messages(run: _Run) -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            run.qt_errors.append(message.splitlines()[0][:200] if message else "")

    qInstallMessageHandler(handler)


def _settle() -> None:
    from PySide6.QtCore import QCoreApplication

    from companion.ui import tasks

    for _round in range(4):
        QCoreApplication.processEvents()
        tasks.wait_for_workers(5000)
        QCoreApplication.processEvents()


def _check_image(widget: QWidget) -> None:
    image = widget.grab().toImage()
    if image.isNull() or image.width() < 10 or image.height() < 10:
        raise SmokeFailure(_("A window drew nothing."))


def _render(run: _Run, widget: QWidget) -> None:
    widget.resize(*SIZE)
    widget.show()
    _settle()
    _check_image(widget)
    _dispose(widget)


def _dispose(widget: QWidget) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    widget.hide()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _close_quietly(diary: OpenDiary) -> None:
    import contextlib

    with contextlib.suppress(Exception):
        diary.close()
