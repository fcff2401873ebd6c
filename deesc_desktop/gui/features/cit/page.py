"""The CIT page: who is certified, coverage per shift against the target, and the certificates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QWidget
from sqlite_utils import Database

from deesc_desktop.core.roster import current_values_note
from deesc_desktop.gui import prompts, style
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.actions import ActionRegistry
from deesc_desktop.gui.context import (
    AGENCY,
    CERTIFICATIONS,
    COURSES,
    OFFICERS,
    TRAINING,
    AppContext,
)
from deesc_desktop.gui.features.cit.models import (
    CertificateColumn,
    CertificateModel,
    CitColumn,
    CitRosterModel,
    CoverageModel,
)
from deesc_desktop.gui.forms import DateField, page_title
from deesc_desktop.gui.models import RowFilterProxy, words_predicate
from deesc_desktop.gui.operations import USER_ERRORS
from deesc_desktop.gui.pages.base import Page
from deesc_desktop.gui.widgets import SearchBox, filtered_table, muted, table_view
from deesc_desktop.services.cit import (
    CitReport,
    CitRosterRow,
    cit_report,
    join_cit_team,
    leave_cit_team,
    revoke_certification,
)
from deesc_desktop.store.cit import CertificateListRow, certificate_list


def _cit_data(as_of: date) -> Callable[[Database], tuple[CitReport, list[CertificateListRow]]]:
    return lambda db: (cit_report(db, as_of), certificate_list(db))


def cit_haystack(row: CitRosterRow) -> str:
    return f"{row.officer.badge} {row.officer.last_name} {row.officer.first_name}".casefold()


class CitPage(Page):
    """The certified roster, coverage of the patrol shifts, and hand-entered certificates."""

    watches = frozenset({AGENCY, OFFICERS, TRAINING, COURSES, CERTIFICATIONS})

    def __init__(
        self, ctx: AppContext, actions: ActionRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actions, parent)
        heading = QHBoxLayout()
        heading.addWidget(page_title("CIT"))
        heading.addStretch(1)
        heading.addWidget(QLabel("As of:"))
        self.as_of = DateField(date.today())
        heading.addWidget(self.as_of)
        today = QPushButton("Today")
        today.clicked.connect(lambda: self.as_of.set_value(date.today()))
        heading.addWidget(today)
        self.layout_.addLayout(heading)

        self.coverage_text = QLabel()
        self.coverage_text.setTextFormat(Qt.TextFormat.RichText)
        self.coverage_text.setWordWrap(True)
        style.set_point_size(self.coverage_text, style.FONT_POINT_SIZE + 1)
        self.layout_.addWidget(self.coverage_text)
        self.gap_banner = QLabel()
        self.gap_banner.setObjectName("warningBanner")
        self.gap_banner.setWordWrap(True)
        self.gap_banner.hide()
        self.layout_.addWidget(self.gap_banner)
        self.coverage = CoverageModel(self)
        self.coverage_view = table_view(
            self.coverage,
            sortable=False,
        )
        self.coverage_view.setSelectionMode(self.coverage_view.SelectionMode.NoSelection)
        self.coverage_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.layout_.addWidget(self.coverage_view)

        bar = QHBoxLayout()
        bar.addWidget(
            actions.bar(
                ActionId.MARK_CIT_COURSE,
                ActionId.ADD_CERTIFICATE,
                ActionId.REVOKE_CERTIFICATE,
                ActionId.CIT_TEAM,
            )
        )
        bar.addStretch(1)
        self.search = SearchBox("Search badge or name (Ctrl+F)")
        bar.addWidget(self.search)
        self.layout_.addLayout(bar)

        self.tabs = QTabWidget()
        self.roster = CitRosterModel(self)
        self.proxy = RowFilterProxy(self)
        self.roster_view = filtered_table(
            self.roster, self.proxy, sort=(CitColumn.OFFICER, Qt.SortOrder.AscendingOrder)
        )
        self.tabs.addTab(self.roster_view, "Certified roster")
        self.certificates = CertificateModel(self)
        self.certificate_view = table_view(
            self.certificates,
            sort=(CertificateColumn.EARNED, Qt.SortOrder.DescendingOrder),
        )
        self.tabs.addTab(self.certificate_view, "Certificates entered by hand")
        self.layout_.addWidget(self.tabs, 1)
        self.layout_.addWidget(
            muted(
                "Certified: holds CIT on the day (current or expiring). Coverage counts active "
                "officers of the patrol unit; officers on leave are not on the street."
            )
        )

        self.as_of.changed.connect(self.refresh)
        self.search.search.connect(
            lambda text: self.proxy.set_predicate(words_predicate(text, cit_haystack))
        )
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())
        for view in (self.roster_view, self.certificate_view):
            view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        actions.connect(ActionId.MARK_CIT_COURSE, self.mark_course)
        actions.connect(ActionId.ADD_CERTIFICATE, self.add_certificate)
        actions.connect(ActionId.REVOKE_CERTIFICATE, self.revoke_selected)
        actions.connect(ActionId.CIT_TEAM, self.toggle_team)
        self._update_actions()

    # --- loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self.load(_cit_data(self.as_of.value() or date.today()), self._loaded, "CIT")

    def _loaded(self, data: tuple[CitReport, list[CertificateListRow]]) -> None:
        report, certificates = data
        self.report = report
        self.roster.set_rows(list(report.roster))
        # When nothing listed expires (no validity set, none printed on a certificate), the
        # expiry columns would stand empty and push the CIT team column out of sight.
        expiring = any(row.standing.expires is not None for row in report.roster)
        for column in (CitColumn.EXPIRES, CitColumn.DAYS_LEFT):
            self.roster_view.setColumnHidden(column, not expiring)
        self.certificates.set_rows(certificates)
        self.coverage.set_rows(list(report.coverage.shifts))
        self.coverage_view.setFixedHeight(
            self.coverage_view.horizontalHeader().height()
            + self.coverage_view.verticalHeader().defaultSectionSize()
            * max(1, len(report.coverage.shifts))
            + 4
        )
        self._show_coverage(report)
        held = sum(1 for row in report.roster if row.standing.status.held)
        self.tabs.setTabText(0, f"Certified roster ({held} certified, {len(report.roster)} listed)")
        active = sum(1 for c in certificates if not c.revoked_at)
        self.tabs.setTabText(1, f"Certificates entered by hand ({active})")
        self._update_actions()
        self.loaded.emit()

    def _show_coverage(self, report: CitReport) -> None:
        cover = report.coverage
        if cover.meets_target:
            verdict = style.coloured(
                f"✓ meets the {cover.target_percent}% target", style.Colour.OK, bold=True
            )
        else:
            verdict = style.coloured(
                f"✗ below the {cover.target_percent}% target: {cover.needed} more CIT "
                f"officer{'s' if cover.needed != 1 else ''} needed",
                style.Colour.ERROR,
                bold=True,
            )
        # For an earlier day: what is shown as it is today, as the printed report says.
        settings = " ".join(
            filter(None, [report.settings.validity_text(), current_values_note(report.as_of)])
        )
        self.coverage_text.setText(
            f"<b>{cover.certified}</b> of {cover.officers} active "
            f"{escape(cover.patrol_unit.lower())} officers counted on "
            f"{report.as_of.isoformat()} ({escape(cover.counted)}): "
            f"<b>{cover.percent}%</b> — {verdict}<br><small>{escape(settings)}</small>"
        )
        gaps = cover.uncovered_shifts
        if gaps:
            names = ", ".join(gaps[:-1]) + (" and " if len(gaps) > 1 else "") + gaps[-1]
            noun = "shift has" if len(gaps) == 1 else "shifts have"
            self.gap_banner.setText(
                f"✗ No CIT officer: the {names} {noun} no CIT-certified officer."
            )
            self.gap_banner.show()
        else:
            self.gap_banner.hide()

    def print_page(self) -> bool:
        """The CIT roster and coverage report for the date shown."""
        return self.show_report("cit", as_of=self.as_of.value() or date.today())

    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    # --- selection and actions --------------------------------------------------------------------

    def selected_roster_row(self) -> CitRosterRow | None:
        rows = self.roster_view.selectionModel().selectedRows()
        return self.proxy.row(rows[0].row()) if rows else None

    def selected_certificate(self) -> CertificateListRow | None:
        """The hand-entered certificate selected on either tab, if any."""
        if self.tabs.currentIndex() == 1:
            rows = self.certificate_view.selectionModel().selectedRows()
            return self.certificates.row(rows[0].row()) if rows else None
        row = self.selected_roster_row()
        # A period that began with a certificate carries its id; one from a course is < 0.
        if row is None or row.standing.certification is None or row.standing.certification.id < 0:
            return None
        wanted = row.standing.certification.id
        found = self.certificates.find_row(lambda c: c.id == wanted)
        return self.certificates.row(found) if found >= 0 else None

    def selected_officer_id(self) -> int | None:
        if self.tabs.currentIndex() == 1:
            cert = self.selected_certificate()
            return cert.officer_id if cert else None
        row = self.selected_roster_row()
        return row.officer.id if row else None

    def _update_actions(self) -> None:
        cert = self.selected_certificate()
        self.registry.set_enabled(
            cert is not None and not cert.revoked_at, ActionId.REVOKE_CERTIFICATE
        )
        self.registry.set_enabled(
            self.tabs.currentIndex() == 0 and self.selected_roster_row() is not None,
            ActionId.CIT_TEAM,
        )

    def toggle_team(self) -> bool:
        """The selected officer joins the CIT team on the page's date, or leaves it then."""
        row = self.selected_roster_row()
        if row is None:
            return False
        day = self.as_of.value() or date.today()
        name = f"{row.officer.display_name} (badge {row.officer.badge})"
        if row.team_member:
            question = f"Record that {name} left the CIT team on {day.isoformat()}?"
            ok_text = "Left the team"
        else:
            question = (
                f"Record that {name} was selected for the CIT team on {day.isoformat()}?\n\n"
                "Coverage counts CIT team members who hold CIT; officers who only took the "
                "course do not count once a team is recorded."
            )
            ok_text = "Joined the team"
        if not prompts.confirm(self, "CIT team", question, ok_text=ok_text):
            return False
        try:
            if row.team_member:
                leave_cit_team(self.ctx.db, self.ctx.actor, row.officer.id, day)
            else:
                join_cit_team(self.ctx.db, self.ctx.actor, row.officer.id, day)
        except USER_ERRORS as exc:
            prompts.error(self, "Could not change the CIT team", str(exc))
            return False
        return True

    def mark_course(self) -> None:
        from deesc_desktop.gui.features.cit.dialogs import CitCourseDialog

        prompts.run_dialog(CitCourseDialog(self.ctx, self))

    def add_certificate(self) -> None:
        from deesc_desktop.gui.features.cit.dialogs import CertificateDialog

        prompts.run_dialog(CertificateDialog(self.ctx, self.selected_officer_id(), self))

    def revoke_selected(self) -> bool:
        cert = self.selected_certificate()
        if cert is None or cert.revoked_at:
            return False
        number = f" {cert.number}" if cert.number else ""
        summary = (
            f"{cert.kind.upper()} certificate{number} of {cert.officer_name} (badge {cert.badge}),"
            f" earned {cert.earned}, issued by {cert.issuer}"
        )
        reason = prompts.ask_reason(
            self,
            "Revoke certificate",
            f"Revoke the {summary}?\n\nIt will no longer count on any date. The record stays, "
            "marked with who revoked it, when and why.",
            ok_text="Revoke certificate",
        )
        if reason is None:
            return False
        try:
            revoke_certification(
                self.ctx.db, self.ctx.actor, cert.id, reason=reason, expected_version=cert.version
            )
        except USER_ERRORS as exc:
            prompts.error(self, "Could not revoke the certificate", str(exc))
            return False
        return True


def create_page(ctx: AppContext, actions: ActionRegistry) -> Page:
    return CitPage(ctx, actions)
