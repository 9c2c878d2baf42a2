"""Looking for text that did not pass through ``_()``: the pseudo-locale walker.

With ``companion.i18n.install("x-pseudo")`` every translated string reads ``⟦…⟧``. After a
window is built in that locale, :func:`untranslated` lists every piece of visible text that
still has words outside the markers, once markup, numbers and *allowed* text are taken out.
Allowed text is what no catalog translates: the person's own data (the demo diary), bundled
content (articles, exercises, helplines, questionnaires: their own locale folders), country
names (Qt's), the app's name, Qt's own standard buttons.

A feature's tests can point it at one widget::

    from tests.ui.pseudo import Allowed, untranslated
    assert untranslated(page, Allowed.from_diary(diary)) == []
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from companion import APP_NAME, __version__
from companion.i18n import PSEUDO_CLOSE, PSEUDO_OPEN

_MARKED = re.compile(f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*{PSEUDO_CLOSE}")
_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&#?\w+;")
#: two letters in a row: a word someone could read
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Qt's own texts (translated by Qt's catalogs, not ours): standard buttons, the shape of a
#: recovery key
QT_AND_SHAPES = frozenset(
    {"OK", "&OK", "Cancel", "&Cancel", "Yes", "&Yes", "No", "&No", "Close", "XXXXX-XXXXX-…"}
)


class Allowed:
    """Text shown as it is in every language: whole words of data, or a whole text of Qt's."""

    def __init__(self, strings: Iterable[str] = ()) -> None:
        self.strings: set[str] = {s.strip() for s in strings if s and s.strip()}
        self.strings |= {APP_NAME, __version__}
        self._ordered: list[str] | None = None

    def add(self, *strings: str) -> None:
        self.strings.update(s.strip() for s in strings if s and s.strip())
        self._ordered = None

    def remove_from(self, text: str) -> str:
        """``text`` without the allowed strings in it (longest first, whole words only)."""
        if text.strip() in QT_AND_SHAPES:
            return ""
        if self._ordered is None:
            self._ordered = sorted(self.strings, key=len, reverse=True)
        for allowed in self._ordered:
            if allowed in text:
                text = re.sub(rf"(?<!\w){re.escape(allowed)}(?!\w)", " ", text)
                if not _WORD.search(text):
                    break
        return text

    @classmethod
    def from_diary(cls, diary: Any) -> Allowed:
        """Everything in the diary (what the person wrote, names, tags…) and every bundled
        content file."""
        from companion.core import portable
        from companion.core.exercises.custom import CustomExerciseService

        allowed = cls()
        allowed.add(*strings_in(portable.export_document(diary.db, include_notes=True)))
        # the person's own exercises are kept as TOML text: their titles and steps as shown
        own = CustomExerciseService(diary.db).entries()
        allowed.add(*strings_in([entry.exercise for entry in own if entry.exercise is not None]))
        allowed.add(*content_strings())
        allowed.add(str(diary.path))
        return allowed


def strings_in(value: object) -> Iterator[str]:
    """Every string inside a document, dataclass, mapping or sequence (and each of its lines)."""
    if isinstance(value, str):
        yield value
        if "\n" in value:
            yield from value.splitlines()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from strings_in(getattr(value, item.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings_in(item)


def content_strings() -> set[str]:
    """The bundled content (it has its own locale folders) and the names of countries."""
    from companion.content.articles import load_articles
    from companion.content.exercises import load_exercises
    from companion.content.helplines import ISO_3166_CODES, load_helplines
    from companion.content.questionnaires import load_questionnaires
    from companion.ui.country import country_name

    found: set[str] = set()
    for loaded in (load_articles(), load_exercises(), load_helplines(), load_questionnaires()):
        found.update(strings_in(loaded))
    found.update(country_name(code) for code in ISO_3166_CODES)
    return found


def words_left(text: str, allowed: Allowed) -> str:
    """What of ``text`` would reach a reader untranslated ("" when nothing)."""
    rest = _ENTITY.sub(" ", _TAG.sub(" ", text))
    previous = None
    while previous != rest:  # markers nest: a date inside a sentence
        previous, rest = rest, _MARKED.sub(" ", rest)
    if not _WORD.search(rest):
        return ""
    rest = allowed.remove_from(rest)
    return " ".join(rest.split()) if _WORD.search(rest) else ""


def visible_texts(root: QWidget, skip: Iterable[QWidget] = ()) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person can see or hear in ``root`` and its visible
    children, except inside the widgets in ``skip``."""
    skipped = list(skip)
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisible():
            continue
        if any(s is widget or s.isAncestorOf(widget) for s in skipped):
            continue
        name = f"{type(widget).__name__}"
        if widget.objectName():
            name += f"#{widget.objectName()}"
        if widget.isWindow():
            yield f"{name} window title", widget.windowTitle()
        yield f"{name} tooltip", widget.toolTip()
        yield f"{name} accessible name", widget.accessibleName()
        yield f"{name} accessible description", widget.accessibleDescription()
        yield from ((f"{name} {what}", text) for what, text in _own_texts(widget))


def _own_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    if isinstance(widget, QLabel | QAbstractButton):
        yield "text", widget.text()
    elif isinstance(widget, QGroupBox):
        yield "title", widget.title()
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield f"tab {i}", widget.tabText(i)
            yield f"tab {i} tooltip", widget.tabToolTip(i)
    elif isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        yield "placeholder", widget.placeholderText()
    elif isinstance(widget, QComboBox):
        for i in range(widget.count()):
            yield f"item {i}", widget.itemText(i)
    elif isinstance(widget, QTableWidget):
        for c in range(widget.columnCount()):
            header = widget.horizontalHeaderItem(c)
            if header is not None:
                yield f"header {c}", header.text()
        for r in range(widget.rowCount()):
            for c in range(widget.columnCount()):
                cell = widget.item(r, c)
                if cell is not None:
                    yield f"cell {r},{c}", cell.text()
    elif isinstance(widget, QListWidget):
        for i in range(widget.count()):
            item = widget.item(i)
            yield f"item {i}", item.text()
            yield f"item {i} tooltip", item.toolTip()
    if isinstance(widget, QAbstractSpinBox):
        yield "text shown", widget.text()  # with its prefix, suffix or special value


def untranslated(
    root: QWidget, allowed: Allowed, skip: Iterable[QWidget] = ()
) -> list[tuple[str, str]]:
    """Every visible text in ``root`` with words that did not pass through ``_()``:
    (where, the words left)."""
    found = []
    for where, text in visible_texts(root, skip):
        left = words_left(text, allowed) if text else ""
        if left:
            found.append((where, left[:120]))
    return found
