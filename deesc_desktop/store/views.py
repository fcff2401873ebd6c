"""Reads of the audit log for the audit page, an officer's history and restoring a version.

Each entry's before and after come from store.audit_scan.entry_images, which reads them back from
the compact log (store/audit_format.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.store.audit_scan import entries_of_row, entry_images, rows_mentioning


class AuditRow(NamedTuple):
    """One audit log entry; before and after are the rows as JSON text (None when absent)."""

    id: int
    at: str
    username: str
    action: str
    table_name: str
    row_id: str
    before: str | None
    after: str | None
    reason: str


_AUDIT_COLUMNS = "a.id, a.at, a.username, a.action, a.table_name, a.row_id, a.reason"


def _with_images(db: Database, entries: Iterable[tuple[Any, ...]]) -> list[AuditRow]:
    """Audit rows from the log's who, when and what (`_AUDIT_COLUMNS`), with their images."""
    listed = list(entries)
    images = entry_images(db, [entry[0] for entry in listed])
    return [_audit_row(entry, images) for entry in listed]


def _audit_row(
    entry: tuple[Any, ...], images: dict[int, tuple[str | None, str | None]]
) -> AuditRow:
    before, after = images.get(entry[0], (None, None))
    entry_id, at, username, action, table_name, row_id, reason = entry
    return AuditRow(entry_id, at, username, action, table_name, row_id, before, after, reason)


@dataclass(frozen=True, slots=True)
class AuditPage:
    """The newest entries matching the filters, and how many match in all."""

    rows: list[AuditRow]
    total: int


def audit_entries(
    db: Database,
    *,
    table: str | None = None,
    username: str | None = None,
    since: date | None = None,
    until: date | None = None,
    text: str = "",
    limit: int = 2000,
) -> AuditPage:
    """Audit entries, newest first, at most `limit`; dates are the entries' (UTC) days.

    `text` is looked for in the row id and the reason.
    """
    where: list[str] = []
    params: list[Any] = []
    if table:
        where.append("a.table_name = ?")
        params.append(table)
    if username:
        where.append("a.username = ?")
        params.append(username)
    if since is not None:
        where.append("a.at >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append("a.at < ?")
        params.append((until + timedelta(days=1)).isoformat())
    if text.strip():
        where.append("(a.row_id LIKE ? ESCAPE '\\' OR a.reason LIKE ? ESCAPE '\\')")
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [pattern + "%", pattern + "%"]
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = db.execute(f"SELECT count(*) FROM audit_log a {clause}", params).fetchone()[0]
    cursor = db.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM audit_log a {clause} ORDER BY a.id DESC LIMIT ?",
        [*params, limit],
    )
    return AuditPage(_with_images(db, cursor), total)


def audit_choices(db: Database) -> tuple[list[str], list[str]]:
    """The tables and the user names that appear in the audit log, for its filters."""
    tables = [r[0] for r in db.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY 1")]
    names = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT username FROM audit_log ORDER BY username COLLATE NOCASE"
        )
    ]
    return tables, names


def money_names(db: Database) -> dict[str, dict[int, str]]:
    """How the log names the funding source, bonus program and payment batch a row points
    at, by the column that holds the number."""
    return {
        "funding_source_id": dict(db.execute("SELECT id, name FROM funding_sources").fetchall()),
        "program_id": dict(db.execute("SELECT id, name FROM bonus_programs").fetchall()),
        "batch_id": dict(db.execute("SELECT id, reference FROM payment_batches").fetchall()),
    }


OFFICER_CHILD_TABLES = ("training_records", "exemptions", "certifications")
"""Tables whose rows belong to one officer (an officer_id column), shown in their history."""


def officer_history(db: Database, officer_id: int) -> list[AuditRow]:
    """The officer's own audit entries and those of their training records, leave and
    certificates (still existing, or deleted: matched by the officer_id they held), newest first.
    """
    current = {
        (table, str(row_id))
        for table in ("training_records", "exemptions")
        for (row_id,) in db.execute(f"SELECT id FROM {table} WHERE officer_id = ?", [officer_id])
    }
    rows = rows_mentioning(db, OFFICER_CHILD_TABLES, officer_id) | current
    rows.add(("officers", str(officer_id)))
    ids = [entry_id for table, row_id in rows for entry_id in entries_of_row(db, table, row_id)]
    images = entry_images(db, ids)

    def officer_of(text: str | None) -> Any:
        try:
            row = json.loads(text) if text else None
        except ValueError:
            return None
        return row.get("officer_id") if isinstance(row, dict) else None

    def belongs(entry: AuditRow) -> bool:
        if entry.table_name == "officers":
            return True
        before, after = images.get(entry.id, (None, None))
        return (
            officer_of(after) == officer_id
            or officer_of(before) == officer_id
            or (entry.table_name, entry.row_id) in current
        )

    shown = [entry for entry in _entries_by_id(db, ids, images) if belongs(entry)]
    return shown[::-1]


def _entries_by_id(
    db: Database,
    ids: list[int],
    images: dict[int, tuple[str | None, str | None]] | None = None,
) -> list[AuditRow]:
    """The entries with these numbers, oldest first, with their images."""
    if images is None:
        images = entry_images(db, ids)
    found: list[AuditRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cursor = db.execute(
            f"SELECT {_AUDIT_COLUMNS} FROM audit_log a"
            f" WHERE a.id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        )
        found.extend(_audit_row(row, images) for row in cursor)
    return sorted(found, key=lambda entry: entry.id)


def audit_entry(db: Database, entry_id: int) -> AuditRow | None:
    """One audit entry by its number, or None."""
    found = _entries_by_id(db, [entry_id])
    return found[0] if found else None


def later_entries(db: Database, table: str, row_id: str, after: int) -> list[AuditRow]:
    """The entries about one row written after entry number `after`, oldest first."""
    return _entries_by_id(db, entries_of_row(db, table, row_id, after))
