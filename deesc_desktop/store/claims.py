"""Bonus programs, claims with their evidence, and adjustments to paid claims."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.bonus import Program, ProgramRule
from deesc_desktop.core.hours import from_float
from deesc_desktop.core.money import Cents
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.rows import Key, add_row, in_clause, insert_row, row_dict, update_row
from deesc_desktop.store.settings import read_settings, whole_number


def program_from_row(row: dict[str, Any]) -> Program:
    """A core Program from a `bonus_programs` row."""
    return Program(
        id=row["id"],
        name=row["name"],
        amount=row["amount_cents"],
        one_time=bool(row["one_time"]),
        funding_source_id=row["funding_source_id"],
        rule=ProgramRule(
            start=date.fromisoformat(row["start"]),
            end=date.fromisoformat(row["end"]),
            min_hours=from_float(row["min_hours"]),
            topics=frozenset(json.loads(row["topics"])),
            courses=tuple(json.loads(row["courses"])),
            passing_score=row["passing_score"],
        ),
    )


def load_program(db: Database, program_id: int) -> Program | None:
    row = row_dict(db, "bonus_programs", program_id)
    return program_from_row(row) if row else None


@dataclass(frozen=True, slots=True)
class ProgramRow:
    """A program as the programs list shows it, with its claims counted by state."""

    program: Program
    funding_source: str
    notes: str
    version: int
    claims: dict[str, int]
    paid: Cents


def programs(db: Database) -> list[ProgramRow]:
    """Every bonus program, newest start first."""
    counts: dict[int, dict[str, int]] = {}
    for program_id, status, count in db.execute(
        "SELECT program_id, status, count(*) FROM claims GROUP BY program_id, status"
    ):
        counts.setdefault(program_id, {})[status] = count
    paid = dict(
        db.execute(
            "SELECT c.program_id, sum(c.amount_cents) + coalesce(sum(a.total), 0) FROM claims c"
            " LEFT JOIN (SELECT claim_id, sum(amount_cents) AS total FROM claim_adjustments"
            " WHERE status = 'counted' GROUP BY claim_id) a ON a.claim_id = c.id"
            " WHERE c.status = 'paid'"
            " GROUP BY c.program_id"
        ).fetchall()
    )
    cursor = db.execute(
        "SELECT p.*, f.name AS funding_name FROM bonus_programs p"
        " JOIN funding_sources f ON f.id = p.funding_source_id ORDER BY p.start DESC, p.name"
    )
    names = [c[0] for c in cursor.description]
    result = []
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        result.append(
            ProgramRow(
                program=program_from_row(row),
                funding_source=row["funding_name"],
                notes=row["notes"],
                version=row["version"],
                claims=counts.get(row["id"], {}),
                paid=paid.get(row["id"], 0) or 0,
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A claim as lists and exports show it; money in cents, dates and times as ISO text."""

    id: int
    program_id: int
    program: str
    officer_id: int
    badge: str
    last_name: str
    first_name: str
    amount: Cents
    adjustments: Cents
    """Adjustments that count: money recovered, and additions a chief approved."""
    pending_adjustments: Cents
    """Additions entered but not yet approved: they count only once a chief approves them."""
    funding_source_id: int
    funding_source: str
    status: str
    qualifying_hours: float
    eligibility: str
    created_at: str
    created_by: str
    submitted_at: str | None
    submitted_by: str | None
    approved_at: str | None
    approved_by: str | None
    denied_at: str | None
    denied_by: str | None
    denied_reason: str
    voided_at: str | None
    voided_by: str | None
    void_reason: str
    paid_at: str | None
    paid_by: str | None
    paid_on: str | None
    payment_reference: str
    batch_id: int | None
    version: int

    @property
    def officer_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    @property
    def net(self) -> Cents:
        """The amount after adjustments: what the officer was paid in the end."""
        return self.amount + self.adjustments


_CLAIM_SQL = """
SELECT c.id, c.program_id, p.name, c.officer_id, o.badge, o.last_name, o.first_name,
       c.amount_cents,
       coalesce((SELECT sum(a.amount_cents) FROM claim_adjustments a
                 WHERE a.claim_id = c.id AND a.status = 'counted'), 0),
       coalesce((SELECT sum(a.amount_cents) FROM claim_adjustments a
                 WHERE a.claim_id = c.id AND a.status = 'pending'), 0),
       c.funding_source_id, f.name, c.status, c.qualifying_hours, c.eligibility,
       c.created_at, c.created_by, c.submitted_at, c.submitted_by, c.approved_at, c.approved_by,
       c.denied_at, c.denied_by, c.denied_reason, c.voided_at, c.voided_by, c.void_reason,
       c.paid_at, c.paid_by, c.paid_on, c.payment_reference, c.batch_id, c.version
FROM claims c
JOIN bonus_programs p ON p.id = c.program_id
JOIN officers o ON o.id = c.officer_id
JOIN funding_sources f ON f.id = c.funding_source_id
"""


def list_claims(
    db: Database,
    *,
    program_id: int | None = None,
    status: str | None = None,
    officer_id: int | None = None,
    batch_id: int | None = None,
    claim_ids: list[int] | None = None,
) -> list[ClaimRow]:
    """Claims, filtered as asked, in claim number order."""
    where: list[str] = []
    params: list[object] = []
    for column, value in (
        ("c.program_id", program_id),
        ("c.status", status),
        ("c.officer_id", officer_id),
        ("c.batch_id", batch_id),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if claim_ids is not None:
        where.append(f"c.id IN ({', '.join('?' for _ in claim_ids) or 'NULL'})")
        params.extend(claim_ids)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return [ClaimRow(*row) for row in db.execute(f"{_CLAIM_SQL} {clause} ORDER BY c.id", params)]


def get_claim(db: Database, claim_id: int) -> ClaimRow | None:
    found = list_claims(db, claim_ids=[claim_id])
    return found[0] if found else None


@dataclass(frozen=True, slots=True)
class ClaimEvidence:
    """One training record behind a claim, as it read when the claim was made."""

    record_id: int
    course: str
    completed: str
    hours: float
    counted_hours: float
    post_test: float | None


def claim_evidence(db: Database, claim_id: Key) -> list[ClaimEvidence]:
    cursor = db.execute(
        "SELECT record_id, course, completed, hours, counted_hours, post_test FROM claim_records"
        " WHERE claim_id = ? ORDER BY completed, record_id",
        [claim_id],
    )
    return [ClaimEvidence(*row) for row in cursor]


def claim_snapshot(db: Database, claim_id: Key) -> dict[str, Any] | None:
    """A claim as the audit log keeps it: the row plus the ids of its training records."""
    row = row_dict(db, "claims", claim_id)
    if row is None:
        return None
    row["records"] = ",".join(str(e.record_id) for e in claim_evidence(db, claim_id))
    return row


@dataclass(frozen=True, slots=True)
class AdjustmentRow:
    """A correction to a paid claim, with whether it counts yet."""

    id: int
    claim_id: int
    badge: str
    officer: str
    program: str
    funding_source_id: int
    amount: Cents
    adjusted_on: str
    reference: str
    reason: str
    created_at: str
    created_by: str
    status: str
    """counted (recovered money, or an approved addition), pending (an addition awaiting a
    chief's approval) or rejected."""
    decided_at: str | None
    decided_by: str | None
    decision_reason: str


def list_adjustments(
    db: Database,
    *,
    start: date | None = None,
    end: date | None = None,
    status: str | None = None,
    adjustment_ids: list[int] | None = None,
) -> list[AdjustmentRow]:
    """Adjustments dated in the period (both days included) and in the status asked, by date."""
    where: list[str] = []
    params: list[object] = []
    if start is not None:
        where.append("a.adjusted_on >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("a.adjusted_on <= ?")
        params.append(end.isoformat())
    if status is not None:
        where.append("a.status = ?")
        params.append(status)
    if adjustment_ids is not None:
        where.append(f"a.id IN ({', '.join('?' for _ in adjustment_ids) or 'NULL'})")
        params.extend(adjustment_ids)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    cursor = db.execute(
        "SELECT a.id, a.claim_id, o.badge, o.last_name || ', ' || o.first_name, p.name,"
        " c.funding_source_id, a.amount_cents, a.adjusted_on, a.reference, a.reason,"
        " a.created_at, a.created_by, a.status, a.decided_at, a.decided_by, a.decision_reason"
        " FROM claim_adjustments a"
        " JOIN claims c ON c.id = a.claim_id JOIN officers o ON o.id = c.officer_id"
        f" JOIN bonus_programs p ON p.id = c.program_id {clause} ORDER BY a.adjusted_on, a.id",
        params,
    )
    return [AdjustmentRow(*row) for row in cursor]


@dataclass(frozen=True, slots=True)
class PayWindow:
    """What limits the day a claim may be paid: its approval, its program, its funding."""

    claim_id: int
    approved_at: str | None
    program: str
    program_start: date
    funding_source: str
    funding_start: date
    funding_end: date


def pay_windows(db: Database, claim_ids: list[int]) -> dict[int, PayWindow]:
    """Each claim's pay window, by claim id."""
    cursor = db.execute(
        'SELECT c.id, c.approved_at, p.name, p.start, f.name, f.start, f."end" FROM claims c'
        " JOIN bonus_programs p ON p.id = c.program_id"
        " JOIN funding_sources f ON f.id = c.funding_source_id"
        f" WHERE c.id IN ({', '.join('?' for _ in claim_ids) or 'NULL'})",
        claim_ids,
    )
    return {
        row[0]: PayWindow(
            claim_id=row[0],
            approved_at=row[1],
            program=row[2],
            program_start=date.fromisoformat(row[3]),
            funding_source=row[4],
            funding_start=date.fromisoformat(row[5]),
            funding_end=date.fromisoformat(row[6]),
        )
        for row in cursor
    }


BONUS_DEFAULT_AMOUNT_KEY = "bonus.default_amount_cents"


BONUS_DEFAULT_AMOUNT: Cents = 380_000
"""$3,800.00: the figure in the bonus article, a default the agency changes, never a constant."""


def default_bonus_amount(db: Database) -> Cents:
    """The amount a new bonus program starts from ($3,800.00 unless the agency changed it)."""
    stored = read_settings(db, [BONUS_DEFAULT_AMOUNT_KEY]).get(BONUS_DEFAULT_AMOUNT_KEY)
    return whole_number(stored, BONUS_DEFAULT_AMOUNT)


def claim_record_keys(db: Database, claim_id: int) -> list[tuple[int, str, str]]:
    """(record id, course title, date) of the training behind a claim, as it was claimed."""
    return db.execute(
        "SELECT record_id, course, completed FROM claim_records WHERE claim_id = ?"
        " ORDER BY completed, record_id",
        [claim_id],
    ).fetchall()


# --- writing and checking claims -----------------------------------------------------------

OPEN_STATUSES = ("draft", "submitted", "approved", "paid")
"""Claims that hold their training: they stop it earning a second payment."""

_OPEN = f"status IN ({', '.join(repr(status) for status in OPEN_STATUSES)})"


def claim_count(db: Database, program_id: int) -> int:
    """How many claims a program has, in any state."""
    return int(
        db.execute("SELECT count(*) FROM claims WHERE program_id = ?", [program_id]).fetchone()[0]
    )


def claimed_records(db: Database, program_id: int) -> dict[int, set[int]]:
    """Training records already behind open or paid claims of the program, by officer."""
    used: dict[int, set[int]] = {}
    for officer_id, record_id in db.execute(
        "SELECT c.officer_id, r.record_id FROM claim_records r JOIN claims c ON c.id = r.claim_id"
        f" WHERE c.program_id = ? AND c.{_OPEN}",
        [program_id],
    ):
        used.setdefault(officer_id, set()).add(record_id)
    return used


def open_claims(db: Database, program_id: int) -> dict[int, tuple[int, str]]:
    """Each officer's latest open or paid claim in the program, as (claim id, status)."""
    return {
        officer_id: (claim_id, status)
        for claim_id, officer_id, status in db.execute(
            f"SELECT id, officer_id, status FROM claims WHERE program_id = ? AND {_OPEN}"
            " ORDER BY id",
            [program_id],
        )
    }


@dataclass(frozen=True, slots=True)
class ClaimedRecord:
    """A training record behind a claim, as it read when the claim was made."""

    record_id: int
    course: str
    completed: str
    hours: float
    counted_hours: float
    post_test: float | None


def insert_claim(
    audit: AuditWriter, values: dict[str, Any], evidence: Sequence[ClaimedRecord]
) -> int:
    """Add a claim with the training records it rests on, and audit it with them."""
    claim_id = add_row(audit.db, "claims", values)
    audit.db.conn.executemany(
        "INSERT INTO claim_records (claim_id, record_id, course, completed, hours,"
        " counted_hours, post_test) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                claim_id,
                e.record_id,
                e.course,
                e.completed,
                e.hours,
                e.counted_hours,
                e.post_test,
            )
            for e in evidence
        ],
    )
    audit.record("insert", "claims", claim_id, after=claim_snapshot(audit.db, claim_id))
    return claim_id


def update_claim(
    audit: AuditWriter, claim_id: int, changes: dict[str, Any], *, reason: str = ""
) -> None:
    """Change a claim, counting a version, and audit it with its training records."""
    update_row(audit, "claims", claim_id, changes, snapshot=claim_snapshot, reason=reason)


@dataclass(frozen=True, slots=True)
class ChangedEvidence:
    """A training record behind a claim that no longer reads as it did when claimed."""

    claim_id: int
    record_id: int
    deleted: bool


def changed_evidence(db: Database, claim_ids: Sequence[int]) -> ChangedEvidence | None:
    """The first training record behind these claims deleted or changed since the claim."""
    row = db.execute(
        "SELECT cr.claim_id, cr.record_id, r.id FROM claim_records cr"
        " JOIN claims cl ON cl.id = cr.claim_id"
        " LEFT JOIN training_records r ON r.id = cr.record_id"
        " LEFT JOIN courses c ON c.id = r.course_id"
        f" WHERE {in_clause('cr.claim_id', claim_ids)}"
        " AND (r.id IS NULL OR r.officer_id != cl.officer_id OR r.completed != cr.completed"
        " OR round(r.hours, 2) != round(cr.hours, 2) OR c.title != cr.course)"
        " ORDER BY cr.claim_id LIMIT 1",
        list(claim_ids),
    ).fetchone()
    return ChangedEvidence(row[0], row[1], row[2] is None) if row else None


def add_adjustment_row(audit: AuditWriter, values: dict[str, Any], *, reason: str) -> int:
    """Record an adjustment to a paid claim, audited with its reason."""
    return insert_row(audit, "claim_adjustments", values, reason=reason)


def decide_adjustment(audit: AuditWriter, adjustment_id: int, status: str, reason: str) -> None:
    """Record the decision on a pending adjustment: who, when, and why."""
    update_row(
        audit,
        "claim_adjustments",
        adjustment_id,
        {
            "status": status,
            "decided_at": audit.at,
            "decided_by": audit.username,
            "decision_reason": reason,
        },
        versioned=False,
        reason=reason,
    )
