"""Where bonus money comes from and how it goes out: funding sources and payment batches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.bonus import FUNDING_KINDS, TransitionError, next_status
from deesc_desktop.core.money import Cents, MoneyError, format_money, format_plain, parse_money
from deesc_desktop.core.names import name_key
from deesc_desktop.core.times import local_day, today
from deesc_desktop.services.common import (
    FieldErrors,
    audit_writer,
    clean_reason,
    fetch_for_update,
    stamp,
    update_checked,
)
from deesc_desktop.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    require,
)
from deesc_desktop.services.export import DATE, INTEGER, MONEY, write_table
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.claims import ClaimRow, list_claims, pay_windows, update_claim
from deesc_desktop.store.database import writing
from deesc_desktop.store.funding import (
    AwardChangeRow,
    FundingSummary,
    award_changes,
    award_numbers,
    decide_award_change,
    funding_summary,
    payment_batches,
)
from deesc_desktop.store.rows import insert_row, name_taken, row_dict

FUNDING_FIELDS = ("name", "kind", "award_number", "amount", "start", "end", "notes")
"""Fields of the funding source form; `amount` is money text ("$250,000.00") or cents as int."""


def clean_funding(values: Mapping[str, object]) -> dict[str, Any]:
    """Check a funding source form; returns column values (amount in cents)."""
    errors = FieldErrors()
    name = errors.text(values, "name", required=True)
    kind = errors.text(values, "kind", required=True).lower()
    if kind and kind not in FUNDING_KINDS:
        errors["kind"] = f'"{kind}" is not one of {", ".join(FUNDING_KINDS)}'
    amount: Cents = 0
    if "amount_cents" in values and "amount" not in values:
        raw = values["amount_cents"]
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            errors["amount"] = "must be a whole number of cents, 0 or more"
        else:
            amount = raw
    else:
        try:
            amount = parse_money(values.get("amount"))
        except MoneyError as exc:
            errors["amount"] = str(exc)
    start = errors.date(values, "start", required=True)
    end = errors.date(values, "end", required=True)
    if start and end and end < start:
        errors["end"] = f"{end.isoformat()} is before the start {start.isoformat()}"
    cleaned = {
        "name": name,
        "kind": kind,
        "award_number": errors.text(values, "award_number"),
        "notes": errors.text(values, "notes"),
    }
    if errors:
        raise ValidationError(errors)
    assert start and end
    return {**cleaned, "amount_cents": amount, "start": start.isoformat(), "end": end.isoformat()}


def _check_name_free(db: Database, name: str, source_id: int = 0) -> None:
    if name_taken(db, "funding_sources", name, other_than=source_id):
        raise ValidationError({"name": f'there is already a funding source named "{name}"'})


def add_funding_source(
    db: Database, actor: Actor, values: Mapping[str, object], *, now: datetime | None = None
) -> int:
    """Record a grant or budget line bonuses are paid from (name, kind, award, amount, period).

    The award counts from the start: nothing is paid from it until a chief sets up a program
    on it and approves claims. Later changes to its amount or period need a chief's approval.
    """
    require(actor, Permission.MANAGE_FUNDING)
    cleaned = clean_funding(values)
    with writing(db):
        _check_name_free(db, cleaned["name"])
        audit = audit_writer(db, actor.username, now)
        return insert_row(audit, "funding_sources", {**cleaned, **stamp(audit)})


AWARD_FIELDS = ("amount", "amount_cents", "start", "end")
"""The award's terms: they change only through a request a chief approves."""


def edit_funding_source(
    db: Database,
    actor: Actor,
    source_id: int,
    values: Mapping[str, object],
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Change a funding source's name, kind, award number or notes.

    Its amount and period are the award's terms: changing them is a request that counts only
    once a chief approves it (request_award_change).
    """
    require(actor, Permission.MANAGE_FUNDING)
    with writing(db):
        current = fetch_for_update(
            db, "funding_sources", source_id, "funding source", expected_version
        )
        merged: dict[str, object] = {k: current[k] for k in FUNDING_FIELDS if k in current}
        merged["amount_cents"] = current["amount_cents"]
        merged.update(values)
        if "amount" in values:
            merged.pop("amount_cents")
        cleaned = clean_funding(merged)
        changed = [k for k in ("amount_cents", "start", "end") if cleaned[k] != current[k]]
        if changed:
            raise ValidationError(
                {
                    changed[0].removesuffix("_cents"): "the award's amount and period change "
                    "only when a chief approves the change: request it, with the reason"
                }
            )
        _check_name_free(db, cleaned["name"], source_id)
        audit = audit_writer(db, actor.username, now)
        return update_checked(audit, "funding_sources", source_id, cleaned, noun="funding source")


def _award_change(db: Database, change_id: int) -> AwardChangeRow:
    found = award_changes(db, change_id=change_id)
    if not found:
        raise NotFoundError(f"There is no award change #{change_id}.")
    return found[0]


def _check_award_covers(totals: FundingSummary, amount: Cents) -> None:
    if amount < totals.used:
        raise ValidationError(
            {
                "amount": f"{format_money(amount)} is less than the "
                f"{format_money(totals.used)} already committed or paid from {totals.name}"
            }
        )


def request_award_change(
    db: Database,
    actor: Actor,
    source_id: int,
    values: Mapping[str, object],
    *,
    now: datetime | None = None,
) -> int:
    """Ask for a new amount or period of an award (`amount`, `start`, `end`, `reason`).

    Nothing changes until someone who approves claims, other than the requester, approves it;
    one request per funding source waits at a time.
    """
    require(actor, Permission.MANAGE_FUNDING)
    with writing(db):
        current = fetch_for_update(db, "funding_sources", source_id, "funding source", None)
        proposed: dict[str, object] = {
            "name": current["name"],
            "kind": current["kind"],
            "amount_cents": current["amount_cents"],
            "start": current["start"],
            "end": current["end"],
        }
        proposed.update({k: v for k, v in values.items() if k in AWARD_FIELDS})
        if "amount" in values:
            proposed.pop("amount_cents")
        cleaned = clean_funding(proposed)
        errors = FieldErrors()
        reason = errors.text(values, "reason", required=True)
        if errors:
            raise ValidationError(errors)
        if (cleaned["amount_cents"], cleaned["start"], cleaned["end"]) == (
            current["amount_cents"],
            current["start"],
            current["end"],
        ):
            raise ValidationError({"amount": "the award already reads so: nothing to change"})
        waiting = award_changes(db, status="pending")
        if any(c.funding_source_id == source_id for c in waiting):
            raise ConflictError(
                f"A change to {current['name']} already waits for a chief's approval; "
                "it must be approved or rejected first."
            )
        totals = funding_summary(db, source_id)
        assert totals is not None
        _check_award_covers(totals, cleaned["amount_cents"])
        audit = audit_writer(db, actor.username, now)
        return insert_row(
            audit,
            "award_changes",
            {
                "funding_source_id": source_id,
                "amount_cents": cleaned["amount_cents"],
                "start": cleaned["start"],
                "end": cleaned["end"],
                "previous_amount_cents": current["amount_cents"],
                "previous_start": current["start"],
                "previous_end": current["end"],
                "reason": reason,
                "requested_at": audit.at,
                "requested_by": audit.username,
            },
        )


def _decide(actor: Actor, requested_by: str, what: str) -> None:
    if requested_by == actor.username:
        raise PermissionDeniedError(
            f"{actor.username} entered {what} and may not decide it: money is changed by one "
            "person and approved by another."
        )


def approve_award_change(
    db: Database, actor: Actor, change_id: int, *, now: datetime | None = None
) -> None:
    """Approve a requested award change: from now on the award reads so (not the requester)."""
    require(actor, Permission.APPROVE_CLAIMS)
    with writing(db):
        change = _award_change(db, change_id)
        if change.status != "pending":
            raise ConflictError(f"Award change #{change.id} was already {change.status}.")
        _decide(actor, change.requested_by, f"award change #{change.id}")
        source = fetch_for_update(db, "funding_sources", change.funding_source_id, "source", None)
        if (source["amount_cents"], source["start"], source["end"]) != (
            change.previous_amount,
            change.previous_start,
            change.previous_end,
        ):
            raise ConflictError(
                f"{source['name']} changed after award change #{change.id} was requested; "
                "reject it and request the change again."
            )
        totals = funding_summary(db, change.funding_source_id)
        assert totals is not None
        _check_award_covers(totals, change.amount)
        audit = audit_writer(db, actor.username, now)
        decide_award_change(audit, change.id, "approved", "")
        update_checked(
            audit,
            "funding_sources",
            change.funding_source_id,
            {"amount_cents": change.amount, "start": change.start, "end": change.end},
            noun="funding source",
            reason=f"award change #{change.id} approved: {change.reason}",
        )


def reject_award_change(
    db: Database, actor: Actor, change_id: int, *, reason: str, now: datetime | None = None
) -> None:
    """Turn down a requested award change, with the reason; the award stays as it was."""
    require(actor, Permission.APPROVE_CLAIMS)
    why = clean_reason(reason, "say why the change is rejected")
    with writing(db):
        change = _award_change(db, change_id)
        if change.status != "pending":
            raise ConflictError(f"Award change #{change.id} was already {change.status}.")
        _decide(actor, change.requested_by, f"award change #{change.id}")
        decide_award_change(audit_writer(db, actor.username, now), change.id, "rejected", why)


def check_funds(db: Database, source_id: int, extra: Cents, what: str) -> FundingSummary:
    """Refuse when charging `extra` more to the source would overdraw it, with the figures.

    `what` starts the message, e.g. "Approving $3,800.00".
    """
    totals = funding_summary(db, source_id)
    if totals is None:
        raise NotFoundError(f"There is no funding source with id {source_id}.")
    if extra > totals.balance:
        raise ConflictError(
            f"{what} would overdraw {totals.name} ({format_money(totals.amount)} awarded, "
            f"{format_money(totals.used)} committed or paid, "
            f"{format_money(totals.balance)} left)."
        )
    return totals


# --- paying -------------------------------------------------------------------------------


def check_pay_date(
    db: Database,
    claims: Sequence[ClaimRow],
    pay_day: date,
    *,
    today_is: date | None,
    field: str = "paid_on",
) -> None:
    """Refuse a pay date a claim cannot have: before its approval, before its program starts,
    outside its funding source's period or (unless `today_is` is None, for a payroll run
    planned ahead) after today. The message says the rule."""
    day = pay_day.isoformat()
    if today_is is not None and pay_day > today_is:
        message = (
            f"{day} is in the future (today is {today_is.isoformat()}); record a payment "
            "once it has been made."
        )
        raise ValidationError({field: message}, summary=message)
    windows = pay_windows(db, [c.id for c in claims])
    for claim in claims:
        window = windows[claim.id]
        approved = local_day(window.approved_at) if window.approved_at else None
        message = ""
        if approved is not None and pay_day < approved:
            message = (
                f"Claim #{claim.id} cannot be paid on {day}: it was approved on "
                f"{approved.isoformat()}, and a claim is paid on or after the day it is approved."
            )
        elif pay_day < window.program_start:
            message = (
                f"Claim #{claim.id} cannot be paid on {day}: that is before the program "
                f"{window.program} started ({window.program_start.isoformat()})."
            )
        elif not window.funding_start <= pay_day <= window.funding_end:
            message = (
                f"Claim #{claim.id} cannot be paid on {day}: {window.funding_source} pays only "
                f"from {window.funding_start.isoformat()} to {window.funding_end.isoformat()}. "
                "If the award allows a later payment, ask the chief to approve a change to "
                "its end date."
            )
        if message:
            raise ValidationError({field: message}, summary=message)


def check_not_approver(actor: Actor, claims: Iterable[ClaimRow]) -> None:
    """Refuse when the actor approved one of the claims: who approves does not also pay."""
    for claim in claims:
        if claim.approved_by == actor.username:
            raise PermissionDeniedError(
                f"{actor.username} approved claim #{claim.id} and may not record its payment: "
                "the person who approves a claim and the person who pays it must be different."
            )


# --- payment batches -----------------------------------------------------------------------

BATCH_COLUMNS = (
    "claim",
    "badge",
    "name",
    "program",
    "amount",
    "funding_source",
    "award_number",
    "reference",
    "pay_date",
)
"""Columns of a payment batch export, for payroll; amount is plain dollars ("3800.00")."""

BATCH_KINDS = {"claim": INTEGER, "amount": MONEY, "pay_date": DATE}
"""The batch export's columns that a spreadsheet keeps as numbers, money and dates."""


def create_payment_batch(
    db: Database,
    actor: Actor,
    values: Mapping[str, object],
    claim_ids: Sequence[int] | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Group approved claims for one payroll run (reference, pay date); None takes every
    approved claim not yet in a batch.

    The pay date may be ahead (payroll runs later) but must suit every claim: on or after its
    approval and its program's start, inside its funding source's period.
    """
    require(actor, Permission.PAY_CLAIMS)
    errors = FieldErrors()
    reference = errors.text(values, "reference", required=True)
    pay_date = errors.date(values, "pay_date", required=True)
    notes = errors.text(values, "notes")
    if errors:
        raise ValidationError(errors)
    assert pay_date is not None
    with writing(db):
        if name_taken(db, "payment_batches", reference):
            raise ValidationError({"reference": f'batch "{reference}" already exists'})
        if claim_ids is None:
            claims = [c for c in list_claims(db, status="approved") if c.batch_id is None]
        else:
            claims = list_claims(db, claim_ids=list(claim_ids))
            missing = sorted(set(claim_ids) - {c.id for c in claims})
            if missing:
                raise NotFoundError(f"There is no claim #{missing[0]}.")
        if not claims:
            raise ConflictError("There are no approved claims waiting for payment.")
        for claim in claims:
            if claim.status != "approved":
                raise ConflictError(
                    f"Claim #{claim.id} is {claim.status}; only approved claims are paid."
                )
            if claim.batch_id is not None:
                raise ConflictError(
                    f"Claim #{claim.id} is already in payment batch #{claim.batch_id}."
                )
        check_pay_date(db, claims, pay_date, today_is=None, field="pay_date")
        audit = audit_writer(db, actor.username, now)
        batch_id = insert_row(
            audit,
            "payment_batches",
            {
                "reference": reference,
                "pay_date": pay_date.isoformat(),
                "notes": notes,
                "created_by": audit.username,
                **stamp(audit),
            },
        )
        _set_batch(audit, [c.id for c in claims], batch_id)
        return batch_id


def _set_batch(audit: AuditWriter, claim_ids: Iterable[int], batch_id: int | None) -> None:
    for claim_id in claim_ids:
        update_claim(audit, claim_id, {"batch_id": batch_id})


def batch_rows(db: Database, batch_id: int) -> list[list[str]]:
    """A batch's claims as the export lays them out, by officer name."""
    batch = row_dict(db, "payment_batches", batch_id)
    if batch is None:
        raise NotFoundError(f"There is no payment batch with id {batch_id}.")
    claims = sorted(
        list_claims(db, batch_id=batch_id),
        key=lambda c: (name_key(c.last_name, c.first_name, c.badge), c.id),
    )
    awards = award_numbers(db)
    return [
        [
            str(c.id),
            c.badge,
            c.officer_name,
            c.program,
            format_plain(c.amount),
            c.funding_source,
            awards.get(c.funding_source_id, ""),
            batch["reference"],
            batch["pay_date"],
        ]
        for c in claims
    ]


def export_payment_batch(db: Database, batch_id: int, path: Path) -> int:
    """Write a batch for payroll as .csv or .xlsx; returns the number of claims."""
    return write_table(path, BATCH_COLUMNS, batch_rows(db, batch_id), BATCH_KINDS)


def pay_batch(db: Database, actor: Actor, batch_id: int, *, now: datetime | None = None) -> int:
    """Mark every claim of the batch paid on its pay date with its reference, all together.

    Returns the number of claims paid; refuses (paying none) if any claim is no longer
    approved, was approved by the payer, or cannot be paid on the batch's date, or while the
    pay date is still ahead.
    """
    require(actor, Permission.PAY_CLAIMS)
    with writing(db):
        batch = fetch_for_update(db, "payment_batches", batch_id, "payment batch", None)
        if batch["status"] == "paid":
            raise ConflictError(
                f"Payment batch {batch['reference']} was already paid on {batch['paid_at']}."
            )
        claims = list_claims(db, batch_id=batch_id)
        if not claims:
            raise ConflictError(f"Payment batch {batch['reference']} has no claims.")
        for claim in claims:
            try:
                next_status("pay", claim.id, claim.status)
            except TransitionError as exc:
                raise ConflictError(
                    f"{exc} Nothing in batch {batch['reference']} was paid."
                ) from None
        check_not_approver(actor, claims)
        check_pay_date(
            db, claims, date.fromisoformat(batch["pay_date"]), today_is=today(now), field="pay_date"
        )
        audit = audit_writer(db, actor.username, now)
        for claim in claims:
            update_claim(
                audit,
                claim.id,
                {
                    "status": "paid",
                    "paid_at": audit.at,
                    "paid_by": audit.username,
                    "paid_on": batch["pay_date"],
                    "payment_reference": batch["reference"],
                },
            )
        update_checked(
            audit,
            "payment_batches",
            batch_id,
            {"status": "paid", "paid_at": audit.at, "paid_by": audit.username},
            noun="payment batch",
        )
        return len(claims)


def batch_summary(db: Database, batch_id: int) -> tuple[int, Cents]:
    """(claims, total cents) of one batch."""
    found = payment_batches(db, batch_id)
    if not found:
        raise NotFoundError(f"There is no payment batch with id {batch_id}.")
    return found[0].claims, found[0].total
