"""Reading the audit log back: its hash chain checked, and the state it last recorded per row."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.audit import (
    ACTION_JSON,
    ROW_ENTRIES_SQL,
    VERBATIM,
    is_compact,
    replayed_entry,
    unpacked_entry,
)
from deesc_desktop.store.audit_format import (
    ACTIONS,
    DELETE,
    EMPTY,
    GENESIS,
    GENESIS_HASH,
    INSERT,
    STATE,
    UPDATE,
    Image,
    Images,
    Names,
    Unreadable,
    at_text,
    canonical_json,
    chain_bytes,
    hash_text,
    items_hash,
    json_item,
    legacy_hash,
    stored_row_id,
)


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of re-computing the audit chain."""

    entries: int
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


_NAMES_JOINED = (
    " FROM audit_entries e LEFT JOIN audit_entries p ON p.id = e.id - 1"
    " LEFT JOIN audit_names u ON u.id = e.username LEFT JOIN audit_names t ON t.id = e.table_name"
    " LEFT JOIN audit_names r ON r.id = e.reason LEFT JOIN audit_names l ON l.id = e.layout"
)

_ENTRY_SQL = (
    "SELECT e.id, e.at, e.username, e.action, e.table_name, e.row_id, e.reason, e.layout,"
    " e.before, e.after, e.hash, p.hash FROM audit_entries e"
    " LEFT JOIN audit_entries p ON p.id = e.id - 1 WHERE e.id = ?"
)
"""One entry as `LogScan._check` reads it, with the hash of the entry before it."""

_ACTION_TEXT = (
    "CASE e.action WHEN 0 THEN 'insert' WHEN 1 THEN 'update' WHEN 2 THEN 'delete' ELSE e.action END"
)


def _legacy_image(column: str) -> str:
    """SQL for an image of an entry written before m013 as it was hashed: a `[...]` image as
    the canonical JSON of the whole row. Each value is its stored JSON text exactly (`->`), so
    a value edited in the file gives other bytes; keys in the layout's order, which is sorted
    (any other order, or a count of values that is not the layout's, will not match)."""
    whole = (
        f"'' || (SELECT json_group_object(CAST(k.value AS TEXT), {column} -> k.key)"
        f" FROM json_each(l.name) k)"
    )
    # Otherwise the text itself, which the hash never took for a `[...]` image: no match.
    return (
        f"CASE WHEN substr({column}, 1, 1) != '[' OR NOT json_valid({column})"
        f" OR NOT json_valid(l.name) THEN {column} WHEN json_type(l.name) = 'array'"
        f" AND json_array_length({column}) = json_array_length(l.name) THEN {whole}"
        f" ELSE {column} END"
    )


_OLD_ENTRIES_IN_SQL = sqlite3.sqlite_version_info >= (3, 38, 0)
"""`->` (an old image's values as stored) came in SQLite 3.38; with an older library the
entries written before m013 are checked in Python, as they always were."""

_OLD_HASHED = (
    "CAST(json_array(lower(hex(p.hash)), e.id, CASE WHEN typeof(e.at) = 'integer' THEN"
    " strftime('%Y-%m-%dT%H:%M:%SZ', e.at, 'unixepoch') ELSE e.at END, u.name,"
    f" {_ACTION_TEXT}, t.name, CAST(e.row_id AS TEXT), {_legacy_image('e.before')},"
    f" {_legacy_image('e.after')}, coalesce(r.name, '')) AS BLOB)"
)

_HASHED = (
    "CASE WHEN e.id > ? THEN CAST(p.hash || json_array(e.id, e.at, u.name,"
    f" {_ACTION_TEXT}, t.name, e.row_id, coalesce(r.name, ''), l.name, e.before, e.after)"
    f" AS BLOB) ELSE {_OLD_HASHED if _OLD_ENTRIES_IN_SQL else 'NULL'} END"
)
"""What an entry is hashed over (docs in audit_format), written by SQLite: since m013 the
previous hash and the entry's JSON list, before it the JSON list with the previous hash as
hex and whole rows. SQLite writes an entry the app wrote as Python does; for anything else
the hash does not match and the entry is checked again in Python, so only an entry that is
wrong either way is reported."""


def _scan_sql(names_may_be_bytes: bool) -> str:
    """Each entry with what its hash should be over: (id, row id, action, layout, before,
    after, hash, hashed bytes or None when it is checked in Python).

    json_array refuses a BLOB (only an edit outside the app stores one): such an entry, and
    the first (which follows no stored hash), are checked in Python. The names are looked at
    per entry only when some name is bytes.
    """
    columns = ["e.at", "e.action", "e.row_id", "e.before", "e.after"]
    if names_may_be_bytes:
        columns += ["u.name", "t.name", "r.name", "l.name"]
    no_bytes = " AND ".join(f"typeof({column}) != 'blob'" for column in columns)
    return (
        "SELECT e.id, e.row_id, e.action, e.layout, e.before, e.after, e.hash,"
        f" CASE WHEN typeof(p.hash) = 'blob' AND {no_bytes} THEN {_HASHED} END{_NAMES_JOINED}"
    )


_FIRST_GAP_SQL = (
    "SELECT CASE WHEN min(id) > 1 THEN 1 ELSE (SELECT a.id + 1 FROM audit_entries a"
    " WHERE a.id < (SELECT max(id) FROM audit_entries)"
    " AND NOT EXISTS (SELECT 1 FROM audit_entries b WHERE b.id = a.id + 1)"
    " ORDER BY a.id LIMIT 1) END FROM audit_entries"
)


class LogScan:
    """One read of the whole log: each entry's hash checked against the one stored before it,
    and the state the log last recorded for each row, table by table.

    Call `rows` for the tables to compare with their live rows, then `finish`, which reads
    the entries of every other table and says whether the chain is whole.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.names = Names(db)
        self.images = Images(db, self.names)
        row = db.execute("SELECT max(last_id) FROM audit_legacy").fetchone()
        self.legacy_last = int(row[0]) if row and row[0] is not None else 0
        bytes_named = db.execute("SELECT 1 FROM audit_names WHERE typeof(name) = 'blob' LIMIT 1")
        self._scan_sql = _scan_sql(bytes_named.fetchone() is not None)
        self.problems: dict[int, str] = {}
        self.checked = 0
        self._tables: list[int] = []
        self._gap = False
        self._named: dict[Any, str] = {}
        self._reasons: dict[Any, str] = {}

    def rows(self, table: str) -> Iterator[tuple[int | str, Image | None]]:
        """(row id as stored, the state last recorded or None once deleted) for every row of
        `table` the log names: numbers first, ascending, then text ids in text order."""
        number = self.names.number(table)
        if number is None:
            return
        self._tables.append(number)
        cursor = self.db.execute(
            self._scan_sql + " WHERE e.table_name = ? ORDER BY e.row_id, e.id",
            [self.legacy_last, number],
        )
        images, check, sha256 = self.images, self._check_entry, hashlib.sha256
        current: Any = None
        state: Image | None = None
        started = False
        for entry_id, row, action, layout, before, after, stored, hashed in cursor:
            self.checked += 1
            if hashed is None or sha256(hashed).digest() != stored:
                check(entry_id)
            if not started or row != current or type(row) is not type(current):
                if started:
                    yield current, state
                current, state, started = row, None, True
            if action == INSERT and before is None and type(after) is str and after[:1] == "~":
                # Most entries: a row of an import or a class, as changes to its first row.
                try:
                    state = images.changed(after, entry_id, row)
                except Unreadable:
                    state = EMPTY
                continue
            state = replayed_entry(images, state, (entry_id, action, layout, before, after), row)[2]
        if started:
            yield current, state

    def finish(self) -> ChainReport:
        """Check every entry `rows` did not read; the first problem of the whole chain."""
        clause = ""
        if self._tables:
            marks = ", ".join("?" for _ in self._tables)
            clause = f" WHERE e.table_name IS NULL OR e.table_name NOT IN ({marks})"
        check, sha256 = self._check_entry, hashlib.sha256
        cursor = self.db.execute(
            self._scan_sql + clause + " ORDER BY e.id", [self.legacy_last, *self._tables]
        )
        for entry_id, _, _, _, _, _, stored, hashed in cursor:
            self.checked += 1
            if hashed is None or sha256(hashed).digest() != stored:
                check(entry_id)
        if self._gap:
            (missing,) = self.db.execute(_FIRST_GAP_SQL).fetchone()
            if missing is not None:
                self.problems[int(missing)] = f"entry {missing} is missing"
        if not self.problems:
            return ChainReport(self.checked)
        first = min(self.problems)
        return ChainReport(self.checked, first, self.problems[first])

    def _check_entry(self, entry_id: int) -> None:
        """Check one entry in Python (its hash as SQLite wrote it did not match)."""
        self._check(self.db.execute(_ENTRY_SQL, [entry_id]).fetchone())

    def _check(self, entry: tuple[Any, ...]) -> None:
        entry_id, previous = entry[0], entry[11]
        if previous is None and entry_id != 1:
            self._gap = True  # the predecessor is missing: finish() names the first gap
            return
        try:
            if entry_id <= self.legacy_last:
                problem = self._legacy_problem(entry)
            else:
                problem = self._compact_problem(entry)
        except TypeError:
            problem = "changed"  # a value no version of the app stores (bytes): not as hashed
        if problem == "changed":
            self.problems[entry_id] = f"entry {entry_id} was changed after it was written"
        elif problem:
            self.problems[entry_id] = f"entry {entry_id} does not follow its predecessor"

    def _compact_problem(self, entry: tuple[Any, ...]) -> str | None:
        """An entry written since m013 checked against its hash ("changed" or None)."""
        entry_id, previous = entry[0], entry[11]
        # entry_hash's JSON list, its names written once per scan rather than per entry.
        named, at, row = self._named.get, entry[1], entry[5]
        items = (
            str(entry_id),
            int.__repr__(at) if type(at) is int else json_item(at),
            named(entry[2]) or self._name(entry[2]),
            ACTION_JSON.get(entry[3]) or json_item(entry[3]),
            named(entry[4]) or self._name(entry[4]),
            int.__repr__(row) if type(row) is int else json_item(row),
            self._reasons.get(entry[6]) or self._reason(entry[6]),
            named(entry[7]) or self._name(entry[7]),
            json_item(entry[8]),
            json_item(entry[9]),
        )
        digest = items_hash(GENESIS if previous is None else chain_bytes(previous), items)
        return None if digest == entry[10] else "changed"

    def _name(self, number: Any) -> str:
        """A name's text as an item of an entry's JSON list (null when there is none)."""
        known = self._named[number] = json_item(self.names.text(number))
        return known

    def _reason(self, number: Any) -> str:
        known = self._reasons[number] = json_item(self.names.text(number) or "")
        return known

    def _legacy_problem(self, entry: tuple[Any, ...]) -> str | None:
        """An entry written before m013, checked as it was then ("changed", "follow" or None)."""
        entry_id, after, previous = entry[0], entry[9], entry[11]
        before_hash = GENESIS_HASH if previous is None else hash_text(previous)
        if isinstance(after, str) and after.startswith(VERBATIM):
            try:
                kept = json.loads(after[1:])
                if kept[8] != before_hash:
                    return "follow"
                return (
                    None
                    if legacy_hash(before_hash, [entry_id, *kept[:8]]) == kept[9]
                    else ("changed")
                )
            except (ValueError, IndexError, TypeError):
                return "changed"
        names, images = self.names, self.images
        action = entry[3]
        try:
            fields = [
                entry_id,
                at_text(entry[1]),
                names.text(entry[2]),
                ACTIONS[action] if action in (INSERT, UPDATE, DELETE) else action,
                names.text(entry[4]),
                str(entry[5]),
                images.legacy_text(entry[8], entry[7]),
                images.legacy_text(after, entry[7]),
                names.text(entry[6]) or "",
            ]
        except (Unreadable, ValueError, TypeError):
            return "changed"
        return None if legacy_hash(before_hash, fields) == hash_text(entry[10]) else "changed"


def verify_chain(db: Database) -> ChainReport:
    """Recompute every entry's hash; name the first entry that does not match its chain."""
    return LogScan(db).finish()


def hash_at(db: Database, entries: int) -> str | None:
    """The hash of entry number `entries` (GENESIS_HASH for 0), or None when there is none."""
    if entries == 0:
        return GENESIS_HASH
    row = db.execute("SELECT hash FROM audit_entries WHERE id = ?", [entries]).fetchone()
    return hash_text(row[0]) if row else None


def entries_with_hash(db: Database, digest: str) -> int | None:
    """The number of the entry with this hash, or None when no entry has it."""
    if digest == GENESIS_HASH:
        return 0
    stored: Any = chain_bytes(digest)
    row = db.execute(
        "SELECT id FROM audit_entries WHERE hash = ? OR hash = ?", [stored, digest]
    ).fetchone()
    return int(row[0]) if row else None


# --- reading entries back -------------------------------------------------------------------

LoggedRows = dict[str, dict[str, dict[str, Any] | None]]
"""table -> row id (as the log writes it) -> the row as last recorded, or None once deleted."""


def logged_rows(db: Database, tables: Iterable[str] | None = None) -> LoggedRows:
    """The state the log last recorded for each row: its entries replayed in order.

    An insert sets the row, an update lays its after-image over what was known (so an entry
    that keeps only the changed fields replays the same), a delete removes it.
    """
    if not is_compact(db):
        return _logged_rows_before_m013(db, tables)
    names = list(tables) if tables is not None else _logged_tables(db)
    scan = LogScan(db)
    state: LoggedRows = {}
    for table in names:
        rows = {
            str(row): None if image is None else image.as_dict() for row, image in scan.rows(table)
        }
        if rows:
            state[table] = rows
    return state


def _logged_tables(db: Database) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM audit_names"
            " WHERE id IN (SELECT DISTINCT table_name FROM audit_entries)"
        )
    ]


def _logged_rows_before_m013(db: Database, tables: Iterable[str] | None) -> LoggedRows:
    """logged_rows for a file the steps before m013 are migrating (m007 reads it)."""
    sql = "SELECT table_name, row_id, action, after FROM audit_log"
    params: list[str] = []
    if tables is not None:
        names = list(tables)
        sql += f" WHERE table_name IN ({', '.join('?' for _ in names)})"
        params = names
    state: LoggedRows = {}
    for table, row_id, action, after in db.execute(sql + " ORDER BY id", params):
        rows = state.setdefault(table, {})
        if action == "delete":
            rows[row_id] = None
        elif action == "insert" or rows.get(row_id) is None:
            rows[row_id] = json.loads(after) if after else {}
        elif after:
            known = rows[row_id]
            assert known is not None
            known.update(json.loads(after))
    return state


def _shown(image: Image | None, stored: Any) -> str | None:
    """An image as the log shows it: the canonical JSON of the whole row."""
    if image is None:
        return None
    if isinstance(stored, str) and stored.startswith("{"):
        return stored  # written as canonical JSON: shown exactly as written
    return canonical_json(image.as_dict())


def entries_of_row(db: Database, table: str, row_id: object, after: int = 0) -> list[int]:
    """The numbers of the entries about one row written after entry number `after`, oldest
    first (through the log's index on table and row)."""
    number = Names(db).number(table)
    if number is None:
        return []
    cursor = db.execute(
        "SELECT id FROM audit_entries WHERE table_name = ? AND row_id = ? AND id > ? ORDER BY id",
        [number, stored_row_id(row_id)[1], after],
    )
    return [entry_id for (entry_id,) in cursor]


def entry_images(db: Database, ids: Iterable[int]) -> dict[int, tuple[str | None, str | None]]:
    """Each entry's before and after as the whole rows it recorded (canonical JSON text).

    An update or delete that stored "the state last recorded" is read back by replaying its
    row's earlier entries.
    """
    wanted = sorted(set(ids))
    found: dict[int, tuple[str | None, str | None]] = {}
    names = Names(db)
    images = Images(db, names)
    rows_to_replay: dict[tuple[Any, Any], int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        cursor = db.execute(
            "SELECT id, table_name, row_id, action, layout, before, after FROM audit_entries"
            f" WHERE id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        )
        for entry_id, table, row, action, layout, before, after in cursor:
            if isinstance(after, str) and after.startswith(VERBATIM):
                _, _, before, after = unpacked_entry(action, layout, before, after)
                found[entry_id] = (before, after)
            elif before == STATE:
                key = (table, row)
                rows_to_replay[key] = max(entry_id, rows_to_replay.get(key, 0))
            else:
                old, new, _ = replayed_entry(
                    images, None, (entry_id, action, layout, before, after), row
                )
                found[entry_id] = (_shown(old, before), _shown(new, after))
    wanted_set = set(wanted)
    for (table, row), last in rows_to_replay.items():
        state: Image | None = None
        for entry in db.execute(ROW_ENTRIES_SQL, [table, row, last]):
            old, new, after_state = replayed_entry(images, state, entry, row)
            if entry[0] in wanted_set and entry[0] not in found:
                found[entry[0]] = (_shown(old, entry[3]), _shown(new, entry[4]))
            state = after_state
    return found


def _tokens(column: str) -> str:
    """SQL for a stored image with JSON's brackets, colons and the `~` of changes turned into
    commas, so a number written as a value is `,N,` in it."""
    text = f"coalesce({column}, '')"
    for mark in ("[", "]", "{", "}", ":", "~"):
        text = f"replace({text}, '{mark}', ',')"
    return f"(',' || {text} || ',')"


def rows_mentioning(db: Database, tables: Sequence[str], value: int) -> set[tuple[str, str]]:
    """(table, row id) of every row of `tables` whose entries may record the number `value`
    (a superset: a caller checks the images themselves)."""
    numbers = {number: name for name in tables if (number := Names(db).number(name)) is not None}
    if not numbers:
        return set()
    marks = ", ".join("?" for _ in numbers)
    patterns = [f",{value},", f",{value}.0,"]
    tests = " OR ".join(
        f"instr({_tokens(column)}, ?) > 0"
        for column in ("e.before", "e.after", "k.after")
        for _ in patterns
    )
    cursor = db.execute(
        "SELECT DISTINCT e.table_name, e.row_id FROM audit_entries e"
        " LEFT JOIN audit_entries k ON substr(e.after, 1, 1) = '~'"
        " AND k.id = e.id - CAST(substr(e.after, 2) AS INTEGER)"
        f" WHERE e.table_name IN ({marks}) AND ({tests})",
        [*numbers, *(patterns * 3)],
    )
    return {(numbers[table], str(row)) for table, row in cursor}
