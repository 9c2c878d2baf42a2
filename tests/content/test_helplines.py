"""The bundled crisis lines validate, and an unknown country still gets somewhere to turn."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from companion.content import ContentError, resource_path
from companion.content.helplines import (
    ISO_3166_CODES,
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
#: EU countries added with a number from the service's own page (issue 19)
EU_COUNTRIES = {"AT", "BE", "DE", "FI", "FR", "NL", "SE"}
#: re-check every entry at least this often (clinical reference §5.3: every 6-12 months)
MAX_AGE = dt.timedelta(days=400)


def test_every_number_carries_a_source_and_a_check_date_that_is_neither_future_nor_stale() -> None:
    today = dt.date.today()
    for checked in DATA.all_checks():
        assert checked.sources and all(
            s.startswith(("https://", "http://")) for s in checked.sources
        )
        assert checked.verified <= today, "a check date in the future"
        assert today - checked.verified <= MAX_AGE, (
            "A helpline entry was last checked more than 400 days ago: check every number "
            "with the service's own page again and update `verified` in helplines.toml."
        )
    assert DATA.last_checked == min(c.verified for c in DATA.all_checks())


def test_every_country_in_the_reference_and_the_added_eu_countries_is_present_once() -> None:
    codes = [c.code for c in DATA.countries]
    assert len(codes) == len(set(codes))
    assert set(codes) == REFERENCE_COUNTRIES | EU_COUNTRIES
    assert all(code in ISO_3166_CODES for code in codes)


@pytest.mark.parametrize("country", DATA.countries, ids=lambda c: c.code)
def test_each_country_has_an_emergency_number_and_a_line(country: Country) -> None:
    assert country.name
    assert re.fullmatch(r"[0-9]{3}", country.emergency)
    assert all(re.fullmatch(r"[0-9]{3}", n) for n in country.emergency_other)
    assert country.lines
    assert any(line.phone or line.text for line in country.lines)


@pytest.mark.parametrize("code", sorted(EU_COUNTRIES))
def test_eu_countries_show_112(code: str) -> None:
    assert "112" in for_country(code).emergency_numbers


def _all_lines() -> list[HelpLine]:
    return [line for c in (*DATA.countries, DATA.elsewhere) for line in c.lines]


@pytest.mark.parametrize("line", _all_lines(), ids=lambda line: line.name)
def test_numbers_are_well_formed(line: HelpLine) -> None:
    for value in (line.phone, line.text):
        if value:
            assert NUMBER.fullmatch(value), value
            assert re.search(r"[0-9]", value)
    for value in line.phone_other:
        assert NUMBER.fullmatch(value), value
    if line.url:
        assert line.url.startswith("https://")


def test_nothing_on_screen_talks_about_checking() -> None:
    """Verification lives in the file and in these tests, never in the crisis screen."""
    shown = [DATA.what_to_expect]
    for country in (*DATA.countries, DATA.elsewhere):
        shown.append(country.emergency_notes)
        for line in country.lines:
            shown.extend((line.name, line.notes, line.hours))
    text = " ".join(shown).lower()
    for doubt in ("confirmed", "verified", "unverified", "not sure", "research"):
        assert doubt not in text


def test_the_key_numbers_match_the_reference() -> None:
    def numbers(code: str) -> set[str]:
        return {v for line in for_country(code).lines for v in (line.phone, line.text) if v}

    assert {"988", "741741"} <= numbers("US") and for_country("US").emergency == "911"
    assert "988" in numbers("CA") and for_country("CA").emergency == "911"
    assert {"116 123", "85258"} <= numbers("GB") and for_country("GB").emergency == "999"
    assert "116 123" in numbers("IE")
    assert {"13 11 14", "0477 13 11 14"} <= numbers("AU") and for_country("AU").emergency == "000"
    assert "1737" in numbers("NZ")


def test_the_numbers_the_issue_states_are_there() -> None:
    """Issue 19 §1 and §3: the numbers an auditor confirmed, exactly."""
    assert for_country("NZ").emergency_numbers == ("111",)
    nz = for_country("NZ").lines[0]
    assert (nz.phone, nz.text, nz.hours) == ("1737", "1737", "24/7")
    assert for_country("IE").emergency_numbers == ("112", "999")
    assert any(x.text == "50808" and x.hours == "24/7" for x in for_country("IE").lines)
    veterans = next(x for x in for_country("US").lines if "Veterans" in x.name)
    assert veterans.phone == "988" and veterans.text == "838255" and "press 1" in veterans.notes
    lifeline = next(x for x in for_country("US").lines if x.url)
    assert lifeline.url == "https://988lifeline.org" and lifeline.hours == "24/7"
    shout = next(x for x in for_country("GB").lines if x.name == "Shout")
    assert (shout.text_keyword, shout.text, shout.hours) == ("SHOUT", "85258", "24/7")
    de = for_country("DE").lines[0]
    assert de.phones == ("0800 111 0 111", "0800 111 0 222") and de.hours == "24/7"


def test_find_help_elsewhere_is_the_reference_directory() -> None:
    elsewhere = DATA.elsewhere
    assert elsewhere.code == ""
    assert elsewhere.lines[0].url == "https://findahelpline.com"
    assert elsewhere.lines[0].needs_internet
    assert elsewhere.emergency == "112"
    assert "911" in elsewhere.emergency_notes and "999" in elsewhere.emergency_notes


@pytest.mark.parametrize("code", ["ES", "JP", "ZZ", "", None, "usa", "123", " "])
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
        ("en_ZZ", None),
        ("en_QO", None),
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
        ('code = "US"', 'code = "usa"', "two capital letters"),
        ('code = "US"', 'code = "XX"', "not a country code"),  # an unknown country
        ('code = "CA"', 'code = "US"', "twice"),
        ('emergency = "911"', 'emergency = "nine-one-one"', "digits"),
        ('emergency = "911"', 'emergency = ""', "missing"),  # a missing number
        ('phone = "116 123"', 'phone = "116 123 (free)"', "digits"),
        ('phone_other = ["0800 111 0 222"]', 'phone_other = ["none"]', "digits"),
        ('text = "85258"', 'text = "text SHOUT"', "digits"),
        ('url = "https://findahelpline.com"', 'url = "findahelpline.com"', "http"),
        ('email = "jo@samaritans.org"', 'email = "jo at samaritans"', "email"),
        # unverified entries: no date, not a date, no source, a source that is not a page
        ("  verified = 2026-12-04\n", "\n", "unverified"),
        ("  verified = 2026-12-04", "  verified = true", "unverified"),
        ("  verified = 2026-12-04", '  verified = "2026-12-04"', "date"),
        ("emergency_verified = 2026-12-04\n", "\n", "unverified"),
        (
            '  source = "https://giveusashout.org/about-us/faq/"\n',
            "\n",
            "unverified",
        ),
        (
            'source = "https://giveusashout.org/about-us/faq/"',
            'source = "the Shout website"',
            "web page",
        ),
        ("[find_help_elsewhere]", "[elsewhere]", "unknown"),
        ('name = "Shout"', 'name = "Shout"\nfax = "1"', "unknown"),
        ("what_to_expect =", "last_checked = 2026-11-27\nwhat_to_expect =", "unknown"),
    ],
)
def test_bad_helpline_files_are_rejected(old: str, new: str, fragment: str) -> None:
    assert old in GOOD
    with pytest.raises(ContentError) as info:
        parse_helplines(GOOD.replace(old, new, 1))
    assert fragment.lower() in str(info.value).lower()


def test_a_country_whose_lines_have_nothing_to_call_or_text_is_rejected() -> None:
    text = GOOD.replace(
        '  phone = "13 11 14"\n  text = "0477 13 11 14"\n', '  url = "https://x.org"\n'
    )
    with pytest.raises(ContentError, match="call or text"):
        parse_helplines(text)


def test_a_country_without_lines_is_rejected() -> None:
    start = GOOD.index("[[country.line]]", GOOD.index('code = "AU"'))
    end = GOOD.index("# --- New Zealand")
    text = GOOD[:start] + GOOD[end:]
    with pytest.raises(ContentError, match="at least one"):
        parse_helplines(text)


def test_not_toml_is_rejected() -> None:
    with pytest.raises(ContentError, match="TOML"):
        parse_helplines("[[country]\n")


def test_url_check_helper() -> None:
    assert url_is_from_reference("https://pmc.ncbi.nlm.nih.gov/articles/PMC9095475")
    assert not url_is_from_reference("https://example.org/made-up")
