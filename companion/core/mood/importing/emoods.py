"""eMoods backups (``.emoods``): a zip holding ``entry.csv``, one row per day.

Columns (by name, in any order): ``ID, DATE, IRRITABILITY, ANXIETY, DEPRESSED, ELEVATED, SLEEP,
PSYCHOTIC SYMPTOMS, NOTE, THERAPY, MENSTRUAL CYCLE, WEIGHT``. eMoods follows the MGH bipolar
mood chart: each rating is the day's peak, 0 = not recorded, 1–4 = none, mild, moderate,
severe. ``0`` sleep or weight is "not recorded" too. Nothing that was not recorded is turned
into a value.

How each column becomes Companion's data (the preview says the same in words):

- **DEPRESSED → mood** (Companion's mood is 0–10, 5 = neither good nor bad): none 5, mild 3,
  moderate 2, severe 1, so the direction is right (more depressed, lower mood). The person can
  change each number (``--mood mild=4``…). A day without a depression rating has no mood, which
  every check-in needs: it is listed as a row that cannot be read.
- **ELEVATED → "wired or unusually up"** (0–3: not at all, a little, quite a bit, a lot, for
  none, mild, moderate, severe), kept as its own measure, never folded into mood.
- **ANXIETY, IRRITABILITY → anxiety, irritability** (0–10, higher = worse): none 0, mild 3,
  moderate 5, severe 8, the steps of Companion's scale that carry those names.
- **SLEEP → hours of sleep; WEIGHT → a number tracker "Weight"** (eMoods does not say kg or lb).
- **THERAPY 1 → the "Therapy session" activity tag; PSYCHOTIC SYMPTOMS 1, MENSTRUAL CYCLE 1 →
  yes/no trackers** marked yes. eMoods writes 0 both for "no" and for "not answered", so those
  days are left blank rather than recorded as no.
- **NOTE → the note.** Each day becomes one check-in at 12:00 (eMoods keeps no time).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import time
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
    zip_member,
)
from companion.core.mood.importing.values import (
    BadValue,
    check_note,
    clean_note,
    local_moment,
    parse_iso_date,
    parse_number,
)
from companion.core.mood.vocabulary import TrackerKind
from companion.i18n import N_, _

LEVELS: Final = ("none", "mild", "moderate", "severe")
#: DEPRESSED level → Companion's mood, unless the person chooses otherwise.
DEFAULT_MOODS: Final[Mapping[str, int]] = {"none": 5, "mild": 3, "moderate": 2, "severe": 1}
#: none / mild / moderate / severe on Companion's 0–10 intensity scale ("None", "Mild",
#: "Moderate", "Severe" are the names of steps 0, 3, 5 and 8).
INTENSITY: Final = (0, 3, 5, 8)
_COLUMNS: Final = {
    "date": ("date", "date (yyyy-mm-dd)"),
    "depressed": ("depressed", "depression"),
    "elevated": ("elevated", "elevation"),
    "irritability": ("irritability", "irritable"),
    "anxiety": ("anxiety", "anxious"),
    "sleep": ("sleep", "hours of sleep"),
    "psychotic": ("psychotic symptoms", "psychotic"),
    "note": ("note", "notes"),
    "therapy": ("therapy",),
    "menstrual": ("menstrual cycle", "menstrual"),
    "weight": ("weight",),
}
_NOON: Final = time(12, 0)
WEIGHT: Final = TrackerRef("Weight", TrackerKind.NUMBER, None, 0, 1000)
PSYCHOTIC: Final = TrackerRef("Psychotic symptoms", TrackerKind.YES_NO)
MENSTRUAL: Final = TrackerRef("Menstrual period", TrackerKind.YES_NO)
THERAPY_TAG: Final = TagRef("Therapy session")


def _level(text: str, what: str) -> int | None:
    """0 → None (not recorded); 1–4 → 0–3 (none … severe)."""
    value = text.strip()
    if not value:
        return None
    number = parse_number(value)
    if number != int(number) or not 0 <= number <= 4:
        raise BadValue(
            _("{column} must be 0 (not recorded) or 1–4 (none to severe)").format(column=what)
        )
    return None if number == 0 else int(number) - 1


def _flag(text: str, what: str) -> bool:
    value = text.strip()
    if not value:
        return False
    number = parse_number(value)
    if number not in (0, 1):
        raise BadValue(_("{column} must be 0 or 1").format(column=what))
    return number == 1


class EmoodsReader(Reader):
    name = "emoods"
    title = N_("eMoods backup (.emoods)")

    def prepare(self, source: Source, options: ImportOptions, monitor: Monitor) -> Prepared:
        with source.open() as fh:
            magic = fh.read(4)
        if magic.startswith(b"PK"):
            inner = zip_member(source, "entry.csv", what=_("an eMoods backup"))
            encoding = detect_encoding(inner, monitor)
        else:
            inner = source  # an entry.csv taken out of the backup
            encoding = detect_encoding(
                inner,
                monitor,
                expected=_("the .emoods backup eMoods saved, or the entry.csv file inside it"),
            )
        columns: dict[str, int] | None = None
        rows = 0
        used = dict.fromkeys(LEVELS, 0)
        for record in records(inner, encoding, monitor):
            if columns is None:
                columns = self._columns(record)
                continue
            rows += 1
            index = columns["depressed"]
            cell = record.cells[index] if index < len(record.cells) else ""
            try:
                level = _level(cell, "DEPRESSED")
            except BadValue:
                level = None
            if level is not None:
                used[LEVELS[level]] += 1
        if columns is None:
            raise refuse(_("The eMoods file is empty."))
        if not rows:
            raise refuse(_("The eMoods file has its column names but no days."))
        return Prepared(
            source=inner,
            encoding=encoding,
            mood_names=used,
            record_count=rows,
            mood_defaults=dict(DEFAULT_MOODS),
            notices=(encoding.notice,) if encoding.notice else (),
            details={"columns": columns, "width": len(columns)},
        )

    @staticmethod
    def _columns(record: Record) -> dict[str, int]:
        key = header_key(record.cells)
        out: dict[str, int] = {}
        for name, spellings in _COLUMNS.items():
            for index, cell in enumerate(key):
                if cell in spellings or (name == "date" and cell.startswith("date")):
                    out[name] = index
                    break
        if "date" not in out or "depressed" not in out:
            raise refuse(
                _(
                    "This is not an eMoods entry.csv: its first line should name the columns "
                    "ID, DATE, IRRITABILITY, ANXIETY, DEPRESSED, ELEVATED, SLEEP…"
                )
            )
        return out

    def describe(self, prepared: Prepared, options: ImportOptions) -> list[str]:
        moods = {level: self.mood_value(prepared, options, level) for level in LEVELS}
        chosen = options.folded_moods()
        mood_words = ", ".join(
            (
                _("{level} {value} (your choice)") if level in chosen else _("{level} {value}")
            ).format(level=level, value=moods[level])
            for level in LEVELS
        )
        return [
            _(
                "eMoods rates each day's peak from none to severe, with 0 for not recorded; "
                "nothing that was not recorded becomes a value."
            ),
            _(
                "DEPRESSED becomes Companion's mood (0 as low as it gets, 5 neither good nor "
                "bad, 10 as good as it gets), so more depressed means a lower mood: {moods}. A "
                "day without a depression rating cannot become a check-in and is listed below."
            ).format(moods=mood_words),
            _(
                "ELEVATED becomes “wired or unusually up” (0–3), kept apart from mood: none 0 "
                "(not at all), mild 1 (a little), moderate 2 (quite a bit), severe 3 (a lot)."
            ),
            _(
                "ANXIETY and IRRITABILITY become anxiety and irritability (0–10): none 0, mild "
                "3, moderate 5, severe 8."
            ),
            _(
                "SLEEP becomes hours of sleep and WEIGHT a number tracker “Weight” (0 means not "
                "recorded)."
            ),
            _(
                "THERAPY marks the “Therapy session” tag; PSYCHOTIC SYMPTOMS and MENSTRUAL "
                "CYCLE become yes/no trackers marked yes on the days eMoods has 1 (eMoods "
                "writes 0 for both no and not answered, so those days stay blank)."
            ),
            _("Each day becomes one check-in at 12:00, since eMoods keeps no time of day."),
        ]

    def rows(
        self, prepared: Prepared, options: ImportOptions, monitor: Monitor
    ) -> Iterator[ImportRow | RowProblem]:
        columns: dict[str, int] = prepared.details["columns"]
        moods = {level: self.mood_value(prepared, options, level) for level in LEVELS}
        first = True
        for record in records(prepared.source, prepared.encoding, monitor):
            if first:
                first = False
                continue
            if record.problem:
                yield RowProblem(record.line, record.problem, record.end_line)
                continue
            try:
                yield self._row(record, columns, moods, options)
            except BadValue as exc:
                yield RowProblem(record.line, str(exc), record.end_line)

    def _row(
        self,
        record: Record,
        columns: dict[str, int],
        moods: Mapping[str, int | None],
        options: ImportOptions,
    ) -> ImportRow:
        def cell(key: str) -> str:
            index = columns.get(key)
            cells = record.cells
            return cells[index] if index is not None and index < len(cells) else ""

        day = parse_iso_date(cell("date"))
        depressed = _level(cell("depressed"), "DEPRESSED")
        if depressed is None:
            raise BadValue(
                _("the day has no DEPRESSED rating, which Companion needs as the check-in's mood")
            )
        mood = moods[LEVELS[depressed]]
        if mood is None:
            raise BadValue(_("the DEPRESSED rating has no number"))
        moment = local_moment(day, _NOON, options.zone)
        values: list[tuple[str, float]] = []
        trackers: list[tuple[TrackerRef, float]] = []
        tags: list[TagRef] = []
        for key, label in (("anxiety", "ANXIETY"), ("irritability", "IRRITABILITY")):
            level = _level(cell(key), label)
            if level is not None:
                values.append((key, INTENSITY[level]))
        elevated = _level(cell("elevated"), "ELEVATED")
        if elevated is not None:
            values.append(("elevated", elevated))
        sleep_text = cell("sleep").strip()
        if sleep_text:
            sleep = parse_number(sleep_text)
            if not 0 <= sleep <= 24:
                raise BadValue(_("SLEEP must be from 0 to 24 hours"))
            if sleep > 0:
                values.append(("sleep_hours", sleep))
        weight_text = cell("weight").strip()
        if weight_text:
            weight = parse_number(weight_text)
            if not 0 <= weight <= 1000:
                raise BadValue(_("WEIGHT must be from 0 to 1000"))
            if weight > 0:
                trackers.append((WEIGHT, weight))
        if _flag(cell("psychotic"), "PSYCHOTIC SYMPTOMS"):
            trackers.append((PSYCHOTIC, 1.0))
        if _flag(cell("menstrual"), "MENSTRUAL CYCLE"):
            trackers.append((MENSTRUAL, 1.0))
        if _flag(cell("therapy"), "THERAPY"):
            tags.append(THERAPY_TAG)
        return ImportRow(
            line=record.line,
            at=moment.at,
            mood=mood,
            source_mood=_("depressed: {level}").format(level=LEVELS[depressed]),
            values=tuple(values),
            tags=tuple(tags),
            trackers=tuple(trackers),
            note=check_note(clean_note(cell("note"))),
            shift=moment.shift,
        )

    def unknown_moods_sentence(self, prepared: Prepared, unknown: list[str]) -> str:
        return _("Give each eMoods depression level a number from 0 to 10.")
