"""`deesc-desktop --self-test`: check, in a temporary folder, that this installation works.

Each step prints one line, "ok  create database (0.05 s): ...". The first failure prints
"FAILED step: reason" and stops the test with exit status 1. Apart from the shipped resources
it reads and writes only its temporary folder: not the real database, not the user's
settings. The bundle's smoke test (packaging/build_linux.sh) runs it, and so can whoever
installed the app ("does it work on this PC?"; docs/install.md).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop import __version__

Out = Callable[[str], object]
StepResult = str | None
"""What a step returns: a short detail for its line, or None."""

STEPS = (
    "find resources",
    "create database",
    "run migrations",
    "load demo agency",
    "evaluate compliance",
    "render report",
    "load Qt modules",
    "start main window",
)
"""Every step, in order; each prints one line."""

QT_MODULES = (
    "QtCore",
    "QtGui",
    "QtWidgets",
    "QtSvg",
    "QtCharts",
    "QtPdf",
    "QtPdfWidgets",
    "QtPrintSupport",
)
"""The Qt modules the app uses; the bundle ships these and no others."""

RESOURCE_FILES = (
    ("fonts", "DejaVuSans.ttf"),
    ("icons", "app.svg"),
    ("icons", "app.ico"),
    ("rules", "IL.toml"),
    ("templates", "training.csv"),
    ("demo", "millbrook-requirements.toml"),
)
"""A file from every resources/ folder: proof that the folder was shipped."""

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


class SelfTestError(Exception):
    """A step found something wrong; the message is the reason printed after FAILED."""


def prepare_environment() -> None:
    """Use Qt's offscreen platform unless a display is there (call before QApplication)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _find_resources() -> StepResult:
    from deesc_desktop.paths import resources_dir

    root = resources_dir()
    missing = ["/".join(parts) for parts in RESOURCE_FILES if not root.joinpath(*parts).is_file()]
    if missing:
        raise SelfTestError(f"missing from {root}: {', '.join(missing)}")
    packs = len(list((root / "rules").glob("*.toml")))
    return f"{root} ({packs} state rule packs)"


class _Run:
    """The state the steps share: the temporary folder and the open database."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db_path = folder / "deesc.db"
        self.db: Database | None = None

    def create_database(self) -> StepResult:
        from deesc_desktop.store.database import open_database

        self.db = open_database(self.db_path)
        with self.db_path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise SelfTestError(f"{self.db_path} is not an SQLite file")
        return str(self.db_path)

    def run_migrations(self) -> StepResult:
        from deesc_desktop.store.database import integrity_problems, open_database, user_version
        from deesc_desktop.store.migrations import known_names, migrations

        db = self._db()
        pending = [m.name for m in migrations.pending(db)]
        if pending:
            raise SelfTestError(f"schema steps not applied: {', '.join(pending)}")
        known = known_names()
        version = user_version(db)
        if version != len(known):
            raise SelfTestError(f"user_version is {version}, expected {len(known)}")
        for problem in integrity_problems(db, 1):
            raise SelfTestError(f"integrity check: {problem}")
        # Opening it again checks the file the way every later start does; nothing to do.
        open_database(self.db_path, create=False).close()
        return f"{len(known)} schema steps, integrity ok"

    def load_demo_agency(self) -> StepResult:
        from deesc_desktop.demo import load_demo
        from deesc_desktop.store.agency import get_agency
        from deesc_desktop.store.counts import roster_and_records

        db = self._db()
        load_demo(db)
        agency = get_agency(db)
        if agency is None:
            raise SelfTestError("the demo agency was not created")
        officers, records = roster_and_records(db)
        return f"{agency.name}: {officers} officers, {records} training records"

    def evaluate_compliance(self) -> StepResult:
        from deesc_desktop.services.compliance import department_compliance

        results = department_compliance(self._db(), date.today())
        if not results:
            raise SelfTestError("the demo agency has no officers to evaluate")
        checks = sum(len(officer.results) for officer in results)
        return f"{len(results)} officers, {checks} requirement results"

    def render_report(self) -> StepResult:
        out = self.folder / "report.pdf"
        if importlib.util.find_spec("deesc_desktop.reports") is not None:
            from deesc_desktop.reports import ReportParams, render

            render("compliance", self._db(), ReportParams(as_of=date.today()), out)
            kind = "compliance report"
        else:  # a build from before the reports package: check ReportLab and the fonts only
            _minimal_pdf(out)
            kind = "ReportLab test page (this version has no deesc_desktop.reports)"
        data = out.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise SelfTestError(f"{out.name} is not a complete PDF")
        return f"{kind}, {len(data):,} bytes"

    def start_main_window(self) -> StepResult:
        return _show_main_window(self._db(), self.db_path, self.folder)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def _db(self) -> Database:
        if self.db is None:
            raise SelfTestError("no database (an earlier step failed)")
        return self.db


def _minimal_pdf(out: Path) -> None:
    """One page in the shipped DejaVu Sans font, with the version, written by ReportLab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from deesc_desktop.paths import resource

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(resource("fonts", "DejaVuSans.ttf"))))
    canvas = Canvas(str(out))
    canvas.setFont("DejaVuSans", 12)
    canvas.drawString(72, 720, f"deesc-desktop {__version__} self-test")
    canvas.showPage()
    canvas.save()


def _load_qt_modules() -> StepResult:
    for name in QT_MODULES:
        importlib.import_module(f"PySide6.{name}")
    from PySide6 import __version__ as pyside_version

    return f"PySide6 {pyside_version}: {', '.join(QT_MODULES)}"


def _show_main_window(db: Database, db_path: Path, folder: Path) -> StepResult:
    """Build the real main window on the demo agency, show it, let it settle, close it."""
    from PySide6.QtCore import (
        QCoreApplication,
        QMessageLogContext,
        QSettings,
        QtMsgType,
        qInstallMessageHandler,
    )
    from PySide6.QtWidgets import QApplication

    from deesc_desktop.demo import DEMO_ACTOR
    from deesc_desktop.gui import style, workers
    from deesc_desktop.gui.context import AppContext
    from deesc_desktop.gui.mainwindow import MainWindow
    from deesc_desktop.gui.settings import Settings

    prepare_environment()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "deesc-desktop"])
    style.apply(app)
    if style.app_icon().pixmap(32, 32).isNull():
        raise SelfTestError("the application icon does not render (Qt's SVG support missing?)")

    warnings: list[str] = []

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        serious = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
        if serious and message != OFFSCREEN_NOISE:
            warnings.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        # Settings in the temporary folder: the test never touches the user's own.
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        ctx = AppContext(db, db_path, DEMO_ACTOR, settings=settings)
        window = MainWindow(ctx, persist_settings=False)
        window.resize(1280, 800)
        window.show()
        _settle()
        if not window.isVisible():
            raise SelfTestError("the main window did not show")
        # Pages are built after the window shows, each from a module imported by name: build
        # them all now, so a module the bundle left out fails here and not on a user's click.
        window.build_all()
        _settle()
        pages = len(window.pages.built())
        window.close()
        window.deleteLater()
        _settle()
        workers.wait_for_threads(30)  # the backup a closing window starts
        QCoreApplication.processEvents()
    finally:
        qInstallMessageHandler(previous)
    platform = QApplication.platformName()
    detail = f"shown with its {pages} pages and closed on the {platform} platform"
    if warnings:
        detail += f"; Qt said: {' | '.join(dict.fromkeys(warnings))}"
    return detail


def _settle() -> None:
    """Let the window's queries and timers run to the end, as a user's first look would."""
    from PySide6.QtCore import QCoreApplication

    from deesc_desktop.gui import workers

    for _ in range(3):
        workers.wait_idle(60)
        QCoreApplication.processEvents()


REPORT_FILE = "deesc-desktop-selftest.txt"
"""Where the report goes when there is no console to print to (the windowed Windows app)."""


def _console_or_file() -> Out:
    """print, or, when the process has no stdout, a writer to REPORT_FILE in the temp folder."""
    if sys.stdout is not None:
        return print
    report = Path(tempfile.gettempdir()) / REPORT_FILE
    report.write_text("", encoding="utf-8")

    def write(line: str) -> None:
        with report.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    return write


def run_self_test(out: Out | None = None) -> int:
    """Run every step in a temporary folder; 0 when all passed, 1 (and the reason) otherwise.

    Lines go to `out`, by default printed; a windowed Windows build has no console, so there
    they go to %TEMP%\\deesc-desktop-selftest.txt (the exit status says the same in short).
    """
    out = out or _console_or_file()
    started = time.perf_counter()
    out(f"deesc-desktop {__version__} self-test (Python {sys.version.split()[0]})")
    with tempfile.TemporaryDirectory(prefix="deesc-selftest-", ignore_cleanup_errors=True) as tmp:
        run = _Run(Path(tmp))
        actions: dict[str, Callable[[], StepResult]] = {
            "find resources": _find_resources,
            "create database": run.create_database,
            "run migrations": run.run_migrations,
            "load demo agency": run.load_demo_agency,
            "evaluate compliance": run.evaluate_compliance,
            "render report": run.render_report,
            "load Qt modules": _load_qt_modules,
            "start main window": run.start_main_window,
        }
        try:
            for step in STEPS:
                began = time.perf_counter()
                try:
                    detail = actions[step]()
                except Exception as exc:
                    reason = str(exc) or type(exc).__name__
                    if not isinstance(exc, SelfTestError):
                        reason = f"{type(exc).__name__}: {reason}"
                        if os.environ.get("DEESC_SELFTEST_TRACEBACK"):
                            out(traceback.format_exc().rstrip())
                    out(f"FAILED {step}: {reason}")
                    return 1
                seconds = time.perf_counter() - began
                out(f"ok  {step} ({seconds:.2f} s)" + (f": {detail}" if detail else ""))
        finally:
            run.close()
    out(f"self-test passed: {len(STEPS)} steps in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(run_self_test())
