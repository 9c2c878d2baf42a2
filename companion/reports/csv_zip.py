"""The summary's tables as CSV files in one zip, with a data dictionary (no Qt).

Layout of the zip::

    README.txt            what this is, the period, when it was made, how values are written
    data_dictionary.csv   every file and column: type, unit, what it means, private or not
    key_facts.csv         the key figures of every section, as worded in the PDF
    <table>.csv           one file per table (every check-in, every answer, doses…)

Values are written for machines: UTF-8 with a byte-order mark (so spreadsheet programs pick
the encoding), comma-separated, CRLF line ends (RFC 4180), the column keys as the header row;
dates ``2026-11-29``, months ``2026-11``, times ISO 8601 on the person's clock with its offset
(``2026-11-28T21:15:00+01:00``), numbers with a dot, shares from 0 to 1, true/false, and an
empty cell for "not recorded". Text cells that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or their full-width forms) get a
leading apostrophe (OWASP "CSV injection"), so a note can never become a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from companion import i18n
from companion.core.reports.model import Cell, Column, Facts, Summary, Table
from companion.core.reports.wording import period_text, time_with_offset
from companion.i18n import N_, _, ngettext

__all__ = ["FORMULA_STARTS", "cell_text", "neutralise", "render_csv_zip"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_BOM = "\ufeff"
_KIND_WORDS = {
    "text": N_("text"),
    "integer": N_("whole number"),
    "number": N_("number (decimal point)"),
    "percent": N_("share from 0 to 1"),
    "date": N_("date (YYYY-MM-DD)"),
    "month": N_("month (YYYY-MM)"),
    "datetime": N_("time (ISO 8601 with UTC offset, the person's clock)"),
    "boolean": N_("true or false"),
}


def neutralise(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cell_text(column: Column, value: Cell) -> str:
    if value is None:
        return ""
    kind = column.kind
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "integer" and isinstance(value, int):
        return str(value)
    if kind in ("number", "percent") and isinstance(value, int | float):
        return _number(value)
    if kind == "datetime" and isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if kind == "month" and isinstance(value, date):
        return f"{value:%Y-%m}"
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    out.write(_BOM)
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in header])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _table_csv(table: Table) -> bytes:
    return _csv(
        [c.key for c in table.columns],
        ([cell_text(c, v) for c, v in zip(table.columns, row, strict=True)] for row in table.rows),
    )


def _dictionary(summary: Summary) -> bytes:
    text, no = i18n._(_KIND_WORDS["text"]), _("no")
    rows = [
        ["key_facts.csv", "section", _("Section"), text, "", _("the summary section"), no],
        ["key_facts.csv", "group", _("Group"), text, "", _("a heading over the figures"), no],
        ["key_facts.csv", "label", _("Label"), text, "", _("what the figure is"), no],
        ["key_facts.csv", "value", _("Value"), text, "", _("the figure as worded in the PDF"), no],
        ["key_facts.csv", "detail", _("Detail"), text, "", _("how it was worked out"), no],
        [
            "key_facts.csv",
            "flagged",
            _("Flagged"),
            i18n._(_KIND_WORDS["boolean"]),
            "",
            _("needs attention"),
            no,
        ],
    ]
    for section in summary.sections:
        for table in section.tables():
            for column in table.columns:
                rows.append(
                    [
                        f"{table.id}.csv",
                        column.key,
                        column.title,
                        i18n._(_KIND_WORDS[column.kind]),
                        column.unit,
                        column.description
                        or _("{section}: {table}").format(section=section.title, table=table.title),
                        _("yes") if column.private else no,
                    ]
                )
    header = ["file", "column", "title", "type", "unit", "meaning", "private"]
    return _csv(header, ([neutralise(v) for v in row] for row in rows))


def _facts(summary: Summary) -> bytes:
    rows = []
    for section in summary.sections:
        for block in section.blocks():
            if isinstance(block, Facts):
                for fact in block.items:
                    rows.append(
                        [
                            neutralise(section.title),
                            neutralise(block.title),
                            neutralise(fact.label),
                            neutralise(fact.value),
                            neutralise(fact.detail),
                            "true" if fact.flag else "false",
                        ]
                    )
    return _csv(["section", "group", "label", "value", "detail", "flagged"], rows)


def _readme(summary: Summary, files: Sequence[str]) -> bytes:
    period = summary.period
    lines = [
        _("{title}, made with Companion").format(title=summary.title),
        "",
        ngettext(
            "Period: {period} ({start} to {end}, {days} day).",
            "Period: {period} ({start} to {end}, {days} days).",
            period.days,
        ).format(
            period=period_text(period.start, period.end),
            start=period.start.isoformat(),
            end=period.end.isoformat(),
            days=period.days,
        ),
        _("Made: {time}.").format(time=time_with_offset(summary.made_at)),
        _(
            "Everything here was recorded by the person in the Companion app. It is "
            "self-reported and is not a diagnosis."
        ),
        _("The person's own notes are included.")
        if summary.includes_private
        else _("The person's own notes are not included."),
        "",
        _("Files: {files}.").format(files=", ".join(files)),
        _("data_dictionary.csv describes every column of every file."),
        "",
        _(
            "How values are written: UTF-8 with a byte-order mark, commas, CRLF line ends; "
            "dates YYYY-MM-DD; times ISO 8601 on the person's clock with its UTC offset; shares "
            "from 0 to 1; true/false; an empty cell means not recorded. Text that begins with "
            "= + - @ (or a tab) has an apostrophe put in front, so spreadsheets never run it "
            "as a formula."
        ),
    ]
    if summary.notices:
        lines += ["", _("Notices:"), *summary.notices]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def render_csv_zip(summary: Summary) -> bytes:
    """The zip's bytes: written in memory, so the caller writes the file privately."""
    tables = list(summary.tables())
    files = ["data_dictionary.csv", "key_facts.csv", *(f"{t.id}.csv" for t in tables)]
    stamp = summary.made_at.replace(tzinfo=None)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)

        add("README.txt", _readme(summary, files))
        add("data_dictionary.csv", _dictionary(summary))
        add("key_facts.csv", _facts(summary))
        for table in tables:
            add(f"{table.id}.csv", _table_csv(table))
    return out.getvalue()
