"""The Reports page and homework, driven as people would use them: a therapist writes a plan,
the person opens it and accepts it, logs a week, and the summary shows that week honestly;
the preview, saving, cancelling, refusing to replace a file, what was shared."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from companion import paths
from companion.core.exercises.sessions import PracticeService
from companion.core.homework.demo import demo_plan
from companion.core.homework.plan import plan_to_toml, read_plan_file
from companion.core.homework.service import HomeworkService
from companion.core.mood.service import CheckIn, MoodService
from companion.core.reports.service import ReportsService
from companion.core.session import OpenDiary
from companion.core.timekeeping import local_now
from companion.ui.homework.plan_dialog import PlanDialog
from companion.ui.homework.today_card import HomeworkCard
from companion.ui.pages import AppContext
from companion.ui.reports import export_view
from companion.ui.reports.page import ReportsPage
from tests.ui.conftest import PASS, main_window_shown, wait_for_tasks


@pytest.fixture
def page(qtbot: QtBot, diary: OpenDiary, context: AppContext) -> Iterator[ReportsPage]:
    p = ReportsPage(diary, context)
    qtbot.addWidget(p)
    p.resize(1200, 850)
    p.show()
    qtbot.waitExposed(p)
    yield p
    wait_for_tasks(qtbot)
    if shiboken6.isValid(p):
        p.export._timer.stop()


def _preview(qtbot: QtBot, page: ReportsPage) -> export_view.Preview:
    page.export._timer.stop()
    page.export._preview_wanted = True
    page.export.update_preview()
    wait_for_tasks(qtbot)
    assert page.export.preview_result is not None
    return page.export.preview_result


def _dialog() -> PlanDialog:
    found = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, PlanDialog) and w.isVisible()
    ]
    assert len(found) == 1
    return found[0]


def test_a_week_of_homework_from_the_therapists_file_to_the_summary(
    qtbot: QtBot, page: ReportsPage, diary: OpenDiary, context: AppContext, tmp_path: Path
) -> None:
    today = local_now().date()
    start = today - timedelta(days=7)
    # the therapist, on their own copy: write the plan and save the file
    composer = page.composer
    page.tabs.setCurrentWidget(composer)
    qtbot.keyClicks(composer.title_edit, "Our first two weeks")
    qtbot.keyClicks(composer.author, "Sam (your therapist)")
    composer.starts.setDate(start)
    composer.weeks.setValue(2)
    exercise = composer.add_task("exercise")
    assert exercise is not None and exercise.exercise is not None
    exercise.exercise.setCurrentIndex(exercise.exercise.findData("five-senses"))
    walk = composer.add_task("free-text")
    assert walk is not None and walk.text is not None
    qtbot.keyClicks(walk.text, "A short walk")
    plan_file = tmp_path / "plan.toml"
    assert composer.save_to(plan_file) == plan_file
    assert (plan_file.stat().st_mode & 0o777) == 0o600
    plan = read_plan_file(plan_file)
    assert [t.kind for t in plan.tasks] == ["check-in", "exercise", "free-text"]
    assert "Saved plan.toml" in composer.done.text()
    # saving again never replaces the file without being asked
    assert composer.save_to(plan_file) is None and "already a file" in composer.status.text()

    # the person opens it (dropped on the homework tab), reads it and accepts it
    page.tabs.setCurrentWidget(page.plans)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(plan_file))])
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    page.plans.dropEvent(drop)
    dialog = _dialog()
    texts = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "Our first two weeks" in texts and "Check in twice a day" in texts
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    homework = diary.service(HomeworkService)
    (info,) = homework.current()
    assert info.title == "Our first two weeks"

    # a week of logging: check-ins (twice on most days), three five-senses sessions, walks
    mood = diary.service(MoodService)
    zone = local_now().tzinfo
    twice = 0
    for n in range(7):
        day = start + timedelta(days=n)
        mood.create_entry(CheckIn(mood=5, at=datetime.combine(day, time(9), zone)))
        if n % 3:
            mood.create_entry(CheckIn(mood=6, at=datetime.combine(day, time(20), zone)))
            twice += 1
    exercises = diary.service(PracticeService)
    for n in (1, 3, 5):
        session = exercises.start_session(
            "five-senses", at=datetime.combine(start + timedelta(days=n), time(18), zone)
        )
        exercises.finish_session(session.id)
    context.changes.announce("mood")
    homework.set_tick(info.id, 3, start + timedelta(days=2), True)
    homework.set_tick(info.id, 3, start + timedelta(days=4), True)
    qtbot.waitUntil(lambda: len(page.plans.views) == 1)
    QApplication.processEvents()
    shown = " ".join(w.text() for w in page.plans.views[0].findChildren(QLabel))
    assert f"Check in twice a day: {7 + twice} of" in shown

    # the summary of that week
    export = page.export
    page.tabs.setCurrentWidget(export)
    export.period.setCurrentIndex(export.period.findData("custom"))
    export.start.setDate(start)
    export.end.setDate(today - timedelta(days=1))
    target = tmp_path / "summary.pdf"
    export.save_to(target)
    wait_for_tasks(qtbot)
    assert target.exists(), export.status.text()
    assert "Saved summary.pdf" in export.status.text()
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    first = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    days_done = 7 + twice  # at most twice a day: 7 mornings and the evenings logged
    assert "Check in twice a day" in first
    assert re.search(rf"{days_done} of \d+ so far", first), first
    assert "“5-4-3-2-1" in first and "3 of" in first
    assert "A short walk" in first and "ticked off by the person" in first
    # listed under what was shared
    (entry,) = diary.service(ReportsService).shared()
    assert entry.format == "pdf" and entry.file_name == "summary.pdf"
    assert page.shared.table.rowCount() == 1
    # the pages, as a clinician will see them
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(target), str(tmp_path / "page")],
            check=True,
            timeout=60,
        )
        assert sorted(p.name for p in tmp_path.glob("page-*.png"))[0] == "page-1.png"


def test_the_preview_shows_the_pdfs_own_pages_and_what_other_files_hold(
    qtbot: QtBot, page: ReportsPage, diary: OpenDiary
) -> None:
    diary.service(MoodService).create_entry(CheckIn(mood=4, note="private words"))
    preview = _preview(qtbot, page)
    assert preview.pages >= 1 and len(preview.images) == min(preview.pages, 12)
    assert preview.images[0].width() == export_view.PREVIEW_WIDTH
    assert page.export.page_words.text().startswith("Page 1 of")
    page.export.format_buttons["csv"].setChecked(True)
    lines = _preview(qtbot, page).lines
    assert any(line.startswith("mood_checkins.csv") for line in lines)
    page.export.format_buttons["json"].setChecked(True)
    assert not page.export.section_boxes["mood"].isEnabled()
    assert page.export.section_boxes["notes"].isEnabled()
    lines = _preview(qtbot, page).lines
    assert any(line == "mood_entries: 1" for line in lines)
    page.export.format_buttons["fhir"].setChecked(True)
    assert any("1 mood check-in" in line for line in _preview(qtbot, page).lines)


def test_sensitive_sections_start_unticked(page: ReportsPage) -> None:
    boxes = page.export.section_boxes
    assert not boxes["notes"].isChecked()
    assert not boxes["safety-plan"].isChecked()
    assert not boxes["ace"].isChecked()
    assert all(boxes[s].isChecked() for s in ("mood", "checkups", "medicines", "homework"))


def test_cancel_stops_the_export_and_writes_nothing(
    qtbot: QtBot, page: ReportsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()

    def slow_render(db, request, now, *, progress, check):  # type: ignore[no-untyped-def]
        started.set()
        progress(0, 2, "Mood")
        for _ in range(1000):
            check()
            threading.Event().wait(0.01)
        raise AssertionError("not cancelled")

    monkeypatch.setattr(export_view, "render", slow_render)
    target = tmp_path / "summary.pdf"
    page.export.save_to(target)
    assert page.export.progress_row.isVisibleTo(page.export)
    assert started.wait(10)
    qtbot.mouseClick(page.export.cancel_button, Qt.MouseButton.LeftButton)
    wait_for_tasks(qtbot)
    assert page.export.status.text() == "Cancelled; nothing was saved."
    assert not target.exists() and not page.export.progress_row.isVisibleTo(page.export)


def test_an_existing_file_is_not_replaced_and_a_weak_password_is_refused(
    qtbot: QtBot, page: ReportsPage, tmp_path: Path, diary: OpenDiary
) -> None:
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"an earlier summary")
    page.export.save_to(target)
    wait_for_tasks(qtbot)
    assert target.read_bytes() == b"an earlier summary"
    assert "nothing was replaced" in page.export.status.text()
    page.export.password.setText("short")
    page.export.save_to(tmp_path / "other.pdf")
    assert "at least 8 characters" in page.export.status.text()
    assert not (tmp_path / "other.pdf").exists()
    assert diary.service(ReportsService).shared() == []


def test_a_bad_plan_file_gets_one_sentence_and_changes_nothing(
    page: ReportsPage, tmp_path: Path, diary: OpenDiary
) -> None:
    bad = tmp_path / "plan.toml"
    bad.write_text('format = "companion-homework-plan"\nversion = 7\n', encoding="utf-8")
    page.plans.open_path(bad)
    assert "newer version" in page.plans.status.text()
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, PlanDialog)
            and w.isVisible()] == []  # fmt: skip
    assert diary.service(HomeworkService).plans() == []


def test_the_today_card_shows_current_plans_and_ticks_free_text_tasks(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    card = HomeworkCard(diary, context, holder)
    QVBoxLayout(holder).addWidget(card)
    holder.show()
    assert not card.isVisible()  # nobody sees an empty homework card
    homework = diary.service(HomeworkService)
    today = local_now().date()
    plan = demo_plan(today - timedelta(days=3))
    info = homework.accept(homework.open_text(plan_to_toml(plan)))
    context.changes.announce("homework", "plans")
    qtbot.waitUntil(lambda: len(card.views) == 1)
    assert card.isVisible()
    box = card.views[0].ticks[5]
    assert isinstance(box, QCheckBox) and not box.isChecked()
    box.click()
    assert homework.ticks(info.id) == {5: [today]}
    qtbot.waitUntil(lambda: len(card.views) == 1 and card.views[0].ticks[5].isChecked())
    # ending it: the card offers to put it away, and undo brings it back
    view = card.views[0]
    assert view.end_button is not None
    qtbot.mouseClick(view.end_button, Qt.MouseButton.LeftButton)
    assert homework.get(info.id).state == "ended"
    qtbot.waitUntil(lambda: card.views and card.views[0].archive_button is not None)
    qtbot.mouseClick(card.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    assert homework.get(info.id).state == "active"
    card.undo_bar.dismiss()
    qtbot.waitUntil(lambda: not card._rebuild.isActive())  # (then read off the GUI thread)
    wait_for_tasks(qtbot)


def test_the_screenshot_of_the_reports_page_renders(
    tmp_path: Path, data_dir: Path, qapp: object
) -> None:
    from companion.core import demo
    from companion.ui.screenshot import render_page

    created, _key = OpenDiary.create(paths.vault_path(data_dir), PASS)
    demo.fill(created.db, 60, 1)
    created.lock()
    out = tmp_path / "reports.png"
    render_page(page="reports", out=out, data_dir=data_dir, size=(1024, 640), theme="dark",
                passphrase=lambda: PASS)  # fmt: skip
    assert out.exists() and out.stat().st_size > 10_000


def test_no_preview_is_made_for_a_page_left_before_its_delay(
    qtbot: QtBot, page: ReportsPage
) -> None:
    """A person passing through Reports to another page: the preview waits until Reports is
    shown again, rather than being made on a worker while the next page opens."""
    export = page.export
    wait_for_tasks(qtbot)
    export._timer.stop()
    export._preview_wanted = True
    export.preview_result = None
    page.hide()  # another page shown before the delay was over
    export.update_preview()  # the delay's end
    assert not export._preview_running and export._preview_wanted
    page.show()
    assert export._timer.isActive()  # made once the page is back on screen
    export._timer.stop()
    export.update_preview()
    wait_for_tasks(qtbot)
    assert export.preview_result is not None


def test_opened_from_the_sidebar_the_preview_is_made_once_the_page_is_painted(
    qtbot: QtBot, diary: OpenDiary, context: AppContext
) -> None:
    """The preview's worker starts after the page's paint, not in the turn that shows it (it
    took turns for Python's lock with that paint: 38 ms against 15 for a plain copy)."""

    window = main_window_shown(qtbot, diary, context)
    started: list[bool] = []
    original = export_view.tasks.run_task

    def run_task(*args: object, **kwargs: object) -> object:
        started.append(True)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    export_view.tasks.run_task = run_task  # type: ignore[assignment]
    try:
        window.open_page("reports")
        page = window.page("reports")
        assert isinstance(page, ReportsPage)
        page.export.finish_now()
        assert started == []  # not in the turn that showed the page
        qtbot.waitUntil(lambda: page.export.preview_result is not None, timeout=10_000)
        assert started == [True]
        wait_for_tasks(qtbot)
        window.open_page("today")
        window.open_page("reports")  # nothing changed: the preview stays as it was
        QApplication.processEvents()
        assert started == [True]
    finally:
        export_view.tasks.run_task = original  # type: ignore[assignment]
    wait_for_tasks(qtbot)


def test_the_first_page_of_the_preview_is_shown_without_decoding_it_on_this_thread(
    qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker hands over the first page as it drew it: decoding it from PNG in the turn
    that shows the preview took a third of that turn. Shown again, it is decoded."""
    decoded: list[int] = []
    real = export_view.QImage.fromData

    def from_data(data: bytes) -> QImage:
        decoded.append(len(data))
        return real(data)

    monkeypatch.setattr(export_view.QImage, "fromData", staticmethod(from_data))
    preview = _preview(qtbot, page)
    assert preview.shown >= 1
    assert decoded == []  # page 1 is on screen, drawn from the worker's own image
    assert not page.export.page_image.pixmap().isNull()
    page.export.show_page(0)  # (a resize): from the PNG kept, as the other pages
    assert len(decoded) == 1
    assert preview.first is None


def test_the_export_form_is_made_a_card_a_turn(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form's three cards are made in steps with no budget to share: a card a turn (with
    8 ms of steps, all three and the form's settling were one turn of 11-17 ms)."""
    budgets: list[float] = []
    real = export_view.in_steps

    def in_steps(
        owner: QWidget, steps: list[object], budget_ms: float = 8.0, **kw: object
    ) -> object:
        budgets.append(budget_ms)
        return real(owner, steps, budget_ms, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(export_view, "in_steps", in_steps)
    view = export_view.ExportView(diary, context)
    qtbot.addWidget(view)
    assert budgets == [0]
    view.finish_now()
