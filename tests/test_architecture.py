"""House rules that keep the code easy to live in: no Qt outside the GUI, no SQL outside the
store, each layer importing only those below it, a docstring per module."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "deesc_desktop"
QT_FREE = ["core", "services", "store", "importers", "reports", "cli"]
"""Everything but the GUI (and the self-test, which opens the window when asked to)."""


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
        if p.name not in ("__init__.py", "__main__.py")  # __main__ runs the command
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


# --- layers ----------------------------------------------------------------------------------

_SQL_TEXT = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\[?\w+\]?\s+SET|DELETE\s+FROM"
    r"|PRAGMA\s|(CREATE|DROP)\s+(TABLE|INDEX|VIEW|TRIGGER)|ALTER\s+TABLE)",
    re.S,
)
_SQL_CALLS = {"execute", "executemany", "executescript", "query"}


def _sql_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _SQL_TEXT.search(node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} SQL text")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _SQL_CALLS:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.func.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr == "conn":
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} raw connection")
    return found


def _outside_store() -> list[Path]:
    return [p for p in _modules(PACKAGE) if p.relative_to(PACKAGE).parts[0] != "store"]


def test_only_the_store_speaks_sql() -> None:
    offenders = [found for path in _outside_store() for found in _sql_in(path)]
    assert offenders == []


def test_only_the_store_imports_sqlite3() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{lineno}"
        for path in _outside_store()
        for lineno, name in _imports(path)
        if name.split(".")[0] == "sqlite3"
    ]
    assert offenders == []


LAYERS: dict[str, set[str]] = {
    "core": set(),
    "paths": set(),
    "importers": {"core"},
    "store": {"core", "paths"},
    "services": {"core", "store", "importers", "paths"},
    "reports": {"core", "services", "store", "paths"},
    "demo_paperwork": {"core", "services", "store", "reports", "paths"},
    "demo": {"core", "services", "store", "reports", "paths", "demo_paperwork"},
    "cli": {"core", "services", "store", "reports", "importers", "paths", "demo"},
    "gui": {"core", "services", "store", "reports", "importers", "paths", "demo", "selftest"},
    "selftest": {"core", "services", "store", "reports", "paths", "demo", "gui"},
}
"""What each part of the package may import besides itself: each layer only those below it.
The GUI and the self-test reach each other (Help > Self-test; the self-test opens the window),
both lazily."""

UPWARD_IMPORTS = {
    # Issue 17: an import warns of names the PDFs cannot print, and only ReportLab's fonts know.
    ("services/imports.py", "reports"),
}
"""Imports against the direction of LAYERS, each with its reason."""


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _layer(parts: tuple[str, ...]) -> str:
    return parts[0].removesuffix(".py")


def test_layers_import_only_the_layers_below_them() -> None:
    offenders = []
    for path in _modules(PACKAGE):
        relative = path.relative_to(PACKAGE)
        if relative.name == "__init__.py" and len(relative.parts) == 1:
            continue
        layer = _layer(relative.parts)
        for lineno, name in _imports(path):
            parts = name.split(".")
            if parts[0] != PACKAGE.name or len(parts) < 2:
                continue
            target = parts[1]
            allowed = target == layer or target in LAYERS[layer]
            if not allowed and (relative.as_posix(), target) not in UPWARD_IMPORTS:
                offenders.append(f"{relative}:{lineno} imports {name}")
    assert offenders == []


REPORTS = PACKAGE / "reports"


def test_reports_read_nothing_from_the_store() -> None:
    """What a report prints is gathered by a service (services/reporting and the domain
    services) and handed to the renderer; reports/ never reaches the store itself."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{lineno} imports {name}"
        for path in _modules(REPORTS)
        for lineno, name in _imports(path)
        if name.startswith(f"{PACKAGE.name}.store")
    ]
    assert offenders == []


_HANDS_ON_THE_DATABASE = {"__init__", "gather", "gather_context"}
"""A renderer's methods that may pass its database to a service: the constructor (the agency),
gather() (the report's data) and gather_context() (signers, audit head). Laying out the story,
the table and the pages works only from what those returned."""


def test_renderers_use_the_database_only_to_gather() -> None:
    offenders = []
    for path in _modules(REPORTS):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name in _HANDS_ON_THE_DATABASE:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Attribute) and node.attr == "db":
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .db")
    assert offenders == []


def test_only_the_entry_points_of_reports_take_a_database() -> None:
    """`render(kind, db, params, out)` and its kin open a report; nothing below them is
    handed a database except through a renderer's constructor."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{function.lineno} {function.name}(db)"
        for path in _modules(REPORTS)
        if path != REPORTS / "__init__.py"
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef)
        and function.name != "__init__"
        and not function.name.startswith("render_")
        and "db" in {a.arg for a in function.args.args + function.args.kwonlyargs}
    ]
    assert offenders == []


def test_the_command_line_keeps_no_module_state_and_opens_the_database_in_one_place() -> None:
    """Each command gets its database and signed-in user from cli.common.signed_in (or, for
    checks that show no personnel data, open_db), never from a module-global."""
    offenders = []
    for path in _modules(PACKAGE / "cli"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} global")
            opens = isinstance(node, ast.Name) and node.id == "open_database"
            if opens and path.name != "common.py":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} open_database")
    assert offenders == []


# --- the GUI's features, and cycles -----------------------------------------------------------

FEATURES = PACKAGE / "gui" / "features"

FEATURE_IMPORTS: dict[tuple[str, str], str] = {
    # Scheduling a class is recording one ahead of time: the same dialog, fewer fields.
    ("gui/features/course_files/dialogs.py", "training"): "ScheduleClassDialog extends it",
    # The officer dialog's Record training and Print transcript buttons (lazy imports).
    ("gui/features/roster/officer_detail.py", "training"): "RecordClassDialog for one officer",
    ("gui/features/roster/officer_detail.py", "reports"): "print_pdf, with QtPdf, when printing",
    # The agency's requirements are edited on a tab of Settings, by the compliance feature.
    ("gui/features/settings/page.py", "compliance"): "RequirementsBox",
}
"""Imports of one GUI feature's modules by another feature, each with its reason. Otherwise a
feature reaches another only through the page registry (gui/pages) or the context (ctx.nav)."""


def _feature_imports() -> list[tuple[str, str, int]]:
    found = []
    for path in _modules(FEATURES):
        relative = path.relative_to(FEATURES)
        if len(relative.parts) < 2:
            continue
        feature = relative.parts[0]
        for lineno, name in _imports(path):
            parts = name.split(".")
            if parts[:3] != [PACKAGE.name, "gui", "features"] or len(parts) < 4:
                continue
            if parts[3] != feature:
                found.append((path.relative_to(PACKAGE).as_posix(), parts[3], lineno))
    return found


def test_a_gui_feature_imports_no_other_feature() -> None:
    offenders = [
        f"{module}:{lineno} imports the {target} feature"
        for module, target, lineno in _feature_imports()
        if (module, target) not in FEATURE_IMPORTS
    ]
    assert offenders == []


def test_the_feature_imports_allowed_are_still_made() -> None:
    """An entry of FEATURE_IMPORTS goes once the import it allows has gone."""
    made = {(module, target) for module, target, _lineno in _feature_imports()}
    assert [pair for pair in FEATURE_IMPORTS if pair not in made] == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _load_time_imports(path: Path, names: set[str]) -> set[str]:
    """The package's modules `path` imports as it loads: its top-level imports, not those in
    functions or under TYPE_CHECKING, each resolved to the deepest module it names."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` loads that module; `from module import name`, it.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in names:
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    return found


def test_no_import_cycles_among_the_package_modules() -> None:
    paths = {_module_name(path): path for path in _modules(PACKAGE)}
    graph = {name: _load_time_imports(path, set(paths)) - {name} for name, path in paths.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    trail: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        trail.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target)
        trail.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert [" -> ".join(cycle) for cycle in cycles] == []
