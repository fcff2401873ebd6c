"""What every page and dialog of one open database shares: the connection, the user, the bus."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.models import Agency
from deesc_desktop.gui.settings import Settings
from deesc_desktop.store.queries import get_agency

# Names of what changed, as pages subscribe to them (they are the tables written).
AGENCY = "agency"
OFFICERS = "officers"
TRAINING = "training_records"
COURSES = "courses"
EXEMPTIONS = "exemptions"
IMPORTS = "imports"
EVERYTHING = frozenset({AGENCY, OFFICERS, TRAINING, COURSES, EXEMPTIONS, IMPORTS})


class DataBus(QObject):
    """Tells the open pages what changed after a write, so only they reload."""

    changed = Signal(object)  # frozenset[str] of the names above

    def notify(self, *names: str) -> None:
        self.changed.emit(frozenset(names))


def desktop_actor() -> Actor:
    """Until sign-in exists, the GUI acts as the administrator under the OS account's name."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):
        name = "user"
    return Actor(name, Role.ADMIN)


@dataclass
class AppContext:
    """One open database and who is working on it.

    `db` belongs to the GUI thread; work on a worker thread opens its own connection to
    `db_path` (see workers.with_database).
    """

    db: Database
    db_path: Path
    actor: Actor
    settings: Settings = field(default_factory=Settings)
    bus: DataBus = field(default_factory=DataBus)
    demo: bool = False

    def agency(self) -> Agency | None:
        return get_agency(self.db)
