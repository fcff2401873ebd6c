"""Bad files and bad moments: read-only, full disk, locked, damaged. Clear words, nothing lost."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.cli import main
from deesc_desktop.core.auth import Actor
from deesc_desktop.services.maintenance import check_database
from deesc_desktop.services.officers import add_officer
from deesc_desktop.store import DatabaseError, open_database
from deesc_desktop.store.database import describe_database_error
from tests.conftest import table_counts


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _closed_copy(db_path: Path, target: Path) -> Path:
    conn = sqlite3.connect(db_path)
    dest = sqlite3.connect(target)
    conn.backup(dest)
    conn.close()
    dest.execute("PRAGMA journal_mode = DELETE")
    dest.close()
    return target


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths made immutable with chattr +i: read-only even for root, as CI runs."""
    made: list[Path] = []
    yield made
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def _make_immutable(path: Path, made: list[Path]) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available to make a read-only file")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make a read-only file here: {done.stderr.decode().strip()}")
    made.append(path)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_file_or_folder_is_refused_in_words_and_untouched(
    db_path: Path, db: Database, tmp_path: Path, immutable: list[Path], what: str
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    copy = _closed_copy(db_path, folder / "deesc.db")
    before = digest(copy)
    _make_immutable(copy if what == "file" else folder, immutable)
    with pytest.raises(DatabaseError, match="cannot be written: the file or its folder"):
        open_database(copy)
    assert digest(copy) == before


def test_a_full_disk_undoes_the_change_and_says_so(db: Database, admin: Actor) -> None:
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    before = table_counts(db)
    with pytest.raises(sqlite3.OperationalError) as caught:
        for n in range(200):
            values = {"badge": str(n), "last_name": "x" * 900, "first_name": "y"}
            add_officer(db, admin, {**values, "hire_date": "2020-01-01"})
    message = describe_database_error(caught.value)
    assert message is not None and "is full. Nothing was saved" in message
    after = table_counts(db)
    # Every officer that was saved has its audit entry; the one that failed left neither.
    assert after["officers"] == after["audit_log"] - before["audit_log"]
    db.execute("PRAGMA max_page_count = 1073741823")
    assert check_database(db).ok


def test_a_locked_database_gives_a_clear_message_after_a_short_wait(
    db_path: Path, db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("badge,last_name,first_name,hire_date\n1,Kim,Wei,2020-01-01\n")
    other = sqlite3.connect(db_path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        code = main(["--db", str(db_path), "import", "roster", str(roster)])
    finally:
        other.rollback()
        other.close()
    err = capsys.readouterr().err
    assert code == 1
    assert "is busy: another copy of deesc-desktop" in err and "Nothing was saved" in err
    assert db.execute("SELECT count(*) FROM officers").fetchone()[0] == 0


def test_a_damaged_file_is_refused_and_left_as_it_is(
    db_path: Path, db: Database, tmp_path: Path
) -> None:
    copy = _closed_copy(db_path, tmp_path / "damaged.db")
    data = bytearray(copy.read_bytes())
    data[4096:12288] = b"\xde\xad\xbe\xef" * 2048  # scribble over the pages after the first
    copy.write_bytes(bytes(data))
    before = digest(copy)
    with pytest.raises(DatabaseError) as caught:
        open_database(copy)
    text = str(caught.value)
    assert "Restore it from a backup" in text or "restore it from a backup" in text
    assert digest(copy) == before


def test_a_write_waits_for_another_copy_to_finish_and_then_succeeds(
    db_path: Path, db: Database, admin: Actor
) -> None:
    import threading

    other = sqlite3.connect(db_path, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings (key, value) VALUES ('other.copy', 'was here')")
    release = threading.Timer(1.0, other.commit)
    release.start()
    try:
        values = {"badge": "5", "last_name": "Kim", "first_name": "Wei", "hire_date": "2020-01-01"}
        add_officer(db, admin, values)  # blocks until the other copy commits
    finally:
        release.join()
        other.close()
    assert db.execute("SELECT value FROM settings WHERE key = 'other.copy'").fetchone() == (
        "was here",
    )
    assert db.execute("SELECT count(*) FROM officers").fetchone()[0] == 1
