"""Reading one value of an import row: times, dates, local moments, notes, tag lists.

Each function returns the value or raises :class:`BadValue` with a clause that says what is
wrong (never the text itself); the importer turns it into a line-numbered
:class:`~companion.core.mood.importing.reading.RowProblem`.

Local time
----------
Exports carry wall-clock times without a zone; they are read as this computer's zone on that
date (:func:`local_moment`), so summer and winter times are each right. Two cases are
documented shifts, counted and explained in the preview, never errors:

- **A time that did not exist** (the hour skipped when clocks go forward, e.g. 02:30 on the
  last Sunday of March in Berlin) is moved forward by the gap, to 03:30, as a clock would have.
  A time that happened twice (clocks going back) is read as the first of the two.
- **Historic offsets that are not whole minutes** (e.g. Amsterdam before 1937, +00:19:32):
  Companion stores offsets in whole minutes, so the wall-clock time is kept exactly as written
  and the offset is rounded to the nearest minute (the moment in UTC moves by under 30 s).
"""

from __future__ import annotations

import functools
import html
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final

from companion.core.mood.vocabulary import EARLIEST, MAX_NAME_CHARS, MAX_NOTE_CHARS, fold
from companion.i18n import _, format_number

#: Activities on one row: Daylio users with the most activities pick a few dozen at a time.
MAX_TAGS_PER_ROW: Final = 60


class BadValue(ValueError):
    """One value of a row cannot be read; ``str()`` is a clause for a RowProblem."""


@functools.lru_cache(maxsize=65536)
def fold_name(text: str) -> str:
    """:func:`~companion.core.mood.vocabulary.fold` for names that repeat row after row (tags,
    moods), remembered: folding is the costliest step of reading a big file otherwise."""
    return fold(text)


# -- times -----------------------------------------------------------------------------------

_AMPM = re.compile(
    r"^\s*(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2}))?\s*"
    r"(a\.?\s?m\.?|p\.?\s?m\.?|午前|午後|오전|오후)?\s*$",
    re.IGNORECASE,
)
_PREFIX_AMPM = re.compile(r"^\s*(午前|午後|오전|오후)\s*(\d{1,2}):(\d{2})\s*$")


def parse_time(text: str, *, default: time | None = None) -> time:
    """``23:54``, ``9:05``, ``11:54 pm``, ``12:48 AM``, ``6:50 p.m.``, ``6:50 a. m.``,
    ``18h05``, ``午後6:50``. An empty cell gives ``default`` (refused when there is none)."""
    value = text.strip()
    if not value:
        if default is None:
            raise BadValue(_("there is no time"))
        return default
    return _parse_time(value)


@functools.lru_cache(maxsize=8192)
def _parse_time(text: str) -> time:
    value = text.replace("\u202f", " ").replace("\u00a0", " ")
    prefixed = _PREFIX_AMPM.match(value)
    if prefixed:
        marker, hour_text, minute_text = prefixed.groups()
        second_text = None
    else:
        match = _AMPM.match(value)
        if not match:
            raise BadValue(_("the time could not be read (times look like 21:05 or 9:05 pm)"))
        hour_text, minute_text, second_text, marker = match.groups()
    hour = int(hour_text)
    minute = int(minute_text or 0)
    second = int(second_text or 0)
    if marker:
        m = marker.lower().replace(".", "").replace(" ", "")
        pm = m in ("pm", "午後", "오후")
        if not 1 <= hour <= 12:
            raise BadValue(_("the time could not be read (an am/pm hour runs from 1 to 12)"))
        hour = hour % 12 + (12 if pm else 0)
    elif minute_text is None:
        raise BadValue(_("the time could not be read (times look like 21:05 or 9:05 pm)"))
    if hour > 23 or minute > 59 or second > 59:
        raise BadValue(_("the time could not be read (times look like 21:05 or 9:05 pm)"))
    return time(hour, minute)


def parse_iso_date(text: str) -> date:
    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadValue(_("the date could not be read (dates look like 2024-03-18)")) from None


def parse_duration_hours(text: str) -> float:
    """``7:15`` (hours:minutes) or ``7.25`` / ``7,25`` hours."""
    value = text.strip()
    if ":" in value:
        hours_text, _colon, minutes_text = value.partition(":")
        if not (hours_text.isdigit() and minutes_text.isdigit() and len(minutes_text) == 2):
            raise BadValue(_("the duration could not be read (durations look like 7:15)"))
        minutes = int(minutes_text)
        if minutes > 59:
            raise BadValue(_("the duration could not be read (durations look like 7:15)"))
        return int(hours_text) + minutes / 60
    return parse_number(value)


def parse_number(text: str) -> float:
    value = text.strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise BadValue(_("a number could not be read")) from None
    if not math.isfinite(number):
        raise BadValue(_("a number could not be read"))
    return number


# -- local moments ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Moment:
    at: datetime  # aware, fixed offset in whole minutes
    #: "gap" (moved past a skipped hour), "twice" (an hour that happened twice),
    #: "offset" (a historic offset rounded to the minute), or ""
    shift: str = ""


def _to_zone(utc: datetime, zone: tzinfo | None) -> datetime:
    return utc.astimezone(zone) if zone is not None else utc.astimezone()


def _aware(naive: datetime, zone: tzinfo | None, fold_: int) -> datetime:
    candidate = naive.replace(fold=fold_)
    return candidate.replace(tzinfo=zone) if zone is not None else candidate.astimezone()


#: (zone, day) → the fixed offset of every minute of that day, when they all share one
_DAYS: dict[tuple[tzinfo | None, date], timezone] = {}


def forget_days() -> None:
    """Start each import afresh (this computer's zone may have changed since the last)."""
    _DAYS.clear()


def forget() -> None:
    """Drop everything reading remembered (the days' offsets, folded names, parsed times),
    once an import has written its rows. Those entries were made row after row among the
    rows' own short-lived objects, so each pins a little of the memory the rows used, which
    then cannot go back to the system: about 15 MB after 200,000 rows, held through the save
    (when the image is held twice)."""
    forget_days()
    fold_name.cache_clear()
    _parse_time.cache_clear()


def local_moment(day: date, wall: time, zone: tzinfo | None = None) -> Moment:
    """That wall-clock time on that day in ``zone`` (None: this computer's zone)."""
    if day.year < EARLIEST.year:
        raise BadValue(_("the date is before 1900, which cannot be right"))
    key = (zone, day)
    fixed = _DAYS.get(key)
    if fixed is not None:
        return Moment(datetime.combine(day, wall, fixed))
    moment = _local_moment(day, wall, zone)
    if not moment.shift:
        # a day without a clock change: its first and last minutes share the offset
        edges = [_local_moment(day, t, zone) for t in (time(0, 0), time(23, 59))]
        if all(not e.shift and e.at.utcoffset() == moment.at.utcoffset() for e in edges):
            if len(_DAYS) > 100_000:
                _DAYS.clear()
            _DAYS[key] = moment.at.tzinfo  # type: ignore[assignment]
    return moment


def _local_moment(day: date, wall: time, zone: tzinfo | None) -> Moment:
    naive = datetime.combine(day, wall)
    try:
        results = []
        for fold_ in (0, 1):
            utc = _aware(naive, zone, fold_).astimezone(UTC)
            results.append(_to_zone(utc, zone))
    except (OverflowError, OSError, ValueError):
        raise BadValue(_("the date is outside what a diary can hold")) from None
    exact = [r for r in results if r.replace(tzinfo=None) == naive]
    shift = ""
    if not exact:  # the clocks skipped this time: take the later reading, as a clock would
        chosen = max(results, key=lambda r: r.replace(tzinfo=None))
        shift = "gap"
    else:
        chosen = exact[0]
        if len(exact) == 2 and exact[0].utcoffset() != exact[1].utcoffset():
            shift = "twice"
    offset = chosen.utcoffset() or timedelta(0)
    seconds = offset.total_seconds()
    minutes = math.floor(seconds / 60 + 0.5)
    if seconds != minutes * 60:
        shift = shift or "offset"
    fixed = timezone(timedelta(minutes=minutes))
    return Moment(chosen.replace(tzinfo=None).replace(tzinfo=fixed), shift)


# -- notes -----------------------------------------------------------------------------------

_BREAK = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*(?:p|div|h[1-6]|li)\s*>", re.IGNORECASE)
_ITEM = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(
    r"<\s*/?\s*(?:b|i|u|s|em|strong|strike|del|ins|mark|span|font|small|big|sub|sup|p|div|"
    r"ul|ol|h[1-6]|blockquote|code|pre)\b[^<>]*>",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_note(text: str, *, markup: bool = False) -> str:
    """A note as plain text: CR LF and CR become LF, invisible control characters go.

    ``markup``: the note is Daylio's simple HTML: ``<br>`` and paragraph ends become line
    breaks, list items become "• " lines, formatting tags (bold, italic…) are dropped, and
    entities (``&amp;``, ``&#39;``…) become their characters. Only those tags are touched, so
    text such as "a <3" or "x < y" stays as written.
    """
    value = text.replace("\r\n", "\n").replace("\r", "\n")
    if markup and ("<" in value or "&" in value):
        value = _BREAK.sub("\n", value)
        value = _ITEM.sub("\n• ", value)
        value = _TAG.sub("", value)
        value = html.unescape(value)
    value = _CONTROL.sub("", value.replace("\u00a0", " ") if markup else value)
    lines = [line.rstrip() for line in value.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def check_note(text: str) -> str | None:
    if not text:
        return None
    if len(text) > MAX_NOTE_CHARS:
        raise BadValue(
            _(
                "the note has {count} characters; the limit is {limit} (please shorten it in "
                "the file and import again)"
            ).format(count=format_number(len(text)), limit=format_number(MAX_NOTE_CHARS))
        )
    return text


def join_notes(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


# -- tags ------------------------------------------------------------------------------------


def shorten_name(name: str) -> str:
    """A name cut to Companion's 40 characters at a word boundary, ending with "…"."""
    if len(name) <= MAX_NAME_CHARS:
        return name
    cut = name[: MAX_NAME_CHARS - 1]
    if " " in cut[MAX_NAME_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def split_names(text: str, separator: str = "|") -> list[str]:
    """Names separated by ``separator`` with odd spacing; empty ones and repeats dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in text.split(separator):
        name = " ".join(raw.split())
        if not name:
            continue
        key = fold_name(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    if len(out) > MAX_TAGS_PER_ROW:
        raise BadValue(
            _("it has {count} activities; a check-in can carry at most {limit}").format(
                count=format_number(len(out)), limit=MAX_TAGS_PER_ROW
            )
        )
    return out
