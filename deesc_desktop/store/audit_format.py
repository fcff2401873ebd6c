"""How audit entries are stored since m013, and the hashes that chain them (old entries' too).

An entry is one row of `audit_entries`. Its user, table, reason and field list are numbers
into `audit_names`; its time is Unix seconds; a numeric row id is a number. A row image
(before or after) is stored in one of these forms, told apart by its first character:

- NULL: no image.
- `''`: the state the log last recorded for the row (the before of most updates and deletes).
- `{...}`: the image as canonical JSON (`canonical_json`).
- `[...]`: the image's values, in the order of the entry's `layout` (its sorted field names).
- `~R,...`: changes to another image: R > 0 is the after image of entry (id - R), stored as
  `[...]`; R = 0 is this entry's own before. Then `I,V` sets field I to V, and `-I-1` sets
  field I (the row's "id") to the row id as a number.

An entry written since m013 is hashed over exactly what is stored, with the names written
out: SHA-256 of the previous entry's 32-byte hash followed by the JSON list `[id, at,
username, action, table, row id, reason, layout, before, after]`. Entries written before
m013 (ids up to `audit_legacy.last_id`) keep the hash they were written with: the 64 hex
digits of SHA-256 over `[prev hex, id, at, username, action, table, row id, before JSON,
after JSON, reason]` with whole rows as canonical JSON, which their stored forms give back
exactly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from itertools import compress
from operator import ne
from typing import Any, NamedTuple

from sqlite_utils import Database

GENESIS_HASH = "0" * 64
"""The hash the first entry of a log follows, as hex."""

GENESIS = bytes(32)
"""GENESIS_HASH as the 32 bytes an entry's hash is stored in."""

ACTIONS = ("insert", "update", "delete")
"""What an entry records, stored as its position here."""
INSERT, UPDATE, DELETE = range(3)

STATE = ""
"""A before stored as this is the state the log last recorded for the row."""

# What json.dumps builds for these arguments on every call, built once: the output is the same.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_PAYLOAD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_decode = json.JSONDecoder().decode
_raw_decode = json.JSONDecoder().raw_decode


def _decode_list(text: str) -> Any:
    """JSON text the app wrote (no spaces around it), decoded without `decode`'s checks for
    whitespace: the whole text must be one value."""
    value, end = _raw_decode(text)
    if end != len(text):
        raise ValueError("more than one value")
    return value


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_LAST_SECOND = 253402300799
"""9999-12-31T23:59:59Z: a later time (or an earlier one than 1970) is kept as text."""
_ROW_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]{0,18})")
INT64_LIMIT = 2**63
"""A row id stored as a number is at least -INT64_LIMIT and below INT64_LIMIT."""


def canonical_json(value: Mapping[str, Any] | None) -> str | None:
    """A whole row as the audit log shows it: JSON with sorted keys and no spaces."""
    if value is None:
        return None
    return _CANONICAL_JSON.encode(value)


def values_json(values: list[Any]) -> str:
    """An image's values as the `[...]` form stores them."""
    return _CANONICAL_JSON.encode(values)


def stored_at(text: str) -> int | str:
    """An entry's time as stored: Unix seconds, or the text when seconds would not give it back."""
    try:
        moment = datetime.strptime(text, _AT_FORMAT).replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return text
    seconds = int((moment - _EPOCH).total_seconds())
    if 0 <= seconds <= _LAST_SECOND and at_text(seconds) == text:
        return seconds
    return text


def at_text(stored: int | str) -> str:
    """An entry's time as written: ISO 8601 UTC to the second (what `audit_log` shows)."""
    if type(stored) is int:
        try:
            return (_EPOCH + timedelta(seconds=stored)).strftime(_AT_FORMAT)
        except OverflowError:
            return str(stored)  # past year 9999: no time the app writes, so never as hashed
    return str(stored)


def stored_row_id(row_id: object) -> tuple[str, int | str]:
    """A row id as the log names it (its text) and as stored (a number when the text is one)."""
    if type(row_id) is int and -INT64_LIMIT <= row_id < INT64_LIMIT:
        return str(row_id), row_id
    text = str(row_id)
    if _ROW_NUMBER.fullmatch(text) and text != "-0":
        number = int(text)
        if -INT64_LIMIT <= number < INT64_LIMIT:
            return text, number
    return text, text


class Image(NamedTuple):
    """A row image: its field names, sorted, and their values in that order."""

    fields: tuple[str, ...]
    values: list[Any]

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self.fields, self.values, strict=True))


EMPTY = Image((), [])


def image_of(row: Mapping[str, Any]) -> Image:
    """A mapping as an Image, its fields sorted (as canonical JSON orders them)."""
    fields = tuple(row)
    if all(type(name) is str for name in fields):
        if list(fields) == sorted(fields):
            return Image(fields, list(row.values()))
        ordered = sorted(fields)
        return Image(tuple(ordered), [row[name] for name in ordered])
    # Keys that are not text become text in JSON, as canonical_json writes them.
    return image_of(_decode(_CANONICAL_JSON.encode(row)))


_SCALAR = frozenset({str, int, float, bool, type(None)})


def same_value(a: Any, b: Any) -> bool:
    """Whether two values are written the same in JSON (1 is not 1.0 nor True; -0.0 is not 0.0)."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is float:
        return repr(a) == repr(b)
    if kind in (str, int, bool):
        return bool(a == b)
    return _CANONICAL_JSON.encode(a) == _CANONICAL_JSON.encode(b)


def same_image(a: Image, b: Image) -> bool:
    """Whether two images are written the same in JSON."""
    return a.fields == b.fields and all(map(same_value, a.values, b.values))


def overlay(state: Image, after: Image) -> Image:
    """A state with an update's after image laid over it (fields it lacks are kept)."""
    if after.fields == state.fields:
        return after
    merged = state.as_dict()
    merged.update(after.as_dict())
    return image_of(merged)


def _differing(old_values: list[Any], new_values: list[Any]) -> list[int]:
    """The positions whose values JSON writes differently."""
    kinds = list(map(type, new_values))
    if kinds == list(map(type, old_values)) and _SCALAR.issuperset(kinds) and 0.0 not in new_values:
        # Scalars of the same types that are not zero (-0.0 == 0.0): equal is the same.
        return list(compress(range(len(new_values)), map(ne, old_values, new_values)))
    return [
        position
        for position, (old, new) in enumerate(zip(old_values, new_values, strict=True))
        if not same_value(old, new)
    ]


def changes(base: Image, image: Image, row_number: int | None, limit: int) -> str | None:
    """`image` as the items of a `~` form against `base` (same fields), or None when more than
    `limit` fields differ."""
    positions = _differing(base.values, image.values)
    if len(positions) > limit:
        return None
    return _items(positions, image, row_number)


class Keyframe(NamedTuple):
    """A whole image an insert stored, which later inserts of its kind are stored against."""

    entry_id: int
    image: Image
    kinds: list[type] | None
    """Its values' types when all are scalars and none is a zero (-0.0 == 0.0) or NaN: a
    value of the same type equal to one of them is then written the same."""


def keyframe(entry_id: int, image: Image) -> Keyframe:
    """`image`, stored by entry `entry_id`, as a base for the changes of later inserts."""
    kinds = list(map(type, image.values))
    plain = (
        _SCALAR.issuperset(kinds)
        and 0.0 not in image.values
        and all(value == value for value in image.values)  # NaN alone is unequal to itself
    )
    return Keyframe(entry_id, image, kinds if plain else None)


def changes_from(base: Keyframe, image: Image, row_number: int | None, limit: int) -> str | None:
    """`changes` against a keyframe: the same text, the types compared once per keyframe."""
    kinds = base.kinds
    if kinds is None or list(map(type, image.values)) != kinds:
        return changes(base.image, image, row_number, limit)
    positions = list(compress(range(len(kinds)), map(ne, base.image.values, image.values)))
    if len(positions) > limit:
        return None
    return _items(positions, image, row_number)


def _items(positions: list[int], image: Image, row_number: int | None) -> str:
    """The items of a `~` form setting `positions` to `image`'s values."""
    values = image.values
    # Each item's JSON text as json_item writes it; a list or an object anywhere sends the
    # whole form through the canonical encoder instead, for its sorted keys.
    texts: list[str] = []
    for position in positions:
        new = values[position]
        kind = type(new)
        if kind is int:
            if new == row_number and image.fields[position] == "id":
                texts.append(int.__repr__(-position - 1))
            else:
                texts.append(f"{position},{int.__repr__(new)}")
        elif kind is str:
            texts.append(f"{position},{_QUOTE(new)}")
        elif kind in _SCALAR:
            texts.append(f"{position},{json_item(new)}")
        else:
            return _structured_changes(positions, image, row_number)
    return ",".join(texts)


def _structured_changes(positions: list[int], image: Image, row_number: int | None) -> str:
    """`changes`' items when a changed value is a list or an object."""
    items: list[Any] = []
    for position in positions:
        new = image.values[position]
        if type(new) is int and new == row_number and image.fields[position] == "id":
            items.append(-position - 1)
        else:
            items += (position, new)
    return _CANONICAL_JSON.encode(items)[1:-1]


def chain_bytes(stored_hash: Any) -> bytes:
    """What the next entry's hash follows: the stored 32 bytes (or, for an entry written
    before m013 whose hash was not 64 hex digits, the bytes of its text)."""
    if isinstance(stored_hash, bytes):
        return stored_hash
    text = str(stored_hash)
    try:
        return bytes.fromhex(text) if len(text) == 64 else text.encode("utf-8")
    except ValueError:
        return text.encode("utf-8")


def hash_text(stored_hash: Any) -> str:
    """A stored hash as hex, as anchors, reports and `audit_log` write it."""
    return stored_hash.hex() if isinstance(stored_hash, bytes) else str(stored_hash)


_QUOTE = json.encoder.encode_basestring
"""How JSON without ASCII escaping writes a text (the function json itself calls)."""


def json_item(value: Any) -> str:
    """One item of an entry's JSON list, as `_PAYLOAD_JSON` writes it (faster for these)."""
    kind = type(value)
    if kind is str:
        return _QUOTE(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return _PAYLOAD_JSON.encode(value)


def entry_hash(previous: bytes, content: list[Any]) -> bytes:
    """The hash of an entry written since m013: `content` is its JSON list of ten fields."""
    return items_hash(previous, map(json_item, content))


def items_hash(previous: bytes, items: Iterable[str]) -> bytes:
    """`entry_hash` of the content whose items `json_item` wrote."""
    payload = "[" + ",".join(items) + "]"
    return hashlib.sha256(previous + payload.encode("utf-8")).digest()


LEGACY_FIELDS = ("id", "at", "username", "action", "table_name", "row_id", "before", "after")
"""The fields of an entry written before m013, in the order its hash takes them (then reason)."""


def legacy_hash(previous: str, fields: Iterable[Any]) -> str:
    """The hash of an entry written before m013: `fields` are LEGACY_FIELDS and the reason."""
    payload = _PAYLOAD_JSON.encode([previous, *fields])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Names:
    """The texts `audit_names` numbers, read as needed and kept."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.texts: dict[int, str] = {}
        self.fields: dict[int, tuple[str, ...]] = {}

    def text(self, number: Any) -> str | None:
        if number is None:
            return None
        known = self.texts.get(number)
        if known is None:
            row = self.db.execute("SELECT name FROM audit_names WHERE id = ?", [number]).fetchone()
            if row is None:
                return None
            known = self.texts[number] = row[0]
        return known

    def layout(self, number: Any) -> tuple[str, ...] | None:
        """The field names a layout number stands for."""
        known = self.fields.get(number)
        if known is None:
            text = self.text(number)
            try:
                names = _decode(text) if text is not None else None
            except ValueError:
                names = None
            if not isinstance(names, list):
                return None
            known = self.fields[number] = tuple(str(name) for name in names)
        return known

    def number(self, text: str) -> int | None:
        """The number of a text, or None when no entry uses it."""
        row = self.db.execute("SELECT id FROM audit_names WHERE name = ?", [text]).fetchone()
        return None if row is None else int(row[0])


class Unreadable(ValueError):
    """A stored image that is not in any form the app writes (it was changed outside)."""


class Images:
    """Reads stored images back, keeping the `[...]` images that `~` forms refer to."""

    KEPT = 4096
    """How many referred-to images are kept between reads."""

    def __init__(self, db: Database, names: Names) -> None:
        self.db = db
        self.names = names
        self.referred: dict[int, Image] = {}

    def full(self, text: str, layout: Any) -> Image:
        fields = self.names.layout(layout)
        values = _decode_list(text)
        if fields is None or not isinstance(values, list) or len(values) != len(fields):
            raise Unreadable("values that do not fit their field names")
        return Image(fields, values)

    def referred_to(self, entry_id: int) -> Image:
        known = self.referred.get(entry_id)
        if known is None:
            row = self.db.execute(
                "SELECT layout, after FROM audit_entries WHERE id = ?", [entry_id]
            ).fetchone()
            if row is None or not isinstance(row[1], str) or not row[1].startswith("["):
                raise Unreadable(f"changes to entry {entry_id}, which has no whole image")
            if len(self.referred) >= self.KEPT:
                self.referred.clear()
            known = self.referred[entry_id] = self.full(row[1], row[0])
        return known

    def read(
        self,
        text: Any,
        layout: Any,
        entry_id: int,
        row_id: Any,
        state: Image | None,
        before: Image | None = None,
    ) -> Image | None:
        """The image a stored form stands for: `state` is what the log last recorded for the
        row before this entry, `before` this entry's own before image (for a `~0` after)."""
        if text is None:
            return None
        if not isinstance(text, str):
            raise Unreadable("an image that is not text")
        if text == STATE:
            if state is None:
                raise Unreadable("the last recorded state of a row the log does not know")
            return state
        try:
            first = text[0]
            if first == "{":
                row = _decode(text)
                if not isinstance(row, dict):
                    raise Unreadable("an image that is not a row")
                return image_of(row)
            if first == "[":
                return self.full(text, layout)
            if first == "~":
                return self.changed(text, entry_id, row_id, before)
        except (ValueError, TypeError, IndexError, KeyError) as exc:
            raise Unreadable(str(exc)) from exc
        raise Unreadable("an image in no known form")

    def changed(self, text: str, entry_id: int, row_id: Any, before: Image | None = None) -> Image:
        """The image a `~` form stands for: its base with the changes applied (most entries,
        so in one function rather than read's steps)."""
        try:
            items, end = _raw_decode(f"[{text[1:]}]")
            if end != len(text) + 1:
                raise ValueError("more than one value")
            reference = items[0]
            if reference == 0:
                if before is None:
                    raise Unreadable("changes to a before image the entry does not have")
                base = before
            else:
                base = self.referred.get(entry_id - reference) or self.referred_to(
                    entry_id - reference
                )
            values = base.values.copy()
            position, end = 1, len(items)
            while position < end:
                field = items[position]
                if field < 0:
                    values[-field - 1] = row_id
                    position += 1
                else:
                    values[field] = items[position + 1]
                    position += 2
            return Image(base.fields, values)
        except (ValueError, TypeError, IndexError, KeyError) as exc:
            if isinstance(exc, Unreadable):
                raise
            raise Unreadable(str(exc)) from exc

    def legacy_text(self, text: Any, layout: Any) -> Any:
        """The JSON text an entry written before m013 had for an image (for its hash)."""
        if isinstance(text, str) and text.startswith("["):
            return canonical_json(self.full(text, layout).as_dict())
        return text
