"""Schema step m014: the dashboard's kept compliance summary, derived rows beside the records."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.store.migrations.common import run

SCHEMA = (
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
"""The tables, as this step makes them and store/summary.py remakes them when dropped."""


def m014_summary_cache(db: Database) -> None:
    """Tables for the summary the dashboard shows at once (store/summary.py): empty until
    the dashboard first works compliance out, and never audited or reconciled."""
    run(db, SCHEMA)
