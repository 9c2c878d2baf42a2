"""Vault file format v1: the bytes on disk, their limits, and sealing the payload.

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
:class:`DamagedVaultError` (a :class:`CorruptVaultError`; :class:`UnsupportedVersionError` for
a newer version). What the key slots hold and how they open: ``key_slots.py``.

Golden files (``tests/storage/golden``) pin every byte of this format.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import hmac
import json
import os
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from companion.i18n import _
from companion.storage import kdf
from companion.storage.atomic import O_BINARY, O_CLOEXEC
from companion.storage.errors import CorruptVaultError, UnsupportedVersionError, VaultError
from companion.storage.kdf import KdfParams

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
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_PAYLOAD_INFO = b"companion/v1/payload"


class DamagedVaultError(CorruptVaultError):
    """A :class:`CorruptVaultError` that also says which check failed (for tests and ``check``)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


# --------------------------------------------------------------------------- header model


@dataclass(frozen=True)
class VaultInfo:
    """What can be read without a key (header only)."""

    file_id: str
    has_recovery: bool
    has_device: bool
    kdf: KdfParams
    saved_at: datetime | None


@dataclass(frozen=True)
class PassphraseSlot:
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    ct: bytes
    kind: Literal["passphrase"] = "passphrase"


@dataclass(frozen=True)
class RecoverySlot:
    salt: bytes
    pub: bytes
    epk: bytes
    nonce: bytes
    ct: bytes
    kind: Literal["recovery"] = "recovery"


@dataclass(frozen=True)
class DeviceSlot:
    salt: bytes
    nonce: bytes
    ct: bytes
    kind: Literal["device"] = "device"


Slot = PassphraseSlot | RecoverySlot | DeviceSlot


@dataclass(frozen=True)
class Header:
    file_id: str
    save_salt: bytes
    saved_at: datetime
    slots: tuple[Slot, ...]

    @property
    def passphrase(self) -> PassphraseSlot:
        slot = self.slots[0]
        assert isinstance(slot, PassphraseSlot)
        return slot

    @property
    def recovery(self) -> RecoverySlot | None:
        return next((s for s in self.slots if isinstance(s, RecoverySlot)), None)

    @property
    def device(self) -> DeviceSlot | None:
        return next((s for s in self.slots if isinstance(s, DeviceSlot)), None)

    def info(self) -> VaultInfo:
        return VaultInfo(
            file_id=self.file_id,
            has_recovery=self.recovery is not None,
            has_device=self.device is not None,
            kdf=self.passphrase.kdf,
            saved_at=self.saved_at,
        )


# --------------------------------------------------------------------------- header writing


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def canonical(obj: object) -> bytes:
    """The one JSON spelling the reader accepts: sorted keys, no spaces, ASCII."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _slot_json(slot: Slot) -> dict[str, object]:
    if isinstance(slot, PassphraseSlot):
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
    if isinstance(slot, RecoverySlot):
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


def header_bytes(header: Header) -> bytes:
    raw = canonical(
        {
            "v": VERSION,
            "file_id": header.file_id,
            "cipher": CIPHER_ID,
            "pad": PAD_BLOCK,
            "norm": kdf.NORMALIZATION,
            "save_salt": _b64(header.save_salt),
            "saved_at": header.saved_at.astimezone(UTC).strftime(TIME_FORMAT),
            "slots": [_slot_json(s) for s in header.slots],
        }
    )
    if len(raw) > MAX_HEADER_LEN:  # cannot happen with three slots; keep the writer honest
        raise VaultError(_("internal error: header too large"))
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


def _parse_slot(value: object) -> Slot:
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
        return PassphraseSlot(
            kdf=params,
            salt=_bytes_field(k["salt"], SALT_LEN, "kdf salt"),
            nonce=_bytes_field(obj["nonce"], NONCE_LEN, "nonce"),
            ct=_bytes_field(obj["ct"], WRAPPED_LEN, "wrapped key"),
        )
    if kind == "recovery":
        obj = _obj(value, {"kind", "salt", "pub", "epk", "nonce", "ct"}, "recovery slot")
        return RecoverySlot(
            salt=_bytes_field(obj["salt"], SALT_LEN, "salt"),
            pub=_bytes_field(obj["pub"], 32, "public key"),
            epk=_bytes_field(obj["epk"], 32, "ephemeral key"),
            nonce=_bytes_field(obj["nonce"], NONCE_LEN, "nonce"),
            ct=_bytes_field(obj["ct"], WRAPPED_LEN, "wrapped key"),
        )
    if kind == "device":
        obj = _obj(value, {"kind", "salt", "nonce", "ct"}, "device slot")
        return DeviceSlot(
            salt=_bytes_field(obj["salt"], SALT_LEN, "salt"),
            nonce=_bytes_field(obj["nonce"], NONCE_LEN, "nonce"),
            ct=_bytes_field(obj["ct"], WRAPPED_LEN, "wrapped key"),
        )
    raise DamagedVaultError("unknown slot kind")


def _parse_saved_at(value: object) -> datetime:
    try:
        if not isinstance(value, str):
            raise ValueError
        saved_at = datetime.strptime(value, TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise DamagedVaultError("bad saved_at") from None
    if saved_at.strftime(TIME_FORMAT) != value:
        raise DamagedVaultError("bad saved_at")
    return saved_at


def _parse_slots(value: object) -> tuple[Slot, ...]:
    if not isinstance(value, list) or not 1 <= len(value) <= len(SLOT_ORDER):
        raise DamagedVaultError("bad slot list")
    slots = tuple(_parse_slot(s) for s in value)
    kinds = [s.kind for s in slots]
    if len(set(kinds)) != len(kinds):
        raise DamagedVaultError("duplicate slot")
    if kinds != sorted(kinds, key=SLOT_ORDER.index) or kinds[0] != "passphrase":
        raise DamagedVaultError("slots missing or out of order")
    return slots


def parse_header(raw: bytes) -> Header:
    try:
        obj = json.loads(
            raw.decode("ascii"),
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
        )
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise DamagedVaultError("header is not JSON") from None
    if canonical(obj) != raw:
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
    saved_at = _parse_saved_at(top["saved_at"])
    slots = _parse_slots(top["slots"])
    return Header(
        file_id=file_id,
        save_salt=_bytes_field(top["save_salt"], SAVE_SALT_LEN, "save salt"),
        saved_at=saved_at,
        slots=slots,
    )


@dataclass(frozen=True)
class Parsed:
    header: Header
    aad: bytes  # magic .. checksum, the payload's associated data
    ciphertext: memoryview


def parse_prefix(data: bytes) -> int:
    """Check magic, version and header length; return the header length."""
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise DamagedVaultError("bad magic" if len(data) >= len(MAGIC) else "too short")
    if len(data) < PREFIX_LEN:
        raise DamagedVaultError("too short")
    _magic, version, header_len = _PREFIX.unpack_from(data)
    if version > VERSION:
        raise UnsupportedVersionError()
    if version != VERSION:
        raise DamagedVaultError("bad version")
    if not 0 < header_len <= MAX_HEADER_LEN:
        raise DamagedVaultError("header length out of range")
    return int(header_len)


def parse(data: bytes, *, payload: bool = True) -> Parsed:
    """Check everything that needs no key: prefix, checksum, header, payload length."""
    header_len = parse_prefix(data)
    header_end = PREFIX_LEN + header_len
    aad_end = header_end + CHECKSUM_LEN
    if len(data) < aad_end:
        raise DamagedVaultError("truncated header")
    digest = hashlib.sha256(data[:header_end]).digest()
    if not hmac.compare_digest(digest, data[header_end:aad_end]):
        raise DamagedVaultError("header checksum")
    header = parse_header(bytes(data[PREFIX_LEN:header_end]))
    ct_len = len(data) - aad_end
    if payload and (ct_len < PAD_BLOCK + TAG_LEN or (ct_len - TAG_LEN) % PAD_BLOCK):
        raise DamagedVaultError("payload length")
    return Parsed(header, bytes(data[:aad_end]), memoryview(data)[aad_end:])


# --------------------------------------------------------------------------- reading files


def read_file(path: Path) -> tuple[bytes, os.stat_result]:
    """Read a whole vault file after checking its size against the reader limit."""
    fd = os.open(path, os.O_RDONLY | O_BINARY | O_CLOEXEC)
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


class VaultFile:
    """A vault file opened for reading, through one descriptor: its checked header at once,
    its payload on request, decrypted as it is read (:meth:`payload`).

    Reading the whole file first, then decrypting it, then copying the image out held the
    image three times; here the only image-sized buffer is the plaintext, and the image is
    that very buffer with the length field and padding cut off. Same checks, same errors, in
    the same order as :func:`read_file` + :func:`parse` + :func:`open_payload`.
    """

    def __init__(self, path: Path) -> None:
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 (closed by close/with)
        try:
            self.stat = os.fstat(self._file.fileno())
            if self.stat.st_size > MAX_FILE_LEN:
                raise DamagedVaultError("file too large")
            head = self._read(PREFIX_LEN)
            header_len = parse_prefix(head)
            parsed = parse(head + self._read(header_len + CHECKSUM_LEN), payload=False)
            self.header, self.aad = parsed.header, parsed.aad
            ct_len = self.stat.st_size - len(self.aad)
            if ct_len < PAD_BLOCK + TAG_LEN or (ct_len - TAG_LEN) % PAD_BLOCK:
                raise DamagedVaultError("payload length")
            self._padded = ct_len - TAG_LEN
        except BaseException:
            self._file.close()
            raise
        #: the file's last 16 bytes (its GCM tag), once :meth:`payload` has read them
        self.tag = b""

    def _read(self, size: int) -> bytes:
        data = self._file.read(size)
        return data if data is not None else b""

    def _read_into(self, view: memoryview) -> None:
        while view:
            got = self._file.readinto(view)
            if not got:  # shorter than it was a moment ago
                raise DamagedVaultError("payload length")
            view = view[got:]

    def payload(self, dek: bytearray) -> bytearray:
        """The image, authenticated (:class:`DamagedVaultError` if anything was changed). It is
        the caller's to wipe (``wipe``) once it has been handed to SQLite."""
        key = payload_key(dek, self.header.save_salt)
        decryptor = Cipher(algorithms.AES(key), modes.GCM(bytes(NONCE_LEN))).decryptor()
        decryptor.authenticate_additional_data(self.aad)
        # GCM writes as much as it reads; the spare bytes are what ``update_into`` asks for
        plain = bytearray(self._padded + 2 * TAG_LEN)
        cipher = bytearray(min(SEAL_CHUNK, self._padded))
        try:
            with memoryview(plain) as out, memoryview(cipher) as chunk:
                filled = done = 0
                while done < self._padded:
                    part = chunk[: min(len(chunk), self._padded - done)]
                    self._read_into(part)
                    filled += decryptor.update_into(part, out[filled:])
                    done += len(part)
                    del part
            tag = self._read(TAG_LEN + 1)
            if len(tag) != TAG_LEN:
                raise DamagedVaultError("payload length")
            try:
                decryptor.finalize_with_tag(tag)
            except InvalidTag:
                raise DamagedVaultError("payload authentication") from None
            self.tag = tag
            length = int.from_bytes(plain[:8], "big")
            if length > self._padded - 8 or _padded_len(length) != self._padded:
                raise DamagedVaultError("payload length field")
            if plain.count(0, 8 + length, self._padded) != self._padded - 8 - length:
                raise DamagedVaultError("payload padding")
            # The image in place: the padding and spare bytes (zeros) cut off the end, the
            # length field off the front (O(1) for a bytearray); nothing is copied.
            del plain[8 + length :]
            del plain[:8]
            return plain
        except BaseException:
            wipe(plain)
            raise

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> VaultFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_header(path: Path) -> Header:
    """The checked header of a vault file, without reading its payload."""
    with open(path, "rb") as f:
        head = f.read(PREFIX_LEN)
        header_len = parse_prefix(head)
        rest = f.read(header_len + CHECKSUM_LEN)
    return parse(head + rest, payload=False).header


# --------------------------------------------------------------------------- the payload


def hkdf(ikm: bytes | bytearray, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt, info=info).derive(ikm)


def wipe(buf: bytearray) -> None:
    """Zero a bytearray in place (memset: far cheaper than assigning a zero bytes object)."""
    if buf:
        ctypes.memset((ctypes.c_char * len(buf)).from_buffer(buf), 0, len(buf))


def payload_key(dek: bytearray, save_salt: bytes) -> bytes:
    return hkdf(dek, save_salt, _PAYLOAD_INFO)


#: How much of the file is sealed (and written) at a time.
SEAL_CHUNK = 1 << 20


class SealBuffers:
    """The buffer a save seals into, one :data:`SEAL_CHUNK` at a time, kept from one save to
    the next (a fresh one per save would cost its allocation and page faults every time).

    It only ever holds ciphertext: the image is encrypted straight from the caller's bytes, so
    no padded plaintext copy of the diary exists. Its size never changes. Not thread-safe: its
    owner (the vault) seals under its lock, one file at a time.
    """

    def __init__(self) -> None:
        self._out = bytearray()

    def out(self) -> bytearray:
        if not self._out:
            # room for one chunk, what GCM may hold back from the previous piece, and the tag
            self._out = bytearray(SEAL_CHUNK + 2 * TAG_LEN)
        return self._out

    def release(self) -> None:
        """Give the memory back (at lock)."""
        self._out = bytearray()


def _aad(header: Header) -> bytes:
    header_raw = header_bytes(header)
    prefix = _PREFIX.pack(MAGIC, VERSION, len(header_raw)) + header_raw
    return prefix + hashlib.sha256(prefix).digest()


def _padded_len(image_len: int) -> int:
    return -(-(8 + image_len) // PAD_BLOCK) * PAD_BLOCK


class SealedFile:
    """The whole vault file for ``header`` and ``image``, sealed piece by piece as it is read.

    The bytes are exactly those of one AES-GCM encryption of ``u64 length || image || zero
    padding`` (format v1, above): GCM is a stream mode, so encrypting the length, the image's
    slices and the padding one after another gives the same ciphertext and the same tag. So a
    save needs no padded plaintext copy of the image and no sealed copy of the file: only one
    chunk of ciphertext at a time (``buffers``, or a buffer of its own).

    :meth:`chunks` yields the file's bytes in order, as views of that buffer: each is valid
    until the next is asked for (write it first). It can be run again (a retried write) and
    gives the same bytes. :attr:`tag` (the file's last 16 bytes) is known once it has run.
    ``bytes(sealed)`` is the whole file at once, for tests and small tools.
    """

    def __init__(
        self,
        header: Header,
        dek: bytearray,
        image: bytes | bytearray,
        buffers: SealBuffers | None = None,
    ) -> None:
        if len(image) > MAX_IMAGE_LEN:
            raise ValueError(_("the diary database is too large to save"))
        self._aad = _aad(header)
        self._key = payload_key(dek, header.save_salt)
        self._image = image
        self._padded = _padded_len(len(image))
        self._buffers = buffers
        self._tag: bytes | None = None

    def __len__(self) -> int:
        return len(self._aad) + self._padded + TAG_LEN

    @property
    def tag(self) -> bytes:
        if self._tag is None:
            raise RuntimeError("the file has not been sealed yet")
        return self._tag

    def _plaintext(self) -> Iterator[bytes | memoryview]:
        image = memoryview(self._image)
        yield len(image).to_bytes(8, "big")
        for start in range(0, len(image), SEAL_CHUNK):
            yield image[start : start + SEAL_CHUNK]
        padding = self._padded - 8 - len(image)  # always less than PAD_BLOCK
        if padding:
            yield bytes(padding)

    def chunks(self) -> Iterator[memoryview]:
        yield memoryview(self._aad)
        out = self._buffers.out() if self._buffers is not None else bytearray()
        if not out:
            out = bytearray(SEAL_CHUNK + 2 * TAG_LEN)
        sink = memoryview(out)
        encryptor = Cipher(algorithms.AES(self._key), modes.GCM(bytes(NONCE_LEN))).encryptor()
        encryptor.authenticate_additional_data(self._aad)
        filled = 0
        for piece in self._plaintext():
            while piece:
                part = piece[: SEAL_CHUNK - filled]
                filled += encryptor.update_into(part, sink[filled:])
                piece = piece[len(part) :]
                if filled >= SEAL_CHUNK:
                    yield sink[:filled]
                    filled = 0
        rest = encryptor.finalize()  # GCM holds nothing back: empty
        sink[filled : filled + len(rest)] = rest
        filled += len(rest)
        self._tag = tag = encryptor.tag
        sink[filled : filled + TAG_LEN] = tag
        yield sink[: filled + TAG_LEN]

    def __bytes__(self) -> bytes:
        return b"".join(bytes(chunk) for chunk in self.chunks())


def seal(header: Header, dek: bytearray, image: bytes) -> bytes:
    """The whole file at once (tests, golden files, small tools); saves stream a
    :class:`SealedFile` to disk instead."""
    return bytes(SealedFile(header, dek, image))


def open_payload(parsed: Parsed, dek: bytearray) -> bytes:
    """The image inside a parsed file; :class:`DamagedVaultError` if it was changed.

    Decrypted into a buffer that is wiped afterwards, so the only plaintext copy left is the
    image returned (which the caller hands to SQLite and drops)."""
    key = payload_key(dek, parsed.header.save_salt)
    if len(parsed.ciphertext) < TAG_LEN:
        raise DamagedVaultError("payload length")
    plaintext = bytearray(len(parsed.ciphertext) - TAG_LEN)
    try:
        try:
            AESGCM(key).decrypt_into(bytes(NONCE_LEN), parsed.ciphertext, parsed.aad, plaintext)
        except InvalidTag:
            raise DamagedVaultError("payload authentication") from None
        length = int.from_bytes(plaintext[:8], "big")
        padded = -(-(8 + length) // PAD_BLOCK) * PAD_BLOCK
        if length > len(plaintext) - 8 or padded != len(plaintext):
            raise DamagedVaultError("payload length field")
        if plaintext.count(0, 8 + length) != len(plaintext) - 8 - length:
            raise DamagedVaultError("payload padding")
        with memoryview(plaintext) as view:
            return bytes(view[8 : 8 + length])
    finally:
        wipe(plaintext)
