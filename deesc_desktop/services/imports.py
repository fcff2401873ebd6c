"""Importing roster, training and leave files: all rows or none, re-imports add nothing twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.importers import (
    ImportFileError,
    LeaveRow,
    RosterRow,
    RowError,
    Table,
    TrainingRow,
    read_table,
    validate_leave,
    validate_roster,
    validate_training,
)
from deesc_desktop.services.common import insert_row, stamp, update_row
from deesc_desktop.services.errors import ServiceError, require
from deesc_desktop.services.leave import requirements_text
from deesc_desktop.services.training import Attendee, ClassDetails, course_id_for, insert_record
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.queries import badge_ids, row_dict, topic_codes

KINDS = ("roster", "training", "leave")

Progress = Callable[[int, int], bool]
"""Called as progress(done, total); returning False cancels the import (nothing is written)."""


@dataclass
class ImportReport:
    """The outcome of an import or a dry run: counts, or every refusal with row and column."""

    kind: str
    file_name: str
    dry_run: bool = False
    rows_in_file: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False
    problems: list[RowError] = field(default_factory=list)
    """The refusals as data (file, row, column, reason), for a table of problems."""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.cancelled

    def summary(self) -> str:
        if self.cancelled:
            return f"{self.file_name}: import cancelled; nothing was written."
        verb = "would add" if self.dry_run else "added"
        text = (
            f"{self.file_name}: {self.rows_in_file} rows; {verb} {self.added}, "
            f"{'would update' if self.dry_run else 'updated'} {self.updated}, "
            f"{self.unchanged} already recorded"
        )
        return text + (" (dry run: nothing was written)" if self.dry_run else "")


class _Rollback(Exception):
    """Ends a dry run or a cancelled import by rolling its transaction back."""


def import_file(
    db: Database,
    actor: Actor,
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, validate and (unless `dry_run`) write one import file in a single transaction.

    Every bad row is reported and nothing is written when any row is bad. Rows already in
    the database are counted as unchanged, so importing the same file twice adds nothing.
    """
    require(actor, Permission.IMPORT)
    if kind not in KINDS:
        raise ServiceError(f'"{kind}" is not an import kind ({", ".join(KINDS)})')
    report = ImportReport(kind, path.name, dry_run)
    try:
        table = read_table(path)
    except ImportFileError as exc:
        report.errors.append(str(exc))
        report.problems.append(RowError(exc.file_name, None, None, exc.reason))
        return report
    report.rows_in_file = len(table.rows)
    result: Any
    if kind == "roster":
        result = validate_roster(table, mapping)
    elif kind == "training":
        result = validate_training(table, badge_ids(db), topic_codes(db), mapping)
    else:
        result = validate_leave(table, badge_ids(db), None, mapping)
    report.warnings = [*table.warnings, *result.warnings]
    if not result.ok:
        report.problems = list(result.errors)
        report.errors = [str(error) for error in result.errors]
        return report

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        with writing(db):
            audit = AuditWriter(db, actor.username)
            import_id = _start_batch(audit, kind, path.name, digest, len(table.rows))
            writer: dict[str, Callable[[AuditWriter, Any, int, Table], str]] = {
                "roster": _write_roster,
                "training": _write_training,
                "leave": _write_leave,
            }
            total = len(result.rows)
            for done, row in enumerate(result.rows, start=1):
                outcome = writer[kind](audit, row, import_id, table)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if progress and (done % 200 == 0 or done == total) and not progress(done, total):
                    report.cancelled = True
                    raise _Rollback
            db.execute(
                "UPDATE imports SET rows_added = ?, rows_updated = ?, rows_unchanged = ?"
                " WHERE id = ?",
                [report.added, report.updated, report.unchanged, import_id],
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _start_batch(audit: AuditWriter, kind: str, name: str, digest: str, rows: int) -> int:
    return insert_row(
        audit,
        "imports",
        {
            "kind": kind,
            "file_name": name,
            "sha256": digest,
            "rows_in_file": rows,
            "rows_added": 0,
            "rows_updated": 0,
            "rows_unchanged": 0,
            "imported_at": audit.at,
            "imported_by": audit.username,
        },
    )


def _write_roster(audit: AuditWriter, row: RosterRow, import_id: int, table: Table) -> str:
    db = audit.db
    values: dict[str, Any] = {
        "badge": row.badge,
        "last_name": row.last_name,
        "first_name": row.first_name,
        "rank": row.rank,
        "unit": row.unit,
        "shift": row.shift,
        "hire_date": row.hire_date.isoformat(),
        "license_date": row.license_date.isoformat() if row.license_date else None,
        "state_id": row.state_id,
        "email": row.email,
        "status": row.status,
        "separation_date": row.separation_date.isoformat() if row.separation_date else None,
    }
    found = db.execute("SELECT id FROM officers WHERE badge = ?", [row.badge]).fetchone()
    if found is None:
        insert_row(audit, "officers", {**values, **stamp(audit)})
        return "added"
    changed = update_row(
        audit, "officers", found[0], values, noun="officer", reason=f"import {table.file_name}"
    )
    return "updated" if changed else "unchanged"


def _write_training(audit: AuditWriter, row: TrainingRow, import_id: int, table: Table) -> str:
    db = audit.db
    officer = db.execute("SELECT id FROM officers WHERE badge = ?", [row.badge]).fetchone()
    details = ClassDetails(
        course=row.course,
        completed=row.completed.isoformat(),
        hours=row.hours,
        topic_hours=row.topic_hours,
        delivery=row.delivery,
        course_number=row.course_number,
        provider=row.provider,
        instructor=row.instructor,
    )
    course_id = course_id_for(audit, details)
    duplicate = db.execute(
        "SELECT 1 FROM training_records WHERE officer_id = ? AND course_id = ? AND completed = ?",
        [officer[0], course_id, details.completed],
    ).fetchone()
    if duplicate:
        return "unchanged"
    attendee = Attendee(officer[0], row.pre_test, row.post_test)
    insert_record(audit, officer[0], course_id, details, attendee, import_id=import_id)
    return "added"


def _write_leave(audit: AuditWriter, row: LeaveRow, import_id: int, table: Table) -> str:
    db = audit.db
    officer = db.execute("SELECT id FROM officers WHERE badge = ?", [row.badge]).fetchone()
    requirements = requirements_text(row.requirement_ids)
    values = {
        "officer_id": officer[0],
        "start": row.start.isoformat(),
        "end": row.end.isoformat(),
        "requirements": requirements,
    }
    duplicate = db.execute(
        'SELECT 1 FROM exemptions WHERE officer_id = ? AND start = ? AND "end" = ?'
        " AND requirements = ?",
        list(values.values()),
    ).fetchone()
    if duplicate:
        return "unchanged"
    insert_row(
        audit,
        "exemptions",
        {**values, "reason": row.reason, "import_id": import_id, **stamp(audit)},
    )
    return "added"


def last_import(db: Database) -> dict[str, Any] | None:
    """The most recent import batch, for the GUI's "last import" line."""
    row = db.execute("SELECT max(id) FROM imports").fetchone()
    return row_dict(db, "imports", row[0]) if row and row[0] else None
