"""Automatic backups: one per day through the backup API, rotated, each one a sound database."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.services.maintenance import automatic_backup, verify_backup
from deesc_desktop.services.officers import add_officer


def test_daily_backups_for_sixty_days_are_rotated(
    db: Database, db_path: Path, admin: Actor
) -> None:
    start = date(2026, 1, 1)
    for n in range(60):
        automatic_backup(db, db_path, today=start + timedelta(days=n))
    kept = sorted(p.name for p in (db_path.parent / "backups" / "auto").glob("auto-*.db"))
    # Last day 2026-03-01 (a Sunday): 7 days 23 Feb-1 Mar; weeks ending 22, 15, 8 Feb;
    # months: January's newest (31 Jan) and February's (28 Feb, already a daily one).
    assert kept == [
        "auto-2026-01-31.db",
        "auto-2026-02-08.db",
        "auto-2026-02-15.db",
        "auto-2026-02-22.db",
        "auto-2026-02-23.db",
        "auto-2026-02-24.db",
        "auto-2026-02-25.db",
        "auto-2026-02-26.db",
        "auto-2026-02-27.db",
        "auto-2026-02-28.db",
        "auto-2026-03-01.db",
    ]


def test_todays_backup_is_refreshed_with_the_latest_changes(
    db: Database, db_path: Path, admin: Actor
) -> None:
    day = date(2026, 5, 4)
    first = automatic_backup(db, db_path, today=day)
    add_officer(
        db,
        admin,
        {"badge": "9", "last_name": "Kim", "first_name": "Wei", "hire_date": "2020-01-01"},
    )
    again = automatic_backup(db, db_path, today=day)
    assert again == first
    conn = sqlite3.connect(again)
    assert conn.execute("SELECT count(*) FROM officers").fetchone()[0] == 1
    conn.close()
    assert verify_backup(again).ok
