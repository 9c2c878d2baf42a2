"""Argon2id wrapper: RFC vector, backends, normalisation, limits, calibration hook."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable

import pytest

from companion.storage import kdf
from companion.storage.errors import CorruptVaultError

TINY = kdf.KdfParams(8, 1, 1)
SALT = b"s" * 16


def test_self_test_passed_and_backends_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    assert kdf.backend_name() in ("cryptography", "argon2-cffi")
    first = kdf.derive("pw", SALT, kdf.KdfParams(64, 2, 2))
    assert len(first) == 32
    # force the argon2-cffi fallback (what a distro build without OpenSSL 3.2 gets)
    monkeypatch.setattr(kdf, "_backend", None)
    monkeypatch.setattr(kdf, "_backend_name", "")

    def broken() -> Callable[[bytes, bytes, kdf.KdfParams], bytes]:
        raise ImportError("no Argon2id in this cryptography build")

    monkeypatch.setattr(kdf, "_cryptography_backend", broken)
    assert kdf.derive("pw", SALT, kdf.KdfParams(64, 2, 2)) == first
    assert kdf.backend_name() == "argon2-cffi"


def test_nfc_normalisation() -> None:
    nfc = unicodedata.normalize("NFC", "Zoë – ångström")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    assert kdf.derive(nfc, SALT, TINY) == kdf.derive(nfd, SALT, TINY)
    assert kdf.derive(nfc, SALT, TINY) != kdf.derive(nfc + " ", SALT, TINY)
    assert kdf.derive("x", SALT, TINY) != kdf.derive("x", b"t" * 16, TINY)


@pytest.mark.parametrize(
    "params",
    [
        kdf.KdfParams(64 * 1024 * 1024, 3, 4),  # 64 GiB
        kdf.KdfParams(2 * 1024 * 1024 + 1, 3, 4),
        kdf.KdfParams(65536, 65, 4),
        kdf.KdfParams(65536, 3, 17),
        kdf.KdfParams(0, 3, 4),
        kdf.KdfParams(65536, 0, 4),
        kdf.KdfParams(65536, 3, 0),
        kdf.KdfParams(-1, 3, 4),
        kdf.KdfParams(31, 3, 4),  # below 8 KiB per lane
        kdf.KdfParams(True, 3, 4),
        kdf.KdfParams(65536.0, 3, 4),  # type: ignore[arg-type]
    ],
)
def test_check_limits_rejects(params: kdf.KdfParams) -> None:
    start = time.perf_counter()
    with pytest.raises(CorruptVaultError):
        kdf.check_limits(params)
    with pytest.raises(CorruptVaultError):
        kdf.derive("pw", SALT, params)
    assert time.perf_counter() - start < 0.01


def test_check_limits_accepts_the_edges() -> None:
    kdf.check_limits(kdf.KdfParams(1024 * 1024, 24, 16))
    kdf.check_limits(kdf.FLOOR)
    kdf.check_limits(TINY)


@pytest.mark.parametrize(
    "params",
    [
        kdf.KdfParams(1024 * 1024 + 1, 3, 4),  # just over 1 GiB
        kdf.KdfParams(2 * 1024 * 1024, 1, 4),  # 2 GiB: 9 s and 2.1 GB per try in the review
        kdf.KdfParams(65536, 25, 4),  # t = 25
        kdf.KdfParams(2 * 1024 * 1024, 64, 16),  # the old limit: 210 s and 2.1 GB per try
    ],
)
def test_reader_caps_kdf_cost_at_1_gib_and_24_passes(params: kdf.KdfParams) -> None:
    """Issue 18 item 7: a hostile header cannot make each try cost minutes and gigabytes."""
    start = time.perf_counter()
    with pytest.raises(CorruptVaultError):
        kdf.derive("x", SALT, params)
    assert time.perf_counter() - start < 0.01  # refused before any work


def test_writer_never_exceeds_the_reader_caps() -> None:
    assert max(kdf._CAL_MEMORY_STEPS) <= kdf.MAX_MEMORY_KIB
    assert kdf._CAL_MAX_ITERATIONS <= kdf.MAX_ITERATIONS


def test_calibrate_returns_test_parameters_inside_the_hook() -> None:
    assert kdf.calibrate() == TINY  # the autouse fixture
    with kdf.test_parameters(kdf.KdfParams(16, 2, 1)):
        assert kdf.calibrate() == kdf.KdfParams(16, 2, 1)
    assert kdf.calibrate() == TINY


def test_test_hook_is_not_an_environment_variable() -> None:
    import inspect

    source = inspect.getsource(kdf)
    assert "os.environ" not in source and "getenv" not in source and "import os" not in source


@pytest.mark.slow
def test_real_calibration(report_figure: Callable[[str], None]) -> None:
    params, floor_time = kdf.measure_calibration(0.5)
    assert params.memory_kib >= kdf.FLOOR.memory_kib and params.iterations >= 3
    assert params.lanes == 4 and params.memory_kib <= 262144
    start = time.perf_counter()
    kdf.derive("a passphrase", SALT, params)
    took = time.perf_counter() - start
    report_figure(
        f"kdf: backend {kdf.backend_name()}; floor 64 MiB/t=3/p=4 took {floor_time * 1000:.0f} ms; "
        f"calibrated to m={params.memory_kib // 1024} MiB, t={params.iterations}, "
        f"p={params.lanes} → {took * 1000:.0f} ms per derivation"
    )
