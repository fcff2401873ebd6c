"""Requirements on a clock that restarts at each completion (CO's 5-year set, VA's 2 years)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.measure import completion, measure_window
from deesc_desktop.core.compliance.outcome import build_result, exempt, overdue_or_unmet
from deesc_desktop.core.compliance.plan import Compiled
from deesc_desktop.core.compliance.result import RequirementResult
from deesc_desktop.core.compliance.status import MET, UNMET, Status
from deesc_desktop.core.compliance.windows import Adjustment, adjust
from deesc_desktop.core.periods import ONE_DAY, Window, clock_due
from deesc_desktop.core.rules import NewHire


def evaluate_clock(
    context: Context, compiled: Compiled, anchor: date, details: tuple[str, ...]
) -> RequirementResult:
    """A clock of N years that restarts at each completion (CO's 5-year set, VA's 2 years).

    The first cycle counts training from the licence or hire date and falls due N years
    after that date, or N years after the rule took effect if later (no officer falls due
    before a rule has been in force N years); with `first_due`, never before that date
    instead. A completion is the day the hours (and every sub-minimum) counted since the
    cycle began are reached; the next cycle counts from the day after and falls due N years
    after the completion (with `end_month_day`, on that day of the Nth year after it).
    """
    requirement = compiled.requirement
    period = requirement.period
    assert period is not None
    years = period.years or 1
    as_of = context.as_of
    dates = context.ledger_for(compiled).dates
    hi = bisect_right(dates, as_of)
    if period.first_due is not None:
        floor = max(clock_due(period, anchor), period.first_due)
    else:
        floor = clock_due(period, max(anchor, requirement.effective_from))
    start, due = anchor, floor
    # (the completed cycle, its completion date, its requirement, the completing record)
    last: tuple[Window, date, Adjustment, int] | None = None
    # Minimums dated by the cycle's start make each cycle's requirement its own.
    plain = (
        not compiled.dated_subs
        and (not context.exemptions or not context.intervals(requirement.id))
        and (requirement.new_hire is not NewHire.PRORATE or context.officer.hire_date <= anchor)
    )
    if plain:
        # Nothing scales the hours, so the cycles' due dates cannot change where the
        # completions fall: find them all first, then date only the last two.
        adjustment = compiled.unadjusted
        lo = bisect_left(dates, anchor)
        before: date | None = None
        position = -1
        while True:
            found = completion(context, compiled, adjustment, lo, hi)
            if found < 0:
                break
            if position >= 0:
                before = dates[position]
            position = found
            lo = bisect_right(dates, dates[found], found)
        if position >= 0:
            done = dates[position]
            cycle = (
                Window(anchor, floor)
                if before is None
                else Window(before + ONE_DAY, max(clock_due(period, before), floor))
            )
            last = (cycle, done, adjustment, position)
            start, due = done + ONE_DAY, max(clock_due(period, done), floor)
    else:
        while start <= as_of:
            adjustment = adjust(context, compiled, Window(start, due))
            if adjustment.exempt:
                if as_of <= due:
                    return exempt(context, compiled, adjustment, Window(start, due), details)
                start, due = due + ONE_DAY, clock_due(period, due)
                continue
            found = completion(context, compiled, adjustment, bisect_left(dates, start), hi)
            if found < 0:
                break
            done = dates[found]
            last = (Window(start, due), done, adjustment, found)
            start, due = done + ONE_DAY, max(clock_due(period, done), floor)

    if last is not None and as_of <= due:
        cycle, done, adjustment, position = last
        on_time = MET if done <= cycle.end else UNMET
        measure = measure_window(context, compiled, adjustment, cycle.start, as_of)
        if compiled.course_filter is not None:
            measure.hit = position
        details += (
            f"Last completed {done.isoformat()}; due again by {due.isoformat()} "
            f"(the {years}-year clock restarts at each completion).",
        )
        # Met for now; due_soon says the completion runs out within the warning days.
        soon = (due - as_of).days <= context.warning_days
        status = Status.DUE_SOON if soon else Status.COMPLIANT
        return build_result(
            context,
            compiled,
            status,
            window=Window(cycle.start, due),
            due=due,
            measure=measure,
            previous=on_time,
            details=details,
            met=True,
        )

    window = Window(start, due)
    adjustment = adjust(context, compiled, window)
    measure = measure_window(context, compiled, adjustment, start, as_of)
    previous = None
    if last is not None:
        previous = MET if last[1] <= last[0].end else UNMET
        details += (f"Last completed {last[1].isoformat()}.",)
    else:
        details += (f"Not completed since {start.isoformat()}.",)
    status, details = overdue_or_unmet(context, due, details, f"Overdue since {due.isoformat()}.")
    return build_result(
        context,
        compiled,
        status,
        window=window,
        due=due,
        measure=measure,
        previous=previous,
        details=details,
    )
