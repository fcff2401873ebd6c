"""What every page and dialog of one open database shares: the connection, the user, the bus."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.models import Agency
from deesc_desktop.gui import workers
from deesc_desktop.gui.settings import Settings
from deesc_desktop.services.changes import ChangeTracker
from deesc_desktop.store.agency import get_agency

# Names of what changed, as pages subscribe to them (mostly the tables written).
AGENCY = "agency"
OFFICERS = "officers"
TRAINING = "training_records"
COURSES = "courses"
EXEMPTIONS = "exemptions"
IMPORTS = "imports"
USERS = "users"
CERTIFICATIONS = "certifications"
CLAIMS = "claims"
PROGRAMS = "bonus_programs"
FUNDING = "funding_sources"
REQUIREMENTS = "requirements"
CLASS_FILES = "classes"
"""Classes kept, their expected officers and documents attached to anything."""
INSTRUCTORS = "instructors"
INCIDENTS = "incidents"
EVERYTHING = frozenset(
    {
        AGENCY,
        OFFICERS,
        TRAINING,
        COURSES,
        EXEMPTIONS,
        IMPORTS,
        USERS,
        CERTIFICATIONS,
        CLAIMS,
        PROGRAMS,
        FUNDING,
        REQUIREMENTS,
        CLASS_FILES,
        INSTRUCTORS,
        INCIDENTS,
    }
)
COMPLIANCE_INPUTS = frozenset(
    {AGENCY, OFFICERS, TRAINING, COURSES, EXEMPTIONS, IMPORTS, CERTIFICATIONS, REQUIREMENTS}
)
"""Everything a compliance result is worked out from."""


NAMES_OF_TABLES: dict[str, frozenset[str]] = {
    "agency": frozenset({AGENCY}),
    "settings": frozenset({AGENCY}),
    "officers": frozenset({OFFICERS}),
    "training_records": frozenset({TRAINING}),
    "courses": frozenset({COURSES}),
    "topics": frozenset({COURSES}),
    "exemptions": frozenset({EXEMPTIONS}),
    "imports": frozenset({IMPORTS}),
    "users": frozenset({USERS}),
    "certifications": frozenset({CERTIFICATIONS}),
    "cit_team": frozenset({CERTIFICATIONS}),
    "followup_assessments": frozenset({CERTIFICATIONS}),
    "claims": frozenset({CLAIMS}),
    "claim_adjustments": frozenset({CLAIMS}),
    # A payment batch spends funding as well as paying claims.
    "payment_batches": frozenset({CLAIMS, FUNDING}),
    "bonus_programs": frozenset({PROGRAMS}),
    "funding_sources": frozenset({FUNDING}),
    "award_changes": frozenset({FUNDING}),
    "requirements": frozenset({REQUIREMENTS}),
    "classes": frozenset({CLASS_FILES}),
    "attachments": frozenset({CLASS_FILES}),
    "instructors": frozenset({INSTRUCTORS}),
    "instructor_certifications": frozenset({INSTRUCTORS}),
    "incidents": frozenset({INCIDENTS}),
}
"""What the pages watch, by the table the audit log names; a table not listed here changes
EVERYTHING, so a new table is never missed."""


def names_of_tables(tables: frozenset[str]) -> frozenset[str]:
    """The names pages watch that a write to these tables changes."""
    names: set[str] = set()
    for table in tables:
        names |= NAMES_OF_TABLES.get(table, EVERYTHING)
    return frozenset(names)


class DataBus(QObject):
    """Tells the open pages what changed, as the audit log tells it, so only they reload.

    `check()` reads the log since it last looked. It runs after every transaction the GUI's
    connection commits, after every worker task (which writes on a connection of its own) and
    when the application becomes active again (another copy of the app, on this PC or
    another, or the `deesc` command may have written meanwhile).
    """

    changed = Signal(object)  # frozenset[str] of the names above

    def __init__(self) -> None:
        super().__init__()
        self._tracker: ChangeTracker | None = None

    def follow(self, db: Database) -> None:
        """Follow this database's audit log from now on."""
        self._tracker = ChangeTracker(db)
        self._tracker.on_commit(self.check)
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            application.applicationStateChanged.connect(self._application_state)
            workers.task_done().connect(self.check)

    def _stop(self) -> None:
        self._tracker = None
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            application.applicationStateChanged.disconnect(self._application_state)
            workers.task_done().disconnect(self.check)

    @Slot()
    def check(self) -> None:
        if self._tracker is None:
            return
        if not self._tracker.following():
            self._stop()  # its database was closed: another one is open now, or none
            return
        tables = self._tracker.take()
        if tables is None:
            self.changed.emit(EVERYTHING)
        elif tables:
            self.changed.emit(names_of_tables(tables))

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()

    def notify(self, *names: str) -> None:
        self.changed.emit(frozenset(names))


class Navigator(QObject):
    """Lets a card or dialog ask the main window to show a page, set up a certain way.

    `requested` carries the page id's value and keyword options the page's `navigate()`
    understands (e.g. the compliance page's `status`), so cards need no window reference.
    """

    requested = Signal(str, object)

    def show(self, page: str, **options: Any) -> None:
        self.requested.emit(page, options)


@dataclass
class AppContext:
    """One open database and who is working on it.

    `db` belongs to the GUI thread; work on a worker thread opens its own connection to
    `db_path` (see workers.with_database). `actor` is the signed-in user, or the unattended
    actor services.users gives when the agency has no users yet or has switched sign-in off.
    """

    db: Database
    db_path: Path
    actor: Actor
    settings: Settings = field(default_factory=Settings)
    bus: DataBus = field(default_factory=DataBus)
    demo: bool = False
    nav: Navigator = field(default_factory=Navigator)

    def __post_init__(self) -> None:
        self.bus.follow(self.db)

    def agency(self) -> Agency | None:
        return get_agency(self.db)

    def can(self, permission: Permission) -> bool:
        """True when the working user's role allows it (the services check again)."""
        return self.actor.can(permission)
