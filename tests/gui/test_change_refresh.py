"""Pages show what the audit log says changed: writes through the GUI's connection, a
worker's, or another copy of the app's, with no dialog having to say what it wrote."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.gui import workers
from deesc_desktop.gui.features.roster.page import RosterPage
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.users import add_user
from deesc_desktop.store.database import open_database
from tests.gui.helpers import settle

OKAFOR = {"badge": "200", "last_name": "Okafor", "first_name": "Chidi", "hire_date": "2024-06-03"}


def roster_badges(window: MainWindow) -> list[str]:
    page = window.show_page(PageId.ROSTER)
    settle()
    assert isinstance(page, RosterPage)
    return [page.proxy.row(r).badge for r in range(page.proxy.rowCount())]


def test_a_write_on_the_windows_connection_shows_at_once(
    officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    assert "200" not in roster_badges(window)
    add_officer(window.ctx.db, admin, OKAFOR)  # no dialog, no notification
    settle()
    assert "200" in roster_badges(window)


def test_a_workers_write_shows_when_it_finishes(
    officers: dict[str, int], window: MainWindow, admin: Actor
) -> None:
    assert "200" not in roster_badges(window)
    workers.run_task(
        workers.with_database(window.ctx.db_path, lambda db, _c: add_officer(db, admin, OKAFOR))
    )
    settle()
    assert "200" in roster_badges(window)


def test_another_copys_write_shows_when_the_window_is_active_again(
    officers: dict[str, int], window: MainWindow, admin: Actor
) -> None:
    assert "200" not in roster_badges(window)
    other = open_database(window.ctx.db_path)  # the `deesc` command, or a second PC
    try:
        add_officer(other, admin, OKAFOR)
    finally:
        other.close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    settle()
    assert "200" in roster_badges(window)


def test_only_the_pages_that_show_a_table_reload(
    qtbot: Any, officers: dict[str, int], window: MainWindow, admin: Actor
) -> None:
    window.build_all()
    settle()
    training = window.pages[PageId.TRAINING]
    settings = window.pages[PageId.SETTINGS]
    training.stale = settings.stale = False
    add_user(
        window.ctx.db,
        admin,
        {"username": "sgt.new", "display_name": "Sgt New", "role": Role.TRAINING_OFFICER.value},
        "a long enough passphrase",
    )
    settle()
    assert settings.stale and not training.stale
