"""Any CSV with a header line: the person says which column holds what.

Columns are recognised by their names ("Date", "Mood", "Notes"…) or chosen in the import
window (:class:`ColumnMapping`). A date (with or without a time column) or one date-and-time
column, and a mood, are required. Moods are numbers on a 0–10 scale or a 1–5 scale (converted
like Daylio's five levels: 1→1, 2→3, 3→5, 4→7, 5→9), or words that the person gives numbers
(``--mood NAME=VALUE``). The delimiter is a comma, semicolon or tab, whichever the header uses.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Final

from companion.core.mood.importing.daylio import layout_of
from companion.core.mood.importing.engine import (
    ImportOptions,
    ImportRow,
    Prepared,
    Reader,
    TagRef,
)
from companion.core.mood.importing.reading import (
    Monitor,
    Record,
    RowProblem,
    Source,
    detect_encoding,
    first_line,
    records,
    refuse,
    sniff_delimiter,
)
from companion.core.mood.importing.values import (
    BadValue,
    Moment,
    check_note,
    clean_note,
    fold_name,
    local_moment,
    parse_number,
    parse_time,
    shorten_name,
    split_names,
)
from companion.core.timekeeping import MAX_OFFSET_MINUTES
from companion.i18n import N_, _

#: The fields a column can be mapped to, with their labels.
CSV_FIELDS: Final[Mapping[str, str]] = {
    "date": N_("Date"),
    "time": N_("Time"),
    "datetime": N_("Date and time"),
    "mood": N_("Mood"),
    "anxiety": N_("Anxiety (0–10)"),
    "energy": N_("Energy (0–10)"),
    "irritability": N_("Irritability (0–10)"),
    "sleep_hours": N_("Hours of sleep"),
    "tags": N_("Tags"),
    "note": N_("Note"),
}
#: Header names (folded) recognised for each field when no mapping is given.
_GUESSES: Final[Mapping[str, tuple[str, ...]]] = {
    "date": ("date", "day", "full_date"),
    "time": ("time", "hour"),
    "datetime": ("datetime", "date_time", "timestamp", "when", "date and time"),
    "mood": ("mood", "mood_score", "mood (0-10)", "score", "rating"),
    "anxiety": ("anxiety",),
    "energy": ("energy",),
    "irritability": ("irritability",),
    "sleep_hours": ("sleep", "sleep_hours", "hours of sleep", "sleep hours"),
    "tags": ("tags", "activities", "tag"),
    "note": ("note", "notes", "comment", "comments", "text"),
}
_DATE_FORMATS: Final = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
_NOON: Final = time(12, 0)


@dataclass(frozen=True)
class ColumnMapping:
    """Field name (see :data:`CSV_FIELDS`) → column index. ``mood_scale`` is the highest mood
    value in the file: 10 for 0–10, 5 for a 1–5 scale."""

    columns: Mapping[str, int] = field(default_factory=dict)
    mood_scale: int = 10
    tag_separator: str = "|"


def guess_mapping(header: Sequence[str]) -> dict[str, int]:
    """Columns whose names say what they hold ("Date", "Mood", "Notes"…)."""
    folded = [fold_name(h.strip()).replace("-", "_") for h in header]
    out: dict[str, int] = {}
    for key, names in _GUESSES.items():
        for index, name in enumerate(folded):
            if name in names and index not in out.values():
                out[key] = index
                break
    if "datetime" in out and "date" in out:
        del out["datetime"]
    return out


def csv_header(source: Source) -> tuple[list[str], list[list[str]]]:
    """The header and up to five sample rows (for the column-mapping window)."""
    encoding = detect_encoding(source)
    delimiter = sniff_delimiter(first_line(source, encoding))
    header: list[str] | None = None
    sample: list[list[str]] = []
    for record in records(source, encoding, delimiter=delimiter):
        if header is None:
            header = [c.strip().strip("\ufeff") for c in record.cells]
            continue
        sample.append(record.cells)
        if len(sample) >= 5:
            break
    if header is None:
        raise refuse(_("The file is empty."))
    return header, sample


def _parse_date(text: str) -> date:
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise BadValue(_("the date could not be read (dates look like 2024-03-18)"))


def _parse_datetime(text: str, options: ImportOptions) -> Moment:
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parts = value.replace("T", " ").split(" ", 1)
        if len(parts) != 2:
            raise BadValue(_("the date and time could not be read")) from None
        return local_moment(_parse_date(parts[0]), parse_time(parts[1]), options.zone)
    if parsed.tzinfo is None:
        wall = parsed.time().replace(second=0, microsecond=0)
        return local_moment(parsed.date(), wall, options.zone)
    offset = parsed.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    if seconds % 60 or abs(seconds) > MAX_OFFSET_MINUTES * 60:
        raise BadValue(_("the time zone offset is not a whole number of minutes within ±18 hours"))
    return Moment(parsed.replace(second=0, microsecond=0))


def _rating(text: str, label: str) -> int | None:
    """``label``: the rating's name, marked with ``N_`` (translated only when said)."""
    value = text.strip()
    if not value:
        return None
    number = parse_number(value)
    if number != int(number) or not 0 <= number <= 10:
        raise BadValue(_("{rating} must be a whole number from 0 to 10").format(rating=_(label)))
    return int(number)


class CsvReader(Reader):
    name = "csv"
    title = N_("Other CSV file")

    def prepare(self, source: Source, options: ImportOptions, monitor: Monitor) -> Prepared:
        encoding = detect_encoding(source, monitor)
        delimiter = sniff_delimiter(first_line(source, encoding))
        header: list[str] | None = None
        mapping = self._mapping(options)
        words: Counter[str] = Counter()
        rows = 0
        columns: dict[str, int] = dict(mapping.columns) if mapping else {}
        for record in records(source, encoding, monitor, delimiter=delimiter):
            if header is None:
                header = [c.strip().strip("\ufeff") for c in record.cells]
                if layout_of(header) is not None and mapping is None:
                    raise refuse(_("This is a Daylio export; please import it as Daylio."))
                if mapping is None:
                    columns = guess_mapping(header)
                self._check(columns, header)
                continue
            rows += 1
            index = columns["mood"]
            if index < len(record.cells) and not record.problem:
                word = " ".join(record.cells[index].split())
                if word:
                    try:
                        parse_number(word)
                    except BadValue:
                        words[word] += 1
        if header is None:
            raise refuse(_("The file is empty."))
        if not rows:
            raise refuse(_("The file has its column names but no check-ins."))
        return Prepared(
            source=source,
            encoding=encoding,
            mood_names=dict(words.most_common()),
            record_count=rows,
            notices=(encoding.notice,) if encoding.notice else (),
            details={
                "delimiter": delimiter,
                "columns": columns,
                "header": header,
                "scale": mapping.mood_scale if mapping else 10,
                "separator": (mapping.tag_separator if mapping else "|") or "|",
            },
        )

    @staticmethod
    def _mapping(options: ImportOptions) -> ColumnMapping | None:
        mapping = options.columns
        if mapping is None:
            return None
        if not isinstance(mapping, ColumnMapping):
            raise refuse(_("The column choice is not valid."))
        if mapping.mood_scale not in (5, 10):
            raise refuse(_("The mood scale must be 0–10 or 1–5."))
        return mapping

    @staticmethod
    def _check(columns: Mapping[str, int], header: Sequence[str]) -> None:
        for key, index in columns.items():
            if key not in CSV_FIELDS:
                raise refuse(
                    _("“{field}” is not something a column can be mapped to.").format(field=key)
                )
            if not 0 <= index < len(header):
                raise refuse(_("A chosen column is not in the file."))
        if len(set(columns.values())) != len(columns):
            raise refuse(_("Each column can be used for one thing only."))
        if "mood" not in columns:
            raise refuse(
                _("Choose which column holds the mood (the file has no column named “mood”).")
            )
        if "date" not in columns and "datetime" not in columns:
            raise refuse(
                _("Choose which column holds the date (the file has no column named “date”).")
            )

    def describe(self, prepared: Prepared, options: ImportOptions) -> list[str]:
        header: list[str] = prepared.details["header"]
        columns: dict[str, int] = prepared.details["columns"]
        used = "; ".join(
            _("{field} from “{column}”").format(
                field=_(CSV_FIELDS[key]),
                column=header[index] or _("column {number}").format(number=index + 1),
            )
            for key, index in columns.items()
        )
        out = [_("Columns: {columns}.").format(columns=used)]
        if prepared.details["scale"] == 5:
            out.append(_("Moods on a 1–5 scale become 1, 3, 5, 7 and 9 on Companion's 0–10 scale."))
        else:
            out.append(_("Moods are read as Companion's 0–10 scale, unchanged."))
        words = [
            _("“{word}” → {value}").format(word=w, value=self.mood_value(prepared, options, w))
            for w in prepared.mood_names
            if self.mood_value(prepared, options, w) is not None
        ]
        if words:
            out.append(_("Mood words: {words}.").format(words="; ".join(words)))
        if "time" not in columns and "datetime" not in columns:
            out.append(_("The file has no time column: every check-in is placed at 12:00."))
        return out

    def rows(
        self, prepared: Prepared, options: ImportOptions, monitor: Monitor
    ) -> Iterator[ImportRow | RowProblem]:
        details = prepared.details
        header: list[str] = details["header"]
        columns: dict[str, int] = details["columns"]
        moods = options.folded_moods()
        first = True
        for record in records(
            prepared.source, prepared.encoding, monitor, delimiter=details["delimiter"]
        ):
            if first:
                first = False
                continue
            if record.problem:
                yield RowProblem(record.line, record.problem, record.end_line)
                continue
            if len(record.cells) > len(header):
                yield RowProblem(
                    record.line,
                    _("it has more fields than the first line names"),
                    record.end_line,
                )
                continue
            try:
                yield self._row(record, columns, details, moods, options)
            except BadValue as exc:
                yield RowProblem(record.line, str(exc), record.end_line)

    def _row(
        self,
        record: Record,
        columns: dict[str, int],
        details: Mapping[str, object],
        moods: dict[str, int],
        options: ImportOptions,
    ) -> ImportRow:
        def cell(key: str) -> str:
            index = columns.get(key)
            cells = record.cells
            return cells[index] if index is not None and index < len(cells) else ""

        if "datetime" in columns:
            moment = _parse_datetime(cell("datetime"), options)
        else:
            moment = local_moment(
                _parse_date(cell("date")), parse_time(cell("time"), default=_NOON), options.zone
            )
        raw_mood = " ".join(cell("mood").split())
        mood = _mood(raw_mood, int(str(details["scale"])), moods)
        values: list[tuple[str, float]] = []
        for key, label in (
            ("anxiety", N_("Anxiety")),
            ("energy", N_("Energy")),
            ("irritability", N_("Irritability")),
        ):
            rating = _rating(cell(key), label)
            if rating is not None:
                values.append((key, rating))
        sleep_text = cell("sleep_hours").strip()
        if sleep_text:
            sleep = parse_number(sleep_text)
            if not 0 <= sleep <= 24:
                raise BadValue(_("hours of sleep must be from 0 to 24"))
            values.append(("sleep_hours", sleep))
        tags = []
        for name in split_names(cell("tags"), str(details["separator"])):
            short = shorten_name(name)
            tags.append(TagRef(short, name if short != name else ""))
        return ImportRow(
            line=record.line,
            at=moment.at,
            mood=mood,
            source_mood=raw_mood,
            values=tuple(values),
            tags=tuple(tags),
            note=check_note(clean_note(cell("note"))),
            shift=moment.shift,
        )


def _mood(text: str, scale: int, words: dict[str, int]) -> int:
    if not text:
        raise BadValue(_("there is no mood"))
    try:
        number = parse_number(text)
    except BadValue:
        value = words.get(fold_name(text))
        if value is None:
            raise BadValue(
                _("the mood “{name}” is not a number and has none chosen").format(name=text)
            ) from None
        return value
    if not math.isfinite(number) or number != int(number):
        raise BadValue(_("the mood is not a whole number"))
    whole = int(number)
    if scale == 5:
        if not 1 <= whole <= 5:
            raise BadValue(_("on a 1–5 scale the mood must be from 1 to 5"))
        return 2 * whole - 1
    if not 0 <= whole <= 10:
        raise BadValue(_("the mood must be a whole number from 0 to 10"))
    return whole
