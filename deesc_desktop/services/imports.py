"""Importing roster, training, leave and incident files: all rows or none, re-imports add
nothing twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
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
from deesc_desktop.services.common import collector_paused, stamp, update_checked
from deesc_desktop.services.errors import ServiceError, require
from deesc_desktop.services.leave import requirements_text
from deesc_desktop.services.training import ClassDetails, course_id_for
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.courses import find_course, topic_codes
from deesc_desktop.store.database import page_cache_of_at_least, writing
from deesc_desktop.store.imports import finish_batch, start_batch
from deesc_desktop.store.leave import exemption_exists
from deesc_desktop.store.officers import badge_ids, officer_id_by_badge, separations_by_badge
from deesc_desktop.store.rows import insert_row
from deesc_desktop.store.training import recorded_classes
from deesc_desktop.store.training_bulk import NewRecord, insert_records

KINDS = ("roster", "training", "leave", "incidents")

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
    if kind == "incidents":
        # Imported here: the incident log's import builds on this module's ImportReport.
        from deesc_desktop.services.incidents import import_incidents

        return import_incidents(
            db, actor, path, dry_run=dry_run, mapping=mapping, progress=progress
        )
    with collector_paused():
        return _import(db, actor, kind, path, dry_run, mapping, progress)


IMPORT_PAGE_CACHE_KIB = 32_000
"""SQLite page cache while an import writes (the connection's default is about 2 MB): an
import adds to a dozen B-trees at once (the records, their topics, the audit log and their
indexes; the audit hashes land at random places in theirs), and with the default cache their
pages are evicted and read back again and again before the commit."""


def _import(
    db: Database,
    actor: Actor,
    kind: str,
    path: Path,
    dry_run: bool,
    mapping: Mapping[str, str] | None,
    progress: Progress | None,
) -> ImportReport:
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
        result = validate_roster(table, mapping, separations_by_badge(db))
    elif kind == "training":
        result = validate_training(table, badge_ids(db), topic_codes(db), mapping)
    else:
        result = validate_leave(table, badge_ids(db), None, mapping)
    report.warnings = [*table.warnings, *result.warnings]
    if kind == "roster":
        report.warnings += _unprintable_names(result.rows)
    if not result.ok:
        report.problems = list(result.errors)
        report.errors = [str(error) for error in result.errors]
        return report

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        with page_cache_of_at_least(db, IMPORT_PAGE_CACHE_KIB), writing(db):
            audit = AuditWriter(db, actor.username)
            import_id = start_batch(audit, kind, path.name, digest, len(table.rows))
            if kind == "training":
                _write_trainings(audit, result.rows, import_id, report, progress)
            else:
                writer: dict[str, Callable[[AuditWriter, Any, int, Table], str]] = {
                    "roster": _write_roster,
                    "leave": _write_leave,
                }
                total = len(result.rows)
                for done, row in enumerate(result.rows, start=1):
                    outcome = writer[kind](audit, row, import_id, table)
                    setattr(report, outcome, getattr(report, outcome) + 1)
                    _report_progress(report, progress, done, total)
            finish_batch(audit, import_id, report.added, report.updated, report.unchanged)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _report_progress(
    report: ImportReport, progress: Progress | None, done: int, total: int
) -> None:
    """Tell `progress` every 200 rows and at the end; cancel when it says so."""
    if progress and (done % 200 == 0 or done == total) and not progress(done, total):
        report.cancelled = True
        raise _Rollback


def _unprintable_names(rows: Sequence[RosterRow]) -> list[str]:
    """A warning for each name the printed reports cannot show."""
    # ReportLab only when importing a roster.
    from deesc_desktop.reports.base.fonts import unprintable

    warnings = []
    for row in rows:
        missing = unprintable(f"{row.last_name}{row.first_name}")
        if missing:
            warnings.append(
                f"row {row.row_number}: {row.last_name}, {row.first_name} has letters the "
                f"printed reports' font does not have ({missing}); they will print as empty "
                "boxes. Add the name in Latin letters too (for example in the first name) so "
                "reports stay readable."
            )
    return warnings


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
    found = officer_id_by_badge(db, row.badge)
    if found is None:
        insert_row(audit, "officers", {**values, **stamp(audit)})
        return "added"
    changed = update_checked(
        audit, "officers", found, values, noun="officer", reason=f"import {table.file_name}"
    )
    return "updated" if changed else "unchanged"


_WRITE_CHUNK = 2000
"""Training rows written per executemany: few statements, and progress still moves."""


def _write_trainings(
    audit: AuditWriter,
    rows: list[TrainingRow],
    import_id: int,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """Add the rows not yet recorded, in file order, counting added and unchanged.

    Writes what writing them one by one would (record ids, topic hours, audit entries in the
    same order), with the lookups done once and the rows written in chunks.
    """
    db = audit.db
    officers = badge_ids(db)
    # Titles as written in the file -> course id; a title not known yet is looked up (and
    # created) in file order, so a new course's audit entry keeps its place in the chain.
    courses: dict[str, int] = {}
    for title in dict.fromkeys(row.course for row in rows):
        found = find_course(db, title)
        if found is not None:
            courses[title] = found
    recorded: set[tuple[int, int, str]] = set()
    if rows:
        first = min(row.completed for row in rows)
        last = max(row.completed for row in rows)
        recorded = recorded_classes(db, set(courses.values()), first, last)
    pending: list[NewRecord] = []
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        completed = row.completed.isoformat()
        course_id = courses.get(row.course)
        if course_id is None:
            insert_records(audit, pending, import_id=import_id)
            pending = []
            course_id = courses[row.course] = course_id_for(audit, _class_details(row))
        officer_id = officers[row.badge]
        key = (officer_id, course_id, completed)
        if key in recorded:
            report.unchanged += 1
        else:
            recorded.add(key)
            pending.append(
                NewRecord(
                    officer_id,
                    course_id,
                    completed,
                    row.hours,
                    row.topic_hours,
                    row.delivery,
                    row.provider,
                    row.instructor,
                    row.pre_test,
                    row.post_test,
                )
            )
            report.added += 1
            if len(pending) >= _WRITE_CHUNK:
                insert_records(audit, pending, import_id=import_id)
                pending = []
        if progress:
            _report_progress(report, progress, done, total)
    insert_records(audit, pending, import_id=import_id)


def _class_details(row: TrainingRow) -> ClassDetails:
    """The class a training row describes, as a new course is made from it."""
    return ClassDetails(
        course=row.course,
        completed=row.completed.isoformat(),
        hours=row.hours,
        topic_hours=row.topic_hours,
        delivery=row.delivery,
        course_number=row.course_number,
        provider=row.provider,
        instructor=row.instructor,
    )


def _write_leave(audit: AuditWriter, row: LeaveRow, import_id: int, table: Table) -> str:
    db = audit.db
    officer_id = officer_id_by_badge(db, row.badge)
    assert officer_id is not None  # validated against the roster
    start, end = row.start.isoformat(), row.end.isoformat()
    requirements = requirements_text(row.requirement_ids)
    if exemption_exists(db, officer_id, start, end, requirements):
        return "unchanged"
    insert_row(
        audit,
        "exemptions",
        {
            "officer_id": officer_id,
            "start": start,
            "end": end,
            "requirements": requirements,
            "reason": row.reason,
            "granted_by": row.granted_by,
            "reference": row.reference,
            "granted_on": row.granted_on.isoformat() if row.granted_on else None,
            "import_id": import_id,
            **stamp(audit),
        },
    )
    return "added"
