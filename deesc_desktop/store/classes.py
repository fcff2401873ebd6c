"""Classes: kept (scheduled, or given a file or an instructor) and derived from the training
records of one course on one date, with the officers expected and recorded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.hours import Centihours, from_float
from deesc_desktop.core.times import ANY_TIME
from deesc_desktop.store.rows import add_row, row_dict

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
    scheduled_at: str | None = None
    """When a kept class was put on the calendar (stored UTC stamp); None for one derived
    from its records."""


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
       (SELECT group_concat(a.kind) FROM attachments a
         WHERE a.class_id = cl.id AND a.created_at < :attached_before),
       (SELECT count(*) FROM attachments a
         WHERE a.class_id = cl.id AND a.created_at < :attached_before),
       cl.created_at
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


def class_list(
    db: Database, start: date, end: date, *, attached_before: str = ANY_TIME
) -> list[ClassListRow]:
    """Every class held or scheduled between the dates (inclusive), newest first, with the
    documents attached before the stamp `attached_before`."""
    cursor = db.execute(
        _CLASS_LIST_SQL + " ORDER BY k.held_on DESC, c.title COLLATE NOCASE",
        {"start": start.isoformat(), "end": end.isoformat(), "attached_before": attached_before},
    )
    return [_class_row(row) for row in cursor]


def class_list_row(db: Database, course_id: int, held_on: str) -> ClassListRow | None:
    """One class as the list shows it, or None when it is neither kept nor held."""
    cursor = db.execute(
        _CLASS_LIST_SQL + " WHERE k.course_id = :course",
        {"start": held_on, "end": held_on, "course": course_id, "attached_before": ANY_TIME},
    )
    row = cursor.fetchone()
    return _class_row(row) if row else None


def class_row(db: Database, class_id: int) -> dict[str, Any] | None:
    return row_dict(db, "classes", class_id)


def insert_class(db: Database, values: dict[str, Any]) -> int:
    return add_row(db, "classes", values)


def update_class_row(
    db: Database, class_id: int, changes: dict[str, Any], at: str, username: str
) -> None:
    """Apply changes to a kept class, counting a new version."""
    assignments = ", ".join(f"{name} = ?" for name in changes)
    db.execute(
        f"UPDATE classes SET {assignments}, version = version + 1, updated_at = ?,"
        " updated_by = ? WHERE id = ?",
        [*changes.values(), at, username, class_id],
    )


def class_course(db: Database, class_id: int) -> tuple[int, str, str] | None:
    """(course id, course title, date) of a kept class."""
    row = db.execute(
        "SELECT cl.course_id, c.title, cl.held_on FROM classes cl"
        " JOIN courses c ON c.id = cl.course_id WHERE cl.id = ?",
        [class_id],
    ).fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


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


# --- instructors -------------------------------------------------------------------------------
