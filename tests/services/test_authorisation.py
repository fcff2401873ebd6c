"""Every role x every operation: the services, not the GUI, decide who may do what."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services import agency, leave, maintenance, officers, training
from deesc_desktop.services.errors import PermissionDeniedError

OFFICER = {"badge": "9", "last_name": "Brooks", "first_name": "Tyrone", "hire_date": "2016-02-01"}
CLASS = {"course": "First Aid", "completed": "2024-01-05", "hours": 4, "topics": "first_aid"}

Operation = Callable[[Database, Actor, int, int, Path], object]

OPERATIONS: dict[str, Operation] = {
    "edit agency": lambda db, a, o, r, p: agency.update_agency(db, a, {"warning_days": 60}),
    "add officer": lambda db, a, o, r, p: officers.add_officer(db, a, {**OFFICER, "badge": "10"}),
    "edit officer": lambda db, a, o, r, p: officers.edit_officer(db, a, o, {"shift": "Days"}),
    "separate officer": lambda db, a, o, r, p: officers.separate_officer(db, a, o, "2025-01-01"),
    "record class": lambda db, a, o, r, p: training.record_class(
        db, a, {**CLASS, "completed": "2024-02-05"}, [o]
    ),
    "edit training": lambda db, a, o, r, p: training.edit_training_record(
        db, a, r, {"instructor": "Lt. Harmon"}, reason="typo"
    ),
    "delete training": lambda db, a, o, r, p: training.delete_training_record(
        db, a, r, reason="duplicate"
    ),
    "add leave": lambda db, a, o, r, p: leave.add_exemption(
        db, a, o, {"start": "2024-03-01", "end": "2024-04-30", "reason": "Medical"}
    ),
    "back up": lambda db, a, o, r, p: maintenance.backup_database(db, a, p, p.parent / "b.db"),
}

# Written out independently of ROLE_PERMISSIONS, so a change there must be made here too.
ALLOWED: dict[Role, set[str]] = {
    Role.ADMIN: set(OPERATIONS),
    Role.TRAINING_OFFICER: set(OPERATIONS) - {"edit agency"},
    Role.CHIEF: {"back up"},
    Role.FINANCE: set(),
    Role.VIEWER: set(),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_role_may_or_may_not_perform_operation(
    db: Database, db_path: Path, admin: Actor, role: Role, operation: str
) -> None:
    officer_id = officers.add_officer(db, admin, OFFICER)
    (record_id,) = training.record_class(db, admin, CLASS, [officer_id])
    actor = Actor(f"user-{role.value}", role)
    run = OPERATIONS[operation]
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    if operation in ALLOWED[role]:
        run(db, actor, officer_id, record_id, db_path)
    else:
        with pytest.raises(PermissionDeniedError, match=f"user-{role.value} .* may not"):
            run(db, actor, officer_id, record_id, db_path)
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
