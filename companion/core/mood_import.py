"""Bringing check-ins in from Daylio's CSV export and from any CSV with a column mapping.

Three steps, so the app can show a preview before anything is written:

1. **Parse** (``parse_daylio`` / ``parse_csv``): bytes → :class:`ParsedFile` of validated rows.
   Any problem raises :class:`~companion.core.errors.ImportFileError` with one sentence that
   names the line, never the text written on it.
2. **Preview** (:func:`preview`): which rows are already in the diary (same local date, hour and
   minute, and the same mood → skipped and counted), which tags would be created.
3. **Write** (:func:`write`): all rows in one transaction and one save. All or nothing.

Daylio
------
Daylio exports one of two layouts (both comma separated, UTF-8, a header line):

- current, 8 columns: ``full_date,date,weekday,time,mood,activities,note_title,note``
  (``full_date`` is ``YYYY-MM-DD``);
- older, 7 columns: ``year,date,weekday,time,mood,activities,note`` (``date`` like
  ``18 May`` or ``May 18``).

Times are ``23:54`` or ``11:54 pm``. Activities are separated by `` | ``; each becomes an
activity tag (matched to an existing tag by name, ignoring case and accents, else created).
The title and the note are joined into the check-in's note (Daylio's ``<br>`` becomes a new
line).

Daylio's five default moods are mapped to Companion's 0–10 mood scale as
:data:`DAYLIO_DEFAULT_MOODS`: awful 1, bad 3, meh 5, good 7, rad 9. The five steps are spread
evenly around the middle (5 = "Neither good nor bad"); the ends 0 and 10 ("as low / as good
as it gets") are left out because a five-point answer cannot say that much. People who renamed
their moods in Daylio map each name to a number (``mood_map``); the command line knows only the
defaults and refuses a file with other names, listing them.

The times in these files carry no time zone: they are read as this computer's local time on
that date (so summer and winter times are each right).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Final

from sqlalchemy import insert, select

from companion.core.errors import ImportFileError
from companion.core.importers import importer
from companion.core.models import MoodEntry, MoodEntryTag, MoodTag, new_id, utcnow
from companion.core.mood import (
    CLOCK_SKEW,
    DEFAULT_TAGS,
    EARLIEST,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MoodService,
    TagKind,
    default_tags_seeded,
    ensure_default_tags,
    fold,
    offset_minutes,
)
from companion.core.portable import ImportSummary
from companion.storage.database import Database

MAX_FILE_BYTES: Final = 50 * 1024 * 1024
MAX_ROWS: Final = 200_000

DAYLIO_DEFAULT_MOODS: Final[Mapping[str, int]] = {
    "awful": 1,
    "bad": 3,
    "meh": 5,
    "good": 7,
    "rad": 9,
}
DAYLIO_8: Final = (
    "full_date",
    "date",
    "weekday",
    "time",
    "mood",
    "activities",
    "note_title",
    "note",
)
DAYLIO_7: Final = ("year", "date", "weekday", "time", "mood", "activities", "note")

#: Generic CSV: the fields a column can be mapped to.
CSV_FIELDS: Final[Mapping[str, str]] = {
    "date": "Date",
    "time": "Time",
    "datetime": "Date and time",
    "mood": "Mood",
    "anxiety": "Anxiety (0–10)",
    "energy": "Energy (0–10)",
    "irritability": "Irritability (0–10)",
    "sleep_hours": "Hours of sleep",
    "tags": "Tags",
    "note": "Note",
}
#: Header names (folded) recognised for each field when no mapping is given.
_CSV_GUESSES: Final[Mapping[str, tuple[str, ...]]] = {
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
_TIME_FORMATS: Final = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


# -- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One check-in to bring in (the line number is the file's, for messages)."""

    line: int
    at: datetime  # aware, local offset of that date
    mood: int
    source_mood: str = ""
    anxiety: int | None = None
    energy: int | None = None
    irritability: int | None = None
    sleep_hours: float | None = None
    tags: tuple[str, ...] = ()
    note: str | None = field(default=None, repr=False)

    @property
    def local_key(self) -> tuple[str, int]:
        """What makes two check-ins the same: the local minute and the mood."""
        return self.at.strftime("%Y-%m-%d %H:%M"), self.mood


@dataclass(frozen=True)
class ParsedFile:
    format: str  # "daylio" or "csv"
    rows: tuple[ImportRow, ...]
    #: every mood word in the file with how many rows use it (Daylio), for the mapping step
    mood_names: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Preview:
    """What an import would do, before it does it."""

    parsed: ParsedFile
    new_rows: tuple[ImportRow, ...]
    duplicates: int  # already in the diary, or twice in the file
    new_tags: tuple[str, ...]

    def describe(self) -> str:
        n = len(self.new_rows)
        text = f"{n} check-in{'s' if n != 1 else ''} to import"
        if self.new_tags:
            k = len(self.new_tags)
            text += f", with {k} new activity tag{'s' if k != 1 else ''}"
        if self.duplicates:
            d = self.duplicates
            text += (
                f"; {d} {'is' if d == 1 else 'are'} already in the diary (same time and mood) "
                "and will be skipped"
            )
        return text + "."


@dataclass(frozen=True)
class MoodImportSummary(ImportSummary):
    def describe(self) -> str:
        n = self.added.get("check-ins", 0)
        text = f"Imported {n} check-in{'s' if n != 1 else ''}"
        tags = self.added.get("tags", 0)
        if tags:
            text += f" and {tags} new tag{'s' if tags != 1 else ''}"
        skipped = self.skipped_existing.get("check-ins", 0)
        if skipped:
            text += (
                f"; {skipped} {'was' if skipped == 1 else 'were'} already in the diary "
                "(same time and mood) and skipped"
            )
        return text + "."


@dataclass(frozen=True)
class ColumnMapping:
    """Generic CSV: field name (see :data:`CSV_FIELDS`) → column index. A date (with or
    without a time column) or a combined date-and-time column, and a mood, are required.
    ``mood_scale`` is the highest mood value in the file (10 for 0–10; 5 for a 1–5 scale,
    which is converted like Daylio's: 1→1, 2→3, 3→5, 4→7, 5→9)."""

    columns: Mapping[str, int]
    mood_scale: int = 10
    tag_separator: str = "|"


# -- reading ---------------------------------------------------------------------------------


def _bad(message: str) -> ImportFileError:
    return ImportFileError(message)


def read_text(data: bytes) -> str:
    """The file as text, or one sentence saying why it cannot be (empty, binary, too big)."""
    if len(data) > MAX_FILE_BYTES:
        raise _bad("The file is larger than 50 MB, which is far more than any diary export.")
    if not data.strip():
        raise _bad("The file is empty.")
    if b"\x00" in data[:65536]:
        raise _bad("This is not a text file; please choose the CSV file the export made.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _bad(
            "The file's text could not be read; please save it as UTF-8 CSV and try again."
        ) from None
    if sum(1 for c in text if not c.isprintable() and c not in "\r\n\t") > len(text) // 100:
        raise _bad("This is not a text file; please choose the CSV file the export made.")
    return text


def read_rows(text: str) -> list[list[str]]:
    """CSV rows (comma, or semicolon when the header uses it); blank lines dropped."""
    # a note can be long (the limit is checked per row, with a clear message): lift the csv
    # module's 128 KiB field limit up to the file limit
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        raise _bad(
            "The file is not valid CSV (a quotation mark is not closed, for example)."
        ) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise _bad("The file is empty.")
    if len(rows) - 1 > MAX_ROWS:
        raise _bad(f"The file has more than {MAX_ROWS:,} rows; please split it.")
    return rows


def _header(row: Sequence[str]) -> tuple[str, ...]:
    return tuple(cell.strip().strip('"').lower() for cell in row)


# -- values ----------------------------------------------------------------------------------


def parse_date(text: str, line: int) -> date:
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise _bad(f"Line {line} has a date that could not be read; dates look like 2024-03-18.")


def parse_time(text: str, line: int) -> time:
    value = " ".join(text.strip().upper().replace(".", "").split())
    if not value:
        return time(12, 0)  # no time given: the middle of the day
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    raise _bad(f"Line {line} has a time that could not be read; times look like 21:05 or 9:05 pm.")


def _daylio_short_date(text: str, year: int, line: int) -> date:
    value = " ".join(text.strip().split())
    for fmt in ("%d %B", "%B %d", "%d %b", "%b %d"):
        try:
            parsed = datetime.strptime(f"{value} 2000", f"{fmt} %Y")
        except ValueError:
            continue
        try:
            return date(year, parsed.month, parsed.day)
        except ValueError:
            break
    raise _bad(f"Line {line} has a date that could not be read.")


def local_moment(day: date, at: time, line: int) -> datetime:
    """That wall-clock time on that date in this computer's zone (aware)."""
    if day.year < EARLIEST.year:
        raise _bad(f"Line {line} is dated before 1900, which cannot be right.")
    try:
        moment = datetime.combine(day, at).astimezone()
    except (OverflowError, OSError, ValueError):
        raise _bad(f"Line {line} has a date outside what a diary can hold.") from None
    offset_minutes(moment)
    return moment


def _note(title: str, body: str, line: int) -> str | None:
    parts = [_BR.sub("\n", p).strip() for p in (title, body)]
    text = "\n\n".join(p for p in parts if p)
    if not text:
        return None
    if len(text) > MAX_NOTE_CHARS:
        raise _bad(
            f"The note on line {line} has {len(text):,} characters; the limit is "
            f"{MAX_NOTE_CHARS:,}. Please shorten it in the file and import again."
        )
    return text


def _tags(text: str, separator: str, line: int) -> tuple[str, ...]:
    out: list[str] = []
    seen: set[str] = set()
    for raw in text.split(separator):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > MAX_NAME_CHARS:
            raise _bad(
                f"An activity on line {line} has a name longer than {MAX_NAME_CHARS} characters."
            )
        key = fold(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return tuple(out)


def _rating(text: str, label: str, line: int, *, required: bool = False) -> int | None:
    value = text.strip()
    if not value:
        if required:
            raise _bad(f"Line {line} has no {label.lower()}.")
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise _bad(f"Line {line} has a {label.lower()} that is not a number.") from None
    if not math.isfinite(number) or number != int(number) or not 0 <= number <= 10:
        raise _bad(f"Line {line}: {label} must be a whole number from 0 to 10.")
    return int(number)


def _check_when(moment: datetime, line: int, now: datetime) -> None:
    if moment.astimezone(UTC) > now + CLOCK_SKEW:
        raise _bad(f"Line {line} is dated in the future ({moment:%d %b %Y}); nothing was imported.")
    if moment.astimezone(UTC) < EARLIEST:
        raise _bad(f"Line {line} is dated before 1900, which cannot be right.")


# -- Daylio ----------------------------------------------------------------------------------


def daylio_mood_names(rows: Sequence[Sequence[str]], mood_column: int) -> dict[str, int]:
    names: Counter[str] = Counter()
    for row in rows:
        if len(row) > mood_column:
            name = " ".join(row[mood_column].split())
            if name:
                names[name] += 1
    return dict(names)


def parse_daylio(
    data: bytes,
    mood_map: Mapping[str, int] | None = None,
    *,
    now: datetime | None = None,
) -> ParsedFile:
    """Daylio's CSV export → rows. ``mood_map``: mood name (any case) → 0–10, on top of the
    defaults. Unknown mood names are refused, listed."""
    now = now or utcnow()
    rows = read_rows(read_text(data))
    header = _header(rows[0])
    if header == DAYLIO_8:
        layout = 8
    elif header == DAYLIO_7:
        layout = 7
    elif len(header) in (7, 8):
        raise _bad(
            "The first line does not have Daylio's English column names; if Daylio was set "
            "to another language, set it to English before exporting, or use “Other CSV” "
            "and choose the columns yourself."
        )
    else:
        raise _bad(
            "This is not a Daylio export: the first line should be "
            f"{','.join(DAYLIO_8)} (or the older {','.join(DAYLIO_7)})."
        )
    body = rows[1:]
    if not body:
        raise _bad("The file has its column names but no check-ins.")
    names = daylio_mood_names(body, 4)
    mapping = {fold(k): v for k, v in DAYLIO_DEFAULT_MOODS.items()}
    for name, value in (mood_map or {}).items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise _bad(f"The mood “{name}” must be mapped to a whole number from 0 to 10.")
        mapping[fold(" ".join(name.split()))] = value
    unknown = sorted(n for n in names if fold(n) not in mapping)
    if unknown:
        shown = ", ".join(f"“{n}”" for n in unknown[:12])
        more = f" and {len(unknown) - 12} more" if len(unknown) > 12 else ""
        raise _bad(
            f"The file uses mood names Companion does not know: {shown}{more}. Give each a "
            "number from 0 to 10 in the import window (the command line knows only rad, "
            "good, meh, bad and awful)."
        )
    out: list[ImportRow] = []
    for index, row in enumerate(body, start=2):
        if len(row) != layout:
            raise _bad(f"Line {index} has {len(row)} columns; a Daylio export has {layout}.")
        if layout == 8:
            day = parse_date(row[0], index)
        else:
            try:
                year = int(row[0].strip())
            except ValueError:
                raise _bad(f"Line {index} has a year that is not a number.") from None
            if not 1900 <= year <= 9999:
                raise _bad(f"Line {index} has a year that cannot be right.")
            day = _daylio_short_date(row[1], year, index)
        moment = local_moment(day, parse_time(row[3], index), index)
        _check_when(moment, index, now)
        source = " ".join(row[4].split())
        if not source:
            raise _bad(f"Line {index} has no mood.")
        note = _note(row[6], row[7], index) if layout == 8 else _note("", row[6], index)
        out.append(
            ImportRow(
                line=index,
                at=moment,
                mood=mapping[fold(source)],
                source_mood=source,
                tags=_tags(row[5], "|", index),
                note=note,
            )
        )
    return ParsedFile("daylio", tuple(out), names)


# -- generic CSV -----------------------------------------------------------------------------


def csv_header(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and up to five sample rows (for the column-mapping window)."""
    rows = read_rows(read_text(data))
    return [c.strip() for c in rows[0]], rows[1:6]


def guess_mapping(header: Sequence[str]) -> dict[str, int]:
    """Columns whose names say what they hold ("Date", "Mood", "Notes"…)."""
    folded = [fold(h.strip()).replace("-", "_") for h in header]
    out: dict[str, int] = {}
    for key, names in _CSV_GUESSES.items():
        for index, name in enumerate(folded):
            if name in names and index not in out.values():
                out[key] = index
                break
    if "datetime" in out and "date" in out:
        del out["datetime"]
    return out


def _scaled_mood(text: str, scale: int, line: int) -> int:
    value = text.strip()
    if not value:
        raise _bad(f"Line {line} has no mood.")
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise _bad(f"Line {line} has a mood that is not a number.") from None
    if not math.isfinite(number) or number != int(number):
        raise _bad(f"Line {line} has a mood that is not a whole number.")
    whole = int(number)
    if scale == 5:
        if not 1 <= whole <= 5:
            raise _bad(f"Line {line}: on a 1–5 scale the mood must be from 1 to 5.")
        return 2 * whole - 1
    if not 0 <= whole <= 10:
        raise _bad(f"Line {line}: the mood must be a whole number from 0 to 10.")
    return whole


def _parse_datetime(text: str, line: int) -> datetime:
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parts = value.replace("T", " ").split(" ", 1)
        if len(parts) != 2:
            raise _bad(f"Line {line} has a date and time that could not be read.") from None
        day = parse_date(parts[0], line)
        return local_moment(day, parse_time(parts[1], line), line)
    if parsed.tzinfo is None:
        return local_moment(parsed.date(), parsed.time().replace(second=0, microsecond=0), line)
    offset_minutes(parsed)
    return parsed


def parse_csv(
    data: bytes,
    mapping: ColumnMapping | None = None,
    *,
    now: datetime | None = None,
) -> ParsedFile:
    """Any CSV with a header. Without a mapping, columns are recognised by their names."""
    now = now or utcnow()
    rows = read_rows(read_text(data))
    header = [c.strip() for c in rows[0]]
    if mapping is None:
        if _header(rows[0]) in (DAYLIO_7, DAYLIO_8):
            raise _bad("This is a Daylio export; please import it as Daylio.")
        mapping = ColumnMapping(guess_mapping(header))
    columns = dict(mapping.columns)
    if mapping.mood_scale not in (5, 10):
        raise _bad("The mood scale must be 0–10 or 1–5.")
    for key, index in columns.items():
        if key not in CSV_FIELDS:
            raise _bad(f"“{key}” is not something a column can be mapped to.")
        if not 0 <= index < len(header):
            raise _bad("A chosen column is not in the file.")
    if len(set(columns.values())) != len(columns):
        raise _bad("Each column can be used for one thing only.")
    if "mood" not in columns:
        raise _bad("Choose which column holds the mood (the file has no column named “mood”).")
    if "date" not in columns and "datetime" not in columns:
        raise _bad("Choose which column holds the date (the file has no column named “date”).")
    body = rows[1:]
    if not body:
        raise _bad("The file has its column names but no check-ins.")

    def cell(row: Sequence[str], key: str) -> str:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else ""

    out: list[ImportRow] = []
    for line, row in enumerate(body, start=2):
        if len(row) > len(header):
            raise _bad(f"Line {line} has more columns than the first line names.")
        if "datetime" in columns:
            moment = _parse_datetime(cell(row, "datetime"), line)
        else:
            day = parse_date(cell(row, "date"), line)
            moment = local_moment(day, parse_time(cell(row, "time"), line), line)
        _check_when(moment, line, now)
        sleep_text = cell(row, "sleep_hours").strip()
        sleep: float | None = None
        if sleep_text:
            try:
                sleep = float(sleep_text.replace(",", "."))
            except ValueError:
                raise _bad(f"Line {line} has hours of sleep that are not a number.") from None
            if not math.isfinite(sleep) or not 0 <= sleep <= 24:
                raise _bad(f"Line {line}: hours of sleep must be from 0 to 24.")
        out.append(
            ImportRow(
                line=line,
                at=moment,
                mood=_scaled_mood(cell(row, "mood"), mapping.mood_scale, line),
                source_mood=cell(row, "mood").strip(),
                anxiety=_rating(cell(row, "anxiety"), "Anxiety", line),
                energy=_rating(cell(row, "energy"), "Energy", line),
                irritability=_rating(cell(row, "irritability"), "Irritability", line),
                sleep_hours=sleep,
                tags=_tags(cell(row, "tags"), mapping.tag_separator or "|", line),
                note=_note("", cell(row, "note"), line),
            )
        )
    return ParsedFile("csv", tuple(out))


# -- preview and write -----------------------------------------------------------------------


def preview(db: Database, parsed: ParsedFile) -> Preview:
    """Which rows are new, which are already in the diary, which tags would be created."""
    service = MoodService(db)
    existing: set[tuple[str, int]] = set()
    if parsed.rows:
        first = min(r.at for r in parsed.rows).date() - timedelta(days=1)
        last = max(r.at for r in parsed.rows).date() + timedelta(days=1)
        for entry in service.entries(start=first, end=last):
            existing.add((entry.local_time.strftime("%Y-%m-%d %H:%M"), entry.mood))
    new_rows: list[ImportRow] = []
    duplicates = 0
    for row in parsed.rows:
        key = row.local_key
        if key in existing:
            duplicates += 1
            continue
        existing.add(key)
        new_rows.append(row)
    with db.sessions() as session:
        known = {fold(name) for name in session.scalars(select(MoodTag.name))}
        if not default_tags_seeded(session):  # they will be seeded before the import writes
            known |= {fold(name) for _kind, name in DEFAULT_TAGS}
    new_tags: list[str] = []
    for row in new_rows:
        for name in row.tags:
            folded = fold(name)
            if folded not in known:
                known.add(folded)
                new_tags.append(name)
    return Preview(parsed, tuple(new_rows), duplicates, tuple(new_tags))


def write(db: Database, plan: Preview) -> MoodImportSummary:
    """Write the new rows and tags in one transaction (one save); nothing on any error."""
    now = utcnow()
    try:
        with db.saves_suspended(), db.session() as session:
            ensure_default_tags(session)
            tag_ids: dict[str, str] = {}
            activity = TagKind.ACTIVITY.value
            for tag_id, name, kind in session.execute(
                select(MoodTag.id, MoodTag.name, MoodTag.kind)
            ):
                if kind == activity or fold(name) not in tag_ids:
                    tag_ids[fold(name)] = tag_id
            position = len(tag_ids)
            new_tag_rows: list[dict[str, Any]] = []
            for name in plan.new_tags:
                key = fold(name)
                if key in tag_ids:
                    continue
                position += 1
                tag_ids[key] = new_id()
                new_tag_rows.append(
                    {
                        "id": tag_ids[key],
                        "name": name,
                        "kind": activity,
                        "archived": False,
                        "position": position,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            if new_tag_rows:
                session.execute(insert(MoodTag), new_tag_rows)
            entries: list[dict[str, Any]] = []
            links: list[dict[str, str]] = []
            for row in plan.new_rows:
                entry_id = new_id()
                entries.append(
                    {
                        "id": entry_id,
                        "occurred_at": row.at.astimezone(UTC),
                        "utc_offset_minutes": offset_minutes(row.at),
                        "mood": row.mood,
                        "anxiety": row.anxiety,
                        "energy": row.energy,
                        "irritability": row.irritability,
                        "sleep_hours": row.sleep_hours,
                        "note": row.note,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for name in row.tags:
                    links.append({"entry_id": entry_id, "tag_id": tag_ids[fold(name)]})
            if entries:
                session.execute(insert(MoodEntry), entries)
            if links:
                unique = {(x["entry_id"], x["tag_id"]): x for x in links}
                session.execute(insert(MoodEntryTag), list(unique.values()))
    except ImportFileError:
        raise
    except Exception as exc:  # a constraint the checks above missed: nothing was written
        raise _bad(
            "The file could not be imported because one of its rows does not fit the diary."
        ) from exc
    return MoodImportSummary(
        added={"check-ins": len(plan.new_rows), "tags": len(new_tag_rows)},
        skipped_existing={"check-ins": plan.duplicates},
    )


def import_bytes(
    db: Database, data: bytes, parse: Callable[[bytes], ParsedFile]
) -> MoodImportSummary:
    return write(db, preview(db, parse(data)))


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _bad("The file is larger than 50 MB, which is far more than any diary export.")
        return path.read_bytes()
    except OSError as exc:
        raise _bad(f"The file could not be read ({exc.strerror or 'unknown error'}).") from None


@importer("daylio", "Daylio CSV export (default moods; other mood names need the app)")
def import_daylio(db: Database, path: Path) -> ImportSummary:
    return import_bytes(db, _read(path), parse_daylio)


@importer("csv", "A CSV file with a header naming its columns (date, time, mood, note…)")
def import_csv(db: Database, path: Path) -> ImportSummary:
    return import_bytes(db, _read(path), parse_csv)
