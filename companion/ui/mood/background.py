"""Statistics over long histories, computed off the GUI thread on a private copy of the diary.

The diary's SQLite connection belongs to the GUI thread (a worker reading it while a save
commits could interleave with that transaction), so the worker gets its own in-memory copy:
``serialize()`` is a memory copy of a few megabytes even for ten years, and the copy is closed
as soon as the numbers are ready.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from companion.core.mood.service import MoodService
from companion.storage.database import Database
from companion.ui.tasks import run_task

T = TypeVar("T")


def run_on_copy(
    db: Database,
    work: Callable[[MoodService], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
) -> None:
    image = db.serialize()

    def job() -> T:
        copy = Database(image=image, saver=None)
        try:
            return work(MoodService(copy))
        finally:
            copy.close()

    run_task(job, on_done, on_error)
