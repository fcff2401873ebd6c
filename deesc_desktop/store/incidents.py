"""SQL of the incident log: incidents, the officers involved, and when each was first trained."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.rows import add_row, row_dict


@dataclass(frozen=True, slots=True)
class InvolvedOfficer:
    """An officer at an incident, and the first day they completed de-escalation training."""

    officer_id: int
    badge: str
    name: str
    first_trained: date | None


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One incident as the log shows it (no names but the agency's own officers')."""

    id: int
    reference: str
    occurred_on: str
    incident_type: str
    deescalation_used: bool
    tactics: tuple[str, ...]
    force_type: str
    officers_injured: int
    public_injured: int
    subject_age_group: str
    subject_sex: str
    subject_race: str
    subject_ethnicity: str
    subject_impairment: str
    status: str
    reviewed_at: str | None
    reviewed_by: str | None
    review_notes: str
    created_by: str
    version: int
    officers: tuple[InvolvedOfficer, ...]

    @property
    def badges(self) -> str:
        return ", ".join(officer.badge for officer in self.officers)


_COLUMNS = (
    "id, reference, occurred_on, incident_type, deescalation_used, tactics, force_type,"
    " officers_injured, public_injured, subject_age_group, subject_sex, subject_race,"
    " subject_ethnicity, subject_impairment, status, reviewed_at, reviewed_by, review_notes,"
    " created_by, version"
)


def insert_incident(db: Database, values: dict[str, Any]) -> int:
    return add_row(db, "incidents", values)


def update_incident(db: Database, incident_id: int, changes: dict[str, Any]) -> None:
    assignments = ", ".join(f"{name} = ?" for name in changes)
    db.execute(
        f"UPDATE incidents SET {assignments}, version = version + 1 WHERE id = ?",
        [*changes.values(), incident_id],
    )


def delete_incident(db: Database, incident_id: int) -> None:
    db.execute("DELETE FROM incidents WHERE id = ?", [incident_id])


def set_incident_officers(db: Database, incident_id: int, officer_ids: Iterable[int]) -> None:
    db.execute("DELETE FROM incident_officers WHERE incident_id = ?", [incident_id])
    db.conn.executemany(
        "INSERT INTO incident_officers (incident_id, officer_id) VALUES (?, ?)",
        [(incident_id, officer_id) for officer_id in sorted(set(officer_ids))],
    )


def incident_snapshot(db: Database, incident_id: int) -> dict[str, Any] | None:
    """An incident as the audit log keeps it: the row plus the ids of the officers involved."""
    row = row_dict(db, "incidents", incident_id)
    if row is None:
        return None
    officers = db.execute(
        "SELECT officer_id FROM incident_officers WHERE incident_id = ? ORDER BY officer_id",
        [incident_id],
    ).fetchall()
    row["officers"] = ",".join(str(officer) for (officer,) in officers)
    return row


def incident_id_by_reference(db: Database, reference: str) -> int | None:
    row = db.execute("SELECT id FROM incidents WHERE reference = ?", [reference.strip()]).fetchone()
    return int(row[0]) if row else None


def first_trained(
    db: Database, topics: Sequence[str], officer_ids: Iterable[int] | None = None
) -> dict[int, date]:
    """officer id -> the first day they completed training with hours in any of `topics`."""
    marks = ", ".join("?" for _ in topics)
    params: list[object] = list(topics)
    where = ""
    if officer_ids is not None:
        ids = sorted(set(officer_ids))
        if not ids:
            return {}
        where = f" AND r.officer_id IN ({', '.join('?' for _ in ids)})"
        params.extend(ids)
    cursor = db.execute(
        "SELECT r.officer_id, min(r.completed) FROM training_records r"
        " JOIN training_topics t ON t.record_id = r.id"
        f" WHERE t.topic IN ({marks}) AND t.hours > 0{where} GROUP BY r.officer_id",
        params,
    )
    return {officer_id: date.fromisoformat(day) for officer_id, day in cursor}


def incident_rows(
    db: Database,
    topics: Sequence[str],
    *,
    start: date | None = None,
    end: date | None = None,
    incident_id: int | None = None,
) -> list[IncidentRow]:
    """Incidents (all, those between the dates, or one), newest first, with their officers."""
    where: list[str] = []
    params: list[object] = []
    if start is not None:
        where.append("occurred_on >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("occurred_on <= ?")
        params.append(end.isoformat())
    if incident_id is not None:
        where.append("id = ?")
        params.append(incident_id)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM incidents{clause} ORDER BY occurred_on DESC, id DESC", params
    ).fetchall()
    involved: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    ids = [row[0] for row in rows]
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for incident, officer, badge, last, first in db.execute(
            "SELECT io.incident_id, o.id, o.badge, o.last_name, o.first_name"
            " FROM incident_officers io JOIN officers o ON o.id = io.officer_id"
            f" WHERE io.incident_id IN ({', '.join('?' for _ in part)})"
            " ORDER BY o.badge",
            part,
        ):
            involved[incident].append((officer, badge, f"{last}, {first}"))
    trained = first_trained(db, topics, {o for people in involved.values() for o, _, _ in people})
    return [_incident(row, involved.get(row[0], []), trained) for row in rows]


def _incident(
    row: Sequence[Any], people: list[tuple[int, str, str]], trained: dict[int, date]
) -> IncidentRow:
    return IncidentRow(
        id=row[0],
        reference=row[1],
        occurred_on=row[2],
        incident_type=row[3],
        deescalation_used=bool(row[4]),
        tactics=tuple(json.loads(row[5])),
        force_type=row[6],
        officers_injured=row[7],
        public_injured=row[8],
        subject_age_group=row[9],
        subject_sex=row[10],
        subject_race=row[11],
        subject_ethnicity=row[12],
        subject_impairment=row[13],
        status=row[14],
        reviewed_at=row[15],
        reviewed_by=row[16],
        review_notes=row[17],
        created_by=row[18],
        version=row[19],
        officers=tuple(
            InvolvedOfficer(officer, badge, name, trained.get(officer))
            for officer, badge, name in people
        ),
    )
