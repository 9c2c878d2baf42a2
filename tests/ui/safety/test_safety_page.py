"""The safety plan page driven as a person would: start, the guided steps, caps, view, PDF."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from companion.core.safety.service import STEPS, SafetyService
from companion.core.session import OpenDiary
from companion.ui.pages import AppContext
from companion.ui.safety.page import SafetyPage


def pdf_text(reader: PdfReader) -> str:
    """The words of a PDF: ligatures (ﬀ) unfolded, whitespace (tabs, line ends) collapsed."""
    raw = "".join(p.extract_text() for p in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", raw).split())


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[SafetyPage]:
    context.device = context.device.with_changes(help_country="GB")
    p = SafetyPage(diary, context)
    qtbot.addWidget(p)
    p.resize(1000, 800)
    p.show()
    yield p


def plan_texts(diary: OpenDiary, step: str) -> list[str]:
    return [i.text for i in SafetyService(diary.db).plan().for_step(step)]


def test_an_empty_plan_invites_a_start(qtbot: QtBot, page: SafetyPage, diary: OpenDiary) -> None:
    assert page.stack.currentWidget() is page.empty
    assert not page.pdf_button.isEnabled() and not page.print_button.isEnabled()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.editor
    assert page.editor.step.key == "warning_signs"
    assert page.editor.counter.text() == "Step 1 of 7"
    assert page.editor.examples.text().count("<li>") >= 3
    # the crisis lines for the person's country are filled in for step 5, to check and edit
    assert "Samaritans" in plan_texts(diary, "professionals")


def test_walking_the_steps_adds_items_and_keeps_typed_words(
    qtbot: QtBot, page: SafetyPage, diary: OpenDiary
) -> None:
    page.open_editor(0)
    editor = page.editor
    qtbot.keyClicks(editor.draft, "Lying awake going over things")
    qtbot.keyClick(editor.draft, Qt.Key.Key_Return)
    assert plan_texts(diary, "warning_signs") == ["Lying awake going over things"]
    assert editor.draft.toPlainText() == ""
    # typed but not added: moving on adds it, so nothing typed is lost
    qtbot.keyClicks(editor.draft, "Not answering messages")
    qtbot.mouseClick(editor.next_button, Qt.MouseButton.LeftButton)
    assert editor.step.key == "coping_alone"
    assert plan_texts(diary, "warning_signs")[-1] == "Not answering messages"
    editor.go(3)  # people: a name and a number
    assert editor.phone_row.isVisible()
    qtbot.keyClicks(editor.draft, "Ruth (sister)")
    qtbot.keyClicks(editor.phone, "07700 900461")
    qtbot.keyClick(editor.phone, Qt.Key.Key_Return)
    plan = SafetyService(diary.db).plan()
    assert [(i.text, i.phone) for i in plan.for_step("people")] == [
        ("Ruth (sister)", "07700 900461")
    ]
    qtbot.mouseClick(editor.finish_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.view
    assert page.pdf_button.isEnabled()


def test_a_megabyte_paste_is_refused_calmly_and_the_words_stay(
    qtbot: QtBot, page: SafetyPage, diary: OpenDiary
) -> None:
    page.open_editor(6)
    editor = page.editor
    huge = "A reason that goes on and on. " * 35_000  # about 1 MB
    editor.draft.setPlainText(huge)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    message = editor.error.text()
    assert "2,000" in message and "not saved" in message and "still in the box" in message
    assert editor.draft.toPlainText() == huge  # nothing lost
    assert plan_texts(diary, "reasons") == []
    qtbot.mouseClick(editor.back_button, Qt.MouseButton.LeftButton)
    assert editor.step.key == "reasons"  # moving on would lose the words, so it waits
    editor.draft.setPlainText("The sea in the morning")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.error.text() == ""
    assert plan_texts(diary, "reasons") == ["The sea in the morning"]


def test_a_bad_number_gets_one_clear_sentence(qtbot: QtBot, page: SafetyPage) -> None:
    page.open_editor(3)
    editor = page.editor
    qtbot.keyClicks(editor.draft, "Sam")
    qtbot.keyClicks(editor.phone, "call me")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert "digits" in editor.error.text()
    assert editor.draft.toPlainText() == "Sam" and editor.phone.text() == "call me"


def test_change_move_remove_and_undo(qtbot: QtBot, page: SafetyPage, diary: OpenDiary) -> None:
    svc = SafetyService(diary.db)
    for text in ("Walk", "Shower", "Music"):
        svc.add_item("coping_alone", text)
    page.open_editor(1)
    editor = page.editor
    assert [r.item.text for r in editor.rows] == ["Walk", "Shower", "Music"]
    assert not editor.rows[0].up_button.isEnabled()
    editor.rows[2].up_button.trigger()  # its ⋯ menu: Move up
    assert plan_texts(diary, "coping_alone") == ["Walk", "Music", "Shower"]
    qtbot.mouseClick(editor.rows[0].edit_button, Qt.MouseButton.LeftButton)
    assert editor.add_button.text() == "Save change"
    editor.draft.setPlainText("Walk round the block")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert plan_texts(diary, "coping_alone")[0] == "Walk round the block"
    editor.rows[1].remove_button.trigger()  # its ⋯ menu: Remove
    assert plan_texts(diary, "coping_alone") == ["Walk round the block", "Shower"]
    assert editor.undo_button.isVisible()
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    assert plan_texts(diary, "coping_alone") == ["Walk round the block", "Music", "Shower"]


def test_the_view_shows_every_step_with_copyable_numbers(
    qtbot: QtBot, page: SafetyPage, diary: OpenDiary
) -> None:
    svc = SafetyService(diary.db)
    svc.add_item("people", "Ruth", "07700 900461")
    svc.add_item("reasons", "Biscuit the cat")
    page.refresh()
    assert page.stack.currentWidget() is page.view
    cards = page.view.findChildren(type(page.empty))
    assert len(cards) == len(STEPS)
    from companion.ui.help import CopyButton

    (copy,) = page.view.findChildren(CopyButton)
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "07700 900461"
    assert copy.text() == "Copied"


def test_review_prompt_after_a_while(qtbot: QtBot, page: SafetyPage, diary: OpenDiary) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=100)
    SafetyService(diary.db, clock=lambda: long_ago).add_item("reasons", "The sea")
    page.refresh()
    assert page.review_notice.isVisible()
    assert "When you feel up to it" in page.review_notice.text.text()
    qtbot.mouseClick(page.review_button, Qt.MouseButton.LeftButton)
    assert not page.review_notice.isVisible()
    assert SafetyService(diary.db).plan().reviewed_on == date.today()
    assert "Last reviewed" in page.reviewed_label.text()


def test_save_as_pdf_for_the_therapist_reads_back(
    page: SafetyPage, diary: OpenDiary, tmp_path: Path
) -> None:
    svc = SafetyService(diary.db)
    svc.add_item("warning_signs", "Lying awake <late> & worrying")
    svc.add_item("people", "Ruth (sister)", "07700 900461")
    svc.add_item("reasons", "Ünïcödé: the sea")
    page.refresh()
    written = page.save_pdf(tmp_path / "plan")
    assert written == tmp_path / "plan.pdf"
    reader = PdfReader(str(written))
    text = pdf_text(reader)
    assert "My safety plan" in text and "Last reviewed" in text
    assert "Lying awake <late> & worrying" in text
    assert "07700 900461" in text and "Ünïcödé" in text
    for step in STEPS:
        assert step.title in text
    assert reader.metadata is not None and reader.metadata.title == "Safety plan"
    assert "not encrypted" in page.status.text()
    assert page.save_pdf(tmp_path / "no" / "such" / "folder.pdf") is None
    assert "could not be saved" in page.error.text()


def test_words_typed_but_not_added_survive_a_lock(qtbot, diary, context) -> None:  # type: ignore[no-untyped-def]
    from companion.core.safety.service import SafetyService
    from companion.core.session import OpenDiary
    from companion.ui.main_window import MainWindow

    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    window.open_page("safety")
    page = window.page("safety")
    page.open_editor(0)
    qtbot.keyClicks(page.editor.draft, "Not sleeping for two nights")
    path = diary.vault.path
    window.lock()
    again = OpenDiary.unlock(path, passphrase="violet tractor marmalade")
    texts = [item.text for item in SafetyService(again.db).plan().items]
    again.lock()
    assert "Not sleeping for two nights" in texts


def test_a_change_made_elsewhere_shows_at_once(
    page: SafetyPage, diary: OpenDiary, context: AppContext
) -> None:
    assert page.stack.currentWidget() is page.empty
    SafetyService(diary.db).add_item("reasons", "Biscuit the cat")
    context.changes.announce("safety")  # e.g. an import of another diary's plan
    assert page.stack.currentWidget() is page.view
    page.open_editor(6)
    SafetyService(diary.db).add_item("reasons", "The sea")
    context.changes.announce("safety")
    assert [r.item.text for r in page.editor.rows] == ["Biscuit the cat", "The sea"]


def test_the_plan_is_one_column_on_a_small_laptop_and_never_cut_off(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """At 1024×640 the plan reads top to bottom in one column with nothing scrolled sideways;
    on a wide window it uses two columns; resizing switches back and forth."""
    from companion.ui.main_window import MainWindow

    svc = SafetyService(diary.db)
    svc.add_item("people", "Ruth (sister), any time", "07700 900461")
    svc.add_item("professionals", "Dr Patel, my therapist (Tue and Thu)", "020 7946 0312")
    svc.add_item("warning_signs", "Lying awake after 2 a.m. going over the same thoughts")
    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.open_page("safety")
    page = window.page("safety")
    assert isinstance(page, SafetyPage)
    scroller = window._scrollers["safety"]
    qtbot.waitUntil(lambda: page.view.columns == 1)
    qtbot.waitUntil(lambda: page.width() <= scroller.viewport().width())
    qtbot.waitUntil(lambda: not scroller.horizontalScrollBar().isVisible())
    first, second = page.view.cards[:2]
    qtbot.waitUntil(lambda: second.geometry().top() > first.geometry().bottom())  # 2 under 1
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: page.view.columns == 2)
    first, second = page.view.cards[:2]
    assert second.geometry().left() > first.geometry().right()  # 2 beside 1
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: page.view.columns == 1)
    window.close()


def test_each_card_is_measured_once_until_its_font_changes(
    qtbot: QtBot, page: SafetyPage, diary: OpenDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fitting the plan to the room (every resize) does not measure every card again: their
    rich-text lists make that a few milliseconds a card."""
    from companion.ui.widgets.common import Card

    SafetyService(diary.db).add_item("people", "Ruth (sister), any time", "07700 900461")
    page.refresh()
    page.finish_building()
    measured: list[Card] = []
    real = Card.minimumSizeHint

    def counting(card: Card) -> object:
        measured.append(card)
        return real(card)

    monkeypatch.setattr(Card, "minimumSizeHint", counting)
    page.view.set_room(900)
    page.view.set_room(1400)
    assert measured == []
    first = page.view.cards[0]
    font = first.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    first.setFont(font)  # a larger text size: that card is measured again
    page.view.set_room(1400)
    assert measured == [first]


def test_the_cards_made_in_steps_are_each_measured_in_a_step_of_their_own(
    qtbot: QtBot, diary: OpenDiary
) -> None:
    """Each card made in a later step is measured (its narrowest width) in the step after it,
    so fitting the plan to its room once all are made measures nothing more (all seven in
    that one turn: 10-14 ms, with the last cards)."""
    from companion.ui.safety.page import PlanView

    view = PlanView()
    qtbot.addWidget(view)
    plan = SafetyService(diary.db).plan()
    steps = view.show_plan(plan, now=2)
    assert len(view.cards) == 2 and not view._narrowest  # the first ones: measured when fitted
    assert len(steps) == 2 * (len(STEPS) - 2)
    for add, measure in zip(steps[::2], steps[1::2], strict=True):
        add()
        assert view.cards[-1] not in view._narrowest
        measure()
        assert view.cards[-1] in view._narrowest
    assert len(view.cards) == len(STEPS)


def test_steps_waiting_for_the_first_paint_keep_their_budget_when_started_now(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """A page built ahead starts its steps before any paint (``Page.start_steps_now``): they
    run with the budget they were given, not the default 8 ms."""
    from companion.ui.pages import building_ahead
    from companion.ui.safety.page import STEP_MS
    from companion.ui.timers import Steps

    with building_ahead():
        page = SafetyPage(diary, context)
    qtbot.addWidget(page)
    page.start_steps_now()
    [steps] = [work for work in page._building if isinstance(work, Steps)]
    assert steps._budget_s == STEP_MS / 1000
    page.finish_building()


def test_built_ahead_the_plan_is_read_and_shown_in_steps_not_in_the_constructor(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built ahead, hidden, the constructor's turn only makes the page's frame: the plan is
    read and its header filled in a step of their own, its cards in the steps after (the
    constructor's turn was 12-15 ms); opened meanwhile, the page is whole at once."""
    from companion.ui.pages import building_ahead

    service = diary.service(SafetyService)
    for step in STEPS:
        service.add_item(step.key, f"Something for {step.key}")
    reads: list[int] = []
    real = SafetyService.plan
    monkeypatch.setattr(SafetyService, "plan", lambda self: reads.append(1) or real(self))
    with building_ahead():
        page = SafetyPage(diary, context)
    qtbot.addWidget(page)
    assert reads == [] and page.building and page.view.cards == []
    page.start_steps_now()
    qtbot.waitUntil(lambda: not page.building, timeout=10_000)
    assert reads == [1] and len(page.view.cards) == len(STEPS)
    assert page.stack.currentWidget() is page.view
    # opened before its steps ran: the whole plan at once
    with building_ahead():
        other = SafetyPage(diary, context)
    qtbot.addWidget(other)
    other.finish_building()
    assert not other.building and len(other.view.cards) == len(STEPS)
    assert other.stack.currentWidget() is other.view
