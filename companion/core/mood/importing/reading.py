"""Reading an import file: bytes to text to CSV records, streamed, with line numbers.

Every importer (Daylio, eMoods, Bearable, any CSV) reads through here, so they all treat bad
input the same way:

- **Never the whole file in memory.** A :class:`Source` is opened again for every pass (find
  the encoding, look at the file, preview, write) and read line by line.
- **Strict text.** UTF-8 (with or without a byte-order mark) is decoded strictly, line by line:
  a line whose bytes are not UTF-8 becomes a bad row that names the line; its text is never
  turned into mojibake and imported. Only a file with no valid UTF-8 at all (an old spreadsheet
  saved as "ANSI") is read in a Windows code page, chosen by which one gives the most plausible
  words, and the preview says so. UTF-16 is read when it starts with a byte-order mark.
- **Bad rows are named, not fatal.** A record that cannot be read becomes a
  :class:`RowProblem` (its first and last line, and why); the caller decides whether the whole
  file is refused or the rest is imported. Problems that make the rest of the file unreadable
  (a binary file, a field of millions of characters) raise
  :class:`~companion.core.errors.ImportFileError` with one sentence.
- **Progress and cancel.** Every pass reports bytes read to a :class:`Monitor`, which raises
  :class:`ImportCancelled` once the person pressed Stop.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from companion.core.errors import ImportFileError
from companion.i18n import N_, _, format_number

#: The largest file (or eMoods ``entry.csv``) an import reads: far beyond any real export.
MAX_FILE_BYTES: Final = 64 * 1024 * 1024
#: Data rows in one file (a check-in every hour for twenty years is 175,000).
MAX_ROWS: Final = 250_000
#: A single CSV field longer than this means a quotation mark that is never closed.
MAX_FIELD_CHARS: Final = 2_000_000
#: A record spread over more physical lines than this is an unclosed quotation mark too
#: (Daylio writes line breaks in notes as ``<br>``).
MAX_RECORD_LINES: Final = 2_000
#: Zip archives (eMoods backups): members looked at, and the most a member may expand by.
MAX_ZIP_MEMBERS: Final = 200
MAX_ZIP_RATIO: Final = 200

_READ_CHUNK: Final = 1024 * 1024
#: csv's field limit is process wide; a note can be long (checked per row, with a sentence)
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))


class ImportCancelled(Exception):
    """The person stopped the import; nothing was written."""


def refuse(message: str) -> ImportFileError:
    return ImportFileError(message)


# -- progress --------------------------------------------------------------------------------


class Monitor:
    """Progress reports and the Stop button, shared by every pass of one import.

    ``on_progress(done, total)`` is called at most about 20 times a second with the bytes read
    so far in the current pass; ``cancel`` (a threading.Event) stops the work at the next row.
    """

    def __init__(
        self,
        on_progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self._on_progress = on_progress
        self._cancel = cancel or threading.Event()
        self._last = 0.0

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise ImportCancelled()

    def progress(self, done: int, total: int, *, force: bool = False) -> None:
        self.check()
        if self._on_progress is None:
            return
        now = time.monotonic()
        if force or now - self._last >= 0.05:
            self._last = now
            self._on_progress(done, total)


# -- the file --------------------------------------------------------------------------------


class Source:
    """The file being imported, opened afresh for each pass (a path, bytes, or a zip member)."""

    def __init__(
        self,
        name: str,
        size: int,
        opener: Callable[[], BinaryIO],
    ) -> None:
        self.name = name
        self.size = size
        self._opener = opener

    @classmethod
    def from_path(cls, path: Path) -> Source:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise _unreadable(exc) from None
        if size > MAX_FILE_BYTES:
            raise _too_large()

        def opener() -> BinaryIO:
            try:
                return path.open("rb")
            except OSError as exc:
                raise _unreadable(exc) from None

        return cls(path.name, size, opener)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "file") -> Source:
        if len(data) > MAX_FILE_BYTES:
            raise _too_large()
        return cls(name, len(data), lambda: io.BytesIO(data))

    def open(self) -> BinaryIO:
        return self._opener()

    def digest(self, monitor: Monitor | None = None) -> bytes:
        """A fingerprint of the bytes, to notice a file that changed between preview and write."""
        h = hashlib.blake2b(digest_size=16)
        done = 0
        with self.open() as fh:
            while chunk := fh.read(_READ_CHUNK):
                h.update(chunk)
                done += len(chunk)
                if monitor is not None:
                    monitor.progress(done, self.size)
        return h.digest()


def _unreadable(exc: OSError, fallback: str = N_("unknown error")) -> ImportFileError:
    return refuse(
        _("The file could not be read ({reason}).").format(reason=exc.strerror or _(fallback))
    )


def _too_large() -> ImportFileError:
    return refuse(
        _("The file is larger than {size} MB, which is far more than any diary export.").format(
            size=MAX_FILE_BYTES // (1024 * 1024)
        )
    )


def zip_member(source: Source, wanted: str, *, what: str) -> Source:
    """The member named ``wanted`` (any folder, any case) of a zip archive, read safely.

    Refuses, with one sentence, archives that are truncated or damaged, encrypted, hold too
    many files, or whose member would expand beyond :data:`MAX_FILE_BYTES` or by more than
    :data:`MAX_ZIP_RATIO` times (a zip bomb). The member is read into memory once (it is at
    most 64 MB): nothing plaintext is written to disk. ``what`` names the export, translated
    ("an eMoods backup").
    """
    too_large = _("The {name} inside the archive is larger than 64 MB.").format(name=wanted)
    try:
        with source.open() as fh, zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise refuse(
                    _("This is not {what}: the archive holds {count} files.").format(
                        what=what, count=format_number(len(infos))
                    )
                )
            matches = [
                i
                for i in infos
                if not i.is_dir()
                and i.filename.replace("\\", "/").rsplit("/", 1)[-1].lower() == wanted.lower()
            ]
            if not matches:
                raise refuse(
                    _("This is not {what}: the archive has no {name} inside.").format(
                        what=what, name=wanted
                    )
                )
            info = matches[0]
            if info.flag_bits & 0x1:
                raise refuse(
                    _("The archive is password-protected, so {name} cannot be read.").format(
                        name=wanted
                    )
                )
            if info.file_size > MAX_FILE_BYTES:
                raise refuse(too_large)
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                raise refuse(
                    _(
                        "The {name} inside the archive expands far too much to be a real export."
                    ).format(name=wanted)
                )
            with archive.open(info) as member:
                data = member.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise refuse(too_large)
    except ImportFileError:
        raise
    except OSError as exc:
        raise _unreadable(exc, N_("damaged archive")) from None
    except Exception:  # zipfile parses untrusted bytes: any failure means a damaged archive
        raise refuse(
            _("This is not {what}, or the archive is damaged or incomplete.").format(what=what)
        ) from None
    return Source.from_bytes(data, wanted)


# -- text encoding ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    codec: str  # a Python codec name
    #: words for the preview when the file is not plain UTF-8, else ""
    notice: str = ""
    #: the line separator, b"\n" (LF or CR LF) or b"\r" (old Macs)
    newline: bytes = b"\n"


UTF8: Final = Encoding("utf-8")
_LEGACY: Final = (
    ("cp1252", N_("Western European")),
    ("cp1250", N_("Central European")),
    ("cp1251", N_("Cyrillic")),
)


def _binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 50)


def _raw_lines(fh: BinaryIO, newline: bytes) -> Iterator[bytes]:
    if newline == b"\n":
        yield from fh
        return
    rest = b""
    while chunk := fh.read(_READ_CHUNK):
        parts = (rest + chunk).split(newline)
        rest = parts.pop()
        for part in parts:
            yield part + newline
    if rest:
        yield rest


def _plausibility(text: str) -> int:
    """How much a decoding looks like words: letters inside words in one script, no symbols
    between letters (``Ïðèâåò`` or ``w³asny`` score low, ``Привет`` and ``własny`` high)."""
    score = 0
    word: list[str] = []

    def end_word() -> None:
        nonlocal score
        if not word:
            return
        non_ascii = [c for c in word if ord(c) > 127]
        if non_ascii:
            scripts = {unicodedata.name(c, "?").split(" ")[0] for c in word if c.isalpha()}
            ascii_letters = len(word) - len(non_ascii)
            if len(scripts) > 1:
                score -= 4 * len(non_ascii)
            elif "LATIN" in scripts and not ascii_letters and len(word) > 2:
                score -= 2 * len(non_ascii)  # a Latin word without one plain letter
            else:
                score += len(non_ascii)
        word.clear()

    previous_alpha = False
    for ch in text:
        if ch.isalpha():
            word.append(ch)
            previous_alpha = True
            continue
        if ord(ch) > 127 and not ch.isspace() and previous_alpha:
            score -= 4  # a symbol stuck to a letter: a letter decoded wrongly
        previous_alpha = False
        end_word()
    end_word()
    return score


def detect_encoding(
    source: Source, monitor: Monitor | None = None, *, expected: str | None = None
) -> Encoding:
    """Find how the file's text is stored (see the module's description). ``expected`` names
    the file to choose instead of one that is not text (by default the export's CSV file)."""
    with source.open() as fh:
        head = fh.read(4096)
    if not head.strip():
        raise refuse(_("The file is empty."))
    if head.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Encoding("utf-16", notice=_("The file is stored as UTF-16 text."))
    if _binary(head):
        if head.count(b"\x00") * 3 > len(head):
            raise refuse(
                _(
                    "The file looks like UTF-16 text without a byte-order mark; please save it "
                    "again as UTF-8 CSV."
                )
            )
        raise refuse(
            _("This is not a text file; please choose {expected}.").format(
                expected=expected or _("the CSV file the export made")
            )
        )
    newline = b"\n" if b"\n" in head or b"\r" not in head else b"\r"
    invalid: list[bytes] = []
    done = 0
    with source.open() as fh:
        for raw in _raw_lines(fh, newline):
            done += len(raw)
            if monitor is not None:
                monitor.progress(done, source.size)
            if raw.isascii():
                continue
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                if len(invalid) < 2000:
                    invalid.append(raw)
                continue
            # valid UTF-8 with letters beyond ASCII: the file is UTF-8; bad lines are bad rows
            return Encoding("utf-8", newline=newline)
    if not invalid:
        return Encoding("utf-8", newline=newline)
    best: tuple[int, str, str] | None = None
    sample = b"".join(invalid)
    for codec, words in _LEGACY:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, codec, words)
    if best is None:
        raise refuse(
            _(
                "The file's text is not UTF-8 and could not be read in any other encoding; "
                "please save it as UTF-8 CSV and try again."
            )
        )
    _score, codec, words = best
    return Encoding(
        codec,
        notice=_(
            "The file is not UTF-8 text; it was read as Windows {script} text ({codec}). "
            "Check that accented letters look right below."
        ).format(script=_(words), codec=codec),
        newline=newline,
    )


# -- lines and records -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A record that cannot be imported: where it is and why (never what it says)."""

    line: int
    reason: str  # a clause: "the time could not be read (times look like 21:05)"
    end_line: int = 0

    def where(self) -> str:
        """ "Line 12" or "Lines 12–14"."""
        if self.end_line > self.line:
            return _("Lines {first}–{last}").format(first=self.line, last=self.end_line)
        return _("Line {line}").format(line=self.line)

    def sentence(self) -> str:
        return _("{where}: {reason}.").format(where=self.where(), reason=self.reason)


@dataclass(frozen=True, slots=True)
class Record:
    line: int  # first physical line of the record (1-based)
    end_line: int
    cells: list[str]
    #: why the record's text cannot be trusted (bytes that are not text), else ""
    problem: str = ""


class _Lines:
    """Decoded physical lines with their numbers; remembers which lines failed to decode."""

    def __init__(self, source: Source, encoding: Encoding, monitor: Monitor | None) -> None:
        self.source = source
        self.encoding = encoding
        self.monitor = monitor
        self.number = 0
        self.bad: set[int] = set()
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        if self.encoding.codec == "utf-16":
            yield from self._utf16()
            return
        codec = self.encoding.codec
        with self.source.open() as fh:
            for raw in _raw_lines(fh, self.encoding.newline):
                self.number += 1
                self.read += len(raw)
                if self.monitor is not None:
                    self.monitor.progress(self.read, self.source.size)
                if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                try:
                    text = raw.decode("utf-8" if codec == "utf-8-sig" else codec)
                except UnicodeDecodeError:
                    self.bad.add(self.number)
                    text = raw.decode("utf-8", errors="replace")
                yield text

    def _utf16(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-16")(errors="strict")
        pending = ""
        with self.source.open() as fh:
            while True:
                chunk = fh.read(_READ_CHUNK)
                self.read += len(chunk)
                if self.monitor is not None:
                    self.monitor.progress(self.read, self.source.size)
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError:
                    number = self.number + pending.count(chr(10)) + 1
                    raise refuse(
                        _("Line {line} is not valid UTF-16 text; the file may be damaged.").format(
                            line=number
                        )
                    ) from None
                pending += text
                *lines, pending = pending.split("\n")
                for line in lines:
                    self.number += 1
                    yield line + "\n"
                if not chunk:
                    break
        if pending:
            self.number += 1
            yield pending


def sniff_delimiter(first_line: str) -> str:
    """Comma, semicolon (spreadsheets in many European languages) or tab."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def records(
    source: Source,
    encoding: Encoding,
    monitor: Monitor | None = None,
    *,
    delimiter: str = ",",
) -> Iterator[Record]:
    """Every non-blank CSV record with its line numbers (streamed)."""
    lines = _Lines(source, encoding, monitor)
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=False)
    previous = 0
    count = 0
    try:
        for cells in reader:
            first, last = previous + 1, reader.line_num
            previous = last
            if last - first >= MAX_RECORD_LINES:
                raise refuse(
                    _(
                        "Line {line} starts a quoted text that is never closed (it runs over "
                        "{count} lines); the file cannot be read past it."
                    ).format(line=first, count=format_number(last - first + 1))
                )
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS + 1:
                raise refuse(
                    _("The file has more than {count} rows; please split it.").format(
                        count=format_number(MAX_ROWS)
                    )
                )
            problem = ""
            if lines.bad and any(n in lines.bad for n in range(first, last + 1)):
                problem = _(
                    "the text has bytes that are not UTF-8 (the rest of the file is UTF-8, so "
                    "this line is damaged)"
                )
            yield Record(first, last, cells, problem)
    except csv.Error:
        line = reader.line_num
        raise refuse(
            _(
                "Line {line} has a field longer than {count} characters; a quotation mark is "
                "probably never closed, and the file cannot be read past it."
            ).format(line=line, count=format_number(MAX_FIELD_CHARS))
        ) from None


def header_key(cells: Sequence[str]) -> tuple[str, ...]:
    """A header row in a comparable form: trimmed, lower case, no quotes or BOM."""
    return tuple(c.strip().strip("\ufeff").strip().strip('"').strip().lower() for c in cells)


def first_line(source: Source, encoding: Encoding) -> str:
    for line in _Lines(source, encoding, None):
        if line.strip():
            return line
    return ""


def join_words(items: Iterable[str], limit: int = 12) -> str:
    """“a”, “b” and 3 more."""
    listed = list(items)
    shown = ", ".join(_("“{name}”").format(name=x) for x in listed[:limit])
    if len(listed) > limit:
        return _("{names} and {count} more").format(
            names=shown, count=format_number(len(listed) - limit)
        )
    return shown
