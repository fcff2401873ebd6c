"""Following the audit log: which tables changed since a screen last looked, on a real file."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.changes import ChangeTracker
from deesc_desktop.services.officers import add_officer, edit_officer
from deesc_desktop.services.training import record_class
from deesc_desktop.store.database import open_database, writing

ANA = {"badge": "0101", "last_name": "Peña", "first_name": "Ana", "hire_date": "2019-03-15"}


def test_a_write_is_reported_once_by_the_tables_it_touched(db: Database, admin: Actor) -> None:
    tracker = ChangeTracker(db)
    assert tracker.take() == frozenset()
    officer_id = add_officer(db, admin, ANA)
    assert tracker.take() == {"officers"}
    assert tracker.take() == frozenset()
    record_class(
        db,
        admin,
        {"course": "ICAT", "completed": "2025-03-01", "hours": "8", "topics": "de_escalation"},
        [officer_id],
    )
    edit_officer(db, admin, officer_id, {"shift": "Nights"}, expected_version=1)
    assert tracker.take() >= {"training_records", "officers"}


def test_writes_by_another_connection_are_seen(db: Database, db_path: Path, admin: Actor) -> None:
    tracker = ChangeTracker(db)
    other = open_database(db_path)  # another copy of the app, or the `deesc` command
    try:
        add_officer(other, admin, ANA)
    finally:
        other.close()
    assert tracker.take() == {"officers"}


def test_a_replaced_file_asks_for_everything(tmp_path: Path, admin: Actor) -> None:
    """A restore puts another log in place: the tracker cannot say what changed, so all."""
    path = tmp_path / "agency.db"
    db = open_database(path)
    add_officer(db, admin, ANA)
    db.close()
    shutil.copy(path, tmp_path / "earlier.db")
    db = open_database(path)
    tracker = ChangeTracker(db)
    edit_officer(db, admin, 1, {"shift": "Nights"}, expected_version=1)
    assert tracker.take() == {"officers"}
    db.close()
    shutil.copy(tmp_path / "earlier.db", path)  # the earlier copy, without that edit
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    tracker.db = open_database(path)
    try:
        # The earlier file's log stops before the entry the tracker last saw.
        assert tracker.take() is None
        assert tracker.take() == frozenset()
    finally:
        tracker.db.close()


def test_listeners_hear_each_commit_not_rollbacks_or_savepoints(db: Database, admin: Actor) -> None:
    heard: list[str] = []

    def listener() -> None:
        heard.append("commit")

    tracker = ChangeTracker(db)
    tracker.on_commit(listener)
    add_officer(db, admin, ANA)
    assert heard == ["commit"]
    try:
        with writing(db):
            with writing(db):  # a savepoint inside the transaction
                db.execute("UPDATE officers SET shift = 'Days'")
            raise RuntimeError("the change is abandoned")
    except RuntimeError:
        pass
    assert heard == ["commit"]
    assert tracker.take() == {"officers"}


def test_a_listener_that_is_gone_is_dropped(db: Database, admin: Actor) -> None:
    heard: list[int] = []

    class Screen:
        def refresh(self) -> None:
            heard.append(1)

    screen = Screen()
    ChangeTracker(db).on_commit(screen.refresh)
    add_officer(db, admin, ANA)
    del screen
    add_officer(db, admin, {**ANA, "badge": "0102", "last_name": "Ruiz"})
    assert heard == [1]
