"""Exact training hours: integer hundredths of an hour in memory, 2-decimal text for people."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Centihours = int
"""Hours times 100, as an int, so sums and comparisons are exact (1.25 h == 125)."""


MAX_HOURS = 100_000
"""Far above any real total; keeps absurd input (1e30) from reaching the arithmetic."""


class HoursError(ValueError):
    """A value that cannot be read as a number of hours."""


def parse_hours(value: object) -> Centihours:
    """Read hours from user input ("1.5", 1.5, "2") as centihours, rounding half up to 2 decimals.

    Refuses blanks, non-numbers, negatives, NaN and infinities with a message fit for a user.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise HoursError("hours are missing")
    if isinstance(value, bool):
        raise HoursError(f"{value!r} is not a number of hours")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise HoursError(f"{str(value).strip()!r} is not a number of hours") from None
    if not number.is_finite():
        raise HoursError(f"{str(value).strip()!r} is not a number of hours")
    if number < 0:
        raise HoursError(f"hours cannot be negative ({number})")
    if number > MAX_HOURS:
        raise HoursError(f"{number} hours is more than any one record can hold ({MAX_HOURS})")
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_FAST_LIMIT = 1e9
"""Below this many hours a float times 100 is within 1e-4 of the decimal it stands for."""


def from_float(hours: float) -> Centihours:
    """Convert hours as stored in the database (REAL, 2 decimals) to centihours.

    Exactly the decimal value of `repr(hours)` times 100, rounded half up. Millions of
    stored values are converted per report, so the float product is rounded directly when
    it is clearly away from a half (always, for 2-decimal values); only a value near a half
    (1.005, a third decimal) goes through Decimal.
    """
    if -_FAST_LIMIT < hours < _FAST_LIMIT:
        scaled = hours * 100
        nearest = round(scaled)
        if -0.25 < scaled - nearest < 0.25:
            return nearest
    return _from_decimal(hours)


def _from_decimal(hours: float) -> Centihours:
    return int((Decimal(repr(hours)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_float(centihours: Centihours) -> float:
    """Hours as a float with 2 decimals, for storage and JSON."""
    return round(centihours / 100, 2)


def format_hours(centihours: Centihours) -> str:
    """Hours for people: at least one decimal, at most two ("30.0", "2.5", "9.17")."""
    sign = "-" if centihours < 0 else ""
    whole, cents = divmod(abs(centihours), 100)
    if cents % 10 == 0:
        return f"{sign}{whole}.{cents // 10}"
    return f"{sign}{whole}.{cents:02d}"
