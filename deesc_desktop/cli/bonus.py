"""`deesc bonus ...`: bonus programs, eligible officers, claims from draft to paid, funding,
payment batches."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlite_utils import Database

from deesc_desktop.cli.bonus_funding import register_funding
from deesc_desktop.cli.cit import FORMATS, date_arg, officer_id_for, print_rows
from deesc_desktop.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    AddCommand,
    Refused,
    decide,
    print_json,
    record_number,
    signed_in,
    when_by,
)
from deesc_desktop.core.bonus import CLAIM_STATUSES, Program
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.money import format_money
from deesc_desktop.core.times import stamp_text
from deesc_desktop.services.common import named_id
from deesc_desktop.store.claims import AdjustmentRow, ClaimRow


def program_rule_text(program: Program) -> str:
    """The rule in a few words: "8.0 h of de_escalation, post-test 70+"."""
    rule = program.rule
    what = ", ".join([*sorted(rule.topics), *rule.courses])
    text = f"{format_hours(rule.min_hours)} h of {what}"
    if rule.passing_score is not None:
        text += f", post-test {rule.passing_score:g}+"
    return text


# --- programs -----------------------------------------------------------------------------------


def cmd_programs(args: argparse.Namespace) -> int:
    from deesc_desktop.store.claims import programs

    with signed_in(args) as (db, _):
        rows = programs(db)
    if args.format == "json":
        print_json(
            [
                {
                    "id": r.program.id,
                    "name": r.program.name,
                    "amount_cents": r.program.amount,
                    "amount": format_money(r.program.amount),
                    "one_time": r.program.one_time,
                    "topics": sorted(r.program.rule.topics),
                    "courses": list(r.program.rule.courses),
                    "min_hours": float(format_hours(r.program.rule.min_hours)),
                    "passing_score": r.program.rule.passing_score,
                    "start": r.program.rule.start.isoformat(),
                    "end": r.program.rule.end.isoformat(),
                    "funding_source": r.funding_source,
                    "claims": r.claims,
                    "paid_cents": r.paid,
                }
                for r in rows
            ]
        )
        return EXIT_OK
    print_rows(
        ("id", "name", "amount", "rule", "from", "to", "funding", "claims", "paid"),
        [
            [
                r.program.id,
                r.program.name,
                format_money(r.program.amount) + ("" if r.program.one_time else " each time"),
                program_rule_text(r.program),
                r.program.rule.start.isoformat(),
                r.program.rule.end.isoformat(),
                r.funding_source,
                ", ".join(f"{n} {s}" for s, n in sorted(r.claims.items())) or "none",
                format_money(r.paid),
            ]
            for r in rows
        ],
        args.format,
    )
    return EXIT_OK


def cmd_add_program(args: argparse.Namespace) -> int:
    from deesc_desktop.services.bonus import add_program, program_funding_warnings
    from deesc_desktop.store.claims import load_program

    with signed_in(args) as (db, user):
        program_id = add_program(
            db,
            user,
            {
                "name": args.name,
                "amount": args.amount,
                "one_time": not args.repeatable,
                "topics": args.topics,
                "courses": args.courses,
                "min_hours": args.min_hours,
                "passing_score": args.passing_score,
                "start": args.start,
                "end": args.end,
                "funding_source": args.funding,
                "notes": args.notes,
            },
        )
        program = load_program(db, program_id)
        warning = program_funding_warnings(db).get(program_id)
    assert program is not None
    if warning:
        print(f"deesc: warning: {warning}", file=sys.stderr)
    print(
        f"Added program #{program_id} {program.name}: {format_money(program.amount)} for "
        f"{program_rule_text(program)} between {program.rule.start} and {program.rule.end}."
    )
    return EXIT_OK


def cmd_default_amount(args: argparse.Namespace) -> int:
    from deesc_desktop.services.bonus import set_default_amount
    from deesc_desktop.store.claims import default_bonus_amount

    with signed_in(args) as (db, user):
        if args.amount is None:
            cents = default_bonus_amount(db)
        else:
            cents = set_default_amount(db, user, args.amount)
    print(f"New programs start at {format_money(cents)}.")
    return EXIT_OK


# --- eligibility and claims ---------------------------------------------------------------------


def cmd_eligible(args: argparse.Namespace) -> int:
    from deesc_desktop.services.bonus import find_eligible, program_funding_warnings
    from deesc_desktop.store.claims import load_program

    with signed_in(args) as (db, _):
        program_id = named_id(db, "bonus_programs", args.program)
        rows = find_eligible(db, program_id)
        program = load_program(db, program_id)
        warning = program_funding_warnings(db).get(program_id)
    assert program is not None
    if warning:
        print(f"deesc: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        print_json(
            {
                "program": {"id": program.id, "name": program.name},
                "officers": [
                    {
                        "officer_id": r.officer.id,
                        "badge": r.officer.badge,
                        "name": r.officer.display_name,
                        "eligible": r.eligibility.eligible,
                        "claimable": r.claimable,
                        "hours": float(format_hours(r.eligibility.hours)),
                        "post_test": r.eligibility.best_post_test,
                        "record_ids": list(r.eligibility.record_ids),
                        "reasons": list(r.eligibility.reasons),
                        "lacking": list(r.eligibility.lacking),
                        "existing_claim": (
                            {"id": r.existing_claim[0], "status": r.existing_claim[1]}
                            if r.existing_claim
                            else None
                        ),
                    }
                    for r in rows
                    if args.all or r.eligibility.eligible
                ],
            }
        )
        return EXIT_OK
    shown = [r for r in rows if args.all or r.eligibility.eligible]
    print_rows(
        ("badge", "name", "eligible", "hours", "why"),
        [
            [
                r.officer.badge,
                r.officer.display_name,
                "yes" if r.claimable else ("claimed" if r.existing_claim else "no"),
                format_hours(r.eligibility.hours),
                r.explanation,
            ]
            for r in shown
        ],
        args.format,
    )
    if args.format == "table":
        claimable = sum(r.claimable for r in rows)
        print(f"{claimable} officer(s) can be claimed for {program.name}.")
    return EXIT_OK


def cmd_claim(args: argparse.Namespace) -> int:
    from deesc_desktop.services.bonus import create_claims, find_eligible

    if not args.badges and not args.all_eligible:
        print("deesc bonus claim: give badges or --all-eligible", file=sys.stderr)
        return EXIT_USAGE
    with signed_in(args) as (db, user):
        program_id = named_id(db, "bonus_programs", args.program)
        if args.all_eligible:
            officer_ids = [r.officer.id for r in find_eligible(db, program_id) if r.claimable]
            if not officer_ids:
                raise Refused("No officer is eligible and unclaimed in this program.")
        else:
            officer_ids = [officer_id_for(db, badge) for badge in args.badges]
        ids = create_claims(db, user, program_id, officer_ids)
    print(f"Drafted {len(ids)} claim(s): {', '.join(f'#{i}' for i in ids)}.")
    return EXIT_OK


def claim_json(claim: ClaimRow) -> dict[str, Any]:
    """One claim as `deesc bonus claims --format json` prints it."""
    return {
        "id": claim.id,
        "program_id": claim.program_id,
        "program": claim.program,
        "officer_id": claim.officer_id,
        "badge": claim.badge,
        "name": claim.officer_name,
        "status": claim.status,
        "amount_cents": claim.amount,
        "amount": format_money(claim.amount),
        "adjustments_cents": claim.adjustments,
        "pending_adjustments_cents": claim.pending_adjustments,
        "net_cents": claim.net,
        "funding_source": claim.funding_source,
        "qualifying_hours": claim.qualifying_hours,
        "eligibility": claim.eligibility,
        "created_at": claim.created_at,
        "created_by": claim.created_by,
        "submitted_at": claim.submitted_at,
        "submitted_by": claim.submitted_by,
        "approved_at": claim.approved_at,
        "approved_by": claim.approved_by,
        "denied_at": claim.denied_at,
        "denied_by": claim.denied_by,
        "denied_reason": claim.denied_reason or None,
        "voided_at": claim.voided_at,
        "voided_by": claim.voided_by,
        "void_reason": claim.void_reason or None,
        "paid_at": claim.paid_at,
        "paid_by": claim.paid_by,
        "paid_on": claim.paid_on,
        "payment_reference": claim.payment_reference or None,
        "batch_id": claim.batch_id,
    }


def _who_when(claim: ClaimRow) -> str:
    """The claim's last step: what, when (local time, with its zone) and by whom."""
    if claim.status == "paid":
        return f"paid {claim.paid_on} ({claim.payment_reference}) by {claim.paid_by}"
    step = {
        "approved": ("approved", claim.approved_at, claim.approved_by, ""),
        "submitted": ("submitted", claim.submitted_at, claim.submitted_by, ""),
        "denied": ("denied", claim.denied_at, claim.denied_by, claim.denied_reason),
        "voided": ("voided", claim.voided_at, claim.voided_by, claim.void_reason),
    }.get(claim.status, ("drafted", claim.created_at, claim.created_by, ""))
    verb, at, by, reason = step
    return f"{verb} {stamp_text(at)} by {by}" + (f": {reason}" if reason else "")


def _amount_text(claim: ClaimRow) -> str:
    text = format_money(claim.net)
    if claim.adjustments:
        text += f" (adj. {format_money(claim.adjustments)})"
    if claim.pending_adjustments:
        text += f" (+{format_money(claim.pending_adjustments)} awaiting approval)"
    return text


def status_totals(claims: list[ClaimRow]) -> str:
    """Claims counted and summed per status, never adding one status to another: "2 paid
    $7,400.00 (net of adjustments); 1 approved $3,800.00; 1 denied $3,800.00"."""
    from deesc_desktop.core.bonus import total

    parts = []
    for status in CLAIM_STATUSES:
        group = [c for c in claims if c.status == status]
        if group:
            money = total(c.net if status == "paid" else c.amount for c in group)
            net = " (net of adjustments)" if status == "paid" else ""
            parts.append(f"{len(group)} {status} {format_money(money)}{net}")
    return "; ".join(parts)


def cmd_claims(args: argparse.Namespace) -> int:
    from deesc_desktop.store.claims import list_claims

    with signed_in(args) as (db, _):
        claims = list_claims(
            db,
            program_id=named_id(db, "bonus_programs", args.program) if args.program else None,
            status=args.status,
            officer_id=officer_id_for(db, args.badge) if args.badge else None,
        )
    if args.format == "json":
        print_json([claim_json(c) for c in claims])
        return EXIT_OK
    print_rows(
        ("claim", "badge", "name", "program", "amount", "status", "last step"),
        [
            [
                f"#{c.id}",
                c.badge,
                c.officer_name,
                c.program,
                _amount_text(c),
                c.status,
                _who_when(c),
            ]
            for c in claims
        ],
        args.format,
    )
    if args.format == "table":
        print(f"{len(claims)} claim(s): {status_totals(claims) or 'none'}.")
        print("Only paid claims are money paid out; the others are not added to them.")
    return EXIT_OK


def _claim_ids(db: Database, args: argparse.Namespace, status: str) -> list[int]:
    from deesc_desktop.store.claims import list_claims

    if args.all:
        program_id = named_id(db, "bonus_programs", args.program) if args.program else None
        ids = [c.id for c in list_claims(db, status=status, program_id=program_id)]
        if not ids:
            raise Refused(f"There are no {status} claims.")
        return ids
    if not args.claims:
        print(f"deesc bonus: give claim numbers or --all ({status} claims)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    return list(args.claims)


def cmd_submit(args: argparse.Namespace) -> int:
    from deesc_desktop.services.claim_workflow import submit_claims

    with signed_in(args) as (db, user):
        count = submit_claims(db, user, _claim_ids(db, args, "draft"))
    print(f"Submitted {count} claim(s) for approval.")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from deesc_desktop.services.claim_workflow import approve_claims

    with signed_in(args) as (db, user):
        count = approve_claims(db, user, _claim_ids(db, args, "submitted"))
    print(f"Approved {count} claim(s).")
    return EXIT_OK


def cmd_deny(args: argparse.Namespace) -> int:
    from deesc_desktop.services.claim_workflow import deny_claim

    with signed_in(args) as (db, user):
        deny_claim(db, user, args.claim, reason=args.reason)
    print(f"Denied claim #{args.claim}.")
    return EXIT_OK


def cmd_void(args: argparse.Namespace) -> int:
    from deesc_desktop.services.claim_workflow import void_claim

    with signed_in(args) as (db, user):
        void_claim(db, user, args.claim, reason=args.reason)
    print(f"Voided claim #{args.claim}.")
    return EXIT_OK


def cmd_pay(args: argparse.Namespace) -> int:
    from deesc_desktop.services.claim_workflow import pay_claim

    with signed_in(args) as (db, user):
        pay_claim(db, user, args.claim, paid_on=args.date, reference=args.reference)
    print(f"Claim #{args.claim} paid on {args.date.isoformat()} ({args.reference}).")
    return EXIT_OK


def cmd_adjust(args: argparse.Namespace) -> int:
    from deesc_desktop.services.claim_workflow import add_adjustment

    with signed_in(args) as (db, user):
        adjustment_id = add_adjustment(
            db,
            user,
            args.claim,
            {
                "amount": args.amount,
                "reason": args.reason,
                "adjusted_on": args.date,
                "reference": args.reference,
            },
        )
    print(f"Recorded adjustment #{adjustment_id} to claim #{args.claim}.")
    if not args.amount.strip().startswith("-"):
        print("It is an addition: it counts only once a chief approves it (approve-adjustment).")
    return EXIT_OK


def adjustment_json(adjustment: AdjustmentRow) -> dict[str, Any]:
    """One adjustment as `deesc bonus adjustments --format json` prints it."""
    return {
        "id": adjustment.id,
        "claim_id": adjustment.claim_id,
        "badge": adjustment.badge,
        "name": adjustment.officer,
        "program": adjustment.program,
        "amount_cents": adjustment.amount,
        "amount": format_money(adjustment.amount),
        "adjusted_on": adjustment.adjusted_on,
        "reference": adjustment.reference or None,
        "reason": adjustment.reason,
        "status": adjustment.status,
        "created_at": adjustment.created_at,
        "created_by": adjustment.created_by,
        "decided_at": adjustment.decided_at,
        "decided_by": adjustment.decided_by,
        "decision_reason": adjustment.decision_reason or None,
    }


def cmd_adjustments(args: argparse.Namespace) -> int:
    from deesc_desktop.store.claims import list_adjustments

    with signed_in(args) as (db, _):
        rows = list_adjustments(db, status=args.status)
    if args.format == "json":
        print_json([adjustment_json(a) for a in rows])
        return EXIT_OK
    print_rows(
        ("id", "claim", "badge", "name", "date", "amount", "status", "entered", "decided", "why"),
        [
            [
                a.id,
                f"#{a.claim_id}",
                a.badge,
                a.officer,
                a.adjusted_on,
                format_money(a.amount),
                a.status,
                when_by(a.created_at, a.created_by),
                when_by(a.decided_at, a.decided_by),
                a.reason + (f" (rejected: {a.decision_reason})" if a.decision_reason else ""),
            ]
            for a in rows
        ],
        args.format,
    )
    return EXIT_OK


def cmd_decide_adjustment(args: argparse.Namespace) -> int:
    from deesc_desktop.services.claim_workflow import approve_adjustment, reject_adjustment

    number = args.adjustment
    return decide(
        args,
        f"Adjustment #{number}",
        lambda db, user: approve_adjustment(db, user, number),
        lambda db, user, why: reject_adjustment(db, user, number, reason=why),
        approved="approved: it counts from now on",
        rejected="rejected: it never counts",
    )


def _claim_list(parser: argparse.ArgumentParser, status: str) -> None:
    parser.add_argument(
        "claims", nargs="*", type=record_number, metavar="CLAIM", help="claim numbers"
    )
    parser.add_argument("--all", action="store_true", help=f"every {status} claim")
    parser.add_argument("--program", help=f"with --all: only this program's {status} claims")


def register(add: AddCommand) -> None:
    """Add `deesc bonus` and its actions to the parser."""
    bonus = add(
        "bonus",
        cmd_programs,
        "de-escalation bonus: programs, eligible officers, claims, funding, payment",
    )
    sub = bonus.add_subparsers(dest="bonus_action", metavar="ACTION", required=True)

    def action(
        name: str, handler: Any, text: str, *, lists: bool = False
    ) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=text, description=text)
        parser.set_defaults(handler=handler)
        if lists:
            parser.add_argument("--format", choices=FORMATS, default="table")
        return parser

    action("programs", cmd_programs, "list the bonus programs", lists=True)

    program = action("add-program", cmd_add_program, "set up a bonus program")
    program.add_argument("--name", required=True)
    program.add_argument(
        "--amount", help="per officer, e.g. 3800 or '$3,800.00' (default: the agency default)"
    )
    program.add_argument("--topics", help="qualifying topic codes, e.g. de_escalation")
    program.add_argument("--courses", help="qualifying course titles or numbers, ';' between")
    program.add_argument("--min-hours", required=True, help="hours needed within the dates")
    program.add_argument("--passing-score", help="post-test score needed (none when omitted)")
    program.add_argument("--start", required=True, metavar="DATE")
    program.add_argument("--end", required=True, metavar="DATE")
    program.add_argument("--funding", required=True, help="the funding source's name or number")
    program.add_argument(
        "--repeatable", action="store_true", help="officers may be paid more than once"
    )
    program.add_argument("--notes", default="")

    default = action(
        "default-amount",
        cmd_default_amount,
        "show or change the amount new programs start from ($3,800.00 unless changed)",
    )
    default.add_argument("amount", nargs="?")

    eligible = action("eligible", cmd_eligible, "who qualifies for a program and why", lists=True)
    eligible.add_argument("program", help="the program's name or number")
    eligible.add_argument(
        "--all", action="store_true", help="also list who does not qualify, and what they lack"
    )

    claim = action("claim", cmd_claim, "draft claims for officers who qualify")
    claim.add_argument("program", help="the program's name or number")
    claim.add_argument("badges", nargs="*", metavar="BADGE")
    claim.add_argument(
        "--all-eligible", action="store_true", help="every eligible officer without a claim"
    )

    claims = action("claims", cmd_claims, "list claims", lists=True)
    claims.add_argument("--program", help="the program's name or number")
    claims.add_argument("--status", choices=list(CLAIM_STATUSES))
    claims.add_argument("--badge")

    submit = action("submit", cmd_submit, "submit draft claims for approval")
    _claim_list(submit, "draft")
    approve = action("approve", cmd_approve, "approve submitted claims (not your own)")
    _claim_list(approve, "submitted")

    deny = action("deny", cmd_deny, "deny a submitted claim, with the reason")
    deny.add_argument("claim", type=record_number)
    deny.add_argument("--reason", required=True)

    void = action("void", cmd_void, "void a claim before payment, with the reason")
    void.add_argument("claim", type=record_number)
    void.add_argument("--reason", required=True)

    pay = action("pay", cmd_pay, "record the payment of one approved claim")
    pay.add_argument("claim", type=record_number)
    pay.add_argument("--date", required=True, type=date_arg, help="the payment date")
    pay.add_argument("--reference", required=True, help="payroll batch or check number")

    adjust = action("adjust", cmd_adjust, "correct a paid claim with a separate adjustment")
    adjust.add_argument("claim", type=record_number)
    adjust.add_argument("--amount", required=True, help="e.g. 200 or -200.00 to recover")
    adjust.add_argument("--reason", required=True)
    adjust.add_argument("--date", type=date_arg, help="default today")
    adjust.add_argument("--reference", default="")

    adjustments = action(
        "adjustments", cmd_adjustments, "list adjustments to paid claims", lists=True
    )
    adjustments.add_argument("--status", choices=["pending", "counted", "rejected"])
    approve_adjustment = action(
        "approve-adjustment",
        cmd_decide_adjustment,
        "approve an addition to a paid claim (not your own): from then on it counts",
    )
    approve_adjustment.add_argument("adjustment", type=record_number)
    reject_adjustment = action(
        "reject-adjustment", cmd_decide_adjustment, "reject an addition to a paid claim"
    )
    reject_adjustment.add_argument("adjustment", type=record_number)
    reject_adjustment.add_argument("--reason", required=True)

    register_funding(action)
