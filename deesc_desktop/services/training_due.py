"""Training due: who needs what in the next 30, 60 or 90 days, by shift and unit.

The list a sergeant works from: every requirement an officer serving on the day has not met
and that is overdue or falls due within the horizon, with what it takes to meet it. Built on
department compliance as of the day (services.compliance), so it agrees with every other page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from deesc_desktop.core.compliance import RequirementKind, RequirementResult, Status
from deesc_desktop.core.hours import format_hours
from deesc_desktop.core.models import Officer
from deesc_desktop.core.rules import short_title
from deesc_desktop.services.compliance import department_compliance, officer_compliance
from deesc_desktop.services.errors import ValidationError

HORIZONS = (30, 60, 90)
"""The look-ahead a sergeant chooses from, in days."""

OVERDUE = "overdue"
BUCKET_LABELS = {
    OVERDUE: "Overdue or not met",
    "30": "Due within 30 days",
    "60": "Due in 31-60 days",
    "90": "Due in 61-90 days",
}
"""Buckets of the list, most urgent first."""

NO_SHIFT, NO_UNIT = "(no shift)", "(no unit)"


def needs_text(result: RequirementResult) -> str:
    """What it takes to meet one requirement, in a few words: "18.0 h (Scenario-based
    training 12.0 h, Firearms 2.0 h)", "A class in crisis intervention", "Course 1849",
    "CIT certification"."""
    if result.kind is RequirementKind.HOURS:
        short = [
            f"{sub.label} {format_hours(sub.shortfall)} h"
            for sub in result.sub_minimums
            if not sub.met
        ]
        total = result.shortfall or 0
        if total and short:
            return f"{format_hours(total)} h ({', '.join(short)})"
        if total:
            return f"{format_hours(total)} h"
        if short:
            return ", ".join(short)
        return result.requirement_title
    if result.kind is RequirementKind.CERTIFICATION:
        return result.requirement_title
    if result.wanted:
        # The requirement's own column already names it: say what would meet it.
        return result.wanted[:1].upper() + result.wanted[1:]
    return f"Complete: {result.requirement_title}"


@dataclass(frozen=True, slots=True)
class DueItem:
    """One requirement one officer still has to meet."""

    officer: Officer
    requirement_id: str
    requirement_title: str
    status: Status
    due_date: date | None
    needs: str
    bucket: str
    explanation: str
    kind: RequirementKind

    @property
    def shift(self) -> str:
        return self.officer.shift.strip() or NO_SHIFT

    @property
    def unit(self) -> str:
        return self.officer.unit.strip() or NO_UNIT


def _bucket(result: RequirementResult, as_of: date) -> str:
    if result.status is Status.NON_COMPLIANT or result.due_date is None:
        return OVERDUE
    days = (result.due_date - as_of).days
    if days < 0:
        return OVERDUE
    return next(str(h) for h in HORIZONS if days <= h)


def due_items(
    results: tuple[RequirementResult, ...], officer: Officer, as_of: date, horizon: int
) -> list[DueItem]:
    """The requirements among `results` the officer has not met that are overdue or fall due
    within `horizon` days of `as_of`, soonest first."""
    until = as_of + timedelta(days=horizon)
    items = []
    for result in results:
        pending = result.status in (Status.DUE_SOON, Status.IN_PROGRESS)
        if result.status is Status.NON_COMPLIANT or (
            pending and result.due_date is not None and result.due_date <= until
        ):
            items.append(
                DueItem(
                    officer,
                    result.requirement_id,
                    result.requirement_title,
                    result.status,
                    result.due_date,
                    needs_text(result),
                    _bucket(result, as_of),
                    result.explanation,
                    result.kind,
                )
            )
    items.sort(key=lambda i: (list(BUCKET_LABELS).index(i.bucket), i.due_date or date.min))
    return items


@dataclass(frozen=True, slots=True)
class TrainingDue:
    """Everything due in the horizon, for the list, the report and the notices."""

    as_of: date
    horizon: int
    officers: int
    """Officers serving on the day (the list names only those who need something)."""
    items: list[DueItem]

    @property
    def until(self) -> date:
        return self.as_of + timedelta(days=self.horizon)

    def by_officer(self) -> dict[int, list[DueItem]]:
        grouped: dict[int, list[DueItem]] = defaultdict(list)
        for item in self.items:
            grouped[item.officer.id].append(item)
        return dict(grouped)

    def groups(self, key: str) -> list[tuple[str, list[DueItem]]]:
        """The items by "shift" or "unit", groups by name, each in the list's order."""
        if key not in ("shift", "unit"):
            raise ValueError(f"group by shift or unit, not {key!r}")
        grouped: dict[str, list[DueItem]] = defaultdict(list)
        for item in self.items:
            grouped[getattr(item, key)].append(item)
        return sorted(grouped.items(), key=lambda pair: pair[0].casefold())

    def counts(self, items: list[DueItem]) -> dict[str, int]:
        """Officers needing something in each bucket (an officer counts once per bucket)."""
        officers: dict[str, set[int]] = {bucket: set() for bucket in BUCKET_LABELS}
        for item in items:
            officers[item.bucket].add(item.officer.id)
        return {bucket: len(ids) for bucket, ids in officers.items()}


def check_horizon(days: int) -> int:
    if days not in HORIZONS:
        raise ValidationError({"days": f"choose {', '.join(map(str, HORIZONS))} days, not {days}"})
    return days


def training_due(
    db: Database, as_of: date, horizon: int = 90, *, today: date | None = None
) -> TrainingDue:
    """Every officer serving on `as_of` with a requirement overdue or due within `horizon`."""
    check_horizon(horizon)
    people = department_compliance(db, as_of, today=today)
    items = [
        item
        for person in people
        for item in due_items(person.results, person.officer, as_of, horizon)
    ]
    return TrainingDue(as_of, horizon, len(people), items)


def officer_due(
    db: Database, officer_id: int, as_of: date, horizon: int = 90, *, today: date | None = None
) -> list[DueItem]:
    """One officer's list, for a deficiency notice or the roster's "needs" column."""
    check_horizon(horizon)
    person = officer_compliance(db, officer_id, as_of, today=today)
    return due_items(person.results, person.officer, as_of, horizon)


NEEDS_SEPARATOR = " · "
"""Between requirements in the Needs column: a title may hold a semicolon itself."""


def needs_summary(items: list[DueItem]) -> str:
    """The roster's "Needs" column in the requirements' own words, shortened to the part
    before the colon: "In-service training 18.0 h · Annual firearms qualification", "" for
    none."""
    return NEEDS_SEPARATOR.join(
        short_title(item.requirement_title)
        if item.kind is RequirementKind.COURSE or item.needs == item.requirement_title
        else f"{short_title(item.requirement_title)} {item.needs}"
        for item in items
    )
