"""``companion export --format pdf|csv|json|fhir`` and ``companion import --format plan``:
outputs, refusals in one sentence with their exit codes, and what was shared."""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from companion import cli, paths
from companion.core.homework.demo import demo_plan
from companion.core.homework.plan import new_plan_id, plan_to_toml
from companion.core.reports.service import ReportsService
from companion.core.session import open_diary_locked

PASS = "violet tractor marmalade"


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_PASSPHRASE", PASS)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def demo_image(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """One demo diary for the module (its vault file is copied for each test)."""
    folder = tmp_path_factory.mktemp("demo")
    os.environ["COMPANION_PASSPHRASE"] = PASS
    try:
        assert cli.main(["demo", "--data-dir", str(folder), "--days", "120"]) == 0
    finally:
        del os.environ["COMPANION_PASSPHRASE"]
    return paths.vault_path(folder).read_bytes()


@pytest.fixture
def demo_dir(data_dir: Path, demo_image: bytes) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    vault = paths.vault_path(data_dir)
    vault.write_bytes(demo_image)
    vault.chmod(0o600)
    return data_dir


def shared(data_dir: Path) -> list[object]:
    with open_diary_locked(paths.vault_path(data_dir), lambda: PASS, read_only=True) as diary:
        return list(ReportsService(diary.db).shared())


def test_a_pdf_summary_of_the_last_90_days_is_recorded_as_shared(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    out = tmp_path / "summary.pdf"
    code, stdout, err = run(
        capsys, "export", "--data-dir", str(demo_dir), "--format", "pdf", "--paper", "letter",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "page summary to" in stdout and err == ""
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert round(float(reader.pages[0].mediabox.width)) == 612  # US Letter
    assert (out.stat().st_mode & 0o777) == 0o600
    (entry,) = [s for s in shared(demo_dir) if getattr(s, "via", "") == "cli"]
    assert entry.format == "pdf" and entry.period.days == 90  # type: ignore[attr-defined]
    assert entry.file_name == "summary.pdf" and not entry.includes_notes  # type: ignore[attr-defined]


def test_csv_fhir_and_json_with_dates_and_notes(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["export", "--data-dir", str(demo_dir), "--from", "2020-01-01", "--to", "2030-12-31"]
    code, _, err = run(capsys, *base, "--format", "csv", "--include-notes",
                       "--out", str(tmp_path / "t.zip"))  # fmt: skip
    assert code == 0, err
    archive = zipfile.ZipFile(tmp_path / "t.zip")
    assert "notes.csv" not in archive.namelist()  # notes are text blocks, not a table
    header = archive.read("mood_checkins.csv").decode("utf-8-sig").splitlines()[0]
    assert header.endswith(",note")  # included with --include-notes
    code, _, err = run(capsys, *base, "--format", "fhir", "--sections", "checkups,mood",
                       "--out", str(tmp_path / "b.json"))  # fmt: skip
    assert code == 0, err
    bundle = json.loads((tmp_path / "b.json").read_text())
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert "MedicationStatement" not in kinds and "QuestionnaireResponse" in kinds
    code, _, err = run(capsys, "export", "--data-dir", str(demo_dir), "--format", "json",
                       "--out", str(tmp_path / "d.json"))  # fmt: skip
    assert code == 0, err
    document = json.loads((tmp_path / "d.json").read_text())
    assert document["range"] == {"from": None, "to": None}
    assert "shared_exports" not in document["tables"]
    assert [s.format for s in shared(demo_dir) if s.via == "cli"] == ["json", "fhir", "csv"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--format", "csv", "--paper", "a4"], "apply only to --format pdf"),
        (["--format", "json", "--sections", "mood"], "does not apply to json"),
        (["--format", "pdf", "--sections", "mood,dreams"], "no section called “dreams”"),
        (["--format", "pdf", "--from", "2026-12-01", "--to", "2026-11-01"], "on or before"),
        (["--format", "csv", "--from", "1950-01-01", "--to", "2026-11-01"], "fifty years"),
    ],
)
def test_bad_options_are_usage_errors_and_write_nothing(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], words: str
) -> None:
    vault = paths.vault_path(demo_dir)
    before = vault.read_bytes()
    code, _, err = run(capsys, "export", "--data-dir", str(demo_dir), *extra,
                       "--out", str(tmp_path / "x"))  # fmt: skip
    assert code == 2 and words in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists() and vault.read_bytes() == before


def test_an_existing_file_or_an_unwritable_folder_is_refused_before_anything(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = paths.vault_path(demo_dir)
    before = vault.read_bytes()
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"an earlier summary")
    code, _, err = run(capsys, "export", "--data-dir", str(demo_dir), "--format", "pdf",
                       "--out", str(target))  # fmt: skip
    assert code == 2 and "never replaces" in err and err.count("\n") == 1
    assert target.read_bytes() == b"an earlier summary"
    code, _, err = run(capsys, "export", "--data-dir", str(demo_dir), "--format", "pdf",
                       "--out", str(tmp_path / "missing" / "x.pdf"))  # fmt: skip
    assert code == 2 and "no folder" in err
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, _, err = run(capsys, "export", "--data-dir", str(demo_dir), "--format", "pdf",
                           "--out", str(locked / "x.pdf"))  # fmt: skip
        assert code == 2 and "cannot be written" in err
    assert vault.read_bytes() == before


def test_a_password_file_protects_the_pdf_and_a_weak_one_is_refused(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text("short\n", encoding="utf-8")
    out = tmp_path / "locked.pdf"
    args = ["export", "--data-dir", str(demo_dir), "--format", "pdf", "--sections", "mood"]
    code, _, err = run(capsys, *args, "--password-file", str(secret), "--out", str(out))
    assert code == 2 and "at least 8 characters" in err and not out.exists()
    secret.write_text("river lamp orbit seven\n", encoding="utf-8")
    code, _, err = run(capsys, *args, "--password-file", str(secret), "--out", str(out))
    assert code == 0, err
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert reader.is_encrypted and reader.decrypt("river lamp orbit seven")
    (entry,) = [s for s in shared(demo_dir) if s.via == "cli"]  # type: ignore[attr-defined]
    assert entry.protected  # type: ignore[attr-defined]


def test_import_a_plan_then_the_same_plan_again_and_bad_plan_files(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.toml"
    plan = replace(demo_plan(date(2026, 12, 7)), id=new_plan_id())
    plan_file.write_text(plan_to_toml(plan), encoding="utf-8")
    code, out, err = run(capsys, "import", "--data-dir", str(demo_dir), "--format", "plan",
                         str(plan_file))  # fmt: skip
    assert code == 0, err
    assert "Accepted the plan “Between our sessions”" in out and "Check in twice a day" in out
    code, _, err = run(capsys, "import", "--data-dir", str(demo_dir), "--format", "plan",
                       str(plan_file))  # fmt: skip
    assert code == 2 and "already in your diary" in err
    vault = paths.vault_path(demo_dir)
    before = vault.read_bytes()
    for content in (
        b"",
        b"%PDF-1.7 not a plan",
        b'format = "companion-homework-plan"\nversion = 2\n',
    ):
        plan_file.write_bytes(content)
        code, _, err = run(capsys, "import", "--data-dir", str(demo_dir), "--format", "plan",
                           str(plan_file))  # fmt: skip
        assert code == 6 and err.startswith("Nothing was imported") and err.count("\n") == 1
    assert vault.read_bytes() == before
