"""Roster changes: add, edit, put on leave, separate and reinstate officers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.topics import OFFICER_STATUSES
from deesc_desktop.services.common import (
    FieldErrors,
    clean_reason,
    fetch_for_update,
    iso,
    stamp,
    update_checked,
)
from deesc_desktop.services.errors import ValidationError, require
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.officers import officer_by_badge
from deesc_desktop.store.rows import insert_row

OFFICER_FIELDS = (
    "badge",
    "last_name",
    "first_name",
    "rank",
    "unit",
    "shift",
    "hire_date",
    "license_date",
    "state_id",
    "email",
)
"""Fields of the add/edit officer form (status changes have their own actions)."""

EARLIEST_PLAUSIBLE = date(1940, 1, 1)


def clean_officer(values: Mapping[str, object]) -> dict[str, Any]:
    """Check an officer form; returns column values or raises ValidationError per field."""
    errors = FieldErrors()
    cleaned: dict[str, Any] = {
        "badge": errors.text(values, "badge", required=True),
        "last_name": errors.text(values, "last_name", required=True),
        "first_name": errors.text(values, "first_name", required=True),
        "rank": errors.text(values, "rank"),
        "unit": errors.text(values, "unit"),
        "shift": errors.text(values, "shift"),
        "state_id": errors.text(values, "state_id"),
        "email": errors.text(values, "email"),
    }
    hire = errors.date(values, "hire_date", required=True)
    license_date = errors.date(values, "license_date")
    for field, value in (("hire_date", hire), ("license_date", license_date)):
        if value and value < EARLIEST_PLAUSIBLE:
            errors[field] = f"{value.isoformat()} is before 1940; check the year"
    if cleaned["email"] and ("@" not in cleaned["email"] or " " in cleaned["email"]):
        errors["email"] = f'"{cleaned["email"]}" is not an email address'
    if errors:
        raise ValidationError(errors)
    cleaned["hire_date"] = iso(hire)
    cleaned["license_date"] = iso(license_date)
    return cleaned


def _check_badge_free(db: Database, badge: str, officer_id: int | None = None) -> None:
    holder = officer_by_badge(db, badge)
    if holder is not None and holder.id != officer_id:
        raise ValidationError({"badge": f"badge {badge} already belongs to {holder.display_name}"})


def add_officer(db: Database, actor: Actor, values: Mapping[str, object]) -> int:
    """Add an officer to the roster (status active unless `status` says leave)."""
    require(actor, Permission.MANAGE_OFFICERS)
    cleaned = clean_officer(values)
    status = str(values.get("status") or "active").strip().lower()
    if status not in ("active", "leave"):
        raise ValidationError({"status": "a new officer is active or on leave"})
    with writing(db):
        _check_badge_free(db, cleaned["badge"])
        audit = AuditWriter(db, actor.username)
        return insert_row(audit, "officers", {**cleaned, "status": status, **stamp(audit)})


def edit_officer(
    db: Database,
    actor: Actor,
    officer_id: int,
    values: Mapping[str, object],
    *,
    expected_version: int | None = None,
    reason: str = "",
) -> bool:
    """Change an officer's details; refuses if someone else changed them since they were loaded."""
    require(actor, Permission.MANAGE_OFFICERS)
    with writing(db):
        current = fetch_for_update(db, "officers", officer_id, "officer", expected_version)
        merged = {**{k: current[k] for k in OFFICER_FIELDS}, **values}
        cleaned = clean_officer(merged)
        _check_badge_free(db, cleaned["badge"], officer_id)
        audit = AuditWriter(db, actor.username)
        return update_checked(audit, "officers", officer_id, cleaned, noun="officer", reason=reason)


def set_officer_status(
    db: Database,
    actor: Actor,
    officer_id: int,
    status: str,
    *,
    separation_date: date | str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> bool:
    """Put an officer on leave, back to active, or separate them (with the separation date).

    A separated officer is never deleted: their records stay for transcripts and audits.
    """
    require(actor, Permission.MANAGE_OFFICERS)
    if status not in OFFICER_STATUSES:
        raise ValidationError({"status": f'"{status}" is not one of {", ".join(OFFICER_STATUSES)}'})
    errors = FieldErrors()
    when = errors.date({"separation_date": separation_date}, "separation_date")
    if status == "separated" and when is None and "separation_date" not in errors:
        errors["separation_date"] = "is required to separate an officer"
    if errors:
        raise ValidationError(errors)
    with writing(db):
        current = fetch_for_update(db, "officers", officer_id, "officer", expected_version)
        if when and when < date.fromisoformat(current["hire_date"]):
            raise ValidationError(
                {"separation_date": f"is before the hire date {current['hire_date']}"}
            )
        if current["separation_date"] and status != "separated":
            # The officer then counts as serving on every day, those after the separation
            # too: a correction of a separation entered in error, never done in passing.
            reason = clean_reason(
                reason,
                f"say why the separation of {current['separation_date']} is removed: every "
                "report, for any day, will count the officer as serving",
            )
        audit = AuditWriter(db, actor.username)
        changes = {
            "status": status,
            "separation_date": iso(when) if status == "separated" else None,
        }
        return update_checked(audit, "officers", officer_id, changes, noun="officer", reason=reason)


def separate_officer(
    db: Database, actor: Actor, officer_id: int, separation_date: date | str, reason: str = ""
) -> bool:
    """Mark an officer separated on a date, keeping all their history."""
    return set_officer_status(
        db, actor, officer_id, "separated", separation_date=separation_date, reason=reason
    )
