"""The money reports for a closed period say what stood on its last day: an addition approved
later was still waiting then, and a recovery made later is not in the period's totals."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from deesc_desktop.core.auth import Actor, Role
from deesc_desktop.core.times import local_day
from deesc_desktop.services.claim_workflow import (
    add_adjustment,
    approve_adjustment,
    approve_claims,
)
from deesc_desktop.services.public_summary import public_summary
from deesc_desktop.services.reporting.payments import gather_payments
from deesc_desktop.store import open_database
from deesc_desktop.store.claims import list_adjustments, list_claims

CHIEF, FINANCE = Actor("chief.harmon", Role.CHIEF), Actor("fin.ruiz", Role.FINANCE)


@pytest.fixture
def demo(pristine: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy of the demo: a $200 recovery counted, a $150 addition waiting for the chief."""
    path = tmp_path / "demo.db"
    shutil.copy(pristine, path)
    db = open_database(path)
    yield db
    db.close()


def period_to(addition_day: date) -> tuple[date, date]:
    """The fiscal year to the day the addition is dated (the demo's fiscal year: July)."""
    start = date(addition_day.year if addition_day.month >= 7 else addition_day.year - 1, 7, 1)
    return start, addition_day


def test_an_addition_approved_after_the_period_was_waiting_on_its_last_day(
    demo: Database,
) -> None:
    (addition,) = list_adjustments(demo, status="pending")
    day = date.fromisoformat(addition.adjusted_on)
    start, end = period_to(day)
    before = gather_payments(demo, start, end, defaulted=False)
    assert [a.id for a in before.waiting] == [addition.id]
    later = datetime.combine(day + timedelta(days=3), datetime.min.time(), UTC)
    approve_adjustment(demo, CHIEF, addition.id, now=later.replace(hour=15))
    after = gather_payments(demo, start, end, defaulted=False)
    assert [a.id for a in after.waiting] == [addition.id]
    assert after.grand_total == before.grand_total
    assert after.adjustments == before.adjustments
    # A period that ends on the day of the approval counts it.
    counted = gather_payments(demo, start, day + timedelta(days=3), defaulted=False)
    assert counted.grand_total == before.grand_total + addition.amount
    assert counted.waiting == []


def test_the_public_summary_totals_what_the_register_totals(demo: Database) -> None:
    """Bonus payments in the public summary are the register's grand total for the period,
    program by program: a recovery dated after the period does not lower them."""
    (addition,) = list_adjustments(demo, status="pending")
    start, end = period_to(date.fromisoformat(addition.adjusted_on))
    register = gather_payments(demo, start, end, defaulted=False)
    published = public_summary(demo, start, end)
    assert sum(p.total for p in published.payments) == register.grand_total
    assert {p.program: p.total for p in published.payments} == {
        p.name: p.net for p in register.programs if p.paid_claims or p.adjustments
    }
    paid = next(c for c in register.paid)
    now = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC).replace(hour=15)
    add_adjustment(
        demo,
        FINANCE,
        paid.id,
        {"amount": "-100", "reason": "Recovered", "adjusted_on": end + timedelta(days=1)},
        now=now,
    )
    assert public_summary(demo, start, end).payments == published.payments


def test_the_register_counts_each_claim_in_the_status_it_had_on_the_last_day(
    demo: Database,
) -> None:
    """A claim submitted in the period and approved after it ended stays "submitted" in that
    period's register, and the money approved and unpaid does not include it."""
    (claim,) = list_claims(demo, status="submitted")
    submitted = local_day(claim.submitted_at or "")
    assert submitted is not None
    start, end = period_to(submitted)
    before = gather_payments(demo, start, end, defaulted=False)
    assert claim.id in [c.id for c in before.by_status["submitted"]]
    later = datetime.combine(submitted + timedelta(days=2), datetime.min.time(), UTC)
    approve_claims(demo, CHIEF, [claim.id], now=later.replace(hour=15))
    after = gather_payments(demo, start, end, defaulted=False)
    assert claim.id in [c.id for c in after.by_status["submitted"]]
    assert claim.id not in [c.id for c in after.by_status["approved"]]
    assert [p.committed for p in after.programs] == [p.committed for p in before.programs]
    # The period that takes in the approval day counts it approved, and committed.
    through = gather_payments(demo, start, submitted + timedelta(days=2), defaulted=False)
    assert claim.id in [c.id for c in through.by_status["approved"]]
    assert sum(p.committed for p in through.programs) == (
        sum(p.committed for p in before.programs) + claim.amount
    )
