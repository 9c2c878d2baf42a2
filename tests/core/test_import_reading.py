"""Reading import files: encodings, line numbers, broken quoting, zip archives, local time."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.core.errors import ImportFileError
from companion.core.import_reading import (
    MAX_RECORD_LINES,
    ImportCancelled,
    Monitor,
    Source,
    detect_encoding,
    records,
    zip_member,
)
from companion.core.import_values import (
    BadValue,
    clean_note,
    local_moment,
    parse_time,
    shorten_name,
    split_names,
)


def src(data: bytes) -> Source:
    return Source.from_bytes(data, "x.csv")


# -- encodings -----------------------------------------------------------------------------------


def test_utf8_with_and_without_bom_and_utf16_with_bom() -> None:
    text = "a,b\nCafé,naïve\n"
    assert detect_encoding(src(text.encode())).codec == "utf-8"
    assert detect_encoding(src(b"\xef\xbb\xbf" + text.encode())).codec == "utf-8-sig"
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        data = text.encode(codec)
        if codec != "utf-16":
            bom = "\ufeff".encode(codec)
            data = bom + data
        encoding = detect_encoding(src(data))
        assert encoding.codec == "utf-16"
        assert [r.cells for r in records(src(data), encoding)] == [["a", "b"], ["Café", "naïve"]]


def test_one_invalid_byte_in_a_utf8_file_is_a_bad_line_never_mojibake() -> None:
    data = "h1,h2\nCafé,1\n".encode() + b"caf\xe9,2\n" + "Über,3\n".encode()
    encoding = detect_encoding(src(data))
    assert encoding.codec == "utf-8" and not encoding.notice
    rows = list(records(src(data), encoding))
    assert [r.problem == "" for r in rows] == [True, True, False, True]
    assert rows[2].line == 3 and "not UTF-8" in rows[2].problem
    assert rows[3].cells == ["Über", "3"]


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("date,note\n2024-01-01,Journée agréable à la forêt, été précoce\n", "cp1252"),
        ("date,note\n2024-01-01,Zażółć gęślą jaźń, własny dzień źle\n", "cp1250"),
        ("date,note\n2024-01-01,Привет, как дела сегодня хорошо\n", "cp1251"),
    ],
)
def test_files_with_no_utf8_at_all_are_read_in_the_likeliest_code_page(
    text: str, codec: str
) -> None:
    data = text.encode(codec)
    encoding = detect_encoding(src(data))
    assert encoding.codec == codec
    assert codec in encoding.notice
    rows = list(records(src(data), encoding))
    assert rows[1].cells[1] == text.split("\n")[1].split(",", 1)[1].split(",")[0]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ("a,b\n".encode("utf-16-le"), "UTF-16"),
    ],
)
def test_files_that_are_not_text(data: bytes, words: str) -> None:
    with pytest.raises(ImportFileError, match=words):
        detect_encoding(src(data))


def test_old_mac_line_endings_keep_line_numbers() -> None:
    data = b'a,b\r1,2\r3,"x\ry"\r5,6\r'
    encoding = detect_encoding(src(data))
    rows = list(records(src(data), encoding))
    assert [(r.line, r.end_line) for r in rows] == [(1, 1), (2, 2), (3, 4), (5, 5)]


# -- records ---------------------------------------------------------------------------------------


def test_line_numbers_follow_multi_line_fields_and_blank_lines() -> None:
    data = b'a,b\n\n1,"two\nlines"\n\n3,4\n'
    rows = list(records(src(data), detect_encoding(src(data))))
    assert [(r.line, r.end_line, r.cells) for r in rows] == [
        (1, 1, ["a", "b"]),
        (3, 4, ["1", "two\nlines"]),
        (6, 6, ["3", "4"]),
    ]


def test_a_quote_never_closed_is_refused_with_its_line() -> None:
    data = b'a,b\n1,2\n3,"open\n' + b"x,y\n" * (MAX_RECORD_LINES + 10)
    with pytest.raises(ImportFileError, match="Line 3 starts a quoted text"):
        list(records(src(data), detect_encoding(src(data))))


def test_a_huge_field_is_refused_with_its_line() -> None:
    data = b'a,b\n1,"' + b"x" * 2_100_000 + b'"\n'
    with pytest.raises(ImportFileError, match="Line 2 has a field longer"):
        list(records(src(data), detect_encoding(src(data))))


def test_stop_raises_at_the_next_row() -> None:
    data = b"a,b\n" + b"1,2\n" * 1000
    cancel = threading.Event()
    monitor = Monitor(None, cancel)
    reader = records(src(data), detect_encoding(src(data)), monitor)
    next(reader)
    cancel.set()
    with pytest.raises(ImportCancelled):
        list(reader)


def test_progress_is_reported_to_the_end() -> None:
    data = b"a,b\n" + b"1,2\n" * 1000
    seen: list[tuple[int, int]] = []
    monitor = Monitor(lambda d, t: seen.append((d, t)))
    monitor.progress(0, 1, force=True)
    source = src(data)
    list(records(source, detect_encoding(source), monitor))
    monitor.progress(source.size, source.size, force=True)
    assert seen[-1] == (len(data), len(data))


# -- zip archives ------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_zip_member_found_in_any_folder_and_any_case() -> None:
    data = _zip({"backup/ENTRY.CSV": b"a,b\n1,2\n", "other.txt": b"x"})
    inner = zip_member(src(data), "entry.csv", what="an eMoods backup")
    with inner.open() as fh:
        assert fh.read() == b"a,b\n1,2\n"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_zip({"entry.csv": b"a,b\n" * 100})[:60], "damaged or incomplete"),
        (_zip({"notes.txt": b"x"}), "no entry.csv"),
        (_zip({"entry.csv": b"\0" * 5_000_000}), "expands far too much"),
        (_zip({f"f{i}.txt": b"x" for i in range(300)}), "300 files"),
        (b"PK\x03\x04" + b"\0" * 40, "damaged or incomplete"),
    ],
)
def test_broken_archives_and_zip_bombs_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(ImportFileError, match=words):
        zip_member(src(data), "entry.csv", what="an eMoods backup")


# -- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["25:61", "13:00 pm", "0:00 am", "noon", "9", "1:2", ""])
def test_times_that_cannot_be_read(text: str) -> None:
    with pytest.raises(BadValue):
        parse_time(text)


def test_a_time_the_clocks_skipped_moves_forward_and_is_flagged() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    gap = local_moment(date(2024, 3, 31), time(2, 30), berlin)
    assert gap.shift == "gap"
    assert (gap.at.hour, gap.at.minute) == (3, 30)
    assert gap.at.utcoffset() == timedelta(hours=2)
    twice = local_moment(date(2024, 10, 27), time(2, 30), berlin)
    assert twice.shift == "twice" and twice.at.utcoffset() == timedelta(hours=2)
    normal = local_moment(date(2024, 7, 1), time(2, 30), berlin)
    assert normal.shift == "" and normal.at.hour == 2


def test_historic_offsets_keep_the_wall_clock_and_round_the_zone() -> None:
    old = local_moment(date(1930, 5, 1), time(12, 0), ZoneInfo("Europe/Amsterdam"))
    assert old.shift == "offset"
    assert (old.at.hour, old.at.minute) == (12, 0)
    assert old.at.utcoffset() == timedelta(minutes=20)  # +00:19:32 rounded
    monrovia = local_moment(date(1960, 5, 1), time(9, 0), ZoneInfo("Africa/Monrovia"))
    assert monrovia.at.hour == 9 and monrovia.at.utcoffset() == timedelta(minutes=-44)


def test_dates_before_1900_are_refused() -> None:
    with pytest.raises(BadValue, match="1900"):
        local_moment(date(1899, 12, 31), time(12, 0))


def test_notes_keep_text_that_only_looks_like_markup() -> None:
    assert clean_note("a <3 b < c > d", markup=True) == "a <3 b < c > d"
    assert clean_note("x\r\ny\rz\x00\x07") == "x\ny\nz"
    assert clean_note("=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"


def test_names_are_shortened_at_a_word_and_activity_lists_are_capped() -> None:
    assert shorten_name("short") == "short"
    long = "a name that goes on and on well past forty characters"
    assert len(shorten_name(long)) <= 40 and shorten_name(long).endswith("…")
    with pytest.raises(BadValue, match="at most 60"):
        split_names(" | ".join(f"n{i}" for i in range(61)))
