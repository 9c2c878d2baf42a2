"""Every word the check-up screens show goes through gettext: rendered in the pseudo-locale,
any visible text without ⟦…⟧ is a string that was missed (tests/ui/pseudo.py). The
questionnaires' own wording (official text, translated by their files) and what the person
wrote are allowed as they are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from companion import i18n
from companion.core import timekeeping
from companion.core.checkups.service import CheckupService
from companion.core.session import OpenDiary
from companion.ui.checkups.page import CheckupsPage
from companion.ui.pages import AppContext
from tests.ui.pseudo import Allowed, untranslated


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
    allowed = Allowed.from_diary(diary)
    page = CheckupsPage(diary, context)
    qtbot.addWidget(page)
    page.resize(1100, 900)
    page.show()
    assert untranslated(page, allowed) == []  # the overview: rows, scores over time, how often
    page.take("phq9")
    assert page.form is not None
    assert untranslated(page, allowed) == []  # the introduction
    page.form.begin()
    page.form._choose(1)
    assert untranslated(page, allowed) == []  # a question
    page.form.restore({str(n): 1 for n in range(1, 9)}, 8)
    page.form._choose(1)
    assert untranslated(page, allowed) == []  # question 9 with its note
    page.form._show_review()
    assert untranslated(page, allowed) == []
    page.show_result(service.results("phq9")[-1].stored.id)
    assert untranslated(page, allowed) == []  # a result with its change since last time
    page.show_result(service.results("ace")[0].stored.id)
    assert untranslated(page, allowed) == []
