"""GUI figures that need a process of their own: start-up, and the roster page on a roster."""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QEventLoop,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

# Run by bench.figures as `python -m bench.gui_child MODE --app APP --db PATH` (APP: deesc,
# bare, or for start-up's floor bare-store) with QT_QPA_PLATFORM=offscreen; the result is one
# JSON line on stdout after RESULT. Both apps of a mode take the same steps in the same order
# (PySide6 imported, QApplication made, then the work), so the difference measured is what
# the product adds.
RESULT = "RESULT "

SEARCH_TEXT = "kowa"
"""Typed one key at a time into the roster's search box, then erased: 8 keystrokes."""

ROSTER_COLUMNS = (
    "id, badge, last_name, first_name, rank, unit, shift, hire_date, license_date, status,"
    " separation_date, version"
)


def _emit(values: dict[str, Any]) -> None:
    print(RESULT + json.dumps(values), flush=True)


def _peak_mb() -> tuple[float, float]:
    """(this process's peak resident memory, ru_maxrss), both in MB.

    On Linux ru_maxrss survives exec: a child started by a parent that once held 3 GB
    reports 3 GB. VmHWM is the high-water mark of this process's own memory, so it is the
    figure; ru_maxrss is kept beside it for platforms without /proc.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    maxrss = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024, maxrss
    except OSError:
        pass
    return maxrss, maxrss


# --- start-up ------------------------------------------------------------------------------


class _FirstShow(QObject):
    """Reports the monotonic clock at the first show event of a main window, then exits."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow):
            _emit({"shown_at": time.monotonic()})
            # Nothing after the window appears is part of the figure; no close, no backup.
            os._exit(0)
        return False


def startup(app_kind: str, db: Path) -> None:
    app = QApplication([sys.argv[0]])
    watcher = _FirstShow()
    app.installEventFilter(watcher)
    if app_kind == "bare-store":
        # The least the product must add: its store library, and the file opened.
        import sqlite_utils

        sqlite_utils.Database(db).execute("SELECT count(*) FROM sqlite_master").fetchone()
        app_kind = "bare"
    if app_kind == "bare":
        window = QMainWindow()
        window.resize(1280, 800)
        window.show()
        app.exec()
        return
    from deesc_desktop.gui.app import main

    main(["--db", str(db)])


# --- roster ----------------------------------------------------------------------------------


class _BareModel(QAbstractTableModel):
    """The least a PySide6 table needs: rows as tuples, text on demand."""

    HEADERS = ("Badge", "Name", "Rank", "Unit", "Shift", "Status", "Hired", "Licensed")

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 1:
            return f"{row[2]}, {row[3]}"
        return row[(1, 0, 4, 5, 6, 9, 7, 8)[column]]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


def _wait_for(signal: Any, start: Callable[[], None]) -> None:
    """Run `start` and spin a local event loop until `signal` fires."""
    loop = QEventLoop()
    fired: list[bool] = []

    def done(*_args: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(done)
    start()
    if not fired:
        loop.exec()
    signal.disconnect(done)


def _paint(view: QTableView) -> None:
    # Offscreen windows still paint; repaint() makes the visible rows' data() calls happen now.
    QApplication.processEvents()
    view.viewport().repaint()


def _keystrokes(type_key: Callable[[str | None], None], view: QTableView) -> list[float]:
    """Type SEARCH_TEXT, then erase it, timing each keystroke to the repainted view (ms)."""
    times = []
    keys: list[str | None] = [*SEARCH_TEXT, *[None] * len(SEARCH_TEXT)]
    for key in keys:
        started = time.perf_counter()
        type_key(key)
        _paint(view)
        times.append((time.perf_counter() - started) * 1000)
    return times


def roster_bare(db: Path) -> dict[str, Any]:
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    view = QTableView()
    window.setCentralWidget(view)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    started = time.perf_counter()
    conn = sqlite3.connect(str(db))
    rows = conn.execute(
        f"SELECT {ROSTER_COLUMNS} FROM officers"
        " ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, badge"
    ).fetchall()
    model = _BareModel(rows)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view.setModel(proxy)
    _paint(view)
    opened = time.perf_counter() - started
    typed = ""

    def type_key(key: str | None) -> None:
        nonlocal typed
        typed = typed + key if key is not None else typed[:-1]
        proxy.setFilterFixedString(typed)

    keystrokes = _keystrokes(type_key, view)
    return {
        "open_s": opened,
        "keystrokes_ms": keystrokes,
        "rows": len(rows),
        "shown": proxy.rowCount(),
        "how": "QMainWindow, QTableView, QSortFilterProxyModel",
    }


def roster_deesc(db: Path, whole_window: bool) -> dict[str, Any]:
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest

    from deesc_desktop.core.auth import Actor, Role
    from deesc_desktop.gui import workers
    from deesc_desktop.gui.actions import ActionRegistry
    from deesc_desktop.gui.app import setup_application
    from deesc_desktop.gui.context import AppContext
    from deesc_desktop.gui.features.roster.page import RosterPage
    from deesc_desktop.gui.mainwindow import MainWindow
    from deesc_desktop.gui.pages import PageId
    from deesc_desktop.gui.settings import Settings
    from deesc_desktop.store.database import open_database

    app = QApplication([sys.argv[0]])
    setup_application(app)
    settings_file = Path(os.environ.get("XDG_CONFIG_HOME", ".")) / "bench-settings.ini"
    settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    database = open_database(db, create=False)
    ctx = AppContext(database, db, Actor("bench.viewer", Role.ADMIN), settings=settings)
    window: QMainWindow
    if whole_window:
        options: dict[str, Any] = {"persist_settings": False}
        if "auto_backup" in inspect.signature(MainWindow).parameters:
            options["auto_backup"] = False  # a 2 GB copy in the middle would measure the disk
        window = MainWindow(ctx, **options)
        page: Any = window.pages[PageId.ROSTER]  # type: ignore[attr-defined]
        how = "main window (dashboard first), then the roster page"

        def open_page() -> None:
            window.show_page(PageId.ROSTER)  # type: ignore[attr-defined]

    else:
        # The page as the main window builds it, without the other pages' loads beside it.
        window = QMainWindow()
        page = RosterPage(ctx, ActionRegistry(window))
        window.setCentralWidget(page)
        how = "the roster page in a window of its own"
        open_page = page.refresh
    window.resize(1280, 800)
    shown = time.perf_counter()
    window.show()
    # Whatever the window loads first (the dashboard) finishes before the roster is timed.
    workers.wait_idle(3600)
    app.processEvents()
    settled = time.perf_counter() - shown

    started = time.perf_counter()
    _wait_for(page.loaded, open_page)
    _paint(page.view)
    opened = time.perf_counter() - started

    def type_key(key: str | None) -> None:
        if key is None:
            QTest.keyClick(page.search, Qt.Key.Key_Backspace)
        else:
            QTest.keyClicks(page.search, key)
        # The box waits 150 ms for typing to pause; that wait is a choice, not work: skip it.
        page.search.flush()

    keystrokes = _keystrokes(type_key, page.view)
    return {
        "open_s": opened,
        "keystrokes_ms": keystrokes,
        "rows": page.model.rowCount(),
        "shown": page.proxy.rowCount(),
        "how": how,
        "settled_s": settled,
    }


def first_page(db: Path) -> dict[str, Any]:
    """The main window opened on `db` until its first page (the dashboard) shows compliance
    figures, then until everything it loads is done (a stale summary brought up to date).
    Times from opening the database; `figures_at` is the monotonic clock, for the parent to
    count from the process's start."""
    from PySide6.QtCore import QSettings, QTimer

    from deesc_desktop.core.auth import Actor, Role
    from deesc_desktop.gui import workers
    from deesc_desktop.gui.app import setup_application
    from deesc_desktop.gui.context import AppContext
    from deesc_desktop.gui.features.dashboard.cards import ComplianceStatusCard
    from deesc_desktop.gui.mainwindow import MainWindow
    from deesc_desktop.gui.pages import PAGES, PageId
    from deesc_desktop.gui.settings import Settings
    from deesc_desktop.store.database import open_database

    app = QApplication([sys.argv[0]])
    setup_application(app)
    settings_file = Path(os.environ.get("XDG_CONFIG_HOME", ".")) / "bench-settings.ini"
    settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    started = time.perf_counter()
    database = open_database(db, create=False)
    ctx = AppContext(database, db, Actor("bench.viewer", Role.ADMIN), settings=settings)
    window = MainWindow(ctx, persist_settings=False, auto_backup=False)
    dashboard: Any = window.pages[PageId.DASHBOARD]
    card = next(c for c in dashboard.extra_cards if isinstance(c, ComplianceStatusCard))
    shown: list[tuple[float, float, bool, int, int]] = []
    loop = QEventLoop()

    def figures(summary: Any) -> None:
        now = time.perf_counter() - started
        counted = (summary.counts.officers, len(summary.evaluated))
        shown.append((time.monotonic(), now, bool(summary.current), *counted))
        loop.quit()

    card.query.ready.connect(figures)
    heartbeat = _Heartbeat()
    window.first_painted.connect(heartbeat.start)
    window.resize(1280, 800)
    window.show()
    QTimer.singleShot(3_600_000, loop.quit)
    loop.exec()
    # Until every page is built and every load is done, the event loop keeps turning, so the
    # heartbeat sees each stretch the window could not answer.
    while workers.pending() or len(window.pages.built()) < len(PAGES):
        if not workers.wait_idle(3600):
            raise RuntimeError("the main window's loads did not finish within an hour")
        turn = QEventLoop()
        QTimer.singleShot(20, turn.quit)
        turn.exec()
    idle = time.perf_counter() - started
    heartbeat.stop()
    if not shown:
        raise RuntimeError("the dashboard never showed compliance figures")
    if heartbeat.painted_at is None:
        raise RuntimeError("the main window was never drawn")
    shown_at, figures_s, current, officers, evaluated = shown[0]
    return {
        "figures_at": shown_at,
        "figures_s": figures_s,
        "first_current": current,
        "idle_s": idle,
        "officers": officers,
        "evaluated": evaluated,
        "painted_at": heartbeat.painted_at,
        "longest_freeze_s": heartbeat.longest,
        "freezes_over_100ms": heartbeat.over_100ms,
    }


class _Heartbeat(QObject):
    """From the main window's first paint, how long the event loop went without turning:
    a timer asks to run every 10 ms, and each gap beyond that is time a click or a keystroke
    would have waited."""

    INTERVAL_MS = 10

    def __init__(self) -> None:
        super().__init__()
        self.painted_at: float | None = None
        self.longest = 0.0
        self.over_100ms = 0
        self._last = 0.0
        self._timer_id = 0

    def start(self) -> None:
        self.painted_at = time.monotonic()
        self._last = time.perf_counter()
        self._timer_id = self.startTimer(self.INTERVAL_MS, Qt.TimerType.PreciseTimer)

    def timerEvent(self, event: Any) -> None:
        now = time.perf_counter()
        late = now - self._last - self.INTERVAL_MS / 1000
        self._last = now
        self.longest = max(self.longest, late)
        self.over_100ms += late > 0.1

    def stop(self) -> None:
        if self._timer_id:
            self.timerEvent(None)
            self.killTimer(self._timer_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gui_child")
    parser.add_argument("mode", choices=("startup", "roster", "firstpage"))
    parser.add_argument("--app", choices=("deesc", "bare", "bare-store"), required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument(
        "--window",
        choices=("page", "main"),
        default="page",
        help="roster: the page alone, or the whole main window opened first",
    )
    args = parser.parse_args(argv)
    if args.mode == "startup":
        startup(args.app, args.db)
        print("the window was never shown", file=sys.stderr)
        return 1
    if args.mode == "firstpage":
        result = first_page(args.db)
    elif args.app == "deesc":
        result = roster_deesc(args.db, whole_window=args.window == "main")
    else:
        result = roster_bare(args.db)
    result["peak_mb"], result["ru_maxrss_mb"] = _peak_mb()
    _emit(result)
    sys.stdout.flush()
    # Tearing down 50,000 rows of Qt objects is not part of any figure.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
