"""The `deesc` command: set up, import, export, check, back up and restore from a terminal."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop import __version__
from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.paths import DB_ENV_VAR, default_db_path
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.store.database import DatabaseError, open_database

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
MAX_ERRORS_SHOWN = 100
"""A file with thousands of bad rows shows the first hundred; the count says how many more."""


class Refused(Exception):
    """Input the command refuses; the message goes to stderr and the exit status is 1."""


def _actor() -> Actor:
    # Until sign-in lands, the command acts as the administrator under the OS account's name.
    return Actor(f"{getpass.getuser()} (command line)", Role.ADMIN)


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if args.db else default_db_path()


def _open(args: argparse.Namespace, *, need_agency: bool = True) -> Database:
    path = _db_path(args)
    if not path.exists() and need_agency:
        raise Refused(
            f"There is no database at {path}. Create one with `deesc init` "
            "or load the demo agency with `deesc demo`."
        )
    db = open_database(path)
    if need_agency and db.execute("SELECT count(*) FROM agency").fetchone()[0] == 0:
        db.close()
        raise Refused(f"{path} has no agency yet. Run `deesc init` first.")
    return db


def _print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


# --- commands -------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from deesc_desktop.services.agency import init_agency

    db = _open(args, need_agency=False)
    try:
        agency = init_agency(
            db,
            _actor(),
            {
                "name": args.name,
                "state": args.state,
                "ori": args.ori or "",
                "fiscal_year_start_month": args.fiscal_year_start,
            },
        )
    finally:
        db.close()
    print(f"Created {agency.name} ({agency.state}) in {_db_path(args)}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from deesc_desktop.demo import load_demo

    path = _db_path(args)
    db = open_database(path)
    try:
        summary = load_demo(db)
    finally:
        db.close()
    print(f"Demo agency loaded into {path}: {summary}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from deesc_desktop.services.imports import import_file

    db = _open(args)
    try:
        report = import_file(db, _actor(), args.kind, Path(args.file), dry_run=args.dry_run)
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
    db = _open(args)
    try:
        count = (export_roster if args.kind == "roster" else export_training)(db, out)
    finally:
        db.close()
    print(f"Wrote {count} {args.kind} rows to {out}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import check_database

    db = _open(args, need_agency=False)
    try:
        report = check_database(db)
    finally:
        db.close()
    if report.ok:
        print(
            f"{_db_path(args)}: OK (integrity, foreign keys, {report.audit_entries} audit entries)"
        )
        return EXIT_OK
    for problem in report.problems:
        print(problem, file=sys.stderr)
    return EXIT_REFUSED


def cmd_backup(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import backup_database

    db = _open(args, need_agency=False)
    try:
        target = backup_database(
            db, _actor(), _db_path(args), Path(args.dest) if args.dest else None
        )
    finally:
        db.close()
    print(f"Backed up to {target}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from deesc_desktop.services.maintenance import restore_database

    db = _open(args, need_agency=False)
    try:
        safety = restore_database(db, _actor(), _db_path(args), Path(args.file))
    finally:
        db.close()
    print(f"Restored {args.file}. The previous contents were saved to {safety}")
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deesc",
        description="Training records, compliance, CIT and de-escalation bonus claims "
        "for a police agency, from the command line.",
        epilog=f"The database is chosen by --db, else ${DB_ENV_VAR}, else {default_db_path()}.",
    )
    parser.add_argument("--version", action="version", version=f"deesc {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the database file to use")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=text, description=text)
        command.set_defaults(handler=handler)
        return command

    init = add("init", cmd_init, "create the agency in a new database")
    init.add_argument(
        "--name", required=True, help="agency name, e.g. 'Millbrook Police Department'"
    )
    init.add_argument("--state", required=True, help="two-letter state code, e.g. IL")
    init.add_argument("--ori", help="the agency's 9-character ORI")
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

    restore = add("restore", cmd_restore, "replace the database with a verified backup")
    restore.add_argument("file", help="the backup .db file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `deesc` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (Refused, ServiceError, DatabaseError) as exc:
        print(f"deesc: {exc}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
