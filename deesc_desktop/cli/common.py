"""What every `deesc` command shares: the database it opens, who it acts as, how it refuses."""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.paths import default_db_path
from deesc_desktop.store.database import open_database

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
MAX_ERRORS_SHOWN = 100
"""A file with thousands of bad rows shows the first hundred; the count says how many more."""

Handler = Callable[[argparse.Namespace], int]
AddCommand = Callable[[str, Handler, str], argparse.ArgumentParser]
"""add(name, handler, help) -> the subcommand's parser, given to each module's register()."""


class Refused(Exception):
    """Input the command refuses; the message goes to stderr and the exit status is 1."""


def actor() -> Actor:
    """Who the command acts as."""
    # Until sign-in lands, the command acts as the administrator under the OS account's name.
    return Actor(f"{getpass.getuser()} (command line)", Role.ADMIN)


def db_path(args: argparse.Namespace) -> Path:
    """The database file chosen by --db, else DEESC_DB, else the default location."""
    return Path(args.db).expanduser() if args.db else default_db_path()


def open_db(args: argparse.Namespace, *, need_agency: bool = True) -> Database:
    """Open the chosen database, refusing a missing file or one with no agency when needed."""
    path = db_path(args)
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


def print_json(value: object) -> None:
    """JSON output as the docs describe it: UTF-8, indented, stable key order."""
    print(json.dumps(value, indent=2, ensure_ascii=False))
