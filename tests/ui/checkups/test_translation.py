"""Every word the check-up screens show goes through gettext: rendered in the pseudo-locale,
any visible text without ⟦…⟧ is a string that was missed. The questionnaires' own wording
(official text, translated by their files) and what the person wrote are not ours to wrap."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from companion import i18n
from companion.content.questionnaires import load_questionnaires
from companion.core import timekeeping
from companion.core.checkups.service import CheckupService
from companion.core.session import OpenDiary
from companion.ui.checkups.page import CheckupsPage, SupportPanel
from companion.ui.pages import AppContext

#: numbers, scores, punctuation: nothing to translate
_PLAIN = re.compile(r"[\d\s%.,:·–\-]+")


def _official() -> set[str]:
    words: set[str] = set()
    for q in load_questionnaires():
        words |= {q.title, q.about, q.instructions, q.notice, q.content_note, q.result_note}
        words |= {q.name, q.skip_label, q.interpretation}
        for band in q.bands:
            words |= {band.label, band.meaning}
        for item in q.items:
            words.add(item.text)
            for option in item.options:
                words |= {option.label, f"{option.value}     {option.label}"}
    return words


def _missed(widget: QWidget) -> list[str]:
    """Visible texts of the check-up widgets that did not pass through gettext (the shared
    Get help now button and panel, the undo bar and the safety plan are other features')."""
    QApplication.processEvents()
    official = _official()
    found = []
    for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if not w.isVisibleTo(widget) or w.objectName() == "HelpNow":
            continue
        if any(isinstance(p, SupportPanel) for p in _ancestors(w)):
            continue
        text = re.sub("<[^>]+>|&nbsp;", " ", w.text()).strip()
        if not text or i18n.PSEUDO_OPEN in text or text in official or _PLAIN.fullmatch(text):
            continue
        found.append(text)
    for box in widget.findChildren(QComboBox):
        if any(isinstance(p, SupportPanel) for p in _ancestors(box)):
            continue
        if box.isVisibleTo(widget) and i18n.PSEUDO_OPEN not in box.currentText():
            found.append(box.currentText())
    return found


def _ancestors(widget: QWidget) -> Iterator[QWidget]:
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


@pytest.fixture
def pseudo() -> Iterator[None]:
    i18n.install(i18n.PSEUDO)
    try:
        yield
    finally:
        i18n.install("en")


def test_every_check_up_screen_is_translated(
    qtbot: QtBot, pseudo: None, diary: OpenDiary, context: AppContext
) -> None:
    service = diary.service(CheckupService)
    now = timekeeping.local_now()
    for days, value in ((40, 2), (20, 1)):
        service.complete("phq9", {str(n): value for n in range(1, 10)}, now=now - timedelta(days))
    service.complete("ace", {"1": 1}, now=now - timedelta(100))
    service.save_draft("gad7", {"1": 1})
    page = CheckupsPage(diary, context)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    assert _missed(page) == []  # the overview: rows, scores over time, how often
    page.take("phq9")
    assert page.form is not None
    assert _missed(page) == []  # the introduction
    page.form.begin()
    page.form._choose(1)
    assert _missed(page) == []  # a question
    page.form.restore({str(n): 1 for n in range(1, 9)}, 8)
    page.form._choose(1)
    assert _missed(page) == []  # question 9 with its note
    page.form._show_review()
    assert _missed(page) == []
    page.show_result(service.results("phq9")[-1].stored.id)
    assert _missed(page) == []  # a result with its change since last time
    page.show_result(service.results("ace")[0].stored.id)
    assert _missed(page) == []
