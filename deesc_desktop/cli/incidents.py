"""`deesc incidents`: the de-escalation and use-of-force log (no names), its review, its
import, and the LEDTA figures by quarter and fiscal year."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from deesc_desktop.cli.cit import date_arg, officer_id_for, print_rows
from deesc_desktop.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    MAX_ERRORS_SHOWN,
    AddCommand,
    Refused,
    print_json,
    record_number,
    signed_in,
)
from deesc_desktop.core.auth import Actor
from deesc_desktop.core.incidents import (
    DEMOGRAPHICS,
    FORCE_TYPES,
    INCIDENT_TYPES,
    TACTICS,
    PeriodFigures,
    Tally,
    TrainingGroup,
    federal_fiscal_year,
)
from deesc_desktop.services.incidents import (
    IncidentEntry,
    add_incident,
    delete_incident,
    edit_incident,
    get_incident,
    incident_figures,
    list_incidents,
    review_incident,
)
from deesc_desktop.store.rows import row_number


def _with_db(args: argparse.Namespace, work: Callable[[Database, Actor], int]) -> int:
    with signed_in(args) as (db, user):
        return work(db, user)


def entry_json(entry: IncidentEntry) -> dict[str, Any]:
    """One incident as `deesc incidents list --format json` prints it (docs/incidents.md)."""
    row = entry.row
    return {
        "id": row.id,
        "reference": row.reference,
        "occurred_on": row.occurred_on,
        "incident_type": row.incident_type,
        "deescalation_used": row.deescalation_used,
        "tactics": list(row.tactics),
        "force_type": row.force_type,
        "officers_injured": row.officers_injured,
        "public_injured": row.public_injured,
        **{field: getattr(row, field) for field in DEMOGRAPHICS},
        "officer_badges": [o.badge for o in row.officers],
        "officers_trained": entry.group.value,
        "status": row.status,
        "reviewed_by": row.reviewed_by,
        "reviewed_at": row.reviewed_at,
        "entered_by": row.created_by,
    }


def cmd_list(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        entries = list_incidents(db, args.start, args.end)
        if args.format == "json":
            print_json([entry_json(e) for e in entries])
            return EXIT_OK
        rows = [
            [
                e.row.id,
                e.row.occurred_on,
                e.row.reference,
                INCIDENT_TYPES[e.row.incident_type],
                "yes" if e.row.deescalation_used else "no",
                FORCE_TYPES[e.row.force_type],
                e.row.officers_injured,
                e.row.public_injured,
                e.row.badges,
                {"trained": "all", "not_trained": "not all", "unknown": "?"}[e.group.value],
                e.row.status,
            ]
            for e in entries
        ]
        headers = [
            "#",
            "Date",
            "Report",
            "Type",
            "De-esc",
            "Force",
            "Off. hurt",
            "Public hurt",
            "Badges",
            "Trained",
            "Status",
        ]
        print_rows(headers, rows, args.format)
        return EXIT_OK

    return _with_db(args, work)


def _values(db: Database, args: argparse.Namespace) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in (
        "reference",
        "occurred_on",
        "incident_type",
        "force_type",
        "officers_injured",
        "public_injured",
        "subject_age",
        "subject_sex",
        "subject_race",
        "subject_ethnicity",
        "subject_impairment",
    ):
        value = getattr(args, name, None)
        if value is not None:
            values[name] = value
    if args.deescalation is not None:
        values["deescalation_used"] = args.deescalation
    if args.tactics is not None:
        values["tactics"] = args.tactics
    if args.badges is not None:
        values["officers"] = [
            officer_id_for(db, badge.strip()) for badge in args.badges.split(",") if badge.strip()
        ]
    return values


def cmd_add(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        incident_id = add_incident(db, user, _values(db, args))
        print(f"Logged incident {incident_id} ({args.reference}); it awaits the chief's review.")
        return EXIT_OK

    return _with_db(args, work)


def cmd_edit(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        changed = edit_incident(db, user, args.id, _values(db, args), reason=args.reason)
        print(f"Incident {args.id} corrected." if changed else "Nothing changed.")
        return EXIT_OK

    return _with_db(args, work)


def cmd_show(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        print_json(entry_json(get_incident(db, args.id)))
        return EXIT_OK

    return _with_db(args, work)


def cmd_review(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        review_incident(db, user, args.id, notes=args.notes)
        print(f"Incident {args.id} reviewed.")
        return EXIT_OK

    return _with_db(args, work)


def cmd_delete(args: argparse.Namespace) -> int:
    def work(db: Database, user: Actor) -> int:
        delete_incident(db, user, args.id, reason=args.reason)
        print(f"Incident {args.id} deleted; the audit log keeps it and your reason.")
        return EXIT_OK

    return _with_db(args, work)


def cmd_import(args: argparse.Namespace) -> int:
    from deesc_desktop.services.imports import import_file

    def work(db: Database, user: Actor) -> int:
        report = import_file(db, user, "incidents", Path(args.file), dry_run=args.dry_run)
        if not report.ok:
            for error in report.errors[:MAX_ERRORS_SHOWN]:
                print(error, file=sys.stderr)
            if len(report.errors) > MAX_ERRORS_SHOWN:
                print(
                    f"... and {len(report.errors) - MAX_ERRORS_SHOWN} more problems like these.",
                    file=sys.stderr,
                )
            print(
                f"{Path(args.file).name}: {len(report.errors)} problem(s); nothing was imported.",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(report.summary())
        return EXIT_OK

    return _with_db(args, work)


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value}"


def tally_json(tally: Tally) -> dict[str, Any]:
    return {
        "incidents": tally.incidents,
        "with_deescalation": tally.with_deescalation,
        "with_force": tally.with_force,
        "with_officer_injury": tally.with_officer_injury,
        "with_public_injury": tally.with_public_injury,
        "officers_injured": tally.officers_injured,
        "public_injured": tally.public_injured,
        "deescalation_rate": _rate(tally.deescalation_rate),
        "force_rate": _rate(tally.force_rate),
        "officer_injury_rate": _rate(tally.officer_injury_rate),
        "public_injury_rate": _rate(tally.public_injury_rate),
    }


def period_json(figures: PeriodFigures) -> dict[str, Any]:
    return {
        "label": figures.label,
        "start": figures.start.isoformat(),
        "end": figures.end.isoformat(),
        "all": tally_json(figures.total),
        **{group.value: tally_json(figures.group(group)) for group in TrainingGroup},
    }


def _percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%"


def cmd_figures(args: argparse.Namespace) -> int:
    today = date.today()
    year = args.fiscal_year or federal_fiscal_year(today)
    start = args.start or date(year - 1, 10, 1)
    end = args.end or min(date(year, 9, 30), today)
    if args.start is None and args.end is None and start > today:
        raise Refused(
            f"FY{year} has not begun: it runs from {start.isoformat()} to "
            f"{date(year, 9, 30).isoformat()}, and today is {today.isoformat()}"
        )

    def work(db: Database, user: Actor) -> int:
        figures = incident_figures(db, start, end)
        if args.format == "json":
            print_json(
                {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "quarters": [period_json(q) for q in figures.quarters],
                    "fiscal_years": [period_json(y) for y in figures.fiscal_years],
                }
            )
            return EXIT_OK
        rows = []
        for period in [*figures.quarters, *figures.fiscal_years]:
            for label, tally in (
                ("all", period.total),
                ("trained", period.group(TrainingGroup.TRAINED)),
                ("not trained", period.group(TrainingGroup.NOT_TRAINED)),
            ):
                rows.append(
                    [
                        period.label,
                        label,
                        tally.incidents,
                        tally.with_deescalation,
                        _percent(tally.force_rate),
                        _percent(tally.officer_injury_rate),
                        _percent(tally.public_injury_rate),
                    ]
                )
        headers = [
            "Period",
            "Officers",
            "Incidents",
            "De-esc",
            "Force",
            "Off. injury",
            "Pub. injury",
        ]
        print_rows(headers, rows, "table")
        return EXIT_OK

    return _with_db(args, work)


def _fact_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--reference", required=required, help="the agency's report number")
    parser.add_argument("--date", dest="occurred_on", required=required, metavar="DATE")
    parser.add_argument(
        "--type", dest="incident_type", required=required, choices=list(INCIDENT_TYPES)
    )
    parser.add_argument(
        "--deescalation", choices=["yes", "no"], required=required, help="de-escalation used?"
    )
    parser.add_argument("--tactics", help=f"codes separated by ';': {', '.join(TACTICS)}")
    parser.add_argument("--force", dest="force_type", required=required, choices=list(FORCE_TYPES))
    parser.add_argument("--officers-injured", dest="officers_injured", metavar="N")
    parser.add_argument("--public-injured", dest="public_injured", metavar="N")
    parser.add_argument("--age", dest="subject_age", metavar="YEARS", help="the subject's age")
    parser.add_argument("--sex", dest="subject_sex", choices=list(DEMOGRAPHICS["subject_sex"][1]))
    parser.add_argument(
        "--race", dest="subject_race", choices=list(DEMOGRAPHICS["subject_race"][1])
    )
    parser.add_argument(
        "--ethnicity", dest="subject_ethnicity", choices=list(DEMOGRAPHICS["subject_ethnicity"][1])
    )
    parser.add_argument(
        "--impairment",
        dest="subject_impairment",
        choices=list(DEMOGRAPHICS["subject_impairment"][1]),
    )
    parser.add_argument("--badges", help="officers involved, by badge, comma separated")


FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1901, 9999
"""The federal fiscal years a date can hold (FY 9999 ends on 9999-09-30)."""


def fiscal_year_arg(text: str) -> int:
    """argparse type of a federal fiscal year (FY 2026: October 2025 to September 2026)."""
    year = row_number(text)
    if year is None or not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a fiscal year ({FIRST_FISCAL_YEAR} to {LAST_FISCAL_YEAR})'
        )
    return year


def register(add: AddCommand) -> None:
    """Add `deesc incidents` to the `deesc` parser."""
    log = add(
        "incidents",
        cmd_list,
        "the de-escalation and use-of-force incident log (no names) and its LEDTA figures",
    )
    log.set_defaults(start=None, end=None, format="table")
    actions = log.add_subparsers(dest="incidents_action", metavar="ACTION")

    listing = actions.add_parser("list", help="incidents, newest first (default)")
    listing.set_defaults(handler=cmd_list)
    listing.add_argument("--from", dest="start", type=date_arg, metavar="DATE")
    listing.add_argument("--to", dest="end", type=date_arg, metavar="DATE")
    listing.add_argument("--format", choices=("table", "csv", "json"), default="table")

    show = actions.add_parser("show", help="one incident, as JSON")
    show.set_defaults(handler=cmd_show)
    show.add_argument("id", type=record_number)

    entry = actions.add_parser("add", help="log an incident (a training officer)")
    entry.set_defaults(handler=cmd_add)
    _fact_options(entry, required=True)

    edit = actions.add_parser("edit", help="correct an incident; it goes back for review")
    edit.set_defaults(handler=cmd_edit)
    edit.add_argument("id", type=record_number)
    _fact_options(edit, required=False)
    edit.add_argument("--reason", required=True)

    review = actions.add_parser("review", help="review an incident (the chief)")
    review.set_defaults(handler=cmd_review)
    review.add_argument("id", type=record_number)
    review.add_argument("--notes", default="", help="review notes (no names)")

    delete = actions.add_parser("delete", help="delete an incident entered in error")
    delete.set_defaults(handler=cmd_delete)
    delete.add_argument("id", type=record_number)
    delete.add_argument("--reason", required=True)

    imp = actions.add_parser("import", help="import incidents from CSV or XLSX, all or nothing")
    imp.set_defaults(handler=cmd_import)
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    figures = actions.add_parser(
        "figures", help="LEDTA figures by federal quarter: trained officers versus not"
    )
    figures.set_defaults(handler=cmd_figures)
    figures.add_argument(
        "--fiscal-year",
        type=fiscal_year_arg,
        metavar="YEAR",
        help="federal FY (default: the current one)",
    )
    figures.add_argument("--from", dest="start", type=date_arg, metavar="DATE")
    figures.add_argument("--to", dest="end", type=date_arg, metavar="DATE")
    figures.add_argument("--format", choices=("table", "json"), default="table")
