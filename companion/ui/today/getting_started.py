"""The "Getting started" card on Today: a few first steps, each with one button, that stays
until each step is done or skipped (``companion.core.getting_started``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.core.getting_started import GettingStarted
from companion.core.session import OpenDiary
from companion.i18n import N_, _, ngettext
from companion.ui.changes import Change
from companion.ui.pages import AppContext, TodayCard
from companion.ui.today.parts import reads_then_draw
from companion.ui.widgets.common import IconLabel, StatusLabel, label, link_button


@dataclass(frozen=True)
class Step:
    id: str
    #: the feature page the step needs (the step is left out without it)
    page: str
    icon: str
    title: str
    text: str
    action: str
    link: str


STEP_TEXT = (
    Step(
        "country",
        "settings",
        "mdi6.phone-outline",
        N_("Your country's helplines"),
        N_("So that Get help now shows the emergency number and helplines where you live."),
        N_("Choose my country"),
        "companion:settings/country",
    ),
    Step(
        "safety",
        "safety",
        "mdi6.hand-heart-outline",
        N_("Your safety plan"),
        N_("Written on a calmer day, it is there for the hard ones: what helps, who to call."),
        N_("Start my plan"),
        "companion:tool/safety",
    ),
    Step(
        "medicines",
        "medications",
        "mdi6.pill",
        N_("Your medicines"),
        N_("Then a dose is one click here, and you keep a record of what you have tried."),
        N_("Add my medicines"),
        "companion:tool/medications",
    ),
    Step(
        "reminder",
        "medications",
        "mdi6.bell-outline",
        N_("A time for a check-in reminder"),
        N_("A quiet reminder at the times you choose, while Companion is open."),
        N_("Choose a time"),
        "companion:medications/reminders",
    ),
    Step(
        "import",
        "mood",
        "mdi6.file-import-outline",
        N_("Your old diary"),
        N_("Bring in check-ins from Daylio, eMoods, Bearable or a spreadsheet (CSV)."),
        N_("Import my old diary"),
        "companion:diary/import",
    ),
)


class GettingStartedCard(TodayCard):
    heading = N_("Getting started")
    order = 15

    @classmethod
    def in_parts(
        cls, diary: OpenDiary, context: AppContext
    ) -> tuple[GettingStartedCard, list[Callable[[], object]]]:
        """The card, then what reads its open steps, then what shows them (``TodayPage``)."""
        card = cls(diary, context, read=False)
        # the medicines apart: reading them is half of the whole read
        found: set[str] = set()
        reads = [
            lambda: found.update(card.done(leave_out={"medicines"})),
            lambda: found.update(card.done(only={"medicines"})),
        ]
        return card, reads_then_draw(
            diary, reads, lambda: card._draw(card.open_steps(found)), card.refresh
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
        self.service = diary.service(GettingStarted)
        self.body.addWidget(
            label(
                _(
                    "A few things that help when days are hard. Do them when you feel ready; "
                    "each one stays here until it is done or you skip it."
                ),
                name="Muted",
            )
        )
        from companion.ui.extension_points import load as load_ui

        pages = {decl.id for decl, _load in load_ui().page_loaders()}  # not imported yet
        self.steps = [step for step in STEP_TEXT if step.page in pages]
        self.rows: dict[str, QWidget] = {}
        for step in self.steps:
            row = self._row(step)
            self.rows[step.id] = row
            self.body.addWidget(row)
        foot = QHBoxLayout()
        self.progress = label("", name="Muted")
        foot.addWidget(self.progress, 1)
        self.hide_all = link_button(_("Hide this list"))
        self.hide_all.setAccessibleName(_("Hide the getting started list"))
        self.hide_all.clicked.connect(lambda: self._put_aside([s.id for s in self.steps]))
        foot.addWidget(self.hide_all)
        self.body.addLayout(foot)
        self.error = StatusLabel("Error", _("Getting started problem"))
        self.body.addWidget(self.error)
        self.ops = context.operations("app", self.error)
        context.changes.listen(("safety", "medications", "mood"), self._changed, receiver=self)
        context.signals.device_settings_changed.connect(self._refresh_later)
        if read:
            self.refresh()

    def _row(self, step: Step) -> QWidget:
        row = QWidget()
        row.setAccessibleName(_(step.title))
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 6, 0, 6)
        line.setSpacing(12)
        line.addWidget(IconLabel(step.icon))  # drawn again in a new theme
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(label(f"<b>{_(step.title)}</b>"))
        words.addWidget(label(_(step.text), name="Muted"))
        line.addLayout(words, 1)
        go = QPushButton(_(step.action))
        go.setAccessibleName(_(step.action))
        go.clicked.connect(lambda _=False, link=step.link: self._follow(link))
        line.addWidget(go, 0, Qt.AlignmentFlag.AlignVCenter)
        skip = link_button(_("Skip"))
        skip.setAccessibleName(_("Skip “{step}”").format(step=_(step.title)))
        skip.setToolTip(_("Take this off the list"))
        skip.clicked.connect(lambda _=False, step_id=step.id: self._put_aside([step_id]))
        line.addWidget(skip, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    # -- state -------------------------------------------------------------------------------

    def done(
        self, *, only: set[str] | None = None, leave_out: frozenset[str] | set[str] = frozenset()
    ) -> set[str]:
        """The steps done, each read where its data lives (``only`` those, but ``leave_out``
        those)."""
        found: set[str] = set()
        ids = {step.id for step in self.steps} - set(leave_out)
        if only is not None:
            ids &= only
        if "country" in ids and self.context.device.help_country:
            found.add("country")
        if "safety" in ids:
            from companion.core.safety.service import SafetyService

            if not self.diary.service(SafetyService).plan().is_empty:
                found.add("safety")
        if "medicines" in ids:
            from companion.core.medications.service import MedicationService

            if self.diary.service(MedicationService).medications():
                found.add("medicines")
        if "reminder" in ids:
            from companion.core.mood.reminders import CHECKIN_TIMES
            from companion.core.settings import SettingsService

            if self.diary.service(SettingsService).get(CHECKIN_TIMES):
                found.add("reminder")
        return found

    def open_steps(self, done: set[str] | None = None) -> list[str]:
        """The steps still offered, in order (``done``: those read as done already)."""
        closed = (self.done() if done is None else done) | set(self.service.put_aside())
        return [step.id for step in self.steps if step.id not in closed]

    def refresh(self) -> None:
        self._draw(self.open_steps())

    def _draw(self, open_steps: list[str]) -> None:
        for step_id, row in self.rows.items():
            row.setVisible(step_id in open_steps)
        finished = len(self.steps) - len(open_steps)
        self.progress.setText(
            ngettext(
                "{done} of {total} done or skipped",
                "{done} of {total} done or skipped",
                len(self.steps),
            ).format(done=finished, total=len(self.steps))
            if finished
            else ""
        )
        self.set_shown(bool(open_steps))

    def _refresh_later(self, *_args: object) -> None:
        self.refresh()

    def _changed(self, change: Change) -> None:
        if change.feature == "mood":
            # Of the diary's check-ins, tags and trackers no step depends on any: only an
            # import. Reading every step's data again (SQL on the GUI thread) in the turn of a
            # saved check-in made that click the longest turn of the session (issue 11).
            if change.what == "import" and "import" not in self.service.put_aside():
                # nothing else records that it was done; read again when it is next shown
                # (an import is made on the Diary page: the Today page refreshes its cards
                # each time it is shown)
                self._put_aside(["import"], now=self.isVisible())
            return
        self.refresh()

    def _put_aside(self, steps: list[str], now: bool = True) -> None:
        self.ops.run(lambda: self.service.put_aside_steps(steps), announce=False)
        if now:
            self.refresh()

    def _follow(self, link: str) -> None:
        self.context.signals.open_link.emit(link)
