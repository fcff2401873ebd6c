"""CIT: each officer's certification history and the roster and coverage as of a date (worked
out from the completions of the courses marked for CIT and the hand-entered certificates);
which courses certify or refresh, hand-entered certificates, the CIT settings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.cit import (
    CERTIFYING,
    CIT_KIND,
    COURSE_ROLES,
    CertificationEvent,
    CitSettings,
    Coverage,
    OfficerCit,
    certification_periods,
    cit_status,
    course_events,
    coverage,
)
from deesc_desktop.core.hours import HoursError, format_hours, from_float, parse_hours
from deesc_desktop.core.models import Certification, Officer, TrainingRecord
from deesc_desktop.services.common import (
    FieldErrors,
    clean_reason,
    fetch_for_update,
    iso,
    stamp,
    update_checked,
)
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError, require
from deesc_desktop.services.roster import roster_on
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.cit import (
    NO_EXPIRY,
    SETTING_KEYS,
    certificate_twin,
    certificates,
    cit_completions,
    cit_settings,
    cit_team,
    course_roles,
    open_team_membership,
)
from deesc_desktop.store.courses import courses_titled_or_numbered
from deesc_desktop.store.database import writing
from deesc_desktop.store.rows import insert_row, row_dict, update_row
from deesc_desktop.store.settings import put_setting

CERTIFICATE_FIELDS = ("kind", "earned", "expires", "number", "issuer", "notes")
"""Fields of the hand-entered certificate form."""


def cit_report(db: Database, as_of: date, *, today: date | None = None) -> CitReport:
    """The certified roster and coverage as things stood on `as_of`: the officers serving
    then, in the status of that day, with only the courses, refreshers and certificates
    dated by then."""
    return cit_roster(db, as_of, roster_on(db, as_of, today=today).officers)


_SETTING_LIMITS = {
    "target_percent": (0, 100),
    "validity_years": (1, 20),
    "grace_days": (0, 3650),
}

_NO_EXPIRY_WORDS = ("", "none", "no expiry", "never", "0")
"""What a form or the CLI may give for validity_years to mean certificates do not expire."""


def update_cit_settings(db: Database, actor: Actor, values: Mapping[str, object]) -> CitSettings:
    """Change CIT settings (target %, patrol unit, course minimum hours, validity, grace).

    Fields not given keep their value. Validity and grace are agency policy: validity_years
    given as "", "none" or 0 means certificates do not expire (the default).
    """
    require(actor, Permission.MANAGE_CIT)
    errors = FieldErrors()
    unknown = sorted(set(values) - set(SETTING_KEYS))
    for field in unknown:
        errors[field] = f"is not a CIT setting (they are {', '.join(SETTING_KEYS)})"
    texts: dict[str, str] = {}
    for field, (low, high) in _SETTING_LIMITS.items():
        if field not in values:
            continue
        if field == "validity_years" and (
            values[field] is None or str(values[field]).strip().casefold() in _NO_EXPIRY_WORDS
        ):
            texts[field] = NO_EXPIRY
            continue
        raw = str(values[field]).strip().rstrip("%").strip()
        try:
            number = int(raw)
        except ValueError:
            errors[field] = f'"{values[field]}" is not a whole number'
            continue
        if not low <= number <= high:
            errors[field] = f"must be between {low} and {high}"
        texts[field] = str(number)
    for field in ("certifying_min_hours", "refresher_min_hours"):
        if field not in values:
            continue
        try:
            hours = parse_hours(values[field])
        except HoursError as exc:
            errors[field] = str(exc)
            continue
        if hours == 0:
            errors[field] = "must be more than 0"
        texts[field] = format_hours(hours)
    if "patrol_unit" in values:
        texts["patrol_unit"] = errors.text(values, "patrol_unit", required=True)
    if errors:
        raise ValidationError(errors)
    with writing(db):
        audit = AuditWriter(db, actor.username)
        for field, text in texts.items():
            put_setting(audit, SETTING_KEYS[field], text)
    return cit_settings(db)


def set_course_cit_role(db: Database, actor: Actor, course_id: int, role: str | None) -> bool:
    """Mark a course as the CIT certifying course or a CIT refresher (None: neither).

    Refuses a certifying course whose usual hours are below the agency's minimum (40 h by
    default): each completion must reach that minimum to certify anyway.
    """
    require(actor, Permission.MANAGE_CIT)
    role = (role or "").strip().lower() or None
    if role is not None and role not in COURSE_ROLES:
        raise ValidationError({"cit_role": f'"{role}" is not one of {", ".join(COURSE_ROLES)}'})
    with writing(db):
        before = row_dict(db, "courses", course_id)
        if before is None:
            raise NotFoundError(f"There is no course with id {course_id}.")
        if before["cit_role"] == role:
            return False
        settings = cit_settings(db)
        minimum = (
            settings.certifying_min_hours if role == CERTIFYING else settings.refresher_min_hours
        )
        hours = before["default_hours"]
        if role is not None and hours is not None and from_float(hours) < minimum:
            raise ValidationError(
                {
                    "cit_role": f"{before['title']} is {format_hours(from_float(hours))} h; a "
                    f"{COURSE_ROLES[role]} needs at least {format_hours(minimum)} h "
                    "(an agency CIT setting)"
                }
            )
        return update_row(
            AuditWriter(db, actor.username),
            "courses",
            course_id,
            {"cit_role": role},
            before=before,
            versioned=False,
        )


def course_id_by_title(db: Database, title: str) -> int:
    """The id of the course with this title or course number (case-insensitive)."""
    found = courses_titled_or_numbered(db, title.strip())
    if len(found) != 1:
        words = "is no course" if not found else "are several courses"
        raise NotFoundError(f'There {words} titled or numbered "{title.strip()}".')
    return found[0]


def clean_certificate(values: Mapping[str, object], today: date | None = None) -> dict[str, Any]:
    """Check a hand-entered certificate: kind, earned (not in the future), expiry, issuer."""
    today = today or date.today()
    errors = FieldErrors()
    kind = errors.text(values, "kind").lower() or CIT_KIND
    if not (kind[:1].isalpha() and all(c.isalnum() or c == "_" for c in kind) and kind.isascii()):
        errors["kind"] = f'"{kind}" is not a certification code (letters, digits and _)'
    earned = errors.date(values, "earned", required=True)
    expires = errors.date(values, "expires")
    if earned and earned > today:
        errors["earned"] = f"{earned.isoformat()} is in the future"
    if earned and expires and expires < earned:
        errors["expires"] = f"{expires.isoformat()} is before the earned date {earned.isoformat()}"
    cleaned = {
        "kind": kind,
        "number": errors.text(values, "number"),
        "issuer": errors.text(values, "issuer", required=True),
        "notes": errors.text(values, "notes"),
    }
    if errors:
        raise ValidationError(errors)
    return {**cleaned, "earned": iso(earned), "expires": iso(expires)}


def _check_not_duplicate(
    db: Database, officer_id: int, cleaned: Mapping[str, Any], own: int = 0
) -> None:
    twin = certificate_twin(
        db, officer_id, cleaned["kind"], cleaned["earned"], cleaned["number"], other_than=own
    )
    if twin is not None:
        raise ConflictError(
            f"This officer already has that {cleaned['kind'].upper()} certificate "
            f"(earned {cleaned['earned']}, #{twin})."
        )


def join_cit_team(
    db: Database, actor: Actor, officer_id: int, joined: object, notes: str = ""
) -> int:
    """Record that an officer was selected for the CIT team on `joined`. Coverage counts team
    members holding CIT; CIT-trained officers who were not selected do not count."""
    require(actor, Permission.MANAGE_CIT)
    errors = FieldErrors()
    day = errors.date({"joined": joined}, "joined", required=True)
    if errors:
        raise ValidationError(errors)
    assert day is not None
    with writing(db):
        if row_dict(db, "officers", officer_id) is None:
            raise NotFoundError(f"There is no officer with id {officer_id}.")
        if open_team_membership(db, officer_id) is not None:
            raise ConflictError("This officer is already on the CIT team.")
        audit = AuditWriter(db, actor.username)
        return insert_row(
            audit,
            "cit_team",
            {"officer_id": officer_id, "joined": day.isoformat(), "notes": notes.strip()}
            | stamp(audit),
        )


def leave_cit_team(db: Database, actor: Actor, officer_id: int, left_on: object) -> bool:
    """End an officer's CIT team membership on `left_on` (the last day on the team)."""
    require(actor, Permission.MANAGE_CIT)
    errors = FieldErrors()
    day = errors.date({"left_on": left_on}, "left_on", required=True)
    if errors:
        raise ValidationError(errors)
    assert day is not None
    with writing(db):
        current = open_team_membership(db, officer_id)
        if current is None:
            raise NotFoundError("This officer is not on the CIT team.")
        if day.isoformat() < current["joined"]:
            raise ValidationError(
                {"left_on": f"{day.isoformat()} is before joining the team on {current['joined']}"}
            )
        audit = AuditWriter(db, actor.username)
        return update_checked(
            audit, "cit_team", current["id"], {"left_on": day.isoformat()}, noun="team membership"
        )


def add_certification(
    db: Database, actor: Actor, officer_id: int, values: Mapping[str, object]
) -> int:
    """Record a certificate earned elsewhere (number, issuer, earned date; expiry if printed).

    A CIT certificate with no expiry entered lasts the agency's validity period, if it set
    one (agency policy); by default it does not expire.
    """
    require(actor, Permission.MANAGE_CIT)
    cleaned = clean_certificate(values)
    with writing(db):
        if row_dict(db, "officers", officer_id) is None:
            raise NotFoundError(f"There is no officer with id {officer_id}.")
        _check_not_duplicate(db, officer_id, cleaned)
        audit = AuditWriter(db, actor.username)
        return insert_row(
            audit, "certifications", {"officer_id": officer_id, **cleaned, **stamp(audit)}
        )


def edit_certification(
    db: Database,
    actor: Actor,
    certification_id: int,
    values: Mapping[str, object],
    *,
    reason: str,
    expected_version: int | None = None,
) -> bool:
    """Correct a hand-entered certificate; the reason goes in the audit log."""
    require(actor, Permission.MANAGE_CIT)
    why = clean_reason(reason, "say why the certificate is being corrected")
    with writing(db):
        current = fetch_for_update(
            db, "certifications", certification_id, "certificate", expected_version
        )
        if current["revoked_at"]:
            raise ConflictError(
                f"Certificate #{certification_id} was revoked; enter a new one instead."
            )
        merged = {**{k: current[k] for k in CERTIFICATE_FIELDS}, **values}
        cleaned = clean_certificate(merged)
        _check_not_duplicate(db, current["officer_id"], cleaned, certification_id)
        audit = AuditWriter(db, actor.username)
        return update_checked(
            audit,
            "certifications",
            certification_id,
            cleaned,
            noun="certificate",
            reason=why,
        )


def revoke_certification(
    db: Database,
    actor: Actor,
    certification_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> bool:
    """Withdraw a hand-entered certificate: it no longer counts, on any date.

    The row stays, marked revoked with who, when and why; False if it was already revoked.
    """
    require(actor, Permission.MANAGE_CIT)
    why = clean_reason(reason, "say why the certificate is being revoked")
    with writing(db):
        current = fetch_for_update(
            db, "certifications", certification_id, "certificate", expected_version
        )
        if current["revoked_at"]:
            return False
        audit = AuditWriter(db, actor.username)
        revoked = {"revoked_at": audit.at, "revoked_by": audit.username}
        return update_checked(
            audit,
            "certifications",
            certification_id,
            {**revoked, "revoked_reason": why},
            noun="certificate",
            reason=why,
        )


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
    for holder, records in cit_completions(db, officer_id, through).items():
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
        titles[cert.id] = f"Certificate{number} ({cert.issuer}) {cert.earned}"
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
