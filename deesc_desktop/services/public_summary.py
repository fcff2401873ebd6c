"""The public summary a department can publish: counts and totals of training, incidents and
bonus payments for a period, with no names and nothing that identifies anyone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.incidents import DEESCALATION_TOPICS, LedtaFigures
from deesc_desktop.core.money import Cents
from deesc_desktop.services.errors import ValidationError
from deesc_desktop.services.incidents import incident_figures
from deesc_desktop.services.reporting import adjustments_on_last_day
from deesc_desktop.store.claims import list_claims
from deesc_desktop.store.officers import load_officers
from deesc_desktop.store.training import load_records


@dataclass(frozen=True, slots=True)
class ProgramPayments:
    """Bonus payments of one program in the period: how many claims were paid, and the total
    paid net of the adjustments dated in the period (as the payment register totals it)."""

    program: str
    payments: int
    total: Cents


@dataclass(frozen=True, slots=True)
class PublicSummary:
    """Every figure of the public summary; none of them names or singles out a person."""

    start: date
    end: date
    officers_employed: int
    classes_held: int
    completions: int
    officers_trained: int
    training_hours: Centihours
    deescalation_hours: Centihours
    officers_deescalation_trained: int
    """Officers employed at the end of the period with de-escalation training in it."""
    incidents: LedtaFigures
    payments: list[ProgramPayments]

    @property
    def payments_total(self) -> Cents:
        return sum(p.total for p in self.payments)

    @property
    def payment_count(self) -> int:
        return sum(p.payments for p in self.payments)


def public_summary(db: Database, start: date, end: date) -> PublicSummary:
    """The summary's figures for `start` to `end`, both days included."""
    if end < start:
        raise ValidationError({"end": "the period ends before it starts"})
    officers = load_officers(db)
    employed = {
        o.id
        for o in officers
        if o.hire_date <= end and (o.separation_date is None or o.separation_date >= end)
    }
    records = [
        r for rows in load_records(db, since=start).values() for r in rows if r.completed <= end
    ]
    deescalation = {
        r.officer_id for r in records if any(c in DEESCALATION_TOPICS for c in r.topics)
    }
    # The register's grand total, program by program: claims paid in the period, and the
    # adjustments dated in it that counted by its last day (a later recovery is a later
    # period's).
    paid: dict[str, int] = defaultdict(int)
    totals: dict[str, Cents] = defaultdict(int)
    for claim in list_claims(db, status="paid"):
        if claim.paid_on and start.isoformat() <= claim.paid_on <= end.isoformat():
            paid[claim.program] += 1
            totals[claim.program] += claim.amount
    for adjustment in adjustments_on_last_day(db, start, end)[0]:
        totals[adjustment.program] += adjustment.amount
    return PublicSummary(
        start=start,
        end=end,
        officers_employed=len(employed),
        classes_held=len({(r.course_id, r.completed) for r in records}),
        completions=len(records),
        officers_trained=len({r.officer_id for r in records}),
        training_hours=sum(r.hours for r in records),
        deescalation_hours=sum(
            hours for r in records for code, hours in r.topic_hours if code in DEESCALATION_TOPICS
        ),
        officers_deescalation_trained=len(deescalation & employed),
        incidents=incident_figures(db, start, end),
        payments=[
            ProgramPayments(program, paid[program], total)
            for program, total in sorted(totals.items(), key=lambda item: item[0].casefold())
        ],
    )
