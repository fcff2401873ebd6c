"""CIT rows: the agency's CIT settings, the courses marked for CIT and their completions,
hand-entered certificates, and the team.

Certifications earned by completing a CIT course are never stored: services.cit derives them
from the completions read here, so they can never disagree with the records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.cit import (
    CitSettings,
)
from deesc_desktop.core.hours import HoursError, from_float, parse_hours
from deesc_desktop.core.models import TrainingRecord
from deesc_desktop.store.settings import read_settings, whole_number

SETTING_KEYS = {
    "target_percent": "cit.target_percent",
    "patrol_unit": "cit.patrol_unit",
    "certifying_min_hours": "cit.certifying_min_hours",
    "refresher_min_hours": "cit.refresher_min_hours",
    "validity_years": "cit.validity_years",
    "grace_days": "cit.grace_days",
}
"""CitSettings field -> key in the `settings` table."""


def _hours(text: str | None, default: int) -> int:
    try:
        return parse_hours(text) if text is not None else default
    except HoursError:
        return default


NO_EXPIRY = "none"
"""How the validity setting is stored when certificates do not expire (the default)."""


def _validity(text: str | None) -> int | None:
    if text is None or text.strip().casefold() in (NO_EXPIRY, ""):
        return None
    try:
        years = int(text)
    except ValueError:
        return None  # a hand-edited file must not stop the app; no expiry is the default
    return years if years > 0 else None


def cit_settings(db: Database) -> CitSettings:
    """The agency's CIT settings, each falling back to its default when absent or unreadable."""
    stored = read_settings(db, SETTING_KEYS.values())
    defaults = CitSettings()

    def get(field: str) -> str | None:
        return stored.get(SETTING_KEYS[field])

    return CitSettings(
        target_percent=whole_number(get("target_percent"), defaults.target_percent),
        patrol_unit=(get("patrol_unit") or defaults.patrol_unit).strip() or defaults.patrol_unit,
        certifying_min_hours=_hours(get("certifying_min_hours"), defaults.certifying_min_hours),
        refresher_min_hours=_hours(get("refresher_min_hours"), defaults.refresher_min_hours),
        validity_years=_validity(get("validity_years")),
        grace_days=whole_number(get("grace_days"), defaults.grace_days),
    )


def course_roles(db: Database) -> dict[int, str]:
    """course id -> "certifying" or "refresher", for the courses marked for CIT."""
    return dict(db.execute("SELECT id, cit_role FROM courses WHERE cit_role IS NOT NULL"))


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A hand-entered certificate as stored (revoked ones included when asked for)."""

    id: int
    officer_id: int
    kind: str
    earned: date
    expires: date | None
    number: str
    issuer: str
    notes: str
    revoked_at: str | None
    revoked_by: str | None
    revoked_reason: str
    version: int


def _certificate(row: dict[str, Any]) -> CertificateRow:
    return CertificateRow(
        id=row["id"],
        officer_id=row["officer_id"],
        kind=row["kind"],
        earned=date.fromisoformat(row["earned"]),
        expires=date.fromisoformat(row["expires"]) if row["expires"] else None,
        number=row["number"],
        issuer=row["issuer"],
        notes=row["notes"],
        revoked_at=row["revoked_at"],
        revoked_by=row["revoked_by"],
        revoked_reason=row["revoked_reason"],
        version=row["version"],
    )


def certificates(
    db: Database,
    *,
    officer_id: int | None = None,
    include_revoked: bool = False,
    earned_by: date | None = None,
) -> list[CertificateRow]:
    """Hand-entered certificates, by officer and earned date; with `earned_by`, only those
    earned on or before that day."""
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if officer_id is not None:
        where.append("officer_id = ?")
        params.append(officer_id)
    if earned_by is not None:
        where.append("earned <= ?")
        params.append(earned_by.isoformat())
    if not include_revoked:
        where.append("revoked_at IS NULL")
    cursor = db.execute(
        f"SELECT * FROM certifications WHERE {' AND '.join(where)} ORDER BY officer_id, earned, id",
        params,
    )
    names = [c[0] for c in cursor.description]
    return [_certificate(dict(zip(names, row, strict=True))) for row in cursor]


def certificate_twin(
    db: Database, officer_id: int, kind: str, earned: str, number: str, *, other_than: int = 0
) -> int | None:
    """The id of the officer's standing certificate of that kind, date and number, if any."""
    row = db.execute(
        "SELECT id FROM certifications WHERE officer_id = ? AND kind = ? AND earned = ?"
        " AND number = ? AND revoked_at IS NULL AND id != ?",
        [officer_id, kind, earned, number, other_than],
    ).fetchone()
    return int(row[0]) if row else None


def cit_completions(
    db: Database, officer_id: int | None = None, through: date | None = None
) -> dict[int, list[TrainingRecord]]:
    """Completions of courses marked for CIT, by officer (without topic splits: not needed),
    up to `through` when given."""
    records: dict[int, list[TrainingRecord]] = defaultdict(list)
    # The course subquery lets SQLite find the few CIT completions through the course
    # index; a join filtered on the course makes it walk every record in officer order.
    where = ""
    params: list[object] = []
    if officer_id is not None:
        where = " AND r.officer_id = ?"
        params.append(officer_id)
    if through is not None:
        where += " AND r.completed <= ?"
        params.append(through.isoformat())
    for row in db.execute(
        "SELECT r.id, r.officer_id, r.course_id, c.title, c.course_number, r.completed,"
        " r.hours, r.provider FROM training_records r JOIN courses c ON c.id = r.course_id"
        " WHERE r.course_id IN (SELECT id FROM courses WHERE cit_role IS NOT NULL)"
        f"{where} ORDER BY r.officer_id, r.completed, r.id",
        params,
    ):
        rid, holder, course_id, title, number, completed, hours, provider = row
        records[holder].append(
            TrainingRecord(
                id=rid,
                officer_id=holder,
                course_id=course_id,
                course_title=title,
                course_number=number,
                completed=date.fromisoformat(completed),
                hours=from_float(hours),
                topic_hours=(),
                provider=provider,
            )
        )
    return records


def cit_team(db: Database, as_of: date) -> set[int] | None:
    """Officers on the CIT team on `as_of` (joined on or before it, not left before it);
    None when the agency had recorded no team by then (nobody had joined yet)."""
    day = as_of.isoformat()
    if db.execute("SELECT 1 FROM cit_team WHERE joined <= ? LIMIT 1", [day]).fetchone() is None:
        return None
    return {
        officer_id
        for (officer_id,) in db.execute(
            "SELECT officer_id FROM cit_team"
            " WHERE joined <= ? AND (left_on IS NULL OR left_on >= ?)",
            [day, day],
        )
    }


def open_team_membership(db: Database, officer_id: int) -> dict[str, Any] | None:
    """The officer's current CIT team membership row (no end date), or None."""
    cursor = db.execute(
        "SELECT * FROM cit_team WHERE officer_id = ? AND left_on IS NULL ORDER BY joined DESC",
        [officer_id],
    )
    row = cursor.fetchone()
    return None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))


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
