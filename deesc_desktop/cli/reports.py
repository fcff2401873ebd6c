"""`deesc report KIND -o FILE.pdf`: the printable PDF reports, and their tables as CSV or XLSX."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deesc_desktop.cli.cit import date_arg
from deesc_desktop.cli.common import EXIT_OK, EXIT_USAGE, AddCommand, open_db

KINDS = (
    "compliance",
    "transcript",
    "cit",
    "payments",
    "grant",
    "certificate",
    "public-summary",
    "due-list",
)
"""The report kinds, as deesc_desktop.reports.REPORTS names them (kept here so `deesc --help`
does not load ReportLab)."""

OPTIONS = {
    "as_of": "--as-of",
    "start": "--from",
    "end": "--to",
    "badge": "--badge",
    "record_id": "--record",
    "include_names": "--no-names",
    "confidential": "--confidential",
    "grant": "--grant",
    "signer": "--signer",
}
"""ReportParams field -> the option that sets it."""


def _given(args: argparse.Namespace) -> dict[str, object]:
    """The ReportParams fields the user set on the command line."""
    values = {
        "as_of": args.as_of,
        "start": args.start,
        "end": args.end,
        "badge": args.badge,
        "record_id": args.record,
        "include_names": False if args.no_names else None,
        "confidential": True if args.confidential else None,
        "grant": args.grant,
        "signer": args.signer,
    }
    return {name: value for name, value in values.items() if value is not None}


def cmd_report(args: argparse.Namespace) -> int:
    from deesc_desktop.reports import REPORTS, ReportParams, renderer

    info = REPORTS[args.kind]
    given = _given(args)
    unused = [OPTIONS[name] for name in given if name not in info.params]
    if unused:
        print(
            f"deesc report {args.kind}: {', '.join(unused)} does not apply to this report "
            f"(it takes {', '.join(OPTIONS[p] for p in info.params)})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not args.output and not args.table_out:
        print(
            f"deesc report {args.kind}: say where to write it: -o FILE.pdf and/or "
            "--table-out FILE.csv|FILE.xlsx",
            file=sys.stderr,
        )
        return EXIT_USAGE
    params = ReportParams(
        as_of=args.as_of,
        start=args.start,
        end=args.end,
        badge=args.badge,
        record_id=args.record,
        include_names=not args.no_names,
        confidential=args.confidential,
        grant=args.grant or "ledta",
        signer=args.signer,
    )
    db = open_db(args)
    try:
        report = renderer(args.kind, db, params)
        if args.output:
            path = report.render(Path(args.output))
            print(f"Wrote {info.title} to {path} ({report.page_count} pages).")
        if args.table_out:
            rows = report.export(Path(args.table_out))
            print(f"Wrote {rows} row(s) of the {info.title.lower()} table to {args.table_out}.")
    finally:
        db.close()
    return EXIT_OK


def register(add: AddCommand) -> None:
    """Add `deesc report` to the `deesc` parser."""
    report = add(
        "report",
        cmd_report,
        "print a report as PDF (compliance, transcript, cit, payments, grant, certificate, "
        "public-summary, due-list)",
    )
    report.add_argument("kind", choices=KINDS, help="which report")
    report.add_argument("-o", "--output", metavar="FILE.pdf", help="write the PDF here")
    report.add_argument(
        "--table-out",
        metavar="FILE",
        help="also (or only) write the report's main table as .csv or .xlsx",
    )
    report.add_argument("--as-of", type=date_arg, metavar="DATE", help="as of (default today)")
    report.add_argument(
        "--from", dest="start", type=date_arg, metavar="DATE", help="first day of the period"
    )
    report.add_argument(
        "--to", dest="end", type=date_arg, metavar="DATE", help="last day of the period"
    )
    report.add_argument("--badge", help="the officer (transcript)")
    report.add_argument("--record", type=int, metavar="ID", help="training record (certificate)")
    report.add_argument(
        "--no-names", action="store_true", help="leave officers' names out (grant report)"
    )
    report.add_argument(
        "--confidential", action="store_true", help='mark "CONFIDENTIAL - personnel records"'
    )
    report.add_argument(
        "--grant", choices=["ledta", "cops", "jag"], help="grant program (grant report)"
    )
    report.add_argument("--signer", metavar="NAME", help="name printed under the signature line")
