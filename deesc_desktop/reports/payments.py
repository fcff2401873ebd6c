"""Bonus payment register for a period: payments, adjustments, approvals, totals to the cent."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from reportlab.platypus import Flowable, Spacer

from deesc_desktop.core.bonus import CLAIM_STATUSES, FUNDING_KINDS
from deesc_desktop.core.money import format_money, format_plain
from deesc_desktop.core.times import local, parse_stamp, stamp_text, zone_description
from deesc_desktop.reports.base.cells import Cell, TextCell
from deesc_desktop.reports.base.formats import MONTHS, fiscal_year_start, iso, long_date
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.signature import OWN_SLOT
from deesc_desktop.reports.base.styles import markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, small_table
from deesc_desktop.services.export import DATE, DATETIME, INTEGER, MONEY
from deesc_desktop.services.reporting.payments import (
    PaymentsData,
    gather_payments,
    status_day,
    status_who,
)
from deesc_desktop.services.signers import FINANCE_SLOT


def local_iso(stamp: str | None) -> str:
    """A stored timestamp as local ISO 8601 with its offset, for the table export ("" if none)."""
    moment = parse_stamp(stamp) if stamp else None
    return local(moment).isoformat(timespec="seconds") if moment else ""


class PaymentRegister(Renderer[PaymentsData]):
    """The de-escalation bonus payment register."""

    kind: ClassVar[str] = "payments"
    signers: ClassVar[tuple[tuple[str, str], ...]] = (
        (OWN_SLOT, "Approved for payment (chief)"),
        (FINANCE_SLOT, "Verified and paid (finance)"),
    )
    attestation: ClassVar[str] = (
        "I attest that the payments listed above were approved under this agency's bonus "
        "program rules, each by someone other than the person who drafted and submitted it "
        "and paid by someone other than the person who approved it, and that the totals are "
        "correct."
    )

    def period(self) -> tuple[date, date]:
        """The period asked for; by default the agency's current fiscal year, to date."""
        end = self.params.end or self.as_of
        start = self.params.start or fiscal_year_start(end, self.agency.fiscal_year_start_month)
        return start, end

    def gather(self) -> PaymentsData:
        start, end = self.period()
        defaulted = self.params.start is None and self.params.end is None
        return gather_payments(self.db, start, end, defaulted=defaulted)

    def period_text(self, data: PaymentsData) -> str:
        dates = f"{long_date(data.start)} to {long_date(data.end)}"
        return f"Fiscal year to date: {dates}" if data.defaulted else dates

    @property
    def zone(self) -> str:
        """The time zone every time in the register is given in, in words."""
        return f"Times are local time, {zone_description(self.as_of)}."

    def attestation_scope(self, data: PaymentsData) -> str:
        return (
            f"{len(data.paid)} claims paid and {len(data.adjustments)} adjustments, "
            f"{format_money(data.grand_total)} in all, {self.period_text(data)}"
        )

    def who(self, name: str | None, at: str | None) -> Cell:
        """Who did a step and when: the name, the local day, the time with its zone."""
        if not name:
            return ""
        day, _, time = stamp_text(at).partition(" ")
        return TextCell(name, day, time)

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
        story: list[Flowable] = [
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
        ]
        if data.defaulted:
            first = MONTHS[self.agency.fiscal_year_start_month - 1]
            story.append(
                para(
                    f"No period was chosen, so this is the agency's fiscal year (which starts "
                    f"on {first} 1) up to {long_date(data.end)}.",
                    s.note,
                )
            )
        story.extend(self.negative_note(data))
        if data.waiting:
            waiting = sum(a.amount for a in data.waiting)
            story.append(
                para(
                    f"Not counted: {len(data.waiting)} addition(s) to paid claims, "
                    f"{format_money(waiting)} in all, entered in the period and waiting for a "
                    "chief's approval (an addition counts only once someone other than the "
                    "person who entered it approves it).",
                    s.note,
                )
            )
        story.append(para(self.zone, s.note))
        story += [
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
                    "Each claim is counted under the status it was in on the period's last "
                    "day, if it reached that status in the period (paid: the payment date). "
                    "Only paid claims are money paid out.",
                    s.note,
                ),
            ),
        ]
        return story

    def negative_note(self, data: PaymentsData) -> list[Flowable]:
        """Why an amount below zero is there, in words: money recovered from officers."""
        if not data.recovered:
            return []
        recovered = [a for a in data.adjustments if a.amount < 0]
        examples = "; ".join(
            f"{format_money(-a.amount)} on {a.adjusted_on} for claim #{a.claim_id}"
            + (
                f" (paid {data.paid_before[a.claim_id]}, before this period)"
                if a.claim_id in data.paid_before
                else ""
            )
            for a in recovered[:3]
        )
        more = f" and {len(recovered) - 3} more" if len(recovered) > 3 else ""
        words = (
            f"Negative amounts are money recovered from officers: {examples}{more}. A recovery "
            "is counted on the day it is made, so it lowers the period it falls in."
        )
        if data.grand_total < 0:
            words += (
                " The grand total is below zero because more was recovered in this period than "
                "was paid in it; the claims those recoveries correct were paid earlier."
            )
        return [para(words, self.styles.note)]

    def register(self, data: PaymentsData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                str(c.id),
                c.paid_on or "",
                para(c.payment_reference, s.cell_small),
                c.badge,
                TextCell(c.officer_name),
                TextCell(c.program, c.funding_source),
                self.who(c.created_by, c.created_at),
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
                "Program, funding",
                "Drafted by",
                "Submitted by",
                "Approved by",
                "Paid by",
                "Amount",
            ],
            rows,
            [0.05, 0.075, 0.115, 0.05, 0.1, 0.155, 0.09, 0.09, 0.09, 0.09, 0.095],
            align=["right"] + ["left"] * 9 + ["right"],
            title=[
                self.heading(f"Payments ({len(rows)})"),
                para(
                    "Claims paid in the period, by payment date, with who did each step and "
                    f"when. {self.zone}",
                    s.note,
                ),
            ],
            empty=self.empty(f"No claims were paid between {iso(data.start)} and {iso(data.end)}."),
            total=_total_row(11, "Total paid claims", 5, format_money(data.paid_total)),
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
                self.who(a.decided_by, a.decided_at)
                if a.decided_by
                else TextCell("not needed:", "money recovered"),
                format_money(a.amount),
            ]
            for a in data.adjustments
        ]
        return PagedTable(
            [
                "Claim",
                "Date",
                "Badge",
                "Officer",
                "Reason",
                "Reference",
                "Entered by",
                "Approved by",
                "Amount",
            ],
            rows,
            [0.06, 0.08, 0.06, 0.14, 0.22, 0.1, 0.13, 0.13, 0.08],
            align=["right", "left", "left", "left", "left", "left", "left", "left", "right"],
            title=[
                self.heading(f"Adjustments to paid claims ({len(rows)})"),
                para(
                    "Corrections recorded against paid claims, dated in the period; a paid "
                    "claim itself never changes. Money recovered (a negative amount) counts at "
                    "once; an addition counts once a chief approves it. "
                    f"{self.zone}",
                    s.note,
                ),
            ],
            empty=self.empty("No adjustments were made in the period."),
            total=_total_row(9, "Total adjustments", 3, format_money(data.adjustments_total)),
        )

    def approvals(self, data: PaymentsData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                str(c.id),
                c.badge,
                TextCell(c.officer_name),
                TextCell(c.program),
                self.who(c.created_by, c.created_at),
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
                "Drafted by",
                "Submitted by",
                "Approved by",
                "Now",
                "Amount",
            ],
            rows,
            [0.06, 0.06, 0.15, 0.16, 0.13, 0.13, 0.13, 0.08, 0.1],
            align=["right", "left", "left", "left", "left", "left", "left", "left", "right"],
            title=[
                self.heading(f"Approvals in the period ({len(rows)})"),
                para(
                    "Who approved each claim and when; the approver is never the person who "
                    f"drafted or submitted it. {self.zone}",
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
                        status_day(c, status),
                        TextCell(status_who(c, status)),
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
            [
                "Program",
                "Paid claims",
                "Paid",
                "Adjustments",
                "Net paid",
                "Approved, unpaid at the end",
            ],
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
                    "Paid in period: claims and adjustments dated in the period. The award "
                    "(with every change a chief approved), paid to date, committed (approved, "
                    f"unpaid) and balance are as they stand on {iso(self.now.date())}.",
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
                c.created_by,
                local_iso(c.created_at),
                c.submitted_by or "",
                local_iso(c.submitted_at),
                c.approved_by or "",
                local_iso(c.approved_at),
                c.paid_by or "",
                local_iso(c.paid_at),
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
                a.decided_by or "",
                local_iso(a.decided_at),
                a.created_by,
                local_iso(a.created_at),
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
                "drafted_by",
                "drafted_at",
                "submitted_by",
                "submitted_at",
                "approved_by",
                "approved_at",
                "paid_by",
                "paid_at",
                "amount",
            ),
            rows,
            kinds={
                "claim": INTEGER,
                "date": DATE,
                "drafted_at": DATETIME,
                "submitted_at": DATETIME,
                "approved_at": DATETIME,
                "paid_at": DATETIME,
                "amount": MONEY,
            },
        )


def _total_row(columns: int, label: str, label_column: int, amount: str) -> list[Cell]:
    """A table's total row: its label under the officer's name, its amount in the last column."""
    row: list[Cell] = [""] * columns
    row[label_column] = label
    row[-1] = amount
    return row
