"""Choosing a passphrase in the GUI: a suggested one, and the weak-passphrase override.

A weak passphrase (zxcvbn score below 3) is refused with its reason and guessing time. The GUI,
and only the GUI, lets the person keep it anyway, through two deliberate steps: a separate
"Use this weak passphrase anyway…" button, then a confirmation whose default (Enter, Escape,
closing the box) is No. The permission is for that exact text only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from companion.core import passphrase as rules
from companion.i18n import N_, _, ngettext
from companion.ui.operations import check
from companion.ui.widgets.common import SecretField, icon, link_button

WEAK_TITLE = N_("Use a weak passphrase?")


def weak_passphrase_box(parent: QWidget | None, reason: str) -> QMessageBox:
    """The confirmation: No is the default and the escape button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_(WEAK_TITLE))
    box.setText(reason)
    box.setInformativeText(
        _(
            "A weak passphrase is the only thing between a stolen copy of your diary and "
            "whoever has it. Use it anyway?"
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    no = box.button(QMessageBox.StandardButton.No)
    yes = box.button(QMessageBox.StandardButton.Yes)
    no.setText(_("No, choose another"))
    yes.setText(_("Yes, use it anyway"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box


def confirm_weak_passphrase(parent: QWidget | None, reason: str) -> bool:
    return weak_passphrase_box(parent, reason).exec() == QMessageBox.StandardButton.Yes


class PassphraseChoice:
    """Wires the suggestion button and the weak override to a pair of fields.

    ``submit`` is called again after the person confirmed a weak passphrase.
    """

    def __init__(
        self,
        parent: QWidget,
        first: SecretField,
        second: SecretField,
        submit: Callable[[], None],
        confirm: Callable[[QWidget | None, str], bool] = confirm_weak_passphrase,
    ) -> None:
        self.parent = parent
        self.first = first
        self.second = second
        self._submit = submit
        self._confirm = confirm
        self._allowed_text: str | None = None
        self._reason = ""
        self.suggest_button = QPushButton(icon("mdi6.dice-multiple-outline"), _("Suggest one"))
        self.suggest_button.setAccessibleName(_("Suggest one: a passphrase"))
        self.suggest_button.setToolTip(
            ngettext(
                "{count} random word from the EFF word list",
                "{count} random words from the EFF word list",
                rules.GENERATED_WORDS,
            ).format(count=rules.GENERATED_WORDS)
        )
        self.suggest_button.clicked.connect(self.suggest)
        self.weak_button = link_button(_("Use this weak passphrase anyway…"))
        self.weak_button.hide()
        self.weak_button.clicked.connect(self._override)
        first.edit.textChanged.connect(self._changed)

    def suggest(self) -> str:
        """Fill both fields with a generated passphrase, shown so it can be written down."""
        text = rules.generate()
        self.first.edit.setText(text)
        self.second.edit.setText(text)
        self.first.toggle.setChecked(True)
        return text

    def check(self, errors: Callable[[str], None]) -> bool:
        """Whether the two fields hold a passphrase that may be used; if not, the reason is
        said through ``errors`` (and a weak one offers the separate override)."""
        first, second = self.first.text(), self.second.text()
        weak_ok = self.allow_weak(first)
        problem = check(lambda: rules.validate(first, second, allow_weak=weak_ok), errors)
        if isinstance(problem, rules.WeakPassphraseError):
            self.refused(str(problem))
        return problem is None

    def allow_weak(self, text: str) -> bool:
        """True once the person confirmed *this* weak passphrase."""
        return self._allowed_text is not None and self._allowed_text == text

    def refused(self, reason: str) -> None:
        """Called when validation said 'weak': offer the separate override."""
        self._reason = reason
        self.weak_button.show()

    def _override(self) -> None:
        text = self.first.text()
        if self._confirm(self.parent, self._reason):
            self._allowed_text = text
            self.weak_button.hide()
            self._submit()

    def _changed(self, _text: str) -> None:
        self._allowed_text = None
        self.weak_button.hide()

    def forget(self) -> None:
        self._allowed_text = None
        self._reason = ""
