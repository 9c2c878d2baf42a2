"""Issue 18 at the command line: global options in both orders for every subcommand, weak
passphrases, calm errors, read-only folders, stale temp files, rollback and full-disk notes,
private outputs, and the entry point's process hardening."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion import cli, paths
from companion.core.session import OpenDiary
from companion.storage import vault as V

PASS = "violet tractor marmalade"
CANARY = "ZQXCRASH my private note text"


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_PASSPHRASE", PASS)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_dir(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, _, err = run(capsys, "demo", "--data-dir", str(data_dir), "--days", "20")
    assert code == 0, err
    return data_dir


@pytest.fixture
def decoy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """The person's "real" diary (COMPANION_DATA_DIR): a wrong target must show up here."""
    real = tmp_path / "real-diary"
    monkeypatch.setenv("COMPANION_DATA_DIR", str(real))
    code, _, err = run(capsys, "demo", "--days", "0")
    assert code == 0, err
    return real


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(".lock")
    }


# --------------------------------------------------------------------------- global options


def _argv_for(command: str, where: Path, tmp_path: Path, export_file: Path) -> list[str]:
    return {
        "check": ["check"],
        "export": ["export", "--format", "json", "--out", str(tmp_path / f"out-{where.name}.json")],
        "import": ["import", "--format", "json", str(export_file)],
        "demo": ["demo", "--days", "0"],
        "screenshot": ["screenshot", "--page", "settings", "--out", str(tmp_path / "s.png")],
    }[command]


@pytest.mark.parametrize("command", ["check", "export", "import", "demo", "screenshot"])
@pytest.mark.parametrize("order", ["before", "after"])
def test_global_options_work_before_or_after_every_subcommand(
    command: str,
    order: str,
    decoy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / f"target-{command}-{order}"
    if command != "demo":
        code, _, err = run(capsys, "demo", "--data-dir", str(target), "--days", "3")
        assert code == 0, err
    export_file = tmp_path / "import-me.json"
    if command != "import":
        document = {"format": "companion-export", "version": 1, "schema": None, "tables": {}}
        export_file.write_text(json.dumps(document))
    else:  # a real export of the target (to a new file: exports never replace one)
        code, _, err = run(
            capsys,
            "export",
            "--data-dir",
            str(target),
            "--format",
            "json",
            "--out",
            str(export_file),
        )
        assert code == 0, err
    secret = tmp_path / "secret.txt"
    secret.write_text(PASS + "\n")
    monkeypatch.delenv("COMPANION_PASSPHRASE")  # so the passphrase file must be used
    options = ["--data-dir", str(target), "--passphrase-file", str(secret)]
    sub = _argv_for(command, target, tmp_path, export_file)
    argv = [*options, *sub] if order == "before" else [*sub, *options]
    decoy_before = _snapshot(decoy)
    code, out, err = run(capsys, *argv)
    assert code == 0 if command != "import" else code in (0, 6), err
    assert _snapshot(decoy) == decoy_before  # the real diary was not touched
    assert paths.vault_path(target).exists()
    if command == "check":
        assert str(target) in out
    if command == "export":
        assert (tmp_path / f"out-{target.name}.json").exists()
    if command == "screenshot":
        assert (tmp_path / "s.png").stat().st_size > 0


def test_global_options_given_twice_the_later_wins(
    decoy: Path, tmp_path: Path, demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--data-dir", str(decoy), "check", "--data-dir", str(demo_dir))
    assert code == 0, err
    assert str(demo_dir) in out


# --------------------------------------------------------------------------- weak passphrases


@pytest.mark.parametrize("weak", ["password1", "12345678", "aaaaaaaa", "qwertyui", "p@ssw0rd"])
def test_demo_refuses_a_weak_passphrase(
    weak: str, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANION_PASSPHRASE", weak)
    code, _, err = run(capsys, "demo", "--data-dir", str(data_dir), "--days", "0")
    assert code == 2
    assert "too easy to guess" in err and "one computer like this one" in err
    assert err.count("\n") == 1 and weak not in err
    assert not paths.vault_path(data_dir).exists()


# --------------------------------------------------------------------------- calm errors


def _plant_malformed_value(directory: Path) -> None:
    """An authenticated vault (resealed with the real key) holding a value that fails to
    parse, as the review built it (F4)."""
    vault = paths.vault_path(directory)
    diary = OpenDiary.unlock(vault, passphrase=PASS)
    conn = diary.db.raw_connection
    conn.execute(
        "UPDATE mood_entries SET occurred_at = ? "
        "WHERE rowid = (SELECT min(rowid) FROM mood_entries)",
        (CANARY,),
    )
    conn.commit()
    diary.db.save(force=True)
    diary.lock()


def test_malformed_stored_value_gives_calm_errors_and_check_finds_it(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _plant_malformed_value(demo_dir)
    before = _snapshot(demo_dir)
    code, out, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 4
    assert "mood_entries" in err and "occurred_at" in err
    assert "CRASH" not in out + err and "Traceback" not in err
    code, out, err = run(
        capsys,
        "export",
        "--data-dir",
        str(demo_dir),
        "--format",
        "json",
        "--out",
        str(tmp_path / "x.json"),
    )
    assert code == 1 and err.count("\n") == 1, err
    assert "CRASH" not in out + err and "Traceback" not in err
    assert not (tmp_path / "x.json").exists()
    code, out, err = run(
        capsys,
        "screenshot",
        "--data-dir",
        str(demo_dir),
        "--page",
        "diary",
        "--out",
        str(tmp_path / "d.png"),
    )
    assert code == 1, err
    assert "CRASH" not in out + err and "Traceback" not in err
    assert _snapshot(demo_dir) == before


def test_any_unexpected_error_is_one_calm_sentence(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError(f"internal detail with {CANARY}")

    monkeypatch.setattr("companion.core.diary_check.check_rows", boom)
    code, out, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 1
    assert err.count("\n") == 1 and "RuntimeError" in err
    assert "CRASH" not in out + err and "Traceback" not in err


def test_unexpected_error_in_a_subprocess_prints_no_traceback(demo_dir: Path) -> None:
    _plant_malformed_value(demo_dir)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "companion",
            "export",
            "--data-dir",
            str(demo_dir),
            "--format",
            "json",
            "--out",
            str(demo_dir.parent / "out.json"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COMPANION_PASSPHRASE": PASS},
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "CRASH" not in result.stderr
    assert result.stderr.count("\n") == 1
    # a page that fails while rendering: one sentence, exit 1, and a clean exit (no abort)
    shot = subprocess.run(
        [
            sys.executable,
            "-m",
            "companion",
            "screenshot",
            "--data-dir",
            str(demo_dir),
            "--page",
            "diary",
            "--out",
            str(demo_dir.parent / "shot.png"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COMPANION_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert shot.returncode == 1, shot.stderr[-500:]
    assert "Traceback" not in shot.stderr and "CRASH" not in shot.stderr
    assert shot.stderr.count("Something unexpected") == 1 and "Saved" not in shot.stdout


# --------------------------------------------------------------------------- read-only folder


@pytest.fixture
def read_only_copy(demo_dir: Path, tmp_path: Path) -> Iterator[Path]:
    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() != 0:
        os.chmod(demo_dir, 0o500)
        try:
            yield demo_dir
        finally:
            os.chmod(demo_dir, 0o700)
        return
    r1 = subprocess.run(["mount", "--bind", str(demo_dir), str(ro)], capture_output=True)
    r2 = subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], capture_output=True)
    if r1.returncode != 0 or r2.returncode != 0:
        if r1.returncode == 0:
            subprocess.run(["umount", str(ro)], capture_output=True)
        pytest.skip("root, and no read-only bind mount here")
    try:
        yield ro
    finally:
        subprocess.run(["umount", "-l", str(ro)], capture_output=True)


@pytest.mark.parametrize("with_lock_file", [True, False])
def test_check_and_export_work_on_a_read_only_folder(
    demo_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    with_lock_file: bool,
    request: pytest.FixtureRequest,
) -> None:
    lock = demo_dir / "vault.companion.lock"
    if not with_lock_file:
        lock.unlink()
    folder = request.getfixturevalue("read_only_copy")
    code, out, err = run(capsys, "check", "--data-dir", str(folder))
    assert code == 0, err
    assert "passes the integrity check" in out
    out_file = tmp_path / "ro-export.json"
    code, _, err = run(
        capsys, "export", "--data-dir", str(folder), "--format", "json", "--out", str(out_file)
    )
    assert code == 0, err
    assert json.loads(out_file.read_text())["format"] == "companion-export"


# --------------------------------------------------------------------------- temp files, modes


def test_cli_removes_stale_temp_files_after_taking_the_lock(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = [
        demo_dir / ".vault.companion.0123456789abcdef.tmp",
        demo_dir / "backups" / ".x.fedcba9876543210.tmp",
    ]
    (demo_dir / "backups").mkdir(exist_ok=True)
    for p in stale:
        p.write_bytes(b"ciphertext leftovers")
    code, _, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 0, err
    assert not any(p.exists() for p in stale)


def test_export_is_private_and_ignores_a_planted_temp_name(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    planted = shared / ".export.json.tmp"
    planted.write_text("mallory")
    os.chmod(planted, 0o666)
    old = os.umask(0o022)
    try:
        code, _, err = run(
            capsys,
            "export",
            "--data-dir",
            str(demo_dir),
            "--format",
            "json",
            "--include-notes",
            "--out",
            str(shared / "export.json"),
        )
    finally:
        os.umask(old)
    assert code == 0, err
    out = shared / "export.json"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.stat().st_uid == os.geteuid()
    assert planted.read_text() == "mallory"  # not reused, not followed


def test_data_folder_is_tightened_by_the_cli(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chmod(demo_dir, 0o755)
    os.chmod(paths.vault_path(demo_dir), 0o644)
    code, _, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 0, err
    assert stat.S_IMODE(demo_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(paths.vault_path(demo_dir).stat().st_mode) == 0o600


def test_screenshot_png_is_private(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "diary.png"
    old = os.umask(0o022)
    try:
        code, _, err = run(
            capsys, "screenshot", "--data-dir", str(demo_dir), "--page", "diary", "--out", str(out)
        )
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- rollback, full disk


def test_check_shows_last_saved_and_warns_about_a_newer_backup(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = paths.vault_path(demo_dir)
    code, out, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 0 and "Last saved:" in out and "newer" not in err
    old_copy = vault.read_bytes()
    # two later sessions each change the diary (their files become backups)
    for _ in range(2):
        diary = OpenDiary.unlock(vault, passphrase=PASS)
        diary.vault._clock = lambda: V._utcnow().replace(year=V._utcnow().year + 1)
        diary.db.save(force=True)
        diary.lock()
    vault.write_bytes(old_copy)  # the rollback
    code, out, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 0
    assert "newer than the diary file" in err


def test_cli_reports_a_backup_dropped_on_a_full_disk(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = run(capsys, "demo", "--data-dir", str(data_dir), "--days", "0")
    assert code == 0, err
    demo_dir = data_dir
    other = tmp_path / "other"
    code, _, err = run(capsys, "demo", "--data-dir", str(other), "--days", "2", "--seed", "7")
    assert code == 0, err
    export = tmp_path / "e.json"  # records the diary does not have yet: the import saves
    code, _, err = run(
        capsys, "export", "--data-dir", str(other), "--format", "json", "--out", str(export)
    )
    assert code == 0, err
    diary = OpenDiary.unlock(paths.vault_path(demo_dir), passphrase=PASS)
    diary.db.save(force=True)  # a second generation, so there is an older one to drop
    diary.lock()
    real = V._write_temp
    failures = [1]

    def full_once(*a: object, **k: object) -> object:
        if failures[0]:
            failures[0] -= 1
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(V, "_write_temp", full_once)
    code, _, err = run(
        capsys, "import", "--data-dir", str(demo_dir), "--format", "json", str(export)
    )
    assert code in (0, 6), err
    assert "disk was full" in err and "removed to make room" in err


# --------------------------------------------------------------------------- entry point


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="reads another process's dumpable flag through /proc ownership (root test runner)",
)
def test_python_m_companion_hardens_the_process(tmp_path: Path) -> None:
    """The real entry point (not the function) turns off core dumps and same-user ptrace.

    A non-dumpable process's /proc files are owned by root:root; a dumpable one's by its own
    ids. The child runs with uid 0 but group 65534, so the two cases differ.
    """
    data = tmp_path / "gui"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("COMPANION_PASSPHRASE", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "companion", "--data-dir", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: (os.setgroups([]), os.setgid(65534)),
    )
    try:
        deadline = time.monotonic() + 30
        hardened = False
        limits = ""
        while time.monotonic() < deadline and child.poll() is None:
            limits = Path(f"/proc/{child.pid}/limits").read_text()
            core = next(line for line in limits.splitlines() if line.startswith("Max core"))
            group = os.stat(f"/proc/{child.pid}/environ").st_gid
            if core.split()[4:6] == ["0", "0"] and group == 0:
                hardened = True
                break
            time.sleep(0.05)  # polling another process's state: there is no signal to wait on
    finally:
        child.kill()
        _, err = child.communicate()
    assert hardened, (child.returncode, err.decode(errors="replace")[-2000:], limits)


def test_check_warns_about_a_copy_from_before_a_passphrase_change(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = paths.vault_path(demo_dir)
    old_copy = vault.read_bytes()
    diary = OpenDiary.unlock(vault, passphrase=PASS)
    diary.change_passphrase("quilt harbour lantern seventeen")
    diary.lock()
    vault.write_bytes(old_copy)  # the old passphrase opens the old copy (review F9 c)
    code, _, err = run(capsys, "check", "--data-dir", str(demo_dir))
    assert code == 0
    assert "newer passphrase than the diary file" in err
