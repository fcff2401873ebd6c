"""Where bonus money comes from and how it goes out: funding sources and payment batches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.bonus import FUNDING_KINDS, TransitionError, next_status
from deesc_desktop.core.money import Cents, MoneyError, format_money, format_plain, parse_money
from deesc_desktop.core.names import name_key
from deesc_desktop.services.common import (
    FieldErrors,
    fetch_for_update,
    insert_row,
    stamp,
    update_row,
)
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError, require
from deesc_desktop.services.export import write_table
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.claim_queries import (
    FundingSummary,
    claim_snapshot,
    funding_summary,
    list_claims,
    payment_batches,
)
from deesc_desktop.store.database import writing
from deesc_desktop.store.queries import row_dict

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
    row = db.execute(
        "SELECT id FROM funding_sources WHERE name = ? COLLATE NOCASE AND id != ?",
        [name, source_id],
    ).fetchone()
    if row:
        raise ValidationError({"name": f'there is already a funding source named "{name}"'})


def add_funding_source(db: Database, actor: Actor, values: Mapping[str, object]) -> int:
    """Record a grant or budget line bonuses are paid from (name, kind, award, amount, period)."""
    require(actor, Permission.MANAGE_FUNDING)
    cleaned = clean_funding(values)
    with writing(db):
        _check_name_free(db, cleaned["name"])
        audit = AuditWriter(db, actor.username)
        return insert_row(audit, "funding_sources", {**cleaned, **stamp(audit)})


def edit_funding_source(
    db: Database,
    actor: Actor,
    source_id: int,
    values: Mapping[str, object],
    *,
    expected_version: int | None = None,
) -> bool:
    """Change a funding source; its amount may not fall below what is committed or paid."""
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
        _check_name_free(db, cleaned["name"], source_id)
        totals = funding_summary(db, source_id)
        assert totals is not None
        if cleaned["amount_cents"] < totals.used:
            raise ValidationError(
                {
                    "amount": f"{format_money(cleaned['amount_cents'])} is less than the "
                    f"{format_money(totals.used)} already committed or paid from "
                    f"{current['name']}"
                }
            )
        audit = AuditWriter(db, actor.username)
        return update_row(audit, "funding_sources", source_id, cleaned, noun="funding source")


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


def create_payment_batch(
    db: Database,
    actor: Actor,
    values: Mapping[str, object],
    claim_ids: Sequence[int] | None = None,
) -> int:
    """Group approved claims for one payroll run (reference, pay date); None takes every
    approved claim not yet in a batch."""
    require(actor, Permission.PAY_CLAIMS)
    errors = FieldErrors()
    reference = errors.text(values, "reference", required=True)
    pay_date = errors.date(values, "pay_date", required=True)
    notes = errors.text(values, "notes")
    if errors:
        raise ValidationError(errors)
    assert pay_date is not None
    with writing(db):
        if db.execute(
            "SELECT 1 FROM payment_batches WHERE reference = ? COLLATE NOCASE", [reference]
        ).fetchone():
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
        audit = AuditWriter(db, actor.username)
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
    db = audit.db
    for claim_id in claim_ids:
        before = claim_snapshot(db, claim_id)
        assert before is not None
        db.execute(
            "UPDATE claims SET batch_id = ?, version = version + 1, updated_at = ?,"
            " updated_by = ? WHERE id = ?",
            [batch_id, audit.at, audit.username, claim_id],
        )
        after = claim_snapshot(db, claim_id)
        assert after is not None
        audit.record("update", "claims", claim_id, before=before, after=after)


def batch_rows(db: Database, batch_id: int) -> list[list[str]]:
    """A batch's claims as the export lays them out, by officer name."""
    batch = row_dict(db, "payment_batches", batch_id)
    if batch is None:
        raise NotFoundError(f"There is no payment batch with id {batch_id}.")
    claims = sorted(
        list_claims(db, batch_id=batch_id),
        key=lambda c: (name_key(c.last_name, c.first_name, c.badge), c.id),
    )
    awards = dict(db.execute("SELECT id, award_number FROM funding_sources").fetchall())
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
    return write_table(path, BATCH_COLUMNS, batch_rows(db, batch_id))


def pay_batch(db: Database, actor: Actor, batch_id: int) -> int:
    """Mark every claim of the batch paid on its pay date with its reference, all together.

    Returns the number of claims paid; refuses (paying none) if any claim is no longer approved.
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
        audit = AuditWriter(db, actor.username)
        for claim in claims:
            try:
                next_status("pay", claim.id, claim.status)
            except TransitionError as exc:
                raise ConflictError(
                    f"{exc} Nothing in batch {batch['reference']} was paid."
                ) from None
            before = claim_snapshot(db, claim.id)
            assert before is not None
            db.execute(
                "UPDATE claims SET status = 'paid', paid_at = ?, paid_by = ?, paid_on = ?,"
                " payment_reference = ?, version = version + 1, updated_at = ?, updated_by = ?"
                " WHERE id = ?",
                [
                    audit.at,
                    audit.username,
                    batch["pay_date"],
                    batch["reference"],
                    audit.at,
                    audit.username,
                    claim.id,
                ],
            )
            after = claim_snapshot(db, claim.id)
            assert after is not None
            audit.record("update", "claims", claim.id, before=before, after=after)
        update_row(
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
