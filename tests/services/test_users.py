"""Users and sign-in: argon2id, lockout after five wrong passwords, disabled never deleted."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services import users
from deesc_desktop.services.errors import ServiceError, ValidationError
from deesc_desktop.store import open_database
from tests.conftest import logged, table_counts

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
    shown = " ".join(f"{e['before']} {e['after']}" for e in logged(db))
    stored = " ".join(str(row) for row in db.execute("SELECT before, after FROM audit_entries"))
    assert "$argon2" not in shown and "$argon2" not in stored
    assert '"password_hash":"sha256:' in shown  # a digest that shows a swapped hash


REFUSED = re.escape(users.SIGN_IN_REFUSED)


def test_five_wrong_passwords_lock_the_account_for_five_minutes(db: Database, chief: Actor) -> None:
    for attempt in range(5):
        with pytest.raises(users.SignInError, match=f"^{REFUSED}$"):
            users.sign_in(db, "chief.harmon", "guess", now=T0 + timedelta(seconds=attempt))
    # Locked: even the right password gets the one answer, for 5 minutes.
    for later in (timedelta(seconds=10), timedelta(minutes=4, seconds=30)):
        with pytest.raises(users.SignInError, match=f"^{REFUSED}$"):
            users.sign_in(db, "chief.harmon", "chief password", now=T0 + later)
    later = T0 + timedelta(minutes=5, seconds=5)
    assert users.sign_in(db, "chief.harmon", "chief password", now=later).role is Role.CHIEF
    reasons = [r[0] for r in db.execute("SELECT reason FROM audit_log WHERE table_name = 'users'")]
    assert reasons.count("wrong password") == 4
    assert "locked after 5 wrong passwords" in reasons


def test_unknown_disabled_locked_and_wrong_get_the_same_answer(db: Database, chief: Actor) -> None:
    users.add_user(db, chief, {"username": "gone", "role": "viewer"}, "gone password")
    users.set_user_active(db, chief, "gone", False)
    users.add_user(db, chief, {"username": "locked", "role": "viewer"}, "locked password")
    for attempt in range(5):
        with pytest.raises(users.SignInError):
            users.sign_in(db, "locked", "guess", now=T0 + timedelta(seconds=attempt))
    answers = set()
    for name, password in (
        ("nobody", "chief password"),  # unknown
        ("gone", "gone password"),  # disabled, right password
        ("locked", "locked password"),  # locked, right password
        ("chief.harmon", "wrong password"),  # wrong password
    ):
        with pytest.raises(users.SignInError) as caught:
            users.sign_in(db, name, password, now=T0 + timedelta(minutes=1))
        answers.add(str(caught.value))
    assert answers == {users.SIGN_IN_REFUSED}
    assert "locked for 5 minutes" in users.SIGN_IN_REFUSED


def test_unknown_user_writes_nothing(db: Database, chief: Actor) -> None:
    before = table_counts(db)
    with pytest.raises(users.SignInError, match=f"^{REFUSED}$"):
        users.sign_in(db, "nobody", "chief password")
    assert table_counts(db) == before


def test_disabled_user_cannot_sign_in_and_is_never_deleted(db: Database, chief: Actor) -> None:
    users.set_user_active(db, chief, "chief.harmon", False, reason="retired")
    with pytest.raises(users.SignInError, match=REFUSED):
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


# --- issue 15.8 ------------------------------------------------------------------------------


def test_wrong_passwords_tried_at_the_same_moment_all_count(
    db: Database, db_path: Path, chief: Actor
) -> None:
    """Each attempt runs on its own connection to the real file, all released together."""
    attempts = 4
    start = threading.Barrier(attempts)
    outcomes: list[str] = []

    def guess() -> None:
        own = open_database(db_path)
        try:
            start.wait()
            users.sign_in(own, "chief.harmon", "a wrong guess", now=T0)
        except users.SignInError as exc:
            outcomes.append(str(exc))
        finally:
            own.close()

    threads = [threading.Thread(target=guess) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [users.SIGN_IN_REFUSED] * attempts
    (counted,) = db.execute(
        "SELECT failed_attempts FROM users WHERE username = 'chief.harmon'"
    ).fetchone()
    assert counted == attempts
    logged = db.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'users' AND reason = 'wrong password'"
    ).fetchone()[0]
    assert logged == attempts


def test_while_the_file_is_busy_no_attempt_is_decided_or_lost(
    db: Database, db_path: Path, chief: Actor
) -> None:
    """A wrong password is not counted while another copy holds the write lock, so it must not
    be told apart from the right one either: both get the same 'busy' answer."""
    db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        answers = set()
        for password in ("a wrong guess", "chief password"):
            for record_success in (True, False):
                with pytest.raises(users.SignInError) as caught:
                    users.sign_in(db, "chief.harmon", password, record_success=record_success)
                answers.add(str(caught.value))
        assert answers == {users.SIGN_IN_BUSY}
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert users.sign_in(db, "chief.harmon", "chief password").role is Role.CHIEF


def test_the_last_administrator_keeps_the_role(db: Database, chief: Actor) -> None:
    before = table_counts(db)
    with pytest.raises(ServiceError, match="last active administrator"):
        users.set_user_role(db, chief, "admin.one", "viewer")
    assert table_counts(db) == before
    with pytest.raises(sqlite3.IntegrityError, match="last active administrator"):
        db.execute("UPDATE users SET role = 'viewer' WHERE username = 'admin.one'")
    users.add_user(db, chief, {"username": "admin.two", "role": "admin"}, "second admin pass")
    users.set_user_role(db, chief, "admin.one", "chief")  # another administrator remains
    with pytest.raises(ServiceError, match="last active administrator"):
        users.set_user_role(db, Actor("admin.two", Role.ADMIN), "admin.two", "finance")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("sgt\u202eodagled", "direction-changing character (U+202E right-to-left override)"),
        ("sgt\u200b.ruiz", "invisible or direction-changing character (U+200B zero width space)"),
        ("sgt\x07ruiz", "a control character (U+0007)"),
        ("s" * 65, "is 65 characters long; at most 64 are allowed"),
    ],
)
def test_user_names_refuse_hidden_characters_and_length(
    db: Database, chief: Actor, name: str, problem: str
) -> None:
    before = table_counts(db)
    with pytest.raises(ValidationError) as caught:
        users.add_user(db, chief, {"username": name, "role": "viewer"}, "long enough")
    assert problem in caught.value.field_errors["username"]
    assert table_counts(db) == before


@pytest.mark.parametrize(
    ("full_name", "problem"),
    [("Rosa ⁦Delgado", "U+2066 left-to-right isolate"), ("R" * 101, "at most 100")],
)
def test_full_names_refuse_hidden_characters_and_length(
    db: Database, chief: Actor, full_name: str, problem: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        users.add_user(
            db, chief, {"username": "sgt.ruiz", "role": "viewer", "full_name": full_name}, "x" * 9
        )
    assert problem in caught.value.field_errors["full_name"]


def test_passwords_of_only_spaces_are_refused(db: Database, chief: Actor) -> None:
    with pytest.raises(ValidationError, match="password: must not be only spaces"):
        users.add_user(db, chief, {"username": "sgt.ruiz", "role": "viewer"}, " " * 12)
    with pytest.raises(ValidationError, match="password: must not be only spaces"):
        users.set_password(db, chief, "chief.harmon", "\t" * 9)
