"""Bonus payment register for a period: payments, adjustments, approvals, totals to the cent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from reportlab.platypus import Flowable, Spacer
from sqlite_utils import Database

from deesc_desktop.core.bonus import CLAIM_STATUSES, FUNDING_KINDS
from deesc_desktop.core.money import Cents, format_money, format_plain
from deesc_desktop.reports.base import (
    OWN_SLOT,
    Cell,
    ExportTable,
    PagedTable,
    Renderer,
    TextCell,
    check_period,
    fiscal_year_start,
    iso,
    long_date,
    markup,
    para,
    small_table,
    stamp_text,
)
from deesc_desktop.services.signers import FINANCE_SLOT
from deesc_desktop.store.claim_queries import (
    ClaimRow,
    FundingSummary,
    funding_summaries,
    list_claims,
)


@dataclass(frozen=True, slots=True)
class AdjustmentRow:
    """A correction to a paid claim (store/claim_queries has no list of these, so: here)."""

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


def adjustments_between(db: Database, start: date, end: date) -> list[AdjustmentRow]:
    """Adjustments dated in the period (both days included), in date order."""
    cursor = db.execute(
        "SELECT a.id, a.claim_id, o.badge, o.last_name || ', ' || o.first_name, p.name,"
        " c.funding_source_id, a.amount_cents, a.adjusted_on, a.reference, a.reason,"
        " a.created_at, a.created_by FROM claim_adjustments a"
        " JOIN claims c ON c.id = a.claim_id JOIN officers o ON o.id = c.officer_id"
        " JOIN bonus_programs p ON p.id = c.program_id"
        " WHERE a.adjusted_on BETWEEN ? AND ? ORDER BY a.adjusted_on, a.id",
        [start.isoformat(), end.isoformat()],
    )
    return [AdjustmentRow(*row) for row in cursor]


def status_day(claim: ClaimRow) -> str:
    """The day a claim reached the status it is in now (ISO)."""
    when = {
        "paid": claim.paid_on,
        "approved": claim.approved_at,
        "submitted": claim.submitted_at,
        "denied": claim.denied_at,
        "voided": claim.voided_at,
    }.get(claim.status, claim.created_at)
    return (when or claim.created_at)[:10]


def status_who(claim: ClaimRow) -> str:
    return {
        "paid": claim.paid_by,
        "approved": claim.approved_by,
        "submitted": claim.submitted_by,
        "denied": claim.denied_by,
        "voided": claim.voided_by,
    }.get(claim.status, claim.created_by) or ""


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
    paid: list[ClaimRow]
    adjustments: list[AdjustmentRow]
    approvals: list[ClaimRow]
    by_status: dict[str, list[ClaimRow]]
    programs: list[ProgramTotal]
    sources: list[SourceTotal]

    @property
    def paid_total(self) -> Cents:
        return sum(c.amount for c in self.paid)

    @property
    def adjustments_total(self) -> Cents:
        return sum(a.amount for a in self.adjustments)

    @property
    def grand_total(self) -> Cents:
        """Money paid out in the period: paid claims plus adjustments, to the cent."""
        return self.paid_total + self.adjustments_total


def _in(day: str | None, start: date, end: date) -> bool:
    return bool(day) and start.isoformat() <= (day or "")[:10] <= end.isoformat()


def gather_payments(renderer: PaymentRegister) -> PaymentsData:
    """Claims paid, approved and otherwise settled in the period, with totals."""
    db = renderer.db
    start, end = renderer.period()
    check_period(start, end)
    claims = list_claims(db)
    paid = sorted(
        (c for c in claims if c.status == "paid" and _in(c.paid_on, start, end)),
        key=lambda c: (c.paid_on or "", c.id),
    )
    adjustments = adjustments_between(db, start, end)
    approvals = [c for c in claims if _in(c.approved_at, start, end)]
    by_status: dict[str, list[ClaimRow]] = {status: [] for status in CLAIM_STATUSES}
    for claim in claims:
        if _in(status_day(claim), start, end):
            by_status[claim.status].append(claim)
    names = {c.program_id: c.program for c in claims}
    paid_by_program: dict[int, list[ClaimRow]] = defaultdict(list)
    for claim in paid:
        paid_by_program[claim.program_id].append(claim)
    adjusted: dict[str, Cents] = defaultdict(int)
    for adjustment in adjustments:
        adjusted[adjustment.program] += adjustment.amount
    committed: dict[int, Cents] = defaultdict(int)
    for claim in claims:
        if claim.status == "approved":
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
    return PaymentsData(start, end, paid, adjustments, approvals, by_status, programs, sources)


class PaymentRegister(Renderer[PaymentsData]):
    """The de-escalation bonus payment register."""

    kind: ClassVar[str] = "payments"
    title: ClassVar[str] = "Bonus payment register"
    description: ClassVar[str] = (
        "De-escalation bonus claims for a period: every payment with who submitted, approved "
        "and paid it, adjustments, claims by status, totals by program and funding source, "
        "and the grand total to the cent."
    )
    params_used: ClassVar[tuple[str, ...]] = (
        "start",
        "end",
        "confidential",
        "signer",
        "signer_title",
    )
    signers: ClassVar[tuple[tuple[str, str], ...]] = (
        (OWN_SLOT, "Approved for payment (chief)"),
        (FINANCE_SLOT, "Verified and paid (finance)"),
    )
    landscape: ClassVar[bool] = True
    attestation: ClassVar[str] = (
        "I attest that the payments listed above were approved under this agency's bonus "
        "program rules, by someone other than the person who submitted each claim, and that "
        "the totals are correct."
    )

    def period(self) -> tuple[date, date]:
        """The period asked for; by default the agency's fiscal year to the as-of date."""
        end = self.params.end or self.as_of
        start = self.params.start or fiscal_year_start(end, self.agency.fiscal_year_start_month)
        return start, end

    def gather(self) -> PaymentsData:
        return gather_payments(self)

    def period_text(self, data: PaymentsData) -> str:
        return f"{long_date(data.start)} to {long_date(data.end)}"

    def attestation_scope(self, data: PaymentsData) -> str:
        return (
            f"{len(data.paid)} claims paid and {len(data.adjustments)} adjustments, "
            f"{format_money(data.grand_total)} in all, {self.period_text(data)}"
        )

    def who(self, name: str | None, at: str | None) -> Cell:
        if not name:
            return ""
        # Times print without "UTC" to fit the column; the section notes say they are UTC.
        when = stamp_text(at).removesuffix(" UTC")
        return markup("{name}<br/>{at}", self.styles.cell_small, name=name, at=when)

    def summary(self, data: PaymentsData) -> list[Flowable]:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                CLAIM_STATUSES[status],
                str(len(claims)),
                format_money(sum(c.amount for c in claims)),
            ]
            for status, claims in data.by_status.items()
        ]
        return [
            self.heading("Summary"),
            markup(
                "Paid in the period: <b>{paid}</b> in {count} claim(s), adjustments "
                "<b>{adj}</b>; <b>grand total paid {total}</b>.",
                s.body,
                paid=format_money(data.paid_total),
                count=len(data.paid),
                adj=format_money(data.adjustments_total),
                total=format_money(data.grand_total),
            ),
            Spacer(1, 4),
            self.keep(
                para("Claims by status", s.h2),
                small_table(
                    ["Status", "Claims", "Amount"],
                    rows,
                    [0.44, 0.2, 0.36],
                    self.frame_width * 0.4,
                    align=["left", "right", "right"],
                ),
                para(
                    "Each claim is counted under the status it is in now, if it reached that "
                    "status in the period (paid: the payment date).",
                    s.note,
                ),
            ),
        ]

    def register(self, data: PaymentsData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                str(c.id),
                c.paid_on or "",
                para(c.payment_reference, s.cell_small),
                c.badge,
                TextCell(c.officer_name),
                TextCell(c.program),
                TextCell(c.funding_source),
                self.who(c.submitted_by, c.submitted_at),
                self.who(c.approved_by, c.approved_at),
                self.who(c.paid_by, c.paid_at),
                format_money(c.amount),
            ]
            for c in data.paid
        ]
        return PagedTable(
            [
                "Claim",
                "Paid on",
                "Reference",
                "Badge",
                "Officer",
                "Program",
                "Funding source",
                "Submitted by",
                "Approved by",
                "Paid by",
                "Amount",
            ],
            rows,
            [0.046, 0.075, 0.12, 0.05, 0.12, 0.104, 0.085, 0.102, 0.102, 0.102, 0.094],
            align=[
                "right",
                "left",
                "left",
                "left",
                "left",
                "left",
                "left",
                "left",
                "left",
                "left",
                "right",
            ],
            title=[
                self.heading(f"Payments ({len(rows)})"),
                para("Claims paid in the period, by payment date. Times are UTC.", s.note),
            ],
            empty=self.empty(f"No claims were paid between {iso(data.start)} and {iso(data.end)}."),
            total=[
                "",
                "",
                "",
                "",
                "Total paid claims",
                "",
                "",
                "",
                "",
                "",
                format_money(data.paid_total),
            ],
        )

    def adjustments(self, data: PaymentsData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                str(a.claim_id),
                a.adjusted_on,
                a.badge,
                TextCell(a.officer),
                TextCell(a.reason),
                para(a.reference, s.cell_small),
                self.who(a.created_by, a.created_at),
                format_money(a.amount),
            ]
            for a in data.adjustments
        ]
        return PagedTable(
            ["Claim", "Date", "Badge", "Officer", "Reason", "Reference", "Entered by", "Amount"],
            rows,
            [0.06, 0.08, 0.06, 0.15, 0.26, 0.12, 0.16, 0.11],
            align=["right", "left", "left", "left", "left", "left", "left", "right"],
            title=[
                self.heading(f"Adjustments to paid claims ({len(rows)})"),
                para(
                    "Corrections recorded against paid claims, dated in the period; a paid "
                    "claim itself never changes. Times are UTC.",
                    s.note,
                ),
            ],
            empty=self.empty("No adjustments were made in the period."),
            total=[
                "",
                "",
                "",
                "Total adjustments",
                "",
                "",
                "",
                format_money(data.adjustments_total),
            ],
        )

    def approvals(self, data: PaymentsData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                str(c.id),
                c.badge,
                TextCell(c.officer_name),
                TextCell(c.program),
                self.who(c.submitted_by, c.submitted_at),
                self.who(c.approved_by, c.approved_at),
                CLAIM_STATUSES.get(c.status, c.status),
                format_money(c.amount),
            ]
            for c in data.approvals
        ]
        return PagedTable(
            [
                "Claim",
                "Badge",
                "Officer",
                "Program",
                "Submitted by",
                "Approved by",
                "Now",
                "Amount",
            ],
            rows,
            [0.06, 0.06, 0.17, 0.17, 0.17, 0.17, 0.08, 0.12],
            align=["right", "left", "left", "left", "left", "left", "left", "right"],
            title=[
                self.heading(f"Approvals in the period ({len(rows)})"),
                para(
                    "Who approved each claim and when (UTC); the approver is never the person "
                    "who submitted it.",
                    s.note,
                ),
            ],
            empty=self.empty("No claims were approved in the period."),
        )

    def unpaid(self, data: PaymentsData) -> Flowable:
        rows: list[list[Cell]] = []
        for status in ("approved", "submitted", "draft", "denied", "voided"):
            for c in data.by_status[status]:
                reason = c.denied_reason or c.void_reason
                rows.append(
                    [
                        str(c.id),
                        CLAIM_STATUSES[status],
                        status_day(c),
                        TextCell(status_who(c)),
                        c.badge,
                        TextCell(c.officer_name),
                        TextCell(c.program),
                        TextCell(reason),
                        format_money(c.amount),
                    ]
                )
        return PagedTable(
            ["Claim", "Status", "On", "By", "Badge", "Officer", "Program", "Reason", "Amount"],
            rows,
            [0.06, 0.08, 0.08, 0.12, 0.06, 0.15, 0.14, 0.2, 0.11],
            align=["right"] + ["left"] * 7 + ["right"],
            title=[self.heading(f"Claims not paid ({len(rows)})")],
            empty=self.empty("Every claim settled in the period was paid."),
        )

    def totals(self, data: PaymentsData) -> list[Flowable]:
        s = self.styles
        program_rows: list[list[Cell]] = [
            [
                TextCell(p.name),
                str(p.paid_claims),
                format_money(p.paid),
                format_money(p.adjustments),
                format_money(p.net),
                format_money(p.committed),
            ]
            for p in data.programs
        ]
        by_program = PagedTable(
            ["Program", "Paid claims", "Paid", "Adjustments", "Net paid", "Approved, unpaid now"],
            program_rows,
            [0.32, 0.12, 0.14, 0.14, 0.14, 0.14],
            align=["left"] + ["right"] * 5,
            title=[self.heading("Totals by program")],
            empty=self.empty("No program paid or owes anything in the period."),
            total=[
                "All programs",
                str(len(data.paid)),
                format_money(data.paid_total),
                format_money(data.adjustments_total),
                format_money(data.grand_total),
                format_money(sum(p.committed for p in data.programs)),
            ],
        )
        source_rows: list[list[Cell]] = [
            [
                TextCell(t.source.name),
                TextCell(FUNDING_KINDS.get(t.source.kind, t.source.kind)),
                TextCell(t.source.award_number),
                format_money(t.source.amount),
                format_money(t.paid_in_period),
                format_money(t.source.paid),
                format_money(t.source.committed),
                format_money(t.source.balance),
            ]
            for t in data.sources
        ]
        by_source = PagedTable(
            [
                "Funding source",
                "Kind",
                "Award",
                "Awarded",
                "Paid in period",
                "Paid to date",
                "Committed",
                "Balance",
            ],
            source_rows,
            [0.16, 0.17, 0.14, 0.11, 0.11, 0.11, 0.1, 0.1],
            align=["left"] * 3 + ["right"] * 5,
            title=[
                self.heading("Totals by funding source"),
                para(
                    "Paid in period: claims and adjustments dated in the period. Paid to "
                    "date, committed (approved, unpaid) and balance are as of now.",
                    s.note,
                ),
            ],
            empty=self.empty("No funding sources are recorded."),
            total=[
                "All sources",
                "",
                "",
                format_money(sum(t.source.amount for t in data.sources)),
                format_money(sum(t.paid_in_period for t in data.sources)),
                format_money(sum(t.source.paid for t in data.sources)),
                format_money(sum(t.source.committed for t in data.sources)),
                format_money(sum(t.source.balance for t in data.sources)),
            ],
        )
        grand = markup(
            "Grand total paid {start} to {end}: <b>{total}</b> ({count} paid claim(s) "
            "{paid}, adjustments {adj}).",
            self.styles.body,
            start=iso(data.start),
            end=iso(data.end),
            total=format_money(data.grand_total),
            count=len(data.paid),
            paid=format_money(data.paid_total),
            adj=format_money(data.adjustments_total),
        )
        return [by_program, by_source, self.keep(self.heading("Grand total"), grand)]

    def story(self, data: PaymentsData) -> list[Flowable]:
        # Totals first, as an auditor reads; the claim-by-claim detail follows.
        *totals, grand = self.totals(data)
        return [
            *self.summary(data),
            *totals,
            self.register(data),
            self.adjustments(data),
            self.approvals(data),
            self.unpaid(data),
            grand,
        ]

    def table(self, data: PaymentsData) -> ExportTable:
        rows = [
            [
                "claim",
                str(c.id),
                c.paid_on or "",
                c.payment_reference,
                c.badge,
                c.officer_name,
                c.program,
                c.funding_source,
                c.submitted_by or "",
                c.submitted_at or "",
                c.approved_by or "",
                c.approved_at or "",
                c.paid_by or "",
                format_plain(c.amount),
            ]
            for c in data.paid
        ]
        names = {t.source.id: t.source.name for t in data.sources}
        rows += [
            [
                "adjustment",
                str(a.claim_id),
                a.adjusted_on,
                a.reference,
                a.badge,
                a.officer,
                a.program,
                names.get(a.funding_source_id, ""),
                "",
                "",
                "",
                "",
                a.created_by,
                format_plain(a.amount),
            ]
            for a in data.adjustments
        ]
        return ExportTable(
            (
                "entry",
                "claim",
                "date",
                "reference",
                "badge",
                "officer",
                "program",
                "funding_source",
                "submitted_by",
                "submitted_at",
                "approved_by",
                "approved_at",
                "paid_by",
                "amount",
            ),
            rows,
        )
