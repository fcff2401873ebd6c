"""The audit log page and the officer dialog's History tab."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.audit.models import AuditColumn, ChangeColumn, HistoryColumn
from deesc_desktop.gui.features.audit.page import LIMIT, AuditLogPage, HistoryTab
from deesc_desktop.gui.features.roster.officer_detail import OfficerDetailDialog
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.leave import add_exemption
from deesc_desktop.services.officers import edit_officer
from deesc_desktop.services.training import (
    delete_training_record,
    edit_training_record,
    record_class,
)
from tests.conftest import AGENCY_FIREARMS
from tests.gui.helpers import Prompts, settle


def audit_page(window: MainWindow) -> AuditLogPage:
    page = window.show_page(PageId.AUDIT)
    assert isinstance(page, AuditLogPage)
    settle()
    return page


def shown(page: AuditLogPage) -> list[tuple[str, str, str]]:
    return [
        (row.username, row.table_name, row.row_id)
        for row in (page.model.row(r) for r in range(page.model.rowCount()))
    ]


def history_tab(dialog: OfficerDetailDialog) -> HistoryTab:
    for index in range(dialog.tabs.count()):
        widget = dialog.tabs.widget(index)
        if isinstance(widget, HistoryTab):
            assert dialog.tabs.tabText(index) == "History"
            return widget
    raise AssertionError("no History tab")


def test_a_change_shows_in_the_officers_history_tab_with_before_and_after(
    qtbot: Any,
    qtmodeltester: Any,
    window: MainWindow,
    db: Database,
    admin: Actor,
    officers: dict[str, int],
) -> None:
    other = Actor("lt.other", admin.role)
    edit_officer(db, other, officers["102"], {"rank": "Lieutenant"})
    record_ids = record_class(
        db,
        admin,
        {"course": "Firearms", "completed": "2025-09-15", "hours": "8", "topics": "firearms"},
        [officers["102"], officers["103"]],
    )
    delete_training_record(db, admin, record_ids[0], reason="entered in error")
    add_exemption(
        db, admin, officers["102"], {"start": "2025-01-01", "end": "2025-02-01", "reason": "Leave"}
    )
    edit_officer(db, admin, officers["103"], {"unit": "Traffic"})

    dialog = OfficerDetailDialog(window.ctx, officers["102"], window)
    qtbot.addWidget(dialog)
    tab = history_tab(dialog)
    settle()
    qtmodeltester.check(tab.model)
    rows = [tab.model.row(r) for r in range(tab.model.rowCount())]
    tables = [row.table_name for row in rows]
    assert tables == ["exemptions", "training_records", "training_records", "officers", "officers"]
    change = next(r for r in range(tab.model.rowCount()) if tab.model.row(r).username == "lt.other")
    assert tab.model.index(change, HistoryColumn.USER).data() == "lt.other"
    assert tab.model.index(change, HistoryColumn.CHANGES).data() == "Rank: Sergeant → Lieutenant"
    deleted = next(r for r in range(tab.model.rowCount()) if tab.model.row(r).action == "delete")
    assert tab.model.index(deleted, HistoryColumn.REASON).data() == "entered in error"
    # An added or deleted row says which it was: the class's course, date and hours (the
    # course by its title, not its number), the leave's dates.
    assert (
        tab.model.index(deleted, HistoryColumn.CHANGES)
        .data()
        .startswith("Course: Firearms; Completed: 2025-09-15; Hours: 8.0; Topics: Firearms 8 h")
    )
    leave = next(
        r for r in range(tab.model.rowCount()) if tab.model.row(r).table_name == "exemptions"
    )
    assert tab.model.index(leave, HistoryColumn.CHANGES).data() == (
        "Start: 2025-01-01; End: 2025-02-01; Reason: Leave"
    )
    assert "Changed Officer" in tab.model.index(change, HistoryColumn.WHAT).data()
    assert "5 changes" in tab.summary.text()


def test_the_audit_page_filters_by_table_user_text_and_date(
    qtmodeltester: Any,
    window: MainWindow,
    db: Database,
    admin: Actor,
    officers: dict[str, int],
) -> None:
    other = Actor("lt.other", admin.role)
    edit_officer(db, other, officers["102"], {"rank": "Lieutenant"})
    record_id = record_class(
        db,
        admin,
        {"course": "Firearms", "completed": "2025-09-15", "hours": "8", "topics": "firearms"},
        [officers["101"]],
    )[0]
    delete_training_record(db, admin, record_id, reason="wrong officer")
    page = audit_page(window)
    qtmodeltester.check(page.model)
    everything = shown(page)
    assert len(everything) == db.execute("select count(*) from audit_log").fetchone()[0]
    assert page.model.row(0).id > page.model.row(1).id, "newest first"
    assert page.count.text() == f"{len(everything)} entries"

    page.table.setCurrentIndex(page.table.findData("officers"))
    settle()
    assert {t for _u, t, _r in shown(page)} == {"officers"}
    assert len(shown(page)) == 6

    page.user.setCurrentIndex(page.user.findData("lt.other"))
    settle()
    assert shown(page) == [("lt.other", "officers", str(officers["102"]))]
    assert page.model.index(0, AuditColumn.CHANGES).data() == "Rank: Sergeant → Lieutenant"

    page.user.setCurrentIndex(0)
    page.table.setCurrentIndex(0)
    page.search.setText("wrong offic")
    page.search.flush()
    settle()
    assert shown(page) == [("sgt.admin", "training_records", str(record_id))]

    page.search.setText("")
    page.search.flush()
    page.table.setCurrentIndex(0)
    page.use_dates.setChecked(True)
    page.since.set_value(date(2001, 1, 1))
    page.until.set_value(date(2001, 12, 31))
    settle()
    assert shown(page) == []
    page.use_dates.setChecked(False)
    settle()
    assert len(shown(page)) == len(everything)


def test_selecting_an_entry_shows_before_and_after_with_changes_highlighted(
    qtmodeltester: Any, window: MainWindow, db: Database, admin: Actor, officers: dict[str, int]
) -> None:
    edit_officer(db, admin, officers["101"], {"unit": "Traffic"})
    page = audit_page(window)
    page.view.selectRow(0)
    # The officer by name and badge, not only the record number the log keeps.
    assert f"Changed Officer {officers['101']}: Alvarez, Maria (101)" in page.detail_heading.text()
    assert page.model.index(0, AuditColumn.ROW).data(Qt.ItemDataRole.ToolTipRole) == (
        "Alvarez, Maria (101)"
    )
    qtmodeltester.check(page.changes)
    fields = {
        page.changes.index(r, ChangeColumn.FIELD).data(): r for r in range(page.changes.rowCount())
    }
    unit = fields["Unit"]
    assert page.changes.index(unit, ChangeColumn.BEFORE).data() == "Patrol"
    assert page.changes.index(unit, ChangeColumn.AFTER).data() == "Traffic"
    assert page.changes.index(unit, ChangeColumn.AFTER).data(Qt.ItemDataRole.BackgroundRole)
    badge = fields["Badge"]
    assert (
        page.changes.index(badge, ChangeColumn.AFTER).data(Qt.ItemDataRole.BackgroundRole) is None
    )
    # The changed fields first, above the dozen that stayed as they were.
    highlighted = [
        page.changes.index(r, ChangeColumn.AFTER).data(Qt.ItemDataRole.BackgroundRole) is not None
        for r in range(page.changes.rowCount())
    ]
    assert highlighted[0] and highlighted == sorted(highlighted, reverse=True)
    assert highlighted.count(False) > 5
    page._show_entry(QModelIndex())
    assert page.changes.rowCount() == 0


def test_verify_chain_says_intact(
    window: MainWindow, db: Database, officers: dict[str, int]
) -> None:
    page = audit_page(window)
    report = page.verify()
    assert report is not None and report.ok
    entries = db.execute("select count(*) from audit_log").fetchone()[0]
    assert page.chain_result.text().startswith(f"Chain intact: {entries:,} entries; every record")


def test_verify_names_a_record_changed_outside_the_app(
    window: MainWindow, db_path: Path, officers: dict[str, int]
) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE officers SET unit = 'Narcotics' WHERE id = ?", [next(iter(officers.values()))]
    )
    conn.commit()
    conn.close()
    page = audit_page(window)
    report = page.verify()
    assert report is not None and not report.ok
    assert "unit is 'Narcotics' in the file" in page.chain_result.text()


def test_a_long_log_shows_the_newest_entries(window: MainWindow, say: Prompts) -> None:
    from deesc_desktop.store.views import AuditPage

    page = audit_page(window)
    page._loaded((AuditPage([], LIMIT + 5), ([], []), [], [], {}))
    assert page.count.text() == f"Showing the newest 0 of {LIMIT + 5:,} entries"


def test_everyone_may_read_the_audit_log(window_as: Any, users: dict[str, Actor]) -> None:
    win = window_as(users["viewer.ann"])
    page = audit_page(win)
    assert page.model.rowCount() > 0


def test_entries_read_as_words_local_times_and_officer_names(
    window: MainWindow, db: Database, admin: Actor, officers: dict[str, int]
) -> None:
    from deesc_desktop.gui.forms import local_time
    from deesc_desktop.services.leave import add_exemption

    add_exemption(
        db,
        admin,
        officers["102"],
        {"start": "2026-01-05", "end": "2026-02-01", "reason": "Surgery"},
    )
    page = audit_page(window)
    page.view.selectRow(0)
    fields = {
        page.changes.index(r, ChangeColumn.FIELD).data(): page.changes.index(
            r, ChangeColumn.AFTER
        ).data()
        for r in range(page.changes.rowCount())
    }
    assert fields["Officer"] == "Brown, James (102)"
    stamp = db.execute("SELECT created_at FROM exemptions").fetchone()[0]
    assert fields["Created at"] == local_time(stamp)
    assert "officer_id" not in fields and "created_at" not in fields


def test_codes_read_as_the_labels_the_forms_show(
    window: MainWindow, db: Database, admin: Actor, officers: dict[str, int]
) -> None:
    """A chief reading the log sees "Person in mental health crisis", not
    "mental_health_crisis": every coded value reads as the label its form offers."""
    from deesc_desktop.services.bonus import add_program
    from deesc_desktop.services.funding import add_funding_source
    from deesc_desktop.services.incidents import add_incident
    from deesc_desktop.services.officers import separate_officer

    record_class(
        db,
        admin,
        {
            "course": "ICAT",
            "completed": "2026-01-10",
            "hours": 8,
            "topics": "crisis_intervention:6;de_escalation:2",
            "delivery": "scenario",
        },
        [officers["101"]],
    )
    add_incident(
        db,
        Actor("sgt.delgado", Role.TRAINING_OFFICER),
        {
            "reference": "26-7",
            "occurred_on": "2026-01-12",
            "incident_type": "mental_health_crisis",
            "deescalation_used": True,
            "force_type": "none",
            "tactics": ["verbal", "time_distance_cover"],
            "subject_age_group": "25_34",
            "officers": [officers["101"]],
        },
    )
    separate_officer(db, admin, officers["105"], "2026-01-31", reason="Retired")
    finance, chief = Actor("fin.ruiz", Role.FINANCE), Actor("chief.harmon", Role.CHIEF)
    add_funding_source(
        db,
        finance,
        {
            "name": "City line",
            "kind": "local_budget",
            "amount": "9000",
            "start": "2026-01-01",
            "end": "2026-12-31",
        },
    )
    add_program(
        db,
        chief,
        {
            "name": "Bonus 2026",
            "amount": "$1,000",
            "topics": "de_escalation",
            "min_hours": 2,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "funding_source": "City line",
        },
    )
    page = audit_page(window)

    def fields(table: str) -> dict[str, str]:
        row = next(r for r in range(page.model.rowCount()) if page.model.row(r).table_name == table)
        page.view.selectRow(row)
        return {
            page.changes.index(r, ChangeColumn.FIELD).data(): page.changes.index(
                r, ChangeColumn.AFTER
            ).data()
            for r in range(page.changes.rowCount())
        }

    incident = fields("incidents")
    assert incident["Incident type"] == "Person in mental health crisis"
    assert incident["Force type"] == "No force"
    assert incident["Tactics"] == "Verbal de-escalation and persuasion, Time, distance and cover"
    assert incident["Subject age group"] == "25-34"
    assert incident["Status"] == "Awaiting review"
    record = fields("training_records")
    assert record["Delivery"] == "Scenario-based"
    assert record["Topics"] == "Crisis intervention 6 h; De-escalation 2 h"
    assert fields("officers")["Status"] == "Separated"
    assert fields("funding_sources")["Kind"] == "Local budget"
    assert "City line" in fields("bonus_programs").values()


def test_a_requirement_reads_by_its_title_and_whether_it_is_on(
    window: MainWindow, db: Database, admin: Actor
) -> None:
    """Not its JSON definition first, nor "Active: 1"."""
    from deesc_desktop.services.requirements import save_requirement, set_requirement_active

    save_requirement(db, admin, AGENCY_FIREARMS)
    set_requirement_active(db, admin, "AGENCY-firearms-annual", False, reason="not this year")
    page = audit_page(window)
    added, switched_off = (
        page.model.index(1, AuditColumn.CHANGES),
        page.model.index(0, AuditColumn.CHANGES),
    )
    assert added.data() == "Title: Firearms qualification every year; Origin: agency; Active: yes"
    assert switched_off.data() == "Active: yes → no"


def test_a_changed_rule_lists_each_setting_that_changed_with_before_and_after(
    window: MainWindow, db: Database, admin: Actor, say: Prompts
) -> None:
    """A chief reads "hours 4.0 → 6.0", not two long JSON texts that differ somewhere."""
    from deesc_desktop.services.requirements import save_requirement

    firearms = {
        **AGENCY_FIREARMS,
        "sub_minimums": [{"label": "Night fire", "hours": 1.0, "topics": ["firearms"]}],
    }
    save_requirement(db, admin, firearms)
    changed = {
        **firearms,
        "hours": 6.0,
        "topics": ["firearms", "use_of_force"],
        "period": {"kind": "rolling", "months": 24},
        "sub_minimums": [{"label": "Night fire", "hours": 2.0, "topics": ["firearms"]}],
    }
    save_requirement(db, admin, changed)
    page = audit_page(window)
    page.view.selectRow(0)
    settle()
    rows = [
        tuple(page.changes.index(r, column).data() for column in ChangeColumn)
        for r in range(page.changes.rowCount())
    ]
    changed_rows = [row for row in rows if row[0].startswith("Definition")][:5]
    assert changed_rows == [
        ("Definition › hours", "4.0", "6.0"),
        ("Definition › period.kind", "calendar_year", "rolling"),
        ("Definition › period.months", "", "24"),
        ("Definition › sub_minimums[1].hours", "1.0", "2.0"),
        ("Definition › topics", "firearms", "firearms, use_of_force"),
    ]
    unchanged = dict((row[0], row[2]) for row in rows)
    assert unchanged["Definition › sub_minimums[1].label"] == "Night fire"
    assert unchanged["Requirement id"] == "AGENCY-firearms-annual"  # a code, not a number
    assert "Record number" not in unchanged
    assert unchanged["Definition › effective_from"] == "2025-01-01"
    assert page.detail_heading.text().endswith(
        "Changed Requirement AGENCY-firearms-annual: Firearms qualification every year"
    )
    summary = page.model.index(0, AuditColumn.CHANGES).data()
    assert summary.startswith("Definition › hours: 4.0 → 6.0; Definition › period.kind: ")
    assert "{" not in summary

    window.registry[ActionId.RESTORE_VERSION].trigger()
    settle()
    kind, _title, question = say.messages[-1]
    assert kind == "confirm"
    assert (
        "Definition › hours: 6.0 → 4.0\n"
        "Definition › period.kind: rolling → calendar_year\n"
        "Definition › period.months: 24 → —\n"
        "Definition › sub_minimums[1].hours: 2.0 → 1.0\n"
        "Definition › topics: firearms, use_of_force → firearms\n"
    ) in question
    (definition,) = db.execute("SELECT definition FROM requirements").fetchone()
    assert json.loads(definition)["hours"] == 4.0


def test_an_administrator_restores_a_version_as_a_new_audited_change(
    window: MainWindow, db: Database, admin: Actor, officers: dict[str, int], say: Prompts
) -> None:
    sergeant = Actor("sgt.delgado", Role.TRAINING_OFFICER)
    edit_officer(db, sergeant, officers["101"], {"rank": "Sergeant", "unit": "Traffic"})
    (change,) = db.execute("SELECT max(id) FROM audit_log").fetchone()
    page = audit_page(window)
    restore = window.registry[ActionId.RESTORE_VERSION]
    assert not restore.isEnabled()
    assert "select a change in the log first" in restore.toolTip()
    assert page.select_entry(change)
    assert restore.isEnabled()
    restore.trigger()
    settle()
    kind, title, question = say.messages[-1]
    assert (kind, title) == ("confirm", "Restore version")
    assert question.startswith(
        f"Put officer Alvarez, Maria (badge 101) back as it was before change #{change} "
        "(sgt.delgado, "
    )
    assert "Rank: Sergeant → Officer\nUnit: Traffic → Patrol" in question
    assert "the log itself is not edited" in question
    assert db.execute(
        "SELECT rank, unit FROM officers WHERE id = ?", [officers["101"]]
    ).fetchone() == ("Officer", "Patrol")
    newest = page.selected_entry()
    assert newest is not None and newest.id == change + 1
    assert (newest.username, newest.table_name, newest.row_id) == (
        admin.username,
        "officers",
        str(officers["101"]),
    )
    assert newest.reason.startswith(f"restored as it was before audit entry #{change}")
    assert "Changed Officer" in page.detail_heading.text()
    report = page.verify()
    assert report is not None and report.ok


def test_a_restore_a_rule_forbids_is_refused_with_the_reason(
    window: MainWindow, db: Database, admin: Actor, officers: dict[str, int], say: Prompts
) -> None:
    (record,) = record_class(
        db,
        admin,
        {"course": "Firearms", "completed": "2025-09-15", "hours": "8", "topics": "firearms"},
        [officers["102"]],
    )
    edit_training_record(db, admin, record, {"hours": "6"}, reason="typo")
    (edited,) = db.execute("SELECT max(id) FROM audit_log").fetchone()
    delete_training_record(db, admin, record, reason="duplicate")
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    page = audit_page(window)
    page.select_entry(edited)
    window.registry[ActionId.RESTORE_VERSION].trigger()
    kind, title, text = say.messages[-1]
    assert (kind, title) == ("inform", "Not restored")
    assert text.startswith(f"Training record {record} of Brown, James was deleted since by ")
    assert text.endswith("A deleted record is not brought back by restoring: add it again.")
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_only_an_administrator_may_restore(
    window_as: Any, users: dict[str, Actor], db: Database, officers: dict[str, int]
) -> None:
    edit_officer(db, users["sgt.delgado"], officers["101"], {"rank": "Sergeant"})
    chief = window_as(users["chief.harmon"])
    page = audit_page(chief)
    page.view.selectRow(0)
    restore = chief.registry[ActionId.RESTORE_VERSION]
    assert not restore.isEnabled()
    assert "not allowed for the role Chief" in restore.toolTip()
