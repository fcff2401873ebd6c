"""Every role x every operation: the services, not the GUI, decide who may do what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services import (
    agency,
    bonus,
    cit,
    claim_workflow,
    classes,
    course_files,
    followups,
    funding,
    incidents,
    instructors,
    leave,
    maintenance,
    officers,
    training,
    users,
    versions,
)
from deesc_desktop.services.errors import PermissionDeniedError, ValidationError
from deesc_desktop.services.imports import import_file
from deesc_desktop.services.requirements import load_requirements_file, set_requirement_active
from tests.documents import pdf_bytes

OFFICER = {"badge": "9", "last_name": "Brooks", "first_name": "Tyrone", "hire_date": "2016-02-01"}
CLASS = {"course": "First Aid", "completed": "2024-01-05", "hours": 4, "topics": "first_aid"}
REFRESHER = {
    "course": "CIT Refresher",
    "completed": "2024-03-05",
    "hours": 8,
    "topics": "mental_health",
}
FUND = {
    "name": "City fund",
    "kind": "local_budget",
    "amount": "100000",
    "start": "2024-01-01",
    "end": "2024-12-31",
}
PROGRAM = {
    "name": "First aid bonus",
    "topics": "first_aid",
    "min_hours": 4,
    "start": "2024-01-01",
    "end": "2024-12-31",
    "funding_source": "City fund",
}


@dataclass(frozen=True)
class World:
    """Ids of the records the operations act on, one of each kind and claim state."""

    path: Path
    officer: int
    record: int
    cit_course: int
    certificate: int
    followup: int
    funding: int
    program: int
    draft: int
    submitted: int
    approved: int
    paid: int
    batch: int
    attachment: int
    instructor: int
    scheduled: int
    incident: int
    adjustment: int
    """An addition to the paid claim, entered by finance, waiting for a chief."""
    other_funding: int
    award_change: int
    """A requested change to the other funding source's award, waiting for a chief."""
    officer_change: int
    """The audit entry of a change to the officer, for putting the officer back."""


FIRST_AID_CLASS = course_files.Owner(
    course_files.ClassRef(course="First Aid", held_on="2024-01-05")
)

SCHEDULED = {**CLASS, "held_on": "2024-09-01"}
INCIDENT = {
    "reference": "24-1",
    "occurred_on": "2024-05-01",
    "incident_type": "welfare_check",
    "deescalation_used": True,
    "force_type": "none",
}

PACK = """jurisdiction = "TPD"\nname = "Test"\nversion = "1"\n[[requirements]]
id = "TPD-1"\ntitle = "Wellness"\neffective_from = 2024-01-01\nhours = 2
topics = ["officer_wellness"]\nperiod = { kind = "calendar_year" }\nsource = "Policy"\n"""


APPROVED = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
"""When the world's claims were approved: before they are paid in June and July 2024."""


def build_world(db: Database, admin: Actor, path: Path) -> World:
    chief = Actor("chief.setup", Role.CHIEF)
    finance = Actor("fin.setup", Role.FINANCE)
    users.add_user(db, admin, {"username": "clerk", "role": "viewer"}, "clerk-password")
    (path.parent / "roster.csv").write_text(
        "badge,last_name,first_name,hire_date\n77,Kim,Wei,2020-01-01\n"
    )
    (path.parent / "pack.toml").write_text(PACK)
    officer_id = officers.add_officer(db, admin, OFFICER)
    officers.edit_officer(db, admin, officer_id, {"rank": "Corporal"})
    (officer_change,) = db.execute("SELECT max(id) FROM audit_log").fetchone()
    others = [
        officers.add_officer(db, admin, {**OFFICER, "badge": str(badge)}) for badge in range(20, 25)
    ]
    (record_id,) = training.record_class(db, admin, CLASS, [officer_id])
    training.record_class(db, admin, {**CLASS, "completed": "2024-01-06"}, others)
    training.record_class(db, admin, REFRESHER, [officer_id])
    funding_id = funding.add_funding_source(db, admin, FUND)
    program_id = bonus.add_program(db, admin, PROGRAM)
    draft, submitted, approved, paid, batched = (
        bonus.create_claim(db, admin, program_id, other) for other in others
    )
    claim_workflow.submit_claims(db, admin, [submitted, approved, paid, batched])
    claim_workflow.approve_claims(db, chief, [approved, paid, batched], now=APPROVED)
    claim_workflow.pay_claim(db, admin, paid, paid_on="2024-06-01", reference="CHK-1")
    batch = funding.create_payment_batch(
        db, admin, {"reference": "PR-1", "pay_date": "2024-06-15"}, [batched]
    )
    adjustment = claim_workflow.add_adjustment(
        db, finance, paid, {"amount": "10", "reason": "retro"}
    )
    other_funding = funding.add_funding_source(db, admin, {**FUND, "name": "State grant"})
    award_change = funding.request_award_change(
        db, finance, other_funding, {"amount": "150000", "reason": "supplement"}
    )
    return World(
        path=path,
        officer=officer_id,
        record=record_id,
        cit_course=cit.course_id_by_title(db, "CIT Refresher"),
        certificate=cit.add_certification(
            db, admin, officer_id, {"earned": "2023-01-01", "issuer": "CIT Michigan"}
        ),
        followup=followups.add_followup(
            db, admin, officer_id, {"assessed_on": "2024-06-01", "assessor": "Sgt", "score": 80}
        ),
        funding=funding_id,
        program=program_id,
        draft=draft,
        submitted=submitted,
        approved=approved,
        paid=paid,
        batch=batch,
        attachment=course_files.attach_bytes(
            db, admin, "sheet.pdf", pdf_bytes("sheet"), "sign_in_sheet", FIRST_AID_CLASS
        ),
        instructor=instructors.add_instructor(db, admin, {"name": "Sgt. Delgado"}),
        scheduled=classes.schedule_class(db, admin, SCHEDULED, [officer_id]),
        incident=incidents.add_incident(db, admin, INCIDENT),
        adjustment=adjustment,
        other_funding=other_funding,
        award_change=award_change,
        officer_change=officer_change,
    )


Operation = Callable[[Database, Actor, World], object]

OPERATIONS: dict[str, Operation] = {
    "edit agency": lambda db, a, w: agency.update_agency(db, a, {"warning_days": 60}),
    "add officer": lambda db, a, w: officers.add_officer(db, a, {**OFFICER, "badge": "10"}),
    "edit officer": lambda db, a, w: officers.edit_officer(db, a, w.officer, {"shift": "Days"}),
    "separate officer": lambda db, a, w: officers.separate_officer(db, a, w.officer, "2025-01-01"),
    "record class": lambda db, a, w: training.record_class(
        db, a, {**CLASS, "completed": "2024-02-05"}, [w.officer]
    ),
    "edit training": lambda db, a, w: training.edit_training_record(
        db, a, w.record, {"instructor": "Lt. Harmon"}, reason="typo"
    ),
    "delete training": lambda db, a, w: training.delete_training_record(
        db, a, w.record, reason="duplicate"
    ),
    "add leave": lambda db, a, w: leave.add_exemption(
        db, a, w.officer, {"start": "2024-03-01", "end": "2024-04-30", "reason": "Medical"}
    ),
    "back up": lambda db, a, w: maintenance.backup_database(db, a, w.path, w.path.parent / "b.db"),
    "mark CIT course": lambda db, a, w: cit.set_course_cit_role(db, a, w.cit_course, "refresher"),
    "add certificate": lambda db, a, w: cit.add_certification(
        db, a, w.officer, {"earned": "2024-01-01", "issuer": "CIT Ohio"}
    ),
    "edit certificate": lambda db, a, w: cit.edit_certification(
        db, a, w.certificate, {"number": "MI-9"}, reason="typo"
    ),
    "revoke certificate": lambda db, a, w: cit.revoke_certification(
        db, a, w.certificate, reason="wrong officer"
    ),
    "change CIT settings": lambda db, a, w: cit.update_cit_settings(db, a, {"target_percent": 30}),
    "add followup": lambda db, a, w: followups.add_followup(
        db, a, w.officer, {"assessed_on": "2024-07-01", "assessor": "Lt", "score": 75}
    ),
    "edit followup": lambda db, a, w: followups.edit_followup(
        db, a, w.followup, {"score": 81}, reason="typo"
    ),
    "delete followup": lambda db, a, w: followups.delete_followup(
        db, a, w.followup, reason="duplicate"
    ),
    "add funding": lambda db, a, w: funding.add_funding_source(db, a, {**FUND, "name": "Grant"}),
    "edit funding": lambda db, a, w: funding.edit_funding_source(
        db, a, w.funding, {"award_number": "A-1"}
    ),
    "add program": lambda db, a, w: bonus.add_program(db, a, {**PROGRAM, "name": "Other"}),
    "edit program": lambda db, a, w: bonus.edit_program(db, a, w.program, {"notes": "FY24"}),
    "set default bonus": lambda db, a, w: bonus.set_default_amount(db, a, "4000"),
    "draft claim": lambda db, a, w: bonus.create_claim(db, a, w.program, w.officer),
    "submit claim": lambda db, a, w: claim_workflow.submit_claim(db, a, w.draft),
    "approve claim": lambda db, a, w: claim_workflow.approve_claim(db, a, w.submitted),
    "deny claim": lambda db, a, w: claim_workflow.deny_claim(db, a, w.submitted, reason="no sheet"),
    "void draft claim": lambda db, a, w: claim_workflow.void_claim(
        db, a, w.draft, reason="duplicate"
    ),
    "void approved claim": lambda db, a, w: claim_workflow.void_claim(
        db, a, w.approved, reason="error"
    ),
    "pay claim": lambda db, a, w: claim_workflow.pay_claim(
        db, a, w.approved, paid_on="2024-07-01", reference="CHK-2"
    ),
    "adjust paid claim": lambda db, a, w: claim_workflow.add_adjustment(
        db, a, w.paid, {"amount": "-5", "reason": "overpaid"}
    ),
    "add to paid claim": lambda db, a, w: claim_workflow.add_adjustment(
        db, a, w.paid, {"amount": "25", "reason": "retro rate"}
    ),
    "approve adjustment": lambda db, a, w: claim_workflow.approve_adjustment(db, a, w.adjustment),
    "reject adjustment": lambda db, a, w: claim_workflow.reject_adjustment(
        db, a, w.adjustment, reason="not owed"
    ),
    "request award change": lambda db, a, w: funding.request_award_change(
        db, a, w.funding, {"amount": "120000", "reason": "supplement"}
    ),
    "approve award change": lambda db, a, w: funding.approve_award_change(db, a, w.award_change),
    "reject award change": lambda db, a, w: funding.reject_award_change(
        db, a, w.award_change, reason="not in the award letter"
    ),
    "create payment batch": lambda db, a, w: funding.create_payment_batch(
        db, a, {"reference": "PR-2", "pay_date": "2024-07-01"}, [w.approved]
    ),
    "pay batch": lambda db, a, w: funding.pay_batch(db, a, w.batch),
    "import file": lambda db, a, w: import_file(db, a, "roster", w.path.parent / "roster.csv"),
    "load requirements": lambda db, a, w: load_requirements_file(
        db, a, w.path.parent / "pack.toml"
    ),
    "switch requirement off": lambda db, a, w: set_requirement_active(
        db, a, "IL-inservice-30h", False
    ),
    "add user": lambda db, a, w: users.add_user(
        db, a, {"username": "new.user", "role": "viewer"}, "long enough"
    ),
    "change user role": lambda db, a, w: users.set_user_role(db, a, "clerk", "finance"),
    "disable user": lambda db, a, w: users.set_user_active(db, a, "clerk", False),
    "reset a password": lambda db, a, w: users.set_password(db, a, "clerk", "another secret"),
    "switch sign-in off": lambda db, a, w: users.set_login_required(db, a, False),
    "attach document": lambda db, a, w: course_files.attach_bytes(
        db, a, "plan.pdf", pdf_bytes("plan"), "lesson_plan", FIRST_AID_CLASS
    ),
    "remove document": lambda db, a, w: course_files.remove_attachment(
        db, a, w.attachment, reason="wrong class"
    ),
    "add instructor": lambda db, a, w: instructors.add_instructor(db, a, {"name": "Lt. Ruiz"}),
    "certify instructor": lambda db, a, w: instructors.add_instructor_certification(
        db, a, w.instructor, {"name": "ICAT trainer", "earned": "2023-01-01"}
    ),
    "schedule class": lambda db, a, w: classes.schedule_class(
        db, a, {**SCHEDULED, "held_on": "2024-10-01"}, [w.officer]
    ),
    "change a class": lambda db, a, w: classes.update_class(
        db, a, course_files.ClassRef(w.scheduled), {"location": "Range"}
    ),
    "record attendance": lambda db, a, w: classes.record_attendance(
        db, a, course_files.ClassRef(w.scheduled), [w.officer]
    ),
    "log incident": lambda db, a, w: incidents.add_incident(
        db, a, {**INCIDENT, "reference": "24-2"}
    ),
    "correct incident": lambda db, a, w: incidents.edit_incident(
        db, a, w.incident, {"public_injured": 1}, reason="ER report"
    ),
    "delete incident": lambda db, a, w: incidents.delete_incident(
        db, a, w.incident, reason="duplicate"
    ),
    "review incident": lambda db, a, w: incidents.review_incident(db, a, w.incident),
    "restore a version": lambda db, a, w: versions.restore_version(
        db, a, versions.plan_restore(db, w.officer_change)
    ),
}
ADMIN_ONLY = {
    "edit agency",
    "add user",
    "change user role",
    "disable user",
    "reset a password",
    "switch sign-in off",
    "restore a version",
}

# Written out independently of ROLE_PERMISSIONS, so a change there must be made here too.
_TRAINING_OFFICER = {
    "add officer",
    "edit officer",
    "separate officer",
    "record class",
    "edit training",
    "delete training",
    "add leave",
    "back up",
    "mark CIT course",
    "add certificate",
    "edit certificate",
    "revoke certificate",
    "change CIT settings",
    "add followup",
    "edit followup",
    "delete followup",
    "draft claim",
    "submit claim",
    "void draft claim",
    "import file",
    "load requirements",
    "switch requirement off",
    "attach document",
    "remove document",
    "add instructor",
    "certify instructor",
    "schedule class",
    "change a class",
    "record attendance",
    "log incident",
    "correct incident",
    "delete incident",
}
ALLOWED: dict[Role, set[str]] = {
    Role.ADMIN: set(OPERATIONS),
    Role.TRAINING_OFFICER: _TRAINING_OFFICER,
    Role.CHIEF: {
        "back up",
        "add program",
        "edit program",
        "set default bonus",
        "approve claim",
        "deny claim",
        "void approved claim",
        "review incident",
        "approve adjustment",
        "reject adjustment",
        "approve award change",
        "reject award change",
    },
    Role.FINANCE: {
        "add funding",
        "edit funding",
        "request award change",
        "pay claim",
        "adjust paid claim",
        "add to paid claim",
        "create payment batch",
        "pay batch",
    },
    Role.VIEWER: set(),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_role_may_or_may_not_perform_operation(
    db: Database, db_path: Path, admin: Actor, role: Role, operation: str
) -> None:
    world = build_world(db, admin, db_path)
    actor = Actor(f"user-{role.value}", role)
    run = OPERATIONS[operation]
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    if operation in ALLOWED[role]:
        run(db, actor, world)
    else:
        with pytest.raises(PermissionDeniedError, match=f"user-{role.value} .* may not"):
            run(db, actor, world)
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before


def test_every_operation_is_allowed_to_someone_but_the_viewer() -> None:
    granted = set().union(*(ALLOWED[r] for r in Role if r is not Role.ADMIN))
    assert granted | ADMIN_ONLY == set(OPERATIONS)
    assert not granted & ADMIN_ONLY


PAY_STEPS: dict[str, Operation] = {
    "pay claim": lambda db, a, w: claim_workflow.pay_claim(
        db, a, w.approved, paid_on="2024-04-30", reference="CHK-3"
    ),
    "create payment batch": lambda db, a, w: funding.create_payment_batch(
        db, a, {"reference": "PR-3", "pay_date": "2025-01-02"}, [w.approved]
    ),
}
"""Each way to pay, with a date the rules refuse: before approval, after the funding ends."""


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("step", list(PAY_STEPS))
def test_pay_date_rules_hold_for_every_role_that_may_pay(
    db: Database, db_path: Path, admin: Actor, role: Role, step: str
) -> None:
    world = build_world(db, admin, db_path)
    actor = Actor(f"user-{role.value}", role)
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    if step in ALLOWED[role]:
        with pytest.raises(ValidationError, match=r"cannot be paid on 202\d-\d\d-\d\d: "):
            PAY_STEPS[step](db, actor, world)
    else:
        with pytest.raises(PermissionDeniedError, match=f"user-{role.value} .* may not"):
            PAY_STEPS[step](db, actor, world)
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
