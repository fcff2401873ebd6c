"""Requirements measured in windows (years, cycles, rolling months) with make-up hours.

Calendar and fiscal years, fixed and officer cycles, rolling months, each with the previous
window's outcome.
"""

from __future__ import annotations

from datetime import date

from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.explain import plain_hours, short_text
from deesc_desktop.core.compliance.measure import Measure, measure_window
from deesc_desktop.core.compliance.outcome import build_result, course_details, exempt, unmet_status
from deesc_desktop.core.compliance.plan import Compiled
from deesc_desktop.core.compliance.result import RequirementResult
from deesc_desktop.core.compliance.status import MET, UNMET, Status
from deesc_desktop.core.compliance.windows import Adjustment, adjust, make_up_chain
from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.periods import PeriodKind, Window, current_window, previous_window
from deesc_desktop.core.rules import MakeUp, Requirement, RequirementKind


def evaluate_window(
    context: Context, compiled: Compiled, anchor: date | None, details: tuple[str, ...]
) -> RequirementResult:
    """Calendar and fiscal years, fixed and officer cycles, rolling months."""
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    as_of = context.as_of
    if compiled.default_window is not None:
        window = compiled.default_window
        before = compiled.default_previous
    else:
        found = current_window(
            period, as_of, anchor=anchor, fiscal_start_month=context.agency.fiscal_year_start_month
        )
        assert found is not None
        window = found
        before = previous_window(period, window, anchor=anchor)
    adjustment = adjust(context, compiled, window)
    if adjustment.exempt:
        return exempt(context, compiled, adjustment, window, details)
    if compiled.requirement.make_up is MakeUp.PREVIOUS_FIRST:
        return _evaluate_make_up(context, compiled, window, before, adjustment, anchor, details)
    measure = measure_window(context, compiled, adjustment, window.start, as_of)
    previous, previous_short = _previous_outcome(context, compiled, before)
    if measure.met:
        status = Status.COMPLIANT
    elif period.kind is PeriodKind.ROLLING:
        # A rolling window always ends today: hours short now are already overdue.
        status = Status.NON_COMPLIANT
        details += (
            f"A rolling requirement must be met on every date: the {period.length_months} "
            f"months ending {as_of.isoformat()} fall short.",
        )
    elif previous == UNMET:
        status = Status.NON_COMPLIANT
        assert before is not None
        noun = compiled.noun
        short = short_text(previous_short) if previous_short else f"without {compiled.wanted}"
        earlier = compiled.predecessor
        under = (
            f", under the rule then in force ({earlier.requirement.id}: "
            f"{earlier.requirement.title}),"
            if earlier is not None and before.end < requirement.effective_from
            else ""
        )
        details += (
            f"The previous {noun} ({before.start.isoformat()} to {before.end.isoformat()})"
            f"{under} ended "
            f"{short.replace('short ', 'short of ', 1) if previous_short else short}. "
            f"The officer stays non-compliant until this {noun}'s requirement is met, due "
            f"{window.end.isoformat()}.",
        )
    else:
        status = unmet_status(context, window.end)
    return build_result(
        context,
        compiled,
        status,
        window=window,
        due=window.end,
        measure=measure,
        previous=previous,
        details=details + course_details(context, compiled, measure),
        previous_shortfalls=previous_short,
    )


def _evaluate_make_up(
    context: Context,
    compiled: Compiled,
    window: Window,
    before: Window | None,
    adjustment: Adjustment,
    anchor: date | None,
    details: tuple[str, ...],
) -> RequirementResult:
    """Hours earned after a window ended short go to that window first (Utah, R728-410):
    the current window counts only what is left once the earlier deficits are made up. Only
    the total is carried; sub-minimums are measured in their own window."""
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    as_of = context.as_of
    if compiled.default_window is not None:
        chain = compiled.chain
    else:
        chain = make_up_chain(period, window, anchor)
    debt = 0
    last_short = 0
    last_measured = False
    for earlier in chain:
        last_short = 0
        last_measured = False
        if earlier.end < requirement.effective_from or earlier.end < context.officer.hire_date:
            continue
        owed = adjust(context, compiled, earlier)
        own = measure_window(context, compiled, owed, earlier.start, earlier.end).earned
        credit = own - min(debt, own)
        debt -= own - credit
        if owed.exempt:
            continue
        last_measured = True
        if credit < owed.total:
            last_short = owed.total - credit
            debt += last_short
    measure = measure_window(context, compiled, adjustment, window.start, as_of)
    paid = min(debt, measure.earned)
    remaining = debt - paid
    measure.earned -= paid
    measure.met = measure.met and measure.earned >= adjustment.total
    noun = compiled.noun
    previous = None
    previous_short: tuple[tuple[str, Centihours], ...] = ()
    if before is not None and chain and chain[-1] == before and last_measured:
        previous = UNMET if last_short else MET
        previous_short = (("", last_short),) if last_short else ()
    if debt:
        ledger = context.ledger
        lo, hi = ledger.span(window.start, as_of)
        assert compiled.total_filter is not None
        if remaining:
            details += (
                f"Earlier {noun}s ended {plain_hours(debt)} h short. Hours earned since "
                f"{window.start.isoformat()} make that up first: {plain_hours(paid)} h so "
                f"far, {plain_hours(remaining)} h still to make up before any counts toward "
                f"this {noun}.",
            )
        else:
            position = ledger.series(compiled.total_filter, lo).reach(lo, hi, debt)
            details += (
                f"Earlier {noun}s ended {plain_hours(debt)} h short, made up on "
                f"{ledger.dates[position].isoformat()} with the first hours of this {noun}; "
                f"the {plain_hours(measure.earned)} h after that count toward this {noun}.",
            )
    if measure.met:
        status = Status.COMPLIANT
    elif remaining:
        status = Status.NON_COMPLIANT
    else:
        status = unmet_status(context, window.end)
    return build_result(
        context,
        compiled,
        status,
        window=window,
        due=window.end,
        measure=measure,
        previous=previous,
        details=details,
        previous_shortfalls=previous_short,
        make_up_remaining=remaining,
    )


_NOT_MEASURED: tuple[str | None, tuple[tuple[str, Centihours], ...]] = (None, ())


def _previous_outcome(
    context: Context, compiled: Compiled, window: Window | None
) -> tuple[str | None, tuple[tuple[str, Centihours], ...]]:
    """'met' or 'unmet' for the window before, with what it ended short of; None when it did
    not count: no such window, the rule was not in force at its end, the officer was not yet
    hired, or it was exempt."""
    if window is None:
        return _NOT_MEASURED
    requirement = compiled.requirement
    if window.end < requirement.effective_from and compiled.predecessor is not None:
        return _previous_outcome(context, compiled.predecessor, window)
    if window.end < requirement.effective_from or window.end < context.officer.hire_date:
        return _NOT_MEASURED
    adjustment = adjust(context, compiled, window)
    if adjustment.exempt:
        return _NOT_MEASURED
    measure = measure_window(context, compiled, adjustment, window.start, window.end)
    if measure.met:
        return MET, ()
    return UNMET, _shortfalls(requirement, adjustment, measure, window)


def _shortfalls(
    requirement: Requirement, adjustment: Adjustment, measure: Measure, window: Window
) -> tuple[tuple[str, Centihours], ...]:
    """("", total short) and (label, short) of each sub-minimum short, for hours."""
    if requirement.kind is not RequirementKind.HOURS:
        return ()
    found: list[tuple[str, Centihours]] = []
    if measure.earned < adjustment.total:
        found.append(("", adjustment.total - measure.earned))
    for sub, need, got in zip(
        requirement.sub_minimums, adjustment.subs, measure.sub_earned, strict=True
    ):
        if got < need and (not sub.dated or sub.applies(window.start)):
            found.append((sub.label, need - got))
    return tuple(found)
