"""The CIT page: coverage per shift, a hand-entered certificate, revoking it, course roles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QLabel
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.cit.dialogs import CertificateDialog, CitCourseDialog
from deesc_desktop.gui.features.cit.models import CitColumn, CoverageColumn
from deesc_desktop.gui.features.cit.page import CitPage
from deesc_desktop.gui.features.dashboard.cards import CitCoverageCard
from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.cit import add_certification, update_cit_settings
from deesc_desktop.services.training import record_class
from tests.gui.helpers import Prompts, settle

EARNED = date.today() - timedelta(days=200)


def cit(window: MainWindow) -> CitPage:
    page = window.show_page(PageId.CIT)
    settle()
    assert isinstance(page, CitPage)
    return page


def notes(page: CitPage) -> dict[str, str]:
    return {
        page.coverage.row(r).shift: page.coverage.index(r, CoverageColumn.NOTE).data()
        for r in range(page.coverage.rowCount())
    }


def test_the_page_flags_a_shift_with_no_cit_officer(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    page = cit(window)
    assert page.gap_banner.text() == (
        "✗ No CIT officer: the Days and Nights shifts have no CIT-certified officer."
    )

    def fill(dialog: CertificateDialog) -> None:
        qtbot.waitUntil(lambda: dialog.officer.officer_id() == officers["101"])
        # The agency sets no validity: the hint said "it lasts None years".
        hints = [label.text() for label in dialog.findChildren(QLabel, "hint")]
        assert "Only if the certificate prints one; otherwise it does not expire." in hints
        dialog.earned.set_value(EARNED)
        dialog.accept()
        assert dialog.form.error_text("issuer") == "Issued by is required."
        qtbot.keyClicks(dialog.issuer, "CIT International (Springfield PD)")
        qtbot.keyClicks(dialog.number, "CIT-20931")
        dialog.accept()

    page.roster_view.clearSelection()
    say.dialogs.expect(fill)
    # Nobody selected: the dialog is opened for officer 101 as a user would pick them.
    page.selected_officer_id = lambda: officers["101"]  # type: ignore[method-assign]
    window.registry[ActionId.ADD_CERTIFICATE].trigger()
    settle()
    assert notes(page) == {"Days": "✓ Yes", "Nights": "✗ No CIT officer on this shift"}
    assert page.gap_banner.text() == (
        "✗ No CIT officer: the Nights shift has no CIT-certified officer."
    )
    assert "1</b> of 4 active patrol officers" in page.coverage_text.text()
    assert "meets the 25% target" in page.coverage_text.text()
    assert page.roster.rowCount() == 1
    row = page.roster.row(0)
    assert (row.officer.badge, row.standing.status.value) == ("101", "current")
    assert page.roster.index(0, 4).data() == "Current"
    # Certificates do not expire by default: no empty expiry columns; with a validity, shown.
    expiry = (CitColumn.EXPIRES, CitColumn.DAYS_LEFT)
    assert [page.roster_view.isColumnHidden(column) for column in expiry] == [True, True]
    update_cit_settings(db, window.ctx.actor, {"validity_years": 2})
    page.refresh()
    settle()
    assert [page.roster_view.isColumnHidden(column) for column in expiry] == [False, False]
    expires = date.fromisoformat(page.roster.index(0, CitColumn.EXPIRES).data())
    assert 365 * 2 - 2 <= (expires - EARNED).days <= 366 * 2


def test_revoke_a_certificate_with_a_reason(
    officers: dict[str, int], window: MainWindow, say: Prompts, db: Database, admin: Actor
) -> None:
    cert_id = add_certification(
        db, admin, officers["102"], {"earned": EARNED.isoformat(), "issuer": "State CIT"}
    )
    page = cit(window)
    assert notes(page)["Nights"] == "✓ Yes"
    page.roster_view.selectRow(0)
    assert window.registry[ActionId.REVOKE_CERTIFICATE].isEnabled()
    say.reason = "entered for the wrong officer"
    window.registry[ActionId.REVOKE_CERTIFICATE].trigger()
    settle()
    assert db.execute(
        "SELECT revoked_by, revoked_reason FROM certifications WHERE id = ?", [cert_id]
    ).fetchone() == ("sgt.admin", "entered for the wrong officer")
    assert notes(page)["Nights"] == "✗ No CIT officer on this shift"
    page.tabs.setCurrentIndex(1)
    assert page.certificates.index(0, 6).data().startswith("Revoked ")
    page.certificate_view.selectRow(0)
    assert not window.registry[ActionId.REVOKE_CERTIFICATE].isEnabled(), "already revoked"


def test_marking_the_certifying_course_certifies_who_completed_it(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
) -> None:
    record_class(
        db,
        admin,
        {
            "course": "CIT Basic",
            "completed": EARNED.isoformat(),
            "hours": "40",
            "topics": "crisis_intervention",
        },
        [officers["105"]],
    )
    page = cit(window)
    assert page.roster.rowCount() == 0

    def mark(dialog: CitCourseDialog) -> None:
        dialog.choose("CIT Basic", "certifying")
        dialog.accept()

    say.dialogs.expect(mark)
    window.registry[ActionId.MARK_CIT_COURSE].trigger()
    settle()
    assert [page.roster.row(r).officer.badge for r in range(page.roster.rowCount())] == ["105"]
    assert notes(page)["Nights"] == "✓ Yes"
    dashboard: Any = window.pages[PageId.DASHBOARD]
    card = next(c for c in dashboard.extra_cards if isinstance(c, CitCoverageCard))
    window.show_page(PageId.DASHBOARD)
    settle()
    assert card.figure.text() == "25.0%"
    # Who the figure counts, in the CIT page's words (not "CIT-certified" for team members).
    assert card.caption.text() == "of 4 active patrol officers are CIT-trained (1)"
    assert "Days · <b>0</b> of 2 (0.0%)" in card.body.text()
    assert "NO CIT OFFICER" in card.body.text()


def test_a_chief_cannot_change_cit_and_the_officer_tab_shows_the_standing(
    qtbot: Any,
    officers: dict[str, int],
    users: dict[str, Actor],
    window_as: Any,
    db: Database,
    admin: Actor,
    ctx: Any,
) -> None:
    add_certification(
        db, admin, officers["103"], {"earned": EARNED.isoformat(), "issuer": "State CIT"}
    )
    window = window_as(users["chief.harmon"])
    for action_id in (
        ActionId.MARK_CIT_COURSE,
        ActionId.ADD_CERTIFICATE,
        ActionId.REVOKE_CERTIFICATE,
    ):
        assert not window.registry[action_id].isEnabled()
    dialog = OfficerDetailDialog(ctx, officers["103"])
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    tab: Any = dialog.tabs.widget(titles.index("CIT"))
    settle()
    assert "CIT: " in tab.summary.text() and "Current" in tab.summary.text()
    assert tab.model.rowCount() == 1


def test_an_earlier_date_says_what_is_shown_as_it_is_today(window: MainWindow) -> None:
    page = window.show_page(PageId.CIT)
    assert isinstance(page, CitPage)
    settle()
    assert "keeps no history" not in page.coverage_text.text()
    page.as_of.set_value(date.today() - timedelta(days=30))
    settle()
    assert "keeps no history of them" in page.coverage_text.text()
