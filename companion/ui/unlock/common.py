"""What the windows before unlock share: 'Get help now' in the top corner, F1 too."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from companion.ui import theme
from companion.ui.timers import after, after_paint
from companion.ui.widgets.common import help_now_button, scroll_area

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

_warmed = False
#: the last module prepare_unlock() imports
_PREPARED = "companion.ui.main_window"
#: after the first paint, and long before anyone has typed a passphrase
WARM_UP_DELAY_MS = 250


def diary_class() -> type[OpenDiary]:
    """The unlocked-diary class, imported on first use: the database layer (SQLAlchemy,
    Alembic) is not needed to show the first window, so it does not slow the launch."""
    from companion.core.session import OpenDiary

    return OpenDiary


def prepare_unlock() -> None:
    """Everything opening the diary and showing its first page will need, made ready on a
    worker thread while the person types: the database layer and every feature's tables, the
    Argon2id implementation (imported and self-tested), the features' declarations, and the
    modules of the main window, Today and its cards. Each is done once per process; what is
    not ready by the time Unlock is pressed is simply done then, as before.

    Only imports and pure-Python registries: no Qt object is made here (they belong to the
    GUI thread)."""
    diary_class()
    from companion import features
    from companion.core import session

    session.prepare()
    features.load()
    from companion.ui import main_window  # noqa: F401  (the window Unlock shows)
    from companion.ui.extension_points import load as load_ui

    load_ui()  # imports Today's page and the card modules, not the other pages
    # the bundled content Today's cards read (parsed once per process)
    from companion.content.articles import load_articles
    from companion.content.questionnaires import load_questionnaires
    from companion.core.homework.plan import bundled_catalogue

    bundled_catalogue()
    load_questionnaires()
    load_articles()


def _prepared(_result: object) -> None:
    from companion.ui import gc_policy

    gc_policy.freeze_startup()


def warm_up(window: QWidget) -> None:
    """Prepare the unlock in the background while the person types (once; the timer belongs
    to ``window``, and a window closed meanwhile needs no warm-up)."""
    if _warmed:
        return

    def start() -> None:
        global _warmed
        if _warmed or not window.isVisible():
            return
        if _PREPARED in sys.modules:  # already there (after a lock, say): nothing to do
            _warmed = True
            return
        _warmed = True
        from companion.ui.tasks import run_task

        run_task(prepare_unlock, _prepared, lambda _e: None, owner=window)

    after(window, WARM_UP_DELAY_MS, start)


def help_row(window: QWidget) -> QHBoxLayout:
    """A row with the help button on the right; help needs no vault, so it works locked.

    The window may carry a ``context`` (AppContext) so a chosen country is remembered.
    """
    row = QHBoxLayout()
    row.addStretch(1)
    button = help_now_button()

    def show_help() -> None:
        context = getattr(window, "context", None)
        if context is not None:
            context.open_help(window)
        else:
            from companion.ui.help import open_help

            open_help(window)

    button.clicked.connect(show_help)
    after_paint(window, lambda: _after_paint(window))
    row.addWidget(button)
    window.help_button = button  # type: ignore[attr-defined]
    return row


def _after_paint(window: QWidget) -> None:
    """F1, here and in any dialog, once the window is on screen. And PySide's one-time
    building of the Python class of every Qt widget type (with ~50 of their enums, 20-30 ms),
    which it does the first time Python meets an object of a class Qt keeps private: the style
    sheet's style and a scroll area's viewport are met here, while the passphrase is typed,
    rather than in the main window's build at unlock (a check-in card asks for its style, a
    page for its scroll area's viewport)."""
    from companion.ui.help_access import install_help_key  # not needed to show the window

    install_help_key()
    window.style()
    probe = scroll_area()
    probe.viewport()
    probe.deleteLater()


def scrolling_column(outer: QVBoxLayout, column: QWidget, max_width: int, name: str) -> None:
    """Centre ``column`` (at most ``max_width`` wide) in a scroll area, so large text or a
    small screen never cuts anything off. Larger text gets a wider column."""
    column.setMaximumWidth(round(max_width * max(1.0, theme.text_scale())))
    holder = QWidget()
    # centred both ways (a little above the middle), not pinned to the top of a tall window
    rows = QVBoxLayout(holder)
    rows.setContentsMargins(0, 0, 0, 0)
    rows.addStretch(2)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(column, 100)
    row.addStretch(1)
    rows.addLayout(row)
    rows.addStretch(3)
    scroller = scroll_area()
    scroller.setWidgetResizable(True)
    scroller.setAccessibleName(name)
    scroller.setWidget(holder)
    outer.addWidget(scroller, 1)
