"""GUI test fixtures: settings in a temp folder, scripted prompts and dialogs, a main window."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.preload import defines_qt_classes
from deesc_desktop.gui.screenshots import OFFSCREEN_NOISE
from deesc_desktop.gui.settings import Settings
from deesc_desktop.services import users as users_service
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.users import add_user, create_first_admin
from tests.gui.helpers import Prompts, settle

GUI_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Known noise: Qt's offscreen platform warns about size hints for every window it shows.
    # It says nothing about our code, and every other Qt warning still fails the test.
    for item in items:
        if GUI_DIR in Path(str(item.fspath)).parents:
            item.add_marker(
                pytest.mark.qt_log_ignore(OFFSCREEN_NOISE.replace("(", r"\(").replace(")", r"\)"))
            )


class _QtImportsOffTheWindowThread:
    """An import finder that notes each module able to make Qt classes that is first imported
    off the main thread (gui/preload.py says why that must not happen), then lets the usual
    finders find it."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if defines_qt_classes(name) and threading.current_thread() is not threading.main_thread():
            self.seen.append(f"{name} (on {threading.current_thread().name})")


_OFF_THREAD_QT_IMPORTS = _QtImportsOffTheWindowThread()
sys.meta_path.insert(0, _OFF_THREAD_QT_IMPORTS)


@pytest.fixture(autouse=True)
def _gui_isolation(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    """Settings go to a temp folder; the app looks as it does for users; no task outlives a
    test; and no task imported a module that makes Qt classes."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qt"))
    style.apply(qapp)
    _OFF_THREAD_QT_IMPORTS.seen.clear()
    yield
    workers.wait_idle(30)
    workers.wait_for_threads(30)
    assert _OFF_THREAD_QT_IMPORTS.seen == [], "Qt classes must be made on the window's thread"


@pytest.fixture
def say(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    """Replace every blocking prompt with a scripted one."""
    log = Prompts()

    def recorder(kind: str) -> Callable[..., None]:
        def record(_parent: object, title: str, text: str, details: str = "") -> None:
            log.messages.append((kind, title, text))

        return record

    def confirm(_parent: object, title: str, text: str, *, ok_text: str = "OK") -> bool:
        log.messages.append(("confirm", title, text))
        return log.confirm_answer

    def ask_reason(_parent: object, title: str, text: str, **_kw: object) -> str | None:
        log.messages.append(("reason", title, text))
        return log.reason

    def offer_reload(_parent: object, text: str) -> bool:
        log.messages.append(("reload", "Changed by someone else", text))
        return log.reload

    monkeypatch.setattr(prompts, "inform", recorder("inform"))
    monkeypatch.setattr(prompts, "warn", recorder("warn"))
    monkeypatch.setattr(prompts, "error", recorder("error"))
    monkeypatch.setattr(
        prompts, "about", lambda _p, title, text: log.messages.append(("about", title, text))
    )
    monkeypatch.setattr(prompts, "confirm", confirm)
    monkeypatch.setattr(prompts, "ask_reason", ask_reason)
    monkeypatch.setattr(prompts, "offer_reload", offer_reload)
    monkeypatch.setattr(prompts, "open_file", lambda *_a: log.open_path)
    monkeypatch.setattr(prompts, "save_file", lambda *_a: log.save_path)
    monkeypatch.setattr(prompts, "open_url", lambda url: log.urls.append(url.toString()) or True)
    monkeypatch.setattr(prompts, "run_dialog", log.dialogs.run)
    return log


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def ctx(db: Database, db_path: Path, admin: Actor, settings: Settings) -> AppContext:
    return AppContext(db, db_path, admin, settings=settings)


OFFICERS = [
    ("101", "Alvarez", "Maria", "Officer", "Patrol", "Days"),
    ("102", "Brown", "James", "Sergeant", "Patrol", "Nights"),
    ("103", "Chen", "Li", "Officer", "Patrol", "Days"),
    ("104", "Dubois", "Anne", "Detective", "Investigations", "Days"),
    ("105", "Evans", "Tom", "Officer", "Patrol", "Nights"),
]


@pytest.fixture
def officers(db: Database, admin: Actor) -> dict[str, int]:
    """Five officers on two shifts and two units; badge -> id."""
    ids = {}
    for badge, last, first, rank, unit, shift in OFFICERS:
        ids[badge] = add_officer(
            db,
            admin,
            {
                "badge": badge,
                "last_name": last,
                "first_name": first,
                "rank": rank,
                "unit": unit,
                "shift": shift,
                "hire_date": "2015-03-01",
            },
        )
    return ids


@pytest.fixture
def window(qtbot: Any, ctx: AppContext, say: Prompts) -> Iterator[MainWindow]:
    # Automatic backups have their own tests; here they would only slow every teardown.
    win = MainWindow(ctx, persist_settings=False, auto_backup=False)
    qtbot.addWidget(win)
    win.show()
    settle()
    yield win
    win.close()


PASSWORD = "correct horse"
USERS = {
    "sgt.delgado": Role.TRAINING_OFFICER,
    "chief.harmon": Role.CHIEF,
    "fin.ruiz": Role.FINANCE,
    "viewer.ann": Role.VIEWER,
}


@pytest.fixture
def users(db: Database, monkeypatch: pytest.MonkeyPatch) -> dict[str, Actor]:
    """An administrator and one user of every other role, all with PASSWORD; name -> Actor."""
    # argon2 at its real cost takes half a second a hash; these tests are about the GUI.
    monkeypatch.setattr(
        users_service, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    admin = create_first_admin(db, "admin.lee", PASSWORD, "Lee Admin")
    actors = {admin.username: admin}
    for name, role in USERS.items():
        add_user(db, admin, {"username": name, "role": role.value}, PASSWORD)
        actors[name] = Actor(name, role)
    return actors


@pytest.fixture
def window_as(
    qtbot: Any, db: Database, db_path: Path, settings: Settings, say: Prompts
) -> Callable[[Actor], MainWindow]:
    """Open a main window on the test database working as the given user."""

    def make(actor: Actor) -> MainWindow:
        win = MainWindow(
            AppContext(db, db_path, actor, settings=settings),
            persist_settings=False,
            auto_backup=False,
        )
        qtbot.addWidget(win)
        win.show()
        settle()
        return win

    return make
