"""The officer dialog's Compliance, CIT and Claims tabs, each loaded on a worker when shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from sqlite_utils import Database

from deesc_desktop.core.money import format_money
from deesc_desktop.gui import style, workers
from deesc_desktop.gui.cit_models import CertificateColumn, CertificateModel, cit_text
from deesc_desktop.gui.claim_models import ClaimColumn, ClaimsModel
from deesc_desktop.gui.compliance_models import (
    OfficerResultsModel,
    ResultColumn,
    status_text,
    status_tone,
)
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.widgets import muted, table_view
from deesc_desktop.services.cit import CitReport, cit_report
from deesc_desktop.services.compliance import OfficerCompliance, officer_compliance
from deesc_desktop.store.cit import CertificateListRow, certificate_list
from deesc_desktop.store.claims import ClaimRow, list_claims


class LoadingTab(QWidget):
    """A tab that reads its data on a worker once built, showing "Loading…" meanwhile."""

    def __init__(self, ctx: AppContext, officer_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.officer_id = officer_id
        self.layout_ = QVBoxLayout(self)
        self.summary = QLabel("Loading…")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.summary)

    def start(self, query: Callable[[Database], Any], show: Callable[[Any], None]) -> None:
        workers.run_query(
            self.ctx.db_path,
            query,
            owner=self,
            on_result=show,
            on_error=lambda exc: self.summary.setText(escape(f"Could not read this: {exc}")),
        )


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


class CitTab(LoadingTab):
    """The officer's CIT standing today and their hand-entered certificates."""

    def __init__(self, ctx: AppContext, officer_id: int) -> None:
        super().__init__(ctx, officer_id)
        self.certificates_label = muted("Certificates entered by hand:")
        self.layout_.addWidget(self.certificates_label)
        self.model = CertificateModel(self)
        self.view = table_view(
            self.model,
            widths={CertificateColumn.EARNED: 11, CertificateColumn.NUMBER: 12},
            sort=(CertificateColumn.EARNED, Qt.SortOrder.DescendingOrder),
        )
        self.view.hideColumn(CertificateColumn.OFFICER)
        self.view.hideColumn(CertificateColumn.BADGE)
        self.layout_.addWidget(self.view, 1)
        self.layout_.addStretch(0)
        today = date.today()
        self.start(
            lambda db: (cit_report(db, today), certificate_list(db, officer_id=officer_id)),
            self.show_cit,
        )

    def show_cit(self, found: tuple[CitReport, list[CertificateListRow]]) -> None:
        report, certificates = found
        self.model.set_rows(certificates)
        if not certificates:
            self.certificates_label.setText(
                "No certificate entered by hand (a CIT course completed here needs none)."
            )
            self.view.hide()
        row = next((r for r in report.roster if r.officer.id == self.officer_id), None)
        if row is None:
            self.summary.setText(
                "Not CIT-certified: no CIT course completion or certificate on file."
            )
            return
        standing = row.standing
        tone = style.CIT_TONE[standing.status.value]
        lines = [
            "CIT: " + style.coloured(escape(cit_text(standing.status.value)), tone.text, bold=True)
        ]
        if standing.certification is not None:
            lines.append(f"Certified since {standing.certification.earned.isoformat()}")
        if standing.expires is not None:
            verb = "Expires" if standing.status.held else "Expired"
            left = f" ({standing.days_left} days left)" if standing.days_left is not None else ""
            lines.append(f"{verb} {standing.expires.isoformat()}{left}")
        if row.last_refresher:
            lines.append(f"Last refresher {row.last_refresher.isoformat()}")
        if row.source:
            lines.append(f"From {escape(row.source)}")
        self.summary.setText("<br>".join(lines))


class ClaimsTab(LoadingTab):
    """The officer's bonus claims in every state."""

    def __init__(self, ctx: AppContext, officer_id: int) -> None:
        super().__init__(ctx, officer_id)
        self.model = ClaimsModel(self)
        self.view = table_view(
            self.model,
            widths={ClaimColumn.ID: 7, ClaimColumn.PROGRAM: 30, ClaimColumn.AMOUNT: 14},
            sort=(ClaimColumn.ID, Qt.SortOrder.DescendingOrder),
        )
        self.view.hideColumn(ClaimColumn.OFFICER)
        self.view.hideColumn(ClaimColumn.BADGE)
        self.layout_.addWidget(self.view, 1)
        self.start(lambda db: list_claims(db, officer_id=officer_id), self.show_claims)

    def show_claims(self, claims: list[ClaimRow]) -> None:
        self.model.set_rows(claims)
        paid = sum(c.net for c in claims if c.status == "paid")
        open_ = [c for c in claims if c.status in ("draft", "submitted", "approved")]
        if not claims:
            self.summary.setText("No bonus claims.")
            return
        self.summary.setText(
            f"{len(claims)} claim{'s' if len(claims) != 1 else ''}: "
            f"<b>{format_money(paid)}</b> paid, {len(open_)} still open."
        )
