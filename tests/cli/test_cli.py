"""The CLI contract of DESIGN §7: commands, messages and exit codes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion import __version__, cli, paths

PASS = "violet tractor marmalade"


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_PASSPHRASE", PASS)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_dir(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run(capsys, "demo", "--data-dir", str(data_dir), "--days", "30")
    assert code == 0, out
    return data_dir


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_every_commands_help_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """``companion COMMAND -h`` works for every command (a stray % in a help text made
    argparse raise instead of printing it)."""
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert "screenshot" in commands and "import" in commands
    for argv in ([], *([name] for name in commands)):
        with pytest.raises(SystemExit) as info:
            cli.main([*argv, "--help"])
        assert info.value.code == 0, argv
        assert "usage:" in capsys.readouterr().out, argv


#: words a launch's command line may hold: the launch's own options in every spelling, their
#: values, and what must go to the full parser (abbreviations, subcommands, mistakes)
WORDS = [
    "--data-dir", "--data-dir=D", "--data-dir=", "--data-dir=-x", "--passphrase-file",
    "--passphrase-file=F", "--minimised", "--minimised=yes", "--data", "--minim", "D", "F",
    "", "-x", "-1", "--", "check", "--smoke-test", "--unknown", "-h",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=6))
def test_a_plain_launch_is_read_as_the_full_parser_reads_it(argv: list[str]) -> None:
    """The GUI launch skips building the full parser (about 5 ms of the launch) when its
    command line holds only its own options; what it reads is what the parser would read,
    and anything else is left to the parser (its answers and messages)."""
    plain = cli.plain_launch(argv)
    if plain is None:
        return
    assert plain == cli.build_parser().parse_args(argv)


def test_plain_launches_skip_the_parser() -> None:
    for argv in (
        [],
        ["--data-dir", "D"],
        ["--minimised", "--data-dir=D"],
        ["--passphrase-file", "F"],
    ):
        assert cli.plain_launch(argv) is not None, argv
    for argv in (
        ["--data", "D"],
        ["check"],
        ["--data-dir"],
        ["--minimised", "--minimised"],
        ["-h"],
    ):
        assert cli.plain_launch(argv) is None, argv


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["export", "--format", "xml", "--out", "x"])
    assert info.value.code == 2


def test_demo_then_check(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 0, err
    assert "passes the integrity check" in out


def test_demo_refuses_an_existing_diary(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = paths.vault_path(demo_dir).read_bytes()
    code, _, err = run(capsys, "demo", "--data-dir", str(demo_dir))
    assert code == 1
    assert "already exists" in err
    assert paths.vault_path(demo_dir).read_bytes() == before


def test_wrong_passphrase_exits_3_and_changes_nothing(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = paths.vault_path(demo_dir)
    before = vault.read_bytes()
    monkeypatch.setenv("COMPANION_PASSPHRASE", "not the passphrase")
    code, _, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 3
    assert err.count("\n") == 1 and "Traceback" not in err
    assert vault.read_bytes() == before


def test_flipped_bit_exits_4(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = paths.vault_path(demo_dir)
    data = bytearray(vault.read_bytes())
    for position in (3, len(data) // 3, len(data) - 5):
        flipped = bytearray(data)
        flipped[position] ^= 0x10
        vault.write_bytes(bytes(flipped))
        code, _, err = run(capsys, "check", "--data-dir", str(demo_dir))
        assert code == 4, (position, err)
    vault.write_bytes(bytes(data))


def test_check_against_a_running_app_exits_5(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from companion.storage.lock import InstanceLock;"
            "l = InstanceLock(Path(sys.argv[1])); l.acquire(); print('held', flush=True);"
            "time.sleep(60)",
            str(paths.vault_path(demo_dir)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code, _, err = run(capsys, "check", "--data-dir", str(demo_dir))
        assert code == 5
        assert "already open" in err
    finally:
        holder.kill()
        holder.wait()


def test_missing_diary_is_a_clear_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--data-dir", str(data_dir))
    assert code == 1
    assert "There is no diary" in err


def test_no_passphrase_without_a_terminal_is_a_usage_error(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMPANION_PASSPHRASE")
    code, _, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 2
    assert "COMPANION_PASSPHRASE" in err


def test_passphrase_file(
    demo_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("COMPANION_PASSPHRASE")
    secret = tmp_path / "pass.txt"
    secret.write_text(PASS + "\n")
    code, _, err = run(
        capsys, "check", "--data-dir", str(demo_dir), "--passphrase-file", str(secret)
    )
    assert code == 0, err


def test_export_import_round_trip(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "export.json"
    code, _, err = run(
        capsys,
        "export",
        "--data-dir",
        str(demo_dir),
        "--format",
        "json",
        "--include-notes",
        "--out",
        str(out),
    )
    assert code == 0, err
    assert out.stat().st_mode & 0o777 == 0o600
    document = json.loads(out.read_text())
    assert document["format"] == "companion-export"

    empty = tmp_path / "empty"
    code, _, err = run(capsys, "demo", "--data-dir", str(empty), "--days", "0")
    assert code == 0, err
    code, _, err = run(capsys, "import", "--data-dir", str(empty), "--format", "json", str(out))
    assert code == 0, err
    again = tmp_path / "again.json"
    code, _, err = run(
        capsys,
        "export",
        "--data-dir",
        str(empty),
        "--format",
        "json",
        "--include-notes",
        "--out",
        str(again),
    )
    assert code == 0, err
    second = json.loads(again.read_text())
    for doc in (document, second):
        doc.pop("exported_at")
        doc["tables"].pop("settings", None)
    assert second == document


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"{}", b'{"format": 1}', b"[" * 5000])
def test_invalid_import_exits_6_and_leaves_the_vault_alone(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    vault = paths.vault_path(demo_dir)
    before = vault.read_bytes()
    code, _, err = run(capsys, "import", "--data-dir", str(demo_dir), "--format", "json", str(bad))
    assert code == 6
    assert err.startswith("Nothing was imported")
    assert vault.read_bytes() == before


def test_export_date_range_must_be_in_order(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "export",
        "--data-dir",
        str(demo_dir),
        "--format",
        "json",
        "--from",
        "2026-05-01",
        "--to",
        "2026-04-01",
        "--out",
        str(tmp_path / "x.json"),
    )
    assert code == 2
    assert "--from" in err


def test_module_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_unknown_import_format_is_a_usage_error(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "x.txt"
    f.write_text("x")
    code, _, err = run(capsys, "import", "--data-dir", str(demo_dir), "--format", "xml", str(f))
    assert code == 2
    assert "json" in err


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_screenshot_of_windows_that_need_no_passphrase(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], theme: str
) -> None:
    from PySide6.QtGui import QImage

    for page, size in (("setup", (800, 600)), ("unlock", (900, 640)), ("help", (1200, 800))):
        out = tmp_path / f"{page}-{theme}.png"
        code, _, err = run(
            capsys,
            "screenshot",
            "--data-dir",
            str(data_dir),
            "--page",
            page,
            "--theme",
            theme,
            "--size",
            f"{size[0]}x{size[1]}",
            "--out",
            str(out),
        )
        assert code == 0, err
        image = QImage(str(out))
        assert (image.width(), image.height()) == size


def test_screenshot_of_a_page_this_version_lacks_names_the_pages_it_has(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["screenshot", "--data-dir", str(demo_dir), "--page", "journal"]
    with pytest.raises(SystemExit) as stopped:
        cli.main([*argv, "--out", str(tmp_path / "x.png")])
    assert stopped.value.code == 2  # a usage error, before anything is opened
    err = capsys.readouterr().err
    assert "“journal” is not a page" in err and "mood" in err and "today" in err
    assert not (tmp_path / "x.png").exists()


def test_screenshot_offers_only_pages_with_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page the core declares but this version has no screens for is not offered."""
    from companion.core.extension_points import PageDecl
    from companion.ui import extension_points

    registry = extension_points.build(("mood", "safety"))  # a fresh core registry, not the app's
    registry.core.register_page(PageDecl(id="unbuilt", title="Unbuilt", icon="mdi6.cog", order=99))
    monkeypatch.setattr(extension_points, "load", lambda: registry)
    names = cli.page_names()
    assert "unbuilt" not in names
    assert {"setup", "unlock", "help", "today", "diary", "safety", "settings"} <= set(names)


def test_screenshot_at_a_larger_text_size(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PySide6.QtGui import QImage

    shots = {}
    for scale in ("100%", "2"):
        out = tmp_path / f"unlock-{scale}.png"
        code, _, err = run(
            capsys, "screenshot", "--data-dir", str(data_dir), "--page", "unlock",
            "--font-scale", scale, "--size", "900x640", "--out", str(out),
        )  # fmt: skip
        assert code == 0, err
        shots[scale] = QImage(str(out))
    assert shots["100%"] != shots["2"]  # the same window, drawn larger


@pytest.mark.parametrize("scale", ["3", "50%", "big"])
def test_a_text_size_out_of_range_is_a_usage_error(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], scale: str
) -> None:
    argv = ["screenshot", "--data-dir", str(data_dir), "--page", "unlock", "--font-scale", scale]
    with pytest.raises(SystemExit) as stopped:
        cli.main([*argv, "--out", str(tmp_path / "x.png")])
    assert stopped.value.code == 2
    assert f"“{scale}” is not a text size from 0.8 to 2.0" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_screenshot_of_a_dialog_over_the_main_window(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--dialog``: the dialog as it opens over the (dimmed) main window, at the screen's
    size; the diary is only read (its file unchanged)."""
    from PySide6.QtGui import QImage

    from companion import paths

    vault = paths.vault_path(demo_dir)
    before = vault.read_bytes()
    out = tmp_path / "medication.png"
    code, said, err = run(
        capsys, "screenshot", "--data-dir", str(demo_dir), "--dialog", "medication",
        "--size", "1024x640", "--font-scale", "200%", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "Saved" in said
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 640)
    corner, middle = image.pixelColor(4, 4), image.pixelColor(512, 320)
    assert corner.lightness() < middle.lightness()  # the window dimmed, the dialog not
    assert vault.read_bytes() == before


def test_a_page_screenshot_leaves_no_qt_object_for_the_garbage_collector(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window is collected with what it left in reference cycles before the command
    ends: left to the interpreter's exit, the Diary page's leftovers were collected after the
    application had gone and crashed the process (exit 139 after "Saved", 3-5 runs in 6)."""
    import gc

    import shiboken6

    code, said, err = run(
        capsys, "screenshot", "--data-dir", str(demo_dir), "--page", "mood",
        "--out", str(tmp_path / "diary.png"),
    )  # fmt: skip
    assert code == 0, err
    assert "Saved" in said
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, shiboken6.Shiboken.Object)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


def test_screenshot_dialog_names_come_from_the_list_of_every_dialog(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from companion.ui.screenshot import dialog_names
    from companion.ui.smoke import DIALOGS

    names = dialog_names()
    assert len(names) == len(DIALOGS) and len(set(names)) == len(names)
    assert {"check-in", "medication", "change-passphrase", "new-recovery-key"} <= set(names)
    argv = ["screenshot", "--data-dir", str(demo_dir), "--dialog", "journal"]
    with pytest.raises(SystemExit) as stopped:
        cli.main([*argv, "--out", str(tmp_path / "x.png")])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "“journal” is not a dialog" in err and "check-in" in err
    with pytest.raises(SystemExit):  # a page or a dialog, not both
        cli.main(["screenshot", "--page", "today", "--dialog", "check-in", "--out", "x.png"])
