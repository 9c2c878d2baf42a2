"""The history: check-ins grouped by day, newest first, with filters, edit and delete + undo.

A model/view list: the days that match the filters are counted in SQL
(``MoodService.history_days``), and only the check-ins of the days shown are read, a page of
days at a time ("Show earlier days" reads the next page), then painted by a delegate instead of
a widget per check-in. The list is as tall as what it shows, so the page scrolls as one.

Keyboard: the list is one Tab stop; arrows move between check-ins, Enter edits, Delete deletes
(with Undo), the context-menu key offers both. Every row has an accessible text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from companion.core.mood.service import DayCount, Entry, MoodService, TagInfo, TagKind, TrackerInfo
from companion.core.mood.vocabulary import anchor
from companion.i18n import (
    _,
    format_datetime,
    format_number,
    format_time,
    language,
    ngettext,
    qt_date_format,
)
from companion.ui import theme
from companion.ui.mood.dialogs import CheckInDialog, alive
from companion.ui.mood.entry_view import NOTE_PREVIEW_CHARS, day_heading, summary_parts
from companion.ui.pages import AppContext, in_locked_page
from companion.ui.tasks import run_task
from companion.ui.widgets.common import Card, StatusLabel, icon, label
from companion.ui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from companion.core.session import ReadSnapshot

DAYS_PER_PAGE = 30

_ModelIndex = QModelIndex | QPersistentModelIndex

#: the check-in a row shows (None on a day's heading)
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class DayRow:
    day: DayCount
    heading: str
    summary: str

    @property
    def spoken(self) -> str:
        return _("{day}: {summary}").format(day=self.heading, summary=self.summary)


@dataclass(frozen=True)
class EntryRow:
    entry: Entry
    when: str
    headline: str
    details: str
    note: str
    spoken: str


Row = DayRow | EntryRow


def entry_row(entry: Entry, tags: dict, trackers: dict) -> EntryRow:  # type: ignore[type-arg]
    """The texts one check-in shows (the same words the Today card's ``EntryView`` shows)."""
    when = format_time(entry.local_time)
    words = anchor("mood", entry.mood)
    extra = summary_parts(entry, tags, trackers)
    note = (entry.note or "").strip()
    if len(note) > NOTE_PREVIEW_CHARS:
        note = note[:NOTE_PREVIEW_CHARS].rstrip() + "…"
    spoken = _("{when}: mood {value}, {words}").format(when=when, value=entry.mood, words=words)
    if extra:
        spoken = _("{summary}. {details}").format(summary=spoken, details=", ".join(extra))
    if note:
        spoken = _("{summary}. Note: {note}").format(summary=spoken, note=note)
    return EntryRow(
        entry=entry,
        when=when,
        headline=_("Mood {value} · {words}").format(value=entry.mood, words=words),
        details=" · ".join(extra),
        note=note,
        spoken=spoken,
    )


class HistoryModel(QAbstractListModel):
    """Day headings and the check-ins under them, newest first; days are added a page at a
    time by :meth:`append`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.spoken
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and isinstance(row, EntryRow):
            return _("Enter edits this check-in; Delete deletes it (you can undo).")
        if role == ENTRY_ROLE:
            return row.entry if isinstance(row, EntryRow) else None
        return None

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self.rows[index.row()], EntryRow):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def replace(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def append(self, rows: list[Row]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def entries(self) -> list[Entry]:
        return [row.entry for row in self.rows if isinstance(row, EntryRow)]


class _Metrics:
    """Sizes of one check-in row, shared by painting and hit-testing."""

    PAD_Y = 8
    HEADING_TOP = 10
    GAP = 12
    BADGE = 28  # at 100% text; both grow with the text size (:func:`_scaled`)
    BUTTON = 28


def _scaled(size: int) -> int:
    """A badge or button side at the person's text size (as the Today card's badges)."""
    return round(size * max(1.0, theme.text_scale()))


#: at most this many text heights are kept by the check-ins list (then measured again)
TEXT_HEIGHTS_KEPT = 4096
#: at most this many bytes of the check-ins list's rows are kept as drawn: a screen of rows
#: at twice the pixels (10-16 rows of 0.4-1.5 MB), about four at the usual scale
ROWS_DRAWN_BYTES = 12 * 1024 * 1024


def _bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4


def _row_key(row: Row) -> tuple[object, ...]:
    """What a row's drawing shows of it."""
    if isinstance(row, DayRow):
        return (row.heading, row.summary)
    return (row.when, row.entry.mood, row.headline, row.details, row.note)


class HistoryDelegate(QStyledItemDelegate):
    """Paints a day heading or a check-in as the Today card's ``EntryView`` lays it out:
    time, mood badge, what was recorded, tags and note, and Edit/Delete buttons."""

    edit_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self._pressed: tuple[int, str] | None = None
        #: text heights measured (``_text_height``), by font, width and text
        self._heights: dict[tuple[str, int, int, int, str], int] = {}
        #: row heights (``row_height``), by font, text size, width and texts
        self._row_heights: dict[tuple[object, ...], int] = {}
        self._measured: tuple[tuple[str, str], tuple[QFont, QFont, int]] | None = None
        #: the Edit and Delete buttons' icons, by name and the theme's colours: one icon each
        #: for every row and paint (an icon made at each row's paint drew its glyph again,
        #: font, painter and two pixmaps, twice a row: half the list's paint as it is shown)
        self._icons: dict[tuple[str, str, str], QIcon] = {}
        #: rows as drawn (``paint``), by everything their drawing depends on, the one used
        #: last at the end
        self._drawn: dict[tuple[object, ...], QPixmap] = {}
        self._drawn_bytes = 0

    # -- geometry --------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont]:
        base, bold, _width = self._measures()
        return base, bold

    def time_width(self) -> int:
        return self._measures()[2]

    def _measures(self) -> tuple[QFont, QFont, int]:
        """The list's fonts (regular and bold) and the width of its time column, made again
        only when the font or the language changes (asked for by every row at every layout
        and paint: ~10 ms for the newest days)."""
        font = self.view.font()
        key = (font.key(), language())
        if self._measured is None or self._measured[0] != key:
            base = QFont(font)
            bold = QFont(base)
            bold.setWeight(QFont.Weight.DemiBold)
            widest = format_time(datetime(2022, 9, 28, 23, 59))
            width = QFontMetrics(font).horizontalAdvance(widest) + 8
            self._measured = (key, (base, bold, width))
        return self._measured[1]

    def _body_rect(self, rect: QRect) -> QRect:
        m = _Metrics
        badge, button = _scaled(m.BADGE), _scaled(m.BUTTON)
        left = rect.left() + self.time_width() + m.GAP + badge + m.GAP
        right = rect.right() - 2 * button - 4 - m.GAP
        return QRect(left, rect.top() + m.PAD_Y, max(40, right - left), rect.height())

    def button_rect(self, rect: QRect, which: str) -> QRect:
        m = _Metrics
        side = _scaled(m.BUTTON)
        right = rect.right() - (0 if which == "delete" else side + 4)
        return QRect(right - side + 1, rect.top() + m.PAD_Y, side, side)

    def _text_height(self, font: QFont, width: int, text: str) -> int:
        """The height of ``text`` wrapped to ``width``, measured once for each font, width and
        text: the list asks every row's height at each layout (the tab shown again, the page
        resized, rows added), ~0.3 ms a row measured, ~25 ms for the newest days."""
        if not text:
            return 0
        metrics = QFontMetrics(font)  # (its sizes in the key: another screen's are others)
        key = (font.key(), metrics.height(), metrics.averageCharWidth(), width, text)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > TEXT_HEIGHTS_KEPT:
                self._heights.clear()
            flags = int(Qt.TextFlag.TextWordWrap)
            box = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
            height = self._heights[key] = box.height()
        return height

    def sizeHint(self, option: QStyleOptionViewItem, index: _ModelIndex) -> QSize:
        width = self.view.viewport().width()
        return QSize(width, self.row_height(self._row(index), width))

    def row_height(self, row: Row, width: int) -> int:
        """A row's height at the list's ``width``, kept by its texts: Qt asks every row's
        height at each layout and the list sums them to fit (``HistoryList.fit``), two or
        three times as the page is first shown (~10 ms for the newest days when each asked
        for the fonts, their metrics and three text heights; a row read again after a
        change has the same texts, so its height is kept too)."""
        base, bold = self._fonts()
        assert self._measured is not None
        # (the font's sizes in the key: another screen's are others; the language sets the
        # time column's width)
        fonts = (self._measured[0], QFontMetrics(base).height(), theme.text_scale())
        if isinstance(row, DayRow):
            key: tuple[object, ...] = fonts
        else:
            key = (*fonts, width, row.headline, row.details, row.note)
        height = self._row_heights.get(key)
        if height is None:
            if len(self._row_heights) > TEXT_HEIGHTS_KEPT:
                self._row_heights.clear()
            height = self._row_heights[key] = self._measure_row(row, width, base, bold)
        return height

    def _measure_row(self, row: Row, width: int, base: QFont, bold: QFont) -> int:
        if isinstance(row, DayRow):
            return _Metrics.HEADING_TOP + QFontMetrics(bold).height() + 4
        body = self._body_rect(QRect(0, 0, width, 0)).width()
        text = (
            self._text_height(bold, body, row.headline)
            + (2 + self._text_height(base, body, row.details) if row.details else 0)
            + (2 + self._text_height(base, body, row.note) if row.note else 0)
        )
        return max(text, _scaled(_Metrics.BADGE)) + 2 * _Metrics.PAD_Y

    def _row(self, index: _ModelIndex) -> Row:
        model = index.model()
        assert isinstance(model, HistoryModel)
        return model.rows[index.row()]

    # -- painting --------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        """The row as drawn before (``_drawn``), or drawn now and kept: the list's rows are
        painted unseen as the page is built ahead, then again at its first open and each
        time it is shown again, and drawing one in Python (its texts wrapped, its badge,
        its icons) was a quarter of the list's paint (1.6-3.6 ms of 7-14 for a screen; now
        0.6-0.8)."""
        row = self._row(index)
        rect = QRect(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pressed = self._pressed[1] if self._pressed and self._pressed[0] == index.row() else None
        ratio = painter.device().devicePixelRatio()
        # in place: the selected row (one at most, its focus frame over the line above it),
        # and at a fractional scale, where a row begins between two pixels (a pixmap of it
        # would move its text by half a pixel)
        if selected or ratio != int(ratio):
            self._draw(painter, rect, row, selected, selected and self.view.hasFocus(), pressed)
            return
        colours = theme.current()
        base, _bold = self._fonts()
        assert self._measured is not None  # (the font's key and the language)
        # (the font's size in pixels too: another screen's may differ for the same font)
        size = QFontMetrics(base).height()
        look = (colours, theme.text_scale(), self._measured[0], size, ratio)
        key = (look, rect.width(), rect.height(), pressed, _row_key(row))
        drawn = self._drawn.pop(key, None)
        if drawn is None:
            drawn = QPixmap(rect.size() * ratio)
            drawn.setDevicePixelRatio(ratio)
            # opaque, in the colour the list is shown on (its card): text is antialiased as
            # it would be drawn on the screen (on a transparent pixmap it may not be)
            drawn.fill(QColor(colours.surface))
            inner = QPainter(drawn)
            try:
                local = QRect(QPoint(0, 0), rect.size())
                self._draw(inner, local, row, False, False, pressed, separated=False)
            finally:
                inner.end()
            self._drawn_bytes += _bytes(drawn)
            while self._drawn and self._drawn_bytes > ROWS_DRAWN_BYTES:
                oldest = next(iter(self._drawn))  # (the one used longest ago)
                self._drawn_bytes -= _bytes(self._drawn.pop(oldest))
        self._drawn[key] = drawn
        painter.drawPixmap(rect.topLeft(), drawn)
        if isinstance(row, EntryRow):
            # in place, over the row above too: a line between two pixel rows is drawn half
            # on each (antialiased), and a row's pixmap holds only its own
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._separate(painter, rect)
            painter.restore()

    def _draw(
        self,
        painter: QPainter,
        rect: QRect,
        row: Row,
        selected: bool,
        focused: bool,
        pressed: str | None,
        *,
        separated: bool = True,
    ) -> None:
        """A row drawn in ``rect`` (``separated``: with the line above a check-in)."""
        c = theme.current()
        base, bold = self._fonts()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if isinstance(row, DayRow):
            top = rect.adjusted(0, _Metrics.HEADING_TOP, 0, 0)
            painter.setFont(bold)
            painter.setPen(QColor(c.text))
            heading_width = QFontMetrics(bold).horizontalAdvance(row.heading)
            painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft), row.heading)
            rest = top.adjusted(heading_width + 14, 0, 0, 0)
            painter.setFont(base)
            painter.setPen(QColor(c.muted))
            summary = QFontMetrics(base).elidedText(
                row.summary, Qt.TextElideMode.ElideRight, max(0, rest.width())
            )
            painter.drawText(rest, int(Qt.AlignmentFlag.AlignLeft), summary)
            painter.restore()
            return
        assert isinstance(row, EntryRow)
        if selected:
            painter.fillRect(rect, QColor(c.window))
        if separated:
            self._separate(painter, rect)
        if focused:
            painter.setPen(QPen(QColor(c.accent), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        m = _Metrics
        painter.setFont(base)
        painter.setPen(QColor(c.muted))
        time_rect = QRect(rect.left(), rect.top() + m.PAD_Y, self.time_width(), rect.height())
        painter.drawText(time_rect, int(Qt.AlignmentFlag.AlignLeft), row.when)
        side = _scaled(m.BADGE)
        badge = QRect(time_rect.right() + m.GAP, rect.top() + m.PAD_Y, side, side)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(c.surface if selected else c.window))
        painter.drawEllipse(badge)
        painter.setFont(bold)
        painter.setPen(QColor(c.text))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), str(row.entry.mood))
        body = self._body_rect(rect)
        wrap = int(Qt.TextFlag.TextWordWrap)
        y = body.top()
        height = self._text_height(bold, body.width(), row.headline)
        painter.drawText(QRect(body.left(), y, body.width(), height), wrap, row.headline)
        y += height
        painter.setFont(base)
        if row.details:
            height = self._text_height(base, body.width(), row.details)
            painter.setPen(QColor(c.muted))
            painter.drawText(QRect(body.left(), y + 2, body.width(), height), wrap, row.details)
            y += 2 + height
        if row.note:
            height = self._text_height(base, body.width(), row.note)
            painter.setPen(QColor(c.text))
            painter.drawText(QRect(body.left(), y + 2, body.width(), height), wrap, row.note)
        for which, name in (("edit", "mdi6.pencil-outline"), ("delete", "mdi6.delete-outline")):
            button = self.button_rect(rect, which)
            if pressed == which:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(c.border))
                painter.drawRoundedRect(button, 6, 6)
            self._icon(name).paint(painter, button.adjusted(5, 5, -5, -5))
        painter.restore()

    @staticmethod
    def _separate(painter: QPainter, rect: QRect) -> None:
        """The line above a check-in."""
        painter.setPen(QPen(QColor(theme.current().border), 1))
        painter.drawLine(rect.topLeft(), rect.topRight())

    def _icon(self, name: str) -> QIcon:
        """``icon(name)`` in the theme's colours now, made once for them."""
        colours = theme.current()
        key = (name, colours.text, colours.muted)  # (the colours ``icon`` draws in)
        made = self._icons.get(key)
        if made is None:
            if len(self._icons) > 8:  # (another theme's)
                self._icons.clear()
            made = self._icons[key] = icon(name)
        return made

    # -- mouse -----------------------------------------------------------------------------

    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: _ModelIndex,
    ) -> bool:
        row = self._row(index)
        if not isinstance(row, EntryRow) or not isinstance(event, QMouseEvent):
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        rect = QRect(option.rect)
        point = event.position().toPoint()
        hit = next(
            (w for w in ("edit", "delete") if self.button_rect(rect, w).contains(point)), None
        )
        if event.type() == QEvent.Type.MouseButtonPress and hit:
            self._pressed = (index.row(), hit)
            self.view.viewport().update(rect)
            return True
        if event.type() == QEvent.Type.MouseButtonRelease:
            pressed, self._pressed = self._pressed, None
            self.view.viewport().update(rect)
            if hit and pressed == (index.row(), hit):
                signal = self.edit_requested if hit == "edit" else self.delete_requested
                signal.emit(row.entry)
                return True
        if event.type() == QEvent.Type.MouseButtonDblClick and not hit:
            self.edit_requested.emit(row.entry)
            return True
        return False

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: _ModelIndex,
    ) -> bool:
        row = self._row(index)
        if isinstance(row, EntryRow):
            rect = QRect(option.rect)
            if self.button_rect(rect, "edit").contains(event.pos()):
                QToolTip.showText(event.globalPos(), _("Edit this check-in"), view)
                return True
            if self.button_rect(rect, "delete").contains(event.pos()):
                QToolTip.showText(event.globalPos(), _("Delete this check-in (you can undo)"), view)
                return True
        QToolTip.hideText()
        return True


class HistoryList(QListView):
    """The list, as tall as its rows (the page around it scrolls); Enter edits, Delete
    deletes, the context menu offers both."""

    edit_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history_model = HistoryModel(self)
        self.setModel(self.history_model)
        self.delegate = HistoryDelegate(self)
        self.setItemDelegate(self.delegate)
        self.delegate.edit_requested.connect(self.edit_requested)
        self.delegate.delete_requested.connect(self.delete_requested)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMouseTracking(True)
        self.setAutoFillBackground(False)
        self.viewport().setAutoFillBackground(False)
        self.setAccessibleName(_("Your check-ins"))
        self.setAccessibleDescription(
            _("Arrow keys move between check-ins; Enter edits one; Delete deletes it.")
        )
        self._width = -1
        model = self.history_model
        model.modelReset.connect(self.fit)
        model.rowsInserted.connect(self.fit)
        model.rowsRemoved.connect(self.fit)

    def fit(self) -> None:
        """Exactly as tall as the rows (they wrap to the width)."""
        width = self.viewport().width()
        total = sum(self.delegate.row_height(row, width) for row in self.history_model.rows)
        self.setFixedHeight(total + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # (hidden, e.g. torn down at lock: a width change is measured when shown again)
        if event.size().width() != self._width and self.isVisible():
            self._width = event.size().width()
            self.fit()
            self.scheduleDelayedItemsLayout()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # never scrolls itself (as tall as its rows): the page scrolls

    def currentChanged(self, current: _ModelIndex, previous: _ModelIndex) -> None:
        """The page scrolls to keep the check-in the arrow keys reached in view."""
        super().currentChanged(current, previous)
        if not current.isValid():
            return
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        content = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and content is not None:
            rect = self.visualRect(current)
            top = self.viewport().mapTo(content, rect.topLeft())
            parent.ensureVisible(top.x(), top.y() + rect.height() // 2, 0, rect.height() // 2 + 8)

    def entry_at(self, index: _ModelIndex) -> Entry | None:
        found = index.data(ENTRY_ROLE) if index.isValid() else None
        return found if isinstance(found, Entry) else None

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        if self.entry_at(self.currentIndex()) is None:
            for r, row in enumerate(self.history_model.rows):
                if isinstance(row, EntryRow):
                    self.setCurrentIndex(self.history_model.index(r))
                    break

    def keyPressEvent(self, event: QKeyEvent) -> None:
        entry = self.entry_at(self.currentIndex())
        if entry is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit(entry)
            return
        if entry is not None and event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit(entry)
            return
        super().keyPressEvent(event)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Up and Down skip the day headings (they are read with the check-in below)."""
        index = super().moveCursor(action, modifiers)
        rows = self.history_model.rows
        step = -1 if action == QAbstractItemView.CursorAction.MoveUp else 1
        r = index.row()
        while 0 <= r < len(rows) and not isinstance(rows[r], EntryRow):
            r += step
        if 0 <= r < len(rows):
            return self.history_model.index(r)
        return self.currentIndex()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid() or event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
        entry = self.entry_at(index)
        if entry is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(
            icon("mdi6.pencil-outline"), _("Edit…"), lambda: self.edit_requested.emit(entry)
        )
        menu.addAction(
            icon("mdi6.delete-outline"), _("Delete"), lambda: self.delete_requested.emit(entry)
        )
        where = event.globalPos()
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            where = self.viewport().mapToGlobal(self.visualRect(index).center())
        menu.popup(where)

    def button_position(self, entry_id: str, which: str) -> QPoint:
        """Where the Edit or Delete button of a check-in is, in viewport coordinates."""
        for r, row in enumerate(self.history_model.rows):
            if isinstance(row, EntryRow) and row.entry.id == entry_id:
                rect = self.visualRect(self.history_model.index(r))
                return self.delegate.button_rect(rect, which).center()
        raise LookupError(entry_id)


class HistoryView(QWidget):
    #: the empty state's "Check in now" was pressed (the page shows its form)
    check_in_requested = Signal()

    def __init__(
        self, service: MoodService, context: AppContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.context = context
        self.days: list[DayCount] = []
        self.shown_days = 0
        self.dialog: CheckInDialog | None = None
        #: reloads started; a reload read off the GUI thread is shown only if it is the latest
        self._reloads = 0
        self._reading = False  # a reload is being read off the GUI thread

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)

        self.filter_row = QWidget()
        rows = QVBoxLayout(self.filter_row)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(10)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search notes"))
        self.search.setAccessibleName(_("Search notes"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(200)
        self.tag = QComboBox()
        self.tag.setAccessibleName(_("Only check-ins with this tag"))
        self.tag.setMinimumWidth(170)
        self.use_dates = QCheckBox(_("Dates"))
        self.use_dates.setAccessibleName(_("Only check-ins between two dates"))
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit, name in ((self.start, _("From date")), (self.end, _("To date"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(qt_date_format("medium"))
            edit.setAccessibleName(name)
            edit.setEnabled(False)
        today = QDate.currentDate()
        self.end.setDate(today)
        self.start.setDate(today.addDays(-30))
        self.clear_button = QPushButton(icon("mdi6.filter-remove-outline"), _("Clear"))
        self.clear_button.setAccessibleName(_("Clear the filters"))
        self.clear_button.clicked.connect(self.clear_filters)
        # two rows, so the search box keeps room for its words on a small laptop
        filters.addWidget(self.search, 2)
        filters.addWidget(self.tag, 1)
        rows.addLayout(filters)
        dates = QHBoxLayout()
        dates.setSpacing(8)
        dates.addWidget(self.use_dates)
        dates.addWidget(self.start)
        dates.addWidget(label(_("to"), wrap=False))
        dates.addWidget(self.end)
        dates.addStretch(1)
        dates.addWidget(self.clear_button)
        rows.addLayout(dates)
        layout.addWidget(self.filter_row)

        self.undo = UndoBar()
        layout.addWidget(self.undo)
        self.error = StatusLabel("Error", _("History problem"))
        layout.addWidget(self.error)
        self.ops = context.operations("mood", self.error, undo=self.undo)
        self.count = label("", name="Muted")
        self.count.setAccessibleName(_("How many check-ins are shown"))
        layout.addWidget(self.count)

        # An empty diary: one sentence and the way to the first check-in, no filters
        self.empty = Card()
        self.empty.setAccessibleName(_("Your check-ins"))
        self.empty.body.addWidget(
            label(
                _(
                    "Nothing logged yet. Choose how your mood is above and save it: your "
                    "check-ins will appear here, newest first."
                )
            )
        )
        self.check_in_button = QPushButton(icon("mdi6.plus"), _("Check in now"))
        self.check_in_button.setAccessibleName(_("Check in now"))
        self.check_in_button.clicked.connect(self.check_in_requested)
        self.empty.body.addWidget(self.check_in_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty)
        self.empty.hide()

        self.list_card = Card()
        self.list = HistoryList()
        self.list.edit_requested.connect(self.edit)
        self.list.delete_requested.connect(self.delete)
        self.list_card.body.addWidget(self.list)
        self.more_button = QPushButton(_("Show earlier days"))
        self.more_button.setAccessibleName(_("Show earlier days"))
        self.more_button.clicked.connect(self.show_more)
        self.list_card.body.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.more_button.hide()  # until the list is read and has more days than it shows
        self.list_card.setAccessibleName(_("Your check-ins"))
        layout.addWidget(self.list_card)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.tag.currentIndexChanged.connect(lambda _i: self.reload())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.start.dateChanged.connect(lambda _d: self.reload())
        self.end.dateChanged.connect(lambda _d: self.reload())
        self.reload_tags()

    # -- filters -----------------------------------------------------------------------------

    def reload_tags(self) -> None:
        self._show_tags(self.service.tags())

    def _show_tags(self, tags: list[TagInfo]) -> None:
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(_("All tags"), None)
        for tag in tags:
            if tag.kind is TagKind.ACTIVITY:
                shown = _("{name} (activity, archived)") if tag.archived else _("{name} (activity)")
            elif tag.archived:
                shown = _("{name} (hard thing, archived)")
            else:
                shown = _("{name} (hard thing)")
            self.tag.addItem(shown.format(name=tag.name), tag.id)
        index = self.tag.findData(current)
        self.tag.setCurrentIndex(max(0, index))
        self.tag.blockSignals(False)

    def _dates_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.reload()

    def clear_filters(self) -> None:
        for widget in (self.search, self.tag, self.use_dates):
            widget.blockSignals(True)
        self.search.clear()
        self.tag.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.start.setEnabled(False)
        self.end.setEnabled(False)
        for widget in (self.search, self.tag, self.use_dates):
            widget.blockSignals(False)
        self.reload()

    def filtering(self) -> bool:
        return bool(
            self.search.text().strip() or self.tag.currentData() or self.use_dates.isChecked()
        )

    # -- list --------------------------------------------------------------------------------

    def _filters(self) -> dict[str, object]:
        tag_id = self.tag.currentData()
        start = end = None
        if self.use_dates.isChecked():
            start = cast(date, self.start.date().toPython())
            end = cast(date, self.end.date().toPython())
        text = self.search.text().strip() or None
        return {"start": start, "end": end, "tag_ids": [tag_id] if tag_id else [], "text": text}

    def reload(self, days: int = DAYS_PER_PAGE) -> None:
        """Count the matching days, then read and show the newest ``days`` of them."""
        self._typing.stop()
        self._reloads += 1  # a reload still being read off the GUI thread is void now
        self._reading = False
        filters = self._filters()
        found = self.ops.run(lambda: self.service.history_days(**filters), announce=False)  # type: ignore[arg-type]
        self.days = found if found is not None else []
        self.shown_days = 0
        self.list.history_model.replace([])
        self._load(days)
        self._show_state()

    def show_more(self) -> None:
        if self._reading:  # the list is about to be replaced: read it with the next days now
            self.reload(self.shown_days + DAYS_PER_PAGE)
            return
        self._load(DAYS_PER_PAGE)
        self._show_state()

    def _load(self, how_many: int) -> None:
        """Read the check-ins of the next ``how_many`` days (only those) and add them."""
        wanted = self.days[self.shown_days : self.shown_days + how_many]
        if not wanted:
            return
        filters = self._filters()
        filters["start"] = wanted[-1].day
        filters["end"] = wanted[0].day
        found = self.ops.run(lambda: self.service.entries(**filters), announce=False)  # type: ignore[arg-type]
        if found is None:
            return
        rows = _rows(wanted, found, self.service.tags(), self.service.trackers())
        self.shown_days += len(wanted)
        self.list.history_model.append(rows)

    def _show_state(self) -> None:
        empty_diary = not self.days and not self.filtering()
        if empty_diary and self.service.count_entries() == 0:
            self.filter_row.hide()
            self.list_card.hide()
            self.count.hide()
            self.empty.show()
            return
        self.empty.hide()
        self.filter_row.show()
        self.count.show()
        self.list_card.setVisible(bool(self.days))
        if not self.days:
            self.count.setText(
                _("No check-ins match these filters.")
                if self.filtering()
                else _("Nothing logged yet.")
            )
        else:
            self.count.setText(self._count_text(self.shown_days))
        self.more_button.setVisible(self.shown_days < len(self.days))

    def entries(self) -> list[Entry]:
        """The check-ins shown, newest first."""
        return self.list.history_model.entries()

    def _count_text(self, shown: int) -> str:
        total = sum(d.count for d in self.days)
        days = len(self.days)
        check_ins = ngettext("{count} check-in", "{count} check-ins", total).format(count=total)
        on_days = ngettext("{count} day", "{count} days", days).format(count=days)
        latest = ngettext("{count} day", "{count} days", shown).format(count=shown)
        if shown < days:
            if self.filtering():
                text = _("{check_ins} on {days}; showing the latest {shown} match these filters.")
            else:
                text = _("{check_ins} on {days}; showing the latest {shown}.")
        elif self.filtering():
            text = _("{check_ins} on {days} match these filters.")
        else:
            text = _("{check_ins} on {days}.")
        return text.format(check_ins=check_ins, days=on_days, shown=latest)

    def reload_keeping_place(self) -> None:
        """After a change: the same filters and as many days as were shown."""
        self.reload_tags()
        self.reload(max(self.shown_days, DAYS_PER_PAGE))

    @property
    def reading(self) -> bool:
        """A reload is being read off the GUI thread (``reload_off_thread``)."""
        return self._reading and not in_locked_page(self)  # (a locked page reads nothing)

    def reload_off_thread(
        self, snapshot: ReadSnapshot, then: Callable[[], object] | None = None
    ) -> None:
        """:meth:`reload_keeping_place` after a change of many check-ins (an import), read on
        ``snapshot`` (a copy of the diary taken just after the change) off the GUI thread: the
        days counted, the check-ins of the days shown, the tags and trackers. The list, its
        count and the tag filter then change together in one turn, so the list shown stays
        whole (as it was) until the new one replaces it. A reload meanwhile (a filter chosen,
        another change, "Show earlier days") makes this one's result void; a reading that
        fails is done again on the GUI thread, which reports the problem. ``then`` is called
        once the list shows the result."""
        self._reloads += 1
        reload, self._reading = self._reloads, True
        filters = self._filters()
        how_many = max(self.shown_days, DAYS_PER_PAGE)
        Read = tuple[list[DayCount], list[Entry], list[TagInfo], list[TrackerInfo]]

        def work() -> Read:
            with snapshot:
                service = snapshot.service(MoodService)
                days = service.history_days(**filters)  # type: ignore[arg-type]
                wanted = days[:how_many]
                found: list[Entry] = []
                if wanted:
                    between = {**filters, "start": wanted[-1].day, "end": wanted[0].day}
                    found = service.entries(**between)  # type: ignore[arg-type]
                return days, found, service.tags(), service.trackers()

        def current() -> bool:
            if reload != self._reloads or in_locked_page(self):
                return False
            self._reading = False
            return True

        def done(read: Read) -> None:
            if not current():
                return
            days, found, tags, trackers = read
            self._show_tags(tags)
            self.days = days
            wanted = days[:how_many]
            self.shown_days = len(wanted)
            self.list.history_model.replace(_rows(wanted, found, tags, trackers))
            self._show_state()
            if then is not None:
                then()

        def failed(_exc: BaseException) -> None:
            if current():
                self.reload_keeping_place()

        run_task(work, done, failed, owner=self)

    # -- actions -----------------------------------------------------------------------------

    def edit(self, entry: Entry) -> None:
        fresh = self.ops.run(lambda: self.service.get_entry(entry.id), announce=False)
        if fresh is None:
            return
        if alive(self.dialog):
            self.dialog.close()
        self.dialog = CheckInDialog(self.service, self.context, self.window(), fresh)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.form.saved.connect(
            lambda _e: self.undo.offer(_("Your changes are saved."), None)
        )
        self.dialog.open()

    def delete(self, entry: Entry) -> None:
        when = format_datetime(entry.local_time)
        self.ops.run(
            lambda: self.service.delete_entry(entry.id),
            what="entries",
            undo_text=_("The check-in of {when} was deleted.").format(when=when),
            undo=lambda snapshot: lambda: self._restore(snapshot),
        )

    def _restore(self, snapshot: Entry) -> None:
        """The undo of a delete (run through ``ops``, which reports a problem)."""
        self.service.restore_entry(snapshot)
        self.undo.offer(_("The check-in is back."), None)


def _rows(
    days: list[DayCount], found: list[Entry], tags: list[TagInfo], trackers: list[TrackerInfo]
) -> list[Row]:
    """The list's rows for ``days`` (newest first) from their check-ins (in time order)."""
    by_day: dict[date, list[Entry]] = {}
    for entry in found:
        by_day.setdefault(entry.local_date, []).append(entry)
    tag_ids = {t.id: t for t in tags}
    tracker_ids = {t.id: t for t in trackers}
    rows: list[Row] = []
    for day in days:
        heading = day_heading(day.day)
        rows.append(DayRow(day, heading, day_summary(day)))
        for entry in reversed(by_day.get(day.day, [])):  # newest first, like the days
            rows.append(entry_row(entry, tag_ids, tracker_ids))
    return rows


def day_summary(day: DayCount) -> str:
    """E.g. "3 check-ins · mood from 4 to 7, average 5.3" (nothing judged, nothing missing)."""
    n = day.count
    if n == 1:
        words = anchor("mood", day.mood_min).lower()
        return _("1 check-in · {words}").format(words=words)
    if day.mood_min == day.mood_max:
        return ngettext(
            "{count} check-in · mood {value} each time",
            "{count} check-ins · mood {value} each time",
            n,
        ).format(count=n, value=day.mood_min)
    return ngettext(
        "{count} check-in · mood from {low} to {high}, average {mean}",
        "{count} check-ins · mood from {low} to {high}, average {mean}",
        n,
    ).format(count=n, low=day.mood_min, high=day.mood_max, mean=format_number(day.mood_mean, 1))
