"""Read queries that turn rows into core records, in bulk where the caller needs many."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

from sqlite_utils import Database

from deesc_desktop.core.compliance import HoursTotal
from deesc_desktop.core.hours import from_float
from deesc_desktop.core.models import Agency, Exemption, Officer, TrainingRecord
from deesc_desktop.core.names import name_key
from deesc_desktop.store.rows import row_dict


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def followups_of_record(db: Database, record_id: int) -> list[int]:
    """Ids of the follow-up assessments linked to a training record."""
    return [
        row_id
        for (row_id,) in db.execute(
            "SELECT id FROM followup_assessments WHERE record_id = ? ORDER BY id", [record_id]
        )
    ]


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
        leave_proration=bool(row.get("leave_proration", 0)),
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


_OFFICER_FIELDS = (
    "id, badge, last_name, first_name, hire_date, rank, unit, shift, license_date, state_id, "
    "email, status, separation_date"
)
"""The `officers` columns an Officer holds, in the order of its fields."""


def load_officers(
    db: Database, *, include_separated: bool = True, serving_on: date | None = None
) -> list[Officer]:
    """Every officer, in the order a reader expects names (core.names); with `serving_on`,
    only those serving that day (hired on or before it, not separated before it:
    core.roster.serving_on in SQL)."""
    params: list[str] = []
    if serving_on is not None:
        where = "WHERE hire_date <= ? AND (separation_date IS NULL OR separation_date >= ?)"
        params = [serving_on.isoformat()] * 2
    else:
        where = "" if include_separated else "WHERE status != 'separated'"
    # Built positionally: a statewide roster is 50,000 officers on every compliance run.
    officers = [
        Officer(
            officer_id,
            badge,
            last_name,
            first_name,
            date.fromisoformat(hire),
            rank,
            unit,
            shift,
            _date(licence),
            state_id,
            email,
            status,
            _date(separated),
        )
        for (
            officer_id,
            badge,
            last_name,
            first_name,
            hire,
            rank,
            unit,
            shift,
            licence,
            state_id,
            email,
            status,
            separated,
        ) in db.execute(f"SELECT {_OFFICER_FIELDS} FROM officers {where}", params)
    ]
    officers.sort(key=lambda o: name_key(o.last_name, o.first_name, o.badge))
    return officers


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
        f"JOIN training_records r ON r.id = t.record_id {where}",
        list(params),
    ):
        split[record_id].append((topic, from_float(hours)))
    return split


def _in_clause(column: str, ids: Sequence[object]) -> str:
    return f"{column} IN ({', '.join('?' for _ in ids)})"


_ORDER = attrgetter("completed", "id")


def _build_records(
    db: Database, where: str, params: Sequence[object]
) -> dict[int, list[TrainingRecord]]:
    split = _topics_for(db, where, params)
    records: dict[int, list[TrainingRecord]] = defaultdict(list)
    # No ORDER BY: it would make SQLite walk the officer index instead of the date range
    # asked for; each officer's short list is sorted below instead.
    for row in db.execute(f"{_RECORD_SQL} {where}", list(params)):
        rid, officer_id, course_id, title, number, completed, hours = row[:7]
        delivery, provider, instructor, pre_test, post_test = row[7:]
        topics = split.get(rid, ())
        records[officer_id].append(
            TrainingRecord(
                id=rid,
                officer_id=officer_id,
                course_id=course_id,
                course_title=title,
                course_number=number,
                completed=date.fromisoformat(completed),
                hours=from_float(hours),
                topic_hours=tuple(sorted(topics)) if len(topics) > 1 else tuple(topics),
                delivery=delivery,
                provider=provider,
                instructor=instructor,
                pre_test=pre_test,
                post_test=post_test,
            )
        )
    for found in records.values():
        found.sort(key=_ORDER)  # already in date order as a rule: one pass
    return {officer_id: records[officer_id] for officer_id in sorted(records)}


def load_records(
    db: Database,
    officer_ids: Iterable[int] | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> dict[int, list[TrainingRecord]]:
    """Training records grouped by officer id (ascending), each officer's list ordered by
    completion date; with `since` and `until`, only those completed in that span (inclusive)."""
    clauses: list[str] = []
    params: list[object] = []
    if since is not None:
        clauses.append("r.completed >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append("r.completed <= ?")
        params.append(until.isoformat())
    if officer_ids is not None:
        ids = list(officer_ids)
        if not ids:
            return {}
        clauses.append(_in_clause("r.officer_id", ids))
        params.extend(ids)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return _build_records(db, where, params)


_WORST = "MAX(ABS({0} * 100 - ROUND({0} * 100)))"
"""How far a summed value's hundredths are from whole: under 0.25 for every value (and each
under 1e9 hours, which a sum under 1e11 centihours proves, hours being >= 0), `from_float`
takes its fast path, so the sum of rounded hundredths is the sum of `from_float`s exactly."""

_PLAIN_LIMIT = 1e11


def load_hour_totals(
    db: Database,
    cuts: Sequence[date],
    topics: Iterable[str],
    deliveries: Iterable[str],
    *,
    by_course: bool,
) -> dict[int, list[HoursTotal]] | None:
    """Each officer's hours per delivery in `deliveries` (the others together, as "") and
    per course with `by_course`, completed from each cut up to the next, with their hours
    in `topics`, in two aggregate queries.

    Returns None when a value summed is not a plain number of hours with at most 2
    decimals, which only the records convert exactly (`load_records`).
    """
    if len(cuts) < 2:
        return {}
    days = [cut.isoformat() for cut in cuts]
    # The number of inner cuts on or before the completion date: the span it falls in.
    span = " + ".join(["0", *("(r.completed >= ?)" for _ in days[1:-1])])
    where = "r.completed >= ? AND r.completed < ?"
    course = "r.course_id" if by_course else "0"
    # Fewer groups are fewer rows to sort: deliveries nobody asks about are one group.
    named = sorted(deliveries)
    way = "''"
    if named:
        way = f"CASE WHEN {_in_clause('r.delivery', named)} THEN r.delivery ELSE '' END"
    group = f"r.officer_id, {span}, {way}, {course}"
    grouped = [*days[1:-1], *named]  # the parameters of `group`, in order
    # ORDER BY as grouped costs nothing more, and lists topics and spans in order.
    split: dict[tuple[int, int, str, int], list[tuple[str, int]]] = defaultdict(list)
    codes = sorted(topics)
    if codes:
        for officer_id, index, delivery, course_id, topic, hours, worst in db.execute(
            f"SELECT {group}, t.topic, SUM(ROUND(t.hours * 100)), {_WORST.format('t.hours')} "
            "FROM training_topics t JOIN training_records r ON r.id = t.record_id "
            f"WHERE {_in_clause('t.topic', codes)} AND {where} "
            "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
            [*grouped, *codes, days[0], days[-1]],
        ):
            if hours >= _PLAIN_LIMIT or worst >= 0.25:
                return None
            split[officer_id, index, delivery, course_id].append((topic, int(hours)))
    names: dict[int, tuple[str, str]] = defaultdict(lambda: ("", ""))
    if by_course:
        names.update(
            (cid, (title, number))
            for cid, title, number in db.execute("SELECT id, title, course_number FROM courses")
        )
    result: dict[int, list[HoursTotal]] = defaultdict(list)
    for officer_id, index, delivery, course_id, hours, worst in db.execute(
        f"SELECT {group}, SUM(ROUND(r.hours * 100)), {_WORST.format('r.hours')} "
        f"FROM training_records r WHERE {where} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        [*grouped, days[0], days[-1]],
    ):
        if hours >= _PLAIN_LIMIT or worst >= 0.25:
            return None
        title, number = names[course_id]
        pairs = split.get((officer_id, index, delivery, course_id), ())
        result[officer_id].append(
            HoursTotal(cuts[index], delivery, int(hours), tuple(pairs), title, number)
        )
    return dict(result)


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
    for rid, officer_id, start, end, reason, requirements, by, reference, on in db.execute(
        f'SELECT id, officer_id, start, "end", reason, requirements, granted_by, reference,'
        f" granted_on FROM exemptions {where} ORDER BY officer_id, start, id",
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
                granted_by=by,
                reference=reference,
                granted_on=_date(on),
            )
        )
    return dict(result)
