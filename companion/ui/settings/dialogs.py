"""The dialogs that change keys: a new passphrase, a new recovery key.

Both verify the current passphrase first (unless the person has just proved who they are
with the recovery key), and do their work off the GUI thread: each runs the KDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core import passphrase as rules
from companion.i18n import N_, _, ngettext
from companion.ui.help_access import HelpfulDialog
from companion.ui.operations import problem_text
from companion.ui.tasks import run_task
from companion.ui.unlock.setup import STRENGTH_TEXT
from companion.ui.widgets.common import BusyRow, SecretField, StatusLabel, label, primary_button
from companion.ui.widgets.passphrase import PassphraseChoice
from companion.ui.widgets.recovery import RecoveryKeyPanel

if TYPE_CHECKING:
    from companion.core.session import OpenDiary, PassphraseChangeResult

AFTER_RECOVERY = N_(
    "You opened your diary with the recovery key. Before anything is saved, please choose a "
    "new passphrase. Your diary then gets a new key, so only your new passphrase and your "
    "recovery key open it. Your recovery key keeps working."
)


def change_result_text(result: PassphraseChangeResult) -> str:
    """What a passphrase change did, in words (backups kept aside are always counted)."""
    resealed = result.backups_resealed
    parts = [
        ngettext(
            "Your passphrase is changed. {count} backup was re-encrypted.",
            "Your passphrase is changed. {count} backups were re-encrypted.",
            resealed,
        ).format(count=resealed)
    ]
    if result.backups_kept:
        kept = result.backups_kept
        parts.append(
            ngettext(
                "{count} older or damaged backup could not be re-encrypted; it was moved to the "
                "“kept” folder inside the backups folder, not deleted.",
                "{count} older or damaged backups could not be re-encrypted; they were moved to "
                "the “kept” folder inside the backups folder, not deleted.",
                kept,
            ).format(count=kept)
        )
    if result.device_removed:
        parts.append(_("Unlocking without the passphrase on this computer was turned off."))
    return " ".join(parts)


class ChangePassphraseDialog(HelpfulDialog):
    """Current passphrase (unless just recovered), the new one twice."""

    def __init__(
        self, diary: OpenDiary, parent: QWidget | None = None, *, after_recovery: bool = False
    ) -> None:
        super().__init__(parent)
        self.diary = diary
        self.after_recovery = after_recovery
        self.result_text = ""
        self.setWindowTitle(
            _("Choose a new passphrase") if after_recovery else _("Change passphrase")
        )
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                _(AFTER_RECOVERY)
                if after_recovery
                else _(
                    "Your diary and all of its backups are re-encrypted with a new key, so the "
                    "old passphrase stops working everywhere. Your recovery key keeps working."
                )
            )
        )
        form = QFormLayout()
        self.current = SecretField(_("Current passphrase"), _("Current passphrase"))
        self.new1 = SecretField(_("New passphrase"), _("New passphrase"))
        self.new2 = SecretField(_("New passphrase again"), _("Confirm new passphrase"))
        if not after_recovery:
            form.addRow(_("Current"), self.current)
        form.addRow(_("New"), self.new1)
        form.addRow(_("Again"), self.new2)
        layout.addLayout(form)
        self.strength = StatusLabel()
        layout.addWidget(self.strength)
        self.new1.edit.textChanged.connect(self._strength)
        self.error = StatusLabel("Error", _("Problem"))
        layout.addWidget(self.error)
        self.choice = PassphraseChoice(self, self.new1, self.new2, self.submit)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.choice.suggest_button)
        choice_row.addStretch(1)
        choice_row.addWidget(self.choice.weak_button)
        layout.addLayout(choice_row)
        self.busy = BusyRow()
        layout.addWidget(self.busy)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Change passphrase"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        if after_recovery:
            # No "Later": nothing may be written into a diary opened by the recovery key until
            # its key is rotated (it may have been planted). Leaving locks it again.
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
                _("Lock the diary instead")
            )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _strength(self, text: str) -> None:
        result = rules.strength(text)
        self.strength.setText(
            _(STRENGTH_TEXT).format(strength=result.label, hint=result.hint, time=result.crack_time)
            if text
            else ""
        )

    def submit(self) -> None:
        current, new, again = self.current.text(), self.new1.text(), self.new2.text()
        if not self.choice.check(self.error.setText):
            return
        weak_ok = self.choice.allow_weak(new)
        if not self.after_recovery and not current:
            self.error.setText(_("Please type your current passphrase."))
            return
        self.error.setText("")
        self.buttons.setEnabled(False)
        self.busy.start(_("Re-encrypting your diary and its backups…"))
        diary, check = self.diary, not self.after_recovery

        def work() -> PassphraseChangeResult:
            if check:
                diary.verify_passphrase(current)
            return diary.change_passphrase(new, again, allow_weak=weak_ok)

        run_task(work, self._done, self._failed)

    def _done(self, result: PassphraseChangeResult) -> None:
        self.busy.stop()
        self.result_text = change_result_text(result)
        for field in (self.current, self.new1, self.new2):
            field.clear()
        self.choice.forget()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.buttons.setEnabled(True)
        self.error.setText(
            problem_text(
                exc, wrong_key=_("The current passphrase is not right. Nothing was changed.")
            )
        )


class NewRecoveryKeyDialog(HelpfulDialog):
    """Step 1: the passphrase. Step 2: the new key, shown once, with 'I have stored it'."""

    def __init__(self, diary: OpenDiary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diary = diary
        self.setWindowTitle(_("Make a new recovery key"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)

        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.addWidget(
            label(
                _(
                    "A new recovery key replaces the old one, which stops working. Type your "
                    "passphrase to go on."
                )
            )
        )
        self.passphrase = SecretField(_("Passphrase"), _("Passphrase"))
        self.passphrase.edit.returnPressed.connect(self.submit)
        ask_layout.addWidget(self.passphrase)
        self.error = StatusLabel("Error", _("Problem"))
        ask_layout.addWidget(self.error)
        self.busy = BusyRow()
        ask_layout.addWidget(self.busy)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Make a new key"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        ask_layout.addWidget(self.buttons)
        self.stack.addWidget(ask)

        show = QWidget()
        show_layout = QVBoxLayout(show)
        show_layout.addWidget(
            label(
                _(
                    "This is your new recovery key. The old one no longer works. It is shown "
                    "only now: print it, save it as a PDF, or write it down."
                )
            )
        )
        self.panel = RecoveryKeyPanel()
        show_layout.addWidget(self.panel)
        self.done_button = primary_button(_("Done"))
        self.done_button.setEnabled(False)
        self.panel.confirmed_changed.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self.accept)
        show_layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)
        self.stack.addWidget(show)

    def submit(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            self.error.setText(_("Please type your passphrase."))
            return
        self.error.setText("")
        self.buttons.setEnabled(False)
        self.busy.start(_("Making a new key and re-encrypting your backups…"))
        diary = self.diary
        run_task(lambda: diary.replace_recovery_key(secret), self._made, self._failed)

    def _made(self, key: str) -> None:
        self.busy.stop()
        self.passphrase.clear()
        self.panel.set_key(key)
        self.stack.setCurrentIndex(1)

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.buttons.setEnabled(True)
        self.error.setText(
            problem_text(exc, wrong_key=_("That passphrase is not right. Nothing was changed."))
        )

    def done(self, result: int) -> None:
        self.passphrase.clear()
        self.panel.clear()
        super().done(result)
