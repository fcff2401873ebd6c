"""Compliance for the department or one officer, as of a date, from the records in the file.

As of a date means as things stood that day (core.roster): the officers serving then, in the
status of that day, with only the training, certificates and leave dated by then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from deesc_desktop.core.compliance import (
    NEEDS_ATTENTION,
    RequirementResult,
    Status,
    Training,
    TrainingNeeds,
    evaluate_each,
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
from deesc_desktop.store.training import load_hour_totals, load_latest_classes, load_records


def _certifications(
    db: Database, officer_id: int | None, as_of: date
) -> dict[int, list[Certification]]:
    # CIT periods come from each officer's own history: one officer's are worked out alone.
    return certifications_by_officer(db, officer_id=officer_id, through=as_of)


Trainings = Mapping[int, Sequence[Training]]


def _training(
    db: Database, needs: TrainingNeeds, as_of: date
) -> tuple[Trainings, Trainings | None]:
    """Every officer's training as far as the requirements read it, and their classes when
    read apart: hour totals and the latest class in each topic where the requirements only
    add hours and look for classes in topics in shared windows, else the records since the
    earliest date they count (then None: classes are counted from the records)."""
    if needs.cuts is not None:
        totals = load_hour_totals(
            db, needs.cuts, needs.topics, needs.deliveries, by_course=needs.by_course
        )
        classes = load_latest_classes(db, needs.class_cuts, needs.class_topics)
        if totals is not None and classes is not None:
            return totals, classes
    return load_records(db, since=needs.since, until=as_of), None


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
    return list(
        department_compliance_each(
            db,
            as_of,
            include_separated=include_separated,
            requirement_id=requirement_id,
            today=today,
        )
    )


def department_compliance_each(
    db: Database,
    as_of: date,
    *,
    include_separated: bool = False,
    requirement_id: str | None = None,
    today: date | None = None,
) -> Iterator[OfficerCompliance]:
    """What `department_compliance` gives, one officer at a time: each officer's training
    is let go once they are evaluated, so a caller that keeps a little of each result (the
    dashboard's summary) never holds a statewide roster's 600,000 results, nor all of its
    training once the last officer is done."""
    agency = _agency(db)
    requirements = active_requirements(db)
    if requirement_id is not None:
        requirements = [r for r in requirements if r.id == requirement_id]
        if not requirements:
            raise NotFoundError(f"There is no requirement {requirement_id} for this agency.")
    with collector_paused():
        roster = roster_on(db, as_of, today=today, everyone=include_separated)
        needs = training_needs(requirements, agency, as_of)
        loaded, loaded_classes = _training(db, needs, as_of)
        # Copies of the maps, each officer's entry removed once they are evaluated.
        training: dict[int, Sequence[Training]] = dict(loaded)
        classes: dict[int, Sequence[Training]] | None = (
            None if loaded_classes is None else dict(loaded_classes)
        )
        del loaded, loaded_classes
        each = evaluate_each(
            roster.officers,
            requirements,
            training,
            roster.exemptions,
            _certifications(db, None, as_of) if needs.certifications else {},
            as_of,
            agency,
            classes,
        )
        for officer, results in zip(roster.officers, each, strict=True):
            training.pop(officer.id, None)
            if classes is not None:
                classes.pop(officer.id, None)
            yield OfficerCompliance(officer, results)


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
    tally = Tally()
    for person in people:
        tally.add(person)
    return tally.summary()


class Tally:
    """`summarise` counted one officer at a time, for officers evaluated one at a time."""

    def __init__(self) -> None:
        self._officers = 0
        self._overall: Counter[Status] = Counter()
        self._titles: dict[str, str] = {}
        self._counts: dict[str, Counter[Status]] = {}

    def add(self, person: OfficerCompliance) -> None:
        self._officers += 1
        self._overall[person.worst] += 1
        for result in person.results:
            self._titles.setdefault(result.requirement_id, result.requirement_title)
            self._counts.setdefault(result.requirement_id, Counter())[result.status] += 1

    def summary(self) -> DepartmentSummary:
        return DepartmentSummary(
            self._officers,
            self._overall,
            tuple(
                RequirementCounts(rid, title, self._counts[rid])
                for rid, title in self._titles.items()
            ),
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
