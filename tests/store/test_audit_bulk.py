"""AuditWriter.record_many writes the entries, and the hash chain, that record writes one by one."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.store import open_database
from deesc_desktop.store.audit import AuditWriter, canonical_json
from deesc_desktop.store.audit_scan import verify_chain
from deesc_desktop.store.database import writing

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
)
rows = st.dictionaries(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
    st.one_of(
        scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=3), scalars)
    ),
    max_size=6,
)
changes = st.lists(
    st.tuples(
        st.one_of(st.integers(), st.text(max_size=6)),
        st.one_of(st.none(), rows),
        st.one_of(st.none(), rows),
        st.booleans(),  # pass `after` to record_many as its canonical JSON text
    ),
    max_size=8,
)


class _Undo(Exception):
    """Rolls an example back, so the next one starts from the same log."""


def _entries(db: Database, first_id: int) -> list[tuple[Any, ...]]:
    """The entries as stored (the names as numbers) and as the log shows them."""
    stored = db.execute("SELECT * FROM audit_entries WHERE id >= ? ORDER BY id", [first_id])
    shown = db.execute("SELECT * FROM audit_log WHERE id >= ? ORDER BY id", [first_id])
    return [*stored.fetchall(), *shown.fetchall()]


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(("insert", "update")), changes, st.text(max_size=10))
def test_record_many_equals_record_one_by_one(
    db: Database, tmp_path: Path, action: str, change_list: list[tuple[Any, ...]], reason: str
) -> None:
    (first_id,) = db.execute("SELECT max(id) + 1 FROM audit_log").fetchone()
    one_by_one: list[tuple[Any, ...]] = []
    with contextlib.suppress(_Undo), writing(db):
        audit = AuditWriter(db, "sgt.admin", at="2026-11-22T08:00:00Z")
        for row_id, before, after, _ in change_list:
            audit.record(action, "things", row_id, before=before, after=after, reason=reason)
        one_by_one = _entries(db, first_id)
        raise _Undo
    with contextlib.suppress(_Undo), writing(db):
        audit = AuditWriter(db, "sgt.admin", at="2026-11-22T08:00:00Z")
        written = audit.record_many(
            action,
            "things",
            [
                (row_id, before, canonical_json(after) if encoded and after is not None else after)
                for row_id, before, after, encoded in change_list
            ],
            reason=reason,
        )
        assert written == len(change_list)
        assert _entries(db, first_id) == one_by_one
        # The writer's tip moved past the batch: the next entry still chains on.
        audit.record("insert", "things", 1, after={"a": 1})
        assert verify_chain(db).ok
        raise _Undo


# Rows of one table, with the same fields and values drawn from a few, so that most inserts
# are stored as changes to an earlier one: the values JSON tells apart (1, 1.0, True; 0.0 and
# -0.0), the row's own id in "id", lists and objects.
few = st.sampled_from([0, 1, 1.0, True, 0.0, -0.0, "", "x", None, 2**63, [1], {"k": 1.0}])
same_fields = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(0, 4), few), **{name: few for name in "abcdefg"}}
)
inserts = st.lists(
    st.tuples(
        st.one_of(st.integers(0, 4), st.just(2**63), st.just("7"), st.text(max_size=2)),
        st.one_of(st.none(), st.none(), st.none(), same_fields),
        st.one_of(same_fields, same_fields, same_fields, st.none(), rows),
    ),
    max_size=12,
)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(inserts, st.text(max_size=3))
def test_inserts_of_one_table_equal_record_one_by_one(
    db: Database, insert_list: list[tuple[Any, ...]], reason: str
) -> None:
    """An import's path: many inserts with the same fields, most stored as changes."""
    (first_id,) = db.execute("SELECT max(id) + 1 FROM audit_log").fetchone()
    one_by_one: list[tuple[Any, ...]] = []
    with contextlib.suppress(_Undo), writing(db):
        audit = AuditWriter(db, "sgt.admin", at="2026-11-22T08:00:00Z")
        for row_id, before, after in insert_list:
            audit.record("insert", "things", row_id, before=before, after=after, reason=reason)
        one_by_one = _entries(db, first_id)
        raise _Undo
    with contextlib.suppress(_Undo), writing(db):
        audit = AuditWriter(db, "sgt.admin", at="2026-11-22T08:00:00Z")
        assert audit.record_many("insert", "things", insert_list, reason=reason) == len(insert_list)
        assert _entries(db, first_id) == one_by_one
        assert verify_chain(db).ok
        raise _Undo


def test_record_many_then_record_keeps_one_chain(db: Database, db_path: Path, admin: Actor) -> None:
    before = verify_chain(db).entries  # the schema's own entries and the agency
    with writing(db):
        audit = AuditWriter(db, admin.username)
        audit.record_many("insert", "things", [(n, None, {"n": n}) for n in range(1, 501)])
        audit.record("delete", "things", 7, before={"n": 7}, reason="typo")
        audit.record_many("insert", "things", [])
    report = verify_chain(db)
    assert report.ok and report.entries == before + 500 + 1  # the batch, the delete
    db.close()
    reopened = open_database(db_path)
    with writing(reopened):
        AuditWriter(reopened, admin.username).record_many("insert", "things", [(1, None, {})])
    assert verify_chain(reopened).ok and verify_chain(reopened).entries == before + 502
    reopened.close()
