"""Class files: documents attached to classes, training records and instructors, and what
each class file still lacks against its state's checklist."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Permission
from deesc_desktop.core.course_files import (
    DOCUMENT_KINDS,
    checklist,
    lapse_text,
    lapsed_before,
    missing_documents,
)
from deesc_desktop.core.dates import parse_date
from deesc_desktop.core.documents import (
    MAX_DOCUMENT_BYTES,
    DocumentRefused,
    check_document,
    document_type,
    saved_name,
    too_big,
)
from deesc_desktop.core.times import ANY_TIME, day_end_stamp
from deesc_desktop.paths import documents_cache_dir
from deesc_desktop.services.common import audit_writer, clean_reason, stamp
from deesc_desktop.services.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
    require,
)
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.claims import claim_record_keys
from deesc_desktop.store.classes import (
    Attendee,
    ClassListRow,
    class_course,
    class_id_for,
    class_ids_for_keys,
    class_list,
    class_list_row,
    class_of_record,
    class_people,
    class_row,
    class_snapshot,
    held_class,
    insert_class,
)
from deesc_desktop.store.courses import course_by_title, course_title
from deesc_desktop.store.database import writing
from deesc_desktop.store.documents import (
    AttachmentRow,
    attachment_row,
    attachment_twin,
    attachments,
    attachments_without_document,
    delete_attachment,
    document_content,
    drop_unattached_document,
    insert_attachment,
    record_attachment_ids,
    store_document,
    stored_documents,
)
from deesc_desktop.store.instructors import (
    biographies_by_instructor,
    instructor_certifications,
    instructor_id_by_name,
    instructors,
)
from deesc_desktop.store.rows import row_dict


@dataclass(frozen=True, slots=True)
class ClassRef:
    """How a user names a class: its number, or its course title and date."""

    class_id: int | None = None
    course: str | None = None
    held_on: date | str | None = None

    def __str__(self) -> str:
        if self.class_id is not None:
            return f"class {self.class_id}"
        return f"{self.course} on {self.held_on}"


@dataclass(frozen=True, slots=True)
class ClassKey:
    """A class found: its course and date, and its row when it is kept."""

    course_id: int
    course: str
    held_on: str
    class_id: int | None


def find_class(db: Database, ref: ClassRef) -> ClassKey:
    """The class a reference names; NotFoundError when there is none."""
    if ref.class_id is not None:
        kept = class_course(db, ref.class_id)
        if kept is None:
            raise NotFoundError(f"There is no class number {ref.class_id}.")
        return ClassKey(kept[0], kept[1], kept[2], ref.class_id)
    if not ref.course or not ref.held_on:
        raise ValidationError({"class": "name the class by its number, or its course and date"})
    try:
        day = ref.held_on if isinstance(ref.held_on, date) else parse_date(str(ref.held_on))
    except ValueError as exc:
        raise ValidationError({"date": str(exc)}) from None
    course = course_by_title(db, ref.course)
    if course is None:
        raise NotFoundError(f'There is no course called "{ref.course.strip()}".')
    held_on = day.isoformat()
    class_id = class_id_for(db, course[0], held_on)
    if class_id is None and held_class(db, course[0], held_on) is None:
        raise NotFoundError(
            f"Nobody has {course[1]} on {held_on} recorded, and no such class is scheduled."
        )
    return ClassKey(course[0], course[1], held_on, class_id)


def ensure_class(audit: AuditWriter, key: ClassKey) -> int:
    """The kept class for a course and date, made from its training records if need be."""
    db = audit.db
    found = class_id_for(db, key.course_id, key.held_on)
    if found is not None:
        return found
    held = held_class(db, key.course_id, key.held_on)
    if held is None:
        raise NotFoundError(f"Nobody has {key.course} on {key.held_on} recorded.")
    class_id = insert_class(
        db,
        {
            "course_id": key.course_id,
            "held_on": key.held_on,
            "hours": held.hours,
            "topics": held.topics,
            "delivery": held.delivery,
            "provider": held.provider,
            "instructor_id": instructor_id_by_name(db, held.instructor)
            if held.instructor
            else None,
            "instructor": held.instructor,
            **stamp(audit),
        },
    )
    audit.record(
        "insert",
        "classes",
        class_id,
        after=class_snapshot(db, class_id),
        reason="class file opened for a class already recorded",
    )
    return class_id


# --- documents ---------------------------------------------------------------------------------


def read_offered_file(path: Path) -> bytes:
    """The bytes of a file the user offers, refused with a reason when it cannot be read."""
    name = path.name or str(path)
    try:
        if path.is_dir():
            raise _refused(f"{path} is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise _refused(too_big(name, size))
        with path.open("rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise _refused(f"{path} does not exist") from None
    except PermissionError:
        raise _refused(f"{path} cannot be read: permission denied") from None
    except OSError as exc:
        raise _refused(f"{path} cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _refused(too_big(name, len(data)))
    return data


def _refused(reason: str) -> ValidationError:
    return ValidationError({"file": reason}, summary=reason)


@dataclass(frozen=True, slots=True)
class Owner:
    """What a document is attached to: exactly one of a class, a training record, an instructor."""

    class_ref: ClassRef | None = None
    record_id: int | None = None
    instructor_id: int | None = None


def _owner_ids(audit: AuditWriter, owner: Owner) -> dict[str, int | None]:
    db = audit.db
    chosen = [v is not None for v in (owner.class_ref, owner.record_id, owner.instructor_id)]
    if sum(chosen) != 1:
        raise ValidationError({"owner": "attach to one class, training record or instructor"})
    ids: dict[str, int | None] = {"class_id": None, "record_id": None, "instructor_id": None}
    if owner.class_ref is not None:
        ids["class_id"] = ensure_class(audit, find_class(db, owner.class_ref))
    elif owner.record_id is not None:
        if row_dict(db, "training_records", owner.record_id) is None:
            raise NotFoundError(f"There is no training record number {owner.record_id}.")
        ids["record_id"] = owner.record_id
    else:
        if row_dict(db, "instructors", owner.instructor_id or 0) is None:
            raise NotFoundError(f"There is no instructor number {owner.instructor_id}.")
        ids["instructor_id"] = owner.instructor_id
    return ids


def attach_file(
    db: Database,
    actor: Actor,
    path: Path,
    kind: str,
    owner: Owner,
    *,
    description: str = "",
) -> int:
    """Attach a document from a file; returns the attachment's number."""
    require(actor, Permission.MANAGE_COURSE_FILES)
    return attach_bytes(
        db, actor, path.name, read_offered_file(Path(path)), kind, owner, description=description
    )


def attach_bytes(
    db: Database,
    actor: Actor,
    file_name: str,
    data: bytes,
    kind: str,
    owner: Owner,
    *,
    description: str = "",
    now: datetime | None = None,
) -> int:
    """Attach a document given as bytes (a scan, a generated PDF); returns its number.

    The type is checked on the content; the bytes are stored once per digest, so the same
    lesson plan attached to twenty classes is kept once. The audit entry records the
    digest, name, size and type, never the bytes.
    """
    require(actor, Permission.MANAGE_COURSE_FILES)
    if kind not in DOCUMENT_KINDS:
        raise ValidationError({"kind": f'"{kind}" is not one of {", ".join(DOCUMENT_KINDS)}'})
    try:
        found = check_document(file_name, data)
    except DocumentRefused as exc:
        raise _refused(str(exc)) from None
    digest = hashlib.sha256(data).hexdigest()
    with writing(db):
        audit = audit_writer(db, actor.username, now)
        ids = _owner_ids(audit, owner)
        column, owner_id = next((c, v) for c, v in ids.items() if v is not None)
        twin = attachment_twin(db, digest, column, owner_id)
        if twin is not None:
            raise ConflictError(
                f"{file_name} is already attached here (attachment {twin[0]}, as "
                f"{DOCUMENT_KINDS[twin[1]].lower()}); nothing was added."
            )
        store_document(db, digest, found.media_type, data, audit.at)
        attachment_id = insert_attachment(
            db,
            {
                "sha256": digest,
                "file_name": Path(file_name.replace("\\", "/")).name,
                "media_type": found.media_type,
                "size": len(data),
                "kind": kind,
                **ids,
                "description": description.strip(),
                "created_at": audit.at,
                "created_by": audit.username,
            },
        )
        audit.record(
            "insert", "attachments", attachment_id, after=row_dict(db, "attachments", attachment_id)
        )
        return attachment_id


def remove_attachment(db: Database, actor: Actor, attachment_id: int, *, reason: str) -> None:
    """Take a document out of its file; the audit log keeps its digest, name and the reason.

    The stored bytes go too once nothing else is attached from them.
    """
    require(actor, Permission.MANAGE_COURSE_FILES)
    reason = clean_reason(reason, "say why the document is being removed")
    with writing(db):
        audit = AuditWriter(db, actor.username)
        detach(audit, attachment_id, reason.strip())


def detach(audit: AuditWriter, attachment_id: int, reason: str) -> None:
    """Delete one attachment with its audit entry (inside the caller's transaction)."""
    db = audit.db
    before = row_dict(db, "attachments", attachment_id)
    if before is None:
        raise NotFoundError(f"There is no attachment number {attachment_id}.")
    delete_attachment(db, attachment_id)
    audit.record("delete", "attachments", attachment_id, before=before, reason=reason)
    drop_unattached_document(db, before["sha256"])


def detach_record_documents(audit: AuditWriter, record_id: int, reason: str) -> int:
    """Remove the documents attached to a training record about to be deleted."""
    ids = record_attachment_ids(audit.db, record_id)
    for attachment_id in ids:
        detach(audit, attachment_id, f"training record deleted: {reason}")
    return len(ids)


def read_attachment(db: Database, actor: Actor, attachment_id: int) -> tuple[AttachmentRow, bytes]:
    """An attachment and its bytes, checked against the digest they were stored under."""
    require(actor, Permission.VIEW)
    found = attachment_row(db, attachment_id)
    if found is None:
        raise NotFoundError(f"There is no attachment number {attachment_id}.")
    data = document_content(db, found.sha256)
    if data is None or hashlib.sha256(data).hexdigest() != found.sha256:
        raise ServiceError(
            f"The stored copy of {found.file_name} is missing or damaged (it no longer "
            "matches its SHA-256). Restore the database from a backup: File > Restore, or "
            "`deesc restore BACKUP.db`."
        )
    return found, data


def save_attachment(db: Database, actor: Actor, attachment_id: int, target: Path) -> Path:
    """Write an attachment's bytes to `target` (a file, or a folder to keep its name in)."""
    found, data = read_attachment(db, actor, attachment_id)
    name = saved_name(found.file_name, document_type(found.media_type))
    target = Path(target)
    path = target / name if target.is_dir() else target
    if path.exists():
        raise ServiceError(f"{path} already exists; choose another name.")
    _write_whole(path, data)
    return path


def open_copy(db: Database, actor: Actor, attachment_id: int) -> Path:
    """A copy of the attachment in the user's cache folder, for the desktop to open."""
    found, data = read_attachment(db, actor, attachment_id)
    # One folder per document, so two attachments called "roster.pdf" never collide; in the
    # user's own cache folder, not the shared temporary one other users of the PC can read.
    folder = documents_cache_dir() / found.sha256[:16]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / saved_name(found.file_name, document_type(found.media_type))
    if not path.exists():
        _write_whole(path, data)
    return path


def _write_whole(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ServiceError(f"Could not write {path}: {exc.strerror or exc}") from exc


def check_documents(db: Database) -> list[str]:
    """Problems with the stored documents: bytes that no longer match their digest or size,
    attachments whose bytes are missing. Empty when every document is intact."""
    problems = []
    for digest, size, content in stored_documents(db):
        if len(content) != size or hashlib.sha256(content).hexdigest() != digest:
            problems.append(
                f"document {digest[:12]}: its bytes no longer match their SHA-256 (damaged)"
            )
    for attachment_id, digest in attachments_without_document(db):
        problems.append(f"attachment {attachment_id}: its document {_digest(digest)} is missing")
    return problems


def _digest(value: object) -> str:
    """A document's SHA-256 as the check names it: its first 12 digits, or anything else
    (written outside the app) as it is."""
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value[:12]
    return f"{value!r} (not a SHA-256)"


# --- class files and their checklist -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassFile:
    """A class and how its file stands against the state's checklist."""

    row: ClassListRow
    instructor_id: int | None
    """The instructor picked, or the one whose name the training records give."""
    missing: tuple[str, ...]
    lapsed: str
    """Why the instructor's certification is flagged for this class ("" when it is not)."""
    documents: int
    """The documents the file holds: the class's own and the instructor's biographies, as
    `class_file` lists them."""

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def label(self) -> str:
        return f"{self.row.course} on {self.row.held_on}"


def _agency_state(db: Database) -> str:
    agency = get_agency(db)
    return agency.state if agency else ""


class _Instructors:
    """Instructor ids by name, their certifications and how many biographies each has on
    file."""

    def __init__(self, db: Database, attached_before: str = ANY_TIME) -> None:
        rows = instructors(db)
        self.by_name = {row.name.casefold(): row.id for row in rows}
        self.certifications = instructor_certifications(db)
        self.biographies = biographies_by_instructor(db, attached_before)

    def resolve(self, row: ClassListRow) -> int | None:
        if row.instructor_id is not None:
            return row.instructor_id
        return self.by_name.get(row.instructor.strip().casefold())

    def lapsed(self, instructor_id: int | None, held_on: str) -> str:
        if instructor_id is None:
            return ""
        day = date.fromisoformat(held_on)
        held = [c.core() for c in self.certifications.get(instructor_id, [])]
        return lapse_text(lapsed_before(held, day), day)


def _class_file(row: ClassListRow, state: str, people: _Instructors) -> ClassFile:
    instructor_id = people.resolve(row)
    biographies = people.biographies.get(instructor_id, 0) if instructor_id is not None else 0
    missing = missing_documents(state, row.kinds, instructor_has_bio=biographies > 0)
    lapsed = people.lapsed(instructor_id, row.held_on)
    return ClassFile(row, instructor_id, missing, lapsed, row.documents + biographies)


def class_files(
    db: Database,
    start: date,
    end: date,
    *,
    incomplete_only: bool = False,
    documents_by: date | None = None,
) -> list[ClassFile]:
    """Every class held or scheduled in the period, newest first, with what its file lacks;
    with `documents_by`, as the file stood at the end of that day (documents attached later
    are left out)."""
    state = _agency_state(db)
    cutoff = day_end_stamp(documents_by) if documents_by is not None else ANY_TIME
    people = _Instructors(db, cutoff)
    rows = class_list(db, start, end, attached_before=cutoff)
    files = [_class_file(row, state, people) for row in rows]
    return [f for f in files if not f.complete] if incomplete_only else files


@dataclass(frozen=True, slots=True)
class ClassFileDetail:
    """One class file: the class, who was expected and who attended, and its documents."""

    file: ClassFile
    people: list[Attendee]
    documents: list[AttachmentRow]
    """The class's own documents, then the instructor's biography when it counts for it."""
    checklist: tuple[str, ...]
    topics: str
    provider: str


def class_file(db: Database, ref: ClassRef) -> ClassFileDetail:
    """Everything about one class file, for its page and `deesc files show`."""
    key = find_class(db, ref)
    row = class_list_row(db, key.course_id, key.held_on)
    assert row is not None  # find_class found it kept or held
    state = _agency_state(db)
    people = _Instructors(db)
    found = _class_file(row, state, people)
    documents = attachments(db, class_ids=[key.class_id] if key.class_id else [])
    if found.instructor_id is not None:
        documents += [
            a
            for a in attachments(db, instructor_ids=[found.instructor_id])
            if a.kind == "instructor_bio"
        ]
    kept = class_row(db, key.class_id) if key.class_id else None
    held = held_class(db, key.course_id, key.held_on)
    topics = kept["topics"] if kept else (held.topics if held else "")
    provider = kept["provider"] if kept else (held.provider if held else "")
    return ClassFileDetail(
        found,
        class_people(db, key.course_id, key.held_on, key.class_id),
        documents,
        checklist(state),
        topics,
        provider,
    )


# --- documents behind a training record or a claim ------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupportingDocument:
    """A document and what it documents, as a claim or a training record lists it."""

    attachment: AttachmentRow
    documents: str
    """e.g. "ICAT De-escalation on 2026-03-14 (class file)"."""


def record_documents(db: Database, record_id: int) -> list[SupportingDocument]:
    """The record's own documents (an outside certificate) and those of its class's file."""
    key = class_of_record(db, record_id)
    if key is None:
        raise NotFoundError(f"There is no training record number {record_id}.")
    return _supporting(db, [(record_id, course_title(db, key[0]), key[1])])


def claim_documents(db: Database, claim_id: int) -> list[SupportingDocument]:
    """The documents behind a claim: those of each training record it was made from, and of
    those records' classes (the sign-in sheet that proves attendance)."""
    if row_dict(db, "claims", claim_id) is None:
        raise NotFoundError(f"There is no claim number {claim_id}.")
    return _supporting(db, claim_record_keys(db, claim_id))


def _supporting(db: Database, keys: list[tuple[int, str, str]]) -> list[SupportingDocument]:
    found: list[SupportingDocument] = []
    classes = class_ids_for_keys(db, ((title, day) for _, title, day in keys))
    seen: set[int] = set()
    for record_id, title, day in keys:
        for attachment in attachments(db, record_ids=[record_id]):
            found.append(SupportingDocument(attachment, f"{title} on {day} (training record)"))
        class_id = classes.get((title, day))
        if class_id is not None and class_id not in seen:
            seen.add(class_id)
            for attachment in attachments(db, class_ids=[class_id]):
                found.append(SupportingDocument(attachment, f"{title} on {day} (class file)"))
    return found


def describe_attachment(row: AttachmentRow) -> Mapping[str, Any]:
    """An attachment as JSON output and the GUI's tooltips give it (no bytes)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "kind_label": DOCUMENT_KINDS[row.kind],
        "file_name": row.file_name,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "class_id": row.class_id,
        "record_id": row.record_id,
        "instructor_id": row.instructor_id,
        "description": row.description,
        "attached_at": row.created_at,
        "attached_by": row.created_by,
    }
