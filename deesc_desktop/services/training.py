"""Recording training: courses, one officer's record, a whole class at once, corrections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.hours import Centihours, HoursError, parse_hours, to_float
from deesc_desktop.core.names import COURSE_TITLE_LENGTH, name_problem
from deesc_desktop.core.topics import DELIVERIES, format_topic_hours, parse_topic_hours
from deesc_desktop.services.common import FieldErrors, clean_reason, fetch_for_update, stamp
from deesc_desktop.services.course_files import detach_record_documents
from deesc_desktop.services.errors import ConflictError, NotFoundError, ValidationError, require
from deesc_desktop.store import training as training_store
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.courses import (
    cit_course_by_number,
    find_course,
    insert_course,
    topic_codes,
)
from deesc_desktop.store.database import writing
from deesc_desktop.store.followups import followups_of_record
from deesc_desktop.store.officers import get_officer
from deesc_desktop.store.rows import row_dict
from deesc_desktop.store.training import (
    already_recorded,
    delete_record,
    record_snapshot,
    rewrite_record,
)


@dataclass(frozen=True, slots=True)
class ClassDetails:
    """A checked class: what every attendee of one session shares."""

    course: str
    completed: str
    hours: Centihours
    topic_hours: tuple[tuple[str, Centihours], ...]
    delivery: str
    course_number: str = ""
    provider: str = ""
    instructor: str = ""


@dataclass(frozen=True, slots=True)
class Attendee:
    """One officer at a class, with optional test scores (0-100)."""

    officer_id: int
    pre_test: float | None = None
    post_test: float | None = None


def _score(errors: FieldErrors, values: Mapping[str, object], field: str) -> float | None:
    raw = values.get(field)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        score = float(str(raw).strip())
    except ValueError:
        errors[field] = f'"{raw}" is not a score'
        return None
    if not 0 <= score <= 100:
        errors[field] = "must be between 0 and 100"
        return None
    return score


def clean_class(db: Database, values: Mapping[str, object]) -> ClassDetails:
    """Check the shared fields of a class form (course, date, hours, topic split, delivery)."""
    errors = FieldErrors()
    course = errors.text(values, "course", required=True)
    if problem := name_problem(course, COURSE_TITLE_LENGTH):
        errors["course"] = f"the course title {problem}"
    completed = errors.date(values, "completed", required=True)
    hours: Centihours = 0
    try:
        hours = parse_hours(values.get("hours"))
        if hours == 0:
            errors["hours"] = "must be more than 0"
    except HoursError as exc:
        errors["hours"] = str(exc)
    topic_hours: tuple[tuple[str, Centihours], ...] = ()
    topics = values.get("topics")
    if "hours" not in errors:
        try:
            if isinstance(topics, (list, tuple)):
                pairs = all(
                    isinstance(p, (list, tuple))
                    and len(p) == 2
                    and isinstance(p[0], str)
                    and type(p[1]) is int
                    for p in topics
                )
                # (code, centihours) pairs as a form holds them; anything else, as typed.
                topics = format_topic_hours(topics) if pairs else ";".join(map(str, topics))
            topic_hours = parse_topic_hours(str(topics or ""), hours, topic_codes(db))
        except ValueError as exc:
            errors["topics"] = str(exc)
    delivery = errors.text(values, "delivery").lower() or "classroom"
    if delivery not in DELIVERIES:
        errors["delivery"] = f'"{delivery}" is not one of {", ".join(DELIVERIES)}'
    if errors:
        raise ValidationError(errors)
    assert completed is not None
    return ClassDetails(
        course=course,
        completed=completed.isoformat(),
        hours=hours,
        topic_hours=topic_hours,
        delivery=delivery,
        course_number=errors.text(values, "course_number"),
        provider=errors.text(values, "provider"),
        instructor=errors.text(values, "instructor"),
    )


def course_id_for(audit: AuditWriter, details: ClassDetails) -> int:
    """The course with this title (case-insensitive), created from the class if it is new.

    A class under another title but the course number of a course marked for CIT is that
    course: "CIT 40-hour academy" numbered CIT-40 counts for CIT like the course it is.
    """
    db = audit.db
    found = find_course(db, details.course)
    if found is None:
        found = cit_course_by_number(db, details.course_number)
    if found is not None:
        return found
    return insert_course(
        audit,
        {
            "title": details.course,
            "course_number": details.course_number,
            "provider": details.provider,
            "default_hours": to_float(details.hours),
            "default_topics": format_topic_hours(details.topic_hours),
            "delivery": details.delivery,
            "created_at": audit.at,
        },
    )


def insert_record(
    audit: AuditWriter,
    officer_id: int,
    course_id: int,
    details: ClassDetails,
    attendee: Attendee,
    *,
    import_id: int | None = None,
) -> int:
    """Write one training record and its topic hours (no checks beyond the schema's)."""
    return training_store.insert_record(
        audit,
        {
            "officer_id": officer_id,
            "course_id": course_id,
            "completed": details.completed,
            "hours": to_float(details.hours),
            "delivery": details.delivery,
            "provider": details.provider,
            "instructor": details.instructor,
            "pre_test": attendee.pre_test,
            "post_test": attendee.post_test,
            "import_id": import_id,
            **stamp(audit),
        },
        details.topic_hours,
    )


def _officer_label(db: Database, officer_id: int) -> str:
    officer = get_officer(db, officer_id)
    if officer is None:
        raise NotFoundError(f"There is no officer with id {officer_id}.")
    return f"{officer.display_name} (badge {officer.badge})"


def record_class(
    db: Database,
    actor: Actor,
    values: Mapping[str, object],
    attendees: Sequence[Attendee | int],
) -> list[int]:
    """Record one class for many officers at once; all of them or, on any refusal, none."""
    require(actor, Permission.RECORD_TRAINING)
    details = clean_class(db, values)
    people = [a if isinstance(a, Attendee) else Attendee(a) for a in attendees]
    if not people:
        raise ValidationError({"attendees": "choose at least one officer"})
    errors = FieldErrors()
    for person in people:
        _score(errors, {"pre_test": person.pre_test}, "pre_test")
        _score(errors, {"post_test": person.post_test}, "post_test")
    if errors:
        raise ValidationError(errors)
    seen: set[int] = set()
    with writing(db):
        audit = AuditWriter(db, actor.username)
        course_id = course_id_for(audit, details)
        ids = []
        for person in people:
            label = _officer_label(db, person.officer_id)
            if person.officer_id in seen:
                raise ValidationError({"attendees": f"{label} is listed twice"})
            seen.add(person.officer_id)
            if already_recorded(db, person.officer_id, course_id, details.completed):
                raise ConflictError(
                    f"{label} already has {details.course} on {details.completed}; "
                    "nothing was recorded for the class."
                )
            ids.append(insert_record(audit, person.officer_id, course_id, details, person))
        return ids


def record_training(
    db: Database, actor: Actor, officer_id: int, values: Mapping[str, object]
) -> int:
    """Record one class for one officer (test scores optional in `values`)."""
    errors = FieldErrors()
    attendee = Attendee(
        officer_id, _score(errors, values, "pre_test"), _score(errors, values, "post_test")
    )
    if errors:
        require(actor, Permission.RECORD_TRAINING)
        raise ValidationError(errors)
    return record_class(db, actor, values, [attendee])[0]


def edit_training_record(
    db: Database,
    actor: Actor,
    record_id: int,
    values: Mapping[str, object],
    *,
    reason: str,
    expected_version: int | None = None,
) -> bool:
    """Correct a training record; the reason is kept in the audit log with before and after."""
    require(actor, Permission.CORRECT_TRAINING)
    reason = clean_reason(reason, "say why the record is being corrected")
    try:
        return _edit_record(db, actor, record_id, values, reason.strip(), expected_version)
    except _NoChange:
        return False


class _NoChange(Exception):
    """Rolls back a correction that changed nothing, so no empty version is recorded."""


def _edit_record(
    db: Database,
    actor: Actor,
    record_id: int,
    values: Mapping[str, object],
    reason: str,
    expected_version: int | None,
) -> bool:
    with writing(db):
        fetch_for_update(db, "training_records", record_id, "training record", expected_version)
        before = record_snapshot(db, record_id)
        assert before is not None
        course = row_dict(db, "courses", before["course_id"])
        assert course is not None
        current = {
            "course": course["title"],
            "completed": before["completed"],
            "hours": before["hours"],
            "topics": before["topics"],
            "delivery": before["delivery"],
            "provider": before["provider"],
            "instructor": before["instructor"],
            "pre_test": before["pre_test"],
            "post_test": before["post_test"],
        }
        merged = {**current, **values}
        if "hours" in values and "topics" not in values and ";" not in str(current["topics"]):
            # A single-topic record keeps its topic when only the hours change.
            merged["topics"] = str(current["topics"]).split(":")[0]
        details = clean_class(db, merged)
        errors = FieldErrors()
        pre = _score(errors, merged, "pre_test")
        post = _score(errors, merged, "post_test")
        if errors:
            raise ValidationError(errors)
        audit = AuditWriter(db, actor.username)
        course_id = course_id_for(audit, details)
        if (course_id, details.completed) != (before["course_id"], before["completed"]) and (
            already_recorded(db, before["officer_id"], course_id, details.completed)
        ):
            raise ConflictError(
                f"This officer already has {details.course} on {details.completed}."
            )
        changes = {
            "course_id": course_id,
            "completed": details.completed,
            "hours": to_float(details.hours),
            "delivery": details.delivery,
            "provider": details.provider,
            "instructor": details.instructor,
            "pre_test": pre,
            "post_test": post,
        }
        rewrite_record(audit, before, changes, details.topic_hours)
        after = record_snapshot(db, record_id)
        assert after is not None
        comparable = {k: v for k, v in after.items() if k not in ("version", "updated_at")}
        if comparable == {k: v for k, v in before.items() if k not in ("version", "updated_at")}:
            raise _NoChange
        audit.record(
            "update", "training_records", record_id, before=before, after=after, reason=reason
        )
        return True


def delete_training_record(db: Database, actor: Actor, record_id: int, *, reason: str) -> None:
    """Delete a training record entered in error; the audit log keeps what it said and why."""
    require(actor, Permission.CORRECT_TRAINING)
    reason = clean_reason(reason, "say why the record is being deleted")
    with writing(db):
        before = record_snapshot(db, record_id)
        if before is None:
            raise NotFoundError(f"That training record no longer exists (id {record_id}).")
        audit = AuditWriter(db, actor.username)
        detach_record_documents(audit, record_id, reason.strip())
        # The schema unlinks follow-up assessments from a deleted record (ON DELETE SET NULL):
        # the log records that too, so their rows still match it.
        unlinked_before = {
            row_id: row_dict(db, "followup_assessments", row_id)
            for row_id in followups_of_record(db, record_id)
        }
        delete_record(audit, record_id, before, reason=reason.strip())
        for row_id, followup in unlinked_before.items():
            audit.record(
                "update",
                "followup_assessments",
                row_id,
                before=followup,
                after=row_dict(db, "followup_assessments", row_id),
                reason=f"training record {record_id} deleted",
            )
