"""Scheduled classes: who is expected, the sign-in sheet printed for them and read back, and
attendance recorded from the same list with the scanned sheet attached."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.reports.sign_in_sheet import render_sign_in_sheet
from deesc_desktop.services.classes import (
    record_attendance,
    schedule_class,
    sign_in_sheet,
    update_class,
)
from deesc_desktop.services.course_files import ClassRef, class_file
from deesc_desktop.services.errors import ConflictError, ValidationError
from deesc_desktop.services.instructors import add_instructor, add_instructor_certification
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import Attendee, record_class
from tests.conftest import logged, table_counts
from tests.documents import EXE_BYTES, pdf_bytes

DAY = date(2026, 12, 15)
ICAT = {
    "course": "ICAT De-escalation",
    "course_number": "ICAT-8",
    "held_on": DAY,
    "hours": "8",
    "topics": "de_escalation:4;use_of_force:2;crisis_intervention:2",
    "delivery": "scenario",
    "location": "Training room B",
}


@pytest.fixture
def people(db: Database, admin: Actor) -> dict[str, int]:
    rows = [
        ("101", "Peña", "Ana", "IL-100101"),
        ("102", "Nguyễn", "Minh", "IL-100102"),
        ("103", "O'Brien", "Siobhan", "IL-100103"),
    ]
    return {
        badge: add_officer(
            db,
            admin,
            {
                "badge": badge,
                "last_name": last,
                "first_name": first,
                "hire_date": "2015-01-01",
                "state_id": state_id,
            },
        )
        for badge, last, first, state_id in rows
    }


def test_the_sign_in_sheet_lists_every_expected_officer_and_blank_lines(
    db: Database, admin: Actor, people: dict[str, int], tmp_path: Path
) -> None:
    instructor = add_instructor(db, admin, {"name": "Sgt. Rosa Delgado"})
    class_id = schedule_class(
        db, admin, {**ICAT, "instructor_id": instructor}, list(people.values())
    )
    sheet = sign_in_sheet(db, ClassRef(class_id), blank_lines=4)
    out = render_sign_in_sheet(db, sheet, tmp_path / "sheet.pdf", now=datetime(2026, 12, 1, 9))

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Sign-in sheet: ICAT De-escalation" in text
    assert "ICAT De-escalation (ICAT-8)" in text
    assert "2026-12-15" in text and "8.0 (Scenario-based)" in text
    assert "De-escalation, Use of force, Crisis intervention" in text
    assert "Sgt. Rosa Delgado" in text and "Training room B" in text
    assert "ILETSB ID" in text  # what Illinois calls the officer's state number
    for line in (
        "1 Nguyễn, Minh 102 IL-100102",
        "2 O'Brien, Siobhan 103 IL-100103",
        "3 Peña, Ana 101 IL-100101",
    ):
        assert line in text
    assert " 4 5 6 7 " in text  # the numbered blank lines for walk-ins
    assert "Sgt. Rosa Delgado, instructor" in text  # under the signature line


def test_attendance_is_recorded_from_the_sheet_with_the_scan_attached(
    db: Database, admin: Actor, people: dict[str, int], tmp_path: Path
) -> None:
    class_id = schedule_class(db, admin, ICAT, list(people.values()))
    scan = tmp_path / "ICAT signed sheet.pdf"
    scan.write_bytes(pdf_bytes("signed by two"))
    present = [Attendee(people["101"], 60, 85), people["103"]]

    ids = record_attendance(db, admin, ClassRef(class_id), present, sheet=scan)

    assert len(ids) == 2
    detail = class_file(db, ClassRef(class_id))
    attended = {p.badge: p.record_id is not None for p in detail.people}
    assert attended == {"101": True, "102": False, "103": True}
    assert [(a.kind, a.file_name) for a in detail.documents] == [
        ("sign_in_sheet", "ICAT signed sheet.pdf")
    ]
    assert "sign_in_sheet" not in detail.file.missing
    hours, delivery = db.execute(
        "SELECT hours, delivery FROM training_records WHERE id = ?", [ids[0]]
    ).fetchone()
    assert (hours, delivery) == (8.0, "scenario")


def test_a_bad_scan_records_no_attendance_either(
    db: Database, admin: Actor, people: dict[str, int], tmp_path: Path
) -> None:
    class_id = schedule_class(db, admin, ICAT, list(people.values()))
    scan = tmp_path / "sheet.pdf"
    scan.write_bytes(EXE_BYTES)
    before = table_counts(db)
    with pytest.raises(ValidationError, match="not a PDF"):
        record_attendance(db, admin, ClassRef(class_id), list(people.values()), sheet=scan)
    assert table_counts(db) == before


def test_a_class_is_scheduled_once(db: Database, admin: Actor, people: dict[str, int]) -> None:
    schedule_class(db, admin, ICAT, [people["101"]])
    with pytest.raises(ConflictError, match="already scheduled"):
        schedule_class(db, admin, ICAT, [people["102"]])
    record_class(db, admin, {**ICAT, "completed": "2026-01-05"}, [people["101"]])
    with pytest.raises(ConflictError, match="already recorded"):
        schedule_class(db, admin, {**ICAT, "held_on": "2026-01-05"}, [people["102"]])


def test_a_lapsed_instructor_is_flagged_on_the_class_and_its_sheet(
    db: Database, admin: Actor, people: dict[str, int]
) -> None:
    instructor = add_instructor(db, admin, {"name": "Lt. M. Harmon"})
    add_instructor_certification(
        db,
        admin,
        instructor,
        {"name": "ICAT train-the-trainer", "earned": "2022-01-10", "expires": "2026-06-30"},
    )
    class_id = schedule_class(db, admin, ICAT, [people["101"]])
    assert class_file(db, ClassRef(class_id)).file.lapsed == ""
    update_class(db, admin, ClassRef(class_id), {"instructor_id": instructor})
    flag = "ICAT train-the-trainer expired 2026-06-30, before the class on 2026-12-15"
    assert class_file(db, ClassRef(class_id)).file.lapsed == flag
    assert sign_in_sheet(db, ClassRef(class_id)).instructor_flag == flag
    # Renewed before the class: no longer flagged.
    add_instructor_certification(
        db,
        admin,
        instructor,
        {"name": "ICAT Train-the-Trainer", "earned": "2026-07-01", "expires": "2029-06-30"},
    )
    assert class_file(db, ClassRef(class_id)).file.lapsed == ""


def test_update_class_changes_who_is_expected_with_an_audit_entry(
    db: Database, admin: Actor, people: dict[str, int]
) -> None:
    class_id = schedule_class(db, admin, ICAT, [people["101"]])
    update_class(db, admin, ClassRef(class_id), {"location": "Range"}, officer_ids=[people["102"]])
    detail = class_file(db, ClassRef(class_id))
    assert [p.badge for p in detail.people] == ["102"]
    assert detail.file.row.location == "Range"
    after = logged(db, "table_name = 'classes'")[0]["after"]
    assert f'"expected":"{people["102"]}"' in after
