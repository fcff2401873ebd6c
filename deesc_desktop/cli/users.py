"""`deesc users`: who may sign in, with which role; passwords; switching sign-in off."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from deesc_desktop.cli.common import (
    EXIT_OK,
    AddCommand,
    Refused,
    current_password,
    password_for_new_user,
    print_json,
    signed_in,
)
from deesc_desktop.core.auth import Role

if TYPE_CHECKING:
    from sqlite_utils import Database


def _sign_in_state(db: Database) -> str:
    from deesc_desktop.services import users

    if not users.users_exist(db):
        return "No users yet: nobody signs in, and whoever opens the file acts as administrator."
    return f"Sign-in is {'on' if users.login_required(db) else 'OFF'}."


def cmd_users(args: argparse.Namespace) -> int:
    from deesc_desktop.services import users

    with signed_in(args) as (db, user):
        who = user
        if args.users_action == "list":
            rows = users.list_users(db)
            if args.format == "json":
                print_json(rows)
            for row in rows if args.format != "json" else []:
                state = "" if row["active"] else "  (disabled)"
                print(f"{row['username']:<20} {row['role']:<17} {row['full_name']}{state}")
            if args.format != "json":
                print(_sign_in_state(db))
        elif args.users_action == "add":
            values = {"username": args.name, "role": args.role, "full_name": args.full_name}
            if users.users_exist(db):
                users.add_user(db, who, values, password_for_new_user())
            elif args.role != Role.ADMIN.value:
                raise Refused("the first user must be an administrator: use --role admin")
            else:
                users.create_first_admin(db, args.name, password_for_new_user(), args.full_name)
            print(f"Added {args.name} ({Role(args.role).label}).")
        elif args.users_action == "passwd":
            name = args.name or who.username
            own = name.casefold() == who.username.casefold()
            if own and not users.users_exist(db):
                raise Refused("there are no users yet; add one with `deesc users add`")
            # Your own password changes with the current one (the one you signed in with).
            current = current_password("Current password: ") if own else None
            users.set_password(db, who, name, password_for_new_user(), current=current)
            print(f"Changed the password of {name}.")
        elif args.users_action in ("disable", "enable"):
            active = args.users_action == "enable"
            users.set_user_active(db, who, args.name, active, reason=args.reason)
            print(f"{args.name} is {'enabled' if active else 'disabled'}.")
        elif args.users_action == "role":
            users.set_user_role(db, who, args.name, args.role)
            print(f"{args.name} is now {Role(args.role).label}.")
        else:
            users.set_login_required(db, who, args.state == "on")
            print(f"Sign-in is {args.state}.")
    return EXIT_OK


def register(add: AddCommand) -> None:
    """Add `deesc users` to the parser."""
    command = add("users", cmd_users, "who may sign in, their roles and passwords")
    sub = command.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    roles = [role.value for role in Role]
    listing = sub.add_parser("list", help="every user and whether sign-in is on")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    add_user = sub.add_parser(
        "add", help="add a user (new password from $DEESC_NEW_PASSWORD or asked for)"
    )
    add_user.add_argument("name", help="the user name they sign in with, e.g. sgt.delgado")
    add_user.add_argument("--role", choices=roles, required=True)
    add_user.add_argument("--full-name", default="")
    passwd = sub.add_parser(
        "passwd",
        help="change a password: yours (with the current one, from $DEESC_PASSWORD or asked "
        "for) unless NAME is given (administrators)",
    )
    passwd.add_argument("name", nargs="?")
    for action, text in (("disable", "stop a user signing in"), ("enable", "let them again")):
        change = sub.add_parser(action, help=text)
        change.add_argument("name")
        change.add_argument("--reason", default="")
    role = sub.add_parser("role", help="give a user another role")
    role.add_argument("name")
    role.add_argument("role", choices=roles)
    sign_in = sub.add_parser("sign-in", help="switch sign-in on or off for the whole agency")
    sign_in.add_argument("state", choices=["on", "off"])
