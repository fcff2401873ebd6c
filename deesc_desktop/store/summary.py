"""The dashboard's kept compliance summary: derived rows, never a record, rebuilt when in doubt.

Per officer serving on one day: their overall status and their status on each requirement,
with the date and the hours still to do of what falls due soon; and the audit log mark the
rows reflect. The rows are written without audit entries, left out of reconciliation, the
schema check and every export, and may be dropped at any time: a read that finds them
missing, unreadable or written for another day or log answers None, and the caller works the
figures out again. A file that cannot be written (read-only, or busy) is simply not kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.store.changes import LogMark
from deesc_desktop.store.database import writing
from deesc_desktop.store.migrations.summary import SCHEMA


@dataclass(frozen=True, slots=True)
class KeptResult:
    """An officer's status on one requirement; `due` and `detail` only for a due-list item."""

    requirement_id: str
    status: str
    due: date | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class KeptOfficer:
    """One serving officer's row of the summary."""

    officer_id: int
    name: str
    overall: str
    results: tuple[KeptResult, ...]
    needs: str = ""
    """What the officer needs, as the roster's Needs column says it ("" for nothing)."""


@dataclass(frozen=True, slots=True)
class KeptState:
    """What the kept rows reflect: the day, the audit log mark, the app version that worked
    them out, and the requirements (id, title) in the order they were evaluated."""

    as_of: date
    mark: LogMark
    app_version: str
    requirements: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class KeptDue:
    """A due-list item as kept, with the officer and requirement it belongs to."""

    officer_id: int
    officer: str
    requirement_id: str
    due: date
    detail: str
    status: str


@dataclass(frozen=True, slots=True)
class KeptCounts:
    """The figures counted from the kept rows."""

    officers: int
    overall: dict[str, int]
    by_requirement: dict[tuple[str, str], int]
    """(requirement id, status) -> officers."""
    due: list[KeptDue]


def kept_state(db: Database) -> KeptState | None:
    """What the kept summary reflects; None when there is none or it cannot be read."""
    try:
        row = db.execute(
            "SELECT as_of, log_entries, log_hash, app_version, requirements FROM summary_state"
        ).fetchone()
        if row is None:
            return None
        as_of, entries, digest, version, requirements = row
        return KeptState(
            date.fromisoformat(as_of),
            LogMark(int(entries), str(digest)),
            str(version),
            tuple((str(rid), str(title)) for rid, title in json.loads(requirements)),
        )
    except (sqlite3.Error, ValueError, TypeError):
        return None


def kept_counts(db: Database, due_from: date, due_to: date) -> KeptCounts | None:
    """Officers by overall status, officers per requirement and status, and the due-list
    items due from `due_from` to `due_to`, counted in SQL; None when unreadable."""
    try:
        overall = {
            str(status): int(count)
            for status, count in db.execute(
                "SELECT overall, count(*) FROM summary_officers GROUP BY overall"
            )
        }
        # Kept as the rows change: a statewide roster has 650,000 results to count.
        by_requirement = {
            (str(rid), str(status)): int(count)
            for rid, status, count in db.execute(
                "SELECT requirement_id, status, officers FROM summary_counts WHERE officers > 0"
            )
        }
        due = [
            KeptDue(int(oid), str(name), str(rid), date.fromisoformat(day), str(detail), status)
            for oid, name, rid, day, detail, status in db.execute(
                "SELECT r.officer_id, o.name, r.requirement_id, r.due, r.detail, r.status"
                " FROM summary_results r JOIN summary_officers o ON o.officer_id = r.officer_id"
                " WHERE r.due BETWEEN ? AND ?",
                [due_from.isoformat(), due_to.isoformat()],
            )
        ]
    except (sqlite3.Error, ValueError, TypeError):
        return None
    return KeptCounts(sum(overall.values()), overall, by_requirement, due)


def kept_officers(db: Database) -> dict[int, tuple[str, str]] | None:
    """Each kept officer's overall status and needs, by officer id; None when unreadable."""
    try:
        return {
            int(officer_id): (str(overall), str(needs))
            for officer_id, overall, needs in db.execute(
                "SELECT officer_id, overall, needs FROM summary_officers"
            )
        }
    except (sqlite3.Error, ValueError, TypeError):
        return None


def kept_rows(db: Database) -> tuple[list[KeptOfficer], Counter[tuple[str, str]]] | None:
    """Every kept officer with their results (in requirement id order), and the kept count
    of officers per (requirement, status); None when unreadable."""
    try:
        results: dict[int, list[KeptResult]] = {}
        for oid, rid, status, due, detail in db.execute(
            "SELECT officer_id, requirement_id, status, due, detail FROM summary_results"
            " ORDER BY officer_id, requirement_id"
        ):
            results.setdefault(int(oid), []).append(
                KeptResult(
                    str(rid),
                    str(status),
                    None if due is None else date.fromisoformat(due),
                    None if detail is None else str(detail),
                )
            )
        officers = [
            KeptOfficer(int(oid), str(name), str(overall), tuple(results.get(int(oid), ())), needs)
            for oid, name, overall, needs in db.execute(
                "SELECT officer_id, name, overall, needs FROM summary_officers ORDER BY officer_id"
            )
        ]
        counts = Counter[tuple[str, str]](
            {
                (str(rid), str(status)): int(n)
                for rid, status, n in db.execute(
                    "SELECT requirement_id, status, officers FROM summary_counts"
                    " WHERE officers != 0"
                )
            }
        )
    except (sqlite3.Error, ValueError, TypeError):
        return None
    return officers, counts


def keep_all(db: Database, state: KeptState, officers: Iterable[KeptOfficer]) -> bool:
    """Replace the whole summary; False when the file could not be written."""
    try:
        with writing(db):
            for statement in SCHEMA:
                db.execute(statement)
            for table in ("summary_results", "summary_officers", "summary_counts"):
                db.execute(f"DELETE FROM {table}")
            _count(db, _insert(db, officers))
            _set_state(db, state)
    except sqlite3.Error:
        return False
    return True


def keep_changes(
    db: Database,
    based_on: LogMark,
    state: KeptState,
    officers: Iterable[KeptOfficer],
    removed: Collection[int],
) -> bool:
    """Replace the rows of some officers and remove those of `removed`, when the summary
    still reflects `based_on` (no other copy of the app has moved it on meanwhile); False
    when it did not, or the file could not be written."""
    rows = list(officers)
    gone = sorted({*removed, *(o.officer_id for o in rows)})
    try:
        with writing(db):
            found = db.execute("SELECT log_entries, log_hash FROM summary_state").fetchone()
            if found is None or LogMark(int(found[0]), str(found[1])) != based_on:
                return False
            counts = Counter[tuple[str, str]]()
            for officer_id in gone:
                counts.subtract(
                    {
                        (str(rid), str(status)): 1
                        for rid, status in db.execute(
                            "SELECT requirement_id, status FROM summary_results"
                            " WHERE officer_id = ?",
                            [officer_id],
                        )
                    }
                )
                db.execute("DELETE FROM summary_results WHERE officer_id = ?", [officer_id])
                db.execute("DELETE FROM summary_officers WHERE officer_id = ?", [officer_id])
            counts.update(_insert(db, rows))
            _count(db, counts)
            _set_state(db, state)
    except sqlite3.Error:
        return False
    return True


def forget_summary(db: Database) -> None:
    """Drop what is kept, so the next read works everything out again."""
    try:
        with writing(db):
            db.execute("DELETE FROM summary_state")
    except sqlite3.Error:
        return


def _insert(db: Database, officers: Iterable[KeptOfficer]) -> Counter[tuple[str, str]]:
    """Insert the officers' rows; how many results of each (requirement, status) they add."""
    people: list[tuple[int, str, str, str]] = []
    results: list[tuple[int, str, str, str | None, str | None]] = []
    for officer in officers:
        people.append((officer.officer_id, officer.name, officer.overall, officer.needs))
        results.extend(
            (
                officer.officer_id,
                r.requirement_id,
                r.status,
                None if r.due is None else r.due.isoformat(),
                r.detail,
            )
            for r in officer.results
        )
    _insert_rows(
        db,
        "INSERT INTO summary_officers (officer_id, name, overall, needs) VALUES (?, ?, ?, ?)",
        people,
    )
    _insert_rows(
        db,
        "INSERT INTO summary_results (officer_id, requirement_id, status, due, detail)"
        " VALUES (?, ?, ?, ?, ?)",
        results,
    )
    return Counter((requirement_id, status) for _o, requirement_id, status, _d, _t in results)


ROWS_PER_CALL = 2_000
"""Rows per executemany: one call for 600,000 rows keeps Python's lock from the window's
thread for half a second (SQLite lets it go around each row, but this thread takes it back
first), while a worker keeps a statewide summary."""


def _insert_rows(db: Database, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
    for start in range(0, len(rows), ROWS_PER_CALL):
        db.conn.executemany(sql, rows[start : start + ROWS_PER_CALL])


def _count(db: Database, changes: Counter[tuple[str, str]]) -> None:
    """Add `changes` (negative to take away) to the officers per (requirement, status)."""
    db.conn.executemany(
        "INSERT INTO summary_counts (requirement_id, status, officers) VALUES (?, ?, ?)"
        " ON CONFLICT (requirement_id, status)"
        " DO UPDATE SET officers = officers + excluded.officers",
        [(rid, status, n) for (rid, status), n in changes.items() if n],
    )


def _set_state(db: Database, state: KeptState) -> None:
    db.execute(
        "INSERT OR REPLACE INTO summary_state"
        " (id, as_of, log_entries, log_hash, app_version, requirements)"
        " VALUES (1, ?, ?, ?, ?, ?)",
        [
            state.as_of.isoformat(),
            state.mark.entries,
            state.mark.hash,
            state.app_version,
            json.dumps([list(pair) for pair in state.requirements]),
        ],
    )
