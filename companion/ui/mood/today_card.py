"""The check-in card on Today: mood in a few seconds, and the last few check-ins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from companion.core.mood.service import Entry, MoodService, TagInfo, TrackerInfo
from companion.core.session import OpenDiary
from companion.i18n import N_, _
from companion.ui.changes import Change
from companion.ui.mood.checkin_form import CheckInForm
from companion.ui.mood.dialogs import NewCheckInKey, alive
from companion.ui.mood.entry_view import EntryView
from companion.ui.pages import AppContext, TodayCard, in_locked_page
from companion.ui.timers import APART_MS, after, settle_layouts
from companion.ui.today.parts import reads_then_draw
from companion.ui.widgets.common import label, link_button

RECENT = 3


class _Recent(NamedTuple):
    """The recent check-ins as read: how many there are in all, the newest few, and the
    tags and trackers they are drawn with."""

    total: int
    entries: list[Entry]
    tags: dict[str, TagInfo]
    trackers: dict[str, TrackerInfo]


class CheckInCard(TodayCard):
    heading = N_("Check in")
    order = 10

    @classmethod
    def in_parts(
        cls, diary: OpenDiary, context: AppContext
    ) -> tuple[CheckInCard, list[Callable[[], object]]]:
        """The card with its form, then what reads its recent check-ins, then what draws them
        (Today's first screen is built a piece per turn while the unlock window is up)."""
        card = cls(diary, context, read=False)
        # the check-ins, then the tags and trackers they are drawn with: together one turn of
        # 8-9 ms, about half each
        entries: list[tuple[int, list[Entry]]] = []
        options: list[tuple[dict[str, TagInfo], dict[str, TrackerInfo]]] = []
        reads = [
            lambda: entries.append((card.service.count_entries(), card._latest())),
            lambda: options.append(card._read_options()),
        ]
        return card, reads_then_draw(
            diary,
            reads,
            lambda: card._draw_recent(_Recent(*entries[0], *options[0])),
            lambda: card.refresh(options=False),
        )

    def __init__(
        self,
        diary: OpenDiary,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        read: bool = True,
    ):
        super().__init__(diary, context, parent)
        self.service = diary.service(MoodService)
        self.form = CheckInForm(self.service, context)
        self.body.addWidget(self.form)

        # the recent check-ins apart from the form's Save row: a gap and a quiet rule
        self.body.addSpacing(8)
        rule = QFrame()
        rule.setObjectName("Rule")
        rule.setFixedHeight(1)
        self.body.addWidget(rule)
        self.body.addSpacing(4)
        head = QHBoxLayout()
        self.recent_heading = label(_("<b>Recent check-ins</b>"))
        head.addWidget(self.recent_heading, 1)
        self.open_diary = link_button(_("Open the diary"))
        self.open_diary.clicked.connect(lambda: context.signals.open_page.emit("diary"))
        head.addWidget(self.open_diary)
        self.body.addLayout(head)
        self.recent_box = QVBoxLayout()
        self.recent_box.setSpacing(0)
        self.body.addLayout(self.recent_box)
        self.empty = label(_("Nothing logged yet. Your check-ins will appear here."), name="Muted")
        self.body.addWidget(self.empty)
        self.recent: list[EntryView] = []
        #: the tags and trackers the recent check-ins were drawn with
        self._tags: dict[str, TagInfo] = {}
        self._trackers: dict[str, TrackerInfo] = {}
        #: a check-in saved from this card's own form, not yet added to the recent ones
        self._own_save = False
        #: the row of a check-in just saved here, made, to be placed on top in the next turn
        self._newest: EntryView | None = None
        # A check-in saved here is added to the recent ones as it is (one row drawn, nothing
        # read back): re-reading and redrawing all three was half of the save's turn.
        self.form.ops.initiator = self.form
        # The save's click turn holds the commit, the form emptied and "Saved"; the change
        # is announced and the row added in the next turn (together they made a 17-21 ms turn).
        self.form.follow_up_later = True
        self.form.saved.connect(self._saved)
        context.changes.listen("mood", self._changed, receiver=self)
        self.shortcut = NewCheckInKey.install(self, self.service, context)
        self.empty.hide()  # (until the check-ins have been counted)
        if read:
            self.refresh()

    def ahead_pieces(self) -> Iterator[None]:
        """The form's inputs behind "More…", built hidden before the person first opens it."""
        return self.form.build_details_ahead()

    def _changed(self, change: Change) -> None:
        """A hidden card waits: the Today page refreshes its cards each time it is shown."""
        if not self.isVisible():
            return
        if change.what == "entries" and change.initiator is self.form:
            # saved here: ``_saved`` adds it (unless the form says nothing, e.g. the write to
            # disk failed with the check-in kept in memory: then the card reads it back)
            self._own_save = True
            after(self, 0, self._catch_up)
            return
        # a check-in saved or deleted changes no tag or tracker: the chips stay as they are
        self.refresh(options=change.what != "entries")

    def _saved(self, entry: Entry) -> None:
        own, self._own_save = self._own_save, False
        if own and not self._add_newest(entry):
            self.refresh(options=False)

    def _catch_up(self) -> None:
        if self._own_save:
            self._own_save = False
            self.refresh(options=False)

    def _add_newest(self, entry: Entry) -> bool:
        """Put a check-in just saved at the top of the recent ones, as a refresh would (the
        service's order: time, then id); False when it does not go there (an earlier time,
        an edit, a tag not seen yet): the card is then read again."""
        shown = [view.entry for view in self.recent]
        if any(e.id == entry.id for e in shown):
            return False
        if shown and (entry.occurred_at, entry.id) < (shown[0].occurred_at, shown[0].id):
            return False
        if not (
            entry.tag_ids <= self._tags.keys()
            and entry.tracker_values.keys() <= self._trackers.keys()
        ):
            return False
        # The row is made, styled and measured at its width in this turn, out of the list;
        # placed in the next, with the page's layout and paint: in one turn with them it
        # was 15-20 ms of GUI work. (That turn a few milliseconds later, ``APART_MS``: at once,
        # or 1 ms later as ``Steps`` does, it ran in the same pass of the event loop.)
        view = EntryView(
            entry,
            self._tags,
            self._trackers,
            actions=False,
            show_day=True,
            parent=self.recent_box.parentWidget(),
        )
        view.ensurePolished()
        width = self.recent[0].width() if self.recent else 0
        if width > 0:
            view.heightForWidth(width)
        self._newest = view
        after(self, APART_MS, lambda: self._place_newest(view))
        return True

    def _place_newest(self, view: EntryView) -> None:
        if self._newest is not view or in_locked_page(self):  # read again meanwhile; locked
            view.deleteLater()
            return
        self._newest = None
        self.recent.insert(0, view)
        self.recent_box.insertWidget(0, view)
        while len(self.recent) > RECENT:
            self._drop(self.recent.pop())
        self.empty.setVisible(False)
        # The page laid out to its new height now, not a turn later: a row of another height
        # than the one it replaces makes the page taller or shorter, and its scroll area
        # resized it in the next turn, which painted the whole page again after the paint that
        # shows the row. (The row shown now: a layout shows a widget added to it a turn later,
        # and until then leaves it out.)
        view.show()
        settle_layouts(self)

    def _drop(self, view: EntryView) -> None:
        self.recent_box.removeWidget(view)
        view.hide()
        view.setParent(None)
        view.deleteLater()

    def refresh(self, options: bool = True) -> None:
        if options and self.form.editing is None:
            self.form.reload_options()
        self._draw_recent(self._read_recent())

    def _read_recent(self) -> _Recent:
        """What the recent check-ins show, read from the diary."""
        return _Recent(self.service.count_entries(), self._latest(), *self._read_options())

    def _read_options(self) -> tuple[dict[str, TagInfo], dict[str, TrackerInfo]]:
        """The tags and trackers, by id (what the recent check-ins are drawn with)."""
        return (
            {t.id: t for t in self.service.tags()},
            {t.id: t for t in self.service.trackers()},
        )

    def _draw_recent(self, recent: _Recent) -> None:
        self._own_save = False  # (read now: nothing left to add)
        self._newest = None  # (nor a row made to be placed)
        for view in self.recent:
            self._drop(view)
        self.recent = []
        self._tags, self._trackers = recent.tags, recent.trackers
        for entry in recent.entries:
            view = EntryView(entry, recent.tags, recent.trackers, actions=False, show_day=True)
            self.recent.append(view)
            self.recent_box.addWidget(view)
        self.empty.setVisible(recent.total == 0)

    def _latest(self) -> list[Entry]:
        """The newest few check-ins (reads a widening window, not the whole history)."""
        today = date.today()
        for days in (7, 60, 730, None):
            start = None if days is None else today - timedelta(days=days)
            found = self.service.entries(start=start)
            if len(found) >= RECENT or days is None:
                return list(reversed(found[-RECENT:]))
        return []

    def focus_start(self) -> bool:
        self.form.mood.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def before_lock(self) -> None:
        """A check-in with a mood chosen is saved rather than lost when the diary locks."""
        self.form.save_if_started()
        dialog = self.shortcut.dialog
        if alive(dialog) and dialog.isVisible():
            dialog.form.save_if_started()
