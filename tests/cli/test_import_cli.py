"""``companion import`` for the row formats: --mood, --skip-bad-rows, exit 6 with one sentence
naming the line, and the vault byte-identical after every refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from companion import cli, paths
from tests.core.import_helpers import CORPUS

PASS = "violet tractor marmalade"


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_PASSPHRASE", PASS)
    monkeypatch.setenv("TZ", "Europe/Berlin")


@pytest.fixture
def empty_dir(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert cli.main(["demo", "--data-dir", str(data_dir), "--days", "0"]) == 0
    capsys.readouterr()
    return data_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def imp(capsys: pytest.CaptureFixture[str], where: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, "import", "--data-dir", str(where), *args)


@pytest.mark.parametrize(
    ("fmt", "name", "imported"),
    [
        ("daylio", "daylio_de_8col.csv", 6),
        ("daylio", "daylio_pl_old.csv", 5),
        ("emoods", "emoods_entry.csv", 3),
    ],
)
def test_cli_imports_row_formats(
    empty_dir: Path, capsys: pytest.CaptureFixture[str], fmt: str, name: str, imported: int
) -> None:
    code, out, err = imp(capsys, empty_dir, "--format", fmt, str(CORPUS / name))
    assert code == 0, err
    assert out.startswith(f"Imported {imported} check-ins")


def test_renamed_moods_exit_6_naming_them_then_import_with_mood(
    empty_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = paths.vault_path(empty_dir)
    before = vault.read_bytes()
    path = str(CORPUS / "daylio_custom_moods.csv")
    code, out, err = imp(capsys, empty_dir, "--format", "daylio", path)
    assert code == 6 and out == ""
    assert err.startswith("Nothing was imported") and "“stoked”" in err and "--mood" in err
    assert err.count("\n") == 1
    assert vault.read_bytes() == before
    moods = ["stoked=9", "content=7", "fine=6", "numb=3", "drained=2", "wired=6"]
    args = [a for m in moods for a in ("--mood", m)]
    code, out, err = imp(capsys, empty_dir, "--format", "daylio", *args, path)
    assert code == 0, err
    assert out.startswith("Imported 7 check-ins")


def test_a_bad_row_refuses_the_file_unless_skip_bad_rows(
    empty_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = paths.vault_path(empty_dir)
    before = vault.read_bytes()
    path = str(CORPUS / "daylio_bad_rows.csv")
    code, out, err = imp(capsys, empty_dir, "--format", "daylio", path)
    assert code == 6 and out == ""
    assert err.startswith("Nothing was imported: Line 3:")
    assert "--skip-bad-rows" in err and err.count("\n") == 1
    assert vault.read_bytes() == before
    code, out, err = imp(capsys, empty_dir, "--format", "daylio", "--skip-bad-rows", path)
    assert code == 0, err
    assert out.startswith("Imported 2 check-ins")
    assert "6 rows that could not be read were skipped" in out
    assert "Skipped: Line 5: the time could not be read" in out


@pytest.mark.parametrize(
    ("fmt", "data", "words"),
    [
        ("daylio", b"\x00\x01binary", "not a text file"),
        ("daylio", b"name,age\nA,3\n", "not a Daylio export"),
        ("emoods", b"PK\x03\x04broken", "damaged or incomplete"),
        ("emoods", b"\x00\x01binary", "choose the .emoods backup eMoods saved"),
        ("bearable", b"a,b\n1,2\n", "not a Bearable export"),
        ("csv", b"date,mood\n2026-01-01,-3\n", "Line 2"),
    ],
)
def test_invalid_files_exit_6_and_leave_the_vault_alone(
    empty_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    data: bytes,
    words: str,
) -> None:
    vault = paths.vault_path(empty_dir)
    before = vault.read_bytes()
    backups = sorted((empty_dir / "backups").glob("*")) if (empty_dir / "backups").exists() else []
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data)
    code, out, err = imp(capsys, empty_dir, "--format", fmt, str(bad))
    assert code == 6 and out == ""
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    assert vault.read_bytes() == before
    after = sorted((empty_dir / "backups").glob("*")) if (empty_dir / "backups").exists() else []
    assert after == backups


def test_mood_and_skip_bad_rows_are_usage_errors_for_json(
    empty_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.json"
    shutil.copy(CORPUS / "daylio_de_8col.csv", path)
    code, _, err = imp(capsys, empty_dir, "--format", "json", "--mood", "a=1", str(path))
    assert code == 2 and "--mood" in err
    with pytest.raises(SystemExit) as info:
        cli.main(["import", "--format", "daylio", "--mood", "stoked=11", str(path)])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["import", "--format", "daylio", "--mood", "stoked", str(path)])
