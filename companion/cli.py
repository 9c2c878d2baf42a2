"""The command line (DESIGN §7). A contract: scripts, tests and packaging rely on it.

Exit codes: 0 ok · 2 usage · 3 wrong passphrase or key · 4 vault corrupt or tampered ·
5 vault in use · 6 invalid input file · 1 anything else. Messages go to stderr as one
sentence, never a traceback, never diary content.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from companion import __version__
from companion.i18n import N_, _, format_datetime, format_number, ngettext

if TYPE_CHECKING:
    from datetime import date, datetime

    from companion.core.mood.importing.engine import ImportOptions, Reader
    from companion.core.portable import ImportSummary
    from companion.core.session import OpenDiary
    from companion.storage.database import Database

EXIT_OK = 0
EXIT_OTHER = 1
EXIT_USAGE = 2
EXIT_CORRUPT = 4
EXIT_INPUT = 6

#: windows that are not sidebar pages but can be shown on their own
WINDOWS = ("setup", "setup-recovery", "unlock", "help")


def page_names() -> list[str]:
    """What ``screenshot --page`` accepts: the windows, and every page that has screens in
    this version (a page declared without them is left out) with its other names."""
    from companion.ui.extension_points import load as load_ui

    names = list(WINDOWS)
    for page, _widget in load_ui().pages():
        names += [page.id, *page.aliases]
    return names


class UsageError(Exception):
    """Bad command-line use: exit code 2 with one sentence."""


def _date(text: str) -> date:
    from datetime import date  # not at the top: a GUI launch reads no date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a date like 2026-01-31").format(text=text)
        ) from None


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a size like 1200x800").format(text=text)
        ) from None
    if not (320 <= w <= 4000 and 240 <= h <= 4000):
        raise argparse.ArgumentTypeError(_("the size must be between 320x240 and 4000x4000"))
    return w, h


def _font_scale(text: str) -> float:
    from companion.core.device_settings import MAX_TEXT_SCALE, MIN_TEXT_SCALE

    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = float("nan")
    if not MIN_TEXT_SCALE <= value <= MAX_TEXT_SCALE:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a text size from {low} to {high}").format(
                text=text, low=MIN_TEXT_SCALE, high=MAX_TEXT_SCALE
            )
        )
    return value


def _page(text: str) -> str:
    """A page name ``screenshot`` knows (checked only when asked, so start-up stays light)."""
    names = page_names()
    if text not in names:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a page; choose one of: {choices}").format(
                text=text, choices=", ".join(names)
            )
        )
    return text


def _dialog(text: str) -> str:
    """A dialog name ``screenshot`` knows (checked only when asked)."""
    from companion.ui.screenshot import dialog_names

    names = dialog_names()
    if text not in names:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a dialog; choose one of: {choices}").format(
                text=text, choices=", ".join(names)
            )
        )
    return text


def _mood_choice(text: str) -> tuple[str, int]:
    name, sep, value = text.rpartition("=")
    name = " ".join(name.split())
    if not sep or not name:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not NAME=VALUE, e.g. stoked=8").format(text=text)
        )
    needs = _("the mood “{name}” needs a whole number 0–10").format(name=name)
    try:
        number = int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(needs) from None
    if not 0 <= number <= 10:
        raise argparse.ArgumentTypeError(needs)
    return name, number


#: options that work before or after the subcommand (``companion --data-dir X check`` and
#: ``companion check --data-dir X``): name → (metavar, help)
GLOBAL_OPTIONS = {
    "--data-dir": ("DIR", N_("folder that holds the diary")),
    "--passphrase-file": (
        "FILE",
        N_(
            "read the passphrase from the first line of FILE (else COMPANION_PASSPHRASE, "
            "else it is asked for)"
        ),
    ),
}


def _global_options(*, defaults: bool) -> argparse.ArgumentParser:
    """The global options for the main parser (with defaults) or for a subcommand.

    A subcommand's copy must not have a default: argparse would write it over the value given
    before the subcommand, and ``companion --data-dir X export`` would silently use the
    person's real diary instead of X.
    """
    common = argparse.ArgumentParser(add_help=False)
    for name, (metavar, text) in GLOBAL_OPTIONS.items():
        common.add_argument(
            name, metavar=metavar, help=_(text), default=None if defaults else argparse.SUPPRESS
        )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _global_options(defaults=False)
    parser = argparse.ArgumentParser(
        prog="companion",
        description=_("Companion: a private, offline companion for living with depression."),
        parents=[_global_options(defaults=True)],
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_(
            "check that this installation works (offscreen, on a throw-away demo diary; "
            "your own diary is never touched) and exit"
        ),
    )
    parser.add_argument(
        "--minimised",
        action="store_true",
        help=_("start with the window minimised (how Companion starts at login)"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo", parents=[common], help=_("create a diary filled with sample data")
    )
    demo.add_argument("--days", type=int, default=365, help=_("days of history (0: empty diary)"))
    demo.add_argument("--seed", type=int, default=1, help=_("random seed for repeatable data"))

    sub.add_parser("check", parents=[common], help=_("open the diary, verify it, report backups"))

    export = sub.add_parser(
        "export",
        parents=[common],
        help=_(
            "write a summary for your clinician (pdf), tables (csv, a zip), FHIR, or the "
            "whole diary (json)"
        ),
    )
    export.add_argument("--format", required=True, choices=["pdf", "csv", "json", "fhir"])
    export.add_argument(
        "--from",
        dest="start",
        type=_date,
        metavar="DATE",
        help=_("first day, your local day (default: 90 days before --to; json: the first entry)"),
    )
    export.add_argument(
        "--to", dest="end", type=_date, metavar="DATE", help=_("last day (default: today)")
    )
    export.add_argument(
        "--include-notes", action="store_true", help=_("include the words you wrote (notes)")
    )
    export.add_argument(
        "--sections",
        metavar="LIST",
        help=_(
            "pdf, csv, fhir: the sections, comma-separated (default: "
            "mood,checkups,medicines,homework,exercises,history; also ace, safety-plan, notes)"
        ),
    )
    export.add_argument(
        "--paper", choices=["a4", "letter"], default=None, help=_("pdf: paper size")
    )
    export.add_argument(
        "--password-file",
        dest="pdf_password_file",
        metavar="FILE",
        help=_("pdf: protect it with the password on the first line of FILE"),
    )
    export.add_argument(
        "--out", required=True, metavar="PATH", help=_("a new file (never replaced)")
    )

    imp = sub.add_parser(
        "import", parents=[common], help=_("add data from a file (all or nothing)")
    )
    imp.add_argument(
        "--format",
        required=True,
        metavar="FORMAT",
        help=_("daylio, emoods, bearable, csv, json, or another registered format"),
    )
    imp.add_argument(
        "--mood",
        action="append",
        default=[],
        type=_mood_choice,
        metavar="NAME=VALUE",
        help=_(
            "the number (0–10) a mood name in the file becomes, e.g. --mood stoked=8 "
            "(repeatable; Daylio's default names in its main languages need none)"
        ),
    )
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help=_(
            "import the rows that can be read and skip the others (listed); without it one "
            "unreadable row refuses the whole file"
        ),
    )
    imp.add_argument("file", metavar="FILE")

    shot = sub.add_parser(
        "screenshot", parents=[common], help=_("render one page or dialog to a PNG")
    )
    what = shot.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--page",
        type=_page,
        metavar="PAGE",
        help=_("setup, unlock, help, or a page of the sidebar (today, mood, medications…)"),
    )
    what.add_argument(
        "--dialog",
        type=_dialog,
        metavar="DIALOG",
        help=_("a dialog over the main window (check-in, medication, change-passphrase…)"),
    )
    shot.add_argument("--out", required=True, metavar="PNG")
    shot.add_argument("--size", type=_size, default=(1200, 800), metavar="WxH")
    shot.add_argument("--theme", choices=["light", "dark", "high-contrast"], default="light")
    shot.add_argument(
        "--font-scale",
        type=_font_scale,
        default=1.0,
        metavar="FACTOR",
        help=_("text size, 1 = normal, up to 2 (or 100%% to 200%%)"),
    )
    return parser


# -- helpers ---------------------------------------------------------------------------------


def _passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    if args.passphrase_file:
        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise UsageError(_("The passphrase file could not be read.")) from None
        return text.splitlines()[0] if text.splitlines() else ""
    env = os.environ.get("COMPANION_PASSPHRASE")
    if env is not None:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            _("No passphrase given: set COMPANION_PASSPHRASE or use --passphrase-file.")
        )
    import getpass  # a terminal's prompt: not imported for the window

    first = getpass.getpass(_("Passphrase: "))
    if confirm and getpass.getpass(_("Passphrase again: ")) != first:
        raise UsageError(_("The two passphrases were not the same."))
    return first


def _data_dir(args: argparse.Namespace) -> Path:
    """The data folder, made private (0700, files 0600) where this user owns it."""
    from companion import paths
    from companion.core.diary_files import make_data_dir_private

    directory = paths.data_dir(args.data_dir)
    for warning in make_data_dir_private(directory):
        _say(warning)
    return directory


@contextmanager
def _open_diary(
    args: argparse.Namespace, *, read_only: bool = False, full_check: bool = False
) -> Iterator[OpenDiary]:
    """Lock, unlock and yield an OpenDiary; always lock it again.

    ``read_only`` (check, export): nothing is written, so a read-only data folder works.
    ``full_check``: SQLite's full ``integrity_check`` at open (``check``), not the quick one.
    """
    from companion import paths
    from companion.core.session import open_diary_locked

    vault = paths.vault_path(_data_dir(args))
    with open_diary_locked(
        vault,
        lambda: _passphrase(args),
        read_only=read_only,
        check="full" if full_check else "quick",
    ) as diary:
        try:
            yield diary
        finally:
            _report_dropped_backups(diary)


def _report_dropped_backups(diary: OpenDiary) -> None:
    dropped = diary.backups_dropped
    if dropped:
        _say(
            ngettext(
                "The disk was full, so {count} old backup file was removed to make room. "
                "Please free some space.",
                "The disk was full, so {count} old backup files were removed to make room. "
                "Please free some space.",
                dropped,
            ).format(count=dropped)
        )


def _say(message: str) -> None:
    print(message, file=sys.stderr)


# -- commands --------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    # What the launch needs that has no Qt in it is imported before PySide6 (and so are their
    # own imports): PySide's import hook reads the source of each module first imported after
    # it, a file read each (whether the source names PySide6; these do not)
    from companion import fault_log, paths  # noqa: F401
    from companion.core import device_settings, diary_files  # noqa: F401
    from companion.ui import gc_policy, memory, pyside_imports  # noqa: F401

    # The collector's policy (ui/gc_policy.py: no automatic collection, young generations
    # collected from a timer on this thread) from the start rather than once the application
    # exists: the imports and the first window made ~30 automatic collections (3-4 ms of the
    # launch) that found a few dozen objects; the policy's first tick collects them.
    gc_policy.disable_automatic()
    # Every module imported after this skips PySide6's read of its whole source (about 8 ms
    # of the launch; see pyside_imports): before the first module of ours that needs Qt
    pyside_imports.load_and_lighten()
    from companion.ui.identity import data_folder_problem, display_problem, folder_sentence

    problem = display_problem()  # before Qt, which would abort with a long hint (exit 134)
    if problem:
        _say(problem)
        return EXIT_OTHER
    try:
        directory = paths.data_dir(args.data_dir)
    except OSError as exc:  # a missing folder that cannot be made
        _say(folder_sentence(Path(exc.filename or args.data_dir or "?"), exc))
        return EXIT_OTHER
    problem = data_folder_problem(directory)
    if problem:
        _say(problem)
        return EXIT_OTHER
    from companion.ui.app import run

    # run() makes the folder private and says so
    return run(directory, minimised=args.minimised)


def cmd_smoke_test(_args: argparse.Namespace) -> int:
    from companion.ui.smoke import run_smoke_test

    return run_smoke_test()


def cmd_demo(args: argparse.Namespace) -> int:
    from companion import paths
    from companion.core import demo
    from companion.core.session import create_diary_locked
    from companion.storage.errors import VaultError

    if args.days < 0 or args.days > 36500:
        raise UsageError(_("--days must be between 0 and 36500."))
    directory = _data_dir(args)
    vault = paths.vault_path(directory)
    if vault.exists():
        raise VaultError(
            _(
                "A diary already exists in {folder}; demo data goes only into an empty folder."
            ).format(folder=directory)
        )
    passphrase = _passphrase(args, confirm=True)
    from companion.core import passphrase as rules

    rules.validate(passphrase)  # before any work: a weak passphrase is refused with its reason
    with create_diary_locked(vault, passphrase) as (diary, recovery_key):
        try:
            demo.fill(diary.db, args.days, args.seed)
        finally:
            _report_dropped_backups(diary)
    print(
        ngettext(
            "Created a demo diary in {folder} with {count} day of sample data.",
            "Created a demo diary in {folder} with {count} days of sample data.",
            args.days,
        ).format(folder=directory, count=args.days)
    )
    print(_("Its recovery key: {key}").format(key=recovery_key))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from companion.core.diary_check import check_rows
    from companion.storage import vault as vault_mod

    # The one place the full check stays at open: the person asked for a thorough check.
    with _open_diary(args, read_only=True, full_check=True) as diary:
        v = diary.vault
        size = v.path.stat().st_size
        rows = check_rows(diary.db)
        print(
            ngettext(
                "Diary: {path} ({size} byte), opens and passes the integrity check.",
                "Diary: {path} ({size} bytes), opens and passes the integrity check.",
                size,
            ).format(path=v.path, size=format_number(size))
        )
        print(
            _("Last saved: {when} (from the diary file's protected header).").format(
                when=_when(v.info.saved_at)
            )
        )
        recovery = _("yes") if v.info.has_recovery else _("no")
        device = _("on") if v.info.has_device else _("off")
        print(
            _(
                "Tables: {tables}, rows: {rows}; recovery key slot: {recovery}; unlock on this "
                "computer: {device}."
            ).format(
                tables=rows.tables, rows=format_number(rows.rows), recovery=recovery, device=device
            )
        )
        backups = diary.backups()
        if not backups:
            print(
                _("Backups: none yet (one is made the first time the diary changes each session).")
            )
        for b in backups:
            try:
                vault_mod.read_info(b.path)
                state = _("readable")
            except Exception:
                state = _("DAMAGED")
            print(
                ngettext(
                    "Backup ({kind}) {when} {size} byte: {state}",
                    "Backup ({kind}) {when} {size} bytes: {state}",
                    b.size,
                ).format(
                    kind=_(BACKUP_KINDS[b.kind]) if b.kind in BACKUP_KINDS else b.kind,
                    when=_when(b.saved_at),
                    size=format_number(b.size),
                    state=state,
                )
            )
        kept = vault_mod.list_kept(v.path)
        if kept:
            print(
                ngettext(
                    "Kept aside: {count} older or damaged backup in {folder} (never deleted by "
                    "Companion).",
                    "Kept aside: {count} older or damaged backups in {folder} (never deleted by "
                    "Companion).",
                    len(kept),
                ).format(count=len(kept), folder=vault_mod.kept_dir(v.path))
            )
        newer = vault_mod.newer_backups(v.path, v.info.saved_at)
        if newer:
            _say(_rollback_warning(max(b.saved_at for b in newer)))
        elif vault_mod.rekeyed_backups(v.path):
            _say(
                _(
                    "Warning: the backups use a newer passphrase than the diary file, so the "
                    "diary may have been replaced by an older copy (it still opens with an old "
                    "passphrase)."
                )
            )
        if not rows.ok:
            for line in rows.describe():
                _say(line)
            _say(
                _(
                    "The diary opens, but some stored values cannot be read. Please keep the "
                    "files as they are; an older backup may still be complete."
                )
            )
            return EXIT_CORRUPT
        print(_("Every row of every table was read and passes the checks."))
    return EXIT_OK


#: the kinds of backup, as ``check`` names them
BACKUP_KINDS = {"session": N_("session"), "daily": N_("daily")}


def _when(moment: datetime | None) -> str:
    """A moment on this computer's clock ("Fri 4 Dec 2026, 14:05"), or "unknown"."""
    return _("unknown") if moment is None else format_datetime(moment.astimezone(), "day_medium")


def _rollback_warning(newest: datetime) -> str:
    return _(
        "Warning: a backup saved on {when} is newer than the diary file. The diary may have "
        "been replaced by an older copy; Settings → Backups can restore the newer one."
    ).format(when=_when(newest))


def cmd_export(args: argparse.Namespace) -> int:
    from companion.reports import command

    return command.run(args, open_diary=_open_diary, data_dir=_data_dir, say=_say)


def cmd_import(args: argparse.Namespace) -> int:
    from companion import features

    formats = features.load().import_formats()
    if args.format not in formats:
        raise UsageError(
            _("Unknown import format “{name}”; choose one of: {choices}.").format(
                name=args.format, choices=", ".join(sorted(formats))
            )
        )
    chosen = formats[args.format]
    if (args.mood or args.skip_bad_rows) and not chosen.takes_options:
        takes = ", ".join(sorted(n for n, i in formats.items() if i.takes_options))
        raise UsageError(
            _("--mood and --skip-bad-rows apply only to these formats: {formats}.").format(
                formats=takes
            )
        )
    source = Path(args.file)
    if not source.is_file():
        raise UsageError(_("There is no file at {path}.").format(path=source))
    options = None
    if chosen.takes_options:
        from companion.core.mood.importing.engine import ImportOptions

        options = ImportOptions(mood_map=dict(args.mood), skip_bad_rows=args.skip_bad_rows)
    with _open_diary(args) as diary:
        if chosen.reader is not None and options is not None:
            summary = _import_rows(diary.db, chosen.reader, source, options)
        else:
            summary = chosen.run(diary.db, source, options)
    print(summary.describe())
    for line in getattr(summary, "details", ()):
        print(line)
    return EXIT_OK


def _import_rows(db: Database, reader: Reader, path: Path, options: ImportOptions) -> ImportSummary:
    """A row format's import (what its ``run`` does), with the memory the rows used given
    back to the system before the save takes its snapshot (a large file: see bench/)."""
    from companion.core.mood.importing.engine import run
    from companion.core.mood.importing.reading import Source
    from companion.ui import memory

    memory.configure()  # as the app does: large buffers in their own mappings
    return run(db, reader, Source.from_path(path), options, before_save=memory.give_back)


def cmd_screenshot(args: argparse.Namespace) -> int:
    from companion.ui.screenshot import render_dialog, render_page

    passphrase: Callable[[], str] = lambda: _passphrase(args)  # noqa: E731
    common = dict(
        out=Path(args.out),
        data_dir=_data_dir(args),
        size=args.size,
        theme=args.theme,
        font_scale=args.font_scale,
        passphrase=passphrase,
    )
    if args.dialog:
        render_dialog(dialog=args.dialog, **common)
    else:
        render_page(page=args.page, **common)
    if _hidden_errors:  # a page failed while rendering: the picture is not to be trusted
        return EXIT_OTHER
    print(_("Saved {path}.").format(path=args.out))
    return EXIT_OK


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "demo": cmd_demo,
    "check": cmd_check,
    "export": cmd_export,
    "import": cmd_import,
    "screenshot": cmd_screenshot,
}


UNEXPECTED = N_(
    "Something unexpected went wrong, so Companion stopped ({kind}). The diary file is as it "
    "was after its last successful save."
)


#: the GUI launch's own options: how they appear in the parsed arguments, and whether each
#: takes a value
_LAUNCH_OPTIONS = {"--data-dir": "data_dir", "--passphrase-file": "passphrase_file"}
_LAUNCH_FLAGS = {"--minimised": "minimised"}


def plain_launch(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain GUI launch (nothing but ``--data-dir``, ``--passphrase-file``
    and ``--minimised``, each at most once, each written out in full), exactly as
    :func:`build_parser` would parse them; None for anything else, which the full parser
    reads (abbreviations, help, subcommands, mistakes and their messages).

    The launch is measured against a bare Qt window, and making the full parser (every
    subcommand and its help) is about 5 ms of it; a test holds the two to the same answers."""
    values: dict[str, object] = {
        "data_dir": None,
        "passphrase_file": None,
        "smoke_test": False,
        "minimised": False,
        "command": None,
    }
    seen: set[str] = set()
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        name, equals, value = word.partition("=")
        if name in seen:
            return None
        seen.add(name)
        if name in _LAUNCH_FLAGS and not equals:
            values[_LAUNCH_FLAGS[name]] = True
        elif name in _LAUNCH_OPTIONS:
            if not equals:
                if not rest:
                    return None
                value = rest.pop(0)
            if value.startswith("-"):  # argparse's own rules for these; its messages
                return None
            values[_LAUNCH_OPTIONS[name]] = value
        else:
            return None
    return argparse.Namespace(**values)


def main(argv: Sequence[str] | None = None) -> int:
    from companion.hardening import disable_core_dumps
    from companion.i18n import install_default

    disable_core_dumps()
    install_default()  # before the parser: its help and every message are translated
    args = plain_launch(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    restore = _install_calm_excepthook()
    try:
        return _run(args)
    except KeyboardInterrupt:
        _say(_("Stopped."))
        return EXIT_OTHER
    except Exception as exc:  # never a traceback, never a stored value (DESIGN §7)
        _say(_(UNEXPECTED).format(kind=type(exc).__name__))
        return EXIT_OTHER
    finally:
        restore()


def _run(args: argparse.Namespace) -> int:
    from companion.core.errors import ImportFileError, ValidationError
    from companion.storage.errors import VaultError

    try:
        command = cmd_smoke_test if args.smoke_test else COMMANDS[args.command]
        code = command(args)
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except VaultError as exc:
        _say(exc.message)
        return exc.exit_code
    except ImportFileError as exc:
        _say(_("Nothing was imported: {reason}").format(reason=exc))
        return EXIT_INPUT
    except ValidationError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except OSError as exc:
        _say(
            _("A file could not be written or read ({reason}).").format(
                reason=exc.strerror or _("unknown error")
            )
        )
        return EXIT_OTHER
    if _hidden_errors:  # an exception inside a Qt slot (screenshot) was caught by the hook
        return EXIT_OTHER
    return code


_hidden_errors: list[str] = []


def _install_calm_excepthook() -> Callable[[], None]:
    """Exceptions that never reach ``main`` (raised inside Qt slots while a page renders, or
    in a thread) print one calm sentence instead of a traceback that may quote diary values,
    and make the command exit 1. Returns a function that puts the previous hooks back."""
    import threading

    _hidden_errors.clear()
    previous = (sys.excepthook, threading.excepthook)

    def hook(kind: type[BaseException], exc: BaseException, _tb: object) -> None:
        if not _hidden_errors:  # one sentence, however many slots fail after the first
            _say(_(UNEXPECTED).format(kind=kind.__name__))
        _hidden_errors.append(kind.__name__)

    def thread_hook(info: threading.ExceptHookArgs) -> None:
        hook(info.exc_type, info.exc_value or info.exc_type(), info.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook, threading.excepthook = previous

    return restore
