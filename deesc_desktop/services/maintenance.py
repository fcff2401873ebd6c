"""Keeping the file healthy: integrity checks, backups to a folder or USB drive, and restore."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.retention import backups_to_keep
from deesc_desktop.paths import backups_dir
from deesc_desktop.services.course_files import check_documents
from deesc_desktop.services.errors import ServiceError, require
from deesc_desktop.store.audit import AuditWriter, verify_chain
from deesc_desktop.store.database import DatabaseError, backup_to, open_database, writing
from deesc_desktop.store.migrations import APPLICATION_ID


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `deesc check` found: an empty `problems` list means the file is sound."""

    problems: list[str] = field(default_factory=list)
    audit_entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database) -> CheckReport:
    """SQLite's integrity check, every foreign key, the audit log's hash chain, and every
    stored document against its SHA-256."""
    problems: list[str] = []
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.extend(f"integrity: {line}" for line in integrity[:20])
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall()[:20]:
        problems.append(f"foreign key: {table} row {rowid} points to a missing {parent} row")
    chain = verify_chain(db)
    if not chain.ok:
        problems.append(f"audit log: {chain.problem}")
    problems.extend(f"documents: {problem}" for problem in check_documents(db))
    return CheckReport(problems, chain.entries)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def backup_database(db: Database, actor: Actor, db_path: Path, dest: Path | None = None) -> Path:
    """Copy the live database with SQLite's backup API to `dest` (a file or a folder).

    With no `dest`, the copy goes to `backups/` beside the database.
    """
    require(actor, Permission.BACKUP)
    name = f"deesc-backup-{_stamp()}.db"
    if dest is None:
        target = backups_dir(db_path) / name
    elif dest.is_dir() or str(dest).endswith(("/", "\\")):
        target = dest / name
    else:
        target = dest
    if target.exists():
        raise ServiceError(f"{target} already exists; choose another name.")
    try:
        return backup_to(db, target)
    except (OSError, sqlite3.Error) as exc:
        target.unlink(missing_ok=True)
        raise ServiceError(f"Could not write the backup to {target}: {exc}") from exc


def verify_backup(path: Path) -> CheckReport:
    """Check a backup file before it replaces anything: ours, readable, sound, chain intact."""
    if not path.is_file():
        raise ServiceError(f"There is no backup file at {path}.")
    # Open a scratch copy: verifying must never migrate or otherwise touch the user's backup.
    scratch = path.with_name(f".verify-{_stamp()}-{path.name}")
    shutil.copyfile(path, scratch)
    try:
        try:
            db = open_database(scratch, create=False)
        except DatabaseError as exc:
            raise ServiceError(f"{path} cannot be restored: {exc}") from exc
        try:
            if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise ServiceError(f"{path} is not a deesc-desktop backup.")
            return check_database(db)
        finally:
            db.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)


def restore_database(db: Database, actor: Actor, db_path: Path, backup: Path) -> Path:
    """Replace the open database's contents with a verified backup; returns the safety copy.

    The current file is first copied to `backups/` so a wrong restore can itself be undone.
    The restore is written into the audit log of the restored database.
    """
    require(actor, Permission.RESTORE)
    report = verify_backup(backup)
    if not report.ok:
        raise ServiceError(
            f"{backup} failed its checks and was not restored: " + "; ".join(report.problems)
        )
    safety = backup_to(db, backups_dir(db_path) / f"before-restore-{_stamp()}.db")
    source = sqlite3.connect(str(backup))
    try:
        # The backup API copies page by page under a lock: readers never see a half-restored file.
        source.backup(db.conn)
    finally:
        source.close()
    open_database(db_path).close()  # migrates an older backup, with its own safety copy
    with writing(db):
        AuditWriter(db, actor.username).record(
            "update",
            "database",
            "restore",
            after={"restored_from": str(backup), "safety_copy": str(safety)},
            reason="restore from backup",
        )
    return safety


AUTO_PREFIX = "auto-"


def automatic_backup(db: Database, db_path: Path, *, today: date | None = None) -> Path:
    """Today's automatic backup (made or refreshed), then rotation of the older ones.

    Called when the app closes and once a day while it stays open. One file per day in
    `backups/auto/`; older ones are kept per core.retention (7 daily, 4 weekly, 12 monthly).
    """
    today = today or date.today()
    folder = backups_dir(db_path) / "auto"
    target = folder / f"{AUTO_PREFIX}{today.isoformat()}.db"
    partial = target.with_suffix(".partial")
    try:
        backup_to(db, partial)
        partial.replace(target)  # the day's previous backup stays whole until this succeeds
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise ServiceError(f"Could not write the automatic backup to {folder}: {exc}") from exc
    rotate_automatic_backups(folder, today)
    return target


def rotate_automatic_backups(folder: Path, today: date) -> list[Path]:
    """Delete the automatic backups retention no longer keeps; returns what was deleted."""
    found: dict[date, Path] = {}
    for path in folder.glob(f"{AUTO_PREFIX}*.db"):
        try:
            found[date.fromisoformat(path.stem.removeprefix(AUTO_PREFIX))] = path
        except ValueError:
            continue  # not one of ours: leave it alone
    keep = backups_to_keep(found, today)
    deleted = [path for day, path in found.items() if day not in keep]
    for path in deleted:
        path.unlink(missing_ok=True)
    return sorted(deleted)
