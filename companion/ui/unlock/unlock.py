"""The unlock window: passphrase or recovery key, calm errors, and a way back from damage."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.i18n import N_, _
from companion.storage.errors import (
    CorruptVaultError,
    UnboundRecoveryError,
    UnsupportedVersionError,
    VaultError,
    WrongKeyError,
)
from companion.ui.context import AppContext
from companion.ui.timers import after_paint
from companion.ui.unlock.common import diary_class, help_row, scrolling_column, warm_up
from companion.ui.widgets.common import (
    BusyRow,
    Card,
    Notice,
    SecretField,
    StatusLabel,
    label,
    link_button,
    primary_button,
    selectable_after_paint,
    title,
)

WRONG_PASSPHRASE = N_(
    "That passphrase does not open this diary. Check Caps Lock and try again, "
    "or use your recovery key."
)
PASSPHRASE_INTRO = N_("Your diary is locked. Type your passphrase to open it.")
RECOVERY_INTRO = N_(
    "Type the recovery key you printed or saved when you made your diary (groups of letters "
    "and numbers). Then you choose a new passphrase before anything else."
)
WRONG_RECOVERY = N_("That recovery key does not open this diary. Please check each group.")
DAMAGED = N_(
    "Your diary file is damaged, so it cannot be opened as it is. Companion keeps backups: "
    "it can open the newest backup that still works. The damaged file is kept among the "
    "backups, not deleted."
)


class UnlockWindow(QWidget):
    """Emits ``unlocked(OpenDiary, used_recovery_key)``."""

    unlocked = Signal(object, bool)

    def __init__(
        self,
        vault_path: Path,
        *,
        try_device: bool = True,
        context: AppContext | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault_path = vault_path
        self.context = context
        self._recovery_mode = False
        self._damaged = False
        #: what a damaged file shows, made the first time one is met (never at launch)
        self._damaged_notice: Notice | None = None
        self._restore_button: QPushButton | None = None
        self.setWindowTitle(_("Companion — locked"))
        self.setMinimumSize(560, 480)
        with selectable_after_paint(self):  # the launch's first window: see there
            self._build()
        if try_device:
            # Once the window is on screen (a timer could fire before its first paint on a
            # busy machine): reading the file header needs the vault module.
            after_paint(self, self._try_device)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 32)
        outer.addLayout(help_row(self))
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setSpacing(14)
        scrolling_column(outer, column, 560, _("Unlock your diary"))
        layout.addWidget(title(_("Welcome back")))
        self.intro = label(_(PASSPHRASE_INTRO))
        layout.addWidget(self.intro)
        card = self.card = Card()
        self.field_label = label(_("Passphrase"))
        card.body.addWidget(self.field_label)
        self.secret = SecretField("", _("Passphrase"))  # the label above says it
        self.secret.edit.returnPressed.connect(self.submit)
        card.body.addWidget(self.secret)
        self.error = StatusLabel("Error")
        self.error.setAccessibleName(_("Unlock problem"))
        card.body.addWidget(self.error)
        self.busy = BusyRow()
        card.body.addWidget(self.busy)
        row = QHBoxLayout()
        self.mode_button = link_button(_("Use my recovery key instead"))
        self.mode_button.clicked.connect(self.toggle_recovery_mode)
        row.addWidget(self.mode_button)
        row.addStretch(1)
        self.unlock_button = primary_button(_("Unlock"), "mdi6.lock-open-variant-outline")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        row.addWidget(self.unlock_button)
        card.body.addLayout(row)
        layout.addWidget(card)
        layout.addStretch(1)

    def _make_damaged_parts(self) -> tuple[Notice, QPushButton]:
        """The notice about a damaged file and the button that opens the newest working backup:
        made when a file first turns out damaged (the notice's picture is the launch's only
        drawn icon otherwise), hidden until then; the notice under the error, the button last
        in the card and in the Tab order, as if they had been there from the start."""
        if self._damaged_notice is None or self._restore_button is None:
            notice = Notice(_(DAMAGED))
            notice.hide()
            self.card.body.insertWidget(self.card.body.indexOf(self.busy), notice)
            button = primary_button(_("Open the newest backup that works"), "mdi6.backup-restore")
            button.hide()
            button.clicked.connect(self.submit)
            self.card.body.addWidget(button)
            self._damaged_notice, self._restore_button = notice, button
        return self._damaged_notice, self._restore_button

    @property
    def damaged_notice(self) -> Notice:
        return self._make_damaged_parts()[0]

    @property
    def restore_button(self) -> QPushButton:
        return self._make_damaged_parts()[1]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.secret.edit.setFocus()
        warm_up(self)

    # -- device key ------------------------------------------------------------------------

    def _try_device(self) -> None:
        from companion.core.diary_files import opens_on_this_computer

        try:
            if not opens_on_this_computer(self.vault_path):
                return
        except CorruptVaultError as exc:
            self._show_error(exc)
            return
        self._set_busy(True, _("Opening with this computer's keyring…"))
        from companion.ui.tasks import run_task

        path = self.vault_path
        run_task(
            lambda: diary_class().unlock_with_device(path), self._device_done, self._device_failed
        )

    def _device_done(self, diary: object) -> None:
        self._set_busy(False)
        if diary is None:
            self.error.setText(
                _("The keyring could not open the diary this time; please use your passphrase.")
            )
            self.secret.edit.setFocus()
            return
        self.unlocked.emit(diary, False)

    def _device_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._show_error(exc)

    # -- passphrase / recovery key ---------------------------------------------------------

    def toggle_recovery_mode(self) -> None:
        self._recovery_mode = not self._recovery_mode
        self.secret.clear()
        self.error.setText("")
        if not self._damaged:
            self.intro.setText(_(RECOVERY_INTRO) if self._recovery_mode else _(PASSPHRASE_INTRO))
        if self._recovery_mode:
            self.field_label.setText(_("Recovery key"))
            self.secret.edit.setPlaceholderText("XXXXX-XXXXX-…")
            self.secret.edit.setAccessibleName(_("Recovery key"))
            self.mode_button.setText(_("Use my passphrase instead"))
        else:
            self.field_label.setText(_("Passphrase"))
            self.secret.edit.setPlaceholderText("")
            self.secret.edit.setAccessibleName(_("Passphrase"))
            self.mode_button.setText(_("Use my recovery key instead"))
        self.mode_button.setAccessibleName(self.mode_button.text())
        self.secret.edit.setFocus()

    def submit(self) -> None:
        secret = self.secret.text()
        if not secret.strip():
            self.error.setText(
                _("Please type your recovery key.")
                if self._recovery_mode
                else _("Please type your passphrase.")
            )
            return
        self.error.setText("")
        from companion.ui.tasks import run_task  # not imported to show the window

        path = self.vault_path
        recovery = self._recovery_mode
        passphrase = None if recovery else secret
        recovery_key = secret if recovery else None
        if self._damaged:
            self._set_busy(True, _("Looking for the newest backup that opens…"))
            run_task(
                lambda: diary_class().recover_from_newest_backup(
                    path, passphrase=passphrase, recovery_key=recovery_key
                ),
                lambda result: self._opened(result[0], recovery),
                self._failed,
                owner=self,
            )
        else:
            self._set_busy(True, _("Opening your diary…"))
            run_task(
                lambda: diary_class().unlock(
                    path, passphrase=passphrase, recovery_key=recovery_key
                ),
                lambda diary: self._opened(diary, recovery),
                self._failed,
                owner=self,
            )

    def _opened(self, diary: object, used_recovery: bool) -> None:
        self._set_busy(False)
        self.secret.clear()
        self.unlocked.emit(diary, used_recovery)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._show_error(exc)
        self.secret.edit.selectAll()
        self.secret.edit.setFocus()

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, WrongKeyError):
            self.error.setText(_(WRONG_RECOVERY) if self._recovery_mode else _(WRONG_PASSPHRASE))
        elif isinstance(exc, UnsupportedVersionError):
            self.error.setText(exc.message)
        elif isinstance(exc, CorruptVaultError):
            if self._damaged:
                self.error.setText(
                    _(
                        "None of the backups could be opened either. Please keep the files in "
                        "the data folder as they are and ask for help before trying anything "
                        "else."
                    )
                )
            else:
                self._damaged = True
                self.error.setText("")
                # a file planted to open with the recovery key says so; otherwise "damaged"
                self.damaged_notice.text.setText(
                    exc.message if isinstance(exc, UnboundRecoveryError) else _(DAMAGED)
                )
                self.damaged_notice.show()
                self.restore_button.show()
                self.unlock_button.hide()
                self.intro.setText(
                    _("Type your passphrase (or recovery key) to open the newest working backup.")
                )
        elif isinstance(exc, VaultError):
            self.error.setText(exc.message)
        else:
            self.error.setText(_("Something unexpected went wrong while opening the diary."))

    def _set_busy(self, busy: bool, message: str = "") -> None:
        for w in (self.secret, self.unlock_button, self.mode_button, self._restore_button):
            if w is not None:
                w.setEnabled(not busy)
        if busy:
            self.busy.start(message)
        else:
            self.busy.stop()

    def clear(self) -> None:
        self.secret.clear()
        self.error.setText("")
