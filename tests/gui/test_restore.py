"""File > Restore from backup: a backup replaces the data, a non-backup is refused."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.gui.action_table import ActionId
from deesc_desktop.gui.mainwindow import MainWindow
from deesc_desktop.services.maintenance import backup_database
from deesc_desktop.services.officers import add_officer
from tests.gui.helpers import Prompts, settle


def test_restore_undoes_later_changes_and_is_audited(
    window: MainWindow, db: Database, db_path: Path, admin: Actor, say: Prompts
) -> None:
    backup = backup_database(db, admin, db_path)
    add_officer(
        db,
        admin,
        {"badge": "900", "last_name": "Later", "first_name": "Added", "hire_date": "2020-01-01"},
    )
    assert db.execute("select count(*) from officers").fetchone()[0] == 1
    say.open_path = backup

    window.registry[ActionId.RESTORE_BACKUP].trigger()
    settle()

    confirm = [text for kind, _t, text in say.messages if kind == "confirm"]
    assert confirm and str(backup) in confirm[0] and str(db_path) in confirm[0]
    assert "saved to backups/ first" in confirm[0]
    assert db.execute("select count(*) from officers").fetchone()[0] == 0
    done = say.texts("inform")[-1]
    assert "before-restore-" in done
    row = db.execute(
        "select action, row_id from audit_log where table_name = 'database' order by id desc"
    ).fetchone()
    assert row == ("update", "restore")


def test_restore_refuses_a_file_that_is_not_a_backup(
    window: MainWindow, db: Database, tmp_path: Path, say: Prompts
) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not a database")
    say.open_path = bogus

    window.registry[ActionId.RESTORE_BACKUP].trigger()
    settle()

    errors = [(title, text) for kind, title, text in say.messages if kind == "error"]
    assert errors and errors[0][0] == "Restore failed"
    assert str(bogus) in errors[0][1]
    assert not say.texts("inform")


def test_restore_cancelled_changes_nothing(
    window: MainWindow, db: Database, db_path: Path, admin: Actor, say: Prompts
) -> None:
    backup = backup_database(db, admin, db_path)
    add_officer(
        db,
        admin,
        {"badge": "900", "last_name": "Later", "first_name": "Added", "hire_date": "2020-01-01"},
    )
    say.open_path = backup
    say.confirm_answer = False

    window.registry[ActionId.RESTORE_BACKUP].trigger()
    settle()

    assert db.execute("select count(*) from officers").fetchone()[0] == 1


def test_restore_is_for_administrators_only(window_as: object, users: dict[str, Actor]) -> None:
    win = window_as(users["sgt.delgado"])  # type: ignore[operator]
    assert not win.registry[ActionId.RESTORE_BACKUP].isEnabled()
    admin_win = window_as(users["admin.lee"])  # type: ignore[operator]
    assert admin_win.registry[ActionId.RESTORE_BACKUP].isEnabled()
