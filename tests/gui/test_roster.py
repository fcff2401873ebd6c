"""The roster page and the officer dialogs, driven through their widgets."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
from deesc_desktop.gui.features.roster.officer_dialog import OfficerDialog, SeparateDialog
from deesc_desktop.gui.features.roster.page import RosterPage
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.officers import edit_officer, separate_officer
from deesc_desktop.services.training import record_class
from tests.conftest import table_counts
from tests.gui.helpers import Prompts, settle


def roster(window: MainWindow) -> RosterPage:
    page = window.show_page(PageId.ROSTER)
    settle()
    assert isinstance(page, RosterPage)
    return page


def shown_badges(page: RosterPage) -> list[str]:
    return [page.proxy.row(r).badge for r in range(page.proxy.rowCount())]


def select(page: RosterPage, badge: str) -> None:
    for row in range(page.proxy.rowCount()):
        if page.proxy.row(row).badge == badge:
            page.view.selectRow(row)
            return
    raise AssertionError(f"badge {badge} is not shown")


def test_add_an_officer_through_the_dialog_and_see_them_in_the_roster(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    page = roster(window)
    assert len(shown_badges(page)) == 5

    def fill(dialog: OfficerDialog) -> None:
        qtbot.keyClicks(dialog.badge, "200")
        qtbot.keyClicks(dialog.last_name, "Okafor")
        qtbot.keyClicks(dialog.first_name, "Chidi")
        dialog.shift.setCurrentText("Evenings")
        dialog.hire_date.set_value(date(2024, 6, 3))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(fill)
    window.registry[ActionId.ADD_OFFICER].trigger()
    settle()

    assert "200" in shown_badges(page)
    assert page.selected_row() is not None and page.selected_row().last_name == "Okafor"
    row = db.execute("SELECT shift, hire_date, status FROM officers WHERE badge = '200'").fetchone()
    assert row == ("Evenings", "2024-06-03", "active")
    assert page.count.text() == "Showing 6 of 6 officers"


def test_a_validation_error_shows_at_the_field_and_nothing_is_saved(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    before = table_counts(db)
    seen: dict[str, str] = {}

    def fill(dialog: OfficerDialog) -> None:
        qtbot.keyClicks(dialog.badge, "101")  # already Alvarez's
        qtbot.keyClicks(dialog.first_name, "Nobody")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["last_name"] = dialog.form.error_text("last_name")
        seen["first_name"] = dialog.form.error_text("first_name")
        assert dialog.isVisible(), "the dialog stays open to be corrected"
        qtbot.keyClicks(dialog.last_name, "Smith")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["badge"] = dialog.form.error_text("badge")
        seen["last_name_after"] = dialog.form.error_text("last_name")

    say.dialogs.expect(fill)
    window.registry[ActionId.ADD_OFFICER].trigger()

    assert seen["last_name"] == "Last name is required."
    assert seen["first_name"] == ""
    assert "already belongs to Alvarez, Maria" in seen["badge"]
    assert seen["last_name_after"] == ""
    assert table_counts(db) == before


def test_type_to_search_and_filter_by_shift_unit_and_status(
    qtbot: Any, officers: dict[str, int], window: MainWindow
) -> None:
    page = roster(window)
    qtbot.keyClicks(page.search, "ch")
    qtbot.waitUntil(lambda: shown_badges(page) == ["103"])
    page.search.clear()
    qtbot.keyClicks(page.search, "10")
    page.search.flush()
    assert len(shown_badges(page)) == 5
    page.search.clear()
    page.search.flush()

    page.shift.setCurrentIndex(page.shift.findData("Nights"))
    assert sorted(shown_badges(page)) == ["102", "105"]
    assert page.count.text() == "Showing 2 of 5 officers"
    page.shift.setCurrentIndex(0)
    page.unit.setCurrentIndex(page.unit.findData("Investigations"))
    assert shown_badges(page) == ["104"]
    assert page.shift.itemText(page.shift.findData("Days")) == "Days (3)"


def test_ctrl_f_puts_the_cursor_in_the_roster_search(
    qtbot: Any, officers: dict[str, int], window: MainWindow
) -> None:
    window.show_page(PageId.DASHBOARD)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keySequence(window, QKeySequence.StandardKey.Find)
    page = window.pages[PageId.ROSTER]
    assert window.current_page() is page
    qtbot.waitUntil(lambda: page.search.hasFocus())


def test_separate_an_officer_after_confirming_with_a_date_and_reason(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    page = roster(window)
    select(page, "102")
    assert window.registry[ActionId.SEPARATE_OFFICER].isEnabled()

    def confirm(dialog: SeparateDialog) -> None:
        assert "Brown, James (badge 102)" in dialog.message.text()
        dialog.separation_date.set_value(date(2025, 5, 31))
        dialog.reason.setCurrentText("Retired")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    say.dialogs.expect(confirm)
    window.registry[ActionId.SEPARATE_OFFICER].trigger()
    settle()

    assert db.execute(
        "SELECT status, separation_date FROM officers WHERE badge = '102'"
    ).fetchone() == (
        "separated",
        "2025-05-31",
    )
    assert "102" not in shown_badges(page), "the current roster leaves separated officers out"
    page.status.setCurrentIndex(page.status.findData(None))
    assert "102" in shown_badges(page)
    select(page, "102")
    assert page.selected_row().status == "separated"
    assert not window.registry[ActionId.SEPARATE_OFFICER].isEnabled()
    reason = db.execute(
        "SELECT reason FROM audit_log WHERE table_name = 'officers' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    assert reason == "Retired"


def test_a_separation_before_the_hire_date_is_refused_at_the_date(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    page = roster(window)
    select(page, "101")
    errors: list[str] = []

    def confirm(dialog: SeparateDialog) -> None:
        dialog.separation_date.set_value(date(2001, 1, 1))
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        errors.append(dialog.form.error_text("separation_date"))

    say.dialogs.expect(confirm)
    window.registry[ActionId.SEPARATE_OFFICER].trigger()
    assert "before the hire date 2015-03-01" in errors[0]
    assert db.execute("SELECT status FROM officers WHERE badge = '101'").fetchone() == ("active",)


def test_put_on_leave_and_return_to_active(
    officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    page = roster(window)
    select(page, "103")
    assert not window.registry[ActionId.RETURN_TO_ACTIVE].isEnabled()
    say.reason = "injury"
    window.registry[ActionId.PUT_ON_LEAVE].trigger()
    settle()
    assert db.execute("SELECT status FROM officers WHERE badge = '103'").fetchone() == ("leave",)
    assert "does not change the hours they owe" in say.texts("reason")[0]
    assert page.selected_row().status == "leave"
    assert window.registry[ActionId.RETURN_TO_ACTIVE].isEnabled()
    window.registry[ActionId.RETURN_TO_ACTIVE].trigger()
    settle()
    assert db.execute("SELECT status FROM officers WHERE badge = '103'").fetchone() == ("active",)

    say.reason = None  # cancelled: nothing changes
    window.registry[ActionId.PUT_ON_LEAVE].trigger()
    assert db.execute("SELECT status FROM officers WHERE badge = '103'").fetchone() == ("active",)


def test_returning_a_separated_officer_warns_that_every_report_changes(
    officers: dict[str, int], window: MainWindow, say: Prompts, db: Database, admin: Actor
) -> None:
    separate_officer(db, admin, officers["103"], "2025-02-28", reason="Retired")
    page = roster(window)
    page.status.setCurrentIndex(page.status.findData(None))
    settle()
    select(page, "103")
    say.reason = "separation entered in error"
    window.registry[ActionId.RETURN_TO_ACTIVE].trigger()
    settle()
    (asked,) = say.texts("reason")
    assert "separated on 2025-02-28" in asked and "every report" in asked
    assert db.execute(
        "SELECT status, separation_date FROM officers WHERE badge = '103'"
    ).fetchone() == ("active", None)


def test_editing_an_officer_someone_else_changed_offers_to_reload(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
) -> None:
    page = roster(window)
    select(page, "104")
    shown: dict[str, str] = {}

    def edit(dialog: OfficerDialog) -> None:
        assert dialog.last_name.text() == "Dubois"
        edit_officer(db, Actor("lt.other", admin.role), officers["104"], {"rank": "Sergeant"})
        dialog.unit.setCurrentText("Administration")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        shown["rank"] = dialog.rank.currentText()
        dialog.unit.setCurrentText("Administration")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(edit)
    page.view.doubleClicked.emit(page.view.currentIndex())
    settle()
    assert "changed by lt.other" in say.texts("reload")[0]
    assert shown["rank"] == "Sergeant", "the reload shows the other person's change"
    assert db.execute("SELECT rank, unit FROM officers WHERE badge = '104'").fetchone() == (
        "Sergeant",
        "Administration",
    )


def test_officer_details_show_profile_transcript_and_leave(
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
        {"course": "ICAT", "completed": "2025-03-01", "hours": "8", "topics": "de_escalation"},
        [officers["101"]],
    )
    page = roster(window)
    select(page, "101")
    seen: dict[str, Any] = {}

    def look(dialog: OfficerDetailDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["tabs"] = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        seen["course"] = dialog.transcript.index(0, 1).data()
        seen["total"] = dialog.transcript_total.text()

    say.dialogs.expect(look)
    window.registry[ActionId.OFFICER_DETAILS].trigger()
    assert seen["title"] == "Alvarez, Maria (badge 101)"
    assert seen["tabs"] == [
        "Profile",
        "Training (1)",
        "Leave and exemptions (0)",
        "Compliance",
        "CIT",
        "Bonus claims",
        "History",
    ]
    assert seen["course"] == "ICAT"
    assert seen["total"].startswith("1 training record: 8.0 h in all")


def test_filter_the_roster_by_compliance_status(
    officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    from deesc_desktop.services.compliance import department_compliance
    from deesc_desktop.services.requirements import active_requirements, set_requirement_active

    # Measured on the Illinois 30 hours alone: the pack's topic classes are switched off.
    for requirement in active_requirements(db):
        if requirement.id != "IL-inservice-30h":
            set_requirement_active(db, admin, requirement.id, False)
    as_of = date(2026, 3, 1)
    block = {
        "course": "In-service block",
        "completed": "2025-09-15",
        "hours": "30",
        "topics": "use_of_force:12;high_risk_traffic_stops:12;firearms:6",
        "delivery": "scenario",
    }
    record_class(db, admin, block, [officers["101"], officers["104"]])
    page = roster(window)
    page.as_of = as_of
    assert [page.compliance.itemText(i) for i in range(page.compliance.count())] == [
        "Any",
        "Needs attention",
        "Non-compliant",
        "Due soon",
        "In progress",
        "Compliant",
    ]
    assert len(shown_badges(page)) == 5

    page.compliance.setCurrentText("Needs attention")
    assert "working out compliance" in page.count.text()
    settle()
    assert sorted(shown_badges(page)) == ["102", "103", "105"]
    assert page.count.text() == "Showing 3 of 5 officers"

    worst = {row.officer.badge: row.worst for row in department_compliance(db, as_of)}
    for text in ("Non-compliant", "Compliant", "In progress"):
        page.compliance.setCurrentText(text)
        settle()
        wanted = page.compliance.currentData()
        assert sorted(shown_badges(page)) == sorted(b for b, s in worst.items() if s in wanted)
    page.shift.setCurrentIndex(page.shift.findData("Nights"))
    page.compliance.setCurrentText("Needs attention")
    assert sorted(shown_badges(page)) == ["102", "105"]

    # A change to what compliance is worked out from drops the cached results.
    record_class(db, admin, block, [officers["102"]])  # the window's own connection
    settle()
    assert shown_badges(page) == ["105"]
    page.compliance.setCurrentText("Any")
    assert sorted(shown_badges(page)) == ["102", "105"]
