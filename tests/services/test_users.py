"""Users and sign-in: argon2id, lockout after five wrong passwords, disabled never deleted."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services import users
from deesc_desktop.services.errors import ServiceError, ValidationError
from tests.conftest import table_counts

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def chief(db: Database) -> Actor:
    admin = users.create_first_admin(db, "admin.one", "first admin pass", "Pat Admin")
    users.add_user(db, admin, {"username": "chief.harmon", "role": "chief"}, "chief password")
    return admin


def test_first_admin_then_sign_in_with_the_right_role(db: Database, chief: Actor) -> None:
    assert chief == Actor("admin.one", Role.ADMIN)
    actor = users.sign_in(db, "Chief.Harmon", "chief password", now=T0)  # names ignore case
    assert actor == Actor("chief.harmon", Role.CHIEF)
    stored = db.execute(
        "SELECT password_hash, last_sign_in FROM users WHERE username = 'chief.harmon'"
    ).fetchone()
    assert stored[0].startswith("$argon2id$")
    assert stored[1] == "2026-11-22T09:00:00Z"
    with pytest.raises(ServiceError, match="already has users"):
        users.create_first_admin(db, "second", "another password")


def test_the_audit_log_never_holds_a_password_hash(db: Database, chief: Actor) -> None:
    users.set_password(db, chief, "chief.harmon", "a new password")
    logged = " ".join(str(row) for row in db.execute("SELECT before, after FROM audit_log"))
    assert "$argon2" not in logged
    assert '"password_hash":"sha256:' in logged  # a digest that shows a swapped hash


def test_five_wrong_passwords_lock_the_account_for_five_minutes(db: Database, chief: Actor) -> None:
    for attempt in range(5):
        with pytest.raises(users.SignInError, match=r"^Wrong user name or password\.$"):
            users.sign_in(db, "chief.harmon", "guess", now=T0 + timedelta(seconds=attempt))
    with pytest.raises(users.SignInError, match="locked for 5 more minutes"):
        users.sign_in(db, "chief.harmon", "chief password", now=T0 + timedelta(seconds=10))
    with pytest.raises(users.SignInError, match=r"locked for 1 more minute\."):
        users.sign_in(
            db, "chief.harmon", "chief password", now=T0 + timedelta(minutes=4, seconds=30)
        )
    later = T0 + timedelta(minutes=5, seconds=5)
    assert users.sign_in(db, "chief.harmon", "chief password", now=later).role is Role.CHIEF
    reasons = [r[0] for r in db.execute("SELECT reason FROM audit_log WHERE table_name = 'users'")]
    assert reasons.count("wrong password") == 4
    assert "locked after 5 wrong passwords" in reasons


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(db: Database, chief: Actor) -> None:
    before = table_counts(db)
    with pytest.raises(users.SignInError, match=r"^Wrong user name or password\.$"):
        users.sign_in(db, "nobody", "chief password")
    assert table_counts(db) == before


def test_disabled_user_cannot_sign_in_and_is_never_deleted(db: Database, chief: Actor) -> None:
    users.set_user_active(db, chief, "chief.harmon", False, reason="retired")
    with pytest.raises(users.SignInError, match="disabled"):
        users.sign_in(db, "chief.harmon", "chief password")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        db.execute("DELETE FROM users WHERE username = 'chief.harmon'")


def test_the_last_administrator_and_yourself_cannot_be_disabled(db: Database, chief: Actor) -> None:
    with pytest.raises(ServiceError, match="your own account"):
        users.set_user_active(db, chief, "admin.one", False)
    users.add_user(db, chief, {"username": "admin.two", "role": "admin"}, "second admin pass")
    other = Actor("admin.two", Role.ADMIN)
    users.set_user_active(db, other, "admin.one", False)
    with pytest.raises(ServiceError, match="last active administrator"):
        users.set_user_active(db, Actor("x", Role.ADMIN), "admin.two", False)


def test_weak_passwords_and_bad_names_are_refused_at_the_field(db: Database, chief: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        users.add_user(db, chief, {"username": "sgt ruiz", "role": "sergeant"}, "x")
    assert set(caught.value.field_errors) == {"username", "role"}
    with pytest.raises(ValidationError, match="at least 8 characters"):
        users.add_user(db, chief, {"username": "sgt.ruiz", "role": "viewer"}, "short")


def test_own_password_change_needs_the_current_one(db: Database, chief: Actor) -> None:
    harmon = Actor("chief.harmon", Role.CHIEF)
    with pytest.raises(ValidationError, match="current password"):
        users.set_password(db, harmon, "chief.harmon", "brand new pass", current="wrong")
    users.set_password(db, harmon, "chief.harmon", "brand new pass", current="chief password")
    assert users.sign_in(db, "chief.harmon", "brand new pass").username == "chief.harmon"


def test_switching_sign_in_off_is_audited_and_makes_an_unattended_actor(
    db: Database, chief: Actor
) -> None:
    assert users.unattended_actor(db) is None
    users.set_login_required(db, chief, False)
    unattended = users.unattended_actor(db)
    assert unattended is not None and unattended.username.endswith("(sign-in off)")
    (reason,) = db.execute(
        "SELECT reason FROM audit_log WHERE table_name = 'settings' AND row_id = 'login.required'"
    ).fetchone()
    assert reason == "sign-in switched off"


def test_scripted_sign_in_writes_nothing(db: Database, chief: Actor) -> None:
    before = table_counts(db)
    users.sign_in(db, "chief.harmon", "chief password", record_success=False)
    assert table_counts(db) == before
