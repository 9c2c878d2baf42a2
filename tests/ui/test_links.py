"""Every ``companion:`` link the app shows opens something (issue 19 §6).

Articles are rendered as the reader shows them, with the pages this build registers; every link
left in them, and every link the code itself emits, is then followed in a real main window.
Links to pages a later version adds (Check-ups, Reports) are hidden until those pages exist,
leaving their words in place."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import companion
from companion.content.articles import links_in, load_articles, parse_article
from companion.core.session import OpenDiary
from companion.ui import links as links_module
from companion.ui.learn.page import reader_markdown, without_dead_links
from companion.ui.links import link_available, registered_pages
from companion.ui.main_window import MainWindow
from companion.ui.pages import AppContext

from .conftest import wait_for_tasks


@pytest.fixture(autouse=True)
def _close_help_windows() -> Iterator[None]:
    """Get help now stays open on its own (it is meant to); each test closes what it opened."""
    yield
    from PySide6.QtWidgets import QApplication

    from companion.ui.help import HelpDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, HelpDialog):
            widget.close()


ARTICLES = load_articles()
SHOWN_LINK = re.compile(r"\]\((companion:[^)\s]+)\)")
CODE_LINK = re.compile(r"[\"'](companion:(?:tool|article|exercise)/[a-z0-9-]+)[\"']")


@pytest.fixture
def window(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[MainWindow]:
    w = MainWindow(diary, context)
    qtbot.addWidget(w)
    w.show()
    yield w
    wait_for_tasks(qtbot)  # what the pages opened read in the background


def _links_in_code() -> set[str]:
    root = Path(companion.__file__).parent
    found: set[str] = set()
    for path in root.rglob("*.py"):
        found.update(CODE_LINK.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_link_shown_in_every_article_opens_something(window: MainWindow) -> None:
    followed = 0
    for article in ARTICLES:
        for link in SHOWN_LINK.findall(reader_markdown(article)):
            assert window.open_link(link), f"{article.slug}: {link} opens nothing"
            followed += 1
    assert followed > 40


def test_every_link_the_code_emits_opens_something(window: MainWindow) -> None:
    emitted = _links_in_code()
    assert {"companion:tool/safety", "companion:tool/medications"} <= emitted
    for link in emitted:
        assert window.open_link(link), f"{link} (in the code) opens nothing"


def test_links_to_pages_this_build_lacks_are_hidden_and_their_words_stay() -> None:
    pages = registered_pages()
    for article in ARTICLES:
        shown = reader_markdown(article)
        for link in links_in(article):
            if not link_available(link):
                assert f"({link})" not in shown, f"{article.slug} shows a dead link {link}"
    if "reports" not in pages:
        options = next(a for a in ARTICLES if a.slug == "treatment-options")
        shown = reader_markdown(options)
        assert "companion:tool/reports" not in shown
        assert "Bringing a written summary of your treatment so far can make that talk" in shown
        assert "Reports for your clinician" not in shown  # nor in "Try next"


def test_a_page_added_later_brings_its_links_back(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = registered_pages() | {"reports", "checkups"}
    monkeypatch.setattr(links_module, "registered_pages", lambda: pages)
    options = next(a for a in ARTICLES if a.slug == "treatment-options")
    shown = reader_markdown(options)
    assert "[summary of your treatment so far](companion:tool/reports)" in shown
    assert "[Reports for your clinician](companion:tool/reports)" in shown


def test_hiding_a_link_keeps_the_sentence_whole() -> None:
    text = "Bring your [notes](companion:tool/reports) and your [diary](companion:tool/diary)."
    plain = without_dead_links(text, lambda url: url.endswith("diary"))
    assert plain == "Bring your notes and your [diary](companion:tool/diary)."


def test_a_broken_link_in_an_article_fails_the_content_check() -> None:
    from companion.content.articles import check_links

    broken = parse_article(
        "demo",
        "+++\n"
        'title = "Demo"\nsummary = "A demo."\nreading_minutes = 1\ncontent_note = ""\n'
        'related = []\nsources = [{ text = "A source", url = "https://example.org" }]\n'
        "last_reviewed = 2026-11-27\norder = 1\n+++\n"
        "See [this](companion:article/nowhere).\n",
    )
    assert check_links([*ARTICLES, broken], set()) != []
    assert not link_available("companion:article/nowhere")
    assert not link_available("companion:exercise/nowhere")
    assert not link_available("companion:video/x")
