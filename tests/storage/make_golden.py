"""Regenerate the golden vault files — only on a deliberate format change.

    /work/venv/bin/python -m tests.storage.make_golden

The files are made through the test-only deterministic path (``Vault._create`` with a seeded
DRBG and a fixed clock) and tiny KDF parameters, so the same inputs always give the same bytes.
``test_golden.py`` checks both that the committed files still open and that regenerating them
reproduces every byte.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from companion.storage import kdf
from companion.storage import vault as V

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
CLOCK = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
PASSPHRASE = "Golden passphrase — café"
PARAMS = kdf.KdfParams(8, 1, 1)


class Drbg:
    """SHA-256 in counter mode: a reproducible stand-in for os.urandom."""

    def __init__(self, seed: bytes) -> None:
        self.seed = seed
        self.counter = 0

    def __call__(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        return out[:n]


def sample_image() -> bytes:
    head = b"SQLite format 3\x00"
    body = b"".join(
        f"entry {i}: mood {i % 10}, slept {6 + i % 3}h, note: golden sample text {i}\n".encode()
        for i in range(2000)
    )
    return head + body  # about 130 KB: two padding blocks


def build(name: str, workdir: Path) -> tuple[bytes, dict[str, str]]:
    """Return the file bytes and the secrets/expectations for golden file ``name``."""
    path = workdir / name / "vault.companion"
    with kdf.test_parameters(PARAMS):
        if name == "v1-empty.companion":
            v, recovery = V.Vault._create(
                path, PASSPHRASE, b"", entropy=Drbg(b"golden-empty"), clock=lambda: CLOCK
            )
            meta = {"recovery_key": recovery, "image_sha256": hashlib.sha256(b"").hexdigest()}
        elif name == "v1-sample.companion":
            image = sample_image()
            v, recovery = V.Vault._create(
                path, PASSPHRASE, image, entropy=Drbg(b"golden-sample"), clock=lambda: CLOCK
            )
            device = v.enable_device_slot(image)
            meta = {
                "recovery_key": recovery,
                "device_secret_hex": device.hex(),
                "image_sha256": hashlib.sha256(image).hexdigest(),
            }
        else:
            raise ValueError(name)
    v.close()
    meta["passphrase"] = PASSPHRASE
    return path.read_bytes(), meta


NAMES = ("v1-empty.companion", "v1-sample.companion")


def main() -> int:
    GOLDEN_DIR.mkdir(exist_ok=True)
    all_meta: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in NAMES:
            data, meta = build(name, Path(tmp))
            (GOLDEN_DIR / name).write_bytes(data)
            all_meta[name] = meta
            print(f"wrote {name}: {len(data)} bytes")
    (GOLDEN_DIR / "golden.json").write_text(json.dumps(all_meta, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
