"""A check-in as a person makes one: from Today by mouse and by keyboard, from anywhere with
Ctrl+N, with details, and with bad input that keeps every word."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.core.mood.service import MoodService, TagKind, TrackerKind
from companion.core.mood.vocabulary import MAX_NOTE_CHARS
from companion.core.session import OpenDiary
from companion.ui.mood.checkin_form import CheckInForm
from companion.ui.mood.dialogs import CheckInDialog
from companion.ui.mood.today_card import CheckInCard
from companion.ui.pages import AppContext
from tests.ui.conftest import PASS, wait_for_tasks


def make_card(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> CheckInCard:
    card = CheckInCard(diary, context)
    qtbot.addWidget(card)
    card.resize(900, 700)
    card.show()
    qtbot.waitExposed(card)
    return card


def test_mood_alone_by_mouse_is_two_clicks_and_shows_in_recent(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = make_card(qtbot, diary, context)
    assert card.empty.isVisible()
    form = card.form
    qtbot.mouseClick(form.mood.buttons[7], Qt.MouseButton.LeftButton)
    assert form.mood.current.text().endswith("Good")
    with qtbot.waitSignal(form.saved, timeout=2000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    entry = saved.args[0]
    assert entry.mood == 7
    stored = MoodService(diary.db).entries()
    assert [e.mood for e in stored] == [7]
    assert stored[0].anxiety is None and stored[0].note is None
    assert form.status.text().startswith("Saved")
    assert "failed" not in form.status.text().lower()
    # the new row placed on top a turn after the save was heard (``CheckInCard._add_newest``)
    qtbot.waitUntil(lambda: [v.entry.id for v in card.recent] == [entry.id])
    assert not card.empty.isVisible()
    assert form.mood.value() is None  # ready for the next one


def test_mood_alone_by_keyboard_tab_digit_enter(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = make_card(qtbot, diary, context)
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    # the mood row is the card's first tab stop: Tab from the page lands on it
    assert QApplication.focusWidget() is card.form.mood
    card.form.save_button.setFocus()
    qtbot.keyClick(card.form.save_button, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is card.form.mood  # and back again with Shift+Tab
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert [e.mood for e in MoodService(diary.db).entries()] == [4]
    # 10 has its own keys: "1" then "0"
    card.form.mood.setFocus()
    qtbot.keyClicks(card.form.mood, "10")
    assert card.form.mood.value() == 10
    qtbot.keyClick(card.form.mood, Qt.Key.Key_Left)
    assert card.form.mood.value() == 9
    qtbot.keyClick(card.form.mood, Qt.Key.Key_Enter)
    assert sorted(e.mood for e in MoodService(diary.db).entries()) == [4, 9]


def test_saving_without_a_mood_asks_for_one_and_writes_nothing(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = make_card(qtbot, diary, context)
    qtbot.mouseClick(card.form.save_button, Qt.MouseButton.LeftButton)
    assert "Choose a number for your mood" in card.form.error.text()
    assert MoodService(diary.db).count_entries() == 0


def test_more_details_tags_trackers_and_backdating(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    svc = MoodService(diary.db)
    coffee = svc.add_tracker("Coffee", TrackerKind.NUMBER, unit="cups", minimum=0, maximum=20)
    grounding = svc.add_tracker("Practised grounding", TrackerKind.YES_NO)
    card = make_card(qtbot, diary, context)
    form = card.form
    assert not form.details.isVisible()
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
    assert form.details.isVisible()
    # the folded parts open with a click on their heading
    for key in ("experiences", "day", "trackers"):
        assert not form.sections[key].body.isVisible()
        qtbot.mouseClick(form.sections[key].header, Qt.MouseButton.LeftButton)
        assert form.sections[key].body.isVisible()
    qtbot.mouseClick(form.mood.buttons[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.anxiety.buttons[6], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.energy.buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.energy.buttons[2], Qt.MouseButton.LeftButton)  # clicked again: clear
    assert len(form.elevated.buttons) == 4  # wired or unusually up: 0–3, optional
    qtbot.mouseClick(form.elevated.buttons[1], Qt.MouseButton.LeftButton)
    form.sleep_hours.setValue(6.5)
    form.exercise.setValue(0)  # "none" is different from "not recorded"
    qtbot.mouseClick(form.signs["felt_numb"].yes, Qt.MouseButton.LeftButton)
    form.signs["felt_unsafe"].setFocus()
    qtbot.keyClick(form.signs["felt_unsafe"], Qt.Key.Key_N)
    walk = {t.name: t.id for t in svc.tags(TagKind.ACTIVITY)}["Walk"]
    qtbot.mouseClick(form.activities.chips[walk], Qt.MouseButton.LeftButton)
    _info, coffee_box = form.tracker_inputs[coffee.id]
    coffee_box.setValue(2.5)
    _info, grounding_box = form.tracker_inputs[grounding.id]
    qtbot.mouseClick(grounding_box.yes, Qt.MouseButton.LeftButton)
    form.note.setFocus()
    qtbot.keyClicks(form.note, "Quiet walk.")
    assert not form.note_count.isVisible()  # the count only shows near the limit
    earlier = form.when.dateTime().addDays(-2)
    form.when.setDateTime(earlier)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.error.text() == ""
    (entry,) = svc.entries()
    assert (entry.mood, entry.anxiety, entry.energy, entry.elevated) == (3, 6, None, 1)
    assert entry.sleep_hours == 6.5 and entry.exercise_minutes == 0
    assert entry.outdoors_minutes is None
    assert entry.felt_numb is True and entry.felt_unsafe is False
    assert entry.intrusive_memories is None
    assert entry.tag_ids == {walk}
    assert entry.tracker_values == {coffee.id: 2.5, grounding.id: 1.0}
    assert entry.note == "Quiet walk."
    assert entry.local_date == earlier.date().toPython()
    assert not form.details.isVisible()


def test_a_too_long_note_is_refused_and_kept_on_screen(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = make_card(qtbot, diary, context)
    form = card.form
    form.set_expanded(True)
    text = "word " * 210_000  # about a megabyte pasted in
    form.note.setPlainText(text)
    assert "too long" in form.note_count.text()
    qtbot.mouseClick(form.mood.buttons[5], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "too long" in form.error.text()
    assert form.note.toPlainText() == text
    assert MoodService(diary.db).count_entries() == 0


def test_ctrl_n_opens_a_check_in_from_any_page_and_a_lock_keeps_it(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, vault_path: Path
) -> None:
    from companion.ui.main_window import MainWindow

    window = MainWindow(diary, context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_page("settings")
    wait_for_tasks(qtbot)  # the page's own look at the keyring, which a lock would cut short
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CheckInDialog)  # the diary page was never opened: Today's card
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog.form.mood, Qt.Key.Key_6)
    qtbot.keyClick(dialog.form.mood, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [e.mood for e in MoodService(diary.db).entries()] == [6]
    # and a lock saves a check-in that has its mood, rather than losing it
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    second = QApplication.activeModalWidget()
    assert isinstance(second, CheckInDialog)
    qtbot.keyClick(second.form.mood, Qt.Key.Key_8)
    window.lock()
    reopened = OpenDiary.unlock(vault_path, passphrase=PASS)
    try:
        assert sorted(e.mood for e in MoodService(reopened.db).entries()) == [6, 8]
    finally:
        reopened.close()


def test_felt_unsafe_or_on_guard_offers_the_plan_and_help_quietly(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    from companion.ui.help import HelpDialog

    card = make_card(qtbot, diary, context)
    form = card.form
    form.set_expanded(True)
    form.sections["experiences"].set_open(True)
    question = form.signs["felt_unsafe"]
    assert question.question == "Felt unsafe or on guard"  # nothing presumed about the place
    assert not form.unsafe_offer.isVisible()
    qtbot.mouseClick(question.no, Qt.MouseButton.LeftButton)
    assert not form.unsafe_offer.isVisible()
    qtbot.mouseClick(question.yes, Qt.MouseButton.LeftButton)
    assert form.unsafe_offer.isVisible()
    qtbot.mouseClick(form.unsafe_button, Qt.MouseButton.LeftButton)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpDialog)]
    assert shown and shown[-1].isVisible()
    for dialog in shown:
        dialog.close()
    qtbot.mouseClick(form.mood.buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert MoodService(diary.db).entries()[0].felt_unsafe is True
    assert not form.unsafe_offer.isVisible()  # a fresh form after saving


def test_the_expanded_check_in_folds_and_remembers_its_sections(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Every section starts folded (one heading, one Tab stop each); Space or Enter on a
    heading opens it (Enter does not save the check-in), and the diary remembers each one the
    person opens or folds. An edited check-in opens the sections holding its answers, and the
    next new check-in is folded as the person left it."""
    svc = MoodService(diary.db)
    card = make_card(qtbot, diary, context)
    form = card.form
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
    assert [key for key, s in form.sections.items() if s.body.isVisible()] == []
    assert not form.anxiety.isVisible() and not form.note.isVisible()
    qtbot.mouseClick(form.mood.buttons[5], Qt.MouseButton.LeftButton)
    qtbot.keyClick(form.sections["sleep"].header, Qt.Key.Key_Space)
    qtbot.keyClick(form.sections["note"].header, Qt.Key.Key_Return)
    assert form.sleep_quality.isVisible() and form.note.isVisible()
    assert svc.entries() == []  # Enter on a heading opened it, and saved nothing
    assert svc.open_sections() == ["sleep", "note"]
    form.sleep_quality.set_value(4)
    form.sleep_hours.set_number(7)
    qtbot.keyClick(form.sections["sleep"].header, Qt.Key.Key_Enter)
    assert not form.sleep_quality.isVisible()
    assert svc.open_sections() == ["note"]
    # a folded part says what it holds, in its words and its name
    sleep = form.sections["sleep"].header
    assert sleep.text() == sleep.accessibleName() == "Sleep and the day · 2 answers"
    assert form.sections["feelings"].header.text() == "Other feelings"
    qtbot.keyClick(sleep, Qt.Key.Key_Space)
    assert sleep.text() == "Sleep and the day"  # open: the answers are in sight
    qtbot.keyClick(sleep, Qt.Key.Key_Space)
    form.reset()  # a new check-in: nothing held
    assert sleep.text() == "Sleep and the day"
    again = make_card(qtbot, diary, context)  # e.g. after the next unlock
    again.form.set_expanded(True)
    assert [key for key, s in again.form.sections.items() if s.is_open()] == ["note"]
    # a check-in with an answer in a folded part opens that part to be changed
    qtbot.mouseClick(again.form.mood.buttons[5], Qt.MouseButton.LeftButton)
    again.form.anxiety.set_value(4)
    again.form.signs["felt_numb"].set_value(True)
    qtbot.mouseClick(again.form.save_button, Qt.MouseButton.LeftButton)
    (entry,) = svc.entries()
    form.load_entry(entry)
    assert form.sections["feelings"].body.isVisible()
    assert form.sections["experiences"].body.isVisible()
    assert not form.sections["day"].body.isVisible() and not form.sections["sleep"].is_open()
    qtbot.keyClick(form.sections["day"].header, Qt.Key.Key_Space)  # the person opens one
    assert svc.open_sections() == ["day", "note"]  # not those the edit opened
    qtbot.mouseClick(form.cancel_button, Qt.MouseButton.LeftButton)
    form.set_expanded(True)  # the next new check-in: as the person left it
    assert [key for key, s in form.sections.items() if s.is_open()] == ["day", "note"]


def test_yes_no_beside_its_question_units_shown_and_the_count_near_the_limit(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    card = make_card(qtbot, diary, context)
    card.resize(1200, 700)
    form = card.form
    form.set_expanded(True)
    form.sections["sleep"].set_open(True)
    form.sections["note"].set_open(True)
    question = form.substances
    gap = question.no.x() - (question.text.x() + question.text.width())
    assert 0 <= gap < 40  # right beside its words, not at the far end of the row
    assert form.sleep_hours.text() == "not recorded (hours)"
    assert form.exercise.text() == "not recorded (minutes)"
    form.note.setPlainText("x" * 100)
    assert not form.note_count.isVisible()
    form.note.setPlainText("x" * int(MAX_NOTE_CHARS * 0.95))
    assert form.note_count.isVisible()
    assert form.note_count.text().endswith(f"of {MAX_NOTE_CHARS:,} characters")


def _shown_with_the_tag_in_tab_order(qtbot: QtBot, form: CheckInForm, tag_id: str) -> None:
    """Every section of the details open and on screen, with a tag added after they were
    built, and in the Tab order right after the mood, the Save row after them."""
    for section in form.sections.values():
        section.set_open(True)
    assert form.details.isVisible() and form.anxiety.isVisible()
    assert tag_id in form.activities.chips
    form.mood.setFocus()
    qtbot.keyClick(form.mood, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.when
    form.note.setFocus()
    qtbot.keyClick(form.note, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.save_button


def test_the_details_are_built_when_more_is_first_opened(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """A quick check-in needs only the mood row: the inputs behind "More…" (most of the form's
    cost) are built the first time it is opened, in the Tab order after the mood."""
    from companion.ui.mood.inputs import ChipGroup, ScaleInput

    svc = MoodService(diary.db)
    card = make_card(qtbot, diary, context)
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    form = card.form
    assert form.findChildren(ScaleInput) == [form.mood]
    assert not form.findChildren(ChipGroup) and "note" not in vars(form)
    form.mood.setFocus()
    qtbot.keyClick(form.mood, Qt.Key.Key_6)
    qtbot.keyClick(form.mood, Qt.Key.Key_Return)
    assert [e.mood for e in svc.entries()] == [6]
    assert form.findChildren(ScaleInput) == [form.mood]  # still nothing more was built
    new_tag = svc.add_tag("Cooked a meal", TagKind.ACTIVITY)  # while the details did not exist
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
    _shown_with_the_tag_in_tab_order(qtbot, form, new_tag.id)
    qtbot.mouseClick(form.mood.buttons[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.anxiety.buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert [(e.mood, e.anxiety) for e in svc.entries()][-1] == (3, 2)


def test_the_details_built_ahead_a_part_at_a_time_are_those_more_shows(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """Built ahead while the person is still (``build_details_ahead``), a section or two per
    piece, hidden: the first "More…" only shows them, with the tags added meanwhile, and they
    are in the Tab order after the mood as if "More…" had built them. A quick check-in
    between two pieces works, and so does "More…" half way: it builds the rest."""
    from companion.ui.mood.inputs import ChipGroup, ScaleInput

    svc = MoodService(diary.db)
    card = make_card(qtbot, diary, context)
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    form = card.form
    parts = form.build_details_ahead()
    next(parts)
    assert form.anxiety.parent() is not None and not form.details.isVisible()
    assert "note" not in vars(form)  # the rest is not built yet
    form.mood.setFocus()
    qtbot.keyClick(form.mood, Qt.Key.Key_6)
    qtbot.keyClick(form.mood, Qt.Key.Key_Return)  # a quick check-in half way
    assert [e.mood for e in svc.entries()] == [6]
    pieces = 1 + sum(1 for _piece in parts)
    assert pieces >= 4  # (a part per turn of the event loop, not all at once)
    assert "note" in vars(form) and not form.details.isVisible()
    assert list(form.build_details_ahead()) == []  # nothing left to do
    built = form.findChildren(ScaleInput)
    new_tag = svc.add_tag("Cooked a meal", TagKind.ACTIVITY)
    card.refresh()  # (as the card hears the change)
    form.when.blockSignals(True)  # an hour goes by before "More…" is opened
    form.when.setDateTime(form.when.dateTime().addSecs(-3600))
    form.when.blockSignals(False)
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
    assert abs(form.when.dateTime().secsTo(QDateTime.currentDateTime())) < 120  # now
    assert form.findChildren(ScaleInput) == built  # shown, not built again
    assert len(form.findChildren(ChipGroup)) == 2
    _shown_with_the_tag_in_tab_order(qtbot, form, new_tag.id)
    qtbot.mouseClick(form.mood.buttons[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.anxiety.buttons[2], Qt.MouseButton.LeftButton)
    form.note.setPlainText("Made soup.")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert [(e.mood, e.anxiety, e.note) for e in svc.entries()][-1] == (3, 2, "Made soup.")

    other = make_card(qtbot, diary, context)  # "More…" opened half way: the rest now
    half = other.form.build_details_ahead()
    next(half)
    next(half)
    qtbot.mouseClick(other.form.more_button, Qt.MouseButton.LeftButton)
    assert other.form.details.isVisible() and "note" in vars(other.form)
    assert list(half) == [] and list(other.form.build_details_ahead()) == []
    assert len(other.form.findChildren(ChipGroup)) == 2  # each input once


def test_tags_are_one_tab_stop_arrows_move_and_space_toggles(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    svc = MoodService(diary.db)
    card = make_card(qtbot, diary, context)
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    form = card.form
    form.set_expanded(True)
    form.sections["day"].set_open(True)
    chips = list(form.activities.chips.values())
    assert len(chips) > 3
    first, second = chips[0], chips[1]
    assert [c for c in chips if c.focusPolicy() & Qt.FocusPolicy.TabFocus] == [first]
    assert first.accessibleName() == first.text()
    assert first.accessibleDescription() == f"Activities, 1 of {len(chips)}"
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.triggers.current()  # one stop per group
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert QApplication.focusWidget() is second
    qtbot.keyClick(second, Qt.Key.Key_Space)
    assert second.isChecked() and not first.isChecked()
    qtbot.keyClick(second, Qt.Key.Key_End)
    assert QApplication.focusWidget() is chips[-1]
    qtbot.keyClick(chips[-1], Qt.Key.Key_Home)
    qtbot.keyClick(first, Qt.Key.Key_Right)
    # Tab leaves the group and Shift+Tab comes back to the chip last used
    qtbot.keyClick(second, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.triggers.current()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is second
    qtbot.mouseClick(form.mood.buttons[5], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    chosen = next(t.id for t in svc.tags(TagKind.ACTIVITY) if form.activities.chips[t.id] is second)
    assert svc.entries()[0].tag_ids == {chosen}


def test_a_save_redraws_only_what_changed_on_the_emptied_form(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """The form emptied after each save: the scale's "not rated yet" line is styled again only
    when its look changes (muted, or a chosen step's words), and "More…" keeps its icon
    unless the words or the theme changed (each was redone at every save: 1-6 ms of the
    click's turn)."""
    from companion.core.device_settings import DeviceSettings
    from companion.ui import theme

    card = make_card(qtbot, diary, context)
    form, scale = card.form, card.form.mood
    polished: list[str] = []
    style = scale.current.style()

    class Spy:
        def unpolish(self, widget: object) -> None:
            style.unpolish(widget)  # type: ignore[arg-type]

        def polish(self, widget: object) -> None:
            polished.append(scale.current.objectName())
            style.polish(widget)  # type: ignore[arg-type]

    scale.current.style = Spy  # type: ignore[assignment,method-assign]
    icon_before = form.more_button.icon().cacheKey()
    scale.set_value(None)
    assert polished == []  # muted already
    scale.set_value(4)
    scale.set_value(6)
    assert polished == [""]  # plain once, for both steps
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert polished == ["", "Muted"] and scale.current.objectName() == "Muted"
    assert form.more_button.icon().cacheKey() == icon_before
    app = QApplication.instance()
    try:
        theme.apply(app, DeviceSettings(theme="dark"))  # type: ignore[arg-type]
        form.set_expanded(False)
        assert form.more_button.icon().cacheKey() != icon_before  # drawn for the new theme
    finally:
        theme.apply(app, DeviceSettings(theme="light"))  # type: ignore[arg-type]
    wait_for_tasks(qtbot)
