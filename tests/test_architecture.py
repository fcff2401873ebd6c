"""House rules that keep the code easy to live in: no Qt below the GUI, a docstring per module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "deesc_desktop"
QT_FREE = ["core", "services", "store", "importers"]


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


@pytest.mark.parametrize("area", QT_FREE)
def test_qt_free_packages_import_no_qt(area: str) -> None:
    offenders = []
    for path in _modules(PACKAGE / area):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_importing_the_qt_free_packages_loads_no_qt_at_run_time() -> None:
    modules = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for area in QT_FREE
        for p in _modules(PACKAGE / area)
        if p.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
    )
    assert out.stdout.strip() == "[]"


def test_every_module_starts_with_a_docstring() -> None:
    missing = [
        str(path.relative_to(PACKAGE))
        for path in _modules(PACKAGE)
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert missing == []


# Writing into an object's memory through ctypes: how the old workaround patched None's count.
_REFCOUNT_WRITERS = ("from_address", "pythonapi", "Py_IncRef", "Py_DecRef", "ob_refcnt")


def test_no_module_writes_an_object_reference_count() -> None:
    roots = [PACKAGE, PACKAGE.parent / "bench", PACKAGE.parent / "tests"]
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}: {word}"
        for root in roots
        for path in _modules(root)
        if path.resolve() != Path(__file__).resolve()
        for word in _REFCOUNT_WRITERS
        if word in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


TESTS = PACKAGE.parent / "tests"
_CLOCK_CALLS = ("time.sleep(", "perf_counter(", "time.monotonic(", "process_time(")
# Killing a writer at a random moment is what these tests are for: their sleeps pick it.
_RANDOM_KILL_TESTS = {TESTS / "trust" / "test_crash_safety.py"}


def test_tests_neither_sleep_nor_time_themselves() -> None:
    """Speed is measured in bench/, and waiting is done on events (qtbot.waitUntil)."""
    offenders = [
        f"{path.relative_to(TESTS)}: {call}"
        for path in _modules(TESTS)
        if path not in _RANDOM_KILL_TESTS and path.resolve() != Path(__file__).resolve()
        for call in _CLOCK_CALLS
        if call in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
