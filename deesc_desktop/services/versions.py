"""Putting a record back as it was before a change in the audit log: a new change made through
the record's own service, audited like any other, never an edit of the log.

What can be put back, and what cannot (each refusal says why):
- an officer's details and status, a training record, leave or an exemption, a hand-entered
  certificate, a user's role, the agency's details, a requirement (its fields, and whether it
  is switched on);
- never a password (the log keeps only a fingerprint of it), whether a user may sign in
  (Settings asks for a reason), a revoked certificate, a row deleted since (its number is
  gone and what pointed at it was unlinked: add it again), and nothing about money: a claim
  moves only through its steps and a paid one never changes, and an award changes only when
  a chief approves it.
A row changed again after the entry is allowed back: the plan lists those later entries and
compares the version with the row as it is now, so the confirmation says exactly what changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.times import stamp_text
from deesc_desktop.services import agency, cit, leave, officers, requirements, training, users
from deesc_desktop.services.errors import ConflictError, NotFoundError, ServiceError, require
from deesc_desktop.store.database import writing
from deesc_desktop.store.rows import Table, row_dict
from deesc_desktop.store.training import record_snapshot
from deesc_desktop.store.users import user_snapshot
from deesc_desktop.store.views import AuditRow, audit_entry, later_entries

BOOKKEEPING = frozenset({"id", "version", "created_at", "created_by", "updated_at", "updated_by"})
"""Columns the app keeps for itself: never compared, never put back."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field the restore would change: its value now and in the version put back."""

    field: str
    now: Any
    restored: Any


@dataclass(frozen=True, slots=True)
class RestorePlan:
    """What putting a record back as it was before `entry` would do, or why it cannot."""

    entry: AuditRow
    noun: str
    """What the row is, in words: "training record 12"."""
    changes: tuple[FieldChange, ...] = ()
    kept: tuple[tuple[str, str], ...] = ()
    """Fields the version differs in that stay as they are, each with the reason."""
    later: tuple[AuditRow, ...] = ()
    """Changes to the row after the entry: putting the version back undoes them too."""
    refusal: str = ""
    version: int | None = None
    """The row's version when planned, so a change made meanwhile is refused."""

    @property
    def allowed(self) -> bool:
        return not self.refusal


Apply = Callable[[Database, Actor, str, dict[str, Any], int | None, str], object]


@dataclass(frozen=True, slots=True)
class _Kind:
    """How rows of one table are put back: which fields, through which service."""

    noun: str
    fields: tuple[str, ...]
    apply: Apply
    current: Callable[[Database, str], dict[str, Any] | None]
    """The row as it is now, in the shape the log records it."""
    kept: Mapping[str, str] = field(default_factory=dict)
    """Fields that are never put back, each with the reason."""


def _officer(
    db: Database, actor: Actor, row_id: str, values: dict[str, Any], version: int | None, why: str
) -> None:
    status = {k: values.pop(k) for k in ("status", "separation_date") if k in values}
    officer_id = int(row_id)
    if values:
        officers.edit_officer(db, actor, officer_id, values, expected_version=version, reason=why)
        version = None  # checked once, at the first write of this transaction
    if status:
        current = row_dict(db, "officers", officer_id) or {}
        officers.set_officer_status(
            db,
            actor,
            officer_id,
            status.get("status", current.get("status", "active")),
            separation_date=status.get("separation_date", current.get("separation_date")),
            reason=why,
            expected_version=version,
        )


def _training(
    db: Database, actor: Actor, row_id: str, values: dict[str, Any], version: int | None, why: str
) -> None:
    if "course_id" in values:
        course = row_dict(db, "courses", values.pop("course_id"))
        if course is None:
            raise ConflictError("The course this version names no longer exists.")
        values["course"] = course["title"]
    training.edit_training_record(
        db, actor, int(row_id), values, reason=why, expected_version=version
    )


def _exemption(
    db: Database, actor: Actor, row_id: str, values: dict[str, Any], version: int | None, why: str
) -> None:
    leave.edit_exemption(db, actor, int(row_id), values, reason=why, expected_version=version)


def _certificate(
    db: Database, actor: Actor, row_id: str, values: dict[str, Any], version: int | None, why: str
) -> None:
    cit.edit_certification(db, actor, int(row_id), values, reason=why, expected_version=version)


def _user(
    db: Database, actor: Actor, row_id: str, values: dict[str, Any], version: int | None, why: str
) -> None:
    row = row_dict(db, "users", int(row_id))
    assert row is not None
    if version is not None and row["version"] != version:
        raise ConflictError(f"{row['username']} was changed after the restore was planned.")
    users.set_user_role(db, actor, row["username"], values["role"], reason=why)


def _agency(
    db: Database, actor: Actor, row_id: str, values: dict[str, Any], version: int | None, why: str
) -> None:
    agency.update_agency(db, actor, values, reason=why)


def _requirement(
    db: Database, actor: Actor, row_id: str, values: dict[str, Any], version: int | None, why: str
) -> None:
    row = row_dict(db, "requirements", row_id)
    assert row is not None
    if version is not None and row["version"] != version:
        raise ConflictError(
            f"Requirement {row_id} was changed by {row['updated_by']} at "
            f"{stamp_text(row['updated_at'])} after the restore was planned."
        )
    if "definition" in values:
        requirements.save_requirement(db, actor, json.loads(values["definition"]), reason=why)
    if "active" in values:
        requirements.set_requirement_active(db, actor, row_id, bool(values["active"]), reason=why)


def _row(table: Table) -> Callable[[Database, str], dict[str, Any] | None]:
    return lambda db, row_id: row_dict(db, table, row_id)


_PASSWORD = (
    "a password is never put back: the log keeps only a fingerprint of it, never the "
    "password; set a new one with Reset password"
)
_SIGN_IN = (
    "whether a user may sign in is changed in Settings (Enable or Disable, with a reason), "
    "never by restoring: a disabled account stays disabled"
)

KINDS: dict[str, _Kind] = {
    "officers": _Kind(
        "officer",
        (*officers.OFFICER_FIELDS, "status", "separation_date"),
        _officer,
        _row("officers"),
    ),
    "training_records": _Kind(
        "training record",
        (
            "course_id",
            "completed",
            "hours",
            "topics",
            "delivery",
            "provider",
            "instructor",
            "pre_test",
            "post_test",
        ),
        _training,
        lambda db, row_id: record_snapshot(db, int(row_id)),
        {"officer_id": "a training record stays with its officer: record it again for another"},
    ),
    "exemptions": _Kind(
        "leave or exemption",
        ("start", "end", "reason", "requirements"),
        _exemption,
        _row("exemptions"),
        {"officer_id": "leave stays with its officer: record it again for another"},
    ),
    "certifications": _Kind(
        "certificate",
        cit.CERTIFICATE_FIELDS,
        _certificate,
        _row("certifications"),
        {
            "officer_id": "a certificate stays with its officer",
            "revoked_at": "a revoked certificate is not put back: enter it again",
            "revoked_by": "a revoked certificate is not put back: enter it again",
            "revoked_reason": "a revoked certificate is not put back: enter it again",
        },
    ),
    "users": _Kind(
        "user",
        ("role",),
        _user,
        lambda db, row_id: user_snapshot(db, int(row_id)),
        {
            "password_hash": _PASSWORD,
            "active": _SIGN_IN,
            "failed_attempts": "wrong passwords counted are the sign-in's own record",
            "locked_until": "a lockout is the sign-in's own record",
            "last_sign_in": "the last sign-in is the sign-in's own record",
            "full_name": "a user's full name is set when the user is added",
            "username": "a user name never changes",
        },
    ),
    "requirements": _Kind(
        "requirement",
        ("definition", "title", "active"),
        _requirement,
        _row("requirements"),
        {"origin": "a requirement put back becomes the agency's own"},
    ),
    "agency": _Kind(
        "agency details",
        ("name", "state", "ori", "fiscal_year_start_month", "warning_days"),
        _agency,
        _row("agency"),
    ),
}
"""The tables whose rows can be put back, each through its own service."""

MONEY_REFUSAL = (
    "Money is never put back from the log: {what}. Change it on the Bonus claims page, where "
    "each step is approved by someone other than the person who made it."
)
REFUSED: dict[str, str] = {
    "bonus_programs": MONEY_REFUSAL.format(what="a bonus program is edited where it is kept"),
    "funding_sources": MONEY_REFUSAL.format(
        what="an award's amount and period change only when a chief approves a request"
    ),
    "claim_adjustments": MONEY_REFUSAL.format(what="a correction is approved or rejected once"),
    "award_changes": MONEY_REFUSAL.format(what="an award change is approved or rejected once"),
    "payment_batches": MONEY_REFUSAL.format(what="a payment batch is paid once"),
}


def _claim_refusal(entry: AuditRow, current: dict[str, Any] | None) -> str:
    status = (current or {}).get("status", "")
    if status == "paid":
        return (
            f"Claim #{entry.row_id} is paid: money that has gone out is never put back from "
            "the log. A correction is a separate adjustment (Adjust paid claim…), which a "
            "chief approves when it adds money."
        )
    return (
        f"Claim #{entry.row_id} moves only through its steps (submit, approve or deny, pay, "
        "void), each by someone other than the person before: change it on the Bonus claims "
        "page, never by restoring."
    )


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _noun(db: Database, entry: AuditRow, kind: _Kind | None) -> str:
    """The row in words, as the entry recorded it: "officer Peña, Ana (badge 101)",
    "training record 12 of Peña, Ana", "user clerk"."""
    row = _load(entry.before) or _load(entry.after)
    if entry.table_name == "officers" and row.get("badge"):
        return f"officer {row.get('last_name')}, {row.get('first_name')} (badge {row['badge']})"
    if entry.table_name == "users" and row.get("username"):
        return f"user {row['username']}"
    if entry.table_name == "agency":
        return "the agency's details"
    noun = f"{kind.noun if kind else entry.table_name.replace('_', ' ')} {entry.row_id}"
    officer = row_dict(db, "officers", row["officer_id"]) if row.get("officer_id") else None
    if officer is not None:
        noun += f" of {officer['last_name']}, {officer['first_name']}"
    return noun


def plan_restore(db: Database, entry_id: int) -> RestorePlan:
    """What putting the row of entry `entry_id` back as it was before that change would do:
    the fields that change, those that stay and why, the later changes it undoes; or why it
    cannot be done."""
    entry = audit_entry(db, entry_id)
    if entry is None:
        raise NotFoundError(f"There is no audit entry #{entry_id}.")
    table, row_id = entry.table_name, entry.row_id
    kind = KINDS.get(table)
    noun = _noun(db, entry, kind)

    def refuse(reason: str) -> RestorePlan:
        return RestorePlan(entry, noun, refusal=reason)

    if table == "claims":
        return refuse(_claim_refusal(entry, row_dict(db, "claims", row_id)))
    if table in REFUSED:
        return refuse(REFUSED[table])
    if kind is None:
        return refuse(
            f"Putting a {table.replace('_', ' ')} row back from the log is not offered: change "
            "it where it is kept in the app."
        )
    if entry.action == "insert":
        return refuse(
            f"Entry #{entry.id} added {noun}: there is no earlier version. To go back to the "
            "record as it was added, restore the version before the first change after it."
        )
    if entry.action == "delete":
        return refuse(
            f"Entry #{entry.id} deleted {noun}. A deleted record is not brought back by "
            "restoring (its number is gone, and what pointed at it was unlinked): add it again."
        )
    later = tuple(later_entries(db, table, row_id, entry.id))
    current = kind.current(db, row_id)
    if current is None:
        gone = next((e for e in later if e.action == "delete"), None)
        when = f" by {gone.username} on {stamp_text(gone.at)} (entry #{gone.id})" if gone else ""
        return refuse(
            f"{noun[:1].upper()}{noun[1:]} was deleted since{when}. A deleted record is not "
            "brought back by restoring: add it again."
        )
    version_row = _load(entry.before)
    changes: list[FieldChange] = []
    kept: list[tuple[str, str]] = []
    for name, value in version_row.items():
        if name in BOOKKEEPING or name not in current or current[name] == value:
            continue
        if name in kind.fields:
            changes.append(FieldChange(name, current[name], value))
        elif name in kind.kept:
            kept.append((name, kind.kept[name]))
    plan = RestorePlan(
        entry,
        noun,
        tuple(changes),
        tuple(kept),
        later,
        version=current.get("version"),
    )
    if table == "certifications" and current.get("revoked_at"):
        return RestorePlan(
            entry,
            noun,
            kept=plan.kept,
            later=later,
            refusal=f"Certificate {row_id} was revoked since: a revoked certificate is not put "
            "back by restoring. Enter it again.",
        )
    if not changes:
        reasons = "; ".join(f"{name.replace('_', ' ')}: {why}" for name, why in kept)
        return RestorePlan(
            entry,
            noun,
            kept=plan.kept,
            later=later,
            refusal=f"Nothing to put back: {noun} already reads as it did before entry "
            f"#{entry.id}" + (f", apart from what is never restored ({reasons})." if kept else "."),
        )
    return plan


def restore_version(db: Database, actor: Actor, plan: RestorePlan) -> None:
    """Put the row back as `plan` says, through its own service, in one transaction.

    Administrators only. Refused when the plan was refused, or when the row changed after the
    plan was made (it must be planned, and confirmed, again).
    """
    require(actor, Permission.RESTORE_VERSIONS)
    if plan.refusal:
        raise ServiceError(plan.refusal)
    entry = plan.entry
    kind = KINDS[entry.table_name]
    values = {change.field: change.restored for change in plan.changes}
    reason = (
        f"restored as it was before audit entry #{entry.id} "
        f"({entry.username}, {stamp_text(entry.at)})"
    )
    with writing(db):
        kind.apply(db, actor, entry.row_id, values, plan.version, reason)
