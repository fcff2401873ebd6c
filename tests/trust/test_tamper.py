"""Edits made behind the app's back with sqlite3 are named by `deesc audit verify` and `check`,
and a file whose users or settings were changed lets nobody sign in."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from deesc_desktop.cli import main
from deesc_desktop.demo import DEMO_ACTOR, DEMO_PASSWORD, load_demo
from deesc_desktop.services.users import SignInError, add_user, sign_in, unattended_actor
from deesc_desktop.store.database import open_database

Tamper = Callable[[sqlite3.Connection], None]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo agency plus a viewer, written through the app, built once per module."""
    path = tmp_path_factory.mktemp("pristine") / "deesc.db"
    db = open_database(path)
    load_demo(db)
    add_user(db, DEMO_ACTOR, {"username": "v.iewer", "role": "viewer"}, "viewer password")
    db.close()
    return path


@pytest.fixture
def demo_file(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "deesc.db"
    shutil.copyfile(pristine, path)
    monkeypatch.setenv("DEESC_USER", DEMO_ACTOR.username)
    monkeypatch.setenv("DEESC_PASSWORD", DEMO_PASSWORD)
    return path


def behind_the_apps_back(path: Path, *statements: str | Tamper) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        if callable(statement):
            statement(conn)
        else:
            conn.execute(statement)
    conn.commit()
    conn.close()


def past_trigger(name: str, statement: str) -> Tamper:
    """What an insider does about a protective trigger: drop it, edit, put it back as it was."""

    def tamper(conn: sqlite3.Connection) -> None:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
        ).fetchone()
        conn.execute(f"DROP TRIGGER {name}")
        conn.execute(statement)
        conn.execute(sql)

    return tamper


def deesc(path: Path, *args: str) -> int:
    return main(["--db", str(path), *args])


TRIGGER_PAID = (
    "CREATE TRIGGER claims_paid_is_final BEFORE UPDATE ON claims WHEN OLD.status = 'paid'\n"
    "            BEGIN\n"
    "                SELECT RAISE(ABORT, 'a paid claim is never changed; record an adjustment');\n"
    "            END"
)
TRIGGER_AMOUNT = (
    "CREATE TRIGGER claims_amount_is_frozen BEFORE UPDATE OF amount_cents ON claims\n"
    "            WHEN NEW.amount_cents != OLD.amount_cents\n"
    "            BEGIN SELECT RAISE(ABORT, 'a claim keeps the amount it was made for'); END"
)

CASES: dict[str, tuple[list[str | Tamper], list[str]]] = {
    "training hours": (
        ["UPDATE training_records SET hours = 8 WHERE id = 1"],
        ["training_records row 1: hours is 8.0"],
    ),
    "viewer made admin": (
        ["UPDATE users SET role = 'admin' WHERE username = 'v.iewer'"],
        ["users row 5: role is 'admin' in the file, but the audit log last recorded 'viewer'"],
    ),
    "password hash swapped": (
        [
            "UPDATE users SET password_hash ="
            " (SELECT password_hash FROM users WHERE username = 'demo-admin')"
            " WHERE username = 'v.iewer'"
        ],
        ["users row 5: password_hash is a different password hash"],
    ),
    "sign-in switched off": (
        ["INSERT OR REPLACE INTO settings (key, value) VALUES ('login.required', '0')"],
        ["settings row login.required was added outside the app"],
    ),
    "claim approved": (
        [
            "UPDATE claims SET status = 'approved', approved_at = '2026-01-02T00:00:00Z',"
            " approved_by = 'chief.harmon' WHERE id = 4"
        ],
        [
            "claims row 4: status is 'approved' in the file, but the audit log last recorded "
            "'submitted'",
            "claims row 4: approved_by is 'chief.harmon'",
        ],
    ),
    "paid claim's amount": (
        [
            "DROP TRIGGER claims_paid_is_final",
            "DROP TRIGGER claims_amount_is_frozen",
            "UPDATE claims SET amount_cents = 980000 WHERE id = 1",
            TRIGGER_PAID,
            TRIGGER_AMOUNT,
        ],
        [
            "claims row 1: amount_cents is 980000 in the file, but the audit log last recorded "
            "380000"
        ],
    ),
    "funding award": (
        [
            past_trigger(
                "funding_sources_award_approved",
                "UPDATE funding_sources SET amount_cents = 99900000 WHERE id = 1",
            )
        ],
        ["funding_sources row 1: amount_cents is 99900000"],
    ),
    "claim adjustment inserted": (
        [
            past_trigger(
                "claim_adjustments_positive_waits",
                "INSERT INTO claim_adjustments (claim_id, amount_cents, adjusted_on, reason,"
                " created_at, created_by, status) VALUES (1, 50000, '2026-01-05', 'bonus',"
                " '2026-01-05T00:00:00Z', 'fin.ruiz', 'counted')",
            )
        ],
        ["claim_adjustments row 3 was added outside the app"],
    ),
    "an entry's time past year 9999": (
        [
            past_trigger(
                "audit_entries_no_update", "UPDATE audit_entries SET at = 1 << 62 WHERE id = 1"
            )
        ],
        ["audit log: entry 1 was changed after it was written"],
    ),
    "protective trigger dropped": (
        ["DROP TRIGGER claims_paid_is_final"],
        ["schema: trigger claims_paid_is_final is missing"],
    ),
    "row deleted": (
        [
            "DELETE FROM training_topics WHERE record_id = 2",
            "DELETE FROM training_records WHERE id = 2",
        ],
        ["training_records row 2 was removed outside the app"],
    ),
}


def test_the_demo_as_written_by_the_app_verifies(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert deesc(demo_file, "audit", "verify") == 0
    assert "every row is as it last recorded" in capsys.readouterr().out
    assert deesc(demo_file, "check") == 0


@pytest.mark.parametrize("case", CASES)
def test_an_edit_outside_the_app_is_named_by_verify_and_check(
    demo_file: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    statements, expected = CASES[case]
    behind_the_apps_back(demo_file, *statements)
    capsys.readouterr()
    assert deesc(demo_file, "audit", "verify") == 1
    said = capsys.readouterr().err
    for words in expected:
        assert words in said
    assert deesc(demo_file, "check") == 1
    said = capsys.readouterr().err
    for words in expected:
        assert words in said


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE users SET role = 'admin' WHERE username = 'v.iewer'",
        "UPDATE users SET password_hash ="
        " (SELECT password_hash FROM users WHERE username = 'demo-admin')"
        " WHERE username = 'v.iewer'",
    ],
)
def test_nobody_signs_in_once_users_were_changed_outside_the_app(
    demo_file: Path, capsys: pytest.CaptureFixture[str], statement: str
) -> None:
    behind_the_apps_back(demo_file, statement)
    db = open_database(demo_file)
    with pytest.raises(SignInError, match="changed outside the app") as refused:
        sign_in(db, "v.iewer", "viewer password")
    assert "deesc check" in str(refused.value) and "users row 5" in str(refused.value)
    with pytest.raises(SignInError, match="changed outside the app"):
        sign_in(db, DEMO_ACTOR.username, DEMO_PASSWORD)
    db.close()
    assert deesc(demo_file, "users", "list") == 1
    said = capsys.readouterr().err
    assert "Nobody can sign in" in said and "deesc audit verify" in said


def test_sign_in_switched_off_outside_the_app_opens_nothing_unattended(
    demo_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    behind_the_apps_back(
        demo_file, "INSERT OR REPLACE INTO settings (key, value) VALUES ('login.required', '0')"
    )
    db = open_database(demo_file)
    with pytest.raises(SignInError, match=r"settings row login\.required"):
        unattended_actor(db)
    db.close()
    monkeypatch.delenv("DEESC_USER")
    assert deesc(demo_file, "users", "list") == 1
    assert "Nobody can sign in" in capsys.readouterr().err
