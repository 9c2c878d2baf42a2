"""Today, the home page: a greeting and the cards each feature adds."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.core.session import OpenDiary
from companion.i18n import _, format_date, ngettext
from companion.ui.context import WINDOW_SIZE
from companion.ui.pages import AppContext, Page, TodayCard
from companion.ui.tasks import run_task
from companion.ui.timers import after, after_paint
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
        # The cards that fill the first screen are built now; the rest (each reads the diary)
        # one per turn of the event loop once the page has been painted, so the page appears
        # as soon as what is on screen is ready. ``feature_cards`` builds them all at once.
        self._cards: list[TodayCard] = []
        self._waiting = list(load_ui().today_cards())
        # the room the window will have: the page is built before the window is shown and
        # sized, so neither knows it yet (the screen's height alone built cards below it)
        room = WINDOW_SIZE[1]
        if self.screen() is not None:
            room = min(room, self.screen().availableGeometry().height())
        while self._waiting and layout.sizeHint().height() < room:
            self._build_next()
        if self._waiting:
            after_paint(self, self._build_rest)
        self._refresh_own(backups=False)
        # (counted off the GUI thread: listing the backups waits for a save under way)
        self.build_after_task(self._count_backups, self._show_backups, lambda _e: None)
        # The cards filled themselves as they were built: the first refresh (when the page
        # is first shown, a moment later) need not read the diary again for them.
        self._cards_fresh = True

    @property
    def feature_cards(self) -> list[TodayCard]:
        """Every feature's card on this page (those not built yet are built now)."""
        while self._waiting:
            self._build_next()
        return list(self._cards)

    def _build_next(self) -> None:
        card = self._waiting.pop(0)(self.diary, self.context)
        self._cards.append(card)
        self.cards.insertWidget(self.cards.indexOf(self.safe_card), card)
        card.installEventFilter(self)
        hidden_by_itself = card.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide
        ) and card.testAttribute(Qt.WidgetAttribute.WA_WState_Hidden)  # nothing due, say
        if self.isVisible() and not hidden_by_itself:
            card.show()  # at once, not on the next turn of the event loop

    def _build_rest(self) -> None:
        """One card per turn of the event loop (a click or a key in between is answered)."""
        if self._waiting:
            self._build_next()
            tab_order_as_laid_out(self)
        if self._waiting:
            after(self, 0, self._build_rest)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A card rebuilt its rows (a dose logged, a plan done): its new buttons joined the end
        # of the Tab order; once the card settles, Tab goes through it as it reads again.
        if event.type() == QEvent.Type.LayoutRequest and not self._tab_order_pending:
            self._tab_order_pending = True
            QTimer.singleShot(0, self, self._restore_tab_order)
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

    def refresh(self) -> None:
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
        self.saved_label.setText(
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
