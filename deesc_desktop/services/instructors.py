"""Instructors: who teaches, the certifications that let them, and when those lapse."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.course_files import lapse_text, lapsed_before
from deesc_desktop.services.common import FieldErrors, iso, stamp, update_checked
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError, require
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.database import writing
from deesc_desktop.store.documents import AttachmentRow, attachments
from deesc_desktop.store.instructors import (
    InstructorCertificationRow,
    InstructorRow,
    biographies_by_instructor,
    instructor_certifications,
    instructor_id_by_name,
    instructors,
)
from deesc_desktop.store.rows import insert_row, row_dict

_TEXT_FIELDS = ("affiliation", "email", "phone", "notes")


def _clean_instructor(values: Mapping[str, object]) -> dict[str, str]:
    errors = FieldErrors()
    cleaned = {"name": errors.text(values, "name", required=True)}
    for field in _TEXT_FIELDS:
        if field in values:
            cleaned[field] = errors.text(values, field)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refuse_duplicate(db: Database, name: str, own_id: int | None = None) -> None:
    found = instructor_id_by_name(db, name)
    if found is not None and found != own_id:
        raise ConflictError(f'There is already an instructor called "{name}".')


def add_instructor(db: Database, actor: Actor, values: Mapping[str, object]) -> int:
    """Add an instructor (the name is required and unique, case aside); returns their id."""
    require(actor, Permission.MANAGE_COURSE_FILES)
    cleaned = _clean_instructor(values)
    with writing(db):
        _refuse_duplicate(db, cleaned["name"])
        audit = AuditWriter(db, actor.username)
        return insert_row(audit, "instructors", {**cleaned, **stamp(audit)})


def edit_instructor(
    db: Database,
    actor: Actor,
    instructor_id: int,
    values: Mapping[str, object],
    *,
    expected_version: int | None = None,
) -> bool:
    """Change an instructor's details; False when nothing changed."""
    require(actor, Permission.MANAGE_COURSE_FILES)
    current = row_dict(db, "instructors", instructor_id)
    if current is None:
        raise NotFoundError(f"There is no instructor number {instructor_id}.")
    cleaned = _clean_instructor({**current, **values})
    if "active" in values:
        cleaned["active"] = int(bool(values["active"]))  # type: ignore[assignment]
    with writing(db):
        _refuse_duplicate(db, cleaned["name"], instructor_id)
        audit = AuditWriter(db, actor.username)
        return update_checked(
            audit,
            "instructors",
            instructor_id,
            cleaned,
            noun="instructor",
            expected_version=expected_version,
        )


def _clean_certification(values: Mapping[str, object]) -> dict[str, object]:
    errors = FieldErrors()
    name = errors.text(values, "name", required=True)
    earned = errors.date(values, "earned", required=True)
    expires = errors.date(values, "expires")
    if earned and expires and expires < earned:
        errors["expires"] = f"is before the date it was earned ({earned.isoformat()})"
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "number": errors.text(values, "number"),
        "issuer": errors.text(values, "issuer"),
        "earned": iso(earned),
        "expires": iso(expires),
    }


def add_instructor_certification(
    db: Database, actor: Actor, instructor_id: int, values: Mapping[str, object]
) -> int:
    """Record a certification an instructor holds (e.g. "ICAT train-the-trainer")."""
    require(actor, Permission.MANAGE_COURSE_FILES)
    cleaned = _clean_certification(values)
    with writing(db):
        if row_dict(db, "instructors", instructor_id) is None:
            raise NotFoundError(f"There is no instructor number {instructor_id}.")
        audit = AuditWriter(db, actor.username)
        return insert_row(
            audit,
            "instructor_certifications",
            {"instructor_id": instructor_id, **cleaned, **stamp(audit)},
        )


@dataclass(frozen=True, slots=True)
class InstructorSummary:
    """An instructor with their certifications and where they stand on a day."""

    instructor: InstructorRow
    certifications: list[InstructorCertificationRow]
    has_biography: bool
    lapsed: str
    """Certifications lapsed by the day and not renewed ("" when none)."""
    expiring: list[InstructorCertificationRow]
    """Certifications still held that lapse within the warning window."""


def instructor_summaries(
    db: Database, today: date | None = None, *, warning_days: int = 30
) -> list[InstructorSummary]:
    """Every instructor, active first, with their standing on `today`."""
    today = today or date.today()
    certifications = instructor_certifications(db)
    with_bio = biographies_by_instructor(db)
    summaries = []
    for row in instructors(db):
        held = certifications.get(row.id, [])
        lapsed = lapse_text(lapsed_before([c.core() for c in held], today), today, before="")
        summaries.append(
            InstructorSummary(
                row,
                held,
                row.id in with_bio,
                lapsed,
                expiring_certifications(held, today, warning_days),
            )
        )
    return summaries


def expiring_certifications(
    held: list[InstructorCertificationRow], today: date, days: int
) -> list[InstructorCertificationRow]:
    """The newest certification of each name earned by `today`, when it lapses from today to
    `days` ahead (a renewal earned after `today` was not there yet)."""
    newest: dict[str, InstructorCertificationRow] = {}
    for certification in held:
        if certification.earned > today.isoformat():
            continue
        key = certification.name.strip().casefold()
        known = newest.get(key)
        if known is None or (certification.expires or "9999") > (known.expires or "9999"):
            newest[key] = certification
    horizon = (today + timedelta(days=days)).isoformat()
    return [
        c
        for c in newest.values()
        if c.expires is not None and today.isoformat() <= c.expires <= horizon
    ]


def instructor_flag(db: Database, instructor_id: int | None, class_day: date) -> str:
    """Why an instructor is flagged for a class on that day ("" when they are not)."""
    if instructor_id is None:
        return ""
    held = instructor_certifications(db, [instructor_id]).get(instructor_id, [])
    return lapse_text(lapsed_before([c.core() for c in held], class_day), class_day)


def instructor_choices(db: Database) -> list[tuple[int, str]]:
    """(id, name) of the active instructors, by name, to pick from when recording a class."""
    return [(row.id, row.name) for row in instructors(db) if row.active]


def instructor_documents(db: Database, instructor_id: int) -> list[AttachmentRow]:
    """The documents kept on an instructor: their biography, their certificates."""
    return attachments(db, instructor_ids=[instructor_id])
