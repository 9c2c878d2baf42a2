"""Opt-in "unlock without the passphrase on this computer": a device secret in the OS keyring.

Rules from research §6.4:

* Only an allowlist of real OS keyrings is trusted. ``keyring`` silently picks ``null`` (stores
  nothing), ``fail`` or — when ``keyrings.alt`` is installed — a *plaintext file*. Those, and
  any unknown third-party backend, mean "unavailable". For a ``ChainerBackend`` the first
  allowlisted member is used directly (the chainer would fall through to whatever comes next).
* Every store is verified by reading it back; availability is probed with a random token.
* Loading never raises: a locked keyring, a missing item, a timeout or any error returns
  ``None`` and the caller asks for the passphrase. Calls can block (a desktop unlock prompt),
  so run them off the GUI thread; each call here is also bounded by a timeout.
* Nothing touches ``keyring`` at import time.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from companion.i18n import _
from companion.storage.errors import KeyringUnavailableError

SERVICE = "Companion device key"
SECRET_LEN = 32
TIMEOUT_SECONDS = 10.0

ALLOWED_BACKENDS: frozenset[str] = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)
_extra_trusted: set[str] = set()

T = TypeVar("T")


class _Timeout(Exception):
    pass


def _qualname(obj: object) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _trusted(obj: object) -> bool:
    name = _qualname(obj)
    return name in ALLOWED_BACKENDS or name in _extra_trusted


@contextmanager
def test_trusted_backend(backend_type: type) -> Iterator[None]:
    """Test-only hook: trust an in-memory backend class inside the block."""
    name = f"{backend_type.__module__}.{backend_type.__qualname__}"
    _extra_trusted.add(name)
    try:
        yield
    finally:
        _extra_trusted.discard(name)


def _call(fn: Callable[[], T], timeout: float | None = None) -> T:
    """Run a keyring call with a time limit (a hung D-Bus call must not hang the app)."""
    if timeout is None:
        timeout = TIMEOUT_SECONDS
    result: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(fn())
        except BaseException as exc:
            error.append(exc)

    worker = threading.Thread(target=run, name="companion-keyring", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _Timeout()
    if error:
        raise error[0]
    return result[0]


def _resolve() -> tuple[Any | None, str]:
    """The trusted backend to use (or None) and a name for it."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    default = keyring.get_keyring()
    if isinstance(default, ChainerBackend):
        for member in default.backends:
            if _trusted(member):
                return member, _qualname(member)
        return None, _qualname(default)
    if _trusted(default):
        return default, _qualname(default)
    return None, _qualname(default)


def import_backends() -> None:
    """Import the keyring package and the modules of the backends Companion trusts (~65 ms
    of Python): the first probe is then quick. Nothing is asked of any keyring."""
    import importlib

    importlib.import_module("keyring")
    importlib.import_module("keyring.backends.chainer")
    for name in sorted({allowed.rpartition(".")[0] for allowed in ALLOWED_BACKENDS}):
        with suppress(Exception):  # another platform's backend
            importlib.import_module(name)


def backend_name() -> str:
    """The trusted backend's class path, or ``"none"`` (record it, as Signal does)."""
    try:
        backend, _name = _resolve()
    except Exception:
        return "none"
    return _qualname(backend) if backend is not None else "none"


def availability() -> tuple[bool, str]:
    """(usable, one sentence for the settings page). Probes with a random token."""
    try:
        backend, name = _resolve()
    except Exception:
        return False, _("The system keyring could not be reached.")
    if backend is None:
        if name.endswith(("fail.Keyring", "chainer.ChainerBackend")):
            return False, _("No system keyring was found on this computer.")
        return False, _(
            "This computer's only keyring is not a trusted one, so it will not be used."
        )
    username = "probe-" + secrets.token_hex(8)
    token = secrets.token_urlsafe(24)
    try:
        _call(lambda: backend.set_password(SERVICE, username, token))
        readback = _call(lambda: backend.get_password(SERVICE, username))
    except _Timeout:
        return False, _("The system keyring did not answer in time.")
    except Exception:
        return False, _("The system keyring is locked or refused access.")
    finally:
        with suppress(Exception):
            _call(lambda: backend.delete_password(SERVICE, username), timeout=2.0)
    if not isinstance(readback, str) or not hmac.compare_digest(readback, token):
        return False, _("The system keyring did not keep a test value, so it cannot be used.")
    return True, _("The system keyring is available.")


def _check_id(file_id: str) -> None:
    if not isinstance(file_id, str) or not file_id:
        raise ValueError("file_id must be a non-empty string")


def store_device_secret(file_id: str, secret: bytes) -> None:
    """Store and verify by read-back; :class:`KeyringUnavailableError` on any failure."""
    _check_id(file_id)
    if not isinstance(secret, bytes | bytearray) or len(secret) != SECRET_LEN:
        raise ValueError("the device secret must be 32 bytes")
    encoded = base64.b64encode(bytes(secret)).decode("ascii")
    try:
        backend, _name = _resolve()
    except Exception as exc:
        raise KeyringUnavailableError() from exc
    if backend is None:
        raise KeyringUnavailableError()
    try:
        _call(lambda: backend.set_password(SERVICE, file_id, encoded))
        readback = _call(lambda: backend.get_password(SERVICE, file_id))
    except Exception as exc:
        raise KeyringUnavailableError() from exc
    if not isinstance(readback, str) or not hmac.compare_digest(readback, encoded):
        with suppress(Exception):
            _call(lambda: backend.delete_password(SERVICE, file_id), timeout=2.0)
        raise KeyringUnavailableError(
            _("This computer's keyring did not keep the key, so the passphrase is still needed.")
        )


def load_device_secret(file_id: str) -> bytes | None:
    """The stored secret, or None on any keyring problem (locked, missing, timeout, error)."""
    _check_id(file_id)
    try:
        backend, _name = _resolve()
        if backend is None:
            return None
        value = _call(lambda: backend.get_password(SERVICE, file_id))
    except Exception:
        return None
    if not isinstance(value, str):
        return None
    try:
        secret = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        return None
    return secret if len(secret) == SECRET_LEN else None


def delete_device_secret(file_id: str) -> None:
    """Remove the item. A missing item is fine; other failures raise KeyringUnavailableError."""
    _check_id(file_id)
    from keyring.errors import PasswordDeleteError

    try:
        backend, _name = _resolve()
    except Exception as exc:
        raise KeyringUnavailableError() from exc
    if backend is None:
        return  # nothing can have been stored in an untrusted backend by us
    try:
        _call(lambda: backend.delete_password(SERVICE, file_id))
    except PasswordDeleteError:
        return
    except Exception as exc:
        raise KeyringUnavailableError(
            _("The key saved on this computer could not be removed from the keyring.")
        ) from exc
