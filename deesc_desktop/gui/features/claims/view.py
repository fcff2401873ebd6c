"""The bonus claims page's tabs and lists: what it shows, how it filters and what is selected."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabBar,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from deesc_desktop.core.bonus import CLAIM_STATUSES
from deesc_desktop.core.money import format_money
from deesc_desktop.core.wording import plural
from deesc_desktop.gui import style
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import CLAIMS, FUNDING, OFFICERS, PROGRAMS, TRAINING, AppContext
from deesc_desktop.gui.documents import DocumentsPanel
from deesc_desktop.gui.features.claims.detail import BonusData, ClaimDetail, bonus_data
from deesc_desktop.gui.features.claims.models import (
    AdjustmentColumn,
    AdjustmentsModel,
    AwardChangesModel,
    AwardColumn,
    BatchesModel,
    ClaimColumn,
    ClaimsModel,
    FundingModel,
    ProgramsModel,
    adjustment_state,
    award_change_state,
    claim_haystack,
    claim_status_text,
)
from deesc_desktop.gui.forms import page_title
from deesc_desktop.gui.models import RowFilterProxy, RowsModel, all_of, words_predicate
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import (
    SearchBox,
    filter_combo,
    filtered_table,
    muted,
    table_view,
    two_line_rows,
)
from deesc_desktop.services.course_files import claim_documents
from deesc_desktop.store.claims import (
    AdjustmentRow,
    ClaimRow,
    ProgramRow,
    claim_evidence,
)
from deesc_desktop.store.funding import (
    AwardChangeRow,
    BatchRow,
    FundingSummary,
)

STATUS_TABS: tuple[str | None, ...] = (None, *CLAIM_STATUSES)
"""The status filter tabs: every claim, then each state in workflow order."""
DOCUMENTS_TAB = "Documents"
"""The claim detail's second tab: the documents behind the claim."""
APPROVALS = "Approvals"
"""The last tab: corrections to paid claims and award changes, with the chief's decisions."""
BATCHES_TAB, PROGRAMS_TAB, FUNDING_TAB, APPROVALS_TAB = 1, 2, 3, 4
"""The tabs after the claims, in order: built when first shown."""


class _TabHolder(QWidget):
    """A tab's page, empty until the tab is first shown."""

    def __init__(self) -> None:
        super().__init__()
        self.column = QVBoxLayout(self)


@dataclass(frozen=True, slots=True)
class _ApprovalsWidgets:
    """The approvals tab's two lists and what each says of its selection."""

    adjustment_view: QTableView
    adjustment_note: QLabel
    award_view: QTableView
    award_note: QLabel


class ClaimsView(Page):
    """Claims by status, batches, programs, funding and approvals in tabs, and what is selected."""

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
        # The other tabs' models now, as every load fills them; their widgets when first
        # shown or asked for: they are most of the page's widgets, and a page is built while
        # the first page still loads.
        self.batches = BatchesModel(self)
        self.batches.sort(1, Qt.SortOrder.DescendingOrder)
        self.programs = ProgramsModel(self)
        self.funding = FundingModel(self)
        self.adjustments = AdjustmentsModel(self)
        self.adjustments.sort(AdjustmentColumn.STATE)
        self.award_changes = AwardChangesModel(self)
        self.award_changes.sort(AwardColumn.STATE)
        self._batch_view: QTableView | None = None
        self._program_view: QTableView | None = None
        self._funding_view: QTableView | None = None
        self._approvals: _ApprovalsWidgets | None = None
        self._unbuilt: dict[int, Callable[[QVBoxLayout], None]] = {}
        for title, build in (
            ("Payment batches", self._build_batches),
            ("Programs", self._build_programs),
            ("Funding sources", self._build_funding),
            (APPROVALS, self._build_approvals),
        ):
            self._unbuilt[self.tabs.addTab(_TabHolder(), title)] = build
        self.tabs.currentChanged.connect(self._build_tab)

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
            actions.bar(
                ActionId.FIND_ELIGIBLE,
                ActionId.SUBMIT_CLAIMS,
                ActionId.APPROVE_CLAIMS,
                ActionId.DENY_CLAIM,
                ActionId.VOID_CLAIM,
                ActionId.CREATE_BATCH,
                ActionId.ADJUST_CLAIM,
            )
        )
        self.claims = ClaimsModel(self)
        self.proxy = RowFilterProxy(self)
        self.view = filtered_table(
            self.claims,
            self.proxy,
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

    def _build_tab(self, index: int) -> None:
        """Build tab `index`'s widgets, if they are not built yet."""
        build = self._unbuilt.pop(index, None)
        if build is None:
            return
        holder = self.tabs.widget(index)
        assert isinstance(holder, _TabHolder)
        build(holder.column)
        self._update_actions()

    def _build_batches(self, layout: QVBoxLayout) -> None:
        layout.addWidget(
            self.registry.bar(ActionId.CREATE_BATCH, ActionId.EXPORT_BATCH, ActionId.PAY_BATCH)
        )
        view = self._batch_view = table_view(
            self.batches,
            sort=(1, Qt.SortOrder.DescendingOrder),
        )
        view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        layout.addWidget(view, 1)
        layout.addWidget(
            muted(
                "Finance exports a batch for payroll, then marks it paid once payroll has run: "
                "every claim in it is paid on the batch's date, all together or none."
            )
        )

    def _build_programs(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.registry.bar(ActionId.ADD_PROGRAM, ActionId.FIND_ELIGIBLE))
        self._program_view = table_view(
            self.programs,
            sort=(4, Qt.SortOrder.DescendingOrder),
        )
        two_line_rows(self._program_view)
        layout.addWidget(self._program_view, 1)

    def _build_funding(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.registry.bar(ActionId.ADD_FUNDING, ActionId.EDIT_FUNDING))
        view = self._funding_view = table_view(self.funding)
        two_line_rows(view)
        view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        # As the Edit button: nothing for a role that may not edit funding.
        edit = self.registry[ActionId.EDIT_FUNDING]
        view.doubleClicked.connect(lambda _index: edit.trigger())
        layout.addWidget(view, 1)
        layout.addWidget(
            muted(
                "Balance = awarded − committed (approved, not yet paid) − paid. Submitted claims "
                "are pending: they count only once approved."
            )
        )

    def _build_approvals(self, layout: QVBoxLayout) -> None:
        layout.addWidget(
            muted(
                "Money paid out after the fact, and any change to an award's amount or period, "
                "counts only once someone who approves claims, other than the person who "
                "entered it, approves it. Money recovered counts at once."
            )
        )
        layout.addWidget(QLabel("<b>Corrections to paid claims</b>"))
        layout.addWidget(self.registry.bar(ActionId.APPROVE_ADJUSTMENT, ActionId.REJECT_ADJUSTMENT))
        adjustment_view = table_view(
            self.adjustments,
            stretch=AdjustmentColumn.REASON,
            sort=(AdjustmentColumn.STATE, Qt.SortOrder.AscendingOrder),
        )
        layout.addWidget(adjustment_view, 1)
        adjustment_note = muted("")
        layout.addWidget(adjustment_note)
        layout.addWidget(QLabel("<b>Changes to awards</b>"))
        layout.addWidget(
            self.registry.bar(ActionId.APPROVE_AWARD_CHANGE, ActionId.REJECT_AWARD_CHANGE)
        )
        award_view = table_view(
            self.award_changes,
            stretch=AwardColumn.REASON,
            sort=(AwardColumn.STATE, Qt.SortOrder.AscendingOrder),
        )
        layout.addWidget(award_view, 1)
        award_note = muted("")
        layout.addWidget(award_note)
        self._approvals = _ApprovalsWidgets(
            adjustment_view, adjustment_note, award_view, award_note
        )
        for view in (adjustment_view, award_view):
            view.selectionModel().selectionChanged.connect(lambda *_: self._approvals_changed())
        self._approvals_changed()

    # The tabs' widgets, built first if need be (a test or the screenshots may reach for a
    # tab nobody has shown).

    @property
    def batch_view(self) -> QTableView:
        self._build_tab(BATCHES_TAB)
        assert self._batch_view is not None
        return self._batch_view

    @property
    def program_view(self) -> QTableView:
        self._build_tab(PROGRAMS_TAB)
        assert self._program_view is not None
        return self._program_view

    @property
    def funding_view(self) -> QTableView:
        self._build_tab(FUNDING_TAB)
        assert self._funding_view is not None
        return self._funding_view

    @property
    def approvals(self) -> _ApprovalsWidgets:
        self._build_tab(APPROVALS_TAB)
        assert self._approvals is not None
        return self._approvals

    @property
    def adjustment_view(self) -> QTableView:
        return self.approvals.adjustment_view

    @property
    def adjustment_note(self) -> QLabel:
        return self.approvals.adjustment_note

    @property
    def award_view(self) -> QTableView:
        return self.approvals.award_view

    @property
    def award_note(self) -> QLabel:
        return self.approvals.award_note

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
            plural(len(items), noun) + what
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

    @staticmethod
    def _selected(view: QTableView | None, model: RowsModel) -> Any:
        """The row selected in a one-row-at-a-time list, or None (always, while the list's
        tab has not been built: nothing can be selected in it yet)."""
        if view is None:
            return None
        rows = view.selectionModel().selectedRows()
        return model.row(rows[0].row()) if rows else None

    def selected_batch(self) -> BatchRow | None:
        return self._selected(self._batch_view, self.batches)

    def select_batch(self, batch_id: int) -> bool:
        found = self.batches.find_row(lambda b: b.id == batch_id)
        if found >= 0:
            self.batch_view.selectRow(found)
        return found >= 0

    def selected_funding(self) -> FundingSummary | None:
        return self._selected(self._funding_view, self.funding)

    def selected_adjustment(self) -> AdjustmentRow | None:
        built = self._approvals
        return self._selected(None if built is None else built.adjustment_view, self.adjustments)

    def select_adjustment(self, adjustment_id: int) -> bool:
        found = self.adjustments.find_row(lambda a: a.id == adjustment_id)
        if found >= 0:
            self.adjustment_view.selectRow(found)
        return found >= 0

    def selected_award_change(self) -> AwardChangeRow | None:
        built = self._approvals
        return self._selected(None if built is None else built.award_view, self.award_changes)

    def select_award_change(self, change_id: int) -> bool:
        found = self.award_changes.find_row(lambda c: c.id == change_id)
        if found >= 0:
            self.award_view.selectRow(found)
        return found >= 0

    def _approvals_changed(self) -> None:
        """Say what the selected correction or award change is, and whether this user may
        decide it, then enable the buttons."""
        if self._approvals is None:
            self._update_actions()
            return
        me = self.ctx.actor.username
        adjustment = self.selected_adjustment()
        if adjustment is None:
            self.adjustment_note.setText(
                "Select a correction to approve or reject it."
                if self.adjustments.rowCount()
                else "No correction to a paid claim has been entered."
            )
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
            self.award_note.setText(
                "Select an award change to approve or reject it."
                if self.award_changes.rowCount()
                else "No change to an award has been asked for."
            )
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
                f"Selected {plural(len(claims), 'claim')} ({states}), total {format_money(total)}."
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
