"""`deesc files`: list, show, attach, get and remove documents; the documents behind a claim."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import record_class
from tests.cli.test_cli import run
from tests.documents import EXE_BYTES, pdf_bytes


@pytest.fixture
def recorded(db: Database, db_path: Path, admin: Actor) -> Path:
    """Two officers at a first aid class on 5 May 2026; returns the database path."""
    ids = [
        add_officer(
            db,
            admin,
            {
                "badge": badge,
                "last_name": last,
                "first_name": "A",
                "hire_date": "2015-01-01",
                "state_id": f"IL-{badge}",
            },
        )
        for badge, last in (("101", "Alvarez"), ("102", "Brown"))
    ]
    record_class(
        db,
        admin,
        {"course": "First Aid", "completed": "2026-05-05", "hours": 4, "topics": "first_aid"},
        ids,
    )
    return db_path


def test_attach_show_get_and_remove_a_document_from_the_command_line(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(recorded)]
    sheet = tmp_path / "first-aid-sheet.pdf"
    sheet.write_bytes(pdf_bytes("signed sheet"))
    where = ["--course", "First Aid", "--date", "2026-05-05"]
    code, out, err = run(
        capsys, *db, "files", "attach", str(sheet), "--kind", "sign_in_sheet", *where
    )
    assert (code, err) == (0, "") and "as attachment 1" in out

    code, out, _ = run(capsys, *db, "files", "show", *where, "--format", "json")
    shown = json.loads(out)
    assert shown["class_id"] == 1 and shown["attendees"] == 2
    assert shown["missing"] == ["lesson_plan", "learning_objectives", "instructor_bio"]
    assert [a["file_name"] for a in shown["attachments"]] == ["first-aid-sheet.pdf"]
    assert [p["state_id"] for p in shown["people"]] == ["IL-101", "IL-102"]

    code, out, _ = run(capsys, *db, "files", "list", "--from", "2026-01-01", "--to", "2026-12-31")
    assert "First Aid" in out and "lesson_plan, learning_objectives, instructor_bio" in out

    copy = tmp_path / "copy.pdf"
    assert run(capsys, *db, "files", "get", "1", "-o", str(copy))[0] == 0
    assert copy.read_bytes() == sheet.read_bytes()
    code, _, err = run(capsys, *db, "files", "get", "1", "-o", str(copy))
    assert code == 1 and "already exists" in err

    code, _, _ = run(capsys, *db, "files", "remove", "1", "--reason", "wrong class")
    assert code == 0
    code, out, _ = run(capsys, *db, "check")
    assert code == 0


def test_a_refused_document_exits_1_with_the_reason(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    impostor = tmp_path / "roster.pdf"
    impostor.write_bytes(EXE_BYTES)
    code, out, err = run(
        capsys,
        "--db",
        str(recorded),
        "files",
        "attach",
        str(impostor),
        "--kind",
        "state_roster",
        "--course",
        "First Aid",
        "--date",
        "05/05/2026",
    )
    assert code == 1 and out == ""
    assert "roster.pdf is not a PDF, an image or an Office file" in err


def test_the_checklist_names_the_states_list(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(recorded), "files", "checklist")
    assert code == 0 and "generic list" in out and "instructor_bio" in out


def test_schedule_print_and_take_attendance_with_an_instructor_from_the_command_line(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(recorded)]
    assert run(capsys, *db, "files", "instructor", "add", "Sgt. R. Delgado")[0] == 0
    code, _, err = run(
        capsys,
        *db,
        "files",
        "instructor",
        "certify",
        "Sgt. R. Delgado",
        "--certification",
        "First aid instructor",
        "--earned",
        "2023-01-01",
        "--expires",
        "2026-01-31",
    )
    assert (code, err) == (0, "")
    code, out, err = run(
        capsys,
        *db,
        "files",
        "schedule",
        "--course",
        "first aid",
        "--date",
        "2026-12-15",
        "--badges",
        "101,102",
        "--instructor",
        "Sgt. R. Delgado",
    )
    assert (code, err) == (0, "")
    assert "Scheduled class 1: first aid on 2026-12-15, 2 expected." in out

    sheet = tmp_path / "sheet.pdf"
    code, out, _ = run(capsys, *db, "files", "sign-in-sheet", "--class", "1", "-o", str(sheet))
    assert code == 0 and "2 officers" in out
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(sheet).pages)
    assert "Alvarez, A 101 IL-101" in text and "Brown, A 102 IL-102" in text
    assert "Instructor flagged: First aid instructor expired 2026-01-31" in text

    scan = tmp_path / "signed.pdf"
    scan.write_bytes(pdf_bytes("signed"))
    code, out, err = run(
        capsys, *db, "files", "attendance", "--class", "1", "--absent", "102", "--sheet", str(scan)
    )
    assert (code, err) == (0, "")
    assert out.strip() == "Recorded the class for 1 officer and attached the signed sheet."

    code, out, _ = run(capsys, *db, "files", "instructor", "list", "--as-of", "2026-12-01")
    assert "LAPSED: First aid instructor expired 2026-01-31" in out and "MISSING" in out


def test_deesc_due_lists_a_scheduled_class_for_the_training_side(
    recorded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(recorded)]
    held_on = (date.today() + timedelta(days=10)).isoformat()
    schedule = ["files", "schedule", "--course", "First Aid", "--date", held_on]
    assert run(capsys, *db, *schedule, "--badges", "101")[0] == 0
    code, out, _ = run(capsys, *db, "due", "--format", "json")
    assert code == 0
    # The state's annual classes fall due on 31 December too; the class is what this is about.
    assert [item for item in json.loads(out) if item["kind"] != "requirement"] == [
        {
            "due": held_on,
            "kind": "class",
            "who": "First Aid",
            "badge": "",
            "shift": "",
            "unit": "",
            "what": "1 officer expected: print the sign-in sheet",
        }
    ]
    code, out, _ = run(capsys, *db, "due", "--as-of", "2027-06-01")
    assert out.strip() == "Nothing falls due in the 30 days from 2027-06-01."
