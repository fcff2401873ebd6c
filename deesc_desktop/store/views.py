"""List queries behind the GUI's tables and dashboard: one query per list, rows as named tuples."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.hours import Centihours, from_float
from deesc_desktop.core.names import name_key


class RosterRow(NamedTuple):
    """One officer as the roster table shows it; dates are ISO text."""

    id: int
    badge: str
    last_name: str
    first_name: str
    rank: str
    unit: str
    shift: str
    hire_date: str
    license_date: str | None
    status: str
    separation_date: str | None
    version: int

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


_ROSTER_SQL = """
SELECT id, badge, last_name, first_name, rank, unit, shift, hire_date, license_date, status,
       separation_date, version
FROM officers
"""


def roster(db: Database) -> list[RosterRow]:
    """Every officer, separated ones included, in the order a reader expects names."""
    rows = list(map(RosterRow._make, db.execute(_ROSTER_SQL)))
    rows.sort(key=lambda r: name_key(r.last_name, r.first_name, r.badge))
    return rows


def roster_row(db: Database, officer_id: int) -> RosterRow | None:
    """One officer as the roster shows them, or None."""
    row = db.execute(_ROSTER_SQL + " WHERE id = ?", [officer_id]).fetchone()
    return RosterRow._make(row) if row else None


def officer_form(db: Database, officer_id: int) -> dict[str, Any] | None:
    """Every column of one officer, version included, to fill the edit form."""
    cursor = db.execute("SELECT * FROM officers WHERE id = ?", [officer_id])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


@dataclass(frozen=True, slots=True)
class OfficerChoices:
    """Values already in use, offered in the officer form's editable combo boxes."""

    ranks: list[str]
    units: list[str]
    shifts: list[str]


def officer_choices(db: Database) -> OfficerChoices:
    """Distinct non-empty ranks, units and shifts on the roster, sorted."""
    values: dict[str, set[str]] = {"rank": set(), "unit": set(), "shift": set()}
    for rank, unit, shift in db.execute("SELECT DISTINCT rank, unit, shift FROM officers"):
        for name, value in (("rank", rank), ("unit", unit), ("shift", shift)):
            if value:
                values[name].add(value)
    return OfficerChoices(
        ranks=sorted(values["rank"], key=str.casefold),
        units=sorted(values["unit"], key=str.casefold),
        shifts=sorted(values["shift"], key=str.casefold),
    )


class TrainingListRow(NamedTuple):
    """One training record with its officer and course, as the training list shows it."""

    id: int
    officer_id: int
    badge: str
    last_name: str
    first_name: str
    course_id: int
    course: str
    course_number: str
    completed: str
    hours: Centihours
    topic_hours: tuple[tuple[str, Centihours], ...]
    delivery: str
    provider: str
    instructor: str
    pre_test: float | None
    post_test: float | None
    version: int

    @property
    def officer_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


_TRAINING_SQL = """
SELECT r.id, r.officer_id, o.badge, o.last_name, o.first_name, r.course_id, c.title,
       c.course_number, r.completed, r.hours,
       (SELECT group_concat(topic || ':' || hours, ';')
          FROM (SELECT topic, hours FROM training_topics t
                WHERE t.record_id = r.id ORDER BY topic)),
       r.delivery, r.provider, r.instructor, r.pre_test, r.post_test, r.version
FROM training_records r
JOIN officers o ON o.id = r.officer_id
JOIN courses c ON c.id = r.course_id
"""


def _split(text: str | None) -> tuple[tuple[str, Centihours], ...]:
    if not text:
        return ()
    parts = []
    for part in text.split(";"):
        code, _, hours = part.partition(":")
        parts.append((code, from_float(float(hours or 0))))
    return tuple(parts)


def _training_row(row: tuple[Any, ...]) -> TrainingListRow:
    values = list(row)
    values[9] = from_float(values[9])
    values[10] = _split(values[10])
    return TrainingListRow._make(values)


def training_records(
    db: Database, *, start: date | None = None, end: date | None = None
) -> list[TrainingListRow]:
    """Training records completed between `start` and `end` (inclusive), newest first."""
    where, params = [], []
    if start is not None:
        where.append("r.completed >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("r.completed <= ?")
        params.append(end.isoformat())
    sql = _TRAINING_SQL + (f" WHERE {' AND '.join(where)}" if where else "")
    sql += " ORDER BY r.completed DESC, o.last_name COLLATE NOCASE, o.first_name, r.id"
    return [_training_row(row) for row in db.execute(sql, params)]


def training_record(db: Database, record_id: int) -> TrainingListRow | None:
    """One training record as the list shows it, or None."""
    row = db.execute(_TRAINING_SQL + " WHERE r.id = ?", [record_id]).fetchone()
    return _training_row(row) if row else None


class CourseRow(NamedTuple):
    """A course and the defaults a new class of it starts from."""

    id: int
    title: str
    course_number: str
    provider: str
    default_hours: float | None
    default_topics: str
    delivery: str


def courses(db: Database) -> list[CourseRow]:
    """Every course, by title."""
    cursor = db.execute(
        "SELECT id, title, course_number, provider, default_hours, default_topics, delivery"
        " FROM courses ORDER BY title COLLATE NOCASE"
    )
    return list(map(CourseRow._make, cursor))


def topic_labels(db: Database) -> dict[str, str]:
    """Every topic code the agency knows with its label, built-in topics first."""
    cursor = db.execute(
        "SELECT code, label FROM topics ORDER BY builtin DESC, label COLLATE NOCASE"
    )
    return dict(cursor.fetchall())


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


def year_before(today: date) -> date:
    """The day after the same date a year earlier: the first day of "the last 12 months"."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + timedelta(days=1)


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


# --- CIT -------------------------------------------------------------------------------------


class CertificateListRow(NamedTuple):
    """A hand-entered certificate with its officer, as the CIT page lists it (dates ISO)."""

    id: int
    officer_id: int
    badge: str
    last_name: str
    first_name: str
    kind: str
    earned: str
    expires: str | None
    number: str
    issuer: str
    notes: str
    revoked_at: str | None
    revoked_by: str | None
    revoked_reason: str
    version: int

    @property
    def officer_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


def certificate_list(
    db: Database, *, officer_id: int | None = None, include_revoked: bool = True
) -> list[CertificateListRow]:
    """Hand-entered certificates, newest earned first, revoked ones too unless asked not."""
    where, params = [], []
    if officer_id is not None:
        where.append("c.officer_id = ?")
        params.append(officer_id)
    if not include_revoked:
        where.append("c.revoked_at IS NULL")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    cursor = db.execute(
        "SELECT c.id, c.officer_id, o.badge, o.last_name, o.first_name, c.kind, c.earned,"
        " c.expires, c.number, c.issuer, c.notes, c.revoked_at, c.revoked_by,"
        " c.revoked_reason, c.version FROM certifications c"
        f" JOIN officers o ON o.id = c.officer_id {clause}"
        " ORDER BY c.earned DESC, o.last_name COLLATE NOCASE, c.id",
        params,
    )
    return list(map(CertificateListRow._make, cursor))


class CitCourseRow(NamedTuple):
    """A course and what it counts as for CIT (None: nothing)."""

    id: int
    title: str
    course_number: str
    default_hours: float | None
    cit_role: str | None
    completions: int


def cit_courses(db: Database) -> list[CitCourseRow]:
    """Every course with its CIT role and how many completions it has, by title."""
    cursor = db.execute(
        "SELECT c.id, c.title, c.course_number, c.default_hours, c.cit_role,"
        " (SELECT count(*) FROM training_records r WHERE r.course_id = c.id)"
        " FROM courses c ORDER BY c.cit_role IS NULL, c.title COLLATE NOCASE"
    )
    return list(map(CitCourseRow._make, cursor))


class AuditRow(NamedTuple):
    """One audit log entry; before and after are the rows as JSON text (None when absent)."""

    id: int
    at: str
    username: str
    action: str
    table_name: str
    row_id: str
    before: str | None
    after: str | None
    reason: str


_AUDIT_COLUMNS = (
    "a.id, a.at, a.username, a.action, a.table_name, a.row_id, a.before, a.after, a.reason"
)


@dataclass(frozen=True, slots=True)
class AuditPage:
    """The newest entries matching the filters, and how many match in all."""

    rows: list[AuditRow]
    total: int


def audit_entries(
    db: Database,
    *,
    table: str | None = None,
    username: str | None = None,
    since: date | None = None,
    until: date | None = None,
    text: str = "",
    limit: int = 2000,
) -> AuditPage:
    """Audit entries, newest first, at most `limit`; dates are the entries' (UTC) days.

    `text` is looked for in the row id and the reason.
    """
    where: list[str] = []
    params: list[Any] = []
    if table:
        where.append("a.table_name = ?")
        params.append(table)
    if username:
        where.append("a.username = ?")
        params.append(username)
    if since is not None:
        where.append("a.at >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append("a.at < ?")
        params.append((until + timedelta(days=1)).isoformat())
    if text.strip():
        where.append("(a.row_id LIKE ? ESCAPE '\\' OR a.reason LIKE ? ESCAPE '\\')")
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [pattern + "%", pattern + "%"]
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = db.execute(f"SELECT count(*) FROM audit_log a {clause}", params).fetchone()[0]
    cursor = db.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM audit_log a {clause} ORDER BY a.id DESC LIMIT ?",
        [*params, limit],
    )
    return AuditPage(list(map(AuditRow._make, cursor)), total)


def audit_choices(db: Database) -> tuple[list[str], list[str]]:
    """The tables and the user names that appear in the audit log, for its filters."""
    tables = [r[0] for r in db.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY 1")]
    names = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT username FROM audit_log ORDER BY username COLLATE NOCASE"
        )
    ]
    return tables, names


OFFICER_CHILD_TABLES = ("training_records", "exemptions", "certifications")
"""Tables whose rows belong to one officer (an officer_id column), shown in their history."""


def officer_history(db: Database, officer_id: int) -> list[AuditRow]:
    """The officer's own audit entries and those of their training records, leave and
    certificates (still existing, or deleted: matched by the officer_id they held), newest first.
    """
    children = ", ".join("?" for _ in OFFICER_CHILD_TABLES)
    cursor = db.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM audit_log a"
        " WHERE (a.table_name = 'officers' AND a.row_id = ?)"
        f" OR (a.table_name IN ({children}) AND ("
        "   json_extract(a.after, '$.officer_id') = ?"
        "   OR json_extract(a.before, '$.officer_id') = ?"
        "   OR (a.table_name = 'training_records' AND a.row_id IN"
        "     (SELECT CAST(id AS TEXT) FROM training_records WHERE officer_id = ?))"
        "   OR (a.table_name = 'exemptions' AND a.row_id IN"
        "     (SELECT CAST(id AS TEXT) FROM exemptions WHERE officer_id = ?))))"
        " ORDER BY a.id DESC",
        [str(officer_id), *OFFICER_CHILD_TABLES, officer_id, officer_id, officer_id, officer_id],
    )
    return list(map(AuditRow._make, cursor))


def audit_entry(db: Database, entry_id: int) -> AuditRow | None:
    """One audit entry by its number, or None."""
    cursor = db.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit_log a WHERE a.id = ?", [entry_id])
    row = cursor.fetchone()
    return AuditRow._make(row) if row else None


def later_entries(db: Database, table: str, row_id: str, after: int) -> list[AuditRow]:
    """The entries about one row written after entry number `after`, oldest first."""
    cursor = db.execute(
        f"SELECT {_AUDIT_COLUMNS} FROM audit_log a"
        " WHERE a.table_name = ? AND a.row_id = ? AND a.id > ? ORDER BY a.id",
        [table, row_id, after],
    )
    return list(map(AuditRow._make, cursor))
