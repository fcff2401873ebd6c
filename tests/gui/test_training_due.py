"""The training-due page and the roster's Needs column, driven as a user (issue 16)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from sqlite_utils import Database

from deesc_desktop.gui.features.reports.page import ReportsPage
from deesc_desktop.gui.features.roster.models import RosterColumn
from deesc_desktop.gui.features.roster.page import RosterPage
from deesc_desktop.gui.features.training_due.page import DueColumn, TrainingDuePage
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.training_due import NEEDS_SEPARATOR, training_due
from tests.gui.helpers import settle

AS_OF = date(2026, 3, 1)


def due_page(window: MainWindow) -> TrainingDuePage:
    page = window.show_page(PageId.TRAINING_DUE)
    assert isinstance(page, TrainingDuePage)
    page.as_of.set_value(AS_OF)
    settle()
    return page


def test_the_page_lists_who_needs_what_and_groups_by_unit(
    qtbot: Any, officers: dict[str, int], window: MainWindow, db: Database, qtmodeltester: Any
) -> None:
    page = due_page(window)
    qtmodeltester.check(page.model)
    expected = training_due(db, AS_OF, 90)
    assert page.proxy.rowCount() == len(expected.items) > 0
    assert f"<b>{len(expected.by_officer())}</b> of 5 serving officers" in page.summary.text()
    assert not page.notice_button.isEnabled()
    assert "Select an officer" in page.notice_button.toolTip()
    # Requirements by their names, as the state pack words them; the id in the tooltip.
    shown = {
        page.proxy.index(r, DueColumn.REQUIREMENT).data() for r in range(page.proxy.rowCount())
    }
    assert "In-service training" in shown and not any(text.startswith("IL-") for text in shown)
    tip = page.proxy.index(0, DueColumn.REQUIREMENT).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith(f"({page.proxy.row(0).requirement_id})")
    # A requirement whose last period was missed is "not met", whatever its next due date.
    first = page.proxy.row(0)
    assert page.proxy.index(0, DueColumn.WHEN).data() == "Not met"
    when_tip = page.proxy.index(0, DueColumn.WHEN).data(Qt.ItemDataRole.ToolTipRole)
    assert when_tip == f"Overdue or not met. {first.explanation}"
    page.group.setCurrentIndex(page.group.findData("unit"))
    units = [page.proxy.index(r, DueColumn.UNIT).data() for r in range(page.proxy.rowCount())]
    assert units == sorted(units, key=str.casefold)
    page.view.selectRow(0)
    assert page.notice_button.isEnabled()


def test_a_notice_for_the_selected_officer_opens_in_the_reports_page(
    officers: dict[str, int], window: MainWindow
) -> None:
    page = due_page(window)
    page.view.selectRow(0)
    badge = page.selected().officer.badge  # type: ignore[union-attr]
    page.notice_button.click()
    settle()
    reports = window.current_page()
    assert isinstance(reports, ReportsPage)
    assert reports.info().kind == "notice"
    assert reports.pdf_path is not None and reports.document.pageCount() == 1
    assert reports.form is not None
    assert reports.form.editors["as_of"].value() == AS_OF  # type: ignore[attr-defined]
    assert badge


def test_the_roster_shows_what_each_officer_needs(
    officers: dict[str, int], window: MainWindow, db: Database
) -> None:
    page = window.show_page(PageId.ROSTER)
    assert isinstance(page, RosterPage)
    settle()
    needs = {
        page.proxy.row(r).badge: page.proxy.index(r, RosterColumn.NEEDS).data()
        for r in range(page.proxy.rowCount())
    }
    # In the requirements' own words, none of their ids.
    in_service = (
        "In-service training 30.0 h (Scenario-based training 12.0 h, "
        "Use of force / de-escalation 6.0 h, High-risk traffic stops 6.0 h)"
    )
    first = page.proxy.index(0, RosterColumn.NEEDS)
    tip = first.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.split("\n") == first.data().split(NEEDS_SEPARATOR), "one requirement a line"
    for text in needs.values():
        items = text.split(NEEDS_SEPARATOR)
        assert in_service in items and "Firearms qualification" in items
        assert "IL-" not in text
    due = training_due(db, date.today(), 90).by_officer()
    for badge, officer_id in officers.items():
        assert len(needs[badge].split(NEEDS_SEPARATOR)) == len(due[officer_id])
    assert any(needs.values())
    header = page.model.headerData(RosterColumn.NEEDS, Qt.Orientation.Horizontal)
    assert header == "Needs"
