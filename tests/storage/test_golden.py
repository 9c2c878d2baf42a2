"""Golden files pin format v1: they must keep opening, and regenerating them must give the same
bytes. If a change here is deliberate, bump the format version and run make_golden.py."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from companion.storage import vault as V
from companion.storage.errors import WrongKeyError

from . import make_golden

META = json.loads((make_golden.GOLDEN_DIR / "golden.json").read_text())


@pytest.mark.parametrize("name", make_golden.NAMES)
def test_golden_file_still_opens(name: str, tmp_path: Path) -> None:
    meta = META[name]
    original = make_golden.GOLDEN_DIR / name
    path = tmp_path / "vault.companion"
    path.write_bytes(original.read_bytes())
    info = V.read_info(path)
    assert info.saved_at == make_golden.CLOCK
    assert info.kdf == make_golden.PARAMS
    secrets: list[dict[str, object]] = [
        {"passphrase": meta["passphrase"]},
        {"recovery_key": meta["recovery_key"]},
    ]
    if "device_secret_hex" in meta:
        assert info.has_device
        secrets.append({"device_secret": bytes.fromhex(meta["device_secret_hex"])})
    for kwargs in secrets:
        v, image = V.Vault.unlock(path, **kwargs)  # type: ignore[arg-type]
        assert hashlib.sha256(image).hexdigest() == meta["image_sha256"]
        v.close()
    with pytest.raises(WrongKeyError):
        V.Vault.unlock(path, passphrase=meta["passphrase"] + "x")


@pytest.mark.parametrize("name", make_golden.NAMES)
def test_golden_file_is_reproduced_byte_for_byte(name: str, tmp_path: Path) -> None:
    data, meta = make_golden.build(name, tmp_path)
    assert meta == META[name]
    assert data == (make_golden.GOLDEN_DIR / name).read_bytes(), (
        "format v1 output changed: if deliberate, bump VERSION and regenerate golden files"
    )


def test_golden_layout_fields() -> None:
    data = (make_golden.GOLDEN_DIR / "v1-sample.companion").read_bytes()
    assert data[:8] == b"CMPNVLT\x00" and data[8:10] == b"\x00\x01"
    header_len = int.from_bytes(data[10:14], "big")
    header = json.loads(data[14 : 14 + header_len])
    assert [s["kind"] for s in header["slots"]] == ["passphrase", "recovery", "device"]
    assert header["norm"] == "NFC" and header["pad"] == 65536
    assert (len(data) - 14 - header_len - 32 - 16) % 65536 == 0
