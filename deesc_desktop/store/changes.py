"""What the audit log says was written since a given entry: the tables a screen shows again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from deesc_desktop.store.audit import chain_head
from deesc_desktop.store.audit_format import hash_text


@dataclass(frozen=True, slots=True)
class LogMark:
    """A place in the audit log: how many entries it held, and the hash of the last."""

    entries: int
    hash: str


def log_mark(db: Database) -> LogMark:
    """Where the log ends now."""
    return LogMark(*chain_head(db))


def extends(db: Database, mark: LogMark) -> bool:
    """True when the log still holds the entry `mark` names, unchanged: the file was not
    replaced (a restore) or rebuilt since."""
    if mark.entries == 0:
        return True
    row = db.execute("SELECT hash FROM audit_log WHERE id = ?", [mark.entries]).fetchone()
    return row is not None and hash_text(row[0]) == mark.hash


def tables_written_between(db: Database, after: LogMark, up_to: LogMark) -> frozenset[str]:
    """The tables of the entries appended after `after`, up to and including `up_to`."""
    rows = db.execute(
        "SELECT DISTINCT table_name FROM audit_log WHERE id > ? AND id <= ?",
        [after.entries, up_to.entries],
    ).fetchall()
    return frozenset(row[0] for row in rows)
