"""Schema steps m005_rules_*: built-in topic codes, recorded waivers, the CIT team."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.core.topics import TOPICS
from deesc_desktop.store.audit import AuditWriter
from deesc_desktop.store.migrations.common import UPGRADE_USER, date_check, run


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


def m005_rules_waivers(db: Database) -> None:
    """Leave reduces required hours only through a recorded waiver (who granted it, its
    reference, the date) or when the agency turns on its own proration policy (off)."""
    run(
        db,
        [
            "ALTER TABLE exemptions ADD COLUMN granted_by TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE exemptions ADD COLUMN reference TEXT NOT NULL DEFAULT ''",
            f"ALTER TABLE exemptions ADD COLUMN granted_on TEXT {date_check('granted_on')}",
            "ALTER TABLE agency ADD COLUMN leave_proration INTEGER NOT NULL DEFAULT 0"
            " CHECK (leave_proration IN (0, 1))",
        ],
    )


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
    run(
        db,
        [
            f"""
            CREATE TABLE cit_team (
                id INTEGER PRIMARY KEY,
                officer_id INTEGER NOT NULL REFERENCES officers (id),
                joined TEXT NOT NULL {date_check("joined")},
                left_on TEXT {date_check("left_on")},
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
