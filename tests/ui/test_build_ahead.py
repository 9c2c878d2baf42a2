"""Pages built ahead, hidden, while the person is still (``ui/build_ahead.py``): every page not
opened yet is built and prepared a piece per turn, input stops it at once, a lock leaves
nothing of it, and a page built ahead shows the diary as it is when it is opened."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from companion.core.mood.service import MoodService, TagKind
from companion.core.safety.service import STEPS, SafetyService
from companion.core.session import OpenDiary
from companion.ui import build_ahead, teardown, timers
from companion.ui.main_window import MainWindow
from companion.ui.mood.dialogs import CheckInDialog
from companion.ui.mood.today_card import CheckInCard
from companion.ui.pages import AppContext, Page
from tests.ui.conftest import main_window_shown


@pytest.fixture
def window(
    qtbot: QtBot, diary: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setattr(build_ahead, "STILL_MS", 1)
    w = main_window_shown(qtbot, diary, context)  # the tests start the build-ahead themselves
    yield w
    if not w.locking:
        w.build_ahead_pages.paused = True  # (nothing more while the window is closed)


def _move_the_mouse(window: MainWindow) -> None:
    """Input as a platform delivers it: to the window first."""
    handle = window.windowHandle()
    point = QPointF(40, 40)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        point,
        point,
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(handle, event)


def _texts(page: Page) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel)]


def test_while_the_person_is_still_every_page_not_opened_is_built_hidden_and_prepared(
    qtbot: QtBot, window: MainWindow
) -> None:
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert set(window._built) == set(window.page_ids)
    others = [page_id for page_id in window.page_ids if page_id != "today"]
    assert all(window.is_ahead(page_id) for page_id in others)
    sizes = {}
    for page_id in others:
        page = window._built[page_id]
        assert not page.isVisible() and not page.building
        assert window.scroller(page_id).size() == window.stack.currentWidget().size()
        sizes[page_id] = page.size()
    assert window.current_page() is window._built["today"]  # nothing changed on screen
    # its first open shows it as built: no second build of everything
    safety = window._built["safety"]
    refreshed: list[int] = []
    safety.refresh = lambda: refreshed.append(1)  # type: ignore[method-assign]
    window.open_page("safety")
    assert window.current_page() is safety and safety.isVisible()
    assert refreshed == [] and not window.is_ahead("safety")
    window.open_page("today")
    window.open_page("safety")  # shown again with nothing changed: shown as it is
    assert refreshed == []
    plan = window.diary.service(SafetyService)
    plan.add_item(STEPS[0].key, "A walk round the block")  # (another window, say)
    window.open_page("today")
    window.open_page("safety")  # shown again after a change: it refreshes
    assert refreshed == [1]
    # each was laid out at the size it is shown at
    for page_id in others:
        window.open_page(page_id)
        QApplication.sendPostedEvents()
        assert window._built[page_id].size() == sizes[page_id], page_id


def test_then_the_check_in_s_more_is_made_ahead_hidden(qtbot: QtBot, window: MainWindow) -> None:
    """Once every page is built, the Today check-in's inputs behind "More…" are built too,
    hidden, a piece per turn: the first "More…" only shows them."""

    today = window.page("today")
    card = next(c for c in today.feature_cards if isinstance(c, CheckInCard))
    assert "note" not in vars(card.form)
    pieces: list[str] = []
    real = build_ahead.BuildAhead._turn

    def counted(ahead: build_ahead.BuildAhead) -> None:
        real(ahead)
        pieces.append(ahead.doing)

    ahead = window.build_ahead_pages
    ahead._turn = lambda: counted(ahead)  # type: ignore[method-assign]
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert "note" in vars(card.form) and not card.form.details.isVisible()
    made = "today: CheckInCard: made ahead"
    assert pieces.count(made) >= 4  # a section or two per turn
    # (asked for as Today took the card in, long before: made after every page)
    pages_done = max(i for i, doing in enumerate(pieces) if doing.endswith("painted unseen"))
    assert pages_done < pieces.index(made)
    built = card.form.findChildren(QWidget)
    qtbot.mouseClick(card.form.more_button, Qt.MouseButton.LeftButton)
    assert card.form.details.isVisible() and card.form.findChildren(QWidget) == built


def _spare(window: MainWindow) -> CheckInDialog | None:
    return next((d for d in window.findChildren(CheckInDialog) if d.spare), None)


def test_what_is_asked_to_be_kept_ready_is_made_while_the_person_is_still(
    qtbot: QtBot, window: MainWindow
) -> None:
    """``keep_ready`` at any time, for a widget of the window or of a window of it: its
    pieces after the pages, a piece per turn, only while the person is still; dropped with
    the widget it belongs to."""
    ahead = window.build_ahead_pages
    ahead.finish_now()
    assert ahead.finished
    made: list[tuple[str, int, str]] = []

    def pieces(name: str, count: int) -> Iterator[None]:
        for i in range(count):
            made.append((name, i, ahead.doing))
            yield

    dialog = QDialog(window)  # (a window of its own, of the main window)
    assert build_ahead.keep_ready(dialog, pieces("first", 3), "the first")
    assert not ahead.finished and made == []  # not in the turn that asked
    qtbot.waitUntil(lambda: ahead.finished, timeout=10_000)
    assert made == [("first", i, "the first: made ahead") for i in range(3)]

    # input stops it at once; still again, it goes on
    made.clear()
    ahead._resume.setInterval(60_000)  # still again only much later
    assert build_ahead.keep_ready(dialog, pieces("second", 4), "the second")
    _move_the_mouse(window)
    assert ahead.paused and ahead._resume.isActive()
    qtbot.wait(100)
    assert made == [] and not ahead.finished
    ahead._resume.setInterval(1)
    ahead._resume.start()  # the person is still again
    qtbot.waitUntil(lambda: ahead.finished, timeout=10_000)
    assert [i for _name, i, _doing in made] == [0, 1, 2, 3]

    # what belongs to a widget deleted meanwhile (a window closed, say) is dropped
    made.clear()
    ahead._resume.setInterval(60_000)
    assert build_ahead.keep_ready(dialog, pieces("third", 2), "the third")
    assert build_ahead.keep_ready(window.nav, pieces("fourth", 1), "the fourth")
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    ahead._resume.setInterval(1)
    ahead._resume.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=10_000)
    assert made == [("fourth", 0, "the fourth: made ahead")]
    # nothing is made while the window is hidden (closed, or hidden to the tray)
    made.clear()
    window.hide()
    assert build_ahead.keep_ready(window.nav, pieces("hidden", 2), "while hidden")
    qtbot.wait(150)
    assert made == [] and not ahead.finished
    window.show()
    qtbot.waitUntil(lambda: ahead.finished, timeout=10_000)
    assert [name for name, _i, _doing in made] == ["hidden", "hidden"]
    made.clear()
    # a widget of no window with a build-ahead: nothing is done (its click makes it all)
    alone = QWidget()
    qtbot.addWidget(alone)
    assert not build_ahead.keep_ready(alone, pieces("fifth", 1), "the fifth")
    assert made == [] and ahead.finished


def test_the_check_in_window_s_more_is_made_ahead_while_still_and_opens_as_things_are(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    """The window the next Ctrl+N opens (made ahead, hidden) has the inputs behind its
    "More…" made too, while the person is still, never in the turns right after a window
    closed; "More…" shows them with the tags and trackers added meanwhile and the sections as
    the person last left them in another form."""
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished and _spare(window) is not None, timeout=30_000)
    dialog = _spare(window)
    assert dialog is not None and not dialog.isVisible()
    qtbot.waitUntil(lambda: ahead.finished and "note" in vars(dialog.form), timeout=10_000)
    form = dialog.form
    assert not form.details.isVisible()
    built = set(form.findChildren(QWidget))

    service = MoodService(diary.db)
    tag = service.add_tag("Choir", TagKind.ACTIVITY)
    window.changes.announce("mood", "tags")  # (as the Tags & trackers window does)
    today = window.page("today")
    card = next(c for c in today.feature_cards if isinstance(c, CheckInCard))
    qtbot.mouseClick(card.form.more_button, Qt.MouseButton.LeftButton)
    header = card.form.sections["note"].header
    opened = not header.isChecked()
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton)  # remembered for every form
    assert service.open_sections() != form._open_sections

    assert card.shortcut.open_dialog() is dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(form.more_button, Qt.MouseButton.LeftButton)
    assert form.details.isVisible()
    assert tag.id in form.activities.chips  # read again as it opened
    assert form.sections["note"].is_open() is opened
    assert {k for k, s in form.sections.items() if s.is_open()} == set(service.open_sections())
    kept = set(form.findChildren(QWidget))
    assert len(built - kept) <= len(built) // 4  # (the chips and tracker rows made again)
    qtbot.mouseClick(form.mood.buttons[5], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.activities.chips[tag.id], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    (entry,) = service.entries()
    assert entry.mood == 5 and entry.tag_ids == {tag.id}

    # the next one: made once the window has closed, its inputs only after a still moment
    ahead._resume.setInterval(60_000)  # (the person goes on doing things)
    qtbot.waitUntil(lambda: _spare(window) is not None, timeout=5000)
    second = _spare(window)
    assert second is not None and second is not dialog
    assert ahead.paused and not ahead.finished
    qtbot.wait(100)
    assert "note" not in vars(second.form)
    ahead._resume.setInterval(1)
    ahead._resume.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=10_000)
    assert "note" in vars(second.form) and not second.form.details.isVisible()


def test_input_stops_it_at_once_and_it_goes_on_when_the_person_is_still_again(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: len(window._built) >= 2, timeout=10_000)
    monkeypatch.setattr(ahead._resume, "interval", lambda: 60_000)
    ahead._resume.setInterval(60_000)  # still again only much later
    _move_the_mouse(window)
    assert ahead.paused and ahead._resume.isActive()
    built = set(window._built)
    qtbot.waitUntil(lambda: timers.running() == 0 and not ahead._next, timeout=10_000)
    assert set(window._built) == built and not ahead.finished
    ahead._resume.setInterval(1)
    ahead._resume.start()  # the person is still again
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert set(window._built) == set(window.page_ids)


@pytest.mark.parametrize(
    "when", ["built", "its steps", "laid out", "its layouts activated", "painted unseen"]
)
def test_a_lock_while_pages_are_built_ahead_leaves_nothing_of_them(
    qtbot: QtBot, window: MainWindow, when: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = window.build_ahead_pages
    turn = build_ahead.BuildAhead._turn
    locked: list[str] = []
    pages: list[Page] = []
    # (the safety plan's steps are over before its next piece: it waits for them, as for any
    # work under way; the Learn page's are not)
    target = "learn" if when == "its steps" else "safety"

    def then_lock(self: build_ahead.BuildAhead) -> None:
        turn(self)
        if self.doing == f"{target}: {when}" and not locked:
            locked.append(self.doing)
            pages.extend(window._built.values())
            window.lock()  # (as a person's Ctrl+L would, between two turns of it)

    monkeypatch.setattr(build_ahead.BuildAhead, "_turn", then_lock)
    ahead.start()
    qtbot.waitUntil(lambda: bool(locked), timeout=30_000)
    assert {"today", target} <= {page.page_id for page in pages}
    assert window.locking and window._built == {} and not window._ahead
    qtbot.waitUntil(lambda: teardown.running() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(page) for page in pages), timeout=10_000)
    qtbot.waitUntil(lambda: timers.running() == 0)
    assert ahead.doing == f"{target}: {when}" and not ahead.finished  # it did nothing more


def test_a_change_between_building_ahead_and_opening_is_shown(
    qtbot: QtBot, window: MainWindow, diary: OpenDiary
) -> None:
    ahead = window.build_ahead_pages
    ahead.finish_now()
    safety = window._built["safety"]
    assert window.is_ahead("safety")
    diary.service(SafetyService).add_item("warning_signs", "Not sleeping for two nights")
    window.changes.announce("safety")  # as ``Operations`` do after a change
    window.open_page("safety")
    qtbot.waitUntil(lambda: not safety.building)
    assert "Not sleeping for two nights" in _texts(safety)


def test_a_change_a_page_does_not_show_leaves_it_as_built(qtbot: QtBot, window: MainWindow) -> None:
    """Safety listens to the plan's changes only: a check-in elsewhere does not concern it.
    Settings listens to none: any change refreshes it when it is first opened."""
    window.build_ahead_pages.finish_now()
    calls: list[str] = []
    for page_id in ("safety", "settings"):
        page = window._built[page_id]
        page.refresh = lambda p=page_id: calls.append(p)  # type: ignore[method-assign]
    window.changes.announce("mood", "entries")
    window.open_page("safety")
    window.open_page("settings")
    assert calls == ["settings"]


def test_a_new_day_refreshes_a_page_built_the_day_before(qtbot: QtBot, window: MainWindow) -> None:
    window.build_ahead_pages.finish_now()
    page = window._built["checkups"]
    calls: list[int] = []
    page.refresh = lambda: calls.append(1)  # type: ignore[method-assign]
    window._ahead["checkups"].day = window._ahead["checkups"].day.replace(year=2000)
    window.open_page("checkups")
    assert calls == [1]


def test_a_page_opened_while_it_is_built_ahead_is_shown_as_any_page(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = window.build_ahead_pages
    turn = build_ahead.BuildAhead._turn
    opened: list[bool] = []

    def then_open(self: build_ahead.BuildAhead) -> None:
        turn(self)
        if self.doing == "learn: its steps" and not opened:
            learn = window._built["learn"]
            opened.append(learn.building)
            window.open_page("learn")  # (a click between two turns of it)
            # its first screen whole as it is shown (what it still had to build, at once)
            opened.append(window.current_page() is learn and not learn.building)

    monkeypatch.setattr(build_ahead.BuildAhead, "_turn", then_open)
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert opened == [True, True]
    learn = window._built["learn"]
    assert window.current_page() is learn and learn.isVisible()
    assert not any(window.is_ahead(p) for p in ("today", "learn"))


def test_a_restored_backup_refreshes_a_page_built_ahead_when_it_is_first_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.build_ahead_pages.finish_now()
    calls: list[str] = []
    for page_id in ("today", "learn"):
        page = window._built[page_id]
        page.refresh = lambda p=page_id: calls.append(p)  # type: ignore[method-assign]
    window.context.signals.diary_replaced.emit()
    assert calls == ["today"]  # on screen: now; built ahead: not twice, and not yet
    window.open_page("learn")
    assert calls == ["today", "learn"]


def test_the_labels_measured_last_leave_the_page_s_layout_to_a_piece_of_its_own(
    qtbot: QtBot,
) -> None:
    """The last labels measured end their piece: the page's layout (``lay_out_hidden``) is not
    added to a turn that has spent its budget measuring."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    for n in range(3):
        layout.addWidget(QLabel(f"label {n}"))
    assert len(list(build_ahead.measure_labels(page))) == 1  # (well within the budget)
    empty = QWidget()
    qtbot.addWidget(empty)
    assert list(build_ahead.measure_labels(empty)) == []  # (nothing measured: no piece)


def test_its_layouts_are_activated_in_pieces_of_their_own_before_the_paint(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the first band painted unseen did to the whole page in one piece (Qt's
    ``activateChildLayoutsRecursively``: layouts activated, the move and resize events kept
    for hidden widgets sent) is done before it, a widget at a time within the budget."""
    from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QWidget

    pending = Qt.WidgetAttribute.WA_PendingResizeEvent
    left: dict[str, list[QWidget]] = {}
    real = build_ahead.paint_hidden

    def shown_with(widget: QWidget, page: QWidget) -> bool:
        """Laid out with the page: hidden by nothing up to it, and in no scroll area of its
        own (which lays out its viewport again in a queued call: left to the paint, as Qt
        would)."""
        parent: QWidget | None = widget
        while parent is not None and parent is not page:
            if parent.isHidden() or isinstance(parent, QAbstractScrollArea):
                return False
            parent = parent.parentWidget()
        return True

    def paint_hidden(scroller: QScrollArea) -> Iterator[None]:
        page = scroller.widget()
        assert isinstance(page, Page)
        left.setdefault(page.page_id, [])
        left[page.page_id] += [
            widget
            for widget in page.findChildren(QWidget)  # (the page itself: see below)
            if widget.testAttribute(pending) and shown_with(widget, page)
        ]
        yield from real(scroller)

    monkeypatch.setattr(build_ahead, "paint_hidden", paint_hidden)
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    assert set(left) == set(window.page_ids) - {"today"}
    # (a page whose height for its width changed meanwhile is given it again by its scroll
    # area: its own resize event is then left to the paint, as Qt would)
    assert all(widgets == [] for widgets in left.values()), {
        page_id: [(type(w).__name__, w.objectName(), type(w.parentWidget()).__name__) for w in ws]
        for page_id, ws in left.items()
        if ws
    }
    assert not any(
        page.isVisible() for page_id, page in window._built.items() if page_id != "today"
    )


def test_activating_a_hidden_page_lays_out_as_its_first_paint_would_a_widget_a_piece(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each widget is taken for visible while it gets its resize event, as Qt does as it
    paints a hidden widget (a tab widget lays out its tabs only then), and is hidden again
    after; with no budget, a piece per widget, parents first; hidden ones are left out."""
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

    monkeypatch.setattr(build_ahead, "BUDGET_S", 0.0)
    root = QWidget()
    qtbot.addWidget(root)
    page = QWidget(root)
    page.hide()
    tabs = QTabWidget()
    tab = QWidget()
    tabs.addTab(tab, "A tab")
    QVBoxLayout(page).addWidget(tabs)
    aside = QLabel("hidden by itself", page)
    aside.hide()
    page.resize(400, 300)
    seen: list[QObject] = []

    class Resized(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                seen.append(watched)
            return False

    resized = Resized()
    for widget in (page, tabs, tab, aside):
        widget.installEventFilter(resized)
    pieces = build_ahead.activate_hidden(page)
    next(pieces)
    assert seen == [page]
    rest = list(pieces)
    assert seen[:2] == [page, tabs] and tab in seen and aside not in seen
    assert len(rest) >= 2
    # laid out as its first paint would: the tab as wide as its tab widget's page area
    root_painted = QWidget()
    qtbot.addWidget(root_painted)
    other = QWidget(root_painted)
    other.hide()
    painted = QTabWidget()
    painted.addTab(QWidget(), "A tab")
    QVBoxLayout(other).addWidget(painted)
    other.resize(400, 300)
    other.render(QPixmap(400, 300))
    assert tab.geometry() == painted.widget(0).geometry() and tab.width() > 300
    assert not any(w.isVisible() for w in [page, *page.findChildren(QWidget)])


@pytest.mark.parametrize(("budget_s", "bands"), [(1.0, 4), (0.0, 1 + -(-500 // 24))])
def test_the_first_screen_is_painted_in_bands_sized_by_what_the_last_one_cost(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, budget_s: float, bands: int
) -> None:
    """A sixth of the screen first, then bands as tall as the last one's cost says fit in the
    budget (at most three times as tall, and a third of the screen): a cheap page in four
    pieces (a sixth, a third, a third, the rest), a costly one in bands of ``MIN_BAND``
    pixels."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QScrollArea, QWidget

    monkeypatch.setattr(build_ahead, "BUDGET_S", budget_s)
    scroller = QScrollArea()
    qtbot.addWidget(scroller)
    scroller.setFrameShape(QScrollArea.Shape.NoFrame)
    scroller.setWidgetResizable(True)
    page = QWidget()
    page.setMinimumHeight(2000)
    scroller.setWidget(page)
    scroller.resize(400, 600)
    scroller.show()
    QApplication.sendPostedEvents()
    assert scroller.viewport().height() == 600
    painted: list[QRect] = []
    real = QWidget.render

    def render(widget: QWidget, target: object, offset: object, region: object) -> None:
        painted.append(region.boundingRect())  # type: ignore[attr-defined]
        real(widget, target, offset, region)  # type: ignore[arg-type]

    monkeypatch.setattr(QWidget, "render", render)
    assert len(list(build_ahead.paint_hidden(scroller))) == bands
    assert painted[0].height() == 100
    assert [rect.top() for rect in painted] == sorted(rect.top() for rect in painted)
    assert sum(rect.height() for rect in painted) == 600
    assert max(rect.height() for rect in painted) <= 200  # (a third at most)


def test_the_diary_built_ahead_makes_its_check_ins_tab_in_two_steps_of_its_own(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built ahead, the Diary's constructor leaves its check-ins tab to three build steps, one
    per turn (``budget_ms=0``): the check-in card, the list, then the tab put in place (all
    in the constructor, its piece was 20-30 ms); anything that needs the tab before makes it
    at once."""
    from companion.ui.mood.page import DiaryPage
    from companion.ui.pages import building_ahead

    made: list[list[object]] = []
    real = DiaryPage.build_in_steps

    def build_in_steps(page: DiaryPage, steps: list[object], *args: object, **kw: object) -> None:
        if kw.get("budget_ms") == 0:
            made.append(list(steps))
        real(page, steps, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(DiaryPage, "build_in_steps", build_in_steps)
    page = window.build_ahead("mood")
    assert isinstance(page, DiaryPage) and page.building
    assert 0 not in page._built and not hasattr(page, "_form")
    [(card, history, tab)] = made
    card()  # type: ignore[operator]
    assert hasattr(page, "_form") and not hasattr(page, "_history") and 0 not in page._built
    history()  # type: ignore[operator]
    assert hasattr(page, "_history") and 0 not in page._built
    tab()  # type: ignore[operator]
    assert 0 in page._built and page.history.isVisibleTo(page)
    # a page asked for its list before its steps made it: made then
    with building_ahead():
        other = DiaryPage(window.diary, window.context)
    assert 0 not in other._built
    assert other.history is other._history and 0 in other._built
    other.deleteLater()
