"""Schema steps m001, m002, m004 and m016: the roster, training records, requirements, users."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.core.topics import DELIVERIES, OFFICER_STATUSES, TOPICS, TOPICS_BEFORE_M005
from deesc_desktop.store.migrations.common import APPLICATION_ID, date_check, in_list, run


def m001_initial(db: Database) -> None:
    """Agency, roster, courses, training records with topic hours, exemptions, imports, audit."""
    deliveries = in_list(DELIVERIES)
    statuses = in_list(OFFICER_STATUSES)
    run(
        db,
        [
            f"PRAGMA application_id = {APPLICATION_ID}",
            """
            CREATE TABLE agency (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                state TEXT NOT NULL,
                ori TEXT NOT NULL DEFAULT '',
                fiscal_year_start_month INTEGER NOT NULL DEFAULT 7
                    CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
                warning_days INTEGER NOT NULL DEFAULT 90 CHECK (warning_days >= 0),
                created_at TEXT NOT NULL
            )
            """,
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE topics (
                code TEXT PRIMARY KEY CHECK (code GLOB '[a-z]*' AND code NOT GLOB '*[^a-z0-9_]*'),
                label TEXT NOT NULL,
                builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
            )
            """,
            f"""
            CREATE TABLE officers (
                id INTEGER PRIMARY KEY,
                badge TEXT NOT NULL UNIQUE CHECK (length(trim(badge)) > 0),
                last_name TEXT NOT NULL CHECK (length(trim(last_name)) > 0),
                first_name TEXT NOT NULL CHECK (length(trim(first_name)) > 0),
                rank TEXT NOT NULL DEFAULT '',
                unit TEXT NOT NULL DEFAULT '',
                shift TEXT NOT NULL DEFAULT '',
                hire_date TEXT NOT NULL {date_check("hire_date")},
                license_date TEXT {date_check("license_date")},
                state_id TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ({statuses})),
                separation_date TEXT {date_check("separation_date")},
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK ((status = 'separated') = (separation_date IS NOT NULL))
            )
            """,
            "CREATE INDEX officers_name ON officers (last_name, first_name)",
            f"""
            CREATE TABLE courses (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(title)) > 0),
                course_number TEXT NOT NULL DEFAULT '',
                provider TEXT NOT NULL DEFAULT '',
                default_hours REAL CHECK (default_hours IS NULL OR default_hours >= 0),
                default_topics TEXT NOT NULL DEFAULT '',
                delivery TEXT NOT NULL DEFAULT 'classroom' CHECK (delivery IN ({deliveries})),
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE imports (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('roster', 'training', 'leave')),
                file_name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                rows_in_file INTEGER NOT NULL,
                rows_added INTEGER NOT NULL,
                rows_updated INTEGER NOT NULL,
                rows_unchanged INTEGER NOT NULL,
                imported_at TEXT NOT NULL,
                imported_by TEXT NOT NULL
            )
            """,
            f"""
            CREATE TABLE training_records (
                id INTEGER PRIMARY KEY,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                course_id INTEGER NOT NULL REFERENCES courses (id),
                completed TEXT NOT NULL {date_check("completed")},
                hours REAL NOT NULL CHECK (hours >= 0),
                delivery TEXT NOT NULL DEFAULT 'classroom' CHECK (delivery IN ({deliveries})),
                provider TEXT NOT NULL DEFAULT '',
                instructor TEXT NOT NULL DEFAULT '',
                pre_test REAL CHECK (pre_test IS NULL OR pre_test BETWEEN 0 AND 100),
                post_test REAL CHECK (post_test IS NULL OR post_test BETWEEN 0 AND 100),
                import_id INTEGER REFERENCES imports (id),
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                UNIQUE (officer_id, course_id, completed)
            )
            """,
            "CREATE INDEX training_records_officer ON training_records (officer_id, completed)",
            "CREATE INDEX training_records_completed ON training_records (completed)",
            "CREATE INDEX training_records_course ON training_records (course_id)",
            """
            CREATE TABLE training_topics (
                record_id INTEGER NOT NULL REFERENCES training_records (id) ON DELETE CASCADE,
                topic TEXT NOT NULL REFERENCES topics (code),
                hours REAL NOT NULL CHECK (hours >= 0),
                PRIMARY KEY (record_id, topic)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX training_topics_topic ON training_topics (topic)",
            f"""
            CREATE TABLE exemptions (
                id INTEGER PRIMARY KEY,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                start TEXT NOT NULL {date_check("start")},
                "end" TEXT NOT NULL {date_check('"end"')},
                reason TEXT NOT NULL DEFAULT '',
                requirements TEXT NOT NULL DEFAULT '',
                import_id INTEGER REFERENCES imports (id),
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK ("end" >= start),
                UNIQUE (officer_id, start, "end", requirements)
            )
            """,
            "CREATE INDEX exemptions_officer ON exemptions (officer_id, start)",
            """
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                username TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
                table_name TEXT NOT NULL,
                row_id TEXT NOT NULL,
                before TEXT,
                after TEXT,
                reason TEXT NOT NULL DEFAULT '',
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE
            )
            """,
            "CREATE INDEX audit_log_row ON audit_log (table_name, row_id)",
            # The audit trail is append-only: nothing, not even the app, may rewrite history.
            """
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
            """,
            """
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
            """,
        ],
    )
    db.table("topics").insert_all(
        [{"code": code, "label": TOPICS[code], "builtin": 1} for code in TOPICS_BEFORE_M005]
    )


def m002_requirements(db: Database) -> None:
    """Agency-defined requirements and rule packs loaded from a file, as JSON definitions.

    The state's built-in pack is read from resources/rules at run time; rows here add to it,
    or replace a built-in requirement that has the same id.
    """
    run(
        db,
        [
            """
            CREATE TABLE requirements (
                id TEXT PRIMARY KEY CHECK (length(trim(id)) > 0),
                title TEXT NOT NULL,
                origin TEXT NOT NULL,
                definition TEXT NOT NULL CHECK (json_valid(definition)),
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
        ],
    )


def m004_users(db: Database) -> None:
    """People who sign in, their role, and the lockout after repeated wrong passwords."""
    roles = "'admin', 'training_officer', 'chief', 'finance', 'viewer'"
    run(
        db,
        [
            f"""
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE
                    CHECK (length(trim(username)) > 0 AND username NOT GLOB '*[ ]*'),
                full_name TEXT NOT NULL DEFAULT '',
                role TEXT NOT NULL CHECK (role IN ({roles})),
                password_hash TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                last_sign_in TEXT,
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            # Users are disabled, never deleted: their name stays on every audit entry.
            """
            CREATE TRIGGER users_no_delete BEFORE DELETE ON users
            BEGIN SELECT RAISE(ABORT, 'users are disabled, never deleted'); END
            """,
        ],
    )


def m016_one_officer_index(db: Database) -> None:
    """Drop the records' index on (officer_id, completed): their unique (officer_id,
    course_id, completed) already leads with the officer, so every lookup of an officer's
    records searches that one instead, and the file keeps one index fewer per record (a
    twentieth of a large file; no query scans the table in its place)."""
    db.execute("DROP INDEX IF EXISTS training_records_officer")
