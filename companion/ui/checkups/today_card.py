"""Today: a quiet card when a check-up is due (hidden otherwise)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from companion.content import ContentError
from companion.core.checkups.service import CheckupService, Status
from companion.core.session import OpenDiary
from companion.i18n import _, ngettext
from companion.ui.checkups.overview import names_list
from companion.ui.pages import AppContext, TodayCard
from companion.ui.today.parts import read_then_draw
from companion.ui.widgets.common import icon, label, primary_button


class CheckupsCard(TodayCard):
    heading = ""
    order = 40

    @classmethod
    def in_parts(
        cls, diary: OpenDiary, context: AppContext
    ) -> tuple[CheckupsCard, list[Callable[[], object]]]:
        """The card, then what reads the check-ups due, then what shows them (``TodayPage``)."""
        card = cls(diary, context, read=False)
        return card, read_then_draw(diary, card._due, card._draw, card.refresh)

    def __init__(
        self,
        diary: OpenDiary,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        read: bool = True,
    ):
        super().__init__(diary, context, parent)
        self.service = diary.service(CheckupService)
        self.heading_label = label(_("A check-up is due"), name="CardTitle")
        self.body.addWidget(self.heading_label)
        self.text = label("")
        self.body.addWidget(self.text)
        row = QHBoxLayout()
        self.start_button = primary_button(_("Start"), "mdi6.arrow-right")
        self.start_button.clicked.connect(self.start)
        self.all_button = QPushButton(icon("mdi6.clipboard-check-outline"), _("All check-ups"))
        self.all_button.setAccessibleName(_("Open the check-ups page"))
        self.all_button.clicked.connect(lambda: context.signals.open_page.emit("checkups"))
        row.addWidget(self.start_button)
        row.addWidget(self.all_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self.first = ""
        if read:
            self.refresh()

    def refresh(self) -> None:
        self._draw(self._due())

    def _due(self) -> list[Status]:
        try:
            return self.service.due_now()
        except ContentError:  # a questionnaire file that cannot be read: the page says so
            return []

    def _draw(self, due: list[Status]) -> None:
        self.set_shown(bool(due))
        if not due:
            self.first = ""
            return
        names = [s.questionnaire.name for s in due]
        self.first = due[0].questionnaire.id
        self.setAccessibleName(_("A check-up is due"))
        self.heading_label.setText(
            ngettext("A check-up is due", "{count} check-ups are due", len(due)).format(
                count=len(due)
            )
        )
        self.text.setText(
            ngettext(
                "Your {names} is due. It takes a few minutes, and the result helps you and your "
                "clinician see how things are changing.",
                "Your {names} are due. Each takes a few minutes, and the results help you and "
                "your clinician see how things are changing.",
                len(due),
            ).format(names=names_list(names))
        )
        self.start_button.setText(_("Start the {name}").format(name=names[0]))
        self.start_button.setAccessibleName(_("Start the {name}").format(name=names[0]))

    def start(self) -> None:
        if self.first:
            self.context.signals.open_link.emit(f"companion:checkup/{self.first}")
