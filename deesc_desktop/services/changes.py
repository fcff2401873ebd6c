"""Which tables changed since a screen last looked, read from the audit log.

Every write the app makes is audited in the same transaction (store/rows.py), so the log is
the one account of what changed: written through this connection, by a worker thread's, by
another copy of the app or by the `deesc` command. A screen follows the log instead of each
dialog saying what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from deesc_desktop.store.changes import LogMark, extends, log_mark, tables_written_between
from deesc_desktop.store.database import after_commit, is_open


class ChangeTracker:
    """Follows one open database's audit log from the moment it is made."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._mark: LogMark = log_mark(db)

    def following(self) -> bool:
        """False once the database has been closed (the window that followed it is gone)."""
        return is_open(self.db)

    def take(self) -> frozenset[str] | None:
        """The tables written since the last call (empty when none); None when the log no
        longer extends from where it was (the file was restored or replaced), so that
        everything must be read again."""
        if not extends(self.db, self._mark):
            self._mark = log_mark(self.db)
            return None
        head = log_mark(self.db)
        if head == self._mark:
            return frozenset()
        tables = tables_written_between(self.db, self._mark, head)
        self._mark = head
        return tables

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each transaction this connection commits (held weakly)."""
        after_commit(self.db, listener)
