"""CIT: the agency's CIT settings, certifications (hand-entered and earned from courses), the
team, and the roster and coverage as of a date.

Certifications earned by completing a CIT course are derived here at query time from the
training records, never stored, so they can never disagree with the records. Hand-entered
certificates live in the `certifications` table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.cit import (
    CIT_KIND,
    CertificationEvent,
    CitSettings,
    Coverage,
    OfficerCit,
    certification_periods,
    cit_status,
    course_events,
    coverage,
)
from deesc_desktop.core.hours import HoursError, from_float, parse_hours
from deesc_desktop.core.models import Certification, Officer, TrainingRecord
from deesc_desktop.store.agency import get_agency
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


def cit_course_by_number(db: Database, number: str) -> int | None:
    """The course marked for CIT whose course number this is (case-insensitive), or None."""
    if not number.strip():
        return None
    row = db.execute(
        "SELECT id FROM courses WHERE cit_role IS NOT NULL AND course_number = ? COLLATE NOCASE",
        [number.strip()],
    ).fetchone()
    return int(row[0]) if row else None


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


def _cit_records(
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


@dataclass(frozen=True, slots=True)
class OfficerCitHistory:
    """Everything that certified or renewed one officer, and the periods it adds up to."""

    events: tuple[CertificationEvent, ...]
    refreshers: tuple[TrainingRecord, ...]
    periods: tuple[Certification, ...]
    titles: dict[int, str]
    """certification id -> what it came from, e.g. "CIT Basic 2022-04-14"."""


def cit_histories(
    db: Database,
    settings: CitSettings | None = None,
    *,
    officer_id: int | None = None,
    through: date | None = None,
) -> dict[int, OfficerCitHistory]:
    """Every officer's CIT history (officers with none are left out), or one officer's.

    With `through`, the history as it stood that day: courses, refreshers and certificates
    dated later are left out, so a later refresher does not lengthen an earlier period.
    """
    settings = settings or cit_settings(db)
    roles = course_roles(db)
    events: dict[int, list[CertificationEvent]] = defaultdict(list)
    refreshers: dict[int, list[TrainingRecord]] = defaultdict(list)
    titles: dict[int, str] = {}
    for holder, records in _cit_records(db, officer_id, through).items():
        found, renewals = course_events(records, roles, settings)
        events[holder].extend(found)
        refreshers[holder].extend(renewals)
        by_id = {r.id: r for r in records}
        for event in found:
            record = by_id[event.source_id]
            titles[event.certification_id] = f"{record.course_title} {record.completed}"
    for cert in certificates(db, officer_id=officer_id, earned_by=through):
        if cert.kind != CIT_KIND:
            continue
        event = CertificationEvent(
            officer_id=cert.officer_id,
            day=cert.earned,
            source="certificate",
            source_id=cert.id,
            expires=cert.expires,
            number=cert.number,
            issuer=cert.issuer,
        )
        events[cert.officer_id].append(event)
        number = f" {cert.number}" if cert.number else ""
        titles[cert.id] = f"certificate{number} ({cert.issuer}) {cert.earned}"
    result = {}
    for holder in set(events) | set(refreshers):
        renewals = refreshers.get(holder, [])
        periods = certification_periods(
            events.get(holder, []), [r.completed for r in renewals], settings
        )
        ids = {p.id for p in periods}
        result[holder] = OfficerCitHistory(
            events=tuple(events.get(holder, ())),
            refreshers=tuple(renewals),
            periods=tuple(periods),
            titles={cid: titles[cid] for cid in ids if cid in titles},
        )
    return result


def cit_certifications(
    db: Database, *, officer_id: int | None = None, through: date | None = None
) -> dict[int, list[Certification]]:
    """officer id -> CIT certification periods (kind "cit"), oldest first."""
    return {
        holder: list(history.periods)
        for holder, history in cit_histories(db, officer_id=officer_id, through=through).items()
        if history.periods
    }


def certifications_by_officer(
    db: Database, *, officer_id: int | None = None, through: date | None = None
) -> dict[int, list[Certification]]:
    """Every certification held, for the compliance engine's `certification` requirements.

    CIT comes as validity periods (kind "cit"; see core.cit for the rule; an id below zero is
    minus the training record id of the course that earned it). Other kinds (such as Texas'
    "intermediate") come from the hand-entered certificates as entered. Revoked certificates
    are left out. With `officer_id`, only that officer's (each officer's history is their own);
    with `through`, only what was earned or renewed by that day.
    """
    result = cit_certifications(db, officer_id=officer_id, through=through)
    for cert in certificates(db, officer_id=officer_id, earned_by=through):
        if cert.kind == CIT_KIND:
            continue
        result.setdefault(cert.officer_id, []).append(
            Certification(
                id=cert.id,
                officer_id=cert.officer_id,
                kind=cert.kind,
                earned=cert.earned,
                expires=cert.expires,
                number=cert.number,
                issuer=cert.issuer,
            )
        )
    return result


def cit_team(db: Database, as_of: date) -> set[int] | None:
    """Officers on the CIT team on `as_of` (joined on or before it, not left before it);
    None when the agency has never recorded a team."""
    if db.execute("SELECT 1 FROM cit_team LIMIT 1").fetchone() is None:
        return None
    day = as_of.isoformat()
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


@dataclass(frozen=True, slots=True)
class CitRosterRow:
    """One officer of the certified roster: standing, where it came from, last refresher."""

    officer: Officer
    standing: OfficerCit
    source: str
    last_refresher: date | None
    team_member: bool = False
    """Selected for the CIT team on the day (CIT-trained is not the same)."""


@dataclass(frozen=True, slots=True)
class CitReport:
    """What `deesc cit` and the CIT page show."""

    as_of: date
    settings: CitSettings
    warning_days: int
    roster: tuple[CitRosterRow, ...]
    coverage: Coverage


def cit_roster(db: Database, as_of: date, officers: Sequence[Officer]) -> CitReport:
    """The certified roster of `officers` (those serving on `as_of`, in the status of that
    day: services.cit.cit_report chooses them) and their coverage, from what was dated by
    then."""
    settings = cit_settings(db)
    agency = get_agency(db)
    warning_days = agency.warning_days if agency else 90
    histories = cit_histories(db, settings, through=as_of)
    team = cit_team(db, as_of)
    rows = []
    held: set[int] = set()
    for officer in officers:
        history = histories.get(officer.id)
        if history is None:
            continue
        standing = cit_status(history.periods, as_of, warning_days)
        if standing.status.held:
            held.add(officer.id)
        if standing.certification is None:
            continue
        refreshed = [r.completed for r in history.refreshers if r.completed <= as_of]
        rows.append(
            CitRosterRow(
                officer=officer,
                standing=standing,
                source=history.titles.get(standing.certification.id, ""),
                last_refresher=max(refreshed) if refreshed else None,
                team_member=team is not None and officer.id in team,
            )
        )
    return CitReport(
        as_of=as_of,
        settings=settings,
        warning_days=warning_days,
        roster=tuple(rows),
        coverage=coverage(officers, held, settings, team),
    )


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
