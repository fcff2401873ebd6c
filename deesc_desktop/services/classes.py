"""Classes before and after they are held: scheduling who is expected, the sign-in sheet
printed for them, and attendance recorded from that same list with the signed sheet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.hours import Centihours, to_float
from deesc_desktop.core.topics import format_topic_hours
from deesc_desktop.services.common import stamp
from deesc_desktop.services.course_files import (
    ClassRef,
    Owner,
    attach_bytes,
    class_file,
    ensure_class,
    find_class,
    read_offered_file,
)
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError, require
from deesc_desktop.services.training import Attendee, clean_class, course_id_for, record_class
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.classes import (
    class_id_for,
    class_row,
    class_snapshot,
    held_class,
    insert_class,
    set_expected_officers,
    update_class_row,
)
from deesc_desktop.store.courses import topic_labels
from deesc_desktop.store.database import writing
from deesc_desktop.store.instructors import instructor_id_by_name
from deesc_desktop.store.officers import all_officer_ids
from deesc_desktop.store.rows import row_dict, row_number


def _officers_exist(db: Database, officer_ids: Sequence[int]) -> None:
    known = set(all_officer_ids(db))
    unknown = sorted(set(officer_ids) - known)
    if unknown:
        raise NotFoundError(f"There is no officer with id {unknown[0]}.")


def _instructor(db: Database, values: Mapping[str, object]) -> tuple[int | None, str]:
    """The instructor picked (by id) and the name to print, else the name as typed."""
    raw = values.get("instructor_id")
    typed = str(values.get("instructor") or "").strip()
    if raw in (None, ""):
        return instructor_id_by_name(db, typed) if typed else None, typed
    number = row_number(str(raw))
    found = row_dict(db, "instructors", number) if number is not None else None
    if found is None:
        raise ValidationError({"instructor_id": f"there is no instructor number {raw}"})
    return int(found["id"]), str(found["name"])


def schedule_class(
    db: Database, actor: Actor, values: Mapping[str, object], officer_ids: Sequence[int]
) -> int:
    """Put a class on the calendar with the officers expected at it; returns its number.

    `values` are those of a recorded class (course, date as `completed` or `held_on`, hours,
    topics, delivery, provider) plus `instructor_id` or `instructor`, and `location`. A course
    not known yet is added, as when a class is recorded.
    """
    require(actor, Permission.MANAGE_COURSE_FILES)
    fields = {**values, "completed": values.get("held_on", values.get("completed"))}
    instructor_id, instructor = _instructor(db, fields)
    details = clean_class(db, {**fields, "instructor": instructor})
    _officers_exist(db, officer_ids)
    with writing(db):
        audit = AuditWriter(db, actor.username)
        course_id = course_id_for(audit, details)
        existing = class_id_for(db, course_id, details.completed)
        if existing is not None or held_class(db, course_id, details.completed):
            raise ConflictError(
                f"{details.course} on {details.completed} is already "
                + (f"scheduled (class {existing})." if existing else "recorded.")
                + " Add officers to that class instead."
            )
        class_id = insert_class(
            db,
            {
                "course_id": course_id,
                "held_on": details.completed,
                "hours": to_float(details.hours),
                "topics": format_topic_hours(details.topic_hours),
                "delivery": details.delivery,
                "provider": details.provider,
                "instructor_id": instructor_id,
                "instructor": instructor,
                "location": str(values.get("location") or "").strip(),
                **stamp(audit),
            },
        )
        set_expected_officers(db, class_id, officer_ids)
        audit.record("insert", "classes", class_id, after=class_snapshot(db, class_id))
        return class_id


def update_class(
    db: Database,
    actor: Actor,
    ref: ClassRef,
    values: Mapping[str, object],
    *,
    officer_ids: Sequence[int] | None = None,
) -> int:
    """Change a class's instructor (`instructor_id`), location or notes, and (with
    `officer_ids`) who is expected; the class file is opened if need be. Returns its number."""
    require(actor, Permission.MANAGE_COURSE_FILES)
    if officer_ids is not None:
        _officers_exist(db, officer_ids)
    with writing(db):
        audit = AuditWriter(db, actor.username)
        class_id = ensure_class(audit, find_class(db, ref))
        before = class_snapshot(db, class_id)
        assert before is not None
        changes: dict[str, Any] = {}
        if "instructor_id" in values or "instructor" in values:
            changes["instructor_id"], changes["instructor"] = _instructor(db, values)
        for field in ("location", "notes"):
            if field in values:
                changes[field] = str(values[field] or "").strip()
        changes = {k: v for k, v in changes.items() if before.get(k) != v}
        if changes:
            update_class_row(db, class_id, changes, audit.at, audit.username)
        if officer_ids is not None:
            set_expected_officers(db, class_id, officer_ids)
        after = class_snapshot(db, class_id)
        assert after is not None
        audit.changed("classes", class_id, before, after)
        return class_id


@dataclass(frozen=True, slots=True)
class SheetLine:
    """One pre-printed line of a sign-in sheet."""

    name: str
    badge: str
    state_id: str


@dataclass(frozen=True, slots=True)
class SignInSheet:
    """What a printed sign-in sheet shows: the class, and a line per expected officer."""

    class_id: int | None
    course: str
    course_number: str
    held_on: date
    hours: Centihours
    topics: str
    delivery: str
    instructor: str
    instructor_flag: str
    location: str
    provider: str
    lines: list[SheetLine]
    blank_lines: int
    state_id_label: str


def state_id_label(state: str) -> str:
    """What the state calls an officer's state number (Texas: the TCOLE PID)."""
    return {"TX": "TCOLE PID", "CA": "POST ID", "IL": "ILETSB ID"}.get(state.upper(), "State ID")


def sign_in_sheet(db: Database, ref: ClassRef, *, blank_lines: int = 5) -> SignInSheet:
    """The sign-in sheet of a class: everyone expected (and anyone already recorded), by name."""
    if not 0 <= blank_lines <= 60:
        raise ValidationError({"blank_lines": "must be between 0 and 60"})
    detail = class_file(db, ref)
    row = detail.file.row
    labels = topic_labels(db)
    topics = ", ".join(
        labels.get(part.split(":")[0], part.split(":")[0])
        for part in detail.topics.split(";")
        if part
    )
    agency = get_agency(db)
    return SignInSheet(
        class_id=row.class_id,
        course=row.course,
        course_number=row.course_number,
        held_on=date.fromisoformat(row.held_on),
        hours=row.hours,
        topics=topics,
        delivery=row.delivery,
        instructor=row.instructor,
        instructor_flag=detail.file.lapsed,
        location=row.location,
        provider=detail.provider,
        lines=[
            SheetLine(p.display_name, p.badge, p.state_id)
            for p in detail.people
            if p.expected or p.record_id is not None
        ],
        blank_lines=blank_lines,
        state_id_label=state_id_label(agency.state if agency else ""),
    )


def record_attendance(
    db: Database,
    actor: Actor,
    ref: ClassRef,
    attendees: Sequence[Attendee | int],
    *,
    sheet: Path | None = None,
    sheet_name: str | None = None,
    sheet_bytes: bytes | None = None,
) -> list[int]:
    """Record a held class for the officers who signed its sheet, all or none, and attach
    the scanned sheet (a file, or bytes with their name) in the same transaction."""
    require(actor, Permission.RECORD_TRAINING)
    data = read_offered_file(sheet) if sheet is not None else sheet_bytes
    name = sheet.name if sheet is not None else (sheet_name or "sign-in sheet.pdf")
    if data is not None:
        require(actor, Permission.MANAGE_COURSE_FILES)
    key = find_class(db, ref)
    if key.class_id is None:
        raise NotFoundError(f"{ref} is not a scheduled class; record it on the Training page.")
    kept = class_row(db, key.class_id)
    assert kept is not None
    values = {
        "course": key.course,
        "completed": key.held_on,
        "hours": f"{kept['hours']:g}",
        "topics": kept["topics"],
        "delivery": kept["delivery"],
        "provider": kept["provider"],
        "instructor": kept["instructor"],
    }
    with writing(db):
        ids = record_class(db, actor, values, attendees)
        if data is not None:
            attach_bytes(db, actor, name, data, "sign_in_sheet", Owner(ClassRef(key.class_id)))
        return ids
