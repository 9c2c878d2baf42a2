"""Importing this module imports every core module (transitional: registries by import)."""

from __future__ import annotations

import importlib
import pkgutil

import companion.core as _core

for _module in pkgutil.walk_packages(_core.__path__, "companion.core."):
    if _module.name != "companion.core.features":
        importlib.import_module(_module.name)
