"""`deesc bonus` funding actions: funding sources, award changes and payment batches."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from deesc_desktop.cli.cit import FORMATS, date_arg, print_rows
from deesc_desktop.cli.common import (
    EXIT_OK,
    add_force,
    decide,
    output_path,
    print_json,
    record_number,
    signed_in,
    when_by,
)
from deesc_desktop.core.bonus import FUNDING_KINDS
from deesc_desktop.core.money import format_money
from deesc_desktop.services.common import named_id
from deesc_desktop.store.funding import FundingSummary


def funding_json(source: FundingSummary) -> dict[str, Any]:
    """One funding source as `deesc bonus funding --format json` prints it."""
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "kind_label": FUNDING_KINDS.get(source.kind, source.kind),
        "award_number": source.award_number,
        "start": source.start,
        "end": source.end,
        "awarded_cents": source.amount,
        "pending_cents": source.pending,
        "committed_cents": source.committed,
        "paid_cents": source.paid,
        "balance_cents": source.balance,
        "balance": format_money(source.balance),
    }


def cmd_funding(args: argparse.Namespace) -> int:
    from deesc_desktop.store.funding import funding_summaries

    with signed_in(args) as (db, _):
        sources = funding_summaries(db)
    if args.format == "json":
        print_json([funding_json(s) for s in sources])
        return EXIT_OK
    print_rows(
        (
            "id",
            "name",
            "kind",
            "award",
            "period",
            "awarded",
            "pending",
            "committed",
            "paid",
            "balance",
        ),
        [
            [
                s.id,
                s.name,
                FUNDING_KINDS.get(s.kind, s.kind),
                s.award_number,
                f"{s.start} to {s.end}",
                format_money(s.amount),
                format_money(s.pending),
                format_money(s.committed),
                format_money(s.paid),
                format_money(s.balance),
            ]
            for s in sources
        ],
        args.format,
    )
    return EXIT_OK


def cmd_add_funding(args: argparse.Namespace) -> int:
    from deesc_desktop.services.funding import add_funding_source

    with signed_in(args) as (db, user):
        source_id = add_funding_source(
            db,
            user,
            {
                "name": args.name,
                "kind": args.kind,
                "award_number": args.award,
                "amount": args.amount,
                "start": args.start,
                "end": args.end,
                "notes": args.notes,
            },
        )
    print(f"Added funding source #{source_id} {args.name}.")
    return EXIT_OK


def cmd_award_change(args: argparse.Namespace) -> int:
    from deesc_desktop.services.funding import request_award_change

    values = {"amount": args.amount, "start": args.start, "end": args.end, "reason": args.reason}
    with signed_in(args) as (db, user):
        change_id = request_award_change(
            db,
            user,
            named_id(db, "funding_sources", args.source),
            {k: v for k, v in values.items() if v is not None},
        )
    print(
        f"Requested award change #{change_id}; the award stays as it is until a chief "
        "approves the change."
    )
    return EXIT_OK


def cmd_award_changes(args: argparse.Namespace) -> int:
    from deesc_desktop.store.funding import award_changes

    with signed_in(args) as (db, _):
        rows = award_changes(db, status=args.status)
    if args.format == "json":
        print_json(
            [
                {
                    "id": c.id,
                    "funding_source": c.funding_source,
                    "amount_cents": c.amount,
                    "start": c.start,
                    "end": c.end,
                    "previous_amount_cents": c.previous_amount,
                    "previous_start": c.previous_start,
                    "previous_end": c.previous_end,
                    "reason": c.reason,
                    "status": c.status,
                    "requested_at": c.requested_at,
                    "requested_by": c.requested_by,
                    "decided_at": c.decided_at,
                    "decided_by": c.decided_by,
                    "decision_reason": c.decision_reason or None,
                }
                for c in rows
            ]
        )
        return EXIT_OK
    print_rows(
        ("id", "funding source", "from", "to", "status", "requested", "decided", "reason"),
        [
            [
                c.id,
                c.funding_source,
                f"{format_money(c.previous_amount)}, {c.previous_start} to {c.previous_end}",
                f"{format_money(c.amount)}, {c.start} to {c.end}",
                c.status,
                when_by(c.requested_at, c.requested_by),
                when_by(c.decided_at, c.decided_by),
                c.reason + (f" (rejected: {c.decision_reason})" if c.decision_reason else ""),
            ]
            for c in rows
        ],
        args.format,
    )
    return EXIT_OK


def cmd_decide_award(args: argparse.Namespace) -> int:
    from deesc_desktop.services.funding import approve_award_change, reject_award_change

    number = args.change
    return decide(
        args,
        f"Award change #{number}",
        lambda db, user: approve_award_change(db, user, number),
        lambda db, user, why: reject_award_change(db, user, number, reason=why),
        approved="approved: the award reads so from now on",
        rejected="rejected: the award stays as it was",
    )


def cmd_batch_create(args: argparse.Namespace) -> int:
    from deesc_desktop.services.funding import batch_summary, create_payment_batch

    with signed_in(args) as (db, user):
        batch_id = create_payment_batch(
            db,
            user,
            {"reference": args.reference, "pay_date": args.date, "notes": args.notes},
            args.claims or None,
        )
        count, amount = batch_summary(db, batch_id)
    print(
        f"Payment batch #{batch_id} {args.reference}: {count} claim(s), {format_money(amount)}, "
        f"to be paid {args.date.isoformat()}."
    )
    return EXIT_OK


def cmd_batch_list(args: argparse.Namespace) -> int:
    from deesc_desktop.store.funding import payment_batches

    with signed_in(args) as (db, _):
        batches = payment_batches(db)
    if args.format == "json":
        print_json(
            [
                {
                    "id": b.id,
                    "reference": b.reference,
                    "pay_date": b.pay_date,
                    "status": b.status,
                    "claims": b.claims,
                    "total_cents": b.total,
                    "total": format_money(b.total),
                    "created_by": b.created_by,
                    "paid_at": b.paid_at,
                    "paid_by": b.paid_by,
                }
                for b in batches
            ]
        )
        return EXIT_OK
    print_rows(
        ("id", "reference", "pay_date", "status", "claims", "total"),
        [
            [b.id, b.reference, b.pay_date, b.status, b.claims, format_money(b.total)]
            for b in batches
        ],
        args.format,
    )
    return EXIT_OK


def cmd_batch_export(args: argparse.Namespace) -> int:
    from deesc_desktop.services.funding import export_payment_batch

    out = output_path(args, args.output, kind="payroll export", suffixes=(".csv", ".xlsx"))
    with signed_in(args) as (db, _):
        count = export_payment_batch(db, named_id(db, "payment_batches", args.batch), out)
    print(f"Wrote {count} claim(s) to {out}")
    return EXIT_OK


def cmd_batch_pay(args: argparse.Namespace) -> int:
    from deesc_desktop.services.funding import batch_summary, pay_batch

    with signed_in(args) as (db, user):
        batch_id = named_id(db, "payment_batches", args.batch)
        count = pay_batch(db, user, batch_id)
        _, amount = batch_summary(db, batch_id)
    print(f"Paid {count} claim(s), {format_money(amount)}.")
    return EXIT_OK


def register_funding(action: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the funding, award-change and batch actions to `deesc bonus`."""
    action("funding", cmd_funding, "funding sources with committed, paid and balance", lists=True)

    funding = action("add-funding", cmd_add_funding, "record a grant or budget line")
    funding.add_argument("--name", required=True, help="e.g. 'COPS FY25'")
    funding.add_argument("--kind", required=True, choices=list(FUNDING_KINDS))
    funding.add_argument("--award", default="", help="the award number")
    funding.add_argument("--amount", required=True, help="e.g. 250000 or '$250,000.00'")
    funding.add_argument("--start", required=True, metavar="DATE")
    funding.add_argument("--end", required=True, metavar="DATE")
    funding.add_argument("--notes", default="")

    change = action(
        "award-change",
        cmd_award_change,
        "request a new amount or period for an award; it counts once a chief approves it",
    )
    change.add_argument("source", help="the funding source's name or number")
    change.add_argument("--amount", help="the new award amount, e.g. 300000")
    change.add_argument("--start", metavar="DATE", help="the new first day of the period")
    change.add_argument("--end", metavar="DATE", help="the new last day of the period")
    change.add_argument("--reason", required=True, help="e.g. the supplement's award letter")
    changes = action("award-changes", cmd_award_changes, "list award change requests", lists=True)
    changes.add_argument("--status", choices=["pending", "approved", "rejected"])
    approve_award = action(
        "approve-award", cmd_decide_award, "approve a requested award change (not your own)"
    )
    approve_award.add_argument("change", type=record_number)
    reject_award = action("reject-award", cmd_decide_award, "reject a requested award change")
    reject_award.add_argument("change", type=record_number)
    reject_award.add_argument("--reason", required=True)

    batch = action("batch", cmd_batch_list, "payment batches for payroll")
    batch_sub = batch.add_subparsers(dest="batch_action", metavar="STEP", required=True)
    create = batch_sub.add_parser("create", help="group approved claims for one payroll run")
    create.set_defaults(handler=cmd_batch_create)
    create.add_argument(
        "claims", nargs="*", type=record_number, metavar="CLAIM", help="default: all"
    )
    create.add_argument("--reference", required=True, help="e.g. PAYROLL-2025-07-15")
    create.add_argument("--date", required=True, type=date_arg, help="the pay date")
    create.add_argument("--notes", default="")
    blist = batch_sub.add_parser("list", help="list payment batches")
    blist.set_defaults(handler=cmd_batch_list)
    blist.add_argument("--format", choices=FORMATS, default="table")
    export = batch_sub.add_parser("export", help="write a batch as .csv or .xlsx for payroll")
    export.set_defaults(handler=cmd_batch_export)
    export.add_argument("batch", help="the batch reference or number")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    add_force(export)
    bpay = batch_sub.add_parser("pay", help="mark every claim of a batch paid, together")
    bpay.set_defaults(handler=cmd_batch_pay)
    bpay.add_argument("batch", help="the batch reference or number")
