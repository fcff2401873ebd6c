"""Roster services: adding, editing, separating; refusals name the field and change nothing."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.errors import ConflictError, ValidationError
from deesc_desktop.services.officers import (
    add_officer,
    edit_officer,
    separate_officer,
    set_officer_status,
)
from deesc_desktop.store.officers import get_officer
from tests.conftest import table_counts

ANA = {"badge": "0101", "last_name": "Peña", "first_name": "Ana", "hire_date": "03/15/2019"}


def test_add_officer_reads_us_dates_and_keeps_badge_text(db: Database, admin: Actor) -> None:
    officer = get_officer(db, add_officer(db, admin, ANA))
    assert officer is not None
    assert (officer.badge, officer.hire_date.isoformat(), officer.status) == (
        "0101",
        "2019-03-15",
        "active",
    )
    assert officer.display_name == "Peña, Ana"


def test_bad_fields_are_each_named_and_nothing_is_written(db: Database, admin: Actor) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        add_officer(
            db,
            admin,
            {
                "badge": " ",
                "last_name": "Smith",
                "first_name": "",
                "hire_date": "13/45/2020",
                "email": "not-an-address",
            },
        )
    errors = caught.value.field_errors
    assert errors["badge"] == "is required"
    assert errors["first_name"] == "is required"
    assert "13/45/2020" in errors["hire_date"] and "MM/DD/YYYY" in errors["hire_date"]
    assert "not an email" in errors["email"]
    assert table_counts(db) == before


def test_duplicate_badge_names_the_officer_who_has_it(db: Database, admin: Actor) -> None:
    add_officer(db, admin, ANA)
    with pytest.raises(ValidationError, match="badge 0101 already belongs to Peña, Ana"):
        add_officer(db, admin, {**ANA, "last_name": "Other"})


def test_edit_refuses_a_stale_version_and_says_who_changed_it(db: Database, admin: Actor) -> None:
    officer_id = add_officer(db, admin, ANA)
    other = Actor("sgt.rivera", admin.role)
    assert edit_officer(db, other, officer_id, {"shift": "Nights"}, expected_version=1)
    with pytest.raises(ConflictError, match=r"sgt\.rivera"):
        edit_officer(db, admin, officer_id, {"shift": "Days"}, expected_version=1)
    officer = get_officer(db, officer_id)
    assert officer is not None and officer.shift == "Nights"


def test_edit_with_no_change_writes_no_audit_entry(db: Database, admin: Actor) -> None:
    officer_id = add_officer(db, admin, ANA)
    before = table_counts(db)["audit_log"]
    assert edit_officer(db, admin, officer_id, {"first_name": "Ana"}) is False
    assert table_counts(db)["audit_log"] == before


def test_separated_officer_keeps_history_and_cannot_be_deleted(db: Database, admin: Actor) -> None:
    from deesc_desktop.services.training import record_training

    officer_id = add_officer(db, admin, ANA)
    record_training(
        db,
        admin,
        officer_id,
        {"course": "Firearms", "completed": "2024-01-10", "hours": 4, "topics": "firearms"},
    )
    separate_officer(db, admin, officer_id, "2025-02-28", reason="Retired")
    officer = get_officer(db, officer_id)
    assert officer is not None
    assert (officer.status, str(officer.separation_date)) == ("separated", "2025-02-28")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.execute("DELETE FROM officers WHERE id = ?", [officer_id])


def test_separation_before_hire_is_refused(db: Database, admin: Actor) -> None:
    officer_id = add_officer(db, admin, ANA)
    with pytest.raises(ValidationError, match="before the hire date 2019-03-15"):
        separate_officer(db, admin, officer_id, "2018-12-31")


def test_removing_a_separation_needs_a_reason_because_every_report_changes(
    db: Database, admin: Actor
) -> None:
    """Back to active, a separated officer counts as serving on every day, the days after the
    separation too: the app asks why, and the log keeps the date that was removed."""
    officer_id = add_officer(db, admin, ANA)
    separate_officer(db, admin, officer_id, "2025-02-28", reason="Retired")
    with pytest.raises(ValidationError, match="removed") as refused:
        set_officer_status(db, admin, officer_id, "active")
    assert "2025-02-28" in str(refused.value)
    officer = get_officer(db, officer_id)
    assert officer is not None and officer.status == "separated"
    set_officer_status(db, admin, officer_id, "active", reason="separation entered in error")
    officer = get_officer(db, officer_id)
    assert officer is not None and (officer.status, officer.separation_date) == ("active", None)
    (reason,) = db.execute(
        "SELECT reason FROM audit_log WHERE table_name = 'officers' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert reason == "separation entered in error"
    # Leave and return, with no separation involved, need no reason.
    set_officer_status(db, admin, officer_id, "leave")
    set_officer_status(db, admin, officer_id, "active")
