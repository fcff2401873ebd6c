"""What the bonus claims page shows: its data, loaded at once, and the selected claim's detail."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.core.money import format_money
from deesc_desktop.gui import style
from deesc_desktop.gui.features.claims.models import (
    EvidenceModel,
    claim_status_text,
)
from deesc_desktop.gui.forms import local_time
from deesc_desktop.gui.widgets import (
    muted,
    table_view,
)
from deesc_desktop.services.bonus import program_funding_warnings
from deesc_desktop.store.claims import (
    AdjustmentRow,
    ClaimEvidence,
    ClaimRow,
    ProgramRow,
    list_adjustments,
    list_claims,
    programs,
)
from deesc_desktop.store.courses import topic_labels
from deesc_desktop.store.funding import (
    AwardChangeRow,
    BatchRow,
    FundingSummary,
    award_changes,
    funding_summaries,
    payment_batches,
)


@dataclass(frozen=True, slots=True)
class BonusData:
    claims: list[ClaimRow]
    batches: list[BatchRow]
    programs: list[ProgramRow]
    funding: list[FundingSummary]
    labels: dict[str, str]
    adjustments: list[AdjustmentRow]
    """Every correction to a paid claim; additions wait for a chief's approval."""
    award_changes: list[AwardChangeRow]
    """Every request to change an award, newest first."""
    warnings: dict[int, str] = field(default_factory=dict)
    """Program id -> why paying its bonus from its (federal) funding source is a problem."""

    @property
    def waiting_adjustments(self) -> list[AdjustmentRow]:
        return [a for a in self.adjustments if a.status == "pending"]

    @property
    def waiting_awards(self) -> list[AwardChangeRow]:
        return [c for c in self.award_changes if c.status == "pending"]


def bonus_data(db: Database) -> BonusData:
    return BonusData(
        list_claims(db),
        payment_batches(db),
        programs(db),
        funding_summaries(db),
        topic_labels(db),
        list_adjustments(db),
        award_changes(db),
        program_funding_warnings(db),
    )


class ClaimDetail(QFrame):
    """The selected claim: who did each step, why it qualified, and its training evidence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        text = QVBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("detailHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        text.addWidget(self.heading)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.body)
        text.addStretch(1)
        layout.addLayout(text, 1)
        # The training and the documents share one side in tabs: side by side, at the
        # default window size, neither had room for its columns.
        self.sides = QTabWidget()
        evidence_tab = QWidget()
        evidence = QVBoxLayout(evidence_tab)
        evidence.addWidget(muted("As each record read when the claim was made:"))
        self.evidence = EvidenceModel(self)
        self.evidence_view = table_view(
            self.evidence,
            sortable=False,
            stretch=1,
        )
        evidence.addWidget(self.evidence_view)
        self.sides.addTab(evidence_tab, "Training behind the claim")
        layout.addWidget(self.sides, 3)
        layout.setStretch(0, 2)
        self.show_none()

    def show_none(self, text: str | None = None) -> None:
        self.heading.setText(escape(text or "Select a claim to see its history and evidence."))
        self.body.clear()
        self.evidence.set_rows([])

    def show_claim(self, claim: ClaimRow, evidence: list[ClaimEvidence]) -> None:
        tone = style.CLAIM_TONE[claim.status]
        self.heading.setText(
            f"Claim #{claim.id} · {escape(claim.officer_name)} (badge {escape(claim.badge)}) · "
            + style.coloured(escape(claim_status_text(claim.status)), tone.text, bold=True)
        )
        lines = [
            f"<b>{escape(claim.program)}</b>: {format_money(claim.amount)} from "
            f"{escape(claim.funding_source)}"
        ]
        if claim.adjustments:
            lines.append(
                f"Adjusted by {format_money(claim.adjustments)}: "
                f"<b>{format_money(claim.net)}</b> in the end"
            )
        if claim.pending_adjustments:
            lines.append(
                style.coloured(
                    f"An addition of {format_money(claim.pending_adjustments)} waits for a "
                    "chief's approval; it does not count until then.",
                    style.Colour.WARNING,
                )
            )
        lines.append(f"Qualified: {escape(claim.eligibility)}")
        for verb, at, by in (
            ("Drafted", claim.created_at, claim.created_by),
            ("Submitted", claim.submitted_at, claim.submitted_by),
            ("Approved", claim.approved_at, claim.approved_by),
            ("Denied", claim.denied_at, claim.denied_by),
            ("Voided", claim.voided_at, claim.voided_by),
            ("Paid", claim.paid_at, claim.paid_by),
        ):
            if at:
                lines.append(f"{verb} {escape(local_time(at))} by {escape(by or '')}")
        if claim.denied_reason:
            lines.append(
                style.coloured(f"Denied because: {escape(claim.denied_reason)}", style.Colour.ERROR)
            )
        if claim.void_reason:
            lines.append(f"Voided because: {escape(claim.void_reason)}")
        if claim.paid_on:
            lines.append(f"Paid on {claim.paid_on}, reference {escape(claim.payment_reference)}")
        self.body.setText("<br>".join(lines))
        self.evidence.set_rows(evidence)
