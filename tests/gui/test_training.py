"""The training page and the class, record and leave dialogs, driven through their widgets."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.features.roster.leave_dialog import ExemptionDialog
from deesc_desktop.gui.features.training.dialogs import RecordClassDialog, TrainingRecordDialog
from deesc_desktop.gui.features.training.models import AttendeeColumn
from deesc_desktop.gui.features.training.page import TrainingPage
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.training import record_class
from tests.conftest import table_counts
from tests.gui.helpers import Prompts, settle

CLASS_DAY = date.today() - timedelta(days=10)


def training(window: MainWindow) -> TrainingPage:
    page = window.show_page(PageId.TRAINING)
    settle()
    assert isinstance(page, TrainingPage)
    return page


def click_officer(qtbot: Any, dialog: RecordClassDialog, badge: str) -> None:
    for row in range(dialog.proxy.rowCount()):
        if dialog.proxy.row(row).badge == badge:
            index = dialog.proxy.index(row, AttendeeColumn.NAME)
            rect = dialog.view.visualRect(index)
            qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"badge {badge} is not listed")


def test_record_a_class_for_three_officers_and_see_three_records(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    page = training(window)
    assert page.proxy.rowCount() == 0

    def fill(dialog: RecordClassDialog) -> None:
        qtbot.waitUntil(lambda: dialog.attendees.rowCount() == 5)
        qtbot.keyClicks(dialog.fields.course, "Crisis Communication")
        dialog.fields.completed.set_value(CLASS_DAY)
        dialog.fields.hours.setValue(8)
        dialog.fields.topics.rows[0].topic.setCurrentIndex(
            dialog.fields.topics.rows[0].topic.findData("de_escalation")
        )
        qtbot.mouseClick(dialog.fields.topics.add_button, Qt.MouseButton.LeftButton)
        split = dialog.fields.topics
        split.rows[1].topic.setCurrentIndex(split.rows[1].topic.findData("mental_health"))
        split.rows[0].hours.setValue(5)
        assert split.summary.text() == "5.0 of 8.0 h assigned: 3.0 h left"
        split.rows[1].hours.setValue(3)
        assert split.summary.text() == "8.0 of 8.0 h assigned (all assigned)"
        dialog.fields.delivery.setCurrentIndex(dialog.fields.delivery.findData("scenario"))
        qtbot.keyClicks(dialog.fields.instructor, "Sgt. Ruiz")
        qtbot.keyClicks(dialog.search, "alv")
        dialog.search.flush()
        click_officer(qtbot, dialog, "101")
        dialog.search.clear()
        dialog.search.flush()
        click_officer(qtbot, dialog, "102")
        click_officer(qtbot, dialog, "103")
        assert dialog.chosen.text() == "3 officers chosen"
        assert dialog.scores.setData(dialog.scores.index(0, 1), "62")
        assert dialog.scores.setData(dialog.scores.index(0, 2), "91")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(fill)
    window.registry[ActionId.RECORD_CLASS].trigger()
    settle()

    assert page.proxy.rowCount() == 3
    assert {page.proxy.row(r).badge for r in range(3)} == {"101", "102", "103"}
    assert page.totals.text() == "3 records · 24.0 h · 3 officers"
    rows = db.execute(
        "SELECT o.badge, r.completed, r.hours, r.delivery, r.instructor, r.pre_test, r.post_test"
        " FROM training_records r JOIN officers o ON o.id = r.officer_id ORDER BY o.badge"
    ).fetchall()
    assert rows[0] == ("101", CLASS_DAY.isoformat(), 8.0, "scenario", "Sgt. Ruiz", 62.0, 91.0)
    assert [r[0] for r in rows] == ["101", "102", "103"]
    topics = db.execute(
        "SELECT topic, hours FROM training_topics WHERE record_id = 1 ORDER BY topic"
    ).fetchall()
    assert topics == [("de_escalation", 5.0), ("mental_health", 3.0)]
    assert window.statusBar().currentMessage() == "Class recorded for 3 officers."


def test_a_refused_class_shows_why_at_the_fields_and_records_nothing(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    before = table_counts(db)
    seen: dict[str, str] = {}

    def fill(dialog: RecordClassDialog) -> None:
        qtbot.waitUntil(lambda: dialog.attendees.rowCount() == 5)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["course"] = dialog.form.error_text("course")
        seen["hours"] = dialog.form.error_text("hours")
        qtbot.keyClicks(dialog.fields.course, "Firearms")
        dialog.fields.hours.setValue(4)
        split = dialog.fields.topics
        split.rows[0].topic.setCurrentIndex(split.rows[0].topic.findData("firearms"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["attendees"] = dialog.attendee_error.text()
        seen["course_after"] = dialog.form.error_text("course")

    say.dialogs.expect(fill)
    window.registry[ActionId.RECORD_CLASS].trigger()
    assert seen["course"] == "Course is required."
    assert seen["hours"] == "Hours must be more than 0."
    assert seen["attendees"] == "Choose at least one officer"
    assert seen["course_after"] == ""
    assert table_counts(db) == before


def test_choosing_a_known_course_fills_in_its_defaults(
    qtbot: Any, officers: dict[str, int], ctx: Any, db: Database, admin: Actor
) -> None:
    record_class(
        db,
        admin,
        {
            "course": "ICAT",
            "course_number": "ICAT-8",
            "completed": "2025-01-10",
            "hours": "8",
            "topics": "de_escalation:4;use_of_force:4",
            "delivery": "scenario",
        },
        [officers["101"]],
    )
    dialog = RecordClassDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.fields.choose_course("icat")
    assert dialog.fields.hours.value() == 8
    assert dialog.fields.topics.text() == "de_escalation:4;use_of_force:4"
    assert dialog.fields.delivery.currentData() == "scenario"
    assert dialog.fields.course_number is not None
    assert dialog.fields.course_number.text() == "ICAT-8"


def test_add_whole_shift_ticks_everyone_on_it(
    qtbot: Any, officers: dict[str, int], ctx: Any
) -> None:
    dialog = RecordClassDialog(ctx)
    qtbot.addWidget(dialog)
    settle()
    labels = [a.text() for a in dialog.shift_menu.actions()]
    assert labels == ["Days (3)", "Nights (2)"]
    dialog.shift_menu.actions()[1].trigger()
    assert sorted(r.badge for r in dialog.attendees.checked.values()) == ["102", "105"]
    dialog.unit_menu.actions()[0].trigger()  # Investigations
    assert dialog.chosen.text() == "3 officers chosen"
    assert dialog.scores.rowCount() == 3


def test_edit_a_record_with_a_reason_then_delete_it_after_confirming(
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
            "course": "ICAT",
            "completed": date.today().isoformat(),
            "hours": "8",
            "topics": "de_escalation",
        },
        [officers["101"], officers["102"]],
    )
    page = training(window)
    page.view.selectRow(0)
    row = page.selected_row()
    errors: list[str] = []

    def edit(dialog: TrainingRecordDialog) -> None:
        dialog.fields.hours.setValue(6)
        dialog.accept()
        errors.append(dialog.form.error_text("reason"))
        qtbot.keyClicks(dialog.reason, "sign-in sheet said 6 hours")
        dialog.accept()

    say.dialogs.expect(edit)
    window.registry[ActionId.EDIT_RECORD].trigger()
    settle()
    assert errors == ["Say why the record is being corrected"]
    assert db.execute("SELECT hours FROM training_records WHERE id = ?", [row.id]).fetchone() == (
        6.0,
    )
    assert page.totals.text() == "2 records · 14.0 h · 2 officers"

    say.confirm_answer = False
    page.select_record(row.id)
    window.registry[ActionId.DELETE_RECORD].trigger()
    assert db.execute("SELECT count(*) FROM training_records").fetchone() == (2,)

    say.confirm_answer = True
    say.reason = "entered for the wrong officer"
    page.select_record(row.id)
    window.registry[ActionId.DELETE_RECORD].trigger()
    settle()
    assert db.execute("SELECT count(*) FROM training_records").fetchone() == (1,)
    assert page.proxy.rowCount() == 1
    kinds = [kind for kind, _title, _text in say.messages]
    assert kinds == ["confirm", "confirm", "reason"]
    assert db.execute(
        "SELECT action, reason FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone() == ("delete", "entered for the wrong officer")


def test_training_page_filters_by_course_search_and_dates(
    qtbot: Any, officers: dict[str, int], window: MainWindow, db: Database, admin: Actor
) -> None:
    today = date.today()
    for course, completed, badges in (
        ("ICAT", today, ["101", "102"]),
        ("Firearms", today, ["103"]),
        ("Old class", date(today.year - 3, 1, 5), ["101"]),
    ):
        record_class(
            db,
            admin,
            {
                "course": course,
                "completed": completed.isoformat(),
                "hours": "2",
                "topics": "firearms",
            },
            [officers[b] for b in badges],
        )
    page = training(window)
    assert page.proxy.rowCount() == 3, "the last 12 months by default"
    page.course.setCurrentIndex(page.course.findData("ICAT"))
    assert page.proxy.rowCount() == 2
    qtbot.keyClicks(page.search, "brown")
    page.search.flush()
    assert [page.proxy.row(r).badge for r in range(page.proxy.rowCount())] == ["102"]
    page.search.clear()
    page.search.flush()
    page.course.setCurrentIndex(0)
    page.start.set_value(date(today.year - 4, 1, 1))
    settle()
    assert page.proxy.rowCount() == 4
    assert page.proxy.row(3).course == "Old class", "newest first"


def test_add_leave_for_the_officer_selected_in_the_roster(
    qtbot: Any, officers: dict[str, int], window: MainWindow, say: Prompts, db: Database
) -> None:
    page = window.show_page(PageId.ROSTER)
    settle()
    page.select_officer(officers["104"])  # type: ignore[attr-defined]
    seen: dict[str, Any] = {}

    def fill(dialog: ExemptionDialog) -> None:
        qtbot.waitUntil(lambda: dialog.officer.officer_id() == officers["104"])
        assert dialog.officer.currentText() == "Dubois, Anne — badge 104"
        dialog.start.set_value(date(2025, 3, 1))
        dialog.end.set_value(date(2025, 2, 1))
        dialog.accept()
        seen["end"] = dialog.form.error_text("end")
        seen["reason"] = dialog.form.error_text("reason")
        dialog.end.set_value(date(2025, 6, 30))
        dialog.reason.setCurrentText("Military deployment")
        dialog.accept()

    say.dialogs.expect(fill)
    window.registry[ActionId.ADD_LEAVE].trigger()
    assert "is before the start 2025-03-01" in seen["end"]
    assert seen["reason"] == "Reason is required."
    assert db.execute('SELECT officer_id, start, "end", reason FROM exemptions').fetchall() == [
        (officers["104"], "2025-03-01", "2025-06-30", "Military deployment")
    ]


def test_leave_for_some_requirements_is_chosen_by_their_titles(
    qtbot: Any, officers: dict[str, int], ctx: Any, db: Database
) -> None:
    """The sergeant ticks the requirements the waiver covers by title; typing ids such as
    "IL-crisis-intervention-annual" is not asked of anyone."""
    dialog = ExemptionDialog(ctx, officers["101"])
    qtbot.addWidget(dialog)
    settle()
    titles = [dialog.requirements.item(r).text() for r in range(dialog.requirements.count())]
    assert "In-service training: 30 hours every 3 years" in titles
    assert not any(title.startswith("IL-") for title in titles)
    wanted = dialog.requirements.findItems(
        "In-service training: 30 hours every 3 years", Qt.MatchFlag.MatchExactly
    )[0]
    wanted.setCheckState(Qt.CheckState.Checked)
    dialog.start.set_value(date(2025, 3, 1))
    dialog.end.set_value(date(2025, 4, 30))
    dialog.reason.setCurrentText("Medical leave")
    dialog.accept()
    assert db.execute("SELECT requirements FROM exemptions").fetchall() == [("IL-inservice-30h",)]


def test_the_officer_picker_completes_on_part_of_a_name_or_badge(
    qtbot: Any, officers: dict[str, int], ctx: Any
) -> None:
    dialog = ExemptionDialog(ctx)
    qtbot.addWidget(dialog)
    settle()
    assert dialog.officer.officer_id() is None
    completer = dialog.officer.completer()
    completer.setCompletionPrefix("bois")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "Dubois, Anne — badge 104"
    completer.setCompletionPrefix("10")
    assert completer.completionCount() == 5
    dialog.officer.setCurrentIndex(dialog.officer.findText("Chen, Li — badge 103"))
    assert dialog.officer.officer_id() == officers["103"]
    dialog.officer.setEditText("Someone else")
    assert dialog.officer.officer_id() is None
