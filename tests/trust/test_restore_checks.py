"""Restore restores exactly what it checked: no forged -wal, from read-only media, and never
another agency's records (or a file without users) without saying so by name."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.cli import main
from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.services.agency import init_agency
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.services.maintenance import (
    ConfirmationNeeded,
    anchor_file,
    backup_database,
    manifest_path,
    restore_database,
    verify_audit,
    verify_backup,
)
from deesc_desktop.services.officers import add_officer
from deesc_desktop.services.users import create_first_admin
from deesc_desktop.store.database import open_database

NOBODY_YET = Actor("someone (no users yet)", Role.ADMIN)
OFFICER = {"badge": "77", "last_name": "Reyes", "first_name": "Ana", "hire_date": "2020-02-03"}


def forge_wal_beside(backup: Path, statement: str) -> None:
    """A -wal beside the backup that SQLite would apply when the backup is opened."""
    work = backup.with_name("work.db")
    shutil.copyfile(backup, work)
    conn = sqlite3.connect(work)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(statement)
    conn.commit()
    shutil.copyfile(f"{work}-wal", f"{backup}-wal")  # copied while the frames are unapplied
    conn.close()
    work.unlink()


def officer_units(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT unit FROM officers ORDER BY id")]


@pytest.mark.parametrize("keep_manifest", [True, False])
def test_a_forged_wal_beside_a_backup_is_never_restored(
    db: Database, db_path: Path, admin: Actor, tmp_path: Path, keep_manifest: bool
) -> None:
    add_officer(db, admin, OFFICER)
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = backup_database(db, admin, db_path, usb)
    forge_wal_beside(backup, "UPDATE officers SET unit = 'Forged'")
    if not keep_manifest:
        manifest_path(backup).unlink()  # the forger removes what would give it away

    with pytest.raises(ServiceError, match="failed its checks") as refused:
        restore_database(db, admin, db_path, backup)
    said = str(refused.value)
    if keep_manifest:
        assert f"{backup}-wal beside the backup changes it" in said
    assert "officers row 1: unit is 'Forged' in the file" in said
    assert officer_units(db) == [""]


def test_restore_puts_back_the_checked_copy_with_its_own_entry_and_anchor(
    db: Database, db_path: Path, admin: Actor
) -> None:
    backup = backup_database(db, admin, db_path)
    add_officer(db, admin, OFFICER)
    restore_database(db, admin, db_path, backup)

    assert db.execute("SELECT count(*) FROM officers").fetchone()[0] == 0
    last = db.execute(
        "SELECT table_name, row_id, username FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert last == ("database", "restore", admin.username)
    report = verify_audit(db, db_path)
    assert report.ok, report.lines()
    assert '"event": "restore"' in anchor_file(db_path).read_text().splitlines()[-1]


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder as a write-protected USB stick or CD: nobody, not even root, writes there."""
    os.chmod(folder, 0o555)
    immutable = False
    probe = folder / ".probe"
    try:
        probe.touch()
    except OSError:
        pass
    else:
        probe.unlink()
        immutable = subprocess.run(["chattr", "+i", str(folder)], check=False).returncode == 0
        if not immutable:
            os.chmod(folder, 0o755)
            pytest.skip("cannot make a read-only folder here")
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        os.chmod(folder, 0o755)


def test_a_backup_on_read_only_media_is_verified_and_restored(
    db: Database, db_path: Path, admin: Actor, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = backup_database(db, admin, db_path, usb)
    add_officer(db, admin, OFFICER)
    before = sorted(usb.iterdir())
    with read_only(usb):
        assert verify_backup(backup).ok
        restore_database(db, admin, db_path, backup)
    assert db.execute("SELECT count(*) FROM officers").fetchone()[0] == 0
    assert sorted(usb.iterdir()) == before


def other_agency_backup(tmp_path: Path, *, with_users: bool) -> Path:
    path = tmp_path / "other" / "other.db"
    path.parent.mkdir()
    other = open_database(path)
    actor = NOBODY_YET
    if with_users:
        actor = create_first_admin(other, "spring.admin", "spring admin password")
    init_agency(other, actor, {"name": "Springfield Police Department", "state": "IL"})
    backup = backup_database(other, actor, path)
    other.close()
    return backup


def test_another_agencys_backup_needs_its_name_confirmed(
    db: Database, db_path: Path, admin: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = other_agency_backup(tmp_path, with_users=True)
    add_officer(db, admin, OFFICER)
    with pytest.raises(ConfirmationNeeded) as asked:
        restore_database(db, admin, db_path, backup)
    said = str(asked.value)
    assert "Springfield Police Department (IL)" in said and "Test Police Department (IL)" in said
    assert asked.value.agency == "Springfield Police Department"
    assert db.execute("SELECT count(*) FROM officers").fetchone()[0] == 1

    db.close()
    assert main(["--db", str(db_path), "restore", str(backup)]) == 1
    assert '--confirm-agency "Springfield Police Department"' in capsys.readouterr().err
    args = ["--db", str(db_path), "restore", str(backup)]
    assert main([*args, "--confirm-agency", "Springfield Police Department"]) == 0
    reopened = open_database(db_path)
    assert reopened.execute("SELECT name FROM agency").fetchone()[0].startswith("Springfield")
    reopened.close()


def test_a_backup_without_users_needs_confirming_and_users_list_says_so(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = create_first_admin(db, "the.admin", "the admin password")
    monkeypatch.setenv("DEESC_USER", "the.admin")
    monkeypatch.setenv("DEESC_PASSWORD", "the admin password")
    bare = tmp_path / "bare.db"
    plain = open_database(bare)
    init_agency(plain, NOBODY_YET, {"name": "Test Police Department", "state": "IL"})
    backup = backup_database(plain, NOBODY_YET, bare)
    plain.close()

    with pytest.raises(ConfirmationNeeded, match="it has no users"):
        restore_database(db, admin, db_path, backup)
    db.close()
    args = ["--db", str(db_path), "restore", str(backup)]
    assert main([*args, "--confirm-agency", "Test Police Department"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "users", "list"]) == 0
    said = capsys.readouterr().out
    assert "Sign-in is on" not in said and "No users yet" in said
