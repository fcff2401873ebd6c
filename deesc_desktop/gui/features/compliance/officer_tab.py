"""The officer dialog's Compliance tab: each requirement's status for the officer, loaded
when shown."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel

from deesc_desktop.gui import style
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.compliance.models import (
    OfficerResultsModel,
    ResultColumn,
    status_text,
    status_tone,
)
from deesc_desktop.gui.widgets import LoadingTab, table_view
from deesc_desktop.services.compliance import OfficerCompliance, officer_compliance


class ComplianceTab(LoadingTab):
    """Each requirement's status with its numbers; the selected one's explanation below."""

    def __init__(self, ctx: AppContext, officer_id: int) -> None:
        super().__init__(ctx, officer_id)
        self.model = OfficerResultsModel(self)
        self.view = table_view(
            self.model,
            sort=(ResultColumn.REQUIREMENT, Qt.SortOrder.AscendingOrder),
            sortable=False,
        )
        self.layout_.addWidget(self.view, 1)
        self.explanation = QLabel("Select a requirement to read how its status was worked out.")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.explanation)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._explain(current)
        )
        today = date.today()
        self.start(lambda db: officer_compliance(db, officer_id, today), self.show_results)

    def show_results(self, found: OfficerCompliance) -> None:
        self.model.set_rows(list(found.results))
        tone = status_tone(found.worst)
        self.summary.setText(
            f"Overall as of {date.today().isoformat()}: "
            + style.coloured(escape(status_text(found.worst)), tone.text, bold=True)
            + f" ({len(found.results)} requirement{'s' if len(found.results) != 1 else ''})"
        )
        if self.model.rowCount():
            self.view.selectRow(0)

    def _explain(self, index: QModelIndex) -> None:
        if index.isValid():
            self.explanation.setText(self.model.row(index.row()).explanation)
