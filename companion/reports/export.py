"""Making an export: the chosen sections of the diary as a PDF summary, a CSV zip, FHIR, or
the whole diary as Companion's JSON. The one path the Reports page and ``companion export``
both take.

The work is split so the page can run it off the GUI thread on a read snapshot and show it
going: :func:`build_summary` asks each chosen section (``Registry.export_sections``) to build
itself, then :func:`render` turns the summary (or the records, for FHIR) into bytes. Both call
``progress(done, total, words)`` as they go and ``check()`` between steps, which raises
:class:`ExportCancelled` when the person pressed Cancel. Nothing is written here but through
:func:`write_export`, the private-write helper: 0600, a random temporary name, never a
half-written file, and never over an existing file unless the person said to replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from companion import i18n
from companion.core.errors import ValidationError
from companion.core.reports.assemble import assemble
from companion.core.reports.model import Period, Section, Summary
from companion.core.reports.records import CheckupRecord, MedicineRecord, MoodCheckin
from companion.i18n import _
from companion.storage.atomic import write_new, write_private
from companion.storage.database import Database

if TYPE_CHECKING:
    from companion.core.extension_points import ExportSection, Registry

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ExportCancelled",
    "ExportRequest",
    "Rendered",
    "build_summary",
    "default_sections",
    "make_export",
    "render",
    "write_export",
]

Format = Literal["pdf", "csv", "json", "fhir"]
FORMATS: Final[tuple[Format, ...]] = ("pdf", "csv", "json", "fhir")
#: the file name ending each format gets
SUFFIXES: Final = {"pdf": ".pdf", "csv": ".zip", "json": ".json", "fhir": ".json"}
Progress = Callable[[int, int, str], None]
Check = Callable[[], None]


class ExportCancelled(Exception):
    """The person cancelled the export; nothing was written."""


@dataclass(frozen=True)
class ExportRequest:
    """What the person chose. ``period`` is None only for the whole diary as JSON;
    ``sections`` are ids of registered export sections (JSON takes everything)."""

    format: Format
    period: Period | None
    sections: tuple[str, ...] = ()
    include_notes: bool = False
    paper: Literal["a4", "letter"] = "a4"
    password: str | None = None
    subject: str = ""
    #: the diary's key for the FHIR pseudonym (``ReportsService.pseudonym_key``)
    pseudonym_key: str = ""

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown export format {self.format!r}")
        if self.period is None and self.format != "json":
            raise ValueError("only the JSON export can cover the whole diary without a period")
        if self.password is not None and self.format != "pdf":
            raise ValueError("only a PDF can be protected with a password")


@dataclass(frozen=True)
class Rendered:
    """An export made in memory: its bytes, and for a PDF its summary and page count."""

    data: bytes
    summary: Summary | None = None
    pages: int | None = None


def _quiet(_done: int, _total: int, _words: str) -> None:
    return None


def _go_on() -> None:
    return None


def _registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from companion import features

    return features.load()


def default_sections(registry: Registry | None = None) -> tuple[str, ...]:
    """The sections ticked when the Reports page opens (and ``companion export`` uses)."""
    return tuple(s.id for s in _registry(registry).export_sections() if s.default)


def _chosen(request: ExportRequest, registry: Registry) -> list[ExportSection]:
    known = {s.id: s for s in registry.export_sections()}
    unknown = [s for s in request.sections if s not in known]
    if unknown:
        raise ValidationError(
            _("There is no section called “{name}”; choose from: {names}.").format(
                name=unknown[0], names=", ".join(known)
            )
        )
    wanted = [known[s] for s in known if s in request.sections]
    if not request.include_notes:
        wanted = [s for s in wanted if not s.private_text]
    return wanted


def build_summary(
    db: Database,
    request: ExportRequest,
    now: datetime,
    *,
    registry: Registry | None = None,
    progress: Progress = _quiet,
    check: Check = _go_on,
) -> Summary:
    """The summary of the chosen sections over the period, made at ``now`` (aware)."""
    if request.period is None:
        raise ValueError("a summary needs a period")
    sections = _chosen(request, _registry(registry))
    built: list[Section] = []
    for number, declared in enumerate(sections):
        check()
        progress(number, len(sections) + 1, i18n._(declared.title))
        built.append(declared.build(db, request.period, now))
    check()
    return assemble(
        request.period,
        now,
        built,
        include_private=request.include_notes,
        subject=request.subject,
    )


def _fhir(
    db: Database,
    request: ExportRequest,
    now: datetime,
    registry: Registry,
    progress: Progress,
    check: Check,
) -> bytes:
    from companion.reports.fhir import fhir_bundle, render_fhir_json

    assert request.period is not None
    if not request.pseudonym_key:
        raise ValueError("a FHIR export needs the diary's pseudonym key")
    records: list[object] = []
    sections = [s for s in _chosen(request, registry) if s.records is not None]
    for number, declared in enumerate(sections):
        check()
        progress(number, len(sections) + 1, i18n._(declared.title))
        assert declared.records is not None
        records += declared.records(db, request.period, now, request.include_notes)
    check()
    progress(len(sections), len(sections) + 1, _("Writing the FHIR bundle"))
    bundle = fhir_bundle(
        made_at=now,
        patient_key=request.pseudonym_key,
        checkups=[r for r in records if isinstance(r, CheckupRecord)],
        checkins=[r for r in records if isinstance(r, MoodCheckin)],
        medicines=[r for r in records if isinstance(r, MedicineRecord)],
        period=request.period,
    )
    return render_fhir_json(bundle)


def _json(db: Database, request: ExportRequest, now: datetime, progress: Progress) -> bytes:
    from companion.core import portable

    progress(0, 1, _("Reading the whole diary"))
    period = request.period
    document = portable.export_document(
        db,
        include_notes=request.include_notes,
        start=period.start if period else None,
        end=period.end if period else None,
        now=now,
    )
    return portable.dumps(document).encode("utf-8")


def render(
    db: Database,
    request: ExportRequest,
    now: datetime,
    *,
    registry: Registry | None = None,
    progress: Progress = _quiet,
    check: Check = _go_on,
) -> Rendered:
    """The export's bytes (in memory: an unprotected PDF never touches the disk)."""
    points = _registry(registry)
    if request.format == "json":
        return Rendered(_json(db, request, now, progress))
    if request.format == "fhir":
        return Rendered(_fhir(db, request, now, points, progress, check))
    summary = build_summary(db, request, now, registry=points, progress=progress, check=check)
    total = len(request.sections) + 1
    if request.format == "csv":
        from companion.reports.csv_zip import render_csv_zip

        progress(total - 1, total, _("Writing the tables"))
        return Rendered(render_csv_zip(summary), summary)
    from companion.reports.summary_pdf import SummaryDocument

    progress(total - 1, total, _("Drawing the pages"))
    document = SummaryDocument(summary, paper=request.paper, check=check)
    data = document.pdf_bytes()
    if request.password:
        from companion.reports.protect import protect_pdf

        check()
        data = protect_pdf(data, request.password)
    return Rendered(data, summary, document.page_count)


def write_export(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """Write an export privately. ``FileExistsError`` when a file of that name is there and
    the person did not say to replace it; ``OSError`` when the folder cannot be written.
    Either way nothing was changed."""
    path = Path(path)
    if replace:
        write_private(path, data)
    else:
        write_new(path, data)
    return path


def make_export(
    db: Database,
    request: ExportRequest,
    now: datetime,
    path: Path,
    *,
    replace: bool = False,
    registry: Registry | None = None,
    progress: Progress = _quiet,
    check: Check = _go_on,
) -> Rendered:
    """Render and write in one go (the command line; the page does the same on a worker)."""
    made = render(db, request, now, registry=registry, progress=progress, check=check)
    check()
    write_export(path, made.data, replace=replace)
    return made


def section_titles(ids: Sequence[str], registry: Registry | None = None) -> list[str]:
    """The sections' titles as people read them, in the summary's order."""
    known = {s.id: s for s in _registry(registry).export_sections()}
    return [i18n._(known[i].title) if i in known else i for i in ids]
