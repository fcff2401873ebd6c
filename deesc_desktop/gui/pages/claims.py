"""The bonus claims page: the claim queue by status with its workflow, payment batches,
programs, funding sources, and the additions and award changes a chief approves."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from deesc_desktop.core.bonus import CLAIM_STATUSES
from deesc_desktop.core.money import format_money
from deesc_desktop.gui import prompts, style, workers
from deesc_desktop.gui.actions import ActionId, ActionRegistry
from deesc_desktop.gui.claim_models import (
    AdjustmentColumn,
    AdjustmentsModel,
    AwardChangesModel,
    AwardColumn,
    BatchesModel,
    ClaimColumn,
    ClaimsModel,
    EvidenceModel,
    FundingModel,
    ProgramsModel,
    adjustment_state,
    award_change_state,
    claim_haystack,
    claim_status_text,
)
from deesc_desktop.gui.context import CLAIMS, FUNDING, OFFICERS, PROGRAMS, TRAINING, AppContext
from deesc_desktop.gui.dialogs.claims import (
    AdjustmentDialog,
    BatchDialog,
    EligibleDialog,
    FundingDialog,
    ProgramDialog,
    ask_claim_reason,
)
from deesc_desktop.gui.documents import DocumentsPanel
from deesc_desktop.gui.forms import local_time, page_title
from deesc_desktop.gui.models import RowFilterProxy, all_of, words_predicate
from deesc_desktop.gui.operations import USER_ERRORS, ask_export_path
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import (
    SearchBox,
    action_bar,
    filter_combo,
    muted,
    table_view,
    two_line_rows,
)
from deesc_desktop.services.bonus import program_funding_warnings
from deesc_desktop.services.claim_workflow import (
    approve_adjustment,
    approve_claims,
    deny_claim,
    reject_adjustment,
    submit_claims,
    void_claim,
)
from deesc_desktop.services.course_files import claim_documents
from deesc_desktop.services.funding import (
    approve_award_change,
    batch_summary,
    export_payment_batch,
    pay_batch,
    reject_award_change,
)
from deesc_desktop.store.claims import (
    AdjustmentRow,
    ClaimEvidence,
    ClaimRow,
    ProgramRow,
    claim_evidence,
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

STATUS_TABS: tuple[str | None, ...] = (None, *CLAIM_STATUSES)
"""The status filter tabs: every claim, then each state in workflow order."""
DOCUMENTS_TAB = "Documents"
"""The claim detail's second tab: the documents behind the claim."""
APPROVALS = "Approvals"
"""The last tab: corrections to paid claims and award changes, with the chief's decisions."""


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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
            self.evidence, sortable=False, stretch=1, widths={0: 10, 2: 6, 3: 7, 4: 8}
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


class ClaimsPage(Page):
    """Claims by status with their workflow; batches, programs and funding in tabs."""

    watches = frozenset({CLAIMS, PROGRAMS, FUNDING, OFFICERS, TRAINING})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        heading = QHBoxLayout()
        heading.addWidget(page_title("Bonus claims"))
        heading.addStretch(1)
        self.money = QLabel()
        self.money.setTextFormat(Qt.TextFormat.RichText)
        heading.addWidget(self.money)
        self.layout_.addLayout(heading)
        self.funding_warning = QLabel()
        self.funding_warning.setObjectName("formBanner")
        self.funding_warning.setWordWrap(True)
        self.funding_warning.hide()
        self.layout_.addWidget(self.funding_warning)
        self.data: BonusData | None = None

        self.tabs = QTabWidget()
        self.layout_.addWidget(self.tabs, 1)
        self.tabs.addTab(self._claims_tab(actions), "Claims")
        self.tabs.addTab(self._batches_tab(actions), "Payment batches")
        self.tabs.addTab(self._programs_tab(actions), "Programs")
        self.tabs.addTab(self._funding_tab(actions), "Funding sources")
        self.tabs.addTab(self._approvals_tab(actions), APPROVALS)

        actions.connect(ActionId.FIND_ELIGIBLE, self.find_eligible)
        actions.connect(ActionId.SUBMIT_CLAIMS, self.submit_selected)
        actions.connect(ActionId.APPROVE_CLAIMS, self.approve_selected)
        actions.connect(ActionId.DENY_CLAIM, self.deny_selected)
        actions.connect(ActionId.VOID_CLAIM, self.void_selected)
        actions.connect(ActionId.CREATE_BATCH, self.create_batch)
        actions.connect(ActionId.EXPORT_BATCH, self.export_batch)
        actions.connect(ActionId.PAY_BATCH, self.pay_selected_batch)
        actions.connect(ActionId.ADD_PROGRAM, self.add_program)
        actions.connect(ActionId.ADD_FUNDING, self.add_funding)
        actions.connect(ActionId.EDIT_FUNDING, self.edit_funding)
        actions.connect(ActionId.ADJUST_CLAIM, self.adjust_selected)
        actions.connect(ActionId.APPROVE_ADJUSTMENT, self.approve_adjustment)
        actions.connect(ActionId.REJECT_ADJUSTMENT, self.reject_adjustment)
        actions.connect(ActionId.APPROVE_AWARD_CHANGE, self.approve_award_change)
        actions.connect(ActionId.REJECT_AWARD_CHANGE, self.reject_award_change)
        self._update_actions()

    # --- building ---------------------------------------------------------------------------------

    def _claims_tab(self, actions: ActionRegistry) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.status_tabs = QTabBar()
        self.status_tabs.setObjectName("statusTabs")
        self.status_tabs.setExpanding(False)
        self.status_tabs.setDrawBase(False)
        for status in STATUS_TABS:
            self.status_tabs.addTab("All" if status is None else CLAIM_STATUSES[status])
        top = QHBoxLayout()
        top.addWidget(self.status_tabs)
        top.addStretch(1)
        self.program = filter_combo("Show one program", 14)
        top.addWidget(self.program)
        self.search = SearchBox("Search name, badge, claim #")
        top.addWidget(self.search)
        layout.addLayout(top)
        layout.addWidget(
            action_bar(
                [
                    actions[action_id]
                    for action_id in (
                        ActionId.FIND_ELIGIBLE,
                        ActionId.SUBMIT_CLAIMS,
                        ActionId.APPROVE_CLAIMS,
                        ActionId.DENY_CLAIM,
                        ActionId.VOID_CLAIM,
                        ActionId.CREATE_BATCH,
                        ActionId.ADJUST_CLAIM,
                    )
                ]
            )
        )
        self.claims = ClaimsModel(self)
        self.claims.sort(ClaimColumn.ID, Qt.SortOrder.DescendingOrder)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.claims)
        self.view = table_view(
            self.proxy,
            widths={
                ClaimColumn.ID: 6,
                ClaimColumn.OFFICER: 15,
                ClaimColumn.BADGE: 5,
                ClaimColumn.PROGRAM: 24,
                ClaimColumn.AMOUNT: 14,
                ClaimColumn.STATUS: 9,
                ClaimColumn.FUNDING: 25,
            },
            stretch=ClaimColumn.LAST_STEP,
            sort=(ClaimColumn.ID, Qt.SortOrder.DescendingOrder),
        )
        two_line_rows(self.view)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.detail = ClaimDetail()
        self.documents = DocumentsPanel(
            self.ctx, caption="Documents behind the claim:", show_for=True
        )
        self.detail.sides.addTab(self.documents, DOCUMENTS_TAB)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self.selection_text = muted("")
        layout.addWidget(self.selection_text)
        self.status_tabs.currentChanged.connect(lambda _i: self.apply_filter())
        self.program.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.search.search.connect(lambda _text: self.apply_filter())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        return tab

    def _batches_tab(self, actions: ActionRegistry) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            action_bar(
                [
                    actions[ActionId.CREATE_BATCH],
                    actions[ActionId.EXPORT_BATCH],
                    actions[ActionId.PAY_BATCH],
                ]
            )
        )
        self.batches = BatchesModel(self)
        self.batches.sort(1, Qt.SortOrder.DescendingOrder)
        self.batch_view = table_view(
            self.batches,
            widths={0: 24, 1: 11, 2: 7, 3: 14, 4: 18},
            sort=(1, Qt.SortOrder.DescendingOrder),
        )
        self.batch_view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        layout.addWidget(self.batch_view, 1)
        layout.addWidget(
            muted(
                "Finance exports a batch for payroll, then marks it paid once payroll has run: "
                "every claim in it is paid on the batch's date, all together or none."
            )
        )
        return tab

    def _programs_tab(self, actions: ActionRegistry) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            action_bar([actions[ActionId.ADD_PROGRAM], actions[ActionId.FIND_ELIGIBLE]])
        )
        self.programs = ProgramsModel(self)
        self.program_view = table_view(
            self.programs,
            widths={0: 30, 1: 11, 2: 10, 3: 36, 4: 24, 5: 22},
            sort=(4, Qt.SortOrder.DescendingOrder),
        )
        layout.addWidget(self.program_view, 1)
        return tab

    def _funding_tab(self, actions: ActionRegistry) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            action_bar([actions[ActionId.ADD_FUNDING], actions[ActionId.EDIT_FUNDING]])
        )
        self.funding = FundingModel(self)
        self.funding_view = table_view(
            self.funding, widths={0: 28, 1: 22, 2: 22, 3: 13, 4: 12, 5: 12, 6: 12, 7: 13}
        )
        self.funding_view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_actions()
        )
        self.funding_view.doubleClicked.connect(lambda _index: self.edit_funding())
        layout.addWidget(self.funding_view, 1)
        layout.addWidget(
            muted(
                "Balance = awarded − committed (approved, not yet paid) − paid. Submitted claims "
                "are pending: they count only once approved."
            )
        )
        return tab

    def _approvals_tab(self, actions: ActionRegistry) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            muted(
                "Money paid out after the fact, and any change to an award's amount or period, "
                "counts only once someone who approves claims, other than the person who "
                "entered it, approves it. Money recovered counts at once."
            )
        )
        layout.addWidget(QLabel("<b>Corrections to paid claims</b>"))
        layout.addWidget(
            action_bar([actions[ActionId.APPROVE_ADJUSTMENT], actions[ActionId.REJECT_ADJUSTMENT]])
        )
        self.adjustments = AdjustmentsModel(self)
        self.adjustments.sort(AdjustmentColumn.STATE)
        self.adjustment_view = table_view(
            self.adjustments,
            widths={
                AdjustmentColumn.ID: 2,
                AdjustmentColumn.CLAIM: 4,
                AdjustmentColumn.OFFICER: 18,
                AdjustmentColumn.AMOUNT: 9,
                AdjustmentColumn.DATED: 10,
                AdjustmentColumn.ENTERED: 10,
                AdjustmentColumn.STATE: 32,
            },
            stretch=AdjustmentColumn.REASON,
            sort=(AdjustmentColumn.STATE, Qt.SortOrder.AscendingOrder),
        )
        layout.addWidget(self.adjustment_view, 1)
        self.adjustment_note = muted("")
        layout.addWidget(self.adjustment_note)
        layout.addWidget(QLabel("<b>Changes to awards</b>"))
        layout.addWidget(
            action_bar(
                [actions[ActionId.APPROVE_AWARD_CHANGE], actions[ActionId.REJECT_AWARD_CHANGE]]
            )
        )
        self.award_changes = AwardChangesModel(self)
        self.award_changes.sort(AwardColumn.STATE)
        self.award_view = table_view(
            self.award_changes,
            widths={
                AwardColumn.ID: 2,
                AwardColumn.SOURCE: 22,
                AwardColumn.AMOUNT: 22,
                AwardColumn.PERIOD: 22,
                AwardColumn.REQUESTED: 10,
                AwardColumn.STATE: 32,
            },
            stretch=AwardColumn.REASON,
            sort=(AwardColumn.STATE, Qt.SortOrder.AscendingOrder),
        )
        layout.addWidget(self.award_view, 1)
        self.award_note = muted("")
        layout.addWidget(self.award_note)
        for view in (self.adjustment_view, self.award_view):
            view.selectionModel().selectionChanged.connect(lambda *_: self._approvals_changed())
        return tab

    # --- loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self.load(bonus_data, self._loaded, "bonus claims")

    def _loaded(self, data: BonusData) -> None:
        selected = [c.id for c in self.selected_claims()]
        batch = self.selected_batch()
        self.data = data
        self.claims.set_rows(data.claims)
        self.batches.set_rows(data.batches)
        self.programs.set_programs(data.programs, data.labels)
        self.funding.set_rows(data.funding)
        adjustment, award = self.selected_adjustment(), self.selected_award_change()
        self.adjustments.set_rows(data.adjustments)
        self.award_changes.set_rows(data.award_changes)
        if adjustment is not None:
            self.select_adjustment(adjustment.id)
        if award is not None:
            self.select_award_change(award.id)
        waiting = len(data.waiting_adjustments) + len(data.waiting_awards)
        self.tabs.setTabText(
            self.tabs.count() - 1, f"{APPROVALS} ({waiting} waiting)" if waiting else APPROVALS
        )
        self._approvals_changed()
        self._fill_programs(data.programs)
        counts = Counter(c.status for c in data.claims)
        for number, status in enumerate(STATUS_TABS):
            label = "All" if status is None else CLAIM_STATUSES[status]
            count = len(data.claims) if status is None else counts[status]
            self.status_tabs.setTabText(number, f"{label} ({count})")
        self._show_money(data)
        names = {row.program.id: row.program.name for row in data.programs}
        self.funding_warning.setText(
            "\n".join(f"⚠ {names.get(pid, pid)}: {text}" for pid, text in data.warnings.items())
        )
        self.funding_warning.setVisible(bool(data.warnings))
        self.apply_filter()
        self.select_claims(selected)
        if batch is not None:
            self.select_batch(batch.id)
        self._update_actions()
        self.loaded.emit()

    def _fill_programs(self, rows: list[ProgramRow]) -> None:
        current = self.program.currentData()
        self.program.blockSignals(True)
        self.program.clear()
        self.program.addItem("All programs", None)
        for row in rows:
            self.program.addItem(row.program.name, row.program.id)
        self.program.setCurrentIndex(max(self.program.findData(current), 0) if current else 0)
        self.program.blockSignals(False)

    def _show_money(self, data: BonusData) -> None:
        sources = data.funding
        if not sources:
            self.money.setText(style.coloured("No funding source yet", style.Colour.MUTED))
            return
        lines = [
            f"{escape(s.name)}: <b>{format_money(s.balance)}</b> left of {format_money(s.amount)}"
            for s in sources
        ]
        # Several sources are summed on one line, each in the tooltip: their names side by
        # side would widen the page past the window.
        self.money.setToolTip("<br>".join(lines) if len(sources) > 1 else "")
        if len(sources) > 1:
            left = sum(s.balance for s in sources)
            awarded = sum(s.amount for s in sources)
            lines = [
                f"{len(sources)} funding sources: <b>{format_money(left)}</b> left of "
                f"{format_money(awarded)}"
            ]
        waiting = [
            _plural(len(items), noun) + what
            for items, noun, what in (
                (data.waiting_adjustments, "addition", " to paid claims"),
                (data.waiting_awards, "award change", ""),
            )
            if items
        ]
        text = lines[0]
        if waiting:
            text += "<br>" + style.coloured(
                f"Waiting for a chief's approval: {' and '.join(waiting)}", style.Colour.WARNING
            )
        self.money.setText(text)

    # --- filtering and selection ------------------------------------------------------------------

    def status_filter(self) -> str | None:
        return STATUS_TABS[max(self.status_tabs.currentIndex(), 0)]

    def show_status(self, status: str | None) -> None:
        self.status_tabs.setCurrentIndex(STATUS_TABS.index(status))

    def apply_filter(self) -> None:
        tests: list[Callable[[ClaimRow], bool]] = []
        status = self.status_filter()
        if status is not None:
            tests.append(lambda c: c.status == status)
        program = self.program.currentData()
        if program is not None:
            tests.append(lambda c: c.program_id == program)
        words = words_predicate(self.search.text(), claim_haystack)
        if words is not None:
            tests.append(words)
        self.proxy.set_predicate(all_of(tests))
        self._selection_changed()

    def navigate(self, **options: object) -> None:
        if "status" in options:
            value = options["status"]
            self.show_status(value if isinstance(value, str) else None)

    def focus_search(self) -> bool:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def selected_claims(self) -> list[ClaimRow]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.proxy.row(row) for row in rows]

    def select_claims(self, claim_ids: list[int]) -> None:
        wanted = set(claim_ids)
        self.view.clearSelection()
        selection = self.view.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row in range(self.proxy.rowCount()):
            if self.proxy.row(row).id in wanted:
                selection.select(self.proxy.index(row, 0), flags)

    def selected_officer_id(self) -> int | None:
        claims = self.selected_claims()
        return claims[0].officer_id if len(claims) == 1 else None

    def selected_batch(self) -> BatchRow | None:
        rows = self.batch_view.selectionModel().selectedRows()
        return self.batches.row(rows[0].row()) if rows else None

    def select_batch(self, batch_id: int) -> bool:
        found = self.batches.find_row(lambda b: b.id == batch_id)
        if found >= 0:
            self.batch_view.selectRow(found)
        return found >= 0

    def selected_funding(self) -> FundingSummary | None:
        rows = self.funding_view.selectionModel().selectedRows()
        return self.funding.row(rows[0].row()) if rows else None

    def selected_adjustment(self) -> AdjustmentRow | None:
        rows = self.adjustment_view.selectionModel().selectedRows()
        return self.adjustments.row(rows[0].row()) if rows else None

    def select_adjustment(self, adjustment_id: int) -> bool:
        found = self.adjustments.find_row(lambda a: a.id == adjustment_id)
        if found >= 0:
            self.adjustment_view.selectRow(found)
        return found >= 0

    def selected_award_change(self) -> AwardChangeRow | None:
        rows = self.award_view.selectionModel().selectedRows()
        return self.award_changes.row(rows[0].row()) if rows else None

    def select_award_change(self, change_id: int) -> bool:
        found = self.award_changes.find_row(lambda c: c.id == change_id)
        if found >= 0:
            self.award_view.selectRow(found)
        return found >= 0

    def _approvals_changed(self) -> None:
        """Say what the selected correction or award change is, and whether this user may
        decide it, then enable the buttons."""
        me = self.ctx.actor.username
        adjustment = self.selected_adjustment()
        if adjustment is None:
            self.adjustment_note.setText("Select a correction to approve or reject it.")
        else:
            text = (
                f"Correction #{adjustment.id}: {format_money(adjustment.amount)} to claim "
                f"#{adjustment.claim_id} ({adjustment.officer}), "
                f"{adjustment_state(adjustment).lower()}. Reason: {adjustment.reason}"
            )
            if adjustment.status == "pending" and adjustment.created_by == me:
                text += " You entered it: someone else who approves claims decides it."
            self.adjustment_note.setText(text)
        change = self.selected_award_change()
        if change is None:
            self.award_note.setText("Select an award change to approve or reject it.")
        else:
            text = (
                f"Award change #{change.id} to {change.funding_source}, "
                f"{award_change_state(change).lower()}. Reason: {change.reason}"
            )
            if change.status == "pending" and change.requested_by == me:
                text += " You asked for it: someone else who approves claims decides it."
            self.award_note.setText(text)
        self._update_actions()

    def _selection_changed(self) -> None:
        claims = self.selected_claims()
        if len(claims) == 1:
            claim = claims[0]
            self.detail.show_claim(claim, claim_evidence(self.ctx.db, claim.id))
            documents = claim_documents(self.ctx.db, claim.id)
            self.documents.set_documents(documents)
            self.detail.sides.setTabText(1, f"{DOCUMENTS_TAB} ({len(documents)})")
        else:
            self.detail.show_none(f"{len(claims)} claims selected." if claims else None)
            self.documents.set_documents([])
            self.detail.sides.setTabText(1, DOCUMENTS_TAB)
        if claims:
            total = sum(c.net for c in claims)
            by = Counter(claim_status_text(c.status).lower() for c in claims)
            states = ", ".join(f"{n} {s}" for s, n in by.items())
            self.selection_text.setText(
                f"Selected {_plural(len(claims), 'claim')} ({states}), total {format_money(total)}."
            )
        else:
            self.selection_text.setText(
                "Select claims (Ctrl or Shift + click for several) to act on them together."
            )
        self._update_actions()

    def _in(self, status: str) -> list[ClaimRow]:
        return [c for c in self.selected_claims() if c.status == status]

    def _update_actions(self) -> None:
        enable = self.registry.set_enabled
        enable(bool(self._in("draft")), ActionId.SUBMIT_CLAIMS)
        submitted = bool(self._in("submitted"))
        enable(submitted, ActionId.APPROVE_CLAIMS, ActionId.DENY_CLAIM)
        voidable = any(
            c.status in ("draft", "submitted", "approved") for c in self.selected_claims()
        )
        enable(voidable, ActionId.VOID_CLAIM)
        waiting = self.data is not None and any(
            c.status == "approved" and c.batch_id is None for c in self.data.claims
        )
        enable(waiting, ActionId.CREATE_BATCH)
        batch = self.selected_batch()
        enable(batch is not None, ActionId.EXPORT_BATCH)
        enable(batch is not None and batch.status != "paid", ActionId.PAY_BATCH)
        claims = self.selected_claims()
        enable(len(claims) == 1 and claims[0].status == "paid", ActionId.ADJUST_CLAIM)
        enable(self.selected_funding() is not None, ActionId.EDIT_FUNDING)
        adjustment = self.selected_adjustment()
        enable(
            adjustment is not None and adjustment.status == "pending",
            ActionId.APPROVE_ADJUSTMENT,
            ActionId.REJECT_ADJUSTMENT,
        )
        change = self.selected_award_change()
        enable(
            change is not None and change.status == "pending",
            ActionId.APPROVE_AWARD_CHANGE,
            ActionId.REJECT_AWARD_CHANGE,
        )

    # --- the workflow -----------------------------------------------------------------------------

    def _run(self, title: str, step: Callable[[], object]) -> bool:
        """Run one service step; a refusal is shown in the service's own words."""
        try:
            step()
        except USER_ERRORS as exc:
            prompts.error(self, title, str(exc))
            self.ctx.bus.notify(CLAIMS)
            return False
        self.ctx.bus.notify(CLAIMS)
        return True

    def _done(self, text: str) -> None:
        window = self.window()
        show = getattr(window, "show_message", None)
        if callable(show):
            show(text)

    def find_eligible(self) -> None:
        program = self.program.currentData()
        dialog = EligibleDialog(self.ctx, program, self)
        if prompts.run_dialog(dialog) and dialog.created:
            created = list(dialog.created)
            self.show_status("draft")
            # The list reloads on a worker: select the new drafts once they are in it.
            self.loaded.connect(
                lambda: self.select_claims(created), Qt.ConnectionType.SingleShotConnection
            )
            self._done(f"{_plural(len(dialog.created), 'draft claim')} created.")

    def submit_selected(self) -> bool:
        claims = self._in("draft")
        if not claims:
            return False
        ids = [c.id for c in claims]
        done = self._run(
            "Could not submit", lambda: submit_claims(self.ctx.db, self.ctx.actor, ids)
        )
        if done:
            self._done(f"{_plural(len(ids), 'claim')} submitted for approval.")
        return done

    def approve_selected(self) -> bool:
        claims = self._in("submitted")
        if not claims:
            return False
        total = sum(c.amount for c in claims)
        sources = sorted({c.funding_source for c in claims})
        if not prompts.confirm(
            self,
            "Approve claims",
            f"Approve {_plural(len(claims), 'claim')} for {format_money(total)}, committing the "
            f"money from {', '.join(sources)}?",
            ok_text="Approve",
        ):
            return False
        ids = [c.id for c in claims]
        done = self._run(
            "Could not approve", lambda: approve_claims(self.ctx.db, self.ctx.actor, ids)
        )
        if done:
            self._done(f"{_plural(len(ids), 'claim')} approved: {format_money(total)} committed.")
        return done

    def _each(self, verb: str, claims: list[ClaimRow], step: Callable[[int, str], None]) -> bool:
        if not claims:
            return False
        reason = ask_claim_reason(self, verb, claims)
        if reason is None:
            return False
        done = 0
        try:
            for claim in claims:
                step(claim.id, reason)
                done += 1
        except USER_ERRORS as exc:
            prompts.error(self, f"Could not {verb} every claim", f"{exc}\n\n{done} done before it.")
        self.ctx.bus.notify(CLAIMS)
        if done:
            self._done(f"{_plural(done, 'claim')} {verb}{'d' if verb.endswith('e') else 'ed'}.")
        return done == len(claims)

    def deny_selected(self) -> bool:
        return self._each(
            "deny",
            self._in("submitted"),
            lambda claim_id, why: deny_claim(self.ctx.db, self.ctx.actor, claim_id, reason=why),
        )

    def void_selected(self) -> bool:
        claims = [
            c for c in self.selected_claims() if c.status in ("draft", "submitted", "approved")
        ]
        return self._each(
            "void",
            claims,
            lambda claim_id, why: void_claim(self.ctx.db, self.ctx.actor, claim_id, reason=why),
        )

    def create_batch(self) -> int | None:
        waiting = [
            c for c in self.selected_claims() if c.status == "approved" and c.batch_id is None
        ]
        if not waiting and self.data is not None:
            waiting = [c for c in self.data.claims if c.status == "approved" and c.batch_id is None]
        if not waiting:
            prompts.inform(
                self, "Create payment batch", "No approved claim is waiting for payment."
            )
            return None
        dialog = BatchDialog(self.ctx, waiting, self)
        if not prompts.run_dialog(dialog) or dialog.batch_id is None:
            return None
        self.tabs.setCurrentIndex(1)
        batch_id = dialog.batch_id
        self.loaded.connect(
            lambda: self.select_batch(batch_id), Qt.ConnectionType.SingleShotConnection
        )
        self._done("Payment batch created: export it for payroll, then mark it paid.")
        return batch_id

    def export_batch(self) -> Path | None:
        batch = self.selected_batch()
        if batch is None:
            return None
        target = ask_export_path(self, self.ctx, f"payment-batch-{batch.reference}")
        if target is None:
            return None
        try:
            count = workers.run_with_progress(
                self,
                f"Exporting batch {batch.reference}…",
                workers.with_database(
                    self.ctx.db_path, lambda db, _c: export_payment_batch(db, batch.id, target)
                ),
            )
        except USER_ERRORS as exc:
            prompts.error(self, "Export failed", str(exc))
            return None
        prompts.inform(
            self,
            "Export done",
            f"Wrote {_plural(count, 'claim')} ({format_money(batch.total)}) to\n{target}",
        )
        return target

    def pay_selected_batch(self) -> bool:
        batch = self.selected_batch()
        if batch is None or batch.status == "paid":
            return False
        if not prompts.confirm(
            self,
            "Mark batch paid",
            f"Mark payment batch {batch.reference} paid on {batch.pay_date}: "
            f"{_plural(batch.claims, 'claim')}, total {format_money(batch.total)}?\n\n"
            "Do this once payroll has run. Paid claims can no longer be changed, only adjusted.",
            ok_text="Mark paid",
        ):
            return False
        paid: list[int] = []

        def pay() -> None:
            paid.append(pay_batch(self.ctx.db, self.ctx.actor, batch.id))

        if not self._run("Could not mark the batch paid", pay):
            return False
        _count, total = batch_summary(self.ctx.db, batch.id)
        prompts.inform(
            self,
            "Batch paid",
            f"Payment batch {batch.reference}: {_plural(paid[0], 'claim')} paid on "
            f"{batch.pay_date}, total {format_money(total)}.",
        )
        return True

    def add_program(self) -> None:
        if prompts.run_dialog(ProgramDialog(self.ctx, self)):
            self.tabs.setCurrentIndex(2)
            self._done("Bonus program added.")

    def add_funding(self) -> None:
        if prompts.run_dialog(FundingDialog(self.ctx, self)):
            self.tabs.setCurrentIndex(3)
            self._done("Funding source added.")

    def edit_funding(self) -> None:
        source = self.selected_funding()
        if source is None:
            return
        dialog = FundingDialog(self.ctx, self, source)
        saved = prompts.run_dialog(dialog)
        if dialog.requested_change is not None:
            self._done(f"Award change #{dialog.requested_change} waits for a chief's approval.")
        elif saved:
            self._done("Funding source saved.")

    def adjust_selected(self) -> int | None:
        claims = self.selected_claims()
        if len(claims) != 1 or claims[0].status != "paid":
            return None
        dialog = AdjustmentDialog(self.ctx, claims[0], self)
        if not prompts.run_dialog(dialog) or dialog.adjustment_id is None:
            return None
        self._done(f"Correction #{dialog.adjustment_id} recorded for claim #{claims[0].id}.")
        return dialog.adjustment_id

    # --- decisions on corrections and award changes ----------------------------------------------

    def approve_adjustment(self) -> bool:
        adjustment = self.selected_adjustment()
        if adjustment is None or adjustment.status != "pending":
            return False
        if not prompts.confirm(
            self,
            "Approve addition",
            f"Approve the addition of {format_money(adjustment.amount)} to claim "
            f"#{adjustment.claim_id} ({adjustment.officer}), entered by "
            f"{adjustment.created_by}: {adjustment.reason}?\n\nIt then counts as paid from "
            "the claim's funding source.",
            ok_text="Approve",
        ):
            return False
        done = self._run(
            "Could not approve",
            lambda: approve_adjustment(self.ctx.db, self.ctx.actor, adjustment.id),
        )
        if done:
            self._done(f"Addition #{adjustment.id} approved: it counts from now on.")
        return done

    def reject_adjustment(self) -> bool:
        adjustment = self.selected_adjustment()
        if adjustment is None or adjustment.status != "pending":
            return False
        reason = prompts.ask_reason(
            self,
            "Reject addition",
            f"Reject the addition of {format_money(adjustment.amount)} to claim "
            f"#{adjustment.claim_id} ({adjustment.officer})? It will never count.",
            ok_text="Reject",
        )
        if reason is None:
            return False
        done = self._run(
            "Could not reject",
            lambda: reject_adjustment(self.ctx.db, self.ctx.actor, adjustment.id, reason=reason),
        )
        if done:
            self._done(f"Addition #{adjustment.id} rejected.")
        return done

    def approve_award_change(self) -> bool:
        change = self.selected_award_change()
        if change is None or change.status != "pending":
            return False
        if not prompts.confirm(
            self,
            "Approve award change",
            f"Change {change.funding_source} from {format_money(change.previous_amount)}, "
            f"{change.previous_start} to {change.previous_end}, to "
            f"{format_money(change.amount)}, {change.start} to {change.end}, as "
            f"{change.requested_by} asked: {change.reason}?",
            ok_text="Approve",
        ):
            return False
        done = self._run(
            "Could not approve",
            lambda: approve_award_change(self.ctx.db, self.ctx.actor, change.id),
        )
        self.ctx.bus.notify(FUNDING)
        if done:
            self._done(f"{change.funding_source} now reads {format_money(change.amount)}.")
        return done

    def reject_award_change(self) -> bool:
        change = self.selected_award_change()
        if change is None or change.status != "pending":
            return False
        reason = prompts.ask_reason(
            self,
            "Reject award change",
            f"Reject the change of {change.funding_source} to {format_money(change.amount)}, "
            f"{change.start} to {change.end}? The award stays as it is.",
            ok_text="Reject",
        )
        if reason is None:
            return False
        done = self._run(
            "Could not reject",
            lambda: reject_award_change(self.ctx.db, self.ctx.actor, change.id, reason=reason),
        )
        if done:
            self._done(f"Award change #{change.id} rejected.")
        return done


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return ClaimsPage(ctx, actions)
