"""`deesc` commands for the records themselves: set up, demo, import, export, check, backup."""

from __future__ import annotations

import argparse
import contextlib
import sys
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from deesc_desktop.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    MAX_ERRORS_SHOWN,
    AddCommand,
    Refused,
    add_force,
    count_arg,
    db_path,
    open_db,
    output_path,
    password_for_new_user,
    print_json,
    sign_in_for,
    signed_in,
)
from deesc_desktop.services.users import create_first_admin, unattended_actor
from deesc_desktop.store.audit_history import latest_entries
from deesc_desktop.store.database import remove_database_files, writing

if TYPE_CHECKING:
    from deesc_desktop.services.maintenance import Anchor


def cmd_init(args: argparse.Namespace) -> int:
    from deesc_desktop.services.agency import init_agency

    path = db_path(args)
    new = not path.exists()
    password = password_for_new_user() if args.admin else ""
    # A new file is built under a temporary name and renamed once complete, so a refusal
    # leaves no file behind; the administrator and the agency are one transaction.
    build = path.with_name(f".{path.name}.creating") if new else path
    made_folder = new and not path.parent.exists()
    if new:
        remove_database_files(build)
    db = open_db(args, need_agency=False, create=new, path=build)
    try:
        # Signed in before the transaction, so a wrong password is counted even when refused.
        signed = sign_in_for(args, db) if not new else None
        with writing(db):
            who = signed or unattended_actor(db)
            assert who is not None  # a new file has no users
            if args.admin:
                who = create_first_admin(db, args.admin, password, args.admin_name or "")
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
    except BaseException:
        db.close()
        if new:
            remove_database_files(build)
            if made_folder:
                with contextlib.suppress(OSError):
                    path.parent.rmdir()
        raise
    db.close()
    if new:
        build.replace(path)
    print(f"Created {agency.name} ({agency.state}) in {path}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from deesc_desktop.demo import load_demo

    path = db_path(args)
    with closing(open_db(args, need_agency=False, create=True)) as db:
        summary = load_demo(db)
    print(f"Demo agency loaded into {path}: {summary}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from deesc_desktop.services.imports import import_file

    with signed_in(args) as (db, user):
        report = import_file(db, user, args.kind, Path(args.file), dry_run=args.dry_run)
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

    out = output_path(args, args.output or f"{args.kind}.csv", kind="export")
    with signed_in(args) as (db, _):
        count = (export_roster if args.kind == "roster" else export_training)(db, out)
    print(f"Wrote {count} {args.kind} rows to {out}")
    return EXIT_OK


def _anchors(args: argparse.Namespace) -> list[Anchor]:
    from deesc_desktop.services.maintenance import parse_anchor

    return [anchor for text in args.anchor or () for anchor in parse_anchor(text)]


def cmd_check(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import check_database

    anchors = _anchors(args)
    with closing(open_db(args, need_agency=False)) as db:
        report = check_database(db, db_path(args), anchors)
    if report.ok:
        summary = (
            ""
            if report.summary_day is None
            else f"the compliance summary kept for {report.summary_day.isoformat()}, "
        )
        print(
            f"{db_path(args)}: OK (integrity, foreign keys, {report.audit_entries} audit "
            f"entries, every row as the log last recorded it, {summary}"
            f"{report.anchors_checked} anchor(s) extended)"
        )
        return EXIT_OK
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return EXIT_REFUSED


def cmd_backup(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import backup_database

    with signed_in(args, need_agency=False) as (db, user):
        target = backup_database(db, user, db_path(args), args.dest, force=args.force)
    print(f"Backed up to {target}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import ConfirmationNeeded, restore_database

    with signed_in(args, need_agency=False) as (db, user):
        try:
            safety = restore_database(
                db, user, db_path(args), Path(args.file), confirm_agency=args.confirm_agency
            )
        except ConfirmationNeeded as exc:
            raise Refused(f'{exc} Run it again with --confirm-agency "{exc.agency}".') from None
    print(f"Restored {args.file}. The previous contents were saved to {safety}")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import verify_audit

    anchors = _anchors(args)
    with closing(open_db(args, need_agency=False)) as db:
        report = verify_audit(db, db_path(args), anchors)
    if not report.ok:
        for line in report.lines():
            print(line, file=sys.stderr)
        print(
            "deesc: the audit log does not account for the file as it is: the lines above were "
            "changed outside the app.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    print(
        f"The audit log is intact: {report.entries} entries, each chained to the last, "
        f"extending {report.anchors_checked} anchor(s); every row is as it last recorded. "
        f"Head: {report.entries}:{report.head}"
    )
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    if args.audit_action == "verify":
        return _verify(args)
    # The history shows records, so it needs sign-in.
    with signed_in(args, need_agency=False) as (db, _):
        rows = latest_entries(
            db,
            table=args.table or "",
            row_id=args.row or "",
            username=args.user_name or "",
            limit=args.limit,
        )
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
    add_force(exp)

    check = add(
        "check",
        cmd_check,
        "check the database: integrity, foreign keys, the audit chain and its anchors, and "
        "every row against the audit log",
    )
    _add_anchor(check)

    backup = add("backup", cmd_backup, "copy the database safely, e.g. to a USB drive")
    backup.add_argument(
        "dest",
        nargs="?",
        help="a file name, or a folder (an existing one, or any name ending in / or \\) "
        "(default: backups/ beside the database)",
    )
    add_force(backup)

    audit = add(
        "audit",
        cmd_audit,
        "verify the audit log (chain, anchors, every row against it), or list who changed what",
    )
    audit.add_argument("audit_action", choices=["verify", "history"])
    _add_anchor(audit)
    audit.add_argument("--table", help="history of one table, e.g. officers, claims")
    audit.add_argument("--row", help="history of one row id (with --table)")
    audit.add_argument("--user-name", metavar="NAME", help="only changes made by NAME")
    audit.add_argument(
        "--limit", type=count_arg(1, 10_000_000), default=200, help="newest N entries (default 200)"
    )
    audit.add_argument("--format", choices=["table", "json"], default="table")

    restore = add("restore", cmd_restore, "replace the database with a verified backup")
    restore.add_argument("file", help="the backup .db file")
    restore.add_argument(
        "--confirm-agency",
        metavar="NAME",
        help="restore a backup of another agency, or one with no users: its agency's name",
    )


def _add_anchor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--anchor",
        action="append",
        metavar="HASH_OR_FILE",
        help="a head the log must still extend: a hash, ENTRIES:HASH as a report prints it, "
        "a backup's .manifest.json, an anchor file, or a backup .db (repeatable)",
    )
