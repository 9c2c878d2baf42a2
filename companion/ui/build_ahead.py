"""Pages built ahead, hidden, while the person is still, so that their first open only shows
them.

A page's first open used to pay, in one turn of the event loop, for building the page, then
for Qt's first layout of it at the window's real width (every wrapped label measured, the
scroll area sized and sized again once its scroll bar appears), then for its first paint
(icons scaled, text shaped): 20–45 ms on a two-core VM. Shown again later, the same page costs
a repaint (2–8 ms). After the warm-up that imports the pages' modules
(``MainWindow._warm_up``), :class:`BuildAhead` does all of that for each page not opened yet,
hidden, one piece per turn (the page's construction, the steps it builds itself in, its layout
at the size of the page showing now, one paint of its first screen into a pixmap nobody sees),
so that its first open is the cost of a page shown again.

It stops at once when the person does anything (a key, a click, the mouse moving: nothing of
it then stands between their input and the window), takes up again once they have been still
for a while, waits while other work is under way (``timers.under_way``), and does nothing while
the diary locks: a page built ahead is one of the window's pages like any other, and the lock
tears it down with them (``ui/teardown.py``).

After the pages, the same still moments make what a later click shows and would otherwise
build in its own turn, whatever was asked for with :func:`keep_ready`, in the order asked:
the inputs behind the Today check-in's "More…" (asked as Today takes its card in), and those
in the window the next Ctrl+N opens (asked again after each one closes).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QMoveEvent, QPixmap, QRegion, QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget

from companion.ui import app_input
from companion.ui.timers import NEXT_TURN_MS, after

if TYPE_CHECKING:
    from companion.ui.main_window import MainWindow

#: the person has been still this long (no key, click or mouse move) before the pages are built
#: ahead, and again before it takes up after they did something
STILL_MS = 1000
#: a piece waits this long while other work is under way (a page building in steps, background
#: work coming back, a lock's teardown)
RETRY_MS = 100
#: how long one piece that measures labels or paints a band may take
BUDGET_S = 0.008
#: the first band of a page's first screen painted unseen is this share of it; each next one
#: as tall as the last one's cost says fits in ``BUDGET_S`` (``paint_hidden``)
PAINT_BANDS = 6
#: a band painted unseen is never less tall than this (pixels)
MIN_BAND = 24
#: nor more than this many times as tall as the band before (what is below may cost more),
#: nor taller than this share of the screen (the third each band was before: a band grown on
#: cheap rows reached a chart below and was a 13 ms piece)
BAND_GROWTH = 3
MAX_BAND_SHARE = 3
_PENDING_RESIZE = Qt.WidgetAttribute.WA_PendingResizeEvent
_PENDING_MOVE = Qt.WidgetAttribute.WA_PendingMoveEvent
_VISIBLE = Qt.WidgetAttribute.WA_WState_Visible
_UPDATES_DISABLED = Qt.WidgetAttribute.WA_UpdatesDisabled
_DIRECT = Qt.FindChildOption.FindDirectChildrenOnly


def lay_out_hidden(scroller: QScrollArea, like: QWidget) -> None:
    """Lay out ``scroller`` (hidden) and its page at the geometry of ``like``, the page showing
    now: what Qt would do as it is shown (the scroll area's resize, its page made as wide as
    its viewport and as tall as its height for that width), done now, so that every wrapped
    label's height for that width is measured and kept.

    The page is measured once, at the width it has beside a scroll bar: most pages are taller
    than the window (Qt would measure them without the bar first, then again with it). A page
    that turns out shorter loses its bar as it is shown and is measured again then (a short
    page: little to measure)."""
    policy = scroller.verticalScrollBarPolicy()
    scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    try:
        scroller.setGeometry(like.geometry())
        viewport = scroller.viewport()
        QApplication.sendEvent(scroller, QResizeEvent(scroller.size(), scroller.size()))
        QApplication.sendEvent(viewport, QResizeEvent(viewport.size(), viewport.size()))
        # the scroll area shows or hides its scroll bars in a queued call
        QCoreApplication.sendPostedEvents(scroller, QEvent.Type.MetaCall)
    finally:
        # (hidden, the scroll area lays nothing out again for this: it does as it is shown,
        # by the range the bar was given here)
        scroller.setVerticalScrollBarPolicy(policy)
    # what Qt would send as they are shown has been sent, at the size they have
    scroller.setAttribute(_PENDING_RESIZE, False)
    viewport.setAttribute(_PENDING_RESIZE, False)


def measure_labels(page: QWidget) -> Iterator[None]:
    """Each label's size hints (kept by Qt until its text, font or style changes), as many
    per piece as fit in ``BUDGET_S``: laying out a page full of wrapped text otherwise
    measures every label in one go (a page's layout at its real size took 45 ms for the
    Medications page, most of it its labels' first size hints). A piece that measured any
    ends with a yield too: what follows (the page's layout) is a piece of its own, not the
    rest of a turn that spent its budget here."""
    yield from _in_budget(
        label.minimumSizeHint()  # (its size hint with it)
        for label in page.findChildren(QLabel)
        if not label.isHidden()  # (left out of layouts)
    )


def _in_budget(work: Iterable[object]) -> Iterator[None]:
    """Run ``work`` (each item taken from it does a piece of it) as many items per piece as
    fit in ``BUDGET_S``, yielding between pieces; a piece that did any ends with a yield too,
    so that what follows is a piece of its own, not the rest of a turn spent here."""
    deadline = time.perf_counter() + BUDGET_S
    pending = False
    for _item in work:
        pending = True
        if time.perf_counter() >= deadline:
            yield
            deadline = time.perf_counter() + BUDGET_S
            pending = False
    if pending:
        yield


def activate_hidden(page: QWidget, leave_out: tuple[QWidget, ...] = ()) -> Iterator[None]:
    """What painting a hidden widget first does to the whole of it (Qt's
    ``QWidgetPrivate::prepareToRender``, ``activateChildLayoutsRecursively``), a widget at a
    time, as many per piece as fit in ``BUDGET_S``: each widget not hidden by itself, parents
    before their children, styled, its layout activated (which places its children and
    measures their wrapped labels at their widths), then given the move and resize events Qt
    kept for it, as Qt does it: the widget and the hidden ones around it taken for visible
    meanwhile (a tab widget lays out its tabs only then). The first band painted unseen
    otherwise did all of it in one go (the Exercises page: 121 labels measured in a 10-14 ms
    band). A piece that did any ends with a yield, as in :func:`measure_labels`. What is in
    ``leave_out`` (and in them) is left as it is."""
    yield from _in_budget(_activated(page, leave_out))


def _activated(page: QWidget, leave_out: tuple[QWidget, ...]) -> Iterator[QWidget]:
    """Each widget of ``page`` not hidden by itself nor in ``leave_out`` (or in one of them),
    parents first, as it is activated."""
    todo: list[QWidget] = [page]
    while todo:
        widget = todo.pop()
        if not shiboken6.isValid(widget):
            continue
        _activate(widget)
        yield widget
        # (its widgets only, listed by Qt: each of its children wrapped in Python and looked
        # at here, widgets or not, was 15 ms of one piece for the Diary)
        children = widget.findChildren(QWidget, options=_DIRECT)
        todo.extend(
            child
            for child in reversed(children)  # (the first child next)
            if not child.isHidden() and not child.isWindow() and child not in leave_out
        )


def _activate(widget: QWidget) -> None:
    """One widget's part of :func:`activate_hidden`."""
    seen: list[QWidget] = []  # taken for visible, as Qt does while it lays them out
    parent = widget.parentWidget()
    while parent is not None and not parent.isVisible():
        seen.append(parent)
        parent = parent.parentWidget()
    for other in seen:
        other.setAttribute(_VISIBLE, True)
    try:
        widget.ensurePolished()
        layout = widget.layout()
        if layout is not None:
            layout.activate()
        if widget.testAttribute(_PENDING_MOVE) or widget.testAttribute(_PENDING_RESIZE):
            visible = widget.isVisible()
            updates = widget.updatesEnabled()
            widget.setAttribute(_VISIBLE, True)
            if updates:
                widget.setAttribute(_UPDATES_DISABLED, True)
            try:
                if widget.testAttribute(_PENDING_MOVE):
                    QApplication.sendEvent(widget, QMoveEvent(widget.pos(), widget.pos()))
                    widget.setAttribute(_PENDING_MOVE, False)
                if widget.testAttribute(_PENDING_RESIZE):
                    QApplication.sendEvent(widget, QResizeEvent(widget.size(), QSize()))
                    widget.setAttribute(_PENDING_RESIZE, False)
            finally:
                if updates:
                    widget.setAttribute(_UPDATES_DISABLED, False)
                widget.setAttribute(_VISIBLE, visible)
    finally:
        for other in reversed(seen):
            other.setAttribute(_VISIBLE, False)


def laid_out(scroller: QScrollArea) -> bool:
    """Whether the page of ``scroller`` (hidden) still has the size it will be shown at: as
    wide as the viewport, as tall as its height for that width (or the viewport)."""
    page = scroller.widget()
    if page is None:
        return True
    viewport = scroller.viewport()
    width = viewport.width()
    height = page.heightForWidth(width) if page.hasHeightForWidth() else -1
    if height < 0:
        height = page.sizeHint().height()
    return page.width() == width and page.height() == max(height, viewport.height())


def paint_hidden(scroller: QScrollArea) -> Iterator[None]:
    """Paint the first screen of ``scroller``'s page into a pixmap nobody sees, a band of it
    per piece: Qt lays out every widget in it (the resize events each would get as it is
    shown), scales its icons and shapes its text, and keeps them, so its first paint on
    screen is a repaint (``paint_unseen``)."""
    page = scroller.widget()
    viewport = scroller.viewport()
    if page is None:
        return
    yield from paint_unseen(page, viewport.size(), viewport.devicePixelRatio())


def paint_unseen(widget: QWidget, size: QSize, ratio: float) -> Iterator[None]:
    """Paint the top ``size`` of ``widget`` (shown or not) into a pixmap nobody sees, a band
    per piece, so that what its first paint on screen would make and keep (laid out text,
    scaled icons, a chart's axes and curves) is made now. The first band is a
    ``PAINT_BANDS``-th of it, each next one as tall as the band before's cost says fits in
    ``BUDGET_S`` and no taller than a third of it: a cheap page in four pieces, a costly one
    in more (a third of the Exercises or Diary page was a 10-19 ms piece)."""
    width, height = size.width(), size.height()
    if width <= 0 or height <= 0:
        return
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    band = max(MIN_BAND, -(-height // PAINT_BANDS))
    tallest = max(band, -(-height // MAX_BAND_SHARE))
    top = 0
    while top < height:
        tall = min(band, height - top)
        start = time.perf_counter()
        widget.render(pixmap, QPoint(), QRegion(0, top, width, tall))
        took = time.perf_counter() - start
        top += tall
        yield
        fits = int(tall * BUDGET_S / took) if took > 0 else BAND_GROWTH * tall
        band = max(MIN_BAND, min(BAND_GROWTH * tall, fits, tallest))


class _Kept(NamedTuple):
    """Something kept ready (``keep_ready``): its pieces, while ``owner`` exists."""

    owner: QObject
    pieces: Iterator[None]
    what: str


def keep_ready(widget: QWidget, pieces: Iterable[None], what: str) -> bool:
    """Have ``pieces`` (each ``next()`` makes a piece of something a later click shows: a few
    milliseconds of the GUI thread; a generator's last piece too ends with a yield, or it
    shares a turn with what is made next) done by the build-ahead of ``widget``'s main window, a
    piece per turn while the person is still, after the pages and what was asked for before;
    nothing more of them once ``widget`` is deleted (a lock, a window closed). ``what`` names
    it in the benches' logs. ``widget`` may be a window of its own (a dialog of the main
    window). False when no window it belongs to has a build-ahead (nothing is done then: the
    click makes it all, as it would have)."""
    window: QWidget | None = widget.window()
    while window is not None:
        ahead = window.findChild(BuildAhead, options=_DIRECT)
        if ahead is not None:
            ahead.keep_ready(widget, pieces, what)
            return True
        parent = window.parentWidget()
        window = parent.window() if parent is not None else None
    return False


class BuildAhead(QObject):
    """Builds the window's pages not opened yet, hidden, a piece per turn, while the person is
    still (see the module's docstring), then what is kept ready (``keep_ready``). ``start()``
    begins (the main window calls it after its warm-up); ``finished`` is True once every page
    is built and prepared and nothing asked for is left (False again when more is asked)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._plan: Iterator[int] | None = None
        #: what was asked to be kept ready and is not yet, in the order asked
        self._kept: list[_Kept] = []
        #: the page being built ahead and what of it is done next (for the benches' logs)
        self.doing = ""
        self._next: QTimer | None = None
        self.finished = False
        #: the person did something: nothing more is done until they are still again
        self.paused = False
        self._resume = QTimer(self)
        self._resume.setSingleShot(True)
        self._resume.setInterval(STILL_MS)
        self._resume.timeout.connect(self._go_on)
        app_input.add_activity_listener(self, self._pause)

    def start(self) -> None:
        """Begin (or go on) once the person has been still for ``STILL_MS``."""
        if self.finished:
            return
        if self._plan is None:
            self._plan = self._pieces()
        self.paused = True
        self._resume.start()

    def _pause(self) -> None:
        """Nothing more until the person has been still for ``STILL_MS`` (they did
        something, or the window is hidden)."""
        if self.finished or self._plan is None:
            return
        self.paused = True
        if self._next is not None and shiboken6.isValid(self._next):
            self._next.stop()
            self._next.deleteLater()
        self._next = None
        self._resume.start()

    def _go_on(self) -> None:
        self.paused = False
        self._schedule(0)

    def _schedule(self, ms: int) -> None:
        if self.paused or self.finished:
            return
        # (never a zero timer: it ran in the same pass of the event loop as the piece before
        # it, two 8-12 ms pieces back to back before any other timer: ``NEXT_TURN_MS``)
        self._next = after(self, max(ms, NEXT_TURN_MS), self._turn)

    def _turn(self) -> None:
        from companion.ui import timers

        self._next = None
        if self.paused or self.finished or self.window.locking:
            return
        if not self.window.isVisible():
            # (closed, or hidden to the tray: nothing is made for a window nobody sees, nor
            # read from a diary that may be closing; a still moment once it is shown again)
            self._pause()
            return
        if timers.under_way():
            self._schedule(RETRY_MS)
            return
        assert self._plan is not None
        try:
            wait_ms = next(self._plan)
        except StopIteration:
            self._finish()
            return
        self._schedule(wait_ms)

    def _finish(self) -> None:
        """Nothing left: nothing more until something is asked to be kept ready (the
        activity listener stays, and does nothing meanwhile)."""
        self.finished = True
        self.doing = ""
        self._resume.stop()

    def keep_ready(self, owner: QObject, pieces: Iterable[None], what: str) -> None:
        """See :func:`keep_ready`."""
        self._kept.append(_Kept(owner, iter(pieces), what))
        if self.finished:
            self.finished = False
            self._plan = self._kept_ready()
            self.start()

    def finish_now(self) -> None:
        """Build and prepare every page left at once (tests; a person never waits on it)."""
        if self._plan is None:
            self._plan = self._pieces()
        for _piece in self._plan:
            for page in self.window.built_pages():
                if page.building:
                    page.finish_building()
        self._finish()

    def _pieces(self) -> Iterator[int]:
        """Each page not opened yet, in the sidebar's order: built, the rest of it built in
        its own steps, laid out at the real size, its first screen painted unseen. A piece
        per ``next()``, which answers how long to wait before the next one; a page the person
        opened meanwhile is left as it is."""
        window = self.window
        for page_id in window.page_ids:
            if not window.may_build_ahead(page_id):
                continue
            self.doing = f"{page_id}: built"
            like = window.stack.currentWidget()
            scroller = window.scroller(page_id)
            if like is not None and like is not scroller:
                # its viewport as wide as it will be, before the page is made: what it fits
                # to the room it has (columns, rows of buttons) is fitted to that
                lay_out_hidden(scroller, like)
            window.build_ahead(page_id)
            yield 0
            page = window.built_page(page_id)
            if page is None or not window.is_ahead(page_id):
                continue  # (opened meanwhile: shown, laid out and painted as any page)
            # (twice at most: what its first paint starts, ``after_paint``, changes it again)
            for _round in range(2):
                self.doing = f"{page_id}: its steps"
                page.start_steps_now()  # what waits for its first paint: in steps now
                while page.building and window.is_ahead(page_id):
                    yield RETRY_MS  # (its steps run in their own turns)
                self.doing = f"{page_id}: its labels measured"
                for _piece in measure_labels(page):
                    if not window.is_ahead(page_id) or page.building:
                        break
                    yield 0
                if window.is_ahead(page_id):
                    self.doing = f"{page_id}: laid out"
                    like = window.stack.currentWidget()
                    if like is not None and like is not scroller:
                        lay_out_hidden(scroller, like)
                    yield 0
                if window.is_ahead(page_id):
                    self.doing = f"{page_id}: its layouts activated"
                    for _piece in activate_hidden(page):
                        if not window.is_ahead(page_id):
                            break
                        yield 0
                if window.is_ahead(page_id):
                    self.doing = f"{page_id}: painted unseen"
                    for _band in paint_hidden(scroller):
                        yield 0  # (after the last: what its first paint started runs first)
                        if not window.is_ahead(page_id):
                            break
                if not window.is_ahead(page_id):
                    break
                if not page.building and laid_out(scroller):
                    break
        yield from self._kept_ready()

    def _kept_ready(self) -> Iterator[int]:
        """What was asked to be kept ready, in the order asked, a piece per ``next()``; what
        belongs to a widget deleted meanwhile is dropped."""
        while self._kept:
            kept = self._kept.pop(0)
            self.doing = f"{kept.what}: made ahead"
            if not shiboken6.isValid(kept.owner):
                continue
            for _piece in kept.pieces:
                yield 0
                if not shiboken6.isValid(kept.owner):
                    break
