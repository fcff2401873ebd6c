"""Leave and exemptions: periods during which an officer's training requirements are waived."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.services.common import (
    FieldErrors,
    delete_entered_in_error,
    stamp,
    update_checked,
)
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError, require
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.leave import exemption_exists
from deesc_desktop.store.rows import insert_row, row_dict


def requirements_text(requirement_ids: Iterable[str]) -> str:
    """How an exemption's targeted requirements are stored: sorted ids joined by commas."""
    return ",".join(sorted({r.strip() for r in requirement_ids if r.strip()}))


WAIVER_FIELDS = ("granted_by", "reference", "granted_on")
"""A waiver or extension: who granted it, its reference and the date. Leave with them
reduces required hours; without them only under the agency's leave proration policy."""


def clean_exemption(values: Mapping[str, object]) -> dict[str, Any]:
    """Check a leave/exemption form: start, end (inclusive), reason, optional requirement ids,
    and for a waiver who granted it, its reference and the date (all three, or none)."""
    errors = FieldErrors()
    start = errors.date(values, "start", required=True)
    end = errors.date(values, "end", required=True)
    reason = errors.text(values, "reason", required=True)
    if start and end and end < start:
        errors["end"] = f"{end.isoformat()} is before the start {start.isoformat()}"
    granted_by = errors.text(values, "granted_by")
    reference = errors.text(values, "reference")
    granted_on = errors.date(values, "granted_on")
    if granted_by or reference or values.get("granted_on"):
        for field, given, what in (
            ("granted_by", granted_by, "who granted the waiver (e.g. the POST board)"),
            ("reference", reference, "the waiver's reference (letter or form number)"),
            ("granted_on", granted_on, "the date the waiver was granted"),
        ):
            if not given and field not in errors:
                errors[field] = f"a waiver needs {what}"
    raw = values.get("requirements") or ()
    if isinstance(raw, str):
        ids = raw.replace(";", ",").split(",")
    elif isinstance(raw, Iterable):
        ids = [str(item) for item in raw]
    else:
        ids = []
    if errors:
        raise ValidationError(errors)
    assert start and end
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "reason": reason,
        "requirements": requirements_text(ids),
        "granted_by": granted_by,
        "reference": reference,
        "granted_on": granted_on.isoformat() if granted_on else None,
    }


def add_exemption(db: Database, actor: Actor, officer_id: int, values: Mapping[str, object]) -> int:
    """Record leave or an exemption for one officer (blanket unless requirements are named)."""
    require(actor, Permission.MANAGE_LEAVE)
    cleaned = clean_exemption(values)
    with writing(db):
        if row_dict(db, "officers", officer_id) is None:
            raise NotFoundError(f"There is no officer with id {officer_id}.")
        if exemption_exists(
            db, officer_id, cleaned["start"], cleaned["end"], cleaned["requirements"]
        ):
            raise ConflictError(
                f"This officer already has that exemption ({cleaned['start']} to {cleaned['end']})."
            )
        audit = AuditWriter(db, actor.username)
        return insert_row(
            audit, "exemptions", {"officer_id": officer_id, **cleaned, **stamp(audit)}
        )


def edit_exemption(
    db: Database,
    actor: Actor,
    exemption_id: int,
    values: Mapping[str, object],
    *,
    reason: str = "",
    expected_version: int | None = None,
) -> bool:
    """Change an exemption's dates, reason or requirements."""
    require(actor, Permission.MANAGE_LEAVE)
    with writing(db):
        current = row_dict(db, "exemptions", exemption_id)
        if current is None:
            raise NotFoundError(f"That exemption no longer exists (id {exemption_id}).")
        cleaned = clean_exemption({**current, **values})
        audit = AuditWriter(db, actor.username)
        return update_checked(
            audit,
            "exemptions",
            exemption_id,
            cleaned,
            noun="exemption",
            expected_version=expected_version,
            reason=reason,
        )


def delete_exemption(db: Database, actor: Actor, exemption_id: int, *, reason: str) -> None:
    """Remove an exemption entered in error; the audit log keeps it and the reason."""
    require(actor, Permission.MANAGE_LEAVE)
    delete_entered_in_error(
        db, actor.username, "exemptions", exemption_id, noun="exemption", reason=reason
    )
