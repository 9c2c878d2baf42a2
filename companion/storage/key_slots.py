"""Key slots: the ways to reach the data key, recovery keys, and the recovery binding.

One random 256-bit *data key* (DEK) seals the payload (``format.py``). Key slots in the header
wrap the DEK with AES-256-GCM (random nonce, aad = file_id || kind):

* ``passphrase`` (always present): KEK = Argon2id(NFC(passphrase)). Symmetric on purpose: only
  someone who knows the passphrase can make a slot that the passphrase opens, so a person who can
  write to the data folder cannot plant a look-alike vault that opens with it.
* ``device`` (opt-in): KEK = HKDF(32 random bytes kept in the OS keyring). Symmetric for the same
  reason — the app opens it without asking, so it must not be forgeable.
* ``recovery`` (offered at setup): an X25519 *recipient*, like age's X25519 stanzas. The recovery
  key (175 random bits, printed once) deterministically gives an X25519 key pair
  (HKDF with a per-slot salt); the header keeps only the public key. The DEK is wrapped to it
  with an ephemeral key: KEK = HKDF(X25519(eph, pub), salt = epk || pub).

Re-wrapping a *new* DEK for the recovery slot needs only its public key, so the recovery key
keeps working across passphrase changes without ever being stored or re-typed. Because anyone
can encrypt *to* a public key, recovery keys made since issue 18 are *bound* to their diary
(see "recovery binding" below); how the vault uses that: ``vault.py``.

Every function that makes a slot takes the randomness it uses (``entropy``) so that the golden
files can be made with a seeded generator; the order of the calls is part of those files.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from companion.i18n import _
from companion.storage import kdf
from companion.storage.errors import VaultError, WrongKeyError
from companion.storage.format import (
    KEY_LEN,
    NONCE_LEN,
    SALT_LEN,
    DeviceSlot,
    Header,
    PassphraseSlot,
    RecoverySlot,
    hkdf,
    wipe,
)
from companion.storage.kdf import KdfParams

Entropy = Callable[[int], bytes]
#: passphrase KEKs already derived, by (salt, parameters): trying every backup with one
#: passphrase runs the KDF once per distinct slot, not once per file
KekCache = dict[tuple[bytes, KdfParams], bytes]

_DEVICE_INFO = b"companion/v1/device-kek"
_RECOVERY_KEY_INFO = b"companion/v1/recovery-x25519"
_RECOVERY_WRAP_INFO = b"companion/v1/recovery-kek"

# Recovery keys: RFC 4648 base32 symbols, 35 random (175 bits) + 5 checksum, as 8 groups of 5.
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_RECOVERY_BODY = 35
_RECOVERY_CHECK = 5
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def check_passphrase(passphrase: str) -> None:
    """``ValueError`` (one sentence) for a passphrase no slot can be made or opened with."""
    if not isinstance(passphrase, str) or passphrase == "":
        raise ValueError(_("The passphrase must not be empty."))
    try:
        unicodedata.normalize(kdf.NORMALIZATION, passphrase).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("The passphrase contains characters that cannot be used.")) from None


# --------------------------------------------------------------------------- wrapping the DEK


def _wrap_aad(file_id: str, kind: str) -> bytes:
    return file_id.encode("ascii") + kind.encode("ascii")


def _wrap(
    kek: bytes | bytearray, dek: bytearray, file_id: str, kind: str, entropy: Entropy
) -> tuple[bytes, bytes]:
    """(nonce, wrapped DEK)."""
    nonce = entropy(NONCE_LEN)
    return nonce, AESGCM(kek).encrypt(nonce, dek, _wrap_aad(file_id, kind))


def _unwrap(
    kek: bytes | bytearray, nonce: bytes, ct: bytes, file_id: str, kind: str, message: str
) -> bytearray:
    try:
        dek = bytearray(AESGCM(kek).decrypt(nonce, ct, _wrap_aad(file_id, kind)))
    except InvalidTag:
        raise WrongKeyError(message) from None
    return dek


def device_kek(secret: bytes, salt: bytes) -> bytearray:
    """The device slot's KEK from the 32-byte secret kept in the OS keyring."""
    return bytearray(hkdf(secret, salt, _DEVICE_INFO))


def _recovery_private(body: bytes, salt: bytes) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(hkdf(body, salt, _RECOVERY_KEY_INFO))


def _recovery_kek(shared: bytes, epk: bytes, pub: bytes) -> bytes:
    return hkdf(shared, epk + pub, _RECOVERY_WRAP_INFO)


def passphrase_slot(
    file_id: str,
    kek: bytearray,
    dek: bytearray,
    params: KdfParams,
    salt: bytes,
    entropy: Entropy,
) -> PassphraseSlot:
    nonce, ct = _wrap(kek, dek, file_id, "passphrase", entropy)
    return PassphraseSlot(kdf=params, salt=salt, nonce=nonce, ct=ct)


def device_slot(
    file_id: str, kek: bytearray, dek: bytearray, salt: bytes, entropy: Entropy
) -> DeviceSlot:
    nonce, ct = _wrap(kek, dek, file_id, "device", entropy)
    return DeviceSlot(salt=salt, nonce=nonce, ct=ct)


def recovery_slot_to(
    file_id: str, salt: bytes, pub: bytes, dek: bytearray, entropy: Entropy
) -> RecoverySlot:
    """Wrap ``dek`` to a recovery public key (no recovery key needed: a fresh ephemeral key)."""
    ephemeral = X25519PrivateKey.from_private_bytes(entropy(32))
    epk = ephemeral.public_key().public_bytes_raw()
    kek = _recovery_kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(pub)), epk, pub)
    nonce, ct = _wrap(kek, dek, file_id, "recovery", entropy)
    return RecoverySlot(salt=salt, pub=pub, epk=epk, nonce=nonce, ct=ct)


def new_recovery_slot(file_id: str, body: str, dek: bytearray, entropy: Entropy) -> RecoverySlot:
    """A slot for a new recovery key ``body`` (its public key under a new salt)."""
    salt = entropy(SALT_LEN)
    pub = _recovery_private(body.encode("ascii"), salt).public_key().public_bytes_raw()
    return recovery_slot_to(file_id, salt, pub, dek, entropy)


# --------------------------------------------------------------------------- opening a slot


def open_with_passphrase(
    header: Header, passphrase: str, kek_cache: KekCache | None = None
) -> tuple[bytearray, bytearray]:
    """(DEK, passphrase KEK); :class:`WrongKeyError` if the passphrase does not open it."""
    slot = header.passphrase
    cache_key = (slot.salt, slot.kdf)
    cached = kek_cache.get(cache_key) if kek_cache is not None else None
    kek = bytearray(cached if cached is not None else kdf.derive(passphrase, slot.salt, slot.kdf))
    if kek_cache is not None:
        kek_cache[cache_key] = bytes(kek)
    message = WrongKeyError.default_message()
    return _unwrap(kek, slot.nonce, slot.ct, header.file_id, slot.kind, message), kek


def prove_passphrase(header: Header, passphrase: str, dek: bytearray) -> bytearray:
    """The passphrase KEK, after checking that the passphrase opens this very ``dek``."""
    check_passphrase(passphrase)
    slot = header.passphrase
    kek = bytearray(kdf.derive(passphrase, slot.salt, slot.kdf))
    message = WrongKeyError.default_message()
    check = _unwrap(kek, slot.nonce, slot.ct, header.file_id, slot.kind, message)
    same = hmac.compare_digest(bytes(check), bytes(dek))
    wipe(check)
    if not same:  # cannot happen with an authentic header (it is in the AAD)
        raise WrongKeyError()
    return kek


def open_with_recovery(header: Header, body: bytes) -> bytearray:
    """The DEK from the recovery slot; :class:`WrongKeyError` if ``body`` does not open it."""
    slot = header.recovery
    message = _("That recovery key does not open this diary.")
    if slot is None:
        raise WrongKeyError(_("This diary has no recovery key set up."))
    private = _recovery_private(body, slot.salt)
    pub = private.public_key().public_bytes_raw()
    if not hmac.compare_digest(pub, slot.pub):
        raise WrongKeyError(message)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(slot.epk))
    except ValueError:  # a low-order point: only a deliberately edited header
        raise WrongKeyError(message) from None
    kek = _recovery_kek(shared, slot.epk, slot.pub)
    return _unwrap(kek, slot.nonce, slot.ct, header.file_id, slot.kind, message)


def open_with_device(header: Header, secret: bytes) -> tuple[bytearray, bytearray]:
    """(DEK, device KEK) from the device slot and the secret kept in the OS keyring."""
    message = _("The key saved on this computer does not open this diary.")
    slot = header.device
    if slot is None:
        raise WrongKeyError(
            _("This diary is not set up to open without the passphrase on this computer.")
        )
    if len(secret) != KEY_LEN:
        raise WrongKeyError(message)
    kek = device_kek(bytes(secret), slot.salt)
    return _unwrap(kek, slot.nonce, slot.ct, header.file_id, slot.kind, message), kek


# --------------------------------------------------------------------------- recovery keys


def _typo() -> WrongKeyError:
    return WrongKeyError(
        _("That recovery key is not complete or has a typo. Please check each group and try again.")
    )


def _checksum(body: str, version: int = 1) -> str:
    """25 checksum bits. The domain also says whether the key is *bound* (version 2, see
    :func:`binding_tag`): the person holds that fact on paper, where no planter can change it."""
    domain = b"companion-recovery-v1:" if version == 1 else b"companion-recovery-v2:"
    digest = int.from_bytes(hashlib.sha256(domain + body.encode()).digest()[:4], "big")
    bits = digest >> (32 - 5 * _RECOVERY_CHECK)
    return "".join(
        _B32[(bits >> (5 * (_RECOVERY_CHECK - 1 - i))) & 31] for i in range(_RECOVERY_CHECK)
    )


def format_recovery(body: str, version: int = 1) -> str:
    """The key as printed: body and checksum in groups of 5, joined by dashes."""
    full = body + _checksum(body, version)
    return "-".join(full[i : i + 5] for i in range(0, len(full), 5))


def recovery_body(entropy: Entropy) -> str:
    """35 random base32 symbols: the secret part of a new recovery key."""
    return "".join(_B32[b & 31] for b in entropy(_RECOVERY_BODY))


def new_recovery_key() -> str:
    """A fresh recovery key: 8 groups of 5 base32 symbols, the last group a checksum."""
    return format_recovery(recovery_body(secrets.token_bytes))


def parse_recovery(text: str) -> tuple[bytes, int]:
    """(the 35 secret symbols as ASCII, key version 1 or 2); WrongKeyError on a typo."""
    cleaned = re.sub(r"[\s\-_.]", "", text).upper().translate(_LOOKALIKES)
    if len(cleaned) != _RECOVERY_BODY + _RECOVERY_CHECK or any(c not in _B32 for c in cleaned):
        raise _typo()
    body, check = cleaned[:_RECOVERY_BODY], cleaned[_RECOVERY_BODY:]
    for version in (1, 2):
        if hmac.compare_digest(_checksum(body, version), check):
            return body.encode("ascii"), version
    raise _typo()


def normalize_recovery_key(text: str) -> bytes:
    """The key's 35 secret symbols as ASCII; tolerant of spaces, dashes, case and 0/1/8."""
    return parse_recovery(text)[0]


def recovery_key_is_bound(text: str) -> bool:
    """True for keys made since recovery slots are bound to their diary (version 2)."""
    return parse_recovery(text)[1] == 2


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


def binding_tag(body: bytes, slot: RecoverySlot, file_id: str) -> int:
    key = hkdf(body, slot.salt, _BIND_INFO)
    mac = hmac.new(key, file_id.encode("ascii") + slot.pub, hashlib.sha256).digest()
    return int.from_bytes(mac[:4], "big", signed=True) or 1  # 0 means "no tag"


def image_tag(image: bytes | bytearray) -> int:
    """The binding tag an image carries (0: none, or not a SQLite database)."""
    if len(image) < 100 or image[:16] != _SQLITE_MAGIC:
        return 0
    return int.from_bytes(image[_APP_ID], "big", signed=True)


def tagged(image: bytes | bytearray, tag: int | None) -> bytes | bytearray:
    """``image`` with ``tag`` in its SQLite header (unchanged when there is no tag)."""
    if tag is None or image_tag(image) == tag:
        return image
    if len(image) < 100 or image[:16] != _SQLITE_MAGIC:
        raise VaultError(_("internal error: only a diary database can carry a recovery binding"))
    out = bytearray(image)
    out[_APP_ID] = tag.to_bytes(4, "big", signed=True)
    return bytes(out)
