"""pyqtgraph and numpy (about 0.3–0.7 s to import) load when a chart may be needed: not for the
main window and Today; a little after the first page is painted (the main window's warm-up:
numpy on a worker, then pyqtgraph on the GUI thread), or once the Diary page (a click from
Charts) is shown, whichever comes first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from companion.core.mood.service import CheckIn, MoodService
from companion.core.session import OpenDiary
from tests.ui.conftest import PASS

CHILD = Path(__file__).with_name("lazy_child.py")
ROOT = Path(__file__).resolve().parents[2]


def run_child(diary: OpenDiary, *args: str) -> dict[str, str]:
    MoodService(diary.db).create_entry(CheckIn(mood=6, note="A chart needs a day."))
    path = diary.vault.path
    diary.lock()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, str(CHILD), str(path), PASS, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)


def test_charts_are_imported_only_when_a_chart_is_shown(diary: OpenDiary) -> None:
    steps = run_child(diary)
    assert steps == {
        "today": "none",
        "page_modules": "companion.ui.today.page",  # the others when first shown
        "diary": "none",  # the page is painted first
        "waited": "yes",  # Charts clicked at once: "Drawing the charts…" while they import
        "charts": "pyqtgraph,numpy",
    }


def test_the_main_window_warms_the_charts_up_while_today_is_read(diary: OpenDiary) -> None:
    steps = run_child(diary, "warm-up")
    assert steps == {
        "today": "none",  # the first page is painted first
        "warm_up": "pyqtgraph,numpy",
        "diary_built": "no",  # imported without the Diary page
    }


PREPARE = """
import sys, threading
from PySide6.QtWidgets import QApplication
app = QApplication([])
import companion.ui.app  # what the launch imports
from companion.ui.unlock.unlock import UnlockWindow  # the window shown first
heavy = ("sqlalchemy", "alembic", "cryptography", "companion.features", "companion.core.session")
print("launch", ",".join(m for m in heavy if m in sys.modules) or "none")
from companion.ui.unlock.common import prepare_unlock
worker = threading.Thread(target=prepare_unlock)
worker.start()
worker.join()
pages = sorted(m for m in sys.modules if m.startswith("companion.ui.") and m.endswith(".page"))
print("pages", ",".join(pages))
print("charts", ",".join(m for m in ("pyqtgraph", "numpy") if m in sys.modules) or "none")
print("ready", ",".join(m for m in ("sqlalchemy", "alembic", "companion.ui.main_window",
    "companion.ui.mood.today_card") if m in sys.modules))
"""


def test_the_unlock_is_prepared_on_a_worker_without_other_pages_or_charts() -> None:
    """While the passphrase is typed, a worker imports what the unlock and Today need (the
    database layer, the features, the main window and Today's cards): not the other pages,
    not the charts; and the launch itself imports none of it."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", PREPARE], capture_output=True, text=True, timeout=120,
        env=env, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    steps = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert steps == {
        "launch": "none",
        "pages": "companion.ui.today.page",
        "charts": "none",
        "ready": "sqlalchemy,alembic,companion.ui.main_window,companion.ui.mood.today_card",
    }
