"""The Learn page driven as a person would: the list, search, the reader, links, read marks."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from companion.content.articles import load_articles
from companion.core.learn.service import MAX_TEXT_STEP, LearnService
from companion.core.session import OpenDiary
from companion.ui.learn.page import LearnPage, reader_markdown
from companion.ui.pages import AppContext

ARTICLES = load_articles()


def pdf_text(reader: PdfReader) -> str:
    """The words of a PDF: ligatures (ﬀ) unfolded, whitespace (tabs, line ends) collapsed."""
    raw = "".join(p.extract_text() for p in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", raw).split())


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[LearnPage]:
    p = LearnPage(diary, context)
    qtbot.addWidget(p)
    p.resize(1000, 760)
    p.show()
    qtbot.waitUntil(lambda: not p.building)  # the cards below the first screen, one a turn
    yield p


def visible_titles(page: LearnPage) -> list[str]:
    return [
        page.card_box.itemAt(i).widget().article.title  # type: ignore[union-attr]
        for i in range(page.card_box.count())
        if page.card_box.itemAt(i).widget().isVisible()  # type: ignore[union-attr]
    ]


def type_search(qtbot: QtBot, page: LearnPage, text: str) -> None:
    page.search_box.clear()
    if text.isascii():
        qtbot.keyClicks(page.search_box, text)
    else:  # QTest cannot type accented letters; insert them as an input method would
        page.search_box.insert(text)


def test_the_list_shows_every_page_with_its_reading_time(page: LearnPage) -> None:
    assert visible_titles(page) == [a.title for a in ARTICLES]
    assert page.result_label.text() == f"{len(ARTICLES)} pages"
    card = page.cards[ARTICLES[0].slug]
    assert f"{ARTICLES[0].reading_minutes} min read" in card.meta.text()
    heavy = next(a for a in ARTICLES if a.content_note)
    assert "content note" in page.cards[heavy.slug].meta.text()


def test_search_by_words_with_snippets(qtbot: QtBot, page: LearnPage) -> None:
    type_search(qtbot, page, "EMDR")
    titles = visible_titles(page)
    assert titles and "Treatment options" in " ".join(titles)
    card = page.cards[next(a.slug for a in ARTICLES if a.title == titles[0])]
    assert "EMDR" in card.snippet.text() and "<span" in card.snippet.text()
    assert "mention" in page.result_label.text()
    # every word must appear
    type_search(qtbot, page, "EMDR sleep")
    assert set(visible_titles(page)) <= set(titles)


def test_search_ignores_accents_and_case(qtbot: QtBot, page: LearnPage) -> None:
    type_search(qtbot, page, "therapie")
    plain = visible_titles(page)
    assert plain
    for variant in ("THÉRAPIE", "thérapie", "Therapie"):
        type_search(qtbot, page, variant)
        assert visible_titles(page) == plain


def test_an_empty_search_shows_everything_calmly(qtbot: QtBot, page: LearnPage) -> None:
    type_search(qtbot, page, "zzqx nothing like this")
    assert visible_titles(page) == []
    assert page.result_label.text().startswith("No page mentions")
    assert "clear the search" in page.result_label.text()
    type_search(qtbot, page, "   ")
    assert visible_titles(page) == [a.title for a in ARTICLES]
    assert page.result_label.text() == f"{len(ARTICLES)} pages"
    page.search_box.clear()
    assert len(visible_titles(page)) == len(ARTICLES)


def test_a_huge_search_is_harmless(qtbot: QtBot, page: LearnPage) -> None:
    page.search_box.setText("depression " * 5000)
    assert visible_titles(page)  # only the first 200 characters are used


def test_opening_a_page_and_coming_back(qtbot: QtBot, page: LearnPage) -> None:
    light = next(a for a in ARTICLES if not a.content_note)
    qtbot.mouseClick(page.cards[light.slug].open_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.reader
    assert page.reader.browser.isVisible()
    text = page.reader.browser.toPlainText()
    assert light.title in text and "Sources" in text and "last reviewed" in text.lower()
    qtbot.mouseClick(page.reader.back_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.list_view


def test_a_heavy_page_shows_its_content_note_first(qtbot: QtBot, page: LearnPage) -> None:
    heavy = next(a for a in ARTICLES if a.content_note)
    assert page.open_item(heavy.slug)
    reader = page.reader
    assert reader.note_card.isVisible() and not reader.browser.isVisible()
    assert reader.note_text.text() == heavy.content_note
    assert not reader.read_button.isEnabled()
    qtbot.mouseClick(reader.not_now_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.list_view
    page.open_item(heavy.slug)
    qtbot.mouseClick(reader.show_button, Qt.MouseButton.LeftButton)
    assert reader.browser.isVisible() and not reader.note_card.isVisible()
    page.show_list()
    page.open_item(heavy.slug)  # asked once per session
    assert reader.browser.isVisible()


def test_companion_links_open_exercises_tools_and_pages(
    qtbot: QtBot, page: LearnPage, context: AppContext
) -> None:
    page.open_item("grounding-and-self-soothing")
    assert "companion:exercise/five-senses" in reader_markdown(page.reader.article)  # type: ignore[arg-type]
    with qtbot.waitSignal(context.signals.open_link, timeout=1000) as blocker:
        page.reader.browser.anchorClicked.emit(QUrl("companion:exercise/five-senses"))
    assert blocker.args == ["companion:exercise/five-senses"]
    with qtbot.waitSignal(context.signals.open_link, timeout=1000) as blocker:
        page.reader.browser.anchorClicked.emit(QUrl("companion:tool/safety-plan"))
    assert blocker.args == ["companion:tool/safety-plan"]
    page.reader.browser.anchorClicked.emit(QUrl("companion:article/what-is-trd"))
    assert page.reader.article is not None and page.reader.article.slug == "what-is-trd"


def test_web_links_are_shown_and_copied_never_opened_silently(
    qtbot: QtBot, page: LearnPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "companion.ui.learn.page.QDesktopServices.openUrl", lambda url: opened.append(url)
    )
    article = ARTICLES[0]
    page.open_item(article.slug)
    url = article.sources[0].url
    page.reader.browser.anchorClicked.emit(QUrl(url))
    assert opened == []
    assert page.reader.external.isVisible()
    assert url in page.reader.external.text.text()
    assert "leaves Companion" in page.reader.external.text.text()
    qtbot.mouseClick(page.reader.copy_link_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == url
    qtbot.mouseClick(page.reader.browser_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1


def test_mark_as_read_is_kept_in_the_diary(qtbot: QtBot, page: LearnPage, diary: OpenDiary) -> None:
    slug = ARTICLES[0].slug
    page.open_item(slug)
    qtbot.mouseClick(page.reader.read_button, Qt.MouseButton.LeftButton)
    assert LearnService(diary.db).is_read(slug)
    assert page.reader.read_button.text() == "Read"
    page.show_list()
    assert "✓ read" in page.cards[slug].meta.text()
    assert page.result_label.text().endswith("1 marked as read")
    page.open_item(slug)
    qtbot.mouseClick(page.reader.read_button, Qt.MouseButton.LeftButton)
    assert not LearnService(diary.db).is_read(slug)


def test_text_size_changes_and_is_remembered(
    qtbot: QtBot, page: LearnPage, diary: OpenDiary, context: AppContext
) -> None:
    page.open_item(ARTICLES[0].slug)
    reader = page.reader
    before = reader.browser.document().defaultFont().pointSizeF()
    width = reader.browser.maximumWidth()
    qtbot.mouseClick(reader.larger, Qt.MouseButton.LeftButton)
    assert reader.browser.document().defaultFont().pointSizeF() > before
    assert reader.browser.maximumWidth() > width  # the measure stays about 70 characters
    for _ in range(MAX_TEXT_STEP + 3):
        reader.larger.click()
    assert not reader.larger.isEnabled()
    again = LearnPage(diary, context)
    qtbot.addWidget(again)
    assert again.reader.text_step == MAX_TEXT_STEP


def test_save_as_pdf_reads_back(page: LearnPage, tmp_path: Path) -> None:
    article = next(a for a in ARTICLES if a.slug == "treatment-options")
    page.open_item(article.slug)
    written = page.reader.save_pdf(tmp_path / "page")
    assert written == tmp_path / "page.pdf"
    text = pdf_text(PdfReader(str(written)))
    assert "Treatment options" in text and "Sources" in text and "Last reviewed" in text
    assert "companion:" not in text
    assert page.reader.save_pdf(tmp_path / "missing" / "page.pdf") is None
    assert "could not be saved" in page.reader.status.text()


def test_unknown_page_is_refused(page: LearnPage) -> None:
    assert not page.open_item("no-such-page")
    assert page.stack.currentWidget() is page.list_view


@pytest.mark.parametrize("article", ARTICLES, ids=[a.slug for a in ARTICLES])
def test_every_page_renders_with_sources_and_review_date(article: object) -> None:
    text = reader_markdown(article)  # type: ignore[arg-type]
    assert "## Sources" in text and "last reviewed" in text.lower()
    assert "[None]" not in text and "(None)" not in text


def test_the_cards_below_the_first_screen_come_in_later_turns(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Shown: the cards that fill the first screen are there at once, the others follow a
    turn at a time (the page says it is building until then); a search needs them all."""
    from PySide6.QtWidgets import QScrollArea

    scroller = QScrollArea()  # as in the main window
    scroller.setWidgetResizable(True)
    qtbot.addWidget(scroller)
    scroller.resize(1000, 600)
    scroller.show()
    p = LearnPage(diary, context)
    scroller.setWidget(p)
    assert 0 < len(p.cards) < len(ARTICLES)
    assert p.building
    assert p._reader is None  # the reader waits until a page is opened
    type_search(qtbot, p, "sleep")
    assert not p.building and len(p.cards) == len(ARTICLES)
    assert visible_titles(p)  # searched across every page


def test_the_page_finishes_building_by_itself_in_list_order(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    p = LearnPage(diary, context)
    qtbot.addWidget(p)
    p.resize(1000, 600)
    p.show()
    qtbot.waitUntil(lambda: not p.building)
    assert visible_titles(p) == [a.title for a in ARTICLES]
    assert p.result_label.text() == f"{len(ARTICLES)} pages"
