"""Table models of bonus claims: the claim queue, who qualifies, programs, funding, batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from deesc_desktop.core.bonus import CLAIM_STATUSES, FUNDING_KINDS
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.money import format_money
from deesc_desktop.core.names import name_key
from deesc_desktop.gui import style
from deesc_desktop.gui.forms import local_time
from deesc_desktop.gui.models import LEFT, RIGHT, Column, Index, RowsModel, natural_key
from deesc_desktop.services.bonus import EligibilityRow
from deesc_desktop.store.claims import AdjustmentRow, ClaimEvidence, ClaimRow, ProgramRow
from deesc_desktop.store.funding import AwardChangeRow, BatchRow, FundingSummary

CLAIM_ORDER = {code: number for number, code in enumerate(CLAIM_STATUSES)}


def claim_status_text(status: str) -> str:
    return CLAIM_STATUSES.get(status, status)


def _latest_step(row: ClaimRow) -> tuple[str, str, str]:
    """(verb, when, who) of the claim's latest step."""
    for at, by, verb in (
        (row.paid_at, row.paid_by, "paid"),
        (row.voided_at, row.voided_by, "voided"),
        (row.denied_at, row.denied_by, "denied"),
        (row.approved_at, row.approved_by, "approved"),
        (row.submitted_at, row.submitted_by, "submitted"),
    ):
        if at:
            return verb, at, by or ""
    return "drafted", row.created_at, row.created_by


def last_step(row: ClaimRow) -> str:
    """Who did the latest step, and when (local time): "submitted 2026-10-25 11:00 CST by
    sgt.delgado"."""
    verb, at, by = _latest_step(row)
    return f"{verb} {local_time(at)} by {by}"


def last_step_cell(row: ClaimRow) -> str:
    """The latest step in two lines, when and who; the Status column beside it says which."""
    _verb, at, by = _latest_step(row)
    return f"{local_time(at)}\nby {by}"


class ClaimColumn:
    ID = 0
    OFFICER = 1
    BADGE = 2
    PROGRAM = 3
    AMOUNT = 4
    STATUS = 5
    FUNDING = 6
    LAST_STEP = 7


def _amount_text(row: ClaimRow) -> str:
    if row.adjustments or row.pending_adjustments:
        return f"{format_money(row.net)} (adj.)"
    return format_money(row.amount)


class ClaimsModel(RowsModel):
    """Bonus claims: one ClaimRow each, with its money in exact cents."""

    COLUMNS = (
        Column("Claim", lambda r: f"#{r.id}", lambda r: r.id, RIGHT, width=6),
        Column(
            "Officer",
            lambda r: r.officer_name,
            lambda r: name_key(r.last_name, r.first_name),
            width=15,
        ),
        Column("Badge", lambda r: r.badge, lambda r: natural_key(r.badge), width=5),
        Column("Program", lambda r: r.program, width=24),
        Column("Amount", _amount_text, lambda r: r.net, RIGHT, width=14),
        Column(
            "Status",
            lambda r: claim_status_text(r.status),
            lambda r: (CLAIM_ORDER.get(r.status, 9), r.id),
            width=9,
        ),
        Column("Paid from", lambda r: r.funding_source, width=25),
        Column(
            "Last step",
            last_step_cell,
            lambda r: max(
                filter(
                    None,
                    (
                        r.created_at,
                        r.submitted_at,
                        r.approved_at,
                        r.denied_at,
                        r.voided_at,
                        r.paid_at,
                    ),
                )
            ),
        ),
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            index.isValid()
            and role == Qt.ItemDataRole.BackgroundRole
            and index.column() == ClaimColumn.STATUS
        ):
            return style.tone_background(style.CLAIM_TONE[self.row(index.row()).status])
        return super().data(index, role)

    def foreground(self, row: ClaimRow, column: int) -> QColor | None:
        if column == ClaimColumn.STATUS:
            return style.tone_text(style.CLAIM_TONE[row.status])
        if column == ClaimColumn.AMOUNT and row.pending_adjustments:
            return QColor(style.Colour.WARNING)
        return None

    def tooltip(self, row: ClaimRow, column: int) -> str | None:
        if column == ClaimColumn.AMOUNT and (row.adjustments or row.pending_adjustments):
            text = (
                f"{format_money(row.amount)} paid, adjusted by {format_money(row.adjustments)}: "
                f"{format_money(row.net)} in the end"
            )
            if row.pending_adjustments:
                text += (
                    f"; an addition of {format_money(row.pending_adjustments)} waits for a "
                    "chief's approval and does not count yet"
                )
            return text
        if column == ClaimColumn.STATUS:
            reason = row.denied_reason or row.void_reason
            return f"{claim_status_text(row.status)}: {reason}" if reason else None
        if column == ClaimColumn.LAST_STEP:
            return last_step(row)
        return None


def claim_haystack(row: ClaimRow) -> str:
    return f"#{row.id} {row.badge} {row.last_name} {row.first_name} {row.program}".casefold()


class EvidenceModel(RowsModel):
    """The training records behind a claim, as they read when it was made."""

    COLUMNS = (
        Column("Completed", lambda r: r.completed, lambda r: r.completed, width=10),
        Column("Course", lambda r: r.course),
        Column("Hours", lambda r: f"{r.hours:.1f}", lambda r: r.hours, RIGHT, width=6),
        Column(
            "Counted", lambda r: f"{r.counted_hours:.1f}", lambda r: r.counted_hours, RIGHT, width=7
        ),
        Column(
            "Post-test",
            lambda r: "" if r.post_test is None else f"{r.post_test:g}",
            lambda r: r.post_test or -1,
            RIGHT,
            width=8,
        ),
    )

    def set_rows(self, rows: Sequence[ClaimEvidence]) -> None:
        super().set_rows(rows)


# --- who qualifies --------------------------------------------------------------------------------


class EligibleColumn:
    OFFICER = 0
    BADGE = 1
    RESULT = 2
    HOURS = 3
    DENIED = 4
    WHY = 5


def denied_text(row: EligibilityRow) -> str:
    """The officer's claims denied before, by number: "#5", "#5, #9"; "" for none."""
    return ", ".join(f"#{claim.id}" for claim in row.denied)


def denied_lines(row: EligibilityRow, program_id: int | None = None) -> list[str]:
    """Each earlier denied claim in a line: program, when, who denied it and why."""
    return [
        f"Claim #{c.id}, {c.program}{' (this program)' if c.program_id == program_id else ''}: "
        f"denied {local_time(c.denied_at or '')} by {c.denied_by}: "
        f"{c.denied_reason or 'no reason given'}"
        for c in row.denied
    ]


def eligibility_text(row: EligibilityRow) -> str:
    if row.existing_claim:
        return "Already claimed"
    return "✓ Qualifies" if row.eligibility.eligible else "✗ Does not qualify"


class EligibilityModel(RowsModel):
    """Every officer against a program; the ones that can be claimed carry a check box."""

    COLUMNS = (
        Column(
            "Officer",
            lambda r: r.officer.display_name,
            lambda r: name_key(r.officer.last_name, r.officer.first_name),
            width=24,
        ),
        Column("Badge", lambda r: r.officer.badge, lambda r: natural_key(r.officer.badge), width=7),
        Column(
            "Result",
            eligibility_text,
            lambda r: (0 if r.claimable else 1 if r.existing_claim else 2, r.officer.last_name),
            width=17,
        ),
        Column(
            "Hours",
            lambda r: format_hours(r.eligibility.hours),
            lambda r: r.eligibility.hours,
            RIGHT,
            width=7,
        ),
        Column(
            "Denied before",
            denied_text,
            lambda r: (-len(r.denied), r.officer.last_name),
            LEFT,
            "Claims of this officer that a chief denied before, in any program",
            width=14,
        ),
        Column("Why, or what is missing", lambda r: r.explanation),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.checked: set[int] = set()

    def set_rows(self, rows: Sequence[EligibilityRow]) -> None:
        self.checked = {row.officer.id for row in rows if row.claimable}
        super().set_rows(rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (
            index.isValid()
            and index.column() == EligibleColumn.OFFICER
            and self.row(index.row()).claimable
        ):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row(index.row())
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == EligibleColumn.OFFICER:
            if not row.claimable:
                return None
            checked = row.officer.id in self.checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != EligibleColumn.OFFICER
        ):
            return False
        row = self.row(index.row())
        if not row.claimable:
            return False
        self.set_checked([row.officer.id], Qt.CheckState(value) == Qt.CheckState.Checked)
        return True

    def set_checked(self, officer_ids: Sequence[int], checked: bool) -> None:
        claimable = {row.officer.id for row in self._rows if row.claimable}
        for officer_id in officer_ids:
            if checked and officer_id in claimable:
                self.checked.add(officer_id)
            else:
                self.checked.discard(officer_id)
        if self._order:
            self.dataChanged.emit(
                self.index(0, EligibleColumn.OFFICER),
                self.index(len(self._order) - 1, EligibleColumn.OFFICER),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def foreground(self, row: EligibilityRow, column: int) -> QColor | None:
        if column == EligibleColumn.DENIED:
            return QColor(style.Colour.ERROR)
        if column == EligibleColumn.RESULT:
            if row.existing_claim:
                return QColor(style.Colour.NEUTRAL)
            return QColor(style.Colour.OK if row.eligibility.eligible else style.Colour.ERROR)
        return None

    def tooltip(self, row: EligibilityRow, column: int) -> str | None:
        if column == EligibleColumn.DENIED and row.denied:
            return "\n".join(denied_lines(row))
        return row.explanation if column == EligibleColumn.WHY else None


# --- programs, funding, batches -------------------------------------------------------------------


def program_rule_text(row: ProgramRow, labels: dict[str, str] | None = None) -> str:
    """What qualifies, in words: topics and courses, hours, the passing score."""
    rule = row.program.rule
    text = f"{format_hours(rule.min_hours)} h of {rule.describe(labels or {})}"
    if rule.passing_score is not None:
        text += f", post-test ≥ {rule.passing_score:g}"
    return text


def _claims_text(counts: dict[str, int]) -> str:
    return (
        ", ".join(
            f"{counts[code]} {label.lower()}"
            for code, label in CLAIM_STATUSES.items()
            if counts.get(code)
        )
        or "none"
    )


class ProgramsModel(RowsModel):
    """Bonus programs with what qualifies and how many claims each has."""

    COLUMNS = (
        Column("Program", lambda r: r.program.name, width=22),
        Column(
            "Amount",
            lambda r: format_money(r.program.amount),
            lambda r: r.program.amount,
            RIGHT,
            width=10,
        ),
        Column("Per officer", lambda r: "Once" if r.program.one_time else "Repeatable", width=10),
        Column("What qualifies", program_rule_text, width=22),
        Column(
            "Training between",
            lambda r: f"{r.program.rule.start.isoformat()} and {r.program.rule.end.isoformat()}",
            lambda r: r.program.rule.start,
            width=14,
        ),
        Column("Paid from", lambda r: r.funding_source, width=21),
        Column(
            "Claims", lambda r: _claims_text(r.claims), lambda r: sum(r.claims.values()), width=20
        ),
        Column("Paid so far", lambda r: format_money(r.paid), lambda r: r.paid, RIGHT, width=11),
    )
    RULE = 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels: dict[str, str] = {}
        """Topic code -> label, so the rule reads "de-escalation", not a code."""

    def set_programs(self, rows: Sequence[ProgramRow], labels: dict[str, str]) -> None:
        self.labels = dict(labels)
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            index.isValid()
            and index.column() == self.RULE
            and role
            in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ToolTipRole,
            )
        ):
            return program_rule_text(self.row(index.row()), self.labels)
        return super().data(index, role)


class FundingModel(RowsModel):
    """Funding sources with what is pending, committed, paid and left."""

    COLUMNS = (
        Column("Funding source", lambda r: r.name, width=22),
        Column("Kind", lambda r: FUNDING_KINDS.get(r.kind, r.kind), width=18),
        Column("Award number", lambda r: r.award_number, width=18),
        Column("Awarded", lambda r: format_money(r.amount), lambda r: r.amount, RIGHT, width=12),
        Column(
            "Pending",
            lambda r: format_money(r.pending),
            lambda r: r.pending,
            RIGHT,
            "Submitted claims awaiting a decision (not yet counted against the balance)",
            width=12,
        ),
        Column(
            "Committed",
            lambda r: format_money(r.committed),
            lambda r: r.committed,
            RIGHT,
            "Approved, not yet paid",
            width=12,
        ),
        Column("Paid", lambda r: format_money(r.paid), lambda r: r.paid, RIGHT, width=12),
        Column("Balance", lambda r: format_money(r.balance), lambda r: r.balance, RIGHT, width=12),
        Column("Period", lambda r: f"{r.start} to {r.end}", lambda r: r.start),
    )

    def foreground(self, row: FundingSummary, column: int) -> QColor | None:
        if column == 7:
            return QColor(style.Colour.ERROR if row.balance <= 0 else style.Colour.OK)
        return None


class BatchesModel(RowsModel):
    """Payment batches, newest first, with claim count and exact total."""

    COLUMNS = (
        Column("Reference", lambda r: r.reference, width=24),
        Column("Pay date", lambda r: r.pay_date, lambda r: r.pay_date, width=11),
        Column("Claims", lambda r: str(r.claims), lambda r: r.claims, RIGHT, width=7),
        Column("Total", lambda r: format_money(r.total), lambda r: r.total, RIGHT, width=14),
        Column(
            "Status",
            lambda r: "Paid" if r.status == "paid" else "Waiting for payroll",
            lambda r: r.status,
            width=18,
        ),
        Column("Created by", lambda r: f"{r.created_by}, {local_time(r.created_at)}"),
        Column(
            "Paid",
            lambda r: f"{local_time(r.paid_at)} by {r.paid_by}" if r.paid_at else "",
            lambda r: r.paid_at or "",
        ),
    )

    def foreground(self, row: BatchRow, column: int) -> QColor | None:
        if column == 4:
            return QColor(style.Colour.OK if row.status == "paid" else style.Colour.WARNING)
        return None


# --- changes to money after the fact --------------------------------------------------------------

_WAITING_FIRST = {"pending": 0}


def adjustment_state(row: AdjustmentRow) -> str:
    """Where a correction stands, and who decided it: "Approved by chief.harmon, 2026-12-03"."""
    if row.status == "pending":
        return "Waiting for approval"
    if row.status == "counted" and not row.decided_at:
        return "Counts (money recovered)"
    verb = "Approved" if row.status == "counted" else "Rejected"
    return f"{verb} by {row.decided_by}, {local_day(row.decided_at)}"


def award_change_state(row: AwardChangeRow) -> str:
    """Where an award change stands, and who decided it."""
    if row.status == "pending" or not row.decided_at:
        return "Waiting for approval"
    return f"{row.status.capitalize()} by {row.decided_by}, {local_day(row.decided_at)}"


def local_day(stamp: str | None) -> str:
    """The local day of a stored time ("2026-12-03"), for a column with no room for the hour."""
    return local_time(stamp)[:10] if stamp else ""


def _state_colour(status: str) -> QColor:
    if status == "pending":
        return QColor(style.Colour.WARNING)
    return QColor(style.Colour.ERROR if status == "rejected" else style.Colour.OK)


def _decision_tip(at: str | None, by: str | None, reason: str) -> str | None:
    if not at:
        return None
    return f"Decided {local_time(at)} by {by}" + (f": {reason}" if reason else "")


class AdjustmentColumn:
    ID = 0
    CLAIM = 1
    OFFICER = 2
    AMOUNT = 3
    DATED = 4
    REASON = 5
    ENTERED = 6
    STATE = 7


class AdjustmentsModel(RowsModel):
    """Corrections to paid claims, the ones waiting for a chief first."""

    COLUMNS = (
        Column("#", lambda r: str(r.id), lambda r: r.id, RIGHT, width=2),
        Column("Claim", lambda r: f"#{r.claim_id}", lambda r: r.claim_id, RIGHT, width=4),
        Column(
            "Officer",
            lambda r: f"{r.officer} ({r.badge})",
            lambda r: r.officer.casefold(),
            width=18,
        ),
        Column("Amount", lambda r: format_money(r.amount), lambda r: r.amount, RIGHT, width=9),
        Column("Dated", lambda r: r.adjusted_on, lambda r: r.adjusted_on, width=10),
        Column("Reason", lambda r: r.reason),
        Column("Entered by", lambda r: r.created_by, width=10),
        Column(
            "State", adjustment_state, lambda r: (_WAITING_FIRST.get(r.status, 1), -r.id), width=32
        ),
    )

    def foreground(self, row: AdjustmentRow, column: int) -> QColor | None:
        if column == AdjustmentColumn.STATE:
            return _state_colour(row.status)
        return None

    def tooltip(self, row: AdjustmentRow, column: int) -> str | None:
        if column == AdjustmentColumn.AMOUNT:
            if row.amount < 0:
                return "Money recovered: it counts at once."
            return "Money paid out: it counts only once a chief approves it."
        if column == AdjustmentColumn.ENTERED:
            return f"Entered {local_time(row.created_at)} by {row.created_by}"
        if column == AdjustmentColumn.STATE:
            return _decision_tip(row.decided_at, row.decided_by, row.decision_reason)
        return row.reason if column == AdjustmentColumn.REASON else None


class AwardColumn:
    ID = 0
    SOURCE = 1
    AMOUNT = 2
    PERIOD = 3
    REASON = 4
    REQUESTED = 5
    STATE = 6


def _award_amount(row: AwardChangeRow) -> str:
    if row.amount == row.previous_amount:
        return f"{format_money(row.amount)} (unchanged)"
    return f"{format_money(row.previous_amount)} → {format_money(row.amount)}"


def _award_period(row: AwardChangeRow) -> str:
    if (row.start, row.end) == (row.previous_start, row.previous_end):
        return "unchanged"
    return f"{row.start} to {row.end}"


class AwardChangesModel(RowsModel):
    """Requests to change an award's amount or period, the ones waiting for a chief first."""

    COLUMNS = (
        Column("#", lambda r: str(r.id), lambda r: r.id, RIGHT, width=2),
        Column("Funding source", lambda r: r.funding_source, width=22),
        Column("Amount", _award_amount, lambda r: r.amount, width=22),
        Column("Period", _award_period, lambda r: r.start, width=22),
        Column("Reason", lambda r: r.reason),
        Column("Asked by", lambda r: r.requested_by, width=10),
        Column(
            "State",
            award_change_state,
            lambda r: (_WAITING_FIRST.get(r.status, 1), -r.id),
            width=32,
        ),
    )

    def foreground(self, row: AwardChangeRow, column: int) -> QColor | None:
        if column == AwardColumn.STATE:
            return _state_colour(row.status)
        return None

    def tooltip(self, row: AwardChangeRow, column: int) -> str | None:
        if column == AwardColumn.PERIOD:
            return f"Was {row.previous_start} to {row.previous_end}"
        if column == AwardColumn.REQUESTED:
            return f"Asked {local_time(row.requested_at)} by {row.requested_by}"
        if column == AwardColumn.STATE:
            return _decision_tip(row.decided_at, row.decided_by, row.decision_reason)
        return row.reason if column == AwardColumn.REASON else None
