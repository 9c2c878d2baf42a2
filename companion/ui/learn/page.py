"""Learn: the bundled pages about depression, trauma and treatment, with search and a reader.

Two views in one page. The list shows every page with its summary, reading time, a content-note
mark and whether the person marked it read; typing in the search box narrows it (every word must
appear; accents and case do not matter) and shows where each word was found. The reader shows
one page in a comfortable measure (about 70 characters a line) with generous line spacing and a
text size the person chooses; a content note comes first on heavy pages. Links inside Companion
(``companion:``) open exercises and tools; the web addresses of sources are only shown, with a
copy button, and the system browser opens only after an explicit click that says it leaves
Companion.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QMouseEvent,
    QTextBlockFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from companion.content import ContentError
from companion.content.articles import Article, load_articles, match_spans, search
from companion.core.learn.service import MAX_TEXT_STEP, MIN_TEXT_STEP, LearnService
from companion.core.session import OpenDiary
from companion.i18n import N_, _, format_date, ngettext, pgettext
from companion.ui import theme
from companion.ui.links import link_available
from companion.ui.pages import AppContext, Page
from companion.ui.widgets.common import (
    Card,
    CurrentPageStack,
    MeasuredLabel,
    Notice,
    StatusLabel,
    WrappingButton,
    icon,
    label,
    primary_button,
    title,
)

#: characters per line the reader aims for
MEASURE = 70
#: names for ``companion:tool/<name>`` links in "Try next" (translated where shown)
TOOL_NAMES = {
    "diary": N_("Your diary"),
    "medications": N_("Medications"),
    "checkups": N_("Check-ups"),
    "safety-plan": N_("Your safety plan"),
    "help": N_("Get help now"),
    "reports": N_("Reports for your clinician"),
    "exercises": N_("All exercises"),
}


def highlighted(text: str, query: str) -> str:
    """The text as HTML with the query's words marked (escaped, accent-insensitive)."""
    colours = theme.current()
    out: list[str] = []
    last = 0
    for start, end in match_spans(text, query):
        out.append(html.escape(text[last:start]))
        out.append(
            f'<span style="background-color:{colours.warning_bg}; font-weight:600">'
            f"{html.escape(text[start:end])}</span>"
        )
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _link_title(link: str) -> str | None:
    kind, _slash, name = link.removeprefix("companion:").partition("/")
    try:
        if kind == "exercise":
            from companion.content.exercises import get_exercise

            return _("Exercise: {title}").format(title=get_exercise(name).title)
        if kind == "article":
            from companion.content.articles import get_article

            return get_article(name).title
    except (KeyError, ContentError):
        return None
    if kind == "tool" and name in TOOL_NAMES:
        return _(TOOL_NAMES[name])
    return None


_MD_LINK = re.compile(r"\[([^\]]*)\]\((companion:[^)\s]*)\)")


def without_dead_links(markdown: str, available: Callable[[str], bool]) -> str:
    """Links to what this build lacks (a page not added yet) become their plain words; the
    articles are written so those sentences read well without the link."""
    return _MD_LINK.sub(lambda m: m.group(0) if available(m.group(2)) else m.group(1), markdown)


def reader_markdown(article: Article, available: Callable[[str], bool] = link_available) -> str:
    """The page as the reader shows it: meta line, body, "Try next", sources, review date.

    ``available`` decides, when the page is shown, which ``companion:`` links lead anywhere."""
    reviewed = format_date(article.last_reviewed, "long")
    meta = "*{}*".format(
        _("{minutes} min read · Last reviewed {date}").format(
            minutes=article.reading_minutes, date=reviewed
        )
    )
    body = without_dead_links(article.body.strip(), available)
    parts = [f"# {article.title}", "", meta, "", body, ""]
    related = [(link, _link_title(link)) for link in article.related if available(link)]
    related = [(link, name) for link, name in related if name]
    if related:
        parts += ["## {}".format(_("Try next")), ""]
        parts += [f"- [{name}]({link})" for link, name in related]
        parts.append("")
    parts += ["## {}".format(_("Sources")), ""]
    for number, source in enumerate(article.sources, start=1):
        host = QUrl(source.url).host() or source.url
        parts.append(f"{number}. {source.text} [{host}]({source.url})")
    closing = _(
        "This page was last reviewed on {date}. It explains; it does not diagnose. Your "
        "clinician can tell you what applies to you."
    ).format(date=reviewed)
    parts += ["", f"*{closing}*"]
    return "\n".join(parts) + "\n"


class ArticleCard(Card):
    """One page in the list: its title (a button), summary or snippet, and a meta line."""

    opened = Signal(str)

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.body.setSpacing(6)
        # a plain title, not an underlined web link, wrapping when the text is large; the whole
        # card opens the page
        self.open_button = WrappingButton(
            article.title, _("Open “{title}”").format(title=article.title)
        )
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        font = self.open_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.open_button.set_words_font(font)
        self.open_button.clicked.connect(lambda: self.opened.emit(article.slug))
        self.body.addWidget(self.open_button)
        self.snippet = MeasuredLabel(article.summary)
        self.snippet.setWordWrap(True)
        self.body.addWidget(self.snippet)
        self.meta = label("", name="Muted")
        self.body.addWidget(self.meta)
        self.setAccessibleName(article.title)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.opened.emit(self.article.slug)
            return
        super().mouseReleaseEvent(event)

    def show_result(self, snippet: str, query: str, read: bool) -> None:
        if query.strip():
            self.snippet.setTextFormat(Qt.TextFormat.RichText)
            self.snippet.setText(highlighted(snippet, query))
        else:
            self.snippet.setTextFormat(Qt.TextFormat.PlainText)
            self.snippet.setText(snippet)
        parts = [_("{minutes} min read").format(minutes=self.article.reading_minutes)]
        if self.article.content_note:
            parts.append(_("content note"))
        if read:
            parts.append(_("✓ read"))
        self.meta.setText(" · ".join(parts))


class Reader(QWidget):
    """One page: toolbar, content note first where there is one, the text, link handling."""

    back = Signal()
    open_article = Signal(str)

    def __init__(self, service: LearnService, context: AppContext) -> None:
        super().__init__()
        self.service = service
        self.context = context
        self.article: Article | None = None
        self.notes_shown: set[str] = set()
        self.external_url = ""
        self.text_step = service.text_step()
        layout = QVBoxLayout(self)
        self.status = StatusLabel("Muted", _("Reader status"))
        self.ops = context.operations("learn", self.status)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)

        bar = QHBoxLayout()
        self.back_button = QPushButton(icon("mdi6.arrow-left"), _("All pages"))
        self.back_button.setAccessibleName(_("Back to all pages"))
        self.back_button.clicked.connect(self.back)
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        self.smaller = QPushButton(pgettext("smaller text, as on a button", "A−"))
        self.smaller.setAccessibleName(_("Smaller text"))
        self.smaller.setToolTip(_("Smaller text"))
        self.smaller.clicked.connect(lambda: self.set_text_step(self.text_step - 1))
        self.larger = QPushButton(pgettext("larger text, as on a button", "A+"))
        bigger = self.larger.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.25)
        bigger.setBold(True)
        self.larger.setFont(bigger)
        self.larger.setAccessibleName(_("Larger text"))
        self.larger.setToolTip(_("Larger text"))
        self.larger.clicked.connect(lambda: self.set_text_step(self.text_step + 1))
        self.read_button = QPushButton(icon("mdi6.check-circle-outline"), _("Mark as read"))
        self.read_button.setCheckable(True)
        self.read_button.setAccessibleName(_("Mark as read"))
        self.read_button.toggled.connect(self._read_toggled)
        self.print_button = QPushButton(icon("mdi6.printer-outline"), _("Print…"))
        self.print_button.setAccessibleName(_("Print this page"))
        self.print_button.clicked.connect(self.print_page)
        self.pdf_button = QPushButton(icon("mdi6.file-pdf-box"), _("Save as PDF…"))
        self.pdf_button.setAccessibleName(_("Save as PDF: this page"))
        self.pdf_button.clicked.connect(self.choose_pdf)
        for button in (
            self.smaller,
            self.larger,
            self.read_button,
            self.print_button,
            self.pdf_button,
        ):
            bar.addWidget(button)
        layout.addLayout(bar)
        layout.addWidget(self.status)

        self.note_card = Card(_("Before you read"))
        self.note_text = label("")
        self.note_card.body.addWidget(self.note_text)
        note_buttons = QHBoxLayout()
        self.show_button = primary_button(_("Show the page"))
        self.show_button.clicked.connect(self.show_text)
        self.not_now_button = QPushButton(_("Not now"))
        self.not_now_button.setAccessibleName(_("Not now, back to all pages"))
        self.not_now_button.clicked.connect(self.back)
        note_buttons.addWidget(self.show_button)
        note_buttons.addWidget(self.not_now_button)
        note_buttons.addStretch(1)
        self.note_card.body.addLayout(note_buttons)
        layout.addWidget(self.note_card)

        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setAccessibleName(_("Page text"))
        self.browser.anchorClicked.connect(self.follow)
        self.browser.setMinimumHeight(320)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(self.browser, 100)
        centre.addStretch(1)
        layout.addLayout(centre, 1)

        self.external = Notice("")
        extra = QHBoxLayout()
        self.copy_link_button = QPushButton(icon("mdi6.content-copy"), _("Copy link"))
        self.copy_link_button.setAccessibleName(_("Copy link: the web address"))
        self.copy_link_button.clicked.connect(self.copy_link)
        self.browser_button = QPushButton(icon("mdi6.open-in-new"), _("Open in browser"))
        self.browser_button.setAccessibleName(_("Open in browser, leaving Companion"))
        self.browser_button.clicked.connect(self.open_in_browser)
        self.close_external = QPushButton(_("Close"))
        self.close_external.setAccessibleName(_("Close the web address"))
        self.close_external.clicked.connect(self.external.hide)
        for button in (self.copy_link_button, self.browser_button, self.close_external):
            extra.addWidget(button)
        notice_layout = self.external.layout()
        assert isinstance(notice_layout, QHBoxLayout)
        notice_layout.addLayout(extra)
        self.external.hide()
        layout.addWidget(self.external)
        self._apply_font()

    # -- showing a page -------------------------------------------------------------------

    def open(self, article: Article, *, read: bool) -> None:
        self.article = article
        self.external.hide()
        self.status.setText("")
        self.read_button.blockSignals(True)
        self.read_button.setChecked(read)
        self.read_button.blockSignals(False)
        self._read_label(read)
        self.browser.setMarkdown(reader_markdown(article))
        self._format_document()
        self.browser.verticalScrollBar().setValue(0)
        heavy = bool(article.content_note) and article.slug not in self.notes_shown
        self.note_card.setVisible(heavy)
        self.note_text.setText(article.content_note)
        self.browser.setVisible(not heavy)
        for button in (self.read_button, self.print_button, self.pdf_button):
            button.setEnabled(not heavy)
        (self.show_button if heavy else self.browser).setFocus()

    def show_text(self) -> None:
        if self.article is None:
            return
        self.notes_shown.add(self.article.slug)
        self.note_card.hide()
        self.browser.show()
        for button in (self.read_button, self.print_button, self.pdf_button):
            button.setEnabled(True)
        self.browser.setFocus()

    def _format_document(self) -> None:
        doc = self.browser.document()
        doc.setDocumentMargin(28)
        spacing = QTextBlockFormat()
        spacing.setLineHeight(150, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        block = doc.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() == 0:
                cursor = QTextCursor(block)
                cursor.mergeBlockFormat(spacing)
            block = block.next()

    def _font(self) -> QFont:
        font = QFont(self.font())
        base = font.pointSizeF() if font.pointSizeF() > 0 else theme.BASE_POINT_SIZE
        font.setPointSizeF(base * 1.08 * (1 + 0.1 * self.text_step))
        return font

    def _apply_font(self) -> None:
        font = self._font()
        self.browser.document().setDefaultFont(font)
        self.browser.setFont(font)
        width = QFontMetricsF(font).averageCharWidth() * MEASURE + 2 * 28 + 24
        self.browser.setMaximumWidth(round(width))
        self.smaller.setEnabled(self.text_step > MIN_TEXT_STEP)
        self.larger.setEnabled(self.text_step < MAX_TEXT_STEP)
        if self.article is not None:
            position = self.browser.verticalScrollBar().value()
            self.browser.setMarkdown(reader_markdown(self.article))
            self._format_document()
            self.browser.verticalScrollBar().setValue(position)

    def set_text_step(self, step: int) -> None:
        chosen = self.ops.run(lambda: self.service.set_text_step(step), announce=False)
        if chosen is None:
            return
        self.text_step = chosen
        self._apply_font()

    # -- links ----------------------------------------------------------------------------

    def follow(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("companion:article/"):
            self.open_article.emit(target.removeprefix("companion:article/"))
        elif target.startswith("companion:"):
            self.context.signals.open_link.emit(target)
        elif url.scheme() in ("http", "https"):
            self.external_url = target
            self.external.text.setText(
                _(
                    "This source is on a website outside Companion: {address}\nYou can copy "
                    "the address, or open it in your web browser. Opening it leaves Companion "
                    "and uses the internet."
                ).format(address=target)
            )
            self.external.show()

    def copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self.external_url)
        self.status.setText(_("Web address copied."))

    def open_in_browser(self) -> None:
        if self.external_url.startswith(("https://", "http://")):
            QDesktopServices.openUrl(QUrl(self.external_url))
            self.status.setText(_("Opened in your web browser."))

    # -- read, print, PDF -----------------------------------------------------------------

    def _read_label(self, read: bool) -> None:
        self.read_button.setText(_("Read") if read else _("Mark as read"))
        self.read_button.setIcon(icon("mdi6.check-circle" if read else "mdi6.check-circle-outline"))
        self.read_button.setAccessibleName(
            _("Marked as read; press to unmark") if read else _("Mark as read")
        )

    def _read_toggled(self, read: bool) -> None:
        """Mark or unmark the page; the list hears it on the change hub."""
        if self.article is None:
            return
        slug = self.article.slug
        if self.ops.run(lambda: self.service.mark_read(slug, read), what="reads") is None:
            return
        self._read_label(read)

    def choose_pdf(self) -> None:
        if self.article is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save page as PDF"), f"{self.article.slug}.pdf", _("PDF (*.pdf)")
        )
        if name:
            self.save_pdf(Path(name))

    def save_pdf(self, path: Path) -> Path | None:
        from companion.reports.pdf import article_document, write_pdf

        if self.article is None:
            return None
        try:
            written = write_pdf(article_document(self.article), path, self.article.title)
        except OSError:
            self.status.setText(_("The PDF could not be saved there. Please choose another place."))
            return None
        self.status.setText(_("Saved as {name}.").format(name=written.name))
        return written

    def print_page(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from companion.reports.pdf import article_document

        if self.article is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            article_document(self.article).print_(printer)
            self.status.setText(_("Sent to the printer."))


class LearnPage(Page):
    """The list of pages: the cards of the first screen are made in the turn that shows it,
    the others one per turn once it is painted (``Page.build_in_steps``); the reader when a
    page is first opened."""

    page_id = "learn"
    refreshed_when_built = True  # built from the diary as it is (not read twice)

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        self.service = diary.service(LearnService)
        try:
            self.articles = load_articles()
            problem = ""
        except ContentError as exc:
            self.articles = []
            problem = _("The Learn pages could not be loaded ({problem})").format(problem=exc)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        self.stack = CurrentPageStack()
        layout.addWidget(self.stack, 1)

        self.list_view = QWidget()
        lv = QVBoxLayout(self.list_view)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(14)
        lv.addWidget(title(_("Learn")))
        lv.addWidget(
            label(
                _(
                    "Plain, sourced pages about depression, trauma and treatment. Read them in any "
                    "order, at your own pace, and stop whenever you like."
                ),
                name="Muted",
            )
        )
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(_("Search the pages, for example “sleep” or “EMDR”"))
        self.search_box.setAccessibleName(_("Search the pages"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("mdi6.magnify"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.textChanged.connect(self.apply_search)
        lv.addWidget(self.search_box)
        self.result_label = label(problem, name="Muted")
        lv.addWidget(self.result_label)
        self.cards: dict[str, ArticleCard] = {}
        self.card_box = QVBoxLayout()
        self.card_box.setSpacing(12)
        lv.addLayout(self.card_box)
        lv.addStretch(1)
        self.stack.addWidget(self.list_view)

        self._reader: Reader | None = None
        context.changes.listen("learn", lambda _change: self.apply_search(), receiver=self)
        # every page, in list order, as an empty search shows them
        self._reads = self.service.reads()
        if self.articles:
            self.result_label.setText(self._result_text("", len(self.articles), self._reads))
        self.build_in_steps(
            [partial(self._add_card, article) for article in self.articles],
            after_first_paint=True,
        )

    def _add_card(self, article: Article) -> None:
        card = ArticleCard(article)
        card.opened.connect(self.open_item)
        card.show_result(article.summary, "", article.slug in self._reads)
        self.cards[article.slug] = card
        self.card_box.addWidget(card)
        if self.list_view.isVisible():
            card.show()  # at once, not on the next turn (the list is on screen)

    @property
    def reader(self) -> Reader:
        """The reader, made when a page is first opened (most visits start at the list)."""
        if self._reader is None:
            self.finish_building()  # (every card first: the reader comes after them)
            self._reader = Reader(self.service, self.context)
            self._reader.back.connect(self.show_list)
            self._reader.open_article.connect(self.open_item)
            self.stack.addWidget(self._reader)
        return self._reader

    def reads_now(self) -> object:
        """Shown again, refreshed only after a change to what it shows: the diary (which pages were
        read), the day, the theme."""
        return self.diary_day_theme()

    def refresh(self) -> None:
        self.apply_search()

    def apply_search(self, *_args: object) -> None:
        self.finish_building()  # (every page's card, to search them all)
        query = self.search_box.text()
        results = search(self.articles, query)
        reads = self.service.reads()
        wanted = [article.slug for article, _snippet in results]
        current = [slug for slug in self._card_order() if not self.cards[slug].isHidden()]
        self.list_view.setUpdatesEnabled(False)
        try:
            if wanted != current:
                for card in self.cards.values():
                    self.card_box.removeWidget(card)
                shown = set(wanted)
                for slug in [*wanted, *(s for s in self.cards if s not in shown)]:
                    self.card_box.addWidget(self.cards[slug])
                    self.cards[slug].setVisible(slug in shown)
            for article, snippet in results:
                self.cards[article.slug].show_result(snippet, query, article.slug in reads)
        finally:
            self.list_view.setUpdatesEnabled(True)
        if not self.articles:
            return
        self.result_label.setText(self._result_text(query.strip(), len(results), reads))

    def _result_text(self, query: str, found: int, reads: Collection[str]) -> str:
        if not query:
            total = len(self.articles)
            pages = ngettext("{count} page", "{count} pages", total).format(count=total)
            count = sum(1 for a in self.articles if a.slug in reads)
            if not count:
                return pages
            return _("{pages} · {count} marked as read").format(pages=pages, count=count)
        if found:
            return ngettext(
                "{count} page mentions “{query}”.", "{count} pages mention “{query}”.", found
            ).format(count=found, query=query)
        return _(
            "No page mentions “{query}”. Try a shorter or different word, or clear the search "
            "to see every page."
        ).format(query=query)

    def _card_order(self) -> list[str]:
        order = []
        for i in range(self.card_box.count()):
            item = self.card_box.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, ArticleCard):
                order.append(widget.article.slug)
        return order

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_view)
        if self._reader is None:
            return
        article = self._reader.article
        if article is not None and article.slug in self.cards:
            self.cards[article.slug].open_button.setFocus()

    def open_item(self, item_id: str) -> bool:
        article = next((a for a in self.articles if a.slug == item_id), None)
        if article is None:
            return False
        self.reader.open(article, read=self.service.is_read(article.slug))
        self.stack.setCurrentWidget(self.reader)
        return True
