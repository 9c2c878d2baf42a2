"""Settings: passphrase, recovery key, this computer, auto-lock, backups, appearance, about."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion import __version__
from companion.core.diary_files import keyring_availability
from companion.core.session import BackupInfo, OpenDiary
from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
from companion.i18n import N_, _, format_datetime, format_number, ngettext
from companion.ui import theme
from companion.ui.operations import attempt, problem_text
from companion.ui.pages import AppContext, Page
from companion.ui.settings.dialogs import ChangePassphraseDialog, NewRecoveryKeyDialog
from companion.ui.tasks import run_task
from companion.ui.unlock.setup import (
    KEYRING_UNREACHABLE,
    KEYRING_WARNING,
    show_keyring_choice,
)
from companion.ui.widgets.common import (
    Card,
    Notice,
    StatusLabel,
    icon,
    label,
    title,
)
from companion.ui.widgets.flow import FlowLayout

LIMITS = N_(
    "What encryption cannot do: while the diary is unlocked, its contents are in this "
    "computer's memory, and parts may reach the swap or hibernation file. Lock the diary "
    "when you step away, and turn on your computer's full-disk encryption for the "
    "strongest protection."
)


def when_text(moment: datetime, *, seconds: bool = False) -> str:
    """When a backup was saved, on this computer's clock ("Fri 4 Dec 2026, 14:05"; with
    ``seconds``, "…, 14:05:31")."""
    text = format_datetime(moment.astimezone(), "day_medium")
    if seconds:
        text = _("{when}:{seconds:02d}").format(when=text, seconds=moment.astimezone().second)
    return text


#: the kinds of backup, as the table names them
BACKUP_KINDS = {"session": N_("Start of a session"), "daily": N_("Daily")}


class SettingsPage(Page):
    """The first screen (security and backups) is built in the turn that shows the page; the
    cards below it, one per turn once it is painted (``Page.build_in_steps``)."""

    page_id = "settings"
    refreshed_when_built = True  # built from the diary as it is (not read twice)

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.settings = diary.service(SettingsService)
        self._shown_problem = ""
        self.ops = context.operations("settings", self._settings_problem)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(18)
        layout.addWidget(title(_("Settings")))
        layout.addWidget(self._security_card())
        if not self.built_ahead:
            layout.addWidget(self._backup_card())
        layout.addStretch(1)

        def below(make: Callable[[], QWidget]) -> Callable[[], None]:
            return lambda: layout.insertWidget(layout.count() - 1, make())

        # built ahead, out of sight: the backups card too is a step (with it, the
        # constructor was a turn of 11-16 ms); a card a turn (with 8 ms of steps a turn, two
        # cards were turns of 12 ms)
        self.build_in_steps(
            [
                *([below(self._backup_card)] if self.built_ahead else []),
                below(self._appearance_card),
                below(self._country_card),
                below(self._desktop_card),
                below(self._about_card),
            ],
            done=self._check_keyring,
            after_first_paint=True,
            budget_ms=0,
        )

    # -- security --------------------------------------------------------------------------

    def _security_card(self) -> Card:
        card = Card(_("Privacy and security"))
        buttons = QWidget()
        row = FlowLayout(buttons, spacing=8)  # wraps when larger text needs the room
        self.change_button = QPushButton(
            icon("mdi6.form-textbox-password"), _("Change passphrase…")
        )
        self.change_button.clicked.connect(self.change_passphrase)
        self.recovery_button = QPushButton(icon("mdi6.key-variant"), _("Make a new recovery key…"))
        self.recovery_button.clicked.connect(self.new_recovery_key)
        for b in (self.change_button, self.recovery_button):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        card.body.addWidget(buttons)
        self.security_status = StatusLabel("Success")
        card.body.addWidget(self.security_status)

        self.remember = QCheckBox(_("Unlock without the passphrase on this computer"))
        self.remember.setAccessibleName(_("Unlock without the passphrase on this computer"))
        self.remember.setChecked(self.diary.device_unlock_enabled)
        self.remember.setEnabled(False)
        self.remember.toggled.connect(self.set_device_unlock)
        card.body.addWidget(self.remember)
        self.keyring_warning = Notice(_(KEYRING_WARNING))
        self.keyring_warning.hide()  # shown with the choice, once the keyring is known to work
        card.body.addWidget(self.keyring_warning)
        self.keyring_status = label(_("Checking this computer's keyring…"), name="Muted")
        card.body.addWidget(self.keyring_status)

        form = QFormLayout()
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(AUTO_LOCK_MINUTES.minimum, AUTO_LOCK_MINUTES.maximum)
        # as wide as its longest value and its buttons need at the text size in use, no
        # wider (a fixed 160 px cut "minutes" at 200 % text)
        self.auto_lock.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.auto_lock.setAccessibleName(_("Lock after no activity for, in minutes"))
        self.auto_lock.setValue(self.settings.get(AUTO_LOCK_MINUTES))
        self._minutes_suffix(self.auto_lock.value())
        self.auto_lock.valueChanged.connect(self._minutes_suffix)
        self.auto_lock.valueChanged.connect(self.set_auto_lock)
        form.addRow(_("Lock after no activity for"), self.auto_lock)
        card.body.addLayout(form)
        card.body.addWidget(label(_("You can always lock at once with Ctrl+L."), name="Muted"))
        return card

    def _check_keyring(self) -> None:
        """Probe the keyring once the page is built: the first probe imports the keyring's
        backends (~115 ms of Python on a worker), which would take turns for Python's lock
        with every step of the page's building."""
        run_task(
            keyring_availability,
            self._keyring_checked,
            lambda _e: self._keyring_checked((False, _(KEYRING_UNREACHABLE))),
            owner=self,
        )

    def _keyring_checked(self, result: object) -> None:
        usable, reason = cast(tuple[bool, str], result)
        enabled = self.diary.device_unlock_enabled
        self.remember.setEnabled(bool(usable) or enabled)
        show_keyring_choice(
            bool(usable), self.remember, self.keyring_warning, self.keyring_status, reason
        )

    def _minutes_suffix(self, minutes: int) -> None:
        """ " minutes" after the number, in the plural its number needs."""
        text = ngettext("{count} minute", "{count} minutes", minutes)
        self.auto_lock.setSuffix(text.format(count="\0").partition("\0")[2])
        self.auto_lock.setPrefix(text.format(count="\0").partition("\0")[0])

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
                _("A new recovery key was made; the old one no longer works.")
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
                _("This computer will open your diary without the passphrase.")
                if on
                else _("Your diary will always ask for the passphrase.")
            )

        def failed(exc: BaseException) -> None:
            self.remember.blockSignals(True)
            self.remember.setChecked(self.diary.device_unlock_enabled)
            self.remember.blockSignals(False)
            self.remember.setEnabled(True)
            self.security_status.setText(
                _("That did not work, so nothing changed. {reason}")
                .format(reason=problem_text(exc, fallback=""))
                .strip()
            )

        run_task(work, done, failed, owner=self)

    def _settings_problem(self, message: str) -> None:
        """Where a setting that could not be kept says why (cleared by the next success, which
        leaves any other message there alone)."""
        if message:
            self.security_status.setText(message)
            self._shown_problem = message
        elif self._shown_problem and self.security_status.text() == self._shown_problem:
            self.security_status.setText("")
            self._shown_problem = ""

    def set_auto_lock(self, minutes: int) -> None:
        if self.ops.run(lambda: self.settings.set(AUTO_LOCK_MINUTES, minutes)) is None:
            return
        self.context.signals.auto_lock_changed.emit(minutes)

    # -- backups ---------------------------------------------------------------------------

    def _backup_card(self) -> Card:
        card = Card(_("Backups"))
        card.body.addWidget(
            label(
                _(
                    "Companion keeps encrypted copies of your diary on this computer: one from "
                    "the start of each of your last few sessions and one for each of the last "
                    "seven days. They open with the same passphrase."
                )
            )
        )
        self.backup_table = QTableWidget(0, 3)
        self.backup_table.setHorizontalHeaderLabels([_("Saved"), _("Kind"), _("Size")])
        self.backup_table.setAccessibleName(_("Backups"))
        self.backup_table.verticalHeader().hide()
        self.backup_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.backup_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        self.backup_table.setShowGrid(False)
        self.backup_table.setAlternatingRowColors(True)
        self.backup_table.setWordWrap(False)
        colours = theme.current()
        self.backup_table.setStyleSheet(
            f"QTableWidget {{ border: 1px solid {colours.border}; border-radius: 8px; }}"
            f"QHeaderView::section {{ padding: 6px 10px; border: none; font-weight: 600;"
            f" border-bottom: 1px solid {colours.border}; background: {colours.surface}; }}"
            "QTableWidget::item { padding: 4px 10px; }"
        )
        self.backup_table.setMinimumHeight(160)
        card.body.addWidget(self.backup_table)
        buttons = QWidget()
        row = FlowLayout(buttons, spacing=8)  # wraps when larger text needs the room
        self.restore_button = QPushButton(icon("mdi6.backup-restore"), _("Restore selected…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.copy_button = QPushButton(
            icon("mdi6.content-save-outline"), _("Save an encrypted copy elsewhere…")
        )
        self.copy_button.clicked.connect(self.save_copy)
        for b in (self.restore_button, self.copy_button):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        card.body.addWidget(buttons)
        self.backup_status = StatusLabel("Success")
        card.body.addWidget(self.backup_status)
        self._backups: list[BackupInfo] = []
        self.restore_button.setEnabled(False)
        # read off the GUI thread: listing the files waits for a save under way (an fsync)
        self.build_after_task(self.diary.backups, self._show_backups, self._backups_unread)
        return card

    def refresh_backups(self) -> None:
        self._show_backups(self.diary.backups())

    def _backups_unread(self, _error: BaseException) -> None:
        self._show_backups([])

    def _show_backups(self, backups: object) -> None:
        listed = cast(list[BackupInfo], backups)
        if listed and listed == self._backups and self.backup_table.rowCount() == len(listed):
            # the same backups as shown (the page shown again): the table stays as it is,
            # with the row the person chose (filled again, it was laid out and painted again
            # in the page's first open, after its own first paint)
            return
        self._backups = listed
        self.backup_table.setRowCount(len(self._backups))
        minutes = [b.saved_at.astimezone().strftime("%Y%m%d%H%M") for b in self._backups]
        for r, b in enumerate(self._backups):
            # two backups from the same minute are told apart by their seconds
            same_minute = minutes.count(minutes[r]) > 1
            cells = (
                when_text(b.saved_at, seconds=same_minute),
                _(BACKUP_KINDS[b.kind]) if b.kind in BACKUP_KINDS else b.kind,
                _("{size} KB").format(size=format_number(max(1, b.size // 1024))),
            )
            for c, text in enumerate(cells):
                self.backup_table.setItem(r, c, QTableWidgetItem(text))
        self.restore_button.setEnabled(bool(self._backups))
        if self._backups:
            self.backup_table.selectRow(0)

    def restore_selected(self) -> None:
        rows = self.backup_table.selectionModel().selectedRows()
        if not rows:
            self.backup_status.setText(_("Please choose a backup in the list first."))
            return
        backup = self._backups[rows[0].row()]
        answer = QMessageBox.question(
            self,
            _("Restore a backup"),
            _(
                "Go back to the diary as it was on {when}? What you have now is kept as a backup "
                "first, so you can come back to it."
            ).format(when=when_text(backup.saved_at)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore(backup)

    def restore(self, backup: BackupInfo) -> None:
        if not attempt(lambda: self.diary.restore_backup(backup), self.backup_status.setText):
            return
        self.refresh()
        self.context.signals.diary_replaced.emit()
        self.backup_status.setText(_("Restored. Your previous state was kept as a backup."))

    def save_copy(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save an encrypted copy"),
            str(Path.home() / "companion-copy.companion"),
            _("Companion diary (*.companion)"),
        )
        if name:
            self.save_copy_to(Path(name))

    def save_copy_to(self, path: Path) -> None:
        if path.suffix != ".companion":
            path = path.with_suffix(".companion")
        if not attempt(lambda: self.diary.save_copy(path), self.backup_status.setText):
            return
        self.backup_status.setText(
            _("Saved an encrypted copy as {name}. It opens with your passphrase.").format(
                name=path.name
            )
        )

    # -- appearance (this computer) --------------------------------------------------------

    def _appearance_card(self) -> Card:
        card = Card(_("Appearance on this computer"))
        form = QFormLayout()
        self.theme_box = QComboBox()
        for theme_id, text in (
            ("system", _("Follow the system")),
            ("light", _("Light")),
            ("dark", _("Dark")),
            ("high-contrast", _("High contrast")),
        ):
            self.theme_box.addItem(text, theme_id)
        self.theme_box.setAccessibleName(_("Colours"))
        self.text_size = QComboBox()
        for scale in (0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0):
            percent = format_number(round(scale * 100))
            text = _("{percent}% (normal)") if scale == 1.0 else _("{percent}%")
            self.text_size.addItem(text.format(percent=percent), scale)
        self.text_size.setAccessibleName(_("Text size"))
        self.reduce_motion = QCheckBox(_("Reduce motion"))
        self.reduce_motion.setToolTip(
            _("Still pictures instead of animations: the breathing pacer and busy bars.")
        )
        for box in (self.theme_box, self.text_size):
            box.setMaximumWidth(260)
        form.addRow(_("Colours"), self.theme_box)
        form.addRow(_("Text size"), self.text_size)
        form.addRow("", self.reduce_motion)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # large text: stacked
        card.body.addLayout(form)
        card.body.addWidget(
            label(
                _(
                    "Reduce motion shows still pictures instead of animations: the breathing "
                    "pacer stands still and busy bars are hidden."
                ),
                name="Muted",
            )
        )
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

    def open_item(self, item_id: str) -> bool:
        """``companion:settings/country`` shows the country for Get help now."""
        if item_id != "country":
            return False
        self.finish_building()
        self.bring_into_view(self.country, self.country.box)
        return True

    # -- country for Get help now (this computer) ------------------------------------------

    def _country_card(self) -> Card:
        from companion.ui.country import CountryCard

        self.country = CountryCard(self.context.device.help_country, _("Your country"))
        self.country.chosen.connect(lambda code: self.context.update_device(help_country=code))
        return self.country

    # -- this computer's desktop -----------------------------------------------------------

    def _desktop_card(self) -> QWidget:
        from companion.ui.settings.desktop_card import DesktopCard

        self.desktop = DesktopCard(self.context)  # tray and start at login (this computer)
        return self.desktop

    # -- about -----------------------------------------------------------------------------

    def _about_card(self) -> Card:
        card = Card(_("About Companion"))
        card.body.addWidget(
            label(
                _(
                    "Version {version}. Companion never connects to the internet and has no "
                    "account or cloud."
                ).format(version=__version__)
            )
        )
        card.body.addWidget(
            label(_("Your diary file: {path}").format(path=self.diary.path), name="Muted")
        )
        card.body.addWidget(label(_(LIMITS)))
        card.body.addWidget(
            label(
                _(
                    "Companion is a self-help tool. It does not diagnose and it does not "
                    "replace care from a professional."
                ),
                name="Muted",
            )
        )
        return card

    def refresh(self) -> None:
        self.finish_building()  # (built ahead: its backups card may be a step still to run)
        self.auto_lock.blockSignals(True)
        self.auto_lock.setValue(self.settings.get(AUTO_LOCK_MINUTES))
        self.auto_lock.blockSignals(False)
        run_task(self.diary.backups, self._show_backups, self._backups_unread, owner=self)
