"""Pages are built when first needed: the first one before the window shows, the rest after."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Event
from typing import Any

import pytest
from sqlite_utils import Database

from deesc_desktop.gui import mainwindow, workers
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.app import REMINDERS_MODULE
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.mainwindow import HEAD_START_POLL_MS, MainWindow
from deesc_desktop.gui.pages import PAGES, PageId
from deesc_desktop.gui.preload import defines_qt_classes, qt_free_dependencies
from tests.gui.helpers import settle


def test_only_the_first_page_is_built_with_the_window(qtbot: Any, ctx: AppContext) -> None:
    window = MainWindow(ctx, persist_settings=False, auto_backup=False)
    qtbot.addWidget(window)
    assert [page for page in PageId if window.pages.is_built(page)] == [PageId.DASHBOARD]
    assert list(window.pages) == [spec.id for spec in PAGES]
    assert PageId.REPORTS in window.pages and not window.pages.is_built(PageId.REPORTS)
    roster = window.pages[PageId.ROSTER]  # asking builds it
    assert window.pages.is_built(PageId.ROSTER) and window.pages[PageId.ROSTER] is roster
    window.show()
    qtbot.waitUntil(lambda: all(window.pages.is_built(page) for page in window.pages))
    assert len(window.pages.built()) == len(window.pages)
    assert window.stack.count() == len(window.pages)
    settle()


@contextmanager
def shown_while_loading(qtbot: Any, ctx: AppContext) -> Iterator[tuple[MainWindow, Event]]:
    """A main window drawn while a load of its first page runs, which ends when the event is
    set (or on leaving): stands for the dashboard's figures still on their way."""
    window = MainWindow(ctx, persist_settings=False, auto_backup=False)
    qtbot.addWidget(window)
    release = Event()
    workers.run_task(lambda _control: release.wait(60), owner=window)
    try:
        with qtbot.waitSignal(window.first_painted):
            window.show()
        yield window, release
    finally:
        release.set()


def test_the_other_pages_wait_for_the_first_page_figures_within_a_head_start(
    qtbot: Any, ctx: AppContext
) -> None:
    """Building a page and the dashboard's loads share one interpreter: on a statewide file
    the figures came a second later when the pages were built meanwhile, so the pages wait
    for them, for at most a head start (a page asked for is still built at once)."""
    with shown_while_loading(qtbot, ctx) as (window, _release):
        for _turn in range(3):  # what the build timer does on its turns meanwhile
            window._build_next()
        assert [page for page in PageId if window.pages.is_built(page)] == [PageId.DASHBOARD]
        assert window._build_timer.interval() == HEAD_START_POLL_MS  # asks again shortly
        window.pages.get(PageId.ROSTER)  # a page asked for does not wait
        assert window.pages.is_built(PageId.ROSTER)
    qtbot.waitUntil(lambda: len(window.pages.built()) == len(window.pages))
    settle()


def test_the_pages_wait_only_for_the_loads_running_when_they_were_due(
    qtbot: Any, ctx: AppContext, monkeypatch: Any
) -> None:
    """A file that kept no figures works out the whole department after its first read (most
    of a minute on a statewide file): the pages do not wait for that, which they would only
    compete with later, cell by cell, for the interpreter."""
    monkeypatch.setattr(mainwindow, "FIRST_PAGE_HEAD_START_S", 3600.0)
    later = Event()
    try:
        with shown_while_loading(qtbot, ctx) as (window, first):
            window._build_next()  # the pages' first turn: they wait for the load running then
            assert [page for page in PageId if window.pages.is_built(page)] == [PageId.DASHBOARD]
            workers.run_task(lambda _control: later.wait(60), owner=window)  # the first's next
            first.set()
            qtbot.waitUntil(lambda: len(window.pages.built()) == len(window.pages))
            assert workers.pending()  # built while the later load still ran
    finally:
        later.set()
    settle()


def test_the_head_start_ends_even_when_the_first_page_is_still_loading(
    qtbot: Any, ctx: AppContext, monkeypatch: Any
) -> None:
    """A cold statewide file takes most of a minute for its figures: the pages do not wait
    that long, so that their menu actions are in place soon after the window appears."""
    monkeypatch.setattr(mainwindow, "FIRST_PAGE_HEAD_START_S", 0.0)
    with shown_while_loading(qtbot, ctx) as (window, _release):
        qtbot.waitUntil(lambda: len(window.pages.built()) == len(window.pages))
    settle()


def test_a_menu_action_of_a_page_not_built_yet_still_runs(
    qtbot: Any, ctx: AppContext, monkeypatch: Any
) -> None:
    from deesc_desktop.gui.features.cit.page import CitPage

    marked: list[bool] = []
    monkeypatch.setattr(CitPage, "mark_course", lambda self: marked.append(True))
    window = MainWindow(ctx, persist_settings=False, auto_backup=False)
    qtbot.addWidget(window)
    assert not window.pages.is_built(PageId.CIT)
    window.registry[ActionId.MARK_CIT_COURSE].trigger()
    assert marked == [True] and window.pages.is_built(PageId.CIT)
    window.registry[ActionId.MARK_CIT_COURSE].trigger()
    assert marked == [True, True]
    settle()


def test_the_dashboard_has_every_feature_card_without_their_pages() -> None:
    from deesc_desktop.gui.features.dashboard import cards
    from deesc_desktop.gui.pages import dashboard_cards, load

    factories = {load(card.factory) for card in dashboard_cards()}
    assert {
        cards.ComplianceStatusCard,
        cards.DueSoonCard,
        cards.ComplianceChartCard,
        cards.CitCoverageCard,
        cards.BudgetCard,
    } == factories


PROBE = """
import json, os, sys, threading
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

{before}

def report(value):
    print(json.dumps(value), flush=True)
    os._exit(0)

class FirstShow(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow):
            shown(watched)
        return False

app = QApplication([sys.argv[0]])
probe = FirstShow()
app.installEventFilter(probe)
from deesc_desktop.gui.app import main
main(["--db", sys.argv[1]])
"""
"""Starts the app as `deesc-desktop --db PATH` does; `shown(window)`, called at the main
window's first show event, ends it with `report(value)`."""


def probe(db_path: Path, before: str) -> Any:
    """What the app reports when run with `before` (which defines `shown`) on `db_path`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(before=before), str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


NOT_BEFORE_THE_WINDOW = (
    "reportlab",
    "PySide6.QtCharts",
    "openpyxl",
    "deesc_desktop.reports",
    "deesc_desktop.core.compliance",
    "deesc_desktop.gui.operations",
    "deesc_desktop.gui.features.training_due.reminders",
    "argon2",
    "deesc_desktop.core.bonus",
    "deesc_desktop.core.incidents",
    "deesc_desktop.core.course_files",
)
"""What the first page (the dashboard) does not need to appear: loaded when used (argon2
when a password is checked, the bonus, incident and course-file lists when a schema step
or a page needs them)."""


def test_the_window_shows_before_reports_charts_and_the_compliance_engine_load(
    db: Database, db_path: Path
) -> None:
    loaded = set(probe(db_path, "def shown(window):\n    report(sorted(sys.modules))"))
    assert "deesc_desktop.gui.mainwindow" in loaded
    assert [
        name
        for name in loaded
        if any(name == lazy or name.startswith(f"{lazy}.") for lazy in NOT_BEFORE_THE_WINDOW)
    ] == []


EVERY_PAGE_BUILT = """
def shown(window):
    # As the window does once it has been drawn, all at once.
    QTimer.singleShot(0, lambda: (window.build_all(), report(sorted(sys.modules))))
"""


def test_building_every_page_leaves_reportlab_for_the_first_report(
    db: Database, db_path: Path
) -> None:
    # The pages are built on the window's own thread after it appears; importing ReportLab
    # there held the window still for a fifth of a second at every start.
    loaded = set(probe(db_path, EVERY_PAGE_BUILT))
    assert "deesc_desktop.gui.features.reports.page" in loaded
    assert sorted(name for name in loaded if name.split(".")[0] == "reportlab") == []
    assert "deesc_desktop.reports.base.renderer" not in loaded
    assert "deesc_desktop.reports.catalogue" in loaded  # what the page lists the reports from


IMPORT_THREADS = """
off_the_window_thread = []

class Watch:
    # Notes every module imported off the window's thread, then lets the usual finders find it.
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is not threading.main_thread():
            off_the_window_thread.append(name)
        return None

sys.meta_path.insert(0, Watch())

def shown(window):
    QTimer.singleShot(0, lambda: wait(window))

def wait(window):
    # Every page built, and the start-up reminders' module imported.
    if len(window.pages.built()) < len(window.pages) or REMINDERS not in sys.modules:
        QTimer.singleShot(20, lambda: wait(window))
    else:
        report(off_the_window_thread)
"""


def test_no_qt_class_is_made_off_the_window_thread_and_services_load_there(
    db: Database, db_path: Path
) -> None:
    """The pages built after the window appears: a worker imports what they need from
    outside gui/ (up to a tenth of a second per page, which the window need not stand still
    for); their own modules, which make Qt classes, are imported on the window's thread,
    since a Qt class made on a worker crashed PySide6 at random when the page was built."""
    off_thread = probe(db_path, IMPORT_THREADS.replace("REMINDERS", repr(REMINDERS_MODULE)))
    assert [name for name in off_thread if defines_qt_classes(name)] == []
    # The claims page's services, the start-up reminders' and the compliance engine came from
    # a worker. The reminders' module was imported here once the window was drawn, and with it
    # the engine at times before a page's worker got to it (1 run in 5 of the GUI tests).
    assert "deesc_desktop.services.claim_workflow" in off_thread
    assert "deesc_desktop.services.reminders" in off_thread
    assert "deesc_desktop.core.compliance.engine" in off_thread


def test_a_page_needs_from_outside_gui_what_its_sources_import() -> None:
    """Found by reading the sources: the page's own imports and its gui modules' imports."""
    needed = qt_free_dependencies("deesc_desktop.gui.features.course_files.page")
    assert "deesc_desktop.services.course_files" in needed
    assert [name for name in needed if defines_qt_classes(name)] == []
    assert "deesc_desktop.reports.base.renderer" not in needed  # imported in a function


def test_preparing_refuses_a_module_outside_gui(qtbot: Any, ctx: AppContext) -> None:
    window = MainWindow(ctx, persist_settings=False, auto_backup=False)
    qtbot.addWidget(window)
    with pytest.raises(ValueError, match="only gui/ modules are prepared"):
        workers.prepare_then("deesc_desktop.services.roster", owner=window, then=lambda: None)


def test_a_page_import_that_ends_after_the_window_closed_builds_nothing(
    qtbot: Any, ctx: AppContext
) -> None:
    """A page's module is imported on a worker; when it arrives after the window was closed
    (and its database perhaps closed too), the page must not be built: building it reads the
    database, which failed at random in CI once the test's database was closed."""
    window = MainWindow(ctx, persist_settings=False, auto_backup=False)
    qtbot.addWidget(window)
    window.close()
    built = window.pages.built()
    # What the build timer does on its turn when a page's module is not imported yet.
    window._prepare_then_build(PageId.REPORTS)
    settle()
    assert not window._build_timer.isActive()  # the import's arrival started no next build
    window._build_next()  # as a timer started before the close would
    assert window.pages.built() == built
