"""The compact audit format reads back exactly what was written, and hashes what it stores."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from deesc_desktop.store.audit_format import (
    Image,
    Images,
    Names,
    changes,
    changes_from,
    entry_hash,
    json_item,
    keyframe,
    same_image,
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.sampled_from([0.0, -0.0, 0, 1, 1.0, True, False, "", "0"]),
    st.text(max_size=12),
)


@given(st.lists(st.tuples(SCALARS, SCALARS), min_size=1, max_size=20))
def test_changes_give_back_every_value_exactly(pairs: list[tuple[Any, Any]]) -> None:
    """1 and 1.0 and True, 0.0 and -0.0, stay what they were."""
    fields = tuple(f"f{n:02d}" for n in range(len(pairs)))
    base = Image(fields, [old for old, _ in pairs])
    image = Image(fields, [new for _, new in pairs])
    items = changes(base, image, None, len(fields))
    assert items is not None
    # As the log reads an entry's after stored as changes to its own before ("~0,...").
    images = Images(Database(memory=True), Names(Database(memory=True)))
    rebuilt = images.changed(f"~0{',' if items else ''}{items}", 1, None, base)
    assert same_image(rebuilt, image)
    assert [json.dumps(v) for v in rebuilt.values] == [json.dumps(v) for v in image.values]


VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=2),
    st.dictionaries(st.sampled_from(["b", "a"]), SCALARS, max_size=2),
)


@given(
    st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
)
def test_changes_give_back_the_row_id_lists_and_objects(
    pairs: list[tuple[Any, Any]], row_id: int
) -> None:
    """A changed "id" that is the row's own id is stored as a reference to it; lists and
    objects (keys sorted) come back as they were."""
    fields = ("id", *(f"f{n:02d}" for n in range(len(pairs))))
    base = Image(fields, [0, *(old for old, _ in pairs)])
    image = Image(fields, [row_id, *(new for _, new in pairs)])
    items = changes(base, image, row_id, len(fields))
    assert items is not None
    if row_id != 0:
        assert items.split(",")[0] == "-1"
    # Stored as canonical JSON, objects' keys sorted, as every earlier entry was.
    decoded = json.loads(f"[{items}]")
    assert json.dumps(decoded, sort_keys=True, ensure_ascii=False, separators=(",", ":")) == (
        f"[{items}]"
    )
    images = Images(Database(memory=True), Names(Database(memory=True)))
    rebuilt = images.changed(f"~0{',' if items else ''}{items}", 1, row_id, base)
    assert same_image(rebuilt, image)
    canonical = {"sort_keys": True}
    assert [json.dumps(v, **canonical) for v in rebuilt.values] == [  # type: ignore[arg-type]
        json.dumps(v, **canonical)  # type: ignore[arg-type]
        for v in image.values
    ]


NAN = float("nan")
FLOATS = st.sampled_from([0.0, -0.0, 1.0, 2.5, NAN])
# Pairs of one type mostly, as an import's rows are: the keyframe's shortcut is then taken.
PAIRS = st.one_of(
    st.tuples(FLOATS, FLOATS),
    st.tuples(st.sampled_from([0, 1, 2]), st.sampled_from([0, 1, 2])),
    st.tuples(st.sampled_from(["", "x"]), st.sampled_from(["", "x"])),
    st.tuples(st.booleans(), st.booleans()),
    st.tuples(st.none(), st.none()),
    st.tuples(VALUES, VALUES),
)


@given(
    st.lists(PAIRS, min_size=1, max_size=12),
    st.one_of(st.none(), st.integers(-3, 3)),
    st.integers(0, 12),
)
@example([(NAN, NAN), (1.0, 0.0)], None, 5)  # beside a zero, changes() finds NaN unchanged
@example([(0.0, -0.0), (1, 1)], 1, 5)
@settings(max_examples=300)
def test_changes_from_a_keyframe_are_the_changes(
    pairs: list[tuple[Any, Any]], row_number: int | None, limit: int
) -> None:
    """An import's inserts are stored against a keyframe through a shortcut that must write
    exactly what `changes` writes: 1, 1.0 and True, 0.0 and -0.0, NaN, lists and objects."""
    fields = tuple(f"f{n:02d}" for n in range(len(pairs)))
    base = Image(fields, [old for old, _ in pairs])
    image = Image(fields, [new for _, new in pairs])
    assert changes_from(keyframe(7, base), image, row_number, limit) == changes(
        base, image, row_number, limit
    )


CONTENT = st.lists(
    st.one_of(st.none(), st.integers(), st.text(), st.booleans(), st.floats(allow_nan=False)),
    min_size=10,
    max_size=10,
)


@given(st.binary(min_size=32, max_size=32), CONTENT)
def test_an_entry_hash_is_the_sha256_of_its_json_list(previous: bytes, content: list[Any]) -> None:
    """As docs/design.md defines it, so anyone can check the log with any JSON library."""
    payload = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    expected = hashlib.sha256(previous + payload.encode("utf-8")).digest()
    assert entry_hash(previous, content) == expected


@given(st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.text()), max_size=10))
def test_sqlite_writes_an_entrys_json_list_as_the_app_does(content: list[Any]) -> None:
    """Verify hashes the bytes SQLite's json_array writes, and checks in Python only when they
    do not match: for what the app stores (integers, texts, nulls) they are the same bytes."""
    conn = sqlite3.connect(":memory:")
    try:
        marks = ", ".join("?" for _ in content)
        (written,) = conn.execute(f"SELECT json_array({marks})", content).fetchone()
    finally:
        conn.close()
    assert written == "[" + ",".join(map(json_item, content)) + "]"
