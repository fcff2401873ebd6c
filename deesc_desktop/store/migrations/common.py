"""What the schema steps share: the application id, statement runners and column checks."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

APPLICATION_ID = 0x44455343
"""PRAGMA application_id of every deesc database ("DESC"): how a file is recognised as ours."""

UPGRADE_USER = "deesc (upgrade)"
"""The name on audit entries a schema step writes for rows the app made without one."""

M003_SETTINGS = {
    "cit.target_percent": "25",
    "cit.patrol_unit": "Patrol",
    "cit.certifying_min_hours": "40",
    "cit.refresher_min_hours": "8",
    "cit.validity_years": "3",
    "cit.grace_days": "90",
    "bonus.default_amount_cents": "380000",
}
"""Agency settings m003 adds to `settings`, as text; history: later defaults do not change it."""

VERSIONED = """
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL"""
"""The row-version columns, to end a CREATE TABLE's column list (indented as the steps write it)."""


def run(db: Database, statements: Iterable[str]) -> None:
    # db.executescript() would COMMIT the migration's transaction half-way; run one by one.
    for statement in statements:
        db.execute(statement)


def in_list(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


_DATE = "CHECK ({col} IS NULL OR ({col} = date({col}) AND length({col}) = 10))"


def date_check(column: str) -> str:
    return _DATE.format(col=column)


def frozen(table: str, message: str) -> list[str]:
    return [
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
        """,
        f"""
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
        """,
    ]
