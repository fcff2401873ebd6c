"""What every page and dialog of one open database shares: the connection, the user, the bus."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.models import Agency
from deesc_desktop.gui.settings import Settings
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


class DataBus(QObject):
    """Tells the open pages what changed after a write, so only they reload."""

    changed = Signal(object)  # frozenset[str] of the names above

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

    def agency(self) -> Agency | None:
        return get_agency(self.db)

    def can(self, permission: Permission) -> bool:
        """True when the working user's role allows it (the services check again)."""
        return self.actor.can(permission)
