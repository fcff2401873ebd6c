"""Live rows and schema against the audit log: what was changed, added or removed outside it."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.audit import (
    PASSWORD_DIGEST_PREFIX,
    LoggedRows,
    logged_rows,
    password_digest,
)

NOT_RECONCILED = frozenset(
    {
        "audit_log",
        "_sqlite_migrations",
        "training_topics",
        "claim_records",
        "class_roster",
        "incident_officers",
        "documents",
    }
)
"""Tables with no rows of their own in the log: the log itself, the schema steps, the child
tables whose rows the log keeps inside their parent's entry (a training record's topic split,
a claim's record ids, a class's expected officers, an incident's officers), and the stored
bytes of documents, each of which proves itself by the SHA-256 its audited attachment names
(`deesc check` recomputes them)."""

SIGN_IN_TABLES = ("users", "settings")
"""The rows that decide who may sign in and whether anyone must."""

_MISSING = object()


@dataclass(frozen=True, slots=True)
class RowDifference:
    """One row whose live state is not what the audit log last recorded for it.

    `field` is None when the whole row was added or removed outside the app.
    """

    table: str
    row_id: str
    field: str | None
    logged: Any
    live: Any

    @property
    def kind(self) -> str:
        if self.field is not None:
            return "changed"
        return "added" if self.logged is None else "removed"

    def describe(self) -> str:
        where = f"{self.table} row {self.row_id}"
        if self.kind == "added":
            return f"{where} was added outside the app: the audit log has no entry for it"
        if self.kind == "removed":
            return f"{where} was removed outside the app: the audit log last recorded it"
        return (
            f"{where}: {self.field} is {_show(self.live)} in the file, but the audit log last "
            f"recorded {_show(self.logged)}"
        )


def _show(value: Any) -> str:
    if isinstance(value, str) and value.startswith(PASSWORD_DIGEST_PREFIX):
        return "a different password hash"
    return "NULL" if value is None else repr(value)


def reconciled_tables(db: Database) -> list[str]:
    """Every table whose rows the audit log accounts for, in the file's order."""
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY rowid"
        )
        if name not in NOT_RECONCILED
    ]


def _literal(default: str) -> Any:
    """A column's literal DEFAULT as a value, or _MISSING for an expression."""
    text = default.strip()
    if text.upper() == "NULL":
        return None
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return _MISSING


def _columns(db: Database, table: str) -> tuple[str, dict[str, Any]]:
    """The key column the log names rows by, and each column's default for a row logged
    before the column existed (a migration added it, e.g. courses.cit_role)."""
    info = db.execute(f"PRAGMA table_info([{table}])").fetchall()
    keys = [row[1] for row in info if row[5]]
    defaults: dict[str, Any] = {}
    for _cid, name, _type, not_null, default, _pk in info:
        if default is not None:
            defaults[name] = _literal(default)
        elif not not_null:
            defaults[name] = None
    return (keys[0] if len(keys) == 1 else "rowid"), defaults


def _derived_fields(db: Database, table: str) -> dict[str, dict[Any, str]]:
    """Fields the log keeps in a row's entry that live in a child table."""
    if table == "training_records":
        return {
            "topics": _joined(
                db,
                "SELECT record_id, topic, hours FROM training_topics ORDER BY record_id, topic",
                ";",
                topic_text,
            )
        }
    if table == "claims":
        return {
            "records": _joined(
                db,
                "SELECT claim_id, record_id, NULL FROM claim_records"
                " ORDER BY claim_id, completed, record_id",
                ",",
                str,
            )
        }
    if table == "classes":
        return {
            "expected": _joined(
                db,
                "SELECT class_id, officer_id, NULL FROM class_roster ORDER BY class_id, officer_id",
                ",",
                str,
            )
        }
    if table == "incidents":
        return {
            "officers": _joined(
                db,
                "SELECT incident_id, officer_id, NULL FROM incident_officers"
                " ORDER BY incident_id, officer_id",
                ",",
                str,
            )
        }
    return {}


def topic_text(topic: str, hours: float) -> str:
    """One topic's share of a training record as its audit entry writes it, e.g. "firearms:4"."""
    return f"{topic}:{hours:g}"


def _joined(db: Database, sql: str, separator: str, part: Any) -> dict[Any, str]:
    parts: dict[Any, list[str]] = {}
    for owner, first, second in db.execute(sql):
        parts.setdefault(owner, []).append(
            part(first, second) if second is not None else part(first)
        )
    return {owner: separator.join(items) for owner, items in parts.items()}


def _live_rows(db: Database, table: str, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    derived = _derived_fields(db, table)
    select = "SELECT rowid AS rowid, *" if key == "rowid" else "SELECT *"
    cursor = db.execute(f"{select} FROM [{table}]")
    names = [column[0] for column in cursor.description]
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        row_key = row[key]
        for field, by_owner in derived.items():
            row[field] = by_owner.get(row_key, "")
        if table == "users" and isinstance(row.get("password_hash"), str):
            row["password_hash"] = password_digest(row["password_hash"])
        yield str(row_key), row


def _compare(
    table: str,
    row_id: str,
    key: str,
    defaults: dict[str, Any],
    logged: dict[str, Any],
    live: dict[str, Any],
) -> Iterator[RowDifference]:
    for field, live_value in live.items():
        if field == key or field == "rowid":
            continue
        logged_value = logged.get(field, _MISSING)
        if logged_value is _MISSING:
            logged_value = defaults.get(field, _MISSING)
            if logged_value is _MISSING:
                continue  # added by a schema step with no default: nothing to compare
        elif (
            field == "password_hash"
            and isinstance(logged_value, str)
            and not logged_value.startswith(PASSWORD_DIGEST_PREFIX)
        ):
            continue  # written before the log kept password digests
        if logged_value != live_value:  # 8 equals 8.0; the text "8" equals neither
            yield RowDifference(table, row_id, field, logged_value, live_value)


def row_differences(db: Database, tables: Iterable[str] | None = None) -> list[RowDifference]:
    """Every row of `tables` (default: every reconciled table) that differs from the log.

    Reads the log through `logged_rows`, so it depends only on the state the log last
    recorded for each row, not on how entries are stored.
    """
    names = list(tables) if tables is not None else reconciled_tables(db)
    state: LoggedRows = logged_rows(db, names)
    differences: list[RowDifference] = []
    for table in names:
        logged = state.get(table, {})
        key, defaults = _columns(db, table)
        for row_id, live in _live_rows(db, table, key):
            recorded = logged.pop(row_id, None)
            if recorded is None:
                differences.append(RowDifference(table, row_id, None, None, live))
            elif recorded != live:  # most rows are exactly as logged: one comparison in C
                differences.extend(_compare(table, row_id, key, defaults, recorded, live))
        differences.extend(
            RowDifference(table, row_id, None, recorded, None)
            for row_id, recorded in logged.items()
            if recorded is not None
        )
    return differences


@dataclass(frozen=True, slots=True)
class SchemaDifference:
    """A table, index or trigger that is not as this version of the app made it."""

    kind: str
    name: str
    problem: str

    def describe(self) -> str:
        return f"{self.kind} {self.name} {self.problem}"


def _schema(db: Database) -> dict[tuple[str, str], str]:
    return {
        (kind, name): " ".join(sql.split())
        for kind, name, sql in db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        )
    }


@functools.cache
def _expected_schema() -> dict[tuple[str, str], str]:
    """The schema every migration of this version builds, as a fresh file holds it."""
    from deesc_desktop.store.migrations import migrations

    fresh = Database(memory=True)
    migrations.apply(fresh)
    return _schema(fresh)


def schema_differences(db: Database) -> list[SchemaDifference]:
    """Protective triggers, checks and indexes dropped, changed or added outside the app."""
    expected, live = _expected_schema(), _schema(db)
    found = []
    for (kind, name), sql in expected.items():
        if (kind, name) not in live:
            found.append(SchemaDifference(kind, name, "is missing: it was dropped outside the app"))
        elif live[(kind, name)] != sql:
            found.append(
                SchemaDifference(kind, name, "is not as the app made it: it was changed outside")
            )
    found.extend(
        SchemaDifference(kind, name, "was added outside the app")
        for kind, name in live
        if (kind, name) not in expected
    )
    return found
