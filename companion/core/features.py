"""Importing this module registers every feature with the core.

Each module of ``companion.core`` registers what it offers when imported: its tables (through
``companion.core.models``), its demo generator (``companion.core.demo``), its importers
(``companion.core.importers``). Importing them all here means a new feature needs no edit
anywhere else to take part in ``companion demo``, the JSON format or ``companion import``.
"""

from __future__ import annotations

import importlib
import pkgutil

import companion.core as _core

for _module in pkgutil.iter_modules(_core.__path__):
    if _module.name != "features":
        importlib.import_module(f"companion.core.{_module.name}")
