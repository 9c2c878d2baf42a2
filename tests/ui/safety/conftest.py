"""Help windows are top-level and outlive their opener: close them after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6


@pytest.fixture(autouse=True)
def _close_help_windows() -> Iterator[None]:
    yield
    from companion.ui import help as help_module

    for dialog in list(help_module._OPEN):
        if shiboken6.isValid(dialog):
            dialog.close()
    help_module._OPEN.clear()
