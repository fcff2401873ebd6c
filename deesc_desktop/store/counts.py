"""Counts across the roster, the training and the imports, as the dashboard shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.dates import year_before
from deesc_desktop.core.hours import Centihours, from_float


@dataclass(frozen=True, slots=True)
class LastImport:
    """The most recent import batch."""

    kind: str
    file_name: str
    imported_at: str
    imported_by: str
    rows_added: int
    rows_updated: int
    rows_unchanged: int


@dataclass(frozen=True, slots=True)
class DashboardSummary:
    """The counts the dashboard shows."""

    by_status: dict[str, int]
    by_shift: list[tuple[str, int]]
    by_unit: list[tuple[str, int]]
    since: date
    records: int
    hours: Centihours
    officers_trained: int
    """Current (not separated) officers with at least one record since `since`."""
    last_import: LastImport | None = None
    courses: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def dashboard_summary(db: Database, today: date | None = None) -> DashboardSummary:
    """Officers by status, shift and unit; training in the last 12 months; the last import."""
    today = today or date.today()
    since = year_before(today)
    by_status = dict(db.execute("SELECT status, count(*) FROM officers GROUP BY status").fetchall())
    current = "WHERE status != 'separated'"
    by_shift = db.execute(
        f"SELECT shift, count(*) FROM officers {current} GROUP BY shift ORDER BY shift"
    ).fetchall()
    by_unit = db.execute(
        f"SELECT unit, count(*) FROM officers {current} GROUP BY unit ORDER BY unit"
    ).fetchall()
    records, hours, trained = db.execute(
        "SELECT count(*), total(r.hours),"
        " count(DISTINCT CASE WHEN o.status != 'separated' THEN r.officer_id END)"
        " FROM training_records r JOIN officers o ON o.id = r.officer_id"
        " WHERE r.completed >= ? AND r.completed <= ?",
        [since.isoformat(), today.isoformat()],
    ).fetchone()
    row = db.execute(
        "SELECT kind, file_name, imported_at, imported_by, rows_added, rows_updated,"
        " rows_unchanged FROM imports ORDER BY id DESC LIMIT 1"
    ).fetchone()
    course_count = db.execute("SELECT count(*) FROM courses").fetchone()[0]
    return DashboardSummary(
        by_status=by_status,
        by_shift=[(shift, count) for shift, count in by_shift],
        by_unit=[(unit, count) for unit, count in by_unit],
        since=since,
        records=records,
        hours=from_float(hours),
        officers_trained=trained,
        last_import=LastImport(*row) if row else None,
        courses=course_count,
    )


def roster_and_records(db: Database) -> tuple[int, int]:
    """How many officers (separated ones included) and training records the file holds."""
    officers = db.execute("SELECT count(*) FROM officers").fetchone()[0]
    records = db.execute("SELECT count(*) FROM training_records").fetchone()[0]
    return int(officers), int(records)
