"""Schema step m008_money_controls: separation of duties on bonus money."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.store.migrations.common import date_check, run


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
    run(
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
                start TEXT NOT NULL {date_check("start")},
                "end" TEXT NOT NULL {date_check('"end"')},
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
