"""Argon2id key derivation for the passphrase slot.

Why this module exists on its own:

* ``cryptography`` has Argon2id only when it was built against OpenSSL >= 3.2; distro builds may
  lack it. A start-up self-test derives the RFC 9106 §5.3 vector (cached) and otherwise falls
  back to ``argon2-cffi``, whose output was checked byte-identical to ``cryptography``'s.
* Parameters read from a file are attacker-controlled: :func:`check_limits` rejects absurd
  values *before* any memory is allocated (a header asking for 64 GiB must fail instantly).
* Tests need tiny parameters. That goes through the :func:`test_parameters` context manager,
  never through an environment variable a user (or malware) could set to weaken new vaults.
"""

from __future__ import annotations

import math
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from companion.storage.errors import CorruptVaultError

KEY_LENGTH = 32
SALT_LENGTH = 16
NORMALIZATION: Literal["NFC"] = "NFC"  # recorded in the vault header


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: memory in KiB, passes, lanes (threads)."""

    memory_kib: int
    iterations: int
    lanes: int


FLOOR = KdfParams(65536, 3, 4)
# The most a *reader* accepts (age-style limits): 1 GiB, 24 passes, 16 lanes. The writer never
# goes past 256 MiB and 12 passes; a hostile header at these caps costs about 1 GiB and a few
# tens of seconds per try on a slow machine, never minutes (at 2 GiB/t=64 it was 210 s, 2.1 GB).
MAX_MEMORY_KIB = 1024 * 1024
MAX_ITERATIONS = 24
MAX_LANES = 16
# What calibration may pick.
_CAL_MEMORY_STEPS = (65536, 131072, 262144)
_CAL_MAX_ITERATIONS = 12

_override: KdfParams | None = None
_override_lock = threading.Lock()

_Backend = Callable[[bytes, bytes, KdfParams], bytes]
_backend: _Backend | None = None
_backend_name = ""
_backend_lock = threading.Lock()

# RFC 9106 §5.3 Argon2id test vector (password, salt, secret, associated data, t=3, m=32, p=4).
_RFC9106_TAG = bytes.fromhex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
# Vector without secret/ad (argon2-cffi's raw API cannot take them), cross-checked between
# cryptography 50 and argon2-cffi 25: Argon2id(b"password", b"companion-selftest", t=1, m=8, p=1).
_PLAIN_TAG = bytes.fromhex("7afb2af96a8bddc193485d73284ed40655a194553263ad44463c56f0639f6e2b")


def check_limits(params: KdfParams) -> None:
    """Reject hostile or nonsensical parameters before doing any work."""
    values = (params.memory_kib, params.iterations, params.lanes)
    if any(type(v) is not int for v in values):
        raise CorruptVaultError()
    if not (1 <= params.lanes <= MAX_LANES):
        raise CorruptVaultError()
    if not (1 <= params.iterations <= MAX_ITERATIONS):
        raise CorruptVaultError()
    # Argon2 itself needs at least 8 KiB per lane.
    if not (8 * params.lanes <= params.memory_kib <= MAX_MEMORY_KIB):
        raise CorruptVaultError()


def _cryptography_backend() -> _Backend:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    def run(secret: bytes, salt: bytes, p: KdfParams) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=KEY_LENGTH,
            iterations=p.iterations,
            lanes=p.lanes,
            memory_cost=p.memory_kib,
        )
        return kdf.derive(secret)

    # The full RFC vector, including secret and associated data.
    rfc = Argon2id(
        salt=b"\x02" * 16,
        length=32,
        iterations=3,
        lanes=4,
        memory_cost=32,
        ad=b"\x04" * 12,
        secret=b"\x03" * 8,
    ).derive(b"\x01" * 32)
    if rfc != _RFC9106_TAG or run(b"password", b"companion-selftest", KdfParams(8, 1, 1)) != (
        _PLAIN_TAG
    ):
        raise RuntimeError("cryptography's Argon2id failed its self-test")
    return run


def _argon2_cffi_backend() -> _Backend:
    from argon2.low_level import Type, hash_secret_raw

    def run(secret: bytes, salt: bytes, p: KdfParams) -> bytes:
        return hash_secret_raw(
            secret,
            salt,
            time_cost=p.iterations,
            memory_cost=p.memory_kib,
            parallelism=p.lanes,
            hash_len=KEY_LENGTH,
            type=Type.ID,
        )

    if run(b"password", b"companion-selftest", KdfParams(8, 1, 1)) != _PLAIN_TAG:
        raise RuntimeError("argon2-cffi failed its self-test")
    return run


def _get_backend() -> _Backend:
    global _backend, _backend_name
    with _backend_lock:
        if _backend is None:
            errors: list[str] = []
            for name, factory in (
                ("cryptography", _cryptography_backend),
                ("argon2-cffi", _argon2_cffi_backend),
            ):
                try:
                    _backend = factory()
                except Exception as exc:  # ImportError, UnsupportedAlgorithm, self-test failure
                    errors.append(f"{name}: {type(exc).__name__}")
                    continue
                _backend_name = name
                break
            else:
                raise RuntimeError("no working Argon2id implementation (" + "; ".join(errors) + ")")
        return _backend


def backend_name() -> str:
    """Which Argon2id implementation passed the self-test ("cryptography" or "argon2-cffi")."""
    _get_backend()
    return _backend_name


def derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Return a 32-byte key from the NFC-normalised passphrase."""
    check_limits(params)
    if len(salt) < 8:
        raise ValueError("Argon2 salts must be at least 8 bytes")
    secret = unicodedata.normalize(NORMALIZATION, passphrase).encode("utf-8")
    return _get_backend()(secret, bytes(salt), params)


def _time(params: KdfParams) -> float:
    start = time.perf_counter()
    derive("calibration passphrase", b"\x00" * SALT_LENGTH, params)
    return time.perf_counter() - start


def measure_calibration(target_seconds: float = 0.5) -> tuple[KdfParams, float]:
    """Calibrate on this machine (ignoring any test override); return params and the one timing.

    One run at the floor (64 MiB, t=3) is measured; cost scales about linearly with memory and
    passes, so the largest memory step (64/128/256 MiB) that fits the target is chosen, then as
    many passes as still fit. Never below :data:`FLOOR`.
    """
    floor_time = max(_time(FLOOR), 1e-6)
    per_unit = floor_time / (FLOOR.memory_kib * FLOOR.iterations)  # seconds per KiB·pass
    memory = FLOOR.memory_kib
    for step in _CAL_MEMORY_STEPS:
        if per_unit * step * FLOOR.iterations <= target_seconds:
            memory = step
    iterations = math.floor(target_seconds / (per_unit * memory))
    iterations = max(FLOOR.iterations, min(_CAL_MAX_ITERATIONS, iterations))
    return KdfParams(memory, iterations, FLOOR.lanes), floor_time


def calibrate(target_seconds: float = 0.5) -> KdfParams:
    """Parameters for a new passphrase slot: about ``target_seconds`` here, never below FLOOR."""
    override = _override
    if override is not None:
        return override
    params, _ = measure_calibration(target_seconds)
    return params


@contextmanager
def test_parameters(params: KdfParams = KdfParams(8, 1, 1)) -> Iterator[None]:
    """Test-only hook: inside the block :func:`calibrate` returns ``params``."""
    global _override
    check_limits(params)
    with _override_lock:
        previous = _override
        _override = params
    try:
        yield
    finally:
        with _override_lock:
            _override = previous
