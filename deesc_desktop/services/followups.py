"""LEDTA follow-up assessments: whether an officer uses the de-escalation skills on the job.

Grant-funded de-escalation training must be followed up (34 USC 10381(n)); the yearly LEDTA
report gives pre/post-test results (on the training records) and these follow-up results.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.services.common import (
    FieldErrors,
    clean_reason,
    delete_entered_in_error,
    fetch_for_update,
    stamp,
    update_checked,
)
from deesc_desktop.services.errors import NotFoundError, ValidationError, require
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.rows import insert_row, row_dict, row_number

FOLLOWUP_FIELDS = ("assessed_on", "assessor", "score", "notes", "record_id")
"""Fields of the follow-up form; `record_id` optionally links the class being followed up."""


def clean_followup(
    db: Database, officer_id: int, values: Mapping[str, object], today: date | None = None
) -> dict[str, Any]:
    """Check a follow-up: date (not in the future, not before the linked class), assessor,
    score 0-100, notes, and a linked training record of the same officer."""
    today = today or date.today()
    errors = FieldErrors()
    assessed_on = errors.date(values, "assessed_on", required=True)
    assessor = errors.text(values, "assessor", required=True)
    notes = errors.text(values, "notes")
    score: float | None = None
    raw = values.get("score")
    if raw is None or not str(raw).strip():
        errors["score"] = "is required"
    else:
        try:
            score = float(str(raw).strip())
            if not 0 <= score <= 100:
                errors["score"] = "must be between 0 and 100"
        except ValueError:
            errors["score"] = f'"{raw}" is not a score'
    if assessed_on and assessed_on > today:
        errors["assessed_on"] = f"{assessed_on.isoformat()} is in the future"
    record_id: int | None = None
    raw_record = values.get("record_id")
    if raw_record is not None and str(raw_record).strip():
        record_id = row_number(str(raw_record))
        if record_id is None:
            errors["record_id"] = f'"{raw_record}" is not a training record number'
        else:
            record = row_dict(db, "training_records", record_id)
            if record is None or record["officer_id"] != officer_id:
                errors["record_id"] = f"training record #{record_id} is not this officer's"
            elif assessed_on and assessed_on.isoformat() < record["completed"]:
                errors["assessed_on"] = f"is before the class it follows up ({record['completed']})"
    if errors:
        raise ValidationError(errors)
    assert assessed_on is not None
    return {
        "assessed_on": assessed_on.isoformat(),
        "assessor": assessor,
        "score": score,
        "notes": notes,
        "record_id": record_id,
    }


def add_followup(db: Database, actor: Actor, officer_id: int, values: Mapping[str, object]) -> int:
    """Record a follow-up assessment of one officer."""
    require(actor, Permission.RECORD_TRAINING)
    with writing(db):
        if row_dict(db, "officers", officer_id) is None:
            raise NotFoundError(f"There is no officer with id {officer_id}.")
        cleaned = clean_followup(db, officer_id, values)
        audit = AuditWriter(db, actor.username)
        return insert_row(
            audit, "followup_assessments", {"officer_id": officer_id, **cleaned, **stamp(audit)}
        )


def edit_followup(
    db: Database,
    actor: Actor,
    followup_id: int,
    values: Mapping[str, object],
    *,
    reason: str,
    expected_version: int | None = None,
) -> bool:
    """Correct a follow-up assessment; the reason goes in the audit log."""
    require(actor, Permission.CORRECT_TRAINING)
    reason = clean_reason(reason, "say why the assessment is being corrected")
    with writing(db):
        current = fetch_for_update(
            db, "followup_assessments", followup_id, "follow-up assessment", expected_version
        )
        merged = {**{k: current[k] for k in FOLLOWUP_FIELDS}, **values}
        cleaned = clean_followup(db, current["officer_id"], merged)
        audit = AuditWriter(db, actor.username)
        return update_checked(
            audit,
            "followup_assessments",
            followup_id,
            cleaned,
            noun="follow-up assessment",
            reason=reason.strip(),
        )


def delete_followup(db: Database, actor: Actor, followup_id: int, *, reason: str) -> None:
    """Delete an assessment entered in error; the audit log keeps what it said and why."""
    require(actor, Permission.CORRECT_TRAINING)
    delete_entered_in_error(
        db,
        actor.username,
        "followup_assessments",
        followup_id,
        noun="follow-up assessment",
        reason=reason,
    )
