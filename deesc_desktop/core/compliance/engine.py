"""Compliance evaluation of one officer or the whole department, with the same results."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date

from deesc_desktop.core.compliance.applicability import not_applicable
from deesc_desktop.core.compliance.certifications import evaluate_certification
from deesc_desktop.core.compliance.clocks import evaluate_clock
from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.deadlines import (
    evaluate_deadline,
    evaluate_ever,
    evaluate_one_time,
)
from deesc_desktop.core.compliance.needs import Training
from deesc_desktop.core.compliance.outcome import build_result
from deesc_desktop.core.compliance.periodic import evaluate_window
from deesc_desktop.core.compliance.plan import Compiled, FilterSlots, Plan, compile_requirements
from deesc_desktop.core.compliance.result import RequirementResult
from deesc_desktop.core.compliance.status import Status
from deesc_desktop.core.models import Agency, Certification, Exemption, Officer, TrainingRecord
from deesc_desktop.core.periods import AnchorDate, PeriodKind, officer_anchor
from deesc_desktop.core.rules import Requirement, RequirementKind


def evaluate(
    officer: Officer,
    requirement: Requirement,
    records: Sequence[TrainingRecord],
    exemptions: Sequence[Exemption],
    certifications: Sequence[Certification],
    as_of: date,
    agency: Agency,
) -> RequirementResult:
    """One officer against one requirement; a requirement not in force is `not_applicable`."""
    compiled = Compiled(requirement, FilterSlots(), agency, as_of)
    plan = Plan([compiled], as_of)
    context = Context(plan, officer, records, exemptions, certifications, as_of, agency)
    return _evaluate(context, compiled)


def evaluate_officer(
    officer: Officer,
    requirements: Sequence[Requirement],
    records: Sequence[TrainingRecord],
    exemptions: Sequence[Exemption],
    certifications: Sequence[Certification],
    as_of: date,
    agency: Agency,
) -> list[RequirementResult]:
    """One officer against every requirement in force on `as_of`, in the given order.

    Requirements not in force that day are left out (a report as of an old date uses the
    rules then in force).
    """
    plan = Plan(compile_requirements(requirements, agency, as_of), as_of)
    context = Context(plan, officer, records, exemptions, certifications, as_of, agency)
    return [_evaluate(context, item) for item in plan.compiled]


def evaluate_department(
    officers: Iterable[Officer],
    requirements: Sequence[Requirement],
    records_by_officer: Mapping[int, Sequence[Training]],
    exemptions_by_officer: Mapping[int, Sequence[Exemption]],
    certifications_by_officer: Mapping[int, Sequence[Certification]],
    as_of: date,
    agency: Agency,
    classes_by_officer: Mapping[int, Sequence[Training]] | None = None,
) -> list[RequirementResult]:
    """Every officer against every requirement in force, officer by officer in the given
    order; gives exactly what `evaluate_officer` gives for each officer.

    Each officer's training is their records, or only those `training_needs` says can count,
    or, when it gives cuts, their `HoursTotal`s between those cuts, with their
    `LatestClass`es between its class cuts in `classes_by_officer`.
    """
    return [
        result
        for results in evaluate_each(
            officers,
            requirements,
            records_by_officer,
            exemptions_by_officer,
            certifications_by_officer,
            as_of,
            agency,
            classes_by_officer,
        )
        for result in results
    ]


def evaluate_each(
    officers: Iterable[Officer],
    requirements: Sequence[Requirement],
    records_by_officer: Mapping[int, Sequence[Training]],
    exemptions_by_officer: Mapping[int, Sequence[Exemption]],
    certifications_by_officer: Mapping[int, Sequence[Certification]],
    as_of: date,
    agency: Agency,
    classes_by_officer: Mapping[int, Sequence[Training]] | None = None,
) -> Iterator[tuple[RequirementResult, ...]]:
    """What `evaluate_department` gives, one officer's results at a time, in the officers'
    order: a caller that keeps a little of each need not hold every result at once."""
    plan = Plan(compile_requirements(requirements, agency, as_of), as_of)
    compiled = plan.compiled
    for officer in officers:
        context = Context(
            plan,
            officer,
            records_by_officer.get(officer.id, ()),
            exemptions_by_officer.get(officer.id, ()),
            certifications_by_officer.get(officer.id, ()),
            as_of,
            agency,
            None if classes_by_officer is None else classes_by_officer.get(officer.id, ()),
        )
        yield tuple([_evaluate(context, item) for item in compiled])


def _evaluate(context: Context, compiled: Compiled) -> RequirementResult:
    requirement = compiled.requirement
    reason = not_applicable(context, compiled)
    if reason is not None:
        return build_result(context, compiled, Status.NOT_APPLICABLE, details=(reason,))
    if requirement.kind is RequirementKind.CERTIFICATION:
        return evaluate_certification(context, compiled)
    period = requirement.period
    if period is None:
        return evaluate_ever(context, compiled)
    kind = period.kind
    details: tuple[str, ...] = ()
    anchor: date | None = None
    if period.officer_anchored:
        anchor, fell_back = officer_anchor(context.officer, period.start_from)
        if fell_back:
            details = (
                f"No licence date recorded: counted from the hire date {anchor.isoformat()}.",
            )
        if anchor > context.as_of:
            what = (
                "licence" if period.start_from is AnchorDate.LICENSE and not fell_back else "hire"
            )
            return build_result(
                context,
                compiled,
                Status.NOT_APPLICABLE,
                details=(f"Not applicable until the {what} date {anchor.isoformat()}.",),
            )
    if kind is PeriodKind.SINCE_LAST_COMPLETION:
        assert anchor is not None
        return evaluate_clock(context, compiled, anchor, details)
    if kind is PeriodKind.ONE_TIME:
        assert anchor is not None
        return evaluate_one_time(context, compiled, anchor, details)
    if kind is PeriodKind.DEADLINE:
        return evaluate_deadline(context, compiled)
    return evaluate_window(context, compiled, anchor, details)
