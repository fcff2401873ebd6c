"""What every `deesc` command shares: the database it opens, who it acts as, how it refuses."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

from deesc_desktop.core.auth import Actor
from deesc_desktop.core.times import stamp_text
from deesc_desktop.paths import default_db_path
from deesc_desktop.services.agency import has_agency
from deesc_desktop.services.outputs import check_output_path
from deesc_desktop.services.users import SignInError, is_text, sign_in, unattended_actor
from deesc_desktop.store.database import needs_upgrade, open_database
from deesc_desktop.store.rows import row_number

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
USER_ENV_VAR, PASSWORD_ENV_VAR = "DEESC_USER", "DEESC_PASSWORD"
NEW_PASSWORD_ENV_VAR = "DEESC_NEW_PASSWORD"
MAX_ERRORS_SHOWN = 100
"""A file with thousands of bad rows shows the first hundred; the count says how many more."""

Handler = Callable[[argparse.Namespace], int]
AddCommand = Callable[[str, Handler, str], argparse.ArgumentParser]
"""add(name, handler, help) -> the subcommand's parser, given to each module's register()."""


class Refused(Exception):
    """Input the command refuses; the message goes to stderr and the exit status is 1."""


class Session(NamedTuple):
    """A command's open database and the user it acts as, signed in to that database."""

    db: Database
    user: Actor


def _from_environment(name: str) -> str | None:
    """An environment variable's text; Refused, naming it, when it holds bytes that are not
    text (it was set from another encoding, or by a script that wrote raw bytes)."""
    value = os.environ.get(name)
    if value is not None and not is_text(value):
        raise Refused(
            f"{name} holds bytes that are not text (UTF-8); set it again, typed as plain text"
        )
    return value


def current_password(prompt: str = "Password: ") -> str:
    """The signed-in user's password: from DEESC_PASSWORD, or asked for on the terminal."""
    password = _from_environment(PASSWORD_ENV_VAR)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise Refused(f"give the password in {PASSWORD_ENV_VAR}; there is no terminal to ask on")
    return getpass.getpass(prompt)


def password_for_new_user() -> str:
    """A new password from DEESC_NEW_PASSWORD, or asked for twice on the terminal."""
    password = _from_environment(NEW_PASSWORD_ENV_VAR)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise Refused(f"give the new password in {NEW_PASSWORD_ENV_VAR}; there is no terminal")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise Refused("the two passwords differ")
    return first


def sign_in_for(args: argparse.Namespace, db: Database) -> Actor:
    """Sign in with --user (or DEESC_USER); nobody needs to when sign-in is off or not set up."""
    try:
        unattended = unattended_actor(db)
    except SignInError as exc:
        raise Refused(str(exc)) from None
    if unattended is not None:
        return unattended
    username = args.user or _from_environment(USER_ENV_VAR)
    if not username:
        raise Refused(
            "this database requires sign-in: pass --user NAME (or set DEESC_USER); the "
            f"password is read from {PASSWORD_ENV_VAR} or asked for"
        )
    try:
        return sign_in(db, username, current_password(), record_success=False)
    except SignInError as exc:
        raise Refused(str(exc)) from None


def db_path(args: argparse.Namespace) -> Path:
    """The database file chosen by --db, else DEESC_DB, else the default location."""
    return Path(args.db).expanduser() if args.db else default_db_path()


def output_path(
    args: argparse.Namespace, value: str, *, kind: str, suffixes: tuple[str, ...] = ()
) -> Path:
    """A file the command will write, refused when it is the database, one of its companions
    or backups, or an existing file without --force (see services.outputs)."""
    path = Path(value).expanduser()
    check_output_path(
        path, db_path(args), force=getattr(args, "force", False), kind=kind, suffixes=suffixes
    )
    return path


def record_number(text: str) -> int:
    """The argparse type of a record's number (a claim, a certificate, an attachment...):
    digits that can name a row, so a mistyped number is refused as a usage error."""
    number = row_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(f'"{text}" is not a record number')
    return number


def count_arg(low: int, high: int) -> Callable[[str], int]:
    """The argparse type of a count from `low` to `high` (days ahead, entries, lines)."""

    def count(text: str) -> int:
        number = row_number(text)
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f'"{text}" is not a whole number from {low:,} to {high:,}'
            )
        return number

    return count


def add_force(parser: argparse.ArgumentParser) -> None:
    """--force: a command's output may replace an existing file (never the database)."""
    parser.add_argument(
        "--force", action="store_true", help="replace an existing output file (never the database)"
    )


def open_db(
    args: argparse.Namespace,
    *,
    need_agency: bool = True,
    create: bool = False,
    path: Path | None = None,
) -> Database:
    """Open the chosen database, refusing a missing file or one with no agency when needed:
    the one place a command opens the file. Nobody is signed in (see `signed_in`): as such
    it is for checks that show no personnel data (integrity, the audit chain), which anyone
    at the PC may run.

    Only `create=True` (init, demo) makes a new file: any other command given a missing file
    says so and creates nothing, not even its folder. `path` opens another file than the
    chosen one (init builds under a temporary name).
    """
    path = path or db_path(args)
    if not path.exists() and not create:
        raise Refused(
            f"There is no database at {path}. Create one with `deesc init` "
            "or load the demo agency with `deesc demo`."
        )
    if needs_upgrade(path):
        print(
            f"Upgrading {path} for this version (a copy of it as it was goes to the backups "
            "folder first; a large file takes a few minutes)…",
            file=sys.stderr,
        )
    db = open_database(path, create=create)
    try:
        if need_agency and not has_agency(db):
            raise Refused(f"{path} has no agency yet. Run `deesc init` first.")
    except BaseException:
        db.close()
        raise
    return db


@contextmanager
def signed_in(args: argparse.Namespace, *, need_agency: bool = True) -> Iterator[Session]:
    """The chosen database open for one command, with the user signed in to it (`--user`),
    closed when the command is done."""
    with closing(open_db(args, need_agency=need_agency)) as db:
        yield Session(db, sign_in_for(args, db))


def print_json(value: object) -> None:
    """JSON output as the docs describe it: UTF-8, indented, stable key order."""
    print(json.dumps(value, indent=2, ensure_ascii=False))


def when_by(at: str | None, by: str | None) -> str:
    """When and by whom a step was taken, "2026-03-01 08:12 CST by sgt.delgado"; "" when
    nobody has taken it yet."""
    return f"{stamp_text(at)} by {by}" if by else ""


def decide(
    args: argparse.Namespace,
    item: str,
    approve: Callable[[Database, Actor], object],
    reject: Callable[[Database, Actor, str], object],
    *,
    approved: str,
    rejected: str,
) -> int:
    """Approve or reject one pending change as the subcommand says (approve-... or
    reject-..., with --reason), and say what that means."""
    with signed_in(args) as (db, user):
        if args.bonus_action.startswith("approve-"):
            approve(db, user)
            done = approved
        else:
            reject(db, user, args.reason)
            done = rejected
    print(f"{item} {done}.")
    return EXIT_OK
