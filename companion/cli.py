"""The command line (DESIGN §7). A contract: scripts, tests and packaging rely on it.

Exit codes: 0 ok · 2 usage · 3 wrong passphrase or key · 4 vault corrupt or tampered ·
5 vault in use · 6 invalid input file · 1 anything else. Messages go to stderr as one
sentence, never a traceback, never diary content.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from companion import __version__

if TYPE_CHECKING:
    from companion.core.unlocked import OpenDiary

EXIT_OK = 0
EXIT_OTHER = 1
EXIT_USAGE = 2
EXIT_INPUT = 6

PAGES = (
    "setup",
    "unlock",
    "today",
    "diary",
    "exercises",
    "medications",
    "checkups",
    "learn",
    "safety",
    "help",
    "reports",
    "settings",
)


class UsageError(Exception):
    """Bad command-line use: exit code 2 with one sentence."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2026-01-31") from None


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a size like 1200x800") from None
    if not (320 <= w <= 4000 and 240 <= h <= 4000):
        raise argparse.ArgumentTypeError("the size must be between 320x240 and 4000x4000")
    return w, h


def _mood_choice(text: str) -> tuple[str, int]:
    name, sep, value = text.rpartition("=")
    name = " ".join(name.split())
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"“{text}” is not NAME=VALUE, e.g. stoked=8")
    try:
        number = int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"the mood “{name}” needs a whole number 0–10") from None
    if not 0 <= number <= 10:
        raise argparse.ArgumentTypeError(f"the mood “{name}” needs a whole number 0–10")
    return name, number


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", help="folder that holds the diary")
    common.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase from the first line of FILE (else COMPANION_PASSPHRASE, "
        "else it is asked for)",
    )
    parser = argparse.ArgumentParser(
        prog="companion",
        description="Companion: a private, offline companion for living with depression.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", parents=[common], help="create a diary filled with sample data")
    demo.add_argument("--days", type=int, default=365, help="days of history (0: empty diary)")
    demo.add_argument("--seed", type=int, default=1, help="random seed for repeatable data")

    sub.add_parser("check", parents=[common], help="open the diary, verify it, report backups")

    export = sub.add_parser("export", parents=[common], help="write the diary's data to a file")
    export.add_argument("--format", required=True, choices=["json"])
    export.add_argument("--from", dest="start", type=_date, metavar="DATE")
    export.add_argument("--to", dest="end", type=_date, metavar="DATE")
    export.add_argument(
        "--include-notes", action="store_true", help="include the words you wrote (notes)"
    )
    export.add_argument("--out", required=True, metavar="PATH")

    imp = sub.add_parser("import", parents=[common], help="add data from a file (all or nothing)")
    imp.add_argument(
        "--format",
        required=True,
        metavar="FORMAT",
        help="daylio, emoods, bearable, csv, json, or another registered format",
    )
    imp.add_argument(
        "--mood",
        action="append",
        default=[],
        type=_mood_choice,
        metavar="NAME=VALUE",
        help="the number (0–10) a mood name in the file becomes, e.g. --mood stoked=8 "
        "(repeatable; Daylio's default names in its main languages need none)",
    )
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the rows that can be read and skip the others (listed); without it one "
        "unreadable row refuses the whole file",
    )
    imp.add_argument("file", metavar="FILE")

    shot = sub.add_parser("screenshot", parents=[common], help="render one page to a PNG")
    shot.add_argument("--page", required=True, choices=PAGES)
    shot.add_argument("--out", required=True, metavar="PNG")
    shot.add_argument("--size", type=_size, default=(1200, 800), metavar="WxH")
    shot.add_argument("--theme", choices=["light", "dark"], default="light")
    return parser


# -- helpers ---------------------------------------------------------------------------------


def _passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    if args.passphrase_file:
        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise UsageError("The passphrase file could not be read.") from None
        return text.splitlines()[0] if text.splitlines() else ""
    env = os.environ.get("COMPANION_PASSPHRASE")
    if env is not None:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError("No passphrase given: set COMPANION_PASSPHRASE or use --passphrase-file.")
    first = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase again: ") != first:
        raise UsageError("The two passphrases were not the same.")
    return first


def _data_dir(args: argparse.Namespace) -> Path:
    from companion import paths

    return paths.data_dir(args.data_dir)


@contextmanager
def _open_diary(args: argparse.Namespace) -> Iterator[OpenDiary]:
    """Lock, unlock and yield an OpenDiary; always lock it again."""
    from companion import paths
    from companion.core.unlocked import OpenDiary
    from companion.storage.errors import VaultError
    from companion.storage.lock import InstanceLock

    directory = _data_dir(args)
    vault = paths.vault_path(directory)
    if not vault.exists():
        raise VaultError(f"There is no diary in {directory}. Run “companion” to create one.")
    with InstanceLock(vault):
        diary = OpenDiary.unlock(vault, passphrase=_passphrase(args))
        try:
            yield diary
            diary.lock()
        except BaseException:
            diary.close()
            raise


def _say(message: str) -> None:
    print(message, file=sys.stderr)


# -- commands --------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    from companion.ui.app import run

    return run(_data_dir(args))


def cmd_demo(args: argparse.Namespace) -> int:
    from companion import paths
    from companion.core import demo
    from companion.core.unlocked import OpenDiary
    from companion.storage.errors import VaultError
    from companion.storage.lock import InstanceLock

    if args.days < 0 or args.days > 36500:
        raise UsageError("--days must be between 0 and 36500.")
    directory = _data_dir(args)
    vault = paths.vault_path(directory)
    if vault.exists():
        raise VaultError(
            f"A diary already exists in {directory}; demo data goes only into an empty folder."
        )
    passphrase = _passphrase(args, confirm=True)
    import companion.core.features  # noqa: F401  (registers every feature's generator)

    with InstanceLock(vault):
        diary, recovery_key = OpenDiary.create(vault, passphrase)
        try:
            demo.fill(diary.db, args.days, args.seed)
            diary.lock()
        except BaseException:
            diary.close()
            raise
    print(f"Created a demo diary in {directory} with {args.days} days of sample data.")
    print(f"Its recovery key: {recovery_key}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from companion.storage import vault as vault_mod

    with _open_diary(args) as diary:
        db = diary.db
        v = diary.vault
        size = v.path.stat().st_size
        tables = db.scalar("SELECT count(*) FROM sqlite_master WHERE type='table'")
        print(f"Diary: {v.path} ({size:,} bytes), opens and passes the integrity check.")
        print(
            f"Tables: {tables}; recovery key slot: {'yes' if v.info.has_recovery else 'no'}; "
            f"unlock on this computer: {'on' if v.info.has_device else 'off'}."
        )
        backups = diary.backups()
        if not backups:
            print("Backups: none yet (one is made the first time the diary changes each session).")
        for b in backups:
            try:
                vault_mod.read_info(b.path)
                state = "readable"
            except Exception:
                state = "DAMAGED"
            print(f"Backup ({b.kind}) {b.saved_at:%Y-%m-%d %H:%M} {b.size:,} bytes: {state}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from companion.core import portable

    if args.start and args.end and args.start > args.end:
        raise UsageError("--from must be on or before --to.")
    out = Path(args.out)
    with _open_diary(args) as diary:
        document = portable.export_document(
            diary.db,
            include_notes=args.include_notes,
            start=args.start,
            end=args.end,
        )
    _write_private(out, portable.dumps(document).encode("utf-8"))
    print(f"Exported to {out}.")
    return EXIT_OK


def _write_private(path: Path, data: bytes) -> None:
    """Write an export the person asked for, readable by them only."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def cmd_import(args: argparse.Namespace) -> int:
    import companion.core.features  # noqa: F401  (registers every importer)
    from companion.core.importers import IMPORTERS

    if args.format not in IMPORTERS:
        raise UsageError(
            f"Unknown import format “{args.format}”; choose one of: {', '.join(sorted(IMPORTERS))}."
        )
    chosen = IMPORTERS[args.format]
    if (args.mood or args.skip_bad_rows) and not chosen.takes_options:
        takes = ", ".join(sorted(n for n, i in IMPORTERS.items() if i.takes_options))
        raise UsageError(f"--mood and --skip-bad-rows apply only to these formats: {takes}.")
    source = Path(args.file)
    if not source.is_file():
        raise UsageError(f"There is no file at {source}.")
    options = None
    if chosen.takes_options:
        from companion.core.import_engine import ImportOptions

        options = ImportOptions(mood_map=dict(args.mood), skip_bad_rows=args.skip_bad_rows)
    with _open_diary(args) as diary:
        summary = chosen.run_with(diary.db, source, options)
    print(summary.describe())
    for line in getattr(summary, "details", ()):
        print(line)
    return EXIT_OK


def cmd_screenshot(args: argparse.Namespace) -> int:
    from companion.ui.screenshot import render_page

    passphrase: Callable[[], str] = lambda: _passphrase(args)  # noqa: E731
    render_page(
        page=args.page,
        out=Path(args.out),
        data_dir=_data_dir(args),
        size=args.size,
        theme=args.theme,
        passphrase=passphrase,
    )
    print(f"Saved {args.out}.")
    return EXIT_OK


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "demo": cmd_demo,
    "check": cmd_check,
    "export": cmd_export,
    "import": cmd_import,
    "screenshot": cmd_screenshot,
}


def main(argv: Sequence[str] | None = None) -> int:
    from companion.hardening import disable_core_dumps

    disable_core_dumps()
    parser = build_parser()
    args = parser.parse_args(argv)
    from companion.core.errors import ImportFileError, ValidationError
    from companion.storage.errors import VaultError

    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except VaultError as exc:
        _say(exc.message)
        return exc.exit_code
    except ImportFileError as exc:
        _say(f"Nothing was imported: {exc}")
        return EXIT_INPUT
    except ValidationError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("Stopped.")
        return EXIT_OTHER
    except OSError as exc:
        _say(f"A file could not be written or read ({exc.strerror or 'unknown error'}).")
        return EXIT_OTHER
