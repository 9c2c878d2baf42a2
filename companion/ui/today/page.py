"""Today, the home page: a greeting and the cards each feature adds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.core.session import OpenDiary
from companion.core.timekeeping import local_now
from companion.i18n import _, format_date, ngettext
from companion.ui import build_ahead, theme
from companion.ui.context import WINDOW_SIZE
from companion.ui.pages import AppContext, Page, TodayCard
from companion.ui.tasks import run_task
from companion.ui.timers import APART_MS, after, after_paint, settle_layouts
from companion.ui.widgets.common import Card, icon, label, tab_order_as_laid_out, title


def greeting(now: datetime) -> str:
    hour = now.hour
    if 5 <= hour < 12:
        return _("Good morning")
    if 12 <= hour < 18:
        return _("Good afternoon")
    if 18 <= hour < 23:
        return _("Good evening")
    return _("Hello")


class TodayPage(Page):
    page_id = "today"

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(18)
        self.heading = title("")
        layout.addWidget(self.heading)
        self.date_label = label("", name="Muted")
        layout.addWidget(self.date_label)
        self.cards = QVBoxLayout()
        self.cards.setSpacing(16)
        layout.addLayout(self.cards)

        self.safe_card = Card(_("Your diary is safe here"))
        self.saved_label = label("")
        self.safe_card.body.addWidget(self.saved_label)
        row = QHBoxLayout()
        lock = QPushButton(icon("mdi6.lock-outline"), _("Lock now"))
        lock.setAccessibleName(_("Lock now"))
        lock.clicked.connect(context.signals.lock_requested)
        settings = QPushButton(icon("mdi6.cog-outline"), _("Backups and settings"))
        settings.setAccessibleName(_("Backups and settings"))
        settings.clicked.connect(lambda: context.signals.open_page.emit("settings"))
        row.addWidget(lock)
        row.addWidget(settings)
        row.addStretch(1)
        self.safe_card.body.addLayout(row)
        self._tab_order_pending = False
        from companion.ui.extension_points import load as load_ui

        self.cards.addWidget(self.safe_card)
        layout.addStretch(1)
        # The cards that fill the first screen are built before the page is first shown:
        # a piece per turn of the event loop when the unlock asks for them
        # (``first_screen_step``: the unlock window stays up meanwhile), else all at once as
        # the page is shown. The rest (each reads the diary) a few per turn once the page has
        # been painted, so the page appears as soon as what is on screen is ready.
        # ``feature_cards`` builds them all at once.
        self._cards: list[TodayCard] = []
        self._waiting = list(load_ui().today_cards())
        #: what is still to be drawn of the card built last (a card's ``in_parts``)
        self._parts: list[Callable[[], object]] = []
        self._first_screen = False
        after_paint(self, self._build_rest)
        self._refresh_own(backups=False)
        # The cards fill themselves as they are built: the first refresh (when the page is
        # first shown, a moment later) need not read the diary again for them.
        self._cards_fresh = True
        #: how many times the page was refreshed (``shown`` tells whether it was just now)
        self._refreshes = 0

    @property
    def feature_cards(self) -> list[TodayCard]:
        """Every feature's card on this page (those not built yet are built now)."""
        self._finish_parts()
        while self._waiting:
            self._build_next()
        return list(self._cards)

    def first_screen_whole(self) -> bool:
        """The cards built so far fill the room the window will have (or there are no more)."""
        if self._first_screen:  # (parts left now are of cards built after it, out of sight)
            return True
        if self._parts:  # (a card of the first screen not drawn whole yet)
            return False
        # the page is built before the window is shown and sized, so neither knows its room
        # yet: the window's (the screen's, if smaller)
        room = WINDOW_SIZE[1]
        screen = self.screen()
        if screen is not None:
            room = min(room, screen.availableGeometry().height())
        layout = self.layout()
        if not self._waiting or layout is None or layout.sizeHint().height() >= room:
            self._first_screen = True
            # The backups, counted off the GUI thread (listing them waits for a save under
            # way), once the first screen's cards have read the diary (a first read may
            # write: a new diary's tags).
            self.build_after_task(self._count_backups, self._show_backups, lambda _e: None)
        return self._first_screen

    def first_screen_step(self) -> bool:
        """One piece of the first screen: the next card, or the next part of one (the
        check-in card's form, then its recent check-ins), each a few milliseconds; False
        when there was none left (the first screen is whole)."""
        if self._parts:
            self._parts.pop(0)()
            return True
        if self.first_screen_whole():
            return False
        self._build_next(in_parts=True)
        return True

    def _build_next(self, *, in_parts: bool = False) -> None:
        self._finish_parts()
        make = self._waiting.pop(0)
        # a card class may offer to be built in parts: ``in_parts(diary, context)`` gives the
        # card and what is left to draw of it, as callables
        parts = getattr(make, "in_parts", None) if in_parts else None
        if parts is None:
            self._take_in(make(self.diary, self.context))
            return
        card, rest = parts(self.diary, self.context)
        if self.isVisible():
            # on screen (built after the first paint): drawn off the page, taken in whole
            # once its parts are done, never seen empty
            self._parts = [*rest, lambda: self._measure(card), lambda: self._take_in(card)]
        else:
            self._take_in(card)
            self._parts = list(rest)

    def _measure(self, card: TodayCard) -> None:
        """A card drawn off the page measured for the width it will have on it (its wrapped
        labels' heights, which Qt keeps), in a turn of its own: taking it in and laying the
        page out then costs less (8.6 ms instead of 11.3 for the first card below the first
        screen, with its layout and paint; the measuring, 5 ms, in a turn of its own)."""
        width = self.safe_card.width()
        if width > 0:
            card.ensurePolished()
            card.heightForWidth(width)

    def _take_in(self, card: TodayCard) -> None:
        self._cards.append(card)
        self.cards.insertWidget(self.cards.indexOf(self.safe_card), card)
        # what it makes ahead for a later click, while the person is still, after the pages
        build_ahead.keep_ready(card, card.ahead_pieces(), f"today: {type(card).__name__}")
        card.installEventFilter(self)
        hidden_by_itself = card.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide
        ) and card.testAttribute(Qt.WidgetAttribute.WA_WState_Hidden)  # nothing due, say
        if self.isVisible() and not hidden_by_itself:
            card.show()  # at once, not on the next turn of the event loop

    def _finish_parts(self) -> None:
        while self._parts:
            self._parts.pop(0)()

    @property
    def building(self) -> bool:
        if self.locked:  # (nothing more is built for a locked diary)
            return False
        # (a page never shown, nor asked for its first screen, is not being built: it is
        # built when shown)
        started = self._first_screen or bool(self._cards) or self.isVisible()
        return (started and not self._first_screen) or bool(self._parts) or super().building

    def finish_building(self) -> None:
        while not self.locked and self.first_screen_step():
            pass
        super().finish_building()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # shown before its first screen was built in steps (a test, a window built at once):
        # built now, and laid out before it is painted, as if it had been built with the page
        if not self.first_screen_whole():
            while self.first_screen_step():
                pass
            settle_layouts(self)

    def _build_rest(self) -> None:
        """After the first paint: the other cards, a piece per turn of the event loop (a
        click or a key in between is answered): a card, what it reads, what it draws (a
        card built in parts, ``in_parts``), then Tab goes through them as they read."""
        if self.locked:
            return
        self._finish_parts()
        if self._waiting:
            # up to seven pieces a card: made, a read or two, drawn, measured, taken in (the
            # steps left at the end have nothing to do); one per turn: a budget of 8 ms ran a
            # card's read and its drawing, 5-9 ms each, in one turn; the turns ``APART_MS``
            # apart, as nothing here is on screen yet (1 ms apart, two pieces and the tab
            # order's restoring often ran in one pass of the event loop, up to 23 ms)
            self.build_in_steps(
                [self._build_piece for _card in self._waiting for _piece in range(7)],
                lambda: tab_order_as_laid_out(self),
                budget_ms=0,
                apart_ms=APART_MS,
            )

    def _build_piece(self) -> None:
        if self._parts:
            self._parts.pop(0)()
        elif self._waiting:  # (``feature_cards`` may have built them meanwhile)
            self._build_next(in_parts=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A card rebuilt its rows (a dose logged, a plan done): its new buttons joined the end
        # of the Tab order; once the card settles, Tab goes through it as it reads again.
        # (A moment later, ``APART_MS``, not on a zero timer: that ran in the same pass of the
        # event loop as whatever laid the card out, 1.5-2.3 ms more of its turn.)
        if event.type() == QEvent.Type.LayoutRequest and not self._tab_order_pending:
            self._tab_order_pending = True
            after(self, APART_MS, self._restore_tab_order)
        return super().eventFilter(watched, event)

    def _restore_tab_order(self) -> None:
        self._tab_order_pending = False
        tab_order_as_laid_out(self)

    def before_lock(self) -> None:
        """Cards that hold typed words (e.g. a check-in) save them before the diary locks."""
        for card in self._cards:  # a card not built yet holds nothing typed
            save = getattr(card, "before_lock", None)
            if callable(save):
                save()

    def focus_start(self) -> bool:
        """The first card that wants it (the check-in) takes the keyboard focus, so a digit
        and Enter save a mood right after unlocking."""
        return any(card.focus_start() for card in self._cards)

    def reads_now(self) -> tuple[object, ...]:
        """What the page shows depends on (``Page.reads_now``): the diary (any change to it:
        a dose, a check-in, a plan, a step put aside), the theme, and the clock as far as
        anything here reads it: the greeting by the hour, the date, and the day's doses,
        check-ups due and homework by the day. Shown again with these as they were (a person
        back from another page), the cards are shown as they are: re-reading them all was
        27-29 ms of the GUI thread at every return to Today. (The backups, counted off the GUI
        thread, are counted again each time: one made elsewhere writes no row.)"""
        now = local_now()
        return self.diary.version, now.date(), now.hour, theme.current().name

    def shown(self, *, fresh: bool) -> None:
        before = self._refreshes
        super().shown(fresh=fresh)
        if not fresh and self._refreshes == before and not self.locked:
            run_task(self._count_backups, self._show_backups, lambda _e: None, owner=self)

    def refresh(self) -> None:
        self._refreshes += 1
        fresh, self._cards_fresh = self._cards_fresh, False
        if not fresh:  # else shown right after it was built: the diary is as it was read
            for card in self._cards:  # one built later reads the diary as it is then
                card.refresh()
        self._refresh_own(backups=not fresh)

    def _refresh_own(self, backups: bool = True) -> None:
        now = datetime.now().astimezone()
        self.heading.setText(greeting(now))
        self.date_label.setText(format_date(now, "full"))
        if backups:
            run_task(self._count_backups, self._show_backups, lambda _e: None, owner=self)

    def _count_backups(self) -> int:
        return len(self.diary.backups())

    def _show_backups(self, count: object) -> None:
        assert isinstance(count, int)
        self._set_saved_text(
            ngettext(
                "Everything you write is encrypted and saved on this computer as soon as you "
                "write it. Companion keeps {count} encrypted backup of your diary. It never "
                "connects to the internet.",
                "Everything you write is encrypted and saved on this computer as soon as you "
                "write it. Companion keeps {count} encrypted backups of your diary. It never "
                "connects to the internet.",
                count,
            ).format(count=count)
        )

    def _set_saved_text(self, text: str) -> None:
        if text != self.saved_label.text():  # (the same count again: no new layout)
            self.saved_label.setText(text)
