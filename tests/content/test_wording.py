"""Wording checks across every bundled text: no copying, no wrong claims, safe messaging."""

from __future__ import annotations

import pytest

from companion.content.articles import load_articles
from companion.content.exercises import load_exercises
from companion.content.helplines import load_helplines

from .content_lint import (
    SEVENTY_FIVE,
    SOURCE_ARTICLE,
    ngrams,
    shared_runs,
    stimulation_called_talk_therapy,
    stimulation_under_talk_heading,
    unsafe_messaging,
)

SOURCE_TEXT = SOURCE_ARTICLE.read_text(encoding="utf-8")
SOURCE_GRAMS = ngrams(SOURCE_TEXT)


def _bundled_texts() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for a in load_articles():
        texts.append(
            (f"article {a.slug}", "\n".join([a.title, a.summary, a.content_note, a.plain_text]))
        )
    for e in load_exercises():
        parts = [e.title, e.summary, e.purpose, *e.cautions, *(s.text for s in e.steps)]
        texts.append((f"exercise {e.id}", "\n".join(parts)))
    h = load_helplines()
    lines = [h.what_to_expect, h.elsewhere.emergency_notes]
    for country in (*h.countries, h.elsewhere):
        lines.append(country.emergency_notes)
        lines.extend(f"{line.name}. {line.notes}" for line in country.lines)
    texts.append(("helplines", "\n".join(lines)))
    return texts


TEXTS = _bundled_texts()
NAMES = [name for name, _ in TEXTS]


def test_the_source_article_is_present_and_long_enough_to_matter() -> None:
    assert len(SOURCE_GRAMS) > 1000


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=NAMES)
def test_no_run_of_eight_words_is_copied_from_the_source_article(name: str, text: str) -> None:
    assert shared_runs(text, SOURCE_GRAMS) == []


def test_copy_check_catches_a_copied_sentence() -> None:
    copied = (
        "As it happens, lots of people stop taking their medication, or they do not take enough."
    )
    assert shared_runs(copied, SOURCE_GRAMS)
    # ...even with different case, punctuation and curly quotes
    assert shared_runs(
        "DON’T be hard on yourself; keeping a mood diary of your symptoms", SOURCE_GRAMS
    )


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=NAMES)
def test_no_seventy_five_percent_claim(name: str, text: str) -> None:
    assert SEVENTY_FIVE.findall(text) == []


def test_seventy_five_check_catches_the_article() -> None:
    assert SEVENTY_FIVE.search(SOURCE_TEXT)
    assert SEVENTY_FIVE.search("a 75 percent higher rate")
    assert SEVENTY_FIVE.search("seventy-five per cent")


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=NAMES)
def test_brain_stimulation_is_never_called_talk_therapy(name: str, text: str) -> None:
    assert stimulation_called_talk_therapy(text) == []


@pytest.mark.parametrize("article", load_articles(), ids=lambda a: a.slug)
def test_brain_stimulation_is_never_listed_under_a_talk_therapy_heading(article: object) -> None:
    assert stimulation_under_talk_heading(article.body) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "wrong",
    [
        "Talk therapy: Employ talk therapies, such as electroconvulsive therapy (ECT).",
        "ECT is a type of talk therapy.",
        "rTMS and VNS are psychotherapies that help.",
        "Talking therapies such as rTMS can help.",
        "Psychotherapy, e.g. VNS, is an option.",
    ],
)
def test_talk_therapy_check_catches_the_error(wrong: str) -> None:
    assert stimulation_called_talk_therapy(wrong)


@pytest.mark.parametrize(
    "right",
    [
        "ECT, rTMS and VNS are not talk therapies.",
        "ECT is a brain-stimulation treatment, not a psychotherapy.",
        "Options: talking therapies, esketamine, and brain-stimulation treatments such as rTMS.",
        "Many people have talk therapy alongside ECT.",
        "The effect of psychotherapy was similar.",
    ],
)
def test_talk_therapy_check_allows_correct_statements(right: str) -> None:
    assert stimulation_called_talk_therapy(right) == []


def test_talk_therapy_check_flags_the_source_article() -> None:
    assert stimulation_called_talk_therapy(SOURCE_TEXT)
    assert stimulation_under_talk_heading("## Talk therapy\n- ECT helps\n")


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=NAMES)
def test_safe_messaging(name: str, text: str) -> None:
    assert unsafe_messaging(text) == []


@pytest.mark.parametrize(
    "bad",
    [
        "He committed suicide.",
        "a successful suicide",
        "after a failed attempt",
        "Every day is worth fighting for!",
        "Think of how brave you are.",
        "You are safe now.",
    ],
)
def test_safe_messaging_lint_catches_bad_phrases(bad: str) -> None:
    assert unsafe_messaging(bad)
