"""What every service shares: field cleaning, audited insert/update/delete of one row, and a
pause of the cycle collector for bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.dates import parse_date
from deesc_desktop.core.times import utc_stamp
from deesc_desktop.services.errors import ConflictError, NotFoundError
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.queries import row_dict


class FieldErrors(dict[str, str]):
    """Collects one reason per field while a form is checked."""

    def text(self, values: Mapping[str, object], field: str, *, required: bool = False) -> str:
        raw = values.get(field)
        value = "" if raw is None else str(raw).strip()
        if required and not value:
            self[field] = "is required"
        return value

    def date(
        self, values: Mapping[str, object], field: str, *, required: bool = False
    ) -> date | None:
        raw = values.get(field)
        if isinstance(raw, date):
            return raw
        text = "" if raw is None else str(raw).strip()
        if not text:
            if required:
                self[field] = "is required"
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            self[field] = str(exc)
            return None


def insert_row(audit: AuditWriter, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row and audit it, returning its id."""
    db = audit.db
    columns = ", ".join(f"[{name}]" for name in values)
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(
        f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(values.values())
    )
    row_id = cursor.lastrowid
    assert row_id is not None
    # A table keyed by text (requirements) is logged under its key, not its row number.
    key = values.get("id", row_id)
    audit.record("insert", table, key, after=row_dict(db, table, key))
    return row_id


def fetch_for_update(
    db: Database, table: str, row_id: int, noun: str, expected_version: int | None
) -> dict[str, Any]:
    """The row about to change, refusing a missing row or one changed since it was loaded."""
    before = row_dict(db, table, row_id)
    if before is None:
        raise NotFoundError(f"That {noun} no longer exists (id {row_id}).")
    if expected_version is not None and before.get("version") != expected_version:
        raise ConflictError(
            f"This {noun} was changed by {before.get('updated_by', 'someone')} at "
            f"{before.get('updated_at', 'an unknown time')} after you opened it. "
            "Reload it to see their change, then make yours again."
        )
    return before


def update_row(
    audit: AuditWriter,
    table: str,
    row_id: int,
    changes: Mapping[str, Any],
    *,
    noun: str,
    expected_version: int | None = None,
    reason: str = "",
) -> bool:
    """Apply `changes` to one versioned row and audit before/after; False when nothing changed."""
    db = audit.db
    before = fetch_for_update(db, table, row_id, noun, expected_version)
    changes = {k: v for k, v in changes.items() if before.get(k) != v}
    if not changes:
        return False
    stamped = {
        **changes,
        "version": before["version"] + 1,
        "updated_at": audit.at,
        "updated_by": audit.username,
    }
    assignments = ", ".join(f"[{name}] = ?" for name in stamped)
    db.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*stamped.values(), row_id])
    after = row_dict(db, table, row_id)
    assert after is not None
    audit.record("update", table, row_id, before=before, after=after, reason=reason)
    return True


def audit_writer(db: Database, username: str, now: datetime | None = None) -> AuditWriter:
    """The audit writer of a change made now, or at `now` when the caller fixes the clock (the
    demo's history, tests of dated rules)."""
    return AuditWriter(db, username, at=utc_stamp(now) if now is not None else None)


def stamp(audit: AuditWriter) -> dict[str, str]:
    """created/updated columns for a new versioned row."""
    return {"created_at": audit.at, "updated_at": audit.at, "updated_by": audit.username}


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Switch Python's cycle collector off for the block, and back as it was after it.

    Bulk work (a statewide compliance run, a 100,000-row import) keeps hundreds of thousands
    of small objects alive until it ends; the collector's repeated passes over them free
    nothing and cost an eighth to a half of the time. Nothing such work builds forms a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
