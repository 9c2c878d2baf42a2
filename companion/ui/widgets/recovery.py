"""Showing a recovery key once: copy, print, save as PDF, and 'I have stored it'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.i18n import N_, _, format_date
from companion.ui.widgets.common import StatusLabel, WrappingCheckBox, icon, label

SHEET_TITLE = N_("Companion recovery key")


def recovery_sheet_html(key: str) -> str:
    made = _("Made on {date}.").format(date=format_date(date.today(), "long"))
    opens = _(
        "This key opens your Companion diary if you ever forget your passphrase. Keep it "
        "somewhere safe and private, away from your computer, for example with other important "
        "papers. Anyone who has both this key and your diary file can read your diary."
    )
    replaced = _("If you make a new recovery key in Companion's settings, this one stops working.")
    return f"""
    <h1>{_(SHEET_TITLE)}</h1>
    <p>{made}</p>
    <p style="font-family: monospace; font-size: 18pt; padding: 12px">{key}</p>
    <p>{opens}</p>
    <p>{replaced}</p>
    """


def save_recovery_pdf(key: str, path: Path) -> None:
    """Write the one-page recovery sheet as a PDF through the private-write helper (0600)."""
    from companion.reports.pdf import write_pdf

    doc = QTextDocument()
    doc.setHtml(recovery_sheet_html(key))
    write_pdf(doc, path, _(SHEET_TITLE))


class RecoveryKeyPanel(QWidget):
    """The key in large monospace type with copy / print / save, and a confirmation box."""

    confirmed_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.key_label = label("", name="RecoveryKey")
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setAccessibleName(_("Recovery key"))
        layout.addWidget(self.key_label)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(icon("mdi6.content-copy"), _("Copy"))
        self.print_button = QPushButton(icon("mdi6.printer-outline"), _("Print…"))
        self.pdf_button = QPushButton(icon("mdi6.file-pdf-box"), _("Save as PDF…"))
        for b in (self.copy_button, self.print_button, self.pdf_button):
            b.setAccessibleName(b.text().rstrip("…"))
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = StatusLabel("Success")
        layout.addWidget(self.status)
        self.stored = WrappingCheckBox(_("I have stored my recovery key somewhere safe"))
        self.stored.setAccessibleName(_("I have stored my recovery key somewhere safe"))
        self.stored.toggled.connect(self.confirmed_changed)
        #: the box, and room beside it for the step it unlocks (setup's Continue: one row less,
        #: so the step fits 1024×640 at 200% text without scrolling)
        self.confirm_row = QHBoxLayout()
        self.confirm_row.setSpacing(16)
        self.confirm_row.addWidget(self.stored, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(self.confirm_row)
        self.copy_button.clicked.connect(self._copy)
        self.print_button.clicked.connect(self._print)
        self.pdf_button.clicked.connect(self._pdf)

    def set_key(self, key: str) -> None:
        self._key = key
        self._fit_key()
        self.stored.setChecked(False)
        self.status.setText("")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_key()

    def _fit_key(self) -> None:
        """The key on one line where it fits, else in two even lines of four groups (large
        text, a small window), not cut wherever a line runs out: easier to copy by hand."""
        groups = self._key.split("-")
        text = self._key
        if len(groups) > 1:
            metrics = self.key_label.fontMetrics()
            frame = self.key_label.width() - self.key_label.contentsRect().width()
            spacing = self.key_label.font().letterSpacing()  # the theme's 1px between letters
            needs = metrics.horizontalAdvance(self._key) + len(self._key) * spacing + frame
            if needs > self.width():
                half = (len(groups) + 1) // 2
                text = "-".join(groups[:half]) + "\n" + "-".join(groups[half:])
        if text != self.key_label.text():
            self.key_label.setText(text)

    def clear(self) -> None:
        self.set_key("")

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._key)
        self.status.setText(_("Copied. Paste it somewhere safe, then clear the clipboard."))

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            doc = QTextDocument()
            doc.setHtml(recovery_sheet_html(self._key))
            doc.print_(printer)
            self.status.setText(_("Sent to the printer."))

    def _pdf(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save recovery key as PDF"), "companion-recovery-key.pdf", _("PDF (*.pdf)")
        )
        if name:
            self.save_pdf(Path(name))

    def save_pdf(self, path: Path) -> None:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        save_recovery_pdf(self._key, path)
        # the person has just named the file; one short line (setup fits 1024×640 at 200%)
        self.status.setText(_("Saved. Keep that file somewhere private."))
