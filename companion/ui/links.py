"""Where a ``companion:`` link leads, and whether it leads anywhere in this build.

Links name a kind and an item: ``article/<slug>``, ``exercise/<id>``, ``tool/<name>``. A tool
is a sidebar page or one of its other names (``tool/help`` is the help window, always there);
a kind belongs to the page a feature declared for it (``companion.core.extension_points``).
A page that a later version adds makes the links to it work with no other change; until then
:func:`link_available` says no, and the Learn reader shows such a link as plain words (the
sentence around it is written to read well either way).
"""

from __future__ import annotations

import functools

from companion.content import ContentError


def split(url: str) -> tuple[str, str]:
    kind, _, item = url.removeprefix("companion:").partition("/")
    return kind, item


@functools.cache
def registered_pages() -> frozenset[str]:
    """The ids of the pages this build shows."""
    from companion.ui.extension_points import load

    return frozenset(decl.id for decl, _loader in load().page_loaders())


def page_for(url: str) -> str | None:
    """The page id a link opens (None for the help window, an unknown page or kind)."""
    from companion import features

    core = features.load()
    kind, item = split(url)
    if kind == "tool":
        if item == "help":
            return None
        decl = core.page(item)
        return decl.id if decl is not None else item  # a page a later version may add
    link = core.link_kinds().get(kind)
    return link.page_id if link is not None else None


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
