"""Sealing as the file is written (``format.SealedFile``): the same bytes as sealing it all at
once, no image-sized buffer while saving, and the write protocol's faults with files of many
chunks."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.storage import format as vault_format
from companion.storage import vault as V
from companion.storage.errors import VaultWriteError
from companion.storage.format import PAD_BLOCK, SEAL_CHUNK, Header, SealBuffers, SealedFile

from .helpers import (
    MARKER,
    PASSPHRASE,
    gen_of,
    image_with,
    kill_while_saving,
    temp_files,
    tree_snapshot,
)

DEK = bytearray(range(32))


def _header(salt: int = 1) -> Header:
    slot = vault_format.PassphraseSlot(
        kdf=vault_format.KdfParams(65536, 3, 4),
        salt=bytes(16),
        nonce=bytes(12),
        ct=bytes(48),
    )
    return Header(
        file_id="0" * 32,
        save_salt=bytes([salt]) * 32,
        saved_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        slots=(slot,),
    )


def sealed_at_once(header: Header, dek: bytearray, image: bytes) -> bytes:
    """Format v1 as the vault sealed it before it streamed: the padded plaintext built whole,
    then one AES-GCM encryption (the reference the streamed file must equal byte for byte)."""
    header_raw = vault_format.header_bytes(header)
    prefix = vault_format._PREFIX.pack(vault_format.MAGIC, 1, len(header_raw)) + header_raw
    aad = prefix + hashlib.sha256(prefix).digest()
    padded = -(-(8 + len(image)) // PAD_BLOCK) * PAD_BLOCK
    plain = len(image).to_bytes(8, "big") + image + bytes(padded - 8 - len(image))
    key = vault_format.payload_key(dek, header.save_salt)
    return aad + AESGCM(key).encrypt(bytes(12), plain, aad)


def _image(size: int) -> bytes:
    return (hashlib.sha256(size.to_bytes(8, "big")).digest() * (size // 32 + 1))[:size]


# Sizes where the padding or the chunking changes: around every 64 KiB step (less 8 for the
# length field), around the 1 MiB chunk, and the empty image.
_STEPS = (0, PAD_BLOCK - 8, 2 * PAD_BLOCK - 8, SEAL_CHUNK - 8, SEAL_CHUNK, SEAL_CHUNK + 8)
_EDGES = sorted(
    {max(0, edge + delta) for edge in _STEPS for delta in (-1, 0, 1)}
    | {2 * SEAL_CHUNK + PAD_BLOCK - 8}
)


@pytest.mark.parametrize("size", _EDGES)
def test_the_streamed_file_is_the_file_sealed_at_once(size: int) -> None:
    image, header = _image(size), _header()
    reference = sealed_at_once(header, DEK, image)
    buffers = SealBuffers()
    for _run in range(2):  # the reused buffer gives the same bytes a second time
        sealed = SealedFile(header, DEK, image, buffers)
        pieces = [bytes(chunk) for chunk in sealed.chunks()]
        assert b"".join(pieces) == reference
        assert len(sealed) == len(reference)
        assert sealed.tag == reference[-16:]
        assert max(map(len, pieces)) <= SEAL_CHUNK + 2 * 16  # never an image-sized piece
    assert bytes(SealedFile(header, DEK, image)) == reference  # and with a buffer of its own
    parsed = vault_format.parse(reference)
    assert vault_format.open_payload(parsed, DEK) == image


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.one_of(
        st.integers(0, 3 * PAD_BLOCK),
        st.sampled_from(_EDGES).flatmap(lambda e: st.integers(max(0, e - 40), e + 40)),
        st.integers(0, 3 * SEAL_CHUNK),
    ),
    salt=st.integers(0, 255),
)
def test_streamed_equals_at_once_for_any_size(size: int, salt: int) -> None:
    image, header = _image(size), _header(salt)
    assert bytes(SealedFile(header, DEK, image, SealBuffers())) == sealed_at_once(
        header, DEK, image
    )


def test_a_save_holds_no_image_sized_buffer(created: tuple[Path, str]) -> None:
    """The whole save (seal, temp file, fsync, backups, rename) allocates about one chunk,
    however large the image: no padded plaintext copy, no sealed copy."""
    path, _ = created
    image = image_with(gen=1, size=12 * SEAL_CHUNK)
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    try:
        v.save(image_with(gen=0, size=4096))  # the session backup and the buffer, once
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            v.save(image)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        v.close()
    assert peak - before < 2 * SEAL_CHUNK, peak - before
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 1


def test_a_full_disk_in_the_middle_of_the_file_retries_from_the_start(
    created: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC after the first megabytes: the oldest backup goes, the file is sealed again from
    its first byte, and what lands on disk is the whole file, identical to a clean seal."""
    path, _ = created
    for gen in (1, 2):
        v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
        v.save(image_with(gen=gen, size=3 * SEAL_CHUNK))
        v.close()
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    real_write = os.write
    writes = {"done": 0, "failed": 0}

    def full_at_the_third_chunk(fd: int, data: bytes | memoryview) -> int:
        if writes["done"] == 2 and not writes["failed"]:
            writes["failed"] += 1
            raise OSError(errno.ENOSPC, "injected: no space left on device")
        writes["done"] += 1
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_at_the_third_chunk)
    told: list[int] = []
    v.on_backup_dropped = told.append
    image = image_with(gen=3, size=3 * SEAL_CHUNK)
    v.save(image)
    monkeypatch.setattr(os, "write", real_write)
    assert writes["failed"] == 1 and told
    data = path.read_bytes()
    assert data == sealed_at_once(vault_format.parse(data).header, v._dek, image)
    v.close()
    assert temp_files(path.parent) == []


def test_a_device_error_mid_file_leaves_everything_as_it_was(created: tuple[Path, str]) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=1, size=3 * SEAL_CHUNK))
    before = tree_snapshot(path.parent)
    real_write = os.write
    written = [0]

    def eio_after_two_chunks(fd: int, data: bytes | memoryview) -> int:
        if written[0] >= 2 * SEAL_CHUNK:
            raise OSError(errno.EIO, "injected write failure")
        n = real_write(fd, data)
        written[0] += n
        return n

    os.write = eio_after_two_chunks  # type: ignore[assignment]
    try:
        with pytest.raises(VaultWriteError):
            v.save(image_with(gen=2, size=3 * SEAL_CHUNK))
    finally:
        os.write = real_write
    assert tree_snapshot(path.parent) == before
    assert temp_files(path.parent) == []
    v.save(image_with(gen=3, size=3 * SEAL_CHUNK))
    v.close()
    assert gen_of(V.Vault.unlock(path, passphrase=PASSPHRASE)[1]) == 3


KILL_RUNS = 25


def _child_save_loop(path: Path, start_gen: int, wfd: int) -> None:
    try:
        v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
        gen = start_gen
        while True:
            gen += 1
            v.save(image_with(gen=gen, size=3 * SEAL_CHUNK + 5000))
            os.write(wfd, f"{gen}\n".encode())
    finally:
        os._exit(1)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork/SIGKILL")
def test_kill_9_during_a_streamed_save_of_many_chunks(
    created: tuple[Path, str], report_figure: object
) -> None:
    """As ``test_faults.test_kill_9_during_save``, with files of four chunks, so the kill
    often lands between two chunks of one file."""
    path, _ = created
    rng = random.Random(4321)
    on_disk = 0
    leftovers = 0
    for _run in range(KILL_RUNS):
        lines = kill_while_saving(_child_save_loop, path, on_disk, rng.uniform(0.0, 0.15))
        acked = lines[-1] if lines else on_disk
        v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)  # must always open
        v.close()
        current = gen_of(image)
        assert current in (acked, acked + 1), (current, acked)
        on_disk = current
        for tmp in temp_files(path.parent):
            assert MARKER not in tmp.read_bytes()
        leftovers += V.cleanup_stale_temp_files(path.parent)
    report_figure(  # type: ignore[operator]
        f"kill-9 during streamed saves of 4-chunk files: {KILL_RUNS} runs, 0 lost, "
        f"0 unreadable; {leftovers} partial temp files (ciphertext) removed"
    )


# --------------------------------------------------------------------------- reading back


@pytest.mark.parametrize(
    "size", [0, 100, PAD_BLOCK - 8, PAD_BLOCK - 7, SEAL_CHUNK + 5, 3 * SEAL_CHUNK]
)
def test_a_vault_file_decrypts_as_it_is_read_into_the_image_itself(
    created: tuple[Path, str], size: int
) -> None:
    path, _ = created
    image = image_with(gen=7, size=max(size, 64))[:size] if size else b""
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image)
    dek = bytearray(v._dek)
    v.close()
    data = path.read_bytes()
    with vault_format.VaultFile(path) as file:
        assert file.header == vault_format.parse(data).header
        opened = file.payload(dek)
        assert file.tag == data[-16:]
    assert isinstance(opened, bytearray) and opened == image
    assert opened == vault_format.open_payload(vault_format.parse(data), dek)


def test_unlock_holds_the_image_once(created: tuple[Path, str]) -> None:
    """Reading, decrypting and cutting out the image allocate the image once (plus a chunk),
    where reading the file whole, decrypting it and copying the image out took three."""
    path, _ = created
    image = image_with(gen=5, size=12 * SEAL_CHUNK)
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image)
    v.close()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        v, opened = V.Vault.unlock(path, passphrase=PASSPHRASE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    v.close()
    assert opened == image
    assert peak - before < len(image) + 2 * SEAL_CHUNK, (peak - before) / len(image)


@pytest.mark.parametrize("cut", [1, 16, 17, PAD_BLOCK])
def test_a_file_cut_short_or_lengthened_while_unlocking_is_damaged(
    created: tuple[Path, str], cut: int
) -> None:
    path, _ = created
    v, _ = V.Vault.unlock(path, passphrase=PASSPHRASE)
    v.save(image_with(gen=2, size=2 * SEAL_CHUNK))
    dek = bytearray(v._dek)
    v.close()
    whole = path.read_bytes()
    with vault_format.VaultFile(path) as file:  # the header read, then the file changes
        with open(path, "r+b") as f:
            f.truncate(len(whole) - cut)
        with pytest.raises(vault_format.DamagedVaultError):
            file.payload(dek)
    path.write_bytes(whole)
    with vault_format.VaultFile(path) as file:
        with open(path, "ab") as f:
            f.write(b"\0" * cut)
        with pytest.raises(vault_format.DamagedVaultError):
            file.payload(dek)
