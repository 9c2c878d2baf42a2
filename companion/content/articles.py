"""Psychoeducation articles: Markdown with a TOML front-matter block, plus full-text search.

File format (``resources/articles/<slug>.md``)::

    +++
    title = "What treatment-resistant depression means"
    summary = "One sentence."
    reading_minutes = 3                  # honest, at about 200 words a minute
    content_note = ""                    # shown before the page; required for heavy pages
    related = ["companion:exercise/five-senses", "companion:tool/diary"]
    sources = [{ text = "Author. Title. Journal year.", url = "https://..." }]
    last_reviewed = 2026-11-27           # a TOML date
    order = 1                            # position in the list
    +++
    Body in CommonMark: ## headings and below (the title is shown from the front matter),
    lists, **bold**, and links to companion: URLs only. No HTML, no images, no web links
    (the app is offline; citations live in ``sources``).

Internal links are ``companion:exercise/<id>``, ``companion:article/<slug>`` and
``companion:tool/<name>`` with ``<name>`` one of :data:`TOOLS`. Loading the bundled set checks
that every one of them resolves.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion import i18n
from companion.content import (
    ContentError,
    Source,
    describe,
    has_control_chars,
    is_slug,
    localized,
    normalise_for_search,
    parse_sources,
    resource_path,
)
from companion.i18n import _

__all__ = [
    "TOOLS",
    "Article",
    "check_links",
    "get_article",
    "links_in",
    "load_articles",
    "match_spans",
    "parse_article",
    "plain_text",
    "search",
    "word_count",
]

TOOLS = ("diary", "medications", "checkups", "safety-plan", "help", "reports", "exercises")
MAX_ARTICLE_BYTES = 256 * 1024

_KEYS = {
    "title",
    "summary",
    "reading_minutes",
    "content_note",
    "related",
    "sources",
    "last_reviewed",
    "order",
}
_LINK_RE = re.compile(r"companion:[^\s)\]>\"'`]*")
_VALID_LINK_RE = re.compile(r"^companion:(exercise|article|tool)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_HTML_RE = re.compile(r"<[A-Za-z!/?]")
_WORD_RE = re.compile(r"[A-Za-z0-9À-ÿ]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    summary: str
    reading_minutes: int
    content_note: str
    related: tuple[str, ...]
    sources: tuple[Source, ...]
    last_reviewed: dt.date
    order: int
    body: str

    @property
    def word_count(self) -> int:
        return word_count(self.body)

    @property
    def plain_text(self) -> str:
        return plain_text(self.body)


# --- parsing -------------------------------------------------------------------------------------


def parse_article(slug: str, text: str) -> Article:
    """Parse one article file; raise ContentError naming the slug if anything is off."""
    where = _("Article “{name}”").format(name=describe(slug))
    if not is_slug(slug):
        raise ContentError(
            _("{where}: the file name must be a lower-case slug.").format(where=where)
        )
    if len(text) > MAX_ARTICLE_BYTES:
        raise ContentError(_("{where}: the file is larger than 256 KiB.").format(where=where))
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "+++":
        raise ContentError(
            _("{where}: the file must start with a +++ front-matter line.").format(where=where)
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise ContentError(
            _("{where}: the front matter has no closing +++ line.").format(where=where)
        ) from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise ContentError(
            _("{where}: the front matter is not valid TOML ({problem}).").format(
                where=where, problem=describe(exc, 120)
            )
        ) from None
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    return _article_from(slug, meta, body, where)


def _article_from(slug: str, meta: dict[str, Any], body: str, where: str) -> Article:
    unknown = set(meta) - _KEYS
    if unknown:
        raise ContentError(
            _("{where}: unknown front-matter field “{field}”.").format(
                where=where, field=describe(sorted(unknown)[0])
            )
        )
    missing = sorted(_KEYS - set(meta))
    if missing:
        raise ContentError(
            _("{where}: the front matter is missing “{field}”.").format(
                where=where, field=missing[0]
            )
        )

    title = _line(meta["title"], where, "title", 120)
    summary = _line(meta["summary"], where, "summary", 300)
    content_note = meta["content_note"]
    if not isinstance(content_note, str) or len(content_note) > 500:
        raise ContentError(
            _("{where}: the content note must be text of at most 500 characters.").format(
                where=where
            )
        )

    minutes = meta["reading_minutes"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 60:
        raise ContentError(
            _("{where}: reading_minutes must be a whole number from 1 to 60.").format(where=where)
        )
    order = meta["order"]
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 10_000:
        raise ContentError(
            _("{where}: order must be a whole number from 0 to 10000.").format(where=where)
        )
    reviewed = meta["last_reviewed"]
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        raise ContentError(
            _("{where}: last_reviewed must be a date such as 2026-11-27.").format(where=where)
        )

    related_raw = meta["related"]
    if not isinstance(related_raw, list) or not all(isinstance(r, str) for r in related_raw):
        raise ContentError(
            _("{where}: related must be a list of companion: links.").format(where=where)
        )
    for link in related_raw:
        if not _VALID_LINK_RE.match(link):
            raise ContentError(
                _("{where}: “{link}” is not a valid companion: link.").format(
                    where=where, link=describe(link)
                )
            )
    sources = parse_sources(meta["sources"], where, require_url=True)

    _check_body(body, where)
    return Article(
        slug=slug,
        title=title,
        summary=summary,
        reading_minutes=minutes,
        content_note=content_note.strip(),
        related=tuple(related_raw),
        sources=sources,
        last_reviewed=reviewed,
        order=order,
        body=body,
    )


def _line(value: object, where: str, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ContentError(
            _("{where}: the {name} must be text of 1 to {limit} characters.").format(
                where=where, name=name, limit=limit
            )
        )
    if has_control_chars(value) or "\n" in value:
        raise ContentError(
            _("{where}: the {name} must be a single line.").format(where=where, name=name)
        )
    return value.strip()


def _check_body(body: str, where: str) -> None:
    if not body.strip():
        raise ContentError(_("{where}: the body is empty.").format(where=where))
    if has_control_chars(body):
        raise ContentError(_("{where}: the body contains control characters.").format(where=where))
    if _HTML_RE.search(body):
        raise ContentError(
            _("{where}: the body contains HTML, which the viewer does not show.").format(
                where=where
            )
        )
    if "![" in body:
        raise ContentError(
            _("{where}: the body contains an image; articles are text only.").format(where=where)
        )
    if re.search(r"https?://", body):
        raise ContentError(
            _("{where}: the body links to the web; put citations in sources.").format(where=where)
        )
    if re.search(r"^# ", body, flags=re.MULTILINE):
        raise ContentError(
            _("{where}: use ## headings in the body; the title is shown already.").format(
                where=where
            )
        )
    for _text, target in _MD_LINK_RE.findall(body):
        if not _VALID_LINK_RE.match(target):
            raise ContentError(
                _("{where}: the link “{link}” is not a companion: link.").format(
                    where=where, link=describe(target)
                )
            )
    for link in _LINK_RE.findall(body):
        if not _VALID_LINK_RE.match(link):
            raise ContentError(
                _("{where}: “{link}” is not a valid companion: link.").format(
                    where=where, link=describe(link)
                )
            )


# --- text helpers --------------------------------------------------------------------------------


def plain_text(markdown: str) -> str:
    """The words a reader sees: link text kept, targets, emphasis and heading marks dropped."""
    text = _MD_LINK_RE.sub(r"\1", markdown)
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    text = re.sub(r"(?<!\w)_(\S[^_]*?)_(?!\w)", r"\1", text)
    return text


def word_count(markdown: str) -> int:
    return len(_WORD_RE.findall(plain_text(markdown)))


def links_in(article: Article) -> list[str]:
    """Every companion: link in the body and in ``related``, in order, without duplicates."""
    seen: dict[str, None] = {}
    for link in [*_LINK_RE.findall(article.body), *article.related]:
        seen.setdefault(link, None)
    return list(seen)


def check_links(articles: list[Article], exercise_ids: set[str] | frozenset[str]) -> list[str]:
    """Human-readable descriptions of every internal link that points nowhere."""
    slugs = {a.slug for a in articles}
    broken: list[str] = []
    for article in articles:
        for link in links_in(article):
            match = _VALID_LINK_RE.match(link)
            if match is None:
                broken.append(f"{article.slug}: {link} is malformed")
                continue
            kind, name = match.groups()
            known = {"exercise": exercise_ids, "article": slugs, "tool": set(TOOLS)}[kind]
            if name not in known:
                broken.append(f"{article.slug}: {link} points to nothing")
    return broken


# --- search --------------------------------------------------------------------------------------


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, and for each folded character its index in ``text``."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = char.lower() if char.isascii() else normalise_for_search(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def _snippet(text: str, start: int, end: int, width: int = 180) -> str:
    before = max(0, start - width // 3)
    after = min(len(text), end + width - (end - start) - (start - before))
    if before > 0:
        space = text.rfind(" ", 0, before + 1)
        before = space + 1 if space >= 0 and before - space < 20 else before
    if after < len(text):
        space = text.find(" ", after)
        after = space if space != -1 and space - after < 20 else after
    core = " ".join(text[before:after].split())
    return ("…" if before > 0 else "") + core + ("…" if after < len(text) else "")


@functools.lru_cache(maxsize=512)
def _search_index(article: Article) -> tuple[str, str, str, str, tuple[int, ...]]:
    """Folded title, summary and body of an article (folding every keystroke is slow)."""
    body_text = " ".join(article.plain_text.split())
    body, origin = _fold_with_map(body_text)
    return (
        normalise_for_search(article.title),
        normalise_for_search(article.summary),
        body_text,
        body,
        tuple(origin),
    )


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the query's words occur in ``text`` (case- and accent-insensitive), as sorted,
    non-overlapping ``(start, end)`` indices into ``text``, for highlighting a snippet."""
    terms = [t for t in normalise_for_search(query[:200]).split() if t]
    if not terms or not text:
        return []
    folded, origin = _fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            spans.append((origin[start], origin[start + len(term) - 1] + 1))
            start = folded.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def search(articles: list[Article], query: str) -> list[tuple[Article, str]]:
    """Articles containing every word of the query (case- and accent-insensitive), with a snippet.

    Title matches come first, then summary matches, then the rest, each in list order. An empty
    query returns every article with its summary as the snippet.
    """
    terms = normalise_for_search(query[:200]).split()
    if not terms:
        return [(article, article.summary) for article in articles]
    ranked: list[tuple[int, int, Article, str]] = []
    for article in articles:
        title, summary, body_text, body, origin = _search_index(article)
        haystack = f"{title}\n{summary}\n{body}"
        if not all(term in haystack for term in terms):
            continue
        rank = 0 if all(t in title for t in terms) else 1 if all(t in summary for t in terms) else 2
        snippet = article.summary
        for term in terms:
            found = body.find(term)
            if found != -1:
                start = origin[found]
                stop = origin[found + len(term) - 1] + 1
                snippet = _snippet(body_text, start, stop)
                break
        ranked.append((rank, article.order, article, snippet))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [(article, snippet) for _rank, _order, article, snippet in ranked]


# --- the bundled set -----------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(
            _("{name} could not be read as UTF-8 text.").format(name=path.name)
        ) from exc


def _bundled() -> tuple[Article, ...]:
    return _bundled_in(i18n.language())


@functools.cache
def _bundled_in(language: str) -> tuple[Article, ...]:
    """The articles, each in ``language`` where a translation exists (``localized``)."""
    from companion.content.exercises import load_exercises

    articles = [
        parse_article(p.stem, _read(localized("articles", p.name)))
        for p in sorted(resource_path("articles").glob("*.md"))
    ]
    orders = [a.order for a in articles]
    if len(set(orders)) != len(orders):
        raise ContentError(_("Two bundled articles share the same order number."))
    articles.sort(key=lambda a: a.order)
    broken = check_links(articles, {e.id for e in load_exercises()})
    if broken:
        raise ContentError(
            _("A bundled article has a broken link ({link}).").format(link=broken[0])
        )
    return tuple(articles)


def load_articles() -> list[Article]:
    """Every bundled article, validated and sorted by ``order``."""
    return list(_bundled())


def get_article(slug: str) -> Article:
    for article in _bundled():
        if article.slug == slug:
            return article
    raise KeyError(slug)
