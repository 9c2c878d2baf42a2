"""Crisis lines by country, bundled with the app and never fetched at the moment of need.

File format (``resources/helplines.toml``)::

    what_to_expect = "One line on what happens when you call or text."

    [find_help_elsewhere]                # the card for any country not listed
    name = "Find A Helpline"
    url = "https://findahelpline.com"
    notes = "..."
    source = "https://..."               # where the entry was checked (a list is fine too)
    verified = 2026-12-04                # when
    emergency = "112"                    # digits only
    emergency_notes = "..."
    emergency_source = "https://..."
    emergency_verified = 2026-12-04

    [[country]]
    code = "GB"                          # ISO 3166-1 alpha-2, unique
    name = "United Kingdom"
    emergency = "999"                    # digits only
    emergency_other = ["112"]            # optional further emergency numbers
    emergency_notes = ""                 # optional
    emergency_source = "https://..."     # required, with emergency_verified
    emergency_verified = 2026-12-04

      [[country.line]]                   # at least one
      name = "Samaritans"
      phone = "116 123"                  # optional; digits, spaces, + and - only
      phone_other = ["..."]              # optional further numbers for the same service
      text = "85258"                     # optional SMS number, same characters
      text_keyword = "SHOUT"             # optional word to send
      email = "jo@samaritans.org"        # optional
      url = "https://..."                # optional; needs internet
      hours = "24/7"                     # optional; empty when the source does not say
      notes = "..."                      # optional
      source = "https://..."             # required: the page that publishes the number
      verified = 2026-12-04              # required: when it was checked against that page

Every line needs at least one of phone, text, email or url, and every line and emergency
number needs a source and a verification date: an unchecked entry is refused here, so it fails
the test suite instead of reaching someone in crisis. How an entry was checked is the file's
business and the tests'; the crisis screen never mentions it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from companion import i18n
from companion.content import (
    ContentError,
    describe,
    has_control_chars,
    is_web_url,
    localized,
)
from companion.i18n import _

__all__ = [
    "ISO_3166_CODES",
    "NOT_LISTED",
    "Checked",
    "Country",
    "HelpLine",
    "Helplines",
    "country_from_locale",
    "for_country",
    "load_helplines",
    "parse_helplines",
]

_NUMBER_RE = re.compile(r"^\+?[0-9][0-9 \-]*[0-9]$|^[0-9]$")
_DIGITS_RE = re.compile(r"^[0-9]{2,6}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_CODE_RE = re.compile(r"^[A-Z]{2}$")
#: ISO 3166-1 alpha-2 country codes (officially assigned, plus XK, which systems use for Kosovo).
_ISO_3166_TEXT = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS XK YE YT ZA ZM ZW"
)
ISO_3166_CODES: frozenset[str] = frozenset(_ISO_3166_TEXT.split())
#: the stored choice "another country, not in the list" (CLDR's code for an unknown region):
#: it shows the help for other countries and stops the locale's guess from coming back
NOT_LISTED = "ZZ"
_ALIASES = {"UK": "GB"}  # "UK" is not an ISO code, but people and some systems write it


@dataclass(frozen=True, slots=True)
class Checked:
    """Where an entry was checked and when (never shown in the crisis screen)."""

    sources: tuple[str, ...]
    verified: dt.date


@dataclass(frozen=True, slots=True)
class HelpLine:
    name: str
    checked: Checked
    phone: str = ""
    phone_other: tuple[str, ...] = ()
    text: str = ""
    text_keyword: str = ""
    email: str = ""
    url: str = ""
    hours: str = ""
    notes: str = ""

    @property
    def needs_internet(self) -> bool:
        return bool(self.url) and not (self.phone or self.text)

    @property
    def phones(self) -> tuple[str, ...]:
        return (self.phone, *self.phone_other) if self.phone else ()


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    emergency: str
    lines: tuple[HelpLine, ...]
    emergency_checked: Checked
    emergency_other: tuple[str, ...] = ()
    emergency_notes: str = ""

    @property
    def emergency_numbers(self) -> tuple[str, ...]:
        return (self.emergency, *self.emergency_other)


@dataclass(frozen=True, slots=True)
class Helplines:
    what_to_expect: str
    countries: tuple[Country, ...]
    elsewhere: Country

    def get(self, code: str | None) -> Country:
        return for_country(code, self)

    def all_checks(self) -> tuple[Checked, ...]:
        out: list[Checked] = []
        for country in (*self.countries, self.elsewhere):
            out.append(country.emergency_checked)
            out.extend(line.checked for line in country.lines)
        return tuple(out)

    @property
    def last_checked(self) -> dt.date:
        """The oldest verification date: every number was checked on or after it."""
        return min(c.verified for c in self.all_checks())


def _str(
    raw: dict[str, Any], key: str, where: str, *, required: bool = False, limit: int = 500
) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or len(value) > limit or has_control_chars(value):
        raise ContentError(
            _("{where}: “{key}” must be a line of text.").format(where=where, key=key)
        )
    if required and not value.strip():
        raise ContentError(_("{where}: “{key}” is missing.").format(where=where, key=key))
    return value.strip()


def _number(value: str, where: str, key: str) -> str:
    if value and not _NUMBER_RE.match(value):
        raise ContentError(
            _("{where}: “{key}” may contain only digits, spaces, + and -.").format(
                where=where, key=key
            )
        )
    return value


def _line(raw: object, where: str) -> HelpLine:
    if not isinstance(raw, dict):
        raise ContentError(_("{where}: each line must be a table.").format(where=where))
    allowed = {
        "name",
        "phone",
        "phone_other",
        "text",
        "text_keyword",
        "email",
        "url",
        "hours",
        "notes",
        "source",
        "verified",
    }
    unknown = set(raw) - allowed
    if unknown:
        raise ContentError(
            _("{where}: unknown field “{field}”.").format(
                where=where, field=describe(sorted(unknown)[0])
            )
        )
    name = _str(raw, "name", where, required=True, limit=120)
    where = _("{where} ({name})").format(where=where, name=name)
    phone = _number(_str(raw, "phone", where, limit=40), where, "phone")
    other = raw.get("phone_other", [])
    if not isinstance(other, list) or not all(isinstance(n, str) for n in other):
        raise ContentError(
            _("{where}: “phone_other” must be a list of numbers.").format(where=where)
        )
    phone_other = tuple(_number(n.strip(), where, "phone_other") for n in other)
    if phone_other and not phone:
        raise ContentError(_("{where}: further numbers need a main “phone”.").format(where=where))
    text = _number(_str(raw, "text", where, limit=40), where, "text")
    keyword = _str(raw, "text_keyword", where, limit=40)
    if keyword and not text:
        raise ContentError(_("{where}: a text keyword needs a text number.").format(where=where))
    email = _str(raw, "email", where, limit=200)
    if email and not _EMAIL_RE.match(email):
        raise ContentError(_("{where}: the email address is not valid.").format(where=where))
    url = _str(raw, "url", where, limit=500)
    if url and not is_web_url(url):
        raise ContentError(_("{where}: the url must start with http(s)://.").format(where=where))
    if not (phone or text or email or url):
        raise ContentError(
            _("{where}: a line needs a phone, text, email or url.").format(where=where)
        )
    return HelpLine(
        name=name,
        checked=_checked(raw, where, "source", "verified"),
        phone=phone,
        phone_other=phone_other,
        text=text,
        text_keyword=keyword,
        email=email,
        url=url,
        hours=_str(raw, "hours", where, limit=120),
        notes=_str(raw, "notes", where),
    )


def _checked(raw: dict[str, Any], where: str, source_key: str, date_key: str) -> Checked:
    """The source(s) and verification date an entry must carry; missing either refuses it."""
    source = raw.get(source_key)
    sources = [source] if isinstance(source, str) else source
    if not isinstance(sources, list) or not sources or not all(is_web_url(s) for s in sources):
        raise ContentError(
            _(
                "{where}: “{source_key}” must give the web page the number was checked against "
                "(unverified entries are not allowed)."
            ).format(where=where, source_key=source_key)
        )
    verified = raw.get(date_key)
    if not isinstance(verified, dt.date) or isinstance(verified, dt.datetime):
        raise ContentError(
            _(
                "{where}: “{date_key}” must be the date it was checked, such as 2026-12-04 "
                "(unverified entries are not allowed)."
            ).format(where=where, date_key=date_key)
        )
    return Checked(tuple(sources), verified)


_EMERGENCY_KEYS = frozenset(
    {
        "emergency",
        "emergency_other",
        "emergency_notes",
        "emergency_source",
        "emergency_verified",
    }
)


def _emergency(raw: dict[str, Any], where: str) -> tuple[str, tuple[str, ...], str, Checked]:
    emergency = _str(raw, "emergency", where, required=True, limit=40)
    if not _DIGITS_RE.match(emergency):
        raise ContentError(
            _("{where}: the emergency number must be 2 to 6 digits.").format(where=where)
        )
    other = raw.get("emergency_other", [])
    if not isinstance(other, list) or not all(
        isinstance(n, str) and _DIGITS_RE.match(n) for n in other
    ):
        raise ContentError(
            _("{where}: “emergency_other” must be a list of 2 to 6 digit numbers.").format(
                where=where
            )
        )
    checked = _checked(raw, where, "emergency_source", "emergency_verified")
    return emergency, tuple(other), _str(raw, "emergency_notes", where), checked


def _country(raw: object, number: int) -> Country:
    where = _("Helplines, country {number}").format(number=number)
    if not isinstance(raw, dict):
        raise ContentError(_("{where}: must be a table.").format(where=where))
    allowed = {"code", "name", "line"} | _EMERGENCY_KEYS
    unknown = set(raw) - allowed
    if unknown:
        raise ContentError(
            _("{where}: unknown field “{field}”.").format(
                where=where, field=describe(sorted(unknown)[0])
            )
        )
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise ContentError(
            _("{where}: the code must be two capital letters (ISO 3166-1).").format(where=where)
        )
    if code not in ISO_3166_CODES:
        raise ContentError(
            _("{where}: “{code}” is not a country code (ISO 3166-1).").format(
                where=where, code=code
            )
        )
    where = _("Helplines, {code}").format(code=code)
    name = _str(raw, "name", where, required=True, limit=120)
    emergency, other, notes, checked = _emergency(raw, where)
    lines_raw = raw.get("line", [])
    if not isinstance(lines_raw, list) or not lines_raw:
        raise ContentError(
            _("{where}: at least one [[country.line]] is needed.").format(where=where)
        )
    lines = tuple(_line(item, where) for item in lines_raw)
    if not any(line.phone or line.text for line in lines):
        raise ContentError(
            _("{where}: at least one line needs a number to call or text.").format(where=where)
        )
    return Country(code, name, emergency, lines, checked, other, notes)


def parse_helplines(text: str) -> Helplines:
    """Parse and validate the helplines file."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise ContentError(
            _("The helplines file is not valid TOML ({problem}).").format(
                problem=describe(exc, 120)
            )
        ) from None
    unknown = set(data) - {"what_to_expect", "find_help_elsewhere", "country"}
    if unknown:
        raise ContentError(
            _("Helplines: unknown field “{field}”.").format(field=describe(sorted(unknown)[0]))
        )
    expect = _str(data, "what_to_expect", "Helplines", required=True)

    elsewhere_raw = data.get("find_help_elsewhere")
    if not isinstance(elsewhere_raw, dict):
        raise ContentError(_("Helplines: the [find_help_elsewhere] entry is missing."))
    where = _("Helplines, find_help_elsewhere")
    allowed = {"name", "url", "hours", "notes", "source", "verified"} | _EMERGENCY_KEYS
    unknown = set(elsewhere_raw) - allowed
    if unknown:
        raise ContentError(
            _("{where}: unknown field “{field}”.").format(
                where=where, field=describe(sorted(unknown)[0])
            )
        )
    line = _line({k: v for k, v in elsewhere_raw.items() if k not in _EMERGENCY_KEYS}, where)
    if not line.url:
        raise ContentError(_("{where}: a web address is needed.").format(where=where))
    emergency, other, notes, checked = _emergency(elsewhere_raw, where)
    elsewhere = Country("", "Other countries", emergency, (line,), checked, other, notes)

    countries_raw = data.get("country", [])
    if not isinstance(countries_raw, list) or not countries_raw:
        raise ContentError(_("Helplines: at least one [[country]] is needed."))
    countries = tuple(_country(item, n) for n, item in enumerate(countries_raw, start=1))
    codes = [c.code for c in countries]
    if len(set(codes)) != len(codes):
        raise ContentError(_("Helplines: a country code appears twice."))
    return Helplines(expect, countries, elsewhere)


def load_helplines() -> Helplines:
    """The bundled helplines, validated (translated where a translation exists)."""
    return _helplines_in(i18n.language())


@functools.cache
def _helplines_in(language: str) -> Helplines:
    path = localized("helplines.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(_("The bundled helplines file could not be read.")) from exc
    return parse_helplines(text)


def for_country(code: str | None, helplines: Helplines | None = None) -> Country:
    """The card for a country code, or the "find help elsewhere" card when we have none."""
    data = helplines if helplines is not None else load_helplines()
    wanted = (code or "").strip().upper()
    wanted = _ALIASES.get(wanted, wanted)
    for country in data.countries:
        if country.code == wanted:
            return country
    return data.elsewhere


def country_from_locale(locale_name: str) -> str | None:
    """The region of a locale name such as ``en_GB.UTF-8``, ``fr-CA`` or ``zh_Hant_TW``.

    Returns None for ``C``, ``POSIX``, a bare language or anything unrecognised; the caller then
    shows the "find help elsewhere" card and lets the person pick a country.
    """
    if not isinstance(locale_name, str):
        return None
    name = locale_name.strip().split(".", 1)[0].split("@", 1)[0]
    parts = re.split(r"[_-]", name)
    for part in parts[1:]:
        if len(part) == 2 and part.isascii() and part.isalpha():
            code = part.upper()
            code = _ALIASES.get(code, code)
            return code if code in ISO_3166_CODES else None
    return None
