"""m013_audit_compact: files made before it keep every entry, hash and anchor, and stay
tamper-evident after the move to the compact log."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from deesc_desktop.cli import main
from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services.maintenance import verify_audit
from deesc_desktop.services.officers import edit_officer
from deesc_desktop.services.training import edit_training_record
from deesc_desktop.store import open_database
from deesc_desktop.store.audit import chain_head
from deesc_desktop.store.audit_scan import entry_images, verify_chain

DATA = Path(__file__).parent.parent / "data"
ADMIN = Actor("sgt.admin", Role.ADMIN)

PRE_M013 = "pre-m013.db"
"""Made by the app as it was before m013 (main at 9e6f2ad): users, a password change, officers,
a class, a correction with its reason, a deletion, a training import and a setting."""


def _old_log(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT id, at, username, action, table_name, row_id, before, after, reason, hash"
            " FROM audit_log ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def _migrated(tmp_path: Path, name: str) -> tuple[Path, list[tuple[Any, ...]]]:
    path = tmp_path / "deesc.db"
    shutil.copyfile(DATA / name, path)
    old = _old_log(path)
    open_database(path).close()
    return path, old


def test_the_upgraded_file_gives_back_the_space_the_old_log_took(tmp_path: Path) -> None:
    before = (DATA / PRE_M013).stat().st_size
    path, _old = _migrated(tmp_path, PRE_M013)
    db = open_database(path)
    try:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    finally:
        db.close()
    assert path.stat().st_size < before


@pytest.mark.parametrize("name", ["schema-v1.db", PRE_M013])
def test_an_old_file_keeps_every_entry_and_its_chain_verifies(tmp_path: Path, name: str) -> None:
    path, old = _migrated(tmp_path, name)
    db = open_database(path)
    try:
        report = verify_audit(db, path)
        assert report.ok, report.lines()
        assert report.entries >= len(old)
        entries = {
            row[0]: row
            for row in db.execute(
                "SELECT id, at, username, action, table_name, row_id, reason, hash FROM audit_log"
            )
        }
        images = entry_images(db, [row[0] for row in old])
        for entry_id, at, user, action, table, row_id, before, after, reason, digest in old:
            # Who, when, what and why, and the whole rows before and after, exactly as written.
            assert entries[entry_id] == (entry_id, at, user, action, table, row_id, reason, digest)
            assert images[entry_id] == (before, after)
    finally:
        db.close()


def test_the_head_an_old_file_had_is_still_an_anchor_after_the_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, old = _migrated(tmp_path, PRE_M013)
    head = f"{old[-1][0]}:{old[-1][9][:16]}"
    db = open_database(path)
    try:
        assert chain_head(db) == (old[-1][0], old[-1][9])
        # New entries follow the old ones on the same chain.
        officer = db.execute("SELECT id FROM officers WHERE badge = '0102'").fetchone()[0]
        edit_officer(db, ADMIN, officer, {"shift": "Days"})
        record = db.execute("SELECT max(id) FROM training_records").fetchone()[0]
        edit_training_record(db, ADMIN, record, {"hours": "1.5"}, reason="sheet said 1.5")
    finally:
        db.close()
    capsys.readouterr()
    assert main(["--db", str(path), "audit", "verify", "--anchor", head]) == 0
    assert "intact" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("column", "sql"),
    [
        ("who", "UPDATE audit_entries SET username = (SELECT max(id) FROM audit_names)"),
        ("when", "UPDATE audit_entries SET at = at + 3600"),
        ("images", "UPDATE audit_entries SET after = replace(after, '7.5', '8.5')"),
        ("reason", "UPDATE audit_entries SET reason = NULL"),
    ],
)
def test_an_entry_from_before_the_move_edited_after_it_is_caught(
    tmp_path: Path, column: str, sql: str
) -> None:
    path, old = _migrated(tmp_path, PRE_M013)
    (target,) = [
        row[0] for row in old if row[4] == "training_records" and row[3] == "update" and row[8]
    ]
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    changed = conn.execute(f"{sql} WHERE id = ?", [target]).rowcount
    conn.commit()
    conn.close()
    assert changed == 1, column
    db = Database(path)
    try:
        report = verify_chain(db)
        assert report.first_bad_id == target, column
        assert report.problem == f"entry {target} was changed after it was written"
    finally:
        db.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET after = replace(after, '\"Nights\"', '\"Days\"')",
        "UPDATE audit_log SET after = replace(after, ':', ': ')",  # not as the app writes JSON
        "UPDATE audit_log SET username = 'mallory'",
    ],
)
def test_an_entry_changed_before_the_move_is_still_caught_after_it(
    tmp_path: Path, sql: str
) -> None:
    path = tmp_path / "deesc.db"
    shutil.copyfile(DATA / PRE_M013, path)
    conn = sqlite3.connect(path)
    (target,) = conn.execute(
        "SELECT id FROM audit_log WHERE table_name = 'officers' AND action = 'update'"
    ).fetchone()
    conn.execute("DROP TRIGGER audit_log_no_update")
    assert conn.execute(f"{sql} WHERE id = ?", [target]).rowcount == 1
    conn.commit()
    conn.close()
    db = open_database(path)
    try:
        report = verify_chain(db)
        assert report.first_bad_id == target
        assert report.problem == f"entry {target} was changed after it was written"
    finally:
        db.close()
