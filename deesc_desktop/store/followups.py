"""LEDTA follow-up assessments: reads, and the links they keep to training records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database


def followups_of_record(db: Database, record_id: int) -> list[int]:
    """Ids of the follow-up assessments linked to a training record."""
    return [
        row_id
        for (row_id,) in db.execute(
            "SELECT id FROM followup_assessments WHERE record_id = ? ORDER BY id", [record_id]
        )
    ]


@dataclass(frozen=True, slots=True)
class FollowupRow:
    """A LEDTA follow-up assessment with the officer and the linked class, if any."""

    id: int
    officer_id: int
    badge: str
    officer_name: str
    assessed_on: str
    assessor: str
    score: float
    notes: str
    record_id: int | None
    course: str | None
    completed: str | None
    post_test: float | None
    version: int


def followups(db: Database, *, officer_id: int | None = None) -> list[FollowupRow]:
    """Follow-up assessments, newest first, with the class and post-test they follow up."""
    where, params = "", []
    if officer_id is not None:
        where, params = "WHERE f.officer_id = ?", [officer_id]
    cursor = db.execute(
        "SELECT f.id, f.officer_id, o.badge, o.last_name || ', ' || o.first_name, f.assessed_on,"
        " f.assessor, f.score, f.notes, f.record_id, c.title, r.completed, r.post_test, f.version"
        " FROM followup_assessments f JOIN officers o ON o.id = f.officer_id"
        " LEFT JOIN training_records r ON r.id = f.record_id"
        f" LEFT JOIN courses c ON c.id = r.course_id {where}"
        " ORDER BY f.assessed_on DESC, f.id DESC",
        params,
    )
    return [FollowupRow(*row) for row in cursor]


def latest_completion(db: Database, officer_id: int, course: str, on_or_before: date) -> int | None:
    """The officer's latest record of a course (title or number) on or before a day."""
    row = db.execute(
        "SELECT r.id FROM training_records r JOIN courses c ON c.id = r.course_id"
        " WHERE r.officer_id = ? AND r.completed <= ? AND (c.title = ? COLLATE NOCASE"
        " OR (c.course_number != '' AND c.course_number = ? COLLATE NOCASE))"
        " ORDER BY r.completed DESC, r.id DESC LIMIT 1",
        [officer_id, on_or_before.isoformat(), course.strip(), course.strip()],
    ).fetchone()
    return int(row[0]) if row else None
