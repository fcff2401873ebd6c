"""Instructors and their certifications."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.course_files import InstructorCertification
from deesc_desktop.core.times import ANY_TIME


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


def biographies_by_instructor(db: Database, attached_before: str = ANY_TIME) -> dict[int, int]:
    """Instructor id -> how many biographies were on file for them before the stamp
    `attached_before` (only those with one)."""
    return dict(
        db.execute(
            "SELECT instructor_id, count(*) FROM attachments WHERE instructor_id IS NOT NULL"
            " AND kind = 'instructor_bio' AND created_at < ? GROUP BY instructor_id",
            [attached_before],
        ).fetchall()
    )
