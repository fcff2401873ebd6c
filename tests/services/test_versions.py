"""Putting a record back as it was before a change: a new audited change through the record's
own service, refused in words where a rule forbids it, and the log itself never edited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services import bonus, claim_workflow, funding, officers, training, users
from deesc_desktop.services.errors import ConflictError, PermissionDeniedError, ServiceError
from deesc_desktop.services.versions import plan_restore, restore_version
from deesc_desktop.store.audit_scan import verify_chain
from deesc_desktop.store.reconcile import row_differences
from tests.conftest import AGENCY_FIREARMS

SERGEANT = Actor("sgt.delgado", Role.TRAINING_OFFICER)
CHIEF = Actor("chief.ortiz", Role.CHIEF)
FINANCE = Actor("fin.lee", Role.FINANCE)


def last_entry(db: Database, table: str, action: str = "update") -> int:
    return db.execute(
        "SELECT max(id) FROM audit_log WHERE table_name = ? AND action = ?", [table, action]
    ).fetchone()[0]


def entries(db: Database) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


@pytest.fixture
def officer(db: Database, admin: Actor) -> int:
    return officers.add_officer(
        db,
        admin,
        {
            "badge": "101",
            "last_name": "Peña",
            "first_name": "Ana",
            "rank": "Officer",
            "unit": "Patrol",
            "hire_date": "2015-03-01",
        },
    )


def test_an_officer_goes_back_as_they_were_in_a_new_audited_change(
    db: Database, admin: Actor, officer: int
) -> None:
    officers.edit_officer(db, SERGEANT, officer, {"rank": "Sergeant", "unit": "Traffic"})
    change = last_entry(db, "officers")
    before = entries(db)
    plan = plan_restore(db, change)
    assert plan.allowed and plan.noun == "officer Peña, Ana (badge 101)"
    assert [(c.field, c.now, c.restored) for c in plan.changes] == [
        ("rank", "Sergeant", "Officer"),
        ("unit", "Traffic", "Patrol"),
    ]
    restore_version(db, admin, plan)
    assert db.execute("SELECT rank, unit FROM officers WHERE id = ?", [officer]).fetchone() == (
        "Officer",
        "Patrol",
    )
    assert entries(db) == before + 1
    username, reason = db.execute(
        "SELECT username, reason FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert username == admin.username
    assert reason.startswith(f"restored as it was before audit entry #{change} (sgt.delgado, ")
    assert verify_chain(db).ok
    assert row_differences(db) == []


def test_a_row_changed_again_goes_back_past_the_later_changes_which_the_plan_names(
    db: Database, admin: Actor, officer: int
) -> None:
    officers.edit_officer(db, SERGEANT, officer, {"rank": "Sergeant"})
    first = last_entry(db, "officers")
    officers.separate_officer(db, SERGEANT, officer, "2025-06-30")
    plan = plan_restore(db, first)
    assert [e.id for e in plan.later] == [first + 1]
    assert {c.field: c.restored for c in plan.changes} == {
        "rank": "Officer",
        "status": "active",
        "separation_date": None,
    }
    restore_version(db, admin, plan)
    assert db.execute(
        "SELECT rank, status, separation_date FROM officers WHERE id = ?", [officer]
    ).fetchone() == ("Officer", "active", None)
    assert row_differences(db) == []


def test_a_training_record_goes_back_with_its_hours_and_topics(
    db: Database, admin: Actor, officer: int
) -> None:
    (record,) = training.record_class(
        db,
        SERGEANT,
        {
            "course": "ICAT",
            "completed": "2025-03-04",
            "hours": 8,
            "topics": "de_escalation:6;use_of_force:2",
        },
        [officer],
    )
    training.edit_training_record(
        db, SERGEANT, record, {"hours": 4, "topics": "de_escalation"}, reason="typo"
    )
    restore_version(db, admin, plan_restore(db, last_entry(db, "training_records")))
    snapshot = training.record_snapshot(db, record)
    assert snapshot is not None
    assert (snapshot["hours"], snapshot["topics"]) == (8, "de_escalation:6;use_of_force:2")
    assert row_differences(db) == []


def test_only_an_administrator_restores_and_a_change_made_meanwhile_is_refused(
    db: Database, admin: Actor, officer: int
) -> None:
    officers.edit_officer(db, SERGEANT, officer, {"rank": "Sergeant"})
    plan = plan_restore(db, last_entry(db, "officers"))
    with pytest.raises(PermissionDeniedError, match="may not put a record back"):
        restore_version(db, SERGEANT, plan)
    officers.edit_officer(db, SERGEANT, officer, {"shift": "Nights"})
    with pytest.raises(ConflictError, match=r"was changed by sgt\.delgado"):
        restore_version(db, admin, plan)
    assert db.execute("SELECT rank FROM officers").fetchone() == ("Sergeant",)


def test_refusals_say_why(db: Database, admin: Actor, officer: int) -> None:
    added = last_entry(db, "officers", "insert")
    assert "there is no earlier version" in plan_restore(db, added).refusal

    (record,) = training.record_class(
        db,
        SERGEANT,
        {"course": "ICAT", "completed": "2025-03-04", "hours": 8, "topics": "de_escalation"},
        [officer],
    )
    training.edit_training_record(db, SERGEANT, record, {"hours": 6}, reason="typo")
    edited = last_entry(db, "training_records")
    training.delete_training_record(db, SERGEANT, record, reason="duplicate")
    refusal = plan_restore(db, edited).refusal
    assert refusal.startswith(
        f"Training record {record} of Peña, Ana was deleted since by sgt.delgado on "
    )
    assert refusal.endswith("A deleted record is not brought back by restoring: add it again.")
    deleted = last_entry(db, "training_records", "delete")
    assert "A deleted record is not brought back" in plan_restore(db, deleted).refusal

    users.create_first_admin(db, "admin.lee", "correct horse", "Lee")
    users.add_user(db, admin, {"username": "clerk", "role": "viewer"}, "first password")
    users.set_password(db, admin, "clerk", "second password")
    plan = plan_restore(db, last_entry(db, "users"))
    assert plan.refusal.startswith("Nothing to put back: user ")
    assert "the log keeps only a fingerprint of it, never the password" in plan.refusal
    users.set_user_active(db, admin, "clerk", False, reason="left")
    plan = plan_restore(db, last_entry(db, "users"))
    assert "a disabled account stays disabled" in plan.refusal
    users.set_user_role(db, admin, "clerk", "finance")
    role_change = last_entry(db, "users")
    plan = plan_restore(db, role_change)
    assert [(c.field, c.restored) for c in plan.changes] == [("role", "viewer")]
    restore_version(db, admin, plan)
    assert db.execute("SELECT role, active FROM users WHERE username = 'clerk'").fetchone() == (
        "viewer",
        0,
    )
    with pytest.raises(ServiceError, match="Nothing to put back"):
        restore_version(db, admin, plan_restore(db, role_change))


def test_money_is_never_put_back_from_the_log(db: Database, admin: Actor, officer: int) -> None:
    training.record_class(
        db,
        SERGEANT,
        {"course": "ICAT", "completed": "2025-03-04", "hours": 8, "topics": "de_escalation"},
        [officer],
    )
    funding.add_funding_source(
        db,
        FINANCE,
        {
            "name": "City",
            "kind": "local_budget",
            "amount": "10000",
            "start": "2025-01-01",
            "end": "2025-12-31",
        },
    )
    program = bonus.add_program(
        db,
        CHIEF,
        {
            "name": "Bonus",
            "topics": "de_escalation",
            "min_hours": 8,
            "start": "2025-01-01",
            "end": "2025-12-31",
            "funding_source": "City",
        },
    )
    (claim,) = bonus.create_claims(db, SERGEANT, program, [officer])
    claim_workflow.submit_claims(db, SERGEANT, [claim])
    submitted = last_entry(db, "claims")
    assert "moves only through its steps" in plan_restore(db, submitted).refusal
    claim_workflow.approve_claims(db, CHIEF, [claim], now=datetime(2025, 6, 2, 15, tzinfo=UTC))
    claim_workflow.pay_claim(db, FINANCE, claim, paid_on="2025-06-13", reference="CHK-1")
    refusal = plan_restore(db, last_entry(db, "claims")).refusal
    assert refusal.startswith(f"Claim #{claim} is paid: money that has gone out is never put back")
    funding.edit_funding_source(db, FINANCE, 1, {"notes": "FY25"})
    assert "Money is never put back from the log" in (
        plan_restore(db, last_entry(db, "funding_sources")).refusal
    )


def test_a_requirement_goes_back_to_its_earlier_fields(db: Database, admin: Actor) -> None:
    from deesc_desktop.services.requirements import save_requirement

    save_requirement(db, admin, AGENCY_FIREARMS)
    save_requirement(db, admin, {**AGENCY_FIREARMS, "hours": 6.0, "title": "Firearms, 6 hours"})
    plan = plan_restore(db, last_entry(db, "requirements"))
    assert plan.noun == "requirement AGENCY-firearms-annual"
    assert {c.field for c in plan.changes} == {"definition", "title"}
    restore_version(db, admin, plan)
    assert db.execute(
        "SELECT title, json_extract(definition, '$.hours') FROM requirements"
    ).fetchone() == ("Firearms qualification every year", 4.0)
    assert row_differences(db) == []
