"""The person's country for 'Get help now': guessed from the system, confirmed, remembered.

The country is a per-computer preference (``DeviceSettings.help_country``), stored beside the
vault with the theme, so the right emergency number shows before setup, on the unlock window
and while the diary is locked. It says where the person is, never anything from the diary.
Empty means "not chosen yet": the system locale's guess is used until the person confirms a
country in setup or changes it in Settings (or in the help window itself).
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from companion.content import ContentError
from companion.content.helplines import (
    ISO_3166_CODES,
    NOT_LISTED,
    country_from_locale,
    load_helplines,
)
from companion.i18n import N_, _
from companion.ui.widgets.common import Card, label

ANOTHER_COUNTRY = N_("Another country or territory")


def country_name(code: str) -> str:
    """The English name of an ISO 3166-1 code ("DE" → "Germany")."""
    if code == NOT_LISTED or not code:
        return _(ANOTHER_COUNTRY)
    territory = QLocale.codeToTerritory(code)
    if territory == QLocale.Country.AnyTerritory:
        return code
    return QLocale.territoryToString(territory)


def system_country() -> str:
    """The country of the system locale (en_NZ → NZ), or "" when it names none (C, POSIX)."""
    return country_from_locale(QLocale.system().name()) or ""


def effective_country(chosen: str) -> str:
    """The country to use: the person's choice, or until there is one, the system's guess."""
    return chosen or system_country()


@functools.cache
def _countries() -> tuple[tuple[str, str], ...]:
    names = [(country_name(code), code) for code in ISO_3166_CODES]
    return tuple((code, name) for name, code in sorted(names, key=lambda p: p[0].casefold()))


def bundled_codes() -> frozenset[str]:
    try:
        return frozenset(c.code for c in load_helplines().countries)
    except ContentError:
        return frozenset()


class CountryBox(QComboBox):
    """Every country by name, then "Another country or territory"; type to jump to one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Your country, for emergency numbers and helplines"))
        for code, name in _countries():
            self.addItem(name, code)
        self.addItem(_(ANOTHER_COUNTRY), NOT_LISTED)
        self.setMaxVisibleItems(16)
        self.setMinimumWidth(240)
        self.setMaximumWidth(380)

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        self.setCurrentIndex(index if index >= 0 else self.count() - 1)

    def code(self) -> str:
        return str(self.currentData() or NOT_LISTED)


class CountryCard(Card):
    """Choose the country (setup and Settings). ``chosen(code)`` on every change."""

    chosen = Signal(str)

    def __init__(self, current: str, heading: str | None = None) -> None:
        heading = heading or _("Your country")
        super().__init__(heading)
        self.setAccessibleName(heading)
        if not current and system_country():
            words = _(
                "Get help now shows this country's emergency number first, then its helplines. "
                "It was guessed from this computer's settings; change it if it is not right."
            )
        else:
            words = _(
                "Get help now shows this country's emergency number first, then its helplines."
            )
        intro = label(words)
        self.body.addWidget(intro)
        box_row = QVBoxLayout()
        self.box = CountryBox()
        caption = label(_("Country"))
        caption.setBuddy(self.box)
        box_row.addWidget(caption)
        box_row.addWidget(self.box)
        self.body.addLayout(box_row)
        self.note = label("", name="Muted")
        self.body.addWidget(self.note)
        self.body.addWidget(
            label(
                _(
                    "Kept on this computer with the display settings, outside your diary, so "
                    "the right number shows even while the diary is locked."
                ),
                name="Muted",
            )
        )
        self.box.set_code(effective_country(current))
        self._describe()
        self.box.currentIndexChanged.connect(self._changed)

    def _changed(self) -> None:
        self._describe()
        self.chosen.emit(self.box.code())

    def _describe(self) -> None:
        code = self.box.code()
        if code in bundled_codes():
            self.note.setText(
                _("Companion has the emergency number and helplines for {country}.").format(
                    country=country_name(code)
                )
            )
        else:
            self.note.setText(
                _(
                    "Companion has no helplines for this country yet. Get help now will show "
                    "112 and your local emergency number first, then a directory of helplines "
                    "that needs internet."
                )
            )
