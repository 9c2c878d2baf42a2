"""The floor of a page's open: each sidebar page of the real app beside a plain PySide6 copy of
it, opened alternately in the same process, click → painted and the GUI thread's longest gap.

    python bench/page_floor.py run [--data-dir D] [--rounds N] [--pages a,b] [--json F]
                                   [--shots DIR] [--perf N] [--profile-pages a,b]
    python bench/page_floor.py child DATA_DIR OUT.json ROUND [--pages a,b] [--shots DIR]
                                   [--profile [--cprofile]]

``run`` copies the demo diary (default ``/tmp/d10``, its passphrase in ``COMPANION_PASSPHRASE``
or ``--passphrase``) and starts one fresh process (``child``) per round. Each child unlocks
through the unlock window, waits until the pages are built ahead (``ui/build_ahead.py``), then
makes **the copy**: the window's widget tree walked and each widget made again as the nearest
stock Qt class with the same text, text format, word wrap, font, icon (as pixmaps), object
name, dynamic properties, size policy, minimum and maximum sizes, margins and layouts (box,
grid, form; Companion's ``FlowLayout`` becomes rows of box layouts as it placed them). The
application's palette, font and style sheet are those in use. Widgets that paint themselves
(charts, the history list with its delegate, plots) become a stock ``QWidget`` of the same
size, which paints nothing; Python overrides (a label's remembered heights, a wrapping
button's size hint, the bullet of a list item, a wrapping check box's own painting) are simply
not there. The copy sits in a plain ``QMainWindow`` of the same size with its own sidebar list
and a ``QStackedWidget`` of ``QScrollArea``s, and each copied page is laid out at the real size
and painted unseen once, as the app's pages built ahead are (the same three plain-Qt steps:
``lay_out_hidden``, ``measure_labels``, ``paint_hidden``).

Then, page by page in sidebar order (which of the two goes first alternates by page and by
round), each window goes back to its first page and opens the page by ``nav.setCurrentRow``
as ``run.py`` does: the time to the end of the page's first paint pass, the GUI thread's CPU
time meanwhile and the longest gap of a 5 ms timer on the GUI thread until idle
(``drive.StallMonitor``); then the same again ("again"). The app's figure minus the copy's is
what Companion's own code adds; the copy's figure is what any PySide6 program showing that
much content pays on this machine: the floor.

``--perf N`` (or ``--profile-pages``) then profiles the N slowest pages of the copy: three more
fresh processes under one ``perf record -g`` (monotonic clock), each with six copies of the
window whose page is opened once in each (first opens), and the app's own first open and
open again of the page; the samples inside exactly those click → painted windows are reported
by thread, library, kind and symbol. The first of the three also runs the app's opens under
cProfile: which Python runs between the click and the paint.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DEFAULT_DATA = Path("/tmp/d10")
DEFAULT_PASSPHRASE = "bench passphrase for ten years"
#: with ``--perf``: copies of each profiled page made and opened once each
PROFILE_COPIES = 6
#: with ``--perf``: fresh processes profiled (the app's first open happens once in each)
PROFILE_PROCESSES = 3


# -- the copy: a plain PySide6 widget tree made from the app's ---------------------------------


class Copier:
    """Makes a stock-Qt copy of a widget tree; counts what it could not copy as such."""

    def __init__(self) -> None:
        from PySide6 import QtCore, QtGui, QtWidgets

        self.Qt = QtCore.Qt
        self.QtGui = QtGui
        self.W = QtWidgets
        #: (source, copy) of every label, for comparing
        self.blank: list[str] = []
        self.dropped_paint: list[str] = []
        self.unplaced: list[str] = []
        self.flows = 0
        self.widgets = 0
        #: (source, copy) of every widget copied, for looking at differences
        self.pairs: list[tuple[Any, Any]] = []

    # each widget's kind: the nearest stock class, most specific first
    KINDS = (
        "QCheckBox", "QRadioButton", "QPushButton", "QToolButton", "QLabel", "QLineEdit",
        "QPlainTextEdit", "QTextEdit", "QComboBox", "QDateTimeEdit", "QDoubleSpinBox",
        "QSpinBox", "QSlider", "QAbstractSlider", "QProgressBar", "QTabWidget",
        "QStackedWidget", "QScrollArea", "QTableWidget", "QTableView", "QListWidget",
        "QListView", "QGraphicsView", "QFrame", "QWidget",
    )  # fmt: skip

    @staticmethod
    def python_class(widget: Any) -> bool:
        return not type(widget).__module__.startswith(("PySide6", "shiboken6"))

    def kind(self, widget: Any) -> str:
        for name in self.KINDS:
            if widget.inherits(name):
                return name
        return "QWidget"

    def overrides(self, widget: Any, method: str, kind: str) -> bool:
        base = getattr(self.W, kind, self.W.QWidget)
        return getattr(type(widget), method, None) is not getattr(base, method, None)

    def paints_itself(self, widget: Any, kind: str) -> bool:
        """Drawn by its own code: a Python paintEvent on a widget whose stock class draws no
        content of its own, a view with a Python delegate, a graphics view (plots)."""
        if kind == "QGraphicsView":
            return True
        if kind in ("QListView", "QTableView") and self.python_class(widget.itemDelegate()):
            return True
        return kind in ("QWidget", "QFrame", "QAbstractSlider") and self.overrides(
            widget, "paintEvent", kind
        )

    def icon(self, icon: Any, size: Any) -> Any:
        """A stock pixmap icon with the same picture at the size it is drawn at."""
        QIcon = self.QtGui.QIcon
        if icon.isNull() or size.isEmpty():
            return QIcon()
        copy = QIcon()
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled):
            copy.addPixmap(icon.pixmap(size, mode), mode)
        return copy

    def common(self, src: Any, dst: Any) -> None:
        Qt = self.Qt
        A = Qt.WidgetAttribute
        dst.setObjectName(src.objectName())
        if src.styleSheet():
            dst.setStyleSheet(src.styleSheet())
        for name in src.dynamicPropertyNames():
            key = bytes(name).decode()
            if key.startswith("_q_"):
                continue
            try:
                dst.setProperty(key, src.property(key))
            except (RuntimeError, TypeError):
                continue  # (a value PySide cannot carry: Qt's own, not the style sheet's)
        dst.setSizePolicy(src.sizePolicy())
        dst.setMinimumSize(src.minimumSize())
        dst.setMaximumSize(src.maximumSize())
        # (the style sheet's borders and padding are contents margins once it is polished:
        # copied, they would count twice)
        dst.ensurePolished()
        if dst.contentsMargins() != src.contentsMargins():
            dst.setContentsMargins(src.contentsMargins())
        if src.testAttribute(A.WA_SetFont):
            dst.setFont(src.font())
        if src.testAttribute(A.WA_SetPalette):
            dst.setPalette(src.palette())
        dst.setAutoFillBackground(src.autoFillBackground())
        dst.setFocusPolicy(src.focusPolicy())
        for attribute in (A.WA_TransparentForMouseEvents, A.WA_StyledBackground):
            if src.testAttribute(attribute):
                dst.setAttribute(attribute)
        if src.testAttribute(A.WA_ForceDisabled):
            dst.setEnabled(False)
        if src.testAttribute(A.WA_SetCursor):
            dst.setCursor(src.cursor())

    @staticmethod
    def hidden(src: Any) -> bool:
        from PySide6.QtCore import Qt

        A = Qt.WidgetAttribute
        return src.testAttribute(A.WA_WState_ExplicitShowHide) and src.testAttribute(
            A.WA_WState_Hidden
        )

    def widget(self, src: Any) -> Any:
        """The copy of ``src`` and everything in its layout (not yet hidden: the caller hides
        it once it has a parent, see :meth:`finish`)."""
        W = self.W
        self.widgets += 1
        kind = self.kind(src)
        where = f"{type(src).__name__}" + (f"#{src.objectName()}" if src.objectName() else "")
        if self.paints_itself(src, kind):
            self.blank.append(f"{where} {src.width()}×{src.height()}")
            dst = W.QWidget()
            self.common(src, dst)
            # as tall as it is, as narrow as it may be (a fixed width would widen the page)
            dst.setFixedHeight(src.height())
            least = src.minimumWidth() or src.minimumSizeHint().width()
            dst.setMinimumWidth(max(0, min(src.width(), least)))
            return dst
        if self.python_class(src) and self.overrides(src, "paintEvent", kind):
            self.dropped_paint.append(where)
        if kind == "QAbstractSlider" and src.layout() is not None:
            kind = "QWidget"  # a row of its own buttons over a slider that draws nothing
        make = getattr(self, "_" + kind, None)
        dst = make(src) if make is not None else W.QWidget()
        self.common(src, dst)
        if src.layout() is None and kind != "QLabel":
            # a Python heightForWidth (a wrapping check box) is not there: a stock widget
            # asked for its height for a width answers -1, which a layout takes as no height
            policy = dst.sizePolicy()
            policy.setHeightForWidth(False)
            dst.setSizePolicy(policy)
        if kind in ("QWidget", "QFrame") or (
            kind in ("QPushButton", "QToolButton") and src.layout() is not None
        ):
            if kind == "QFrame":
                dst.setFrameShape(src.frameShape())
                dst.setFrameShadow(src.frameShadow())
                dst.setLineWidth(src.lineWidth())
                dst.setMidLineWidth(src.midLineWidth())
            layout = src.layout()
            if layout is not None:
                dst.setLayout(self.layout(layout))
                stock = (W.QBoxLayout, W.QGridLayout, W.QFormLayout, W.QStackedLayout)
                if not isinstance(layout, stock) and src.minimumWidth() == 0:
                    # a Python layout that wraps asks for its widest item, not a whole row:
                    # its rows of box layouts keep that minimum (they cannot wrap)
                    dst.setMinimumWidth(max(1, layout.minimumSize().width()))
            self._unplaced(src, layout)
        return dst

    def _unplaced(self, src: Any, layout: Any) -> None:
        """Child widgets outside the layout and not hidden (overlays): counted, not copied."""
        placed = set()
        if layout is not None:
            for child in src.findChildren(self.W.QWidget):
                if layout.indexOf(child) >= 0 or child.isWindow():
                    placed.add(id(child))
        for child in src.children():
            if (
                isinstance(child, self.W.QWidget)
                and child.parentWidget() is src
                and not child.isWindow()
                and not self.hidden(child)
                and id(child) not in placed
                and not self._in_sublayout(layout, child)
            ):
                self.unplaced.append(type(child).__name__)

    def _in_sublayout(self, layout: Any, child: Any) -> bool:
        if layout is None:
            return False
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item is None:
                continue
            if item.widget() is child:
                return True
            if item.layout() is not None and self._in_sublayout(item.layout(), child):
                return True
        return False

    def finish(self, src: Any, dst: Any) -> Any:
        self.pairs.append((src, dst))
        if self.hidden(src):
            dst.hide()
        return dst

    # -- layouts --------------------------------------------------------------------------

    def layout(self, src: Any) -> Any:
        W = self.W
        if isinstance(src, W.QGridLayout):
            dst = self._grid(src)
        elif isinstance(src, W.QFormLayout):
            dst = self._form(src)
        elif isinstance(src, W.QBoxLayout):
            dst = W.QBoxLayout(src.direction())
            dst.setSpacing(src.spacing())
            for i in range(src.count()):
                item = src.itemAt(i)
                self._box_item(dst, item, src.stretch(i))
        elif isinstance(src, W.QStackedLayout):
            dst = W.QStackedLayout()
            for i in range(src.count()):
                w = src.widget(i)
                dst.addWidget(self.finish(w, self.widget(w)))
            dst.setCurrentIndex(src.currentIndex())
        else:  # a Python layout (FlowLayout): rows of box layouts, as it placed its items
            dst = self._flow(src)
        dst.setContentsMargins(src.contentsMargins())
        dst.setSizeConstraint(src.sizeConstraint())
        return dst

    def _box_item(self, dst: Any, item: Any, stretch: int) -> None:
        if item.widget() is not None:
            w = item.widget()
            copy = self.widget(w)
            dst.addWidget(copy, stretch, item.alignment())
            self.finish(w, copy)
        elif item.layout() is not None:
            dst.addLayout(self.layout(item.layout()), stretch)
        elif item.spacerItem() is not None:
            sp = item.spacerItem()
            hint = sp.sizeHint()
            policy = sp.sizePolicy()
            dst.addItem(
                self.W.QSpacerItem(
                    hint.width(),
                    hint.height(),
                    policy.horizontalPolicy(),
                    policy.verticalPolicy(),
                )
            )
            if stretch:
                dst.setStretch(dst.count() - 1, stretch)

    def _grid(self, src: Any) -> Any:
        dst = self.W.QGridLayout()
        dst.setHorizontalSpacing(src.horizontalSpacing())
        dst.setVerticalSpacing(src.verticalSpacing())
        for i in range(src.count()):
            item = src.itemAt(i)
            row, col, rows, cols = src.getItemPosition(i)
            if item.widget() is not None:
                copy = self.widget(item.widget())
                dst.addWidget(copy, row, col, rows, cols, item.alignment())
                self.finish(item.widget(), copy)
            elif item.layout() is not None:
                dst.addLayout(self.layout(item.layout()), row, col, rows, cols)
        for r in range(src.rowCount()):
            dst.setRowStretch(r, src.rowStretch(r))
            dst.setRowMinimumHeight(r, src.rowMinimumHeight(r))
        for c in range(src.columnCount()):
            dst.setColumnStretch(c, src.columnStretch(c))
            dst.setColumnMinimumWidth(c, src.columnMinimumWidth(c))
        return dst

    def _form(self, src: Any) -> Any:
        dst = self.W.QFormLayout()
        dst.setHorizontalSpacing(src.horizontalSpacing())
        dst.setVerticalSpacing(src.verticalSpacing())
        dst.setFieldGrowthPolicy(src.fieldGrowthPolicy())
        dst.setRowWrapPolicy(src.rowWrapPolicy())
        dst.setLabelAlignment(src.labelAlignment())
        dst.setFormAlignment(src.formAlignment())
        for i in range(src.count()):
            item = src.itemAt(i)
            row, role = src.getItemPosition(i)
            if item.widget() is not None:
                copy = self.widget(item.widget())
                dst.setWidget(row, role, copy)
                self.finish(item.widget(), copy)
            elif item.layout() is not None:
                dst.setLayout(row, role, self.layout(item.layout()))
        return dst

    def _flow(self, src: Any) -> Any:
        """A Python layout's items, in rows as it placed them (by their top edge)."""
        W = self.W
        self.flows += 1
        spacing = max(0, src.spacing()) if src.spacing() >= 0 else 6
        spacing = getattr(src, "_spacing", spacing)
        # a new row where an item starts below the bottom of the row so far
        rows: list[list[Any]] = []
        bottom = None
        items = [src.itemAt(i) for i in range(src.count())]
        for item in sorted(items, key=lambda it: (it.geometry().top(), it.geometry().left())):
            g = item.geometry()
            if bottom is None or g.top() > bottom:
                rows.append([])
                bottom = g.bottom()
            rows[-1].append(item)
            bottom = max(bottom, g.bottom())
        dst = W.QVBoxLayout()
        dst.setSpacing(spacing)
        for row in rows:
            line = W.QHBoxLayout()
            line.setSpacing(spacing)
            for item in sorted(row, key=lambda it: it.geometry().left()):
                self._box_item(line, item, 0)
            line.addStretch(1)
            dst.addLayout(line)
        return dst

    # -- widgets by kind ------------------------------------------------------------------

    def _QFrame(self, src: Any) -> Any:
        return self.W.QFrame()

    def _QLabel(self, src: Any) -> Any:
        dst = self.W.QLabel()
        dst.setTextFormat(src.textFormat())
        dst.setWordWrap(src.wordWrap())
        dst.setAlignment(src.alignment())
        dst.setIndent(src.indent())
        dst.setMargin(src.margin())
        dst.setTextInteractionFlags(src.textInteractionFlags())
        dst.setOpenExternalLinks(src.openExternalLinks())
        pixmap = src.pixmap()
        if pixmap is not None and not pixmap.isNull():
            dst.setPixmap(pixmap)
        else:
            dst.setText(src.text())
        return dst

    def _button(self, src: Any, dst: Any) -> Any:
        dst.setText(src.text())
        dst.setIconSize(src.iconSize())
        dst.setIcon(self.icon(src.icon(), src.iconSize()))
        dst.setCheckable(src.isCheckable())
        dst.setChecked(src.isChecked())
        return dst

    def _QPushButton(self, src: Any) -> Any:
        dst = self._button(src, self.W.QPushButton())
        dst.setFlat(src.isFlat())
        dst.setDefault(src.isDefault())
        dst.setAutoDefault(src.autoDefault())
        return dst

    def _QToolButton(self, src: Any) -> Any:
        dst = self._button(src, self.W.QToolButton())
        dst.setToolButtonStyle(src.toolButtonStyle())
        dst.setArrowType(src.arrowType())
        dst.setAutoRaise(src.autoRaise())
        dst.setPopupMode(src.popupMode())
        return dst

    def _QCheckBox(self, src: Any) -> Any:
        dst = self._button(src, self.W.QCheckBox())
        dst.setTristate(src.isTristate())
        dst.setCheckState(src.checkState())
        return dst

    def _QRadioButton(self, src: Any) -> Any:
        return self._button(src, self.W.QRadioButton())

    def _QLineEdit(self, src: Any) -> Any:
        dst = self.W.QLineEdit(src.text())
        dst.setPlaceholderText(src.placeholderText())
        dst.setEchoMode(src.echoMode())
        dst.setReadOnly(src.isReadOnly())
        dst.setMaxLength(src.maxLength())
        dst.setFrame(src.hasFrame())
        dst.setClearButtonEnabled(src.isClearButtonEnabled())
        dst.setAlignment(src.alignment())
        return dst

    def _scrolling(self, src: Any, dst: Any) -> None:
        dst.setFrameShape(src.frameShape())
        dst.setHorizontalScrollBarPolicy(src.horizontalScrollBarPolicy())
        dst.setVerticalScrollBarPolicy(src.verticalScrollBarPolicy())

    def _QPlainTextEdit(self, src: Any) -> Any:
        dst = self.W.QPlainTextEdit()
        dst.setPlainText(src.toPlainText())
        dst.setPlaceholderText(src.placeholderText())
        dst.setReadOnly(src.isReadOnly())
        dst.setLineWrapMode(src.lineWrapMode())
        self._scrolling(src, dst)
        return dst

    def _QTextEdit(self, src: Any) -> Any:
        dst = self.W.QTextBrowser() if src.inherits("QTextBrowser") else self.W.QTextEdit()
        dst.setHtml(src.toHtml())
        dst.setPlaceholderText(src.placeholderText())
        dst.setReadOnly(src.isReadOnly())
        dst.setLineWrapMode(src.lineWrapMode())
        self._scrolling(src, dst)
        return dst

    def _QComboBox(self, src: Any) -> Any:
        dst = self.W.QComboBox()
        size = src.iconSize()
        for i in range(src.count()):
            dst.addItem(self.icon(src.itemIcon(i), size), src.itemText(i))
        dst.setIconSize(size)
        dst.setEditable(src.isEditable())
        dst.setSizeAdjustPolicy(src.sizeAdjustPolicy())
        dst.setMinimumContentsLength(src.minimumContentsLength())
        dst.setMaxVisibleItems(src.maxVisibleItems())
        dst.setCurrentIndex(src.currentIndex())
        return dst

    def _QDateTimeEdit(self, src: Any) -> Any:
        W = self.W
        if src.inherits("QDateEdit"):
            dst = W.QDateEdit()
        elif src.inherits("QTimeEdit"):
            dst = W.QTimeEdit()
        else:
            dst = W.QDateTimeEdit()
        dst.setDisplayFormat(src.displayFormat())
        dst.setCalendarPopup(src.calendarPopup())
        dst.setDateTimeRange(src.minimumDateTime(), src.maximumDateTime())
        dst.setDateTime(src.dateTime())
        dst.setButtonSymbols(src.buttonSymbols())
        return dst

    def _spin(self, src: Any, dst: Any) -> Any:
        dst.setRange(src.minimum(), src.maximum())
        dst.setSingleStep(src.singleStep())
        dst.setPrefix(src.prefix())
        dst.setSuffix(src.suffix())
        dst.setSpecialValueText(src.specialValueText())
        dst.setValue(src.value())
        dst.setButtonSymbols(src.buttonSymbols())
        dst.setAlignment(src.alignment())
        return dst

    def _QSpinBox(self, src: Any) -> Any:
        return self._spin(src, self.W.QSpinBox())

    def _QDoubleSpinBox(self, src: Any) -> Any:
        dst = self.W.QDoubleSpinBox()
        dst.setDecimals(src.decimals())
        return self._spin(src, dst)

    def _QSlider(self, src: Any) -> Any:
        dst = self.W.QSlider(src.orientation())
        dst.setRange(src.minimum(), src.maximum())
        dst.setValue(self.W.QAbstractSlider.value(src))  # (a Python value() may differ)
        if src.inherits("QSlider"):
            dst.setTickPosition(src.tickPosition())
            dst.setTickInterval(src.tickInterval())
        return dst

    _QAbstractSlider = _QSlider

    def _QProgressBar(self, src: Any) -> Any:
        dst = self.W.QProgressBar()
        dst.setRange(src.minimum(), src.maximum())
        dst.setValue(src.value())
        dst.setTextVisible(src.isTextVisible())
        dst.setFormat(src.format())
        dst.setOrientation(src.orientation())
        return dst

    def _QTabWidget(self, src: Any) -> Any:
        dst = self.W.QTabWidget()
        dst.setDocumentMode(src.documentMode())
        dst.setTabPosition(src.tabPosition())
        dst.setUsesScrollButtons(src.usesScrollButtons())
        dst.setElideMode(src.elideMode())
        dst.setIconSize(src.iconSize())
        for i in range(src.count()):
            dst.addTab(
                self.widget(src.widget(i)),
                self.icon(src.tabIcon(i), src.iconSize()),
                src.tabText(i),
            )
        dst.setCurrentIndex(src.currentIndex())
        return dst

    def _QStackedWidget(self, src: Any) -> Any:
        dst = self.W.QStackedWidget()
        for i in range(src.count()):
            dst.addWidget(self.widget(src.widget(i)))
        dst.setCurrentIndex(src.currentIndex())
        return dst

    def _QScrollArea(self, src: Any) -> Any:
        dst = self.W.QScrollArea()
        self._scrolling(src, dst)
        dst.setWidgetResizable(src.widgetResizable())
        dst.setAlignment(src.alignment())
        if src.widget() is not None:
            dst.setWidget(self.finish(src.widget(), self.widget(src.widget())))
        return dst

    def _QTableView(self, src: Any) -> Any:
        """A table of the same texts (a QTableWidget: stock items)."""
        model = src.model()
        rows, cols = model.rowCount(), model.columnCount()
        dst = self.W.QTableWidget(rows, cols)
        Qt = self.Qt
        headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(cols)]
        dst.setHorizontalHeaderLabels(headers)
        for r in range(rows):
            for c in range(cols):
                value = model.data(model.index(r, c))
                dst.setItem(r, c, self.W.QTableWidgetItem("" if value is None else str(value)))
        for header, theirs in (
            (dst.horizontalHeader(), src.horizontalHeader()),
            (dst.verticalHeader(), src.verticalHeader()),
        ):
            header.setVisible(not theirs.isHidden())
            header.setStretchLastSection(theirs.stretchLastSection())
            header.setDefaultSectionSize(theirs.defaultSectionSize())
            for i in range(theirs.count()):
                header.setSectionResizeMode(i, theirs.sectionResizeMode(i))
        dst.setSelectionBehavior(src.selectionBehavior())
        selected = src.selectionModel()
        if selected is not None:
            for index in selected.selectedRows():
                dst.selectRow(index.row())
        dst.setShowGrid(src.showGrid())
        dst.setWordWrap(src.wordWrap())
        dst.setSelectionMode(src.selectionMode())
        self._scrolling(src, dst)
        return dst

    _QTableWidget = _QTableView

    def _QListView(self, src: Any) -> Any:
        """A list of the same texts and icons (a QListWidget: stock items)."""
        model = src.model()
        dst = self.W.QListWidget()
        Qt = self.Qt
        size = src.iconSize()
        dst.setIconSize(size)
        for r in range(model.rowCount()):
            index = model.index(r, 0)
            item = self.W.QListWidgetItem(str(model.data(index) or ""))
            icon = model.data(index, Qt.ItemDataRole.DecorationRole)
            if isinstance(icon, self.QtGui.QIcon):
                item.setIcon(self.icon(icon, size))
            dst.addItem(item)
        dst.setCurrentRow(src.currentIndex().row())
        dst.setSpacing(src.spacing())
        dst.setUniformItemSizes(src.uniformItemSizes())
        dst.setWordWrap(src.wordWrap())
        self._scrolling(src, dst)
        return dst

    _QListWidget = _QListView


# -- the child: one fresh process, app and copy side by side ---------------------------------


def child(
    data_dir: Path,
    out: Path,
    round_no: int,
    pages: list[str],
    shots: Path | None,
    profile: bool = False,
    cprofile: bool = False,
) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import drive
    from drive import Idle, Painted, Until, Wait, ms, now
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

    from companion.ui.app import AppController, make_app
    from companion.ui.build_ahead import lay_out_hidden, measure_labels, paint_hidden

    app = make_app()  # noqa: F841
    monitor = drive.StallMonitor(interval_ms=5)
    controller = AppController(data_dir)
    result: dict[str, Any] = {"round": round_no, "opens": [], "pages": {}, "pid": os.getpid()}
    keep: list[Any] = []

    def script() -> Any:
        yield from drive.unlocked(controller, 1000)
        window = controller.window
        yield Idle()
        done = yield Until(lambda: window.build_ahead_pages.finished, timeout_ms=60_000)
        if not done:
            raise RuntimeError("the pages were not built ahead within 60 s")
        yield Idle()
        rows = {
            window.nav.item(r).data(Qt.ItemDataRole.UserRole): r for r in range(window.nav.count())
        }
        wanted = [p for p in rows if p != "today" and (not pages or p in pages)]
        # -- the copy, made from the window as it is now (every page built ahead)
        begun = now()
        copier = Copier()

        def make_copy() -> tuple[Any, Any, Any]:
            floor = QMainWindow()
            floor.setWindowTitle("floor")
            central = copier.widget(window.centralWidget())
            floor.setCentralWidget(central)
            nav = next(
                w for w in central.findChildren(type(window.nav)) if w.objectName() == "SidebarList"
            )
            stack = next(
                w
                for w in central.findChildren(type(window.stack))
                if w.count() == window.stack.count()
            )
            nav.currentRowChanged.connect(stack.setCurrentIndex)
            floor.resize(window.size())
            floor.show()
            keep.append(floor)
            return floor, nav, stack

        floor, nav, stack = make_copy()
        result["copy_made_ms"] = ms(now() - begun)
        result["copy"] = {
            "widgets": copier.widgets,
            "blank (paint themselves)": copier.blank,
            "own painting dropped": sorted(set(copier.dropped_paint)),
            "outside layouts, not copied": sorted(set(copier.unplaced)),
            "flow layouts as rows": copier.flows,
        }
        yield Painted(floor)
        yield Idle()
        # what QStackedLayout does at every switch: updates off and on again on the stack,
        # each a walk over every widget of every page in it (Qt's own, app and copy alike)
        walks: dict[str, float] = {}
        for side, side_stack in (("app", window.stack), ("copy", stack)):
            begun = now()
            side_stack.setUpdatesEnabled(False)
            side_stack.setUpdatesEnabled(True)
            walks[side] = ms(now() - begun)
            walks[side + "_widgets"] = len(side_stack.findChildren(QWidget))
        result["updates_off_and_on_ms"] = walks
        copies = [(floor, nav, stack)]
        if profile:
            # more copies of the window (the same stack of pages), each page opened once in
            # each (its first open): enough samples for a profile of a 20 ms event
            for _k in range(PROFILE_COPIES - 1):
                copies.append(make_copy())
                yield Idle()
        for _floor, _nav, each in copies:
            for page_id in wanted:
                scroller = each.widget(rows[page_id])
                lay_out_hidden(scroller, each.currentWidget())
                yield Wait(0)
                for _piece in measure_labels(scroller.widget()):
                    yield Wait(0)
                lay_out_hidden(scroller, each.currentWidget())
                yield Wait(0)
                for _band in paint_hidden(scroller):
                    yield Wait(0)
        yield Idle()
        monitor.start("measuring")
        today = rows["today"]
        if profile:
            # the app's own first open of each profiled page (once: a first open), then
            # again; with ``cprofile`` under cProfile (which Python runs between the click and
            # the paint), else timed only (for perf: the app's opens in the same profile)
            import cProfile
            import io
            import pstats

            result["app_profile"] = {}
            for page_id in wanted:
                for visit in ("first", "again"):
                    window.nav.setCurrentRow(today)
                    yield Idle()
                    yield Wait(50)
                    profiler = cProfile.Profile() if cprofile else None
                    start, mono = now(), time.monotonic()
                    if profiler is not None:
                        profiler.enable()
                    window.nav.setCurrentRow(rows[page_id])
                    painted = yield Painted(window.page(page_id))
                    if profiler is not None:
                        profiler.disable()
                    result["opens"].append(
                        {
                            "page": page_id,
                            "side": "app",
                            "visit": visit,
                            "cprofile": profiler is not None,
                            "painted_ms": ms(painted - start) if painted else None,
                            "monotonic": [mono, mono + (painted - start if painted else 0)],
                        }
                    )
                    if profiler is not None:
                        stats = pstats.Stats(profiler)
                        text = io.StringIO()
                        stats.stream = text  # type: ignore[attr-defined]
                        stats.sort_stats("tottime").print_stats(15)
                        stats.sort_stats("cumulative").print_stats(25)
                        entries = stats.stats.items()  # type: ignore[attr-defined]
                        # Python's own code (C functions called from Python have file "~")
                        own = sum(v[2] for k, v in entries if k[0] != "~") * 1000
                        called = sum(v[2] for k, v in entries if k[0] == "~") * 1000
                        result["app_profile"][f"the app's {visit} open of {page_id}"] = {
                            "painted_ms": ms(painted - start) if painted else None,
                            "python_code_ms": round(own, 1),
                            "c_called_from_python_ms": round(called, 1),
                            "stats": text.getvalue(),
                        }
                    yield Idle(settle_ms=20)
            for number, (_floor, each_nav, each) in enumerate(copies):
                for page_id in wanted:
                    each_nav.setCurrentRow(today)
                    yield Idle()
                    yield Wait(50)
                    # (the last copy's under cProfile too: what Python runs in a plain open)
                    profiler = (
                        cProfile.Profile() if cprofile and number == len(copies) - 1 else None
                    )
                    start, mono = now(), time.monotonic()
                    if profiler is not None:
                        profiler.enable()
                    each_nav.setCurrentRow(rows[page_id])
                    painted = yield Painted(each.widget(rows[page_id]).widget())
                    if profiler is not None:
                        profiler.disable()
                        stats = pstats.Stats(profiler)
                        text = io.StringIO()
                        stats.stream = text  # type: ignore[attr-defined]
                        stats.sort_stats("tottime").print_stats(15)
                        entries = stats.stats.items()  # type: ignore[attr-defined]
                        result["app_profile"][f"the copy's first open of {page_id}"] = {
                            "painted_ms": ms(painted - start) if painted else None,
                            "python_code_ms": round(
                                sum(v[2] for k, v in entries if k[0] != "~") * 1000, 1
                            ),
                            "c_called_from_python_ms": round(
                                sum(v[2] for k, v in entries if k[0] == "~") * 1000, 1
                            ),
                            "stats": text.getvalue(),
                        }
                    result["opens"].append(
                        {
                            "page": page_id,
                            "side": "copy",
                            "visit": "first",
                            "cprofile": profiler is not None,
                            "painted_ms": ms(painted - start) if painted else None,
                            "monotonic": [mono, mono + (painted - start if painted else 0)],
                        }
                    )
                    yield Idle(settle_ms=20)
            monitor.stop()
            controller.shutdown()
            return
        sides = {
            "app": (window.nav, lambda pid: window.page(pid)),
            "copy": (nav, lambda pid: stack.widget(rows[pid]).widget()),
        }
        for i, page_id in enumerate(wanted):
            order = ["app", "copy"] if (i + round_no) % 2 == 0 else ["copy", "app"]
            for visit in ("first", "again"):
                for side in order:
                    side_nav, page_of = sides[side]
                    side_nav.setCurrentRow(today)
                    yield Idle()
                    yield Wait(100)
                    target = page_of(page_id)
                    start = now()
                    mono = time.monotonic()
                    cpu = time.thread_time()
                    side_nav.setCurrentRow(rows[page_id])
                    painted = yield Painted(target)
                    cpu_ms = ms(time.thread_time() - cpu)
                    yield Idle(settle_ms=50)
                    end = now()
                    gaps = monitor.gaps(start, end)
                    result["opens"].append(
                        {
                            "page": page_id,
                            "side": side,
                            "visit": visit,
                            "painted_ms": ms(painted - start) if painted else None,
                            "gui_cpu_to_paint_ms": cpu_ms,
                            "max_gap_ms": round(max(gaps), 1) if gaps else None,
                            "monotonic": [mono, mono + (painted - start if painted else 0)],
                        }
                    )
        monitor.stop()
        # -- does the copy look alike? both pages shown, grabbed whole
        for page_id in wanted:
            window.nav.setCurrentRow(rows[page_id])
            nav.setCurrentRow(rows[page_id])
            yield Idle(settle_ms=20)
            mine, theirs = page_of_app(page_id), stack.widget(rows[page_id]).widget()
            a, b = mine.grab().toImage(), theirs.grab().toImage()
            entry = {
                "app_size": [mine.width(), mine.height()],
                "copy_size": [theirs.width(), theirs.height()],
                "labels": [
                    len(mine.findChildren(QLabel)),
                    len(theirs.findChildren(QLabel)),
                ],
                "same_pixels": same_pixels(a, b),
            }
            result["pages"][page_id] = entry
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                side_by_side(a, b).save(str(shots / f"{page_id}.png"))
        controller.shutdown()

    def page_of_app(page_id: str) -> Any:
        return controller.window.page(page_id)

    with drive.quiet_qt_messages():
        runner = drive.Runner(script())
        runner.run()
    result["error"] = runner.error
    out.write_text(json.dumps(result), encoding="utf-8")
    if runner.error:
        print(runner.error, file=sys.stderr)
        raise SystemExit(1)


def same_pixels(a: Any, b: Any) -> float | None:
    """Share of identical pixels over the common area (None when nothing overlaps)."""
    from PySide6.QtGui import QImage

    w, h = min(a.width(), b.width()), min(a.height(), b.height())
    if w <= 0 or h <= 0:
        return None
    fmt = QImage.Format.Format_RGB32
    a, b = a.convertToFormat(fmt).copy(0, 0, w, h), b.convertToFormat(fmt).copy(0, 0, w, h)
    ra, rb = bytes(a.constBits()), bytes(b.constBits())
    stride = a.bytesPerLine()
    same = 0
    for y in range(h):
        row_a = memoryview(ra)[y * stride : y * stride + 4 * w].cast("I")
        row_b = memoryview(rb)[y * stride : y * stride + 4 * w].cast("I")
        same += sum(1 for p, q in zip(row_a, row_b, strict=True) if p == q)
    return round(same / (w * h), 4)


def side_by_side(a: Any, b: Any) -> Any:
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(
        a.width() + b.width() + 12, max(a.height(), b.height()), QImage.Format.Format_RGB32
    )
    image.fill(QColor("#ff00ff"))
    painter = QPainter(image)
    painter.drawImage(0, 0, a)
    painter.drawImage(a.width() + 12, 0, b)
    painter.end()
    return image


# -- the parent: rounds of fresh processes, the table, the profile ------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count()}
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    import PySide6

    info["pyside6"] = PySide6.__version__
    info["python"] = sys.version.split()[0]
    return info


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def run(args: argparse.Namespace) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COMPANION_PASSPHRASE"] = args.passphrase
    env["QT_QPA_PLATFORM"] = "offscreen"
    results: list[dict[str, Any]] = []
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="page-floor-") as scratch_name:
        scratch = Path(scratch_name)
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")

        def one(round_no: int, extra: list[str], prefix: list[str]) -> dict[str, Any]:
            diary = scratch / f"diary{round_no}"
            shutil.copytree(args.data_dir, diary, ignore=shutil.ignore_patterns("*.lock"))
            out = scratch / f"round{round_no}.json"
            command = [
                *prefix, sys.executable, str(Path(__file__).resolve()), "child", str(diary),
                str(out), str(round_no), *extra,
            ]  # fmt: skip
            loads.append(os.getloadavg()[0])
            proc = subprocess.run(command, env=env, capture_output=True, text=True, cwd="/tmp")
            shutil.rmtree(diary, ignore_errors=True)
            if proc.returncode != 0 or not out.exists():
                raise SystemExit(
                    f"round {round_no} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
                )
            return dict(json.loads(out.read_text(encoding="utf-8")))

        for round_no in range(args.rounds):
            extra = ["--pages", args.pages] if args.pages else []
            if args.shots and round_no == 0:
                extra += ["--shots", str(args.shots)]
            results.append(one(round_no, extra, []))
            print(f"round {round_no + 1}/{args.rounds} done (load {loads[-1]:.2f})", flush=True)
        loads.append(os.getloadavg()[0])
        summary = summarise(results)
        summary["machine"] = {**machine(), "load_1min": loads}
        summary["rounds"] = args.rounds
        summary["data_dir"] = str(args.data_dir)
        if (args.perf or args.profile_pages) and shutil.which("perf"):
            medians = summary["medians"]
            slowest = sorted(medians, key=lambda p: -(medians[p].get("copy_first_ms") or 0))
            chosen = [p for p in args.profile_pages.split(",") if p] or slowest[: args.perf]
            data = scratch / "perf.data"
            # a few fresh processes under one perf record (one file, one clock): the copies'
            # first opens, and the app's first open of each page once per process
            commands, outs = [], []
            for k in range(PROFILE_PROCESSES):
                diary = scratch / f"profiled{k}"
                shutil.copytree(args.data_dir, diary, ignore=shutil.ignore_patterns("*.lock"))
                outs.append(scratch / f"profiled{k}.json")
                commands.append(
                    shlex.join(
                        [
                            sys.executable, str(Path(__file__).resolve()), "child", str(diary),
                            str(outs[-1]), str(k), "--pages", ",".join(chosen), "--profile",
                            *(["--cprofile"] if k == 0 else []),
                        ]
                    )
                )  # fmt: skip
            record = [
                "perf", "record", "-g", "-k", "CLOCK_MONOTONIC", "-F", "4000", "-q",
                "-o", str(data), "--", "sh", "-c", " && ".join(commands),
            ]  # fmt: skip
            loads.append(os.getloadavg()[0])
            proc = subprocess.run(record, env=env, capture_output=True, text=True, cwd="/tmp")
            if proc.returncode != 0:
                raise SystemExit(f"profile failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
            profiled = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
            opens = [{**o, "pid": r["pid"]} for r in profiled for o in r["opens"]]
            summary["profile"] = perf_profile(data, opens, chosen)
            summary["app_profile"] = profiled[0].get("app_profile", {})
            summary["profile_opens"] = opens
            print("profile done", flush=True)
    return summary


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    if not results:  # (--rounds 0: a profile only)
        return {"medians": {}, "raw": {}, "look": {}, "copy": None, "copy_made_ms": []}
    table: dict[str, dict[str, Any]] = {}
    for r in results:
        for o in r["opens"]:
            row = table.setdefault(o["page"], {})
            key = f"{o['side']}_{o['visit']}"
            row.setdefault(key + "_ms", []).append(o["painted_ms"])
            row.setdefault(key + "_gap_ms", []).append(o["max_gap_ms"])
            row.setdefault(key + "_cpu_ms", []).append(o["gui_cpu_to_paint_ms"])
    medians = {
        page: {key: median(values) for key, values in row.items()} for page, row in table.items()
    }
    return {
        "medians": medians,
        "raw": table,
        "look": results[0]["pages"],
        "copy": results[0]["copy"],
        "copy_made_ms": [r["copy_made_ms"] for r in results],
        "updates_off_and_on_ms": {
            key: median([r["updates_off_and_on_ms"][key] for r in results])
            for key in results[0]["updates_off_and_on_ms"]
        },
    }


#: where a symbol's self time goes, by the first pattern it contains
CATEGORIES = (
    (
        "Python (the interpreter, PySide's bindings)",
        (
            "libpython",
            "shiboken",
            "pyside",
            "abi3",
            " Py",
            "_Py",
        ),
    ),
    (
        "text: shaping, line breaking, glyphs",
        (
            "QTextEngine",
            "QTextLine",
            "QTextLayout",
            "hb_",
            "QFontEngine",
            "QTextDocument",
            "QFontMetrics",
            "QFont",
            "QTextFormat",
            "QTextBlock",
            "QUnicodeTools",
            "QUnicodeTables",
            "QCharAttributes",
            "QStackTextEngine",
            "QTextCursor",
            "QTextHtml",
            "libharfbuzz",
            "libfreetype",
            "FT_",
        ),
    ),
    (
        "style: the style sheet and Fusion",
        (
            "QStyleSheetStyle",
            "QRenderRule",
            "QCss",
            "StyleSelector",
            "QFusionStyle",
            "QCommonStyle",
            "QStyle",
        ),
    ),
    (
        "painting: QPainter, raster engine, brushes, paths",
        (
            "QRasterPaintEngine",
            "qt_blend",
            "qt_memfill",
            "QPainter",
            "qt_fetch",
            "blend_",
            "comp_func",
            "QRasterizer",
            "QSpanData",
            "qt_bitmapblit",
            "QImage",
            "QPixmap",
            "qDraw",
            "rasterize",
            "fetch",
            "QBrush",
            "QPen",
            "QPainterPath",
            "sincos",
            "QColor",
            "QTransform",
            "QStroker",
            "QDashStroker",
            "QBezier",
            "QPaintEngine",
            "QIcon",
            "QPolygon",
            "QOutlineMapper",
            "QRect",
        ),
    ),
    (
        "layout: size hints, height for width",
        (
            "QLayout",
            "QBoxLayout",
            "QGridLayout",
            "QWidgetItem",
            "heightForWidth",
            "sizeHint",
            "qGeomCalc",
            "QLabelPrivate",
            "QSizePolicy",
        ),
    ),
    (
        "widgets: events, show, geometry, backing store",
        (
            "QWidget",
            "QApplication",
            "QCoreApplication",
            "QObject",
            "QEvent",
            "QBackingStore",
            "QRegion",
            "QMetaObject",
            "QScrollArea",
            "QAbstractScrollArea",
            "QStackedWidget",
            "QStackedLayout",
            "QListWidget",
            "QAbstractItemView",
            "QPalette",
            "QLabel",
            "QAbstractButton",
            "QPushButton",
            "QFrame",
            "QCoreApplicationPrivate",
            "QThread",
            "QMutex",
            "QTimer",
        ),
    ),
    (
        "memory, strings, containers",
        (
            "malloc",
            "free",
            "memcpy",
            "memmove",
            "memset",
            "QArrayData",
            "QString",
            "QList",
            "QHash",
            "QMap",
            "_int_",
            "unlink_chunk",
            "pthread_mutex",
            "QVariant",
            "tls_get_addr",
        ),
    ),
    ("kernel", ("[k]",)),
    # libQt6Gui's unexported helpers: raster fills and blends (the hottest, at this PySide6
    # build, is qt_memfill32's AVX2 loop: backgrounds filled with one colour)
    ("painting: libQt6Gui's unnamed raster helpers (fills, blends)", ("libQt6Gui.so.6 [.] 0x",)),
)


def categorise(lines: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in lines:
        parts = line.split()
        if not parts or not parts[0].endswith("%"):
            continue
        share = float(parts[0].rstrip("%"))
        rest = " ".join(parts[1:])
        name = "other"
        for category, patterns in CATEGORIES:
            if any(p in rest for p in patterns):
                name = category
                break
        out[name] = round(out.get(name, 0.0) + share, 1)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def by_library(lines: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or not parts[0].endswith("%"):
            continue
        name = parts[1].split(".so")[0]
        out[name] = round(out.get(name, 0.0) + float(parts[0].rstrip("%")), 1)
    return dict(sorted(out.items(), key=lambda kv: -kv[1])[:8])


def perf_profile(data: Path, opens: list[dict[str, Any]], pages: list[str]) -> dict[str, Any]:
    """Each profiled page's opens (click → painted): the copies' first opens, the app's first
    opens and the app's opens again (those not under cProfile), from the perf samples inside
    those windows only: self time by library, by kind and the symbols with the most."""
    out: dict[str, Any] = {}
    for page in pages:
        for side, visit in (("copy", "first"), ("app", "first"), ("app", "again")):
            chosen = [
                o for o in opens
                if o["page"] == page and o["side"] == side and o["visit"] == visit
                and o["painted_ms"] and not o.get("cprofile")
            ]  # fmt: skip
            if not chosen:
                continue
            windows = " ".join(f"{o['monotonic'][0]:.6f},{o['monotonic'][1]:.6f}" for o in chosen)
            report = [
                "perf", "report", "-i", str(data), "--stdio", "--time", windows, "-g", "none",
                "--no-children", "--sort", "dso,sym", "--percent-limit", "0",
            ]  # fmt: skip
            # the GUI thread only (its id is the process's): a worker's samples in the same
            # window are counted apart
            gui = ",".join(sorted({str(o["pid"]) for o in chosen}))
            proc = subprocess.run([*report, "--tid", gui], capture_output=True, text=True)
            every = subprocess.run(report, capture_output=True, text=True)
            threads = subprocess.run(
                [*report[:-4], "--sort", "pid", "--percent-limit", "1"],
                capture_output=True, text=True,
            )  # fmt: skip
            gui_ids = {int(o["pid"]) for o in chosen}
            by_thread: dict[str, float] = {}
            for ln in threads.stdout.splitlines():
                parts = ln.split()
                if len(parts) >= 2 and parts[0].endswith("%") and ":" in parts[1]:
                    tid = int(parts[1].split(":")[0])
                    name = "GUI thread" if tid in gui_ids else "other threads"
                    by_thread[name] = round(
                        by_thread.get(name, 0.0) + float(parts[0].rstrip("%")), 1
                    )
            lines = [ln.rstrip() for ln in proc.stdout.splitlines() if ln.strip()]
            samples = next((ln for ln in lines if ln.startswith("# Samples")), "")
            samples_all = next(
                (ln for ln in every.stdout.splitlines() if ln.startswith("# Samples")), ""
            )
            rows = [ln for ln in lines if not ln.startswith("#")]
            out[f"{page}: {side}, {visit} open"] = {
                "opens": len(chosen),
                "painted_ms": [o["painted_ms"] for o in chosen],
                "samples": samples.lstrip("# ").split(" (time slices")[0],
                "samples_every_thread": samples_all.lstrip("# ").split(" (time slices")[0],
                "by_thread": by_thread,
                "by_library": by_library(rows),
                "by_kind": categorise(rows),
                "top_self": rows[:20],
            }
    return out


def print_table(summary: dict[str, Any]) -> None:
    m = summary["machine"]
    print()
    print(
        f"machine: {m.get('cpu', '?')}, {m['cores']} cores, Python {m['python']}, "
        f"PySide6 {m['pyside6']}; load (1 min) per round: "
        + ", ".join(f"{x:.2f}" for x in m["load_1min"])
    )
    print(f"{summary['rounds']} rounds, diary {summary['data_dir']}; medians, ms")
    print(
        f"{'page':12} {'app first':>10} {'copy first':>11} {'app−copy':>9}  "
        f"{'gap app':>8} {'gap copy':>9}  {'app again':>10} {'copy again':>11}  "
        f"{'cpu app/copy first':>19}"
    )
    for page, row in summary["medians"].items():
        af, cf = row.get("app_first_ms"), row.get("copy_first_ms")
        diff = None if af is None or cf is None else round(af - cf, 1)
        print(
            f"{page:12} {af!s:>10} {cf!s:>11} {diff!s:>9}  "
            f"{row.get('app_first_gap_ms')!s:>8} {row.get('copy_first_gap_ms')!s:>9}  "
            f"{row.get('app_again_ms')!s:>10} {row.get('copy_again_ms')!s:>11}  "
            f"{row.get('app_first_cpu_ms')!s:>9}/{row.get('copy_first_cpu_ms')!s:<9}"
        )
    if summary["copy"] is None:
        print_profiles(summary)
        return
    print()
    print("does the copy look alike (first round; same pixels over the common area):")
    for page, look in summary["look"].items():
        print(
            f"  {page:12} app {look['app_size'][0]}×{look['app_size'][1]}  copy "
            f"{look['copy_size'][0]}×{look['copy_size'][1]}  same pixels "
            f"{look['same_pixels']}"
        )
    copy = summary["copy"]
    print(f"copy: {copy['widgets']} widgets; made in {summary['copy_made_ms']} ms")
    walks = summary["updates_off_and_on_ms"]
    print(
        "the stack's updates turned off and on (what QStackedLayout does at each switch, "
        f"a walk over every page's widgets): app {walks['app']} ms for "
        f"{walks['app_widgets']} widgets, copy {walks['copy']} ms for {walks['copy_widgets']}"
    )
    print(f"  blank (they paint themselves): {copy['blank (paint themselves)']}")
    print(f"  own painting dropped (a stock widget drawn): {copy['own painting dropped']}")
    print(f"  outside layouts, not copied: {copy['outside layouts, not copied']}")
    print(f"  Python flow layouts copied as rows of box layouts: {copy['flow layouts as rows']}")
    print_profiles(summary)


def print_profiles(summary: dict[str, Any]) -> None:
    for page, prof in summary.get("app_profile", {}).items():
        print()
        print(
            f"cProfile, {page}: click → painted {prof['painted_ms']} ms "
            f"under the profiler, of which Python code {prof['python_code_ms']} ms and C++ "
            f"called from it {prof['c_called_from_python_ms']} ms (the rest: Qt on its own):"
        )
        lines = [ln for ln in prof["stats"].splitlines() if ln.strip()]
        keep = [ln for ln in lines if not ln.strip().startswith(("Ordered by", "List reduced"))]
        for line in keep[:45]:
            print("  " + line)
    for what, prof in summary.get("profile", {}).items():
        print()
        print(
            f"perf, {what}: {prof['opens']} opens (click → painted, median "
            f"{median(prof['painted_ms'])} ms under perf); GUI thread: {prof['samples']} "
            f"(every thread: {prof['samples_every_thread']})"
        )
        print(
            "  samples by thread: " + ", ".join(f"{k} {v}%" for k, v in prof["by_thread"].items())
        )
        print(
            "  the GUI thread's self time by library: "
            + ", ".join(f"{k} {v}%" for k, v in prof["by_library"].items())
        )
        print("  the GUI thread's self time by kind:")
        for name, share in prof["by_kind"].items():
            print(f"    {share:5.1f}%  {name}")
        print("  symbols with the most self time:")
        for line in prof["top_self"]:
            print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    r.add_argument(
        "--passphrase", default=os.environ.get("COMPANION_PASSPHRASE", DEFAULT_PASSPHRASE)
    )
    r.add_argument("--rounds", type=int, default=5)
    r.add_argument("--pages", default="", help="comma-separated page ids (default: all)")
    r.add_argument("--json", type=Path)
    r.add_argument("--shots", type=Path, help="app | copy PNGs of each page (first round)")
    r.add_argument("--perf", type=int, default=0, help="profile the N slowest copy pages")
    r.add_argument("--profile-pages", default="", help="profile these pages (with perf)")
    c = sub.add_parser("child")
    c.add_argument("data_dir", type=Path)
    c.add_argument("out", type=Path)
    c.add_argument("round", type=int)
    c.add_argument("--pages", default="")
    c.add_argument("--shots", type=Path)
    c.add_argument("--profile", action="store_true", help="copies of --pages, opened once each")
    c.add_argument("--cprofile", action="store_true", help="(--profile) the app's opens too")
    args = parser.parse_args()
    if args.command == "child":
        pages = [p for p in args.pages.split(",") if p]
        child(args.data_dir, args.out, args.round, pages, args.shots, args.profile, args.cprofile)
        return
    summary = run(args)
    print_table(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
