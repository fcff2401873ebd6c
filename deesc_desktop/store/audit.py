"""The append-only, hash-chained audit log: who changed which record, when, before and after.

Entries are stored compactly (store/audit_format.py says how); everything here reads and
writes them as whole rows, as they were recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.audit_format import (
    ACTIONS,
    DELETE,
    EMPTY,
    GENESIS,
    GENESIS_HASH,
    INSERT,
    LEGACY_FIELDS,
    STATE,
    UPDATE,
    Image,
    Images,
    Names,
    Unreadable,
    at_text,
    canonical_json,
    chain_bytes,
    changes,
    hash_text,
    image_of,
    items_hash,
    json_item,
    legacy_hash,
    overlay,
    same_image,
    stored_at,
    stored_row_id,
    values_json,
)

__all__ = [
    "GENESIS_HASH",
    "PASSWORD_DIGEST_PREFIX",
    "UNKNOWN_PASSWORD",
    "AuditWriter",
    "ChainReport",
    "LogScan",
    "canonical_json",
    "chain_head",
    "entries_of_row",
    "entries_with_hash",
    "entry_images",
    "hash_at",
    "logged_rows",
    "password_digest",
    "rows_mentioning",
    "utc_now",
    "verify_chain",
]

_ACTION_JSON = {code: json_item(name) for code, name in enumerate(ACTIONS)}
"""Each action as an item of an entry's hashed JSON list."""

WholeRow = Mapping[str, Any] | str | Image
"""A whole row for `AuditWriter.record_many`: a mapping, its `canonical_json` text, or an
Image (its fields sorted), which a caller writing many rows builds fastest."""

PASSWORD_DIGEST_PREFIX = "sha256:"
"""How a logged password hash starts: the log keeps a digest of the hash, never the hash."""

UNKNOWN_PASSWORD = "(set)"
"""What entries written before m007 say in place of a password hash: nothing to compare with."""

_INSERT_SQL = (
    "INSERT INTO audit_entries (id, at, username, action, table_name, row_id, reason, layout,"
    " before, after, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_LEGACY_INSERT_SQL = (
    "INSERT INTO audit_log (id, at, username, action, table_name, row_id, before, after,"
    " reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ROW_ENTRIES_SQL = (
    "SELECT id, action, layout, before, after FROM audit_entries"
    " WHERE table_name = ? AND row_id = ? AND id <= ? ORDER BY id"
)

VERBATIM = "!"
"""An `after` starting with this holds, as JSON, an entry written before m013 that was not as
the app writes entries (it was changed outside): [at, username, action, table_name, row_id,
before, after, reason, prev_hash, hash], kept exactly so its checks still fail as they did."""


def utc_now() -> str:
    """The current time as the audit log stores it: ISO 8601 UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def password_digest(password_hash: str) -> str:
    """What the audit log keeps of a password hash: its SHA-256, enough to see it was swapped.

    The digest tells nothing about the password: testing a guess needs the argon2 salt, which
    is only in the hash itself (in `users`, not in the log), and is gone once it is replaced.
    """
    return PASSWORD_DIGEST_PREFIX + hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


def is_compact(db: Database) -> bool:
    """Whether the file keeps its log as m013 made it (else it is migrating up to m013)."""
    found = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_entries'"
    ).fetchone()
    return found is not None


def _as_image(row: WholeRow) -> Image:
    if isinstance(row, Image):
        return row
    if isinstance(row, str):
        decoded = json.loads(row)
        if not isinstance(decoded, dict):
            raise ValueError("an audit image is a whole row: a JSON object")
        return image_of(decoded)
    return image_of(row)


def _whole_json(row: WholeRow | None) -> str | None:
    if row is None or isinstance(row, str):
        return row
    return canonical_json(row.as_dict() if isinstance(row, Image) else row)


def _unpacked(action: Any, layout: Any, before: Any, after: Any) -> tuple[Any, Any, Any, Any]:
    """An entry's action and images, from its VERBATIM payload when it has one."""
    if isinstance(after, str) and after.startswith(VERBATIM):
        try:
            kept = json.loads(after[1:])
            action = ACTIONS.index(kept[2]) if kept[2] in ACTIONS else UPDATE
            return action, None, kept[5], kept[6]
        except (ValueError, IndexError, TypeError):
            return action, None, None, None
    return action, layout, before, after


def _step(
    images: Images,
    state: Image | None,
    entry: tuple[int, Any, Any, Any, Any],
    row_id: Any,
) -> tuple[Image | None, Image | None, Image | None]:
    """One entry of a row replayed: (its before, its after, the row's state after it).

    As the log has always been read: an insert sets the row, an update lays its after image
    over what was known, a delete removes it. An image that cannot be read counts as empty
    (its entry's hash already says it was changed).
    """
    entry_id, action, layout, before, after = entry
    action, layout, before, after = _unpacked(action, layout, before, after)
    try:
        old = images.read(before, layout, entry_id, row_id, state)
    except Unreadable:
        old = EMPTY
    try:
        new = images.read(after, layout, entry_id, row_id, state, old)
    except Unreadable:
        new = EMPTY
    if action == DELETE:
        return old, new, None
    if action == INSERT or state is None:
        return old, new, EMPTY if new is None else new
    return old, new, state if new is None else overlay(state, new)


class AuditWriter:
    """Appends entries to the chain; create one per transaction (it caches the chain's tip).

    Must be used inside the same transaction (`writing(db)`) as the change it records, so the
    change and its audit entry are written together or not at all.
    """

    def __init__(self, db: Database, username: str, *, at: str | None = None) -> None:
        if not db.conn.in_transaction:
            raise RuntimeError("audit entries must be written inside the change's transaction")
        self.db = db
        self.username = username
        self.at = at or utc_now()
        self._compact = is_compact(db)
        log = "audit_entries" if self._compact else "audit_log"
        row = db.execute(f"SELECT id, hash FROM {log} ORDER BY id DESC LIMIT 1").fetchone()
        self._last_id: int = row[0] if row else 0
        self._last_hash: Any = row[1] if row else None
        self._stored_at = stored_at(self.at)
        self._at_json = json_item(self._stored_at)
        self._json_texts: dict[str, str] = {}
        self._numbers: dict[str, int] = {}
        # The last whole image of each table and field list this writer stored: the rows that
        # follow it in one change (a class's attendees, an import) are stored as changes to it.
        self._keyframes: dict[tuple[str, tuple[str, ...]], tuple[int, Image]] = {}
        self._layouts: dict[tuple[str, ...], str] = {}
        self._states: dict[tuple[str, int | str], Image | None] = {}
        self._images: Images | None = None

    def record(
        self,
        action: str,
        table: str,
        row_id: object,
        *,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        """Append one entry: `action` is insert, update or delete; values are whole rows."""
        if not self._compact:
            self._record_legacy(action, table, row_id, before, after, reason)
            return
        self.db.conn.execute(_INSERT_SQL, self._entry(action, table, row_id, before, after, reason))

    def record_many(
        self,
        action: str,
        table: str,
        changes: Iterable[tuple[object, WholeRow | None, WholeRow | None]],
        *,
        reason: str = "",
    ) -> int:
        """Append one entry per (row_id, before, after), in order; returns how many.

        `before` and `after` are whole rows, as mappings or as the text `canonical_json`
        makes of them. The entries and their hash chain are exactly those `record` would write
        one by one; inserts are written with one executemany.
        """
        if action != "insert" or not self._compact:
            # An update's before is stored against what the log last recorded for the row,
            # which an earlier change of the same batch may be: write them one by one.
            count = 0
            for row_id, before, after in changes:
                self.record(action, table, row_id, before=before, after=after, reason=reason)  # type: ignore[arg-type]
                count += 1
            return count
        rows = [
            self._entry(action, table, row_id, before, after, reason)
            for row_id, before, after in changes
        ]
        self.db.conn.executemany(_INSERT_SQL, rows)
        return len(rows)

    def changed(
        self,
        table: str,
        row_id: object,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        *,
        reason: str = "",
    ) -> bool:
        """Record an update if anything differs; returns whether it did."""
        if dict(before) == dict(after):
            return False
        self.record("update", table, row_id, before=before, after=after, reason=reason)
        return True

    # --- the compact form -------------------------------------------------------------------

    def _number(self, text: str) -> int:
        """The number `audit_names` gives a text, adding it the first time."""
        known = self._numbers.get(text)
        if known is None:
            row = self.db.execute("SELECT id FROM audit_names WHERE name = ?", [text]).fetchone()
            if row is None:
                cursor = self.db.execute("INSERT INTO audit_names (name) VALUES (?)", [text])
                known = int(cursor.lastrowid or 0)
            else:
                known = int(row[0])
            self._numbers[text] = known
        return known

    def _entry(
        self,
        action: str,
        table: str,
        row_id: object,
        before: WholeRow | None,
        after: WholeRow | None,
        reason: str,
    ) -> tuple[Any, ...]:
        reason = reason or ""
        if action not in ACTIONS:
            raise ValueError(f"an audit entry is an insert, an update or a delete, not {action!r}")
        code = ACTIONS.index(action)
        entry_id = self._last_id + 1
        _, row = stored_row_id(row_id)
        number = row if type(row) is int else None
        old = None if before is None else _as_image(before)
        new = None if after is None else _as_image(after)
        state_key = (table, row)
        fields: tuple[str, ...] | None = None
        if old is None:
            before_text = None
        elif code != INSERT and self._is_state(state_key, old):
            before_text = STATE
        else:
            fields, before_text = old.fields, values_json(old.values)
        if new is None:
            after_text = None
        elif code == UPDATE and old is not None and new.fields == old.fields:
            items = changes(old, new, number, len(new.fields))
            after_text = f"~0,{items}" if items else "~0"
        elif (
            code == INSERT and old is None and (delta := self._delta(table, entry_id, new, number))
        ):
            after_text = delta
        elif fields is None or fields == new.fields:
            fields, after_text = new.fields, values_json(new.values)
            if code == INSERT:
                self._keyframes[(table, new.fields)] = (entry_id, new)
        else:
            after_text = canonical_json(new.as_dict())
        layout = None if fields is None else self._layout(fields)
        # entry_hash's JSON list, the texts this writer repeats written once.
        quoted = self._quoted
        hashed = (
            str(entry_id),
            self._at_json,
            quoted(self.username),
            _ACTION_JSON[code],
            quoted(table),
            int.__repr__(row) if type(row) is int else json_item(row),
            quoted(reason),
            "null" if layout is None else quoted(layout),
            json_item(before_text),
            json_item(after_text),
        )
        digest = items_hash(
            GENESIS if self._last_hash is None else chain_bytes(self._last_hash), hashed
        )
        self._last_id, self._last_hash = entry_id, digest
        if code == INSERT:
            self._states.pop(state_key, None)
        elif state_key in self._states:
            state = self._states[state_key]
            if code == DELETE:
                self._states[state_key] = None
            elif state is None:
                self._states[state_key] = EMPTY if new is None else new
            elif new is not None:
                self._states[state_key] = overlay(state, new)
        return (
            entry_id,
            self._stored_at,
            self._number(self.username),
            code,
            self._number(table),
            row,
            self._number(reason) if reason else None,
            None if layout is None else self._number(layout),
            before_text,
            after_text,
            digest,
        )

    def _quoted(self, text: str) -> str:
        known = self._json_texts.get(text)
        if known is None:
            known = self._json_texts[text] = json_item(text)
        return known

    def _layout(self, fields: tuple[str, ...]) -> str:
        known = self._layouts.get(fields)
        if known is None:
            known = self._layouts[fields] = values_json(list(fields))
        return known

    def _delta(self, table: str, entry_id: int, image: Image, number: int | None) -> str | None:
        """An insert's after image as changes to the last whole one of its kind, when few
        fields differ."""
        known = self._keyframes.get((table, image.fields))
        if known is None:
            return None
        keyframe_id, keyframe = known
        items = changes(keyframe, image, number, len(image.fields) // 4)
        if items is None:
            return None
        distance = entry_id - keyframe_id
        return f"~{distance},{items}" if items else f"~{distance}"

    def _is_state(self, key: tuple[str, int | str], image: Image) -> bool:
        """Whether `image` is exactly what the log last recorded for the row."""
        if key not in self._states:
            self._states[key] = self._replay(*key)
        state = self._states[key]
        return state is not None and same_image(state, image)

    def _replay(self, table: str, row: int | str) -> Image | None:
        found = self.db.execute("SELECT id FROM audit_names WHERE name = ?", [table]).fetchone()
        if found is None:
            return None
        if self._images is None:
            self._images = Images(self.db, Names(self.db))
        state: Image | None = None
        for entry in self.db.execute(_ROW_ENTRIES_SQL, [found[0], row, self._last_id]):
            state = _step(self._images, state, entry, row)[2]
        return state

    # --- before m013 --------------------------------------------------------------------------

    def _record_legacy(
        self,
        action: str,
        table: str,
        row_id: object,
        before: WholeRow | None,
        after: WholeRow | None,
        reason: str,
    ) -> None:
        """An entry as the log was written before m013 (the steps before it still write so)."""
        entry_id = self._last_id + 1
        previous = GENESIS_HASH if self._last_hash is None else str(self._last_hash)
        values = [
            entry_id,
            self.at,
            self.username,
            action,
            table,
            str(row_id),
            _whole_json(before),
            _whole_json(after),
            reason,
        ]
        digest = legacy_hash(previous, values)
        self.db.execute(_LEGACY_INSERT_SQL, [*values, previous, digest])
        self._last_id, self._last_hash = entry_id, digest


# --- checking the chain ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of re-computing the audit chain."""

    entries: int
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


_SCAN_SQL = (
    "SELECT e.id, e.at, e.username, e.action, e.table_name, e.row_id, e.reason, e.layout,"
    " e.before, e.after, e.hash, p.hash FROM audit_entries e"
    " LEFT JOIN audit_entries p ON p.id = e.id - 1"
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
            _SCAN_SQL + " WHERE e.table_name = ? ORDER BY e.row_id, e.id", [number]
        )
        images, check = self.images, self._check
        current: Any = None
        state: Image | None = None
        started = False
        for entry in cursor:
            check(entry)
            row = entry[5]
            if not started or row != current or type(row) is not type(current):
                if started:
                    yield current, state
                current, state, started = row, None, True
            after = entry[9]
            if entry[3] == INSERT and entry[8] is None and type(after) is str and after[:1] == "~":
                # Most entries: a row of an import or a class, as changes to its first row.
                try:
                    state = images.read(after, entry[7], entry[0], row, state)
                except Unreadable:
                    state = EMPTY
                continue
            state = _step(images, state, (entry[0], entry[3], entry[7], entry[8], after), row)[2]
        if started:
            yield current, state

    def finish(self) -> ChainReport:
        """Check every entry `rows` did not read; the first problem of the whole chain."""
        clause = ""
        if self._tables:
            marks = ", ".join("?" for _ in self._tables)
            clause = f" WHERE e.table_name IS NULL OR e.table_name NOT IN ({marks})"
        for entry in self.db.execute(_SCAN_SQL + clause + " ORDER BY e.id", self._tables):
            self._check(entry)
        if self._gap:
            (missing,) = self.db.execute(_FIRST_GAP_SQL).fetchone()
            if missing is not None:
                self.problems[int(missing)] = f"entry {missing} is missing"
        if not self.problems:
            return ChainReport(self.checked)
        first = min(self.problems)
        return ChainReport(self.checked, first, self.problems[first])

    def _check(self, entry: tuple[Any, ...]) -> None:
        self.checked += 1
        entry_id, previous = entry[0], entry[11]
        if previous is None and entry_id != 1:
            self._gap = True  # the predecessor is missing: finish() names the first gap
            return
        if entry_id <= self.legacy_last:
            problem = self._legacy_problem(entry)
        else:
            # entry_hash's JSON list, its names written once per scan rather than per entry.
            named, at, row = self._named.get, entry[1], entry[5]
            items = (
                str(entry_id),
                int.__repr__(at) if type(at) is int else json_item(at),
                named(entry[2]) or self._name(entry[2]),
                _ACTION_JSON.get(entry[3]) or json_item(entry[3]),
                named(entry[4]) or self._name(entry[4]),
                int.__repr__(row) if type(row) is int else json_item(row),
                self._reasons.get(entry[6]) or self._reason(entry[6]),
                named(entry[7]) or self._name(entry[7]),
                json_item(entry[8]),
                json_item(entry[9]),
            )
            digest = items_hash(GENESIS if previous is None else chain_bytes(previous), items)
            problem = None if digest == entry[10] else "changed"
        if problem == "changed":
            self.problems[entry_id] = f"entry {entry_id} was changed after it was written"
        elif problem:
            self.problems[entry_id] = f"entry {entry_id} does not follow its predecessor"

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


def chain_head(db: Database) -> tuple[int, str]:
    """The log's last entry as (entry count, hash): (0, GENESIS_HASH) for an empty log.

    What a backup manifest, the anchor file and a printed report keep outside the file, so a
    log rebuilt or cut short afterwards no longer extends it.
    """
    log = "audit_entries" if is_compact(db) else "audit_log"
    row = db.execute(f"SELECT id, hash FROM {log} ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), hash_text(row[1])) if row else (0, GENESIS_HASH)


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
                _, _, before, after = _unpacked(action, layout, before, after)
                found[entry_id] = (before, after)
            elif before == STATE:
                key = (table, row)
                rows_to_replay[key] = max(entry_id, rows_to_replay.get(key, 0))
            else:
                old, new, _ = _step(images, None, (entry_id, action, layout, before, after), row)
                found[entry_id] = (_shown(old, before), _shown(new, after))
    wanted_set = set(wanted)
    for (table, row), last in rows_to_replay.items():
        state: Image | None = None
        for entry in db.execute(_ROW_ENTRIES_SQL, [table, row, last]):
            old, new, after_state = _step(images, state, entry, row)
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


# --- m013: entries written before it, in the compact form ----------------------------------

_HEX64 = frozenset("0123456789abcdef")


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX64


def _legacy_image(text: Any) -> Image | bool | None:
    """An image written before m013 as an Image, None for none, False when it is not the
    canonical JSON of a row (kept verbatim)."""
    if text is None:
        return None
    if not isinstance(text, str) or not text.startswith("{"):
        return False
    try:
        row = json.loads(text)
    except ValueError:
        return False
    if not isinstance(row, dict) or canonical_json(row) != text:
        return False
    return image_of(row)


def convert_log_before_m013(db: Database) -> int:
    """Copy every entry of the `audit_log` table written before m013 into `audit_entries`,
    losslessly: each keeps its id, time, names, images and hash, and is checked after as
    before. Returns the last id copied (0 for none), which `audit_legacy` records."""
    numbers: dict[str, int] = {}

    def number(text: str) -> int:
        known = numbers.get(text)
        if known is None:
            cursor = db.execute("INSERT INTO audit_names (name) VALUES (?)", [text])
            known = numbers[text] = int(cursor.lastrowid or 0)
        return known

    previous: Any = GENESIS_HASH
    last = 0
    cursor = db.execute(
        f"SELECT {', '.join(LEGACY_FIELDS)}, reason, prev_hash, hash FROM audit_log ORDER BY id"
    )
    while batch := cursor.fetchmany(1000):
        rows = []
        for entry in batch:
            rows.append(_converted(entry, previous, number))
            previous, last = entry[10], entry[0]
        db.conn.executemany(_INSERT_SQL, rows)
    db.execute("INSERT INTO audit_legacy (last_id) VALUES (?)", [last])
    return last


def _converted(entry: tuple[Any, ...], previous: Any, number: Any) -> tuple[Any, ...]:
    entry_id, at, username, action, table, row_id, before, after, reason, prev_hash, digest = entry
    old, new = _legacy_image(before), _legacy_image(after)
    texts = (at, username, action, table, row_id, reason)
    if (
        all(isinstance(text, str) for text in texts)
        and action in ACTIONS
        and _is_hash(digest)
        and prev_hash == previous
        and old is not False
        and new is not False
    ):
        fields: tuple[str, ...] | None = None
        before_text = after_text = None
        if isinstance(old, Image):
            fields, before_text = old.fields, values_json(old.values)
        if isinstance(new, Image):
            if fields is None or fields == new.fields:
                fields, after_text = new.fields, values_json(new.values)
            else:
                after_text = after
        return (
            entry_id,
            stored_at(at),
            number(username),
            ACTIONS.index(action),
            number(table),
            stored_row_id(row_id)[1],
            number(reason) if reason else None,
            None if fields is None else number(values_json(list(fields))),
            before_text,
            after_text,
            bytes.fromhex(digest),
        )
    kept = [
        value.hex() if isinstance(value, bytes) else value
        for value in (at, username, action, table, row_id, before, after, reason, prev_hash, digest)
    ]
    return (
        entry_id,
        stored_at(str(at)),
        number(str(username)),
        ACTIONS.index(action) if action in ACTIONS else UPDATE,
        number(str(table)),
        stored_row_id(row_id)[1],
        number(str(reason)) if reason else None,
        None,
        None,
        VERBATIM + json.dumps(kept, ensure_ascii=False, separators=(",", ":")),
        bytes.fromhex(digest) if _is_hash(digest) else str(kept[9]),
    )
