"""The course files page, the Attach dialog and the documents behind records and claims,
driven through their widgets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.documents import AttachDocumentDialog, DocumentModel, RecordDocumentsDialog
from deesc_desktop.gui.features.course_files.dialogs import (
    AttendanceDialog,
    CertificationDialog,
    InstructorDialog,
    InstructorsDialog,
    ScheduleClassDialog,
)
from deesc_desktop.gui.features.course_files.models import (
    ChecklistModel,
    ChecklistRow,
    ClassFileColumn,
    ClassFileModel,
    PeopleModel,
)
from deesc_desktop.gui.features.course_files.page import CourseFilesPage
from deesc_desktop.gui.features.training.dialogs import RecordClassDialog
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.gui.pages import PageId
from deesc_desktop.services.bonus import add_program, create_claim
from deesc_desktop.services.course_files import (
    ClassRef,
    Owner,
    attach_bytes,
    class_file,
    class_files,
)
from deesc_desktop.services.funding import add_funding_source
from deesc_desktop.services.instructors import add_instructor
from deesc_desktop.services.training import record_class
from tests.conftest import table_counts
from tests.documents import EXE_BYTES, pdf_bytes
from tests.gui.helpers import Prompts, settle

CLASS_DAY = date.today() - timedelta(days=20)
ICAT = {
    "course": "ICAT De-escalation",
    "completed": CLASS_DAY,
    "hours": "8",
    "topics": "de_escalation",
    "instructor": "Sgt. R. Delgado",
}
REF = ClassRef(course="ICAT De-escalation", held_on=CLASS_DAY)


def course_files_page(window: MainWindow) -> CourseFilesPage:
    page = window.show_page(PageId.COURSE_FILES)
    settle()
    assert isinstance(page, CourseFilesPage)
    return page


def select_first(qtbot: Any, page: CourseFilesPage) -> None:
    page.view.selectRow(0)
    settle()
    qtbot.waitUntil(lambda: page.detail.detail is not None)


def test_attach_a_signed_sheet_see_the_checklist_open_it_and_remove_it(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
    tmp_path: Path,
) -> None:
    record_class(db, admin, ICAT, [officers["101"], officers["102"]])
    page = course_files_page(window)
    assert page.proxy.rowCount() == 1
    assert page.totals.text() == "1 class · 1 file incomplete"
    select_first(qtbot, page)
    assert [r.held for r in page.detail.checklist.all_rows()] == [False] * 4
    assert [p.badge for p in page.detail.people.all_rows()] == ["101", "102"]

    sheet = tmp_path / "icat-sheet.pdf"
    sheet.write_bytes(pdf_bytes("signed"))
    say.open_path = sheet

    def attach(dialog: AttachDocumentDialog) -> None:
        assert dialog.kind.currentData() == "sign_in_sheet"  # the first document it lacks
        dialog.choose_file()
        assert dialog.path.text() == str(sheet)
        qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(attach)
    window.registry[ActionId.ATTACH_DOCUMENT].trigger()
    settle()
    qtbot.waitUntil(lambda: page.detail.documents.model.rowCount() == 1)
    assert [r.held for r in page.detail.checklist.all_rows()] == [True, False, False, False]
    assert page.proxy.index(0, ClassFileColumn.DOCUMENTS).data() == "1"

    panel = page.detail.documents
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    opened = Path(QUrl(say.urls[-1]).toLocalFile())
    assert opened.name == "icat-sheet.pdf" and opened.read_bytes() == sheet.read_bytes()

    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: page.detail.documents.model.rowCount() == 0)
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert db.execute(
        "SELECT reason FROM audit_log WHERE table_name = 'attachments' AND action = 'delete'"
    ).fetchone() == ("entered in error",)


def test_a_refused_file_says_why_in_the_dialog_and_keeps_nothing(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
    tmp_path: Path,
) -> None:
    record_class(db, admin, ICAT, [officers["101"]])
    page = course_files_page(window)
    select_first(qtbot, page)
    impostor = tmp_path / "roster.pdf"
    impostor.write_bytes(EXE_BYTES)
    before = table_counts(db)
    seen: dict[str, str] = {}

    def attach(dialog: AttachDocumentDialog) -> None:
        dialog.path.setText(str(impostor))
        qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)
        seen["file"] = dialog.form.banner.text()
        seen["visible"] = str(dialog.isVisible())

    say.dialogs.expect(attach)
    window.registry[ActionId.ATTACH_DOCUMENT].trigger()
    assert seen == {
        "file": "roster.pdf is not a PDF, an image or an Office file; only PDF, images "
        "(PNG, JPEG, TIFF) and Office files (Word, Excel, PowerPoint) can be attached",
        "visible": "True",
    }
    assert table_counts(db) == before


def test_an_outside_certificate_is_attached_from_the_training_page(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
    tmp_path: Path,
) -> None:
    (record_id,) = record_class(db, admin, ICAT, [officers["101"]])
    certificate = tmp_path / "ICAT certificate.pdf"
    certificate.write_bytes(pdf_bytes("certificate"))
    say.open_path = certificate
    training = window.show_page(PageId.TRAINING)
    settle()
    training.view.selectRow(0)  # type: ignore[attr-defined]

    def attach(dialog: AttachDocumentDialog) -> None:
        assert dialog.kind.currentData() == "certificate"
        dialog.choose_file()
        qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)

    listed: list[int] = []

    def documents(dialog: RecordDocumentsDialog) -> None:
        say.dialogs.expect(attach)
        qtbot.mouseClick(dialog.panel.attach_button, Qt.MouseButton.LeftButton)
        listed.append(dialog.panel.model.rowCount())
        dialog.reject()

    say.dialogs.expect(documents)
    window.registry[ActionId.RECORD_DOCUMENTS].trigger()
    assert listed == [1]
    (owner,) = db.execute("SELECT record_id FROM attachments").fetchone()
    assert owner == record_id


def test_the_claims_page_shows_the_documents_behind_the_selected_claim(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    db: Database,
    admin: Actor,
) -> None:
    record_class(db, admin, ICAT, [officers["101"]])
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes("sheet"), "sign_in_sheet", Owner(REF))
    add_funding_source(
        db,
        admin,
        {
            "name": "City",
            "kind": "local_budget",
            "amount": "10000",
            "start": CLASS_DAY - timedelta(days=30),
            "end": CLASS_DAY + timedelta(days=30),
        },
    )
    program = add_program(
        db,
        admin,
        {
            "name": "Bonus",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": CLASS_DAY - timedelta(days=30),
            "end": CLASS_DAY + timedelta(days=30),
            "funding_source": "City",
        },
    )
    create_claim(db, admin, program, officers["101"])
    page: Any = window.show_page(PageId.BONUS_CLAIMS)
    settle()
    page.view.selectRow(0)
    settle()
    rows = page.documents.model.all_rows()
    assert [(r.attachment.file_name, r.documents) for r in rows] == [
        ("sheet.pdf", f"ICAT De-escalation on {CLASS_DAY.isoformat()} (class file)")
    ]
    assert page.detail.sides.tabText(1) == "Documents (1)"
    assert not page.documents.attach_button.isVisible()


def test_a_viewer_sees_class_files_but_may_not_attach(
    qtbot: Any,
    officers: dict[str, int],
    window_as: Any,
    db: Database,
    admin: Actor,
) -> None:
    record_class(db, admin, ICAT, [officers["101"]])
    window = window_as(Actor("viewer.ann", Role.VIEWER))
    page = course_files_page(window)
    select_first(qtbot, page)
    assert not window.registry[ActionId.ATTACH_DOCUMENT].isEnabled()
    assert not page.detail.documents.attach_button.isEnabled()


def test_the_class_file_models_pass_the_model_tester(
    qtmodeltester: Any, db: Database, admin: Actor, officers: dict[str, int]
) -> None:
    record_class(db, admin, ICAT, [officers["101"], officers["102"]])
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes("sheet"), "sign_in_sheet", Owner(REF))
    detail = class_file(db, REF)
    classes = ClassFileModel()
    classes.set_rows(class_files(db, CLASS_DAY, CLASS_DAY))
    documents = DocumentModel()
    documents.set_rows(detail.documents)
    people = PeopleModel()
    people.set_rows(detail.people)
    checklist = ChecklistModel()
    checklist.set_rows(
        [ChecklistRow(kind, kind not in detail.file.missing) for kind in detail.checklist]
    )
    for model in (classes, documents, people, checklist):
        qtmodeltester.check(model)
    assert classes.index(0, 4).data() == "Lesson plan · Learning objectives · Instructor biography"


def test_schedule_print_the_sheet_then_record_attendance_in_a_few_clicks(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    admin: Actor,
    tmp_path: Path,
) -> None:
    day = date.today() + timedelta(days=7)
    instructor = add_instructor(db, admin, {"name": "Sgt. R. Delgado"})
    page = course_files_page(window)

    def schedule(dialog: ScheduleClassDialog) -> None:
        qtbot.waitUntil(lambda: dialog.attendees.rowCount() == 5)
        qtbot.keyClicks(dialog.fields.course, "ICAT De-escalation")
        dialog.fields.completed.set_value(day)
        dialog.fields.hours.setValue(8)
        topic = dialog.fields.topics.rows[0].topic
        topic.setCurrentIndex(topic.findData("de_escalation"))
        dialog.fields.instructor.setText("sgt. r. delgado")
        assert dialog.fields.instructor.instructor_id() == instructor
        qtbot.keyClicks(dialog.location, "Training room B")
        days = dialog.shift_menu.actions()[0]  # "Days (3)"
        assert days.text() == "Days (3)"
        days.trigger()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    say.dialogs.expect(schedule)
    window.registry[ActionId.SCHEDULE_CLASS].trigger()
    settle()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    scheduled = page.proxy.row(0)
    assert (scheduled.row.held_on, scheduled.row.expected, scheduled.row.attendees) == (
        day.isoformat(),
        3,
        0,
    )
    assert scheduled.row.instructor == "Sgt. R. Delgado"
    select_first(qtbot, page)

    say.save_path = tmp_path / "sheet.pdf"
    window.registry[ActionId.PRINT_SIGN_IN_SHEET].trigger()
    settle()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(say.save_path).pages)
    assert "Alvarez, Maria 101" in text and "Dubois, Anne 104" in text and "Brown" not in text
    assert say.urls[-1].endswith("sheet.pdf")

    scan = tmp_path / "signed.pdf"
    scan.write_bytes(pdf_bytes("signed by two of three"))
    say.open_path = scan

    def attendance(dialog: AttendanceDialog) -> None:
        assert dialog.count.text() == "3 officers to record"
        dialog.people.item(1).setCheckState(Qt.CheckState.Unchecked)  # Chen did not come
        dialog.choose_sheet()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert window.registry[ActionId.RECORD_ATTENDANCE].isEnabled()
    say.dialogs.expect(attendance)
    window.registry[ActionId.RECORD_ATTENDANCE].trigger()
    settle()
    qtbot.waitUntil(lambda: page.proxy.row(0).row.attendees == 2)
    badges = db.execute(
        "SELECT o.badge FROM training_records r JOIN officers o ON o.id = r.officer_id"
        " ORDER BY o.badge"
    ).fetchall()
    assert badges == [("101",), ("104",)]
    assert page.proxy.row(0).row.kinds == frozenset({"sign_in_sheet"})
    assert window.statusBar().currentMessage() == "Attendance recorded for 2 officers."


def test_instructors_their_certifications_and_biography_and_the_lapse_flag(
    qtbot: Any,
    officers: dict[str, int],
    window: MainWindow,
    say: Prompts,
    db: Database,
    tmp_path: Path,
) -> None:
    bio = tmp_path / "harmon-bio.pdf"
    bio.write_bytes(pdf_bytes("Lt. Harmon: 20 years, ICAT trainer"))
    say.open_path = bio
    flags: list[str] = []

    def add(dialog: InstructorDialog) -> None:
        qtbot.keyClicks(dialog.name, "Lt. M. Harmon")
        qtbot.keyClicks(dialog.affiliation, "Millbrook PD")
        dialog.accept()

    def certify(dialog: CertificationDialog) -> None:
        qtbot.keyClicks(dialog.name, "ICAT train-the-trainer")
        dialog.earned.set_value(date(2021, 5, 1))
        dialog.expires.set_value(date.today() - timedelta(days=40))
        dialog.accept()

    def attach(dialog: AttachDocumentDialog) -> None:
        assert dialog.kind.currentData() == "instructor_bio"
        dialog.choose_file()
        dialog.accept()

    def instructors(dialog: InstructorsDialog) -> None:
        say.dialogs.expect(add)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        say.dialogs.expect(certify)
        qtbot.mouseClick(dialog.certify_button, Qt.MouseButton.LeftButton)
        say.dialogs.expect(attach)
        qtbot.mouseClick(dialog.documents.attach_button, Qt.MouseButton.LeftButton)
        (summary,) = dialog.model.all_rows()
        flags.append(dialog.model.index(0, 4).data())
        flags.append(dialog.model.index(0, 3).data())
        assert dialog.documents.model.rowCount() == 1 and summary.has_biography

    course_files_page(window)
    say.dialogs.expect(instructors)
    window.registry[ActionId.MANAGE_INSTRUCTORS].trigger()
    assert flags[0].startswith("Lapsed: ICAT train-the-trainer expired")
    assert flags[1] == "on file"

    def record(dialog: RecordClassDialog) -> None:
        dialog.fields.completed.set_value(date.today())
        dialog.fields.instructor.setCurrentIndex(0)
        flags.append(dialog.fields.instructor.flag.text())
        dialog.fields.completed.set_value(date.today() - timedelta(days=60))
        flags.append(dialog.fields.instructor.flag.text())
        dialog.reject()

    say.dialogs.expect(record)
    window.registry[ActionId.RECORD_CLASS].trigger()
    assert flags[2].startswith("Flagged: ICAT train-the-trainer expired")
    assert flags[3] == ""  # the class was held while the certification was valid
