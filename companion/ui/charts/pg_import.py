"""pyqtgraph's Qt mirrors filled as they are used, not all at its import.

``pyqtgraph.Qt`` keeps its own copies of the binding's ``QtCore``, ``QtGui`` and ``QtWidgets``
(``pyqtgraph.Qt.QtCore`` …) and fills them at import with every name of the binding's modules
(``_copy_attrs``: ``getattr`` of each name in ``dir(module)``). PySide6 creates its classes
when they are first asked for, so that loop made all ~720 of them, most of which no chart uses:
the largest single part of importing pyqtgraph (tens of ms of the GUI thread's or the warm-up's
time).

:func:`install` puts a finder on ``sys.meta_path`` that loads ``pyqtgraph.Qt`` from its own
file as usual, with one difference while its module body runs: ``dir`` of a PySide6 module
lists only the names the binding has already made, and the mirror gets a module
``__getattr__`` that hands out any other name from the binding when it is first asked for.
Every name resolves to the same object as before (a test checks all of them); pyqtgraph's own
additions to the mirrors are made as before. With another binding, or a pyqtgraph whose
``Qt`` module no longer copies this way, the import is the ordinary one.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

TARGET = "pyqtgraph.Qt"
BINDING = "PySide6."


def _binding_dir(module_globals: dict[str, Any]) -> Any:
    """``dir`` for the module body of ``pyqtgraph.Qt``: a PySide6 module lists what it has
    made so far, and its mirror resolves the rest when asked."""

    def lazy_dir(*args: Any) -> list[str]:
        if len(args) != 1:
            return dir(*args) if args else sorted(module_globals)
        obj = args[0]
        name = getattr(obj, "__name__", None)
        if isinstance(obj, ModuleType) and isinstance(name, str) and name.startswith(BINDING):
            mirror = sys.modules.get(f"{TARGET}.{name.rpartition('.')[2]}")
            if mirror is not None and mirror is not obj:
                _resolve_from(mirror, obj)
                return list(vars(obj))
        return dir(obj)

    return lazy_dir


def _resolve_from(mirror: ModuleType, binding: ModuleType) -> None:
    def __getattr__(attribute: str) -> Any:  # PEP 562: a module's missing attribute
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        value = getattr(binding, attribute)
        vars(mirror)[attribute] = value  # found in the module's dict from now on
        return value

    mirror.__getattr__ = __getattr__  # type: ignore[method-assign]


class _Loader(importlib.abc.Loader):
    def __init__(self, real: Any) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.real.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        namespace = vars(module)
        namespace["dir"] = _binding_dir(namespace)  # shadows the builtin in this body only
        try:
            self.real.exec_module(module)
        finally:
            namespace.pop("dir", None)

    def __getattr__(self, name: str) -> Any:  # get_source, get_code… for tools that ask
        return getattr(self.real, name)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not _copies_by_dir(spec):
            return None  # the ordinary import
        spec.loader = _Loader(spec.loader)
        return spec


def _copies_by_dir(spec: importlib.machinery.ModuleSpec) -> bool:
    """Whether this ``pyqtgraph.Qt`` fills its mirrors the way this module expects."""
    get_source = getattr(spec.loader, "get_source", None)
    try:
        source = get_source(spec.name) if callable(get_source) else None
    except (ImportError, OSError):
        return False
    return (
        isinstance(source, str)
        and "def _copy_attrs(src, dst):\n    for o in dir(src):" in source
        and "PySide6" in source
    )


_finder = _Finder()


def install() -> None:
    """Put the finder in place (idempotent; nothing to do once pyqtgraph is imported)."""
    if TARGET in sys.modules or _finder in sys.meta_path:
        return
    sys.meta_path.insert(0, _finder)


def installed() -> bool:
    return _finder in sys.meta_path
