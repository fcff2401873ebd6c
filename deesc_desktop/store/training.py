"""Training records: as core records (one by one or in bulk), as the training list shows
them, and the hour totals that let compliance skip reading every record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.compliance import HoursTotal
from deesc_desktop.core.hours import Centihours, from_float
from deesc_desktop.core.models import TrainingRecord
from deesc_desktop.store.rows import in_clause

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
        clauses.append(in_clause("r.officer_id", ids))
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
        way = f"CASE WHEN {in_clause('r.delivery', named)} THEN r.delivery ELSE '' END"
    group = f"r.officer_id, {span}, {way}, {course}"
    grouped = [*days[1:-1], *named]  # the parameters of `group`, in order
    # ORDER BY as grouped costs nothing more, and lists topics and spans in order.
    split: dict[tuple[int, int, str, int], list[tuple[str, int]]] = defaultdict(list)
    codes = sorted(topics)
    if codes:
        for officer_id, index, delivery, course_id, topic, hours, worst in db.execute(
            f"SELECT {group}, t.topic, SUM(ROUND(t.hours * 100)), {_WORST.format('t.hours')} "
            "FROM training_topics t JOIN training_records r ON r.id = t.record_id "
            f"WHERE {in_clause('t.topic', codes)} AND {where} "
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


class TrainingListRow(NamedTuple):
    """One training record with its officer and course, as the training list shows it."""

    id: int
    officer_id: int
    badge: str
    last_name: str
    first_name: str
    course_id: int
    course: str
    course_number: str
    completed: str
    hours: Centihours
    topic_hours: tuple[tuple[str, Centihours], ...]
    delivery: str
    provider: str
    instructor: str
    pre_test: float | None
    post_test: float | None
    version: int

    @property
    def officer_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


_TRAINING_SQL = """
SELECT r.id, r.officer_id, o.badge, o.last_name, o.first_name, r.course_id, c.title,
       c.course_number, r.completed, r.hours,
       (SELECT group_concat(topic || ':' || hours, ';')
          FROM (SELECT topic, hours FROM training_topics t
                WHERE t.record_id = r.id ORDER BY topic)),
       r.delivery, r.provider, r.instructor, r.pre_test, r.post_test, r.version
FROM training_records r
JOIN officers o ON o.id = r.officer_id
JOIN courses c ON c.id = r.course_id
"""


def _split(text: str | None) -> tuple[tuple[str, Centihours], ...]:
    if not text:
        return ()
    parts = []
    for part in text.split(";"):
        code, _, hours = part.partition(":")
        parts.append((code, from_float(float(hours or 0))))
    return tuple(parts)


def _training_row(row: tuple[Any, ...]) -> TrainingListRow:
    values = list(row)
    values[9] = from_float(values[9])
    values[10] = _split(values[10])
    return TrainingListRow._make(values)


def training_records(
    db: Database, *, start: date | None = None, end: date | None = None
) -> list[TrainingListRow]:
    """Training records completed between `start` and `end` (inclusive), newest first."""
    where, params = [], []
    if start is not None:
        where.append("r.completed >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("r.completed <= ?")
        params.append(end.isoformat())
    sql = _TRAINING_SQL + (f" WHERE {' AND '.join(where)}" if where else "")
    sql += " ORDER BY r.completed DESC, o.last_name COLLATE NOCASE, o.first_name, r.id"
    return [_training_row(row) for row in db.execute(sql, params)]


def training_record(db: Database, record_id: int) -> TrainingListRow | None:
    """One training record as the list shows it, or None."""
    row = db.execute(_TRAINING_SQL + " WHERE r.id = ?", [record_id]).fetchone()
    return _training_row(row) if row else None
