"""Saving one agency requirement from its fields: the rule-pack checks, each reason tied to its
field, the audit entry, and a switched-off requirement that stays off."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services.errors import PermissionDeniedError, ValidationError
from deesc_desktop.services.requirements import (
    list_requirements,
    save_requirement,
    set_requirement_active,
)
from tests.conftest import AGENCY_FIREARMS

FIREARMS = {**AGENCY_FIREARMS, "new_hire": "prorate"}


def test_each_reason_names_its_field_and_nothing_is_saved(db: Database, admin: Actor) -> None:
    bad = {
        **FIREARMS,
        "hours": 0,
        "period": {"kind": "fixed_cycle", "years": 3},
        "sub_minimums": [{"label": "Night", "hours": 1.0}],
    }
    with pytest.raises(ValidationError) as refused:
        save_requirement(db, admin, bad)
    assert refused.value.field_errors == {
        "hours": "must be more than 0 hours",
        "period.anchor": "is required for a fixed_cycle (the date a cycle starts)",
        "sub_minimums[1]": "needs topics and/or delivery to say which hours count toward it",
    }
    assert "agency requirement, requirement AGENCY-firearms-annual, field hours" in str(
        refused.value
    )
    assert db.execute("SELECT count(*) FROM requirements").fetchone()[0] == 0


def test_a_saved_requirement_is_listed_audited_and_stays_off_when_switched_off(
    db: Database, admin: Actor
) -> None:
    save_requirement(db, admin, FIREARMS)
    listed = {item.requirement.id: item for item in list_requirements(db)}
    assert listed["AGENCY-firearms-annual"].origin == "agency"
    assert db.execute(
        "SELECT action FROM audit_log WHERE table_name = 'requirements'"
    ).fetchall() == [("insert",)]
    set_requirement_active(db, admin, "AGENCY-firearms-annual", False)
    save_requirement(db, admin, {**FIREARMS, "hours": 6.0}, reason="policy 4.2 revised")
    row = db.execute(
        "SELECT active, json_extract(definition, '$.hours') FROM requirements"
    ).fetchone()
    assert row == (0, 6.0)
    assert db.execute("SELECT reason FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() == (
        "policy 4.2 revised",
    )
    with pytest.raises(PermissionDeniedError):
        save_requirement(db, Actor("chief", Role.CHIEF), FIREARMS)
