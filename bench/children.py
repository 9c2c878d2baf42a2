"""The measured processes. ``bench/run.py`` starts each one fresh, so what it reports is cold
(imports, first calls, first paint included) unless a figure says warm; each prints one line
``BENCH-RESULT <json>`` on stdout and exits.

    python bench/children.py launch-bare STAMP
    python bench/children.py launch-app STAMP DATA_DIR
    python bench/children.py launch-floor STAMP SPEC
    python bench/children.py floor-spec SPEC
    python bench/children.py app DATA_DIR CSV CHECKINS [--stall-stacks]
    python bench/children.py chart DATA_DIR RUNS
    python bench/children.py save DATA_DIR EDITS
    python bench/children.py warmup

The passphrase comes from ``COMPANION_PASSPHRASE`` (set by run.py for its synthetic diary).
The launch children import nothing of their own beyond PySide6, so the bare window and the app
carry the same measuring cost.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def emit(result: dict[str, Any], code: int = 0) -> None:
    print("BENCH-RESULT " + json.dumps(result), flush=True)
    sys.stderr.flush()
    # Skip interpreter and Qt teardown: nothing measured happens there, and it can only add
    # noise (or a crash on exit) to a run that is already complete.
    os._exit(code)


#: the stage in which the person reads Today while the pages are built ahead
STILL_STAGE = "still on Today (pages built ahead)"
#: a frame, as the p99 budget counts it (ms)
FRAME_MS = 16


def passphrase() -> str:
    return os.environ["COMPANION_PASSPHRASE"]


# -- launch: whole process, from the parent's clock stamp to the first window painted ------------


def _first_paint_reporter(stamp: float) -> Any:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        fired = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.fired and event.type() == QEvent.Type.Paint:
                self.fired = True
                QTimer.singleShot(0, self.report)
            return False

        def report(self) -> None:
            wall = time.time() - stamp
            # the process's CPU time so far (user + system), to the nanosecond: os.times()
            # counts in clock ticks (10 ms), too coarse for a launch of 150–300 ms
            emit({"wall_s": wall, "cpu_s": time.process_time(), "rss_mb": _rss_mb()})
            QApplication.quit()

    return FirstPaint()


def _rss_mb() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def launch_bare(stamp: float) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    watch = _first_paint_reporter(stamp)
    window = QWidget()
    window.resize(1100, 760)
    window.installEventFilter(watch)
    window.show()
    app.exec()


def launch_app(stamp: float, data_dir: str) -> None:
    """``companion --data-dir D`` exactly (argument parsing, hardening, the unlock window); the
    only addition is a filter on the first window the app shows.

    The filter is hooked in where the launch itself imports the app module (just after
    ``pyside_imports.lighten``), not before the launch: imported first, the app's modules
    would be imported in another order than the launch's, before PySide6's per-import source
    check is replaced, and the figure would measure a launch no one runs."""
    from companion.ui import pyside_imports

    watch = None
    lighten = pyside_imports.lighten

    def lighten_and_hook() -> bool:
        done = lighten()
        import companion.ui.app as app_module

        replace = app_module.AppController._replace_window

        def replace_and_watch(self: Any, window: Any) -> None:
            nonlocal watch
            replace(self, window)
            if watch is None:
                watch = _first_paint_reporter(stamp)
                window.installEventFilter(watch)

        app_module.AppController._replace_window = replace_and_watch  # type: ignore[method-assign]
        return done

    pyside_imports.lighten = lighten_and_hook
    from companion.cli import main

    main(["--data-dir", data_dir])


def floor_spec(path: str) -> None:
    """Write what the floor window copies from Companion's unlock window (the light theme's
    colours and style sheet, the text size, the icon font and glyphs, the words) to ``path``:
    run by ``bench/run.py`` once, so the floor's own process imports nothing of Companion."""
    from companion import i18n
    from companion.ui import icons, identity, theme
    from companion.ui.unlock.unlock import PASSPHRASE_INTRO

    i18n.install_default()
    c = theme.LIGHT
    spec = {
        "sheet": theme.stylesheet(c),
        "point_size": theme.BASE_POINT_SIZE,
        "colours": {
            "window": c.window, "text": c.text, "surface": c.surface, "accent": c.accent,
            "accent_text": c.accent_text, "muted": c.muted, "outline": c.outline,
            "help_text": c.help_text,
        },
        "font": str(next(icons._font_dir().glob("materialdesignicons6-webfont-*.ttf"))),
        "glyphs": {
            name: icons.codepoint(f"mdi6.{name}")
            for name in ("lifebuoy", "eye-outline", "lock-open-variant-outline")
        },
        "icon": str(identity.icon_path()),
        "intro": i18n._(PASSPHRASE_INTRO),
    }  # fmt: skip
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(spec, fh)


def launch_floor(stamp: float, spec_path: str) -> None:
    """The floor: a plain PySide6 copy of the unlock window as it is at its first paint (the
    same widgets in the same layouts, palette, font size, style sheet, icon font and glyphs,
    window size and icon), written the lean way (no ``Qt`` namespace before the paint, like
    the app) and with no Companion code: what any PySide6 app showing this window pays."""
    from PySide6.QtCore import QPoint, QRect, QSize
    from PySide6.QtGui import (
        QColor,
        QFont,
        QFontDatabase,
        QIcon,
        QIconEngine,
        QPainter,
        QPalette,
        QPixmap,
    )
    from PySide6.QtWidgets import (
        QApplication,
        QFrame,
        QHBoxLayout,
        QLabel,
        QLineEdit,
        QProgressBar,
        QPushButton,
        QScrollArea,
        QVBoxLayout,
        QWidget,
    )  # fmt: skip

    with open(spec_path, encoding="utf-8") as fh:
        spec = json.load(fh)
    app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    colours = spec["colours"]
    palette = QPalette()
    for role, name in (
        (QPalette.ColorRole.Window, "window"), (QPalette.ColorRole.WindowText, "text"),
        (QPalette.ColorRole.Base, "surface"), (QPalette.ColorRole.Text, "text"),
        (QPalette.ColorRole.Button, "surface"), (QPalette.ColorRole.ButtonText, "text"),
        (QPalette.ColorRole.Highlight, "accent"),
        (QPalette.ColorRole.HighlightedText, "accent_text"),
        (QPalette.ColorRole.PlaceholderText, "muted"), (QPalette.ColorRole.Mid, "outline"),
    ):  # fmt: skip
        palette.setColor(role, QColor(colours[name]))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(spec["point_size"])
    app.setFont(font)
    app.setStyleSheet(spec["sheet"])
    family: list[str] = []

    class Glyph(QIconEngine):
        def __init__(self, char: str, colour: str) -> None:
            super().__init__()
            self.char, self.colour = char, colour

        def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
            if not family:
                font_id = QFontDatabase.addApplicationFont(spec["font"])
                family.append(QFontDatabase.applicationFontFamilies(font_id)[0])
            glyph = QPixmap(size)
            glyph.fill(QColor(0, 0, 0, 0))
            font = QFont(family[0])
            font.setPixelSize(round(min(size.width(), size.height()) * 0.9))
            painter = QPainter(glyph)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setFont(font)
            painter.drawText(QRect(QPoint(0, 0), size), 0x84, self.char)
            paint = QPixmap(size)
            paint.fill(QColor(self.colour))
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.drawPixmap(0, 0, paint)
            painter.end()
            return glyph

        def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State):  # type: ignore[no-untyped-def]
            painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

        def clone(self) -> QIconEngine:
            return Glyph(self.char, self.colour)

    def glyph(name: str, colour: str) -> QIcon:
        return QIcon(Glyph(chr(spec["glyphs"][name]), colours[colour]))

    window = QWidget()
    window.setWindowTitle("Companion — locked")
    window.setMinimumSize(560, 480)
    outer = QVBoxLayout(window)
    outer.setContentsMargins(40, 20, 40, 32)
    top = QHBoxLayout()
    top.addStretch(1)
    help_button = QPushButton(glyph("lifebuoy", "help_text"), "Get help now")
    help_button.setObjectName("HelpNow")
    top.addWidget(help_button)
    outer.addLayout(top)
    column = QWidget()
    column.setMaximumWidth(560)
    layout = QVBoxLayout(column)
    layout.setSpacing(14)
    holder = QWidget()
    rows = QVBoxLayout(holder)
    rows.setContentsMargins(0, 0, 0, 0)
    rows.addStretch(2)
    middle = QHBoxLayout()
    middle.addStretch(1)
    middle.addWidget(column, 100)
    middle.addStretch(1)
    rows.addLayout(middle)
    rows.addStretch(3)
    scroller = QScrollArea()
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setWidget(holder)
    outer.addWidget(scroller, 1)
    heading = QLabel("Welcome back")
    heading.setObjectName("PageTitle")
    heading.setWordWrap(True)
    layout.addWidget(heading)
    intro = QLabel(spec["intro"])
    intro.setWordWrap(True)
    layout.addWidget(intro)
    card = QFrame()
    card.setObjectName("Card")
    body = QVBoxLayout(card)
    body.setContentsMargins(20, 16, 20, 18)
    body.setSpacing(10)
    name = QLabel("Passphrase")
    name.setWordWrap(True)
    body.addWidget(name)
    field = QWidget()
    field_row = QHBoxLayout(field)
    field_row.setContentsMargins(0, 0, 0, 0)
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(10_000)
    edit.setMinimumWidth(280)
    eye = QPushButton()
    eye.setCheckable(True)
    eye.setIcon(glyph("eye-outline", "text"))
    field_row.addWidget(edit, 1)
    field_row.addWidget(eye)
    body.addWidget(field)
    error = QLabel("")
    error.setObjectName("Error")
    error.setWordWrap(True)
    error.hide()
    body.addWidget(error)
    busy = QWidget()
    busy_row = QHBoxLayout(busy)
    busy_row.setContentsMargins(0, 0, 0, 0)
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setFixedWidth(120)
    busy_text = QLabel("")
    busy_text.setObjectName("Muted")
    busy_text.setWordWrap(True)
    busy_row.addWidget(bar)
    busy_row.addWidget(busy_text, 1)
    busy.hide()
    body.addWidget(busy)
    buttons = QHBoxLayout()
    link = QPushButton("Use my recovery key instead")
    link.setObjectName("Link")
    buttons.addWidget(link)
    buttons.addStretch(1)
    unlock = QPushButton("Unlock")
    unlock.setObjectName("Primary")
    unlock.setIcon(glyph("lock-open-variant-outline", "accent_text"))
    unlock.setDefault(True)
    buttons.addWidget(unlock)
    body.addLayout(buttons)
    layout.addWidget(card)
    layout.addStretch(1)
    window.setWindowIcon(QIcon(spec["icon"]))
    watch = _first_paint_reporter(stamp)
    window.installEventFilter(watch)
    window.resize(1100, 760)
    window.show()
    edit.setFocus()
    app.exec()


# -- warm-up: compile every module once (bytecode cache), nothing measured -----------------------


def warmup() -> None:
    import importlib
    import pkgutil

    import companion

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    names = [m.name for m in pkgutil.walk_packages(companion.__path__, "companion.")]
    failed = []
    for name in names:
        if ".migrations." in name or name.endswith("__main__"):
            continue  # Alembic scripts are loaded by Alembic; __main__ would run the CLI
        try:
            importlib.import_module(name)
        except Exception as exc:  # a module that cannot import on its own is not ours to judge
            failed.append(f"{name}: {type(exc).__name__}")
    import pyqtgraph  # noqa: F401

    emit({"modules": len(names), "failed": failed})


# -- the scripted session on the real app -------------------------------------------------------


def app_session(data_dir: str, csv_path: str, checkins: int, stall_stacks: bool) -> None:
    """Launch, unlock through the unlock window, check in, open every page, import, lock; then
    the same again warm (a second unlock in the same process). A stall monitor runs throughout."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pathlib import Path

    import drive

    from companion.ui.app import make_app

    app = make_app()  # noqa: F841  (the QApplication must live until the end)
    timings = drive.Timings()
    monitor = drive.StallMonitor(interval_ms=5)
    if stall_stacks:
        import gc
        import threading

        from PySide6.QtCore import QTimer

        # The watchdog thread allocates; a garbage collection it set off could destroy Qt
        # objects on the wrong thread (issue 17). While it runs, collect on the GUI thread only.
        gc.disable()
        collector = QTimer()
        collector.timeout.connect(lambda: gc.collect(0))
        collector.start(50)
        monitor.watchdog = drive.StallStacks(threading.get_ident())
        monitor.watchdog.start()
    kdf = drive.KdfClock()
    collections = drive.CollectionLog(monitor)
    with drive.quiet_qt_messages():
        runner = drive.Runner(
            _session_script(Path(data_dir), Path(csv_path), checkins, timings, monitor, kdf)
        )
        runner.run()
    monitor.stop()
    collections.stop()
    # The session: every stage from the first unlock to the end of the first lock, except the
    # bench's own pauses (stages in parentheses, e.g. measuring memory).
    # The person still on Today while the pages are built ahead: every gap over a frame
    # counts (they may click at any moment of it), its idle ticks do not (its seconds of
    # stillness would otherwise dilute the time-weighted p99, a figure of a busy person).
    gaps: list[float] = []
    complete = False
    for i, (start, name) in enumerate(monitor.marks):
        if name == "(session over)":
            complete = True
            break
        if not name.startswith("("):
            end = monitor.marks[i + 1][0] if i + 1 < len(monitor.marks) else None
            stage = monitor.gaps(start, end)
            if name.endswith(STILL_STAGE):
                stage = [gap for gap in stage if gap > FRAME_MS]
            gaps += stage
    result: dict[str, Any] = {
        "figures": timings.figures,
        "notes": timings.notes,
        "stages": monitor.by_stage(),
        "session": drive.gap_stats(gaps),
        "session_complete": complete,
        "collections": collections.records,
        "error": runner.error,
    }
    if monitor.watchdog is not None:
        result["stall_stacks"] = monitor.watchdog.stalls
    emit(result, 1 if runner.error else 0)


def _session_script(
    data_dir: Any,
    csv_path: Any,
    checkins: int,
    t: Any,
    monitor: Any,
    kdf: Any,
) -> Any:
    from types import SimpleNamespace

    import drive
    from drive import Idle, Painted, Until, Wait, ms, now
    from PySide6.QtCore import Qt

    import companion.ui.unlock.common as unlock_common
    from companion.ui import teardown
    from companion.ui.app import AppController

    state = SimpleNamespace(
        on_main=None, t_signal=0.0, t_built=0.0, db_import_ms=None, prepare_ms=None
    )

    # The database layer is imported on a worker while the person types (``warm_up``).
    real_diary_class = unlock_common.diary_class

    def timed_diary_class() -> Any:
        if state.db_import_ms is None:
            start = now()
            cls = real_diary_class()
            state.db_import_ms = ms(now() - start)
            return cls
        return real_diary_class()

    unlock_common.diary_class = timed_diary_class  # type: ignore[assignment]
    # ... as part of everything the unlock and Today need (``prepare_unlock``)
    real_prepare = unlock_common.prepare_unlock

    def timed_prepare() -> None:
        start = now()
        real_prepare()
        state.prepare_ms = ms(now() - start)

    unlock_common.prepare_unlock = timed_prepare  # type: ignore[assignment]

    # The lock's teardown slices, timed one by one.
    slices: list[float] = []
    real_slice = teardown.Teardown.run_slice

    def timed_slice(self: Any, budget_ms: float | None = None) -> None:
        begun = now()
        real_slice(self, budget_ms)
        slices.append(ms(now() - begun))

    teardown.Teardown.run_slice = timed_slice  # type: ignore[method-assign]

    controller = AppController(data_dir)
    original_show_main = controller.show_main
    keep: list[object] = []

    def show_main(diary: Any, used_recovery_key: bool = False) -> None:
        state.t_signal = now()
        original_show_main(diary, used_recovery_key)
        state.t_built = now()  # (the frame only: its first page is built in the next turn)
        resume, state.on_main = state.on_main, None
        if resume is not None:
            keep.append(drive.watch_paint(controller.opening or controller.window, resume))

    original_show_opened = controller._show_opened

    def show_opened(window: Any) -> None:
        state.t_built = now()  # built (frame, then first page), about to be shown
        original_show_opened(window)

    controller.show_main = show_main  # type: ignore[method-assign]
    controller._show_opened = show_opened  # type: ignore[method-assign]
    t_launch = now()
    if controller.start() is not None:
        raise RuntimeError("the diary is in use by another process")
    shown = yield Painted(controller.window)
    # Not part of the session's figures (the parentheses), but recorded: can one type at once?
    monitor.start("(the unlock window while the passphrase is typed)")
    t.put("launch_in_process_ms", ms(shown - t_launch) if shown else None)
    # A person takes at least a second to type a passphrase; the warm-up uses that time (and
    # if it has not finished by then, we wait for it: a slower typist).
    yield Wait(max(0, int(1000 - (now() - shown) * 1000)))
    yield Idle(settle_ms=0)
    t.put("database_layer_import_ms", state.db_import_ms)
    t.put("unlock_prepare_ms", state.prepare_ms)

    for phase in ("cold", "warm"):
        label = "" if phase == "cold" else "warm: "
        if phase == "warm":
            yield Wait(1000)
        monitor.stage(f"{label}unlock, first page painted")
        unlock = yield from _unlock(controller, state, kdf)
        for key, value in unlock.items():
            t.put(f"unlock_{key}_{phase}", value)
        window = controller.window
        yield Idle()
        rows = {
            window.nav.item(r).data(Qt.ItemDataRole.UserRole): r for r in range(window.nav.count())
        }
        # A person reads Today before doing anything: the pages not opened yet are built ahead
        # meanwhile (ui/build_ahead.py), in pieces counted here (a tree without it: 4 s still)
        monitor.stage(f"{label}{STILL_STAGE}")
        start = now()
        ahead = getattr(window, "build_ahead_pages", None)
        if ahead is not None:
            done = yield Until(lambda a=ahead: a.finished, timeout_ms=30_000)
            if not done:
                t.notes.append(f"{phase}: the pages were not all built ahead within 30 s")
        else:
            yield Wait(4000)
        t.put(f"still_on_today_ms_{phase}", ms(now() - start))
        yield Idle()
        if phase == "cold":
            yield from _memory(monitor, t, "rss_unlocked_mb")
            yield from _today_checkins(window, monitor, checkins, t)
            yield from _memory(monitor, t, "rss_after_today_checkins_mb")
        # The Diary page, first open
        monitor.stage(f"{label}Diary page, first open")
        start = now()
        drive.as_input()
        window.nav.setCurrentRow(rows["mood"])
        built = now()
        page = window.page("mood")
        painted = yield Painted(page)
        t.put(f"diary_first_paint_ms_{phase}", ms(painted - start) if painted else None)
        t.put(f"diary_build_ms_{phase}", ms(built - start))
        yield Idle()
        if phase == "cold":
            yield from _memory(monitor, t, "rss_diary_open_mb")
            yield from _charts_checkins(window, page, monitor, checkins, t)
            yield from _memory(monitor, t, "rss_after_charts_checkins_mb")
        # Every page, and every Diary tab, in sidebar order
        opened: dict[str, float | None] = {}
        for page_id, row in rows.items():
            if page_id in ("today", "mood"):
                continue
            monitor.stage(f"{label}{page_id.capitalize()} page, first open")
            opened[page_id] = yield from _open_page(window, page_id, row)
        # its own stage: the Diary shown again (it catches up with the check-ins) is not part
        # of the last page's first open
        monitor.stage(f"{label}Diary page, shown again")
        drive.as_input()
        window.nav.setCurrentRow(rows["mood"])
        yield Idle()
        for index in range(page.tabs.count()):
            if index == page.tabs.currentIndex():
                continue
            name = f"Diary tab {page.tabs.tabText(index).replace('&&', '&')}"
            if phase == "cold" and index == 0:
                name += " (again, after the check-ins)"
            monitor.stage(f"{label}{name}")
            start = now()
            drive.as_input()
            page.tabs.setCurrentIndex(index)
            painted = yield Painted(page.tabs.widget(index))
            opened[name] = ms(painted - start) if painted else None
            yield Idle()
        t.put(f"page_first_open_ms_{phase}", opened)
        if phase == "warm":  # (after the stall session: its figures keep their steps)
            yield from _pages_shown_again(window, rows, monitor, label, t)
        yield from _memory(monitor, t, f"rss_all_pages_mb_{phase}")
        t.put(f"vm_hwm_mb_{phase}", drive.proc_status().get("VmHWM"))
        if phase == "cold":
            drive.as_input()
            page.tabs.setCurrentIndex(0)
            yield Idle()
            yield from _import(page, monitor, csv_path, t)
        # Lock
        monitor.stage(f"{label}lock")
        start = now()
        # (as input: the complete garbage collection that follows a lock waits for 3 s
        # without input; it ran as soon as the pages were deleted, inside this step, in 2
        # runs of 14, one of them a 144 ms gap)
        drive.as_input()
        window.lock_button.click()
        clicked = now()
        painted = yield Painted(controller.window)
        t.put(f"lock_ms_{phase}", ms(painted - start) if painted else None)
        t.put(f"lock_gui_block_ms_{phase}", ms(clicked - start))
        # then the old pages are deleted a slice per event-loop turn (ui/teardown.py): part of
        # the session's stalls; the tail's end and its longest slice are reported beside
        yield Until(lambda: teardown.running() == 0, timeout_ms=120_000)
        t.put(f"lock_teardown_ms_{phase}", ms(now() - start))
        t.put(f"lock_teardown_slices_{phase}", len(slices))
        t.put(f"lock_teardown_max_slice_ms_{phase}", max(slices) if slices else None)
        slices.clear()
        # (the memory measured after it is not part of the lock: in the warm phase too, its
        # full garbage collections were counted as the lock's gaps, 35-110 ms)
        monitor.stage("(session over)" if phase == "cold" else "(measuring memory)")
        del window, page
        yield Idle()
        t.put(f"rss_after_lock_mb_{phase}", drive.settled_rss_mb())
    controller.shutdown()


def _memory(monitor: Any, t: Any, key: str) -> Any:
    """The process's settled memory (``drive.settled_rss_mb``), in a step of the bench's own,
    left out of the figures, that ends once the stall monitor has ticked again. The next
    step's click used to come in the same turn as its garbage collections, so the gap counted
    them as that step's own: 8-20 ms in the Diary's first open, the first check-in on Today,
    the first check-in with Charts showing and Grounding's first open."""
    import drive
    from drive import Idle

    monitor.stage("(measuring memory)")
    t.put(key, drive.settled_rss_mb())
    yield Idle()


def _pages_shown_again(window: Any, rows: dict[str, int], monitor: Any, label: str, t: Any) -> Any:
    """A person going back and forth: each page opened again from Today, nothing changed in
    between (click → painted)."""
    import drive
    from drive import Idle

    again: dict[str, float | None] = {}
    for page_id, row in rows.items():
        if page_id == "today":
            continue
        drive.as_input()
        window.nav.setCurrentRow(rows["today"])
        yield Idle()
        monitor.stage(f"{label}{page_id.capitalize()} page, shown again from Today")
        again[page_id] = yield from _open_page(window, page_id, row)
    t.put("page_shown_again_ms_warm", again)


def _open_page(window: Any, page_id: str, row: int) -> Any:
    """A page clicked in the sidebar: click → the page painted (ms; None: not painted in
    time), then idle."""
    import drive
    from drive import Idle, Painted, ms, now

    start = now()
    drive.as_input()
    window.nav.setCurrentRow(row)
    painted = yield Painted(window.page(page_id))
    yield Idle()
    return ms(painted - start) if painted else None


def _unlock(controller: Any, state: Any, kdf: Any) -> Any:
    """Type the passphrase, press Unlock; until the main window's first paint has finished."""
    import drive
    from drive import Await, ms, now

    window = controller.window
    window.secret.edit.setText(passphrase())
    start = now()

    def arm(resume: Any) -> None:
        state.on_main = resume
        drive.as_input()
        window.unlock_button.click()

    painted = yield Await(arm)
    spent = kdf.within(start, painted)
    return {
        "beyond_kdf_ms": ms(painted - start - spent),
        "kdf_ms": ms(spent),
        "worker_beyond_kdf_ms": ms(state.t_signal - start - spent),
        "main_window_build_ms": ms(state.t_built - state.t_signal),
        "first_paint_ms": ms(painted - state.t_built),
    }


def _today_checkins(window: Any, monitor: Any, count: int, t: Any) -> Any:
    import drive
    from drive import Idle, Painted, ms, now

    today = window.page("today")
    card = next(c for c in today.feature_cards if type(c).__name__ == "CheckInCard")
    blocks, shown = [], []
    for i in range(count):
        monitor.stage("check-in on Today")
        form = card.form
        drive.as_input()
        form.mood.buttons[(4 + i) % len(form.mood.buttons)].click()
        start = now()
        drive.as_input()
        form.save_button.click()
        blocks.append(ms(now() - start))
        # what a person sees of the save: the check-in on top of the recent ones (the "Saved"
        # line may read as before: two saves in one minute)
        painted = yield Painted(card.recent[0] if card.recent else form.status, timeout_ms=5000)
        shown.append(ms(painted - start) if painted else None)
        yield Idle()
    t.put("checkin_today_gui_block_ms", blocks)
    t.put("checkin_today_to_paint_ms", shown)


def _charts_checkins(window: Any, page: Any, monitor: Any, count: int, t: Any) -> Any:
    import drive
    from drive import Idle, Painted, Until, ms, now
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    monitor.stage("Charts tab, first open")
    start = now()
    drive.as_input()
    page.tabs.setCurrentIndex(1)
    built = now()
    # the tab builds its charts in later turns of the event loop (after the chart modules'
    # background import): wait for them as a person would, without forcing them
    yield Until(lambda: 1 in getattr(page, "_built", {1: page}))
    # its mood chart too is made in a later turn: waited for, not made here by asking for it
    # (``ChartsView.chart`` makes it at once, in the turn that happens to check)
    charts = page.charts
    yield Until(lambda: getattr(charts, "_chart", charts) is not None)
    painted = yield Painted(charts.chart)
    t.put("charts_tab_sync_ms", ms(built - start))
    t.put("charts_tab_first_paint_ms", ms(painted - start) if painted else None)
    yield Idle(settle_ms=0)
    t.put("charts_tab_background_done_ms", ms(now() - start))
    yield Idle()
    opened, blocks, until_idle = [], [], []
    for i in range(count):
        if QApplication.activeWindow() is not window:
            # Opening the Diary page shows a parentless label as a window for a moment
            # (charts/api.py), which leaves the main window inactive: click it, as a person would.
            t.notes.append("the main window was not active before Ctrl+N; activated it first")
            drive.as_input()
            window.activateWindow()
            yield Until(lambda: QApplication.activeWindow() is window)
        monitor.stage("Ctrl+N opens the check-in window (Charts showing)")
        start = now()
        drive.as_input()
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "form"):
            dialog = page.shortcut.open_dialog()
            active = QApplication.activeWindow()
            t.notes.append(
                "Ctrl+N did not open the check-in window (active window: "
                f"{type(active).__name__}); opened it directly"
            )
        painted = yield Painted(dialog)
        opened.append(ms(painted - start) if painted else None)
        # A person sees the window before choosing a mood: without this the click ran in the
        # turn of the window's first paint (with the charts behind it painted again), and the
        # monitor counted the opening, that paint and the save as one 40-65 ms gap of this step.
        yield Idle()
        monitor.stage("check-in saved with Charts showing")
        drive.as_input()
        dialog.form.mood.buttons[(2 + 3 * i) % len(dialog.form.mood.buttons)].click()
        start = now()
        drive.as_input()
        dialog.form.save_button.click()
        blocks.append(ms(now() - start))
        yield Idle(settle_ms=0)
        until_idle.append(ms(now() - start))
        yield Idle()
    t.put("checkin_dialog_open_ms", opened)
    t.put("checkin_charts_gui_block_ms", blocks)
    t.put("checkin_charts_until_idle_ms", until_idle)


def _import(page: Any, monitor: Any, csv_path: Any, t: Any) -> Any:
    """The Diary's import dialog: a generic CSV file, preview, import (all through its widgets)."""
    import drive
    from drive import Idle, Painted, ms, now

    try:
        monitor.stage("import: open the window")
        start = now()
        drive.as_input()
        page.import_button.click()
        dialog = page.dialog
        yield Painted(dialog)
        t.put("import_dialog_open_ms", ms(now() - start))
        monitor.stage("import: read the file")
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
        start = now()
        dialog.load_path(csv_path)
        t.put("import_read_ms", ms(now() - start))
        yield Idle()
        monitor.stage("import: preview")
        start = now()
        drive.as_input()
        dialog.preview_button.click()
        t.put("import_preview_gui_block_ms", ms(now() - start))
        yield Idle()
        monitor.stage("import: write")
        if not dialog.import_button.isEnabled():
            raise RuntimeError(f"the import was refused: {dialog.error.text()}")
        start = now()
        drive.as_input()
        dialog.import_button.click()
        t.put("import_write_gui_block_ms", ms(now() - start))
        yield Idle()
        t.put("import_summary", dialog.summary.text())
        drive.as_input()
        dialog.close_button.click()
        yield Idle()
    except Exception as exc:  # a changed import window: say so in the figures, go on
        t.notes.append(f"the import step could not run: {type(exc).__name__}: {exc}")
        t.put("import_failed", True)
        for widget in (getattr(page, "dialog", None),):
            if widget is not None and widget.isVisible():
                widget.reject()
        yield Idle()


# -- the mood chart: cold first draw (pyqtgraph import included), warm, frames vs an empty plot ---


def chart(data_dir: str, runs: int, window_first: bool = False) -> None:
    """The mood chart's first draw in this fresh process (``cold_ms``: the chart modules'
    import, the chart made, ten years read and drawn at All, the first paint; ``cold_phases``
    splits it), warm draws, and pan/zoom frames.

    ``window_first``: a window is painted before the clock starts (a scroll area with a rich
    text label), as the app's main window always is before a chart can be opened; PySide then
    has already built the Python types of Qt's widgets (which the app-wide event filter makes
    it do for the first object of a private class, at the window's first paint) and laid out
    its first text. Without it (the figure ``bench/run.py`` reports) the chart pays those
    too."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from datetime import date, timedelta
    from pathlib import Path
    from statistics import median

    from PySide6.QtCore import QCoreApplication

    from companion import paths
    from companion.core.device_settings import DeviceSettings
    from companion.core.mood.service import MoodService
    from companion.core.session import OpenDiary
    from companion.ui import theme
    from companion.ui.app import make_app

    app = make_app()
    theme.apply(app, DeviceSettings(theme="light"), dark=False)
    diary = OpenDiary.unlock(paths.vault_path(Path(data_dir)), passphrase=passphrase())
    service = MoodService(diary.db)
    out: dict[str, Any] = {
        "pyqtgraph_imported_before": "pyqtgraph" in sys.modules,
        "window_first": window_first,
    }
    if window_first:
        from PySide6.QtWidgets import QLabel, QScrollArea

        window = QScrollArea()
        window.setWidget(QLabel("<b>Today</b> How are you feeling?"))
        window.resize(400, 300)
        window.show()
        window.grab()
    phases: dict[str, float] = {}

    def draw() -> Any:
        from companion.ui.charts.api import MoodChart

        t0 = time.perf_counter()
        chart = MoodChart(metrics=("mood", "anxiety", "energy"))
        chart.resize(1000, 420)
        chart.show_all_days()  # the "All" preset: every day, drawn once the data is in
        t1 = time.perf_counter()
        chart.load(service)
        assert chart.data_span() is not None
        t2 = time.perf_counter()
        chart.show()
        chart.grab()  # one full paint of the widget and the plot
        t3 = time.perf_counter()
        phases.update(made=t1 - t0, read_and_drawn=t2 - t1, painted=t3 - t2)
        return chart

    start, cpu = time.perf_counter(), time.process_time()
    import numpy  # noqa: F401

    numpy_at = time.perf_counter()
    import companion.ui.charts.api  # noqa: F401  (pyqtgraph and the chart modules)

    imported = time.perf_counter()
    chart = draw()
    end = time.perf_counter()
    out["cold_ms"] = (end - start) * 1000
    out["cold_cpu_ms"] = (time.process_time() - cpu) * 1000
    out["cold_import_ms"] = (imported - start) * 1000
    out["cold_phases"] = {
        "numpy": (numpy_at - start) * 1000,
        "pyqtgraph_and_chart_modules": (imported - numpy_at) * 1000,
        **{k: v * 1000 for k, v in phases.items()},
    }
    warm = []
    for _ in range(runs):
        chart.deleteLater()
        QCoreApplication.processEvents()
        start = time.perf_counter()
        chart = draw()
        warm.append((time.perf_counter() - start) * 1000)
    out["warm_ms"] = median(warm)

    import pyqtgraph as pg

    empty = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    empty.resize(1000, 420)
    empty.show()
    empty.setXRange(1.5e9, 1.8e9)
    empty.grab()

    def frame(view: Any, widget: Any, move: str, i: int) -> float:
        start = time.perf_counter()
        if move == "pan":
            (x0, x1), _ = view.viewRange()
            view.translateBy(x=(x1 - x0) * (0.05 if i % 2 else -0.05))
        else:
            view.scaleBy(x=0.9 if i % 2 else 1 / 0.9)
        widget.grab()
        return (time.perf_counter() - start) * 1000

    today = date.today()
    span = chart.data_span()
    assert span is not None
    for name, first in (("1y", today - timedelta(days=364)), ("all", span[0])):
        chart.set_range(first, today)
        chart.grab()
        for move in ("pan", "zoom"):
            ours, bare = [], []
            for i in range(runs * 2):  # interleaved with the empty plot, frame by frame
                ours.append(frame(chart.vb, chart.plot, move, i))
                bare.append(frame(empty.getViewBox(), empty, move, i))
            out[f"{move}_{name}_ms"] = median(ours)
            out[f"{move}_{name}_empty_ms"] = median(bare)
    out["days_drawn"] = sum(len(v) for v in chart.daily.values())
    out["checkins"] = service.count_entries()
    diary.close()
    emit(out)


# -- saves: Companion's durable save against the floor, interleaved round by round ---------------


def save(data_dir: str, edits: int) -> None:
    import secrets
    from pathlib import Path

    from companion import paths
    from companion.core.mood.service import CheckIn, MoodService
    from companion.core.session import OpenDiary
    from companion.core.settings import AUTO_LOCK_MINUTES, SettingsService
    from companion.storage import vault as vault_module
    from companion.storage.database import Database

    phases: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + (time.perf_counter() - start) * 1000

        return wrapper

    # Phase timers on the save path; a helper that no longer exists is simply not timed.
    for name in ("_seal", "_write_temp", "_replace", "_fsync_dir"):
        if hasattr(vault_module, name):
            setattr(vault_module, name, timed(name, getattr(vault_module, name)))
    for name in ("_take_backups", "_prune_backups", "_ensure_unchanged"):
        if hasattr(vault_module.Vault, name):
            setattr(vault_module.Vault, name, timed(name, getattr(vault_module.Vault, name)))
    Database.serialize = timed("serialize", Database.serialize)  # type: ignore[method-assign]

    vault_path = paths.vault_path(Path(data_dir))
    diary = OpenDiary.unlock(vault_path, passphrase=passphrase())
    settings = SettingsService(diary.db)
    mood = MoodService(diary.db)
    sealed = vault_path.stat().st_size
    image = diary.db.serialize()

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aes = AESGCM(AESGCM.generate_key(bit_length=256))
    plain = bytearray(len(image) + 8)
    out_buf = bytearray(len(plain) + 16)
    filler = secrets.token_bytes(sealed)
    directory = vault_path.parent
    rounds: list[dict[str, Any]] = []

    def floor_disk() -> float:
        start = time.perf_counter()
        tmp = directory / ".floor.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, filler)
            os.fdatasync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, directory / ".floor")
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        return (time.perf_counter() - start) * 1000

    for i in range(edits):
        phases.clear()
        start, cpu = time.perf_counter(), time.thread_time()
        settings.set(AUTO_LOCK_MINUTES, 5 + i % 50)  # one committed edit → one durable save
        row: dict[str, Any] = {
            "save_ms": (time.perf_counter() - start) * 1000,
            "save_cpu_ms": (time.thread_time() - cpu) * 1000,
            "phases": dict(phases),
        }
        start = time.perf_counter()
        image = diary.db.raw_connection.serialize()
        row["floor_serialize_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        plain[8 : 8 + len(image)] = image
        aes.encrypt_into(bytes(12), plain, b"", out_buf)
        row["floor_aes_ms"] = (time.perf_counter() - start) * 1000
        row["floor_disk_ms"] = floor_disk()
        row["floor_ms"] = row["floor_serialize_ms"] + row["floor_aes_ms"] + row["floor_disk_ms"]
        rounds.append(row)
    checkins = []
    for i in range(max(1, edits // 2)):
        start = time.perf_counter()
        mood.create_entry(CheckIn(mood=i % 11))
        checkins.append((time.perf_counter() - start) * 1000)
    for leftover in (directory / ".floor", directory / ".floor.tmp"):
        leftover.unlink(missing_ok=True)
    diary.lock()
    emit({"rounds": rounds, "checkin_commit_ms": checkins, "sealed_bytes": sealed})


def main(argv: list[str]) -> None:
    kind, args = argv[0], argv[1:]
    if kind == "launch-bare":
        launch_bare(float(args[0]))
    elif kind == "launch-app":
        launch_app(float(args[0]), args[1])
    elif kind == "launch-floor":
        launch_floor(float(args[0]), args[1])
    elif kind == "floor-spec":
        floor_spec(args[0])
        emit({"written": args[0]})
    elif kind == "warmup":
        warmup()
    elif kind == "app":
        app_session(args[0], args[1], int(args[2]), "--stall-stacks" in args)
    elif kind == "chart":
        chart(args[0], int(args[1]), "--window-first" in args)
    elif kind == "save":
        save(args[0], int(args[1]))
    elif kind == "saves":  # bench/saves.py: background saves, seal, checks, lock
        from saves import child

        emit(child(args[0], int(args[1])))
    else:
        raise SystemExit(f"unknown child {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
