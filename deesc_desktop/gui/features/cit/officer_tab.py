"""The officer dialog's CIT tab: the officer's CIT standing and certificates, loaded when shown."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt

from deesc_desktop.gui import style
from deesc_desktop.gui.context import AppContext
from deesc_desktop.gui.features.cit.models import CertificateColumn, CertificateModel, cit_text
from deesc_desktop.gui.widgets import LoadingTab, muted, table_view
from deesc_desktop.services.cit import CitReport, cit_report
from deesc_desktop.store.cit import CertificateListRow, certificate_list


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
