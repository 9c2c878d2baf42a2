"""The summary every renderer reads: typed, neutral, checked when it is built.

A :class:`Summary` covers a :class:`Period` and holds :class:`Section` objects, each with
blocks for page one (``glance``) and blocks for the detail pages (``detail``). A block is one
of four kinds:

- :class:`Facts`: labelled key figures, already worded for people ("5.8 (SD 1.4)").
- :class:`Table`: typed columns and raw cell values (numbers stay numbers, times stay aware
  datetimes), so the PDF formats them for people and the CSV writes them for machines from
  the same values. ``printed=False`` tables go to the data exports only (every check-in).
- :class:`Chart`: daily series with a fixed value range, markers, and whether the timeline
  events of the whole summary (medicine changes) are drawn on it.
- :class:`Text`: a paragraph; ``private=True`` for words the person wrote.

Words the person wrote (diary notes, side-effect descriptions) are flagged ``private`` on the
block, the column or the whole section; :func:`companion.core.reports.assemble.assemble`
leaves them out unless the person chose to include them. Nothing here formats dates for
people or knows about pages: that is the renderers' job.

The checks in ``__post_init__`` catch programming mistakes (a cell of the wrong type, a naive
datetime, a row of the wrong length) when a section is built, not when a file is half written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal, TypeAlias

__all__ = [
    "Block",
    "Cell",
    "Chart",
    "Column",
    "Fact",
    "Facts",
    "Marker",
    "Period",
    "Point",
    "Section",
    "Series",
    "Summary",
    "Table",
    "Text",
    "ValueKind",
]

ValueKind = Literal["text", "integer", "number", "percent", "date", "month", "datetime", "boolean"]
Cell: TypeAlias = str | int | float | bool | date | datetime | None

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_SECTION_RE = re.compile(r"^[a-z][a-z0-9-]{0,47}$")
MAX_PERIOD_DAYS = 366 * 50


def _check_key(value: str, what: str, pattern: re.Pattern[str] = _KEY_RE) -> None:
    if not pattern.match(value):
        raise ValueError(f"{what} {value!r} must be a short lower-case key")


def _aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry its UTC offset")


@dataclass(frozen=True, slots=True)
class Period:
    """Local days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if isinstance(self.start, datetime) or isinstance(self.end, datetime):
            raise ValueError("a period is made of days, not moments")
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")
        if self.days > MAX_PERIOD_DAYS:
            raise ValueError("a period can cover at most fifty years")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        if isinstance(day, datetime):
            day = day.date()
        return isinstance(day, date) and self.start <= day <= self.end

    def each_day(self) -> Iterator[date]:
        for n in range(self.days):
            yield self.start + timedelta(days=n)


# -- blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """One key figure: ``label`` and ``value`` as people read them; ``detail`` in small print.

    ``flag`` marks a fact a clinician must not miss (PHQ-9 question 9 above zero); renderers
    show it with a symbol and words, never with colour alone.
    """

    label: str
    value: str
    detail: str = ""
    flag: bool = False


@dataclass(frozen=True, slots=True)
class Facts:
    items: tuple[Fact, ...]
    title: str = ""

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a facts block needs at least one fact")


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its CSV name (``key``), its heading, the kind of its cells.

    ``decimals`` is how many decimals people see for ``number`` cells (CSV keeps them all);
    ``private`` marks words the person wrote; ``shown=False`` columns are for the data
    exports only (the PDF leaves them out). A ``month`` cell is the month's first day.
    """

    key: str
    title: str
    kind: ValueKind
    unit: str = ""
    description: str = ""
    decimals: int = 1
    private: bool = False
    shown: bool = True

    def __post_init__(self) -> None:
        _check_key(self.key, "column")
        if not 0 <= self.decimals <= 4:
            raise ValueError("decimals must be 0 to 4")


def _cell_fits(kind: ValueKind, value: Cell) -> bool:
    if value is None:
        return True
    if kind == "text":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("number", "percent"):
        return (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        )
    if kind == "datetime":
        return isinstance(value, datetime) and value.utcoffset() is not None
    if kind == "month":
        return isinstance(value, date) and not isinstance(value, datetime) and value.day == 1
    return isinstance(value, date) and not isinstance(value, datetime)


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of typed cells. ``percent`` cells are shares from 0 to 1 (people see 87%).

    ``id`` names the CSV file (``<id>.csv``) and must be unique in a summary. ``printed``:
    shown in the PDF (a table of every check-in is for the data exports only).
    """

    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    printed: bool = True
    #: what the PDF says when there are no rows ("" : a general "nothing recorded")
    empty_text: str = ""

    def __post_init__(self) -> None:
        _check_key(self.id, "table")
        if not self.columns:
            raise ValueError(f"table {self.id} has no columns")
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"table {self.id} has two columns with the same key")
        width = len(self.columns)
        for number, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.id}, row {number}: {len(row)} cells, not {width}")
            for column, value in zip(self.columns, row, strict=True):
                if not _cell_fits(column.kind, value):
                    raise ValueError(
                        f"table {self.id}, row {number}: {column.key} is not a {column.kind}"
                    )

    @property
    def private(self) -> bool:
        return any(c.private for c in self.columns)

    def without_private(self) -> Table:
        """The same table without the columns that hold the person's own words."""
        keep = [i for i, c in enumerate(self.columns) if not c.private]
        return Table(
            id=self.id,
            title=self.title,
            columns=tuple(self.columns[i] for i in keep),
            rows=tuple(tuple(row[i] for i in keep) for row in self.rows),
            caption=self.caption,
            printed=self.printed,
            empty_text=self.empty_text,
        )

    def column(self, key: str) -> list[Cell]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    value: float


@dataclass(frozen=True, slots=True)
class Series:
    """Daily values. ``dots`` for one value a day; ``line`` breaks wherever a day is missing
    (a gap is never drawn as a value); ``emphasis`` draws it heavier (the rolling mean)."""

    key: str
    label: str
    points: tuple[Point, ...]
    style: Literal["line", "dots"] = "line"
    emphasis: bool = False

    def __post_init__(self) -> None:
        _check_key(self.key, "series")
        days = [p.day for p in self.points]
        if days != sorted(set(days)):
            raise ValueError(f"series {self.key}: days must be unique and in order")
        if any(not math.isfinite(p.value) for p in self.points):
            raise ValueError(f"series {self.key}: values must be finite")


@dataclass(frozen=True, slots=True)
class Marker:
    """An event on the timeline: a medicine started, a dose changed, a medicine stopped."""

    day: date
    label: str
    kind: Literal["start", "change", "stop", "event"] = "event"


@dataclass(frozen=True, slots=True)
class Chart:
    """Series over the summary's period, on a fixed value range (mood 0-10 stays 0-10)."""

    id: str
    title: str
    series: tuple[Series, ...]
    y_min: float
    y_max: float
    y_label: str = ""
    y_ticks: tuple[float, ...] = ()
    #: draw the timeline events every section offered (medicine changes) on this chart
    timeline: bool = False
    caption: str = ""

    def __post_init__(self) -> None:
        _check_key(self.id, "chart")
        if not self.y_min < self.y_max:
            raise ValueError(f"chart {self.id}: y_min must be below y_max")


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    #: words the person wrote (left out unless they chose to include them)
    private: bool = False
    #: a heading above the paragraph (a diary day, a safety-plan step)
    heading: str = ""


Block: TypeAlias = Facts | Table | Chart | Text


@dataclass(frozen=True, slots=True)
class Section:
    """What one feature contributes. ``glance`` blocks go on page one; ``detail`` after.

    ``private`` marks a section made of the person's own words (diary notes): it is left out
    unless they opted in. ``markers`` are timeline events other sections' charts may show.
    ``notices`` are copyright or licence notices the printed summary must carry.
    """

    id: str
    title: str
    order: int
    glance: tuple[Block, ...] = ()
    detail: tuple[Block, ...] = ()
    markers: tuple[Marker, ...] = ()
    notices: tuple[str, ...] = ()
    private: bool = False
    #: one sentence about the section for the data dictionary and the Reports page
    about: str = ""

    def __post_init__(self) -> None:
        _check_key(self.id, "section", _SECTION_RE)

    def blocks(self) -> Iterator[Block]:
        yield from self.glance
        yield from self.detail

    def tables(self) -> Iterator[Table]:
        for block in self.blocks():
            if isinstance(block, Table):
                yield block


@dataclass(frozen=True, slots=True)
class Summary:
    period: Period
    made_at: datetime
    sections: tuple[Section, ...]
    includes_private: bool = False
    #: the document's title ("Summary for my clinician", set translated by ``assemble``)
    title: str = ""
    #: shown under the title when the person gives one (a name, initials, a clinic number)
    subject: str = ""
    notices: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        _aware(self.made_at, "made_at")
        ids = [s.id for s in self.sections]
        if len(set(ids)) != len(ids):
            raise ValueError("two sections have the same id")
        tables = [t.id for s in self.sections for t in s.tables()]
        if len(set(tables)) != len(tables):
            raise ValueError("two tables have the same id")
        if not self.includes_private and any(_holds_private(s) for s in self.sections):
            raise ValueError("a summary without private text holds private text")

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def tables(self) -> Iterator[Table]:
        for section in self.sections:
            yield from section.tables()

    @property
    def markers(self) -> tuple[Marker, ...]:
        """Every section's timeline events, by day."""
        found = [m for s in self.sections for m in s.markers]
        return tuple(sorted(found, key=lambda m: (m.day, m.label)))


def _holds_private(section: Section) -> bool:
    if section.private:
        return True
    for block in section.blocks():
        if isinstance(block, Text) and block.private:
            return True
        if isinstance(block, Table) and block.private:
            return True
    return False
