"""Today's doses on the Today page: each one click from taken or skipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseSlot
from companion.core.session import OpenDiary
from companion.i18n import N_, _, ngettext
from companion.ui.medications.doses import DoseList
from companion.ui.pages import AppContext, TodayCard
from companion.ui.today.parts import reads_then_draw
from companion.ui.widgets.common import link_button
from companion.ui.widgets.measured import measured_label as label

#: what the card shows, as read: whether any medicine is taken now, and the day's doses
_Read = tuple[bool, list[DoseSlot]]


class DosesCard(TodayCard):
    heading = N_("Today's doses")
    order = 20

    @classmethod
    def in_parts(
        cls, diary: OpenDiary, context: AppContext
    ) -> tuple[DosesCard, list[Callable[[], object]]]:
        """The card, then what reads today's doses, then what draws them (``TodayPage``)."""
        card = cls(diary, context, read=False)
        # the medicines, then the day's doses: about half of the read each
        held: list[object] = []
        reads = [
            lambda: held.append(card._has_medicines()),
            lambda: held.append(card.service.doses_for_day(card.doses.day)),
        ]
        return card, reads_then_draw(
            diary, reads, lambda: card._draw(cast(_Read, tuple(held))), card.refresh
        )

    def __init__(
        self,
        diary: OpenDiary,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        read: bool = True,
    ):
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
        if read:
            self.refresh()

    def refresh(self) -> None:
        self._draw(self._read())

    def _has_medicines(self) -> bool:
        """Whether any medicine is taken now."""
        return bool(self.service.medications(include_stopped=False))

    def _read(self) -> _Read:
        """Whether any medicine is taken now, and the day's doses (``DoseList.refresh``)."""
        return self._has_medicines(), self.service.doses_for_day(self.doses.day)

    def _draw(self, read: _Read) -> None:
        has_medicines, slots = read
        self.doses.setVisible(has_medicines)
        self.doses.show_slots(slots)
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
