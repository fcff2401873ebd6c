"""Schema steps m007 and m013: every live row in the audit log, and the compact log."""

from __future__ import annotations

from sqlite_utils import Database

from deesc_desktop.store.audit import AuditWriter, convert_log_before_m013, password_digest
from deesc_desktop.store.audit_scan import logged_rows
from deesc_desktop.store.migrations.common import M003_SETTINGS, UPGRADE_USER, run


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


_APPEND_ONLY = "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"


def m013_audit_compact(db: Database) -> None:
    """The audit log in about a sixth of the space, with every entry and hash kept.

    `audit_entries` numbers names (users, tables, reasons, field lists) in `audit_names`,
    stores times as seconds, hashes as 32 bytes, and rows as values against their field
    list, as changes to the row before or to an earlier row of the same change, or as "what
    the log last recorded" (store/audit_format.py). Entries already written are copied
    losslessly and keep the hashes they were written with, so every anchor kept outside the
    file (backup manifests, the anchor file, printed report footers) still matches:
    `audit_legacy` says up to which entry they are checked as before. `audit_log` becomes a
    view that shows every entry's who, when and what, as the table did.
    """
    run(
        db,
        [
            """
            CREATE TABLE audit_names (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE
            )
            """,
            """
            CREATE TABLE audit_entries (
                id INTEGER PRIMARY KEY,
                at NOT NULL,
                username INTEGER NOT NULL,
                action INTEGER NOT NULL CHECK (action IN (0, 1, 2)),
                table_name INTEGER NOT NULL,
                row_id NOT NULL,
                reason INTEGER,
                layout INTEGER,
                before TEXT,
                after TEXT,
                hash NOT NULL
            )
            """,
            "CREATE INDEX audit_entries_row ON audit_entries (table_name, row_id)",
            "CREATE TABLE audit_legacy (last_id INTEGER NOT NULL)",
            *(
                f"CREATE TRIGGER {table}_no_{change} BEFORE {change.upper()} ON {table} "
                + _APPEND_ONLY
                for table in ("audit_entries", "audit_names", "audit_legacy")
                for change in ("update", "delete")
            ),
        ],
    )
    convert_log_before_m013(db)
    run(
        db,
        [
            "DROP TABLE audit_log",
            """
            CREATE VIEW audit_log AS
            SELECT e.id AS id,
                CASE WHEN typeof(e.at) = 'integer'
                    THEN strftime('%Y-%m-%dT%H:%M:%SZ', e.at, 'unixepoch') ELSE e.at END AS at,
                u.name AS username,
                CASE e.action WHEN 0 THEN 'insert' WHEN 1 THEN 'update' ELSE 'delete' END
                    AS action,
                t.name AS table_name,
                CAST(e.row_id AS TEXT) AS row_id,
                coalesce(r.name, '') AS reason,
                CASE WHEN typeof(e.hash) = 'blob' THEN lower(hex(e.hash)) ELSE e.hash END
                    AS hash
            FROM audit_entries e
            LEFT JOIN audit_names u ON u.id = e.username
            LEFT JOIN audit_names t ON t.id = e.table_name
            LEFT JOIN audit_names r ON r.id = e.reason
            """,
            *(
                f"CREATE TRIGGER audit_log_no_{change} INSTEAD OF {change.upper()} ON audit_log "
                + _APPEND_ONLY
                for change in ("update", "delete")
            ),
        ],
    )
