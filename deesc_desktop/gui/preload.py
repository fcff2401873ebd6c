"""What a worker may import ahead of the window's thread: the Qt-free modules a page needs.

PySide6 gives a Python class derived from a Qt class its meta-object builder when the class
is made. With the page modules imported on a worker (so their classes made there), building
a page on the window's thread crashed at random in `MetaObjectBuilder::update()`, about one
start in twenty (docs/design.md, "Worker threads"). So every Qt class is made on the window's
thread: a worker imports what a page imports from outside `gui/` (the services and the store,
most of the time an import takes), found by reading the page's sources without running them,
and the window's thread then imports the page's own modules.
"""

from __future__ import annotations

import ast
import functools
import importlib
from pathlib import Path

import deesc_desktop

_QT_PACKAGES = ("deesc_desktop.gui", "PySide6", "shiboken6")
"""Modules that define or load Qt classes: imported on the window's thread only."""

_ROOT = Path(deesc_desktop.__file__).resolve().parent.parent


def defines_qt_classes(name: str) -> bool:
    """Whether importing module `name` may make Qt classes (so not on a worker)."""
    return any(name == package or name.startswith(f"{package}.") for package in _QT_PACKAGES)


def _source(name: str) -> Path | None:
    """The source file of one of this project's modules, or None when `name` is not one."""
    base = _ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(tree: ast.Module) -> list[str]:
    """The modules a module imports when it runs: its top-level imports (not those inside
    functions, which wait for their first use, nor those only for type checkers)."""
    names: list[str] = []
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            names += [alias.name for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom) and statement.module and not statement.level:
            names.append(statement.module)
            # `from package import module` imports the module too.
            names += [f"{statement.module}.{alias.name}" for alias in statement.names]
    return names


@functools.cache
def _imports_of(path: Path) -> tuple[str, ...]:
    """What the module at `path` imports when it runs, parsed once per process: the pages
    share most of their gui/ modules, and a parse holds the interpreter's lock throughout,
    which the window's thread then waits for."""
    return tuple(_imported(ast.parse(path.read_text(encoding="utf-8"))))


@functools.cache
def qt_free_dependencies(module: str) -> tuple[str, ...]:
    """This project's modules outside `gui/` that importing `module` (one of `gui/`'s)
    imports, through the `gui/` modules it imports in turn."""
    found: set[str] = set()
    seen: set[str] = set()
    waiting = [module]
    while waiting:
        name = waiting.pop()
        path = _source(name)
        if name in seen or path is None:
            continue
        seen.add(name)
        for imported in _imports_of(path):
            if not imported.startswith("deesc_desktop.") or _source(imported) is None:
                continue
            if defines_qt_classes(imported):
                waiting.append(imported)
            else:
                found.add(imported)
    return tuple(sorted(found))


def import_qt_free_dependencies(module: str) -> None:
    """Import, here (a worker), what `module` needs from outside `gui/`."""
    for name in qt_free_dependencies(module):
        importlib.import_module(name)
