"""The bundled questionnaires load, match the published instruments, and bad files fail clearly.

Every malformed file raises ContentError naming the file and the field; nothing else escapes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.content import ContentError, resource_path
from companion.content.questionnaires import (
    INSTRUMENTS,
    Questionnaire,
    get_questionnaire,
    load_questionnaire_file,
    load_questionnaires,
    loinc_is_valid,
    parse_questionnaire,
)

from .content_lint import SOURCE_ARTICLE, ngrams, shared_runs, unsafe_messaging

FOLDER = resource_path("questionnaires")
PHQ9 = (FOLDER / "phq9.toml").read_text(encoding="utf-8")
ACE = (FOLDER / "ace.toml").read_text(encoding="utf-8")
WHO5 = (FOLDER / "who5.toml").read_text(encoding="utf-8")


def _fails(text: str, *, name: str = "phq9.toml") -> str:
    with pytest.raises(ContentError) as info:
        parse_questionnaire(text, name)
    return str(info.value)


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _drop_item(text: str, item_id: str) -> str:
    block = re.search(rf'\[\[items\]\]\nid = "{item_id}"\n.*?(?=\n\[\[)', text, flags=re.S)
    assert block is not None
    return text.replace(block.group(0) + "\n", "", 1)


# --- the bundled files ---------------------------------------------------------------------------


def test_every_published_instrument_is_bundled_in_order() -> None:
    assert [q.id for q in load_questionnaires()] == list(INSTRUMENTS)
    assert sorted(p.stem for p in FOLDER.glob("*.toml")) == sorted(INSTRUMENTS)


@pytest.mark.parametrize("qid", list(INSTRUMENTS))
def test_each_file_matches_its_published_instrument(qid: str) -> None:
    q = get_questionnaire(qid)
    published = INSTRUMENTS[qid]
    assert len(q.scored_items) == published.scored_items
    for item in q.scored_items:
        assert item.values == tuple(sorted(published.values, reverse=q.id == "who5"))
    assert q.notice.strip() and q.sources and q.sources[0].url.startswith("https://")
    assert q.checked.isoformat() == "2026-12-04"
    assert q.version >= 1
    if q.bands:
        assert q.bands[0].min == q.min_total and q.bands[-1].max == q.max_total
        covered = [t for band in q.bands for t in range(band.min, band.max + 1)]
        assert covered == list(range(q.min_total, q.max_total + 1))
    else:
        assert q.interpretation


def test_the_totals_and_ranges_are_the_published_ones() -> None:
    ranges = {
        q.id: (q.min_total, q.max_total * q.scoring.multiplier) for q in load_questionnaires()
    }
    assert ranges == {
        "phq9": (0, 27),
        "gad7": (0, 21),
        "pcl5": (0, 80),
        "ace": (0, 10),
        "who5": (0, 100),
    }


def test_the_severity_bands_are_the_published_cut_offs() -> None:
    edges = {q.id: [(b.min, b.max) for b in q.bands] for q in load_questionnaires()}
    assert edges["phq9"] == [(0, 4), (5, 9), (10, 14), (15, 19), (20, 27)]
    assert edges["gad7"] == [(0, 4), (5, 9), (10, 14), (15, 21)]
    assert edges["pcl5"] == [(0, 30), (31, 33), (34, 80)]
    assert edges["who5"] == [(0, 7), (8, 12), (13, 25)]  # 28% and 50% in the shown percentage
    assert edges["ace"] == []


def test_recall_and_minimum_intervals() -> None:
    timing = {
        q.id: (q.recall_days, q.min_interval_days, q.default_interval_days)
        for q in load_questionnaires()
    }
    assert timing == {
        "phq9": (14, 14, 14),
        "gad7": (14, 14, 14),
        "pcl5": (30, 30, 30),
        "ace": (0, 0, 0),  # asked once, never again automatically
        "who5": (14, 14, 0),
    }


def test_only_phq9_question_9_carries_the_self_harm_flag() -> None:
    flagged = [(q.id, i.id, i.flag) for q in load_questionnaires() for i in q.items if i.flag]
    assert flagged == [("phq9", "9", "self-harm")]


def test_loinc_codes_are_the_verified_ones() -> None:
    panels = {q.id: (q.loinc_panel, q.loinc_total) for q in load_questionnaires()}
    assert panels == {
        "phq9": ("44249-1", "44261-6"),
        "gad7": ("69737-5", "70274-6"),
        "pcl5": ("101697-1", "101698-9"),
        "ace": ("82813-7", ""),
        "who5": ("", ""),
    }
    phq9 = get_questionnaire("phq9")
    assert [i.code for i in phq9.items] == [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
        "44258-2", "44252-5", "44253-3", "44260-8", "69722-7",
    ]  # fmt: skip
    assert [o.code for o in phq9.items[0].options] == [
        "LA6568-5",
        "LA6569-3",
        "LA6570-1",
        "LA6571-9",
    ]
    ace = get_questionnaire("ace")
    # separation/divorce (6) and household substance use (8) could not be verified: left out
    assert [i.code for i in ace.items] == [
        "82814-5", "82815-2", "82816-0", "82817-8", "82818-6",
        "", "82820-2", "", "82822-8", "82823-6",
    ]  # fmt: skip
    for q in load_questionnaires():
        for code in (q.loinc_panel, q.loinc_total, *(i.code for i in q.items)):
            assert code == "" or loinc_is_valid(code)


# The official wording is pinned: changing any instruction, question or answer must be a
# deliberate act that re-checks the source and bumps the instrument version.
WORDING = {
    ("phq9", 1): "b9d399fa3c9d",
    ("gad7", 1): "7ef4f17ad9fd",
    ("pcl5", 1): "5f9ef868c641",
    ("ace", 1): "eff22264b676",
    ("who5", 1): "31083aad88c4",
}


def _wording_hash(q: Questionnaire) -> str:
    parts = [q.instructions, q.stem]
    for item in q.items:
        parts.append(item.text)
        parts.extend(f"{o.value}={o.label}" for o in item.options)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


@pytest.mark.parametrize("qid", list(INSTRUMENTS))
def test_official_wording_is_unchanged_unless_the_version_is_bumped(qid: str) -> None:
    q = get_questionnaire(qid)
    assert WORDING.get((q.id, q.version)) == _wording_hash(q), (
        f"The {q.name} wording changed. Re-check it word for word against its source, update "
        "'checked', bump 'version', and pin the new hash here."
    )


def test_a_few_words_checked_by_hand() -> None:
    phq9 = get_questionnaire("phq9")
    assert phq9.instructions == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert phq9.item("9").text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [o.label for o in phq9.item("1").options] == [
        "Not at all", "Several days", "More than half the days", "Nearly every day",
    ]  # fmt: skip
    assert not phq9.item("difficulty").scored
    pcl5 = get_questionnaire("pcl5")
    assert pcl5.stem == "In the past month, how much were you bothered by:"
    assert pcl5.item("17").text == "Being “superalert” or watchful or on guard?"
    who5 = get_questionnaire("who5")
    assert who5.item("1").options[0].label == "All of the time"
    assert who5.scoring.multiplier == 4
    ace = get_questionnaire("ace")
    assert ace.instructions == "While you were growing up, during your first 18 years of life:"
    assert ace.skip_label == "Prefer not to say"
    assert "cannot predict any one person's future" in ace.content_note
    assert "cannot predict any one person's future" in ace.interpretation


# --- our own words: safe, sourced, not copied ---------------------------------------------------

SOURCE_GRAMS = ngrams(SOURCE_ARTICLE.read_text(encoding="utf-8"))


def _our_words(q: Questionnaire) -> list[str]:
    texts = [q.about, q.content_note, q.result_note, q.interpretation, *q.deviations]
    texts.append(q.scoring.source)
    texts += [band.meaning for band in q.bands]
    if q.change is not None:
        texts.append(q.change.source)
    return [t for t in texts if t]


@pytest.mark.parametrize("qid", list(INSTRUMENTS))
def test_our_words_are_safe_and_not_copied(qid: str) -> None:
    for text in _our_words(get_questionnaire(qid)):
        assert unsafe_messaging(text) == []
        assert shared_runs(text, SOURCE_GRAMS) == []


@pytest.mark.parametrize("qid", list(INSTRUMENTS))
def test_band_meanings_never_read_as_a_diagnosis(qid: str) -> None:
    q = get_questionnaire(qid)
    for text in [b.meaning for b in q.bands] + [q.interpretation]:
        lowered = text.casefold()
        for phrase in (
            "you have ",
            "you are depressed",
            "you have ptsd",
            "diagnosis of",
            "you suffer",
        ):
            assert phrase not in lowered, (qid, text)


# --- malformed files -----------------------------------------------------------------------------


def test_the_unchanged_text_parses() -> None:
    assert parse_questionnaire(PHQ9, "phq9.toml").id == "phq9"


def test_wrong_item_count_names_file_and_field() -> None:
    message = _fails(_drop_item(PHQ9, "9"))
    assert message == (
        "phq9.toml, items: there are 8 scored questions, but the published instrument has 9."
    )


def test_an_extra_scored_question_is_refused() -> None:
    extra = PHQ9.replace(
        'id = "difficulty"', 'id = "extra"\ntext = "Extra"\n\n[[items]]\nid = "difficulty"', 1
    )
    extra = _replace(extra, "scored = false\n", "")
    extra = re.sub(r"\n  \[\[items\.options\]\].*?(?=\n\n\[\[bands)", "", extra, flags=re.S)
    assert "published instrument has 9" in _fails(extra)


def test_unknown_response_value_is_refused() -> None:
    text = _replace(
        PHQ9, 'value = 3\nlabel = "Nearly every day"', 'value = 4\nlabel = "Nearly every day"'
    )
    assert _fails(text) == (
        "phq9.toml, options: the published answers score 0, 1, 2, 3; these do not match "
        "(unknown value 4)."
    )


def test_a_missing_answer_is_refused() -> None:
    text = _replace(
        PHQ9, '[[options]]\nvalue = 3\nlabel = "Nearly every day"\ncode = "LA6571-9"\n\n', ""
    )
    assert "phq9.toml, options: the published answers score 0, 1, 2, 3" in _fails(text)


def test_duplicate_answer_values_are_refused() -> None:
    text = _replace(PHQ9, 'value = 1\nlabel = "Several days"', 'value = 0\nlabel = "Several days"')
    assert _fails(text) == "phq9.toml, options: two answers have the same value."


def test_overlapping_bands_are_refused() -> None:
    text = _replace(PHQ9, 'min = 5\nmax = 9\nlabel = "Mild"', 'min = 4\nmax = 9\nlabel = "Mild"')
    assert _fails(text) == "phq9.toml, bands: “Minimal” (0-4) and “Mild” (4-9) overlap."


def test_gapped_bands_are_refused() -> None:
    text = _replace(
        PHQ9, 'min = 10\nmax = 14\nlabel = "Moderate"', 'min = 11\nmax = 14\nlabel = "Moderate"'
    )
    assert _fails(text) == (
        "phq9.toml, bands: no band covers 10-10 (between “Mild” and “Moderate”)."
    )


def test_bands_must_start_at_the_lowest_and_end_at_the_highest_total() -> None:
    low = _replace(
        PHQ9, 'min = 0\nmax = 4\nlabel = "Minimal"', 'min = 1\nmax = 4\nlabel = "Minimal"'
    )
    assert _fails(low) == "phq9.toml, bands: the first band starts at 1, not at 0."
    high = _replace(
        PHQ9, 'min = 20\nmax = 27\nlabel = "Severe"', 'min = 20\nmax = 30\nlabel = "Severe"'
    )
    assert _fails(high) == "phq9.toml, bands: the last band ends at 30, not at 27."


def test_a_band_that_ends_before_it_starts_is_refused() -> None:
    text = _replace(PHQ9, 'min = 5\nmax = 9\nlabel = "Mild"', 'min = 9\nmax = 5\nlabel = "Mild"')
    assert _fails(text) == "phq9.toml, bands[1]: starts at 9 but ends at 5."


def test_missing_notice_is_refused() -> None:
    without = re.sub(r"^notice = .*\n", "", PHQ9, flags=re.M)
    assert _fails(without) == "phq9.toml, notice: is missing."
    empty = re.sub(r"^notice = .*$", 'notice = "  "', PHQ9, flags=re.M)
    assert _fails(empty) == "phq9.toml, notice: is empty."


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('loinc_panel = "44249-1"', 'loinc_panel = "44249-2"', "loinc_panel"),  # check digit
        ('loinc_total = "44261-6"', 'loinc_total = "4426-16"', "loinc_total"),
        ('code = "44250-9"', 'code = "LOINC 44250-9"', "items[0].code"),
        ('code = "44260-8"', "code = 44260", "items[8].code"),
    ],
)
def test_bad_loinc_codes_are_refused(old: str, new: str, field: str) -> None:
    message = _fails(_replace(PHQ9, old, new))
    assert message.startswith(f"phq9.toml, {field}: ")
    assert "LOINC" in message


def test_bad_loinc_answer_code_is_refused() -> None:
    message = _fails(_replace(PHQ9, 'code = "LA6568-5"', 'code = "6568-5"'))
    assert message == "phq9.toml, options[0].code: “6568-5” is not a LOINC answer code (LAnnnn-n)."


def test_loinc_check_digit() -> None:
    for good in ("44249-1", "44261-6", "101698-9", "69722-7", "82813-7", "70274-6"):
        assert loinc_is_valid(good)
    for bad in ("44249-2", "44249", "44249-", "-1", "4424a-1", "12345678-0", " 44249-1"):
        assert not loinc_is_valid(bad)


MALFORMED = [
    ('id = "phq9"', 'id = "phq10"', "phq9.toml, id: “phq10” is not one of the instruments"),
    ('name = "PHQ-9"', 'name = "PHQ-9"\ncolour = "red"', "phq9.toml, top level: unknown field"),
    ('id = "2"', 'id = "1"', "phq9.toml, items: two questions have the same id."),
    (
        'flag = "self-harm"',
        'flag = "danger"',
        "phq9.toml, items[8].flag: must be one of self-harm.",
    ),
    ("checked = 2026-12-04", 'checked = "last week"', "phq9.toml, checked: must be a date"),
    ("version = 1", "version = 0", "phq9.toml, version: must be a whole number from 1"),
    (
        "recall_days = 14",
        "recall_days = 30",
        "phq9.toml, min_interval_days: 14 days is shorter than the recall window of 30 days.",
    ),
    (
        "min_baseline = 10\n",
        "",
        "phq9.toml, change.min_baseline: is needed with response or remission.",
    ),
    (
        'missing = "prorate"',
        'missing = "guess"',
        "phq9.toml, scoring.missing: must be one of none, prorate, count.",
    ),
    (
        "max_missing = 2",
        "max_missing = 9",
        "phq9.toml, scoring.max_missing: must leave at least one answered question",
    ),
    ('direction = "lower-is-better"', 'direction = "down"', "phq9.toml, change.direction:"),
    (
        "scored = false\n",
        "scored = true\n",
        "phq9.toml, items[9].options: only an unscored question may have its own answers.",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), MALFORMED)
def test_each_malformed_field_gets_one_clear_sentence(old: str, new: str, expected: str) -> None:
    assert _fails(_replace(PHQ9, old, new)).startswith(expected)


def test_related_articles_exist() -> None:
    from companion.content.articles import load_articles

    slugs = {article.slug for article in load_articles()}
    related = {q.id: q.related_article for q in load_questionnaires() if q.related_article}
    assert related == {"ace": "childhood-trauma-and-depression"}
    assert set(related.values()) <= slugs


def test_a_bad_related_article_is_refused() -> None:
    text = _replace(
        ACE, 'related_article = "childhood-trauma-and-depression"', 'related_article = "../x"'
    )
    assert _fails(text, name="ace.toml") == (
        "ace.toml, related_article: must be an article's short name, such as “x-y”."
    )


def test_a_flag_on_an_unscored_question_is_refused() -> None:
    text = _replace(PHQ9, 'flag = "self-harm"\n', "")
    text = _replace(text, "scored = false\n", 'scored = false\nflag = "self-harm"\n')
    assert _fails(text) == "phq9.toml, items[9].flag: needs a scored question with answers from 0."


def test_ace_needs_bands_or_an_interpretation_but_not_both() -> None:
    no_meaning = re.sub(r"\[interpretation\]\nmeaning = .*\n", "", ACE)
    assert _fails(no_meaning, name="ace.toml").startswith("ace.toml, bands: give [[bands]]")
    both = ACE + '\n[[bands]]\nmin = 0\nmax = 10\nlabel = "All"\nmeaning = "All."\n'
    assert _fails(both, name="ace.toml").startswith("ace.toml, interpretation: give [[bands]]")


def test_a_percentage_shown_without_a_change_rule_is_refused() -> None:
    text = WHO5.split("[change]")[0]
    assert _fails(text, name="who5.toml") == (
        "who5.toml, scoring.multiplier: a shown percentage needs a [change] rule."
    )


def test_sources_are_required() -> None:
    text = re.sub(r"^sources = \[\n(?:.*\n)*?\]\n", "sources = []\n", PHQ9, flags=re.M)
    assert _fails(text) == (
        "phq9.toml, sources: name at least one source the wording was checked against."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff\xfe", "phq9.toml, file: it is not UTF-8 text."),
        ("", "phq9.toml, file: it is empty."),
        ("id = ", "phq9.toml, file: it is not valid TOML"),
        ("a\x00b", "phq9.toml, file: it contains binary data, not text."),
        (b"x" * (200 * 1024), "phq9.toml, file: it is larger than 128 KiB"),
    ],
)
def test_unreadable_files(raw: str | bytes, expected: str) -> None:
    assert _fails(raw).startswith(expected)  # type: ignore[arg-type]


def test_a_file_whose_id_is_not_its_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gad7.toml"
    path.write_text(PHQ9, encoding="utf-8")
    with pytest.raises(
        ContentError, match=r"^gad7\.toml, id: “phq9” does not match the file name\.$"
    ):
        load_questionnaire_file(path)


def test_a_missing_file_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"^phq9\.toml, file: it could not be read"):
        load_questionnaire_file(tmp_path / "phq9.toml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_fails_only_with_content_error(text: str) -> None:
    try:
        parse_questionnaire(text, "x.toml")
    except ContentError as exc:
        assert str(exc).startswith("x.toml, ")


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(PHQ9) - 1),
    st.sampled_from(["", "=", "]", "\n", "9", '"']),
)
def test_damaged_phq9_never_escapes_as_another_error(position: int, insert: str) -> None:
    try:
        parse_questionnaire(PHQ9[:position] + insert + PHQ9[position + 1 :], "phq9.toml")
    except ContentError as exc:
        assert str(exc).startswith("phq9.toml, ")
