"""First run: a warm explanation, a passphrase, the recovery key, and an optional keyring."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.core import passphrase as rules
from companion.core.diary_files import keyring_availability
from companion.i18n import N_, _
from companion.ui.operations import problem_text
from companion.ui.pages import AppContext
from companion.ui.tasks import run_task
from companion.ui.timers import after_paint
from companion.ui.unlock.common import diary_class, help_row, scrolling_column, warm_up
from companion.ui.widgets.common import (
    BusyRow,
    Card,
    CurrentPageStack,
    Notice,
    SecretField,
    StatusLabel,
    bullet,
    label,
    primary_button,
    title,
)
from companion.ui.widgets.passphrase import PassphraseChoice
from companion.ui.widgets.recovery import RecoveryKeyPanel

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

WELCOME = N_(
    "Companion is a quiet place for your mood diary, grounding exercises, medication notes "
    "and the things you may want to share with your therapist or doctor."
)
PRIVACY_POINTS = (
    N_("Everything you write stays on this computer, in one encrypted file."),
    N_("Companion never connects to the internet. There is no account and no cloud."),
    N_(
        "Your passphrase is the only way in. Nobody, not even the people who made Companion, "
        "can reset it, so you will also get a recovery key to keep somewhere safe."
    ),
    N_(
        "You decide what, if anything, leaves this computer, for example a summary for your "
        "therapist."
    ),
)
KEYRING_WARNING = N_(
    "With this on, anyone who can use your computer account while you are logged in can open "
    "your diary without the passphrase. Leave it off if you share this account."
)
KEYRING_UNREACHABLE = N_("This computer's keyring could not be reached.")
#: what the meter says under a passphrase being typed
STRENGTH_TEXT = N_("{strength}. {hint} Guessing it would take {time}.")


def keyring_text(usable: bool, reason: str) -> str:
    """What the keyring check found, in one sentence (setup and Settings)."""
    if usable:
        return _("This computer's keyring is available.")
    return _("Unlocking without the passphrase is not available here. {reason}").format(
        reason=reason
    )


def show_keyring_choice(
    usable: bool, checkbox: QWidget, warning: QWidget, status: QLabel, reason: str
) -> None:
    """Offer the choice and its warning only where it can be used (or is on, to turn it off);
    otherwise one muted line says why it is not offered (setup and Settings)."""
    offered = usable or (isinstance(checkbox, QCheckBox) and checkbox.isChecked())
    checkbox.setVisible(offered)
    warning.setVisible(offered)
    status.setText(keyring_text(usable, reason))
    status.setVisible(not usable or not offered)


class SetupWindow(QWidget):
    """Emits ``created`` with the unlocked diary once the person has finished."""

    created = Signal(object)

    def __init__(
        self, vault_path: Path, *, context: AppContext | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.vault_path = vault_path
        self.context = context
        self.diary: OpenDiary | None = None
        self.setWindowTitle(_("Companion — set up"))
        self.setMinimumSize(560, 480)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 20)
        outer.addLayout(help_row(self))
        # as tall as the step shown (a QStackedWidget is as tall as the tallest: the recovery
        # key's step scrolled at 1024×640 under the welcome step's height)
        self.stack = CurrentPageStack()
        scrolling_column(outer, self.stack, 720, _("Setting up your diary"))
        self.stack.addWidget(self._welcome_page())
        self.stack.addWidget(self._passphrase_page())
        self.stack.addWidget(self._recovery_page())
        self.stack.addWidget(self._keyring_page())

    # -- pages -----------------------------------------------------------------------------

    def _page(self, heading: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(16)
        layout.addWidget(title(heading))
        return page, layout

    def _welcome_page(self) -> QWidget:
        page, layout = self._page(_("Welcome to Companion"))
        layout.addWidget(label(_(WELCOME)))
        card = Card(_("What stays private"))
        for point in PRIVACY_POINTS:
            card.body.addWidget(bullet(_(point)))
        layout.addWidget(card)
        layout.addWidget(self._country_card())
        row = QHBoxLayout()
        row.addStretch(1)
        self.begin_button = primary_button(_("Begin"), "mdi6.arrow-right")
        self.begin_button.clicked.connect(self._to_passphrase)
        row.addWidget(self.begin_button)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _country_card(self) -> QWidget:
        """Asked once, guessed from the system: the country whose numbers Get help now shows."""
        from companion.ui.country import CountryCard

        current = self.context.device.help_country if self.context is not None else ""
        self.country = CountryCard(current, _("Help if you ever need it"))
        return self.country

    def _confirm_country(self) -> None:
        if self.context is not None:
            self.context.update_device(help_country=self.country.box.code())

    def _passphrase_page(self) -> QWidget:
        page, layout = self._page(_("Choose a passphrase"))
        layout.addWidget(
            label(
                _(
                    "A few unrelated words you can remember work well, for example five or six "
                    "words that make a silly picture. It must be hard to guess: Companion says "
                    "why when it is not. “Suggest one” picks random words for you."
                )
            )
        )
        card = Card()
        self.pass1 = SecretField("", _("Passphrase"))  # the label above says it
        self.pass2 = SecretField("", _("Confirm passphrase"))
        card.body.addWidget(label(_("Passphrase")))
        card.body.addWidget(self.pass1)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName(_("Passphrase strength"))
        self.meter_label = label("", name="Muted")
        card.body.addWidget(self.meter)
        card.body.addWidget(self.meter_label)
        card.body.addWidget(label(_("Type it again")))
        card.body.addWidget(self.pass2)
        self.pass_error = StatusLabel("Error")
        self.pass_error.setAccessibleName(_("Problem with the passphrase"))
        card.body.addWidget(self.pass_error)
        self.choice = PassphraseChoice(self, self.pass1, self.pass2, self._create)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.choice.suggest_button)
        choice_row.addStretch(1)
        choice_row.addWidget(self.choice.weak_button)
        card.body.addLayout(choice_row)
        layout.addWidget(card)
        self.create_busy = BusyRow()
        layout.addWidget(self.create_busy)
        row = QHBoxLayout()
        self.back_button = QPushButton(_("Back"))
        self.back_button.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        row.addWidget(self.back_button)
        row.addStretch(1)
        self.create_button = primary_button(_("Create my diary"), "mdi6.lock-outline")
        self.create_button.clicked.connect(self._create)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        layout.addStretch(1)
        self.pass1.edit.textChanged.connect(self._update_meter)
        self.pass1.edit.returnPressed.connect(self.pass2.edit.setFocus)
        self.pass2.edit.returnPressed.connect(self._create)
        self._update_meter("")
        return page

    def _recovery_page(self) -> QWidget:
        page, layout = self._page(_("Your recovery key"))
        layout.addWidget(
            label(
                _(
                    "If you forget your passphrase, this key is the only other way in. It is "
                    "shown only now: print it, save it as a PDF or write it down, and keep it "
                    "private, away from this computer."
                )
            )
        )
        self.recovery = RecoveryKeyPanel()
        layout.addWidget(self.recovery)
        self.recovery_continue = primary_button(_("Continue"), "mdi6.arrow-right")
        self.recovery_continue.setEnabled(False)
        self.recovery.confirmed_changed.connect(self.recovery_continue.setEnabled)
        self.recovery_continue.clicked.connect(self._to_keyring)
        # beside the box that unlocks it, on the right where the other steps' buttons are
        self.recovery.confirm_row.addWidget(
            self.recovery_continue, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        layout.addStretch(1)
        return page

    def _keyring_page(self) -> QWidget:
        page, layout = self._page(_("One last choice"))
        card = Card(_("Unlock without the passphrase on this computer"))
        card.body.addWidget(
            label(
                _(
                    "Companion can keep a key in this computer's own keyring, so the diary opens "
                    "without typing the passphrase. It is off unless you turn it on."
                )
            )
        )
        self.remember = QCheckBox(_("Unlock without the passphrase on this computer"))
        self.remember.setAccessibleName(_("Unlock without the passphrase on this computer"))
        self.remember.setEnabled(False)
        card.body.addWidget(self.remember)
        self.keyring_warning = Notice(_(KEYRING_WARNING))
        self.keyring_warning.hide()  # shown with the choice, once the keyring is known to work
        card.body.addWidget(self.keyring_warning)
        self.keyring_status = label(_("Checking this computer's keyring…"), name="Muted")
        card.body.addWidget(self.keyring_status)
        layout.addWidget(card)
        self.finish_error = StatusLabel("Error")
        layout.addWidget(self.finish_error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.finish_button = primary_button(_("Open my diary"), "mdi6.check")
        self.finish_button.clicked.connect(self._finish)
        row.addWidget(self.finish_button)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stack.currentIndex() == 0:
            self.begin_button.setFocus()
            after_paint(self, self._focus_in_view)
        warm_up(self)

    def _focus_in_view(self) -> None:
        """With large text on a small screen the welcome scrolls and Begin is below it: focus
        there would be out of sight (WCAG 2.4.11). It starts on the scrolling welcome instead
        (the arrow keys read on); Tab still reaches Begin, scrolled into view."""
        button = self.begin_button
        scroller = self.findChild(QScrollArea)
        if scroller is None or not button.hasFocus():
            return
        viewport = scroller.viewport()
        place = QRect(button.mapTo(viewport, QPoint(0, 0)), button.size())
        if not viewport.rect().contains(place):
            scroller.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- behaviour -------------------------------------------------------------------------

    def _to_passphrase(self) -> None:
        self._confirm_country()
        self.stack.setCurrentIndex(1)
        self.pass1.edit.setFocus()

    def _update_meter(self, text: str) -> None:
        result = rules.strength(text)
        self.meter.setValue(result.score if text else 0)
        words = (
            _(STRENGTH_TEXT).format(strength=result.label, hint=result.hint, time=result.crack_time)
            if text
            else result.hint
        )
        self.meter_label.setText(words)
        self.meter.setAccessibleDescription(words)

    def _create(self) -> None:
        if not self.choice.check(self.pass_error.setText):
            return
        first = self.pass1.text()
        weak_ok = self.choice.allow_weak(first)
        self._set_busy(True)
        path = self.vault_path
        run_task(
            lambda: diary_class().create(path, first, allow_weak=weak_ok),
            self._created,
            self._create_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        for w in (self.create_button, self.back_button, self.pass1, self.pass2):
            w.setEnabled(not busy)
        if busy:
            self.create_busy.start(_("Creating your encrypted diary… this takes a moment."))
        else:
            self.create_busy.stop()

    def _created(self, result: object) -> None:
        self._set_busy(False)
        diary, key = cast("tuple[OpenDiary, str]", result)
        self.diary = diary
        self.pass1.clear()
        self.pass2.clear()
        self.choice.forget()
        self.show_recovery_key(key)

    def show_recovery_key(self, key: str) -> None:
        """The recovery-key step, the key shown once, Copy first in the Tab order."""
        self.recovery.set_key(key)
        self.stack.setCurrentIndex(2)
        self.recovery.copy_button.setFocus()

    def _create_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.pass_error.setText(
            problem_text(exc, fallback=_("Something went wrong while creating the diary file."))
        )

    def _to_keyring(self) -> None:
        self.recovery.clear()
        self.stack.setCurrentIndex(3)
        self.finish_button.setFocus()
        run_task(
            keyring_availability,
            self._keyring_checked,
            lambda _e: self._keyring_checked((False, _(KEYRING_UNREACHABLE))),
        )

    def _keyring_checked(self, result: object) -> None:
        usable, reason = cast(tuple[bool, str], result)
        self.remember.setEnabled(bool(usable))
        show_keyring_choice(
            bool(usable), self.remember, self.keyring_warning, self.keyring_status, reason
        )

    def _finish(self) -> None:
        diary = self.diary
        if diary is None:
            return
        if self.remember.isChecked():
            self.finish_button.setEnabled(False)
            run_task(
                diary.enable_device_unlock,
                lambda _r: self._done(),
                self._keyring_failed,
                owner=self,
            )
        else:
            self._done()

    def _keyring_failed(self, exc: BaseException) -> None:
        self.finish_button.setEnabled(True)
        self.remember.setChecked(False)
        self.finish_error.setText(
            _("The keyring could not be used, so your diary will ask for the passphrase. {reason}")
            .format(reason=problem_text(exc, fallback=""))
            .strip()
        )

    def _done(self) -> None:
        diary, self.diary = self.diary, None
        self.created.emit(diary)
