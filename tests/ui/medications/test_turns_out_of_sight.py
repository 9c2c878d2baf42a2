"""The Medications page's turns while it is built out of sight (issue 11): its first screen a
read or a piece per turn, the other treatments read in a step before their card's, and no
wrapped label measured again at a width Qt asks only for a size hint nobody uses (the page
built whole ahead, laid out at its real size, measures nothing; the busy line appearing in a
card measures none of the card's labels again)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QScrollArea, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from companion.core import demo
from companion.core.medications.types import TreatmentInput
from companion.core.session import OpenDiary
from companion.ui import build_ahead
from companion.ui.main_window import MainWindow
from companion.ui.medications import page as page_module
from companion.ui.medications.page import MedicationsPage
from companion.ui.pages import AppContext
from companion.ui.widgets.common import MeasuredLabel
from tests.ui.conftest import wait_for_tasks
from tests.ui.medications.ahead import medications_built_ahead


@pytest.fixture
def filled(diary: OpenDiary) -> OpenDiary:
    demo.fill(diary.db, 200, 7)  # current and past medicines, doses due today, treatments
    return diary


class _Measured:
    """Each wrapped label measured at a width it had not measured (``MeasuredLabel``), while
    ``on`` (of the labels made after it: PySide keeps what a label's Python override was)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.on = False
        self.labels: list[tuple[MeasuredLabel, int]] = []
        real = MeasuredLabel.heightForWidth

        def height_for_width(label: MeasuredLabel, width: int) -> int:
            if self.on and (label.text() != label._measured or width not in label._heights):
                self.labels.append((label, width))
            return real(label, width)

        monkeypatch.setattr(MeasuredLabel, "heightForWidth", height_for_width)


def test_out_of_sight_the_first_screen_is_a_read_or_a_piece_per_turn(
    qtbot: QtBot, filled: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    turns: list[Callable[[], object]] = []
    monkeypatch.setattr(page_module, "after", lambda _owner, _ms, call: turns.append(call))
    room = QScrollArea()
    qtbot.addWidget(room)
    room.setWidgetResizable(True)
    room.resize(900, 4000)  # room for the first cards too
    page = MedicationsPage(filled, context)
    room.setWidget(page)
    service = page.service
    calls: list[str] = []
    for name in ("medications", "doses_for_day", "treatments"):
        real = getattr(service, name)
        monkeypatch.setattr(
            service,
            name,
            lambda *a, real=real, name=name, **k: (calls.append(name), real(*a, **k))[1],
        )
    checks: list[int] = []
    real_overflows = page.overflows
    monkeypatch.setattr(page, "overflows", lambda r: (checks.append(1), real_overflows(r))[1])
    assert not page._order and not calls  # (made, nothing read)

    each: list[tuple[list[str], int, int, int, int]] = []  # reads, doses, rows, checks, cards
    cards = lambda: sum(hasattr(page, c) for c in ("adherence_card", "timeline_card"))  # noqa: E731
    while turns and not page._prepared:
        before = (len(page.doses.rows), len(page.rows), cards())
        calls.clear()
        checks.clear()
        turns.pop(0)()
        each.append(
            (
                calls[:],
                len(page.doses.rows) - before[0],
                len(page.rows) - before[1],
                len(checks),
                cards() - before[2],
            )
        )
    current = sum(1 for i in page._order if page._medicines[i].stopped_on is None)
    assert current > 1 and page.doses.rows
    assert each[0] == (["medications"], 0, 0, 0, 0)  # the medicines read
    assert each[1] == (["doses_for_day"], 0, 0, 0, 0)  # today's doses read
    assert each[2] == ([], len(page.doses.rows), 0, 0, 0)  # shown
    assert all(turn[2] == 1 for turn in each[3 : 3 + current])  # a medicine each
    # then whether there is room for a card in one turn, the card in the next
    rest = each[3 + current :]
    assert (0, 1, 0) in [turn[2:] for turn in rest] and (0, 0, 1) in [turn[2:] for turn in rest]
    assert not any(turn[3] and turn[4] for turn in rest)


def test_the_other_treatments_are_read_in_a_step_before_their_card(
    qtbot: QtBot, filled: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = MedicationsPage(filled, context)
    qtbot.addWidget(page)
    steps = [step.__name__ for step in page._cards()]
    assert steps.index("_read_treatments") + 1 == steps.index("_build_treatments_card")
    page._read_treatments()
    read: list[int] = []
    real = page.service.treatments
    monkeypatch.setattr(page.service, "treatments", lambda: (read.append(1), real())[1])
    page._build_treatments_card()
    assert not read  # as read the step before
    assert len(page.treatment_rows) == len(real()) > 0

    # the diary changed in between: read again
    page._read_treatments()
    page.service.add_treatment(TreatmentInput(kind="ect", started_on=date.today()))
    page._treatments_shown = None
    page._fill_treatments()
    assert read and len(page.treatment_rows) == len(real())


def test_a_change_heard_before_the_first_read_makes_each_row_once(
    qtbot: QtBot, filled: OpenDiary, context: AppContext
) -> None:
    page = MedicationsPage(filled, context)
    qtbot.addWidget(page)
    page._update_medicines()  # (a change to the medicines announced at once)
    page.finish_building()
    assert len(page.rows) == len(page._order) == len(page.service.medications())
    assert len({row.info.id for row in page.rows}) == len(page.rows)


@pytest.fixture
def window(
    qtbot: QtBot, filled: OpenDiary, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setattr(page_module, "STEP_BUDGET_MS", 0)  # (a step per turn, whatever the time)
    yield from medications_built_ahead(qtbot, filled, context, monkeypatch)


def test_built_whole_ahead_its_layout_at_the_real_size_measures_no_label_again(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each block placed is measured in its step for the widths Qt asks of it, its own and
    those of the widgets around it; the page's own size hint asks none (Qt's asked every
    label on the page at the page's preferred width)."""
    measured = _Measured(monkeypatch)
    real = build_ahead.lay_out_hidden
    laid_out: list[int] = []

    def lay_out_hidden(scroller: QScrollArea, like: object) -> None:
        measured.on = isinstance(scroller.widget(), MedicationsPage)
        try:
            real(scroller, like)  # type: ignore[arg-type]
        finally:
            if measured.on:
                laid_out.append(len(measured.labels))
            measured.on = False

    monkeypatch.setattr(build_ahead, "lay_out_hidden", lay_out_hidden)
    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    page = window.page("medications")
    assert isinstance(page, MedicationsPage) and page.history_view.blocks
    assert laid_out and laid_out[-1] == 0, [(label.text()[:30], w) for label, w in measured.labels]


def test_the_size_hints_of_the_page_its_cards_and_columns_of_blocks_measure_no_label(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt's size hint of a widget laid out by its layout asks each wrapped label in it its
    height at the widget's preferred width, a width it is never shown at: built whole ahead,
    the page's unseen layout measured 90 labels so, and at its first open the busy line,
    widening the adherence card's preferred width, had its labels measured again, twice. The
    page, its cards (but the timeline's and the history's) and its columns of blocks answer
    without it."""
    measured = _Measured(monkeypatch)  # (before the labels are made: PySide then sees it)
    window.open_page("medications")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    wait_for_tasks(qtbot)
    cards: list[QWidget] = [page.today_card, page.list_card, page.adherence_card]
    cards.append(page.treatments_card)
    cards += [page.reminders_card, page.adherence_view, page.history_view]
    labels = page.findChildren(MeasuredLabel)
    for label in labels:  # (Qt's layout items keep heights too: forgotten with updateGeometry)
        label.forget_heights()
        label.updateGeometry()
    measured.on = True
    for card in cards:
        assert card.sizeHint().isValid()
    assert page.sizeHint().height() > 0
    assert not [(label.text()[:30], width) for label, width in measured.labels]


def test_built_ahead_its_first_open_fits_no_more_button(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The "⋯" buttons of today's doses and of the medicines are fitted to the push buttons
    beside them out of sight, as their rows are made; shown, they have nothing to fit (a
    twin push button styled and measured for each, in the turn that showed the page)."""
    from PySide6.QtWidgets import QPushButton

    from companion.ui.medications import fields

    ahead = window.build_ahead_pages
    ahead.start()
    qtbot.waitUntil(lambda: ahead.finished, timeout=30_000)
    fitted: list[QToolButton] = []
    real = fields._MoreButton.fit
    monkeypatch.setattr(fields._MoreButton, "fit", lambda self: (fitted.append(self), real(self)))
    window.open_page("medications")
    page = window.page("medications")
    assert isinstance(page, MedicationsPage)
    qtbot.waitExposed(page)
    buttons = [b for b in page.findChildren(fields._MoreButton) if b.isVisible()]
    assert buttons and not fitted
    for button in buttons:
        twin = QPushButton(button.text() or "…")
        twin.setIcon(button.icon())
        twin.setFont(button.font())
        assert button.height() == twin.sizeHint().height()
