"""How reports write dates, fiscal years and percentages."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """'November 22, 2026', as headings and sentences print dates for US readers."""
    # Not strftime("%B"): that follows the process locale, and the reports are in English.
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def sentence_case(words: str) -> str:
    """'All training through November 22, 2026' as the middle of a sentence: the first letter
    lowered, month names and names left as written (not str.lower())."""
    return words[:1].lower() + words[1:]


def iso(day: date | None) -> str:
    """ISO date for table cells, "" for none."""
    return day.isoformat() if day else ""


def fiscal_year_start(day: date, first_month: int) -> date:
    """The first day of the fiscal year (starting in `first_month`) that contains `day`."""
    year = day.year if day.month >= first_month else day.year - 1
    return date(year, first_month, 1)


def percent_text(part: int, whole: int) -> str:
    """'42.5%' (one decimal), or an en dash when there is nothing to divide by."""
    if whole == 0:
        return "–"
    return f"{100 * part / whole:.1f}%"
