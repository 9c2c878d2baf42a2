"""The bundled crisis lines validate, and an unknown country still gets somewhere to turn."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from companion.content import ContentError, resource_path
from companion.content.helplines import (
    Country,
    HelpLine,
    country_from_locale,
    for_country,
    load_helplines,
    parse_helplines,
)

from .content_lint import url_is_from_reference

DATA = load_helplines()
NUMBER = re.compile(r"^[0-9 +\-]+$")
REFERENCE_COUNTRIES = {"US", "CA", "GB", "IE", "AU", "NZ"}  # clinical reference §5.3


def test_last_checked_is_a_date() -> None:
    assert isinstance(DATA.last_checked, dt.date)
    assert not isinstance(DATA.last_checked, dt.datetime)
    assert DATA.last_checked.year == 2026


def test_every_country_in_the_reference_is_present_once() -> None:
    codes = [c.code for c in DATA.countries]
    assert len(codes) == len(set(codes))
    assert set(codes) == REFERENCE_COUNTRIES
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)


@pytest.mark.parametrize("country", DATA.countries, ids=lambda c: c.code)
def test_each_country_has_an_emergency_number_and_a_line(country: Country) -> None:
    assert country.name
    assert re.fullmatch(r"[0-9]{3}", country.emergency)
    assert all(re.fullmatch(r"[0-9]{3}", n) for n in country.emergency_other)
    assert country.lines
    assert any(line.phone or line.text for line in country.lines)


def _all_lines() -> list[HelpLine]:
    return [line for c in (*DATA.countries, DATA.elsewhere) for line in c.lines]


@pytest.mark.parametrize("line", _all_lines(), ids=lambda line: line.name)
def test_numbers_are_well_formed(line: HelpLine) -> None:
    for value in (line.phone, line.text):
        if value:
            assert NUMBER.fullmatch(value), value
            assert re.search(r"[0-9]", value)
    if line.url:
        assert line.url.startswith("https://")
    if not line.verified:
        assert "not yet confirmed" in line.notes


def test_the_key_numbers_match_the_reference() -> None:
    def numbers(code: str) -> set[str]:
        return {v for line in for_country(code).lines for v in (line.phone, line.text) if v}

    assert {"988", "741741"} <= numbers("US") and for_country("US").emergency == "911"
    assert "988" in numbers("CA") and for_country("CA").emergency == "911"
    assert {"116 123", "85258"} <= numbers("GB") and for_country("GB").emergency == "999"
    assert "116 123" in numbers("IE")
    assert {"13 11 14", "0477 13 11 14"} <= numbers("AU") and for_country("AU").emergency == "000"
    assert "1737" in numbers("NZ")


def test_unverified_reference_items_are_marked() -> None:
    # reference §5.3 tags these [R]
    assert not next(x for x in for_country("NZ").lines if x.phone == "1737").verified
    assert not next(x for x in for_country("IE").lines if x.text == "50808").verified
    assert "not yet confirmed" in for_country("IE").emergency_notes
    assert "not yet confirmed" in for_country("NZ").emergency_notes
    assert not next(x for x in for_country("US").lines if x.url).verified


def test_find_help_elsewhere_is_the_reference_directory() -> None:
    elsewhere = DATA.elsewhere
    assert elsewhere.code == ""
    assert elsewhere.lines[0].url == "https://findahelpline.com"
    assert elsewhere.lines[0].needs_internet
    assert elsewhere.emergency == "112"
    assert "local emergency number" in elsewhere.emergency_notes


@pytest.mark.parametrize("code", ["FR", "DE", "ZZ", "", None, "usa", "123", " "])
def test_unknown_country_falls_back(code: str | None) -> None:
    assert for_country(code) is DATA.elsewhere
    assert DATA.get(code) is DATA.elsewhere


@pytest.mark.parametrize(("code", "expected"), [("gb", "GB"), (" us ", "US"), ("UK", "GB")])
def test_known_country_lookup_is_forgiving(code: str, expected: str) -> None:
    assert for_country(code).code == expected


@pytest.mark.parametrize(
    ("locale_name", "expected"),
    [
        ("en_US", "US"),
        ("en_GB.UTF-8", "GB"),
        ("en-AU", "AU"),
        ("fr_CA.utf8@euro", "CA"),
        ("ga_IE@euro", "IE"),
        ("zh_Hant_TW", "TW"),
        ("zh-Hans-CN", "CN"),
        ("en_NZ.ISO8859-1", "NZ"),
        ("C", None),
        ("POSIX", None),
        ("C.UTF-8", None),
        ("", None),
        ("en", None),
        ("es_419", None),
        ("English_United States.1252", None),
    ],
)
def test_country_from_locale(locale_name: str, expected: str | None) -> None:
    assert country_from_locale(locale_name) == expected


def test_the_what_to_expect_line_is_there() -> None:
    assert "free and confidential" in DATA.what_to_expect


# --- the validator --------------------------------------------------------------------------------

GOOD = resource_path("helplines.toml").read_text(encoding="utf-8")


def test_the_bundled_file_reparses() -> None:
    assert parse_helplines(GOOD) == DATA


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("last_checked = 2026-11-27", 'last_checked = "2026-11-27"', "date"),
        ("last_checked = 2026-11-27", "last_checked = 2026-11-27T10:00:00", "date"),
        ('code = "US"', 'code = "usa"', "two capital letters"),
        ('code = "CA"', 'code = "US"', "twice"),
        ('emergency = "911"', 'emergency = "nine-one-one"', "digits"),
        ('phone = "116 123"', 'phone = "116 123 (free)"', "digits"),
        ('text = "85258"', 'text = "text SHOUT"', "digits"),
        ('url = "https://findahelpline.com"', 'url = "findahelpline.com"', "http"),
        ('email = "jo@samaritans.org"', 'email = "jo at samaritans"', "email"),
        ("  verified = false", "  verified = 0", "true or false"),
        (
            'notes = "This number is not yet confirmed by our research."',
            'notes = ""',
            "unverified",
        ),
        ("[find_help_elsewhere]", "[elsewhere]", "unknown"),
        ('name = "Shout"', 'name = "Shout"\nfax = "1"', "unknown"),
    ],
)
def test_bad_helpline_files_are_rejected(old: str, new: str, fragment: str) -> None:
    assert old in GOOD
    with pytest.raises(ContentError) as info:
        parse_helplines(GOOD.replace(old, new, 1))
    assert fragment.lower() in str(info.value).lower()


def test_a_country_without_lines_is_rejected() -> None:
    text = re.sub(r"(code = \"AU\"[^\[]*)\[\[country\.line\]\][^\[]*", r"\1", GOOD)
    with pytest.raises(ContentError, match="at least one"):
        parse_helplines(text)


def test_not_toml_is_rejected() -> None:
    with pytest.raises(ContentError, match="TOML"):
        parse_helplines("[[country]\n")


def test_source_urls_of_helplines_come_from_the_reference() -> None:
    for line in _all_lines():
        if line.url and line.verified:
            host = re.sub(r"^https://", "", line.url)
            assert any(host in url for url in _reference_texts()), line.url


def _reference_texts() -> list[str]:
    from .content_lint import REFERENCE_SOURCES

    return [REFERENCE_SOURCES.read_text(encoding="utf-8")]


def test_url_check_helper() -> None:
    assert url_is_from_reference("https://pmc.ncbi.nlm.nih.gov/articles/PMC9095475")
    assert not url_is_from_reference("https://example.org/made-up")
