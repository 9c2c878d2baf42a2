"""Full-text search over the articles: words, accents, case, empty queries, snippets."""

from __future__ import annotations

import pytest

from companion.content.articles import Article, load_articles, parse_article, plain_text, search

ARTICLES = load_articles()


def _article(slug: str, title: str, body: str, order: int, summary: str = "A page.") -> Article:
    text = (
        f'+++\ntitle = "{title}"\nsummary = "{summary}"\nreading_minutes = 1\ncontent_note = ""\n'
        'related = []\nsources = [{ text = "A source", url = "https://example.org" }]\n'
        f"last_reviewed = 2026-11-27\norder = {order}\n+++\n{body}"
    )
    return parse_article(slug, text)


SMALL = [
    _article("cafe", "Coffee", "We met at the Café Crème near the **Zürich** station.\n", 1),
    _article("naive", "Naïve questions", "Plain words about sleep and rest.\n", 2),
    _article("sleep", "Sleep", "Notes about sleep.\n", 3, summary="All about resting."),
]


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query_returns_everything_in_order(query: str) -> None:
    results = search(ARTICLES, query)
    assert [a for a, _ in results] == ARTICLES
    assert all(snippet == a.summary for a, snippet in results)


def test_finds_words_in_the_bundled_articles() -> None:
    slugs = [a.slug for a, _ in search(ARTICLES, "esketamine")]
    assert "treatment-options" in slugs
    assert [a.slug for a, _ in search(ARTICLES, "hippocampus")] == ["stress-system-and-brain"]


def test_case_insensitive() -> None:
    assert search(ARTICLES, "ESKETAMINE") == search(ARTICLES, "esketamine")
    assert search(ARTICLES, "ECT") == search(ARTICLES, "ect")


def test_accent_insensitive_both_ways() -> None:
    assert [a.slug for a, _ in search(SMALL, "cafe creme")] == ["cafe"]
    assert [a.slug for a, _ in search(SMALL, "ZURICH")] == ["cafe"]
    assert [a.slug for a, _ in search(SMALL, "naive")] == ["naive"]
    # an accented query finds unaccented text too
    assert [a.slug for a, _ in search(ARTICLES, "ésketamine")] == [
        a.slug for a, _ in search(ARTICLES, "esketamine")
    ]


def test_all_words_must_match() -> None:
    assert search(SMALL, "sleep zurich") == []
    assert [a.slug for a, _ in search(SMALL, "sleep plain")] == ["naive"]


def test_no_match_returns_nothing() -> None:
    assert search(ARTICLES, "xylophone-quasar") == []


def test_title_matches_rank_first() -> None:
    slugs = [a.slug for a, _ in search(SMALL, "sleep")]
    assert slugs == ["sleep", "naive"]


def test_snippet_shows_the_match_in_the_original_text() -> None:
    ((_, snippet),) = search(SMALL, "creme")
    assert "Café Crème" in snippet
    assert "**" not in snippet
    for article, snippet in search(ARTICLES, "thyroid"):
        assert "thyroid" in snippet.lower(), article.slug
        assert "](" not in snippet and "companion:" not in snippet
        assert len(snippet) <= 260


def test_snippet_falls_back_to_the_summary_for_title_only_matches() -> None:
    ((article, snippet),) = search(SMALL, "coffee")
    assert snippet == article.summary


def test_plain_text_strips_markdown() -> None:
    text = plain_text("## Head\n\n- **bold** and [link](companion:tool/help) and _it_\n")
    assert text.split() == ["Head", "bold", "and", "link", "and", "it"]


def test_very_long_queries_are_safe() -> None:
    assert isinstance(search(ARTICLES, "a " * 10_000), list)
