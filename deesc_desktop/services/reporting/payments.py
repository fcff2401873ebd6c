"""What the bonus payment register prints: a period's claims, adjustments and totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.bonus import CLAIM_STATUSES
from deesc_desktop.core.money import Cents
from deesc_desktop.core.times import local_day
from deesc_desktop.services.reporting import adjustments_on_last_day, check_period
from deesc_desktop.store.claims import AdjustmentRow, ClaimRow, list_claims
from deesc_desktop.store.funding import FundingSummary, funding_summaries


def _day(stamp: str | None) -> str:
    """The local day (ISO) of a stored timestamp; "" for none."""
    day = local_day(stamp) if stamp else None
    return day.isoformat() if day else (stamp or "")[:10]


def status_day(claim: ClaimRow, status: str | None = None) -> str:
    """The local day a claim reached `status` (default: the status it is in now), ISO."""
    status = status or claim.status
    if status == "paid" and claim.paid_on:
        return claim.paid_on
    when = {
        "approved": claim.approved_at,
        "submitted": claim.submitted_at,
        "denied": claim.denied_at,
        "voided": claim.voided_at,
    }.get(status, claim.created_at)
    return _day(when or claim.created_at)


def status_who(claim: ClaimRow, status: str | None = None) -> str:
    """Who took the claim to `status` (default: the status it is in now)."""
    return {
        "paid": claim.paid_by,
        "approved": claim.approved_by,
        "submitted": claim.submitted_by,
        "denied": claim.denied_by,
        "voided": claim.voided_by,
    }.get(status or claim.status, claim.created_by) or ""


def status_on(claim: ClaimRow, day: date) -> str | None:
    """The status a claim was in at the end of `day`; None when it was not drafted yet.

    A claim only moves forward (core.bonus.TRANSITIONS) and each step keeps its time, so the
    last step taken by then is its status: paid by its payment date, the others by the local
    day of the step.
    """
    last = day.isoformat()
    if claim.paid_on and claim.paid_on <= last:
        return "paid"
    for status, stamp in (
        ("voided", claim.voided_at),
        ("denied", claim.denied_at),
        ("approved", claim.approved_at),
        ("submitted", claim.submitted_at),
        ("draft", claim.created_at),
    ):
        if stamp and _day(stamp) <= last:
            return status
    return None


@dataclass(frozen=True, slots=True)
class ProgramTotal:
    name: str
    paid_claims: int
    paid: Cents
    adjustments: Cents
    committed: Cents

    @property
    def net(self) -> Cents:
        return self.paid + self.adjustments


@dataclass(frozen=True, slots=True)
class SourceTotal:
    source: FundingSummary
    paid_in_period: Cents


@dataclass(frozen=True, slots=True)
class PaymentsData:
    """The claims and money the register prints."""

    start: date
    end: date
    defaulted: bool
    """True when the period is the fiscal year to date because none was asked for."""
    paid: list[ClaimRow]
    adjustments: list[AdjustmentRow]
    """Adjustments that count, dated in the period."""
    waiting: list[AdjustmentRow]
    """Additions dated in the period that waited for a chief's approval on its last day (they
    do not count)."""
    paid_before: dict[int, str]
    """claim id -> pay date, for claims adjusted in the period but paid before it."""
    approvals: list[ClaimRow]
    by_status: dict[str, list[ClaimRow]]
    """Claims by the status they were in on the period's last day, each counted when it
    reached that status in the period."""
    programs: list[ProgramTotal]
    sources: list[SourceTotal]

    @property
    def paid_total(self) -> Cents:
        return sum(c.amount for c in self.paid)

    @property
    def adjustments_total(self) -> Cents:
        return sum(a.amount for a in self.adjustments)

    @property
    def recovered(self) -> Cents:
        """Money taken back from officers in the period (negative adjustments), as a negative."""
        return sum(a.amount for a in self.adjustments if a.amount < 0)

    @property
    def grand_total(self) -> Cents:
        """Money paid out in the period: paid claims plus adjustments, to the cent."""
        return self.paid_total + self.adjustments_total


def _in(day: str | None, start: date, end: date) -> bool:
    return bool(day) and start.isoformat() <= (day or "")[:10] <= end.isoformat()


def gather_payments(db: Database, start: date, end: date, *, defaulted: bool) -> PaymentsData:
    """Claims paid, approved and otherwise settled in the period, with totals."""
    check_period(start, end)
    claims = list_claims(db)
    paid = sorted(
        (c for c in claims if c.status == "paid" and _in(c.paid_on, start, end)),
        key=lambda c: (c.paid_on or "", c.id),
    )
    adjustments, waiting = adjustments_on_last_day(db, start, end)
    by_id = {c.id: c for c in claims}
    paid_before = {
        a.claim_id: by_id[a.claim_id].paid_on or ""
        for a in adjustments
        if (by_id[a.claim_id].paid_on or "") < start.isoformat()
    }
    approvals = [c for c in claims if _in(_day(c.approved_at), start, end)]
    # Each claim as it stood on the period's last day: a reprint says what it said then.
    on_last_day = {claim.id: status_on(claim, end) for claim in claims}
    by_status: dict[str, list[ClaimRow]] = {status: [] for status in CLAIM_STATUSES}
    for claim in claims:
        status = on_last_day[claim.id]
        if status is not None and _in(status_day(claim, status), start, end):
            by_status[status].append(claim)
    names = {c.program_id: c.program for c in claims}
    paid_by_program: dict[int, list[ClaimRow]] = defaultdict(list)
    for claim in paid:
        paid_by_program[claim.program_id].append(claim)
    adjusted: dict[str, Cents] = defaultdict(int)
    for adjustment in adjustments:
        adjusted[adjustment.program] += adjustment.amount
    committed: dict[int, Cents] = defaultdict(int)
    for claim in claims:
        if on_last_day[claim.id] == "approved":
            committed[claim.program_id] += claim.amount
    program_ids = sorted(
        set(paid_by_program) | set(committed) | {pid for pid, n in names.items() if adjusted[n]},
        key=lambda pid: names[pid].casefold(),
    )
    programs = [
        ProgramTotal(
            names[pid],
            len(paid_by_program[pid]),
            sum(c.amount for c in paid_by_program[pid]),
            adjusted[names[pid]],
            committed[pid],
        )
        for pid in program_ids
    ]
    spent: dict[int, Cents] = defaultdict(int)
    for claim in paid:
        spent[claim.funding_source_id] += claim.amount
    for adjustment in adjustments:
        spent[adjustment.funding_source_id] += adjustment.amount
    sources = [SourceTotal(s, spent[s.id]) for s in funding_summaries(db)]
    return PaymentsData(
        start=start,
        end=end,
        defaulted=defaulted,
        paid=paid,
        adjustments=adjustments,
        waiting=waiting,
        paid_before=paid_before,
        approvals=approvals,
        by_status=by_status,
        programs=programs,
        sources=sources,
    )
