"""Live rows and schema against the audit log: what was changed, added or removed outside it."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from deesc_desktop.store.audit import PASSWORD_DIGEST_PREFIX, password_digest
from deesc_desktop.store.audit_format import Image
from deesc_desktop.store.audit_scan import ChainReport, LogScan
from deesc_desktop.store.migrations.summary import SUMMARY_TABLES

NOT_RECONCILED = frozenset(
    {
        "audit_entries",
        "audit_names",
        "audit_legacy",
        "_sqlite_migrations",
        "training_topics",
        "claim_records",
        "class_roster",
        "incident_officers",
        "documents",
        *SUMMARY_TABLES,
    }
)
"""Tables with no rows of their own in the log: the log itself, the schema steps, the child
tables whose rows the log keeps inside their parent's entry (a training record's topic split,
a claim's record ids, a class's expected officers, an incident's officers), and the stored
bytes of documents, each of which proves itself by the SHA-256 its audited attachment names
(`deesc check` recomputes them), and the dashboard's kept summary, derived from the rest and
worked out again whenever it is missing or in doubt (store/summary.py)."""

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


def _columns(db: Database, table: str) -> tuple[str, dict[str, Any], list[str], bool]:
    """The key column the log names rows by, each column's default for a row logged before
    the column existed (a migration added it, e.g. courses.cit_role), the column names, and
    whether the key is the row number (so rows come in the order the log's ids do)."""
    info = db.execute(f"PRAGMA table_info([{table}])").fetchall()
    keys = [row for row in info if row[5]]
    defaults: dict[str, Any] = {}
    for _cid, name, _type, not_null, default, _pk in info:
        if default is not None:
            defaults[name] = _literal(default)
        elif not not_null:
            defaults[name] = None
    if len(keys) != 1:
        return "rowid", defaults, [row[1] for row in info], True
    key = keys[0][1]
    # An INTEGER PRIMARY KEY of a rowid table is the row number: always an integer.
    row_number = (
        str(keys[0][2]).upper() == "INTEGER"
        and not db.execute(
            "SELECT 1 FROM pragma_index_list(?) WHERE origin = 'pk'", [table]
        ).fetchone()
    )
    return key, defaults, [row[1] for row in info], row_number


_DERIVED: dict[str, tuple[str, str, str]] = {
    "training_records": (
        "topics",
        "SELECT record_id, topic, hours FROM training_topics ORDER BY record_id, topic",
        ";",
    ),
    "claims": (
        "records",
        "SELECT claim_id, record_id, NULL FROM claim_records"
        " ORDER BY claim_id, completed, record_id",
        ",",
    ),
    "classes": (
        "expected",
        "SELECT class_id, officer_id, NULL FROM class_roster ORDER BY class_id, officer_id",
        ",",
    ),
    "incidents": (
        "officers",
        "SELECT incident_id, officer_id, NULL FROM incident_officers"
        " ORDER BY incident_id, officer_id",
        ",",
    ),
}
"""Fields the log keeps in a row's entry that live in a child table: (field, the child rows
by owner, the separator of their parts). A part is its second column, or with a third (a
topic's hours) both as a training record's entry writes them, e.g. "firearms:4"."""


def _joined(db: Database, sql: str, separator: str) -> Iterator[tuple[Any, str]]:
    """(owner, its parts joined) in the order of `sql`, one owner at a time."""
    written: dict[tuple[Any, Any], str] = {}
    owner: Any = None
    texts: list[str] = []
    for part_owner, second, third in db.execute(sql):
        if part_owner != owner or not texts:
            if texts:
                yield owner, separator.join(texts)
            owner, texts = part_owner, []
        if third is None:
            texts.append(str(second))
            continue
        text = written.get((second, third)) if type(second) is str else None
        if text is None:
            try:
                text = f"{second}:{third:g}"
            except (TypeError, ValueError):
                # Text or bytes for hours, written outside the app: shown as they are,
                # which never reads as the number the log recorded.
                text = f"{second}:{third!r}"
            if type(second) is str and third:
                # Few distinct (topic, hours): each written once. Equal hours of other types
                # write the same; not 0, as -0.0 equals 0.0 but writes "-0".
                written[(second, third)] = text
        texts.append(text)
    if texts:
        yield owner, separator.join(texts)


class _Live:
    """A table's live rows as the log records them: fields sorted, derived fields joined in,
    password hashes as their digests."""

    def __init__(self, db: Database, table: str, key: str, columns: list[str]) -> None:
        self.derived = _DERIVED.get(table)
        names = [*columns, *([self.derived[0]] if self.derived else [])]
        self.fields = tuple(sorted(names))
        self.select = [name for name in self.fields if name in columns]
        self.slot = self.fields.index(self.derived[0]) if self.derived else -1
        self.password = (
            self.fields.index("password_hash")
            if table == "users" and "password_hash" in self.fields
            else -1
        )
        self.db, self.table, self.key = db, table, key

    def rows(self, in_order: bool) -> Iterator[tuple[Any, list[Any]]]:
        """(key, values in `fields` order): ordered by key when `in_order` (the key is the row
        number, so a child table's rows are joined in step), else in any order."""
        # The fields in order (NULL holding the derived one's place), then the key.
        chosen = "".join(f"[{name}], " if name in self.select else "NULL, " for name in self.fields)
        order = f" ORDER BY [{self.key}]" if in_order else ""
        cursor = self.db.execute(f"SELECT {chosen}[{self.key}] FROM [{self.table}]{order}")
        slot, password = self.slot, self.password
        joined: Iterator[tuple[Any, str]] | None = None
        every: dict[Any, str] = {}
        if self.derived is not None:
            joined = _joined(self.db, self.derived[1], self.derived[2])
            if not in_order:
                every, joined = dict(joined), None
        owner, text = next(joined, (None, "")) if joined is not None else (None, "")
        for row in cursor:
            values = list(row)
            key = values.pop()
            if joined is not None:
                while owner is not None and owner < key:
                    owner, text = next(joined, (None, ""))
                values[slot] = text if owner == key else ""
            elif slot >= 0:
                values[slot] = every.get(key, "")
            if password >= 0 and isinstance(values[password], str):
                values[password] = password_digest(values[password])
            yield key, values


def _differences(
    table: str,
    row_id: str,
    key: str,
    defaults: dict[str, Any],
    logged: Image | None,
    fields: tuple[str, ...],
    values: list[Any] | None,
) -> Iterator[RowDifference]:
    """How one row differs from the log (nothing when it is as last recorded)."""
    if logged is None:
        if values is not None:
            yield RowDifference(table, row_id, None, None, dict(zip(fields, values, strict=True)))
        return
    if values is None:
        yield RowDifference(table, row_id, None, logged.as_dict(), None)
        return
    if logged.fields == fields and logged.values == values:
        return  # most rows are exactly as logged: one comparison in C
    live = dict(zip(fields, values, strict=True))
    yield from _compare(table, row_id, key, defaults, logged.as_dict(), live)


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

    Reads the log through `LogScan.rows`, so it depends only on the state the log last
    recorded for each row, not on how entries are stored.
    """
    names = list(tables) if tables is not None else reconciled_tables(db)
    return _row_differences(db, names, LogScan(db))


def audit_differences(db: Database) -> tuple[ChainReport, list[RowDifference]]:
    """The chain and every reconciled row against the log, in one read of the log."""
    scan = LogScan(db)
    rows = _row_differences(db, reconciled_tables(db), scan)
    return scan.finish(), rows


def _row_differences(db: Database, tables: list[str], scan: LogScan) -> list[RowDifference]:
    differences: list[RowDifference] = []
    for table in tables:
        key, defaults, columns, row_number = _columns(db, table)
        live = _Live(db, table, key, [name for name in columns if name != "rowid"])
        if row_number:
            differences.extend(_merged(table, key, defaults, live, scan.rows(table)))
            continue
        logged = {str(row): image for row, image in scan.rows(table)}
        for key_value, values in live.rows(in_order=False):
            row_id = str(key_value)
            differences.extend(
                _differences(
                    table, row_id, key, defaults, logged.pop(row_id, None), live.fields, values
                )
            )
        for row_id, image in logged.items():
            differences.extend(_differences(table, row_id, key, defaults, image, live.fields, None))
    return differences


def _merged(
    table: str,
    key: str,
    defaults: dict[str, Any],
    live: _Live,
    logged: Iterator[tuple[int | str, Image | None]],
) -> Iterator[RowDifference]:
    """Live rows and logged rows side by side, both in row number order: the log names a
    numbered row by its number, ahead of any row id that is not one."""
    fields = live.fields
    pending = next(logged, None)
    for key_value, values in live.rows(in_order=True):
        while pending is not None and type(pending[0]) is int and pending[0] < key_value:
            yield from _differences(table, str(pending[0]), key, defaults, pending[1], fields, None)
            pending = next(logged, None)
        image = None
        if pending is not None and type(pending[0]) is int and pending[0] == key_value:
            image = pending[1]
            pending = next(logged, None)
            if image is not None and image.fields == fields and image.values == values:
                continue
        yield from _differences(table, str(key_value), key, defaults, image, fields, values)
    while pending is not None:
        yield from _differences(table, str(pending[0]), key, defaults, pending[1], fields, None)
        pending = next(logged, None)


@dataclass(frozen=True, slots=True)
class SchemaDifference:
    """A table, index or trigger that is not as this version of the app made it."""

    kind: str
    name: str
    problem: str

    def describe(self) -> str:
        return f"{self.kind} {self.name} {self.problem}"


def _schema(db: Database) -> dict[tuple[str, str], str]:
    # The kept summary's tables may be dropped or remade at any time: they are not checked.
    return {
        (kind, name): " ".join(sql.split())
        for kind, name, table, sql in db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        )
        if table not in SUMMARY_TABLES
    }


@functools.cache
def _expected_schema() -> dict[tuple[str, str], str]:
    """The schema every migration of this version builds, as a fresh file holds it."""
    from deesc_desktop.store.migrations import migrations

    fresh = Database(memory=True, execute_plugins=False)
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
