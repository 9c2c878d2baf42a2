"""The summary model refuses malformed content, and assembly keeps the person's words out
unless they chose to include them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from companion.core.reports.assemble import assemble
from companion.core.reports.model import (
    Chart,
    Column,
    Fact,
    Facts,
    Period,
    Point,
    Section,
    Series,
    Summary,
    Table,
    Text,
)
from companion.core.reports.records import MoodCheckin
from companion.core.reports.wording import percent, period_text, time_with_offset
from tests.reports.synthetic import make_diary, summary_of

MADE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
P = Period(date(2026, 9, 1), date(2026, 11, 29))


def _table(**changes: object) -> Table:
    values: dict[str, object] = {
        "id": "things",
        "title": "Things",
        "columns": (Column("n", "N", "integer"), Column("note", "Note", "text", private=True)),
        "rows": ((1, "mine"), (None, None)),
    }
    values.update(changes)
    return Table(**values)  # type: ignore[arg-type]


def test_a_period_is_days_in_order() -> None:
    assert P.days == 90
    assert date(2026, 9, 1) in P and date(2026, 8, 31) not in P
    assert datetime(2026, 9, 1, 23, 0, tzinfo=UTC) in P
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValueError, match="days, not moments"):
        Period(datetime(2026, 1, 1), date(2026, 2, 1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (Column("x", "X", "integer"), True),
        (Column("x", "X", "integer"), 1.5),
        (Column("x", "X", "number"), float("nan")),
        (Column("x", "X", "number"), "3"),
        (Column("x", "X", "date"), datetime(2026, 1, 1, tzinfo=UTC)),
        (Column("x", "X", "datetime"), datetime(2026, 1, 1)),
        (Column("x", "X", "month"), date(2026, 1, 2)),
        (Column("x", "X", "boolean"), 1),
        (Column("x", "X", "text"), 3),
    ],
)
def test_cells_must_fit_their_column(column: Column, value: object) -> None:
    with pytest.raises(ValueError, match="is not a"):
        Table("t", "T", (column,), ((value,),))  # type: ignore[arg-type]


def test_tables_check_their_shape_and_names() -> None:
    with pytest.raises(ValueError, match="cells, not"):
        _table(rows=((1,),))
    with pytest.raises(ValueError, match="same key"):
        _table(columns=(Column("n", "N", "integer"), Column("n", "M", "integer")), rows=())
    with pytest.raises(ValueError, match="short lower-case key"):
        _table(id="Bad Name")
    assert _table().private and not _table().without_private().private
    assert _table().without_private().rows == ((1,), (None,))


def test_series_days_are_unique_and_in_order() -> None:
    with pytest.raises(ValueError, match="unique and in order"):
        Series("s", "S", (Point(date(2026, 1, 2), 1), Point(date(2026, 1, 1), 2)))


def test_a_summary_refuses_private_text_it_was_not_allowed() -> None:
    section = Section("s", "S", 1, detail=(Text("my words", private=True),))
    with pytest.raises(ValueError, match="private text"):
        Summary(P, MADE, (section,))
    with pytest.raises(ValueError, match="UTC offset"):
        Summary(P, datetime(2026, 11, 30), ())
    Summary(P, MADE, (section,), includes_private=True)


def test_assembly_leaves_out_private_words_unless_chosen() -> None:
    shared = Section(
        "a",
        "A",
        2,
        glance=(Facts((Fact("x", "1"),)),),
        detail=(Text("about", private=False), Text("mine", private=True), _table()),
    )
    notes = Section("notes", "Notes", 1, detail=(Text("diary", private=True),), private=True)
    summary = assemble(P, MADE, [shared, notes])
    assert [s.id for s in summary.sections] == ["a"]
    kept = summary.sections[0]
    assert [b.text for b in kept.detail if isinstance(b, Text)] == ["about"]
    table = next(kept.tables())
    assert [c.key for c in table.columns] == ["n"]
    chosen = assemble(P, MADE, [shared, notes], include_private=True)
    assert [s.id for s in chosen.sections] == ["notes", "a"]  # by order
    assert chosen.includes_private


def test_duplicate_sections_and_tables_are_refused() -> None:
    one = Section("a", "A", 1, detail=(_table(),))
    with pytest.raises(ValueError, match="same id"):
        assemble(P, MADE, [one, one])
    other = Section("b", "B", 2, detail=(_table(),))
    with pytest.raises(ValueError, match="two tables"):
        assemble(P, MADE, [one, other], include_private=True)


def test_notices_are_collected_once() -> None:
    a = Section("a", "A", 1, notices=("PHQ notice",))
    b = Section("b", "B", 2, notices=("PHQ notice", "Other"))
    assert assemble(P, MADE, [a, b]).notices == ("PHQ notice", "Other")


def test_chart_checks() -> None:
    with pytest.raises(ValueError, match="y_min"):
        Chart("c", "C", (), y_min=1, y_max=1)


def test_records_refuse_naive_times_and_out_of_range_ratings() -> None:
    with pytest.raises(ValueError, match="offset"):
        MoodCheckin(datetime(2026, 1, 1, 9), 5)
    with pytest.raises(ValueError, match="mood"):
        MoodCheckin(datetime(2026, 1, 1, 9, tzinfo=UTC), 11)


def test_wording() -> None:
    assert period_text(date(2026, 9, 1), date(2026, 11, 29)) == "1 Sep – 29 Nov 2026"
    assert period_text(date(2026, 12, 15), date(2027, 3, 14)) == "15 Dec 2026 – 14 Mar 2027"
    moment = datetime(2026, 11, 3, 21, 5, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))
    assert time_with_offset(moment) == "3 Nov 2026 21:05 (UTC-03:30)"
    assert percent(None) == "–" and percent(0.925) == "93%" and percent(0.125) == "13%"


def test_the_synthetic_summary_without_notes_holds_none_of_them() -> None:
    diary = make_diary()
    words = {c.note for c in diary.checkins if c.note}
    assert words
    summary = summary_of(diary)
    for table in summary.tables():
        for row in table.rows:
            assert not any(cell in words for cell in row)
    assert summary.section("notes") is None
    assert summary_of(diary, include_private=True).section("notes") is not None
