"""Values of any type written into any column behind the app's back: `deesc check` names
every edit and never stops on one (SQLite lets a column hold text, bytes or a number)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from deesc_desktop.cli import main
from deesc_desktop.demo import DEMO_ACTOR, DEMO_PASSWORD
from deesc_desktop.services.maintenance import check_database, verify_audit
from deesc_desktop.store.database import open_database

LOG_TABLES = {"audit_entries", "audit_names", "audit_legacy", "_sqlite_migrations"}
"""The log's own tables: edits there are the chain's business (test_anchors, test_tamper)."""

PARENTS = {
    "training_topics": "training_records",
    "claim_records": "claims",
    "class_roster": "classes",
    "incident_officers": "incidents",
}
"""Child tables whose rows the log keeps in their parent's entry: an edit names the parent."""

VALUES: dict[str, Any] = {
    "text": "not what the app wrote",
    "bytes": b"\x00\xff",
    "real": 1.5,
    "integer": 7,
    "null": None,
}


def edit_every_column(path: Path, value: Any) -> set[tuple[str, str]]:
    """Put `value` into every column of the first row of every table, one column at a time
    (an edit SQLite refuses, by a CHECK or a trigger, is left out); the (table, column) pairs
    changed."""
    conn = sqlite3.connect(path, isolation_level=None)
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        if name not in LOG_TABLES
    ]
    changed: set[tuple[str, str]] = set()
    for table in tables:
        info = conn.execute(f"PRAGMA table_info([{table}])").fetchall()
        key = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]] or ["rowid"]
        for column in [row[1] for row in info]:
            where = " AND ".join(f"[{name}] IS ?" for name in key)
            first = conn.execute(f"SELECT {', '.join(key)} FROM [{table}] LIMIT 1").fetchone()
            if first is None:
                break
            (old,) = conn.execute(f"SELECT [{column}] FROM [{table}] WHERE {where}", first)
            if old[0] == value and type(old[0]) is type(value):
                continue
            try:
                conn.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE {where}", [value, *first])
            except sqlite3.Error:
                continue
            changed.add((table, column))
    conn.close()
    return changed


@pytest.mark.parametrize("kind", VALUES)
def test_check_names_every_edit_of_any_type_and_never_stops_on_one(
    pristine: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "deesc.db"
    shutil.copyfile(pristine, path)
    changed = edit_every_column(path, VALUES[kind])
    assert len({table for table, _ in changed}) >= 8  # (NOT NULL keeps nulls out of many)

    db = open_database(path, create=False)
    report = check_database(db)  # does not stop on any of them
    audit = verify_audit(db)
    db.close()
    assert not report.ok
    rows = {difference.table for difference in audit.rows}
    keys = "\n".join(report.problems)
    for table, column in sorted(changed):
        # Each edit differs from the log, or points at a row that is not there.
        assert PARENTS.get(table, table) in rows or f"{table}: a row's " in keys, (table, column)


def test_the_command_says_what_it_found_in_a_table_without_row_numbers(
    pristine: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A topic's hours made text, and a topic pointed at a class record that is not there:
    both named, in words, with no traceback."""
    path = tmp_path / "deesc.db"
    shutil.copyfile(pristine, path)
    conn = sqlite3.connect(path)
    (record,) = conn.execute("SELECT min(record_id) FROM training_topics").fetchone()
    conn.execute("UPDATE training_topics SET hours = 'two' WHERE record_id = ?", [record])
    conn.execute("UPDATE training_topics SET record_id = 999999 WHERE record_id = ?", [record + 1])
    conn.commit()
    conn.close()
    monkeypatch.setenv("DEESC_USER", DEMO_ACTOR.username)
    monkeypatch.setenv("DEESC_PASSWORD", DEMO_PASSWORD)

    assert main(["--db", str(path), "check"]) == 1
    said = capsys.readouterr().err
    assert f"training_records row {record}: topics is " in said and ":'two'" in said
    assert (
        "foreign key: training_topics: a row's record_id points to a missing training_records row"
    ) in said
    assert "Traceback" not in said
