"""Payment batch voucher: the claims of one payroll batch, totals, and the chief's and finance's
lines, printed before the batch is paid (or after, as the record of what was paid)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from reportlab.platypus import Flowable

from deesc_desktop.core.money import format_money, format_plain
from deesc_desktop.core.times import stamp_text
from deesc_desktop.reports.base.cells import Cell, TextCell
from deesc_desktop.reports.base.formats import long_date
from deesc_desktop.reports.base.renderer import Renderer
from deesc_desktop.reports.base.signature import OWN_SLOT
from deesc_desktop.reports.base.styles import markup, para
from deesc_desktop.reports.base.tables import ExportTable, PagedTable, detail_table, small_table
from deesc_desktop.services.export import INTEGER, MONEY
from deesc_desktop.services.reporting.voucher import VoucherData, gather_voucher
from deesc_desktop.services.signers import FINANCE_SLOT

BATCH_STATUSES = {"open": "Open: not yet paid", "paid": "Paid"}


class VoucherReport(Renderer[VoucherData]):
    """A printable voucher for one payment batch."""

    kind: ClassVar[str] = "voucher"
    attestation: ClassVar[str] = (
        "We certify that each claim listed was approved under this agency's bonus program "
        "rules by someone other than the person who submitted it, and that the amounts are "
        "correct and due for payment."
    )
    signers: ClassVar[tuple[tuple[str, str], ...]] = (
        (OWN_SLOT, "Approved for payment (chief)"),
        (FINANCE_SLOT, "Verified and paid (finance)"),
    )

    def gather(self) -> VoucherData:
        return gather_voucher(self.db, self.params.batch or "")

    def period_text(self, data: VoucherData) -> str:
        pay_date = date.fromisoformat(data.batch.pay_date)
        return f"Batch {data.batch.reference}, pay date {long_date(pay_date)}"

    def attestation_scope(self, data: VoucherData) -> str:
        return (
            f"payment batch {data.batch.reference}, {len(data.claims)} claims, "
            f"{format_money(data.total)}"
        )

    def details(self, data: VoucherData) -> Flowable:
        s = self.styles
        b = data.batch
        paid = f"{b.paid_by}, {stamp_text(b.paid_at)}" if b.paid_by else "Not yet"
        pairs = [
            ("Batch", b.reference),
            ("Pay date", b.pay_date),
            ("Status", BATCH_STATUSES.get(b.status, b.status)),
            ("Claims", f"{len(data.claims)}, {format_money(data.total)}"),
            ("Created by", f"{b.created_by}, {stamp_text(b.created_at)}"),
            ("Paid by", paid),
        ]
        rows: list[list[Cell]] = [
            [
                para(pairs[i][0], s.cell_bold),
                para(pairs[i][1], s.cell),
                para(pairs[i + 1][0], s.cell_bold),
                para(pairs[i + 1][1], s.cell),
            ]
            for i in range(0, len(pairs), 2)
        ]
        if b.notes:
            rows.append([para("Notes", s.cell_bold), para(b.notes, s.cell), "", ""])
        return detail_table(rows, [0.14, 0.36, 0.14, 0.36], self.frame_width)

    def claims_table(self, data: VoucherData) -> Flowable:
        s = self.styles
        rows: list[list[Cell]] = [
            [
                str(c.id),
                c.badge,
                TextCell(c.officer_name),
                TextCell(c.program),
                TextCell(c.funding_source),
                markup(
                    "{name}<br/>{at}",
                    s.cell_small,
                    name=c.approved_by or "",
                    at=stamp_text(c.approved_at),
                ),
                format_money(c.amount),
            ]
            for c in data.claims
        ]
        return PagedTable(
            ["Claim", "Badge", "Officer", "Program", "Funding source", "Approved by", "Amount"],
            rows,
            [0.07, 0.07, 0.19, 0.2, 0.16, 0.18, 0.13],
            align=["right", "left", "left", "left", "left", "left", "right"],
            title=[self.heading(f"Claims in the batch ({len(rows)})")],
            empty=self.empty(f"Batch {data.batch.reference} holds no claims."),
            total=["", "", "Total", "", "", "", format_money(data.total)],
        )

    def sources_table(self, data: VoucherData) -> list[Flowable]:
        rows: list[list[Cell]] = [
            [TextCell(name), str(count), format_money(amount)]
            for name, count, amount in data.by_source()
        ]
        if not rows:
            return []
        return [
            self.keep(
                para("By funding source", self.styles.h2),
                small_table(
                    ["Funding source", "Claims", "Amount"],
                    rows,
                    [0.6, 0.15, 0.25],
                    self.frame_width * 0.6,
                    align=["left", "right", "right"],
                    total=["All sources", str(len(data.claims)), format_money(data.total)],
                ),
            )
        ]

    def story(self, data: VoucherData) -> list[Flowable]:
        return [self.details(data), self.claims_table(data), *self.sources_table(data)]

    def table(self, data: VoucherData) -> ExportTable:
        return ExportTable(
            ("batch", "claim", "badge", "officer", "program", "funding_source", "amount"),
            [
                [
                    data.batch.reference,
                    str(c.id),
                    c.badge,
                    c.officer_name,
                    c.program,
                    c.funding_source,
                    format_plain(c.amount),
                ]
                for c in data.claims
            ],
            kinds={"claim": INTEGER, "amount": MONEY},
        )
