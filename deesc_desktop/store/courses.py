"""Courses and topic codes: what a class is of, and the words for what it covers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.rows import insert_row


def topic_codes(db: Database) -> set[str]:
    """Every topic code the agency knows (built-in and its own)."""
    return {code for (code,) in db.execute("SELECT code FROM topics")}


def add_topic(audit: AuditWriter, code: str, label: str) -> None:
    """Add an agency topic (from a pack file it loads) and audit it."""
    audit.db.execute("INSERT INTO topics (code, label, builtin) VALUES (?, ?, 0)", [code, label])
    audit.record("insert", "topics", code, after={"code": code, "label": label})


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


def course_by_title(db: Database, title: str) -> tuple[int, str] | None:
    """(id, title as stored) of the course with this title, case aside."""
    row = db.execute("SELECT id, title FROM courses WHERE title = ?", [title.strip()]).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def find_course(db: Database, title: str) -> int | None:
    """The id of the course with this title (case-insensitive, as the schema compares it)."""
    found = course_by_title(db, title)
    return found[0] if found else None


def cit_course_by_number(db: Database, number: str) -> int | None:
    """The course marked for CIT whose course number this is (case-insensitive), or None."""
    if not number.strip():
        return None
    row = db.execute(
        "SELECT id FROM courses WHERE cit_role IS NOT NULL AND course_number = ? COLLATE NOCASE",
        [number.strip()],
    ).fetchone()
    return int(row[0]) if row else None


def insert_course(audit: AuditWriter, values: Mapping[str, Any]) -> int:
    """Add a course and audit it."""
    return insert_row(audit, "courses", values)


def course_names(db: Database) -> list[tuple[str, str]]:
    """(title, course number) of every course."""
    return [
        (title, number) for title, number in db.execute("SELECT title, course_number FROM courses")
    ]


def course_title(db: Database, course_id: int) -> str:
    row = db.execute("SELECT title FROM courses WHERE id = ?", [course_id]).fetchone()
    return str(row[0]) if row else ""


def courses_titled_or_numbered(db: Database, text: str) -> list[int]:
    """Ids of the courses with this title or course number (case-insensitive)."""
    return [
        int(row[0])
        for row in db.execute(
            "SELECT id FROM courses WHERE title = ? COLLATE NOCASE"
            " OR (course_number != '' AND course_number = ? COLLATE NOCASE)",
            [text, text],
        )
    ]
