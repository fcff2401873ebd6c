"""`deesc cit` (the certified roster and coverage, CIT courses, certificates, settings) and
`deesc followups` (LEDTA follow-up assessments)."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

from deesc_desktop.cli.common import (
    EXIT_OK,
    AddCommand,
    Refused,
    print_json,
    record_number,
    signed_in,
)
from deesc_desktop.core.dates import parse_date
from deesc_desktop.core.hours import format_hours
from deesc_desktop.services.cit import CitReport

FORMATS = ("table", "csv", "json")


def date_arg(text: str) -> date:
    """argparse type for a date option: a bad date is a usage error (exit 2)."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def print_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str) -> None:
    """Rows as an aligned text table or as CSV on stdout."""
    if fmt == "csv":
        from deesc_desktop.services.export import csv_cells

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(csv_cells(row) for row in rows)  # no cell a spreadsheet would run
        return
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    for row in [list(headers), *cells]:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def officer_id_for(db: Any, badge: str) -> int:
    """The officer with this badge, or Refused naming the badge."""
    from deesc_desktop.store.officers import officer_by_badge

    officer = officer_by_badge(db, badge)
    if officer is None:
        raise Refused(f'There is no officer with badge "{badge}".')
    return officer.id


# --- deesc cit ----------------------------------------------------------------------------------


def report_json(report: CitReport) -> dict[str, Any]:
    """The JSON shape of `deesc cit --format json` (documented in docs/cit.md)."""
    settings = report.settings
    cover = report.coverage
    return {
        "as_of": report.as_of.isoformat(),
        "warning_days": report.warning_days,
        "settings": {
            "target_percent": settings.target_percent,
            "patrol_unit": settings.patrol_unit,
            "certifying_min_hours": float(format_hours(settings.certifying_min_hours)),
            "refresher_min_hours": float(format_hours(settings.refresher_min_hours)),
            "validity_years": settings.validity_years,
            "grace_days": settings.grace_days,
            "validity": settings.validity_text(),
        },
        "roster": [
            {
                "officer_id": row.officer.id,
                "badge": row.officer.badge,
                "name": row.officer.display_name,
                "unit": row.officer.unit,
                "shift": row.officer.shift,
                "status": str(row.standing.status),
                "certified_since": row.standing.certification.earned.isoformat()
                if row.standing.certification
                else None,
                "first_certified": row.standing.first_certified.isoformat()
                if row.standing.first_certified
                else None,
                "expires": row.standing.expires.isoformat() if row.standing.expires else None,
                "days_left": row.standing.days_left,
                "source": row.source,
                "last_refresher": row.last_refresher.isoformat() if row.last_refresher else None,
                "team_member": row.team_member,
            }
            for row in report.roster
        ],
        "coverage": {
            "patrol_unit": cover.patrol_unit,
            "officers": cover.officers,
            "certified": cover.certified,
            "percent": float(cover.percent),
            "target_percent": cover.target_percent,
            "meets_target": cover.meets_target,
            "needed": cover.needed,
            "counts": "team" if cover.by_team else "trained",
            "uncovered_shifts": list(cover.uncovered_shifts),
            "shifts": [
                {
                    "shift": shift.shift,
                    "officers": shift.officers,
                    "certified": shift.certified,
                    "percent": float(shift.percent),
                    "uncovered": shift.uncovered,
                }
                for shift in cover.shifts
            ],
        },
    }


def _roster_rows(report: CitReport) -> list[list[object]]:
    return [
        [
            row.officer.badge,
            row.officer.display_name,
            row.officer.shift,
            row.standing.status,
            row.standing.expires.isoformat() if row.standing.expires else "",
            "" if row.standing.days_left is None else row.standing.days_left,
            row.last_refresher.isoformat() if row.last_refresher else "",
            row.source,
            "yes" if row.team_member else "",
        ]
        for row in report.roster
    ]


ROSTER_HEADERS = (
    "badge",
    "name",
    "shift",
    "status",
    "expires",
    "days_left",
    "refresher",
    "source",
    "team",
)
COVERAGE_HEADERS = ("shift", "officers", "certified", "percent", "flag")


def _coverage_rows(report: CitReport) -> list[list[object]]:
    cover = report.coverage
    rows: list[list[object]] = [
        [s.shift, s.officers, s.certified, f"{s.percent}%", "NO CIT OFFICER" if s.uncovered else ""]
        for s in cover.shifts
    ]
    flag = "target met" if cover.meets_target else f"{cover.needed} more to reach target"
    rows.append(["ALL", cover.officers, cover.certified, f"{cover.percent}%", flag])
    return rows


def cmd_cit(args: argparse.Namespace) -> int:
    from deesc_desktop.services.cit import cit_report

    with signed_in(args) as (db, _):
        report = cit_report(db, args.as_of or date.today())
    if args.format == "json":
        print_json(report_json(report))
        return EXIT_OK
    if args.format == "csv":
        print_rows(ROSTER_HEADERS, _roster_rows(report), "csv")
        print()
        print_rows(COVERAGE_HEADERS, _coverage_rows(report), "csv")
        return EXIT_OK
    cover = report.coverage
    print(
        f"CIT roster as of {report.as_of.isoformat()} (expiring = within {report.warning_days}"
        " days)"
    )
    if report.roster:
        print_rows(ROSTER_HEADERS, _roster_rows(report), "table")
    else:
        print("No officer holds or has held CIT certification.")
    print()
    print(report.settings.validity_text())
    print()
    print(
        f"Coverage of {cover.patrol_unit} (active officers): {cover.certified} of "
        f"{cover.officers} counted, {cover.percent}% against a target of "
        f"{cover.target_percent}%; counted: {cover.counted}"
    )
    print_rows(COVERAGE_HEADERS, _coverage_rows(report), "table")
    return EXIT_OK


def cmd_cit_course(args: argparse.Namespace) -> int:
    from deesc_desktop.services.cit import course_id_by_title, set_course_cit_role

    with signed_in(args) as (db, user):
        course_id = course_id_by_title(db, args.course)
        role = None if args.role == "none" else args.role
        changed = set_course_cit_role(db, user, course_id, role)
    what = f"the CIT {args.role} course" if role else "not a CIT course"
    print(f"{args.course} is {what}{'' if changed else ' (unchanged)'}.")
    return EXIT_OK


def cmd_cit_add(args: argparse.Namespace) -> int:
    from deesc_desktop.services.cit import add_certification

    with signed_in(args) as (db, user):
        cert_id = add_certification(
            db,
            user,
            officer_id_for(db, args.badge),
            {
                "kind": args.kind,
                "earned": args.earned,
                "expires": args.expires,
                "number": args.number,
                "issuer": args.issuer,
                "notes": args.notes,
            },
        )
    print(f"Recorded certificate #{cert_id} for badge {args.badge}.")
    return EXIT_OK


def cmd_cit_team(args: argparse.Namespace) -> int:
    from deesc_desktop.services.cit import join_cit_team, leave_cit_team

    if (args.joined is None) == (args.left is None):
        raise Refused("give --joined DATE (selected for the team) or --left DATE (last day)")
    with signed_in(args) as (db, user):
        officer_id = officer_id_for(db, args.badge)
        if args.joined is not None:
            join_cit_team(db, user, officer_id, args.joined, args.notes)
        else:
            leave_cit_team(db, user, officer_id, args.left)
    if args.joined is not None:
        print(f"Badge {args.badge} is on the CIT team from {args.joined}.")
    else:
        print(f"Badge {args.badge} left the CIT team on {args.left}.")
    return EXIT_OK


def cmd_cit_revoke(args: argparse.Namespace) -> int:
    from deesc_desktop.services.cit import revoke_certification

    with signed_in(args) as (db, user):
        changed = revoke_certification(db, user, args.id, reason=args.reason)
    print(f"Certificate #{args.id} {'revoked' if changed else 'was already revoked'}.")
    return EXIT_OK


_SETTING_OPTIONS = {
    "target_percent": "target_percent",
    "patrol_unit": "patrol_unit",
    "certifying_hours": "certifying_min_hours",
    "refresher_hours": "refresher_min_hours",
    "validity_years": "validity_years",
    "grace_days": "grace_days",
}


def cmd_cit_settings(args: argparse.Namespace) -> int:
    from deesc_desktop.services.cit import update_cit_settings
    from deesc_desktop.store.cit import cit_settings

    changes = {
        field: getattr(args, option)
        for option, field in _SETTING_OPTIONS.items()
        if getattr(args, option) is not None
    }
    with signed_in(args) as (db, user):
        settings = update_cit_settings(db, user, changes) if changes else cit_settings(db)
    values = {
        "target_percent": settings.target_percent,
        "patrol_unit": settings.patrol_unit,
        "certifying_min_hours": float(format_hours(settings.certifying_min_hours)),
        "refresher_min_hours": float(format_hours(settings.refresher_min_hours)),
        "validity_years": settings.validity_years,
        "grace_days": settings.grace_days,
    }
    if args.format == "json":
        print_json(values)
    else:
        print_rows(("setting", "value"), list(values.items()), "table")
    return EXIT_OK


# --- deesc followups ----------------------------------------------------------------------------


def cmd_followup_add(args: argparse.Namespace) -> int:
    from deesc_desktop.services.followups import add_followup
    from deesc_desktop.store.followups import latest_completion

    with signed_in(args) as (db, user):
        officer_id = officer_id_for(db, args.badge)
        record_id = args.record
        if args.course:
            record_id = latest_completion(db, officer_id, args.course, args.date)
            if record_id is None:
                raise Refused(
                    f'Badge {args.badge} has no completion of "{args.course}" on or before '
                    f"{args.date.isoformat()}."
                )
        followup_id = add_followup(
            db,
            user,
            officer_id,
            {
                "assessed_on": args.date,
                "assessor": args.assessor,
                "score": args.score,
                "notes": args.notes,
                "record_id": record_id,
            },
        )
    print(f"Recorded follow-up assessment #{followup_id} for badge {args.badge}.")
    return EXIT_OK


def cmd_followup_list(args: argparse.Namespace) -> int:
    from deesc_desktop.store.followups import followups

    with signed_in(args) as (db, _):
        rows = followups(db, officer_id=officer_id_for(db, args.badge) if args.badge else None)
    if args.format == "json":
        print_json(
            [
                {
                    "id": r.id,
                    "badge": r.badge,
                    "name": r.officer_name,
                    "assessed_on": r.assessed_on,
                    "assessor": r.assessor,
                    "score": r.score,
                    "notes": r.notes,
                    "record_id": r.record_id,
                    "course": r.course,
                    "completed": r.completed,
                    "post_test": r.post_test,
                }
                for r in rows
            ]
        )
        return EXIT_OK
    headers = ("id", "badge", "name", "date", "assessor", "score", "course", "post_test", "notes")
    print_rows(
        headers,
        [
            [
                r.id,
                r.badge,
                r.officer_name,
                r.assessed_on,
                r.assessor,
                f"{r.score:g}",
                f"{r.course} {r.completed}" if r.course else "",
                "" if r.post_test is None else f"{r.post_test:g}",
                r.notes,
            ]
            for r in rows
        ],
        args.format,
    )
    return EXIT_OK


def register(add: AddCommand) -> None:
    """Add `deesc cit` and `deesc followups` to the parser."""
    cit = add(
        "cit",
        cmd_cit,
        "CIT: the certified roster with status and expiry, and coverage per shift vs target",
    )
    cit.add_argument("--as-of", type=date_arg, metavar="DATE", help="the day (default today)")
    cit.add_argument("--format", choices=FORMATS, default="table")
    cit.epilog = "Without an ACTION, prints the roster and coverage."
    actions = cit.add_subparsers(dest="cit_action", metavar="ACTION")

    course = actions.add_parser(
        "course", help="mark a course as the CIT certifying course or a refresher"
    )
    course.set_defaults(handler=cmd_cit_course)
    course.add_argument("course", help="the course title or course number")
    course.add_argument("--role", required=True, choices=["certifying", "refresher", "none"])

    team = actions.add_parser(
        "team",
        help="record that an officer was selected for the CIT team (--joined) or left it "
        "(--left); coverage counts team members holding CIT",
    )
    team.set_defaults(handler=cmd_cit_team)
    team.add_argument("badge")
    team.add_argument("--joined", metavar="DATE", help="the day the officer joined the team")
    team.add_argument("--left", metavar="DATE", help="the officer's last day on the team")
    team.add_argument("--notes", default="", help="e.g. the selection memo")

    add_cert = actions.add_parser("add", help="record a certificate earned elsewhere")
    add_cert.set_defaults(handler=cmd_cit_add)
    add_cert.add_argument("badge")
    add_cert.add_argument("--earned", required=True, metavar="DATE")
    add_cert.add_argument("--issuer", required=True, help="who certified, e.g. 'CIT Michigan'")
    add_cert.add_argument("--number", default="", help="the certificate number")
    add_cert.add_argument(
        "--expires", metavar="DATE", help="printed expiry (default: the validity rule)"
    )
    add_cert.add_argument("--kind", default="cit", help="certification code (default cit)")
    add_cert.add_argument("--notes", default="")

    revoke = actions.add_parser("revoke", help="withdraw a hand-entered certificate")
    revoke.set_defaults(handler=cmd_cit_revoke)
    revoke.add_argument(
        "id", type=record_number, help="the certificate number shown when it was added"
    )
    revoke.add_argument("--reason", required=True)

    settings = actions.add_parser("settings", help="show or change the CIT settings")
    settings.set_defaults(handler=cmd_cit_settings)
    settings.add_argument("--target-percent", help="coverage target (default 25)")
    settings.add_argument("--patrol-unit", help='the unit counted for coverage (default "Patrol")')
    settings.add_argument("--certifying-hours", help="minimum hours of the certifying course (40)")
    settings.add_argument("--refresher-hours", help="minimum hours of a refresher (8)")
    settings.add_argument(
        "--validity-years",
        help="agency policy: years a certification lasts, or 'none' (the default: no state "
        "rule sets one, and Illinois certificates do not expire)",
    )
    settings.add_argument(
        "--grace-days",
        help="agency policy, with a validity: days after lapsing a refresher still renews (90)",
    )
    settings.add_argument("--format", choices=("table", "json"), default="table")

    follow = add(
        "followups",
        cmd_followup_list,
        "LEDTA follow-up assessments: whether officers use de-escalation on the job",
    )
    follow_actions = follow.add_subparsers(dest="followup_action", metavar="ACTION", required=True)
    fadd = follow_actions.add_parser("add", help="record a follow-up assessment")
    fadd.set_defaults(handler=cmd_followup_add)
    fadd.add_argument("badge")
    fadd.add_argument("--date", required=True, type=date_arg, help="when it was assessed")
    fadd.add_argument("--assessor", required=True, help="who assessed, e.g. 'Sgt. Delgado'")
    fadd.add_argument("--score", required=True, help="0-100")
    fadd.add_argument("--notes", default="")
    link = fadd.add_mutually_exclusive_group()
    link.add_argument("--record", metavar="ID", help="the training record it follows up")
    link.add_argument(
        "--course", metavar="TITLE", help="follows up the officer's latest class of this course"
    )
    flist = follow_actions.add_parser("list", help="list follow-up assessments, newest first")
    flist.set_defaults(handler=cmd_followup_list)
    flist.add_argument("--badge", help="one officer only")
    flist.add_argument("--format", choices=FORMATS, default="table")
