"""Funding sources with their totals, award changes and payment batches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from deesc_desktop.core.money import Cents
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.rows import update_row


@dataclass(frozen=True, slots=True)
class FundingSummary:
    """A funding source with what is pending, committed and paid against it.

    committed: approved, not yet paid; paid: paid claims plus the adjustments that count;
    pending: submitted, awaiting a decision (not yet counted against the balance).
    """

    id: int
    name: str
    kind: str
    award_number: str
    amount: Cents
    start: str
    end: str
    notes: str
    version: int
    pending: Cents
    committed: Cents
    paid: Cents

    @property
    def used(self) -> Cents:
        return self.committed + self.paid

    @property
    def balance(self) -> Cents:
        return self.amount - self.committed - self.paid


def funding_summaries(db: Database, source_id: int | None = None) -> list[FundingSummary]:
    """Every funding source (or one) with its totals, by name."""
    where, params = ("WHERE f.id = ?", [source_id]) if source_id is not None else ("", [])
    cursor = db.execute(
        f"""
        SELECT f.id, f.name, f.kind, f.award_number, f.amount_cents, f.start, f."end", f.notes,
               f.version,
               coalesce((SELECT sum(amount_cents) FROM claims
                         WHERE funding_source_id = f.id AND status = 'submitted'), 0),
               coalesce((SELECT sum(amount_cents) FROM claims
                         WHERE funding_source_id = f.id AND status = 'approved'), 0),
               coalesce((SELECT sum(amount_cents) FROM claims
                         WHERE funding_source_id = f.id AND status = 'paid'), 0)
               + coalesce((SELECT sum(a.amount_cents) FROM claim_adjustments a
                           JOIN claims c ON c.id = a.claim_id
                           WHERE c.funding_source_id = f.id AND a.status = 'counted'), 0)
        FROM funding_sources f {where} ORDER BY f.name COLLATE NOCASE
        """,
        params,
    )
    return [FundingSummary(*row) for row in cursor]


def funding_summary(db: Database, source_id: int) -> FundingSummary | None:
    found = funding_summaries(db, source_id)
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class BatchRow:
    """A payment batch with its claim count and total."""

    id: int
    reference: str
    pay_date: str
    status: str
    notes: str
    created_at: str
    created_by: str
    paid_at: str | None
    paid_by: str | None
    version: int
    claims: int
    total: Cents


def payment_batches(db: Database, batch_id: int | None = None) -> list[BatchRow]:
    """Payment batches (or one), newest first."""
    where, params = ("WHERE b.id = ?", [batch_id]) if batch_id is not None else ("", [])
    cursor = db.execute(
        "SELECT b.id, b.reference, b.pay_date, b.status, b.notes, b.created_at, b.created_by,"
        " b.paid_at, b.paid_by, b.version, count(c.id), coalesce(sum(c.amount_cents), 0)"
        f" FROM payment_batches b LEFT JOIN claims c ON c.batch_id = b.id {where}"
        " GROUP BY b.id ORDER BY b.pay_date DESC, b.id DESC",
        params,
    )
    return [BatchRow(*row) for row in cursor]


@dataclass(frozen=True, slots=True)
class AwardChangeRow:
    """A request to change a funding source's amount or period, and the chief's decision."""

    id: int
    funding_source_id: int
    funding_source: str
    amount: Cents
    start: str
    end: str
    previous_amount: Cents
    previous_start: str
    previous_end: str
    reason: str
    status: str
    """pending, approved (the award now reads so) or rejected."""
    requested_at: str
    requested_by: str
    decided_at: str | None
    decided_by: str | None
    decision_reason: str


def award_changes(
    db: Database, *, status: str | None = None, change_id: int | None = None
) -> list[AwardChangeRow]:
    """Award change requests, newest first."""
    where: list[str] = []
    params: list[object] = []
    if status is not None:
        where.append("a.status = ?")
        params.append(status)
    if change_id is not None:
        where.append("a.id = ?")
        params.append(change_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    cursor = db.execute(
        'SELECT a.id, a.funding_source_id, f.name, a.amount_cents, a.start, a."end",'
        " a.previous_amount_cents, a.previous_start, a.previous_end, a.reason, a.status,"
        " a.requested_at, a.requested_by, a.decided_at, a.decided_by, a.decision_reason"
        f" FROM award_changes a JOIN funding_sources f ON f.id = a.funding_source_id {clause}"
        " ORDER BY a.id DESC",
        params,
    )
    return [AwardChangeRow(*row) for row in cursor]


def award_numbers(db: Database) -> dict[int, str]:
    """Funding source id -> its award number."""
    return dict(db.execute("SELECT id, award_number FROM funding_sources").fetchall())


def decide_award_change(audit: AuditWriter, change_id: int, status: str, reason: str) -> None:
    """Record the decision on an award change request: who, when, and why."""
    update_row(
        audit,
        "award_changes",
        change_id,
        {
            "status": status,
            "decided_at": audit.at,
            "decided_by": audit.username,
            "decision_reason": reason,
        },
        versioned=False,
        reason=reason,
    )
