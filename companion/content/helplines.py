"""Crisis lines by country, bundled with the app and never fetched at the moment of need.

File format (``resources/helplines.toml``)::

    last_checked = 2026-11-27            # when the numbers were last checked against sources
    what_to_expect = "One line on what happens when you call or text."

    [find_help_elsewhere]                # the card for any country not listed
    name = "Find A Helpline"
    url = "https://findahelpline.com"
    notes = "..."
    emergency = "112"                    # digits only
    emergency_notes = "..."

    [[country]]
    code = "GB"                          # ISO 3166-1 alpha-2, unique
    name = "United Kingdom"
    emergency = "999"                    # digits only
    emergency_other = ["112"]            # optional further emergency numbers
    emergency_notes = ""                 # optional

      [[country.line]]                   # at least one
      name = "Samaritans"
      phone = "116 123"                  # optional; digits, spaces, + and - only
      text = "85258"                     # optional SMS number, same characters
      text_keyword = "SHOUT"             # optional word to send
      email = "jo@samaritans.org"        # optional
      url = "https://..."                # optional; needs internet
      hours = "24/7"                     # optional; empty when our sources do not say
      notes = "..."                      # optional
      verified = true                    # false when the clinical reference marks it [R];
                                         # the notes must then say so

Every line needs at least one of phone, text, email or url.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from companion.content import ContentError, describe, has_control_chars, is_web_url, resource_path

__all__ = [
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
_ALIASES = {"UK": "GB"}  # "UK" is not an ISO code, but people and some systems write it


@dataclass(frozen=True, slots=True)
class HelpLine:
    name: str
    phone: str = ""
    text: str = ""
    text_keyword: str = ""
    email: str = ""
    url: str = ""
    hours: str = ""
    notes: str = ""
    verified: bool = True

    @property
    def needs_internet(self) -> bool:
        return bool(self.url) and not (self.phone or self.text)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    emergency: str
    lines: tuple[HelpLine, ...]
    emergency_other: tuple[str, ...] = ()
    emergency_notes: str = ""


@dataclass(frozen=True, slots=True)
class Helplines:
    last_checked: dt.date
    what_to_expect: str
    countries: tuple[Country, ...]
    elsewhere: Country

    def get(self, code: str | None) -> Country:
        return for_country(code, self)


def _str(
    raw: dict[str, Any], key: str, where: str, *, required: bool = False, limit: int = 500
) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or len(value) > limit or has_control_chars(value):
        raise ContentError(f"{where}: “{key}” must be a line of text.")
    if required and not value.strip():
        raise ContentError(f"{where}: “{key}” is missing.")
    return value.strip()


def _number(value: str, where: str, key: str) -> str:
    if value and not _NUMBER_RE.match(value):
        raise ContentError(f"{where}: “{key}” may contain only digits, spaces, + and -.")
    return value


def _line(raw: object, where: str) -> HelpLine:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: each line must be a table.")
    allowed = {
        "name",
        "phone",
        "text",
        "text_keyword",
        "email",
        "url",
        "hours",
        "notes",
        "verified",
    }
    unknown = set(raw) - allowed
    if unknown:
        raise ContentError(f"{where}: unknown field “{describe(sorted(unknown)[0])}”.")
    name = _str(raw, "name", where, required=True, limit=120)
    where = f"{where} ({name})"
    phone = _number(_str(raw, "phone", where, limit=40), where, "phone")
    text = _number(_str(raw, "text", where, limit=40), where, "text")
    keyword = _str(raw, "text_keyword", where, limit=40)
    if keyword and not text:
        raise ContentError(f"{where}: a text keyword needs a text number.")
    email = _str(raw, "email", where, limit=200)
    if email and not _EMAIL_RE.match(email):
        raise ContentError(f"{where}: the email address is not valid.")
    url = _str(raw, "url", where, limit=500)
    if url and not is_web_url(url):
        raise ContentError(f"{where}: the url must start with http(s)://.")
    if not (phone or text or email or url):
        raise ContentError(f"{where}: a line needs a phone, text, email or url.")
    verified = raw.get("verified", True)
    if not isinstance(verified, bool):
        raise ContentError(f"{where}: “verified” must be true or false.")
    notes = _str(raw, "notes", where)
    if not verified and not notes:
        raise ContentError(f"{where}: an unverified line must say so in its notes.")
    return HelpLine(
        name=name,
        phone=phone,
        text=text,
        text_keyword=keyword,
        email=email,
        url=url,
        hours=_str(raw, "hours", where, limit=120),
        notes=notes,
        verified=verified,
    )


def _emergency(raw: dict[str, Any], where: str) -> tuple[str, tuple[str, ...], str]:
    emergency = _str(raw, "emergency", where, required=True, limit=40)
    if not _DIGITS_RE.match(emergency):
        raise ContentError(f"{where}: the emergency number must be 2 to 6 digits.")
    other = raw.get("emergency_other", [])
    if not isinstance(other, list) or not all(
        isinstance(n, str) and _DIGITS_RE.match(n) for n in other
    ):
        raise ContentError(f"{where}: “emergency_other” must be a list of 2 to 6 digit numbers.")
    return emergency, tuple(other), _str(raw, "emergency_notes", where)


def _country(raw: object, number: int) -> Country:
    where = f"Helplines, country {number}"
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: must be a table.")
    allowed = {"code", "name", "emergency", "emergency_other", "emergency_notes", "line"}
    unknown = set(raw) - allowed
    if unknown:
        raise ContentError(f"{where}: unknown field “{describe(sorted(unknown)[0])}”.")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise ContentError(f"{where}: the code must be two capital letters (ISO 3166-1).")
    where = f"Helplines, {code}"
    name = _str(raw, "name", where, required=True, limit=120)
    emergency, other, notes = _emergency(raw, where)
    lines_raw = raw.get("line", [])
    if not isinstance(lines_raw, list) or not lines_raw:
        raise ContentError(f"{where}: at least one [[country.line]] is needed.")
    lines = tuple(_line(item, where) for item in lines_raw)
    return Country(code, name, emergency, lines, other, notes)


def parse_helplines(text: str) -> Helplines:
    """Parse and validate the helplines file."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise ContentError(
            f"The helplines file is not valid TOML ({describe(exc, 120)})."
        ) from None
    unknown = set(data) - {"last_checked", "what_to_expect", "find_help_elsewhere", "country"}
    if unknown:
        raise ContentError(f"Helplines: unknown field “{describe(sorted(unknown)[0])}”.")
    checked = data.get("last_checked")
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        raise ContentError("Helplines: last_checked must be a date such as 2026-11-27.")
    expect = _str(data, "what_to_expect", "Helplines", required=True)

    elsewhere_raw = data.get("find_help_elsewhere")
    if not isinstance(elsewhere_raw, dict):
        raise ContentError("Helplines: the [find_help_elsewhere] entry is missing.")
    where = "Helplines, find_help_elsewhere"
    allowed = {"name", "url", "hours", "notes", "emergency", "emergency_notes", "verified"}
    unknown = set(elsewhere_raw) - allowed
    if unknown:
        raise ContentError(f"{where}: unknown field “{describe(sorted(unknown)[0])}”.")
    line = _line({k: v for k, v in elsewhere_raw.items() if not k.startswith("emergency")}, where)
    if not line.url:
        raise ContentError(f"{where}: a web address is needed.")
    emergency, other, notes = _emergency(elsewhere_raw, where)
    elsewhere = Country("", "Other countries", emergency, (line,), other, notes)

    countries_raw = data.get("country", [])
    if not isinstance(countries_raw, list) or not countries_raw:
        raise ContentError("Helplines: at least one [[country]] is needed.")
    countries = tuple(_country(item, n) for n, item in enumerate(countries_raw, start=1))
    codes = [c.code for c in countries]
    if len(set(codes)) != len(codes):
        raise ContentError("Helplines: a country code appears twice.")
    return Helplines(checked, expect, countries, elsewhere)


@functools.cache
def load_helplines() -> Helplines:
    """The bundled helplines, validated."""
    path = resource_path("helplines.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError("The bundled helplines file could not be read.") from exc
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
            return _ALIASES.get(code, code)
    return None
