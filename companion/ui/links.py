"""Where a ``companion:`` link leads, and whether it leads anywhere in this build.

Links name a kind and an item: ``article/<slug>``, ``exercise/<id>``, ``tool/<name>``. A tool
is a sidebar page (``tool/help`` is the help window, always there). Pages are found at run
time (``ui/registry.py``), so a page that a later version adds, such as Check-ups or Reports,
makes the links to it work with no other change; until then :func:`link_available` says no,
and the Learn reader shows such a link as plain words (the sentence around it is written to
read well either way).
"""

from __future__ import annotations

import functools

from companion.content import ContentError

#: ``companion:<kind>/…`` → the page that opens it
LINK_PAGES = {"article": "learn", "exercise": "exercises"}
#: ``companion:tool/<name>`` → page id, where the two differ
TOOL_PAGES = {"safety-plan": "safety"}


def split(url: str) -> tuple[str, str]:
    kind, _, item = url.removeprefix("companion:").partition("/")
    return kind, item


@functools.cache
def registered_pages() -> frozenset[str]:
    from companion.ui.registry import page_classes

    return frozenset(cls.page_id for cls in page_classes())


def page_for(url: str) -> str | None:
    """The page id a link opens (None for the help window or a malformed link)."""
    kind, item = split(url)
    if kind == "tool":
        return None if item == "help" else TOOL_PAGES.get(item, item)
    return LINK_PAGES.get(kind)


def link_available(url: str, pages: frozenset[str] | None = None) -> bool:
    """True when following the link would open something in this build."""
    if not url.startswith("companion:"):
        return False
    kind, item = split(url)
    if kind == "tool" and item == "help":
        return True
    page = page_for(url)
    if page is None or page not in (registered_pages() if pages is None else pages):
        return False
    try:
        if kind == "article":
            from companion.content.articles import get_article

            get_article(item)
        elif kind == "exercise":
            from companion.content.exercises import get_exercise

            get_exercise(item)
    except (KeyError, ContentError):
        return False
    return kind in ("tool", "article", "exercise")
