"""Courses and topic codes: what a class is of, and the words for what it covers."""

from __future__ import annotations

from typing import NamedTuple

from sqlite_utils import Database


def topic_codes(db: Database) -> set[str]:
    """Every topic code the agency knows (built-in and its own)."""
    return {code for (code,) in db.execute("SELECT code FROM topics")}


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


def course_title(db: Database, course_id: int) -> str:
    row = db.execute("SELECT title FROM courses WHERE id = ?", [course_id]).fetchone()
    return str(row[0]) if row else ""
