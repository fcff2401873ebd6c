"""Paths and files: the right words for a locked file or a read-only folder, read commands that
create nothing, `backup DIR/` into the folder, and an `init` that is all or nothing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.cli import main
from deesc_desktop.store.database import DatabaseUnavailableError, open_database


def wal_copy(db: Database, target: Path) -> Path:
    """A closed copy in WAL mode, as the app leaves its file."""
    dest = sqlite3.connect(target)
    db.conn.backup(dest)
    dest.execute("PRAGMA journal_mode = WAL")
    dest.close()
    return target


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "share"
    folder.mkdir()
    yield folder
    subprocess.run(["chattr", "-i", str(folder)], check=False)


def test_a_read_only_folder_is_named_as_such_not_as_damage(
    db: Database, read_only_folder: Path
) -> None:
    copy = wal_copy(db, read_only_folder / "deesc.db")
    if (
        shutil.which("chattr") is None
        or subprocess.run(["chattr", "+i", str(read_only_folder)], capture_output=True).returncode
    ):
        pytest.skip("cannot make a read-only folder here")
    with pytest.raises(DatabaseUnavailableError) as refused:
        open_database(copy)
    said = str(refused.value)
    assert "cannot be written: the file or its folder is read-only" in said
    assert "restore" not in said.lower()


def test_an_exclusively_locked_file_is_named_as_locked_not_as_damage(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["--db", str(db_path), "check"]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    said = capsys.readouterr().err
    assert "is busy" in said and "holds it locked" in said
    assert "restore" not in said.lower()


@pytest.mark.parametrize(
    "command",
    [["check"], ["audit", "verify"], ["users", "list"], ["export", "roster", "-o", "r.csv"]],
)
def test_read_commands_never_create_a_database_or_its_folder(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--db", "typo/x.db", *command]) == 1
    assert "There is no database at typo/x.db" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_backup_into_a_folder_named_with_a_trailing_slash(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.close()
    stick = tmp_path / "usb" / "deesc"
    assert main(["--db", str(db_path), "backup", f"{stick}/"]) == 0
    (made,) = stick.glob("deesc-backup-*.db")
    assert f"Backed up to {made}" in capsys.readouterr().out
    assert (stick / f"{made.name}.manifest.json").is_file()


@pytest.mark.parametrize(
    ("extra", "password", "reason"),
    [
        (["--state", "ZZ"], "a long enough password", "state"),
        (["--state", "IL", "--admin", "boss"], "short", "password"),
    ],
)
def test_init_is_all_or_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    password: str,
    reason: str,
) -> None:
    monkeypatch.setenv("DEESC_NEW_PASSWORD", password)
    path = tmp_path / "new" / "deesc.db"
    args = ["--db", str(path), "init", "--name", "Test PD", *extra]
    if reason == "state":
        args += ["--admin", "boss"]
    assert main(args) == 1
    assert reason in capsys.readouterr().err
    assert not path.parent.exists()

    monkeypatch.setenv("DEESC_NEW_PASSWORD", "a long enough password")
    assert (
        main(["--db", str(path), "init", "--name", "Test PD", "--state", "IL", "--admin", "boss"])
        == 0
    )
    db = open_database(path)
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    db.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["deesc.db"]
