"""Reads of the audit log for the audit page, an officer's history and restoring a version.

They stay here, apart from store/audit.py, while the log's storage format is rewritten (issue
18); then they join the writer and the chain there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlite_utils import Database


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


_AUDIT_COLUMNS = (
    "a.id, a.at, a.username, a.action, a.table_name, a.row_id, a.before, a.after, a.reason"
)


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
    return AuditPage(list(map(AuditRow._make, cursor)), total)


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


OFFICER_CHILD_TABLES = ("training_records", "exemptions", "certifications")
"""Tables whose rows belong to one officer (an officer_id column), shown in their history."""


def officer_history(db: Database, officer_id: int) -> list[AuditRow]:
    """The officer's own audit entries and those of their training records, leave and
    certificates (still existing, or deleted: matched by the officer_id they held), newest first.
    """
    children = ", ".join("?" for _ in OFFICER_CHILD_TABLES)
    cursor = db.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM audit_log a"
        " WHERE (a.table_name = 'officers' AND a.row_id = ?)"
        f" OR (a.table_name IN ({children}) AND ("
        "   json_extract(a.after, '$.officer_id') = ?"
        "   OR json_extract(a.before, '$.officer_id') = ?"
        "   OR (a.table_name = 'training_records' AND a.row_id IN"
        "     (SELECT CAST(id AS TEXT) FROM training_records WHERE officer_id = ?))"
        "   OR (a.table_name = 'exemptions' AND a.row_id IN"
        "     (SELECT CAST(id AS TEXT) FROM exemptions WHERE officer_id = ?))))"
        " ORDER BY a.id DESC",
        [str(officer_id), *OFFICER_CHILD_TABLES, officer_id, officer_id, officer_id, officer_id],
    )
    return list(map(AuditRow._make, cursor))


def audit_entry(db: Database, entry_id: int) -> AuditRow | None:
    """One audit entry by its number, or None."""
    cursor = db.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit_log a WHERE a.id = ?", [entry_id])
    row = cursor.fetchone()
    return AuditRow._make(row) if row else None


def later_entries(db: Database, table: str, row_id: str, after: int) -> list[AuditRow]:
    """The entries about one row written after entry number `after`, oldest first."""
    cursor = db.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM audit_log a"
        " WHERE a.table_name = ? AND a.row_id = ? AND a.id > ? ORDER BY a.id",
        [table, row_id, after],
    )
    return list(map(AuditRow._make, cursor))
