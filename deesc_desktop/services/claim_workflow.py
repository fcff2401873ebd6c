"""The claim workflow after drafting: submit, approve or deny, void, pay, and adjustments.

draft -> submitted -> approved -> paid; a submitted claim may be denied, and any claim not yet
paid may be voided, both with a reason. A paid claim is never changed: a correction is an
adjustment. Every step records who and when, on the claim and in the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.bonus import TransitionError, next_status
from deesc_desktop.core.models import Officer
from deesc_desktop.core.money import Cents, MoneyError, format_money, parse_money
from deesc_desktop.core.times import today
from deesc_desktop.services.common import FieldErrors, audit_writer, clean_reason
from deesc_desktop.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    require,
)
from deesc_desktop.services.funding import check_funds, check_not_approver, check_pay_date
from deesc_desktop.store.claims import (
    AdjustmentRow,
    ClaimRow,
    add_adjustment_row,
    changed_evidence,
    decide_adjustment,
    list_adjustments,
    list_claims,
    update_claim,
)
from deesc_desktop.store.database import writing
from deesc_desktop.store.officers import get_officer
from deesc_desktop.store.rows import row_dict


def _claims(db: Database, claim_ids: Sequence[int]) -> list[ClaimRow]:
    ids = list(claim_ids)
    if not ids:
        raise ValidationError({"claims": "choose at least one claim"})
    found = {c.id: c for c in list_claims(db, claim_ids=ids)}
    for claim_id in ids:
        if claim_id not in found:
            raise NotFoundError(f"There is no claim #{claim_id}.")
    return [found[i] for i in dict.fromkeys(ids)]


def _step(action: str, claim: ClaimRow) -> str:
    try:
        return next_status(action, claim.id, claim.status)
    except TransitionError as exc:
        raise ConflictError(str(exc)) from None


def _check_evidence(db: Database, claims: Sequence[ClaimRow]) -> None:
    """Refuse when a training record behind a claim was deleted or changed since it was made."""
    found = changed_evidence(db, [c.id for c in claims])
    if found:
        what = "deleted" if found.deleted else "changed"
        raise ConflictError(
            f"Training record #{found.record_id} behind claim #{found.claim_id} was {what} after "
            "the claim was made; void the claim and make a new one from the records as they "
            "are now."
        )


def _officer(db: Database, claim: ClaimRow) -> Officer:
    officer = get_officer(db, claim.officer_id)
    assert officer is not None
    return officer


def submit_claims(
    db: Database, actor: Actor, claim_ids: Sequence[int], *, now: datetime | None = None
) -> int:
    """Send draft claims for approval: all or none. The officer must still be employed."""
    require(actor, Permission.SUBMIT_CLAIMS)
    with writing(db):
        claims = _claims(db, claim_ids)
        for claim in claims:
            _step("submit", claim)
            officer = _officer(db, claim)
            if officer.status == "separated":
                separated = officer.separation_date.isoformat() if officer.separation_date else None
                raise ConflictError(
                    f"{claim.officer_name} separated on {separated}; "
                    f"claim #{claim.id} cannot be submitted. Void it instead."
                )
        _check_evidence(db, claims)
        audit = audit_writer(db, actor.username, now)
        for claim in claims:
            update_claim(
                audit,
                claim.id,
                {"status": "submitted", "submitted_at": audit.at, "submitted_by": audit.username},
            )
        return len(claims)


def submit_claim(db: Database, actor: Actor, claim_id: int, *, now: datetime | None = None) -> None:
    submit_claims(db, actor, [claim_id], now=now)


def _may_decide(actor: Actor, claim: ClaimRow, verb: str) -> None:
    """Refuse when the actor prepared the claim: who drafts or submits it does not decide it."""
    for done, by in (("submitted", claim.submitted_by), ("drafted", claim.created_by)):
        if by == actor.username:
            raise PermissionDeniedError(
                f"{actor.username} {done} claim #{claim.id} and may not {verb} it: the person "
                f"who prepares a claim and the person who decides it must be different; "
                f"someone else with the right to {verb} claims must."
            )


def approve_claims(
    db: Database, actor: Actor, claim_ids: Sequence[int], *, now: datetime | None = None
) -> int:
    """Approve submitted claims, committing their money: all or none.

    Refused when the approver drafted or submitted a claim, when its training changed, or
    when the claims would overdraw their funding source (the message gives the figures).
    """
    require(actor, Permission.APPROVE_CLAIMS)
    with writing(db):
        claims = _claims(db, claim_ids)
        for claim in claims:
            _step("approve", claim)
            _may_decide(actor, claim, "approve")
        _check_evidence(db, claims)
        by_source: dict[int, list[ClaimRow]] = defaultdict(list)
        for claim in claims:
            by_source[claim.funding_source_id].append(claim)
        for source_id, charged in by_source.items():
            amount = sum(c.amount for c in charged)
            count = f" ({len(charged)} claims)" if len(charged) > 1 else ""
            check_funds(db, source_id, amount, f"Approving {format_money(amount)}{count}")
        audit = audit_writer(db, actor.username, now)
        for claim in claims:
            update_claim(
                audit,
                claim.id,
                {"status": "approved", "approved_at": audit.at, "approved_by": audit.username},
            )
        return len(claims)


def approve_claim(
    db: Database, actor: Actor, claim_id: int, *, now: datetime | None = None
) -> None:
    approve_claims(db, actor, [claim_id], now=now)


def _reason(reason: str, what: str) -> str:
    return clean_reason(reason, f"say why the claim is being {what}")


def deny_claim(
    db: Database, actor: Actor, claim_id: int, *, reason: str, now: datetime | None = None
) -> None:
    """Turn down a submitted claim, with the reason (not by whoever drafted or submitted it)."""
    require(actor, Permission.APPROVE_CLAIMS)
    why = _reason(reason, "denied")
    with writing(db):
        (claim,) = _claims(db, [claim_id])
        _step("deny", claim)
        _may_decide(actor, claim, "deny")
        audit = audit_writer(db, actor.username, now)
        update_claim(
            audit,
            claim.id,
            {
                "status": "denied",
                "denied_at": audit.at,
                "denied_by": audit.username,
                "denied_reason": why,
            },
            reason=why,
        )


def void_claim(
    db: Database, actor: Actor, claim_id: int, *, reason: str, now: datetime | None = None
) -> None:
    """Cancel a claim before payment, with the reason; frees the officer for a new claim.

    A draft or submitted claim is voided by whoever prepares claims; an approved one (its
    money is committed) only by someone who approves claims. An approved claim leaves its
    payment batch.
    """
    if not (actor.can(Permission.SUBMIT_CLAIMS) or actor.can(Permission.APPROVE_CLAIMS)):
        require(actor, Permission.SUBMIT_CLAIMS)
    why = _reason(reason, "voided")
    with writing(db):
        (claim,) = _claims(db, [claim_id])
        _step("void", claim)
        require(
            actor,
            Permission.APPROVE_CLAIMS if claim.status == "approved" else Permission.SUBMIT_CLAIMS,
        )
        audit = audit_writer(db, actor.username, now)
        update_claim(
            audit,
            claim.id,
            {
                "status": "voided",
                "voided_at": audit.at,
                "voided_by": audit.username,
                "void_reason": why,
                "batch_id": None,
            },
            reason=why,
        )


def pay_claim(
    db: Database,
    actor: Actor,
    claim_id: int,
    *,
    paid_on: date | str,
    reference: str,
    now: datetime | None = None,
) -> None:
    """Record the payment of an approved claim: the date and the payroll batch or check number.

    Refused to whoever approved the claim, and for a pay date before the approval or the
    program's start, outside the funding source's period or in the future. A claim in a
    payment batch is paid with its batch.
    """
    require(actor, Permission.PAY_CLAIMS)
    errors = FieldErrors()
    when = errors.date({"paid_on": paid_on}, "paid_on", required=True)
    ref = errors.text({"reference": reference}, "reference", required=True)
    if errors:
        raise ValidationError(errors)
    assert when is not None
    with writing(db):
        (claim,) = _claims(db, [claim_id])
        _step("pay", claim)
        if claim.batch_id is not None:
            batch = row_dict(db, "payment_batches", claim.batch_id)
            assert batch is not None
            raise ConflictError(
                f"Claim #{claim.id} is in payment batch {batch['reference']}; pay the batch."
            )
        check_not_approver(actor, [claim])
        check_pay_date(db, [claim], when, today_is=today(now))
        audit = audit_writer(db, actor.username, now)
        update_claim(
            audit,
            claim.id,
            {
                "status": "paid",
                "paid_at": audit.at,
                "paid_by": audit.username,
                "paid_on": when.isoformat(),
                "payment_reference": ref,
            },
        )


def add_adjustment(
    db: Database,
    actor: Actor,
    claim_id: int,
    values: Mapping[str, object],
    *,
    now: datetime | None = None,
) -> int:
    """Correct a paid claim with a separate entry: `amount` (negative to recover money),
    `reason`, optional `adjusted_on` (today) and `reference`. The claim itself never changes.

    Money recovered counts at once. An addition is money paid out that nobody approved yet: it
    is recorded as waiting, and counts only once someone who approves claims, other than the
    person who entered it, approves it (approve_adjustment).
    """
    require(actor, Permission.PAY_CLAIMS)
    errors = FieldErrors()
    amount: Cents = 0
    try:
        amount = parse_money(values.get("amount"), allow_negative=True)
        if amount == 0:
            errors["amount"] = "an adjustment of $0.00 changes nothing"
    except MoneyError as exc:
        errors["amount"] = str(exc)
    reason = errors.text(values, "reason", required=True)
    reference = errors.text(values, "reference")
    on_day = today(now)
    adjusted_on = errors.date(values, "adjusted_on") or on_day
    if adjusted_on > on_day:
        errors["adjusted_on"] = (
            f"{adjusted_on.isoformat()} is in the future (today is {on_day.isoformat()}); "
            "record an adjustment once it has been made"
        )
    if errors:
        raise ValidationError(errors)
    with writing(db):
        (claim,) = _claims(db, [claim_id])
        if claim.status != "paid":
            raise ConflictError(
                f"Claim #{claim.id} is {claim.status}; only a paid claim is adjusted "
                "(an unpaid one can be voided and made again)."
            )
        assert claim.paid_on is not None
        if adjusted_on.isoformat() < claim.paid_on:
            raise ValidationError(
                {
                    "adjusted_on": f"{adjusted_on.isoformat()} is before claim #{claim.id} was "
                    f"paid ({claim.paid_on}); a payment is corrected after it is made"
                }
            )
        if claim.net + amount < 0:
            raise ValidationError(
                {
                    "amount": f"{format_money(amount)} would take claim #{claim.id} below "
                    f"$0.00 (it stands at {format_money(claim.net)})"
                }
            )
        if amount > 0:
            check_funds(db, claim.funding_source_id, amount, f"Adjusting by {format_money(amount)}")
        audit = audit_writer(db, actor.username, now)
        return add_adjustment_row(
            audit,
            {
                "claim_id": claim.id,
                "amount_cents": amount,
                "adjusted_on": adjusted_on.isoformat(),
                "reference": reference,
                "reason": reason,
                "created_at": audit.at,
                "created_by": audit.username,
                "status": "pending" if amount > 0 else "counted",
            },
            reason=reason,
        )


def _pending_adjustment(db: Database, actor: Actor, adjustment_id: int) -> AdjustmentRow:
    found = list_adjustments(db, adjustment_ids=[adjustment_id])
    if not found:
        raise NotFoundError(f"There is no adjustment #{adjustment_id}.")
    adjustment = found[0]
    if adjustment.status != "pending":
        raise ConflictError(
            f"Adjustment #{adjustment.id} is {adjustment.status}; only one waiting for "
            "approval is approved or rejected."
        )
    if adjustment.created_by == actor.username:
        raise PermissionDeniedError(
            f"{actor.username} entered adjustment #{adjustment.id} and may not decide it: "
            "money is paid out by one person and approved by another."
        )
    return adjustment


def approve_adjustment(
    db: Database, actor: Actor, adjustment_id: int, *, now: datetime | None = None
) -> None:
    """Approve an addition to a paid claim: from now on it counts (not by whoever entered it).

    Refused when it would overdraw the funding source.
    """
    require(actor, Permission.APPROVE_CLAIMS)
    with writing(db):
        adjustment = _pending_adjustment(db, actor, adjustment_id)
        check_funds(
            db,
            adjustment.funding_source_id,
            adjustment.amount,
            f"Approving the {format_money(adjustment.amount)} adjustment",
        )
        decide_adjustment(audit_writer(db, actor.username, now), adjustment.id, "counted", "")


def reject_adjustment(
    db: Database, actor: Actor, adjustment_id: int, *, reason: str, now: datetime | None = None
) -> None:
    """Turn down an addition to a paid claim, with the reason; it never counts."""
    require(actor, Permission.APPROVE_CLAIMS)
    why = clean_reason(reason, "say why the adjustment is rejected")
    with writing(db):
        adjustment = _pending_adjustment(db, actor, adjustment_id)
        audit = audit_writer(db, actor.username, now)
        decide_adjustment(audit, adjustment.id, "rejected", why)
