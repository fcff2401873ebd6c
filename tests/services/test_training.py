"""Training services: a class for many officers, all or nothing; corrections with reasons."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.errors import ConflictError, ValidationError
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.training import (
    Attendee,
    delete_training_record,
    edit_training_record,
    record_class,
)
from deesc_desktop.store.training import get_record, load_records
from tests.conftest import logged, table_counts

ICAT = {
    "course": "ICAT De-escalation",
    "completed": "2024-05-02",
    "hours": "8",
    "topics": "de_escalation:4;use_of_force:2;crisis_intervention:2",
    "delivery": "scenario",
    "instructor": "Sgt. Delgado",
}


@pytest.fixture
def three(db: Database, admin: Actor) -> list[int]:
    return [
        add_officer(
            db, admin, {"badge": b, "last_name": n, "first_name": "X", "hire_date": "2015-01-01"}
        )
        for b, n in (("1", "Okafor"), ("2", "Kim"), ("3", "Walsh"))
    ]


def test_class_for_three_officers_records_each_with_topic_split(
    db: Database, admin: Actor, three: list[int]
) -> None:
    ids = record_class(
        db, admin, ICAT, [Attendee(three[0], 60, 85), three[1], Attendee(three[2], None, 90)]
    )
    assert len(ids) == 3
    records = load_records(db)
    first = records[three[0]][0]
    assert first.hours == 800
    assert dict(first.topic_hours) == {
        "de_escalation": 400,
        "use_of_force": 200,
        "crisis_intervention": 200,
    }
    assert (first.pre_test, first.post_test, first.delivery) == (60, 85, "scenario")
    assert records[three[2]][0].post_test == 90
    assert db.execute("SELECT count(*) FROM courses").fetchone()[0] == 1


def test_class_is_all_or_nothing_when_one_attendee_already_has_it(
    db: Database, admin: Actor, three: list[int]
) -> None:
    record_class(db, admin, ICAT, [three[1]])
    before = table_counts(db)
    with pytest.raises(ConflictError, match=r"Kim, X \(badge 2\) already has ICAT"):
        record_class(db, admin, ICAT, three)
    assert table_counts(db) == before


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"hours": "-2"}, "hours", "cannot be negative"),
        ({"hours": "abc"}, "hours", "not a number"),
        (
            {"topics": "de_escalation:4;use_of_force:2"},
            "topics",
            "add up to 6.0 but the class is 8.0",
        ),
        ({"topics": "deescalation"}, "topics", "did you mean de_escalation"),
        ({"completed": "2024-02-30"}, "completed", "is not a date"),
        ({"delivery": "zoom"}, "delivery", "not one of classroom, online, scenario"),
        (
            {"course": "ICAT\u202e De-escalation"},
            "course",
            "the course title contains an invisible or direction-changing character (U+202E",
        ),
        ({"course": "ICAT\u200dDe-escalation"}, "course", "(U+200D zero width joiner)"),
        ({"course": "ICAT\nDe-escalation"}, "course", "contains a control character (U+000A)"),
        ({"course": "I" * 201}, "course", "is 201 characters long; at most 200 are allowed"),
    ],
)
def test_bad_class_fields_are_refused_by_field(
    db: Database, admin: Actor, three: list[int], change: dict[str, str], field: str, reason: str
) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        record_class(db, admin, {**ICAT, **change}, three)
    assert reason in caught.value.field_errors[field]
    assert table_counts(db) == before


def test_correction_needs_a_reason_and_is_audited_before_and_after(
    db: Database, admin: Actor, three: list[int]
) -> None:
    (record_id,) = record_class(db, admin, ICAT, [three[0]])
    with pytest.raises(ValidationError, match="say why"):
        edit_training_record(db, admin, record_id, {"hours": "6"}, reason=" ")
    assert edit_training_record(
        db,
        admin,
        record_id,
        {"hours": "6", "topics": "de_escalation:4;use_of_force:2"},
        reason="sign-in sheet said 6 hours",
    )
    record = get_record(db, record_id)
    assert record is not None and record.hours == 600
    (entry,) = logged(db, "action = 'update' AND table_name = 'training_records'")
    before, after = json.loads(entry["before"]), json.loads(entry["after"])
    assert before["hours"] == 8.0 and after["hours"] == 6.0
    assert "crisis_intervention" in before["topics"]
    assert entry["reason"] == "sign-in sheet said 6 hours"


def test_delete_keeps_the_record_in_the_audit_log(
    db: Database, admin: Actor, three: list[int]
) -> None:
    (record_id,) = record_class(db, admin, ICAT, [three[0]])
    delete_training_record(db, admin, record_id, reason="entered for the wrong officer")
    assert get_record(db, record_id) is None
    assert db.execute("SELECT count(*) FROM training_topics").fetchone()[0] == 0
    (entry,) = logged(db, "action = 'delete'")
    assert json.loads(entry["before"])["instructor"] == "Sgt. Delgado"
    assert entry["reason"] == "entered for the wrong officer"
