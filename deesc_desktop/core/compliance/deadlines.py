"""Requirements met once: a deadline after hire or licence, one date for all, or no period."""

from __future__ import annotations

from datetime import date

from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.explain import without_article
from deesc_desktop.core.compliance.measure import completion, measure_window
from deesc_desktop.core.compliance.outcome import (
    build_result,
    course_details,
    exempt,
    overdue_or_unmet,
)
from deesc_desktop.core.compliance.plan import Compiled
from deesc_desktop.core.compliance.result import RequirementResult
from deesc_desktop.core.compliance.status import Status
from deesc_desktop.core.compliance.windows import Adjustment, adjust
from deesc_desktop.core.periods import Window, one_time_window


def evaluate_one_time(
    context: Context, compiled: Compiled, anchor: date, details: tuple[str, ...]
) -> RequirementResult:
    """Once, by a deadline N months after the licence or hire date.

    Training completed after the deadline still completes the requirement (the explanation
    says it was late), so an officer who catches up is not flagged for ever.
    """
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    window = one_time_window(anchor, period.length_months)
    adjustment = adjust(context, compiled, window)
    if adjustment.exempt:
        return exempt(context, compiled, adjustment, window, details)
    return _by_deadline(context, compiled, adjustment, window, window, details)


def evaluate_deadline(context: Context, compiled: Compiled) -> RequirementResult:
    """One fixed date for everyone (NJ's ICAT/ABLE by 2021-12-31): training from
    `counts_from` (or any date) counts, late completions too. Officers hired after the date
    are not covered; leave and new-hire rules do not move a date set by law."""
    period = compiled.requirement.period
    assert period is not None and period.due is not None
    hire = context.officer.hire_date
    if hire > period.due:
        return build_result(
            context,
            compiled,
            Status.NOT_APPLICABLE,
            details=(
                f"Hired {hire.isoformat()}, after the deadline {period.due.isoformat()}: "
                "it covers officers serving by then.",
            ),
        )
    window = Window(period.counts_from or date.min, period.due)
    shown = window if period.counts_from is not None else None
    return _by_deadline(context, compiled, compiled.base(window), window, shown, ())


def _by_deadline(
    context: Context,
    compiled: Compiled,
    adjustment: Adjustment,
    window: Window,
    shown: Window | None,
    details: tuple[str, ...],
) -> RequirementResult:
    """Met by training from the window's start up to the as-of date; due on its last day."""
    as_of = context.as_of
    deadline = window.end
    measure = measure_window(context, compiled, adjustment, window.start, as_of)
    if measure.met:
        ledger = context.ledger_for(compiled)
        position = completion(context, compiled, adjustment, *ledger.span(window.start, as_of))
        if position >= 0:
            done = ledger.dates[position]
            if done > deadline:
                details += (
                    f"Completed on {done.isoformat()}, after the deadline {deadline.isoformat()}.",
                )
            elif compiled.course_filter is None:
                details += (f"Completed on {done.isoformat()}.",)
        status = Status.COMPLIANT
    else:
        status, details = overdue_or_unmet(
            context, deadline, details, f"The deadline {deadline.isoformat()} has passed."
        )
    return build_result(
        context,
        compiled,
        status,
        window=shown,
        due=deadline,
        measure=measure,
        details=details + course_details(context, compiled, measure),
    )


def evaluate_ever(context: Context, compiled: Compiled) -> RequirementResult:
    """A course with no period: completed at any time on or before the as-of date."""
    adjustment = Adjustment(0, ())
    measure = measure_window(context, compiled, adjustment, date.min, context.as_of)
    status = Status.COMPLIANT if measure.met else Status.IN_PROGRESS
    details = course_details(context, compiled, measure)
    if not measure.met:
        details = (
            f"No {without_article(compiled.wanted)} recorded; this requirement has no deadline.",
        )
    return build_result(context, compiled, status, measure=measure, details=details)
