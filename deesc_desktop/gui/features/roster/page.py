"""The roster page: every officer, searchable and filterable, with the roster's actions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelection, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QWidget
from sqlite_utils import Database

from deesc_desktop.core.compliance import NEEDS_ATTENTION, Status
from deesc_desktop.core.topics import OFFICER_STATUSES
from deesc_desktop.gui import operations, prompts, workers
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import COMPLIANCE_INPUTS, OFFICERS, AppContext
from deesc_desktop.gui.dialogs.common import roster_haystack
from deesc_desktop.gui.features.roster.models import RosterColumn, RosterModel
from deesc_desktop.gui.models import ListFilterProxy, all_of
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import (
    SearchBox,
    fill_value_combo,
    filter_combo,
    filtered_table,
)
from deesc_desktop.services.dashboard import standing
from deesc_desktop.store.officers import RosterRow, roster

CURRENT = "current"
"""Status filter value meaning "active or on leave", the roster's default view."""

COMPLIANCE_FILTERS: tuple[tuple[str, frozenset[Status] | None], ...] = (
    ("Any", None),
    ("Needs attention", NEEDS_ATTENTION),
    *(
        (status.label, frozenset({status}))
        for status in (Status.NON_COMPLIANT, Status.DUE_SOON, Status.IN_PROGRESS, Status.COMPLIANT)
    ),
)
"""The compliance filter's entries: an officer matches by their overall (worst) status."""

_ROW_ACTIONS = (
    ActionId.EDIT_OFFICER,
    ActionId.OFFICER_DETAILS,
    ActionId.SEPARATE_OFFICER,
    ActionId.PUT_ON_LEAVE,
    ActionId.RETURN_TO_ACTIVE,
)


class RosterPage(Page):
    """The roster."""

    watches = frozenset({OFFICERS}) | COMPLIANCE_INPUTS

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.count = self.add_heading("Roster")

        filters = QHBoxLayout()
        self.search = SearchBox("Search badge or name (Ctrl+F)")
        self.search.setMinimumWidth(200)  # the whole hint, at the default window size
        filters.addWidget(self.search, 3)
        self.status = filter_combo("Show officers with this status", 16)
        self.shift = filter_combo("Show one shift", 10)
        self.unit = filter_combo("Show one unit", 10)
        self.compliance = filter_combo(
            "Show officers by their overall compliance status today (worked out when chosen)", 11
        )
        for text, statuses in COMPLIANCE_FILTERS:
            self.compliance.addItem(text, statuses)
        self._as_of: date | None = None
        self._worst: dict[int, Status] | None = None
        self._compliance_generation = 0
        self._compliance_running = False
        self._haystacks: dict[int, str] = {}
        """Each officer's search text by id, casefolded once per load."""
        self._filtered: tuple[tuple[object, ...], object, list[str]] | None = None
        """What the rows shown were filtered by: the other filters, the compliance statuses
        used (compared by identity) and the words searched."""
        # Shift and unit need no label: their lists read "All shifts", "Days (10)"; the room
        # goes to the search box, whose hint then shows whole at the default window size.
        for label, combo in (
            ("Status:", self.status),
            ("", self.shift),
            ("", self.unit),
            ("Compliance:", self.compliance),
        ):
            filters.addSpacing(8)
            if label:
                filters.addWidget(QLabel(label))
            filters.addWidget(combo, 2 if combo is self.status else 1)
        self.layout_.addLayout(filters)

        self.buttons = actions.bar(
            ActionId.ADD_OFFICER,
            ActionId.EDIT_OFFICER,
            ActionId.OFFICER_DETAILS,
            ActionId.SEPARATE_OFFICER,
            ActionId.PUT_ON_LEAVE,
            ActionId.RETURN_TO_ACTIVE,
            ActionId.ADD_LEAVE,
        )
        self.layout_.addWidget(self.buttons)

        self.model = RosterModel(self)
        self.proxy = ListFilterProxy(self)
        self.view = filtered_table(
            self.model, self.proxy, sort=(RosterColumn.NAME, Qt.SortOrder.AscendingOrder)
        )
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.view)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.details_selected)
        self.layout_.addWidget(self.view, 1)

        self.search.search.connect(lambda _text: self.apply_filter())
        for combo in (self.status, self.shift, self.unit, self.compliance):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proxy.modelReset.connect(self._update_actions)
        self.proxy.layoutChanged.connect(self._update_actions)

        actions.connect(ActionId.EDIT_OFFICER, self.edit_selected)
        actions.connect(ActionId.OFFICER_DETAILS, self.details_selected)
        actions.connect(ActionId.SEPARATE_OFFICER, self.separate_selected)
        actions.connect(ActionId.PUT_ON_LEAVE, lambda: self.set_status_selected("leave"))
        actions.connect(ActionId.RETURN_TO_ACTIVE, lambda: self.set_status_selected("active"))
        self._fill_status_combo({})
        self._update_actions()

    # --- loading -------------------------------------------------------------------------

    @property
    def as_of(self) -> date | None:
        """The day compliance (the filter and the Needs column) is worked out for; None
        means today."""
        return self._as_of

    @as_of.setter
    def as_of(self, day: date | None) -> None:
        self._as_of = day
        self._worst = None
        self._compliance_generation += 1
        self._compliance_running = False
        self.model.set_needs(None)
        self._load_compliance()

    def refresh(self) -> None:
        super().refresh()
        self._worst = None  # worked out again, if the filter is in use, once the roster is in
        self._compliance_generation += 1
        self._compliance_running = False
        self.load(roster, self._loaded, "the roster")

    def _load_compliance(self) -> None:
        """Work out everyone's overall compliance on a worker, once per refresh."""
        if self._compliance_running:
            return
        self._compliance_running = True
        self._compliance_generation += 1
        generation = self._compliance_generation
        as_of = self.as_of or date.today()

        def worst(db: Database) -> tuple[dict[int, Status], dict[int, str]]:
            found = standing(db, as_of)
            return (
                {officer_id: status for officer_id, (status, _needs) in found.items()},
                {officer_id: needs for officer_id, (_status, needs) in found.items()},
            )

        def deliver(result: tuple[dict[int, Status], dict[int, str]]) -> None:
            if generation == self._compliance_generation:
                self._compliance_running = False
                self._worst, needs = result
                self.model.set_needs(needs)
                self.apply_filter()
                self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._compliance_generation:
                self._compliance_running = False
                self.compliance.setCurrentIndex(0)
                prompts.error(self, "Could not work out compliance", str(exc))

        workers.run_query(self.ctx.db_path, worst, owner=self, on_result=deliver, on_error=failed)

    def _loaded(self, rows: list[RosterRow]) -> None:
        selected = self.selected_officer_id()
        self._haystacks = {row.id: roster_haystack(row) for row in rows}
        self._filtered = None
        self.model.set_rows(rows)
        self._fill_status_combo(Counter(row.status for row in rows))
        fill_value_combo(self.shift, "All shifts", "(no shift)", [r.shift for r in rows])
        fill_value_combo(self.unit, "All units", "(no unit)", [r.unit for r in rows])
        self.apply_filter()
        if selected is not None:
            self.select_officer(selected)
        self.model.set_needs(None)
        self._load_compliance()  # the Needs column, and the compliance filter when chosen
        self.loaded.emit()

    def _fill_status_combo(self, counts: Counter[str] | dict[str, int]) -> None:
        current = self.status.currentData() if self.status.count() else CURRENT
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem("Active and on leave", CURRENT)
        self.status.addItem("All statuses", None)
        for code, label in OFFICER_STATUSES.items():
            if counts.get(code):
                self.status.addItem(f"{label} ({counts[code]})", code)
        index = self.status.findData(current)
        self.status.setCurrentIndex(max(index, 0))
        self.status.blockSignals(False)

    # --- filtering -----------------------------------------------------------------------

    def apply_filter(self) -> None:
        tests: list[Callable[[RosterRow], bool]] = []
        words = self.search.text().casefold().split()
        if words:
            haystacks = self._haystacks
            get = haystacks.get
            if len(words) == 1:
                word = words[0]
                tests.append(lambda r: word in (get(r.id) or roster_haystack(r)))
            else:
                tests.append(lambda r: all(w in (get(r.id) or roster_haystack(r)) for w in words))
        status = self.status.currentData()
        if status == CURRENT:
            tests.append(lambda r: r.status != "separated")
        elif status is not None:
            tests.append(lambda r: r.status == status)
        shift = self.shift.currentData()
        if shift is not None:
            tests.append(lambda r: r.shift == shift)
        unit = self.unit.currentData()
        if unit is not None:
            tests.append(lambda r: r.unit == unit)
        wanted = self.compliance.currentData()
        working = False
        worst = self._worst
        if wanted is not None:
            if worst is None:
                working = True
                self._load_compliance()
            else:
                tests.append(lambda r: worst.get(r.id) in wanted)
        others = (status, shift, unit, wanted)
        used = worst if wanted is not None else None
        previous, self._filtered = self._filtered, (others, used, words)
        # Typing on: every word searched before is inside a word searched now, the other
        # filters alike, so the rows to show are among those shown.
        narrows = (
            previous is not None
            and previous[0] == others
            and previous[1] is used
            and all(any(old in new for new in words) for old in previous[2])
        )
        self.proxy.set_predicate(all_of(tests), narrows=narrows)
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        note = " (working out compliance…)" if working else ""
        self.count.setText(f"Showing {shown} of {total} officers{note}")
        self._update_actions()

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    # --- selection and actions -------------------------------------------------------------

    def selected_row(self) -> RosterRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.row(rows[0].row())

    def selected_officer_id(self) -> int | None:
        row = self.selected_row()
        return row.id if row else None

    def select_officer(self, officer_id: int) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            if self.proxy.row(proxy_row).id == officer_id:
                self.view.selectRow(proxy_row)
                self.view.scrollTo(self.proxy.index(proxy_row, 0))
                return True
        return False

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected_row()
        self.registry.set_enabled(row is not None, ActionId.EDIT_OFFICER, ActionId.OFFICER_DETAILS)
        self.registry.set_enabled(
            row is not None and row.status != "separated", ActionId.SEPARATE_OFFICER
        )
        self.registry.set_enabled(row is not None and row.status == "active", ActionId.PUT_ON_LEAVE)
        self.registry.set_enabled(
            row is not None and row.status != "active", ActionId.RETURN_TO_ACTIVE
        )

    def _context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if index.isValid():
            self.view.selectRow(index.row())
        menu = QMenu(self)
        for action_id in _ROW_ACTIONS:
            menu.addAction(self.registry[action_id])
        menu.addSeparator()
        menu.addAction(self.registry[ActionId.ADD_LEAVE])
        menu.popup(self.view.viewport().mapToGlobal(position))

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            operations.edit_officer(self, self.ctx, row.id)

    def details_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            operations.officer_details(self, self.ctx, row.id)

    def separate_selected(self) -> None:
        row = self.selected_row()
        if row is not None and row.status != "separated":
            operations.separate_officer(self, self.ctx, row)

    def set_status_selected(self, status: str) -> None:
        row = self.selected_row()
        if row is not None and row.status != status:
            operations.change_status(self, self.ctx, row, status)


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return RosterPage(ctx, actions)
