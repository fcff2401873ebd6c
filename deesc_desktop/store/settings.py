"""Agency settings: the `settings` table's key and value pairs."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database


def read_settings(db: Database, keys: Iterable[str]) -> dict[str, str]:
    """The stored text of those settings that exist."""
    wanted = list(keys)
    marks = ", ".join("?" for _ in wanted)
    return dict(
        db.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})", wanted).fetchall()
    )


def whole_number(text: str | None, default: int) -> int:
    """A stored whole number, or `default` when it is absent or unreadable: a hand-edited file
    must not stop the app, and the default is safe."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
