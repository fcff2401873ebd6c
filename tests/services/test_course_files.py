"""Class files: documents attached, listed, opened, backed up and restored byte for byte;
refusals that write nothing; the state's checklist; documents behind records and claims."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.documents import MAX_DOCUMENT_BYTES
from deesc_desktop.services.agency import update_agency
from deesc_desktop.services.bonus import add_program, create_claim
from deesc_desktop.services.course_files import (
    ClassRef,
    Owner,
    attach_bytes,
    attach_file,
    claim_documents,
    class_file,
    class_files,
    open_copy,
    read_attachment,
    record_documents,
    remove_attachment,
    save_attachment,
)
from deesc_desktop.services.errors import ConflictError, PermissionDeniedError, ValidationError
from deesc_desktop.services.funding import add_funding_source
from deesc_desktop.services.instructors import add_instructor
from deesc_desktop.services.maintenance import backup_database, check_database, restore_database
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.reporting import incomplete_class_files
from deesc_desktop.services.training import delete_training_record, record_class
from tests.conftest import logged, table_counts
from tests.documents import (
    EXE_BYTES,
    JPEG_BYTES,
    docx_bytes,
    pdf_bytes,
    plain_zip_bytes,
    png_bytes,
)

ICAT = {
    "course": "ICAT De-escalation",
    "completed": "2026-03-14",
    "hours": "8",
    "topics": "de_escalation",
    "delivery": "scenario",
    "instructor": "Sgt. R. Delgado",
}
CLASS = ClassRef(course="ICAT De-escalation", held_on="2026-03-14")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def officers(db: Database, admin: Actor) -> list[int]:
    return [
        add_officer(
            db,
            admin,
            {"badge": badge, "last_name": last, "first_name": "A", "hire_date": "2015-01-01"},
        )
        for badge, last in (("101", "Alvarez"), ("102", "Brown"))
    ]


@pytest.fixture
def icat(db: Database, admin: Actor, officers: list[int]) -> list[int]:
    """The ICAT class of 14 March 2026, both officers recorded as attending."""
    return record_class(db, admin, ICAT, officers)


def test_a_document_round_trips_through_attach_list_open_backup_and_restore(
    db: Database, db_path: Path, admin: Actor, icat: list[int], tmp_path: Path
) -> None:
    sheet = tmp_path / "ICAT sign-in 2026-03-14.pdf"
    sheet.write_bytes(pdf_bytes("Sign-in sheet, signed by 2 officers"))
    original = sheet.read_bytes()

    attachment_id = attach_file(db, admin, sheet, "sign_in_sheet", Owner(class_ref=CLASS))

    detail = class_file(db, CLASS)
    assert [(d.id, d.kind, d.file_name) for d in detail.documents] == [
        (attachment_id, "sign_in_sheet", "ICAT sign-in 2026-03-14.pdf")
    ]
    assert [p.display_name for p in detail.people] == ["Alvarez, A", "Brown, A"]
    found, data = read_attachment(db, admin, attachment_id)
    assert data == original and found.sha256 == hashlib.sha256(original).hexdigest()
    assert open_copy(db, admin, attachment_id).read_bytes() == original
    saved = save_attachment(db, admin, attachment_id, tmp_path / "out.pdf")
    assert saved.read_bytes() == original

    backup = backup_database(db, admin, db_path, tmp_path / "backup.db")
    remove_attachment(db, admin, attachment_id, reason="attached to the wrong class")
    assert class_file(db, CLASS).documents == []
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0

    restore_database(db, admin, db_path, backup)
    assert read_attachment(db, admin, attachment_id)[1] == original


def test_the_audit_log_records_digest_name_size_and_type_but_never_the_bytes(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    data = pdf_bytes()
    attachment_id = attach_bytes(db, admin, "lesson plan.pdf", data, "lesson_plan", Owner(CLASS))
    (entry,) = [
        json.loads(e["after"])
        for e in logged(db, "table_name = 'attachments' AND row_id = ?", [str(attachment_id)])
    ]
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert (entry["file_name"], entry["size"], entry["media_type"]) == (
        "lesson plan.pdf",
        len(data),
        "application/pdf",
    )
    assert "content" not in entry
    shown = "".join(e["after"] or "" for e in logged(db))
    stored = "".join(str(row) for row in db.execute("SELECT before, after FROM audit_entries"))
    assert "%PDF" not in shown and "%PDF" not in stored


def test_the_same_document_in_two_class_files_is_stored_once(
    db: Database, admin: Actor, officers: list[int], icat: list[int]
) -> None:
    record_class(db, admin, {**ICAT, "completed": "2026-09-02"}, officers[:1])
    plan = pdf_bytes("ICAT lesson plan v3")
    first = attach_bytes(db, admin, "plan.pdf", plan, "lesson_plan", Owner(CLASS))
    second_class = ClassRef(course="icat de-escalation", held_on="09/02/2026")
    second = attach_bytes(db, admin, "plan.pdf", plan, "lesson_plan", Owner(second_class))
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    with pytest.raises(ConflictError, match="already attached here"):
        attach_bytes(db, admin, "copy.pdf", plan, "other", Owner(CLASS))
    remove_attachment(db, admin, first, reason="wrong version")
    assert read_attachment(db, admin, second)[1] == plan
    remove_attachment(db, admin, second, reason="wrong version")
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("roster.pdf", EXE_BYTES, "roster.pdf is not a PDF, an image or an Office file"),
        ("plan.docx", plain_zip_bytes(), "is a zip archive, not an Office document"),
        ("sheet.pdf", JPEG_BYTES, "named .pdf but its content is a JPEG image"),
        ("scan.pdf", pdf_bytes()[:-200], "a PDF that ends too early"),
        ("empty.pdf", b"", r"empty \(0 bytes\)"),
        ("page.png", png_bytes()[:-12], "PNG image that ends too early"),
        ("notes.txt", b"just some words", "not a PDF, an image or an Office file"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_by_its_content_and_nothing_is_written(
    db: Database, admin: Actor, icat: list[int], name: str, data: bytes, reason: str
) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError, match=reason):
        attach_bytes(db, admin, name, data, "sign_in_sheet", Owner(CLASS))
    assert table_counts(db) == before


def test_accepted_types_are_recognised_by_content(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    for name, data in (
        ("scan.png", png_bytes()),
        ("photo.JPG", JPEG_BYTES),
        ("objectives.docx", docx_bytes()),
    ):
        attachment_id = attach_bytes(db, admin, name, data, "other", Owner(CLASS))
        assert read_attachment(db, admin, attachment_id)[1] == data
    types = [d.media_type for d in class_file(db, CLASS).documents]
    assert sorted(types) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/jpeg",
        "image/png",
    ]


def test_a_file_too_big_is_refused_before_it_is_read(
    db: Database, admin: Actor, icat: list[int], tmp_path: Path
) -> None:
    huge = tmp_path / "whole-year-scan.pdf"
    with huge.open("wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: no 25 MB written
    before = table_counts(db)
    with pytest.raises(ValidationError, match=r"is 25.0 MB; a document may be at most 25.0 MB"):
        attach_file(db, admin, huge, "sign_in_sheet", Owner(CLASS))
    assert table_counts(db) == before


def test_unreadable_files_are_refused_with_the_reason(
    db: Database, admin: Actor, icat: list[int], tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        attach_file(db, admin, tmp_path / "gone.pdf", "sign_in_sheet", Owner(CLASS))
    with pytest.raises(ValidationError, match="is a folder, not a file"):
        attach_file(db, admin, tmp_path, "sign_in_sheet", Owner(CLASS))
    inside_a_file = tmp_path / "plan.pdf"
    inside_a_file.write_bytes(pdf_bytes())
    with pytest.raises(ValidationError, match="cannot be read: Not a directory"):
        attach_file(db, admin, inside_a_file / "x.pdf", "sign_in_sheet", Owner(CLASS))


def test_a_file_the_user_may_not_read_is_refused(
    db: Database, admin: Actor, icat: list[int], tmp_path: Path
) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(pdf_bytes())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who reads any file (root)")
        with pytest.raises(ValidationError, match="permission denied"):
            attach_file(db, admin, locked, "sign_in_sheet", Owner(CLASS))
    finally:
        locked.chmod(0o600)


def test_a_class_nobody_attended_has_no_file_to_attach_to(db: Database, admin: Actor) -> None:
    with pytest.raises(Exception, match="no course called"):
        attach_bytes(db, admin, "a.pdf", pdf_bytes(), "other", Owner(CLASS))


def test_the_generic_checklist_lists_what_each_class_file_lacks(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    (only,) = class_files(db, *YEAR)
    assert only.missing == ("sign_in_sheet", "lesson_plan", "learning_objectives", "instructor_bio")
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes("sheet"), "sign_in_sheet", Owner(CLASS))
    attach_bytes(db, admin, "plan.pdf", pdf_bytes("plan"), "lesson_plan", Owner(CLASS))
    (only,) = class_files(db, *YEAR)
    assert only.missing == ("learning_objectives", "instructor_bio")
    # The instructor named on the records, with a biography on file, covers the last but one.
    instructor = add_instructor(db, admin, {"name": "Sgt. R. Delgado"})
    attach_bytes(
        db, admin, "bio.pdf", pdf_bytes("bio"), "instructor_bio", Owner(instructor_id=instructor)
    )
    (only,) = class_files(db, *YEAR)
    assert only.missing == ("learning_objectives",)
    attach_bytes(db, admin, "obj.pdf", pdf_bytes("obj"), "learning_objectives", Owner(CLASS))
    assert class_files(db, *YEAR, incomplete_only=True) == []


def test_the_list_counts_the_documents_the_file_shows(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    """The Documents column and the file's own list agree: the instructor's biography, which
    the file shows and its checklist counts, is counted in the list too."""
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes("sheet"), "sign_in_sheet", Owner(CLASS))
    instructor = add_instructor(db, admin, {"name": "Sgt. R. Delgado"})
    for name in ("bio.pdf", "bio-2025.pdf"):
        attach_bytes(
            db, admin, name, pdf_bytes(name), "instructor_bio", Owner(instructor_id=instructor)
        )
    attach_bytes(db, admin, "cert.pdf", pdf_bytes("cert"), "other", Owner(instructor_id=instructor))
    (listed,) = class_files(db, *YEAR)
    shown = class_file(db, CLASS).documents
    assert [a.file_name for a in shown] == ["sheet.pdf", "bio.pdf", "bio-2025.pdf"]
    assert listed.documents == len(shown) == 3


def test_a_report_for_an_earlier_day_counts_only_the_documents_attached_by_then(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    """The compliance and grant reports list the class files still incomplete on their day:
    a lesson plan attached later, or a biography added later, was missing then."""
    day = date(2026, 3, 20)
    early = datetime(2026, 3, 16, 15, tzinfo=UTC)
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes("a"), "sign_in_sheet", Owner(CLASS), now=early)
    late = datetime(2026, 3, 25, 15, tzinfo=UTC)
    attach_bytes(db, admin, "plan.pdf", pdf_bytes("b"), "lesson_plan", Owner(CLASS), now=late)
    instructor = add_instructor(db, admin, {"name": "Sgt. R. Delgado"})
    attach_bytes(
        db,
        admin,
        "bio.pdf",
        pdf_bytes("c"),
        "instructor_bio",
        Owner(instructor_id=instructor),
        now=late,
    )
    (then,) = incomplete_class_files(db, date(2026, 1, 1), day)
    assert then.missing == ("lesson_plan", "learning_objectives", "instructor_bio")
    assert then.documents == 1
    (now,) = incomplete_class_files(db, date(2026, 1, 1), date(2026, 3, 31))
    assert now.missing == ("learning_objectives",)


def test_texas_asks_for_six_documents_in_every_course_file(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    update_agency(db, admin, {"state": "TX"})
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes("sheet"), "sign_in_sheet", Owner(CLASS))
    detail = class_file(db, CLASS)
    assert detail.file.missing == (
        "state_roster",
        "learning_objectives",
        "lesson_plan",
        "instructor_bio",
        "assessment",
    )
    assert len(detail.checklist) == 6


def test_an_outside_certificate_and_the_class_sign_in_sheet_stand_behind_a_claim(
    db: Database, admin: Actor, officers: list[int], icat: list[int]
) -> None:
    certificate = attach_bytes(
        db,
        admin,
        "ICAT certificate.pdf",
        pdf_bytes("cert"),
        "certificate",
        Owner(record_id=icat[0]),
    )
    sheet = attach_bytes(db, admin, "sheet.pdf", pdf_bytes("sheet"), "sign_in_sheet", Owner(CLASS))
    assert [d.attachment.id for d in record_documents(db, icat[0])] == [certificate, sheet]
    add_funding_source(
        db,
        admin,
        {
            "name": "City",
            "kind": "local_budget",
            "amount": "10000",
            "start": "2026-01-01",
            "end": "2026-12-31",
        },
    )
    program = add_program(
        db,
        admin,
        {
            "name": "De-escalation bonus",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "funding_source": "City",
        },
    )
    claim = create_claim(db, admin, program, officers[0])
    behind = claim_documents(db, claim)
    assert [(d.attachment.id, d.documents) for d in behind] == [
        (certificate, "ICAT De-escalation on 2026-03-14 (training record)"),
        (sheet, "ICAT De-escalation on 2026-03-14 (class file)"),
    ]


def test_deleting_a_training_record_takes_its_documents_out_with_an_audit_entry(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    certificate = attach_bytes(
        db, admin, "cert.pdf", pdf_bytes(), "certificate", Owner(record_id=icat[0])
    )
    delete_training_record(db, admin, icat[0], reason="entered for the wrong officer")
    (reason,) = db.execute(
        "SELECT reason FROM audit_log WHERE table_name = 'attachments' AND action = 'delete'"
        " AND row_id = ?",
        [str(certificate)],
    ).fetchone()
    assert reason == "training record deleted: entered for the wrong officer"
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_deesc_check_finds_a_document_whose_bytes_were_changed(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes(), "sign_in_sheet", Owner(CLASS))
    assert check_database(db).ok
    # Damage from outside the app (a disk fault, an edit with another tool): the trigger that
    # stops the app from rewriting a document is dropped first, as such a tool could.
    db.execute("DROP TRIGGER documents_content_is_final")
    db.execute("UPDATE documents SET content = zeroblob(size)")
    db.conn.commit()
    report = check_database(db)
    assert any("no longer match their SHA-256" in p for p in report.problems)
    with pytest.raises(Exception, match="missing or damaged"):
        read_attachment(db, admin, 1)


def test_the_app_never_rewrites_a_stored_document(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    attach_bytes(db, admin, "sheet.pdf", pdf_bytes(), "sign_in_sheet", Owner(CLASS))
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        db.execute("UPDATE documents SET stored_at = 'x'")


def test_viewers_read_documents_but_may_not_attach_or_remove_them(
    db: Database, admin: Actor, icat: list[int]
) -> None:
    attachment_id = attach_bytes(db, admin, "sheet.pdf", pdf_bytes(), "sign_in_sheet", Owner(CLASS))
    viewer = Actor("viewer", Role.VIEWER)
    assert read_attachment(db, viewer, attachment_id)[1].startswith(b"%PDF")
    with pytest.raises(PermissionDeniedError):
        attach_bytes(db, viewer, "b.pdf", pdf_bytes("b"), "other", Owner(CLASS))
    with pytest.raises(PermissionDeniedError):
        remove_attachment(db, viewer, attachment_id, reason="x")
