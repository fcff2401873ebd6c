"""Schema step m003_cit_and_claims: CIT certificates, bonus programs, claims and payments."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.store.migrations.common import (
    M003_SETTINGS,
    VERSIONED,
    date_check,
    frozen,
    in_list,
    run,
)

# The core lists the CHECKs name are imported where a step runs: opening a file that is up
# to date never needs them, and the window's start-up would pay for their modules
# (docs/performance.md, issue 18 item 1).

_MONEY = "INTEGER NOT NULL CHECK (typeof({col}) = 'integer' AND {col} {test})"
_JSON_LIST = "TEXT NOT NULL DEFAULT '[]' CHECK (json_valid({col}) AND json_type({col}) = 'array')"


def m003_cit_and_claims(db: Database) -> None:
    """CIT courses and certificates, bonus programs, claims, funding, payments, follow-ups.

    Money is integer cents (typeof checked, so a REAL can never slip in). A claim is never
    deleted and, once paid, never changed: a correction is a row in `claim_adjustments`.
    """
    _cit_certificates(db)
    _bonus_programs(db)
    _claims(db)
    _claim_records_and_adjustments(db)
    _followup_assessments(db)
    db.conn.executemany(
        "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
        list(M003_SETTINGS.items()),
    )


def _cit_certificates(db: Database) -> None:
    """Which courses are CIT courses, and the certificates officers earn."""
    run(
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
                earned TEXT NOT NULL {date_check("earned")},
                expires TEXT {date_check("expires")},
                number TEXT NOT NULL DEFAULT '',
                issuer TEXT NOT NULL DEFAULT '',
                notes TEXT NOT NULL DEFAULT '',
                revoked_at TEXT,
                revoked_by TEXT,
                revoked_reason TEXT NOT NULL DEFAULT '',{VERSIONED},
                CHECK (expires IS NULL OR expires >= earned),
                CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
                CHECK (revoked_at IS NULL OR length(trim(revoked_reason)) > 0)
            )
            """,
            "CREATE INDEX certifications_officer ON certifications (officer_id, kind)",
        ],
    )


def _bonus_programs(db: Database) -> None:
    """Funding sources, the bonus programs they pay for, and payment batches."""
    from deesc_desktop.core.bonus import FUNDING_KINDS

    run(
        db,
        [
            f"""
            CREATE TABLE funding_sources (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                kind TEXT NOT NULL CHECK (kind IN ({in_list(FUNDING_KINDS)})),
                award_number TEXT NOT NULL DEFAULT '',
                amount_cents {_MONEY.format(col="amount_cents", test=">= 0")},
                start TEXT NOT NULL {date_check("start")},
                "end" TEXT NOT NULL {date_check('"end"')},
                notes TEXT NOT NULL DEFAULT '',{VERSIONED},
                CHECK ("end" >= start)
            )
            """,
            f"""
            CREATE TABLE bonus_programs (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
                amount_cents {_MONEY.format(col="amount_cents", test="> 0")},
                one_time INTEGER NOT NULL DEFAULT 1 CHECK (one_time IN (0, 1)),
                topics {_JSON_LIST.format(col="topics")},
                courses {_JSON_LIST.format(col="courses")},
                min_hours REAL NOT NULL CHECK (min_hours > 0),
                passing_score REAL CHECK (passing_score IS NULL OR passing_score BETWEEN 0 AND 100),
                start TEXT NOT NULL {date_check("start")},
                "end" TEXT NOT NULL {date_check('"end"')},
                funding_source_id INTEGER NOT NULL REFERENCES funding_sources (id),
                notes TEXT NOT NULL DEFAULT '',{VERSIONED},
                CHECK ("end" >= start),
                CHECK (json_array_length(topics) + json_array_length(courses) > 0)
            )
            """,
            f"""
            CREATE TABLE payment_batches (
                id INTEGER PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(reference)) > 0),
                pay_date TEXT NOT NULL {date_check("pay_date")},
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid')),
                notes TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                paid_at TEXT,
                paid_by TEXT,{VERSIONED},
                CHECK ((status = 'paid') = (paid_at IS NOT NULL AND paid_by IS NOT NULL))
            )
            """,
        ],
    )


def _claims(db: Database) -> None:
    """Claims, one open or paid per officer in a one-time program, never deleted."""
    from deesc_desktop.core.bonus import CLAIM_STATUSES, OPEN_OR_PAID

    run(
        db,
        [
            f"""
            CREATE TABLE claims (
                id INTEGER PRIMARY KEY,
                program_id INTEGER NOT NULL REFERENCES bonus_programs (id),
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                one_time INTEGER NOT NULL CHECK (one_time IN (0, 1)),
                amount_cents {_MONEY.format(col="amount_cents", test="> 0")},
                funding_source_id INTEGER NOT NULL REFERENCES funding_sources (id),
                status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ({in_list(CLAIM_STATUSES)})),
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
                paid_on TEXT {date_check("paid_on")},
                payment_reference TEXT NOT NULL DEFAULT '',
                batch_id INTEGER REFERENCES payment_batches (id),{VERSIONED},
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
            WHERE one_time = 1 AND status IN ({in_list(OPEN_OR_PAID)})
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
        ],
    )


def _claim_records_and_adjustments(db: Database) -> None:
    """The training behind each claim and the corrections to paid claims, both frozen."""
    run(
        db,
        [
            f"""
            CREATE TABLE claim_records (
                claim_id INTEGER NOT NULL REFERENCES claims (id),
                record_id INTEGER NOT NULL,
                course TEXT NOT NULL,
                completed TEXT NOT NULL {date_check("completed")},
                hours REAL NOT NULL,
                counted_hours REAL NOT NULL,
                post_test REAL,
                PRIMARY KEY (claim_id, record_id)
            ) WITHOUT ROWID
            """,
            *frozen("claim_records", "the training behind a claim is kept as it was claimed"),
            f"""
            CREATE TABLE claim_adjustments (
                id INTEGER PRIMARY KEY,
                claim_id INTEGER NOT NULL REFERENCES claims (id),
                amount_cents {_MONEY.format(col="amount_cents", test="!= 0")},
                adjusted_on TEXT NOT NULL {date_check("adjusted_on")},
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
            *frozen("claim_adjustments", "adjustments are never changed; add another"),
        ],
    )


def _followup_assessments(db: Database) -> None:
    """Follow-up assessments of officers after their training."""
    run(
        db,
        [
            f"""
            CREATE TABLE followup_assessments (
                id INTEGER PRIMARY KEY,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                assessed_on TEXT NOT NULL {date_check("assessed_on")},
                assessor TEXT NOT NULL CHECK (length(trim(assessor)) > 0),
                score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
                notes TEXT NOT NULL DEFAULT '',
                record_id INTEGER REFERENCES training_records (id) ON DELETE SET NULL,{VERSIONED}
            )
            """,
            "CREATE INDEX followup_assessments_officer ON followup_assessments"
            " (officer_id, assessed_on)",
            "CREATE INDEX followup_assessments_record ON followup_assessments (record_id)",
        ],
    )
