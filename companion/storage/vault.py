"""The encrypted vault file: format v1, key slots, crash-safe saves and backups.

File layout (research §5.1), all integers big-endian::

    MAGIC b"CMPNVLT\\0" | version u16 (=1) | header_len u32 | header (canonical JSON, <= 64 KiB)
    | SHA-256(magic .. header)
    | AES-256-GCM(key   = HKDF-SHA256(DEK, salt=save_salt, info="companion/v1/payload"),
                 nonce = 0^96 (safe: a fresh key for every save),
                 aad   = every byte before the ciphertext,
                 plaintext = u64 image length || image || zero padding to a multiple of 64 KiB)

The header is canonical JSON (sorted keys, no spaces, ASCII, standard base64 for bytes); a
header that is not byte-for-byte canonical, has unknown or duplicate keys, or breaks a limit is
*corrupt* before any key work is done. Errors: structure/checksum/limits/payload AEAD →
:class:`CorruptVaultError` (:class:`UnsupportedVersionError` for a newer version); a slot that
does not unwrap → :class:`WrongKeyError`.

Key hierarchy — why it looks the way it does
--------------------------------------------
One random 256-bit *data key* (DEK) seals the payload. Key slots in the header wrap the DEK
with AES-256-GCM (random nonce, aad = file_id || kind):

* ``passphrase`` (always present): KEK = Argon2id(NFC(passphrase)). Symmetric on purpose: only
  someone who knows the passphrase can make a slot that the passphrase opens, so a person who can
  write to the data folder cannot plant a look-alike vault that opens with it.
* ``device`` (opt-in): KEK = HKDF(32 random bytes kept in the OS keyring). Symmetric for the same
  reason — the app opens it without asking, so it must not be forgeable.
* ``recovery`` (offered at setup): an X25519 *recipient*, like age's X25519 stanzas. The recovery
  key (175 random bits, printed once) deterministically gives an X25519 key pair
  (HKDF with a per-slot salt); the header keeps only the public key. The DEK is wrapped to it
  with an ephemeral key: KEK = HKDF(X25519(eph, pub), salt = epk || pub).

Passphrase change rotates the DEK (a stolen old passphrase plus an old copy of the file must not
open anything written later). Re-wrapping a *new* DEK for the recovery slot only needs the
recovery slot's public key, so the recovery key keeps working without ever being stored or
re-typed, and an attacker who holds the old passphrase and an old file learns only the old DEK.
Backups are re-sealed under the new DEK; one that cannot be opened with the old key (older,
damaged) is moved to ``backups/kept/``, never deleted, and counted for the person. The device
slot is dropped (the UI may re-enable it; the caller deletes the keyring item).

Replacing the recovery key also rotates the DEK (so the old recovery key plus an old file cannot
read later data). That needs the passphrase KEK: the vault keeps the KEKs it learned in this
session (passphrase and device) in ``bytearray`` s, zeroed on :meth:`Vault.close`; after a
recovery/device unlock the passphrase must be passed in.

Because anyone can encrypt *to* a public key, someone who can write to the data folder can plant
a file that the *recovery key* opens (never the passphrase or device key). Two defences:

* A vault opened with the recovery key is *read-only* (``rekey_required``): every write raises
  :class:`PassphraseChangeRequiredError` until :meth:`Vault.change_passphrase`, which rotates the
  DEK and writes only slots the person controls (the new passphrase, the recovery slot re-wrapped
  to the public key their recovery key just proved, no device slot), so a planter's slot cannot
  survive.
* Recovery keys made with ``bind_recovery`` (every diary since issue 18) are *bound*: their
  checksum says so (version 2), and the payload must carry a tag only the key's holder can
  compute (see "recovery binding" below), else :class:`UnboundRecoveryError`. Version 1 keys
  (older diaries, golden files) open as before; making a new recovery key binds the diary.

Saves and backups
-----------------
Save = seal → temp file in the same folder (``O_CREAT|O_EXCL``, 0600) → write → fsync →
backups → ``os.replace`` → fsync the folder. Backups are *hard links* to the old file made just
before the replace: the vault is never written in place, so the old inode *is* the previous
generation. A link costs no I/O and no space at the moment a disk is nearly full, and it appears
atomically; where links are unsupported (FAT, some network shares) we fall back to a copy written
with the same temp/fsync/rename protocol.

Kinds: ``session`` (first save after each unlock: the file as it was before this session changed
it; keep 5) and ``daily`` (first save of each local calendar day; keep 7), in
``<data dir>/backups/`` (0700), named ``<stem>.<kind>.<UTC stamp><suffix>``.
"""

from __future__ import annotations

import base64
import ctypes
import errno
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import struct
import threading
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from companion import paths
from companion.storage import files, kdf
from companion.storage.errors import (
    CorruptVaultError,
    PassphraseChangeRequiredError,
    UnboundRecoveryError,
    UnsupportedVersionError,
    VaultChangedOnDiskError,
    VaultError,
    VaultWriteError,
    WrongKeyError,
)
from companion.storage.kdf import KdfParams

__all__ = [
    "BackupInfo",
    "DamagedVaultError",
    "PassphraseChangeResult",
    "UnboundRecoveryError",
    "Vault",
    "VaultInfo",
    "cleanup_stale_temp_files",
    "list_backups",
    "list_kept",
    "new_recovery_key",
    "newer_backups",
    "normalize_recovery_key",
    "open_newest_backup",
    "read_info",
    "recovery_key_is_bound",
    "rekeyed_backups",
]

MAGIC = b"CMPNVLT\x00"
VERSION = 1
_PREFIX = struct.Struct(">8sHI")
PREFIX_LEN = _PREFIX.size  # 14
CHECKSUM_LEN = 32
MAX_HEADER_LEN = 64 * 1024
PAD_BLOCK = 64 * 1024
TAG_LEN = 16
KEY_LEN = 32
NONCE_LEN = 12
SALT_LEN = 16
SAVE_SALT_LEN = 32
WRAPPED_LEN = KEY_LEN + TAG_LEN  # AES-GCM of a 32-byte DEK
MAX_IMAGE_LEN = 1 << 30  # 1 GiB: far beyond the note caps, small enough to refuse nonsense
MAX_FILE_LEN = PREFIX_LEN + MAX_HEADER_LEN + CHECKSUM_LEN + MAX_IMAGE_LEN + 2 * PAD_BLOCK
CIPHER_ID = "aes-256-gcm/hkdf-sha256"
SLOT_ORDER = ("passphrase", "recovery", "device")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_PAYLOAD_INFO = b"companion/v1/payload"
_DEVICE_INFO = b"companion/v1/device-kek"
_RECOVERY_KEY_INFO = b"companion/v1/recovery-x25519"
_RECOVERY_WRAP_INFO = b"companion/v1/recovery-kek"

SESSION_KEEP = 5
DAILY_KEEP = 7
_TEMP_RE = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp$")
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"

# Recovery keys: RFC 4648 base32 symbols, 35 random (175 bits) + 5 checksum, as 8 groups of 5.
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_RECOVERY_BODY = 35
_RECOVERY_CHECK = 5
_RECOVERY_TYPO = (
    "That recovery key is not complete or has a typo. Please check each group and try again."
)
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})

Entropy = Callable[[int], bytes]
Clock = Callable[[], datetime]


class DamagedVaultError(CorruptVaultError):
    """A :class:`CorruptVaultError` that also says which check failed (for tests and ``check``)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


# --------------------------------------------------------------------------- public dataclasses


@dataclass(frozen=True)
class VaultInfo:
    """What can be read without a key (header only)."""

    file_id: str
    has_recovery: bool
    has_device: bool
    kdf: KdfParams
    saved_at: datetime | None


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # "session" | "daily"
    saved_at: datetime
    size: int


@dataclass(frozen=True)
class PassphraseChangeResult:
    """What a passphrase change did, so the UI can tell the person."""

    recovery_key: str | None  # a new key to show once, or None: the old recovery key still works
    backups_resealed: int
    #: backups that did not open under the old key (older, damaged): moved to ``backups/kept/``,
    #: never deleted
    backups_kept: int
    device_removed: bool


# --------------------------------------------------------------------------- header model


@dataclass(frozen=True)
class _PassphraseSlot:
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    ct: bytes
    kind: Literal["passphrase"] = "passphrase"


@dataclass(frozen=True)
class _RecoverySlot:
    salt: bytes
    pub: bytes
    epk: bytes
    nonce: bytes
    ct: bytes
    kind: Literal["recovery"] = "recovery"


@dataclass(frozen=True)
class _DeviceSlot:
    salt: bytes
    nonce: bytes
    ct: bytes
    kind: Literal["device"] = "device"


_Slot = _PassphraseSlot | _RecoverySlot | _DeviceSlot


@dataclass(frozen=True)
class _Header:
    file_id: str
    save_salt: bytes
    saved_at: datetime
    slots: tuple[_Slot, ...]

    @property
    def passphrase(self) -> _PassphraseSlot:
        slot = self.slots[0]
        assert isinstance(slot, _PassphraseSlot)
        return slot

    @property
    def recovery(self) -> _RecoverySlot | None:
        return next((s for s in self.slots if isinstance(s, _RecoverySlot)), None)

    @property
    def device(self) -> _DeviceSlot | None:
        return next((s for s in self.slots if isinstance(s, _DeviceSlot)), None)

    def info(self) -> VaultInfo:
        return VaultInfo(
            file_id=self.file_id,
            has_recovery=self.recovery is not None,
            has_device=self.device is not None,
            kdf=self.passphrase.kdf,
            saved_at=self.saved_at,
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _slot_json(slot: _Slot) -> dict[str, object]:
    if isinstance(slot, _PassphraseSlot):
        return {
            "kind": slot.kind,
            "kdf": {
                "alg": "argon2id",
                "salt": _b64(slot.salt),
                "m": slot.kdf.memory_kib,
                "t": slot.kdf.iterations,
                "p": slot.kdf.lanes,
            },
            "nonce": _b64(slot.nonce),
            "ct": _b64(slot.ct),
        }
    if isinstance(slot, _RecoverySlot):
        return {
            "kind": slot.kind,
            "salt": _b64(slot.salt),
            "pub": _b64(slot.pub),
            "epk": _b64(slot.epk),
            "nonce": _b64(slot.nonce),
            "ct": _b64(slot.ct),
        }
    return {
        "kind": slot.kind,
        "salt": _b64(slot.salt),
        "nonce": _b64(slot.nonce),
        "ct": _b64(slot.ct),
    }


def _header_bytes(header: _Header) -> bytes:
    raw = _canonical(
        {
            "v": VERSION,
            "file_id": header.file_id,
            "cipher": CIPHER_ID,
            "pad": PAD_BLOCK,
            "norm": kdf.NORMALIZATION,
            "save_salt": _b64(header.save_salt),
            "saved_at": header.saved_at.astimezone(UTC).strftime(_TIME_FORMAT),
            "slots": [_slot_json(s) for s in header.slots],
        }
    )
    if len(raw) > MAX_HEADER_LEN:  # cannot happen with three slots; keep the writer honest
        raise VaultError("internal error: header too large")
    return raw


# --------------------------------------------------------------------------- header parsing


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DamagedVaultError("duplicate key in header")
        out[key] = value
    return out


def _reject_constant(name: str) -> object:
    raise DamagedVaultError("non-finite number in header")


def _obj(value: object, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise DamagedVaultError(f"bad {what} fields")
    return value


def _bytes_field(value: object, length: int, what: str) -> bytes:
    if not isinstance(value, str):
        raise DamagedVaultError(f"{what} is not base64 text")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise DamagedVaultError(f"{what} is not base64") from None
    if len(raw) != length:
        raise DamagedVaultError(f"{what} has the wrong length")
    return raw


def _int_field(value: object, what: str) -> int:
    if type(value) is not int:
        raise DamagedVaultError(f"{what} is not an integer")
    return value


def _parse_slot(value: object) -> _Slot:
    if not isinstance(value, dict):
        raise DamagedVaultError("slot is not an object")
    kind = value.get("kind")
    if kind == "passphrase":
        obj = _obj(value, {"kind", "kdf", "nonce", "ct"}, "passphrase slot")
        k = _obj(obj["kdf"], {"alg", "salt", "m", "t", "p"}, "kdf")
        if k["alg"] != "argon2id":
            raise DamagedVaultError("unknown kdf")
        params = KdfParams(
            _int_field(k["m"], "m"), _int_field(k["t"], "t"), _int_field(k["p"], "p")
        )
        try:
            kdf.check_limits(params)
        except CorruptVaultError:
            raise DamagedVaultError("kdf parameters out of limits") from None
        return _PassphraseSlot(
            kdf=params,
            salt=_bytes_field(k["salt"], SALT_LEN, "kdf salt"),
            nonce=_bytes_field(obj["nonce"], NONCE_LEN, "nonce"),
            ct=_bytes_field(obj["ct"], WRAPPED_LEN, "wrapped key"),
        )
    if kind == "recovery":
        obj = _obj(value, {"kind", "salt", "pub", "epk", "nonce", "ct"}, "recovery slot")
        return _RecoverySlot(
            salt=_bytes_field(obj["salt"], SALT_LEN, "salt"),
            pub=_bytes_field(obj["pub"], 32, "public key"),
            epk=_bytes_field(obj["epk"], 32, "ephemeral key"),
            nonce=_bytes_field(obj["nonce"], NONCE_LEN, "nonce"),
            ct=_bytes_field(obj["ct"], WRAPPED_LEN, "wrapped key"),
        )
    if kind == "device":
        obj = _obj(value, {"kind", "salt", "nonce", "ct"}, "device slot")
        return _DeviceSlot(
            salt=_bytes_field(obj["salt"], SALT_LEN, "salt"),
            nonce=_bytes_field(obj["nonce"], NONCE_LEN, "nonce"),
            ct=_bytes_field(obj["ct"], WRAPPED_LEN, "wrapped key"),
        )
    raise DamagedVaultError("unknown slot kind")


def _parse_header(raw: bytes) -> _Header:
    try:
        obj = json.loads(
            raw.decode("ascii"),
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
        )
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise DamagedVaultError("header is not JSON") from None
    if _canonical(obj) != raw:
        raise DamagedVaultError("header is not canonical")
    top = _obj(
        obj, {"v", "file_id", "cipher", "pad", "norm", "save_salt", "saved_at", "slots"}, "header"
    )
    if top["v"] != VERSION or type(top["v"]) is not int:
        raise DamagedVaultError("header version mismatch")
    if top["cipher"] != CIPHER_ID or top["pad"] != PAD_BLOCK or type(top["pad"]) is not int:
        raise DamagedVaultError("unknown cipher or padding")
    if top["norm"] != kdf.NORMALIZATION:
        raise DamagedVaultError("unknown passphrase normalisation")
    file_id = top["file_id"]
    if not isinstance(file_id, str) or not re.fullmatch(r"[0-9a-f]{32}", file_id):
        raise DamagedVaultError("bad file id")
    saved_at_text = top["saved_at"]
    try:
        if not isinstance(saved_at_text, str):
            raise ValueError
        saved_at = datetime.strptime(saved_at_text, _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise DamagedVaultError("bad saved_at") from None
    if saved_at.strftime(_TIME_FORMAT) != saved_at_text:
        raise DamagedVaultError("bad saved_at")
    slots_value = top["slots"]
    if not isinstance(slots_value, list) or not 1 <= len(slots_value) <= len(SLOT_ORDER):
        raise DamagedVaultError("bad slot list")
    slots = tuple(_parse_slot(s) for s in slots_value)
    kinds = [s.kind for s in slots]
    if len(set(kinds)) != len(kinds):
        raise DamagedVaultError("duplicate slot")
    if kinds != sorted(kinds, key=SLOT_ORDER.index) or kinds[0] != "passphrase":
        raise DamagedVaultError("slots missing or out of order")
    return _Header(
        file_id=file_id,
        save_salt=_bytes_field(top["save_salt"], SAVE_SALT_LEN, "save salt"),
        saved_at=saved_at,
        slots=slots,
    )


@dataclass(frozen=True)
class _Parsed:
    header: _Header
    aad: bytes  # magic .. checksum, the payload's associated data
    ciphertext: memoryview


def _parse_prefix(data: bytes) -> int:
    """Check magic, version and header length; return the header length."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise DamagedVaultError("bad magic" if len(data) >= len(MAGIC) else "too short")
    if len(data) < PREFIX_LEN:
        raise DamagedVaultError("too short")
    _, version, header_len = _PREFIX.unpack_from(data)
    if version > VERSION:
        raise UnsupportedVersionError()
    if version != VERSION:
        raise DamagedVaultError("bad version")
    if not 0 < header_len <= MAX_HEADER_LEN:
        raise DamagedVaultError("header length out of range")
    return int(header_len)


def _parse(data: bytes, *, payload: bool = True) -> _Parsed:
    header_len = _parse_prefix(data)
    header_end = PREFIX_LEN + header_len
    aad_end = header_end + CHECKSUM_LEN
    if len(data) < aad_end:
        raise DamagedVaultError("truncated header")
    digest = hashlib.sha256(data[:header_end]).digest()
    if not hmac.compare_digest(digest, data[header_end:aad_end]):
        raise DamagedVaultError("header checksum")
    header = _parse_header(bytes(data[PREFIX_LEN:header_end]))
    ct_len = len(data) - aad_end
    if payload and (ct_len < PAD_BLOCK + TAG_LEN or (ct_len - TAG_LEN) % PAD_BLOCK):
        raise DamagedVaultError("payload length")
    return _Parsed(header, bytes(data[:aad_end]), memoryview(data)[aad_end:])


# --------------------------------------------------------------------------- crypto helpers


def _hkdf(ikm: bytes | bytearray, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=info).derive(ikm)


def _wrap_aad(file_id: str, kind: str) -> bytes:
    return file_id.encode("ascii") + kind.encode("ascii")


def _unwrap(kek: bytes | bytearray, nonce: bytes, ct: bytes, aad: bytes, message: str) -> bytearray:
    try:
        return bytearray(AESGCM(kek).decrypt(nonce, ct, aad))
    except InvalidTag:
        raise WrongKeyError(message) from None


def _payload_key(dek: bytearray, save_salt: bytes) -> bytes:
    return _hkdf(dek, save_salt, _PAYLOAD_INFO)


def _seal(header: _Header, dek: bytearray, image: bytes) -> bytearray:
    if len(image) > MAX_IMAGE_LEN:
        raise ValueError("the diary database is too large to save")
    header_raw = _header_bytes(header)
    prefix = _PREFIX.pack(MAGIC, VERSION, len(header_raw)) + header_raw
    aad = prefix + hashlib.sha256(prefix).digest()
    padded = -(-(8 + len(image)) // PAD_BLOCK) * PAD_BLOCK
    plaintext = bytearray(padded)
    plaintext[:8] = len(image).to_bytes(8, "big")
    plaintext[8 : 8 + len(image)] = image
    out = bytearray(len(aad) + padded + TAG_LEN)
    out[: len(aad)] = aad
    AESGCM(_payload_key(dek, header.save_salt)).encrypt_into(
        bytes(NONCE_LEN), plaintext, aad, memoryview(out)[len(aad) :]
    )
    _wipe(plaintext)  # best effort: do not leave another plaintext copy in freed memory
    return out


def _wipe(buf: bytearray) -> None:
    """Zero a bytearray in place (memset: far cheaper than assigning a zero bytes object)."""
    if buf:
        ctypes.memset((ctypes.c_char * len(buf)).from_buffer(buf), 0, len(buf))


def _open_payload(parsed: _Parsed, dek: bytearray) -> bytes:
    key = _payload_key(dek, parsed.header.save_salt)
    try:
        plaintext = AESGCM(key).decrypt(bytes(NONCE_LEN), parsed.ciphertext, parsed.aad)
    except InvalidTag:
        raise DamagedVaultError("payload authentication") from None
    length = int.from_bytes(plaintext[:8], "big")
    if length > len(plaintext) - 8 or -(-(8 + length) // PAD_BLOCK) * PAD_BLOCK != len(plaintext):
        raise DamagedVaultError("payload length field")
    if plaintext.count(0, 8 + length) != len(plaintext) - 8 - length:
        raise DamagedVaultError("payload padding")
    return plaintext[8 : 8 + length]


def _recovery_private(body: bytes, salt: bytes) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(_hkdf(body, salt, _RECOVERY_KEY_INFO))


def _recovery_kek(shared: bytes, epk: bytes, pub: bytes) -> bytes:
    return _hkdf(shared, epk + pub, _RECOVERY_WRAP_INFO)


# --------------------------------------------------------------------------- recovery keys


def _checksum(body: str, version: int = 1) -> str:
    """25 checksum bits. The domain also says whether the key is *bound* (version 2, see
    :func:`_binding_tag`): the person holds that fact on paper, where no planter can change it."""
    domain = b"companion-recovery-v1:" if version == 1 else b"companion-recovery-v2:"
    digest = int.from_bytes(hashlib.sha256(domain + body.encode()).digest()[:4], "big")
    bits = digest >> (32 - 5 * _RECOVERY_CHECK)
    return "".join(
        _B32[(bits >> (5 * (_RECOVERY_CHECK - 1 - i))) & 31] for i in range(_RECOVERY_CHECK)
    )


def _format_recovery(body: str, version: int = 1) -> str:
    full = body + _checksum(body, version)
    return "-".join(full[i : i + 5] for i in range(0, len(full), 5))


def _recovery_body(entropy: Entropy) -> str:
    return "".join(_B32[b & 31] for b in entropy(_RECOVERY_BODY))


def new_recovery_key() -> str:
    """A fresh recovery key: 8 groups of 5 base32 symbols, the last group a checksum."""
    return _format_recovery(_recovery_body(secrets.token_bytes))


def _parse_recovery(text: str) -> tuple[bytes, int]:
    """(the 35 secret symbols as ASCII, key version 1 or 2); WrongKeyError on a typo."""
    cleaned = re.sub(r"[\s\-_.]", "", text).upper().translate(_LOOKALIKES)
    if len(cleaned) != _RECOVERY_BODY + _RECOVERY_CHECK or any(c not in _B32 for c in cleaned):
        raise WrongKeyError(_RECOVERY_TYPO)
    body, check = cleaned[:_RECOVERY_BODY], cleaned[_RECOVERY_BODY:]
    for version in (1, 2):
        if hmac.compare_digest(_checksum(body, version), check):
            return body.encode("ascii"), version
    raise WrongKeyError(_RECOVERY_TYPO)


def normalize_recovery_key(text: str) -> bytes:
    """The key's 35 secret symbols as ASCII; tolerant of spaces, dashes, case and 0/1/8."""
    return _parse_recovery(text)[0]


def recovery_key_is_bound(text: str) -> bool:
    """True for keys made since recovery slots are bound to their diary (version 2)."""
    return _parse_recovery(text)[1] == 2


# --------------------------------------------------------------------------- recovery binding
#
# Anyone can wrap a data key to the recovery key's *public* half, so a file the recovery key
# opens may have been planted by someone who can write to the data folder. A bound recovery key
# (checksum domain v2) therefore also requires a tag that only the key's holder can compute:
#
#     tag = HMAC-SHA256(HKDF(recovery key body, slot salt, "companion/v1/recovery-bind"),
#                       file_id || recovery public key)[:4], as a signed 32-bit integer
#
# kept *inside the encrypted payload*, in the SQLite header's application_id field (offset 68),
# which exports, imports and migrations never touch. The file format (v1) does not change; old
# vaults and their (version 1) keys open as before. A planter knows the public key and salt but
# not the body, so cannot compute the tag (2^-32 per planted file, with no offline oracle), and
# cannot copy it either: it sits in a payload encrypted under a data key they do not have.

_BIND_INFO = b"companion/v1/recovery-bind"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_APP_ID = slice(68, 72)


def _binding_tag(body: bytes, slot: _RecoverySlot, file_id: str) -> int:
    key = _hkdf(body, slot.salt, _BIND_INFO)
    mac = hmac.new(key, file_id.encode("ascii") + slot.pub, hashlib.sha256).digest()
    return int.from_bytes(mac[:4], "big", signed=True) or 1  # 0 means "no tag"


def _image_tag(image: bytes) -> int:
    if len(image) < 100 or image[:16] != _SQLITE_MAGIC:
        return 0
    return int.from_bytes(image[_APP_ID], "big", signed=True)


def _tagged(image: bytes, tag: int | None) -> bytes:
    """``image`` with ``tag`` in its SQLite header (unchanged when there is no tag)."""
    if tag is None or _image_tag(image) == tag:
        return image
    if len(image) < 100 or image[:16] != _SQLITE_MAGIC:
        raise VaultError("internal error: only a diary database can carry a recovery binding")
    out = bytearray(image)
    out[_APP_ID] = tag.to_bytes(4, "big", signed=True)
    return bytes(out)


# --------------------------------------------------------------------------- file helpers


@dataclass(frozen=True)
class _Identity:
    dev: int
    ino: int
    size: int
    mtime_ns: int
    #: the file's GCM tag (its last 16 bytes): a MAC over the whole file under a per-save key,
    #: so two different saves differ here, and comparing it needs no hash of the whole file
    tag: bytes

    def same_stat(self, st: os.stat_result) -> bool:
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == (
            self.dev,
            self.ino,
            self.size,
            self.mtime_ns,
        )


def _identity(st: os.stat_result, data: bytes | bytearray) -> _Identity:
    return _Identity(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, bytes(data[-TAG_LEN:]))


def _read_tag(path: Path) -> bytes:
    with open(path, "rb") as f:
        f.seek(-TAG_LEN, os.SEEK_END)
        return f.read(TAG_LEN)


_O_BINARY = files.O_BINARY
_O_CLOEXEC = files.O_CLOEXEC


def _read_file(path: Path) -> tuple[bytes, os.stat_result]:
    """Read a whole vault file after checking its size against the reader limit."""
    fd = os.open(path, os.O_RDONLY | _O_BINARY | _O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if st.st_size > MAX_FILE_LEN:
            raise DamagedVaultError("file too large")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(MAX_FILE_LEN + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_LEN:
        raise DamagedVaultError("file too large")
    return data, st


# The one private-write helper (storage/files.py) does the work; these names keep this module
# readable.
_write_temp = files.write_temp
_unlink_quiet = files.unlink_quiet
_replace = files.replace
_fsync_dir = files.fsync_dir
_private_dir = files.private_dir


def _write_atomic(dest: Path, data: bytes | bytearray) -> None:
    """Temp → fsync → replace → fsync dir, for files that are not the live vault."""
    files.write_private(dest, data)


def _utcnow() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- backups


_BackupKind = Literal["session", "daily"]


def _backup_re(vault_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(vault_path.stem)}\.(session|daily)\.(\d{{8}}T\d{{12}}Z)"
        rf"{re.escape(vault_path.suffix)}$"
    )


def _backup_entries(vault_path: Path) -> list[tuple[Path, str, datetime, os.stat_result]]:
    """(path, kind, stamp, lstat) of every backup file, whatever its content."""
    bdir = paths.backup_dir(vault_path.parent)
    pattern = _backup_re(vault_path)
    out: list[tuple[Path, str, datetime, os.stat_result]] = []
    try:
        if not stat.S_ISDIR(os.lstat(bdir).st_mode):  # a planted link is never followed
            return out
        entries = list(os.scandir(bdir))
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        stamp = datetime.strptime(match.group(2), _STAMP_FORMAT).replace(tzinfo=UTC)
        with suppress(OSError):
            out.append((Path(entry.path), match.group(1), stamp, entry.stat(follow_symlinks=False)))
    out.sort(key=lambda e: (e[2], e[0].name), reverse=True)
    return out


def _read_header_only(path: Path) -> _Header:
    with open(path, "rb") as f:
        head = f.read(PREFIX_LEN)
        header_len = _parse_prefix(head)
        rest = f.read(header_len + CHECKSUM_LEN)
    return _parse(head + rest, payload=False).header


KEPT_DIR_NAME = "kept"


def kept_dir(vault_path: Path) -> Path:
    """Where backups that no longer open under the current key are kept (never deleted)."""
    return paths.backup_dir(vault_path.parent) / KEPT_DIR_NAME


def _keep_aside(path: Path) -> None:
    """Move a backup into ``backups/kept/`` (a new name if one is taken); leave it if that
    fails. Never deletes."""
    try:
        folder = _private_dir(path.parent / KEPT_DIR_NAME)
        dest = folder / path.name
        while dest.exists() or dest.is_symlink():
            dest = folder / f"{path.stem}.{secrets.token_hex(4)}{path.suffix}"
        os.rename(path, dest)
        _fsync_dir(folder)
        _fsync_dir(path.parent)
    except (OSError, VaultError):
        return


def list_kept(vault_path: Path) -> list[Path]:
    """The files in ``backups/kept/`` (for ``check`` and Settings)."""
    folder = kept_dir(vault_path)
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return []
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_file(follow_symlinks=False))
    except OSError:
        return []


def list_backups(vault_path: Path) -> list[BackupInfo]:
    """Backups of ``vault_path``, newest first, without a key (for the unlock window)."""
    result: list[tuple[BackupInfo, datetime]] = []
    for path, kind, stamp, st in _backup_entries(vault_path):
        try:
            saved_at = _read_header_only(path).saved_at
        except (VaultError, OSError):
            saved_at = stamp
        result.append((BackupInfo(path, kind, saved_at, st.st_size), stamp))
    result.sort(key=lambda r: (r[0].saved_at, r[1]), reverse=True)
    return [info for info, _ in result]


def cleanup_stale_temp_files(directory: Path) -> int:
    """Remove temp files left by crashed saves in ``directory`` and its backups folder.

    Call it while holding the :class:`~companion.storage.lock.InstanceLock`, so that no other
    instance is in the middle of a save. Leftovers are ciphertext only, but they waste space.
    """
    removed = 0
    for folder in (directory, paths.backup_dir(directory)):
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                continue
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _TEMP_RE.match(entry.name) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                except OSError:  # gone already, or a read-only folder: nothing to do
                    continue
                removed += 1
    return removed


def rekeyed_backups(vault_path: Path) -> int:
    """How many backups are sealed under other keys than the diary file itself.

    Every key change re-seals all backups to the new slots (those that cannot be re-sealed move
    to ``kept/``), so a backup whose passphrase slot differs from the vault's means the vault
    file is older than a key change: an old copy was put back (review F9 c), or it was planted.
    """
    try:
        own = _read_header_only(vault_path).passphrase
    except (VaultError, OSError):
        return 0
    count = 0
    for path, _kind, _when, _st in _backup_entries(vault_path):
        try:
            theirs = _read_header_only(path).passphrase
        except (VaultError, OSError):
            continue
        if (theirs.salt, theirs.nonce, theirs.ct) != (own.salt, own.nonce, own.ct):
            count += 1
    return count


def newer_backups(vault_path: Path, saved_at: datetime | None) -> list[BackupInfo]:
    """Backups whose authenticated-looking header says they were saved *after* the vault.

    The vault never writes a backup newer than itself, so any such backup means the vault file
    was replaced by an older copy (a rollback, or a sync tool putting an old file back). The
    header is only checksummed here (no key), so this is a warning, not a proof.
    """
    if saved_at is None:
        return []
    newer: list[BackupInfo] = []
    for path, kind, _when, st in _backup_entries(vault_path):
        try:
            backup_saved = _read_header_only(path).saved_at
        except (VaultError, OSError):
            continue
        if backup_saved > saved_at:
            newer.append(BackupInfo(path, kind, backup_saved, st.st_size))
    return newer


# --------------------------------------------------------------------------- the vault


def read_info(path: Path) -> VaultInfo:
    """The header of a vault file; checks the whole structure (not the keys)."""
    data, _ = _read_file(path)
    return _parse(data).header.info()


def _check_passphrase(passphrase: str) -> None:
    if not isinstance(passphrase, str) or passphrase == "":
        raise ValueError("The passphrase must not be empty.")
    try:
        unicodedata.normalize(kdf.NORMALIZATION, passphrase).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("The passphrase contains characters that cannot be used.") from None


_KekCache = dict[tuple[bytes, KdfParams], bytes]


class Vault:
    """An unlocked vault. Holds the data key; never the image (the caller owns the database)."""

    def __init__(
        self,
        path: Path,
        header: _Header,
        dek: bytearray,
        identity: _Identity | None,
        *,
        keks: dict[str, bytearray],
        session_backup_pending: bool,
        entropy: Entropy = os.urandom,
        clock: Clock = _utcnow,
    ) -> None:
        self.path = path
        self._header = header
        self._dek = dek
        self._identity = identity
        self._keks = keks
        self._session_backup_pending = session_backup_pending
        self._entropy = entropy
        self._clock = clock
        self._lock = threading.RLock()
        self._closed = False
        #: set after a recovery-key unlock: nothing is written until change_passphrase (which
        #: rotates the data key and keeps only slots the person controls)
        self.rekey_required = False
        #: called (from the saving thread) with the number of backup files removed to make room
        #: on a full disk, so the person is told every time
        self.on_backup_dropped: Callable[[int], None] | None = None
        self.backups_dropped = 0
        #: the recovery binding tag, when this session knows it (created, replaced, or proved by
        #: a bound recovery key): stamped into every image sealed. Otherwise the image carries
        #: its own tag unchanged, since the diary database keeps the SQLite header field.
        self._binding: int | None = None

    # ----------------------------------------------------------------- opening

    @classmethod
    def create(
        cls, path: Path, passphrase: str, image: bytes, *, bind_recovery: bool = False
    ) -> tuple[Vault, str]:
        """Create a new vault; returns it and the recovery key to show once.

        ``bind_recovery``: make a bound (version 2) recovery key and stamp its tag into the
        image, which must then be a SQLite database (the diary always passes True).
        """
        return cls._create(path, passphrase, image, bind_recovery=bind_recovery)

    @classmethod
    def _create(
        cls,
        path: Path,
        passphrase: str,
        image: bytes,
        *,
        entropy: Entropy = os.urandom,
        clock: Clock = _utcnow,
        bind_recovery: bool = False,
    ) -> tuple[Vault, str]:
        """:meth:`create` with injectable randomness and time (golden files in tests)."""
        _check_passphrase(passphrase)
        path = Path(path)
        if path.exists():
            raise FileExistsError(f"{path.name} already exists")
        _private_dir(path.parent)
        dek = bytearray(entropy(KEY_LEN))
        file_id = entropy(16).hex()
        params = kdf.calibrate()
        salt = entropy(SALT_LEN)
        kek = bytearray(kdf.derive(passphrase, salt, params))
        vault = cls(
            path,
            _Header(file_id, b"", clock(), ()),
            dek,
            None,
            keks={"passphrase": kek},
            session_backup_pending=False,
            entropy=entropy,
            clock=clock,
        )
        body = _recovery_body(entropy)
        slots: list[_Slot] = [
            vault._passphrase_slot(kek, dek, params, salt),
            vault._new_recovery_slot(body, dek),
        ]
        header = vault._next_header(tuple(slots))
        version = 1
        if bind_recovery:
            version = 2
            rslot = slots[1]
            assert isinstance(rslot, _RecoverySlot)
            vault._binding = _binding_tag(body.encode("ascii"), rslot, header.file_id)
            image = _tagged(image, vault._binding)
        data = _seal(header, dek, image)
        try:
            tmp, st = _write_temp(path.parent, path.name, data)
            try:
                try:
                    os.link(tmp, path)  # atomic "refuse if it exists"
                except FileExistsError:
                    raise
                except OSError:  # no hard links here
                    if path.exists():
                        raise FileExistsError(f"{path.name} already exists") from None
                    _replace(tmp, path)
            finally:
                _unlink_quiet(tmp)
        except FileExistsError:
            raise
        except OSError as exc:
            raise VaultWriteError() from exc
        _fsync_dir(path.parent)
        vault._header = header
        vault._identity = _identity(st, data)
        return vault, _format_recovery(body, version)

    @classmethod
    def unlock(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        device_secret: bytes | None = None,
    ) -> tuple[Vault, bytes]:
        """Open with exactly one secret; returns the vault and the SQLite image."""
        return cls._unlock(
            Path(path),
            passphrase=passphrase,
            recovery_key=recovery_key,
            device_secret=device_secret,
        )

    @classmethod
    def _unlock(
        cls,
        path: Path,
        *,
        passphrase: str | None = None,
        recovery_key: str | None = None,
        device_secret: bytes | None = None,
        kek_cache: _KekCache | None = None,
    ) -> tuple[Vault, bytes]:
        given = [s is not None for s in (passphrase, recovery_key, device_secret)]
        if sum(given) != 1:
            raise ValueError("Give exactly one of passphrase, recovery_key or device_secret.")
        if passphrase is not None:
            _check_passphrase(passphrase)
        body, key_version = _parse_recovery(recovery_key) if recovery_key is not None else (None, 0)
        data, st = _read_file(path)
        parsed = _parse(data)
        header = parsed.header
        file_id = header.file_id
        keks: dict[str, bytearray] = {}
        if passphrase is not None:
            slot = header.passphrase
            cache_key = (slot.salt, slot.kdf)
            cached = kek_cache.get(cache_key) if kek_cache is not None else None
            kek = bytearray(
                cached if cached is not None else kdf.derive(passphrase, slot.salt, slot.kdf)
            )
            if kek_cache is not None:
                kek_cache[cache_key] = bytes(kek)
            dek = _unwrap(
                kek,
                slot.nonce,
                slot.ct,
                _wrap_aad(file_id, slot.kind),
                WrongKeyError.default_message,
            )
            keks["passphrase"] = kek
        elif body is not None:
            rslot = header.recovery
            message = "That recovery key does not open this diary."
            if rslot is None:
                raise WrongKeyError("This diary has no recovery key set up.")
            private = _recovery_private(body, rslot.salt)
            pub = private.public_key().public_bytes_raw()
            if not hmac.compare_digest(pub, rslot.pub):
                raise WrongKeyError(message)
            try:
                shared = private.exchange(X25519PublicKey.from_public_bytes(rslot.epk))
            except ValueError:  # a low-order point: only a deliberately edited header
                raise WrongKeyError(message) from None
            dek = _unwrap(
                _recovery_kek(shared, rslot.epk, rslot.pub),
                rslot.nonce,
                rslot.ct,
                _wrap_aad(file_id, rslot.kind),
                message,
            )
        else:
            assert device_secret is not None
            message = "The key saved on this computer does not open this diary."
            dslot = header.device
            if dslot is None:
                raise WrongKeyError(
                    "This diary is not set up to open without the passphrase on this computer."
                )
            if len(device_secret) != KEY_LEN:
                raise WrongKeyError(message)
            kek = bytearray(_hkdf(bytes(device_secret), dslot.salt, _DEVICE_INFO))
            dek = _unwrap(kek, dslot.nonce, dslot.ct, _wrap_aad(file_id, dslot.kind), message)
            keks["device"] = kek
        if len(dek) != KEY_LEN:  # cannot happen: the wrapped length is fixed
            raise DamagedVaultError("wrapped key length")
        binding: int | None = None
        try:
            image = _open_payload(parsed, dek)
            if body is not None and key_version == 2:
                rslot = header.recovery
                assert rslot is not None
                binding = _binding_tag(body, rslot, file_id)
                if _image_tag(image) != binding:
                    raise UnboundRecoveryError()
        except CorruptVaultError:
            _wipe(dek)
            raise
        vault = cls(
            path,
            header,
            dek,
            _identity(st, data),
            keks=keks,
            session_backup_pending=True,
        )
        # Anyone can encrypt *to* the recovery key's public half, so a file it opens may have
        # been planted: nothing is written until a new passphrase rotates the data key.
        vault.rekey_required = body is not None
        vault._binding = binding
        return vault, image

    # ----------------------------------------------------------------- state

    @property
    def info(self) -> VaultInfo:
        with self._lock:
            return self._header.info()

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise VaultError("This diary is locked. Please unlock it again.")

    def _check_writable(self) -> None:
        self._check_open()
        if self.rekey_required:
            raise PassphraseChangeRequiredError()

    def _report_dropped(self, count: int) -> None:
        self.backups_dropped += count
        callback = self.on_backup_dropped
        if callback is not None:
            callback(count)

    def close(self) -> None:
        """Zero the key material; any further use raises :class:`VaultError`."""
        with self._lock:
            _wipe(self._dek)
            for kek in self._keks.values():
                _wipe(kek)
            self._keks.clear()
            self._closed = True
            self.on_backup_dropped = None  # no reference from a closed vault back to the UI

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- slots

    def _next_header(self, slots: tuple[_Slot, ...] | None = None) -> _Header:
        return _Header(
            file_id=self._header.file_id,
            save_salt=self._entropy(SAVE_SALT_LEN),
            saved_at=self._clock().replace(microsecond=0),
            slots=self._header.slots if slots is None else slots,
        )

    def _passphrase_slot(
        self, kek: bytearray, dek: bytearray, params: KdfParams, salt: bytes
    ) -> _PassphraseSlot:
        nonce = self._entropy(NONCE_LEN)
        ct = AESGCM(kek).encrypt(nonce, dek, _wrap_aad(self._header.file_id, "passphrase"))
        return _PassphraseSlot(kdf=params, salt=salt, nonce=nonce, ct=ct)

    def _device_slot(self, kek: bytearray, dek: bytearray, salt: bytes) -> _DeviceSlot:
        nonce = self._entropy(NONCE_LEN)
        ct = AESGCM(kek).encrypt(nonce, dek, _wrap_aad(self._header.file_id, "device"))
        return _DeviceSlot(salt=salt, nonce=nonce, ct=ct)

    def _recovery_slot_to(self, salt: bytes, pub: bytes, dek: bytearray) -> _RecoverySlot:
        ephemeral = X25519PrivateKey.from_private_bytes(self._entropy(32))
        epk = ephemeral.public_key().public_bytes_raw()
        kek = _recovery_kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(pub)), epk, pub)
        nonce = self._entropy(NONCE_LEN)
        ct = AESGCM(kek).encrypt(nonce, dek, _wrap_aad(self._header.file_id, "recovery"))
        return _RecoverySlot(salt=salt, pub=pub, epk=epk, nonce=nonce, ct=ct)

    def _new_recovery_slot(self, body: str, dek: bytearray) -> _RecoverySlot:
        salt = self._entropy(SALT_LEN)
        pub = _recovery_private(body.encode("ascii"), salt).public_key().public_bytes_raw()
        return self._recovery_slot_to(salt, pub, dek)

    # ----------------------------------------------------------------- saving

    def _unchanged_on_disk(self) -> bool:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self._identity is None
        ident = self._identity
        if ident is None:
            return False
        if ident.same_stat(st):
            return True
        if st.st_size != ident.size or st.st_size < TAG_LEN or not ident.tag:
            return False
        return hmac.compare_digest(_read_tag(self.path), ident.tag)

    def _ensure_unchanged(self) -> None:
        if not self._unchanged_on_disk():
            raise VaultChangedOnDiskError()

    def _take_backups(self, force_session: bool) -> list[Path]:
        """Hard-link (or copy) the current file into the backups folder; return new paths."""
        now = self._clock()
        kinds: list[_BackupKind] = []
        if self._session_backup_pending or force_session:
            kinds.append("session")
        today = now.astimezone().date()
        existing = _backup_entries(self.path)
        if not any(k == "daily" and s.astimezone().date() == today for _, k, s, _ in existing):
            kinds.append("daily")
        if not kinds or not self.path.exists():
            return []
        bdir = _private_dir(paths.backup_dir(self.path.parent))
        created: list[Path] = []
        stamp = now.astimezone(UTC)
        try:
            for kind in kinds:
                while True:
                    name = (
                        f"{self.path.stem}.{kind}.{stamp.strftime(_STAMP_FORMAT)}{self.path.suffix}"
                    )
                    dest = bdir / name
                    if not dest.exists():
                        break
                    stamp = stamp.replace(microsecond=(stamp.microsecond + 1) % 1_000_000)
                _link_or_copy(self.path, dest)
                created.append(dest)
            _fsync_dir(bdir)
        except BaseException:
            for p in created:
                _unlink_quiet(p)
            raise
        return created

    def _drop_oldest_backup(self, needed: int) -> int:
        """On a full disk: delete the oldest backup generation (all names of that file) if
        that frees enough room for ``needed`` bytes. Returns how many files were removed (0:
        nothing dropped, because nothing would help). The caller reports every drop."""
        try:
            current = os.stat(self.path)
            current_key: tuple[int, int] | None = (current.st_dev, current.st_ino)
        except OSError:
            current_key = None
        entries = _backup_entries(self.path)
        for _path, _kind, _when, st in reversed(entries):  # oldest first
            key = (st.st_dev, st.st_ino)
            if key == current_key:
                continue
            names = [e for e in entries if (e[3].st_dev, e[3].st_ino) == key]
            if not _would_fit(self.path.parent, needed, st, len(names)):
                return 0
            for other, _k, _w, _ost in names:
                _unlink_quiet(other)
            return len(names)
        return 0

    def _prune_backups(self) -> None:
        keep = {"session": SESSION_KEEP, "daily": DAILY_KEEP}
        seen = {"session": 0, "daily": 0}
        for path, kind, _when, _st in _backup_entries(self.path):  # newest first
            seen[kind] += 1
            if seen[kind] > keep[kind]:
                _unlink_quiet(path)

    def _write_vault(
        self, data: bytes | bytearray, *, force_session_backup: bool = False
    ) -> _Identity:
        """The §5.4 protocol. Raises VaultWriteError / VaultChangedOnDiskError; on failure the
        vault and its backups are as they were (except one dropped backup after ENOSPC)."""
        directory = self.path.parent
        retried = False
        while True:
            tmp: Path | None = None
            created: list[Path] = []
            try:
                self._ensure_unchanged()
                tmp, st = _write_temp(directory, self.path.name, data)
                self._ensure_unchanged()
                created = self._take_backups(force_session_backup)
                _replace(tmp, self.path)
                tmp = None
            except OSError as exc:
                for p in created:
                    _unlink_quiet(p)
                if tmp is not None:
                    _unlink_quiet(tmp)
                    tmp = None
                full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
                if full and not retried:
                    dropped = self._drop_oldest_backup(len(data))
                    if dropped:
                        retried = True
                        self._report_dropped(dropped)
                        continue
                if retried:
                    raise VaultWriteError(
                        VaultWriteError.default_message
                        + " One old backup had been removed to make room."
                    ) from exc
                raise VaultWriteError() from exc
            finally:
                if tmp is not None:
                    _unlink_quiet(tmp)
            _fsync_dir(directory)
            self._session_backup_pending = False
            with suppress(OSError):
                self._prune_backups()
            return _identity(st, data)

    def _save(self, image: bytes, *, force_session_backup: bool = False) -> None:
        header = self._next_header()
        data = _seal(header, self._dek, _tagged(image, self._binding))
        self._identity = self._write_vault(data, force_session_backup=force_session_backup)
        self._header = header

    def save(self, image: bytes) -> None:
        """Seal ``image`` and replace the file atomically (serialised across threads)."""
        with self._lock:
            self._check_writable()
            self._save(image)

    # ----------------------------------------------------------------- key changes

    def _commit_rotation(
        self,
        image: bytes,
        new_dek: bytearray,
        slots: list[_Slot],
        keks: dict[str, bytearray],
        binding: int | None,
    ) -> tuple[int, int]:
        """Save under a new DEK, then re-seal the backups. Returns (resealed, kept)."""
        header = self._next_header(tuple(slots))
        try:
            data = _seal(header, new_dek, _tagged(image, binding))
            identity = self._write_vault(data)
        except BaseException:
            _wipe(new_dek)
            for name, kek in keks.items():
                if self._keks.get(name) is not kek:
                    _wipe(kek)
            raise
        old_dek = self._dek
        self._dek, self._header, self._identity = new_dek, header, identity
        self._binding = binding
        for name, old in list(self._keks.items()):
            if keks.get(name) is not old:
                _wipe(old)
        self._keks = keks
        try:
            return self._reseal_backups(old_dek)
        finally:
            _wipe(old_dek)

    def _reseal_backups(self, old_dek: bytearray) -> tuple[int, int]:
        """Re-seal every backup under the new key. Returns (resealed, kept).

        A backup that does not open under the old key (an older key, a damaged file) or cannot
        be rewritten is never deleted: it moves to ``backups/kept/`` (or stays where it is if
        even that fails), and the count is reported to the person.
        """
        resealed = kept = 0
        done: dict[tuple[int, int], Path] = {}
        for path, _kind, _when, st in _backup_entries(self.path):
            key = (st.st_dev, st.st_ino)
            try:
                if key in done:  # another name of a file already re-sealed: link it again
                    tmp = path.with_name(files.temp_name(path.name))
                    os.link(done[key], tmp)
                    try:
                        _replace(tmp, path)
                    finally:
                        _unlink_quiet(tmp)
                    continue
                data, _ = _read_file(path)
                parsed = _parse(data)
                image = _open_payload(parsed, old_dek)
                header = replace(
                    self._next_header(), saved_at=parsed.header.saved_at, slots=self._header.slots
                )
                _write_atomic(path, _seal(header, self._dek, _tagged(image, self._binding)))
                done[key] = path
                resealed += 1
            except (VaultError, OSError):
                _keep_aside(path)
                kept += 1
        return resealed, kept

    def change_passphrase(
        self,
        new_passphrase: str,
        image: bytes,
        *,
        replace_recovery_key: bool = False,
        bind_recovery: bool = False,
    ) -> PassphraseChangeResult:
        """New passphrase slot (re-calibrated KDF, new salt) and a new data key.

        The recovery key keeps working (its slot is re-wrapped to its public key) unless
        ``replace_recovery_key`` is set; the device slot is dropped; backups are re-sealed.
        """
        _check_passphrase(new_passphrase)
        with self._lock:
            self._check_open()
            params = kdf.calibrate()
            salt = self._entropy(SALT_LEN)
            kek = bytearray(kdf.derive(new_passphrase, salt, params))
            new_dek = bytearray(self._entropy(KEY_LEN))
            slots: list[_Slot] = [self._passphrase_slot(kek, new_dek, params, salt)]
            recovery_key: str | None = None
            old_recovery = self._header.recovery
            binding = self._binding
            if replace_recovery_key:
                body = _recovery_body(self._entropy)
                rslot = self._new_recovery_slot(body, new_dek)
                slots.append(rslot)
                binding = self._binding_for(body, rslot) if bind_recovery else None
                recovery_key = _format_recovery(body, 2 if bind_recovery else 1)
            elif old_recovery is not None:
                slots.append(self._recovery_slot_to(old_recovery.salt, old_recovery.pub, new_dek))
            device_removed = self._header.device is not None
            resealed, kept = self._commit_rotation(
                image, new_dek, slots, {"passphrase": kek}, binding
            )
            self.rekey_required = False
            return PassphraseChangeResult(recovery_key, resealed, kept, device_removed)

    def _binding_for(self, body: str, slot: _RecoverySlot) -> int:
        return _binding_tag(body.encode("ascii"), slot, self._header.file_id)

    def replace_recovery_key(
        self, image: bytes, *, passphrase: str | None = None, bind_recovery: bool = False
    ) -> str:
        """A new recovery key (returned, show once) and a new data key; backups re-sealed.

        Needs the passphrase KEK: known if this session unlocked with (or set) the passphrase,
        otherwise pass ``passphrase``. The device slot is kept if this session knows its key,
        else dropped (check ``info.has_device``).
        """
        with self._lock:
            self._check_open()
            pslot = self._header.passphrase
            kek = self._keks.get("passphrase")
            if kek is None:
                if passphrase is None:
                    raise VaultError("Please enter your passphrase to replace the recovery key.")
                _check_passphrase(passphrase)
                kek = bytearray(kdf.derive(passphrase, pslot.salt, pslot.kdf))
                check = _unwrap(
                    kek,
                    pslot.nonce,
                    pslot.ct,
                    _wrap_aad(self._header.file_id, "passphrase"),
                    WrongKeyError.default_message,
                )
                same = hmac.compare_digest(bytes(check), bytes(self._dek))
                _wipe(check)
                if not same:  # cannot happen with an authentic header (it is in the AAD)
                    raise WrongKeyError()
            elif self.rekey_required:
                raise PassphraseChangeRequiredError()
            # The passphrase opened this very data key, so this is the person's own diary (a
            # planted file would not open with it): writing is safe again after this.
            new_dek = bytearray(self._entropy(KEY_LEN))
            body = _recovery_body(self._entropy)
            rslot = self._new_recovery_slot(body, new_dek)
            slots: list[_Slot] = [
                self._passphrase_slot(kek, new_dek, pslot.kdf, pslot.salt),
                rslot,
            ]
            binding = self._binding_for(body, rslot) if bind_recovery else None
            keks = {"passphrase": kek}
            dslot = self._header.device
            device_kek = self._keks.get("device")
            if dslot is not None and device_kek is not None:
                slots.append(self._device_slot(device_kek, new_dek, dslot.salt))
                keks["device"] = device_kek
            self._commit_rotation(image, new_dek, slots, keks, binding)
            self.rekey_required = False
            return _format_recovery(body, 2 if bind_recovery else 1)

    def enable_device_slot(self, image: bytes) -> bytes:
        """Add (or replace) the device slot; returns the 32-byte secret for the keyring."""
        with self._lock:
            self._check_writable()
            secret = self._entropy(KEY_LEN)
            salt = self._entropy(SALT_LEN)
            kek = bytearray(_hkdf(secret, salt, _DEVICE_INFO))
            kept = [s for s in self._header.slots if s.kind != "device"]
            slots = (*kept, self._device_slot(kek, self._dek, salt))
            header = self._next_header(slots)
            try:
                data = _seal(header, self._dek, _tagged(image, self._binding))
                self._identity = self._write_vault(data)
            except BaseException:
                _wipe(kek)
                raise
            self._header = header
            old = self._keks.get("device")
            if old is not None:
                _wipe(old)
            self._keks["device"] = kek
            return secret

    def disable_device_slot(self, image: bytes) -> None:
        """Remove the device slot (the caller deletes the keyring item)."""
        with self._lock:
            self._check_writable()
            slots = tuple(s for s in self._header.slots if s.kind != "device")
            header = self._next_header(slots)
            data = _seal(header, self._dek, _tagged(image, self._binding))
            self._identity = self._write_vault(data)
            self._header = header
            old = self._keks.pop("device", None)
            if old is not None:
                _wipe(old)

    # ----------------------------------------------------------------- backups and copies

    def backups(self) -> list[BackupInfo]:
        return list_backups(self.path)

    def restore_backup(self, backup: BackupInfo) -> bytes:
        """Make ``backup`` the current vault (the current file becomes a session backup first)."""
        with self._lock:
            self._check_writable()
            data, _ = _read_file(backup.path)
            parsed = _parse(data)
            if parsed.header.file_id != self._header.file_id:
                raise DamagedVaultError("backup belongs to another diary")
            image = _open_payload(parsed, self._dek)
            self._save(image, force_session_backup=True)
            return image

    def save_copy(self, dest: Path, image: bytes) -> None:
        """An encrypted copy elsewhere, sealed with the same keys, written atomically."""
        dest = Path(dest)
        with self._lock:
            self._check_writable()
            if dest.resolve() == self.path.resolve():
                raise ValueError("A copy cannot replace the diary file itself.")
            data = _seal(self._next_header(), self._dek, _tagged(image, self._binding))
            try:
                _write_atomic(dest, data)
            except OSError as exc:
                raise VaultWriteError() from exc

    def _rebind(self, path: Path) -> None:
        """Point this vault (opened from a backup) at the main vault path."""
        self.path = path
        try:
            data, st = _read_file(path)
        except FileNotFoundError:
            self._identity = None
        except DamagedVaultError:
            # Too large to read: keep a stat-only identity so a save still refuses on change.
            st = os.stat(path)
            self._identity = _Identity(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, b"")
        else:
            self._identity = _identity(st, data)
        self._session_backup_pending = True


def _would_fit(directory: Path, needed: int, st: os.stat_result, names: int) -> bool:
    """Would removing a backup file with ``names`` names in backups/ make ``needed`` bytes
    fit? (Not if another link outside backups/ keeps it, or the room would still be short.)"""
    if st.st_nlink > names:
        return False
    try:
        vfs = os.statvfs(directory)
    except (OSError, AttributeError):
        return True  # cannot tell (Windows): try, as before
    free = vfs.f_bavail * vfs.f_frsize
    return free + st.st_size >= needed + PAD_BLOCK


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
        return
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOSPC, errno.EROFS, errno.EDQUOT):
            raise
    # No hard links here (FAT, some shares): a durable copy instead.
    data, _ = _read_file(src)
    tmp, _st = _write_temp(dest.parent, dest.name, data)
    try:
        os.replace(tmp, dest)
    except BaseException:
        _unlink_quiet(tmp)
        raise


def open_newest_backup(
    directory: Path, *, passphrase: str | None = None, recovery_key: str | None = None
) -> tuple[BackupInfo, Vault, bytes]:
    """For a damaged vault: open the newest backup that opens with the given secret.

    The returned vault is bound to the *main* vault path, so its first save writes the restored
    content there (the damaged file is kept as a session backup). Raises
    :class:`WrongKeyError` if every backup was intact but the secret opened none of them, else
    :class:`CorruptVaultError` when none opens.
    """
    main = paths.vault_path(Path(directory))
    cache: _KekCache = {}
    wrong = tried = 0
    for backup in list_backups(main):
        tried += 1
        try:
            vault, image = Vault._unlock(
                backup.path, passphrase=passphrase, recovery_key=recovery_key, kek_cache=cache
            )
        except WrongKeyError:
            wrong += 1
            continue
        except (CorruptVaultError, OSError):
            continue
        vault._rebind(main)
        return backup, vault, image
    if tried and wrong == tried:
        raise WrongKeyError()
    raise CorruptVaultError("No backup of the diary could be opened.")
