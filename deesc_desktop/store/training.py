"""Training records: written one at a time with their topic hours and audit entries; read as
core records (one by one or in bulk), as the training list shows them, and as the hour
totals that let compliance skip reading every record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.compliance import HoursTotal, LatestClass
from deesc_desktop.core.hours import Centihours, from_float, to_float
from deesc_desktop.core.models import TrainingRecord
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.rows import (
    Key,
    add_row,
    delete_row,
    in_clause,
    row_dict,
    set_columns,
    version_stamp,
)

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
    # No ORDER BY: it would make SQLite walk an index led by the officer instead of the
    # date range asked for; each officer's short list is sorted below instead.
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


_ID_DIGITS = 12
"""Record ids written with this many digits sort as numbers after the ISO date: the
largest `completed || id` text of a group is its latest record, by date and then id."""


def load_latest_classes(
    db: Database, cuts: Sequence[date], topics: Iterable[str]
) -> dict[int, list[LatestClass]] | None:
    """Each officer's latest record (by completion date, then id) with hours in each of
    `topics`, completed from each cut up to the next, in one aggregate query; per officer
    one `LatestClass` per record, in that order, marking the topics it is the latest of.

    Returns None when a topic's hours are not a plain number with at most 2 decimals, as
    whether they are above zero is then the records' own conversion (`load_records`).
    """
    codes = sorted(topics)
    if len(cuts) < 2 or not codes:
        return {}
    days = [cut.isoformat() for cut in cuts]
    span = " + ".join(["0", *("(r.completed >= ?)" for _ in days[1:-1])])
    # The course rides along after the id, which alone decides the largest text.
    latest = (
        f"MAX(CASE WHEN ROUND(t.hours * 100) > 0 THEN r.completed || "
        f"printf('%0{_ID_DIGITS}d', r.id) || r.course_id END)"
    )
    # The latest per span and topic, then one row per record with the topics it is the
    # latest of, in each officer's order (a group of no latest record still has its hours
    # checked).
    names = {
        course_id: (title, number)
        for course_id, title, number in db.execute("SELECT id, title, course_number FROM courses")
    }
    result: dict[int, list[LatestClass]] = defaultdict(list)
    for officer_id, key, marked, worst, most in db.execute(
        "SELECT officer_id, latest, group_concat(topic, ' '), MAX(worst), MAX(most) FROM ("
        f"SELECT r.officer_id, t.topic, {latest} AS latest, "
        f"{_WORST.format('t.hours')} AS worst, MAX(t.hours) AS most "
        "FROM training_topics t JOIN training_records r ON r.id = t.record_id "
        f"WHERE {in_clause('t.topic', codes)} AND r.completed >= ? AND r.completed < ? "
        f"GROUP BY r.officer_id, {span}, t.topic"
        ") GROUP BY officer_id, latest ORDER BY officer_id, latest",
        [*codes, days[0], days[-1], *days[1:-1]],
    ):
        if most >= _PLAIN_LIMIT or worst >= 0.25:
            return None
        if key is None:
            continue
        title, number = names[int(key[10 + _ID_DIGITS :])]
        split = marked.split()  # codes are [a-z0-9_]: the topics table's CHECK
        result[officer_id].append(
            LatestClass(
                int(key[10 : 10 + _ID_DIGITS]),
                date.fromisoformat(key[:10]),
                title,
                number,
                ((marked, 1),) if len(split) == 1 else tuple((t, 1) for t in sorted(split)),
            )
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


def training_export_rows(db: Database) -> Iterator[tuple[Any, ...]]:
    """Every record as the training import file lays it out, by date, badge and course:
    badge, title, completed, hours, topic split text, delivery, provider, instructor, course
    number, pre-test, post-test."""
    yield from db.execute(
        """
        SELECT o.badge, c.title, r.completed, r.hours,
               (SELECT group_concat(topic || ':' || hours, ';')
                  FROM (SELECT topic, hours FROM training_topics t
                        WHERE t.record_id = r.id ORDER BY topic)),
               r.delivery, r.provider, r.instructor, c.course_number, r.pre_test, r.post_test
        FROM training_records r
        JOIN officers o ON o.id = r.officer_id
        JOIN courses c ON c.id = r.course_id
        ORDER BY r.completed, o.badge, c.title
        """
    )


# --- writing -------------------------------------------------------------------------------


def record_snapshot(db: Database, record_id: Key) -> dict[str, Any] | None:
    """A training record as the audit log keeps it: the row plus its topic split."""
    row = row_dict(db, "training_records", record_id)
    if row is None:
        return None
    split = db.execute(
        "SELECT topic, hours FROM training_topics WHERE record_id = ? ORDER BY topic", [record_id]
    ).fetchall()
    row["topics"] = ";".join(f"{topic}:{hours:g}" for topic, hours in split)
    return row


def _write_topics(
    db: Database, record_id: int, topic_hours: Sequence[tuple[str, Centihours]]
) -> None:
    db.conn.executemany(
        "INSERT INTO training_topics (record_id, topic, hours) VALUES (?, ?, ?)",
        [(record_id, topic, to_float(hours)) for topic, hours in topic_hours],
    )


def insert_record(
    audit: AuditWriter,
    values: Mapping[str, Any],
    topic_hours: Sequence[tuple[str, Centihours]],
) -> int:
    """Write one training record (its columns) and its topic hours, and audit it."""
    db = audit.db
    record_id = add_row(db, "training_records", values)
    _write_topics(db, record_id, topic_hours)
    audit.record("insert", "training_records", record_id, after=record_snapshot(db, record_id))
    return record_id


def rewrite_record(
    audit: AuditWriter,
    before: Mapping[str, Any],
    changes: Mapping[str, Any],
    topic_hours: Sequence[tuple[str, Centihours]],
) -> None:
    """Change a record's columns and replace its topic hours, counting a new version; the
    caller compares the snapshots and audits the correction."""
    record_id = before["id"]
    set_columns(
        audit.db, "training_records", record_id, {**changes, **version_stamp(audit, before)}
    )
    audit.db.execute("DELETE FROM training_topics WHERE record_id = ?", [record_id])
    _write_topics(audit.db, record_id, topic_hours)


def delete_record(
    audit: AuditWriter, record_id: int, before: Mapping[str, Any], *, reason: str
) -> None:
    """Delete a training record (its topic hours go with it) and audit what it said."""
    delete_row(audit, "training_records", record_id, before=before, reason=reason)


def already_recorded(db: Database, officer_id: int, course_id: int, completed: str) -> bool:
    """Whether the officer already has a record of this course on this date."""
    found = db.execute(
        "SELECT 1 FROM training_records WHERE officer_id = ? AND course_id = ? AND completed = ?",
        [officer_id, course_id, completed],
    ).fetchone()
    return found is not None


_MAX_LISTED_COURSES = 500
"""More course ids than this are filtered in Python: SQLite limits a statement's parameters."""


def recorded_classes(
    db: Database, course_ids: set[int], first: date, last: date
) -> set[tuple[int, int, str]]:
    """(officer id, course id, completed) of the records of these courses completed between
    `first` and `last` (inclusive)."""
    if not course_ids:
        return set()
    params: list[object] = [first.isoformat(), last.isoformat()]
    if len(course_ids) > _MAX_LISTED_COURSES:
        where = ""
    else:
        ordered = sorted(course_ids)
        where = f"{in_clause('course_id', ordered)} AND "
        params = [*ordered, *params]
    found = db.execute(
        "SELECT officer_id, course_id, completed FROM training_records"
        f" WHERE {where}completed BETWEEN ? AND ?",
        params,
    )
    return {(officer, course, day) for officer, course, day in found if course in course_ids}
