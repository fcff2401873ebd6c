"""Keeping the file healthy: checks against the audit log and its anchors, backups, restore."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.retention import backups_to_keep
from deesc_desktop.paths import backups_dir
from deesc_desktop.services.course_files import check_documents
from deesc_desktop.services.dashboard import check_kept_summary
from deesc_desktop.services.errors import ServiceError, require
from deesc_desktop.services.outputs import check_output_path
from deesc_desktop.services.users import users_exist
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.audit import AuditWriter, chain_head, utc_now
from deesc_desktop.store.audit_scan import entries_with_hash, hash_at
from deesc_desktop.store.database import (
    DatabaseError,
    application_id,
    backup_to,
    foreign_key_problems,
    integrity_problems,
    open_database,
    replace_contents,
    writing,
)
from deesc_desktop.store.migrations.common import APPLICATION_ID
from deesc_desktop.store.reconcile import RowDifference, audit_differences, schema_differences

MAX_DIFFERENCES_SHOWN = 100
"""A file changed wholesale names its first hundred rows; a count says how many more."""

ANCHOR_FILE = "audit-anchors.jsonl"
"""The file in backups/ that keeps the audit log's head at every backup and restore."""

MANIFEST_SUFFIX = ".manifest.json"
"""Beside each backup: what it is, and the audit log's head and the file's SHA-256 then."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """A head of the audit log recorded outside the file, which the log must still extend.

    `entries` is None for a bare hash (any entry may have it); `digest` may be the start of
    a hash, as a printed report shows it.
    """

    entries: int | None
    digest: str
    source: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The audit log against itself (the chain), its anchors, the schema and the live rows."""

    entries: int
    head: str
    problems: list[str] = field(default_factory=list)
    rows: list[RowDifference] = field(default_factory=list)
    anchors_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.rows

    def lines(self, limit: int = MAX_DIFFERENCES_SHOWN) -> list[str]:
        """Every problem, then the first `limit` rows that differ from the log."""
        shown = [*self.problems, *(row.describe() for row in self.rows[:limit])]
        if len(self.rows) > limit:
            shown.append(f"... and {len(self.rows) - limit} more rows that differ from the log")
        return shown


def anchor_file(db_path: Path) -> Path:
    """The anchor file of the database at `db_path`."""
    return backups_dir(db_path) / ANCHOR_FILE


def _anchor_line(entries: int, digest: str, event: str, file: Path | None) -> str:
    record = {
        "at": utc_now(),
        "event": event,
        "entries": entries,
        "hash": digest,
        "file": str(file) if file else "",
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def record_anchor(db: Database, db_path: Path, event: str, file: Path | None = None) -> None:
    """Append the log's head to the anchor file beside the backups."""
    entries, digest = chain_head(db)
    target = anchor_file(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as handle:
        handle.write(_anchor_line(entries, digest, event, file))


def read_anchor_file(path: Path) -> tuple[list[Anchor], list[str]]:
    """The anchors in an anchor file since its last restore, and lines it cannot read.

    A restore puts an older log in place, so the anchors recorded before it no longer
    apply; the restore's own line is the first anchor of the log that follows.
    """
    anchors: list[Anchor] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            anchor = Anchor(
                int(record["entries"]),
                str(record["hash"]),
                f"{path} line {number} ({record['event']} at {record['at']})",
            )
        except (ValueError, KeyError, TypeError):
            problems.append(f"{path} line {number} is not an anchor: it was edited")
            continue
        if record["event"] == "restore":
            anchors.clear()
        anchors.append(anchor)
    return anchors, problems


_HASH = re.compile(r"(?:(\d+):)?([0-9a-f]{12,64})")


def parse_anchor(text: str) -> list[Anchor]:
    """The anchors HASH_OR_FILE names: a hash, ENTRIES:HASH (as a report prints it), a backup's
    manifest, an anchor file or a backup database."""
    match = _HASH.fullmatch(text.strip().lower())
    if match and not Path(text).exists():
        entries = int(match.group(1)) if match.group(1) else None
        if entries is None and len(match.group(2)) != 64:
            raise ServiceError(f"{text} is not a whole hash: give ENTRIES:HASH or all 64 digits.")
        return [Anchor(entries, match.group(2), f"the anchor {text}")]
    path = Path(text).expanduser()
    if not path.is_file():
        raise ServiceError(f"{text} is neither a hash nor a file (no file at {path}).")
    if path.name.endswith(MANIFEST_SUFFIX) or path.suffix == ".json":
        manifest = _read_manifest(path)
        return [Anchor(manifest["audit_entries"], manifest["audit_head"], f"the manifest {path}")]
    if path.suffix == ".jsonl":
        anchors, problems = read_anchor_file(path)
        if problems:
            raise ServiceError("; ".join(problems))
        return anchors
    with _private_copy(path) as copy:
        backup = _open_backup(copy, path)
        try:
            entries, digest = chain_head(backup)
        finally:
            backup.close()
    return [Anchor(entries, digest, f"the backup {path}")]


def _anchor_problem(db: Database, anchor: Anchor, entries: int) -> str | None:
    if anchor.entries is None:
        if entries_with_hash(db, anchor.digest) is None:
            return (
                f"audit log: no entry has the hash recorded in {anchor.source} "
                f"({anchor.digest[:16]}…): the log was rewritten or cut short since"
            )
        return None
    if anchor.entries > entries:
        return (
            f"audit log: {anchor.source} recorded {anchor.entries} entries, but the log now has "
            f"{entries}: entries were removed"
        )
    digest = hash_at(db, anchor.entries)
    if digest is None or not digest.startswith(anchor.digest):
        return (
            f"audit log: entry {anchor.entries} is not the one recorded in {anchor.source}: "
            "the log was rewritten up to it"
        )
    return None


def verify_audit(
    db: Database, db_path: Path | None = None, anchors: Sequence[Anchor] = ()
) -> AuditReport:
    """The whole audit check: the chain, every anchor, the schema and every live row.

    With `db_path`, the anchor file beside its backups is checked too, when there is one.
    """
    chain, rows = audit_differences(db)
    problems = [] if chain.ok else [f"audit log: {chain.problem}; entries before it are intact"]
    checks = list(anchors)
    if db_path is not None and anchor_file(db_path).is_file():
        found, unreadable = read_anchor_file(anchor_file(db_path))
        checks.extend(found)
        problems.extend(unreadable)
    entries, head = chain_head(db)
    problems.extend(
        problem for anchor in checks if (problem := _anchor_problem(db, anchor, entries))
    )
    problems.extend(f"schema: {found.describe()}" for found in schema_differences(db))
    return AuditReport(entries, head, problems, rows, len(checks))


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `deesc check` found: an empty `problems` list means the file is sound."""

    problems: list[str] = field(default_factory=list)
    audit_entries: int = 0
    anchors_checked: int = 0
    summary_day: date | None = None
    """The day of the kept compliance summary compared with the records, if one was kept."""

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(
    db: Database, db_path: Path | None = None, anchors: Sequence[Anchor] = ()
) -> CheckReport:
    """SQLite's integrity check, every foreign key, the whole audit check, and every stored
    document against its SHA-256."""
    problems: list[str] = []
    problems.extend(f"integrity: {line}" for line in integrity_problems(db, 20))
    problems.extend(f"foreign key: {found.describe()}" for found in foreign_key_problems(db, 20))
    audit = verify_audit(db, db_path, anchors)
    problems.extend(audit.lines())
    problems.extend(f"documents: {problem}" for problem in check_documents(db))
    summary = check_kept_summary(db)
    if summary is not None and not summary.ok:
        problems.append(summary.describe())
    return CheckReport(
        problems, audit.entries, audit.anchors_checked, None if summary is None else summary.as_of
    )


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def manifest_path(backup: Path) -> Path:
    """Where the manifest of a backup file lives: beside it."""
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_backup(
    db: Database, db_path: Path, target: Path, event: str, *, final: Path | None = None
) -> Path:
    """The backup itself, its manifest beside it, and its line in the anchor file (naming
    `final`, the name the backup gets once it is complete, when that is another)."""
    backup_to(db, target)
    entries, digest = chain_head(db)
    agency = get_agency(db)
    manifest = {
        "made_at": utc_now(),
        "database": str(db_path),
        "agency": agency.name if agency else "",
        "audit_entries": entries,
        "audit_head": digest,
        "sha256": _sha256(target),
    }
    manifest_path(target).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    record_anchor(db, db_path, event, final or target)
    return target


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        int(manifest["audit_entries"])
        str(manifest["audit_head"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ServiceError(f"{path} is not a backup manifest ({exc}).") from None
    return dict(manifest)


def _free_name(folder: Path) -> Path:
    """A dated backup name in `folder` that is not taken (two backups in one second)."""
    stem = f"deesc-backup-{_stamp()}"
    target, number = folder / f"{stem}.db", 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{number}.db"
    return target


def backup_database(
    db: Database,
    actor: Actor,
    db_path: Path,
    dest: Path | str | None = None,
    *,
    force: bool = False,
) -> Path:
    """Copy the live database with SQLite's backup API to `dest` (a file or a folder).

    With no `dest`, the copy goes to `backups/` beside the database. A `dest` that is a folder,
    or ends with a path separator, gets a dated file inside it. A manifest goes beside the
    copy and the audit log's head into the anchor file.
    """
    require(actor, Permission.BACKUP)
    if dest is None:
        target = _free_name(backups_dir(db_path))
    elif Path(dest).is_dir() or str(dest).endswith(("/", "\\")):
        target = _free_name(Path(dest))
    else:
        target = Path(dest)
    check_output_path(target, db_path, force=force, kind="backup")
    # Written under another name and renamed when whole: a file it replaces (--force) stays
    # as it was if the backup fails.
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_backup(db, db_path, partial, "backup", final=target)
        partial.replace(target)
        manifest_path(partial).replace(manifest_path(target))
    except (OSError, DatabaseError) as exc:
        partial.unlink(missing_ok=True)
        manifest_path(partial).unlink(missing_ok=True)
        raise ServiceError(f"Could not write the backup to {target}: {exc}") from exc
    return target


@contextlib.contextmanager
def _private_copy(path: Path) -> Iterator[Path]:
    """A copy of a backup (with its -wal or -journal, if any) in a private folder.

    Verifying never touches the backup, works from read-only media, and what is verified is
    exactly what a restore then copies in, whatever happens to the file meanwhile.
    """
    if not path.is_file():
        raise ServiceError(f"There is no backup file at {path}.")
    with tempfile.TemporaryDirectory(prefix="deesc-restore-") as folder:
        copy = Path(folder) / "backup.db"
        try:
            shutil.copyfile(path, copy)
            for suffix in ("-wal", "-journal"):
                beside = Path(f"{path}{suffix}")
                if beside.is_file():
                    shutil.copyfile(beside, Path(f"{copy}{suffix}"))
        except OSError as exc:
            raise ServiceError(f"Cannot read the backup {path}: {exc}") from exc
        yield copy


def _open_backup(copy: Path, original: Path) -> Database:
    try:
        db = open_database(copy, create=False)
    except DatabaseError as exc:
        raise ServiceError(f"{original} cannot be restored: {exc}") from exc
    if application_id(db) != APPLICATION_ID:
        db.close()
        raise ServiceError(f"{original} is not a deesc-desktop backup.")
    return db


def _manifest_problems(backup: Database, original: Path, digest: str) -> list[str]:
    """The manifest beside a backup against the copy of it that was checked (`digest` is the
    SHA-256 of the copied bytes)."""
    path = manifest_path(original)
    if not path.is_file():
        return []
    manifest = _read_manifest(path)
    problems = []
    if manifest.get("sha256") and manifest["sha256"] != digest:
        problems.append(f"{original} is not the file its manifest describes: it was changed")
    for suffix in ("-wal", "-journal"):
        if Path(f"{original}{suffix}").is_file():
            problems.append(
                f"{original}{suffix} beside the backup changes it after it was made (a backup "
                "the app writes has none)"
            )
    anchor = Anchor(manifest["audit_entries"], manifest["audit_head"], f"the manifest {path}")
    entries, _ = chain_head(backup)
    if problem := _anchor_problem(backup, anchor, entries):
        problems.append(problem)
    return problems


def _check_backup(backup: Database, original: Path, digest: str) -> CheckReport:
    report = check_database(backup)
    problems = [*_manifest_problems(backup, original, digest), *report.problems]
    return replace(report, problems=problems)


def verify_backup(path: Path) -> CheckReport:
    """Check a backup file before it replaces anything: ours, readable, sound, its audit log
    (chain, rows, schema) intact and, when it has a manifest, still what the manifest says."""
    with _private_copy(path) as copy:
        digest = _sha256(copy)
        backup = _open_backup(copy, path)
        try:
            return _check_backup(backup, path, digest)
        finally:
            backup.close()


class ConfirmationNeeded(ServiceError):
    """A restore that replaces one agency with another, or brings back a file with no users.

    Given again with `confirm_agency` equal to `agency`, it goes ahead.
    """

    def __init__(self, message: str, agency: str) -> None:
        super().__init__(message)
        self.agency = agency


def _agency_label(db: Database) -> str:
    agency = get_agency(db)
    return f"{agency.name} ({agency.state})" if agency else "no agency"


def _confirm(db: Database, backup: Database, original: Path, confirm_agency: str | None) -> None:
    current, restored = _agency_label(db), _agency_label(backup)
    agency = get_agency(backup)
    name = agency.name if agency else ""
    reasons = []
    if get_agency(db) is not None and current != restored:
        reasons.append(
            f"it is a backup of {restored}, not of {current}: restoring it replaces the records "
            f"of {current} with those of {restored}"
        )
    if users_exist(db) and not users_exist(backup):
        reasons.append(
            "it has no users: once it is restored nobody signs in, and anyone at this PC works "
            "in it as an administrator"
        )
    if reasons and confirm_agency != name:
        raise ConfirmationNeeded(
            f"{original}: {'; and '.join(reasons)}. The backup is of {restored}; the open "
            f'database is {current}. To go ahead, confirm the agency "{name}".',
            name,
        )


def restore_database(
    db: Database,
    actor: Actor,
    db_path: Path,
    backup: Path,
    *,
    confirm_agency: str | None = None,
) -> Path:
    """Replace the open database's contents with a verified backup; returns the safety copy.

    The backup is copied to a private folder and checked there; the restore's audit entry is
    added to that checked copy, which then replaces the open file's contents in one step of
    SQLite's backup API, so the restore and its entry land together. The current file is
    first copied to `backups/` so a wrong restore can itself be undone.
    """
    require(actor, Permission.RESTORE)
    with _private_copy(backup) as copy:
        digest = _sha256(copy)
        restored = _open_backup(copy, backup)
        try:
            report = _check_backup(restored, backup, digest)
            if not report.ok:
                raise ServiceError(
                    f"{backup} failed its checks and was not restored: "
                    + "; ".join(report.problems)
                )
            _confirm(db, restored, backup, confirm_agency)
            safety = backups_dir(db_path) / f"before-restore-{_stamp()}.db"
            _write_backup(db, db_path, safety, "before restore")
            with writing(restored):
                AuditWriter(restored, actor.username).record(
                    "update",
                    "database",
                    "restore",
                    after={"restored_from": str(backup), "safety_copy": str(safety)},
                    reason="restore from backup",
                )
            replace_contents(db, restored)
        finally:
            restored.close()
    record_anchor(db, db_path, "restore", backup)
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
        _write_backup(db, db_path, partial, "automatic backup", final=target)
        partial.replace(target)  # the day's previous backup stays whole until this succeeds
        manifest_path(partial).replace(manifest_path(target))
    except (OSError, DatabaseError) as exc:
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
        manifest_path(path).unlink(missing_ok=True)
    return sorted(deleted)
