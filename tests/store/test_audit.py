"""The audit log: written with each change, append-only, and tampering is detected."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.officers import add_officer, edit_officer
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.audit_scan import verify_chain
from deesc_desktop.store.database import writing
from deesc_desktop.store.views import audit_entries


def _add(db: Database, admin: Actor, badge: str = "101") -> int:
    return add_officer(
        db,
        admin,
        {"badge": badge, "last_name": "Nguyễn", "first_name": "Minh", "hire_date": "2019-04-01"},
    )


def test_each_change_is_logged_with_user_and_before_after(db: Database, admin: Actor) -> None:
    officer_id = _add(db, admin)
    edit_officer(db, admin, officer_id, {"shift": "Nights"})
    entries = audit_entries(db, table="officers").rows[::-1]
    assert [e.action for e in entries] == ["insert", "update"]
    assert all(e.username == "sgt.admin" for e in entries)
    assert entries[1].before and entries[1].after
    before, after = json.loads(entries[1].before), json.loads(entries[1].after)
    assert (before["shift"], after["shift"]) == ("", "Nights")
    assert after["version"] == before["version"] + 1
    assert verify_chain(db).ok


def test_audit_log_refuses_update_and_delete(db: Database, admin: Actor) -> None:
    _add(db, admin)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET username = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")
    for table in ("audit_entries", "audit_names"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(f"UPDATE {table} SET id = id + 1000")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(f"DELETE FROM {table}")


def test_an_edit_made_outside_the_app_is_detected(
    db: Database, db_path: Path, admin: Actor
) -> None:
    before = verify_chain(db).entries  # the schema's own entries and the agency
    for badge in ("101", "102", "103"):
        _add(db, admin, badge)
    assert verify_chain(db).entries == before + 3
    edited = before + 2
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("INSERT INTO audit_names (name) VALUES ('mallory')")
    conn.execute(
        "UPDATE audit_entries SET username = (SELECT id FROM audit_names WHERE name = 'mallory')"
        f" WHERE id = {edited}"
    )
    conn.commit()
    conn.close()
    report = verify_chain(db)
    assert not report.ok
    assert report.first_bad_id == edited
    assert f"entry {edited} was changed" in report.problem


@pytest.mark.parametrize(
    ("what", "sql"),
    [
        ("bytes", "UPDATE audit_entries SET after = CAST(after AS BLOB)"),
        ("seconds as a real number", "UPDATE audit_entries SET at = at * 1.0"),
        ("the row id as text", "UPDATE audit_entries SET row_id = CAST(row_id AS TEXT) || ' '"),
        ("a JSON escape", "UPDATE audit_entries SET after = replace(after, '\"', '\\u0022')"),
    ],
)
def test_an_entry_stored_in_a_form_the_app_never_writes_is_changed(
    db: Database, db_path: Path, admin: Actor, what: str, sql: str
) -> None:
    for badge in ("101", "102", "103"):
        _add(db, admin, badge)
    edited = verify_chain(db).entries - 1
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    assert conn.execute(f"{sql} WHERE id = {edited}").rowcount == 1, what
    conn.commit()
    conn.close()
    report = verify_chain(db)
    assert report.first_bad_id == edited, what
    assert report.problem == f"entry {edited} was changed after it was written"


def test_a_name_stored_as_bytes_is_a_change_not_a_crash(
    db: Database, db_path: Path, admin: Actor
) -> None:
    _add(db, admin)
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_names_no_update")
    conn.execute(
        "UPDATE audit_names SET name = CAST(name AS BLOB) WHERE id = (SELECT username"
        " FROM audit_entries ORDER BY id DESC LIMIT 1)"
    )
    conn.commit()
    conn.close()
    report = verify_chain(db)
    assert report.first_bad_id is not None
    assert report.problem == f"entry {report.first_bad_id} was changed after it was written"


def test_texts_with_control_characters_and_quotes_verify(db: Database, admin: Actor) -> None:
    # The services refuse most control characters now; a file from an older version, or a
    # notes field (tabs, line breaks), can still hold them, and the chain must verify.
    text = '1\x01\x1f\n\t"\\\u2028\x7f\u00e9\U0001f600'
    with writing(db):
        AuditWriter(db, admin.username).record("insert", "things", 1, after={"text": text})
    assert verify_chain(db).ok


def test_audit_writer_refuses_to_write_outside_a_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        AuditWriter(db, "someone")
