"""Content tests are pure Python: they need neither Qt nor the vault."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fast_kdf() -> Iterator[None]:
    """Overrides the suite-wide KDF fixture: nothing here touches the vault or its KDF."""
    yield
