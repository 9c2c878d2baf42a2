"""What every sidebar page is, and the context the main window hands to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from companion.core.timekeeping import local_now
from companion.i18n import _
from companion.ui import theme

# the context lives apart (the launch needs it, not pages); every page imports it from here
from companion.ui.context import AppContext as AppContext
from companion.ui.context import AppSignals as AppSignals
from companion.ui.timers import NEXT_TURN_MS, Steps, after_paint, in_steps
from companion.ui.widgets.common import Card

if TYPE_CHECKING:
    from companion.core.session import OpenDiary


#: a page is being built ahead (``ui/build_ahead.py``): see ``Page.built_ahead``
_building_ahead = False


@contextmanager
def building_ahead() -> Iterator[None]:
    """The pages made inside are built ahead, hidden, while the person is still."""
    global _building_ahead
    before, _building_ahead = _building_ahead, True
    try:
        yield
    finally:
        _building_ahead = before


def in_locked_page(widget: QWidget) -> bool:
    """``widget`` belongs to a page whose diary has locked (a turn it had put off before the
    lock must not read the closed diary)."""
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, Page):
            return parent.locked
        parent = parent.parentWidget()
    return False


@dataclass(eq=False)
class _FromTask:
    """Part of a page drawn from work done off the GUI thread (``Page.build_after_task``)."""

    work: Callable[[], object]
    fill: Callable[[object], object]
    failed: Callable[[BaseException], object] | None
    filled: bool = False

    def finish(self, result: object) -> None:
        if not self.filled:
            self.filled = True
            self.fill(result)

    def fail(self, error: BaseException) -> None:
        if not self.filled:
            self.filled = True
            if self.failed is not None:
                self.failed(error)


@dataclass(eq=False)
class _Waiting:
    """Steps of a page waiting for its first paint before they begin."""

    steps: list[Callable[[], object]]
    done: Callable[[], object] | None
    budget_ms: float = 8.0
    apart_ms: int = NEXT_TURN_MS
    started: bool = False


_EXPLICIT = Qt.WidgetAttribute.WA_WState_ExplicitShowHide
_HIDDEN = Qt.WidgetAttribute.WA_WState_Hidden


def _finished(work: Steps | _Waiting | _FromTask) -> bool:
    if isinstance(work, _Waiting):
        return False
    if isinstance(work, _FromTask):
        return work.filled
    return not shiboken6.isValid(work) or work.finished


class Page(QWidget):
    """A page in the sidebar. ``page_id`` names the page its feature declared in the core
    (``companion.core.extension_points.PageDecl``: title, icon, place in the sidebar)."""

    page_id = ""
    #: the page shows the diary's current data once built, so the main window does not
    #: refresh it again at once when it is first shown (a second build of everything)
    refreshed_when_built = False
    #: the page may be built ahead, hidden, while the person is still (``ui/build_ahead.py``)
    build_ahead = True

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.diary = diary
        self.context = context
        #: the diary locked: the page is off screen, waiting to be deleted (``ui/teardown.py``);
        #: work it had put off for a later turn must not run any more
        self.locked = False
        #: work building the page over later turns (``build_in_steps``), oldest first
        self._building: list[Steps | _Waiting | _FromTask] = []
        #: built ahead, hidden (``ui/build_ahead.py``): nobody waits for its first screen, so
        #: the constructor may leave more of it to its steps (they are over before it is shown;
        #: one opened while they run is finished at once as it is shown)
        self.built_ahead = _building_ahead
        #: :meth:`reads_now` at the page's last refresh by :meth:`shown`
        self._reads_when_shown: object = None
        from companion import features

        decl = features.load().page(self.page_id)
        self.setAccessibleName(_(decl.title) if decl is not None else self.page_id)

    def build_in_steps(
        self,
        steps: Iterable[Callable[[], object]],
        done: Callable[[], object] | None = None,
        *,
        after_first_paint: bool = False,
        budget_ms: float = 8.0,
        apart_ms: int = NEXT_TURN_MS,
    ) -> None:
        """Build part of the page over later turns of the event loop, a few ``steps`` per turn
        (``timers.in_steps``: as many as fit in ``budget_ms``, each turn ``apart_ms`` after the
        one before), then call ``done``: what is below the first screen (with
        ``after_first_paint``, once the page has been painted), or results drawn a block at
        a time. Nothing more runs once the diary locks.
        ``finish_building`` builds what is left at once, for whatever needs the whole page (a
        link to one of its items)."""

        def unless_locked(step: Callable[[], object]) -> Callable[[], object]:
            return lambda: None if self.locked else step()

        guarded = [unless_locked(step) for step in steps]
        finish = unless_locked(done) if done is not None else None
        self._forget_finished()
        if not after_first_paint:
            self._building.append(in_steps(self, guarded, budget_ms, finish, apart_ms=apart_ms))
            return
        waiting = _Waiting(guarded, finish, budget_ms, apart_ms)
        self._building.append(waiting)

        def start() -> None:
            if waiting in self._building and not waiting.started:
                waiting.started = True
                index = self._building.index(waiting)
                self._building[index] = in_steps(
                    self, waiting.steps, waiting.budget_ms, waiting.done, apart_ms=waiting.apart_ms
                )

        after_paint(self, start)

    def start_steps_now(self) -> None:
        """Start now the steps waiting for the page's first paint (``after_first_paint``):
        a page built ahead, hidden, is not painted before it is opened."""
        for index, work in enumerate(self._building):
            if isinstance(work, _Waiting) and not work.started:
                work.started = True
                self._building[index] = in_steps(
                    self, work.steps, work.budget_ms, work.done, apart_ms=work.apart_ms
                )

    def _forget_finished(self) -> None:
        self._building = [work for work in self._building if not _finished(work)]

    def build_after_task(
        self,
        work: Callable[[], object],
        fill: Callable[[object], object],
        failed: Callable[[BaseException], object] | None = None,
    ) -> None:
        """Part of the page drawn from ``work`` done off the GUI thread (reading files, waiting
        for a save): ``fill(result)`` on the GUI thread when it is done (``failed(error)``
        when it raised). The page is building until then; ``finish_building`` does the work
        here and now if its result has not come yet (so ``work`` must be safe to run on both
        threads at once: it may still be running on the worker). Nothing is drawn once the
        diary locks."""
        from companion.ui.tasks import run_task

        entry = _FromTask(
            work,
            lambda result: None if self.locked else fill(result),
            None if failed is None else lambda error: None if self.locked else failed(error),
        )
        self._forget_finished()
        self._building.append(entry)
        run_task(work, entry.finish, entry.fail, owner=self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fill_first_screen()

    def _fill_first_screen(self) -> None:
        """Shown, not painted yet: steps waiting for the first paint run now, in order, until
        the page is taller than the room its scroll area shows. The first screen is then
        whole, and the scroll bar is there from the first paint (one appearing later would
        narrow the page and move every line on screen)."""
        waiting = [w for w in self._building if isinstance(w, _Waiting) and not w.started]
        room = self.parentWidget()  # the scroll area's viewport
        if not waiting or room is None:
            return
        for work in waiting:
            while work.steps and not self.overflows(room):
                work.steps.pop(0)()

    def overflows(self, room: QWidget) -> bool:
        """Whether the page, with what its steps have made so far, is taller than ``room``
        (its scroll area's viewport) at that room's width."""
        layout = self.layout()
        if layout is None:
            return True
        # What the steps added is shown now, not on the next turn (Qt's way for a widget
        # added to one on screen), and what it did to the layouts reaches this page's.
        # (most are visible already: that is asked first, the rest only of the others)
        for widget in self.findChildren(QWidget):
            if widget.isVisible() or widget.isWindow():
                continue
            if widget.testAttribute(_EXPLICIT) and widget.testAttribute(_HIDDEN):
                continue  # hidden by itself
            parent = widget.parentWidget()
            if parent is not None and parent.isVisible():
                widget.show()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        width = room.width()
        tall = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        return tall > room.height()

    @property
    def building(self) -> bool:
        """Part of the page is still being built over later turns (``build_in_steps``)."""
        return any(not _finished(work) for work in self._building)

    def finish_building(self) -> None:
        """Build at once everything the page was still building over later turns."""
        while self._building:
            work = self._building.pop(0)
            if isinstance(work, _Waiting):
                work.started = True
                for step in work.steps:
                    step()
                if work.done is not None:
                    work.done()
            elif isinstance(work, _FromTask):
                if not work.filled:
                    work.finish(work.work())
            elif shiboken6.isValid(work) and not work.finished:
                work.finish_now()

    def refresh(self) -> None:
        """Called each time the page is shown (unless :meth:`reads_now` says nothing it
        shows can have changed) and after the diary is replaced."""

    def reads_now(self) -> object:
        """What the page shows depends on, compared each time it is shown again: while this
        equals what it was at the page's last refresh, the page is shown as it is, not made
        again (a person going back and forth between pages). None, the default: refreshed
        each time it is shown. :meth:`diary_day_theme` suits a page that shows only the
        diary's data (any change to the diary, a new day or another theme refreshes it)."""
        return None

    def diary_day_theme(self) -> tuple[object, ...]:
        """The diary's version (``OpenDiary.version``: any change to it), the local date and
        the theme (colours written into rich text)."""
        return self.diary.version, local_now().date(), theme.current().name

    def refresh_when_seen(self, _change: object = None) -> None:
        """A change this page shows (a listener's slot): refreshed now when it is on screen;
        hidden, when it is next shown (the diary's version has changed by then), not now in
        the middle of whatever the person is doing on another page."""
        if self.isVisible():
            self.refresh()

    def shown(self, *, fresh: bool) -> None:
        """The page was just shown: refresh it, unless it is ``fresh`` (just built from the
        diary as it is) or nothing it reads has changed since its last refresh here."""
        reads = self.reads_now()
        if not fresh and (reads is None or reads != self._reads_when_shown):
            self.refresh()
            reads = self.reads_now()
        self._reads_when_shown = reads

    def focus_start(self) -> bool:
        """Put the keyboard focus where a person starts on this page (after unlocking);
        False when the page has no such place."""
        return False

    def before_lock(self) -> None:
        """Called just before the diary locks (Ctrl+L, idle, screen lock, closing): save
        anything typed but not yet saved. After this the page is thrown away."""

    def open_item(self, item_id: str) -> bool:
        """Show one item (an article, an exercise…) from a ``companion:`` link.

        Return False when the item does not exist; the page is shown either way.
        """
        return False

    def bring_into_view(self, widget: QWidget, focus: QWidget | None = None) -> None:
        """Scroll the page's scroll area to ``widget`` and put the keyboard focus on ``focus``
        (e.g. a link from Today to one card of this page)."""
        from PySide6.QtWidgets import QApplication, QScrollArea

        self.finish_building()  # the whole page, so that ``widget`` is where it will stay
        QApplication.processEvents()  # the page was just shown: let it lay itself out
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 0, 24)
        if focus is not None:
            focus.setFocus()


class TodayCard(Card):
    """A card a feature adds to the Today page (doses, homework, a suggested exercise…)."""

    #: position on the Today page, top first
    order = 50
    #: the card's title, marked with ``N_()`` (translated here)
    heading = ""

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(_(self.heading) if self.heading else None, parent)
        self.diary = diary
        self.context = context

    def refresh(self) -> None:
        """Called whenever the Today page is shown or the diary changes."""

    def set_shown(self, shown: bool) -> None:
        """Show or hide the card (nothing due: hidden). Not yet on the page (a card reads the
        diary as it is made, before the page takes it in), it is only marked hidden: shown,
        a widget without a parent becomes a window of its own for a moment (10-15 ms, and on
        a desktop a small window would flash), and the page shows it as it takes it in."""
        if self.parentWidget() is None:
            if not shown:
                self.hide()
            return
        self.setVisible(shown)

    def focus_start(self) -> bool:
        """Take the keyboard focus if this card is where a person starts (the check-in)."""
        return False

    def ahead_pieces(self) -> Iterator[None]:
        """What the card can make ahead, hidden, for a later click (the check-in's "More…"), a
        piece per ``next()``, each a few milliseconds and each ending with a yield: the Today
        page hands them to the build-ahead as it takes the card in
        (``build_ahead.keep_ready``). None by default."""
        return iter(())
