"""The CSV zip: one file per table, a complete data dictionary, ISO times with offsets, and no
text cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.reports.assemble import assemble
from companion.core.reports.model import Column, Period, Section, Table
from companion.reports.csv_zip import FORMULA_STARTS, neutralise, render_csv_zip
from tests.reports.synthetic import make_diary, summary_of


def _read(data: bytes) -> dict[str, list[dict[str, str]]]:
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8")
                assert text.startswith("\ufeff") and "\r\n" in text
                out[name] = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    return out


def test_one_file_per_table_and_a_dictionary_for_every_column() -> None:
    summary = summary_of(make_diary())
    data = render_csv_zip(summary)
    files = _read(data)
    tables = {f"{t.id}.csv": t for t in summary.tables()}
    assert set(files) == {"data_dictionary.csv", "key_facts.csv", *tables}
    described = {(r["file"], r["column"]) for r in files["data_dictionary.csv"]}
    for name, table in tables.items():
        assert len(files[name]) == len(table.rows)
        for column in table.columns:
            assert (name, column.key) in described
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        readme = archive.read("README.txt").decode("utf-8")
    assert "1 Sep – 29 Nov 2026" in readme and "not a diagnosis" in readme
    assert "notes are not included" in readme


def test_values_are_written_for_machines() -> None:
    diary = make_diary()
    files = _read(render_csv_zip(summary_of(diary)))
    checkins = files["mood_checkins.csv"]
    inside = sorted((c for c in diary.checkins if c.day in diary.period), key=lambda c: c.at)
    assert len(checkins) == len(inside)
    first = checkins[0]
    assert first["time"] == inside[0].at.isoformat(timespec="seconds")
    assert first["time"].endswith(("+01:00", "+02:00"))  # the person's clock and its offset
    assert int(first["mood"]) == inside[0].mood
    assert "note" not in first  # notes stay in the diary unless chosen
    months = files["mood_by_month.csv"]
    assert [m["month"] for m in months] == ["2026-09", "2026-10", "2026-11"]
    medicines = {m["medicine"]: m for m in files["medicines.csv"]}
    sertraline = next(m for m in diary.medicines if m.name == "Sertraline")
    assert sertraline.adherence is not None
    share = sertraline.adherence.taken / sertraline.adherence.expected
    assert abs(float(medicines["Sertraline"]["taken_share"]) - share) < 1e-6
    assert medicines["Propranolol"]["taken_share"] == ""  # nothing due: empty, never 0
    sessions = files["exercise_sessions.csv"]
    assert {s["finished"] for s in sessions} <= {"true", "false"}
    flags = [f for f in files["key_facts.csv"] if f["flagged"] == "true"]
    assert flags and flags[0]["label"].startswith("PHQ-9 question 9")


def test_notes_are_included_only_when_chosen() -> None:
    files = _read(render_csv_zip(summary_of(make_diary(), include_private=True)))
    notes = [r["note"] for r in files["mood_checkins.csv"] if r["note"]]
    assert notes and notes[0] == "Slept badly; the walk helped a bit."
    private = {r["column"] for r in files["data_dictionary.csv"] if r["private"] == "yes"}
    assert {"note", "description"} <= private


def _one_text_table(texts: list[str]) -> bytes:
    table = Table("words", "Words", (Column("text", "Text", "text"),), tuple((t,) for t in texts))
    section = Section("s", "S", 1, detail=(table,))
    made = datetime(2026, 11, 30, 9, tzinfo=UTC)
    return render_csv_zip(assemble(Period(date(2026, 1, 1), date(2026, 1, 2)), made, [section]))


def test_formula_starts_are_neutralised() -> None:
    evil = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "＝1", '=HYPERLINK("x")']
    rows = _read(_one_text_table([*evil, "fine", "a=b", ""]))["words.csv"]
    cells = [r["text"] for r in rows]
    assert cells[: len(evil)] == ["'" + e for e in evil]
    assert cells[len(evil) :] == ["fine", "a=b", ""]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_no_text_cell_ever_starts_a_formula(texts: list[str]) -> None:
    rows = _read(_one_text_table(texts))["words.csv"]
    for written, original in zip((r["text"] for r in rows), texts, strict=True):
        assert not written.startswith(FORMULA_STARTS)
        assert written in (original, neutralise(original))
        if written != original:
            assert written == "'" + original
