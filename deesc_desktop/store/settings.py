"""Agency settings: the `settings` table's key and value pairs, read and written audited."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.rows import in_clause


def read_settings(db: Database, keys: Iterable[str]) -> dict[str, str]:
    """The stored text of those settings that exist."""
    wanted = list(keys)
    return dict(
        db.execute(
            f"SELECT key, value FROM settings WHERE {in_clause('key', wanted)}", wanted
        ).fetchall()
    )


def setting(db: Database, key: str) -> str | None:
    """One setting's stored text, or None when it was never set."""
    return read_settings(db, [key]).get(key)


def settings_starting(db: Database, prefix: str) -> dict[str, str]:
    """Every setting whose key starts with `prefix`."""
    return dict(
        db.execute("SELECT key, value FROM settings WHERE key LIKE ?", [f"{prefix}%"]).fetchall()
    )


def put_setting(audit: AuditWriter, key: str, value: str, *, reason: str = "") -> bool:
    """Store one setting and audit the change; False when it already had that value."""
    before = setting(audit.db, key)
    if before == value:
        return False
    audit.db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    audit.record(
        "insert" if before is None else "update",
        "settings",
        key,
        before=None if before is None else {"key": key, "value": before},
        after={"key": key, "value": value},
        reason=reason,
    )
    return True


def whole_number(text: str | None, default: int) -> int:
    """A stored whole number, or `default` when it is absent or unreadable: a hand-edited file
    must not stop the app, and the default is safe."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
