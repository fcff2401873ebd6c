"""Schema step m017: the CHECKs of the rows written one per record, rewritten as comparisons."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sqlite_utils import Database

from deesc_desktop.core.topics import DELIVERIES
from deesc_desktop.store.migrations.common import in_list


def one_of(column: str, values: Iterable[str | int]) -> str:
    """`column IN (values)` as SQLite can test it per row: comparisons joined by OR.

    SQLite (3.40 here) builds a small table for an IN list each time a statement runs, and
    a bulk write runs its INSERT once per row: about 1.7 us a row for each such CHECK, a
    tenth of an import of 100,000 records. The OR form means the same for every value,
    NULL included (neither form refuses it; the columns are NOT NULL anyway)."""
    return " OR ".join(
        f"{column} = '{value}'" if isinstance(value, str) else f"{column} = {value}"
        for value in values
    )


REWRITES = {
    "training_records": (
        f"CHECK (delivery IN ({in_list(DELIVERIES)}))",
        f"CHECK ({one_of('delivery', DELIVERIES)})",
    ),
    "audit_entries": (
        "CHECK (action IN (0, 1, 2))",
        f"CHECK ({one_of('action', [0, 1, 2])})",
    ),
}
"""Per table, its CHECK as m001 or m013 wrote it and the same test as comparisons."""


def m017_checks_as_comparisons(db: Database) -> None:
    """Rewrite the IN-list CHECKs of the training records and the audit log, the two tables
    every imported or recorded class adds a row to, as comparisons (`one_of`).

    Only the text of each table's definition changes, through SQLite's documented way to
    change a constraint that every stored row already meets (PRAGMA writable_schema, then a
    new schema version); no row is copied. A definition changed outside the app, where the
    old text is not found, is left for `deesc check` to name."""
    (version,) = db.execute("PRAGMA schema_version").fetchone()
    db.execute("PRAGMA writable_schema = ON")
    db.execute("SAVEPOINT m017")
    try:
        for table, (old, new) in REWRITES.items():
            db.execute(
                "UPDATE sqlite_master SET sql = replace(sql, ?, ?)"
                " WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0",
                [old, new, table, old],
            )
        db.execute(f"PRAGMA schema_version = {int(version) + 1}")
    except sqlite3.DatabaseError:
        # An SQLite built to refuse schema edits (defensive mode) keeps the IN lists: the
        # same constraints, only slower; a fresh file there is made the same way, so the
        # schema check still agrees.
        db.execute("ROLLBACK TO m017")
    finally:
        db.execute("RELEASE m017")
        db.execute("PRAGMA writable_schema = OFF")
