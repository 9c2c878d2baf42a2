"""A module not imported yet, imported a module at a time: each of the modules it imports that
are not imported either, before it and after what they import themselves, so that each import
runs one module's own body (``MainWindow._import_pages``: a page's module and the modules only
it uses were one turn of the event loop of 8-28 ms; a turn each, they are 1-5 ms).

What a module imports is read from its compiled top level (the ``IMPORT_NAME`` instructions
Python runs as it imports it), not run: imports under ``if TYPE_CHECKING:`` are left out, and
imports inside functions are not seen (they run later, when called). Only the modules of
:data:`PACKAGE` are looked into; any other module not imported yet is one step, with whatever
it imports. Modules that import each other in a circle are left to Python's own order: the
module is then imported in one step, as before.
"""

from __future__ import annotations

import contextlib
import dis
import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Generator, Iterator
from importlib.machinery import ModuleSpec
from types import CodeType

#: the modules looked into (any other is imported whole, in one step)
PACKAGE = "companion"
#: the jump of ``if TYPE_CHECKING:`` (a forward jump by its argument, in code units, from the
#: next instruction: Python 3.11 and 3.12)
_FORWARD_IF_FALSE = ("POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_IF_FALSE")


def import_order(name: str, package: str | None = None) -> list[str]:
    """``name`` and the modules it imports, directly or not, that are not imported yet, each
    after the ones it imports (and after its package): importing them one at a time in this
    order runs one module's body each. ``[]`` when ``name`` is imported; ``[name]`` when its
    modules import each other in a circle, or one of them cannot be read."""
    planning = plan(name, package)
    while True:
        try:
            next(planning)
        except StopIteration as done:
            order: list[str] = done.value
            return order


def plan(name: str, package: str | None = None) -> Generator[None, None, list[str]]:
    """:func:`import_order`, a module read per ``next()`` (1-4 ms each; the order of a page's
    module, read at once, was 6-31 ms); the order is the generator's return value.
    ``package``: the modules looked into (:data:`PACKAGE` unless given)."""
    inside = package or PACKAGE
    order: list[str] = []
    state: dict[str, bool] = {}  # False: being looked into; True: placed in ``order``
    specs: dict[str, ModuleSpec | None] = {}

    def visit(module: str) -> Generator[None, None, bool]:
        if module in sys.modules or state.get(module):
            return True
        if module in state:
            return False  # a circle
        state[module] = False
        if module == inside or module.startswith(inside + "."):
            parent = module.rpartition(".")[0]
            # (a package importing its own modules: they are imported with it, in its step)
            if parent and state.get(parent) is not False and not (yield from visit(parent)):
                return False
            imported = imports_of(module, specs)
            yield  # (a module read)
            if imported is None:
                return False
            for other in imported:
                if other != module and not (yield from visit(other)):
                    return False
        state[module] = True
        order.append(module)
        return True

    if name in sys.modules:
        return []
    return order if (yield from visit(name)) else [name]


def imports_of(module: str, specs: dict[str, ModuleSpec | None] | None = None) -> list[str] | None:
    """The modules ``module`` (not imported yet) imports at its top level, outside ``if
    TYPE_CHECKING:``, with the submodules named in a ``from package import name``; None when
    it cannot be found or read. ``specs``: where modules were found, kept between calls."""
    if specs is None:
        specs = {}
    spec = _spec(module, specs)
    if spec is None or spec.loader is None:
        return None
    get_code = getattr(spec.loader, "get_code", None)
    if get_code is None:
        return None
    try:
        code = get_code(module)
    except (ImportError, SyntaxError, OSError):
        return None
    if not isinstance(code, CodeType):
        return None
    here = module if spec.submodule_search_locations is not None else module.rpartition(".")[0]
    found: list[str] = []
    for name, level, names in _import_instructions(code):
        try:
            target = importlib.util.resolve_name("." * level + name, here) if level else name
        except ImportError:
            continue
        found.append(target)
        for item in names:
            sub = f"{target}.{item}"
            if item != "*" and _spec(sub, specs) is not None:
                found.append(sub)  # ``from package import module``
    return found


_IMPORT_NAME = dis.opmap["IMPORT_NAME"]
_LOAD_CONST = dis.opmap["LOAD_CONST"]
_LOADS = {dis.opmap["LOAD_NAME"], dis.opmap["LOAD_GLOBAL"]}
_EXTENDED_ARG = dis.EXTENDED_ARG
_JUMPS_IF_FALSE = {op for name, op in dis.opmap.items() if name in _FORWARD_IF_FALSE}


def _import_instructions(code: CodeType) -> Iterator[tuple[str, int, tuple[str, ...]]]:
    """Each top-level import of ``code``: the name, its level, the names taken from it. The
    bytecode is walked by hand (``dis.get_instructions`` made reading a module 1-2 ms)."""
    units = code.co_code
    consts, names = code.co_consts, code.co_names
    skip_to = -1
    extended = 0
    loads: list[int] = []  # the arguments of the last two LOAD_CONSTs, in order
    after_type_checking = -1
    for offset in range(0, len(units), 2):
        op, arg = units[offset], units[offset + 1] | extended
        if op == _EXTENDED_ARG:
            extended = arg << 8
            continue
        extended = 0
        if offset < skip_to:
            continue
        if op == _LOAD_CONST:
            loads = [*loads[-1:], arg]
            continue
        if op in _LOADS:
            index = arg >> 1 if op == dis.opmap["LOAD_GLOBAL"] else arg
            if index < len(names) and names[index] == "TYPE_CHECKING":
                after_type_checking = offset
            continue
        if op in _JUMPS_IF_FALSE and 0 <= offset - after_type_checking <= 4:
            skip_to = offset + 2 + 2 * arg  # (the block under ``if TYPE_CHECKING:``)
            continue
        if op == _IMPORT_NAME and len(loads) == 2:
            level, taken = consts[loads[0]], consts[loads[1]]
            yield (
                str(names[arg]),
                level if isinstance(level, int) else 0,
                tuple(taken) if isinstance(taken, tuple) else (),
            )
        loads = []


def _spec(module: str, specs: dict[str, ModuleSpec | None]) -> ModuleSpec | None:
    """Where ``module`` is, found without importing anything (its packages included), and
    kept in ``specs``."""
    loaded = sys.modules.get(module)
    if loaded is not None:
        return getattr(loaded, "__spec__", None)
    if module in specs:
        return specs[module]
    parent = module.rpartition(".")[0]
    found: ModuleSpec | None = None
    try:
        if not parent:
            found = importlib.machinery.PathFinder.find_spec(module)
        else:
            above = _spec(parent, specs)
            if above is not None and above.submodule_search_locations is not None:
                found = importlib.machinery.PathFinder.find_spec(
                    module, list(above.submodule_search_locations)
                )
    except (ImportError, ValueError):
        found = None
    specs[module] = found
    return found


def modules_imported_by(function: Callable[..., object]) -> list[str]:
    """The modules ``function`` imports by absolute name (a page's loader: its page module)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return []
    return [name for name, level, _names in _import_instructions(code) if level == 0]


def import_quietly(module: str) -> None:
    """Import ``module`` (one step of :func:`import_order`); a failure is left for the import
    that needs it to report."""
    with contextlib.suppress(Exception):
        importlib.import_module(module)
