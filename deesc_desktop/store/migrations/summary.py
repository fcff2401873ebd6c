"""Schema steps m014 and m015: the kept compliance summary, derived rows beside the records."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.store.migrations.common import run

SUMMARY_TABLES = frozenset(
    {"summary_state", "summary_officers", "summary_results", "summary_counts"}
)
"""Derived tables: not audited, not reconciled, not part of the checked schema."""

M014_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS summary_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        as_of TEXT NOT NULL,
        log_entries INTEGER NOT NULL,
        log_hash TEXT NOT NULL,
        app_version TEXT NOT NULL,
        requirements TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS summary_officers (
        officer_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        overall TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS summary_results (
        officer_id INTEGER NOT NULL,
        requirement_id TEXT NOT NULL,
        status TEXT NOT NULL,
        due TEXT,
        detail TEXT,
        PRIMARY KEY (officer_id, requirement_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE IF NOT EXISTS summary_counts (
        requirement_id TEXT NOT NULL,
        status TEXT NOT NULL,
        officers INTEGER NOT NULL,
        PRIMARY KEY (requirement_id, status)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS summary_results_due ON summary_results (due) WHERE due IS NOT NULL",
)
"""The tables as step m014 made them (a step never changes once released)."""

SCHEMA = (
    M014_SCHEMA[0],
    # m015 added `needs`.
    """
    CREATE TABLE IF NOT EXISTS summary_officers (
        officer_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        overall TEXT NOT NULL,
        needs TEXT NOT NULL DEFAULT ''
    )
    """,
    *M014_SCHEMA[2:],
)
"""The tables as they are now, as store/summary.py remakes them when dropped."""


def m014_summary_cache(db: Database) -> None:
    """Tables for the summary the dashboard shows at once (store/summary.py): empty until
    the dashboard first works compliance out, and never audited or reconciled."""
    run(db, M014_SCHEMA)


def m015_summary_needs(db: Database) -> None:
    """Each kept officer's "Needs" as the roster shows it, so that the roster of a large
    file need not evaluate everyone; what was kept before is worked out again."""
    db.execute("ALTER TABLE summary_officers ADD COLUMN needs TEXT NOT NULL DEFAULT ''")
    db.execute("DELETE FROM summary_state")
