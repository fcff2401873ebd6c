"""Fuzz the services' add and edit functions: whatever a form, a command line or a file gives
them, they save the record or refuse it with a ServiceError; nothing else escapes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.demo import DEMO_ACTOR, load_demo
from deesc_desktop.services import (
    agency,
    bonus,
    cit,
    claim_workflow,
    classes,
    followups,
    funding,
    incidents,
    instructors,
    leave,
    officers,
    requirements,
    training,
    users,
)
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.store.database import open_database

EXAMPLES = int(os.environ.get("DEESC_FUZZ_EXAMPLES", "300"))

pytestmark = pytest.mark.slow

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Examples are replayed from the printed failure, not from a database in the repository.
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

AddFunction = Callable[[Database, dict[str, Any]], object]
FORMS: dict[str, tuple[AddFunction, list[str]]] = {
    "officer": (
        lambda db, v: officers.add_officer(db, DEMO_ACTOR, v),
        [
            "badge",
            "last_name",
            "first_name",
            "rank",
            "unit",
            "shift",
            "hire_date",
            "license_date",
            "state_id",
            "email",
            "status",
        ],
    ),
    "class": (
        lambda db, v: training.record_class(db, DEMO_ACTOR, v, [training.Attendee(1, None, None)]),
        [
            "course",
            "completed",
            "hours",
            "topics",
            "delivery",
            "instructor",
            "provider",
            "course_number",
            "instructor_id",
        ],
    ),
    "exemption": (
        lambda db, v: leave.add_exemption(db, DEMO_ACTOR, 1, v),
        ["start", "end", "reason", "requirements", "reference"],
    ),
    "funding source": (
        lambda db, v: funding.add_funding_source(db, DEMO_ACTOR, v),
        ["name", "kind", "amount", "award_number", "start", "end", "notes"],
    ),
    "bonus program": (
        lambda db, v: bonus.add_program(db, DEMO_ACTOR, v),
        [
            "name",
            "amount",
            "min_hours",
            "topics",
            "courses",
            "start",
            "end",
            "funding_source",
            "passing_score",
            "notes",
            "one_time",
        ],
    ),
    "incident": (
        lambda db, v: incidents.add_incident(db, DEMO_ACTOR, v),
        [
            "reference",
            "occurred_on",
            "incident_type",
            "deescalation_used",
            "force_type",
            "officers_injured",
            "subject_age",
            "officers",
            "notes",
        ],
    ),
    "requirement": (
        lambda db, v: requirements.save_requirement(db, DEMO_ACTOR, v),
        [
            "id",
            "title",
            "kind",
            "hours",
            "period",
            "topics",
            "courses",
            "sub_minimums",
            "effective_from",
            "new_hire",
            "delivery",
            "due_within_months",
        ],
    ),
    "user": (
        lambda db, v: users.add_user(db, DEMO_ACTOR, v, "a long enough password"),
        ["username", "role", "full_name"],
    ),
    "certificate": (
        lambda db, v: cit.add_certification(db, DEMO_ACTOR, 1, v),
        ["kind", "earned", "expires", "number", "issuer", "notes"],
    ),
    "instructor": (
        lambda db, v: instructors.add_instructor(db, DEMO_ACTOR, v),
        ["name", "affiliation", "email", "phone", "notes"],
    ),
    "instructor certification": (
        lambda db, v: instructors.add_instructor_certification(db, DEMO_ACTOR, 1, v),
        ["name", "earned", "expires", "number", "issuer"],
    ),
    "scheduled class": (
        lambda db, v: classes.schedule_class(db, DEMO_ACTOR, v, [1, 2]),
        ["course", "held_on", "hours", "topics", "delivery", "instructor", "instructor_id"],
    ),
    "follow-up": (
        lambda db, v: followups.add_followup(db, DEMO_ACTOR, 1, v),
        ["assessed_on", "assessor", "notes", "score", "record_id", "deescalation_used"],
    ),
    "agency": (
        lambda db, v: agency.update_agency(db, DEMO_ACTOR, v),
        ["name", "ori", "state", "warning_days", "fiscal_year_start_month"],
    ),
}

EDITS: dict[str, AddFunction] = {
    "officer": lambda db, v: officers.edit_officer(db, DEMO_ACTOR, 1, v),
    "class": lambda db, v: training.edit_training_record(db, DEMO_ACTOR, 1, v, reason="fuzz"),
    "exemption": lambda db, v: leave.edit_exemption(db, DEMO_ACTOR, 1, v),
    "funding source": lambda db, v: funding.edit_funding_source(db, DEMO_ACTOR, 1, v),
    "bonus program": lambda db, v: bonus.edit_program(db, DEMO_ACTOR, 1, v),
    "incident": lambda db, v: incidents.edit_incident(db, DEMO_ACTOR, 1, v, reason="fuzz"),
    "instructor": lambda db, v: instructors.edit_instructor(db, DEMO_ACTOR, 1, v),
    "certificate": lambda db, v: cit.edit_certification(db, DEMO_ACTOR, 1, v, reason="fuzz"),
}
"""The same forms as edits of the demo's first record of each kind."""

TYPED = [
    "",
    " ",
    "0",
    "-1",
    "1e400",
    "nan",
    "inf",
    "12.345",
    "2024-02-30",
    "2024-01-01",
    "9999-12-31",
    "0001-01-01",
    "06/01/2025",
    "$3,800.00",
    "1,000",
    "²",
    "١٢",
    "\x00",
    "x" * 300,
    str(2**63),
    "de_escalation:2;use_of_force:x",
    "calendar_year",
]
"""Texts that came close to some check's edge: numbers, dates, money, digits int() refuses."""

values = st.one_of(
    st.sampled_from(TYPED),
    st.text(max_size=30),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.lists(st.sampled_from(TYPED), max_size=3),
    st.dictionaries(
        st.sampled_from(["kind", "months", "years", "hours", "label"]),
        st.sampled_from(TYPED),
        max_size=3,
    ),
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo agency; the fuzz adds to it (what it adds is not looked at)."""
    db = open_database(tmp_path_factory.mktemp("fuzz") / "deesc.db")
    load_demo(db)
    yield db
    db.close()


@st.composite
def forms(draw: st.DrawFn) -> tuple[str, bool, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(FORMS)))
    edit = kind in EDITS and draw(st.booleans())
    fields = FORMS[kind][1]
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, unique=True))
    return kind, edit, {field: draw(values) for field in chosen}


@fuzz
@given(form=forms())
def test_an_add_or_an_edit_either_saves_or_refuses_in_words(
    demo: Database, form: tuple[str, bool, dict[str, Any]]
) -> None:
    kind, edit, filled = form
    save = EDITS[kind] if edit else FORMS[kind][0]
    try:
        save(demo, filled)
    except ServiceError as refused:
        assert str(refused).strip(), f"a {kind} was refused without a reason"


CHIEF, FINANCE = Actor("chief.harmon", Role.CHIEF), Actor("fin.ruiz", Role.FINANCE)

Step = Callable[[Database, int, Any, str], object]
STEPS: dict[str, Step] = {
    "officer status": lambda db, n, v, why: officers.set_officer_status(
        db, DEMO_ACTOR, n, why, separation_date=v, reason=why
    ),
    "separation": lambda db, n, v, why: officers.separate_officer(db, DEMO_ACTOR, n, v, why),
    "joins the CIT team": lambda db, n, v, why: cit.join_cit_team(db, DEMO_ACTOR, n, v, why),
    "leaves the CIT team": lambda db, n, v, _why: cit.leave_cit_team(db, DEMO_ACTOR, n, v),
    "award change": lambda db, n, v, why: funding.request_award_change(
        db, DEMO_ACTOR, 1 + n % 2, {"amount": v, "reason": why}
    ),
    "default amount": lambda db, _n, v, _why: bonus.set_default_amount(db, DEMO_ACTOR, v),
    "payment batch": lambda db, _n, v, why: funding.create_payment_batch(
        db, FINANCE, {"reference": why, "pay_date": v}
    ),
    "denial": lambda db, n, _v, why: claim_workflow.deny_claim(db, CHIEF, 1 + n % 6, reason=why),
    "voiding": lambda db, n, _v, why: claim_workflow.void_claim(db, CHIEF, 1 + n % 6, reason=why),
    "payment": lambda db, n, v, why: claim_workflow.pay_claim(
        db, FINANCE, 1 + n % 6, paid_on=v, reference=why
    ),
    "adjustment": lambda db, n, v, why: claim_workflow.add_adjustment(
        db, FINANCE, 1 + n % 6, {"amount": v, "reason": why, "adjusted_on": v}
    ),
}
"""The steps after a record exists, each given an officer or claim, a value and a reason."""

reasons = st.one_of(
    st.sampled_from(["", " ", "\x00", "late\x07", "Sign-in sheet missing", "x" * 300]),
    st.text(max_size=20),
)


@fuzz
@given(
    step=st.sampled_from(sorted(STEPS)),
    number=st.integers(1, 40),
    value=values,
    why=reasons,
)
def test_a_step_either_happens_or_is_refused_in_words(
    demo: Database, step: str, number: int, value: Any, why: str
) -> None:
    try:
        STEPS[step](demo, number, value, why)
    except ServiceError as refused:
        assert str(refused).strip(), f"a {step} was refused without a reason"
