"""What every service shares: field cleaning, refusing a stale edit, the audit writer of a
change, and a pause of the cycle collector for bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.dates import out_of_range, parse_date
from deesc_desktop.core.names import control_problem
from deesc_desktop.core.times import utc_stamp
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.rows import (
    NAME_COLUMNS,
    Named,
    Table,
    delete_row,
    id_by_name,
    row_dict,
    update_row,
)


class FieldErrors(dict[str, str]):
    """Collects one reason per field while a form is checked."""

    def text(self, values: Mapping[str, object], field: str, *, required: bool = False) -> str:
        raw = values.get(field)
        value = "" if raw is None else str(raw).strip()
        if required and not value:
            self[field] = "is required"
        elif (problem := control_problem(value)) is not None:
            self[field] = problem
        return value

    def date(
        self, values: Mapping[str, object], field: str, *, required: bool = False
    ) -> date | None:
        raw = values.get(field)
        if isinstance(raw, date):
            if (problem := out_of_range(raw)) is not None:
                self[field] = problem
                return None
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


def clean_reason(reason: str, missing: str) -> str:
    """A reason as given for a change, trimmed; refused with `missing` when blank, and when
    it holds a control character (a NUL would pass a blank check here and fail the table's
    CHECK on the reason later, with no field named)."""
    if not reason.strip():
        raise ValidationError({"reason": missing})
    if (problem := control_problem(reason)) is not None:
        raise ValidationError({"reason": problem})
    return reason.strip()


def fetch_for_update(
    db: Database, table: Table, row_id: int, noun: str, expected_version: int | None
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


def update_checked(
    audit: AuditWriter,
    table: Table,
    row_id: int,
    changes: Mapping[str, Any],
    *,
    noun: str,
    expected_version: int | None = None,
    reason: str = "",
) -> bool:
    """Apply `changes` to one versioned row unless it is gone or was changed since it was
    loaded (`expected_version`); False when nothing changed."""
    before = fetch_for_update(audit.db, table, row_id, noun, expected_version)
    changes = {k: v for k, v in changes.items() if before.get(k) != v}
    if not changes:
        return False
    return update_row(audit, table, row_id, changes, before=before, reason=reason)


def delete_entered_in_error(
    db: Database, username: str, table: Table, row_id: int, *, noun: str, reason: str
) -> None:
    """Delete a row entered in error, with the reason the user gives (required); the audit
    log keeps what the row said. The caller has checked the user may."""
    reason = clean_reason(reason, f"say why the {noun} is being deleted")
    with writing(db):
        before = row_dict(db, table, row_id)
        if before is None:
            raise NotFoundError(f"That {noun} no longer exists (id {row_id}).")
        delete_row(AuditWriter(db, username), table, row_id, before=before, reason=reason.strip())


_NOUNS: dict[Named, str] = {
    "bonus_programs": "bonus program",
    "funding_sources": "funding source",
    "payment_batches": "payment batch",
}


def named_id(db: Database, table: Named, text: str) -> int:
    """The id of the program, funding source or payment batch a user names (or numbers)."""
    found = id_by_name(db, table, text)
    if found is None:
        raise NotFoundError(
            f'There is no {_NOUNS[table]} "{text}" (give its {NAME_COLUMNS[table]} or number).'
        )
    return found


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
