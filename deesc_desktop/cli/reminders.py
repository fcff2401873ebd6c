"""`deesc due`: what falls due in the next 30 days for the signed-in user's role, offline."""

from __future__ import annotations

import argparse
from datetime import date

from deesc_desktop.cli.cit import date_arg, print_rows
from deesc_desktop.cli.common import EXIT_OK, AddCommand, count_arg, print_json, signed_in
from deesc_desktop.services.reminders import KINDS, REMINDER_DAYS, due_soon, reminders_for


def cmd_due(args: argparse.Namespace) -> int:
    with signed_in(args) as (db, user):
        today = args.as_of or date.today()
        found = (
            due_soon(db, today, args.days)
            if args.everything
            else reminders_for(db, user, today, args.days)
        )
    if args.format == "json":
        print_json(
            [
                {
                    "due": r.due.isoformat(),
                    "kind": r.kind,
                    "who": r.who,
                    "badge": r.badge,
                    "shift": r.shift,
                    "unit": r.unit,
                    "what": r.what,
                }
                for r in found
            ]
        )
        return EXIT_OK
    if not found:
        print(f"Nothing falls due in the {args.days} days from {today.isoformat()}.")
        return EXIT_OK
    rows = [[r.due.isoformat(), KINDS[r.kind], r.who, r.badge, r.shift, r.what] for r in found]
    print_rows(["Due", "Kind", "Who or what", "Badge", "Shift", "What"], rows, args.format)
    return EXIT_OK


def register(add: AddCommand) -> None:
    """Add `deesc due` to the `deesc` parser."""
    due = add(
        "due",
        cmd_due,
        "what falls due soon for your role: requirements, CIT and instructor certifications, "
        "scheduled classes, incidents to review (the printable list: deesc report due-list)",
    )
    due.add_argument("--as-of", type=date_arg, metavar="DATE", help="from this day (today)")
    due.add_argument(
        "--days",
        type=count_arg(1, 3650),
        default=REMINDER_DAYS,
        help=f"how far ahead ({REMINDER_DAYS})",
    )
    due.add_argument(
        "--everything", action="store_true", help="every reminder, not only your role's"
    )
    due.add_argument("--format", choices=("table", "csv", "json"), default="table")
