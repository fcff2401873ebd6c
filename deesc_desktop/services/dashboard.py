"""The dashboard's compliance figures: officers by status, counts per requirement, what is due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlite_utils import Database

from deesc_desktop.core.compliance import Status, hours_text
from deesc_desktop.services.compliance import (
    DepartmentSummary,
    OfficerCompliance,
    department_compliance,
    summarise,
)

DUE_DAYS = 90
"""The due list covers what falls due from the day to this many days after it."""

DUE_STATUSES = (Status.DUE_SOON, Status.IN_PROGRESS)
"""Results that are not met yet and have a due date ahead: the due list's."""


@dataclass(frozen=True, slots=True)
class DueSoon:
    """One requirement an officer has yet to meet, due within DUE_DAYS."""

    due: date
    officer: str
    requirement: str
    detail: str
    status: Status


@dataclass(frozen=True, slots=True)
class ComplianceOverview:
    """What the dashboard shows of the department's compliance on `as_of`."""

    as_of: date
    counts: DepartmentSummary
    due: list[DueSoon] = field(default_factory=list)


def due_soon(people: Iterable[OfficerCompliance], as_of: date) -> list[DueSoon]:
    """The results not met yet that fall due within DUE_DAYS of `as_of`, soonest first."""
    horizon = as_of + timedelta(days=DUE_DAYS)
    due = [
        DueSoon(
            result.due_date,
            person.officer.display_name,
            result.requirement_title,
            hours_text(result),
            result.status,
        )
        for person in people
        for result in person.results
        if result.status in DUE_STATUSES
        and result.due_date is not None
        and as_of <= result.due_date <= horizon
    ]
    due.sort(key=lambda item: (item.due, item.officer.casefold()))
    return due


def compliance_overview(db: Database, as_of: date | None = None) -> ComplianceOverview:
    """Overall statuses, statuses per requirement, and what falls due in the next 90 days,
    from one department evaluation on `as_of` (default: today)."""
    as_of = as_of or date.today()
    people = department_compliance(db, as_of)
    return ComplianceOverview(as_of, summarise(people), due_soon(people, as_of))
