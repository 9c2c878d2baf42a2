"""PDF and print documents, drawn with QtGui offscreen (no printer, no window needed).

This is the one module below ``ui/`` allowed to import Qt (QtGui only). It turns plain data
(a safety plan, a Learn page) into a ``QTextDocument`` that the UI prints with a
``QPrinter`` or that :func:`write_pdf` saves as an A4 PDF. Everything the person wrote is
HTML-escaped; nothing is fetched, and links become plain text on paper.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from companion.content.articles import Article
from companion.core.safety.service import STEPS, Plan
from companion.i18n import _, format_date
from companion.storage.files import write_private

__all__ = [
    "article_document",
    "article_print_markdown",
    "html_document",
    "pdf_bytes",
    "safety_plan_document",
    "safety_plan_html",
    "write_pdf",
]

_STYLE = """
body { color: #1f2a30; }
h1 { font-size: 20pt; font-weight: 600; margin-bottom: 4px; }
h2 { font-size: 13.5pt; font-weight: 600; margin-top: 18px; margin-bottom: 4px; }
p.muted { color: #55626a; }
p.question { color: #55626a; font-style: italic; margin-top: 0; }
li { margin-bottom: 4px; }
td { padding: 3px 14px 3px 0; }
"""
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:companion:[^)\s]*)\)")


def html_document(body_html: str, *, point_size: float = 11.0) -> QTextDocument:
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(point_size)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_STYLE)
    doc.setHtml(body_html)
    return doc


def write_pdf(document: QTextDocument, path: Path, title: str) -> Path:
    """Save a document as an A4 PDF; returns the path written (``.pdf`` added if missing)."""
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    return write_private(path, pdf_bytes(document, title))


def pdf_bytes(document: QTextDocument, title: str) -> bytes:
    """The document as an A4 PDF, in memory: the file is then written by the private-write
    helper (0600, random temp name, no link followed), never by Qt straight to the name."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("Companion")  # the program's name, not a sentence
    document.print_(writer)
    del writer  # the PDF is finished when the writer goes
    data = bytes(buffer.data().data())
    buffer.close()
    return data


# -- the safety plan -------------------------------------------------------------------------


def safety_plan_html(plan: Plan, *, today: date) -> str:
    """The whole plan on paper: each step with its items, in order, and the review date."""
    esc = html.escape
    parts = [f"<h1>{esc(_('My safety plan'))}</h1>"]
    reviewed = plan.reviewed_on
    meta = [_("Printed {date}.").format(date=format_date(today, "long"))]
    if reviewed is not None:
        meta.append(_("Last reviewed {date}.").format(date=format_date(reviewed, "long")))
    parts.append(f'<p class="muted">{esc(" ".join(meta))}</p>')
    intro = _(
        "Use the steps in order, as far as you need. If you are in danger right now, call your "
        "local emergency number."
    )
    parts.append(f"<p>{esc(intro)}</p>")
    for step in STEPS:
        items = plan.for_step(step.key)
        parts.append(f"<h2>{step.number}. {esc(_(step.title))}</h2>")
        parts.append(f'<p class="question">{esc(_(step.question))}</p>')
        if not items:
            parts.append(f'<p class="muted">{esc(_("Nothing written here yet."))}</p>')
            continue
        if step.has_phone:
            rows = "".join(
                f"<tr><td>{esc(item.text)}</td><td><b>{esc(item.phone)}</b></td></tr>"
                for item in items
            )
            parts.append(f"<table>{rows}</table>")
        else:
            lines = "".join(f"<li>{esc(item.text).replace(chr(10), '<br>')}</li>" for item in items)
            parts.append(f"<ul>{lines}</ul>")
    closing = _(
        "Made with Companion. Keep a copy somewhere you can reach it, such as your wallet or by "
        "your bed, and share it with people you trust if you want to."
    )
    parts.append(f'<p class="muted">{esc(closing)}</p>')
    return "\n".join(parts)


def safety_plan_document(plan: Plan, *, today: date) -> QTextDocument:
    return html_document(safety_plan_html(plan, today=today))


# -- Learn pages -----------------------------------------------------------------------------


def article_print_markdown(article: Article) -> str:
    """The page as Markdown for paper: in-app links become their words; sources at the end."""
    body = _MD_LINK.sub(r"\1", article.body).strip()
    lines = [f"# {article.title}", "", f"*{article.summary}*", ""]
    if article.content_note:
        note = _("Content note: {note}").format(note=article.content_note)
        lines += [f"> {note}", ""]
    lines += [body, "", "## {}".format(_("Sources")), ""]
    for number, source in enumerate(article.sources, start=1):
        lines.append(f"{number}. {source.text} {source.url}")
    reviewed = format_date(article.last_reviewed, "long")
    lines += ["", _("Last reviewed {date}. From Companion.").format(date=reviewed)]
    return "\n".join(lines) + "\n"


def article_document(article: Article, *, point_size: float = 11.0) -> QTextDocument:
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(point_size)
    doc.setDefaultFont(font)
    doc.setMarkdown(article_print_markdown(article))
    return doc
