"""Period kinds at their boundaries: month ends, leap days, cycle roll-overs, officer anchors."""

from __future__ import annotations

from datetime import date

import pytest

from deesc_desktop.core.models import Officer
from deesc_desktop.core.periods import (
    AnchorDate,
    Period,
    PeriodKind,
    Window,
    add_months,
    add_years,
    current_window,
    days_in_month,
    officer_anchor,
    one_time_window,
    previous_window,
    window_month_keys,
    window_months,
)

CALENDAR = Period(PeriodKind.CALENDAR_YEAR)
FISCAL_JULY = Period(PeriodKind.FISCAL_YEAR, start_month=7)
IL_CYCLE = Period(PeriodKind.FIXED_CYCLE, anchor=date(2022, 7, 1), years=3)
TX_UNIT = Period(PeriodKind.FIXED_CYCLE, anchor=date(2023, 9, 1), years=2)
FL_CYCLE = Period(PeriodKind.OFFICER_CYCLE, years=4, end_month_day=(6, 30))
MN_CYCLE = Period(PeriodKind.OFFICER_CYCLE, years=3)
ROLLING_24 = Period(PeriodKind.ROLLING, months=24)


def w(start: str, end: str) -> Window:
    return Window(date.fromisoformat(start), date.fromisoformat(end))


# --- month arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),  # leap year: clamps to the 29th
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),  # leap day a year later
        ("2024-02-29", 48, "2028-02-29"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-05-31", 1, "2024-06-30"),
        ("2023-12-15", 1, "2024-01-15"),  # year boundary
        ("2024-01-15", -1, "2023-12-15"),
        ("2022-07-01", 36, "2025-07-01"),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(
    start: str, months: int, expected: str
) -> None:
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)


def test_add_years_moves_a_leap_day_to_feb_28() -> None:
    assert add_years(date(2020, 2, 29), 5) == date(2025, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2024, 2, 29), (2023, 2, 28), (1900, 2, 28), (2000, 2, 29), (2024, 4, 30), (2024, 12, 31)],
)
def test_days_in_month_knows_leap_years(year: int, month: int, days: int) -> None:
    assert days_in_month(year, month) == days


# --- calendar and fiscal years ------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2024-01-01", "2024-02-29", "2024-12-31"])
def test_calendar_year_holds_its_first_and_last_day(day: str) -> None:
    assert current_window(CALENDAR, date.fromisoformat(day)) == w("2024-01-01", "2024-12-31")


def test_calendar_previous_window_is_the_year_before() -> None:
    assert previous_window(CALENDAR, w("2024-01-01", "2024-12-31")) == w("2023-01-01", "2023-12-31")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-06-30", ("2023-07-01", "2024-06-30")),  # last day of FY 2024
        ("2024-07-01", ("2024-07-01", "2025-06-30")),  # first day of FY 2025
        ("2024-01-15", ("2023-07-01", "2024-06-30")),
    ],
)
def test_fiscal_year_from_july_rolls_over_on_july_1(day: str, expected: tuple[str, str]) -> None:
    assert current_window(FISCAL_JULY, date.fromisoformat(day)) == w(*expected)


def test_fiscal_year_without_its_own_start_month_uses_the_agency_month() -> None:
    period = Period(PeriodKind.FISCAL_YEAR)
    window = current_window(period, date(2024, 9, 30), fiscal_start_month=10)
    assert window == w("2023-10-01", "2024-09-30")


# --- fixed cycles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2022-07-01", ("2022-07-01", "2025-06-30")),  # first day of the first cycle
        ("2025-06-30", ("2022-07-01", "2025-06-30")),  # its last day
        ("2025-07-01", ("2025-07-01", "2028-06-30")),  # the cycle rolls over
        ("2028-02-29", ("2025-07-01", "2028-06-30")),  # leap day inside a cycle
        ("2021-01-01", ("2019-07-01", "2022-06-30")),  # before the anchor: laid out backwards
    ],
)
def test_illinois_three_year_cycles_from_2022_07_01(day: str, expected: tuple[str, str]) -> None:
    assert current_window(IL_CYCLE, date.fromisoformat(day)) == w(*expected)


def test_texas_two_year_units_and_the_unit_before() -> None:
    current = current_window(TX_UNIT, date(2025, 8, 31))
    assert current == w("2023-09-01", "2025-08-31")
    assert current_window(TX_UNIT, date(2025, 9, 1)) == w("2025-09-01", "2027-08-31")
    assert previous_window(TX_UNIT, w("2025-09-01", "2027-08-31")) == current


def test_fixed_cycle_from_a_month_end_anchor_does_not_drift() -> None:
    """Jan 31 + 1 month clamps to Feb 28/29, but each cycle is computed from the anchor, so
    the cycles keep starting on the 31st where the month has one."""
    period = Period(PeriodKind.FIXED_CYCLE, anchor=date(2024, 1, 31), months=1)
    assert current_window(period, date(2024, 3, 15)) == w("2024-02-29", "2024-03-30")
    assert current_window(period, date(2024, 3, 31)) == w("2024-03-31", "2024-04-29")


# --- officer-anchored cycles ---------------------------------------------------------------------


def test_minnesota_licence_cycle_runs_three_years_from_the_licence_date() -> None:
    licence = date(2021, 3, 15)
    assert current_window(MN_CYCLE, date(2021, 3, 15), anchor=licence) == w(
        "2021-03-15", "2024-03-14"
    )
    assert current_window(MN_CYCLE, date(2024, 3, 14), anchor=licence) == w(
        "2021-03-15", "2024-03-14"
    )
    second = current_window(MN_CYCLE, date(2024, 3, 15), anchor=licence)
    assert second == w("2024-03-15", "2027-03-14")
    assert previous_window(MN_CYCLE, second, anchor=licence) == w("2021-03-15", "2024-03-14")
    assert previous_window(MN_CYCLE, w("2021-03-15", "2024-03-14"), anchor=licence) is None


def test_officer_cycle_before_the_anchor_has_no_window() -> None:
    assert current_window(MN_CYCLE, date(2021, 3, 14), anchor=date(2021, 3, 15)) is None


def test_officer_cycle_from_a_leap_day_licence() -> None:
    """Licensed 2020-02-29: the cycle ends the day before 2023-02-28 (Feb 29 clamped)."""
    window = current_window(MN_CYCLE, date(2021, 6, 1), anchor=date(2020, 2, 29))
    assert window == w("2020-02-29", "2023-02-27")
    assert current_window(MN_CYCLE, date(2023, 2, 28), anchor=date(2020, 2, 29)) == w(
        "2023-02-28", "2026-02-27"
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2019-09-15", ("2019-09-15", "2023-06-30")),  # first cycle: certification date ...
        ("2023-06-30", ("2019-09-15", "2023-06-30")),  # ... to 30 June of the 4th year after
        ("2023-07-01", ("2023-07-01", "2027-06-30")),  # then 1 July - 30 June, 4 years each
        ("2027-06-30", ("2023-07-01", "2027-06-30")),
        ("2027-07-01", ("2027-07-01", "2031-06-30")),
    ],
)
def test_florida_cycle_is_due_june_30_of_the_fourth_year(
    day: str, expected: tuple[str, str]
) -> None:
    certified = date(2019, 9, 15)
    assert current_window(FL_CYCLE, date.fromisoformat(day), anchor=certified) == w(*expected)


def test_florida_previous_cycle() -> None:
    certified = date(2019, 9, 15)
    assert previous_window(FL_CYCLE, w("2027-07-01", "2031-06-30"), anchor=certified) == w(
        "2023-07-01", "2027-06-30"
    )
    assert previous_window(FL_CYCLE, w("2023-07-01", "2027-06-30"), anchor=certified) == w(
        "2019-09-15", "2023-06-30"
    )
    assert previous_window(FL_CYCLE, w("2019-09-15", "2023-06-30"), anchor=certified) is None


def test_officer_anchor_falls_back_to_hire_date_without_a_licence_date() -> None:
    officer = Officer(1, "1", "Doe", "J", hire_date=date(2019, 3, 4))
    assert officer_anchor(officer, AnchorDate.LICENSE) == (date(2019, 3, 4), True)
    licensed = Officer(
        1, "1", "Doe", "J", hire_date=date(2019, 3, 4), license_date=date(2018, 1, 2)
    )
    assert officer_anchor(licensed, AnchorDate.LICENSE) == (date(2018, 1, 2), False)
    assert officer_anchor(licensed, AnchorDate.HIRE) == (date(2019, 3, 4), False)


# --- rolling and one-time ----------------------------------------------------------------------


def test_rolling_window_ends_on_the_as_of_date() -> None:
    assert current_window(ROLLING_24, date(2024, 5, 15)) == w("2022-05-16", "2024-05-15")
    assert current_window(ROLLING_24, date(2024, 2, 29)) == w("2022-03-01", "2024-02-29")
    assert previous_window(ROLLING_24, w("2022-05-16", "2024-05-15")) == w(
        "2020-05-16", "2022-05-15"
    )


def test_one_time_deadline_is_inclusive_and_clamped() -> None:
    assert one_time_window(date(2020, 3, 15), 24) == w("2020-03-15", "2022-03-15")
    assert one_time_window(date(2022, 2, 28), 24) == w("2022-02-28", "2024-02-28")
    assert one_time_window(date(2021, 8, 31), 6) == w("2021-08-31", "2022-02-28")
    period = Period(PeriodKind.ONE_TIME, months=24)
    assert current_window(period, date(2030, 1, 1), anchor=date(2020, 3, 15)) == w(
        "2020-03-15", "2022-03-15"
    )
    assert previous_window(period, w("2020-03-15", "2022-03-15")) is None


def test_since_last_completion_window_needs_the_records() -> None:
    with pytest.raises(ValueError, match="training records"):
        current_window(
            Period(PeriodKind.SINCE_LAST_COMPLETION, years=5),
            date(2024, 1, 1),
            anchor=date(2020, 1, 1),
        )


# --- the months of a window ---------------------------------------------------------------------


def test_a_month_belongs_to_a_window_from_15_of_its_days() -> None:
    """Licence cycle 2020-03-20 to 2023-03-19: March 2020 has 12 days inside (out), March 2023
    has 19 (in), so the window has exactly 36 months, April 2020 to March 2023."""
    months = window_months(w("2020-03-20", "2023-03-19"))
    assert len(months) == 36
    assert (months[0].year, months[0].month) == (2020, 4)
    assert (months[-1].year, months[-1].month, months[-1].days) == (2023, 3, 19)


def test_month_aligned_windows_count_whole_months() -> None:
    assert len(window_months(w("2022-07-01", "2025-06-30"))) == 36
    february = window_months(w("2024-01-01", "2024-12-31"))[1]
    assert (february.month, february.days) == (2, 29)


def test_edge_month_with_exactly_15_days_counts() -> None:
    """2023-03-17 to 2023-06-15: March has 15 days inside (17th to 31st), June has 15."""
    low, high = window_month_keys(w("2023-03-17", "2023-06-15"))
    assert high - low + 1 == 4
    low, high = window_month_keys(w("2023-03-18", "2023-06-14"))
    assert high - low + 1 == 2  # April and May only


def test_a_window_too_short_for_any_full_month_counts_every_month_it_touches() -> None:
    assert len(window_months(w("2024-01-25", "2024-02-05"))) == 2
    assert len(window_months(w("2024-02-03", "2024-02-10"))) == 1


def test_describe_names_the_period_for_people() -> None:
    assert IL_CYCLE.describe() == "every 3 years from 2022-07-01"
    assert FL_CYCLE.describe() == ("every 4 years from the officer's licence date, ending June 30")
    assert FISCAL_JULY.describe() == "each fiscal year starting in July"
