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
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # not imported at launch: the unlock window formats no date
    from datetime import date, datetime, time

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
    if not lang or lang in ("en", "C", "POSIX"):
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


#: names the language for this run (``x-pseudo`` to look for untranslated text by eye)
LANGUAGE_VARIABLE: Final = "COMPANION_LANGUAGE"


def system_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the environment asks for, as gettext reads it (``LANGUAGE``, ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``): "de_DE" from "de_DE.UTF-8"; None for C/POSIX or nothing."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").split(":")[0].split(".")[0].split("@")[0].strip()
        if value:
            return None if value in ("C", "POSIX") else value
    return None


def install_default(environ: Mapping[str, str] | None = None) -> None:
    """The language of this run: ``COMPANION_LANGUAGE`` if set, else the system's (English
    wherever no catalog exists, which today is everywhere: the app is translation-ready)."""
    env = os.environ if environ is None else environ
    install(env.get(LANGUAGE_VARIABLE, "").strip() or system_language(env))


# -- the pseudo-locale -------------------------------------------------------------------------

_ACCENTS = str.maketrans("aeiouAEIOUcnyCNY", "àéîõüÀÉÎÕÜçñýÇÑÝ")


@cache
def _kept() -> re.Pattern[str]:
    """Named fields ("{count}"), printf codes, HTML/markdown tags and entities, kept as they
    are (compiled when first needed: the launch has no pseudo-locale)."""
    return re.compile(r"(\{[^{}]*\}|%\(?\w*\)?[sdif]|<[^<>]+>|&\w+;|\[[^\]]*\]\([^)]*\))")


def pseudo(message: str) -> str:
    if not message:
        return message
    keep = _kept()
    parts = keep.split(message)
    text = "".join(p if keep.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
    return f"{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}"


#: contexts whose "translation" is a separator, kept as it is so numbers stay readable
_PSEUDO_KEEP_CONTEXTS: Final = frozenset({"thousands separator", "decimal mark"})


class _Pseudo(_gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return message if context in _PSEUDO_KEEP_CONTEXTS else pseudo(message)


# -- dates, times, numbers -------------------------------------------------------------------

_MONTHS: Final = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip
_WEEKDAYS: Final = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
)  # fmt: skip


def _months_short() -> tuple[str, ...]:
    """The abbreviations, each with a context: "May" the abbreviation is not "May" the month."""
    return (
        pgettext("month, short", "Jan"), pgettext("month, short", "Feb"),
        pgettext("month, short", "Mar"), pgettext("month, short", "Apr"),
        pgettext("month, short", "May"), pgettext("month, short", "Jun"),
        pgettext("month, short", "Jul"), pgettext("month, short", "Aug"),
        pgettext("month, short", "Sep"), pgettext("month, short", "Oct"),
        pgettext("month, short", "Nov"), pgettext("month, short", "Dec"),
    )  # fmt: skip


def _weekdays_short() -> tuple[str, ...]:
    return (
        pgettext("weekday, short", "Mon"), pgettext("weekday, short", "Tue"),
        pgettext("weekday, short", "Wed"), pgettext("weekday, short", "Thu"),
        pgettext("weekday, short", "Fri"), pgettext("weekday, short", "Sat"),
        pgettext("weekday, short", "Sun"),
    )  # fmt: skip


def month_name(month: int, *, short: bool = False) -> str:
    if short:
        return _months_short()[month - 1]
    return _(_MONTHS[month - 1])


def weekday_name(day: date, *, short: bool = False) -> str:
    if short:
        return _weekdays_short()[day.weekday()]
    return _(_WEEKDAYS[day.weekday()])


def _date_pattern(style: str) -> str:
    """The catalog's pattern for a date style (each a literal, so the template has them all)."""
    if style == "long":
        return pgettext("date format", "{day} {month} {year}")
    if style == "medium":
        return pgettext("date format", "{day} {month_short} {year}")
    if style == "short":
        return pgettext("date format", "{day} {month_short}")
    if style == "day":
        return pgettext("date format", "{weekday} {day} {month}")
    if style == "full":
        return pgettext("date format", "{weekday} {day} {month} {year}")
    if style == "day_short":
        return pgettext("date format", "{weekday_short} {day} {month_short}")
    if style == "day_medium":
        return pgettext("date format", "{weekday_short} {day} {month_short} {year}")
    if style == "month":
        return pgettext("date format", "{month} {year}")
    if style == "month_short":
        return pgettext("date format", "{month_short} {year}")
    raise ValueError(f"unknown date style {style!r}")


def format_date(day: date, style: str = "long") -> str:
    """One style for every date a person reads.

    ``long`` "4 December 2026" · ``medium`` "4 Dec 2026" · ``short`` "4 Dec" ·
    ``day`` "Friday 4 December" · ``full`` "Friday 4 December 2026" ·
    ``day_short`` "Fri 4 Dec" · ``day_medium`` "Fri 4 Dec 2026" · ``month`` "December 2026" ·
    ``month_short`` "Dec 2026"
    """
    as_date = getattr(day, "date", None)
    if callable(as_date):  # a datetime: its day
        day = as_date()
    pattern = _date_pattern(style)
    return pattern.format(
        day=day.day,
        year=day.year,
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


_QT_FIELDS: Final = {
    "weekday_short": "ddd",
    "weekday": "dddd",
    "month_short": "MMM",
    "month": "MMMM",
    "day": "d",
    "year": "yyyy",
    "hour:02d": "HH",
    "minute:02d": "mm",
}


def _qt_pattern(pattern: str) -> str:
    """One of the catalog's patterns as a Qt display format: fields become Qt's codes, and
    everything between them is quoted so Qt shows it as it is."""
    parts: list[str] = []
    last = 0
    for match in re.finditer(r"\{([a-z_]+(?::02d)?)\}", pattern):  # (cached by re)
        literal = pattern[last : match.start()]
        if literal:
            parts.append("'" + literal.replace("'", "''") + "'")
        parts.append(_QT_FIELDS[match.group(1)])
        last = match.end()
    if pattern[last:]:
        parts.append("'" + pattern[last:].replace("'", "''") + "'")
    return "".join(parts)


def qt_date_format(style: str = "medium", *, with_time: bool = False) -> str:
    """The display format for a date (and time) editor in the same style as
    :func:`format_date` and :func:`format_datetime` ("d MMM yyyy", "ddd d MMM yyyy, HH:mm"),
    from the current catalog's patterns; the editor takes the month and weekday names from
    Qt's own locale data for the same language."""
    pattern = _date_pattern(style)
    if with_time:
        pattern = _("{date}, {time}").format(
            date=pattern, time=pgettext("time format", "{hour:02d}:{minute:02d}")
        )
    return _qt_pattern(pattern)


def qt_time_format() -> str:
    """The display format for a time editor, from the catalog's time pattern ("HH:mm")."""
    return _qt_pattern(pgettext("time format", "{hour:02d}:{minute:02d}"))
