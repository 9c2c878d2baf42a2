"""Keyring layer: allowlist, probing, read-back verification, never raising on load.

Layers (research §6.3): unit tests with an in-memory backend; behaviour tests with the real
``fail``/``null``/``keyrings.alt`` backends; integration tests against a real gnome-keyring,
marked ``keyring`` and run through ``tools/with-keyring.sh``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from companion.storage import keychain
from companion.storage import vault as V
from companion.storage.errors import KeyringUnavailableError

from .helpers import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
FILE_ID = "0123456789abcdef0123456789abcdef"


class InMemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.items[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not found") from None


class LossyKeyring(InMemoryKeyring):
    """Accepts writes, returns something else (like a broken or null-ish backend)."""

    def get_password(self, service: str, username: str) -> str | None:
        value = super().get_password(service, username)
        return None if value is None else value[::-1]


class LockedKeyring(InMemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class HangingKeyring(InMemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(5)
        return None


@pytest.fixture
def use_keyring() -> Iterator[object]:
    """Install a backend for one test and restore the previous one afterwards."""
    previous = keyring.get_keyring()
    installed: list[type] = []

    def install(backend: KeyringBackend, *, trusted: bool = True) -> KeyringBackend:
        keyring.set_keyring(backend)
        if trusted:
            keychain._extra_trusted.add(f"{type(backend).__module__}.{type(backend).__qualname__}")
            installed.append(type(backend))
        return backend

    yield install
    keyring.set_keyring(previous)
    for cls in installed:
        keychain._extra_trusted.discard(f"{cls.__module__}.{cls.__qualname__}")


# --------------------------------------------------------------------------- unit


def test_round_trip_with_in_memory_backend(use_keyring) -> None:  # type: ignore[no-untyped-def]
    backend = use_keyring(InMemoryKeyring())
    assert keychain.availability() == (True, "The system keyring is available.")
    assert backend.items == {}  # the probe cleaned up after itself
    secret = os.urandom(32)
    keychain.store_device_secret(FILE_ID, secret)
    assert keychain.load_device_secret(FILE_ID) == secret
    assert keychain.load_device_secret("f" * 32) is None
    keychain.delete_device_secret(FILE_ID)
    keychain.delete_device_secret(FILE_ID)  # missing is fine
    assert keychain.load_device_secret(FILE_ID) is None
    assert backend.items == {}
    assert keychain.backend_name().endswith("InMemoryKeyring")


def test_store_verifies_by_read_back(use_keyring) -> None:  # type: ignore[no-untyped-def]
    backend = use_keyring(LossyKeyring())
    ok, reason = keychain.availability()
    assert not ok and "did not keep" in reason
    with pytest.raises(KeyringUnavailableError):
        keychain.store_device_secret(FILE_ID, os.urandom(32))
    assert backend.items == {}  # the unverified value was removed again


def test_locked_keyring_load_returns_none(use_keyring) -> None:  # type: ignore[no-untyped-def]
    use_keyring(LockedKeyring())
    assert keychain.load_device_secret(FILE_ID) is None
    assert keychain.availability()[0] is False
    with pytest.raises(KeyringUnavailableError):
        keychain.store_device_secret(FILE_ID, os.urandom(32))


def test_hanging_keyring_times_out(use_keyring, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    use_keyring(HangingKeyring())
    monkeypatch.setattr(keychain, "TIMEOUT_SECONDS", 0.2)
    start = time.perf_counter()
    assert keychain.load_device_secret(FILE_ID) is None
    assert time.perf_counter() - start < 1.5
    ok, reason = keychain.availability()
    assert not ok and "in time" in reason


@pytest.mark.parametrize("stored", ["not base64!", "", "QUJD", "A" * 100])
def test_garbage_in_keyring_is_none(use_keyring, stored: str) -> None:  # type: ignore[no-untyped-def]
    backend = use_keyring(InMemoryKeyring())
    backend.items[(keychain.SERVICE, FILE_ID)] = stored
    assert keychain.load_device_secret(FILE_ID) is None


def test_programming_errors_still_raise(use_keyring) -> None:  # type: ignore[no-untyped-def]
    use_keyring(InMemoryKeyring())
    with pytest.raises(ValueError):
        keychain.store_device_secret(FILE_ID, b"short")
    with pytest.raises(ValueError):
        keychain.load_device_secret("")


def test_device_unlock_end_to_end(use_keyring, created: tuple[Path, str]) -> None:  # type: ignore[no-untyped-def]
    use_keyring(InMemoryKeyring())
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    keychain.store_device_secret(v.info.file_id, v.enable_device_slot(image))
    secret = keychain.load_device_secret(V.read_info(path).file_id)
    assert secret is not None
    assert V.Vault.unlock(path, device_secret=secret)[1] == image


# --------------------------------------------------------------------------- behaviour


def test_fail_backend_is_unavailable(use_keyring) -> None:  # type: ignore[no-untyped-def]
    use_keyring(fail.Keyring(), trusted=False)
    ok, reason = keychain.availability()
    assert not ok and "No system keyring" in reason
    assert keychain.load_device_secret(FILE_ID) is None
    with pytest.raises(KeyringUnavailableError):
        keychain.store_device_secret(FILE_ID, os.urandom(32))
    assert keychain.backend_name() == "none"


def test_null_backend_is_unavailable(use_keyring) -> None:  # type: ignore[no-untyped-def]
    use_keyring(null.Keyring(), trusted=False)
    assert keychain.availability()[0] is False
    with pytest.raises(KeyringUnavailableError):
        keychain.store_device_secret(FILE_ID, os.urandom(32))
    # even if someone allowlisted it, the read-back would catch the silent "success"
    use_keyring(null.Keyring())
    ok, reason = keychain.availability()
    assert not ok and "did not keep" in reason
    with pytest.raises(KeyringUnavailableError):
        keychain.store_device_secret(FILE_ID, os.urandom(32))


def test_plaintext_keyrings_alt_is_refused(  # type: ignore[no-untyped-def]
    use_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    backend = PlaintextKeyring()
    use_keyring(backend, trusted=False)
    ok, reason = keychain.availability()
    assert not ok and "not a trusted one" in reason
    with pytest.raises(KeyringUnavailableError):
        keychain.store_device_secret(FILE_ID, os.urandom(32))
    assert keychain.load_device_secret(FILE_ID) is None
    assert not Path(backend.file_path).exists()  # nothing was written in plain text
    assert not (tmp_path / "xdg").exists() or not any((tmp_path / "xdg").rglob("*.cfg"))


def test_chainer_uses_first_allowlisted_member(use_keyring, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from keyrings.alt.file import PlaintextKeyring

    memory = InMemoryKeyring()
    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "plain.cfg")  # type: ignore[misc]

    class Chain(ChainerBackend):
        backends: ClassVar = [plain, memory]

    use_keyring(memory)  # trust the member type
    keyring.set_keyring(Chain())
    secret = os.urandom(32)
    keychain.store_device_secret(FILE_ID, secret)
    assert memory.items and not (tmp_path / "plain.cfg").exists()
    assert keychain.load_device_secret(FILE_ID) == secret

    class UntrustedChain(ChainerBackend):
        backends: ClassVar = [plain]

    keyring.set_keyring(UntrustedChain())
    assert keychain.availability()[0] is False


def test_import_does_not_touch_keyring() -> None:
    code = "import sys, companion.storage.keychain; print('keyring' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_importing_the_backends_asks_no_keyring() -> None:
    """The warm-up before Settings imports the modules only: no backend is chosen or asked."""
    code = (
        "import sys, companion.storage.keychain as k; k.import_backends(); import keyring.core; "
        "print(keyring.core._keyring_backend is None, 'keyring.backends.SecretService' in "
        "sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "True True"


# --------------------------------------------------------------------------- integration

needs_dbus = pytest.mark.skipif(
    not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
    reason="needs a D-Bus session with gnome-keyring: run through tools/with-keyring.sh",
)


@pytest.fixture
def real_keyring() -> Iterator[None]:
    """The backend keyring itself picks in this session (not any test backend)."""
    import keyring.core

    previous = keyring.get_keyring()
    keyring.core.init_backend()
    yield
    keyring.set_keyring(previous)


@pytest.mark.keyring
@needs_dbus
def test_real_secret_service_round_trip(real_keyring: None, report_figure) -> None:  # type: ignore[no-untyped-def]
    assert keychain.backend_name() == "keyring.backends.SecretService.Keyring"
    ok, reason = keychain.availability()
    assert ok, reason
    secret = os.urandom(32)
    start = time.perf_counter()
    keychain.store_device_secret(FILE_ID, secret)
    assert keychain.load_device_secret(FILE_ID) == secret
    keychain.delete_device_secret(FILE_ID)
    took = (time.perf_counter() - start) * 1000
    assert keychain.load_device_secret(FILE_ID) is None
    report_figure(
        f"keyring: real gnome-keyring (Secret Service) store+verify+load+delete in {took:.0f} ms"
    )


@pytest.mark.keyring
@needs_dbus
def test_real_secret_service_device_unlock(real_keyring: None, created: tuple[Path, str]) -> None:
    path, _ = created
    v, image = V.Vault.unlock(path, passphrase=PASSPHRASE)
    keychain.store_device_secret(v.info.file_id, v.enable_device_slot(image))
    try:
        secret = keychain.load_device_secret(v.info.file_id)
        assert secret is not None
        assert V.Vault.unlock(path, device_secret=secret)[1] == image
    finally:
        keychain.delete_device_secret(v.info.file_id)


LOCKED_SCRIPT = textwrap.dedent(
    f"""
    import time, secretstorage
    from companion.storage import keychain
    keychain.store_device_secret("{FILE_ID}", bytes(32))
    secretstorage.get_default_collection(secretstorage.dbus_init()).lock()
    start = time.perf_counter()
    value = keychain.load_device_secret("{FILE_ID}")
    print(value is None, round(time.perf_counter() - start, 3), keychain.availability()[0])
    """
)


@pytest.mark.keyring
@needs_dbus
def test_real_locked_collection_load_returns_none_quickly(report_figure) -> None:  # type: ignore[no-untyped-def]
    # A locked collection cannot be unlocked again without a prompt, so this runs in its own
    # throw-away session (the wrapper, re-entered from scratch) and leaves ours untouched.
    env = {k: v for k, v in os.environ.items() if k != "_KR_INNER"}
    out = subprocess.run(
        [str(ROOT / "tools" / "with-keyring.sh"), sys.executable, "-c", LOCKED_SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    is_none, seconds, available = out.stdout.split()
    assert is_none == "True" and available == "False"
    assert float(seconds) < 2.0
    report_figure(f"keyring: locked collection → load_device_secret() = None in {seconds} s")
