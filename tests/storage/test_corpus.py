"""Broken-file corpus (age test-kit style): each damaged or tampered file has one expected error."""

from __future__ import annotations

import base64
import json
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from companion.storage import format as vault_format
from companion.storage import kdf
from companion.storage import vault as V
from companion.storage.errors import CorruptVaultError, UnsupportedVersionError, WrongKeyError

from .helpers import PASSPHRASE, aad_end, image_with, split, with_header, with_header_bytes

BASE_PARAMS = kdf.KdfParams(32, 2, 1)  # so that a "weakened" KDF can be written


class Base:
    data: bytes
    recovery: str
    device: bytes
    dek: bytearray


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    path = tmp_path_factory.mktemp("corpus") / "vault.companion"
    with kdf.test_parameters(BASE_PARAMS):
        v, recovery = V.Vault.create(path, PASSPHRASE, image_with(size=100_000))
        b = Base()
        b.device = v.enable_device_slot(image_with(size=100_000))
    b.data, b.recovery, b.dek = path.read_bytes(), recovery, bytearray(v._dek)
    v.close()
    return b


def _b64(n: int, fill: int = 7) -> str:
    return base64.b64encode(bytes([fill]) * n).decode()


def slot(h: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(s for s in h["slots"] if s["kind"] == kind)


def edit(fn: Callable[[dict[str, Any]], object]) -> Callable[[Base], bytes]:
    return lambda b: with_header(b.data, fn)


def raw_header(fn: Callable[[bytes], bytes]) -> Callable[[Base], bytes]:
    def build(b: Base) -> bytes:
        hlen = struct.unpack_from(">I", b.data, 10)[0]
        return with_header_bytes(b.data, fn(b.data[14 : 14 + hlen]))

    return build


def set_version(v: int) -> Callable[[Base], bytes]:
    return lambda b: b.data[:8] + struct.pack(">H", v) + b.data[10:]


def set_header_len(n: int) -> Callable[[Base], bytes]:
    return lambda b: b.data[:10] + struct.pack(">I", n) + b.data[14:]


def reseal_plaintext(fn: Callable[[bytes], bytes]) -> Callable[[Base], bytes]:
    """Encrypt a crafted plaintext correctly under the real key (tests the post-AEAD checks)."""

    def build(b: Base) -> bytes:
        parsed = vault_format.parse(b.data)
        key = vault_format.payload_key(b.dek, parsed.header.save_salt)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        plaintext = AESGCM(key).decrypt(bytes(12), parsed.ciphertext, parsed.aad)
        return parsed.aad + AESGCM(key).encrypt(bytes(12), fn(plaintext), parsed.aad)

    return build


def drop(kind: str) -> Callable[[dict[str, Any]], None]:
    return lambda h: h.update(slots=[s for s in h["slots"] if s["kind"] != kind])


def set_in(path: tuple[str, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def fn(h: dict[str, Any]) -> None:
        target: Any = h
        for key in path[:-1]:
            target = slot(h, key) if key in vault_format.SLOT_ORDER else target[key]
        target[path[-1]] = value

    return fn


C, U, W = CorruptVaultError, UnsupportedVersionError, WrongKeyError

# (name, builder, secret, expected error). secret: "pass" | "recovery" | "device".
CASES: list[tuple[str, Callable[[Base], bytes], str, type[Exception]]] = [
    # --- structure, before any key work
    ("empty file", lambda b: b"", "pass", C),
    ("7 bytes", lambda b: b.data[:7], "pass", C),
    ("bad magic", lambda b: b"XMPNVLT\x00" + b.data[8:], "pass", C),
    ("magic only", lambda b: b.data[:8], "pass", C),
    ("all zeros", lambda b: bytes(len(b.data)), "pass", C),
    ("version 0", set_version(0), "pass", C),
    ("future version 2", set_version(2), "pass", U),
    ("future version 65535", set_version(0xFFFF), "pass", U),
    ("header_len 0", set_header_len(0), "pass", C),
    ("header_len 64 KiB + 1", set_header_len(65537), "pass", C),
    ("header_len u32 max", set_header_len(0xFFFFFFFF), "pass", C),
    ("header_len past end of file", set_header_len(60000), "pass", C),
    (
        "checksum wrong",
        # (its last byte inverted: set to zero, it was unchanged once in 256 runs)
        lambda b: (
            b.data[: aad_end(b.data) - 1]
            + bytes([b.data[aad_end(b.data) - 1] ^ 0xFF])
            + b.data[aad_end(b.data) :]
        ),
        "pass",
        C,
    ),
    ("no checksum", lambda b: b.data[: aad_end(b.data) - 32], "pass", C),
    ("empty payload", lambda b: b.data[: aad_end(b.data)], "pass", C),
    ("payload only a tag", lambda b: b.data[: aad_end(b.data) + 16], "pass", C),
    ("payload one byte short", lambda b: b.data[:-1], "pass", C),
    ("trailing garbage byte", lambda b: b.data + b"\x00", "pass", C),
    ("trailing 64 KiB block", lambda b: b.data + bytes(65536), "pass", C),
    # --- header content (checksum recomputed: a deliberate edit)
    ("non-JSON header", raw_header(lambda h: b"this is not json"), "pass", C),
    ("non-ASCII header", raw_header(lambda h: h.replace(b'"NFC"', b'"N\xffC"')), "pass", C),
    ("header is a JSON list", raw_header(lambda h: b"[" + h + b"]"), "pass", C),
    ("header not canonical (spaces)", raw_header(lambda h: h.replace(b",", b", ")), "pass", C),
    ("duplicate key", raw_header(lambda h: h[:-1] + b',"v":1}'), "pass", C),
    ("deeply nested header", raw_header(lambda h: b"[" * 20000 + b"]" * 20000), "pass", C),
    ("NaN in header", raw_header(lambda h: h.replace(b'"pad":65536', b'"pad":NaN')), "pass", C),
    ("unknown top-level key", edit(lambda h: h.update(extra=1)), "pass", C),
    ("missing save_salt", edit(lambda h: h.pop("save_salt")), "pass", C),
    ("header v=2 with binary version 1", edit(set_in(("v",), 2)), "pass", C),
    ("v is true", edit(set_in(("v",), True)), "pass", C),
    ("unknown cipher", edit(set_in(("cipher",), "chacha20")), "pass", C),
    ("other padding", edit(set_in(("pad",), 4096)), "pass", C),
    ("NFD normalisation", edit(set_in(("norm",), "NFD")), "pass", C),
    ("file_id not hex", edit(set_in(("file_id",), "Z" * 32)), "pass", C),
    ("saved_at malformed", edit(set_in(("saved_at",), "yesterday")), "pass", C),
    ("save_salt 31 bytes", edit(set_in(("save_salt",), _b64(31))), "pass", C),
    ("bad base64", edit(set_in(("save_salt",), "!!!!" * 11)), "pass", C),
    ("no slots", edit(set_in(("slots",), [])), "pass", C),
    ("slots not a list", edit(set_in(("slots",), {})), "pass", C),
    (
        "duplicate passphrase slots",
        edit(lambda h: h.update(slots=[h["slots"][0], *h["slots"]])),
        "pass",
        C,
    ),
    (
        "duplicate device slots",
        edit(lambda h: h.update(slots=[*h["slots"], h["slots"][-1]])),
        "pass",
        C,
    ),
    ("slots out of order", edit(lambda h: h.update(slots=h["slots"][::-1])), "pass", C),
    ("unknown slot kind", edit(set_in(("device", "kind"), "fingerprint")), "pass", C),
    ("passphrase slot removed", edit(drop("passphrase")), "recovery", C),
    ("extra field in slot", edit(set_in(("device", "hint"), "x")), "pass", C),
    ("wrapped key 31 bytes", edit(set_in(("passphrase", "ct"), _b64(31 + 16))), "pass", C),
    ("wrapped key 33 bytes", edit(set_in(("passphrase", "ct"), _b64(33 + 16))), "pass", C),
    ("device wrapped key 33 bytes", edit(set_in(("device", "ct"), _b64(49))), "device", C),
    ("nonce 11 bytes", edit(set_in(("recovery", "nonce"), _b64(11))), "recovery", C),
    ("kdf salt 8 bytes", edit(set_in(("passphrase", "kdf", "salt"), _b64(8))), "pass", C),
    ("kdf argon2i", edit(set_in(("passphrase", "kdf", "alg"), "argon2i")), "pass", C),
    ("kdf t=0", edit(set_in(("passphrase", "kdf", "t"), 0)), "pass", C),
    ("kdf t=65", edit(set_in(("passphrase", "kdf", "t"), 65)), "pass", C),
    ("kdf p=17", edit(set_in(("passphrase", "kdf", "p"), 17)), "pass", C),
    ("kdf m below 8*p", edit(set_in(("passphrase", "kdf", "m"), 4)), "pass", C),
    ("kdf m as string", edit(set_in(("passphrase", "kdf", "m"), "32")), "pass", C),
    ("kdf m as float", edit(set_in(("passphrase", "kdf", "m"), 32.0)), "pass", C),
    ("kdf t as bool", edit(set_in(("passphrase", "kdf", "t"), True)), "pass", C),
    # --- tampered, with a valid checksum: the keys decide
    ("weakened KDF", edit(set_in(("passphrase", "kdf", "m"), 8)), "pass", W),
    ("weakened KDF passes", edit(set_in(("passphrase", "kdf", "t"), 1)), "pass", W),
    ("changed save_salt", edit(set_in(("save_salt",), _b64(32, 1))), "pass", C),
    ("changed saved_at", edit(set_in(("saved_at",), "2001-01-01T00:00:00Z")), "pass", C),
    ("changed file_id", edit(set_in(("file_id",), "0" * 32)), "pass", W),
    ("recovery slot removed", edit(drop("recovery")), "recovery", W),
    ("device slot removed", edit(drop("device")), "device", W),
    (
        "passphrase ct from device slot",
        edit(
            lambda h: slot(h, "passphrase").update(
                ct=slot(h, "device")["ct"], nonce=slot(h, "device")["nonce"]
            )
        ),
        "pass",
        W,
    ),
    ("recovery pub replaced", edit(set_in(("recovery", "pub"), _b64(32, 9))), "recovery", W),
    ("recovery epk low-order point", edit(set_in(("recovery", "epk"), _b64(32, 0))), "recovery", W),
    ("recovery epk replaced", edit(set_in(("recovery", "epk"), _b64(32, 9))), "recovery", W),
    ("device nonce replaced", edit(set_in(("device", "nonce"), _b64(12, 3))), "device", W),
    ("device slot removed, passphrase used", edit(drop("device")), "pass", C),
    (
        "ciphertext from another save",
        lambda b: b.data[: aad_end(b.data)] + bytes(len(b.data) - aad_end(b.data)),
        "pass",
        C,
    ),
    # --- correctly encrypted but nonsensical plaintext (needs the real key)
    (
        "length field too large",
        reseal_plaintext(lambda p: (2**40).to_bytes(8, "big") + p[8:]),
        "pass",
        C,
    ),
    (
        "length field too small for the padding",
        reseal_plaintext(lambda p: (1).to_bytes(8, "big") + p[8:]),
        "pass",
        C,
    ),
    ("non-zero padding", reseal_plaintext(lambda p: p[:-1] + b"\x01"), "pass", C),
    ("extra padding block", reseal_plaintext(lambda p: p + bytes(65536)), "pass", C),
]


def _unlock(b: Base, path: Path, secret: str) -> None:
    if secret == "pass":
        V.Vault.unlock(path, passphrase=PASSPHRASE)
    elif secret == "recovery":
        V.Vault.unlock(path, recovery_key=b.recovery)
    else:
        V.Vault.unlock(path, device_secret=b.device)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "build", "secret", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_file(
    base: Base,
    tmp_path: Path,
    name: str,
    build: Callable[[Base], bytes],
    secret: str,
    expected: type[Exception],
) -> None:
    path = tmp_path / "vault.companion"
    data = build(base)
    assert data != base.data
    path.write_bytes(data)
    with pytest.raises(expected) as info:
        _unlock(base, path, secret)
    if expected is C:
        assert not isinstance(info.value, UnsupportedVersionError)
    if expected is not W:
        assert info.value.exit_code == 4
    assert path.read_bytes() == data  # reading never writes


def test_the_untampered_base_opens(base: Base, tmp_path: Path) -> None:
    path = tmp_path / "vault.companion"
    path.write_bytes(base.data)
    for secret in ("pass", "recovery", "device"):
        _unlock(base, path, secret)


def test_hostile_kdf_rejected_instantly(base: Base, tmp_path: Path) -> None:
    path = tmp_path / "vault.companion"
    path.write_bytes(with_header(base.data, set_in(("passphrase", "kdf", "m"), 64 * 1024 * 1024)))
    start = time.perf_counter()
    with pytest.raises(V.DamagedVaultError) as info:
        V.read_info(path)
    with pytest.raises(CorruptVaultError):
        V.Vault.unlock(path, passphrase=PASSPHRASE)
    elapsed = time.perf_counter() - start
    assert info.value.reason == "kdf parameters out of limits"
    assert elapsed < 0.05  # no 64 GiB allocation was attempted
    with pytest.raises(CorruptVaultError):
        kdf.check_limits(kdf.KdfParams(64 * 1024 * 1024, 3, 4))


def test_header_limits_match_the_documented_values(base: Base) -> None:
    _, header, _ = split(base.data)
    assert len(json.dumps(header)) < vault_format.MAX_HEADER_LEN
    assert vault_format.MAX_HEADER_LEN == 64 * 1024
