"""A fresh process that unlocks a diary, shows the main window on Today, then the Diary page,
then its Charts tab, and prints after each step whether pyqtgraph or numpy were imported (for
test_lazy_imports.py; a process of its own, because the test process has imported them).

With ``warm-up`` as a third argument: the main window on Today only, left alone until its
warm-up has imported the chart modules (a person reading Today)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication


def charts_imported() -> str:
    return ",".join(m for m in ("pyqtgraph", "numpy") if m in sys.modules) or "none"


def main(vault: Path, passphrase: str, warm_up: bool) -> None:
    app = QApplication(sys.argv[:1])
    from companion.core.device_settings import DeviceSettings
    from companion.core.session import OpenDiary
    from companion.ui import tasks, theme
    from companion.ui.main_window import MainWindow
    from companion.ui.pages import AppContext

    theme.apply(app, DeviceSettings(theme="light"))
    diary = OpenDiary.unlock(vault, passphrase=passphrase)
    context = AppContext(data_dir=vault.parent, device=DeviceSettings(theme="light"))
    window = MainWindow(diary, context)
    window.resize(1100, 760)
    if not warm_up:
        window.warm_up_wait.timer.stop()  # a slow machine: the steps below, not the warm-up
    window.show()
    app.processEvents()
    print("today", charts_imported(), flush=True)
    if warm_up:
        deadline = time.monotonic() + 60
        while charts_imported() == "none" and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        from companion.ui.charts import warm

        warm.wait(60)  # numpy on the worker; then pyqtgraph on this thread, in a turn of its own
        while "pyqtgraph" not in sys.modules and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        print("warm_up", charts_imported(), flush=True)
        print("diary_built", "yes" if "mood" in window._built else "no", flush=True)
        window.lock()
        app.processEvents()
        return
    pages = sorted(m for m in sys.modules if m.startswith("companion.ui.") and m.endswith(".page"))
    print("page_modules", ",".join(pages), flush=True)
    window.open_page("mood")
    app.processEvents()
    print("diary", charts_imported(), flush=True)
    # Charts clicked at once, while the chart modules are still being imported on a worker:
    # the tab says it is drawing and waits in turns of the event loop, then draws
    page = window.page("mood")
    page.tabs.setCurrentIndex(1)
    waited = False
    deadline = time.monotonic() + 60
    while 1 not in page._built and time.monotonic() < deadline:
        app.processEvents()
        waited = waited or page._waiting is not None
        time.sleep(0.005)
    print("waited", "yes" if waited else "no", flush=True)
    page.show_tab("charts")
    app.processEvents()
    print("charts", charts_imported(), flush=True)
    tasks.wait_for_workers(10_000)
    app.processEvents()
    window.lock()
    app.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3:] == ["warm-up"])
