"""``companion export``: the Reports page's export, from the command line (DESIGN §7).

Dates are the person's local days. The target must be a new file in a folder that can be
written: an existing file is never replaced and an unwritable folder is refused with one
sentence before the diary is even opened (exit code 2), so a script cannot overwrite an
earlier summary by accident. Like the page, every export is added to "what was shared",
unless the diary's folder is read-only (the export still works; it says it was not added).
"""

from __future__ import annotations

import argparse
import os
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from companion.core.reports.model import MAX_PERIOD_DAYS
from companion.i18n import _, ngettext

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

__all__ = ["DEFAULT_DAYS", "run"]

#: days a summary covers when no --from is given
DEFAULT_DAYS = 90

OpenDiaryFn = Callable[..., AbstractContextManager["OpenDiary"]]


def _usage(message: str) -> Exception:
    from companion.cli import UsageError

    return UsageError(message)


def _check_target(out: Path) -> None:
    if out.exists() or out.is_symlink():
        raise _usage(
            _(
                "There is already a file at {path}; Companion never replaces one. Please choose "
                "a new name."
            ).format(path=out)
        )
    folder = out.parent
    if not folder.is_dir():
        raise _usage(_("There is no folder {path} to write the export into.").format(path=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _usage(_("The folder {path} cannot be written to.").format(path=folder))


def _password(args: argparse.Namespace) -> str | None:
    from companion.reports.protect import check_password

    name = args.pdf_password_file
    if name is None:
        return None
    try:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise _usage(_("The password file could not be read.")) from None
    return check_password(lines[0] if lines else "")


def _sections(args: argparse.Namespace) -> tuple[str, ...]:
    from companion.reports.export import default_sections

    if args.sections is None:
        chosen = list(default_sections())
    else:
        chosen = [s.strip() for s in args.sections.split(",") if s.strip()]
        if not chosen:
            raise _usage(_("--sections needs at least one section."))
    if args.include_notes and "notes" not in chosen:
        chosen.append("notes")
    return tuple(chosen)


def _period(args: argparse.Namespace, today: date) -> tuple[date | None, date | None]:
    start, end = args.start, args.end
    if args.format != "json":
        end = end or today
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start is not None and end is not None and start > end:
        raise _usage(_("--from must be on or before --to."))
    if start is not None and end is not None and (end - start).days >= MAX_PERIOD_DAYS:
        raise _usage(_("A period can cover at most fifty years."))
    return start, end


def _writable(vault: Path) -> bool:
    return os.access(vault.parent, os.W_OK | os.X_OK) and os.access(vault, os.W_OK)


def run(
    args: argparse.Namespace,
    *,
    open_diary: OpenDiaryFn,
    data_dir: Callable[[argparse.Namespace], Path],
    say: Callable[[str], None],
) -> int:
    from companion import paths
    from companion.core.reports.model import Period
    from companion.core.reports.service import ReportsService
    from companion.core.timekeeping import local_now
    from companion.reports.export import ExportRequest, make_export

    pdf = args.format == "pdf"
    if not pdf and (args.paper or args.pdf_password_file):
        raise _usage(_("--paper and --password-file apply only to --format pdf."))
    if args.format == "json" and args.sections is not None:
        raise _usage(_("--sections does not apply to json, which holds the whole diary."))
    out = Path(args.out)
    _check_target(out)
    password = _password(args) if pdf else None
    now = local_now()
    start, end = _period(args, now.date())
    sections = _sections(args) if args.format != "json" else ()
    writable = _writable(paths.vault_path(data_dir(args)))
    with open_diary(args, read_only=not writable) as diary:
        reports = ReportsService(diary.db)
        key = ""
        if args.format == "fhir":
            key = reports.pseudonym_key(create=writable) or secrets.token_hex(16)
        period: Period | None = None
        if start is not None or end is not None:
            first = start or reports.first_day() or end or now.date()
            period = Period(min(first, end or first), end or now.date())
        request = ExportRequest(
            format=args.format,
            period=period if (period is not None or args.format != "json") else None,
            sections=sections,
            include_notes=args.include_notes,
            paper=args.paper or "a4",
            password=password,
            pseudonym_key=key,
        )
        made = make_export(diary.db, request, now, out)
        if writable:
            reports.record(
                format=args.format,
                period=request.period,
                sections=sections,
                includes_notes=args.include_notes,
                protected=password is not None,
                file_name=out.name,
                via="cli",
            )
    if made.pages is not None:
        print(
            ngettext(
                "Exported a {count}-page summary to {path}.",
                "Exported a {count}-page summary to {path}.",
                made.pages,
            ).format(count=made.pages, path=out)
        )
    else:
        print(_("Exported to {path}.").format(path=out))
    if not writable:
        say(_("The diary's folder is read-only, so this export was not added to What was shared."))
    return 0
