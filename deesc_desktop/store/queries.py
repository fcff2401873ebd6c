"""Read queries that turn rows into core records, in bulk where the caller needs many."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.hours import from_float
from deesc_desktop.core.models import Agency, Exemption, Officer, TrainingRecord


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def row_dict(db: Database, table: str, row_id: int) -> dict[str, Any] | None:
    """One row as a dict, or None."""
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def get_agency(db: Database) -> Agency | None:
    """The agency this database belongs to, or None before `deesc init`."""
    row = row_dict(db, "agency", 1)
    if row is None:
        return None
    return Agency(
        name=row["name"],
        state=row["state"],
        ori=row["ori"],
        fiscal_year_start_month=row["fiscal_year_start_month"],
        warning_days=row["warning_days"],
    )


def officer_from_row(row: dict[str, Any]) -> Officer:
    """An Officer from an `officers` row."""
    hire = _date(row["hire_date"])
    assert hire is not None  # NOT NULL in the schema
    return Officer(
        id=row["id"],
        badge=row["badge"],
        last_name=row["last_name"],
        first_name=row["first_name"],
        hire_date=hire,
        rank=row["rank"],
        unit=row["unit"],
        shift=row["shift"],
        license_date=_date(row["license_date"]),
        state_id=row["state_id"],
        email=row["email"],
        status=row["status"],
        separation_date=_date(row["separation_date"]),
    )


def load_officers(db: Database, *, include_separated: bool = True) -> list[Officer]:
    """Every officer, ordered by name."""
    where = "" if include_separated else "WHERE status != 'separated'"
    cursor = db.execute(f"SELECT * FROM officers {where} ORDER BY last_name, first_name, badge")
    names = [c[0] for c in cursor.description]
    return [officer_from_row(dict(zip(names, row, strict=True))) for row in cursor]


def get_officer(db: Database, officer_id: int) -> Officer | None:
    row = row_dict(db, "officers", officer_id)
    return officer_from_row(row) if row else None


def officer_by_badge(db: Database, badge: str) -> Officer | None:
    cursor = db.execute("SELECT * FROM officers WHERE badge = ?", [badge.strip()])
    row = cursor.fetchone()
    if row is None:
        return None
    return officer_from_row(dict(zip([c[0] for c in cursor.description], row, strict=True)))


def badge_ids(db: Database) -> dict[str, int]:
    """Badge -> officer id for the whole roster."""
    return {badge: officer_id for officer_id, badge in db.execute("SELECT id, badge FROM officers")}


def topic_codes(db: Database) -> set[str]:
    """Every topic code the agency knows (built-in and its own)."""
    return {code for (code,) in db.execute("SELECT code FROM topics")}


_RECORD_SQL = """
SELECT r.id, r.officer_id, r.course_id, c.title, c.course_number, r.completed, r.hours,
       r.delivery, r.provider, r.instructor, r.pre_test, r.post_test
FROM training_records r JOIN courses c ON c.id = r.course_id
"""


def _topics_for(
    db: Database, where: str, params: Sequence[object]
) -> dict[int, list[tuple[str, int]]]:
    split: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for record_id, topic, hours in db.execute(
        "SELECT t.record_id, t.topic, t.hours FROM training_topics t "
        f"JOIN training_records r ON r.id = t.record_id {where} ORDER BY t.record_id, t.topic",
        list(params),
    ):
        split[record_id].append((topic, from_float(hours)))
    return split


def _in_clause(column: str, ids: Sequence[int]) -> str:
    return f"{column} IN ({', '.join('?' for _ in ids)})"


def _build_records(
    db: Database, where: str, params: Sequence[object]
) -> dict[int, list[TrainingRecord]]:
    split = _topics_for(db, where, params)
    records: dict[int, list[TrainingRecord]] = defaultdict(list)
    sql = f"{_RECORD_SQL} {where} ORDER BY r.officer_id, r.completed, r.id"
    for row in db.execute(sql, list(params)):
        rid, officer_id, course_id, title, number, completed, hours = row[:7]
        delivery, provider, instructor, pre_test, post_test = row[7:]
        records[officer_id].append(
            TrainingRecord(
                id=rid,
                officer_id=officer_id,
                course_id=course_id,
                course_title=title,
                course_number=number,
                completed=date.fromisoformat(completed),
                hours=from_float(hours),
                topic_hours=tuple(split.get(rid, ())),
                delivery=delivery,
                provider=provider,
                instructor=instructor,
                pre_test=pre_test,
                post_test=post_test,
            )
        )
    return dict(records)


def load_records(
    db: Database, officer_ids: Iterable[int] | None = None
) -> dict[int, list[TrainingRecord]]:
    """Training records grouped by officer id, each officer's list ordered by completion date."""
    if officer_ids is None:
        return _build_records(db, "", [])
    ids = list(officer_ids)
    if not ids:
        return {}
    return _build_records(db, f"WHERE {_in_clause('r.officer_id', ids)}", ids)


def get_record(db: Database, record_id: int) -> TrainingRecord | None:
    """One training record with its topic split, or None."""
    for records in _build_records(db, "WHERE r.id = ?", [record_id]).values():
        return records[0]
    return None


def load_exemptions(
    db: Database, officer_ids: Iterable[int] | None = None
) -> dict[int, list[Exemption]]:
    """Exemptions and leave grouped by officer id, ordered by start date."""
    params: list[object] = []
    where = ""
    if officer_ids is not None:
        ids = list(officer_ids)
        if not ids:
            return {}
        where = f"WHERE {_in_clause('officer_id', ids)}"
        params = list(ids)
    result: dict[int, list[Exemption]] = defaultdict(list)
    for rid, officer_id, start, end, reason, requirements in db.execute(
        f'SELECT id, officer_id, start, "end", reason, requirements FROM exemptions {where} '
        "ORDER BY officer_id, start, id",
        params,
    ):
        result[officer_id].append(
            Exemption(
                id=rid,
                officer_id=officer_id,
                start=date.fromisoformat(start),
                end=date.fromisoformat(end),
                reason=reason,
                requirement_ids=frozenset(r for r in requirements.split(",") if r),
            )
        )
    return dict(result)
