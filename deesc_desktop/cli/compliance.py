"""`deesc compliance` and `deesc rules`: who is compliant with what, and the rules behind it."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from pathlib import Path

from deesc_desktop.cli.cit import print_rows
from deesc_desktop.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    AddCommand,
    Refused,
    print_json,
    signed_in,
)
from deesc_desktop.core.compliance import Status, result_to_dict
from deesc_desktop.core.dates import parse_date
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.rules import RulePack, requirement_to_dict


def _status_word(status: Status) -> str:
    """A status in the terminal's narrow column: its label in lower case ("n/a" for not
    applicable), and NON-COMPLIANT in capitals so it stands out."""
    if status is Status.NOT_APPLICABLE:
        return "n/a"
    return status.label.upper() if status is Status.NON_COMPLIANT else status.label.lower()


def _as_of(args: argparse.Namespace) -> date:
    if not args.as_of:
        return date.today()
    try:
        return parse_date(args.as_of)
    except ValueError as exc:
        raise Refused(f"--as-of: {exc}") from None


def cmd_compliance(args: argparse.Namespace) -> int:
    from deesc_desktop.services.compliance import (
        department_compliance,
        officer_compliance_by_badge,
    )

    as_of = _as_of(args)
    with signed_in(args) as (db, _):
        if args.badge:
            people = [officer_compliance_by_badge(db, args.badge, as_of)]
        else:
            people = department_compliance(
                db, as_of, include_separated=args.include_separated, requirement_id=args.requirement
            )
    rows = [
        (person.officer, result)
        for person in people
        for result in person.results
        if args.requirement is None or result.requirement_id == args.requirement
    ]
    if args.format == "json":
        print_json(
            {
                "as_of": as_of.isoformat(),
                "results": [
                    {
                        "badge": officer.badge,
                        "officer": officer.display_name,
                        **result_to_dict(result),
                    }
                    for officer, result in rows
                ],
            }
        )
    elif args.format == "csv":
        from deesc_desktop.services.compliance import COMPLIANCE_COLUMNS, compliance_rows
        from deesc_desktop.services.export import csv_cells

        writer = csv.writer(sys.stdout)
        writer.writerow(COMPLIANCE_COLUMNS)
        writer.writerows(csv_cells(row) for row in compliance_rows(rows))
    else:
        print(f"Compliance as of {as_of.isoformat()}")
        for officer, result in rows:
            hours = ""
            if result.earned is not None and result.adjusted_required is not None:
                hours = f"{format_hours(result.earned)}/{format_hours(result.adjusted_required)} h"
            due = result.due_date.isoformat() if result.due_date else ""
            name, requirement = officer.display_name[:24], result.requirement_id[:28]
            print(
                f"{officer.badge:>8}  {name:<24}  {requirement:<28}"
                f"  {_status_word(result.status):<13}  {hours:>13}  {due}"
            )
        if args.badge:
            print()
            for _, result in rows:
                print(f"{result.requirement_title}: {result.explanation}")
    return EXIT_OK


def _pack_json(pack: RulePack) -> dict[str, object]:
    """One shipped pack as `deesc rules packs --format json` lists it (docs/rule-packs.md)."""
    return {
        "jurisdiction": pack.jurisdiction,
        "name": pack.name,
        "version": pack.version,
        "file": pack.source_name,
        "verified_on": pack.verified_on.isoformat() if pack.verified_on else None,
        "requirements": [r.id for r in pack.requirements],
        "checks": " ".join(pack.checks.split()),
        "does_not_check": " ".join(pack.does_not_check.split()),
        "partial": pack.partial,
        "coverage": pack.coverage_line(),
    }


def cmd_rules(args: argparse.Namespace) -> int:
    from deesc_desktop.services.requirements import (
        all_builtin_packs,
        list_requirements,
        load_requirements_file,
    )

    if args.action == "packs":
        packs = all_builtin_packs()
        if args.format == "json":
            print_json([_pack_json(pack) for pack in packs])
            return EXIT_OK
        for pack in packs:
            verified = pack.verified_on.isoformat() if pack.verified_on else "not verified"
            print(
                f"{pack.jurisdiction:<3} {pack.name:<15} {pack.version:<8} verified {verified}"
                f"  {len(pack.requirements)} requirement(s)"
            )
            print(f"    Checks {' '.join(pack.checks.split())}")
            print(f"    {pack.coverage_line()}")
        return EXIT_OK
    with signed_in(args) as (db, user):
        if args.action == "load":
            if not args.target:
                raise Refused("say which file: deesc rules load FILE.toml")
            ids = load_requirements_file(db, user, Path(args.target))
            print(f"Loaded {len(ids)} requirement(s) from {args.target}: {', '.join(ids)}")
            return EXIT_OK
        listed = list_requirements(db)
    if args.action == "list":
        if args.format == "json":
            print_json(
                [
                    {
                        "id": i.requirement.id,
                        "title": i.requirement.title,
                        "origin": i.origin,
                        "active": i.active,
                        "summary": i.requirement.summary(),
                    }
                    for i in listed
                ]
            )
            return EXIT_OK
        print_rows(
            ("Id", "Origin", "Required"),
            [
                (
                    i.requirement.id,
                    i.origin,
                    i.requirement.summary() + ("" if i.active else "  (switched off)"),
                )
                for i in listed
            ],
            "table",
        )
        return EXIT_OK
    for item in listed:
        if item.requirement.id == args.target:
            if args.format == "json":
                print_json(requirement_to_dict(item.requirement))
            else:
                r = item.requirement
                print(f"{r.id}: {r.title}\n  {r.summary()}")
                print(f"  source: {r.source}\n  origin: {item.origin}")
                if r.notes:
                    print("  notes: " + " ".join(r.notes.split()))
            return EXIT_OK
    print(
        f"deesc: there is no requirement {args.target!r}; see `deesc rules list`", file=sys.stderr
    )
    return EXIT_REFUSED


def register(add: AddCommand) -> None:
    """Add this module's commands to the `deesc` parser."""
    comp = add("compliance", cmd_compliance, "each officer against each requirement, with status")
    comp.add_argument("--as-of", metavar="DATE", help="evaluate as of this date (default today)")
    comp.add_argument("--badge", help="one officer, with the explanation of each result")
    comp.add_argument(
        "--requirement", metavar="ID", help="one requirement (see `deesc rules list`)"
    )
    comp.add_argument("--include-separated", action="store_true", help="include separated officers")
    comp.add_argument("--format", choices=["table", "csv", "json"], default="table")

    rules = add(
        "rules",
        cmd_rules,
        "the requirements in force: list, show one, load a pack file; packs: the shipped "
        "state packs with what each checks and when it was verified",
    )
    rules.add_argument("action", choices=["list", "show", "load", "packs"])
    rules.add_argument("target", nargs="?", help="a requirement id (show) or a .toml file (load)")
    rules.add_argument("--format", choices=["table", "json"], default="table")
