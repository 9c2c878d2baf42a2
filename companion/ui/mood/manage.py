"""Tags & trackers: add, rename (edit the name, press Enter), archive, delete with undo.

Archiving hides a tag or tracker from new check-ins and keeps its history; deleting removes it
from every check-in (the check-ins stay) and can be undone for a while.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.mood.service import (
    MoodService,
    TagInfo,
    TagKind,
    TrackerInfo,
    TrackerKind,
)
from companion.core.mood.vocabulary import MAX_NAME_CHARS, MAX_UNIT_CHARS
from companion.i18n import N_, _, ngettext
from companion.ui.pages import AppContext, in_locked_page
from companion.ui.timers import APART_MS, Steps, in_steps, settle_layouts
from companion.ui.widgets.common import Card, StatusLabel, icon, label, tab_order_as_laid_out
from companion.ui.widgets.undo_bar import UndoBar

#: what each kind of tracker is called (translated where shown)
KIND_WORDS = {
    TrackerKind.SCALE: N_("0–10 scale"),
    TrackerKind.YES_NO: N_("yes / no"),
    TrackerKind.NUMBER: N_("number"),
}

S = TypeVar("S")


class NameRow(QWidget):
    """One tag or tracker on one line: its name and what it is, and a "⋯" menu to rename,
    archive (or bring back) or delete it. Renaming edits the name in place: Enter keeps the
    new name, Escape the old one."""

    def __init__(
        self,
        name: str,
        description: str,
        archived: bool,
        *,
        rename: Callable[[str], bool],
        archive: Callable[[bool], None],
        delete: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.original = name
        #: what the row was made from (a row is made again when that changes)
        self.made_from: object = None
        self._rename = rename
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.setSpacing(10)
        self.title = label(f"<b>{html.escape(name, quote=False)}</b>", wrap=False)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setAccessibleName(name)
        row.addWidget(self.title)
        self._name: QLineEdit | None = None  # the rename field, made when first needed
        self._row = row
        self.archived = archived
        self.details = label("", name="Muted", wrap=False)
        self.set_description(description)
        row.addWidget(self.details, 1)
        self.more = QToolButton()
        self.more.setObjectName("RowMenu")  # (its look: the application's style sheet)
        self.more.setText("⋯")
        self.more.setAccessibleName(_("More for “{name}”").format(name=name))
        self.more.setToolTip(_("Rename, archive or delete"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        self.rename_action = menu.addAction(icon("mdi6.pencil-outline"), _("Rename…"))
        self.rename_action.triggered.connect(self.start_rename)
        self.archive = menu.addAction(
            icon("mdi6.archive-arrow-up-outline" if archived else "mdi6.archive-outline"),
            _("Bring back") if archived else _("Archive"),
        )
        self.archive.setToolTip(
            _("Show it in new check-ins again")
            if archived
            else _("Hide it from new check-ins; past check-ins keep it")
        )
        self.archive.triggered.connect(lambda: archive(not archived))
        menu.addSeparator()
        self.delete = menu.addAction(icon("mdi6.delete-outline"), _("Delete"))
        self.delete.triggered.connect(lambda: delete())
        self.more.setMenu(menu)
        row.addWidget(self.more)

    def set_description(self, description: str) -> None:
        """What it is and how often it was used (this changes with every check-in)."""
        if self.archived:
            description = _("{description} · archived").format(description=description)
        if self.details.text() != description:
            self.details.setText(description)

    @property
    def name(self) -> QLineEdit:
        """The name, editable in place (hidden until Rename… is chosen)."""
        if self._name is None:
            edit = QLineEdit(self.original)
            edit.setMaxLength(MAX_NAME_CHARS)
            edit.setAccessibleName(_("Name of “{name}”").format(name=self.original))
            edit.setToolTip(_("Press Enter to keep the new name, Escape to keep the old one"))
            edit.returnPressed.connect(self.commit)
            edit.installEventFilter(self)
            edit.hide()
            self._row.insertWidget(1, edit, 2)
            self._name = edit
        return self._name

    def start_rename(self) -> None:
        self.title.hide()
        self.name.setText(self.original)
        self.name.show()
        self.name.setFocus()
        self.name.selectAll()

    def _end_rename(self) -> None:
        if self._name is not None:
            self._name.hide()
        self.title.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._name
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self._end_rename()
            return True
        return False

    def commit(self) -> None:
        if self.name.text().strip() == self.original:
            self._end_rename()
            return
        if self._rename(self.name.text()):
            self.original = " ".join(self.name.text().split())
            self.title.setText(f"<b>{html.escape(self.original, quote=False)}</b>")
            self._end_rename()


class ManageView(QWidget):
    #: every row of a refresh is made (the tab is whole)
    rows_made = Signal()

    def __init__(
        self, service: MoodService, context: AppContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(14)
        self.undo = UndoBar()
        layout.addWidget(self.undo)
        self.error = StatusLabel("Error", _("Tags and trackers problem"))
        layout.addWidget(self.error)
        self.ops = context.operations("mood", self.error, undo=self.undo)

        tags_card = Card(_("Tags"))
        tags_card.body.addWidget(
            label(
                _("Tags note what was part of a check-in: activities, and things that were hard."),
                name="Muted",
            )
        )
        add = QHBoxLayout()
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText(_("New tag name"))
        self.new_tag.setAccessibleName(_("New tag name"))
        self.new_tag.setMaxLength(MAX_NAME_CHARS)
        self.new_tag.returnPressed.connect(self.add_tag)
        self.new_tag_kind = QComboBox()
        self.new_tag_kind.setAccessibleName(_("Kind of tag"))
        self.new_tag_kind.addItem(_("Activity"), TagKind.ACTIVITY)
        self.new_tag_kind.addItem(_("Something hard"), TagKind.TRIGGER)
        add_tag = QPushButton(icon("mdi6.plus"), _("Add tag"))
        add_tag.setAccessibleName(_("Add tag"))
        add_tag.clicked.connect(self.add_tag)
        add.addWidget(self.new_tag, 2)
        add.addWidget(self.new_tag_kind)
        add.addWidget(add_tag)
        add.addStretch(1)
        tags_card.body.addLayout(add)
        self.activity_box = QVBoxLayout()
        self.trigger_box = QVBoxLayout()
        tags_card.body.addWidget(label(_("<b>Activities</b>")))
        tags_card.body.addLayout(self.activity_box)
        self.hard_heading = label(_("<b>Things that were hard</b>"))
        tags_card.body.addWidget(self.hard_heading)
        tags_card.body.addLayout(self.trigger_box)
        layout.addWidget(tags_card)

        self._layout = layout
        self.trackers_card: Card | None = None  # made once the tags above it are shown
        layout.addStretch(1)
        self.rows: dict[str, NameRow] = {}
        #: the rows are made a few per turn of the event loop (``refresh_in_steps``); the
        #: parts below the rows being made wait, hidden, so the tab is built top-down
        self._steps: Steps | None = None
        self._generation = 0
        self.hard_heading.hide()

    # -- lists -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the diary's tags and trackers now."""
        self.refresh_in_steps()
        self.finish_now()

    def _runner(self) -> Steps | None:
        """The steps still making rows (none once they are over: a refresh cut short by a
        lock ends without making its rows, and its steps are deleted after)."""
        runner = self._steps
        if runner is not None and (not shiboken6.isValid(runner) or runner.finished):
            self._steps = runner = None
        return runner

    def finish_now(self) -> None:
        """Make the rows still to be made at once (someone needs the whole tab now)."""
        while (runner := self._runner()) is not None:
            runner.finish_now()  # (its last step may start the next runner)
            if self._steps is runner:
                break

    @property
    def building(self) -> bool:
        return self._runner() is not None

    def refresh_in_steps(self) -> None:
        """Bring the rows up to date a few per turn of the event loop, top to bottom: first
        the lists and how often each was used (the counts read every check-in of the diary:
        a turn of their own), then the rows. A row whose tag or tracker has not changed is
        kept (only its count of uses is updated), so a refresh after one change makes one
        row, and the first one never holds the window for the 25 rows of a long-kept diary."""
        if self._runner() is not None:
            self._generation += 1  # the older refresh's steps do nothing now
            self.finish_now()
        self._generation += 1
        generation = self._generation

        def step(call: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                # not replaced by a newer refresh, and the diary not locked meanwhile
                if generation == self._generation and not in_locked_page(self):
                    call()

            return run

        read: dict[str, Any] = {}
        self._steps = in_steps(
            self,
            [
                step(lambda: read.update(tags=self.service.tags())),
                step(lambda: read.update(trackers=self.service.trackers())),
                step(lambda: read.update(tag_uses=self.service.tag_usages())),
                step(lambda: read.update(tracker_uses=self.service.tracker_usages())),
            ],
            done=step(lambda: self._make_rows(step, **read)),
        )

    def _make_rows(
        self,
        step: Callable[[Callable[[], object]], Callable[[], None]],
        tags: list[TagInfo],
        trackers: list[TrackerInfo],
        tag_uses: dict[str, int],
        tracker_uses: dict[str, int],
    ) -> None:
        activities = [t for t in tags if t.kind is TagKind.ACTIVITY]
        triggers = [t for t in tags if t.kind is not TagKind.ACTIVITY]
        # the trackers' card first, hidden: it is shown once the rows above it are made (its
        # making, its first layout and its paint in one step held the window 14-22 ms)
        steps: list[Callable[[], None]] = [step(self._make_trackers)]
        for position, tag in enumerate(activities):
            steps.append(
                step(
                    partial(
                        self._tag_row, self.activity_box, position, tag, tag_uses.get(tag.id, 0)
                    )
                )
            )
        steps.append(step(self.hard_heading.show))
        for position, tag in enumerate(triggers):
            steps.append(
                step(
                    partial(self._tag_row, self.trigger_box, position, tag, tag_uses.get(tag.id, 0))
                )
            )
        steps.append(step(partial(self._trackers_start, bool(trackers))))
        for position, tracker in enumerate(trackers):
            steps.append(
                step(partial(self._tracker_row, position, tracker, tracker_uses.get(tracker.id, 0)))
            )
        keep = {t.id for t in tags} | {t.id for t in trackers}
        # about a quarter of a frame of rows a turn: each turn also lays out and paints them,
        # so the turns are ``APART_MS`` apart (1 ms apart, counted from a turn's end, the next
        # was due before its paint was over, and two 4 ms turns and their 2 ms paint ran in one
        # pass of the event loop: 13-15 ms before any other timer, an animation's frame)
        self._steps = in_steps(
            self,
            steps,
            budget_ms=4,
            done=step(partial(self._rows_done, keep)),
            apart_ms=APART_MS,
        )

    def _make_trackers_card(self) -> Card:
        trackers_card = Card(_("Your trackers"))
        trackers_card.body.addWidget(
            label(
                _(
                    "Trackers are your own questions for each check-in: a 0–10 scale, a yes/no "
                    "question, or a number with a unit (for example cups of coffee)."
                ),
                name="Muted",
            )
        )
        grid = QGridLayout()
        self.new_tracker = QLineEdit()
        self.new_tracker.setPlaceholderText(_("New tracker name"))
        self.new_tracker.setAccessibleName(_("New tracker name"))
        self.new_tracker.setMaxLength(MAX_NAME_CHARS)
        self.new_tracker_kind = QComboBox()
        self.new_tracker_kind.setAccessibleName(_("Kind of tracker"))
        for kind, words in KIND_WORDS.items():
            self.new_tracker_kind.addItem(_(words), kind)
        self.new_unit = QLineEdit()
        self.new_unit.setPlaceholderText(_("Unit, e.g. cups"))
        self.new_unit.setAccessibleName(_("Unit"))
        self.new_unit.setMaxLength(MAX_UNIT_CHARS)
        self.new_min = QDoubleSpinBox()
        self.new_max = QDoubleSpinBox()
        for spin, name, value in (
            (self.new_min, _("Lowest value"), 0),
            (self.new_max, _("Highest value"), 10),
        ):
            spin.setRange(-1e6, 1e6)
            spin.setDecimals(2)
            spin.setValue(value)
            spin.setAccessibleName(name)
        self.new_tracker_kind.currentIndexChanged.connect(self._tracker_kind_changed)
        add_tracker = QPushButton(icon("mdi6.plus"), _("Add tracker"))
        add_tracker.setAccessibleName(_("Add tracker"))
        add_tracker.clicked.connect(self.add_tracker)
        self.new_tracker.returnPressed.connect(self.add_tracker)
        grid.addWidget(self.new_tracker, 0, 0)
        grid.addWidget(self.new_tracker_kind, 0, 1)
        grid.addWidget(add_tracker, 0, 2)
        grid.addWidget(self.new_unit, 1, 0)
        self.bounds = QWidget()
        bounds = QHBoxLayout(self.bounds)
        bounds.setContentsMargins(0, 0, 0, 0)
        bounds.addWidget(label(_("from"), wrap=False))
        bounds.addWidget(self.new_min)
        bounds.addWidget(label(_("to"), wrap=False))
        bounds.addWidget(self.new_max)
        grid.addWidget(self.bounds, 1, 1, 1, 2)
        grid.setColumnStretch(3, 1)
        trackers_card.body.addLayout(grid)
        self.tracker_box = QVBoxLayout()
        trackers_card.body.addLayout(self.tracker_box)
        self.no_trackers = label(_("No trackers yet."), name="Muted")
        trackers_card.body.addWidget(self.no_trackers)
        self._layout.insertWidget(self._layout.count() - 1, trackers_card)  # above the stretch
        # hidden until ``_trackers_start`` (explicitly: a layout shows a widget added to a
        # shown one a turn later)
        trackers_card.hide()
        self._tracker_kind_changed()
        return trackers_card

    def _make_trackers(self) -> None:
        """The trackers' card, made hidden (shown by ``_trackers_start``)."""
        if self.trackers_card is None:
            self.trackers_card = self._make_trackers_card()

    def _trackers_start(self, any_trackers: bool) -> None:
        self._make_trackers()
        assert self.trackers_card is not None
        self.no_trackers.setVisible(not any_trackers)
        self.trackers_card.show()

    def _rows_done(self, keep: set[str]) -> None:
        self._steps = None
        for item_id in [i for i in self.rows if i not in keep]:
            self._drop(self.rows.pop(item_id))
        tab_order_as_laid_out(self)
        settle_layouts(self)
        self.rows_made.emit()

    @staticmethod
    def _drop(row: NameRow) -> None:
        row.hide()
        row.setParent(None)
        row.deleteLater()

    def _place(
        self,
        box: QVBoxLayout,
        position: int,
        item_id: str,
        made: tuple[object, ...],
        description: str,
        make: Callable[[], NameRow],
    ) -> None:
        """Row ``position`` of ``box``: the one shown already if ``made`` from the same item,
        or a new one."""
        row = self.rows.get(item_id)
        if row is not None and row.made_from != made:
            self._drop(self.rows.pop(item_id))
            row = None
        if row is None:
            row = make()
            row.made_from = made
            self.rows[item_id] = row
            box.insertWidget(position, row)
        else:
            row.set_description(description)
            if box.indexOf(row) != position:  # a row above it was added or deleted
                box.removeWidget(row)
                box.insertWidget(position, row)

    def _tag_row(self, box: QVBoxLayout, position: int, tag: TagInfo, uses: int) -> None:
        description = ngettext("on {count} check-in", "on {count} check-ins", uses).format(
            count=uses
        )
        self._place(
            box,
            position,
            tag.id,
            (tag,),
            description,
            lambda: NameRow(
                tag.name,
                description,
                tag.archived,
                rename=partial(self._rename_tag, tag),
                archive=partial(self._archive_tag, tag),
                delete=partial(self.delete_tag, tag),
            ),
        )

    def _tracker_row(self, position: int, tracker: TrackerInfo, uses: int) -> None:
        what = _(KIND_WORDS[tracker.kind])
        if tracker.kind is TrackerKind.NUMBER:
            bounds = (
                _("{kind}, {low} to {high} {unit}")
                if tracker.unit
                else _("{kind}, {low} to {high}")
            )
            what = bounds.format(
                kind=what,
                low=f"{tracker.minimum:g}",
                high=f"{tracker.maximum:g}",
                unit=tracker.unit,
            )
        description = ngettext("{what} · {count} value", "{what} · {count} values", uses).format(
            what=what, count=uses
        )
        self._place(
            self.tracker_box,
            position,
            tracker.id,
            (tracker,),
            description,
            lambda: NameRow(
                tracker.name,
                description,
                tracker.archived,
                rename=partial(self._rename_tracker, tracker),
                archive=partial(self._archive_tracker, tracker),
                delete=partial(self.delete_tracker, tracker),
            ),
        )

    def _tracker_kind_changed(self) -> None:
        number = TrackerKind(self.new_tracker_kind.currentData()) is TrackerKind.NUMBER
        self.new_unit.setVisible(number)
        self.bounds.setVisible(number)

    # -- actions -----------------------------------------------------------------------------

    def _delete(
        self,
        what: str,
        delete: Callable[[], S],
        restore: Callable[[S], object],
        *,
        deleted: str,
        back: str,
    ) -> None:
        """Delete through ``ops``, offering an undo that restores and says ``back``."""

        def undo(snapshot: S) -> Callable[[], None]:
            def run() -> None:
                restore(snapshot)
                self.undo.offer(back, None)

            return run

        self.ops.run(delete, what=what, undo_text=deleted, undo=undo)

    def add_tag(self) -> None:
        name = self.new_tag.text()
        kind = TagKind(self.new_tag_kind.currentData())
        if self.ops.run(lambda: self.service.add_tag(name, kind), what="tags") is not None:
            self.new_tag.clear()

    def _rename_tag(self, tag: TagInfo, name: str) -> bool:
        done = self.ops.run(lambda: self.service.rename_tag(tag.id, name), what="tags")
        return done is not None

    def _archive_tag(self, tag: TagInfo, archived: bool) -> None:
        self.ops.run(lambda: self.service.set_tag_archived(tag.id, archived), what="tags")

    def delete_tag(self, tag: TagInfo) -> None:
        n = self.service.tag_usage(tag.id)
        if n:
            deleted = ngettext(
                "The tag “{name}” was deleted and taken off {count} check-in.",
                "The tag “{name}” was deleted and taken off {count} check-ins.",
                n,
            )
        else:
            deleted = _("The tag “{name}” was deleted.")
        self._delete(
            "tags",
            lambda: self.service.delete_tag(tag.id),
            self.service.restore_tag,
            deleted=deleted.format(name=tag.name, count=n),
            back=_("The tag “{name}” is back.").format(name=tag.name),
        )

    def add_tracker(self) -> None:
        kind = TrackerKind(self.new_tracker_kind.currentData())
        number = kind is TrackerKind.NUMBER
        name = self.new_tracker.text()
        unit = self.new_unit.text() if number else None
        low = self.new_min.value() if number else None
        high = self.new_max.value() if number else None
        added = self.ops.run(
            lambda: self.service.add_tracker(name, kind, unit=unit, minimum=low, maximum=high),
            what="trackers",
        )
        if added is not None:
            self.new_tracker.clear()
            self.new_unit.clear()

    def _rename_tracker(self, tracker: TrackerInfo, name: str) -> bool:
        done = self.ops.run(
            lambda: self.service.update_tracker(
                tracker.id,
                name=name,
                unit=tracker.unit,
                minimum=tracker.minimum,
                maximum=tracker.maximum,
            ),
            what="trackers",
        )
        return done is not None

    def _archive_tracker(self, tracker: TrackerInfo, archived: bool) -> None:
        self.ops.run(
            lambda: self.service.set_tracker_archived(tracker.id, archived), what="trackers"
        )

    def delete_tracker(self, tracker: TrackerInfo) -> None:
        n = self.service.tracker_usage(tracker.id)
        if n:
            deleted = ngettext(
                "The tracker “{name}” was deleted with its {count} value.",
                "The tracker “{name}” was deleted with its {count} values.",
                n,
            )
        else:
            deleted = _("The tracker “{name}” was deleted.")
        self._delete(
            "trackers",
            lambda: self.service.delete_tracker(tracker.id),
            self.service.restore_tracker,
            deleted=deleted.format(name=tracker.name, count=n),
            back=_("The tracker “{name}” is back.").format(name=tracker.name),
        )
