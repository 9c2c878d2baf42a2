"""Bundled content (articles, exercises, helplines) as data, loaded and validated in pure Python.

Nothing here imports Qt: the loaders run in tests, in the CLI and before any window exists. Every
bundled file is validated when it is loaded, so a broken file fails loudly in the test suite
rather than quietly at 2 a.m. in front of someone who needs it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from companion import i18n
from companion.i18n import _

__all__ = ["ContentError", "Source", "normalise_for_search", "resource_path"]


class ContentError(ValueError):
    """A content file is malformed; the message is one plain sentence a person can act on."""


@dataclass(frozen=True, slots=True)
class Source:
    """A citation: the reference as a clinician would write it, and where to read it."""

    text: str
    url: str


def _resources_root() -> Path:
    from companion.paths import resources_dir

    return resources_dir()


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource (``resources/`` in a checkout); refuses to step outside it."""
    root = _resources_root()
    path = root.joinpath(*parts)
    if not path.resolve().is_relative_to(root.resolve()):
        raise ContentError(_("A resource path may not leave the resources folder."))
    return path


def content_languages() -> list[str]:
    """The languages to look for translated content in, most specific first: "de_AT" gives
    ["de_AT", "de"]; English (the originals) and the pseudo-locale give none."""
    language = i18n.language()
    if language in ("en", i18n.PSEUDO):
        return []
    base = language.split("_")[0].split("-")[0]
    return [language] if base == language else [language, base]


def localized(*parts: str) -> Path:
    """A bundled content file in the current language when it has been translated.

    A translation sits in a ``locale/<language>/`` folder beside the original, under the same
    name: ``articles/what-is-trd.md`` is read from ``articles/locale/de/what-is-trd.md`` in
    German, and ``helplines.toml`` from ``locale/de/helplines.toml``. Anything not translated
    is read in English, so content never goes missing.
    """
    *folder, name = parts
    for language in content_languages():
        candidate = resource_path(*folder, "locale", language, name)
        if candidate.is_file():
            return candidate
    return resource_path(*parts)


# --- small shared validators -------------------------------------------------------------------

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_RE = re.compile(r"^https?://[^\s<>\"'`]+$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def describe(value: object, limit: int = 40) -> str:
    """A short, printable rendering of user-supplied text for error messages."""
    text = _CONTROL_RE.sub("?", str(value)).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_slug(value: object, max_len: int = 64) -> bool:
    return isinstance(value, str) and 0 < len(value) <= max_len and bool(_SLUG_RE.match(value))


def is_web_url(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 2000 and bool(_URL_RE.match(value))


def has_control_chars(value: str) -> bool:
    return bool(_CONTROL_RE.search(value))


def is_number(value: object) -> bool:
    """True for a finite int or float; bool is deliberately not a number here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def parse_sources(
    raw: object, where: str, *, require_url: bool, max_items: int = 30
) -> tuple[Source, ...]:
    """Validate a TOML list of ``{ text = "...", url = "..." }`` tables."""
    if not isinstance(raw, list):
        raise ContentError(
            _("{where}: “sources” must be a list of {{ text, url }} tables.").format(where=where)
        )
    if len(raw) > max_items:
        raise ContentError(
            _("{where}: there are more than {max_items} sources.").format(
                where=where, max_items=max_items
            )
        )
    sources: list[Source] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ContentError(
                _("{where}: source {number} must be a table with text and url.").format(
                    where=where, number=number
                )
            )
        unknown = set(item) - {"text", "url"}
        if unknown:
            name = describe(sorted(unknown)[0])
            raise ContentError(
                _("{where}: source {number} has an unknown field “{name}”.").format(
                    where=where, number=number, name=name
                )
            )
        text = item.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > 1000:
            raise ContentError(
                _("{where}: source {number} needs a text of 1 to 1000 characters.").format(
                    where=where, number=number
                )
            )
        url = item.get("url", "")
        if not isinstance(url, str):
            raise ContentError(
                _("{where}: source {number} has a url that is not text.").format(
                    where=where, number=number
                )
            )
        if (require_url or url) and not is_web_url(url):
            raise ContentError(
                _("{where}: source {number} needs a web address starting http(s)://.").format(
                    where=where, number=number
                )
            )
        sources.append(Source(text=text.strip(), url=url))
    return tuple(sources)


def normalise_for_search(text: str) -> str:
    """Fold case and strip accents, one output character per input character where possible."""
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold()
