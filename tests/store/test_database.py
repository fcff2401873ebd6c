"""open_database: creation, reopening, refusals that touch nothing, migration of old files."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database, hookimpl
from sqlite_utils.plugins import pm

from deesc_desktop.store import (
    NewerDatabaseError,
    NotADeescDatabaseError,
    open_database,
)
from deesc_desktop.store.migrations import known_names
from deesc_desktop.store.reconcile import schema_differences
from deesc_desktop.store.training import load_records

DATA = Path(__file__).resolve().parent.parent / "data"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_schema_foreign_keys_and_wal(db_path: Path) -> None:
    db = open_database(db_path)
    assert {"agency", "officers", "training_records", "audit_entries"} <= set(db.table_names())
    assert "audit_log" in db.view_names()
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(known_names())
    db.close()
    # Reopening is a no-op: nothing pending, no backup made.
    open_database(db_path).close()
    assert not (db_path.parent / "backups").exists()


def test_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "roster.db"
    path.write_text("badge,last_name\n1,Smith\n")
    before = digest(path)
    with pytest.raises(NotADeescDatabaseError, match="not an SQLite file"):
        open_database(path)
    assert digest(path) == before


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotADeescDatabaseError, match="another program"):
        open_database(path)
    assert digest(path) == before
    assert not (tmp_path / "backups").exists()


def test_file_from_a_newer_version_is_refused_and_left_untouched(db_path: Path) -> None:
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('deesc', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = digest(db_path)
    with pytest.raises(NewerDatabaseError, match="m999_from_the_future"):
        open_database(db_path)
    assert digest(db_path) == before


def test_file_made_by_the_first_schema_version_opens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    shutil.copyfile(DATA / "schema-v1.db", path)
    db = open_database(path)
    applied = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == known_names()
    names = [row[0] for row in db.execute("SELECT last_name FROM officers ORDER BY badge")]
    assert names == ["Łukasz", "Peña"]  # badge "0042" keeps its leading zero and sorts first
    assert db.execute("SELECT count(*) FROM training_records").fetchone()[0] == 2
    assert db.execute("SELECT sum(hours) FROM training_topics").fetchone()[0] == 16.0
    if len(known_names()) > 1:
        # The file was behind: a copy was saved before it was upgraded.
        backups = list((tmp_path / "backups").glob("pre-migration-*.db"))
        assert len(backups) == 1
        old = sqlite3.connect(backups[0])
        assert old.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == 1
        old.close()
    db.close()


def _record_indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'training_records'"
        )
        return {name for (name,) in rows}
    finally:
        conn.close()


def test_an_officers_records_are_found_by_one_index_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    shutil.copyfile(DATA / "schema-v1.db", path)
    assert "training_records_officer" in _record_indexes(path)  # the first version made it
    db = open_database(path)
    try:
        officer_id, course_id = db.execute(
            "SELECT officer_id, course_id FROM training_records ORDER BY id"
        ).fetchone()
        plan = " / ".join(
            row[3]
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM training_records"
                " WHERE officer_id = ? AND completed <= ?",
                [officer_id, "2030-01-01"],
            )
        )
        assert plan.startswith("SEARCH training_records USING COVERING INDEX"), plan
        assert "(officer_id=?)" in plan
        records = load_records(db, [officer_id])
        assert [r.course_id for r in records[officer_id]][:1] == [course_id]
    finally:
        db.close()
    indexes = _record_indexes(path)
    assert "training_records_officer" not in indexes
    # The unique index that leads with the officer, the date's and the course's stay.
    assert {"training_records_completed", "training_records_course"} <= indexes
    assert _record_indexes(path) == _record_indexes_of_a_new_file(tmp_path)


def _record_indexes_of_a_new_file(tmp_path: Path) -> set[str]:
    path = tmp_path / "new.db"
    open_database(path).close()
    return _record_indexes(path)


@pytest.mark.parametrize("made_by", ["new", "schema-v1.db", "pre-m013.db"])
def test_the_records_and_the_log_refuse_what_they_refused_with_checks_as_comparisons(
    tmp_path: Path, made_by: str
) -> None:
    path = tmp_path / "file.db"
    if made_by != "new":
        shutil.copyfile(DATA / made_by, path)
    db = open_database(path)
    try:
        tables = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        assert "delivery = 'classroom' OR delivery = 'online'" in tables["training_records"]
        assert "action = 0 OR action = 1 OR action = 2" in tables["audit_entries"]
        assert " IN (" not in tables["audit_entries"]
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert schema_differences(db) == []
        officer_id, course_id = _an_officer_and_a_course(db)
        insert = (
            "INSERT INTO training_records (officer_id, course_id, completed, hours, delivery,"
            " created_at, updated_at, updated_by) VALUES (?, ?, '2026-01-05', 2, ?, 'x', 'x', 'x')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            db.execute(insert, [officer_id, course_id, "Online"])
        db.execute(insert, [officer_id, course_id, "scenario"])
        entry = (
            "INSERT INTO audit_entries (at, username, action, table_name, row_id, hash)"
            " VALUES (1, 1, ?, 1, 1, x'00')"
        )
        for action in (3, -1, 1.5, "update"):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                db.execute(entry, [action])
        db.conn.rollback()
    finally:
        db.close()


def _an_officer_and_a_course(db: Database) -> tuple[int, int]:
    officer = db.execute("SELECT id FROM officers ORDER BY id").fetchone()
    course = db.execute("SELECT id FROM courses ORDER BY id").fetchone()
    if officer is None:
        db.execute(
            "INSERT INTO officers (badge, last_name, first_name, hire_date, created_at,"
            " updated_at, updated_by) VALUES ('1', 'Doe', 'Jo', '2020-01-06', 'x', 'x', 'x')"
        )
        officer = db.execute("SELECT max(id) FROM officers").fetchone()
    if course is None:
        db.execute("INSERT INTO courses (title, created_at) VALUES ('Test', 'x')")
        course = db.execute("SELECT max(id) FROM courses").fetchone()
    return officer[0], course[0]


class _Plugin:
    """What a sqlite-utils plugin from another installed package could do to a connection."""

    @hookimpl
    def prepare_connection(self, conn: sqlite3.Connection) -> None:
        conn.create_function("plugin_was_here", 0, lambda: 1)


def test_no_sqlite_utils_plugin_touches_the_records_connection(tmp_path: Path) -> None:
    plugin = _Plugin()
    pm.register(plugin)
    try:
        assert Database(memory=True).execute("SELECT plugin_was_here()").fetchone() == (1,)
        db = open_database(tmp_path / "records.db")
        try:
            with pytest.raises(sqlite3.OperationalError, match="no such function"):
                db.execute("SELECT plugin_was_here()")
        finally:
            db.close()
    finally:
        pm.unregister(plugin)


def test_missing_database_is_not_created_when_create_is_false(tmp_path: Path) -> None:
    from deesc_desktop.store import DatabaseError

    with pytest.raises(DatabaseError, match="no database"):
        open_database(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


def test_the_topic_codes_mandates_name_are_built_in_and_agency_codes_kept(
    tmp_path: Path,
) -> None:
    """m005_rules_topics: a file made before it gains every built-in topic code; a code the
    agency had defined itself (the Colorado pack's "mmir") becomes built in, keeps its label
    and its records, and the change is in the audit log."""
    from sqlite_utils import Database

    from deesc_desktop.core.topics import TOPICS
    from deesc_desktop.store.migrations import migrations

    path = tmp_path / "before.db"
    old = Database(path)
    migrations.apply(old, stop_before="m005_rules_topics")
    old.execute("INSERT INTO topics (code, label, builtin) VALUES ('mmir', 'MMIR (ours)', 0)")
    old.conn.commit()
    old.close()
    db = open_database(path)
    rows = {code: (label, builtin) for code, label, builtin in db.execute("SELECT * FROM topics")}
    assert set(TOPICS) <= set(rows)
    assert rows["sexual_assault"] == (TOPICS["sexual_assault"], 1)
    assert rows["mmir"] == ("MMIR (ours)", 1)
    (reason,) = db.execute(
        "SELECT reason FROM audit_log WHERE table_name = 'topics' AND row_id = 'mmir'"
    ).fetchone()
    assert reason == "built-in topic code since m005_rules_topics"
    db.close()
