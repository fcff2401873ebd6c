"""The compliance page, its dashboard cards and the officer's Compliance tab, driven as a user."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.core.compliance import Status
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.compliance.models import FIRST_REQUIREMENT, OVERALL, ResultColumn
from deesc_desktop.gui.features.compliance.page import ATTENTION, CompliancePage
from deesc_desktop.gui.features.dashboard.cards import (
    ComplianceChartCard,
    ComplianceStatusCard,
    DueSoonCard,
)
from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
from deesc_desktop.gui.features.training.dialogs import RecordClassDialog
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.compliance import officer_compliance
from deesc_desktop.services.officers import add_officer, separate_officer
from deesc_desktop.services.requirements import active_requirements, set_requirement_active
from deesc_desktop.services.training import record_class
from tests.gui.helpers import Prompts, settle

AS_OF = date(2026, 3, 1)
CLASS_DAY = date(2025, 9, 15)
IL = "IL-inservice-30h"


@pytest.fixture(autouse=True)
def in_service_only(db: Database, admin: Actor) -> None:
    """These tests drive the page, so they measure one requirement: the Illinois pack's
    other requirements (a class each year or cycle in a topic) are switched off."""
    for requirement in active_requirements(db):
        if requirement.id != IL:
            set_requirement_active(db, admin, requirement.id, False)


def compliance(window: MainWindow) -> CompliancePage:
    page = window.show_page(PageId.COMPLIANCE)
    assert isinstance(page, CompliancePage)
    page.as_of.set_value(AS_OF)
    settle()
    return page


def statuses(page: CompliancePage, column: int) -> dict[str, Status | None]:
    return {
        page.proxy.row(r).officer.badge: page.model.status(page.proxy.row(r), column)
        for r in range(page.proxy.rowCount())
    }


def click_cell(qtbot: Any, page: CompliancePage, badge: str, column: int) -> None:
    for row in range(page.proxy.rowCount()):
        if page.proxy.row(row).officer.badge == badge:
            rect = page.view.visualRect(page.proxy.index(row, column))
            qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"badge {badge} is not shown")


def test_record_a_class_for_three_officers_and_see_their_compliance_change(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts
) -> None:
    page = compliance(window)
    assert page.working.isHidden()
    # What the state pack checks, and does not, is on the page for whoever prints it.
    assert page.coverage.isVisible()
    assert page.coverage.text().startswith("Illinois rules 2026.2: Partial: does not check ")
    assert "Rules verified 2026-12-04." in page.coverage.text()
    il = page.model.requirement_column(IL)
    assert il >= FIRST_REQUIREMENT
    assert page.model.headerData(il, Qt.Orientation.Horizontal) == (
        "In-service training:\n30 hours every 3 years"
    )
    before = statuses(page, il)
    assert set(before.values()) == {Status.NON_COMPLIANT}, "the last cycle ended with no hours"
    # The cell says why, in a few words; the tooltip and the colour give the status.
    assert page.proxy.index(0, il).data() == (
        "✗ previous cycle short 30 h and 3 topic minimums; now short 30 h and 3 topic "
        "minimums, due 2028-06-30"
    )
    assert "Non-compliant" in page.proxy.index(0, il).data(Qt.ItemDataRole.ToolTipRole)

    def fill(dialog: RecordClassDialog) -> None:
        qtbot.waitUntil(lambda: dialog.attendees.rowCount() == 5)
        qtbot.keyClicks(dialog.fields.course, "In-service block")
        dialog.fields.completed.set_value(CLASS_DAY)
        dialog.fields.hours.setValue(30)
        dialog.fields.topics.set_text("use_of_force:12;high_risk_traffic_stops:12;firearms:6")
        dialog.fields.delivery.setCurrentIndex(dialog.fields.delivery.findData("scenario"))
        dialog.check_officers([officers["101"], officers["102"], officers["103"]])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(fill)
    window.registry[ActionId.RECORD_CLASS].trigger()
    assert page.working.isVisible(), "the page says it is working while the worker runs"
    assert page.working.text() == "Working out compliance as of 2026-03-01…"
    settle()
    after = statuses(page, il)
    assert after == {
        "101": Status.COMPLIANT,
        "102": Status.COMPLIANT,
        "103": Status.COMPLIANT,
        "104": Status.NON_COMPLIANT,
        "105": Status.NON_COMPLIANT,
    }
    cell = page.proxy.index(0, il)
    assert cell.data() == "✓ Compliant"
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None, "text and colour together"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None


def test_the_needs_attention_filter_and_the_other_filters(
    qtbot: Any, officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    record_class(
        db,
        admin,
        {
            "course": "In-service block",
            "completed": CLASS_DAY.isoformat(),
            "hours": "30",
            "topics": "use_of_force:12;high_risk_traffic_stops:12;firearms:6",
            "delivery": "scenario",
        },
        [officers["101"], officers["104"]],
    )
    page = compliance(window)
    assert page.proxy.rowCount() == 5
    page.status.setCurrentIndex(page.status.findData(ATTENTION))
    shown = sorted(page.proxy.row(r).officer.badge for r in range(page.proxy.rowCount()))
    assert shown == ["102", "103", "105"]
    assert page.count.text().startswith("Showing 3 of 5 officers · 3 non-compliant")
    page.shift.setCurrentIndex(page.shift.findData("Nights"))
    assert sorted(page.proxy.row(r).officer.badge for r in range(page.proxy.rowCount())) == [
        "102",
        "105",
    ]
    page.shift.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "chen")
    page.search.flush()
    assert [page.proxy.row(r).officer.badge for r in range(page.proxy.rowCount())] == ["103"]
    page.search.clear()
    page.search.flush()
    page.status.setCurrentIndex(page.status.findData(Status.COMPLIANT))
    assert page.proxy.rowCount() == 2
    page.unit.setCurrentIndex(page.unit.findData("Investigations"))
    assert [page.proxy.row(r).officer.badge for r in range(page.proxy.rowCount())] == ["104"]


def test_clicking_a_cell_explains_it_below(
    qtbot: Any, officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    record_class(
        db,
        admin,
        {
            "course": "Firearms",
            "completed": CLASS_DAY.isoformat(),
            "hours": "8",
            "topics": "use_of_force",
            "delivery": "scenario",
        },
        [officers["102"]],
    )
    page = compliance(window)
    il = page.model.requirement_column(IL)
    click_cell(qtbot, page, "102", il)
    expected = next(
        r for r in officer_compliance(db, officers["102"], AS_OF).results if r.requirement_id == IL
    )
    panel = page.detail
    assert "Brown, James (badge 102)" in panel.heading.text()
    assert "Non-compliant" in panel.heading.text()
    # What is still needed is a list, one shortfall a line, with no internal names.
    assert panel.explanation.text() == "\n".join(expected.explanation_lines)
    assert "Still needed:\n• " in panel.explanation.text()
    assert "window" not in panel.explanation.text().lower()
    labels = [
        panel.facts.itemAt(i, panel.facts.ItemRole.LabelRole).widget().text()
        for i in range(panel.facts.rowCount())
    ]
    assert labels[:3] == ["Cycle:", "Due:", "Hours:"]
    assert panel.sub_minimums.rowCount() == 3
    assert panel.sub_minimums.index(0, 0).data() == "Scenario-based training"
    assert panel.sub_minimums.index(0, 2).data() == "8.0 h"
    assert panel.sub_view.isVisible()
    click_cell(qtbot, page, "102", OVERALL)
    assert "overall" in panel.heading.text()
    assert panel.sub_view.isHidden()


def test_the_as_of_date_reworks_compliance(officers: dict[str, int], window: MainWindow) -> None:
    page = compliance(window)
    il = page.model.requirement_column(IL)
    assert set(statuses(page, il).values()) == {Status.NON_COMPLIANT}
    page.as_of.set_value(date(2023, 3, 1))  # inside the first cycle, which has no previous one
    settle()
    assert set(statuses(page, il).values()) == {Status.IN_PROGRESS}


def test_an_earlier_date_says_what_is_shown_as_it_is_today(
    officers: dict[str, int], window: MainWindow
) -> None:
    """The page for an earlier day shows today's names and postings, as the printed report
    does, and says so as the report does; for today it says nothing of it."""
    page = compliance(window)
    page.as_of.set_value(date.today())
    settle()
    assert "keeps no history" not in page.coverage.text()
    page.as_of.set_value(date.today() - timedelta(days=30))
    settle()
    assert (
        f"Names, rank, unit and shift, the agency's settings (CIT policy, warning days, leave "
        f"proration) and its own requirements are as recorded on {date.today().isoformat()}"
        in page.coverage.text()
    )


def test_the_as_of_date_stops_where_the_rules_can_still_count(
    officers: dict[str, int], window: MainWindow, say: Prompts
) -> None:
    """The date field went to 9999-12-31, where the engine stopped on a year past 9999."""
    page = compliance(window)
    page.as_of.edit.setDate(QDate(9999, 12, 31))
    settle()
    assert page.as_of.value() == date(8999, 12, 31)
    assert page.model.rowCount() > 0 and say.messages == []


def test_export_the_matrix_as_shown(
    officers: dict[str, int], window: MainWindow, say: Prompts, tmp_path: Path
) -> None:
    page = compliance(window)
    page.status.setCurrentIndex(page.status.findData(ATTENTION))
    page.shift.setCurrentIndex(page.shift.findData("Days"))
    say.save_path = tmp_path / "matrix.csv"
    window.registry[ActionId.EXPORT_COMPLIANCE].trigger()
    lines = say.save_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("badge,officer,unit,shift,overall,In-service training")
    assert [line.split(",")[0] for line in lines[1:]] == ["101", "103", "104"]
    assert "Non-compliant" in lines[1]
    assert say.texts("inform") == [f"Wrote 3 officers to\n{say.save_path}"]
    say.save_path = tmp_path / "matrix.xlsx"
    window.registry[ActionId.EXPORT_COMPLIANCE].trigger()
    assert (tmp_path / "matrix.xlsx").stat().st_size > 1000


def test_dashboard_cards_count_statuses_and_click_through_to_the_page(
    officers: dict[str, int], window: MainWindow
) -> None:
    dashboard: Any = window.pages[PageId.DASHBOARD]
    window.show_page(PageId.DASHBOARD)
    settle()
    card = next(c for c in dashboard.extra_cards if isinstance(c, ComplianceStatusCard))
    assert card.figure.text() == "5"
    assert "Non-compliant" in card.body.text()
    chart = next(c for c in dashboard.extra_cards if isinstance(c, ComplianceChartCard))
    assert chart.series is not None
    assert [bar.label() for bar in chart.series.barSets()] == [
        "Compliant",
        "Due soon",
        "In progress",
        "Non-compliant",
    ]
    assert chart.series.barSets()[3].at(0) == 5.0
    assert chart.chart.legend().isVisible(), "the colours are named"
    due = next(c for c in dashboard.extra_cards if isinstance(c, DueSoonCard))
    assert due.figure.text().isdigit()
    # The card counts what falls due in 90 days: its link opens that list, not a status.
    window.pages[PageId.TRAINING_DUE].horizon.setCurrentIndex(0)
    due.link_activated("due")
    settle()
    assert window.current_page_id() == PageId.TRAINING_DUE
    assert window.current_page().horizon.currentData() == 90
    window.show_page(PageId.DASHBOARD)

    card.link_activated("status:non_compliant")
    assert window.current_page_id() == PageId.COMPLIANCE
    page: Any = window.current_page()
    settle()
    assert page.status.currentData() == Status.NON_COMPLIANT
    assert page.proxy.rowCount() == 5
    chart._clicked(0, chart.series.barSets()[0])  # the compliant part of the top bar
    assert page.status.currentData() == Status.COMPLIANT
    assert page.requirement.currentText() == "In-service training: 30 hours every 3 years"
    assert page.proxy.rowCount() == 0


def test_the_dashboard_shows_the_kept_summary_at_once_then_brings_it_up_to_date(
    officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    """The figures the file keeps show as soon as they are read; after a change they stay,
    marked "updating…", until the changed officer has been worked out again."""
    dashboard: Any = window.pages[PageId.DASHBOARD]
    window.show_page(PageId.DASHBOARD)
    settle()
    card = next(c for c in dashboard.extra_cards if isinstance(c, ComplianceStatusCard))
    chart = next(c for c in dashboard.extra_cards if isinstance(c, ComplianceChartCard))
    today = date.today().isoformat()
    assert card.figure.text() == "5"
    assert card.caption.text().endswith(f"(as of {today})")
    shown: list[tuple[bool, str, str, str]] = []
    card.query.ready.connect(
        lambda summary: shown.append(
            (summary.current, card.figure.text(), card.caption.text(), chart.caption.text())
        )
    )

    dashboard.refresh()
    settle()
    assert [(current, figure) for current, figure, *_ in shown] == [(True, "5")], (
        "kept and current: shown as it is, nothing worked out again"
    )

    shown.clear()
    separate_officer(db, admin, officers["105"], date.today() - timedelta(days=1))
    settle()
    first, last = shown[0], shown[-1]
    assert first[:2] == (False, "5")
    assert first[2].endswith(f"(as of {today}, updating…)")
    assert first[3].startswith(f"Officers per requirement, as of {today}, updating… Click")
    assert all(not current for current, *_ in shown[:-1])
    assert last[:2] == (True, "4")
    assert last[2] == (
        "of 4 serving officers need attention: non-compliant or due soon on a requirement "
        f"(as of {today})"
    )


def test_the_officer_dialog_has_a_compliance_tab(
    qtbot: Any, officers: dict[str, int], ctx: Any
) -> None:
    dialog = OfficerDetailDialog(ctx, officers["101"])
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    tab: Any = dialog.tabs.widget(titles.index("Compliance"))
    settle()
    assert tab.model.rowCount() >= 1
    assert tab.model.index(0, 0).data() == "In-service training: 30 hours every 3 years"
    assert "Non-compliant" in tab.summary.text()
    assert tab.explanation.text() == tab.model.row(0).explanation
    # What each unmet requirement needs, without clicking through them one by one.
    assert tab.model.headerData(ResultColumn.NEEDS, Qt.Orientation.Horizontal) == "Needs"
    assert tab.model.index(0, ResultColumn.NEEDS).data() == (
        "30.0 h (Scenario-based training 12.0 h, Use of force / de-escalation 6.0 h, "
        "High-risk traffic stops 6.0 h)"
    )
    for row in range(tab.model.rowCount()):
        needs = tab.model.index(row, ResultColumn.NEEDS).data()
        assert bool(needs) == tab.model.row(row).status.outstanding


def test_an_earlier_date_shows_the_officers_serving_then(
    officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    """A later hire is not on the page for a day before they joined; a separated officer is,
    for a day they still served."""
    add_officer(
        db,
        admin,
        {"badge": "106", "last_name": "Fox", "first_name": "Ida", "hire_date": "2026-05-01"},
    )
    separate_officer(db, admin, officers["105"], date(2026, 2, 1), reason="Retired")
    page = compliance(window)  # as of 1 March 2026
    badges = {page.proxy.row(r).officer.badge for r in range(page.proxy.rowCount())}
    assert badges == {"101", "102", "103", "104"}
    page.as_of.set_value(date(2026, 1, 15))
    settle()
    badges = {page.proxy.row(r).officer.badge for r in range(page.proxy.rowCount())}
    assert badges == {"101", "102", "103", "104", "105"}


def test_the_due_cards_title_names_the_services_window() -> None:
    from deesc_desktop.gui.features.dashboard.cards import DUE_DAYS as CARD_DUE_DAYS
    from deesc_desktop.services.dashboard import DUE_DAYS

    assert CARD_DUE_DAYS == DUE_DAYS
