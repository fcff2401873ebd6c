"""Putting a result together from what was measured, in the words shared by every kind."""

from __future__ import annotations

from datetime import date

from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.explain import course_name, without_article
from deesc_desktop.core.compliance.measure import Measure, measure_window
from deesc_desktop.core.compliance.needs import HoursTotal, LatestClass
from deesc_desktop.core.compliance.plan import Compiled
from deesc_desktop.core.compliance.result import RequirementResult, SubMinimumResult
from deesc_desktop.core.compliance.status import Status
from deesc_desktop.core.compliance.windows import Adjustment
from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.models import TrainingRecord
from deesc_desktop.core.periods import Window
from deesc_desktop.core.rules import RequirementKind


def build_result(
    context: Context,
    compiled: Compiled,
    status: Status,
    *,
    window: Window | None = None,
    due: date | None = None,
    measure: Measure | None = None,
    previous: str | None = None,
    details: tuple[str, ...] = (),
    met: bool | None = None,
    qualifying_certification_id: int | None = None,
    previous_shortfalls: tuple[tuple[str, Centihours], ...] = (),
    make_up_remaining: Centihours = 0,
) -> RequirementResult:
    requirement = compiled.requirement
    hours_kind = requirement.kind is RequirementKind.HOURS
    if status is Status.EXEMPT or status is Status.NOT_APPLICABLE:
        # Nothing was measured against training, so nothing was "met".
        met = False
    required = adjusted = earned = shortfall = None
    subs: tuple[SubMinimumResult, ...] = ()
    adjustments: tuple[str, ...] = ()
    record_id: int | None = None
    if measure is not None:
        adjustment = measure.adjustment
        adjustments = adjustment.reasons
        if hours_kind:
            required = requirement.hours or 0
            adjusted = adjustment.total
            earned = measure.earned
            shortfall = max(0, adjusted - earned)
            if requirement.sub_minimums:
                subs = tuple(
                    SubMinimumResult(sub.label, sub.hours, need, got, max(0, need - got))
                    for sub, need, got in zip(
                        requirement.sub_minimums, adjustment.subs, measure.sub_earned, strict=True
                    )
                    if window is None or not sub.dated or sub.applies(window.start)
                )
        elif measure.hit >= 0:
            record_id = record_at(context, compiled, measure.hit).id
    elif hours_kind and status is Status.EXEMPT:
        required = requirement.hours
    # Positional, in field order: this runs once per officer and requirement.
    return RequirementResult(
        requirement.id,
        requirement.title,
        requirement.kind,
        context.officer.id,
        context.as_of,
        status,
        window.start if window else None,
        window.end if window else None,
        due,
        required,
        adjusted,
        earned,
        shortfall,
        subs,
        (measure.met if measure is not None else False) if met is None else met,
        record_id,
        qualifying_certification_id,
        previous,
        adjustments,
        details,
        previous_shortfalls,
        compiled.noun,
        compiled.wanted,
        make_up_remaining,
    )


def unmet_status(context: Context, due: date) -> Status:
    if (due - context.as_of).days <= context.warning_days:
        return Status.DUE_SOON
    return Status.IN_PROGRESS


def overdue_or_unmet(
    context: Context, due: date, details: tuple[str, ...], overdue: str
) -> tuple[Status, tuple[str, ...]]:
    """Non-compliant once `due` has gone by (saying `overdue`), else due soon or in progress."""
    if context.as_of > due:
        return Status.NON_COMPLIANT, (*details, overdue)
    return unmet_status(context, due), details


def exempt(
    context: Context,
    compiled: Compiled,
    adjustment: Adjustment,
    window: Window,
    details: tuple[str, ...],
) -> RequirementResult:
    """Nothing is required in the window (a new hire's first, every month waived): exempt,
    with what was earned in it so far."""
    return build_result(
        context,
        compiled,
        Status.EXEMPT,
        window=window,
        due=window.end,
        details=details,
        measure=measure_window(context, compiled, adjustment, window.start, context.as_of),
    )


def course_details(context: Context, compiled: Compiled, measure: Measure) -> tuple[str, ...]:
    if compiled.course_filter is None:
        return ()
    if measure.hit >= 0:
        record = record_at(context, compiled, measure.hit)
        return (f"Completed {course_name(record)} on {record.completed.isoformat()}.",)
    return (f"No {without_article(compiled.wanted)} this {compiled.noun} yet.",)


def record_at(context: Context, compiled: Compiled, position: int) -> TrainingRecord | LatestClass:
    """The record a course requirement counted, or the latest class that stands for it."""
    record = context.ledger_for(compiled).records[position]
    # Only hours requirements are ever fed totals (see training_needs).
    assert not isinstance(record, HoursTotal)
    return record
