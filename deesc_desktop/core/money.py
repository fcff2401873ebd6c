"""Exact money: integer cents in memory and in the database, "$3,800.00" for people."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

Cents = int
"""An amount of US dollars times 100, as an int, so sums are exact ($3,800.00 == 380000)."""

MAX_CENTS = 100_000_000_000_000
"""$1 trillion: far above any award or payment; keeps absurd input away from the database."""

_AMOUNT = re.compile(r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<fraction>\d*))?", re.ASCII)


class MoneyError(ValueError):
    """A value that cannot be read as an amount of money, with a message fit for a user."""


def parse_money(value: object, *, allow_negative: bool = False) -> Cents:
    """Read an amount as people type it ("$3,800.00", "3800", "3,800.5", 3800) as cents.

    An int is whole dollars. Refuses blanks, fractions of a cent, misplaced thousands
    separators and (unless `allow_negative`, as for corrections) negative amounts.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MoneyError("the amount is missing")
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise MoneyError(f"{value!r} is not an amount of money")
    shown = str(value).strip()
    if isinstance(value, float):
        # repr() gives the shortest text that reads back as the same float: 0.1 -> "0.1".
        shown = repr(value)
    text = shown.replace(" ", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):  # accountants' negative
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    text = text.removeprefix("$")
    if text.startswith("-"):  # "$-5.00"
        negative, text = not negative, text[1:]
    match = _AMOUNT.fullmatch(text)
    if not text or match is None or not (match["digits"] or match["fraction"]):
        raise MoneyError(f'"{shown}" is not an amount of money (for example $3,800.00)')
    try:
        number = Decimal(text.replace(",", "") or "0")
    except InvalidOperation:
        raise MoneyError(f'"{shown}" is not an amount of money (for example $3,800.00)') from None
    cents = number * 100
    if cents != cents.to_integral_value():
        raise MoneyError(f'"{shown}" has a fraction of a cent')
    amount = int(cents)
    if negative and amount:
        if not allow_negative:
            raise MoneyError(f'the amount cannot be negative ("{shown}")')
        amount = -amount
    if abs(amount) > MAX_CENTS:
        raise MoneyError(f'"{shown}" is more than any award or payment can be')
    return amount


def format_money(cents: Cents) -> str:
    """Cents as people read them: 380000 -> "$3,800.00", -2500 -> "-$25.00"."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def format_plain(cents: Cents) -> str:
    """Cents as payroll and spreadsheet imports read them: 380000 -> "3800.00"."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}{dollars}.{rest:02d}"
