"""Many training records written at once, with their audit entries: the import's writer.

The same rows, ids and audit entries `store.training.insert_record` would write one record at a
time, in a few statements; the audit snapshot is built from the values written instead of
read back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.hours import Centihours, to_float
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.audit_format import Image
from deesc_desktop.store.training import record_snapshot

_RECORD_COLUMNS = (
    "id",
    "officer_id",
    "course_id",
    "completed",
    "hours",
    "delivery",
    "provider",
    "instructor",
    "pre_test",
    "post_test",
    "import_id",
    "created_at",
    "updated_at",
    "updated_by",
)
"""The columns `insert_records` writes; every other column takes its default."""

_VERSION = 1
_RECORD_DEFAULTS = {"version": _VERSION}
"""The defaults of the columns it leaves out, as the schema fills them in."""

_SNAPSHOT_FIELDS = (
    "completed",
    "course_id",
    "created_at",
    "delivery",
    "hours",
    "id",
    "import_id",
    "instructor",
    "officer_id",
    "post_test",
    "pre_test",
    "provider",
    "topics",
    "updated_at",
    "updated_by",
    "version",
)
"""A record's snapshot as the log keeps it: its fields in sorted order, its topics joined."""

_INSERT_RECORDS_SQL = (
    f"INSERT INTO training_records ({', '.join(_RECORD_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in _RECORD_COLUMNS)})"
)


class NewRecord(NamedTuple):
    """One training record to write with `insert_records`: the class as `insert_record` takes it."""

    officer_id: int
    course_id: int
    completed: str
    hours: Centihours
    topic_hours: tuple[tuple[str, Centihours], ...]
    delivery: str
    provider: str
    instructor: str
    pre_test: float | None
    post_test: float | None


def insert_records(
    audit: AuditWriter, records: Sequence[NewRecord], *, import_id: int | None = None
) -> list[int]:
    """Write many records as `insert_record` would one after the other, in a few statements.

    Same ids (the next free ones, in order), rows, topic hours and audit entries; the audit
    snapshot is built from the values written rather than read back, unless the table has
    columns this function does not know, when it is read back as `record_snapshot` does.
    """
    if not records:
        return []
    db = audit.db
    (last_id,) = db.execute("SELECT max(id) FROM training_records").fetchone()
    first_id = (last_id or 0) + 1
    at, username = audit.at, audit.username
    # A file repeats a few topic splits: store and describe each one once.
    splits: dict[tuple[tuple[str, Centihours], ...], tuple[list[tuple[str, float]], str]] = {}
    rows: list[tuple[Any, ...]] = []
    topics: list[tuple[int, str, float]] = []
    snapshots: list[Mapping[str, Any] | Image] = []
    for record_id, record in enumerate(records, start=first_id):
        (
            officer_id,
            course_id,
            completed,
            hours,
            topic_hours,
            delivery,
            provider,
            instructor,
            pre_test,
            post_test,
        ) = record
        known = splits.get(topic_hours)
        if known is None:
            split = [(topic, to_float(amount)) for topic, amount in topic_hours]
            # As record_snapshot reads it back: ORDER BY topic, REAL hours formatted with :g.
            text = ";".join(f"{topic}:{amount:g}" for topic, amount in sorted(split))
            known = splits[topic_hours] = (split, text)
        for topic, amount in known[0]:
            topics.append((record_id, topic, amount))
        hours_value = to_float(hours)
        # A REAL column stores 60 as 60.0, and the snapshot must say what a read-back would.
        pre = None if pre_test is None else float(pre_test)
        post = None if post_test is None else float(post_test)
        rows.append(
            (
                record_id,
                officer_id,
                course_id,
                completed,
                hours_value,
                delivery,
                provider,
                instructor,
                pre,
                post,
                import_id,
                at,
                at,
                username,
            )
        )
        snapshots.append(
            Image(
                _SNAPSHOT_FIELDS,
                [
                    completed,
                    int(course_id),
                    at,
                    delivery,
                    hours_value,
                    record_id,
                    import_id,
                    instructor,
                    int(officer_id),
                    post,
                    pre,
                    provider,
                    known[1],
                    at,
                    username,
                    _VERSION,
                ],
            )
        )
    db.conn.executemany(_INSERT_RECORDS_SQL, rows)
    db.conn.executemany(
        "INSERT INTO training_topics (record_id, topic, hours) VALUES (?, ?, ?)", topics
    )
    ids = [row[0] for row in rows]
    if not _snapshot_columns_known(db):
        snapshots = [record_snapshot(db, record_id) or {} for record_id in ids]
    audit.record_many(
        "insert",
        "training_records",
        ((record_id, None, snapshot) for record_id, snapshot in zip(ids, snapshots, strict=True)),
    )
    return ids


def _snapshot_columns_known(db: Database) -> bool:
    """Whether training_records has exactly the columns `insert_records` snapshots."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(training_records)")}
    return columns == {*_RECORD_COLUMNS, *_RECORD_DEFAULTS}
