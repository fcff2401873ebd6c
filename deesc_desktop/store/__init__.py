"""SQLite storage through sqlite-utils: opening the file, migrations, audit log and queries."""

from deesc_desktop.store.database import (
    DatabaseError,
    NewerDatabaseError,
    NotADeescDatabaseError,
    open_database,
)

__all__ = ["DatabaseError", "NewerDatabaseError", "NotADeescDatabaseError", "open_database"]
