"""Users who may sign in: their rows, with the password hash kept out of the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.audit import AuditWriter, password_digest
from deesc_desktop.store.rows import Key, insert_row, row_dict, update_row


def user_snapshot(db: Database, user_id: Key) -> dict[str, Any] | None:
    """A user as the audit log keeps it: a digest of the password hash, never the hash."""
    row = row_dict(db, "users", user_id)
    if row is None:
        return None
    return {**row, "password_hash": password_digest(row["password_hash"])}


def users_exist(db: Database) -> bool:
    """True once the agency has created its first user."""
    return db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None


def user_by_name(db: Database, username: str) -> dict[str, Any] | None:
    """One user's row (password hash included, for checking a sign-in), or None."""
    cursor = db.execute("SELECT * FROM users WHERE username = ?", [username])
    found = cursor.fetchone()
    if found is None:
        return None
    return dict(zip([c[0] for c in cursor.description], found, strict=True))


def user_full_name(db: Database, username: str) -> str:
    """A user's full name as entered ("" for none, or for a user not in the table)."""
    row = db.execute("SELECT full_name FROM users WHERE username = ?", [username]).fetchone()
    return str(row[0]).strip() if row else ""


def other_active_admins(db: Database, user_id: int) -> int:
    """How many active administrators there are besides this user."""
    return int(
        db.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id != ?",
            [user_id],
        ).fetchone()[0]
    )


def list_users(db: Database) -> list[dict[str, Any]]:
    """Every user by name, without password hashes."""
    return [
        {k: v for k, v in row.items() if k != "password_hash"}
        for row in db.query("SELECT * FROM users ORDER BY username COLLATE NOCASE")
    ]


def insert_user(audit: AuditWriter, values: Mapping[str, Any]) -> int:
    """Add a user (their password already hashed) and audit it without the hash."""
    return insert_row(audit, "users", values, snapshot=user_snapshot)


def update_user(
    audit: AuditWriter, user_id: int, changes: Mapping[str, Any], *, reason: str = ""
) -> None:
    """Change a user's row, counting a version, audited without the hash."""
    update_row(audit, "users", user_id, changes, snapshot=user_snapshot, reason=reason)
