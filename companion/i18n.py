"""Translation and local formats: every string a person reads goes through here.

``_("…")`` and ``ngettext("…", "…", n)`` look a message up in the catalog of the current
language (gettext, domain ``companion``, catalogs under ``resources/locale/<lang>/LC_MESSAGES``);
``N_("…")`` only marks a string for extraction where it must be translated later (a table of
labels built at import time). Placeholders are always named (``_("{count} check-ins")``) so a
translator can move them. ``tools/extract-messages.py`` writes the catalog template.

Dates, times and numbers are formatted by the helpers below, in one style everywhere (no
zero-padded days, the month spelled out or abbreviated, 24-hour times), with every word and
pattern itself translatable. Pure Python: no Qt, so the core and the command line use it too.

The pseudo-locale ``x-pseudo`` wraps every translated string in ``⟦…⟧``: a test renders every
page with it and fails on any visible text that did not pass through ``_``.
"""

from __future__ import annotations

import gettext as _gettext
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Final

DOMAIN: Final = "companion"
PSEUDO: Final = "x-pseudo"
PSEUDO_OPEN: Final = "⟦"
PSEUDO_CLOSE: Final = "⟧"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """The message in the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language (``{n}`` is not filled)."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose meaning depends on ``context`` (e.g. "May" the month vs the verb)."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now."""
    return message


def language() -> str:
    return _language


def install(lang: str | None, locale_dir: Path | None = None) -> None:
    """Use ``lang`` (``None``/``"en"``: the source strings) from now on."""
    global _translations, _language
    if not lang or lang == "en":
        _translations, _language = _gettext.NullTranslations(), "en"
        return
    if lang == PSEUDO:
        _translations, _language = _Pseudo(), PSEUDO
        return
    if locale_dir is None:
        from companion.paths import resources_dir

        locale_dir = resources_dir() / "locale"
    _translations = _gettext.translation(DOMAIN, locale_dir, [lang], fallback=True)
    _language = lang


# -- the pseudo-locale -------------------------------------------------------------------------

_ACCENTS = str.maketrans("aeiouAEIOUcnyCNY", "àéîõüÀÉÎÕÜçñýÇÑÝ")
#: placeholders, printf codes, HTML/markdown tags and entities are kept as they are
_KEEP = re.compile(r"(\{[^{}]*\}|%\(?\w*\)?[sdif]|<[^<>]+>|&\w+;|\[[^\]]*\]\([^)]*\))")


def pseudo(message: str) -> str:
    if not message:
        return message
    parts = _KEEP.split(message)
    text = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
    return f"{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}"


class _Pseudo(_gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)


# -- dates, times, numbers -------------------------------------------------------------------

_MONTHS: Final = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip
_MONTHS_SHORT: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
_WEEKDAYS: Final = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
)  # fmt: skip
_WEEKDAYS_SHORT: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def month_name(month: int, *, short: bool = False) -> str:
    if short:
        return pgettext("month, short", _MONTHS_SHORT[month - 1])
    return _(_MONTHS[month - 1])


def weekday_name(day: date, *, short: bool = False) -> str:
    if short:
        return pgettext("weekday, short", _WEEKDAYS_SHORT[day.weekday()])
    return _(_WEEKDAYS[day.weekday()])


def format_date(day: date, style: str = "long") -> str:
    """One style for every date a person reads.

    ``long`` "4 December 2026" · ``medium`` "4 Dec 2026" · ``short`` "4 Dec" ·
    ``day`` "Friday 4 December" · ``full`` "Friday 4 December 2026" ·
    ``month`` "December 2026" · ``month_short`` "Dec 2026"
    """
    if isinstance(day, datetime):
        day = day.date()
    d, y = day.day, day.year
    patterns = {
        "long": N_("{day} {month} {year}"),
        "medium": N_("{day} {month_short} {year}"),
        "short": N_("{day} {month_short}"),
        "day": N_("{weekday} {day} {month}"),
        "full": N_("{weekday} {day} {month} {year}"),
        "day_short": N_("{weekday_short} {day} {month_short}"),
        "month": N_("{month} {year}"),
        "month_short": N_("{month_short} {year}"),
    }
    try:
        pattern = pgettext("date format", patterns[style])
    except KeyError:
        raise ValueError(f"unknown date style {style!r}") from None
    return pattern.format(
        day=d,
        year=y,
        month=month_name(day.month),
        month_short=month_name(day.month, short=True),
        weekday=weekday_name(day),
        weekday_short=weekday_name(day, short=True),
    )


def format_time(moment: time | datetime) -> str:
    """A clock time, "14:05" (24-hour unless the catalog says otherwise)."""
    pattern = pgettext("time format", "{hour:02d}:{minute:02d}")
    return pattern.format(hour=moment.hour, minute=moment.minute)


def format_datetime(moment: datetime, style: str = "day_short") -> str:
    """A date and a time, e.g. "Fri 4 Dec, 14:05"."""
    return _("{date}, {time}").format(date=format_date(moment, style), time=format_time(moment))


def format_number(value: float, decimals: int = 0) -> str:
    """A number with the catalog's decimal mark and thousands separator."""
    text = f"{value:,.{decimals}f}"
    thousands = pgettext("thousands separator", ",")
    point = pgettext("decimal mark", ".")
    if (thousands, point) == (",", "."):
        return text
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)
