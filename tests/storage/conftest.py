from __future__ import annotations

from pathlib import Path

import pytest

from companion.storage import vault as V

from .helpers import PASSPHRASE, image_with


@pytest.fixture
def vault_path(data_dir: Path) -> Path:
    return data_dir / "vault.companion"


@pytest.fixture
def created(vault_path: Path) -> tuple[Path, str]:
    """A vault on disk (created, then closed); returns its path and recovery key."""
    v, recovery = V.Vault.create(vault_path, PASSPHRASE, image_with(gen=0))
    v.close()
    return vault_path, recovery
