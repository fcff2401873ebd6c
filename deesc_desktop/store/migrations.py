"""The schema as numbered sqlite-utils migrations; each runs in one transaction with its record."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from deesc_desktop.core.bonus import CLAIM_STATUSES, FUNDING_KINDS, OPEN_OR_PAID
from deesc_desktop.core.course_files import DOCUMENT_KINDS
from deesc_desktop.core.incidents import (
    DEMOGRAPHICS,
    FORCE_TYPES,
    INCIDENT_STATUSES,
    INCIDENT_TYPES,
)
from deesc_desktop.core.topics import DELIVERIES, OFFICER_STATUSES, TOPICS, TOPICS_BEFORE_M005
from deesc_desktop.store.audit import AuditWriter, logged_rows, password_digest

APPLICATION_ID = 0x44455343
"""PRAGMA application_id of every deesc database ("DESC"): how a file is recognised as ours."""

migrations = Migrations("deesc")


def _run(db: Database, statements: Iterable[str]) -> None:
    # db.executescript() would COMMIT the migration's transaction half-way; run one by one.
    for statement in statements:
        db.execute(statement)


def _in_list(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


_DATE = "CHECK ({col} IS NULL OR ({col} = date({col}) AND length({col}) = 10))"


def _date_check(column: str) -> str:
    return _DATE.format(col=column)


@migrations()
def m001_initial(db: Database) -> None:
    """Agency, roster, courses, training records with topic hours, exemptions, imports, audit."""
    deliveries = _in_list(DELIVERIES)
    statuses = _in_list(OFFICER_STATUSES)
    _run(
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
                hire_date TEXT NOT NULL {_date_check("hire_date")},
                license_date TEXT {_date_check("license_date")},
                state_id TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ({statuses})),
                separation_date TEXT {_date_check("separation_date")},
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
                completed TEXT NOT NULL {_date_check("completed")},
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
                start TEXT NOT NULL {_date_check("start")},
                "end" TEXT NOT NULL {_date_check('"end"')},
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


@migrations()
def m002_requirements(db: Database) -> None:
    """Agency-defined requirements and rule packs loaded from a file, as JSON definitions.

    The state's built-in pack is read from resources/rules at run time; rows here add to it,
    or replace a built-in requirement that has the same id.
    """
    _run(
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


def _frozen(table: str, message: str) -> list[str]:
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


@migrations()
def m003_cit_and_claims(db: Database) -> None:
    """CIT courses and certificates, bonus programs, claims, funding, payments, follow-ups.

    Money is integer cents (typeof checked, so a REAL can never slip in). A claim is never
    deleted and, once paid, never changed: a correction is a row in `claim_adjustments`.
    """
    claim_statuses = _in_list(CLAIM_STATUSES)
    open_or_paid = _in_list(OPEN_OR_PAID)
    money = "INTEGER NOT NULL CHECK (typeof({col}) = 'integer' AND {col} {test})"
    versioned = """
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL"""
    json_list = (
        "TEXT NOT NULL DEFAULT '[]' CHECK (json_valid({col}) AND json_type({col}) = 'array')"
    )
    _run(
        db,
        [
            """
            ALTER TABLE courses ADD COLUMN cit_role TEXT
                CHECK (cit_role IS NULL OR cit_role IN ('certifying', 'refresher'))
            """,
            f"""
            CREATE TABLE certifications (
                id INTEGER PRIMARY KEY,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                kind TEXT NOT NULL DEFAULT 'cit'
                    CHECK (kind GLOB '[a-z]*' AND kind NOT GLOB '*[^a-z0-9_]*'),
                earned TEXT NOT NULL {_date_check("earned")},
                expires TEXT {_date_check("expires")},
                number TEXT NOT NULL DEFAULT '',
                issuer TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                revoked_at TEXT,
                revoked_by TEXT,
                revoked_reason TEXT NOT NULL DEFAULT '',{versioned},
                CHECK (expires IS NULL OR expires >= earned),
                CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
                CHECK (revoked_at IS NULL OR length(trim(revoked_reason)) > 0)
            )
            """,
            "CREATE INDEX certifications_officer ON certifications (officer_id, kind)",
            f"""
            CREATE TABLE funding_sources (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                kind TEXT NOT NULL CHECK (kind IN ({_in_list(FUNDING_KINDS)})),
                award_number TEXT NOT NULL DEFAULT '',
                amount_cents {money.format(col="amount_cents", test=">= 0")},
                start TEXT NOT NULL {_date_check("start")},
                "end" TEXT NOT NULL {_date_check('"end"')},
                notes TEXT NOT NULL DEFAULT '',{versioned},
                CHECK ("end" >= start)
            )
            """,
            f"""
            CREATE TABLE bonus_programs (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                amount_cents {money.format(col="amount_cents", test="> 0")},
                one_time INTEGER NOT NULL DEFAULT 1 CHECK (one_time IN (0, 1)),
                topics {json_list.format(col="topics")},
                courses {json_list.format(col="courses")},
                min_hours REAL NOT NULL CHECK (min_hours > 0),
                passing_score REAL CHECK (passing_score IS NULL OR passing_score BETWEEN 0 AND 100),
                start TEXT NOT NULL {_date_check("start")},
                "end" TEXT NOT NULL {_date_check('"end"')},
                funding_source_id INTEGER NOT NULL REFERENCES funding_sources (id),
                notes TEXT NOT NULL DEFAULT '',{versioned},
                CHECK ("end" >= start),
                CHECK (json_array_length(topics) + json_array_length(courses) > 0)
            )
            """,
            f"""
            CREATE TABLE payment_batches (
                id INTEGER PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(reference)) > 0),
                pay_date TEXT NOT NULL {_date_check("pay_date")},
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid')),
                notes TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                paid_at TEXT,
                paid_by TEXT,{versioned},
                CHECK ((status = 'paid') = (paid_at IS NOT NULL AND paid_by IS NOT NULL))
            )
            """,
            f"""
            CREATE TABLE claims (
                id INTEGER PRIMARY KEY,
                program_id INTEGER NOT NULL REFERENCES bonus_programs (id),
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                one_time INTEGER NOT NULL CHECK (one_time IN (0, 1)),
                amount_cents {money.format(col="amount_cents", test="> 0")},
                funding_source_id INTEGER NOT NULL REFERENCES funding_sources (id),
                status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ({claim_statuses})),
                qualifying_hours REAL NOT NULL CHECK (qualifying_hours >= 0),
                eligibility TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                submitted_at TEXT,
                submitted_by TEXT,
                approved_at TEXT,
                approved_by TEXT,
                denied_at TEXT,
                denied_by TEXT,
                denied_reason TEXT NOT NULL DEFAULT '',
                voided_at TEXT,
                voided_by TEXT,
                void_reason TEXT NOT NULL DEFAULT '',
                paid_at TEXT,
                paid_by TEXT,
                paid_on TEXT {_date_check("paid_on")},
                payment_reference TEXT NOT NULL DEFAULT '',
                batch_id INTEGER REFERENCES payment_batches (id),{versioned},
                CHECK ((submitted_at IS NULL) = (submitted_by IS NULL)),
                CHECK ((approved_at IS NULL) = (approved_by IS NULL)),
                CHECK ((denied_at IS NULL) = (denied_by IS NULL)),
                CHECK ((voided_at IS NULL) = (voided_by IS NULL)),
                CHECK ((paid_at IS NULL) = (paid_by IS NULL)),
                CHECK (status NOT IN ('submitted', 'approved', 'paid', 'denied')
                       OR submitted_at IS NOT NULL),
                CHECK (status NOT IN ('approved', 'paid') OR approved_at IS NOT NULL),
                CHECK ((status = 'paid') = (paid_on IS NOT NULL AND paid_at IS NOT NULL)),
                CHECK (status != 'paid' OR length(trim(payment_reference)) > 0),
                CHECK ((status = 'denied') = (denied_at IS NOT NULL)),
                CHECK (status != 'denied' OR length(trim(denied_reason)) > 0),
                CHECK ((status = 'voided') = (voided_at IS NOT NULL)),
                CHECK (status != 'voided' OR length(trim(void_reason)) > 0),
                -- Separation of duties: whoever submitted a claim may not decide it.
                CHECK (approved_by IS NULL OR approved_by != submitted_by),
                CHECK (denied_by IS NULL OR denied_by != submitted_by),
                CHECK (batch_id IS NULL OR status IN ('approved', 'paid'))
            )
            """,
            # One open or paid claim per officer in a one-time program; denied or voided
            # claims do not count, so a corrected claim can follow them.
            f"""
            CREATE UNIQUE INDEX claims_one_time ON claims (program_id, officer_id)
            WHERE one_time = 1 AND status IN ({open_or_paid})
            """,
            "CREATE INDEX claims_officer ON claims (officer_id)",
            "CREATE INDEX claims_funding ON claims (funding_source_id, status)",
            "CREATE INDEX claims_batch ON claims (batch_id)",
            """
            CREATE TRIGGER claims_paid_is_final BEFORE UPDATE ON claims WHEN OLD.status = 'paid'
            BEGIN
                SELECT RAISE(ABORT, 'a paid claim is never changed; record an adjustment');
            END
            """,
            """
            CREATE TRIGGER claims_amount_is_frozen BEFORE UPDATE OF amount_cents ON claims
            WHEN NEW.amount_cents != OLD.amount_cents
            BEGIN SELECT RAISE(ABORT, 'a claim keeps the amount it was made for'); END
            """,
            """
            CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims
            BEGIN SELECT RAISE(ABORT, 'claims are never deleted; void them instead'); END
            """,
            f"""
            CREATE TABLE claim_records (
                claim_id INTEGER NOT NULL REFERENCES claims (id),
                record_id INTEGER NOT NULL,
                course TEXT NOT NULL,
                completed TEXT NOT NULL {_date_check("completed")},
                hours REAL NOT NULL,
                counted_hours REAL NOT NULL,
                post_test REAL,
                PRIMARY KEY (claim_id, record_id)
            ) WITHOUT ROWID
            """,
            *_frozen("claim_records", "the training behind a claim is kept as it was claimed"),
            f"""
            CREATE TABLE claim_adjustments (
                id INTEGER PRIMARY KEY,
                claim_id INTEGER NOT NULL REFERENCES claims (id),
                amount_cents {money.format(col="amount_cents", test="!= 0")},
                adjusted_on TEXT NOT NULL {_date_check("adjusted_on")},
                reference TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX claim_adjustments_claim ON claim_adjustments (claim_id)",
            """
            CREATE TRIGGER claim_adjustments_paid_only BEFORE INSERT ON claim_adjustments
            WHEN (SELECT status FROM claims WHERE id = NEW.claim_id) IS NOT 'paid'
            BEGIN SELECT RAISE(ABORT, 'only a paid claim is adjusted'); END
            """,
            *_frozen("claim_adjustments", "adjustments are never changed; add another"),
            f"""
            CREATE TABLE followup_assessments (
                id INTEGER PRIMARY KEY,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                assessed_on TEXT NOT NULL {_date_check("assessed_on")},
                assessor TEXT NOT NULL CHECK (length(trim(assessor)) > 0),
                score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
                notes TEXT NOT NULL DEFAULT '',
                record_id INTEGER REFERENCES training_records (id) ON DELETE SET NULL,{versioned}
            )
            """,
            "CREATE INDEX followup_assessments_officer ON followup_assessments"
            " (officer_id, assessed_on)",
            "CREATE INDEX followup_assessments_record ON followup_assessments (record_id)",
        ],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
        list(M003_SETTINGS.items()),
    )


@migrations()
def m004_users(db: Database) -> None:
    """People who sign in, their role, and the lockout after repeated wrong passwords."""
    roles = "'admin', 'training_officer', 'chief', 'finance', 'viewer'"
    _run(
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


UPGRADE_USER = "deesc (upgrade)"
"""The name on audit entries a schema step writes for rows the app made without one."""


@migrations()
def m005_rules_topics(db: Database) -> None:
    """The topic codes state mandates name, built in (docs/rule-packs.md lists them).

    A code the agency (or a pack file it loaded) already defined becomes built in and keeps
    its label and every record tagged with it; that change is audited like any other.
    """
    existing = {
        code: (label, builtin)
        for code, label, builtin in db.execute("SELECT code, label, builtin FROM topics")
    }
    audit: AuditWriter | None = None
    for code, label in TOPICS.items():
        if code not in existing:
            db.execute("INSERT INTO topics (code, label, builtin) VALUES (?, ?, 1)", [code, label])
            continue
        old_label, builtin = existing[code]
        if builtin:
            continue
        db.execute("UPDATE topics SET builtin = 1 WHERE code = ?", [code])
        audit = audit or AuditWriter(db, UPGRADE_USER)
        audit.record(
            "update",
            "topics",
            code,
            before={"code": code, "label": old_label, "builtin": 0},
            after={"code": code, "label": old_label, "builtin": 1},
            reason="built-in topic code since m005_rules_topics",
        )


@migrations()
def m005_rules_waivers(db: Database) -> None:
    """Leave reduces required hours only through a recorded waiver (who granted it, its
    reference, the date) or when the agency turns on its own proration policy (off)."""
    _run(
        db,
        [
            "ALTER TABLE exemptions ADD COLUMN granted_by TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE exemptions ADD COLUMN reference TEXT NOT NULL DEFAULT ''",
            f"ALTER TABLE exemptions ADD COLUMN granted_on TEXT {_date_check('granted_on')}",
            "ALTER TABLE agency ADD COLUMN leave_proration INTEGER NOT NULL DEFAULT 0"
            " CHECK (leave_proration IN (0, 1))",
        ],
    )


@migrations()
def m005_rules_cit(db: Database) -> None:
    """CIT certificates do not expire unless the agency says so, and the CIT team.

    No state rule sets a validity (Illinois certificates do not expire): the 3-year validity
    m003 stored as a default is removed, unless the agency chose one itself (an audited
    change). CIT-trained (took the course) is not CIT team member (selected): `cit_team`
    records who was selected, from when to when; coverage counts team members.
    """
    chosen = db.execute(
        "SELECT 1 FROM audit_log WHERE table_name = 'settings' AND row_id = 'cit.validity_years'"
    ).fetchone()
    if chosen is None:
        db.execute("DELETE FROM settings WHERE key = 'cit.validity_years'")
    _run(
        db,
        [
            f"""
            CREATE TABLE cit_team (
                id INTEGER PRIMARY KEY,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                joined TEXT NOT NULL {_date_check("joined")},
                left_on TEXT {_date_check("left_on")},
                notes TEXT NOT NULL DEFAULT '',
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK (left_on IS NULL OR left_on >= joined)
            )
            """,
            "CREATE INDEX cit_team_officer ON cit_team (officer_id, joined)",
        ],
    )


@migrations()
def m007_trust_seal(db: Database) -> None:
    """Log the rows earlier steps and versions left out of the audit log, so every live row
    can be checked against the state the log last recorded for it.

    The built-in topics and default settings were written without entries; requirements were
    logged under their row number with no content; an import's row counts were filled in
    unlogged; users were logged without anything that shows a swapped password hash. Each is
    recorded as it stands now: a row changed outside the app before this upgrade is taken as
    it is, except a default setting, which is logged only while it holds the app's value.
    """
    audit = AuditWriter(db, UPGRADE_USER)
    logged = {
        (table, row_id)
        for table, row_id in db.execute("SELECT DISTINCT table_name, row_id FROM audit_log")
    }
    reason = "logged by the upgrade that checks rows against the log"
    for code, label, builtin in db.execute("SELECT code, label, builtin FROM topics ORDER BY code"):
        if builtin and ("topics", code) not in logged:
            after = {"code": code, "label": label, "builtin": builtin}
            audit.record("insert", "topics", code, after=after, reason=reason)
    for key, value in db.execute("SELECT key, value FROM settings ORDER BY key").fetchall():
        if M003_SETTINGS.get(key) == value and ("settings", key) not in logged:
            audit.record(
                "insert", "settings", key, after={"key": key, "value": value}, reason=reason
            )
    misfiled = dict(
        db.execute(
            "SELECT row_id, id FROM audit_log WHERE table_name = 'requirements'"
            " AND action = 'insert' AND after IS NULL"
        ).fetchall()
    )
    cursor = db.execute("SELECT rowid, * FROM requirements ORDER BY rowid")
    names = [column[0] for column in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        rowid = str(row.pop("rowid"))
        if rowid in misfiled and ("requirements", row["id"]) not in logged:
            audit.record("insert", "requirements", row["id"], after=row, reason=reason)
    for rowid, entry in misfiled.items():
        audit.record(
            "delete",
            "requirements",
            rowid,
            reason=f"entry {entry} named this requirement by its row number; logged by its id",
        )
    counts = ("rows_added", "rows_updated", "rows_unchanged")
    imports = logged_rows(db, ["imports"]).get("imports", {})
    cursor = db.execute(f"SELECT id, {', '.join(counts)} FROM imports ORDER BY id")
    for import_id, *values in cursor.fetchall():
        recorded = imports.get(str(import_id))
        finished = dict(zip(counts, values, strict=True))
        if recorded is not None and any(recorded.get(k) != v for k, v in finished.items()):
            # Earlier versions logged an import's counts as 0 and filled them in unlogged.
            audit.record("update", "imports", import_id, after=finished, reason=reason)
    for user_id, password_hash in db.execute(
        "SELECT id, password_hash FROM users ORDER BY id"
    ).fetchall():
        digest = password_digest(password_hash)
        audit.record("update", "users", user_id, after={"password_hash": digest}, reason=reason)


@migrations()
def m008_money_controls(db: Database) -> None:
    """Separation of duties on bonus money, enforced by the file as well as the services.

    - A positive adjustment waits (`pending`) until someone other than the person who entered
      it approves it (`counted`) or rejects it; a negative one (money recovered) counts at once.
      Adjustments made before this step keep counting, as they did.
    - An award's amount and period change only through an `award_changes` row that someone
      other than its requester approved, in the same moment.
    - Whoever drafted a claim may not decide it; whoever approved it may not record its payment.
    - A pay date may not be before approval, before the program's start, outside the funding
      source's period or in the future. The file cannot know the agency's time zone, so its
      checks allow the widest zone offsets (UTC-12 to UTC+14); the services check exactly.
    - The last active administrator keeps that role.
    """
    decided = """
                decided_at TEXT,
                decided_by TEXT,
                decision_reason TEXT NOT NULL DEFAULT ''"""
    unchanged_adjustment = " AND ".join(
        f"NEW.{column} IS OLD.{column}"
        for column in (
            "id",
            "claim_id",
            "amount_cents",
            "adjusted_on",
            "reference",
            "reason",
            "created_at",
            "created_by",
        )
    )
    pay_date_rule = (
        "a pay date may not be before approval, before the program starts, outside the "
        "funding period or in the future"
    )
    adjustment_decision = (
        "OLD.status = 'pending' AND NEW.status IN ('counted', 'rejected')"
        " AND NEW.decided_at IS NOT NULL AND NEW.decided_by IS NOT NULL"
        f" AND {unchanged_adjustment}"
    )
    _run(
        db,
        [
            """
            ALTER TABLE claim_adjustments ADD COLUMN status TEXT NOT NULL DEFAULT 'counted'
                CHECK (status IN ('pending', 'counted', 'rejected'))
            """,
            "ALTER TABLE claim_adjustments ADD COLUMN decided_at TEXT",
            "ALTER TABLE claim_adjustments ADD COLUMN decided_by TEXT",
            "ALTER TABLE claim_adjustments ADD COLUMN decision_reason TEXT NOT NULL DEFAULT ''",
            """
            CREATE TRIGGER claim_adjustments_positive_waits BEFORE INSERT ON claim_adjustments
            WHEN (NEW.amount_cents > 0 AND NEW.status != 'pending')
                OR (NEW.amount_cents < 0 AND NEW.status != 'counted')
                OR NEW.decided_at IS NOT NULL OR NEW.decided_by IS NOT NULL
            BEGIN
                SELECT RAISE(ABORT, 'a positive adjustment counts only once a chief approves it');
            END
            """,
            "DROP TRIGGER claim_adjustments_no_update",
            f"""
            CREATE TRIGGER claim_adjustments_no_update BEFORE UPDATE ON claim_adjustments
            WHEN NOT ({adjustment_decision})
            BEGIN SELECT RAISE(ABORT, 'adjustments are never changed; add another'); END
            """,
            f"""
            CREATE TRIGGER claim_adjustments_two_people BEFORE UPDATE ON claim_adjustments
            WHEN {adjustment_decision} AND NEW.decided_by = OLD.created_by
            BEGIN
                SELECT RAISE(ABORT, 'whoever entered an adjustment may not approve or reject it');
            END
            """,
            f"""
            CREATE TABLE award_changes (
                id INTEGER PRIMARY KEY,
                funding_source_id INTEGER NOT NULL REFERENCES funding_sources (id),
                amount_cents INTEGER NOT NULL
                    CHECK (typeof(amount_cents) = 'integer' AND amount_cents >= 0),
                start TEXT NOT NULL {_date_check("start")},
                "end" TEXT NOT NULL {_date_check('"end"')},
                previous_amount_cents INTEGER NOT NULL,
                previous_start TEXT NOT NULL,
                previous_end TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
                status TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected')),
                requested_at TEXT NOT NULL,
                requested_by TEXT NOT NULL,{decided},
                CHECK ("end" >= start),
                CHECK ((status = 'pending') = (decided_at IS NULL)),
                CHECK ((decided_at IS NULL) = (decided_by IS NULL)),
                CHECK (decided_by IS NULL OR decided_by != requested_by),
                CHECK (status != 'rejected' OR length(trim(decision_reason)) > 0)
            )
            """,
            "CREATE INDEX award_changes_source ON award_changes (funding_source_id, status)",
            """
            CREATE TRIGGER award_changes_decided_once BEFORE UPDATE ON award_changes
            WHEN OLD.status != 'pending' OR NEW.funding_source_id IS NOT OLD.funding_source_id
                OR NEW.amount_cents IS NOT OLD.amount_cents OR NEW.start IS NOT OLD.start
                OR NEW."end" IS NOT OLD."end" OR NEW.reason IS NOT OLD.reason
                OR NEW.requested_at IS NOT OLD.requested_at
                OR NEW.requested_by IS NOT OLD.requested_by
            BEGIN SELECT RAISE(ABORT, 'an award change is decided once and never edited'); END
            """,
            """
            CREATE TRIGGER award_changes_no_delete BEFORE DELETE ON award_changes
            BEGIN SELECT RAISE(ABORT, 'award changes are never deleted'); END
            """,
            """
            CREATE TRIGGER funding_sources_award_approved BEFORE UPDATE ON funding_sources
            WHEN (NEW.amount_cents IS NOT OLD.amount_cents OR NEW.start IS NOT OLD.start
                  OR NEW."end" IS NOT OLD."end")
                AND NOT EXISTS (
                    SELECT 1 FROM award_changes a WHERE a.funding_source_id = NEW.id
                    AND a.status = 'approved' AND a.decided_at = NEW.updated_at
                    AND a.amount_cents = NEW.amount_cents AND a.start = NEW.start
                    AND a."end" = NEW."end")
            BEGIN
                SELECT RAISE(ABORT, 'an award changes only when a chief approves the change');
            END
            """,
            """
            CREATE TRIGGER claims_drafter_does_not_decide BEFORE UPDATE ON claims
            WHEN NEW.approved_by IS NOT OLD.approved_by AND NEW.approved_by = NEW.created_by
                OR NEW.denied_by IS NOT OLD.denied_by AND NEW.denied_by = NEW.created_by
            BEGIN SELECT RAISE(ABORT, 'whoever drafted a claim may not approve or deny it'); END
            """,
            """
            CREATE TRIGGER claims_approver_does_not_pay BEFORE UPDATE ON claims
            WHEN NEW.paid_by IS NOT OLD.paid_by AND NEW.paid_by = NEW.approved_by
            BEGIN SELECT RAISE(ABORT, 'whoever approved a claim may not record its payment'); END
            """,
            f"""
            CREATE TRIGGER claims_pay_date BEFORE UPDATE ON claims
            WHEN NEW.status = 'paid' AND OLD.status != 'paid' AND (
                NEW.paid_on < date(NEW.approved_at, '-12 hours')
                OR NEW.paid_on > date('now', '+14 hours')
                OR NEW.paid_on < (SELECT start FROM bonus_programs WHERE id = NEW.program_id)
                OR NEW.paid_on < (SELECT start FROM funding_sources
                                  WHERE id = NEW.funding_source_id)
                OR NEW.paid_on > (SELECT "end" FROM funding_sources
                                  WHERE id = NEW.funding_source_id))
            BEGIN
                SELECT RAISE(ABORT, '{pay_date_rule}');
            END
            """,
            """
            CREATE TRIGGER users_keep_an_administrator AFTER UPDATE OF role, active ON users
            WHEN OLD.role = 'admin' AND OLD.active = 1
                AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND active = 1)
            BEGIN
                SELECT RAISE(ABORT, 'the last active administrator stays an active administrator');
            END
            """,
        ],
    )


@migrations()
def m009_files_course_files(db: Database) -> None:
    """Class files: instructors and their certifications, classes, attached documents.

    A class is one course on one date. Its attendees are the training records of that course
    on that date, so the records of older versions need no change: a class row is made when
    a class is scheduled, or when something (a document, an instructor) is first kept for
    one. Documents are stored once per content (keyed by their SHA-256) and attached by
    reference; the audit log records each attachment's digest, name, size and type.
    """
    versioned = """
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL"""
    _run(
        db,
        [
            f"""
            CREATE TABLE instructors (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                affiliation TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),{versioned}
            )
            """,
            f"""
            CREATE TABLE instructor_certifications (
                id INTEGER PRIMARY KEY,
                instructor_id INTEGER NOT NULL REFERENCES instructors (id),
                name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                number TEXT NOT NULL DEFAULT '',
                issuer TEXT NOT NULL DEFAULT '',
                earned TEXT NOT NULL {_date_check("earned")},
                expires TEXT {_date_check("expires")},{versioned},
                CHECK (expires IS NULL OR expires >= earned)
            )
            """,
            "CREATE INDEX instructor_certifications_instructor"
            " ON instructor_certifications (instructor_id)",
            f"""
            CREATE TABLE classes (
                id INTEGER PRIMARY KEY,
                course_id INTEGER NOT NULL REFERENCES courses (id),
                held_on TEXT NOT NULL {_date_check("held_on")},
                hours REAL NOT NULL CHECK (hours > 0),
                topics TEXT NOT NULL,
                delivery TEXT NOT NULL DEFAULT 'classroom'
                    CHECK (delivery IN ({_in_list(DELIVERIES)})),
                provider TEXT NOT NULL DEFAULT '',
                instructor_id INTEGER REFERENCES instructors (id),
                instructor TEXT NOT NULL DEFAULT '',
                location TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',{versioned},
                UNIQUE (course_id, held_on)
            )
            """,
            "CREATE INDEX classes_held_on ON classes (held_on)",
            """
            CREATE TABLE class_roster (
                class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                PRIMARY KEY (class_id, officer_id)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE documents (
                sha256 TEXT PRIMARY KEY
                    CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
                media_type TEXT NOT NULL,
                size INTEGER NOT NULL CHECK (size > 0),
                content BLOB NOT NULL CHECK (typeof(content) = 'blob' AND length(content) = size),
                stored_at TEXT NOT NULL
            )
            """,
            f"""
            CREATE TABLE attachments (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL REFERENCES documents (sha256),
                file_name TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
                media_type TEXT NOT NULL,
                size INTEGER NOT NULL CHECK (size > 0),
                kind TEXT NOT NULL CHECK (kind IN ({_in_list(DOCUMENT_KINDS)})),
                class_id INTEGER REFERENCES classes (id),
                record_id INTEGER REFERENCES training_records (id),
                instructor_id INTEGER REFERENCES instructors (id),
                description TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                -- Each attachment belongs to exactly one class, training record or instructor.
                CHECK ((class_id IS NOT NULL) + (record_id IS NOT NULL)
                       + (instructor_id IS NOT NULL) = 1)
            )
            """,
            "CREATE INDEX attachments_class ON attachments (class_id)",
            "CREATE INDEX attachments_record ON attachments (record_id)",
            "CREATE INDEX attachments_instructor ON attachments (instructor_id)",
            "CREATE INDEX attachments_document ON attachments (sha256)",
            # A document's bytes are its identity: they are never rewritten in place.
            """
            CREATE TRIGGER documents_content_is_final BEFORE UPDATE ON documents
            BEGIN SELECT RAISE(ABORT, 'a stored document is never changed; attach a new one');
            END
            """,
        ],
    )


@migrations()
def m009_files_incidents(db: Database) -> None:
    """The de-escalation and use-of-force incident log LEDTA reporting counts.

    No names and nothing that identifies the subject: the agency's report number links an
    entry to its own records, and the officers involved are linked by id for the agency's
    review. Whether they had been trained is worked out from the training records, never
    stored. A training officer enters; someone else (the chief) reviews.
    """
    demographics = ",\n                ".join(
        f"{column} TEXT NOT NULL DEFAULT 'unknown' CHECK ({column} IN ({_in_list(codes)}))"
        for column, (_label, codes) in DEMOGRAPHICS.items()
    )
    count = "INTEGER NOT NULL DEFAULT 0 CHECK (typeof({col}) = 'integer' AND {col} >= 0)"
    _run(
        db,
        [
            f"""
            CREATE TABLE incidents (
                id INTEGER PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE COLLATE NOCASE
                    CHECK (length(trim(reference)) > 0),
                occurred_on TEXT NOT NULL {_date_check("occurred_on")},
                incident_type TEXT NOT NULL CHECK (incident_type IN ({_in_list(INCIDENT_TYPES)})),
                deescalation_used INTEGER NOT NULL CHECK (deescalation_used IN (0, 1)),
                tactics TEXT NOT NULL DEFAULT '[]'
                    CHECK (json_valid(tactics) AND json_type(tactics) = 'array'),
                force_type TEXT NOT NULL DEFAULT 'none'
                    CHECK (force_type IN ({_in_list(FORCE_TYPES)})),
                officers_injured {count.format(col="officers_injured")},
                public_injured {count.format(col="public_injured")},
                {demographics},
                status TEXT NOT NULL DEFAULT 'entered'
                    CHECK (status IN ({_in_list(INCIDENT_STATUSES)})),
                reviewed_at TEXT,
                reviewed_by TEXT,
                review_notes TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                CHECK (deescalation_used = 1 OR json_array_length(tactics) = 0),
                CHECK ((status = 'reviewed')
                       = (reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL)),
                -- Whoever entered an incident may not review it.
                CHECK (reviewed_by IS NULL OR reviewed_by != created_by)
            )
            """,
            "CREATE INDEX incidents_occurred_on ON incidents (occurred_on)",
            """
            CREATE TABLE incident_officers (
                incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                PRIMARY KEY (incident_id, officer_id)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX incident_officers_officer ON incident_officers (officer_id)",
        ],
    )


def known_names() -> list[str]:
    """Names of every migration this version of the app knows, in order."""
    # pending() against an empty in-memory database lists every step, without private API.
    return [migration.name for migration in migrations.pending(Database(memory=True))]
