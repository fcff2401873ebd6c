"""Dates as people type them (YYYY-MM-DD or MM/DD/YYYY) and as the product writes them (ISO)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# re.ASCII so that digits from other scripts (e.g. Arabic-Indic) are not taken for a date.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)

DATE_FORMATS_HINT = "use YYYY-MM-DD or MM/DD/YYYY"
"""What to tell a user whose date could not be read."""

FIRST_DATE = date(1901, 1, 1)
LAST_DATE = date(8999, 12, 31)
"""The dates a user may give. Rules count years and months on from a date, and the calendar
stops at 9999 (an as-of date of 9999-12-31 stopped the compliance engine); 1900-01-01 stands
for "no date" in the window's date fields."""


def out_of_range(value: date) -> str | None:
    """Why `value` is not a date the app works with; None when it is one."""
    day = value.date() if isinstance(value, datetime) else value
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return (
        f"{day.isoformat()} is outside the dates this app works with "
        f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})"
    )


def parse_date(text: str) -> date:
    """Read `YYYY-MM-DD` or `MM/DD/YYYY` (surrounding spaces ignored).

    Raises ValueError with a message fit for a user, e.g.
    '"13/45/2020" is not a date (use YYYY-MM-DD or MM/DD/YYYY)'.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"the date is missing ({DATE_FORMATS_HINT})")
    if match := _ISO.fullmatch(cleaned):
        year, month, day = match.groups()
    elif match := _US.fullmatch(cleaned):
        month, day, year = match.groups()
    else:
        raise ValueError(f'"{cleaned}" is not a date ({DATE_FORMATS_HINT})')
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        # Right shape but no such day (02/30/2024, month 13, year 0000).
        raise ValueError(f'"{cleaned}" is not a date ({DATE_FORMATS_HINT})') from None
    if (problem := out_of_range(found)) is not None:
        raise ValueError(problem)
    return found


def format_date(value: date | None) -> str:
    """ISO `YYYY-MM-DD` as the database and exports store it; "" for no date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat()


def year_before(today: date) -> date:
    """The day after the same date a year earlier: the first day of "the last 12 months"."""
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + timedelta(days=1)
