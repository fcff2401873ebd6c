"""`deesc` commands for the records themselves: set up, demo, import, export, check, backup."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deesc_desktop.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    MAX_ERRORS_SHOWN,
    AddCommand,
    actor,
    db_path,
    open_db,
    password_for_new_user,
    print_json,
)
from deesc_desktop.services.users import create_first_admin
from deesc_desktop.store.database import open_database


def cmd_init(args: argparse.Namespace) -> int:
    from deesc_desktop.services.agency import init_agency

    db = open_db(args, need_agency=False)
    try:
        who = actor()
        if args.admin:
            who = create_first_admin(db, args.admin, password_for_new_user(), args.admin_name or "")
        agency = init_agency(
            db,
            who,
            {
                "name": args.name,
                "state": args.state,
                "ori": args.ori or "",
                "fiscal_year_start_month": args.fiscal_year_start,
            },
        )
    finally:
        db.close()
    print(f"Created {agency.name} ({agency.state}) in {db_path(args)}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from deesc_desktop.demo import load_demo

    path = db_path(args)
    db = open_database(path)
    try:
        summary = load_demo(db)
    finally:
        db.close()
    print(f"Demo agency loaded into {path}: {summary}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from deesc_desktop.services.imports import import_file

    db = open_db(args)
    try:
        report = import_file(db, actor(), args.kind, Path(args.file), dry_run=args.dry_run)
    finally:
        db.close()
    if not report.ok:
        for error in report.errors[:MAX_ERRORS_SHOWN]:
            print(error, file=sys.stderr)
        if len(report.errors) > MAX_ERRORS_SHOWN:
            hidden = len(report.errors) - MAX_ERRORS_SHOWN
            print(f"... and {hidden} more problems like these.", file=sys.stderr)
        print(
            f"{Path(args.file).name}: {len(report.errors)} problem(s); nothing was imported.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from deesc_desktop.services.export import export_roster, export_training

    out = Path(args.output or f"{args.kind}.csv")
    db = open_db(args)
    try:
        count = (export_roster if args.kind == "roster" else export_training)(db, out)
    finally:
        db.close()
    print(f"Wrote {count} {args.kind} rows to {out}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import check_database

    db = open_db(args, need_agency=False, sign_in=False)
    try:
        report = check_database(db)
    finally:
        db.close()
    if report.ok:
        print(
            f"{db_path(args)}: OK (integrity, foreign keys, {report.audit_entries} audit entries)"
        )
        return EXIT_OK
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return EXIT_REFUSED


def cmd_backup(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import backup_database

    db = open_db(args, need_agency=False)
    try:
        target = backup_database(db, actor(), db_path(args), Path(args.dest) if args.dest else None)
    finally:
        db.close()
    print(f"Backed up to {target}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import restore_database

    db = open_db(args, need_agency=False)
    try:
        safety = restore_database(db, actor(), db_path(args), Path(args.file))
    finally:
        db.close()
    print(f"Restored {args.file}. The previous contents were saved to {safety}")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from deesc_desktop.store.audit import verify_chain

    # Verifying the chain shows no records; the history does, so it needs sign-in.
    db = open_db(args, need_agency=False, sign_in=args.audit_action != "verify")
    try:
        if args.audit_action == "verify":
            report = verify_chain(db)
            if not report.ok:
                print(
                    f"deesc: the audit log fails its check at entry {report.first_bad_id}: "
                    f"{report.problem}. It was edited outside the app; entries before it are "
                    "intact.",
                    file=sys.stderr,
                )
                return EXIT_REFUSED
            print(f"The audit log is intact: {report.entries} entries, each chained to the last.")
            return EXIT_OK
        where, params = [], []
        if args.table:
            where.append("table_name = ?")
            params.append(args.table)
        if args.row:
            where.append("row_id = ?")
            params.append(args.row)
        if args.user_name:
            where.append("username = ?")
            params.append(args.user_name)
        sql = "SELECT id, at, username, action, table_name, row_id, reason, before, after"
        sql += " FROM audit_log" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY id DESC LIMIT ?"
        rows = list(db.query(sql, [*params, args.limit]))
    finally:
        db.close()
    if args.format == "json":
        print_json(list(reversed(rows)))
        return EXIT_OK
    for row in reversed(rows):
        reason = f"  ({row['reason']})" if row["reason"] else ""
        print(
            f"#{row['id']:<6} {row['at']}  {row['username']:<24} {row['action']:<6} "
            f"{row['table_name']} {row['row_id']}{reason}"
        )
    return EXIT_OK


def register(add: AddCommand) -> None:
    """Add this module's commands to the `deesc` parser."""
    init = add("init", cmd_init, "create the agency in a new database")
    init.add_argument(
        "--name", required=True, help="agency name, e.g. 'Millbrook Police Department'"
    )
    init.add_argument("--state", required=True, help="two-letter state code, e.g. IL")
    init.add_argument("--ori", help="the agency's 9-character ORI")
    init.add_argument(
        "--admin",
        metavar="NAME",
        help="create the first administrator (password from $DEESC_NEW_PASSWORD or asked for)",
    )
    init.add_argument("--admin-name", metavar="FULL NAME", help="the administrator's full name")
    init.add_argument(
        "--fiscal-year-start", type=int, default=7, metavar="MONTH", help="1-12 (default 7, July)"
    )

    add(
        "demo",
        cmd_demo,
        "load the demo agency (40 officers, 3 years of training) into the database",
    )

    imp = add("import", cmd_import, "import a roster, training or leave file (CSV or XLSX)")
    imp.add_argument("kind", choices=["roster", "training", "leave"])
    imp.add_argument("file", help="the .csv or .xlsx file; first row holds the column names")
    imp.add_argument(
        "--dry-run", action="store_true", help="check every row and report, write nothing"
    )

    exp = add("export", cmd_export, "export the roster or training records as CSV or XLSX")
    exp.add_argument("kind", choices=["roster", "training"])
    exp.add_argument(
        "-o", "--output", metavar="FILE", help="a .csv or .xlsx file (default KIND.csv)"
    )

    add("check", cmd_check, "check the database: integrity, foreign keys and the audit chain")

    backup = add("backup", cmd_backup, "copy the database safely, e.g. to a USB drive")
    backup.add_argument(
        "dest", nargs="?", help="a folder or file name (default: backups/ beside the database)"
    )

    audit = add("audit", cmd_audit, "verify the audit log's chain, or list who changed what")
    audit.add_argument("audit_action", choices=["verify", "history"])
    audit.add_argument("--table", help="history of one table, e.g. officers, claims")
    audit.add_argument("--row", help="history of one row id (with --table)")
    audit.add_argument("--user-name", metavar="NAME", help="only changes made by NAME")
    audit.add_argument("--limit", type=int, default=200, help="newest N entries (default 200)")
    audit.add_argument("--format", choices=["table", "json"], default="table")

    restore = add("restore", cmd_restore, "replace the database with a verified backup")
    restore.add_argument("file", help="the backup .db file")
