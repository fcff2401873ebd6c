"""Compliance for the department or one officer, as of a date, from the records in the file.

As of a date means as things stood that day (core.roster): the officers serving then, in the
status of that day, with only the training, certificates and leave dated by then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.compliance import (
    NEEDS_ATTENTION,
    RequirementResult,
    Status,
    Training,
    TrainingNeeds,
    evaluate_department,
    evaluate_officer,
    training_needs,
    worst_status,
)
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.core.roster import as_it_stood
from deesc_desktop.services.cit import certifications_by_officer
from deesc_desktop.services.common import collector_paused
from deesc_desktop.services.errors import NotFoundError, ServiceError
from deesc_desktop.services.export import DATE, NUMBER, ColumnKinds
from deesc_desktop.services.requirements import active_requirements
from deesc_desktop.services.roster import begun_leave, roster_on
from deesc_desktop.store.agency import get_agency
from deesc_desktop.store.leave import load_exemptions
from deesc_desktop.store.officers import get_officer, officer_by_badge
from deesc_desktop.store.training import load_hour_totals, load_records


def _certifications(
    db: Database, officer_id: int | None, as_of: date
) -> dict[int, list[Certification]]:
    # CIT periods come from each officer's own history: one officer's are worked out alone.
    return certifications_by_officer(db, officer_id=officer_id, through=as_of)


def _training(db: Database, needs: TrainingNeeds, as_of: date) -> Mapping[int, Sequence[Training]]:
    """Every officer's training as far as the requirements read it: hour totals where they
    only add hours in shared windows, else the records since the earliest date they count."""
    if needs.cuts is not None:
        totals = load_hour_totals(
            db, needs.cuts, needs.topics, needs.deliveries, by_course=needs.by_course
        )
        if totals is not None:
            return totals
    return load_records(db, since=needs.since, until=as_of)


@dataclass(frozen=True, slots=True)
class OfficerCompliance:
    """One officer and their result on each requirement in force."""

    officer: Officer
    results: tuple[RequirementResult, ...]

    @property
    def worst(self) -> Status:
        """The status that most needs attention, for a one-word roster column."""
        return worst_status(result.status for result in self.results)


def _agency(db: Database) -> Agency:
    agency = get_agency(db)
    if agency is None:
        raise ServiceError("This database has no agency yet; run `deesc init` first.")
    return agency


def department_compliance(
    db: Database,
    as_of: date,
    *,
    include_separated: bool = False,
    requirement_id: str | None = None,
    today: date | None = None,
) -> list[OfficerCompliance]:
    """Every officer serving on `as_of` against every requirement in force that day, in a
    handful of queries; with `include_separated`, every officer on file (those not serving
    then are "not applicable", with the reason). `today` (default: the clock's) is the day
    from which the roster's own "on leave" counts."""
    agency = _agency(db)
    requirements = active_requirements(db)
    if requirement_id is not None:
        requirements = [r for r in requirements if r.id == requirement_id]
        if not requirements:
            raise NotFoundError(f"There is no requirement {requirement_id} for this agency.")
    with collector_paused():
        roster = roster_on(db, as_of, today=today, everyone=include_separated)
        officers = roster.officers
        needs = training_needs(requirements, agency, as_of)
        results = evaluate_department(
            officers,
            requirements,
            _training(db, needs, as_of),
            roster.exemptions,
            _certifications(db, None, as_of) if needs.certifications else {},
            as_of,
            agency,
        )
        by_officer: dict[int, list[RequirementResult]] = {officer.id: [] for officer in officers}
        for result in results:
            by_officer[result.officer_id].append(result)
        return [OfficerCompliance(officer, tuple(by_officer[officer.id])) for officer in officers]


def officer_compliance(
    db: Database, officer_id: int, as_of: date, *, today: date | None = None
) -> OfficerCompliance:
    """One officer's results with explanations as things stood on `as_of`, fast enough to
    show on a click."""
    officer = get_officer(db, officer_id)
    if officer is None:
        raise NotFoundError(f"There is no officer with id {officer_id}.")
    return compliance_of(
        db,
        officer,
        load_records(db, [officer_id], until=as_of).get(officer_id, []),
        load_exemptions(db, [officer_id]).get(officer_id, []),
        as_of,
        today=today,
    )


def compliance_of(
    db: Database,
    officer: Officer,
    records: Sequence[TrainingRecord],
    exemptions: Sequence[Exemption],
    as_of: date,
    *,
    today: date | None = None,
) -> OfficerCompliance:
    """The same for an officer whose records (at least those completed by `as_of`) and
    leave the caller has read already, for a page that shows them too (the transcript)."""
    begun = begun_leave({officer.id: list(exemptions)}, as_of).get(officer.id, [])
    officer = as_it_stood(officer, as_of, begun, today or date.today())
    results = evaluate_officer(
        officer,
        active_requirements(db),
        [r for r in records if r.completed <= as_of],
        begun,
        _certifications(db, officer.id, as_of).get(officer.id, []),
        as_of,
        _agency(db),
    )
    return OfficerCompliance(officer, tuple(results))


def officer_compliance_by_badge(
    db: Database, badge: str, as_of: date, *, today: date | None = None
) -> OfficerCompliance:
    """The same, found by badge as the CLI is given it."""
    officer = officer_by_badge(db, badge)
    if officer is None:
        raise NotFoundError(f'There is no officer with badge "{badge}".')
    return officer_compliance(db, officer.id, as_of, today=today)


@dataclass(frozen=True, slots=True)
class RequirementCounts:
    """One requirement in force and how many officers stand where on it."""

    id: str
    title: str
    counts: Counter[Status]

    @property
    def applicable(self) -> int:
        return sum(n for s, n in self.counts.items() if s is not Status.NOT_APPLICABLE)

    @property
    def counted(self) -> int:
        """Officers the requirement applies to and who are not exempt from it."""
        return self.applicable - self.counts[Status.EXEMPT]


@dataclass(frozen=True, slots=True)
class DepartmentSummary:
    """How the officers of one evaluation stand: each counted once by their overall status
    (an officer no requirement applies to as not applicable, so the counts add up to
    `officers`), and each requirement's counts in the order they were evaluated."""

    officers: int
    overall: Counter[Status]
    requirements: tuple[RequirementCounts, ...]

    @property
    def needing_attention(self) -> int:
        """Officers whose overall status needs attention (non-compliant or due soon)."""
        return sum(self.overall[status] for status in NEEDS_ATTENTION)


def summarise(people: Sequence[OfficerCompliance]) -> DepartmentSummary:
    """The counts every screen and report shows of a department's compliance."""
    titles: dict[str, str] = {}
    counts: dict[str, Counter[Status]] = {}
    for person in people:
        for result in person.results:
            titles.setdefault(result.requirement_id, result.requirement_title)
            counts.setdefault(result.requirement_id, Counter())[result.status] += 1
    return DepartmentSummary(
        len(people),
        Counter(person.worst for person in people),
        tuple(RequirementCounts(rid, title, counts[rid]) for rid, title in titles.items()),
    )


COMPLIANCE_COLUMNS = (
    "badge",
    "officer",
    "requirement_id",
    "requirement",
    "status",
    "window_start",
    "window_end",
    "required_hours",
    "earned_hours",
    "shortfall_hours",
    "due_date",
    "explanation",
)
"""The long compliance table: one row per officer and requirement (`deesc compliance
--format csv` and the compliance report's table-out)."""

COMPLIANCE_KINDS: ColumnKinds = {
    "window_start": DATE,
    "window_end": DATE,
    "required_hours": NUMBER,
    "earned_hours": NUMBER,
    "shortfall_hours": NUMBER,
    "due_date": DATE,
}


def compliance_rows(results: Iterable[tuple[Officer, RequirementResult]]) -> list[list[str]]:
    """The long table's rows (COMPLIANCE_COLUMNS) for these officers' results: dates as ISO
    text, hours with two decimals, blank where a result has none."""
    return [
        [
            officer.badge,
            officer.display_name,
            result.requirement_id,
            result.requirement_title,
            result.status.value,
            _iso(result.window_start),
            _iso(result.window_end),
            _hours(result.adjusted_required),
            _hours(result.earned),
            _hours(result.shortfall),
            _iso(result.due_date),
            result.explanation,
        ]
        for officer, result in results
    ]


def _iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def _hours(value: int | None) -> str:
    return "" if value is None else f"{value / 100:.2f}"
