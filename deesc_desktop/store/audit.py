"""The append-only, hash-chained audit log: who changed which record, when, before and after.

Entries are stored compactly (store/audit_format.py says how); the writer here and the
readers in store/audit_scan.py see them as whole rows, as they were recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
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
    INT64_LIMIT,
    LEGACY_FIELDS,
    STATE,
    UPDATE,
    Image,
    Images,
    Keyframe,
    Names,
    Unreadable,
    canonical_json,
    chain_bytes,
    changes,
    changes_from,
    hash_text,
    image_of,
    items_hash,
    json_item,
    keyframe,
    legacy_hash,
    overlay,
    same_image,
    stored_at,
    stored_row_id,
    values_json,
)

__all__ = [
    "ACTION_JSON",
    "GENESIS_HASH",
    "PASSWORD_DIGEST_PREFIX",
    "ROW_ENTRIES_SQL",
    "UNKNOWN_PASSWORD",
    "VERBATIM",
    "AuditWriter",
    "canonical_json",
    "chain_head",
    "is_compact",
    "password_digest",
    "replayed_entry",
    "unpacked_entry",
    "utc_now",
]

ACTION_JSON = {code: json_item(name) for code, name in enumerate(ACTIONS)}
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
ROW_ENTRIES_SQL = (
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


def unpacked_entry(action: Any, layout: Any, before: Any, after: Any) -> tuple[Any, Any, Any, Any]:
    """An entry's action and images, from its VERBATIM payload when it has one."""
    if isinstance(after, str) and after.startswith(VERBATIM):
        try:
            kept = json.loads(after[1:])
            action = ACTIONS.index(kept[2]) if kept[2] in ACTIONS else UPDATE
            return action, None, kept[5], kept[6]
        except (ValueError, IndexError, TypeError):
            return action, None, None, None
    return action, layout, before, after


def replayed_entry(
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
    action, layout, before, after = unpacked_entry(action, layout, before, after)
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
        self._keyframes: dict[tuple[str, tuple[str, ...]], Keyframe] = {}
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
        rows = list(self._inserts(table, changes, reason))
        self.db.conn.executemany(_INSERT_SQL, rows)
        return len(rows)

    def _inserts(
        self,
        table: str,
        changes: Iterable[tuple[object, WholeRow | None, WholeRow | None]],
        reason: str,
    ) -> Iterator[tuple[Any, ...]]:
        """`_entry` for each insert of a batch, with what the entries share worked out once.

        An import writes 100,000 of these, and `_entry`'s general checks were a third of their
        cost. An insert with a `before`, with no `after` or with a row id that is not an int64
        goes through `_entry`; the rest are written exactly as `_entry` writes them.
        """
        reason = reason or ""
        quoted = self._quoted
        # The hashed JSON list's items from `at` to `table`, and the reason, as _entry writes.
        shared = f"{self._at_json},{quoted(self.username)},{ACTION_JSON[INSERT]},{quoted(table)},"
        reason_json = quoted(reason)
        number, stored_at = self._number, self._stored_at
        keyframes, states = self._keyframes, self._states
        sha256 = hashlib.sha256
        for row_id, before, after in changes:
            if (
                before is not None
                or after is None
                or type(row_id) is not int
                or not -INT64_LIMIT <= row_id < INT64_LIMIT
            ):
                yield self._entry("insert", table, row_id, before, after, reason)
                continue
            entry_id = self._last_id + 1
            new = _as_image(after)
            after_text = self._delta(table, entry_id, new, row_id)
            if after_text is None:
                after_text = values_json(new.values)
                keyframes[(table, new.fields)] = keyframe(entry_id, new)
                layout = self._layout(new.fields)
                layout_json = quoted(layout)
            else:
                layout, layout_json = None, "null"
            previous = GENESIS if self._last_hash is None else chain_bytes(self._last_hash)
            payload = (
                f"[{entry_id},{shared}{row_id},{reason_json},{layout_json},null,"
                f"{json_item(after_text)}]"
            )
            digest = sha256(previous + payload.encode("utf-8")).digest()
            self._last_id, self._last_hash = entry_id, digest
            states.pop((table, row_id), None)
            # The names numbered in _entry's order: a new one is added to audit_names.
            yield (
                entry_id,
                stored_at,
                number(self.username),
                INSERT,
                number(table),
                row_id,
                number(reason) if reason else None,
                None if layout is None else number(layout),
                None,
                after_text,
                digest,
            )

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
                self._keyframes[(table, new.fields)] = keyframe(entry_id, new)
        else:
            after_text = canonical_json(new.as_dict())
        layout = None if fields is None else self._layout(fields)
        # entry_hash's JSON list, the texts this writer repeats written once.
        quoted = self._quoted
        hashed = (
            str(entry_id),
            self._at_json,
            quoted(self.username),
            ACTION_JSON[code],
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
        base = self._keyframes.get((table, image.fields))
        if base is None:
            return None
        items = changes_from(base, image, number, len(image.fields) // 4)
        if items is None:
            return None
        distance = entry_id - base.entry_id
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
        for entry in self.db.execute(ROW_ENTRIES_SQL, [found[0], row, self._last_id]):
            state = replayed_entry(self._images, state, entry, row)[2]
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


def chain_head(db: Database) -> tuple[int, str]:
    """The log's last entry as (entry count, hash): (0, GENESIS_HASH) for an empty log.

    What a backup manifest, the anchor file and a printed report keep outside the file, so a
    log rebuilt or cut short afterwards no longer extends it.
    """
    log = "audit_entries" if is_compact(db) else "audit_log"
    row = db.execute(f"SELECT id, hash FROM {log} ORDER BY id DESC LIMIT 1").fetchone()
    return (int(row[0]), hash_text(row[1])) if row else (0, GENESIS_HASH)


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
