"""Bonus programs and claims: eligibility, one claim per officer, the workflow, money totals."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.money import format_money
from deesc_desktop.demo import load_demo
from deesc_desktop.services.bonus import (
    add_program,
    create_claim,
    create_claims,
    edit_program,
    find_eligible,
    set_default_amount,
)
from deesc_desktop.services.claim_workflow import (
    add_adjustment,
    approve_adjustment,
    approve_claim,
    approve_claims,
    deny_claim,
    pay_claim,
    reject_adjustment,
    submit_claim,
    submit_claims,
    void_claim,
)
from deesc_desktop.services.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from deesc_desktop.services.funding import (
    add_funding_source,
    create_payment_batch,
    pay_batch,
)
from deesc_desktop.services.officers import add_officer, separate_officer, set_officer_status
from deesc_desktop.services.training import Attendee, edit_training_record, record_class
from deesc_desktop.store.claims import (
    claim_evidence,
    get_claim,
    list_adjustments,
    list_claims,
    load_program,
)
from deesc_desktop.store.database import open_database
from deesc_desktop.store.funding import funding_summary
from tests.conftest import table_counts

CHIEF = Actor("chief.ortiz", Role.CHIEF)
FINANCE = Actor("fin.lee", Role.FINANCE)
SERGEANT = Actor("sgt.delgado", Role.TRAINING_OFFICER)

DECIDED = datetime(2025, 12, 2, 9, 0, tzinfo=UTC)
"""When the chief approves claims in these tests: before the December payroll pays them."""

COPS = {
    "name": "COPS FY25",
    "kind": "cops_deescalation",
    "award_number": "15JCOPS-25-GG-01234",
    "amount": "$250,000.00",
    "start": "2024-10-01",
    "end": "2026-09-30",
}
PROGRAM = {
    "name": "De-escalation bonus 2025",
    "topics": ["de_escalation"],
    "min_hours": "8",
    "passing_score": 70,
    "start": "2025-01-01",
    "end": "2025-12-31",
    "funding_source": "COPS FY25",
}


def ofc(db: Database, admin: Actor, badge: str, last: str, first: str = "X") -> int:
    return add_officer(
        db,
        admin,
        {"badge": badge, "last_name": last, "first_name": first, "hire_date": "2015-01-01"},
    )


def train(
    db: Database, admin: Actor, attendees: list[Attendee | int], day: str, split: str
) -> list[int]:
    hours = sum(float(part.split(":")[1]) for part in split.split(";"))
    return record_class(
        db,
        admin,
        {"course": "ICAT De-escalation", "completed": day, "hours": hours, "topics": split},
        attendees,
    )


@pytest.fixture
def world(db: Database, admin: Actor) -> dict[str, int]:
    """A funded program and five officers, one of each eligibility case."""
    ids = {
        "ana": ofc(db, admin, "0101", "Peña", "Ana"),  # exactly 8.0 h, passed
        "kim": ofc(db, admin, "0102", "Kim", "Daniel"),  # 6.0 h only
        "walsh": ofc(db, admin, "0103", "Walsh", "Brendan"),  # 8.0 h, failed post-test
        "early": ofc(db, admin, "0104", "Okafor", "Chidi"),  # trained the day before the start
        "gone": ofc(db, admin, "0105", "Díaz", "Renée"),  # trained, then separated
    }
    train(
        db,
        admin,
        [
            Attendee(ids["ana"], 60, 85),
            Attendee(ids["walsh"], 50, 68),
            Attendee(ids["gone"], 70, 90),
        ],
        "2025-03-04",
        "de_escalation:8",
    )
    train(db, admin, [Attendee(ids["kim"], 60, 80)], "2025-03-05", "de_escalation:6;use_of_force:2")
    train(db, admin, [Attendee(ids["early"], 60, 95)], "2024-12-31", "de_escalation:8")
    separate_officer(db, admin, ids["gone"], "2025-06-01")
    ids["funding"] = add_funding_source(db, admin, COPS)
    ids["program"] = add_program(db, admin, PROGRAM)
    return ids


def test_find_eligible_says_why_and_what_is_lacking(db: Database, world: dict[str, int]) -> None:
    rows = {r.officer.id: r for r in find_eligible(db, world["program"])}
    assert [r.officer.display_name for r in rows.values() if r.claimable] == ["Peña, Ana"]
    assert rows[world["ana"]].eligibility.hours == 800
    assert "8.0 of 8.0 h of de-escalation" in rows[world["ana"]].explanation
    expected = {
        "kim": "6.0 of 8.0 h of de-escalation between 2025-01-01 and 2025-12-31",
        "walsh": "post-test 68 below the passing 70",
        "early": "0.0 of 8.0 h of de-escalation between 2025-01-01 and 2025-12-31",
        "gone": "separated 2025-06-01",
    }
    for key, text in expected.items():
        assert rows[world[key]].explanation == text


def test_a_claim_freezes_amount_funding_and_the_training_behind_it(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    edit_program(db, admin, world["program"], {"amount": "$5,000"})
    claim = get_claim(db, claim_id)
    assert claim is not None
    assert (claim.amount, claim.status, claim.created_by) == (380_000, "draft", "sgt.delgado")
    assert claim.qualifying_hours == 8.0
    (evidence,) = claim_evidence(db, claim_id)
    assert (evidence.course, evidence.completed, evidence.counted_hours) == (
        "ICAT De-escalation",
        "2025-03-04",
        8.0,
    )
    program = load_program(db, world["program"])
    assert program is not None and program.amount == 500_000
    with pytest.raises(sqlite3.IntegrityError, match="keeps the amount it was made for"):
        db.execute("UPDATE claims SET amount_cents = 1 WHERE id = ?", [claim_id])


@pytest.mark.parametrize("key", ["kim", "walsh", "early", "gone"])
def test_an_officer_who_does_not_qualify_is_refused_with_what_they_lack(
    db: Database, world: dict[str, int], key: str
) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError, match="does not qualify for De-escalation bonus 2025: "):
        create_claim(db, SERGEANT, world["program"], world[key])
    assert table_counts(db) == before


def test_claims_for_many_officers_are_all_or_nothing(db: Database, world: dict[str, int]) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError, match=r"Kim, Daniel does not qualify .*6\.0 of 8\.0 h"):
        create_claims(db, SERGEANT, world["program"], [world["ana"], world["kim"]])
    assert table_counts(db) == before


def test_a_second_claim_in_a_one_time_program_is_refused_by_the_service(
    db: Database, world: dict[str, int]
) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    submit_claim(db, SERGEANT, claim_id)
    approve_claim(db, CHIEF, claim_id)
    before = table_counts(db)
    with pytest.raises(
        ConflictError,
        match=rf"^Peña, Ana already has claim #{claim_id} \(approved\) in this program",
    ):
        create_claim(db, SERGEANT, world["program"], world["ana"])
    assert table_counts(db) == before
    rows = {r.officer.id: r for r in find_eligible(db, world["program"])}
    assert rows[world["ana"]].explanation == f"already has claim #{claim_id} (approved)"
    void_claim(db, CHIEF, claim_id, reason="wrong program year")
    assert create_claim(db, SERGEANT, world["program"], world["ana"]) > claim_id


def test_a_second_claim_is_refused_by_the_database_when_the_service_is_bypassed(
    db: Database, world: dict[str, int]
) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    raw = (
        "INSERT INTO claims (program_id, officer_id, one_time, amount_cents, funding_source_id,"
        " status, qualifying_hours, created_by, created_at, updated_at, updated_by)"
        " VALUES (?, ?, 1, 380000, ?, ?, 8, 'x', 't', 't', 'x')"
    )
    before = table_counts(db)
    with pytest.raises(
        sqlite3.IntegrityError, match=r"UNIQUE constraint failed: claims\.program_id"
    ):
        db.execute(raw, [world["program"], world["ana"], world["funding"], "draft"])
    assert table_counts(db) == before
    void_claim(db, SERGEANT, claim_id, reason="test")
    db.execute(raw, [world["program"], world["ana"], world["funding"], "draft"])  # now allowed


def test_a_repeatable_program_pays_again_only_for_new_training(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    program_id = add_program(
        db, admin, {**PROGRAM, "name": "Quarterly refresher bonus", "one_time": "no"}
    )
    create_claim(db, SERGEANT, program_id, world["ana"])
    before = table_counts(db)
    with pytest.raises(ValidationError, match=r"0\.0 of 8\.0 h"):
        create_claim(db, SERGEANT, program_id, world["ana"])
    assert table_counts(db) == before
    train(db, admin, [Attendee(world["ana"], 70, 90)], "2025-09-09", "de_escalation:8")
    second = create_claim(db, SERGEANT, program_id, world["ana"])
    assert [e.completed for e in claim_evidence(db, second)] == ["2025-09-09"]
    before = table_counts(db)
    with pytest.raises(ValidationError, match="cannot change: the program already has 2 claim"):
        edit_program(db, admin, program_id, {"one_time": True})
    assert table_counts(db) == before


# --- the workflow, state by state ----------------------------------------------------------------

OTHER = Actor("other.admin", Role.ADMIN)


def _claim_in(db: Database, world: dict[str, int], status: str) -> int:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    if status == "voided":
        void_claim(db, SERGEANT, claim_id, reason="made in error")
    if status in ("submitted", "approved", "paid", "denied"):
        submit_claim(db, SERGEANT, claim_id)
    if status == "denied":
        deny_claim(db, CHIEF, claim_id, reason="training not verified")
    if status in ("approved", "paid"):
        approve_claim(db, CHIEF, claim_id, now=DECIDED)
    if status == "paid":
        pay_claim(db, FINANCE, claim_id, paid_on="2025-12-19", reference="PAYROLL-2025-12-19")
    return claim_id


ACTIONS: dict[str, Callable[[Database, int], object]] = {
    "submit": lambda db, c: submit_claim(db, OTHER, c),
    "approve": lambda db, c: approve_claim(db, OTHER, c),
    "deny": lambda db, c: deny_claim(db, OTHER, c, reason="no sign-in sheet"),
    "void": lambda db, c: void_claim(db, OTHER, c, reason="duplicate"),
    "pay": lambda db, c: pay_claim(db, OTHER, c, paid_on="2025-12-20", reference="CHK-5521"),
}
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("draft", "void"): "voided",
    ("submitted", "approve"): "approved",
    ("submitted", "deny"): "denied",
    ("submitted", "void"): "voided",
    ("approved", "pay"): "paid",
    ("approved", "void"): "voided",
}
WHO = {
    "submitted": "submitted_by",
    "approved": "approved_by",
    "denied": "denied_by",
    "voided": "voided_by",
    "paid": "paid_by",
}


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "paid", "denied", "voided"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_is_allowed_or_refused(
    db: Database, world: dict[str, int], status: str, action: str
) -> None:
    claim_id = _claim_in(db, world, status)
    assert db.execute("SELECT status FROM claims WHERE id = ?", [claim_id]).fetchone()[0] == status
    target = ALLOWED.get((status, action))
    if target is None:
        before = table_counts(db)
        with pytest.raises(ConflictError, match=rf"^Claim #{claim_id} is {status}; only an? "):
            ACTIONS[action](db, claim_id)
        assert table_counts(db) == before
        return
    audit_before = table_counts(db)["audit_log"]
    ACTIONS[action](db, claim_id)
    row = db.execute(
        f"SELECT status, {WHO[target]}, {WHO[target].replace('_by', '_at')} FROM claims"
        " WHERE id = ?",
        [claim_id],
    ).fetchone()
    assert row[0] == target and row[1] == "other.admin" and row[2]
    entry = db.execute(
        "SELECT username, table_name, row_id FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert entry == ("other.admin", "claims", str(claim_id))
    assert table_counts(db)["audit_log"] == audit_before + 1


def test_deny_and_void_need_a_reason(db: Database, world: dict[str, int]) -> None:
    claim_id = _claim_in(db, world, "submitted")
    before = table_counts(db)
    with pytest.raises(ValidationError, match="say why the claim is being denied"):
        deny_claim(db, CHIEF, claim_id, reason="  ")
    with pytest.raises(ValidationError, match="say why the claim is being voided"):
        void_claim(db, CHIEF, claim_id, reason="")
    assert table_counts(db) == before


def test_the_submitter_may_not_approve_or_deny_their_own_claim(
    db: Database, world: dict[str, int]
) -> None:
    both = Actor("lt.harmon", Role.ADMIN)  # an administrator may both submit and approve...
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    submit_claim(db, both, claim_id)
    before = table_counts(db)
    for decide in (
        lambda: approve_claim(db, both, claim_id),
        lambda: deny_claim(db, both, claim_id, reason="mine"),
    ):
        with pytest.raises(
            PermissionDeniedError, match=rf"lt\.harmon submitted claim #{claim_id} and may not"
        ):
            decide()
    assert table_counts(db) == before
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        db.execute(
            "UPDATE claims SET status = 'approved', approved_at = 't', approved_by = 'lt.harmon'"
            " WHERE id = ?",
            [claim_id],
        )
    approve_claim(db, CHIEF, claim_id)  # ...but not the same claim


def test_approving_beyond_the_funding_is_refused_with_the_figures(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    big = add_program(db, admin, {**PROGRAM, "name": "Instructor stipend", "amount": "$248,000.00"})
    first = create_claim(db, SERGEANT, big, world["ana"])
    submit_claim(db, SERGEANT, first)
    approve_claim(db, CHIEF, first)
    second = create_claim(db, SERGEANT, world["program"], world["ana"])
    submit_claim(db, SERGEANT, second)
    before = table_counts(db)
    with pytest.raises(ConflictError) as caught:
        approve_claim(db, CHIEF, second)
    assert str(caught.value) == (
        "Approving $3,800.00 would overdraw COPS FY25 ($250,000.00 awarded, "
        "$248,000.00 committed or paid, $2,000.00 left)."
    )
    assert table_counts(db) == before
    assert get_claim(db, second).status == "submitted"  # type: ignore[union-attr]


def test_funding_totals_follow_the_claims_exactly(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    submit_claim(db, SERGEANT, claim_id)
    source = funding_summary(db, world["funding"])
    assert source is not None and (source.pending, source.committed, source.paid) == (380_000, 0, 0)
    approve_claim(db, CHIEF, claim_id, now=DECIDED)
    source = funding_summary(db, world["funding"])
    assert source is not None and (source.committed, source.balance) == (380_000, 24_620_000)
    pay_claim(db, FINANCE, claim_id, paid_on="2025-12-19", reference="CHK-1001")
    add_adjustment(db, FINANCE, claim_id, {"amount": "-$0.01", "reason": "rounding recovered"})
    source = funding_summary(db, world["funding"])
    assert source is not None and (source.committed, source.paid) == (0, 379_999)
    assert source.balance == 25_000_000 - 379_999


def test_a_paid_claim_is_never_changed_only_adjusted(db: Database, world: dict[str, int]) -> None:
    claim_id = _claim_in(db, world, "paid")
    untouched = table_counts(db)
    for sql in (
        "UPDATE claims SET payment_reference = 'other' WHERE id = ?",
        "DELETE FROM claims WHERE id = ?",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="never"):
            db.execute(sql, [claim_id])
    assert table_counts(db) == untouched
    assert get_claim(db, claim_id).payment_reference == "PAYROLL-2025-12-19"  # type: ignore[union-attr]
    adjustment = add_adjustment(
        db, FINANCE, claim_id, {"amount": "200", "reason": "retro rate", "reference": "CHK-77"}
    )
    # An addition waits for a chief: until then the claim and its funding stand as paid.
    claim = get_claim(db, claim_id)
    assert claim is not None
    assert (claim.amount, claim.adjustments, claim.pending_adjustments, claim.net) == (
        380_000,
        0,
        20_000,
        380_000,
    )
    approve_adjustment(db, CHIEF, adjustment)
    claim = get_claim(db, claim_id)
    assert claim is not None and (claim.amount, claim.adjustments, claim.net) == (
        380_000,
        20_000,
        400_000,
    )
    row = db.execute(
        "SELECT amount_cents, reason, created_by, status, decided_by FROM claim_adjustments"
        " WHERE id = ?",
        [adjustment],
    ).fetchone()
    assert row == (20_000, "retro rate", "fin.lee", "counted", "chief.ortiz")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        db.execute("UPDATE claim_adjustments SET amount_cents = 1")
    before = table_counts(db)
    with pytest.raises(ValidationError, match=r"-\$4,000\.01 would take claim #\d+ below \$0\.00"):
        add_adjustment(db, FINANCE, claim_id, {"amount": "-4000.01", "reason": "recover"})
    with pytest.raises(ValidationError, match="reason: is required"):
        add_adjustment(db, FINANCE, claim_id, {"amount": "-5"})
    assert table_counts(db) == before


def test_only_a_paid_claim_is_adjusted(db: Database, world: dict[str, int]) -> None:
    claim_id = _claim_in(db, world, "approved")
    before = table_counts(db)
    with pytest.raises(ConflictError, match=rf"Claim #{claim_id} is approved; only a paid claim"):
        add_adjustment(db, FINANCE, claim_id, {"amount": "5", "reason": "x"})
    with pytest.raises(sqlite3.IntegrityError, match="only a paid claim is adjusted"):
        db.execute(
            "INSERT INTO claim_adjustments (claim_id, amount_cents, adjusted_on, reason,"
            " created_at, created_by, status)"
            " VALUES (?, 5, '2025-01-01', 'x', 't', 'x', 'pending')",
            [claim_id],
        )
    assert table_counts(db) == before


def test_changed_training_stops_a_claim_from_going_forward(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    (evidence,) = claim_evidence(db, claim_id)
    edit_training_record(db, admin, evidence.record_id, {"hours": 6}, reason="sign-in sheet")
    before = table_counts(db)
    with pytest.raises(ConflictError, match=rf"#{evidence.record_id} behind claim #{claim_id} was"):
        submit_claim(db, SERGEANT, claim_id)
    assert table_counts(db) == before


def test_a_claim_for_an_officer_who_separated_since_cannot_be_submitted(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    separate_officer(db, admin, world["ana"], "2025-11-30")
    before = table_counts(db)
    with pytest.raises(ConflictError, match="Peña, Ana separated on 2025-11-30"):
        submit_claim(db, SERGEANT, claim_id)
    assert table_counts(db) == before
    # Reinstated (the separation entered in error), then on leave.
    set_officer_status(db, admin, world["ana"], "leave", reason="separation entered in error")
    submit_claim(db, SERGEANT, claim_id)


def test_voiding_an_approved_claim_takes_someone_who_approves(
    db: Database, world: dict[str, int]
) -> None:
    claim_id = _claim_in(db, world, "approved")
    before = table_counts(db)
    with pytest.raises(PermissionDeniedError, match=r"sgt\.delgado .* may not approve, deny"):
        void_claim(db, SERGEANT, claim_id, reason="mistake")
    assert table_counts(db) == before
    void_claim(db, CHIEF, claim_id, reason="mistake")


# --- programs ---------------------------------------------------------------------------------


def test_program_amount_defaults_to_the_agency_setting(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    program = load_program(db, world["program"])
    assert program is not None and program.amount == 380_000
    assert set_default_amount(db, CHIEF, "$4,250.50") == 425_050
    other = add_program(db, CHIEF, {**PROGRAM, "name": "Bonus 2026"})
    program = load_program(db, other)
    assert program is not None and program.amount == 425_050


def test_program_refusals_name_each_field(
    db: Database, admin: Actor, world: dict[str, int]
) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        add_program(
            db,
            admin,
            {
                "name": "De-escalation BONUS 2025",
                "amount": "3800.001",
                "topics": "de_escalaton",
                "courses": "ICAT Deescalation",
                "min_hours": "0",
                "passing_score": "170",
                "start": "2025-12-31",
                "end": "2025-01-01",
                "funding_source": "Byrne",
            },
        )
    errors = caught.value.field_errors
    assert errors["amount"] == '"3800.001" has a fraction of a cent'
    assert errors["topics"] == 'unknown topic "de_escalaton" (did you mean de_escalation?)'
    assert errors["courses"] == (
        'no course is titled or numbered "ICAT Deescalation" (did you mean "ICAT De-escalation"?)'
    )
    assert errors["min_hours"] == "must be more than 0"
    assert errors["passing_score"] == "must be between 0 and 100"
    assert errors["end"] == "2025-01-01 is before the start 2025-12-31"
    assert errors["funding_source"] == 'there is no funding source "Byrne"'
    with pytest.raises(ValidationError, match="name the topics or the courses"):
        add_program(db, admin, {**PROGRAM, "name": "Empty", "topics": []})
    with pytest.raises(ValidationError, match='already a program named "De-escalation BONUS'):
        add_program(db, admin, {**PROGRAM, "name": "De-escalation BONUS 2025"})
    assert table_counts(db) == before


# --- a big department ------------------------------------------------------------------------


def _bulk_officers(db: Database, count: int) -> list[int]:
    """`count` officers who each completed 8 h of de-escalation in 2025 with a passing score."""
    stamp = ("2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "setup")
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO officers (badge, last_name, first_name, hire_date, unit, shift,"
            " created_at, updated_at, updated_by) VALUES (?, ?, ?, '2015-01-01', 'Patrol', ?,"
            " ?, ?, ?)",
            [(f"B{i:05d}", f"Last{i:05d}", "First", "Days", *stamp) for i in range(count)],
        )
        course = db.execute(
            "INSERT INTO courses (title, created_at) VALUES ('LAPD De-escalation', 't')"
        ).lastrowid
        db.execute(
            "INSERT INTO training_records (officer_id, course_id, completed, hours, post_test,"
            " created_at, updated_at, updated_by) SELECT id, ?, '2025-05-05', 8, 90, ?, ?, ?"
            " FROM officers WHERE badge LIKE 'B%'",
            [course, *stamp],
        )
        db.execute(
            "INSERT INTO training_topics (record_id, topic, hours) SELECT r.id, 'de_escalation', 8"
            " FROM training_records r JOIN courses c ON c.id = r.course_id"
            " WHERE c.title = 'LAPD De-escalation'"
        )
    return [row[0] for row in db.execute("SELECT id FROM officers WHERE badge LIKE 'B%'")]


def test_1500_officers_claimed_approved_and_paid_total_exactly_5_7_million(
    db: Database, admin: Actor
) -> None:
    officer_ids = _bulk_officers(db, 1_500)
    add_funding_source(
        db, admin, {**COPS, "name": "City bonus fund", "kind": "local_budget", "amount": "5700000"}
    )
    program_id = add_program(db, admin, {**PROGRAM, "funding_source": "City bonus fund"})
    eligible = [r.officer.id for r in find_eligible(db, program_id) if r.claimable]
    assert sorted(eligible) == sorted(officer_ids)
    claim_ids = create_claims(db, SERGEANT, program_id, eligible)
    assert submit_claims(db, SERGEANT, claim_ids) == 1_500
    assert approve_claims(db, CHIEF, claim_ids, now=DECIDED) == 1_500
    batch = create_payment_batch(db, FINANCE, {"reference": "LA-2025-12", "pay_date": "2025-12-19"})
    assert pay_batch(db, FINANCE, batch) == 1_500
    paid = list_claims(db, status="paid")
    total = sum(c.net for c in paid)
    assert (len(paid), total, format_money(total)) == (1_500, 570_000_000, "$5,700,000.00")
    source = funding_summary(db, paid[0].funding_source_id)
    assert source is not None and (source.paid, source.balance) == (570_000_000, 0)
    summed = db.execute(
        "SELECT sum(amount_cents), typeof(sum(amount_cents)) FROM claims"
    ).fetchone()
    assert summed == (570_000_000, "integer")


# --- separation of duties and pay dates (issue 15.5) -----------------------------------------

ADMIN_TWO = Actor("lt.harmon", Role.ADMIN)


def test_whoever_drafted_a_claim_may_not_approve_or_deny_it(
    db: Database, world: dict[str, int]
) -> None:
    claim_id = create_claim(db, ADMIN_TWO, world["program"], world["ana"])
    submit_claim(db, SERGEANT, claim_id)
    before = table_counts(db)
    for decide in (
        lambda: approve_claim(db, ADMIN_TWO, claim_id),
        lambda: deny_claim(db, ADMIN_TWO, claim_id, reason="mine"),
    ):
        with pytest.raises(PermissionDeniedError) as caught:
            decide()
        assert str(caught.value).startswith(
            f"lt.harmon drafted claim #{claim_id} and may not "
        ) and "the person who prepares a claim and the person who decides it must be" in str(
            caught.value
        )
    assert table_counts(db) == before
    with pytest.raises(sqlite3.IntegrityError, match="whoever drafted a claim may not approve"):
        db.execute(
            "UPDATE claims SET status = 'approved', approved_at = 't', approved_by = 'lt.harmon'"
            " WHERE id = ?",
            [claim_id],
        )
    approve_claim(db, CHIEF, claim_id)


def test_whoever_approved_a_claim_may_not_pay_it(db: Database, world: dict[str, int]) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    submit_claim(db, SERGEANT, claim_id)
    approve_claim(db, ADMIN_TWO, claim_id, now=DECIDED)
    with pytest.raises(
        PermissionDeniedError,
        match=rf"^lt\.harmon approved claim #{claim_id} and may not record its payment: the "
        "person who approves a claim and the person who pays it must be different",
    ):
        pay_claim(db, ADMIN_TWO, claim_id, paid_on="2025-12-19", reference="CHK-1")
    batch = create_payment_batch(
        db, ADMIN_TWO, {"reference": "PR-1", "pay_date": "2025-12-19"}, [claim_id]
    )
    with pytest.raises(PermissionDeniedError, match=r"lt\.harmon approved claim"):
        pay_batch(db, ADMIN_TWO, batch)
    assert get_claim(db, claim_id).status == "approved"  # type: ignore[union-attr]
    with pytest.raises(sqlite3.IntegrityError, match="whoever approved a claim may not record"):
        db.execute(
            "UPDATE claims SET status = 'paid', paid_at = 't', paid_by = 'lt.harmon',"
            " paid_on = '2025-12-19', payment_reference = 'x', batch_id = NULL WHERE id = ?",
            [claim_id],
        )
    assert pay_batch(db, FINANCE, batch) == 1


LATER = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
"""A clock after every date below, so only the rule under test can refuse."""


@pytest.mark.parametrize(
    ("approved", "paid_on", "today_is", "message", "raw_day"),
    [
        (
            DECIDED,
            "2025-12-01",
            LATER,
            "cannot be paid on 2025-12-01: it was approved on 2025-12-02, and a claim is paid "
            "on or after the day it is approved.",
            # The file allows for every time zone, so only a day clear of all of them fails.
            "2025-11-30",
        ),
        (
            datetime(2024, 12, 10, tzinfo=UTC),
            "2024-12-20",
            LATER,
            "cannot be paid on 2024-12-20: that is before the program De-escalation bonus 2025 "
            "started (2025-01-01).",
            "2024-12-20",
        ),
        (
            DECIDED,
            "2026-10-01",
            LATER,
            "cannot be paid on 2026-10-01: COPS FY25 pays only from 2024-10-01 to 2026-09-30. "
            "If the award allows a later payment, ask the chief to approve a change to its end "
            "date.",
            "2026-10-01",
        ),
        (
            DECIDED,
            "2025-12-20",
            datetime(2025, 12, 19, 17, 0, tzinfo=UTC),
            "2025-12-20 is in the future (today is 2025-12-19); record a payment once it has "
            "been made.",
            "2099-01-01",
        ),
    ],
    ids=["before approval", "before the program", "after the funding", "in the future"],
)
def test_a_pay_date_is_refused_with_the_rule_it_breaks(
    db: Database,
    world: dict[str, int],
    approved: datetime,
    paid_on: str,
    today_is: datetime,
    message: str,
    raw_day: str,
) -> None:
    claim_id = create_claim(db, SERGEANT, world["program"], world["ana"])
    submit_claim(db, SERGEANT, claim_id)
    approve_claim(db, CHIEF, claim_id, now=approved)
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        pay_claim(db, FINANCE, claim_id, paid_on=paid_on, reference="CHK-1", now=today_is)
    assert str(caught.value).endswith(message)
    assert caught.value.field_errors == {"paid_on": str(caught.value)}
    batch = {"reference": "PR-1", "pay_date": paid_on}
    if "future" in message:
        # A payroll run may be planned ahead, but is not paid before its day.
        batch_id = create_payment_batch(db, FINANCE, batch, [claim_id])
        with pytest.raises(ValidationError, match=re.escape(message)):
            pay_batch(db, FINANCE, batch_id, now=today_is)
    else:
        with pytest.raises(ValidationError, match=re.escape(message)):
            create_payment_batch(db, FINANCE, batch, [claim_id])
        assert table_counts(db) == before
    assert get_claim(db, claim_id).status == "approved"  # type: ignore[union-attr]
    # The file refuses it too, when someone bypasses the app.
    with pytest.raises(sqlite3.IntegrityError, match="a pay date may not be before approval"):
        db.execute(
            "UPDATE claims SET status = 'paid', paid_at = 't', paid_by = 'x', paid_on = ?,"
            " payment_reference = 'x', batch_id = NULL WHERE id = ?",
            [raw_day, claim_id],
        )


def test_an_addition_to_a_paid_claim_counts_only_once_a_chief_approves_it(
    db: Database, world: dict[str, int]
) -> None:
    claim_id = _claim_in(db, world, "paid")
    paid_before = funding_summary(db, world["funding"]).paid  # type: ignore[union-attr]
    addition = add_adjustment(db, FINANCE, claim_id, {"amount": "150", "reason": "retro rate"})
    assert funding_summary(db, world["funding"]).paid == paid_before  # type: ignore[union-attr]
    before = table_counts(db)
    with pytest.raises(
        PermissionDeniedError,
        match=r"^fin\.lee \(Finance\) may not approve, deny",
    ):
        approve_adjustment(db, FINANCE, addition)
    both = Actor("fin.lee", Role.ADMIN)  # even an administrator may not approve their own
    with pytest.raises(PermissionDeniedError, match=rf"fin\.lee entered adjustment #{addition}"):
        approve_adjustment(db, both, addition)
    assert table_counts(db) == before
    approve_adjustment(db, CHIEF, addition)
    assert funding_summary(db, world["funding"]).paid == paid_before + 15_000  # type: ignore[union-attr]
    with pytest.raises(ConflictError, match=rf"Adjustment #{addition} is counted"):
        reject_adjustment(db, CHIEF, addition, reason="too late")
    refused = add_adjustment(db, FINANCE, claim_id, {"amount": "99", "reason": "mileage"})
    with pytest.raises(ValidationError, match="say why"):
        reject_adjustment(db, CHIEF, refused, reason=" ")
    reject_adjustment(db, CHIEF, refused, reason="not part of the bonus")
    claim = get_claim(db, claim_id)
    assert claim is not None and (claim.adjustments, claim.pending_adjustments) == (15_000, 0)
    # Recovered money counts at once; the file refuses an addition that does not wait.
    add_adjustment(db, FINANCE, claim_id, {"amount": "-50", "reason": "recovered"})
    assert get_claim(db, claim_id).net == 380_000 + 15_000 - 5_000  # type: ignore[union-attr]
    with pytest.raises(sqlite3.IntegrityError, match="a positive adjustment counts only once"):
        db.execute(
            "INSERT INTO claim_adjustments (claim_id, amount_cents, adjusted_on, reason,"
            " created_at, created_by) VALUES (?, 500, '2025-12-30', 'x', 't', 'fin.lee')",
            [claim_id],
        )
    pending = add_adjustment(db, FINANCE, claim_id, {"amount": "10", "reason": "x"})
    with pytest.raises(sqlite3.IntegrityError, match="whoever entered an adjustment may not"):
        db.execute(
            "UPDATE claim_adjustments SET status = 'counted', decided_at = 't',"
            " decided_by = 'fin.lee' WHERE id = ?",
            [pending],
        )


def test_an_adjustment_is_dated_after_the_payment_and_not_in_the_future(
    db: Database, world: dict[str, int]
) -> None:
    claim_id = _claim_in(db, world, "paid")  # paid 2025-12-19
    before = table_counts(db)
    with pytest.raises(ValidationError, match=r"is before claim #\d+ was paid \(2025-12-19\)"):
        add_adjustment(
            db, FINANCE, claim_id, {"amount": "-5", "reason": "x", "adjusted_on": "2025-12-18"}
        )
    with pytest.raises(ValidationError, match="2026-01-02 is in the future"):
        add_adjustment(
            db,
            FINANCE,
            claim_id,
            {"amount": "-5", "reason": "x", "adjusted_on": "2026-01-02"},
            now=datetime(2026, 1, 1, 12, tzinfo=UTC),
        )
    assert table_counts(db) == before


def test_the_demo_drafts_approves_and_pays_by_different_people_on_valid_days(
    db_path: Path,
) -> None:
    demo = open_database(db_path.with_name("demo.db"))
    try:
        load_demo(demo, today=date(2026, 11, 22))
        paid = list_claims(demo, status="paid")
        assert paid
        for claim in paid:
            assert len({claim.created_by, claim.approved_by, claim.paid_by}) == 3
            assert claim.approved_at is not None and claim.paid_on is not None
            assert claim.approved_at[:10] <= claim.paid_on <= "2026-11-22"
        statuses = {a.status for a in list_adjustments(demo)}
        assert statuses == {"counted", "pending"}
    finally:
        demo.close()
