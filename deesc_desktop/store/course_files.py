"""SQL of class files: classes (kept and derived from training records), instructors, documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.course_files import InstructorCertification
from deesc_desktop.core.hours import Centihours, from_float
from deesc_desktop.store.rows import add_row, row_dict


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """One attached document: what it is and where it belongs (never its bytes)."""

    id: int
    sha256: str
    file_name: str
    media_type: str
    size: int
    kind: str
    class_id: int | None
    record_id: int | None
    instructor_id: int | None
    description: str
    created_at: str
    created_by: str


_ATTACHMENT_COLUMNS = (
    "id, sha256, file_name, media_type, size, kind, class_id, record_id, instructor_id,"
    " description, created_at, created_by"
)


def attachment(db: Database, attachment_id: int) -> AttachmentRow | None:
    row = db.execute(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?", [attachment_id]
    ).fetchone()
    return AttachmentRow(*row) if row else None


def attachments(
    db: Database,
    *,
    class_ids: Sequence[int] = (),
    record_ids: Sequence[int] = (),
    instructor_ids: Sequence[int] = (),
) -> list[AttachmentRow]:
    """The documents attached to any of these classes, training records or instructors."""
    where: list[str] = []
    params: list[int] = []
    for column, ids in (
        ("class_id", class_ids),
        ("record_id", record_ids),
        ("instructor_id", instructor_ids),
    ):
        if ids:
            where.append(f"{column} IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
    if not where:
        return []
    cursor = db.execute(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM attachments WHERE {' OR '.join(where)}"
        " ORDER BY kind, created_at, id",
        params,
    )
    return [AttachmentRow(*row) for row in cursor]


def store_document(db: Database, sha256: str, media_type: str, content: bytes, at: str) -> bool:
    """Keep the bytes under their digest; False when the same content is already stored."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO documents (sha256, media_type, size, content, stored_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [sha256, media_type, len(content), content, at],
    )
    return cursor.rowcount == 1


def insert_attachment(db: Database, values: dict[str, Any]) -> int:
    return add_row(db, "attachments", values)


def delete_attachment(db: Database, attachment_id: int) -> None:
    db.execute("DELETE FROM attachments WHERE id = ?", [attachment_id])


def attachment_twin(
    db: Database, sha256: str, column: str, owner_id: int
) -> tuple[int, str] | None:
    """(id, kind) of an attachment of the same content to the same owner, if there is one."""
    assert column in ("class_id", "record_id", "instructor_id")
    row = db.execute(
        f"SELECT id, kind FROM attachments WHERE sha256 = ? AND {column} = ?", [sha256, owner_id]
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def document_content(db: Database, sha256: str) -> bytes | None:
    row = db.execute("SELECT content FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(row[0]) if row else None


def drop_unattached_document(db: Database, sha256: str) -> bool:
    """Delete the stored bytes once no attachment names them; True when they went."""
    cursor = db.execute(
        "DELETE FROM documents WHERE sha256 = ?"
        " AND NOT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?)",
        [sha256, sha256],
    )
    return cursor.rowcount == 1


def stored_documents(db: Database) -> Iterator[tuple[str, int, bytes]]:
    """(digest, size, content) of every stored document, one at a time (for the check)."""
    for sha256, size, content in db.execute("SELECT sha256, size, content FROM documents"):
        yield sha256, size, bytes(content)


def attachments_without_document(db: Database) -> list[tuple[int, str]]:
    """(attachment id, digest) of attachments whose bytes are missing."""
    return db.execute(
        "SELECT a.id, a.sha256 FROM attachments a LEFT JOIN documents d ON d.sha256 = a.sha256"
        " WHERE d.sha256 IS NULL ORDER BY a.id"
    ).fetchall()


def record_attachment_ids(db: Database, record_id: int) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM attachments WHERE record_id = ? ORDER BY id", [record_id]
        )
    ]


# --- classes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassListRow:
    """A class as the class-file list shows it: kept (class_id set) or derived from records."""

    class_id: int | None
    course_id: int
    course: str
    course_number: str
    held_on: str
    hours: Centihours
    delivery: str
    instructor_id: int | None
    instructor: str
    location: str
    attendees: int
    expected: int
    kinds: frozenset[str]
    documents: int


_CLASS_LIST_SQL = """
WITH held AS (
    SELECT course_id, completed AS held_on, count(*) AS attendees, min(id) AS first_record
    FROM training_records WHERE completed BETWEEN :start AND :end
    GROUP BY course_id, completed
), keys AS (
    SELECT course_id, held_on FROM held
    UNION SELECT course_id, held_on FROM classes WHERE held_on BETWEEN :start AND :end
)
SELECT cl.id, k.course_id, c.title, c.course_number, k.held_on,
       coalesce(cl.hours, fr.hours, c.default_hours, 0),
       coalesce(cl.delivery, fr.delivery, c.delivery),
       cl.instructor_id,
       coalesce(i.name, nullif(cl.instructor, ''), fr.instructor, ''),
       coalesce(cl.location, ''),
       coalesce(h.attendees, 0),
       (SELECT count(*) FROM class_roster r WHERE r.class_id = cl.id),
       (SELECT group_concat(a.kind) FROM attachments a WHERE a.class_id = cl.id),
       (SELECT count(*) FROM attachments a WHERE a.class_id = cl.id)
FROM keys k
JOIN courses c ON c.id = k.course_id
LEFT JOIN classes cl ON cl.course_id = k.course_id AND cl.held_on = k.held_on
LEFT JOIN held h ON h.course_id = k.course_id AND h.held_on = k.held_on
LEFT JOIN training_records fr ON fr.id = h.first_record
LEFT JOIN instructors i ON i.id = cl.instructor_id
"""


def _class_row(row: Sequence[Any]) -> ClassListRow:
    values = list(row)
    values[5] = from_float(values[5])
    values[12] = frozenset((values[12] or "").split(",")) - {""}
    return ClassListRow(*values)


def class_list(db: Database, start: date, end: date) -> list[ClassListRow]:
    """Every class held or scheduled between the dates (inclusive), newest first."""
    cursor = db.execute(
        _CLASS_LIST_SQL + " ORDER BY k.held_on DESC, c.title COLLATE NOCASE",
        {"start": start.isoformat(), "end": end.isoformat()},
    )
    return [_class_row(row) for row in cursor]


def class_list_row(db: Database, course_id: int, held_on: str) -> ClassListRow | None:
    """One class as the list shows it, or None when it is neither kept nor held."""
    cursor = db.execute(
        _CLASS_LIST_SQL + " WHERE k.course_id = :course",
        {"start": held_on, "end": held_on, "course": course_id},
    )
    row = cursor.fetchone()
    return _class_row(row) if row else None


def class_row(db: Database, class_id: int) -> dict[str, Any] | None:
    return row_dict(db, "classes", class_id)


def insert_class(db: Database, values: dict[str, Any]) -> int:
    return add_row(db, "classes", values)


def update_class(
    db: Database, class_id: int, changes: dict[str, Any], at: str, username: str
) -> None:
    """Apply changes to a kept class, counting a new version."""
    assignments = ", ".join(f"{name} = ?" for name in changes)
    db.execute(
        f"UPDATE classes SET {assignments}, version = version + 1, updated_at = ?,"
        " updated_by = ? WHERE id = ?",
        [*changes.values(), at, username, class_id],
    )


def officer_ids(db: Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM officers")]


def class_course(db: Database, class_id: int) -> tuple[int, str, str] | None:
    """(course id, course title, date) of a kept class."""
    row = db.execute(
        "SELECT cl.course_id, c.title, cl.held_on FROM classes cl"
        " JOIN courses c ON c.id = cl.course_id WHERE cl.id = ?",
        [class_id],
    ).fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def course_by_title(db: Database, title: str) -> tuple[int, str] | None:
    """(id, title as stored) of the course with this title, case aside."""
    row = db.execute("SELECT id, title FROM courses WHERE title = ?", [title.strip()]).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def course_title(db: Database, course_id: int) -> str:
    row = db.execute("SELECT title FROM courses WHERE id = ?", [course_id]).fetchone()
    return str(row[0]) if row else ""


def class_id_for(db: Database, course_id: int, held_on: str) -> int | None:
    row = db.execute(
        "SELECT id FROM classes WHERE course_id = ? AND held_on = ?", [course_id, held_on]
    ).fetchone()
    return int(row[0]) if row else None


def expected_officers(db: Database, class_id: int) -> list[int]:
    """The officers a class expects (its printed sign-in sheet's list), by id."""
    return [
        row[0]
        for row in db.execute(
            "SELECT officer_id FROM class_roster WHERE class_id = ? ORDER BY officer_id", [class_id]
        )
    ]


def set_expected_officers(db: Database, class_id: int, officer_ids: Iterable[int]) -> None:
    db.execute("DELETE FROM class_roster WHERE class_id = ?", [class_id])
    db.conn.executemany(
        "INSERT INTO class_roster (class_id, officer_id) VALUES (?, ?)",
        [(class_id, officer_id) for officer_id in sorted(set(officer_ids))],
    )


def class_snapshot(db: Database, class_id: int) -> dict[str, Any] | None:
    """A class as the audit log keeps it: the row plus the ids of the officers it expects."""
    row = row_dict(db, "classes", class_id)
    if row is None:
        return None
    row["expected"] = ",".join(str(officer) for officer in expected_officers(db, class_id))
    return row


@dataclass(frozen=True, slots=True)
class HeldClass:
    """What the training records of one course on one date say about the class."""

    hours: float
    topics: str
    delivery: str
    provider: str
    instructor: str


def held_class(db: Database, course_id: int, held_on: str) -> HeldClass | None:
    """The class as its first training record describes it, or None when nobody has it."""
    row = db.execute(
        "SELECT id, hours, delivery, provider, instructor FROM training_records"
        " WHERE course_id = ? AND completed = ? ORDER BY id LIMIT 1",
        [course_id, held_on],
    ).fetchone()
    if row is None:
        return None
    split = db.execute(
        "SELECT topic, hours FROM training_topics WHERE record_id = ? ORDER BY topic", [row[0]]
    ).fetchall()
    topics = ";".join(f"{topic}:{hours:g}" for topic, hours in split)
    return HeldClass(row[1], topics, row[2], row[3], row[4])


@dataclass(frozen=True, slots=True)
class Attendee:
    """An officer at a class: expected (on its sign-in list), recorded (has the record), or both."""

    officer_id: int
    badge: str
    last_name: str
    first_name: str
    state_id: str
    shift: str
    status: str
    record_id: int | None
    expected: bool

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


def class_people(
    db: Database, course_id: int, held_on: str, class_id: int | None
) -> list[Attendee]:
    """The officers expected at a class and those recorded as attending it, by name."""
    cursor = db.execute(
        "SELECT o.id, o.badge, o.last_name, o.first_name, o.state_id, o.shift, o.status,"
        " r.id, (cr.officer_id IS NOT NULL) FROM officers o"
        " LEFT JOIN training_records r ON r.officer_id = o.id AND r.course_id = ?"
        "  AND r.completed = ?"
        " LEFT JOIN class_roster cr ON cr.officer_id = o.id AND cr.class_id = ?"
        " WHERE r.id IS NOT NULL OR cr.officer_id IS NOT NULL"
        " ORDER BY o.last_name COLLATE NOCASE, o.first_name COLLATE NOCASE, o.badge",
        [course_id, held_on, class_id if class_id is not None else -1],
    )
    return [
        Attendee(officer, badge, last, first, state_id, shift, status, record, bool(expected))
        for officer, badge, last, first, state_id, shift, status, record, expected in cursor
    ]


def class_of_record(db: Database, record_id: int) -> tuple[int, str] | None:
    """(course id, date) of the class a training record belongs to."""
    row = db.execute(
        "SELECT course_id, completed FROM training_records WHERE id = ?", [record_id]
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def class_ids_for_keys(db: Database, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(course title, date) -> class id, for the classes kept among those keys."""
    found: dict[tuple[str, str], int] = {}
    for title, held_on in set(keys):
        row = db.execute(
            "SELECT cl.id FROM classes cl JOIN courses c ON c.id = cl.course_id"
            " WHERE c.title = ? AND cl.held_on = ?",
            [title, held_on],
        ).fetchone()
        if row:
            found[(title, held_on)] = int(row[0])
    return found


def claim_record_keys(db: Database, claim_id: int) -> list[tuple[int, str, str]]:
    """(record id, course title, date) of the training behind a claim, as it was claimed."""
    return db.execute(
        "SELECT record_id, course, completed FROM claim_records WHERE claim_id = ?"
        " ORDER BY completed, record_id",
        [claim_id],
    ).fetchall()


# --- instructors -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstructorRow:
    id: int
    name: str
    affiliation: str
    email: str
    phone: str
    notes: str
    active: bool
    version: int


def instructors(db: Database) -> list[InstructorRow]:
    """Every instructor, active ones first, by name."""
    cursor = db.execute(
        "SELECT id, name, affiliation, email, phone, notes, active, version FROM instructors"
        " ORDER BY active DESC, name COLLATE NOCASE"
    )
    return [
        InstructorRow(iid, name, affiliation, email, phone, notes, bool(active), version)
        for iid, name, affiliation, email, phone, notes, active, version in cursor
    ]


def instructor_id_by_name(db: Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM instructors WHERE name = ?", [name.strip()]).fetchone()
    return int(row[0]) if row else None


@dataclass(frozen=True, slots=True)
class InstructorCertificationRow:
    id: int
    instructor_id: int
    name: str
    number: str
    issuer: str
    earned: str
    expires: str | None
    version: int

    def core(self) -> InstructorCertification:
        return InstructorCertification(
            self.name,
            date.fromisoformat(self.earned),
            date.fromisoformat(self.expires) if self.expires else None,
        )


def instructor_certifications(
    db: Database, instructor_ids: Sequence[int] | None = None
) -> dict[int, list[InstructorCertificationRow]]:
    """Certifications by instructor id, newest earned first."""
    where, params = "", list(instructor_ids or ())
    if instructor_ids is not None:
        if not params:
            return {}
        where = f"WHERE instructor_id IN ({', '.join('?' for _ in params)})"
    found: dict[int, list[InstructorCertificationRow]] = defaultdict(list)
    for row in db.execute(
        "SELECT id, instructor_id, name, number, issuer, earned, expires, version"
        f" FROM instructor_certifications {where} ORDER BY earned DESC, id DESC",
        params,
    ):
        found[row[1]].append(InstructorCertificationRow(*row))
    return dict(found)


def instructors_with_biography(db: Database) -> set[int]:
    return {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT instructor_id FROM attachments"
            " WHERE instructor_id IS NOT NULL AND kind = 'instructor_bio'"
        )
    }
