"""Settings: passphrase, recovery key, this computer, auto-lock, backups, appearance, about."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion import __version__
from companion.core.errors import ValidationError
from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
from companion.core.unlocked import OpenDiary
from companion.storage import keychain
from companion.storage.errors import KeyringUnavailableError, VaultError
from companion.storage.vault import BackupInfo
from companion.ui.pages import AppContext, Page
from companion.ui.settings.dialogs import ChangePassphraseDialog, NewRecoveryKeyDialog
from companion.ui.tasks import run_task
from companion.ui.unlock.setup import KEYRING_WARNING
from companion.ui.widgets.common import (
    Card,
    Notice,
    StatusLabel,
    icon,
    label,
    title,
)

LIMITS = (
    "What encryption cannot do: while the diary is unlocked, its contents are in this "
    "computer's memory, and parts may reach the swap or hibernation file. Lock the diary "
    "when you step away, and turn on your computer's full-disk encryption for the "
    "strongest protection."
)


class SettingsPage(Page):
    page_id = "settings"
    title = "Settings"
    icon_name = "mdi6.cog-outline"
    order = 100

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.settings = SettingsService(diary.db)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(18)
        layout.addWidget(title("Settings"))
        layout.addWidget(self._security_card())
        layout.addWidget(self._backup_card())
        layout.addWidget(self._appearance_card())
        layout.addWidget(self._country_card())
        layout.addWidget(self._about_card())
        layout.addStretch(1)

    # -- security --------------------------------------------------------------------------

    def _security_card(self) -> Card:
        card = Card("Privacy and security")
        row = QHBoxLayout()
        self.change_button = QPushButton(icon("mdi6.form-textbox-password"), "Change passphrase…")
        self.change_button.clicked.connect(self.change_passphrase)
        self.recovery_button = QPushButton(icon("mdi6.key-variant"), "Make a new recovery key…")
        self.recovery_button.clicked.connect(self.new_recovery_key)
        for b in (self.change_button, self.recovery_button):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        row.addStretch(1)
        card.body.addLayout(row)
        self.security_status = StatusLabel("Success")
        card.body.addWidget(self.security_status)

        self.remember = QCheckBox("Unlock without the passphrase on this computer")
        self.remember.setAccessibleName("Unlock without the passphrase on this computer")
        self.remember.setChecked(self.diary.device_unlock_enabled)
        self.remember.setEnabled(False)
        self.remember.toggled.connect(self.set_device_unlock)
        card.body.addWidget(self.remember)
        card.body.addWidget(Notice(KEYRING_WARNING))
        self.keyring_status = label("Checking this computer's keyring…", name="Muted")
        card.body.addWidget(self.keyring_status)

        form = QFormLayout()
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(AUTO_LOCK_MINUTES.minimum, AUTO_LOCK_MINUTES.maximum)
        self.auto_lock.setSuffix(" minutes")
        self.auto_lock.setMaximumWidth(160)
        self.auto_lock.setAccessibleName("Lock after this many minutes without activity")
        self.auto_lock.setValue(self.settings.get(AUTO_LOCK_MINUTES))
        self.auto_lock.valueChanged.connect(self.set_auto_lock)
        form.addRow("Lock after no activity for", self.auto_lock)
        card.body.addLayout(form)
        card.body.addWidget(label("You can always lock at once with Ctrl+L.", name="Muted"))
        run_task(
            keychain.availability,
            self._keyring_checked,
            lambda _e: self._keyring_checked(
                (False, "This computer's keyring could not be reached.")
            ),
        )
        return card

    def _keyring_checked(self, result: object) -> None:
        usable, reason = cast(tuple[bool, str], result)
        enabled = self.diary.device_unlock_enabled
        self.remember.setEnabled(bool(usable) or enabled)
        self.keyring_status.setText(
            "This computer's keyring is available." if usable else f"Not available: {reason}"
        )

    def change_passphrase(self) -> None:
        dialog = ChangePassphraseDialog(self.diary, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.security_status.setText(dialog.result_text)
            self._sync_remember()
            self.refresh_backups()

    def new_recovery_key(self) -> None:
        dialog = NewRecoveryKeyDialog(self.diary, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.security_status.setText(
                "A new recovery key was made; the old one no longer works."
            )
            self._sync_remember()
            self.refresh_backups()

    def _sync_remember(self) -> None:
        self.remember.blockSignals(True)
        self.remember.setChecked(self.diary.device_unlock_enabled)
        self.remember.blockSignals(False)

    def set_device_unlock(self, on: bool) -> None:
        self.remember.setEnabled(False)
        work = self.diary.enable_device_unlock if on else self.diary.disable_device_unlock

        def done(_r: object) -> None:
            self.remember.setEnabled(True)
            self.security_status.setText(
                "This computer will open your diary without the passphrase."
                if on
                else "Your diary will always ask for the passphrase."
            )

        def failed(exc: BaseException) -> None:
            self.remember.blockSignals(True)
            self.remember.setChecked(self.diary.device_unlock_enabled)
            self.remember.blockSignals(False)
            self.remember.setEnabled(True)
            text = exc.message if isinstance(exc, KeyringUnavailableError | VaultError) else ""
            self.security_status.setText(f"That did not work, so nothing changed. {text}")

        run_task(work, done, failed, owner=self)

    def set_auto_lock(self, minutes: int) -> None:
        try:
            self.settings.set(AUTO_LOCK_MINUTES, minutes)
        except (ValidationError, VaultError) as exc:
            self.security_status.setText(str(exc))
            return
        self.context.signals.auto_lock_changed.emit(minutes)

    # -- backups ---------------------------------------------------------------------------

    def _backup_card(self) -> Card:
        card = Card("Backups")
        card.body.addWidget(
            label(
                "Companion keeps encrypted copies of your diary on this computer: one from the "
                "start of each of your last few sessions and one for each of the last seven "
                "days. They open with the same passphrase."
            )
        )
        self.backup_table = QTableWidget(0, 3)
        self.backup_table.setHorizontalHeaderLabels(["Saved", "Kind", "Size"])
        self.backup_table.setAccessibleName("Backups")
        self.backup_table.verticalHeader().hide()
        self.backup_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.backup_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backup_table.setMinimumHeight(160)
        card.body.addWidget(self.backup_table)
        row = QHBoxLayout()
        self.restore_button = QPushButton(icon("mdi6.backup-restore"), "Restore selected…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.copy_button = QPushButton(
            icon("mdi6.content-save-outline"), "Save an encrypted copy elsewhere…"
        )
        self.copy_button.clicked.connect(self.save_copy)
        for b in (self.restore_button, self.copy_button):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        row.addStretch(1)
        card.body.addLayout(row)
        self.backup_status = StatusLabel("Success")
        card.body.addWidget(self.backup_status)
        self._backups: list[BackupInfo] = []
        self.refresh_backups()
        return card

    def refresh_backups(self) -> None:
        self._backups = self.diary.backups()
        self.backup_table.setRowCount(len(self._backups))
        kinds = {"session": "Start of a session", "daily": "Daily"}
        for r, b in enumerate(self._backups):
            local = b.saved_at.astimezone()
            cells = (
                f"{local:%a %d %b %Y, %H:%M}",
                kinds.get(b.kind, b.kind),
                f"{max(1, b.size // 1024):,} KB",
            )
            for c, text in enumerate(cells):
                self.backup_table.setItem(r, c, QTableWidgetItem(text))
        self.restore_button.setEnabled(bool(self._backups))
        if self._backups:
            self.backup_table.selectRow(0)

    def restore_selected(self) -> None:
        rows = self.backup_table.selectionModel().selectedRows()
        if not rows:
            self.backup_status.setText("Please choose a backup in the list first.")
            return
        backup = self._backups[rows[0].row()]
        when = f"{backup.saved_at.astimezone():%a %d %b %Y, %H:%M}"
        answer = QMessageBox.question(
            self,
            "Restore a backup",
            f"Go back to the diary as it was on {when}? What you have now is kept as a backup "
            "first, so you can come back to it.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore(backup)

    def restore(self, backup: BackupInfo) -> None:
        try:
            self.diary.restore_backup(backup)
        except VaultError as exc:
            self.backup_status.setText(exc.message)
            return
        self.refresh()
        self.context.signals.diary_replaced.emit()
        self.backup_status.setText("Restored. Your previous state was kept as a backup.")

    def save_copy(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save an encrypted copy",
            str(Path.home() / "companion-copy.companion"),
            "Companion diary (*.companion)",
        )
        if name:
            self.save_copy_to(Path(name))

    def save_copy_to(self, path: Path) -> None:
        if path.suffix != ".companion":
            path = path.with_suffix(".companion")
        try:
            self.diary.save_copy(path)
        except VaultError as exc:
            self.backup_status.setText(exc.message)
            return
        self.backup_status.setText(
            f"Saved an encrypted copy as {path.name}. It opens with your passphrase."
        )

    # -- appearance (this computer) --------------------------------------------------------

    def _appearance_card(self) -> Card:
        card = Card("Appearance on this computer")
        form = QFormLayout()
        self.theme_box = QComboBox()
        for theme_id, text in (
            ("system", "Follow the system"),
            ("light", "Light"),
            ("dark", "Dark"),
        ):
            self.theme_box.addItem(text, theme_id)
        self.theme_box.setAccessibleName("Colour theme")
        self.text_size = QComboBox()
        for scale, text in ((0.9, "Smaller"), (1.0, "Normal"), (1.15, "Larger"), (1.3, "Largest")):
            self.text_size.addItem(text, scale)
        self.text_size.setAccessibleName("Text size")
        self.reduce_motion = QCheckBox("Reduce motion (still pictures instead of animations)")
        self.reduce_motion.setAccessibleName("Reduce motion")
        for box in (self.theme_box, self.text_size):
            box.setMaximumWidth(260)
        form.addRow("Colours", self.theme_box)
        form.addRow("Text size", self.text_size)
        form.addRow("", self.reduce_motion)
        card.body.addLayout(form)
        self._load_appearance()
        self.theme_box.currentIndexChanged.connect(self._appearance_changed)
        self.text_size.currentIndexChanged.connect(self._appearance_changed)
        self.reduce_motion.toggled.connect(self._appearance_changed)
        return card

    def _load_appearance(self) -> None:
        d = self.context.device
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(d.theme)))
        sizes = [self.text_size.itemData(i) for i in range(self.text_size.count())]
        nearest = min(range(len(sizes)), key=lambda i: abs(sizes[i] - d.text_scale))
        self.text_size.setCurrentIndex(nearest)
        self.reduce_motion.setChecked(d.reduce_motion)

    def _appearance_changed(self) -> None:
        self.context.update_device(
            theme=self.theme_box.currentData(),
            text_scale=self.text_size.currentData(),
            reduce_motion=self.reduce_motion.isChecked(),
        )

    # -- country for Get help now (this computer) ------------------------------------------

    def _country_card(self) -> Card:
        from companion.ui.country import CountryCard

        self.country = CountryCard(self.context.device.help_country, "Your country")
        self.country.chosen.connect(lambda code: self.context.update_device(help_country=code))
        return self.country

    # -- about -----------------------------------------------------------------------------

    def _about_card(self) -> Card:
        card = Card("About Companion")
        card.body.addWidget(
            label(
                f"Version {__version__}. Companion never connects to the "
                "internet and has no account or cloud."
            )
        )
        card.body.addWidget(label(f"Your diary file: {self.diary.vault.path}", name="Muted"))
        card.body.addWidget(label(LIMITS))
        card.body.addWidget(
            label(
                "Companion is a self-help tool. It does not diagnose and it does not replace "
                "care from a professional.",
                name="Muted",
            )
        )
        return card

    def refresh(self) -> None:
        self.settings = SettingsService(self.diary.db)
        self.auto_lock.blockSignals(True)
        self.auto_lock.setValue(self.settings.get(AUTO_LOCK_MINUTES))
        self.auto_lock.blockSignals(False)
        self.refresh_backups()
