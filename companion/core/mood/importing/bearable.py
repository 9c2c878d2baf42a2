"""Bearable's CSV export: one row per reading, grouped here into check-ins.

Columns: ``date, weekday, time of day, category, rating/amount, detail, notes`` (every field
quoted). Dates look like ``22nd Sep 2020``; the time of day is a time (``03:00``), a part of
the day (``pre``, ``am``, ``mid``, ``pm``) or the whole day (``all day`` or empty).

Bearable's own scales (its help page "What are all the different scales used in Bearable?"):
mood and energy 1–10, symptoms 0–4 (none, mild, moderate, severe, unbearable), sleep quality
and custom ratings 1–5. How they become Companion's data (the preview says the same in words):

- every **Mood** reading becomes a check-in at its time; Bearable's parts of the day become
  early 04:00, morning 09:00, midday 13:00, evening 19:00 (two readings in the same part of the
  day are placed a minute apart). Mood 1–10 keeps its number on Companion's 0–10 mood (0 is not
  used); the emotions in ``detail`` (``Meh | Anxious``) start the note as "Feelings: …";
- **Energy** 1–10 keeps its number as energy 0–10;
- **Sleep** ``7:15`` becomes hours of sleep; **Sleep quality** 1–5 keeps its number;
- **Symptoms** 0–4 become 0–10 as none 0, mild 3, moderate 5, severe 8, unbearable 10 (the steps
  of Companion's scale that carry those names): anxiety and irritability fill those measures,
  other symptoms become 0–10 trackers of their name;
- **Factors** and **Meds/Supplements** become activity tags; **Health measurements** and
  **Custom ratings** become number trackers of their name; notes join the check-in's note.

A reading with a time or part of the day joins the check-in at (or nearest to) that time; a
whole-day reading joins the day's first check-in (sleep describes the night before) or, for
everything else, the day's last. A day with readings but no mood cannot become check-ins (mood
is required): its rows are listed as rows that cannot be read. Readings in categories Companion
does not keep (bowel movements, for example) are counted in the preview and left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Final

from companion.core.mood.importing.engine import (
    ImportOptions,
    ImportRow,
    Prepared,
    Reader,
    TagRef,
    TrackerRef,
)
from companion.core.mood.importing.reading import (
    Monitor,
    Record,
    RowProblem,
    Source,
    detect_encoding,
    header_key,
    records,
    refuse,
)
from companion.core.mood.importing.values import (
    BadValue,
    check_note,
    clean_note,
    fold_name,
    join_notes,
    local_moment,
    parse_duration_hours,
    parse_number,
    parse_time,
    shorten_name,
    split_names,
)
from companion.core.mood.vocabulary import TrackerKind
from companion.i18n import N_, _, format_date, format_number, ngettext

_HEADER: Final = {
    "date": ("date",),
    "time": ("time of day", "time"),
    "category": ("category",),
    "rating": ("rating/amount", "rating", "amount", "rating / amount"),
    "detail": ("detail", "details"),
    "notes": ("notes", "note"),
}
PARTS: Final[dict[str, time]] = {
    "pre": time(4, 0),
    "am": time(9, 0),
    "mid": time(13, 0),
    "pm": time(19, 0),
}
_WHOLE_DAY: Final = ("", "all day", "allday", "all-day", "day")
#: symptom 0–4 → Companion's 0–10 intensity (None 0, Mild 3, Moderate 5, Severe 8,
#: Overwhelming 10)
SYMPTOM: Final = (0, 3, 5, 8, 10)
_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)\b", re.IGNORECASE)
_DATE_FORMATS: Final = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%Y-%m-%d", "%d/%m/%Y")

_KINDS: Final = {
    "mood": "mood",
    "energy": "energy",
    "sleep": "sleep",
    "sleep quality": "sleep_quality",
    "symptom": "symptom",
    "symptoms": "symptom",
    "factor": "tags",
    "factors": "tags",
    "other factors": "tags",
    "meds/supplements": "tags",
    "meds / supplements": "tags",
    "meds": "tags",
    "medication": "tags",
    "medications": "tags",
    "supplements": "tags",
    "health measurement": "measure",
    "health measurements": "measure",
    "custom rating": "rating",
    "custom ratings": "rating",
    "notes": "note",
    "note": "note",
    "extra notes": "note",
}
_ANXIETY: Final = {"anxiety", "anxious"}
_IRRITABILITY: Final = {"irritability", "irritable"}


def parse_bearable_date(text: str) -> date:
    value = " ".join(_ORDINAL.sub(r"\1", text.replace(",", " ")).split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise BadValue(_("the date could not be read (dates look like “22nd Sep 2020”)"))


@dataclass
class _Reading:
    line: int
    kind: str
    category: str
    rating: str
    detail: str
    note: str
    at: time | None  # None: the whole day
    exact: bool


@dataclass
class _CheckIn:
    line: int
    at: time
    mood: int
    feelings: list[str]
    values: dict[str, float] = field(default_factory=dict)
    tags: list[TagRef] = field(default_factory=list)
    trackers: list[tuple[TrackerRef, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class BearableReader(Reader):
    name = "bearable"
    title = N_("Bearable export (CSV)")

    def prepare(self, source: Source, options: ImportOptions, monitor: Monitor) -> Prepared:
        encoding = detect_encoding(source, monitor)
        columns: dict[str, int] | None = None
        categories: Counter[str] = Counter()
        rows = 0
        for record in records(source, encoding, monitor):
            if columns is None:
                columns = self._columns(record)
                continue
            rows += 1
            index = columns["category"]
            if index < len(record.cells):
                categories[" ".join(record.cells[index].split())] += 1
        if columns is None:
            raise refuse(_("The file is empty."))
        if not rows:
            raise refuse(_("The file has its column names but no readings."))
        ignored = {c: n for c, n in categories.items() if fold_name(c) not in _KINDS and c}
        notices = [encoding.notice] if encoding.notice else []
        if ignored:
            shown = ", ".join(_counted(name, n) for name, n in sorted(ignored.items()))
            total = sum(ignored.values())
            notices.append(
                ngettext(
                    "{count} reading is in categories Companion does not keep and will be left "
                    "out: {categories}.",
                    "{count} readings are in categories Companion does not keep and will be "
                    "left out: {categories}.",
                    total,
                ).format(count=format_number(total), categories=shown)
            )
        return Prepared(
            source=source,
            encoding=encoding,
            notices=tuple(notices),
            record_count=rows,
            details={"columns": columns, "categories": dict(categories)},
        )

    @staticmethod
    def _columns(record: Record) -> dict[str, int]:
        key = header_key(record.cells)
        out: dict[str, int] = {}
        for name, spellings in _HEADER.items():
            for index, cell in enumerate(key):
                if cell in spellings:
                    out[name] = index
                    break
        if not {"date", "category", "rating"} <= set(out):
            raise refuse(
                _(
                    "This is not a Bearable export: its first line should be date, weekday, "
                    "time of day, category, rating/amount, detail, notes."
                )
            )
        return out

    def describe(self, prepared: Prepared, options: ImportOptions) -> list[str]:
        categories: dict[str, int] = prepared.details["categories"]
        found = ", ".join(
            _counted(name, n) for name, n in categories.items() if fold_name(name) in _KINDS
        )
        return [
            _("Readings by category: {categories}.").format(categories=found)
            if found
            else _("No readings Companion keeps."),
            _(
                "Each mood reading becomes a check-in. Bearable's 1–10 mood keeps its number on "
                "Companion's 0–10 mood (0 as low as it gets, 10 as good as it gets; 0 is not "
                "used); the emotions start the note as “Feelings: …”."
            ),
            _(
                "Parts of the day become times: early 04:00, morning 09:00, midday 13:00, "
                "evening 19:00; whole-day readings join the day's first check-in (sleep) or its "
                "last (the rest)."
            ),
            _(
                "Energy 1–10 keeps its number; sleep becomes hours of sleep; sleep quality 1–5 "
                "keeps its number."
            ),
            _(
                "Symptoms 0–4 become 0–10 (none 0, mild 3, moderate 5, severe 8, unbearable "
                "10): anxiety and irritability fill those measures, other symptoms become 0–10 "
                "trackers."
            ),
            _(
                "Factors and meds/supplements become activity tags; health measurements and "
                "custom ratings become number trackers."
            ),
            _(
                "A day with readings but no mood cannot become a check-in; its rows are listed "
                "below."
            ),
        ]

    def rows(
        self, prepared: Prepared, options: ImportOptions, monitor: Monitor
    ) -> Iterator[ImportRow | RowProblem]:
        columns: dict[str, int] = prepared.details["columns"]
        days: dict[date, list[_Reading]] = {}
        first = True
        for record in records(prepared.source, prepared.encoding, monitor):
            if first:
                first = False
                continue
            if record.problem:
                yield RowProblem(record.line, record.problem, record.end_line)
                continue
            try:
                parsed = self._reading(record, columns)
            except BadValue as exc:
                yield RowProblem(record.line, str(exc), record.end_line)
                continue
            if parsed is not None:
                day, reading = parsed
                days.setdefault(day, []).append(reading)
        for day in sorted(days):
            monitor.check()
            yield from self._day(day, days[day], options)

    def _reading(self, record: Record, columns: dict[str, int]) -> tuple[date, _Reading] | None:
        def cell(key: str) -> str:
            index = columns.get(key)
            cells = record.cells
            return cells[index] if index is not None and index < len(cells) else ""

        category = " ".join(cell("category").split())
        kind = _KINDS.get(fold_name(category))
        if kind is None:
            return None  # counted in the preview's notices
        day = parse_bearable_date(cell("date"))
        slot = " ".join(cell("time").split()).lower()
        if slot in _WHOLE_DAY:
            at, exact = None, False
        elif slot in PARTS:
            at, exact = PARTS[slot], False
        else:
            at, exact = parse_time(slot), True
        reading = _Reading(
            record.line,
            kind,
            category,
            cell("rating").strip(),
            cell("detail"),
            clean_note(cell("notes")),
            at,
            exact,
        )
        return day, reading

    def _day(
        self, day: date, readings: list[_Reading], options: ImportOptions
    ) -> Iterator[ImportRow | RowProblem]:
        checkins: list[_CheckIn] = []
        problems: list[RowProblem] = []
        used: set[time] = set()
        for reading in sorted(
            (r for r in readings if r.kind == "mood"),
            key=lambda r: (r.at or time(12, 0), r.line),
        ):
            try:
                mood = _whole(reading.rating, 1, 10, _("the mood"))
                feelings = split_names(reading.detail)
            except BadValue as exc:
                problems.append(RowProblem(reading.line, str(exc)))
                continue
            at = reading.at or time(12, 0)
            while at in used and at < time(23, 59):  # a second reading in the same part
                at = time(at.hour + (at.minute + 1) // 60, (at.minute + 1) % 60)
            used.add(at)
            checkin = _CheckIn(reading.line, at, mood, feelings)
            if reading.note:
                checkin.notes.append(reading.note)
            checkins.append(checkin)
        others = [r for r in readings if r.kind != "mood"]
        if not checkins:
            for reading in others:
                problems.append(
                    RowProblem(
                        reading.line,
                        _(
                            "no mood was recorded on {day}, and Companion needs a mood for "
                            "every check-in"
                        ).format(day=format_date(day, "medium")),
                    )
                )
            yield from sorted(problems, key=lambda p: p.line)
            return
        checkins.sort(key=lambda c: c.at)
        for reading in others:
            target = self._target(checkins, reading)
            try:
                self._apply(target, reading)
            except BadValue as exc:
                problems.append(RowProblem(reading.line, str(exc)))
        yield from sorted(problems, key=lambda p: p.line)
        for checkin in checkins:
            try:
                moment = local_moment(day, checkin.at, options.zone)
                listed = ", ".join(checkin.feelings)
                note = check_note(
                    join_notes(f"Feelings: {listed}" if listed else "", *checkin.notes)
                )
            except BadValue as exc:
                yield RowProblem(checkin.line, str(exc))
                continue
            yield ImportRow(
                line=checkin.line,
                at=moment.at,
                mood=checkin.mood,
                source_mood=_("{value}/10").format(value=checkin.mood),
                values=tuple(checkin.values.items()),
                tags=tuple(checkin.tags),
                trackers=tuple(checkin.trackers),
                note=note,
                shift=moment.shift,
            )

    @staticmethod
    def _target(checkins: list[_CheckIn], reading: _Reading) -> _CheckIn:
        if reading.at is None:
            return checkins[0] if reading.kind in ("sleep", "sleep_quality") else checkins[-1]
        at = reading.at
        minutes = at.hour * 60 + at.minute
        return min(checkins, key=lambda c: abs(c.at.hour * 60 + c.at.minute - minutes))

    @staticmethod
    def _apply(checkin: _CheckIn, reading: _Reading) -> None:
        kind = reading.kind
        detail = " ".join(reading.detail.split())
        if kind == "energy":
            checkin.values["energy"] = _whole(reading.rating, 0, 10, _("the energy"))
        elif kind == "sleep":
            hours = parse_duration_hours(reading.rating)
            if not 0 <= hours <= 24:
                raise BadValue(_("the sleep must be from 0 to 24 hours"))
            checkin.values["sleep_hours"] = round(hours, 4)
        elif kind == "sleep_quality":
            checkin.values["sleep_quality"] = _whole(reading.rating, 1, 5, _("the sleep quality"))
        elif kind == "symptom":
            level = SYMPTOM[_whole(reading.rating, 0, 4, _("a symptom"))]
            for name in split_names(detail) or ["Symptom"]:
                key = fold_name(name)
                if key in _ANXIETY:
                    checkin.values["anxiety"] = max(level, checkin.values.get("anxiety", 0))
                elif key in _IRRITABILITY:
                    checkin.values["irritability"] = max(
                        level, checkin.values.get("irritability", 0)
                    )
                else:
                    ref = TrackerRef(shorten_name(name), TrackerKind.SCALE)
                    checkin.trackers.append((ref, level))
        elif kind == "tags":
            for name in split_names(detail):
                short = shorten_name(name)
                checkin.tags.append(TagRef(short, name if short != name else ""))
        elif kind in ("measure", "rating"):
            name = detail or reading.category
            value = parse_number(reading.rating) if reading.rating else None
            if value is None:
                raise BadValue(_("“{name}” has no value").format(name=name))
            if kind == "rating":
                ref = TrackerRef(shorten_name(name), TrackerKind.NUMBER, None, 1, 5)
                if not 1 <= value <= 5:
                    raise BadValue(
                        _("the custom rating “{name}” must be from 1 to 5").format(name=name)
                    )
            else:
                ref = TrackerRef(shorten_name(name), TrackerKind.NUMBER)
            checkin.trackers.append((ref, value))
        if kind == "note":
            text = join_notes(clean_note(detail), reading.note)
            if text:
                checkin.notes.append(text)
        elif reading.note:
            label = detail or reading.category
            checkin.notes.append(f"{label}: {reading.note}" if label else reading.note)


def _whole(text: str, low: int, high: int, what: str) -> int:
    """``what``: the reading, translated ("the mood")."""
    if not text.strip():
        raise BadValue(_("{what} has no rating").format(what=what))
    number = parse_number(text)
    if number != int(number) or not low <= number <= high:
        raise BadValue(
            _("{what} must be a whole number from {low} to {high}").format(
                what=what, low=low, high=high
            )
        )
    return int(number)


def _counted(category: str, n: int) -> str:
    """A category with how many readings it has: "Mood (120)"."""
    return _("{name} ({count})").format(name=category, count=format_number(n))
