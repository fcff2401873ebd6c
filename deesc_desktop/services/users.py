"""Users and sign-in: argon2id passwords, roles, lockout after wrong passwords, sign-in switch."""

from __future__ import annotations

import functools
import getpass
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission, Role
from deesc_desktop.core.names import FULL_NAME_LENGTH, USER_NAME_LENGTH, name_problem
from deesc_desktop.services.common import FieldErrors, stamp
from deesc_desktop.services.errors import NotFoundError, ServiceError, ValidationError, require
from deesc_desktop.store import users as store_users
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import DatabaseBusyError, database_errors, writing
from deesc_desktop.store.reconcile import SIGN_IN_TABLES, row_differences
from deesc_desktop.store.settings import put_setting, setting
from deesc_desktop.store.users import (
    insert_user,
    other_active_admins,
    update_user,
    user_by_name,
    users_exist,
)

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
LOGIN_SETTING = "login.required"
"""settings key: "0" when the agency has switched sign-in off (admin only, audited)."""

_hasher: PasswordHasher | None = None
"""argon2id at the library's current recommended cost, made on first use: a window opened
with sign-in switched off never hashes, and argon2's import is part of start-up otherwise
(docs/performance.md). Tests put a cheaper one here."""


def _argon2() -> PasswordHasher:
    global _hasher  # one hasher per process, made when first needed
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so a wrong name takes as long as a
    wrong password and does not reveal which names exist.

    Made on first use: an argon2 hash costs a quarter of a second, which every start-up
    would otherwise pay on import.
    """
    return _argon2().hash("not a real password")


class SignInError(ServiceError):
    """Sign-in refused: wrong name or password, a locked or a disabled account."""


SIGN_IN_REFUSED = (
    "Wrong user name or password, or the account is locked or disabled. After "
    f"{MAX_FAILED_ATTEMPTS} wrong passwords an account is locked for "
    f"{int(LOCKOUT.total_seconds() // 60)} minutes; an administrator can enable a disabled one."
)
"""The one answer to every refused sign-in, so it never tells which names exist, which are
disabled or which are locked."""

SIGN_IN_BUSY = (
    "The database is busy (another copy of the app is saving), so nobody was signed in and "
    "nothing was counted. Try again in a moment."
)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def is_text(value: str) -> bool:
    """False for a string holding bytes that are not text (as undecodable bytes in an
    environment variable arrive), which no hash or database can take."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_password(password: str, username: str = "") -> None:
    if not is_text(password):
        raise ValidationError({"password": "holds bytes that are not text; type it again"})
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": f"must be at least {MIN_PASSWORD_LENGTH} characters"})
    if not password.strip():
        raise ValidationError({"password": "must not be only spaces"})
    if username and password.casefold() == username.casefold():
        raise ValidationError({"password": "must not be the user name"})


def sign_in_refusal(db: Database) -> str | None:
    """Why nobody may sign in to this file, or None: its users or settings rows (who may sign
    in, with which role and password, and whether anyone must) differ from the audit log."""
    differences = row_differences(db, SIGN_IN_TABLES)
    if not differences:
        return None
    more = len(differences) - 1
    also = f"; and {more} more change{'s' if more != 1 else ''}" if more else ""
    return (
        "Nobody can sign in to this database: its users or sign-in settings were changed "
        f"outside the app ({differences[0].describe()}{also}). An administrator can run "
        "`deesc check` and `deesc audit verify` to see every change, and restore a backup "
        "made before it."
    )


def _refuse_if_tampered(db: Database) -> None:
    refusal = sign_in_refusal(db)
    if refusal:
        raise SignInError(refusal)


def _clean_user(values: Mapping[str, object]) -> dict[str, Any]:
    errors = FieldErrors()
    username = errors.text(values, "username", required=True)
    problem = name_problem(username, USER_NAME_LENGTH) if is_text(username) else "is not text"
    if problem:
        errors["username"] = problem
    elif username and " " in username:
        errors["username"] = (
            f"use one word of at most {USER_NAME_LENGTH} characters, e.g. sgt.delgado"
        )
    role = errors.text(values, "role", required=True)
    if role and role not in {r.value for r in Role}:
        errors["role"] = f'"{role}" is not one of {", ".join(r.value for r in Role)}'
    full_name = errors.text(values, "full_name")
    problem = name_problem(full_name, FULL_NAME_LENGTH) if is_text(full_name) else "is not text"
    if problem:
        errors["full_name"] = problem
    if errors:
        raise ValidationError(errors)
    return {"username": username, "role": role, "full_name": full_name}


def _insert_user(audit: AuditWriter, cleaned: Mapping[str, Any], password: str) -> int:
    if user_by_name(audit.db, cleaned["username"]) is not None:
        raise ValidationError({"username": f"{cleaned['username']} is already a user"})
    return insert_user(
        audit,
        {
            "username": cleaned["username"],
            "full_name": cleaned["full_name"],
            "role": cleaned["role"],
            "password_hash": _argon2().hash(password),
            **stamp(audit),
        },
    )


def create_first_admin(db: Database, username: str, password: str, full_name: str = "") -> Actor:
    """Create the agency's first administrator; refused once any user exists."""
    cleaned = _clean_user({"username": username, "role": Role.ADMIN.value, "full_name": full_name})
    _check_password(password, cleaned["username"])
    with writing(db):
        if users_exist(db):
            raise ServiceError("This database already has users; an administrator adds more.")
        _insert_user(AuditWriter(db, cleaned["username"]), cleaned, password)
    return Actor(cleaned["username"], Role.ADMIN)


def add_user(db: Database, actor: Actor, values: Mapping[str, object], password: str) -> int:
    """Add a user with a role and a first password (administrators only)."""
    require(actor, Permission.MANAGE_USERS)
    cleaned = _clean_user(values)
    _check_password(password, cleaned["username"])
    with writing(db):
        return _insert_user(AuditWriter(db, actor.username), cleaned, password)


def _user(db: Database, username: str) -> dict[str, Any]:
    found = user_by_name(db, username)
    if found is None:
        raise NotFoundError(f'There is no user "{username}".')
    return found


def set_password(
    db: Database, actor: Actor, username: str, password: str, *, current: str | None = None
) -> None:
    """Change a password: your own (with the current one) or anyone's as an administrator."""
    own = actor.username.casefold() == username.casefold()
    if not own:
        require(actor, Permission.MANAGE_USERS)
    _check_password(password, username)
    with writing(db):
        user = _user(db, username)
        checked = own and not actor.can(Permission.MANAGE_USERS)
        if checked and (current is None or not _verify(user["password_hash"], current)):
            raise ValidationError({"current": "the current password is not right"})
        update_user(
            AuditWriter(db, actor.username),
            user["id"],
            {"password_hash": _argon2().hash(password), "failed_attempts": 0, "locked_until": None},
            reason="password changed",
        )


def set_user_active(
    db: Database, actor: Actor, username: str, active: bool, *, reason: str = ""
) -> None:
    """Disable a user (they can no longer sign in; their history stays) or enable them again."""
    require(actor, Permission.MANAGE_USERS)
    if not active and actor.username.casefold() == username.casefold():
        raise ServiceError("You cannot disable your own account.")
    with writing(db):
        user = _user(db, username)
        if not active:
            _check_not_last_admin(db, user)
        update_user(
            AuditWriter(db, actor.username), user["id"], {"active": int(active)}, reason=reason
        )


def _check_not_last_admin(db: Database, user: Mapping[str, Any]) -> None:
    """Refuse to take away the last active administrator (disabled or given another role)."""
    last = user["role"] == Role.ADMIN.value and user["active"]
    if last and other_active_admins(db, user["id"]) == 0:
        raise ServiceError("This is the last active administrator; add another first.")


def set_user_role(
    db: Database, actor: Actor, username: str, role: str, *, reason: str = ""
) -> None:
    """Give a user another role; the last active administrator keeps theirs."""
    require(actor, Permission.MANAGE_USERS)
    cleaned = _clean_user({"username": username, "role": role})
    with writing(db):
        user = _user(db, username)
        if cleaned["role"] != Role.ADMIN.value:
            _check_not_last_admin(db, user)
        update_user(
            AuditWriter(db, actor.username), user["id"], {"role": cleaned["role"]}, reason=reason
        )


def _verify(stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _argon2().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(
    db: Database,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    record_success: bool = True,
) -> Actor:
    """Check a user name and password; five wrong passwords lock the account for five minutes.

    Every refusal gives the same answer (SIGN_IN_REFUSED) after the same work, whether the name
    is unknown, the account disabled or locked, or the password wrong. The password is checked
    first (it is slow), then the account is read again and the attempt recorded inside one
    write transaction, so attempts made at the same moment all count. While the file is busy
    no attempt is decided: right or wrong, the answer is SIGN_IN_BUSY and nothing counts.
    A successful sign-in is recorded (last sign-in, audit) unless `record_success` is False,
    as for scripted commands that would otherwise write to the file on every run.
    """
    now = now or _now()
    _refuse_if_tampered(db)
    name = username.strip()
    if not (is_text(name) and is_text(password)):
        _verify(_dummy_hash(), "")
        raise SignInError(SIGN_IN_REFUSED)
    found = user_by_name(db, name)
    correct = _verify(found["password_hash"] if found else _dummy_hash(), password)
    refused = True
    try:
        with database_errors(), writing(db):
            user = user_by_name(db, name)
            locked = bool(user and user["locked_until"] and user["locked_until"] > _iso(now))
            if user is None or not user["active"] or locked:
                pass  # nothing to record: the answer is the same as for a wrong password
            elif found is None or user["password_hash"] != found["password_hash"]:
                pass  # the password changed while it was being checked: try again
            elif not correct:
                _record_failure(db, user, now)
            else:
                refused = False
                if record_success or user["failed_attempts"]:
                    changes = {
                        "failed_attempts": 0,
                        "locked_until": None,
                        "last_sign_in": _iso(now),
                    }
                    if _argon2().check_needs_rehash(user["password_hash"]):
                        changes["password_hash"] = _argon2().hash(password)
                    audit = AuditWriter(db, user["username"], at=_iso(now))
                    update_user(audit, user["id"], changes, reason="signed in")
    except DatabaseBusyError:
        raise SignInError(SIGN_IN_BUSY) from None
    if refused:
        raise SignInError(SIGN_IN_REFUSED)
    assert found is not None
    return Actor(found["username"], Role(found["role"]))


def _record_failure(db: Database, user: Mapping[str, Any], now: datetime) -> None:
    """Count a wrong password in the open write transaction; the fifth locks the account."""
    attempts = user["failed_attempts"] + 1
    if attempts >= MAX_FAILED_ATTEMPTS:
        changes = {"failed_attempts": 0, "locked_until": _iso(now + LOCKOUT)}
        reason = f"locked after {MAX_FAILED_ATTEMPTS} wrong passwords"
    else:
        changes, reason = {"failed_attempts": attempts}, "wrong password"
    update_user(AuditWriter(db, user["username"], at=_iso(now)), user["id"], changes, reason=reason)


def login_required(db: Database) -> bool:
    """False only when an administrator has switched sign-in off for this agency."""
    return setting(db, LOGIN_SETTING) != "0"


def set_login_required(db: Database, actor: Actor, required: bool) -> None:
    """Switch sign-in on or off (administrators only; audited, and shown in the title bar)."""
    require(actor, Permission.MANAGE_USERS)
    value = "1" if required else "0"
    with writing(db):
        put_setting(
            AuditWriter(db, actor.username),
            LOGIN_SETTING,
            value,
            reason="sign-in switched " + ("on" if required else "off"),
        )


def unattended_actor(db: Database) -> Actor | None:
    """Who acts when nobody signs in: only when there are no users yet or sign-in is off.

    Raises SignInError when the rows that decide this were changed outside the app.
    """
    _refuse_if_tampered(db)
    if not users_exist(db):
        return Actor(f"{getpass.getuser()} (no users yet)", Role.ADMIN)
    if not login_required(db):
        return Actor(f"{getpass.getuser()} (sign-in off)", Role.ADMIN)
    return None


def list_users(db: Database) -> list[dict[str, Any]]:
    """Every user, without password hashes."""
    return store_users.list_users(db)
