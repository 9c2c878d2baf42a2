"""Today's doses on the Today page: each one click from taken or skipped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from companion.core.medications.service import MedicationService
from companion.core.session import OpenDiary
from companion.i18n import N_, _, ngettext
from companion.ui.medications.doses import DoseList
from companion.ui.pages import AppContext, TodayCard
from companion.ui.widgets.common import link_button
from companion.ui.widgets.measured import measured_label as label


class DosesCard(TodayCard):
    heading = N_("Today's doses")
    order = 20

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = diary.service(MedicationService)
        self.summary = label("", name="Muted")
        self.body.addWidget(self.summary)
        self.doses = DoseList(self.service, context, empty_text=_("No doses are scheduled today."))
        self.body.addWidget(self.doses)
        row = QHBoxLayout()
        self.open_page = link_button(_("Open medications"))
        self.open_page.clicked.connect(lambda: context.signals.open_page.emit("medications"))
        row.addWidget(self.open_page, 0, Qt.AlignmentFlag.AlignLeft)
        row.addStretch(1)
        self.body.addLayout(row)
        context.changes.listen("medications", lambda _change: self.refresh(), receiver=self)
        self.refresh()

    def refresh(self) -> None:
        has_medicines = bool(self.service.medications(include_stopped=False))
        self.doses.setVisible(has_medicines)
        self.doses.refresh()
        if not has_medicines:
            self.summary.setText(
                _("Add your medicines on the Medications page to see today's doses here.")
            )
            return
        rows = self.doses.rows
        waiting = self.doses.not_logged
        if not rows:
            self.summary.setText("")
        elif waiting == 0:
            self.summary.setText(_("Everything for today is logged."))
        elif waiting == len(rows):
            self.summary.setText(_("Not logged yet."))
        else:
            self.summary.setText(
                ngettext(
                    "{count} of {total} not logged yet.",
                    "{count} of {total} not logged yet.",
                    waiting,
                ).format(count=waiting, total=len(rows))
            )
        self.summary.setVisible(bool(self.summary.text()))
