"""Windows and the adjustments to what they require: leave, waivers, proration, new hires."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from deesc_desktop.core.compliance.explain import plain_hours
from deesc_desktop.core.hours import Centihours
from deesc_desktop.core.models import Agency, Exemption
from deesc_desktop.core.periods import (
    MIN_DAYS_IN_MONTH,
    Period,
    PeriodKind,
    Window,
    days_in_month,
    month_key,
    month_label,
    month_of_key,
    previous_window,
    window_month_keys,
)
from deesc_desktop.core.rules import NewHire, RequirementKind

if TYPE_CHECKING:
    from deesc_desktop.core.compliance.context import Context
    from deesc_desktop.core.compliance.plan import Compiled

SHARED_KINDS = frozenset(
    {PeriodKind.CALENDAR_YEAR, PeriodKind.FISCAL_YEAR, PeriodKind.FIXED_CYCLE, PeriodKind.ROLLING}
)
"""Period kinds whose windows are the same for every officer of the agency."""

MAKE_UP_WINDOWS = 3
"""With make-up hours credited to the window that ended short first, how many windows are
worked out: the current one and the two before it (a deficit older than that is not carried)."""


def make_up_chain(period: Period, window: Window, anchor: date | None = None) -> list[Window]:
    """The windows before `window` whose deficits can be made up in it, oldest first."""
    chain: list[Window] = []
    found: Window | None = window
    while len(chain) < MAKE_UP_WINDOWS - 1:
        found = previous_window(period, found, anchor=anchor) if found else None
        if found is None:
            break
        chain.append(found)
    return chain[::-1]


LEAVE_PRORATION_NOTE = (
    "Leave proration is this agency's own policy, not a state rule: leave covering 15 or more "
    "days of a month lowers the hours required that month even with no state waiver recorded."
)
"""Printed wherever results that may use the agency's leave proration policy are shown."""


def policy_notes(agency: Agency) -> tuple[str, ...]:
    """What an agency's own policies change in the results, to print beside them."""
    return (LEAVE_PRORATION_NOTE,) if agency.leave_proration else ()


def scale_hours(
    base: Centihours, active_months: int, months: int, step: Centihours | None = None
) -> Centihours:
    """base x active / months, rounded half up to a hundredth of an hour, in int arithmetic;
    with `step` (the state's rounding), rounded up to a multiple of it instead."""
    if step:
        return -(-base * active_months // (months * step)) * step
    return (2 * base * active_months + months) // (2 * months)


class Adjustment:
    """Required hours for one window after leave, exemptions and new-hire rules."""

    __slots__ = ("active", "exempt", "months", "reasons", "subs", "total")

    def __init__(
        self,
        total: Centihours,
        subs: tuple[Centihours, ...],
        reasons: tuple[str, ...] = (),
        exempt: bool = False,
        active: int = 0,
        months: int = 0,
    ) -> None:
        self.total = total
        self.subs = subs
        self.reasons = reasons
        self.exempt = exempt
        self.active = active
        self.months = months


def adjust(context: Context, compiled: Compiled, window: Window) -> Adjustment:
    requirement = compiled.requirement
    unadjusted = compiled.base(window)
    hire = context.officer.hire_date
    new_hire = requirement.new_hire
    if new_hire is NewHire.EXEMPT_FIRST_PERIOD and window.start <= hire <= window.end:
        return Adjustment(
            0,
            compiled.zero_subs,
            (
                f"Hired {hire.isoformat()}, during this {compiled.noun or 'period'}: a new "
                f"hire's first {compiled.noun or 'period'} requires nothing.",
            ),
            exempt=True,
        )
    if new_hire is NewHire.EXEMPT_LICENSE_PERIOD:
        licensed = context.officer.license_date or hire
        if licensed >= window.start:
            noun = compiled.noun or "period"
            when = "in this" if licensed <= window.end else "after this"
            certified = (
                f"Certified {licensed.isoformat()}"
                if context.officer.license_date
                # A lateral hire certified years before owes the hours: say what was assumed.
                else f"No licence date recorded: the hire date {hire.isoformat()} is taken as "
                f"the certification date (record the licence date if the officer was "
                f"certified earlier). Certified then"
            )
            return Adjustment(
                0,
                compiled.zero_subs,
                (
                    f"{certified}, {when} {noun}: training is due from the {noun} after "
                    f"certification (the basic-academy {noun} is excused).",
                ),
                exempt=True,
            )
    per_month = new_hire is NewHire.PER_MONTH
    prorate = (new_hire is NewHire.PRORATE or per_month) and hire > window.start
    if not prorate and not context.exemptions:
        return unadjusted
    intervals: list[tuple[int, int]] = []
    noted: tuple[str, ...] = ()
    if context.exemptions:
        start, end = window.start.toordinal(), window.end.toordinal()
        intervals = [
            (max(first, start), min(last, end))
            for first, last in context.intervals(requirement.id)
            if last >= start and first <= end
        ]
        note = _leave_not_counted(context, requirement.id, window)
        noted = (note,) if note else ()
        if not prorate and not intervals:
            return Adjustment(unadjusted.total, unadjusted.subs, noted) if noted else unadjusted

    low, high = window_month_keys(window)
    count = high - low + 1
    before = 0
    hire_month_days: int | None = None
    if prorate:
        hire_key = month_key(hire)
        before = max(0, min(hire_key, high + 1) - low)
        if low <= hire_key <= high:
            employed = days_in_month(hire.year, hire.month) - hire.day + 1
            if employed < MIN_DAYS_IN_MONTH:
                hire_month_days = employed
                before += 1
    waived = _waived_months(intervals, low + before, high)
    active = count - before - len(waived)
    if not before and not waived:
        return Adjustment(unadjusted.total, unadjusted.subs, noted) if noted else unadjusted

    reasons: list[str] = list(noted)
    if before:
        text = (
            f"New hire ({hire.isoformat()}): {before} of {count} months not counted "
            f"({_month_ranges(range(low, low + before))})"
        )
        if hire_month_days is not None:
            text += (
                f", including the hire month: {hire_month_days} days employed, "
                f"fewer than {MIN_DAYS_IN_MONTH}"
            )
        reasons.append(text + ".")
    if waived:
        why = _exemption_reasons(context, requirement.id, waived[0], waived[-1])
        reasons.append(
            f"Leave or exemption: {len(waived)} of {count} months waived "
            f"({_month_ranges(waived)}{': ' + why if why else ''})."
        )
    if active <= 0:
        reasons.append(
            f"Every month of the {compiled.noun or 'period'} is waived, so nothing is required."
        )
        return Adjustment(0, compiled.zero_subs, tuple(reasons), True, 0, count)
    total = requirement.hours or 0
    if per_month and requirement.hours_per_month is not None:
        # Utah: a part year owes so many hours per month, never more than a full year.
        adjusted = min(total, requirement.hours_per_month * active)
        reasons.append(
            f"Required {plain_hours(adjusted)} h = {plain_hours(requirement.hours_per_month)}"
            f" h x {active} months employed (at most {plain_hours(total)} h)."
        )
        return Adjustment(
            adjusted,
            tuple(scale_hours(hours, active, count) for hours in unadjusted.subs),
            tuple(reasons),
            False,
            active,
            count,
        )
    step = requirement.round_required_to
    if requirement.kind is RequirementKind.HOURS:
        adjusted = scale_hours(total, active, count, step)
        if adjusted <= 0:
            reasons.append("The prorated requirement rounds to 0 hours, so nothing is required.")
            return Adjustment(0, compiled.zero_subs, tuple(reasons), True, active, count)
        scaled = " (topic minimums scaled the same way)" if requirement.sub_minimums else ""
        rounded = f", rounded up to a multiple of {plain_hours(step)} h" if step else ""
        reasons.append(
            f"Required {plain_hours(adjusted)} h = {plain_hours(total)} h x {active} active "
            f"months / {count} months{rounded}{scaled}."
        )
        return Adjustment(
            adjusted,
            tuple(scale_hours(hours, active, count, step) for hours in unadjusted.subs),
            tuple(reasons),
            False,
            active,
            count,
        )
    reasons.append(
        f"A class is still required when only part of the {compiled.noun or 'period'} is waived."
    )
    return Adjustment(total, unadjusted.subs, tuple(reasons), False, active, count)


def _waived_months(intervals: list[tuple[int, int]], low: int, high: int) -> list[int]:
    """Month keys from `low` to `high` with 15 or more days covered by the (merged, clipped)
    exemption day ranges."""
    if not intervals or low > high:
        return []
    covered: dict[int, int] = {}
    for first, last in intervals:
        day = date.fromordinal(first)
        key = month_key(day)
        while first <= last:
            year, month = month_of_key(key)
            month_end = date(year, month, 1).toordinal() + days_in_month(year, month) - 1
            upto = min(last, month_end)
            if low <= key <= high:
                covered[key] = covered.get(key, 0) + upto - first + 1
            first, key = upto + 1, key + 1
    return sorted(key for key, days in covered.items() if days >= MIN_DAYS_IN_MONTH)


def _month_ranges(keys: Iterable[int]) -> str:
    runs: list[list[int]] = []
    for key in keys:
        if runs and runs[-1][-1] + 1 == key:
            runs[-1].append(key)
        else:
            runs.append([key])
    return ", ".join(
        month_label(run[0]) if len(run) == 1 else f"{month_label(run[0])} to {month_label(run[-1])}"
        for run in runs
    )


def _exemption_reasons(context: Context, requirement_id: str, low: int, high: int) -> str:
    """The distinct reasons of the exemptions that touch months `low` to `high`."""
    first_year, first_month = month_of_key(low)
    last_year, last_month = month_of_key(high)
    first = date(first_year, first_month, 1)
    last = date(last_year, last_month, days_in_month(last_year, last_month))
    reasons: list[str] = []
    for exemption in context.exemptions:
        if (
            exemption.applies_to(requirement_id)
            and exemption.start <= last
            and exemption.end >= first
            and context.counts(exemption)
        ):
            reason = _exemption_words(exemption, context.as_of)
            if reason and reason not in reasons:
                reasons.append(reason)
    return "; ".join(reasons)


def _exemption_words(exemption: Exemption, as_of: date) -> str:
    """'Military deployment, waiver granted by ILETSB (ref W-17) on 2024-03-02' or
    'Medical leave, under the agency's leave proration policy'."""
    reason = exemption.reason.strip() or "Leave"
    if exemption.granted_by_day(as_of) and exemption.granted_on is not None:
        reference = f" (ref {exemption.reference.strip()})" if exemption.reference.strip() else ""
        return (
            f"{reason}, waiver granted by {exemption.granted_by.strip()}{reference} "
            f"on {exemption.granted_on.isoformat()}"
        )
    return f"{reason}, under the agency's leave proration policy"


def _leave_not_counted(context: Context, requirement_id: str, window: Window) -> str | None:
    """A sentence on leave recorded in the window that does not reduce the hours, or None."""
    ignored = [
        e
        for e in context.exemptions
        if e.applies_to(requirement_id)
        and e.start <= min(window.end, context.as_of)
        and e.end >= window.start
        and not context.counts(e)
    ]
    if not ignored:
        return None
    listed = "; ".join(
        f"{e.reason.strip() or 'leave'} {e.start.isoformat()} to {e.end.isoformat()}"
        for e in ignored
    )
    return (
        f"Leave recorded ({listed}) does not reduce the hours: no waiver is recorded for it "
        "and the agency does not prorate leave."
    )
