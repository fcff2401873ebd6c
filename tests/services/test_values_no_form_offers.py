"""Values no form offers, as a command line or a file may give them: each refused with its
field named, nothing written (a fuzz of the add functions found these)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.demo import DEMO_ACTOR
from deesc_desktop.services.cit import revoke_certification
from deesc_desktop.services.claim_workflow import deny_claim, reject_adjustment
from deesc_desktop.services.classes import schedule_class
from deesc_desktop.services.errors import ValidationError
from deesc_desktop.services.followups import add_followup
from deesc_desktop.services.incidents import add_incident
from deesc_desktop.services.instructors import add_instructor, add_instructor_certification
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import edit_training_record, record_class
from deesc_desktop.store.claims import list_adjustments, list_claims
from deesc_desktop.store.database import open_database
from tests.conftest import table_counts


@pytest.fixture
def officer(db: Database, admin: Actor) -> int:
    """One officer, for the records that need one."""
    return add_officer(
        db,
        admin,
        {"badge": "101", "last_name": "Peña", "first_name": "Ana", "hire_date": "2015-01-01"},
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [("\x00", "U+0000"), ("Sgt. R.\x07 Delgado", "U+0007"), ("Lt.\x7f", "U+007F")],
)
def test_a_control_character_in_a_name_is_refused_with_the_field_named(
    db: Database, admin: Actor, name: str, shown: str
) -> None:
    """A NUL ends the text for SQLite's own functions: stored, its CHECK refused it with no
    field named; SQLite let the others through to print as boxes."""
    before = table_counts(db)
    with pytest.raises(ValidationError) as refused:
        add_instructor(db, admin, {"name": name})
    assert refused.value.field_errors["name"].startswith(f"contains a control character ({shown}")
    assert table_counts(db) == before


def test_tabs_and_line_breaks_in_notes_are_kept(db: Database, admin: Actor) -> None:
    instructor = add_instructor(db, admin, {"name": "Sgt. R. Delgado", "notes": "ICAT\n\tFTO"})
    (notes,) = db.execute("SELECT notes FROM instructors WHERE id = ?", [instructor]).fetchone()
    assert notes == "ICAT\n\tFTO"
    with pytest.raises(ValidationError) as refused:
        add_instructor_certification(db, admin, instructor, {"name": "ICAT\x00", "earned": ""})
    assert "control character" in refused.value.field_errors["name"]


@pytest.mark.parametrize("instructor", ["abc", "2026-01-01", str(2**63), 10**30, -1])
def test_a_class_refuses_an_instructor_number_that_names_nobody(
    db: Database, admin: Actor, instructor: object, officer: int
) -> None:
    with pytest.raises(ValidationError) as refused:
        schedule_class(
            db,
            admin,
            {"course": "ICAT", "held_on": "2026-12-15", "hours": "8", "instructor_id": instructor},
            [officer],
        )
    assert refused.value.field_errors["instructor_id"] == (
        f"there is no instructor number {instructor}"
    )


def test_an_edit_given_topics_as_a_list_of_words_is_refused_as_typed(
    db: Database, admin: Actor, officer: int
) -> None:
    """A form holds (code, hours) pairs; a list of words (from JSON, say) stopped the edit
    with a TypeError."""
    (record,) = record_class(
        db,
        admin,
        {"course": "ICAT", "completed": "2025-05-01", "hours": "4", "topics": "firearms"},
        [officer],
    )
    with pytest.raises(ValidationError) as refused:
        edit_training_record(db, admin, record, {"topics": ["١٢"]}, reason="typo")
    assert refused.value.field_errors["topics"].startswith('unknown topic "١٢"')


@pytest.mark.parametrize("officers", ["1e400", str(2**63), "²"])
def test_an_incident_refuses_officer_numbers_that_name_nobody(
    db: Database, admin: Actor, officers: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        add_incident(
            db,
            admin,
            {
                "reference": "26-1",
                "occurred_on": "2026-01-10",
                "incident_type": "welfare_check",
                "force_type": "none",
                "officers": officers,
            },
        )
    assert refused.value.field_errors["officers"] == f"there is no officer with id {officers}"


def test_a_follow_up_refuses_a_record_number_sqlite_cannot_hold(
    db: Database, admin: Actor, officer: int
) -> None:
    with pytest.raises(ValidationError) as refused:
        add_followup(
            db,
            admin,
            officer,
            {
                "assessed_on": "2026-01-10",
                "assessor": "Lt. M. Harmon",
                "score": "80",
                "record_id": str(2**63),
            },
        )
    assert refused.value.field_errors["record_id"] == (f'"{2**63}" is not a training record number')


@pytest.mark.parametrize("step", ["denial", "adjustment rejected", "certificate revoked"])
def test_a_reason_with_a_control_character_is_refused_before_its_table_checks_it(
    pristine: Path, tmp_path: Path, step: str
) -> None:
    """Each table's CHECK wants a reason; a NUL passed the service's check (not blank) and
    failed that CHECK, an IntegrityError with no field named."""
    shutil.copyfile(pristine, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    chief = Actor("chief.harmon", Role.CHIEF)
    (submitted,) = [c.id for c in list_claims(db, status="submitted")]
    (waiting,) = [a.id for a in list_adjustments(db, status="pending")]
    steps: dict[str, Callable[[str], object]] = {
        "denial": lambda why: deny_claim(db, chief, submitted, reason=why),
        "adjustment rejected": lambda why: reject_adjustment(db, chief, waiting, reason=why),
        "certificate revoked": lambda why: revoke_certification(db, DEMO_ACTOR, 1, reason=why),
    }
    with pytest.raises(ValidationError) as refused:
        steps[step]("\x00")
    assert refused.value.field_errors["reason"].startswith("contains a control character (U+0000")
    steps[step]("Sign-in sheet missing")  # and with a reason in words, it is done
    db.close()
