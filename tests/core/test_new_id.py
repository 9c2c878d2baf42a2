"""Random keys: version 4 UUIDs from the system's random source, asked for in batches (one
``os.urandom`` call per key let a worker writing rows starve the window's thread of Python's
interpreter lock, issue 11)."""

from __future__ import annotations

import os
import uuid

import pytest

from companion.core.models import base
from companion.core.models.base import ID_BATCH, new_id


def test_keys_are_distinct_version_4_uuids_in_canonical_form() -> None:
    keys = [new_id() for _ in range(3 * ID_BATCH + 7)]
    assert len(set(keys)) == len(keys)
    for key in keys:
        parsed = uuid.UUID(key)
        assert str(parsed) == key
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_the_system_is_asked_once_per_batch_of_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = os.urandom

    def urandom(size: int) -> bytes:
        asked.append(size)
        return real(size)

    monkeypatch.setattr(base.os, "urandom", urandom)
    base._random_keys.clear()
    keys = [new_id() for _ in range(2 * ID_BATCH)]
    assert asked == [16 * ID_BATCH, 16 * ID_BATCH]
    assert len(set(keys)) == len(keys)
    new_id()
    assert len(asked) == 3
