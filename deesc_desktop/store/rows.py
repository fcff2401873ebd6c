"""The one row writer: insert, update or delete a row of a table the app owns, with its audit
entry in the same transaction, and a row read back whole as the log records it.

Table names are a closed set (`Table`), so a name built into SQL here is always one of the
app's own; every other statement of the store names its table in its own text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from sqlite_utils import Database

from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.audit_format import INT64_LIMIT

Table = Literal[
    "agency",
    "attachments",
    "award_changes",
    "bonus_programs",
    "certifications",
    "cit_team",
    "claim_adjustments",
    "claims",
    "classes",
    "courses",
    "exemptions",
    "followup_assessments",
    "funding_sources",
    "imports",
    "incidents",
    "instructor_certifications",
    "instructors",
    "officers",
    "payment_batches",
    "requirements",
    "training_records",
    "users",
]
"""The tables whose rows are written one at a time through this module."""

Named = Literal["bonus_programs", "funding_sources", "payment_batches"]
"""Tables whose rows users name, each name unique case aside."""

NAME_COLUMNS: dict[Named, str] = {
    "bonus_programs": "name",
    "funding_sources": "name",
    "payment_batches": "reference",
}
"""The column holding each named table's name."""

Key = int | str
"""A row's id: a number, or the text id of a requirement."""

Snapshot = Callable[[Database, Key], dict[str, Any] | None]
"""How a table's row reads as the audit log keeps it (a parent with its children, a user
without the password hash); `row_dict` for most tables."""


def row_dict(db: Database, table: Table, key: Key) -> dict[str, Any] | None:
    """One row as a dict, or None."""
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [key])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def stored_date(text: str | None) -> date | None:
    """A date column's ISO text as a date; None for NULL (or "")."""
    return date.fromisoformat(text) if text else None


def in_clause(column: str, values: Sequence[object]) -> str:
    """`column IN (?, ?, ...)` with one mark per value, for the values passed as parameters."""
    return f"{column} IN ({', '.join('?' for _ in values)})"


def row_number(text: str) -> int | None:
    """`text` as a row number ("12"), or None when it is not one: not plain digits 0-9, or
    past what SQLite stores (a larger number names no row, and SQLite refuses it)."""
    text = text.strip()
    if not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if number < INT64_LIMIT else None


def id_by_name(db: Database, table: Named, text: str) -> int | None:
    """A named row's id, found by its name (case aside) or by its id written as text."""
    text = text.strip()
    row = db.execute(
        f"SELECT id FROM [{table}] WHERE [{NAME_COLUMNS[table]}] = ?", [text]
    ).fetchone()
    if row is None and (number := row_number(text)) is not None:
        row = db.execute(f"SELECT id FROM [{table}] WHERE id = ?", [number]).fetchone()
    return int(row[0]) if row else None


def name_taken(db: Database, table: Named, name: str, *, other_than: int = 0) -> bool:
    """Whether another row of the table (not `other_than`) has this name, case aside."""
    row = db.execute(
        f"SELECT 1 FROM [{table}] WHERE [{NAME_COLUMNS[table]}] = ? COLLATE NOCASE AND id != ?",
        [name, other_than],
    ).fetchone()
    return row is not None


def _snapshot_of(table: Table, snapshot: Snapshot | None) -> Snapshot:
    if snapshot is not None:
        return snapshot
    return lambda db, key: row_dict(db, table, key)


def add_row(db: Database, table: Table, values: Mapping[str, Any]) -> int:
    """Insert one row without an audit entry, returning its row number: for the caller that
    audits the row itself, once its children are written too."""
    columns = ", ".join(f"[{name}]" for name in values)
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(
        f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(values.values())
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def insert_row(
    audit: AuditWriter,
    table: Table,
    values: Mapping[str, Any],
    *,
    snapshot: Snapshot | None = None,
    reason: str = "",
) -> int:
    """Insert one row and audit it, returning its row number."""
    row_id = add_row(audit.db, table, values)
    # A table keyed by text (requirements) is logged under its key, not its row number.
    key = values.get("id", row_id)
    after = _snapshot_of(table, snapshot)(audit.db, key)
    audit.record("insert", table, key, after=after, reason=reason)
    return row_id


def version_stamp(audit: AuditWriter, before: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a versioned row changes on every edit: its next version, when and who."""
    return {
        "version": before["version"] + 1,
        "updated_at": audit.at,
        "updated_by": audit.username,
    }


def set_columns(db: Database, table: Table, key: Key, changes: Mapping[str, Any]) -> None:
    """Apply `changes` to one row, unaudited: for a caller that audits the whole change."""
    assignments = ", ".join(f"[{name}] = ?" for name in changes)
    db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*changes.values(), key])


def update_row(
    audit: AuditWriter,
    table: Table,
    key: Key,
    changes: Mapping[str, Any],
    *,
    before: Mapping[str, Any] | None = None,
    versioned: bool = True,
    snapshot: Snapshot | None = None,
    reason: str = "",
) -> bool:
    """Apply `changes` to one row and audit before and after; False when nothing changed.

    A versioned row (a `version`, `updated_at` and `updated_by` column) counts the edit;
    `before` is the row as `snapshot` reads it, when the caller has it already.
    """
    read = _snapshot_of(table, snapshot)
    if before is None:
        before = read(audit.db, key)
        assert before is not None, f"{table} {key} must exist"
    stamped = {**changes, **version_stamp(audit, before)} if versioned else dict(changes)
    set_columns(audit.db, table, key, stamped)
    after = read(audit.db, key)
    assert after is not None
    return audit.changed(table, key, before, after, reason=reason)


def delete_row(
    audit: AuditWriter,
    table: Table,
    key: Key,
    *,
    before: Mapping[str, Any],
    reason: str = "",
) -> None:
    """Delete one row and audit what it held (`before`, as its snapshot reads it)."""
    audit.db.execute(f"DELETE FROM [{table}] WHERE id = ?", [key])
    audit.record("delete", table, key, before=before, reason=reason)
