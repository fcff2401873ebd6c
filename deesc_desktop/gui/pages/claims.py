"""The bonus claims page: the claim queue by status with its workflow, payment batches,
programs and funding sources."""

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
    BatchesModel,
    ClaimColumn,
    ClaimsModel,
    EvidenceModel,
    FundingModel,
    ProgramsModel,
    claim_haystack,
    claim_status_text,
)
from deesc_desktop.gui.context import CLAIMS, FUNDING, OFFICERS, PROGRAMS, TRAINING, AppContext
from deesc_desktop.gui.dialogs.claims import (
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
from deesc_desktop.gui.widgets import SearchBox, action_bar, filter_combo, muted, table_view
from deesc_desktop.services.bonus import (
    approve_claims,
    deny_claim,
    program_funding_warnings,
    submit_claims,
    void_claim,
)
from deesc_desktop.services.course_files import claim_documents
from deesc_desktop.services.funding import batch_summary, export_payment_batch, pay_batch
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


@dataclass(frozen=True, slots=True)
class BonusData:
    claims: list[ClaimRow]
    batches: list[BatchRow]
    programs: list[ProgramRow]
    funding: list[FundingSummary]
    labels: dict[str, str]
    waiting_adjustments: list[AdjustmentRow]
    """Additions to paid claims waiting for a chief's approval."""
    waiting_awards: list[AwardChangeRow]
    """Award changes waiting for a chief's approval."""
    warnings: dict[int, str] = field(default_factory=dict)
    """Program id -> why paying its bonus from its (federal) funding source is a problem."""


def bonus_data(db: Database) -> BonusData:
    return BonusData(
        list_claims(db),
        payment_batches(db),
        programs(db),
        funding_summaries(db),
        topic_labels(db),
        list_adjustments(db, status="pending"),
        award_changes(db, status="pending"),
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
        evidence = QVBoxLayout()
        evidence.addWidget(muted("Training behind the claim, as it read when the claim was made:"))
        self.evidence = EvidenceModel(self)
        self.evidence_view = table_view(
            self.evidence, sortable=False, stretch=1, widths={0: 10, 2: 6, 3: 7, 4: 8}
        )
        evidence.addWidget(self.evidence_view)
        layout.addLayout(evidence, 1)
        self.show_none()

    def show_none(self, text: str = "Select a claim to see its history and evidence.") -> None:
        self.heading.setText(escape(text))
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
                ClaimColumn.OFFICER: 17,
                ClaimColumn.BADGE: 6,
                ClaimColumn.PROGRAM: 24,
                ClaimColumn.AMOUNT: 14,
                ClaimColumn.STATUS: 9,
                ClaimColumn.FUNDING: 18,
            },
            sort=(ClaimColumn.ID, Qt.SortOrder.DescendingOrder),
        )
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.detail = ClaimDetail()
        self.documents = DocumentsPanel(
            self.ctx, caption="Documents behind the claim:", show_for=True
        )
        detail_layout = self.detail.layout()
        assert detail_layout is not None
        detail_layout.addWidget(self.documents)
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
        layout.addWidget(action_bar([actions[ActionId.ADD_FUNDING]]))
        self.funding = FundingModel(self)
        self.funding_view = table_view(
            self.funding, widths={0: 28, 1: 22, 2: 22, 3: 13, 4: 12, 5: 12, 6: 12, 7: 13}
        )
        layout.addWidget(self.funding_view, 1)
        layout.addWidget(
            muted(
                "Balance = awarded − committed (approved, not yet paid) − paid. Submitted claims "
                "are pending: they count only once approved."
            )
        )
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
        parts = [
            f"{escape(s.name)}: <b>{format_money(s.balance)}</b> left of {format_money(s.amount)}"
            for s in sources[:2]
        ]
        more = f" · and {len(sources) - 2} more" if len(sources) > 2 else ""
        waiting = [
            _plural(len(items), noun) + what
            for items, noun, what in (
                (data.waiting_adjustments, "addition", " to paid claims"),
                (data.waiting_awards, "award change", ""),
            )
            if items
        ]
        text = " · ".join(parts) + more
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

    def _selection_changed(self) -> None:
        claims = self.selected_claims()
        if len(claims) == 1:
            claim = claims[0]
            self.detail.show_claim(claim, claim_evidence(self.ctx.db, claim.id))
            self.documents.set_documents(claim_documents(self.ctx.db, claim.id))
        elif claims:
            self.detail.show_none(f"{len(claims)} claims selected.")
            self.documents.set_documents([])
        else:
            self.detail.show_none()
            self.documents.set_documents([])
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


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return ClaimsPage(ctx, actions)
