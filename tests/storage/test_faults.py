"""Fault injection (research §7.1): crashes, truncation, bit flips, failing devices, full and
read-only disks, stale temp files, backup fallback. Each family reports one figure line."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from companion.storage import format as vault_format
from companion.storage import vault as V
from companion.storage.errors import (
    CorruptVaultError,
    UnsupportedVersionError,
    VaultWriteError,
    WrongKeyError,
)

from .helpers import (
    MARKER,
    PASSPHRASE,
    aad_end,
    gen_of,
    image_with,
    kill_while_saving,
    temp_files,
    tree_snapshot,
)

Report = Callable[[str], None]

KILL_RUNS = 200
FLIPS = 3000
RANDOM_CUTS = 200


# --------------------------------------------------------------------------- kill -9


def _child_save_loop(path: Path, start_gen: int, wfd: int) -> None:
    """Runs in a forked child: unlock, then edit → save → acknowledge, forever."""
    try:
        v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
        gen = start_gen
        while True:
            gen += 1
            v.save(image_with(gen=gen, size=150_000))
            os.write(wfd, f"{gen}\n".encode())
    finally:
        os._exit(1)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork/SIGKILL")
def test_kill_9_during_save(created: tuple[Path, str], report_figure: Report) -> None:
    path, _ = created
    rng = random.Random(1234)
    on_disk = 0
    old = new = leftovers = runs_without_ack = 0
    for _run in range(KILL_RUNS):
        lines = kill_while_saving(_child_save_loop, path, on_disk, rng.uniform(0.0, 0.07))
        acked = lines[-1] if lines else on_disk
        runs_without_ack += not lines

        v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)  # must always open
        v.close()
        current = gen_of(image)
        assert current in (acked, acked + 1), (current, acked)
        if current == acked:
            old += 1
        else:
            new += 1
        on_disk = current
        for tmp in temp_files(path.parent):
            assert MARKER not in tmp.read_bytes()  # leftovers are ciphertext only
        found = len(temp_files(path.parent))
        assert V.cleanup_stale_temp_files(path.parent) == found
        leftovers += found
        for b in V.list_backups(path):  # every backup still opens
            V.Vault.unlock(b.path, passphrase=PASSPHRASE)
    report_figure(
        f"kill-9 during save: {KILL_RUNS} runs, 0 lost, 0 unreadable; "
        f"{old} last-acknowledged / {new} one newer; {leftovers} temp leftovers "
        f"(all ciphertext, removed by cleanup_stale_temp_files); {runs_without_ack} killed "
        "before the first acknowledgement"
    )


# --------------------------------------------------------------------------- truncation


def test_truncation_everywhere(created: tuple[Path, str], report_figure: Report) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(size=150_000))  # three padding blocks
    data = path.read_bytes()
    end = aad_end(data)
    header_end = end - 32
    cuts = {0, 1, 7, 8, 9, 10, 11, 13, 14, 15, header_end - 1, header_end, header_end + 1}
    cuts |= {end - 1, end, end + 1, end + 16, len(data) - 17, len(data) - 16, len(data) - 1}
    cuts |= {end + k * vault_format.PAD_BLOCK + d for k in range(4) for d in (-1, 0, 1, 16)}
    rng = random.Random(7)
    structural = len(cuts)
    cuts |= {rng.randrange(len(data)) for _ in range(RANDOM_CUTS)}
    cuts = {c for c in cuts if 0 <= c < len(data)}
    outcome: Counter[str] = Counter()
    target = path.with_name("cut.companion")
    for cut in sorted(cuts):
        target.write_bytes(data[:cut])
        try:
            V.Vault.unlock(target, passphrase=PASSPHRASE)
            outcome["accepted"] += 1
        except UnsupportedVersionError:
            outcome["unexpected"] += 1
        except CorruptVaultError:
            outcome["corrupt"] += 1
    assert outcome["corrupt"] == len(cuts), outcome
    report_figure(
        f"truncation: {len(cuts)} cuts ({structural} structural boundaries + random) → "
        f"{outcome['corrupt']} Corrupt, {outcome['accepted']} accepted, "
        f"{outcome['unexpected']} unexpected"
    )


# --------------------------------------------------------------------------- bit flips


@pytest.mark.slow
def test_random_bit_flips_all_detected(created: tuple[Path, str], report_figure: Report) -> None:
    path, _ = created
    data = path.read_bytes()
    end = aad_end(data)
    rng = random.Random(99)
    reasons: Counter[str] = Counter()
    target = path.with_name("flip.companion")
    target.write_bytes(data)
    fd = os.open(target, os.O_WRONLY)
    last = 0
    for i in range(FLIPS):
        pos = rng.randrange(end) if i % 3 == 0 else rng.randrange(end, len(data))
        if i:
            os.pwrite(fd, data[last : last + 1], last)  # undo the previous flip
        os.pwrite(fd, bytes([data[pos] ^ (1 << rng.randrange(8))]), pos)
        last = pos
        try:
            V.Vault.unlock(target, passphrase=PASSPHRASE)
            reasons["ACCEPTED"] += 1
        except UnsupportedVersionError:
            reasons["magic/version/length"] += 1
        except V.DamagedVaultError as exc:
            key = {
                "bad magic": "magic/version/length",
                "bad version": "magic/version/length",
                "header length out of range": "magic/version/length",
                "truncated header": "magic/version/length",
                "header checksum": "header checksum",
                "payload authentication": "payload AEAD",
            }.get(exc.reason, exc.reason)
            reasons[key] += 1
        except WrongKeyError:
            reasons["WRONG-KEY"] += 1
    os.close(fd)
    assert reasons["ACCEPTED"] == 0 and reasons["WRONG-KEY"] == 0, reasons
    assert sum(reasons.values()) == FLIPS
    detail = ", ".join(f"{n} {k}" for k, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    report_figure(f"bit flips: {FLIPS} single-bit flips (1/3 in the header) → {detail}; 0 accepted")


# --------------------------------------------------------------------------- failing device


@contextlib.contextmanager
def failing_writes(after: int, *, fsync: bool = False) -> Iterator[None]:
    """os.write succeeds for ``after`` bytes, then raises EIO (a Python FailDevice)."""
    real_write, real_fsync = os.write, os.fsync
    real_fdatasync = getattr(os, "fdatasync", None)
    budget = [after]

    def write(fd: int, data: bytes | memoryview) -> int:
        if budget[0] <= 0:
            raise OSError(errno.EIO, "injected write failure")
        n = real_write(fd, memoryview(data)[: budget[0]])
        budget[0] -= n
        return n

    def bad_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "injected fsync failure")

    os.write = write  # type: ignore[assignment]
    if fsync:
        os.fsync = bad_fsync
        if real_fdatasync is not None:  # the vault uses fdatasync for file data on Linux
            os.fdatasync = bad_fsync
    try:
        yield
    finally:
        os.write, os.fsync = real_write, real_fsync  # type: ignore[assignment]
        if real_fdatasync is not None:
            os.fdatasync = real_fdatasync


def test_device_write_failure(created: tuple[Path, str], report_figure: Report) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1, size=200_000))
    v.close()
    v, _image = V.Vault.unlock(path, passphrase=PASSPHRASE)  # a session backup is now due
    size = len(vault_format.seal(v._next_header(), v._dek, image_with(gen=2, size=200_000)))
    injected = {
        "write@0": lambda: failing_writes(0),
        "write@1": lambda: failing_writes(1),
        "write@4KiB": lambda: failing_writes(4096),
        "write@mid": lambda: failing_writes(size // 2),
        "write@last byte": lambda: failing_writes(size - 1),
        "fsync": lambda: failing_writes(10**9, fsync=True),
    }
    real_replace, real_link = os.replace, os.link

    def bad_replace(*a: object, **k: object) -> None:
        raise OSError(errno.EIO, "injected rename failure")

    before = tree_snapshot(path.parent)
    results = []
    for name, ctx in [*injected.items(), ("rename", None)]:
        try:
            if ctx is None:
                os.replace = bad_replace  # type: ignore[assignment]
            with ctx() if ctx else contextlib.nullcontext(), pytest.raises(VaultWriteError) as info:
                v.save(image_with(gen=2, size=200_000))
        finally:
            os.replace, os.link = real_replace, real_link
        assert isinstance(info.value.__cause__, OSError)
        assert tree_snapshot(path.parent) == before, name  # vault and backups unchanged
        assert temp_files(path.parent) == [], name
        results.append(name)
    v.save(image_with(gen=3, size=200_000))  # and the next save works
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 3
    report_figure(
        f"device write failure: {len(results)} injections ({', '.join(results)}) → "
        "VaultWriteError each time; vault and backups byte-for-byte unchanged; 0 temp files left"
    )


# --------------------------------------------------------------------------- full disk


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[bool]:
    where.mkdir()
    ok = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield ok
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_disk_full(tmp_path: Path, report_figure: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    big = 5 * 1024 * 1024
    with tmpfs(tmp_path / "small", "8m") as real:
        if not real:
            pytest.skip("cannot mount a tmpfs here")  # see the injected variant below
        path = tmp_path / "small" / "vault.companion"
        V.Vault.create(path, PASSPHRASE, image_with(gen=1, size=big))
        v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
        before = tree_snapshot(path.parent)
        with pytest.raises(VaultWriteError) as info:
            v.save(image_with(gen=2, size=big))
        assert info.value.__cause__.errno == errno.ENOSPC  # type: ignore[union-attr]
        assert tree_snapshot(path.parent) == before and temp_files(path.parent) == []
        assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 1
        v.save(image_with(gen=2, size=1000))  # a smaller save still fits: nothing was stuck

    with tmpfs(tmp_path / "medium", "12m") as real:
        assert real
        path = tmp_path / "medium" / "vault.companion"
        V.Vault.create(path, PASSPHRASE, image_with(gen=1, size=big))
        v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
        v.save(image_with(gen=2, size=big))  # gen 1 is now a backup (hard link, no copy)
        assert len(V.list_backups(path)) == 2  # session + daily, same file
        v.save(image_with(gen=3, size=big))  # ENOSPC → oldest backup dropped → retried
        assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 3
        # gen 1 (session + daily) was dropped; today's daily was then re-taken from gen 2
        remaining = V.list_backups(path)
        assert [b.kind for b in remaining] == ["daily"]
        assert gen_of(V.Vault.unlock(remaining[0].path, passphrase=PASSPHRASE)[1]) == 2
    report_figure(
        "disk full (real tmpfs, 5 MB image): 8 MiB → ENOSPC on the 1st save, VaultWriteError, "
        "vault (gen 1) and backups unchanged, temp removed; 12 MiB → ENOSPC on the 3rd save, "
        "oldest backup generation dropped, retry succeeded (gen 3 on disk, gen 2 as daily)"
    )


def test_disk_full_injected(created: tuple[Path, str], report_figure: Report) -> None:
    """The same contract without a real mount (what non-root machines run)."""
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1))
    v.close()
    v, _image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    real_write = os.write

    def enospc(fd: int, data: bytes | memoryview) -> int:
        raise OSError(errno.ENOSPC, "injected: no space left on device")

    backups_before = len(V.list_backups(path))
    vault_before = path.read_bytes()
    os.write = enospc  # type: ignore[assignment]
    try:
        with pytest.raises(VaultWriteError):
            v.save(image_with(gen=2))
    finally:
        os.write = real_write
    assert path.read_bytes() == vault_before and temp_files(path.parent) == []
    # one backup generation was dropped to make room before the single retry
    assert len(V.list_backups(path)) < backups_before
    report_figure(
        "disk full (injected ENOSPC): VaultWriteError after dropping the oldest backup and one "
        "retry; vault unchanged; 0 temp files"
    )


# --------------------------------------------------------------------------- read-only


def test_read_only_directory(
    created: tuple[Path, str], tmp_path: Path, report_figure: Report
) -> None:
    path, _ = created
    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = False
    if os.geteuid() == 0:
        r1 = subprocess.run(["mount", "--bind", str(path.parent), str(ro)], capture_output=True)
        r2 = subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], capture_output=True)
        mounted = r1.returncode == 0
        if not mounted or r2.returncode != 0:
            if mounted:
                subprocess.run(["umount", str(ro)], capture_output=True)
            pytest.skip("root, and no read-only bind mount: chmod does not stop root")
        target = ro / path.name
        how = "read-only bind mount"
    else:
        os.chmod(path.parent, 0o500)
        target = path
        how = "chmod 0500 (non-root)"
    try:
        v, _ = V.Vault.unlock(target, passphrase=PASSPHRASE)
        before = path.read_bytes()
        with pytest.raises(VaultWriteError) as info:
            v.save(image_with(gen=5))
        code = info.value.__cause__.errno  # type: ignore[union-attr]
        assert code in (errno.EROFS, errno.EACCES)
        assert path.read_bytes() == before
    finally:
        if mounted:
            subprocess.run(["umount", str(ro)], capture_output=True)
        else:
            os.chmod(path.parent, 0o700)
    report_figure(f"read-only folder ({how}): {errno.errorcode[code]} → VaultWriteError, no loss")


# --------------------------------------------------------------------------- stale temp files


def test_stale_temp_cleanup(created: tuple[Path, str], report_figure: Report) -> None:
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image)
    backups = path.parent / "backups"
    fake = [
        path.parent / ".vault.companion.0123456789abcdef.tmp",
        path.parent / ".vault.companion.fedcba9876543210.tmp",
        backups / ".vault.daily.20250101T000000000000Z.companion.00000000000000aa.tmp",
    ]
    keep = [
        path.parent / "notes.tmp",
        path.parent / ".vault.companion.tmp",
        path.parent / ".vault.companion.XYZ.tmp",
    ]
    for p in fake + keep:
        p.write_bytes(b"x")
    (path.parent / ".dir.0123456789abcdef.tmp").mkdir()  # not a file: left alone
    before = path.read_bytes()
    assert V.cleanup_stale_temp_files(path.parent) == len(fake)
    assert all(not p.exists() for p in fake) and all(p.exists() for p in keep)
    assert path.read_bytes() == before
    assert V.cleanup_stale_temp_files(path.parent) == 0
    report_figure(
        f"stale temp files: {len(fake)} planted → {len(fake)} removed, 3 look-alikes kept"
    )


# --------------------------------------------------------------------------- backup fallback


def test_backup_fallback(created: tuple[Path, str], report_figure: Report) -> None:
    path, _ = created
    for gen in (1, 2, 3):
        v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
        v.save(image_with(gen=gen))
        v.close()
    backups = V.list_backups(path)
    assert gen_of(V.Vault.unlock(backups[0].path, passphrase=PASSPHRASE)[1]) == 2
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(data)
    with pytest.raises(CorruptVaultError):
        V.Vault.unlock(path, passphrase=PASSPHRASE)

    start = time.perf_counter()
    info, v, image = V.open_newest_backup(path.parent, passphrase=PASSPHRASE)
    elapsed = (time.perf_counter() - start) * 1000
    assert info.path == backups[0].path and gen_of(image) == 2
    assert v.path == path
    with pytest.raises(WrongKeyError):
        V.open_newest_backup(path.parent, passphrase="not it")

    # the newest backup is damaged too: the next one that opens is offered
    newest = bytearray(backups[0].path.read_bytes())
    newest[-5] ^= 1
    backups[0].path.write_bytes(newest)
    _info2, v2, image2 = V.open_newest_backup(path.parent, passphrase=PASSPHRASE)
    assert gen_of(image2) == 1

    # saving makes it the vault again; the damaged file is kept as a session backup
    v2.save(image2)
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 1
    assert any(b.path.read_bytes() == bytes(data) for b in V.list_backups(path))

    for b in V.list_backups(path):
        b.path.write_bytes(b"broken")
    path.write_bytes(b"broken")
    with pytest.raises(CorruptVaultError):
        V.open_newest_backup(path.parent, passphrase=PASSPHRASE)
    report_figure(
        f"backup fallback: corrupt vault → newest backup (gen 2 of 3) opened in {elapsed:.1f} ms; "
        "newest also corrupt → next (gen 1) offered and restored by saving; none left → Corrupt"
    )
