"""The audit log's latest entries, filtered by table, row or user, with what each changed."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.audit_scan import entry_images


def latest_entries(
    db: Database, *, table: str = "", row_id: str = "", username: str = "", limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` entries, newest first: id, at, username, action, table_name, row_id,
    reason, and the before and after images (None where the action has none)."""
    where, params = [], []
    for column, value in (("table_name", table), ("row_id", row_id), ("username", username)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = "SELECT id, at, username, action, table_name, row_id, reason FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = list(db.query(sql + " ORDER BY id DESC LIMIT ?", [*params, limit]))
    images = entry_images(db, [row["id"] for row in rows])
    for row in rows:
        row["before"], row["after"] = images.get(row["id"], (None, None))
    return rows
