"""First run: a warm explanation, a passphrase, the recovery key, and an optional keyring."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core import passphrase as rules
from companion.core.errors import ValidationError
from companion.core.passphrase import WeakPassphraseError
from companion.storage import keychain
from companion.storage.errors import KeyringUnavailableError, VaultError
from companion.ui.pages import AppContext
from companion.ui.tasks import run_task
from companion.ui.unlock.common import diary_class, help_row, scrolling_column, warm_up
from companion.ui.widgets.common import (
    BusyRow,
    Card,
    Notice,
    SecretField,
    StatusLabel,
    label,
    primary_button,
    title,
)
from companion.ui.widgets.passphrase import PassphraseChoice
from companion.ui.widgets.recovery import RecoveryKeyPanel

if TYPE_CHECKING:
    from companion.core.unlocked import OpenDiary

WELCOME = (
    "Companion is a quiet place for your mood diary, grounding exercises, medication notes "
    "and the things you may want to share with your therapist or doctor."
)
PRIVACY_POINTS = (
    "Everything you write stays on this computer, in one encrypted file.",
    "Companion never connects to the internet. There is no account and no cloud.",
    "Your passphrase is the only way in. Nobody, not even the people who made Companion, "
    "can reset it, so you will also get a recovery key to keep somewhere safe.",
    "You decide what, if anything, leaves this computer, for example a summary for your therapist.",
)
KEYRING_WARNING = (
    "With this on, anyone who can use your computer account while you are logged in can open "
    "your diary without the passphrase. Leave it off if you share this account."
)


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
        self.setWindowTitle("Companion — set up")
        self.setMinimumSize(560, 480)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 32)
        outer.addLayout(help_row(self))
        self.stack = QStackedWidget()
        scrolling_column(outer, self.stack, 720)
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
        page, layout = self._page("Welcome to Companion")
        layout.addWidget(label(WELCOME))
        card = Card("What stays private")
        for point in PRIVACY_POINTS:
            card.body.addWidget(label(f"•  {point}"))
        layout.addWidget(card)
        layout.addWidget(self._country_card())
        row = QHBoxLayout()
        row.addStretch(1)
        self.begin_button = primary_button("Begin", "mdi6.arrow-right")
        self.begin_button.clicked.connect(self._to_passphrase)
        row.addWidget(self.begin_button)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _country_card(self) -> QWidget:
        """Asked once, guessed from the system: the country whose numbers Get help now shows."""
        from companion.ui.country import CountryCard

        current = self.context.device.help_country if self.context is not None else ""
        self.country = CountryCard(current, "Help if you ever need it")
        return self.country

    def _confirm_country(self) -> None:
        if self.context is not None:
            self.context.update_device(help_country=self.country.box.code())

    def _passphrase_page(self) -> QWidget:
        page, layout = self._page("Choose a passphrase")
        layout.addWidget(
            label(
                "A few unrelated words you can remember work well, for example five or six "
                "words that make a silly picture. It must be hard to guess: Companion says "
                "why when it is not. “Suggest one” picks random words for you."
            )
        )
        card = Card()
        self.pass1 = SecretField("Passphrase", "Passphrase")
        self.pass2 = SecretField("The same passphrase again", "Confirm passphrase")
        card.body.addWidget(label("Passphrase"))
        card.body.addWidget(self.pass1)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName("Passphrase strength")
        self.meter_label = label("", name="Muted")
        card.body.addWidget(self.meter)
        card.body.addWidget(self.meter_label)
        card.body.addWidget(label("Type it again"))
        card.body.addWidget(self.pass2)
        self.pass_error = StatusLabel("Error")
        self.pass_error.setAccessibleName("Problem with the passphrase")
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
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        row.addWidget(self.back_button)
        row.addStretch(1)
        self.create_button = primary_button("Create my diary", "mdi6.lock-outline")
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
        page, layout = self._page("Your recovery key")
        layout.addWidget(
            label(
                "If you ever forget your passphrase, this key is the only other way into your "
                "diary. It is shown only now. Print it, save it as a PDF, or write it down, and "
                "keep it somewhere private, away from this computer."
            )
        )
        self.recovery = RecoveryKeyPanel()
        layout.addWidget(self.recovery)
        row = QHBoxLayout()
        row.addStretch(1)
        self.recovery_continue = primary_button("Continue", "mdi6.arrow-right")
        self.recovery_continue.setEnabled(False)
        self.recovery.confirmed_changed.connect(self.recovery_continue.setEnabled)
        self.recovery_continue.clicked.connect(self._to_keyring)
        row.addWidget(self.recovery_continue)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _keyring_page(self) -> QWidget:
        page, layout = self._page("One last choice")
        card = Card("Unlock without the passphrase on this computer")
        card.body.addWidget(
            label(
                "Companion can keep a key in this computer's own keyring, so the diary opens "
                "without typing the passphrase. It is off unless you turn it on."
            )
        )
        self.remember = QCheckBox("Unlock without the passphrase on this computer")
        self.remember.setAccessibleName("Unlock without the passphrase on this computer")
        self.remember.setEnabled(False)
        card.body.addWidget(self.remember)
        card.body.addWidget(Notice(KEYRING_WARNING))
        self.keyring_status = label("Checking this computer's keyring…", name="Muted")
        card.body.addWidget(self.keyring_status)
        layout.addWidget(card)
        self.finish_error = StatusLabel("Error")
        layout.addWidget(self.finish_error)
        row = QHBoxLayout()
        row.addStretch(1)
        self.finish_button = primary_button("Open my diary", "mdi6.check")
        self.finish_button.clicked.connect(self._finish)
        row.addWidget(self.finish_button)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stack.currentIndex() == 0:
            self.begin_button.setFocus()
        warm_up(self)

    # -- behaviour -------------------------------------------------------------------------

    def _to_passphrase(self) -> None:
        self._confirm_country()
        self.stack.setCurrentIndex(1)
        self.pass1.edit.setFocus()

    def _update_meter(self, text: str) -> None:
        result = rules.strength(text)
        self.meter.setValue(result.score if text else 0)
        words = (
            f"{result.label}. {result.hint} Guessing it would take {result.crack_time}."
            if text
            else result.hint
        )
        self.meter_label.setText(words)
        self.meter.setAccessibleDescription(words)

    def _create(self) -> None:
        first, second = self.pass1.text(), self.pass2.text()
        weak_ok = self.choice.allow_weak(first)
        try:
            rules.validate(first, second, allow_weak=weak_ok)
        except WeakPassphraseError as exc:
            self.pass_error.setText(str(exc))
            self.choice.refused(str(exc))
            return
        except ValidationError as exc:
            self.pass_error.setText(str(exc))
            return
        self.pass_error.setText("")
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
            self.create_busy.start("Creating your encrypted diary… this takes a moment.")
        else:
            self.create_busy.stop()

    def _created(self, result: object) -> None:
        self._set_busy(False)
        diary, key = cast("tuple[OpenDiary, str]", result)
        self.diary = diary
        self.pass1.clear()
        self.pass2.clear()
        self.choice.forget()
        self.recovery.set_key(key)
        self.stack.setCurrentIndex(2)
        self.recovery.copy_button.setFocus()

    def _create_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, VaultError | ValidationError):
            self.pass_error.setText(str(exc))
        else:
            self.pass_error.setText("Something went wrong while creating the diary file.")

    def _to_keyring(self) -> None:
        self.recovery.clear()
        self.stack.setCurrentIndex(3)
        self.finish_button.setFocus()
        run_task(
            keychain.availability,
            self._keyring_checked,
            lambda _e: self._keyring_checked(
                (False, "This computer's keyring could not be reached.")
            ),
        )

    def _keyring_checked(self, result: object) -> None:
        usable, reason = cast(tuple[bool, str], result)
        self.remember.setEnabled(bool(usable))
        self.keyring_status.setText(
            "This computer's keyring is available." if usable else f"Not available: {reason}"
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
        reason = exc.message if isinstance(exc, KeyringUnavailableError) else ""
        self.finish_error.setText(
            "The keyring could not be used, so your diary will ask for the passphrase. " + reason
        )

    def _done(self) -> None:
        diary, self.diary = self.diary, None
        self.created.emit(diary)
