"""Measuring a window: the hours or classes it counts and the record that completes it."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from operator import ge

from deesc_desktop.core.compliance.context import Context
from deesc_desktop.core.compliance.plan import Compiled
from deesc_desktop.core.compliance.windows import Adjustment
from deesc_desktop.core.hours import Centihours


class Measure:
    """Required and earned figures for one window, and whether they meet."""

    __slots__ = ("adjustment", "earned", "hit", "met", "sub_earned")

    def __init__(
        self,
        adjustment: Adjustment,
        earned: Centihours,
        sub_earned: tuple[Centihours, ...],
        met: bool,
        hit: int,
    ) -> None:
        self.adjustment = adjustment
        self.earned = earned
        self.sub_earned = sub_earned
        self.met = met
        self.hit = hit


def measure_window(
    context: Context,
    compiled: Compiled,
    adjustment: Adjustment,
    start: date,
    end: date,
) -> Measure:
    """Hours (or completions) counted from `start` through `end`; `hit` is the position of
    the latest qualifying record for a course requirement (-1 when none)."""
    ledger = context.ledger_for(compiled)
    dates = ledger.dates
    lo = bisect_left(dates, start)
    # A window that has not begun by `end` (a deadline counting from a later date) counts
    # nothing, whatever records lie between the two dates.
    hi = max(lo, bisect_right(dates, end))
    if compiled.course_filter is not None:
        hit = ledger.series(compiled.course_filter, lo).last(lo, hi)
        return Measure(adjustment, 0, (), hit >= 0, hit)
    # The hot loop of a roster evaluation: Series.total written out in place.
    totals = []
    for f in compiled.filters:
        series = ledger.series(f, lo)
        positions = series.positions
        if positions is None:
            a, b = lo - series.offset, hi - series.offset
        else:
            a, b = bisect_left(positions, lo), bisect_left(positions, hi)
        running = series.running
        totals.append(running[b] - running[a])
    earned = totals[0]
    sub_earned = tuple(totals[1:])
    met = earned >= adjustment.total and all(map(ge, sub_earned, adjustment.subs))
    return Measure(adjustment, earned, sub_earned, met, -1)


def completion(
    context: Context, compiled: Compiled, adjustment: Adjustment, lo: int, hi: int
) -> int:
    """Position of the record that first completes the requirement counting from record
    `lo` (the hours and every sub-minimum reached), or -1 when none before record `hi`."""
    ledger = context.ledger_for(compiled)
    if compiled.course_filter is not None:
        return ledger.series(compiled.course_filter, lo).reach(lo, hi, 1)
    assert compiled.total_filter is not None
    found = ledger.series(compiled.total_filter, lo).reach(lo, hi, adjustment.total)
    if found < 0:
        return -1
    for (_, sub_filter), required in zip(compiled.subs, adjustment.subs, strict=True):
        if required > 0:
            position = ledger.series(sub_filter, lo).reach(lo, hi, required)
            if position < 0:
                return -1
            found = max(found, position)
    return found
