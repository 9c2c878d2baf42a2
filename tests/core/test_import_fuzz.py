"""Property-based bad input for every importer: random bytes, damaged and truncated zips, zip
bombs, huge fields, structured rows with random values, formula text. Every outcome is either a
preview or one sentence, and a refused import leaves the diary byte-identical."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core import portable
from companion.core.errors import ImportFileError
from companion.core.import_engine import Preview, write
from companion.core.mood import MoodService
from tests.core.import_helpers import CORPUS, look
from tests.core.mood_helpers import fresh_db

FORMATS = ("daylio", "emoods", "bearable", "csv")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(fmt: str, data: bytes, **kw: object) -> Preview | None:
    db = fresh_db()
    try:
        before = db.serialize()
        try:
            plan = look(db, fmt, data, **kw)
        except ImportFileError as exc:
            message = str(exc)
            assert message and "\n" not in message and len(message) < 600
            assert db.serialize() == before
            return None
        for problem in plan.problems:
            sentence = problem.sentence()
            assert sentence.startswith("Line") and "\n" not in sentence
        for row in plan.sample:
            assert 0 <= row.mood <= 10
        try:
            summary = write(db, plan)
        except ImportFileError as exc:
            assert "\n" not in str(exc)
            assert db.serialize() == before
        else:
            assert MoodService(db).count_entries() == summary.added["check-ins"]
        return plan
    finally:
        db.close()


@FUZZ
@given(st.sampled_from(FORMATS), st.binary(max_size=600))
def test_random_bytes_give_a_preview_or_one_sentence(fmt: str, data: bytes) -> None:
    _outcome(fmt, data, mood_map={"x": 5})


_cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF), max_size=14
)


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["rad", "good", "meh", "bad", "awful", "Gut", "lausig", "??"]),
            st.dates(min_value=date(1890, 1, 1), max_value=date(2110, 1, 1)),
            st.sampled_from(["21:05", "9:05 pm", "12:48 AM", "25:00", "", "02:30", "x"]),
            st.lists(_cell, max_size=4),
            _cell,
            _cell,
        ),
        min_size=1,
        max_size=10,
    ),
    st.booleans(),
)
def test_daylio_like_rows_import_all_or_nothing(rows: list[tuple[object, ...]], skip: bool) -> None:
    lines = ["full_date,date,weekday,time,mood,activities,scales,note_title,note"]
    for mood, day, when, tags, scale, note in rows:
        quoted = " | ".join(str(t).replace('"', '""') for t in tags)  # type: ignore[attr-defined]
        esc = [str(x).replace('"', '""') for x in (scale, note)]
        lines.append(f'{day},x,x,{when},{mood},"{quoted}","{esc[0]}","","{esc[1]}"')
    _outcome("daylio", ("\n".join(lines) + "\n").encode(), skip_bad_rows=skip, mood_map={"??": 4})


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


BACKUP = (CORPUS / "emoods_backup.emoods").read_bytes()


@FUZZ
@given(st.integers(0, len(BACKUP)))
def test_truncated_emoods_backups(cut: int) -> None:
    _outcome("emoods", BACKUP[:cut], skip_bad_rows=True)


@FUZZ
@given(st.integers(0, len(BACKUP) - 1), st.integers(0, 255))
def test_damaged_emoods_backups(at: int, value: int) -> None:
    data = bytearray(BACKUP)
    data[at] = value
    _outcome("emoods", bytes(data), skip_bad_rows=True)


def test_an_emoods_zip_bomb_is_refused_before_it_expands() -> None:
    bomb = _zip_bytes({"entry.csv": b"ID,DATE,DEPRESSED\n" + b"\0" * 60_000_000})
    assert len(bomb) < 200_000
    db = fresh_db()
    try:
        with pytest.raises(ImportFileError, match="expands far too much"):
            look(db, "emoods", bomb)
    finally:
        db.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FORMATS), st.integers(20_000, 3_000_000))
def test_huge_fields(fmt: str, size: int) -> None:
    big = "x" * size
    data = {
        "daylio": f"full_date,date,weekday,time,mood,activities,note_title,note\n"
        f'2025-01-01,x,x,10:00,good,"","","{big}"\n',
        "emoods": f'ID,DATE,DEPRESSED,NOTE\n1,2025-01-01,2,"{big}"\n',
        "bearable": '"date","weekday","time of day","category","rating/amount","detail","notes"\n'
        f'"1st Jan 2025","Wednesday","am","Mood","5","","{big}"\n',
        "csv": f"date,mood,note\n2025-01-01,5,{big}\n",
    }[fmt]
    _outcome(fmt, data.encode())


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("x")', "\t=1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_text_is_kept_as_text_and_exported_as_text(formula: str) -> None:
    db = fresh_db()
    try:
        quoted = formula.replace('"', '""')
        data = (
            "full_date,date,weekday,time,mood,activities,note_title,note\n"
            f'2025-01-01,x,x,10:00,good,"{quoted}","","{quoted}"\n'
        ).encode()
        write(db, look(db, "daylio", data))
        (entry,) = MoodService(db).entries()
        assert entry.note == formula.strip()
        document = portable.export_document(db, include_notes=True)
        text = portable.dumps(document)
        notes = [r["note"] for r in json.loads(text)["tables"]["mood_entries"]]
        assert notes == [formula.strip()]
        names = {r["name"] for r in json.loads(text)["tables"]["tags"]}
        assert {part.strip() for part in formula.split("|")} <= names  # "|" separates
    finally:
        db.close()
