"""The incidents page: the de-escalation and use-of-force log, and its LEDTA figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget
from sqlite_utils import Database

from deesc_desktop.core.incidents import INCIDENT_STATUSES, LedtaFigures, federal_fiscal_year
from deesc_desktop.core.wording import plural
from deesc_desktop.gui import operations, prompts
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import INCIDENTS, OFFICERS, TRAINING, AppContext
from deesc_desktop.gui.features.incidents.models import (
    FigureModel,
    IncidentColumn,
    IncidentModel,
    figure_rows,
    incident_haystack,
)
from deesc_desktop.gui.forms import DateField
from deesc_desktop.gui.models import RowFilterProxy, all_of, words_predicate
from deesc_desktop.gui.operations import USER_ERRORS
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import SearchBox, filtered_table, muted, table_view
from deesc_desktop.services.incidents import (
    IncidentEntry,
    delete_incident,
    incident_figures,
    list_incidents,
)


@dataclass(frozen=True, slots=True)
class IncidentData:
    entries: list[IncidentEntry]
    figures: LedtaFigures


def _incident_data(start: date, end: date) -> Callable[[Database], IncidentData]:
    return lambda db: IncidentData(list_incidents(db, start, end), incident_figures(db, start, end))


def fiscal_year_start(today: date) -> date:
    """1 October of the federal fiscal year `today` falls in."""
    return date(federal_fiscal_year(today) - 1, 10, 1)


class IncidentsPage(Page):
    """Incidents in a period (the federal fiscal year to date to start with), with figures."""

    watches = frozenset({INCIDENTS, OFFICERS, TRAINING})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        self.totals = self.add_heading("Incidents")

        filters = QHBoxLayout()
        self.search = SearchBox("Search report number, badge or type")
        filters.addWidget(self.search, 2)
        filters.addSpacing(8)
        filters.addWidget(QLabel("From:"))
        today = date.today()
        self.start = DateField(fiscal_year_start(today))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("to:"))
        self.end = DateField(today)
        filters.addWidget(self.end)
        self.status = QComboBox()
        self.status.addItem("Any status", None)
        for code, label in INCIDENT_STATUSES.items():
            self.status.addItem(label, code)
        filters.addWidget(self.status)
        self.layout_.addLayout(filters)

        self.layout_.addWidget(
            actions.bar(
                ActionId.ADD_INCIDENT,
                ActionId.EDIT_INCIDENT,
                ActionId.REVIEW_INCIDENT,
                ActionId.DELETE_INCIDENT,
                ActionId.IMPORT_INCIDENTS,
            )
        )
        self.model = IncidentModel(self)
        self.proxy = RowFilterProxy(self)
        self.view = filtered_table(
            self.model, self.proxy, sort=(IncidentColumn.DATE, Qt.SortOrder.DescendingOrder)
        )
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())

        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addWidget(
            muted(
                "LEDTA figures for the period, by federal quarter and fiscal year: rates for "
                "incidents where every officer had de-escalation training before the day, "
                "against the others."
            )
        )
        self.figures = FigureModel(self)
        self.figures_view = table_view(
            self.figures,
            sortable=False,
            stretch=1,
        )
        figures_layout.addWidget(self.figures_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(figures)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)

        self.search.search.connect(lambda _text: self.apply_filter())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.start.changed.connect(self.refresh)
        self.end.changed.connect(self.refresh)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.proxy.modelReset.connect(self._update_actions)
        actions.connect(ActionId.ADD_INCIDENT, self.add_incident)
        actions.connect(ActionId.EDIT_INCIDENT, self.edit_selected)
        actions.connect(ActionId.REVIEW_INCIDENT, self.review_selected)
        actions.connect(ActionId.DELETE_INCIDENT, self.delete_selected)
        actions.connect(
            ActionId.IMPORT_INCIDENTS, lambda: operations.start_import(self, ctx, "incidents")
        )
        self._update_actions()

    def refresh(self) -> None:
        super().refresh()
        start, end = self.start.value(), self.end.value()
        if start is None or end is None or end < start:
            return
        self.load(_incident_data(start, end), self._loaded, "the incident log")

    def _loaded(self, data: IncidentData) -> None:
        selected = self.selected()
        self.model.set_rows(data.entries)
        self.figures.set_rows(figure_rows([*data.figures.quarters, *data.figures.fiscal_years]))
        self.apply_filter()
        if selected is not None:
            row = self.proxy_row_of(selected.row.id)
            if row >= 0:
                self.view.selectRow(row)
        self.loaded.emit()

    def apply_filter(self) -> None:
        tests: list[Callable[[IncidentEntry], bool]] = []
        words = words_predicate(self.search.text(), incident_haystack)
        if words is not None:
            tests.append(words)
        status = self.status.currentData()
        if status is not None:
            tests.append(lambda e: e.row.status == status)
        self.proxy.set_predicate(all_of(tests))
        rows: list[IncidentEntry] = self.model.all_rows()
        used = sum(1 for e in rows if e.row.deescalation_used)
        waiting = sum(1 for e in rows if e.row.status == "entered")
        self.totals.setText(
            f"{plural(len(rows), 'incident')} · de-escalation used in {used} · "
            f"{waiting} awaiting review"
        )
        self._update_actions()

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def selected(self) -> IncidentEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.row(rows[0].row()) if rows else None

    def proxy_row_of(self, incident_id: int) -> int:
        for number in range(self.proxy.rowCount()):
            if self.proxy.row(number).row.id == incident_id:
                return number
        return -1

    def _update_actions(self) -> None:
        entry = self.selected()
        self.registry.set_enabled(entry is not None, ActionId.EDIT_INCIDENT)
        waiting = entry is not None and entry.row.status == "entered"
        self.registry.set_enabled(waiting, ActionId.REVIEW_INCIDENT, ActionId.DELETE_INCIDENT)

    def add_incident(self) -> None:
        from deesc_desktop.gui.features.incidents.dialogs import IncidentDialog

        prompts.run_dialog(IncidentDialog(self.ctx, None, self))

    def edit_selected(self) -> None:
        from deesc_desktop.gui.features.incidents.dialogs import IncidentDialog

        entry = self.selected()
        if entry is not None and self.registry.allowed(ActionId.EDIT_INCIDENT):
            prompts.run_dialog(IncidentDialog(self.ctx, entry, self))

    def review_selected(self) -> None:
        from deesc_desktop.gui.features.incidents.dialogs import ReviewIncidentDialog

        entry = self.selected()
        if entry is not None:
            prompts.run_dialog(ReviewIncidentDialog(self.ctx, entry, self))

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        what = f"incident {entry.row.reference} of {entry.row.occurred_on}"
        if not prompts.confirm(
            self,
            "Delete incident",
            f"Delete {what}?\n\nThe audit log keeps a copy and your reason.",
            ok_text="Delete incident",
        ):
            return
        reason = prompts.ask_reason(self, "Why delete this incident?", what, ok_text="Delete")
        if reason is None:
            return
        try:
            delete_incident(self.ctx.db, self.ctx.actor, entry.row.id, reason=reason)
        except USER_ERRORS as exc:
            prompts.error(self, "Could not delete the incident", str(exc))
            return


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return IncidentsPage(ctx, actions)
