"""The `deesc` command: administrators' and scripts' way into the records."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from deesc_desktop import __version__
from deesc_desktop.cli import (
    bonus,
    cit,
    compliance,
    files,
    incidents,
    records,
    reminders,
    reports,
    users,
)
from deesc_desktop.cli.common import EXIT_REFUSED, Handler, Refused
from deesc_desktop.paths import DB_ENV_VAR, default_db_path
from deesc_desktop.services.errors import ServiceError
from deesc_desktop.store.database import DatabaseError, database_errors

COMMAND_MODULES = [
    records,
    users,
    compliance,
    cit,
    bonus,
    files,
    incidents,
    reminders,
    reports,
]
"""Each module adds its commands through register(add); the order is the help's order."""


def build_parser() -> argparse.ArgumentParser:
    """The whole `deesc` parser, with every module's commands."""
    parser = argparse.ArgumentParser(
        prog="deesc",
        description="Training records, compliance, CIT and de-escalation bonus claims "
        "for a police agency, from the command line.",
        epilog=f"The database is chosen by --db, else ${DB_ENV_VAR}, else {default_db_path()}.",
    )
    parser.add_argument("--version", action="version", version=f"deesc {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the database file to use")
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="sign in as NAME (else $DEESC_USER); the password comes from $DEESC_PASSWORD "
        "or is asked for",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=text, description=text)
        command.set_defaults(handler=handler)
        return command

    for module in COMMAND_MODULES:
        module.register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `deesc` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with database_errors(args.db):
            return int(args.handler(args))
    except (Refused, ServiceError, DatabaseError) as exc:
        print(f"deesc: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        # What reads the output went away (`deesc rules packs | head`): stop without a
        # traceback, and keep Python from failing again as it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_REFUSED
