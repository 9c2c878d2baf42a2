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

Two more differences, each checked by a test against the ordinary import in a fresh
interpreter (every name the same kind of object from the same module):

- ``pyqtgraph.Qt`` imports ``QtSvg`` and ``QtTest`` (extension modules, each loading a Qt
  library; ~2.5 ms together) when first asked for, not at its import; ``QtOpenGLWidgets`` too
  (which pyqtgraph's OpenGL helpers import: see below).
- ``pyqtgraph`` itself imports by star every widget and item it has (image views, colour bars,
  parameter trees, remote views, ROIs…: ~30 ms, half its import). Only those in :data:`KEEP`
  (and what they import) are imported with it; the first name asked for that is not found
  imports the others, in the package's order, binding their names as its body would have.

And a few of the modules the charts need import, each with one statement, what serves work
no chart does (:data:`LAZY_NAMES`): Qt's OpenGL classes and the OpenGL viewport's helpers,
the view's context menu, the plot's save dialog and legend, the XML type SVG export's
annotations name, debugging printouts and profiles. Such a statement binds a stand-in that
imports what it stands for when first used (an attribute of a module, a call of a class),
unless that is imported already; a test checks each is what it stands for when used.

Last, the warm-up may import ``pyqtgraph`` in parts (:func:`prepare_parts` on its worker,
:func:`import_part` a turn at a time on the GUI thread): the package's body, compiled a
statement at a time, runs a few statements per turn of the event loop (in one, the import
was a turn of 19-27 ms). Between parts the package is in ``sys.modules``, as a package whose
body is running is; a name asked of it that is not bound yet runs the rest at once. A test
checks the package is then name for name the one an import in one go makes.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import time
from collections.abc import Callable, Sequence
from types import CodeType, ModuleType
from typing import Any

TARGET = "pyqtgraph.Qt"
BINDING = "PySide6."
PACKAGE = "pyqtgraph"
#: pyqtgraph's own modules the charts use (with what they import themselves); the package's
#: other widgets and items (image views, colour bars, parameter trees, remote views, ROIs…)
#: are imported when a name of theirs is first asked for
KEEP = frozenset(
    {
        "graphicsItems.AxisItem",
        "graphicsItems.BarGraphItem",
        "graphicsItems.DateAxisItem",
        "graphicsItems.GraphicsItem",
        "graphicsItems.GraphicsObject",
        "graphicsItems.GraphicsWidget",
        "graphicsItems.InfiniteLine",
        "graphicsItems.LinearRegionItem",
        "graphicsItems.PlotDataItem",
        "graphicsItems.PlotItem",
        "graphicsItems.TextItem",
        "graphicsItems.ViewBox",
        "widgets.GraphicsView",
        "widgets.PlotWidget",
    }
)
#: the extension modules ``pyqtgraph.Qt`` imports at once although no chart uses them (each a
#: library of Qt's loaded): imported when first asked for, through ``pyqtgraph.Qt`` or a name
#: it would have put in a mirror
LAZY_BINDING = ("QtSvg", "QtOpenGLWidgets", "QtTest")
#: what some modules of the charts' import statements bring for work no chart does (an OpenGL
#: viewport, the view's context menu, a save dialog, pyqtgraph's legend, SVG export, debugging
#: printouts and profiles: ~8 ms together): module → (the statement as its source has it,
#: the name it binds, what that name is: a module, or a module's class); the name is a
#: stand-in (see :class:`_LazyModule`, :func:`_lazy_class`) that imports what it stands for
#: when first used
LAZY_NAMES: dict[str, tuple[tuple[str, str, str, str | None], ...]] = {
    f"{PACKAGE}.debug": (
        ("import cProfile", "cProfile", "cProfile", None),
        ("from .util import cprint", "cprint", f"{PACKAGE}.util.cprint", None),
    ),
    # (a type in the annotations of ``generateSvg``: pyqtgraph's SVG export imports it again)
    f"{PACKAGE}.graphicsItems.GraphicsItem": (
        (
            "from xml.etree.ElementTree import Element",
            "Element",
            "xml.etree.ElementTree",
            "Element",
        ),
    ),
    f"{PACKAGE}.widgets.GraphicsView": (
        ("from ..Qt import OpenGLHelpers", "OpenGLHelpers", f"{TARGET}.OpenGLHelpers", None),
    ),
    f"{PACKAGE}.graphicsItems.PlotCurveItem": (
        ("from ..Qt import OpenGLHelpers", "OpenGLHelpers", f"{TARGET}.OpenGLHelpers", None),
        # its body then imports Qt's OpenGL classes with ``importlib.import_module``
        ("import importlib", "importlib", f"{BINDING}QtOpenGL", "import_module"),
    ),
    f"{PACKAGE}.graphicsItems.ViewBox.ViewBox": (
        (
            "from .ViewBoxMenu import ViewBoxMenu",
            "ViewBoxMenu",
            f"{PACKAGE}.graphicsItems.ViewBox.ViewBoxMenu",
            "ViewBoxMenu",
        ),
    ),
    f"{PACKAGE}.graphicsItems.PlotItem.PlotItem": (
        (
            "from ...widgets.FileDialog import FileDialog",
            "FileDialog",
            f"{PACKAGE}.widgets.FileDialog",
            "FileDialog",
        ),
        (  # pyqtgraph's own legend (the charts write theirs beside the plot)
            "from ..LegendItem import LegendItem",
            "LegendItem",
            f"{PACKAGE}.graphicsItems.LegendItem",
            "LegendItem",
        ),
    ),
}
#: what a rule of :data:`LAZY_NAMES` names instead of a class: the statement imports
#: ``importlib``, whose ``import_module`` the body then calls for what the rule defers
IMPORT_MODULE = "import_module"
#: pyqtgraph's OpenGL viewport class (in ``pyqtgraph.Qt.OpenGLHelpers``)
GL_WIDGET = "GraphicsViewGLWidget"


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
        extension = _FROM_EXTENSION.get((mirror.__name__.rpartition(".")[2], attribute))
        if extension is not None:  # copied from an extension module pyqtgraph imports lazily
            try:
                module = importlib.import_module(BINDING + extension)
            except ImportError as err:  # not copied then either: a missing name, as before
                raise AttributeError(attribute) from err
            value = getattr(module, attribute)
        else:
            value = getattr(binding, attribute)
        vars(mirror)[attribute] = value  # found in the module's dict from now on
        return value

    mirror.__getattr__ = __getattr__  # type: ignore[method-assign]


class _Absent:
    """What ``pyqtgraph.Qt``'s body gets for an extension module it is not given yet: any
    attribute of it is itself, so the body's uses of it (``QtOpenGLWidgets.QOpenGLWidget``,
    ``hasattr(QtTest.QTest, "qWait")``) pass through it; every place it ended up is emptied
    after the body and filled when first asked for."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self


#: names pyqtgraph's body copies from an extension module into a mirror: (mirror, name) →
#: extension module
_FROM_EXTENSION = {("QtWidgets", "QOpenGLWidget"): "QtOpenGLWidgets"}


def _binding_extension(name: str, failed: Any) -> Any:
    """``PySide6.<name>``, or pyqtgraph's stand-in for a module that could not be imported
    (as its body would have made it)."""
    try:
        return importlib.import_module(BINDING + name)
    except ImportError as err:
        return failed(err)


def _with_import(namespace: dict[str, Any], hook: Any) -> tuple[dict[str, Any], object]:
    """A copy of the builtins whose ``__import__`` is ``hook`` for one module body (Python
    looks ``__import__`` up in the body's builtins); the previous ``__builtins__`` too."""
    original = namespace.get("__builtins__", builtins)
    names = dict(vars(original) if isinstance(original, ModuleType) else original)
    names["__import__"] = hook
    return names, original


def _asking_first(
    stand_for: Callable[[str, Any, tuple[str, ...], int], Any], real_import: Callable[..., Any]
) -> Callable[..., Any]:
    """An ``__import__`` that asks ``stand_for(name, globals, fromlist, level)`` first: what
    it answers (not None) is what the import statement gets instead of the module."""

    def hook(
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Sequence[str] = (),
        level: int = 0,
    ) -> Any:
        stand = stand_for(name, globals, tuple(fromlist or ()), level)
        if stand is not None:
            return stand
        return real_import(name, globals, locals, fromlist, level)

    return hook


class _Loader(importlib.abc.Loader):
    def __init__(self, real: Any) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.real.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        if module.__name__ == PACKAGE:
            self._exec_package(module)
        elif module.__name__ == TARGET:
            self._exec_qt(module)
        else:
            self._exec_lazy_names(module)

    def _exec_with_import(
        self, module: ModuleType, stand_for: Callable[[str, Any, tuple[str, ...], int], Any]
    ) -> None:
        """The module's body, each of its import statements first asking ``stand_for(name,
        globals, fromlist, level)``: what it answers (not None) is what the statement gets
        instead of the module. Afterwards the functions the body defined import as usual."""
        namespace = vars(module)
        real_import = builtins.__import__
        hooked, original = _with_import(namespace, _asking_first(stand_for, real_import))
        namespace["__builtins__"] = hooked
        try:
            self.real.exec_module(module)
        finally:
            hooked["__import__"] = real_import  # for the functions the body defined
            namespace["__builtins__"] = original

    def _exec_qt(self, module: ModuleType) -> None:
        namespace = vars(module)
        namespace["dir"] = _binding_dir(namespace)  # shadows the builtin in this body only
        absent = _Absent()

        def stand_for(name: str, _globals: Any, wanted: tuple[str, ...], level: int) -> Any:
            if (
                level == 0
                and name == BINDING[:-1]
                and wanted
                and set(wanted) <= set(LAZY_BINDING)
                and all(BINDING + n not in sys.modules for n in wanted)
            ):
                return _Stand(dict.fromkeys(wanted, absent))
            return None

        try:
            self._exec_with_import(module, stand_for)
        finally:
            namespace.pop("dir", None)
        _defer_extensions(module, absent)

    def _exec_lazy_names(self, module: ModuleType) -> None:
        """A module of :data:`LAZY_NAMES`: each of its statements there binds a stand-in,
        unless what it stands for is imported already."""
        rules = {
            _statement_key(statement): (bound, real, attribute)
            for statement, bound, real, attribute in LAZY_NAMES[module.__name__]
        }
        namespace = vars(module)

        def stand_for(name: str, globals: Any, wanted: tuple[str, ...], level: int) -> Any:
            rule = rules.get((name, level, wanted)) if globals is namespace else None
            if rule is None or rule[1] in sys.modules:
                return None
            bound, real, attribute = rule
            if attribute == IMPORT_MODULE:
                stand: Any = _ImportingLazily(real)
            elif attribute:
                stand = _lazy_class(real, attribute)
            else:
                stand = _lazy_module(real)
            return stand if not wanted else _Stand({bound: stand})

        self._exec_with_import(module, stand_for)

    def _exec_package(self, module: ModuleType) -> None:
        package = _Package(module)
        self._exec_with_import(module, package.stand_for)
        package.finish()

    def __getattr__(self, name: str) -> Any:  # get_source, get_code… for tools that ask
        return getattr(self.real, name)


class _Package:
    """What the package's body is given for the widgets and items it is not to import (see
    the module's text), and what is done after the body."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.namespace = vars(module)
        self.deferred: list[tuple[str, tuple[str, ...]]] = []
        self.stand_in = _Absent()

    def stand_for(self, name: str, globals: Any, wanted: tuple[str, ...], level: int) -> Any:
        if (
            level == 1
            and globals is self.namespace
            and wanted
            and name.partition(".")[0] in ("graphicsItems", "widgets", "imageview")
            and name not in KEEP
            and f"{PACKAGE}.{name}" not in sys.modules
        ):
            self.deferred.append((name, wanted))
            return _Stand({} if wanted == ("*",) else dict.fromkeys(wanted, self.stand_in))
        return None

    def finish(self) -> None:
        namespace = self.namespace
        for name, value in list(namespace.items()):
            if value is self.stand_in:
                del namespace[name]
        if self.deferred:
            self.module.__getattr__ = _deferred_names(namespace, self.deferred)  # type: ignore[method-assign]


# -- the package's body in parts, a few statements per turn of the GUI thread's event loop ----

#: how long one part of the package's body runs before the rest waits for the next turn
PART_S = 0.004
#: the package's body, a code object per statement of it (:func:`prepare_parts`, on the
#: warm-up's worker), and whether they may still be used
_parts: list[CodeType] | None = None
_staged: _Staged | None = None
_parts_failed = False


def prepare_parts() -> None:
    """Parse and compile ``pyqtgraph``'s package body a statement at a time, for
    :func:`import_part` (on the warm-up's worker: reading a source file and compiling it
    defines no Qt class). Nothing when pyqtgraph is imported already or is not the version
    this module knows."""
    global _parts
    if _parts is not None or PACKAGE in sys.modules:
        return
    spec = importlib.machinery.PathFinder.find_spec(PACKAGE)
    if spec is None or spec.origin is None or spec.loader is None or not _copies_by_dir(spec):
        return
    source = spec.loader.get_source(PACKAGE)  # type: ignore[attr-defined]
    tree = ast.parse(source, spec.origin)
    _parts = [
        compile(ast.Module(body=[statement], type_ignores=[]), spec.origin, "exec")
        for statement in tree.body
    ]


class _Staged:
    """``pyqtgraph`` imported in parts: the package is in ``sys.modules`` from the first part
    on (its submodules import from it as they would from a package whose body is running);
    a name asked of it that its body has not bound yet runs the rest of the body at once (a
    chart made meanwhile gets the whole package, as from an ordinary import)."""

    def __init__(self, spec: importlib.machinery.ModuleSpec, parts: list[CodeType]) -> None:
        self.parts = parts
        self.next = 0
        self.running = False
        self.module = importlib.util.module_from_spec(spec)
        self.package = _Package(self.module)
        namespace = self.package.namespace
        self.real_import = builtins.__import__
        self.hook = _asking_first(self.package.stand_for, self.real_import)
        self.builtins, self.original = _with_import(namespace, self.hook)
        namespace["__builtins__"] = self.builtins

        def __getattr__(attribute: str) -> Any:  # PEP 562: a name the body has not bound yet
            if attribute.startswith("__") or self.running:
                raise AttributeError(f"module {PACKAGE!r} has no attribute {attribute!r}")
            self.run(None)
            return getattr(self.module, attribute)

        self.module.__getattr__ = __getattr__  # type: ignore[method-assign]
        sys.modules[PACKAGE] = self.module

    @property
    def finished(self) -> bool:
        return self.next >= len(self.parts)

    def run(self, budget_s: float | None) -> None:
        """The next statements of the body, for ``budget_s`` (all of them: None)."""
        global _staged, _parts_failed
        deadline = None if budget_s is None else time.perf_counter() + budget_s
        namespace = self.package.namespace
        self.running = True
        self.builtins["__import__"] = self.hook
        try:
            while not self.finished:
                code = self.parts[self.next]
                self.next += 1
                exec(code, namespace)
                if deadline is not None and time.perf_counter() >= deadline:
                    break
        except BaseException:
            _parts_failed = True  # (the ordinary import, from the start, reports it)
            _staged = None
            sys.modules.pop(PACKAGE, None)
            raise
        finally:
            self.running = False
            self.builtins["__import__"] = self.real_import  # (for the functions it defined)
        if self.finished:
            _staged = None
            namespace.pop("__getattr__", None)
            namespace["__builtins__"] = self.original
            self.package.finish()


def import_part(budget_s: float = PART_S) -> bool:
    """On the GUI thread: the next part of ``pyqtgraph``'s body (``PART_S`` of it; the
    first one begins the import): importing the package in one turn took 19-27 ms of it.
    True when a part was run; False when the import is not done in parts (not prepared,
    another pyqtgraph, imported already, a part failed): the caller imports it as usual."""
    global _staged
    if _staged is None:
        if _parts is None or _parts_failed or PACKAGE in sys.modules:
            return False
        spec = _finder.find_spec(PACKAGE, None)
        if spec is None or not isinstance(spec.loader, _Loader):
            return False
        _staged = _Staged(spec, _parts)
    _staged.run(budget_s)
    return True


def parts_left() -> bool:
    """Whether ``pyqtgraph`` is being imported in parts and some are left."""
    return _staged is not None


def _statement_key(statement: str) -> tuple[str, int, tuple[str, ...]]:
    """The arguments ``__import__`` gets for an import statement of :data:`LAZY_NAMES`:
    (name, level, fromlist)."""
    words = statement.split()
    if words[0] == "import":  # import x
        return words[1], 0, ()
    source, wanted = words[1], tuple(words[3:])  # from .x import y
    stripped = source.lstrip(".")
    return stripped, len(source) - len(stripped), wanted


class _LazyModule(ModuleType):
    """A module as a name bound by an import statement of :data:`LAZY_NAMES`: each attribute
    is the module's own, the module imported when one is first asked for."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(importlib.import_module(self.__name__), name)


class _GLHelpersUntilUsed(_LazyModule):
    """``pyqtgraph.Qt.OpenGLHelpers`` for the plot widget and the curves, which ask whether
    they are drawn on its OpenGL viewport (a curve at each paint). Until the module is
    imported its viewport class is a stand-in that nothing is an instance of, as nothing can
    be an instance of the real one yet (the module defines it), so that question is
    answered as before without loading OpenGL; calling it makes the real viewport."""

    def __getattr__(self, name: str) -> Any:
        if name == GL_WIDGET and self.__name__ not in sys.modules:
            return _lazy_class(self.__name__, GL_WIDGET)
        return super().__getattr__(name)


class _ImportingLazily(ModuleType):
    """``importlib`` for a module body that imports ``deferred`` with ``import_module``
    (pyqtgraph's curves: Qt's OpenGL classes, ~2 ms, for OpenGL viewports only): that call
    gives a :class:`_LazyModule`; everything else is ``importlib``'s own."""

    def __init__(self, deferred: str) -> None:
        super().__init__("importlib")
        self._deferred = deferred

    def import_module(self, name: str, package: str | None = None) -> ModuleType:
        if name == self._deferred and name not in sys.modules:
            return _LazyModule(name)
        return importlib.import_module(name, package)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(importlib, name)


def _lazy_module(name: str) -> ModuleType:
    if name == f"{TARGET}.OpenGLHelpers":
        return _GLHelpersUntilUsed(name)
    return _LazyModule(name)


_LAZY_CLASSES: dict[tuple[str, str], type] = {}


def _lazy_class(module: str, name: str) -> type:
    """A class as a name bound by an import statement of :data:`LAZY_NAMES` (the charts
    only ever call it, and none of them does): calling it imports its module and makes an
    instance of the real class; nothing is an instance of the stand-in itself."""
    key = (module, name)
    if key not in _LAZY_CLASSES:

        def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(module), name)(*args, **kwargs)

        _LAZY_CLASSES[key] = type(
            name, (), {"__new__": __new__, "__module__": module, "__qualname__": name}
        )
    return _LAZY_CLASSES[key]


class _Stand(ModuleType):
    """What an import statement of a module body gets for what it is not given yet: ``from
    … import *`` binds nothing, a named import binds a stand-in (removed after the body)."""

    def __init__(self, names: dict[str, Any]) -> None:
        super().__init__("pyqtgraph-deferred")
        self.__all__ = list(names)
        vars(self).update(names)


def _defer_extensions(module: ModuleType, absent: _Absent) -> None:
    """After ``pyqtgraph.Qt``'s body: the extension modules it was not given, and the names
    it copied from them into its mirrors, are looked up when first asked for."""
    namespace = vars(module)
    lazy = [name for name in LAZY_BINDING if namespace.get(name) is absent]
    if not lazy:
        return
    for name in lazy:
        del namespace[name]
    for (mirror_name, name), _extension in _FROM_EXTENSION.items():
        mirror = namespace.get(mirror_name)
        if isinstance(mirror, ModuleType) and vars(mirror).get(name) is absent:
            del vars(mirror)[name]
    failed = namespace.get("FailedImport", ImportError)

    def __getattr__(attribute: str) -> Any:  # PEP 562
        if attribute not in lazy:
            raise AttributeError(f"module {module.__name__!r} has no attribute {attribute!r}")
        value = _binding_extension(attribute, failed)
        namespace[attribute] = value
        return value

    module.__getattr__ = __getattr__  # type: ignore[method-assign]


def _deferred_names(namespace: dict[str, Any], deferred: list[tuple[str, tuple[str, ...]]]) -> Any:
    """``pyqtgraph.__getattr__``: a name not found is looked for in the modules the body did
    not import, all imported at once in the body's order (each name bound as the body would
    have bound it, unless the body bound it otherwise)."""
    done: list[bool] = []

    def __getattr__(attribute: str) -> Any:  # PEP 562
        if not attribute.startswith("__") and not done:
            done.append(True)
            for name, wanted in deferred:
                source = importlib.import_module(f"{PACKAGE}.{name}")
                if wanted == ("*",):
                    exported = getattr(source, "__all__", None)
                    if exported is None:
                        exported = [n for n in vars(source) if not n.startswith("_")]
                    names = {n: getattr(source, n) for n in exported}
                else:
                    names = {n: getattr(source, n) for n in wanted}
                for key, value in names.items():
                    namespace.setdefault(key, value)
        if attribute in namespace:
            return namespace[attribute]
        raise AttributeError(f"module {PACKAGE!r} has no attribute {attribute!r}")

    return __getattr__


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in (TARGET, PACKAGE) and fullname not in LAZY_NAMES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not _copies_by_dir(spec):
            return None  # the ordinary import
        spec.loader = _Loader(spec.loader)
        return spec


def _copies_by_dir(spec: importlib.machinery.ModuleSpec) -> bool:
    """Whether this ``pyqtgraph.Qt`` fills its mirrors the way this module expects (and
    ``pyqtgraph`` and the modules of :data:`LAZY_NAMES` import what it expects)."""
    get_source = getattr(spec.loader, "get_source", None)
    try:
        source = get_source(spec.name) if callable(get_source) else None
    except (ImportError, OSError):
        return False
    if not isinstance(source, str):
        return False
    if spec.name == PACKAGE:  # its widgets and items imported by star, as 0.13–0.14 do
        return all(f"\nfrom .{name} import *\n" in source for name in sorted(KEEP))
    if spec.name in LAZY_NAMES:  # the statements, each a line of its own, as in 0.14
        return all(
            f"\n{statement}\n" in source
            and (
                attribute != IMPORT_MODULE
                or f"importlib.import_module(f'{{QT_LIB}}.{real.rpartition('.')[2]}')" in source
            )
            for statement, _bound, real, attribute in LAZY_NAMES[spec.name]
        )
    return "def _copy_attrs(src, dst):\n    for o in dir(src):" in source and "PySide6" in source


_finder = _Finder()


def install() -> None:
    """Put the finder in place (idempotent; nothing to do once pyqtgraph is imported)."""
    if TARGET in sys.modules or _finder in sys.meta_path:
        return
    sys.meta_path.insert(0, _finder)


def installed() -> bool:
    return _finder in sys.meta_path
