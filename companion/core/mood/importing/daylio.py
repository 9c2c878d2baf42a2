"""Daylio's CSV export, in every layout and language it has written.

Layouts (comma separated; with or without a header line; UTF-8 with or without a byte-order
mark; LF or CR LF):

======  =====================================================================  ===========
name    columns                                                                 in use
======  =====================================================================  ===========
old     ``year,date,weekday,time,mood,activities,note``                         until ~2018
7       ``full_date,date,weekday,time,mood,activities,note``                    2019–2021
8       ``full_date,date,weekday,time,mood,activities,note_title,note``         2021–2023
9       ``full_date,date,weekday,time,mood,activities,scales,note_title,note``  current
======  =====================================================================  ===========

``full_date`` is ``YYYY-MM-DD``; the old layout's ``date`` is localized (``June 22``,
``22. Juni``, ``7 września``) and read with the month names of
:mod:`companion.core.mood.importing.daylio_names`. ``weekday`` tells the language. Times are 24-hour
or 12-hour (``12:48 AM``, ``6:50 pm``), sometimes both in one file.

Moods: Daylio's five default names in the file's language (and English) map to Companion's
0–10 scale as rad 9, good 7, meh 5, bad 3, awful 1; renamed or extra moods (up to 15 or more)
need a number from the person (``--mood NAME=VALUE``, or the import window).

Activities are ``|``-separated and become activity tags (matched to existing tags by name,
ignoring case and accents). Notes: title and note joined by a blank line, Daylio's HTML turned
into text. Scales (``Sleep Quality: 8/10 points | Sleep Time: 8:00``):

- a sleep time (``H:MM``) becomes the check-in's hours of sleep;
- a sleep quality ``N/M`` becomes sleep quality 1–5 by proportion (0–1 of 10 very poor, 2–3
  poor, 4–6 fair, 7–8 good, 9–10 very good);
- any other ``N/10`` becomes a 0–10 scale tracker of that name, any other ``N/M`` or number a
  number tracker, any other duration a number tracker in hours; a scale that is not a number
  is kept as a tag ``Name: value``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Final

from companion.core.mood.importing.daylio_names import (
    BY_CODE,
    LANGUAGES,
    Language,
    all_languages,
    month_words,
    mood_defaults,
    weekday_languages,
)
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
    join_words,
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
    parse_iso_date,
    parse_number,
    parse_time,
    shorten_name,
    split_names,
)
from companion.core.mood.vocabulary import TrackerKind, anchor
from companion.i18n import N_, _, ngettext

LAYOUTS: Final[dict[str, tuple[str, ...]]] = {
    "old": ("year", "date", "weekday", "time", "mood", "activities", "note"),
    "7": ("full_date", "date", "weekday", "time", "mood", "activities", "note"),
    "8": ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"),
    "9": (
        "full_date",
        "date",
        "weekday",
        "time",
        "mood",
        "activities",
        "scales",
        "note_title",
        "note",
    ),
}
_LAYOUT_BY_HEADER: Final = {v: k for k, v in LAYOUTS.items()}
_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_YEAR = re.compile(r"^\s*\d{4}\s*$")
_MONTH_LANGUAGES: Final[dict[str, set[str]]] = {}
for _lang in LANGUAGES:
    for _word in month_words((_lang,)):
        _MONTH_LANGUAGES.setdefault(_word, set()).add(_lang.code)
#: rows looked at to tell the language
_LANGUAGE_SAMPLE: Final = 2000

_SLEEP_TIME: Final = {
    fold_name(n)
    for n in ("sleep time", "sleep", "hours of sleep", "schlafdauer", "schlafzeit", "schlaf")
}
_SLEEP_QUALITY: Final = {fold_name(n) for n in ("sleep quality", "schlafqualität")}
_SCALE_VALUE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)\s*(\S.*)?$")
_NUMBER_UNIT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*([^\d\s].{0,19})?$")
_DURATION = re.compile(r"^\s*\d{1,3}:\d{2}\s*$")


def sleep_quality_from(value: float, maximum: float) -> int:
    """A 0–max rating as Companion's 1–5 sleep quality, by proportion (half rounds up)."""
    share = min(max(value / maximum, 0.0), 1.0)
    return 1 + math.floor(share * 4 + 0.5)


class DaylioReader(Reader):
    name = "daylio"
    title = N_("Daylio export (CSV)")

    # -- first look ------------------------------------------------------------------------

    def prepare(self, source: Source, options: ImportOptions, monitor: Monitor) -> Prepared:
        encoding = detect_encoding(source, monitor)
        layout: str | None = None
        has_header = False
        names: Counter[str] = Counter()
        weekday_votes: Counter[str] = Counter()
        date_votes: Counter[str] = Counter()
        rows = 0
        for record in records(source, encoding, monitor):
            if layout is None:
                layout, has_header = self._layout(record)
                if has_header:
                    continue
            rows += 1
            cells = record.cells
            if len(cells) > 4:
                name = " ".join(cells[4].split())
                if name and not record.problem:
                    names[name] += 1
            if rows <= _LANGUAGE_SAMPLE and len(cells) > 2:
                for code in weekday_languages(cells[2]):
                    weekday_votes[code] += 1
                for word in re.findall(r"[^\W\d_]+", cells[1]):
                    for code in _MONTH_LANGUAGES.get(fold_name(word), ()):
                        date_votes[code] += 1
        if layout is None:
            raise refuse(_("The file is empty."))
        if not rows:
            raise refuse(_("The file has its column names but no check-ins."))
        language = self._language(weekday_votes, date_votes)
        if language is None or not language.moods:
            known = all_languages()
        else:
            known = (BY_CODE["en"], language)
        notices = []
        if encoding.notice:
            notices.append(encoding.notice)
        if language is not None and not language.moods:
            notices.append(
                _(
                    "This Daylio export is in {language}; Companion does not know Daylio's "
                    "default mood names in {language}, so give each mood a number."
                ).format(language=_(language.name))
            )
        return Prepared(
            source=source,
            encoding=encoding,
            mood_names=dict(names.most_common()),
            mood_defaults=mood_defaults(known),
            record_count=rows,
            notices=tuple(notices),
            details={
                "layout": layout,
                "has_header": has_header,
                "language": language.code if language else None,
                "months": month_words(all_languages()),
            },
        )

    @staticmethod
    def _layout(record: Record) -> tuple[str, bool]:
        key = header_key(record.cells)
        if key in _LAYOUT_BY_HEADER:
            return _LAYOUT_BY_HEADER[key], True
        cells = record.cells
        width = len(cells)
        if cells and _ISO.match(cells[0]) and width in (7, 8, 9):
            return {7: "7", 8: "8", 9: "9"}[width], False
        if cells and _YEAR.match(cells[0]) and width == 7:
            return "old", False
        if width in (7, 8, 9) and any(k in ("mood", "activities", "full_date") for k in key):
            raise refuse(
                _(
                    "The first line names columns Daylio does not write; the file may have "
                    "been changed in a spreadsheet. Use “Other CSV” and choose the columns "
                    "yourself."
                )
            )
        raise refuse(
            _(
                "This is not a Daylio export: its first line should be {columns} (or one of "
                "Daylio's older layouts), or a check-in."
            ).format(columns=",".join(LAYOUTS["9"]))
        )

    @staticmethod
    def _language(weekdays: Counter[str], dates: Counter[str]) -> Language | None:
        votes = Counter({code: 3 * n for code, n in weekdays.items()})  # weekdays decide;
        votes.update(dates)  # month names (shared by several languages) break ties
        if not votes:
            return None
        best = max(votes.values())
        winners = sorted(code for code, n in votes.items() if n == best)
        # prefer a language whose moods are known when two share the top (sábado, domingo…)
        winners.sort(key=lambda code: (not BY_CODE[code].moods, code))
        return BY_CODE[winners[0]]

    # -- words -----------------------------------------------------------------------------

    def _language_of(self, prepared: Prepared) -> Language | None:
        code = prepared.details.get("language")
        return BY_CODE[code] if code else None

    def unknown_moods_sentence(self, prepared: Prepared, unknown: list[str]) -> str:
        language = self._language_of(prepared)
        names = join_words(sorted(unknown))
        how = _("give each a number from 0 to 10 (in the import window, or with --mood NAME=VALUE)")
        if language is not None and not language.moods:
            return _(
                "This Daylio export is in {language}, whose default mood names Companion does "
                "not know yet: {names}; {how}."
            ).format(language=_(language.name), names=names, how=how)
        if language is not None and language.code != "en":
            return _(
                "The file uses mood names that are not Daylio's defaults in {language} or "
                "English: {names}; {how}."
            ).format(language=_(language.name), names=names, how=how)
        return _("The file uses mood names that are not Daylio's defaults: {names}; {how}.").format(
            names=names, how=how
        )

    def describe(self, prepared: Prepared, options: ImportOptions) -> list[str]:
        out = []
        layout = prepared.details.get("layout")
        columns = ",".join(LAYOUTS[str(layout)])
        has_header = prepared.details.get("has_header")
        if has_header:
            out.append(_("Daylio layout {columns} (with its header line).").format(columns=columns))
        else:
            out.append(_("Daylio layout {columns} (without a header).").format(columns=columns))
        language = self._language_of(prepared)
        if language is not None:
            out.append(
                _("Month, weekday and mood names are read as {language}.").format(
                    language=_(language.name)
                )
            )
        chosen = options.folded_moods()
        parts = []
        for name in prepared.mood_names:
            value = self.mood_value(prepared, options, name)
            if value is None:
                continue
            if fold_name(name) in chosen:
                part = _("“{name}” → {value} (your choice)")
            else:
                part = _("“{name}” → {value} (Daylio default)")
            parts.append(part.format(name=name, value=value))
        if parts:
            out.append(
                _(
                    "Moods become Companion's 0–10 mood (0 as low as it gets, 5 neither good "
                    "nor bad, 10 as good as it gets): {moods}."
                ).format(moods="; ".join(parts))
            )
        out.append(
            _(
                "Daylio's five default moods are spread evenly around the middle: rad 9, good "
                "7, meh 5, bad 3, awful 1."
            )
        )
        out.append(
            _(
                "Activities become activity tags (matched to yours by name); note titles and "
                "notes are joined, with Daylio's line breaks and formatting turned into plain "
                "text."
            )
        )
        if layout == "9":
            quality = ", ".join(
                _("{words} {step}").format(words=anchor("sleep_quality", q).lower(), step=q)
                for q in range(1, 6)
            )
            out.append(
                _(
                    "Scales: a sleep time becomes hours of sleep; a sleep quality out of N "
                    "becomes sleep quality 1–5 by proportion ({quality}); other scales out of 10 "
                    "become 0–10 trackers, other numbers number trackers."
                ).format(quality=quality)
            )
        return out

    # -- rows ------------------------------------------------------------------------------

    def rows(
        self, prepared: Prepared, options: ImportOptions, monitor: Monitor
    ) -> Iterator[ImportRow | RowProblem]:
        layout = str(prepared.details["layout"])
        width = len(LAYOUTS[layout])
        skip_header = bool(prepared.details["has_header"])
        months: dict[str, int] = prepared.details["months"]
        moods = {fold_name(k): v for k, v in prepared.mood_defaults.items()}
        moods.update(options.folded_moods())
        for record in records(prepared.source, prepared.encoding, monitor):
            if skip_header:
                skip_header = False
                continue
            if record.problem:
                yield RowProblem(record.line, record.problem, record.end_line)
                continue
            if len(record.cells) != width:
                n = len(record.cells)
                yield RowProblem(
                    record.line,
                    ngettext(
                        "it has {count} field; this Daylio layout has {width} (a comma or "
                        "quotation mark may be missing)",
                        "it has {count} fields; this Daylio layout has {width} (a comma or "
                        "quotation mark may be missing)",
                        n,
                    ).format(count=f"{n:,}", width=width),
                    record.end_line,
                )
                continue
            try:
                yield self._row(record, layout, months, moods, options)
            except BadValue as exc:
                yield RowProblem(record.line, str(exc), record.end_line)

    def _row(
        self,
        record: Record,
        layout: str,
        months: dict[str, int],
        moods: dict[str, int],
        options: ImportOptions,
    ) -> ImportRow:
        cells = record.cells
        day = _old_date(cells[0], cells[1], months) if layout == "old" else parse_iso_date(cells[0])
        moment = local_moment(day, parse_time(cells[3]), options.zone)
        source_mood = " ".join(cells[4].split())
        if not source_mood:
            raise BadValue(_("there is no mood"))
        mood = moods.get(fold_name(source_mood))
        if mood is None:  # only when the person mapped moods after the first look
            raise BadValue(_("the mood “{name}” has no number").format(name=source_mood))
        tags = [_tag(name) for name in split_names(cells[5])]
        values: list[tuple[str, float]] = []
        trackers: list[tuple[TrackerRef, float]] = []
        if layout == "9":
            _scales(cells[6], values, trackers, tags)
        if layout in ("8", "9"):
            title, body = cells[-2], cells[-1]
        else:
            title, body = "", cells[6]
        note = check_note(join_notes(clean_note(title, markup=True), clean_note(body, markup=True)))
        return ImportRow(
            line=record.line,
            at=moment.at,
            mood=mood,
            source_mood=source_mood,
            values=tuple(values),
            tags=tuple(tags),
            trackers=tuple(trackers),
            note=note,
            shift=moment.shift,
        )


def _tag(name: str) -> TagRef:
    short = shorten_name(name)
    return TagRef(short, name if short != name else "")


def _old_date(year_text: str, text: str, months: dict[str, int]) -> date:
    try:
        year = int(year_text.strip())
    except ValueError:
        raise BadValue(_("the year is not a number")) from None
    if not 1900 <= year <= 9999:
        raise BadValue(_("the year cannot be right"))
    words = re.findall(r"[^\W\d_]+", text)
    numbers = re.findall(r"\d+", text)
    month = None
    for word in words:
        month = months.get(fold_name(word))
        if month is not None:
            break
    if month is None or len(numbers) != 1:
        raise BadValue(_("the date could not be read (dates look like “June 22” or “22 June”)"))
    try:
        return date(year, month, int(numbers[0]))
    except ValueError:
        raise BadValue(_("the date does not exist")) from None


def _scales(
    text: str,
    values: list[tuple[str, float]],
    trackers: list[tuple[TrackerRef, float]],
    tags: list[TagRef],
) -> None:
    for part in text.split("|"):
        part = part.replace("\u00a0", " ").strip()
        if not part:
            continue
        name, sep, raw = part.partition(":")
        name = " ".join(name.split())
        raw = raw.strip()
        if not sep or not name or not raw:
            tags.append(_tag(" ".join(part.split())))
            continue
        key = fold_name(name)
        scale = _SCALE_VALUE.match(raw)
        if key in _SLEEP_TIME and _DURATION.match(raw):
            hours = parse_duration_hours(raw)
            if hours > 24:
                raise BadValue(_("the sleep time is more than 24 hours"))
            values.append(("sleep_hours", round(hours, 4)))
        elif key in _SLEEP_QUALITY and scale:
            value, maximum = parse_number(scale.group(1)), parse_number(scale.group(2))
            if maximum <= 0 or not 0 <= value <= maximum:
                raise BadValue(_outside(name, maximum))
            values.append(("sleep_quality", sleep_quality_from(value, maximum)))
        elif scale:
            value, maximum = parse_number(scale.group(1)), parse_number(scale.group(2))
            if maximum <= 0 or not 0 <= value <= maximum:
                raise BadValue(_outside(name, maximum))
            if maximum == 10 and value == int(value):
                trackers.append((TrackerRef(shorten_name(name), TrackerKind.SCALE), value))
            else:
                ref = TrackerRef(shorten_name(name), TrackerKind.NUMBER, None, 0, maximum)
                trackers.append((ref, value))
        elif _DURATION.match(raw):
            hours = parse_duration_hours(raw)
            ref = TrackerRef(shorten_name(name), TrackerKind.NUMBER, "hours", 0, 48)
            if hours > 48:
                raise BadValue(_("“{name}” is more than 48 hours").format(name=name))
            trackers.append((ref, round(hours, 4)))
        else:
            number = _NUMBER_UNIT.match(raw)
            if number is None:
                tags.append(_tag(f"{name}: {' '.join(raw.split())}"))
                continue
            unit = (number.group(2) or "").strip() or None
            ref = TrackerRef(shorten_name(name), TrackerKind.NUMBER, unit)
            trackers.append((ref, parse_number(number.group(1))))


def layout_of(cells: Sequence[str]) -> str | None:
    """The layout a header row names, or None (the generic CSV sends such files here)."""
    return _LAYOUT_BY_HEADER.get(header_key(cells))


def _outside(scale: str, maximum: float) -> str:
    return _("the scale “{name}” is outside 0 to {maximum}").format(
        name=scale, maximum=f"{maximum:g}"
    )
