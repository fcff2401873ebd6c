"""The append-only, hash-chained audit log: who changed which record, when, before and after."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

GENESIS_HASH = "0" * 64
"""prev_hash of the first entry in a fresh log."""

WholeRow = Mapping[str, Any] | str
"""A whole row for `AuditWriter.record_many`: a mapping, or its `canonical_json` text."""

_FIELDS = ("id", "at", "username", "action", "table_name", "row_id", "before", "after", "reason")

PASSWORD_DIGEST_PREFIX = "sha256:"
"""How a logged password hash starts: the log keeps a digest of the hash, never the hash."""

UNKNOWN_PASSWORD = "(set)"
"""What entries written before m007 say in place of a password hash: nothing to compare with."""


def utc_now() -> str:
    """The current time as the audit log stores it: ISO 8601 UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# What json.dumps builds for these arguments on every call, built once: the output is the same.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_PAYLOAD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

_INSERT_SQL = (
    "INSERT INTO audit_log (id, at, username, action, table_name, row_id, before, after,"
    " reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def canonical_json(value: Mapping[str, Any] | None) -> str | None:
    """A whole row as the audit log stores it: JSON with sorted keys and no spaces."""
    if value is None:
        return None
    return _CANONICAL_JSON.encode(value)


def password_digest(password_hash: str) -> str:
    """What the audit log keeps of a password hash: its SHA-256, enough to see it was swapped.

    The digest tells nothing about the password: testing a guess needs the argon2 salt, which
    is only in the hash itself (in `users`, not in the log), and is gone once it is replaced.
    """
    return PASSWORD_DIGEST_PREFIX + hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


def _entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    payload = _PAYLOAD_JSON.encode([prev_hash, *(entry[name] for name in _FIELDS)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
        row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        self._last_id: int = row[0] if row else 0
        self._last_hash: str = row[1] if row else GENESIS_HASH

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
        entry = {
            "id": self._last_id + 1,
            "at": self.at,
            "username": self.username,
            "action": action,
            "table_name": table,
            "row_id": str(row_id),
            "before": canonical_json(before),
            "after": canonical_json(after),
            "reason": reason,
        }
        digest = _entry_hash(self._last_hash, entry)
        self.db.execute(_INSERT_SQL, [*(entry[name] for name in _FIELDS), self._last_hash, digest])
        self._last_id, self._last_hash = self._last_id + 1, digest

    def record_many(
        self,
        action: str,
        table: str,
        changes: Iterable[tuple[object, WholeRow | None, WholeRow | None]],
        *,
        reason: str = "",
    ) -> int:
        """Append one entry per (row_id, before, after), in order, with one executemany.

        `before` and `after` are whole rows, as mappings or as the text `canonical_json`
        makes of them (for a caller that can write it faster). The entries and their hash
        chain are exactly those `record` would write one by one; returns how many were written.
        """
        # The hashed payload is the JSON list `_entry_hash` encodes, written out here: the
        # fields shared by every entry are encoded once instead of once per entry.
        quote = json.encoder.encode_basestring
        shared = ",".join(quote(text) for text in (self.at, self.username, action, table))
        last_field = quote(reason)
        rows: list[list[Any]] = []
        last_id, last_hash = self._last_id, self._last_hash
        for row_id, before, after in changes:
            last_id += 1
            row_text = str(row_id)
            before_json = before if isinstance(before, str) else canonical_json(before)
            after_json = after if isinstance(after, str) else canonical_json(after)
            payload = (
                f"[{quote(last_hash)},{last_id},{shared},{quote(row_text)},"
                f"{'null' if before_json is None else quote(before_json)},"
                f"{'null' if after_json is None else quote(after_json)},{last_field}]"
            )
            digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
            rows.append(
                [
                    last_id,
                    self.at,
                    self.username,
                    action,
                    table,
                    row_text,
                    before_json,
                    after_json,
                    reason,
                    last_hash,
                    digest,
                ]
            )
            last_hash = digest
        self.db.conn.executemany(_INSERT_SQL, rows)
        self._last_id, self._last_hash = last_id, last_hash
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


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of re-computing the audit chain."""

    entries: int
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_chain(db: Database) -> ChainReport:
    """Recompute every entry's hash; name the first entry that does not match its chain."""
    prev_hash = GENESIS_HASH
    expected_id = 1
    count = 0
    cursor = db.execute(f"SELECT {', '.join(_FIELDS)}, prev_hash, hash FROM audit_log ORDER BY id")
    for row in cursor:
        entry = dict(zip(_FIELDS, row[: len(_FIELDS)], strict=True))
        stored_prev, stored_hash = row[len(_FIELDS)], row[len(_FIELDS) + 1]
        count += 1
        if entry["id"] != expected_id:
            return ChainReport(count, expected_id, f"entry {expected_id} is missing")
        if stored_prev != prev_hash:
            return ChainReport(
                count, entry["id"], f"entry {entry['id']} does not follow its predecessor"
            )
        if _entry_hash(prev_hash, entry) != stored_hash:
            return ChainReport(
                count, entry["id"], f"entry {entry['id']} was changed after it was written"
            )
        prev_hash = stored_hash
        expected_id += 1
    return ChainReport(count)


def chain_head(db: Database) -> tuple[int, str]:
    """The log's last entry as (entry count, hash): (0, GENESIS_HASH) for an empty log.

    What a backup manifest, the anchor file and a printed report keep outside the file, so a
    log rebuilt or cut short afterwards no longer extends it.
    """
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


def hash_at(db: Database, entries: int) -> str | None:
    """The hash of entry number `entries` (GENESIS_HASH for 0), or None when there is none."""
    if entries == 0:
        return GENESIS_HASH
    row = db.execute("SELECT hash FROM audit_log WHERE id = ?", [entries]).fetchone()
    return str(row[0]) if row else None


def entries_with_hash(db: Database, digest: str) -> int | None:
    """The number of the entry with this hash, or None when no entry has it."""
    if digest == GENESIS_HASH:
        return 0
    row = db.execute("SELECT id FROM audit_log WHERE hash = ?", [digest]).fetchone()
    return int(row[0]) if row else None


LoggedRows = dict[str, dict[str, dict[str, Any] | None]]
"""table -> row id (as the log writes it) -> the row as last recorded, or None once deleted."""


def logged_rows(db: Database, tables: Iterable[str] | None = None) -> LoggedRows:
    """The state the log last recorded for each row: its entries replayed in order.

    An insert sets the row, an update lays its after-image over what was known (so an entry
    that keeps only the changed fields replays the same), a delete removes it. This is the one
    place that reads the log's after-images; a change to how entries are stored changes only
    this function.
    """
    sql = "SELECT table_name, row_id, action, after FROM audit_log"
    params: list[str] = []
    if tables is not None:
        names = list(tables)
        sql += f" WHERE table_name IN ({', '.join('?' for _ in names)})"
        params = names
    state: LoggedRows = {}
    decode = json.JSONDecoder().decode
    for table, row_id, action, after in db.execute(sql + " ORDER BY id", params):
        rows = state.get(table)
        if rows is None:
            rows = state[table] = {}
        if action == "delete":
            rows[row_id] = None
        elif action == "insert" or rows.get(row_id) is None:
            rows[row_id] = decode(after) if after else {}
        elif after:
            known = rows[row_id]
            assert known is not None
            known.update(decode(after))
    return state
