"""`deesc report KIND -o FILE.pdf`: the printable PDF reports, and their tables as CSV or XLSX."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from datetime import datetime

from deesc_desktop.cli.cit import date_arg
from deesc_desktop.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    AddCommand,
    Refused,
    add_force,
    output_path,
    record_number,
    signed_in,
)

KINDS = (
    "compliance",
    "due",
    "notice",
    "transcript",
    "cit",
    "payments",
    "voucher",
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
    "signer_title": "--signer-title",
    "batch": "--batch",
    "days": "--days",
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
        "signer_title": args.signer_title,
        "batch": args.batch,
        "days": args.days,
    }
    return {name: value for name, value in values.items() if value is not None}


SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""The reproducible-builds variable: seconds since 1970 (UTC) to stamp as the generation time."""


def generated_at_arg(text: str) -> datetime:
    """argparse type for --generated-at: an ISO date and time in this computer's local time
    (a date alone is midnight); one with a UTC offset is turned into local time, as the
    report prints every time (core.times)."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a date and time such as 2026-11-22T09:30'
        ) from None
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when


def generation_time(args: argparse.Namespace) -> datetime | None:
    """--generated-at, else $SOURCE_DATE_EPOCH (in local time), else None: the clock's time."""
    if args.generated_at is not None:
        return args.generated_at
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch))
    except (ValueError, OverflowError, OSError):
        raise Refused(
            f'{SOURCE_DATE_EPOCH}="{epoch}" is not a number of seconds since 1970-01-01'
        ) from None


def cmd_report(args: argparse.Namespace) -> int:
    from deesc_desktop.reports import REPORTS, ReportParams, renderer
    from deesc_desktop.services.signers import prepared_by

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
        signer_title=args.signer_title,
        batch=args.batch,
        days=args.days or 90,
    )
    if args.remember_signer and args.signer is None and args.signer_title is None:
        print(
            f"deesc report {args.kind}: --remember-signer saves the --signer and "
            "--signer-title given; give at least one",
            file=sys.stderr,
        )
        return EXIT_USAGE
    pdf = output_path(args, args.output, kind="report", suffixes=(".pdf",)) if args.output else None
    table = (
        output_path(args, args.table_out, kind="table", suffixes=(".csv", ".xlsx"))
        if args.table_out
        else None
    )
    now = generation_time(args)
    with signed_in(args) as (db, user):
        if args.remember_signer:
            from deesc_desktop.services.signers import DEFAULT_SLOT, save_signer

            slot = DEFAULT_SLOT if args.remember_signer == "default" else args.kind
            save_signer(db, user, slot, args.signer or "", args.signer_title or "")
        params = replace(params, prepared_by=prepared_by(db, user))
        report = renderer(args.kind, db, params, now=now)
        if pdf:
            path = report.render(pdf)
            print(f"Wrote {info.title} to {path} ({report.page_count} pages).")
        if table:
            rows = report.export(table)
            print(f"Wrote {rows} row(s) of the {info.title.lower()} table to {table}.")
    return EXIT_OK


def register(add: AddCommand) -> None:
    """Add `deesc report` to the `deesc` parser."""
    report = add(
        "report",
        cmd_report,
        "print a report as PDF (compliance, due, notice, transcript, cit, payments, voucher, "
        "grant, certificate, public-summary, due-list)",
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
    report.add_argument("--badge", help="the officer (transcript; notice: else everyone due)")
    report.add_argument(
        "--days",
        type=int,
        choices=[30, 60, 90],
        help="look ahead this many days (due, notice; default 90)",
    )
    report.add_argument(
        "--record", type=record_number, metavar="ID", help="training record (certificate)"
    )
    report.add_argument(
        "--no-names", action="store_true", help="leave officers' names out (grant report)"
    )
    report.add_argument(
        "--confidential", action="store_true", help='mark "CONFIDENTIAL - personnel records"'
    )
    report.add_argument(
        "--grant", choices=["ledta", "cops", "jag"], help="grant program (grant report)"
    )
    report.add_argument(
        "--signer",
        metavar="NAME",
        help="name printed under the signature line (default: the one saved for this report, "
        "else the agency's default signer, else a blank line)",
    )
    report.add_argument(
        "--signer-title", metavar="TITLE", help="the signer's title, e.g. Chief of Police"
    )
    report.add_argument(
        "--remember-signer",
        nargs="?",
        const="report",
        choices=["report", "default"],
        help="save --signer and --signer-title for this kind of report (or, with 'default', "
        "for every report without its own)",
    )
    report.add_argument(
        "--batch", metavar="REFERENCE", help="payment batch reference or number (voucher)"
    )
    report.add_argument(
        "--generated-at",
        type=generated_at_arg,
        metavar="DATETIME",
        help="print this as the generation time and make the PDF reproducible: the same data "
        f"gives the same bytes (default: ${SOURCE_DATE_EPOCH} when set, else the clock)",
    )
    add_force(report)
