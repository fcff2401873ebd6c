"""Compliance periods: the kinds of training windows states use and how to compute them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from deesc_desktop.core.models import Officer

ONE_DAY = timedelta(days=1)

MIN_DAYS_IN_MONTH = 15
"""A calendar month counts (as part of a window, as employed, as waived) from 15 of its days."""


class PeriodKind(StrEnum):
    """How a requirement's window is laid out in time."""

    CALENDAR_YEAR = "calendar_year"
    FISCAL_YEAR = "fiscal_year"
    FIXED_CYCLE = "fixed_cycle"
    OFFICER_CYCLE = "officer_cycle"
    ROLLING = "rolling"
    SINCE_LAST_COMPLETION = "since_last_completion"
    ONE_TIME = "one_time"
    DEADLINE = "deadline"


class AnchorDate(StrEnum):
    """Which of the officer's dates an officer-anchored period counts from."""

    LICENSE = "license"
    HIRE = "hire"


@dataclass(frozen=True, slots=True)
class Period:
    """A period kind with its settings; which fields are used depends on `kind`.

    - calendar_year: nothing else.
    - fiscal_year: `start_month` (None: the agency's fiscal year start).
    - fixed_cycle: `anchor` date and a length of `years` or `months`.
    - officer_cycle: `years`, `start_from`, optional `end_month_day` (FL: (6, 30)) and
      `end_after_anniversary` (the first cycle ends on the first month-day on or after the
      Nth anniversary, instead of on the month-day of the Nth year).
    - rolling: `months`, ending on the as-of date.
    - since_last_completion: `years`, `start_from` (used until the first completion),
      optional `first_due` (nobody is due before it) and `end_month_day` (each due date
      falls on that month-day of the Nth year after the start: VA, 31 December).
    - one_time: `months` after the `start_from` date.
    - deadline: one fixed `due` date for everyone; training counts from `counts_from`
      (None: any date).
    """

    kind: PeriodKind
    start_month: int | None = None
    anchor: date | None = None
    years: int | None = None
    months: int | None = None
    start_from: AnchorDate = AnchorDate.LICENSE
    end_month_day: tuple[int, int] | None = None
    end_after_anniversary: bool = False
    due: date | None = None
    counts_from: date | None = None
    first_due: date | None = None

    @property
    def length_months(self) -> int:
        """The cycle length in months for kinds that have one (years are converted)."""
        if self.years is not None:
            return self.years * 12
        if self.months is not None:
            return self.months
        return 12

    @property
    def officer_anchored(self) -> bool:
        """True when windows depend on the officer's own licence or hire date."""
        return self.kind in _OFFICER_KINDS

    def describe(self) -> str:
        """A short phrase for people, e.g. 'every 3 years from 2022-07-01'."""
        kind = self.kind
        if kind is PeriodKind.CALENDAR_YEAR:
            return "each calendar year"
        if kind is PeriodKind.FISCAL_YEAR:
            if self.start_month is None:
                return "each fiscal year"
            return f"each fiscal year starting in {calendar.month_name[self.start_month]}"
        length = _length_phrase(self)
        if kind is PeriodKind.FIXED_CYCLE:
            anchor = self.anchor.isoformat() if self.anchor else "?"
            return f"every {length} from {anchor}"
        if kind is PeriodKind.DEADLINE:
            return f"by {self.due.isoformat() if self.due else '?'}"
        origin = "licence" if self.start_from is AnchorDate.LICENSE else "hire"
        if kind is PeriodKind.OFFICER_CYCLE:
            if self.end_month_day:
                month, day = self.end_month_day
                if self.end_after_anniversary:
                    return (
                        f"every {length}, each ending the first {calendar.month_name[month]} "
                        f"{day} on or after the {_ordinal(period_years(self))} anniversary "
                        f"of the officer's {origin} date"
                    )
                return (
                    f"every {length} from the officer's {origin} date, "
                    f"ending {calendar.month_name[month]} {day}"
                )
            return f"every {length} from the officer's {origin} date"
        if kind is PeriodKind.ROLLING:
            return f"in the {length} ending on the report date"
        if kind is PeriodKind.SINCE_LAST_COMPLETION:
            if self.end_month_day:
                month, day = self.end_month_day
                return (
                    f"by {calendar.month_name[month]} {day} of the {_ordinal(period_years(self))}"
                    " year after the last completion"
                )
            return f"every {length} after the last completion"
        return f"once, within {length} of the officer's {origin} date"


_OFFICER_KINDS = frozenset(
    {PeriodKind.OFFICER_CYCLE, PeriodKind.SINCE_LAST_COMPLETION, PeriodKind.ONE_TIME}
)


def period_years(period: Period) -> int:
    """The length of an officer cycle or clock in years (1 when none is given)."""
    return period.years or 1


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _length_phrase(period: Period) -> str:
    if period.years is not None:
        return f"{period.years} year" + ("s" if period.years != 1 else "")
    months = period.length_months
    return f"{months} month" + ("s" if months != 1 else "")


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive date range: both `start` and `end` belong to the window."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """How many days the month has (leap years included)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def month_key(day: date) -> int:
    """A month as one number (year x 12 + month - 1), so months can be counted by subtraction."""
    return day.year * 12 + day.month - 1


def month_of_key(key: int) -> tuple[int, int]:
    """(year, month) of a `month_key`."""
    year, month0 = divmod(key, 12)
    return year, month0 + 1


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamping to the last day of a shorter month.

    Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year); Feb 29 + 12 months is Feb 28.
    Clamping never spills into the next month, so a window never skips a month.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; Feb 29 becomes Feb 28 in a common year."""
    return add_months(day, 12 * years)


def months_between(start: date, later: date) -> int:
    """Whole calendar-month steps from `start`'s month to `later`'s month (days ignored)."""
    return (later.year - start.year) * 12 + (later.month - start.month)


def officer_anchor(officer: Officer, start_from: AnchorDate) -> tuple[date, bool]:
    """The date an officer-anchored period counts from, and whether it fell back to hire.

    A licence anchor uses `license_date`, or the hire date when no licence date is recorded.
    """
    if start_from is AnchorDate.LICENSE:
        if officer.license_date is not None:
            return officer.license_date, False
        return officer.hire_date, True
    return officer.hire_date, False


def _cycle_from(anchor: date, length: int, as_of: date) -> Window:
    """The cycle of `length` months laid out from `anchor` (both ways) that holds `as_of`."""
    # Each start is computed from the anchor itself, not from the previous start, so a
    # clamped day (Jan 31 -> Feb 28) does not drift into later cycles.
    index = months_between(anchor, as_of) // length
    start = add_months(anchor, index * length)
    if start > as_of:
        index -= 1
        start = add_months(anchor, index * length)
    return Window(start, add_months(anchor, (index + 1) * length) - ONE_DAY)


def _month_day(year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    return date(year, month, min(day, days_in_month(year, month)))


def first_cycle_end(
    anchor: date, years: int, month_day: tuple[int, int], after_anniversary: bool
) -> date:
    """The end of an officer's first cycle with a fixed end day: the month-day of the Nth
    year after the anchor or, `after_anniversary`, the first month-day on or after the Nth
    anniversary (Florida: certified 1997-11-21, first cycle due 2002-06-30)."""
    if not after_anniversary:
        return _month_day(anchor.year + years, month_day)
    anniversary = add_years(anchor, years)
    end = _month_day(anniversary.year, month_day)
    return end if end >= anniversary else _month_day(anniversary.year + 1, month_day)


def _fixed_end_cycle(
    anchor: date,
    years: int,
    month_day: tuple[int, int],
    as_of: date,
    after_anniversary: bool = False,
) -> Window:
    """FL-style cycles: the first runs from the anchor to its first end (`first_cycle_end`);
    each later one runs from the day after the previous end to month-day N years later."""
    first_end = first_cycle_end(anchor, years, month_day, after_anniversary)
    if as_of <= first_end:
        return Window(anchor, first_end)
    end_year = as_of.year if _month_day(as_of.year, month_day) >= as_of else as_of.year + 1
    steps = -(-(end_year - first_end.year) // years)
    end = _month_day(first_end.year + steps * years, month_day)
    start = _month_day(first_end.year + (steps - 1) * years, month_day) + ONE_DAY
    return Window(start, end)


def current_window(
    period: Period,
    as_of: date,
    *,
    anchor: date | None = None,
    fiscal_start_month: int = 7,
) -> Window | None:
    """The window of `period` that holds `as_of`.

    `anchor` is the officer's date for officer-anchored kinds (see `officer_anchor`);
    `fiscal_start_month` is used when a fiscal year has no start month of its own.
    Returns None when there is no such window yet: an officer cycle or one-time period
    whose anchor falls after `as_of`. A since_last_completion window depends on the
    training records, so the compliance engine lays it out, not this function.
    """
    kind = period.kind
    if kind is PeriodKind.CALENDAR_YEAR:
        return Window(date(as_of.year, 1, 1), date(as_of.year, 12, 31))
    if kind is PeriodKind.FISCAL_YEAR:
        month = period.start_month or fiscal_start_month
        year = as_of.year if as_of.month >= month else as_of.year - 1
        start = date(year, month, 1)
        return Window(start, add_months(start, 12) - ONE_DAY)
    if kind is PeriodKind.FIXED_CYCLE:
        if period.anchor is None:
            raise ValueError("a fixed cycle needs an anchor date")
        return _cycle_from(period.anchor, period.length_months, as_of)
    if kind is PeriodKind.ROLLING:
        return Window(add_months(as_of, -period.length_months) + ONE_DAY, as_of)
    if kind is PeriodKind.DEADLINE:
        if period.due is None:
            raise ValueError("a deadline needs its due date")
        return Window(period.counts_from or date.min, period.due)
    if anchor is None:
        raise ValueError(f"a {kind.value} period needs the officer's anchor date")
    if anchor > as_of:
        return None
    if kind is PeriodKind.OFFICER_CYCLE:
        years = period.years or 1
        if period.end_month_day is not None:
            return _fixed_end_cycle(
                anchor, years, period.end_month_day, as_of, period.end_after_anniversary
            )
        return _cycle_from(anchor, years * 12, as_of)
    if kind is PeriodKind.ONE_TIME:
        return one_time_window(anchor, period.length_months)
    raise ValueError("a since_last_completion window depends on the training records")


def previous_window(period: Period, window: Window, *, anchor: date | None = None) -> Window | None:
    """The window just before `window`, or None when there is none.

    Officer cycles have no window before the one that starts at the anchor; one-time and
    since_last_completion periods have no previous window in this sense.
    """
    kind = period.kind
    if kind in (PeriodKind.ONE_TIME, PeriodKind.SINCE_LAST_COMPLETION, PeriodKind.DEADLINE):
        return None
    if kind is PeriodKind.ROLLING:
        end = window.start - ONE_DAY
        return Window(add_months(end, -period.length_months) + ONE_DAY, end)
    if kind is PeriodKind.OFFICER_CYCLE:
        if anchor is None or window.start <= anchor:
            return None
        years = period.years or 1
        if period.end_month_day is not None:
            return _fixed_end_cycle(
                anchor,
                years,
                period.end_month_day,
                window.start - ONE_DAY,
                period.end_after_anniversary,
            )
        return _cycle_from(anchor, years * 12, window.start - ONE_DAY)
    if kind is PeriodKind.FIXED_CYCLE:
        if period.anchor is None:
            raise ValueError("a fixed cycle needs an anchor date")
        return _cycle_from(period.anchor, period.length_months, window.start - ONE_DAY)
    # Calendar and fiscal years: the 12 months before.
    start = add_months(window.start, -12)
    return Window(start, window.start - ONE_DAY)


def clock_due(period: Period, start: date) -> date:
    """When a restarting clock started (or last completed) on `start` falls due: N years
    later, or on `end_month_day` of the Nth year after (Virginia: 31 December)."""
    years = period_years(period)
    if period.end_month_day is not None:
        return _month_day(start.year + years, period.end_month_day)
    return add_years(start, years)


def one_time_window(anchor: date, months: int) -> Window:
    """From the anchor date through the deadline `months` later (both inclusive)."""
    return Window(anchor, add_months(anchor, months))


def window_month_keys(window: Window) -> tuple[int, int]:
    """First and last `month_key` of the calendar months that make up a window.

    A month belongs to the window when the window includes 15 or more of its days, so a
    3-year licence cycle from 2020-03-20 to 2023-03-19 has 36 months: March 2020 (12 days
    inside) is out and March 2023 (19 days inside) is in. Only the first and last months
    can be partial. When a window is too short for any month to reach 15 days, every month
    it touches counts.
    """
    start, end = window.start, window.end
    first, last = month_key(start), month_key(end)
    if first == last:
        return first, last
    low = first
    if days_in_month(start.year, start.month) - start.day + 1 < MIN_DAYS_IN_MONTH:
        low += 1
    high = last if end.day >= MIN_DAYS_IN_MONTH else last - 1
    if low > high:
        return first, last
    return low, high


@dataclass(frozen=True, slots=True)
class WindowMonth:
    """One calendar month of a window, with the ordinals of its first and last day inside it."""

    year: int
    month: int
    first: int
    last: int

    @property
    def days(self) -> int:
        """How many of the month's days lie inside the window."""
        return self.last - self.first + 1

    def label(self) -> str:
        """'Mar 2024'."""
        return month_label(self.year * 12 + self.month - 1)


def month_label(key: int) -> str:
    """'Mar 2024' for a `month_key`."""
    year, month = month_of_key(key)
    return f"{calendar.month_abbr[month]} {year}"


def window_months(window: Window) -> list[WindowMonth]:
    """The calendar months that make up a window (see `window_month_keys`), each with the
    days of it that lie inside the window."""
    low, high = window_month_keys(window)
    start_ord, end_ord = window.start.toordinal(), window.end.toordinal()
    months = []
    for key in range(low, high + 1):
        year, month = month_of_key(key)
        first = date(year, month, 1).toordinal()
        last = first + days_in_month(year, month) - 1
        months.append(WindowMonth(year, month, max(first, start_ord), min(last, end_ord)))
    return months
