"""Money as integer cents: reading what people type, refusing what is not exact, formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deesc_desktop.core.bonus import total
from deesc_desktop.core.money import MoneyError, format_money, format_plain, parse_money


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("$3,800.00", 380_000),
        ("3800", 380_000),
        (" 3800.5 ", 380_050),
        ("3,800", 380_000),
        ("$250,000", 25_000_000),
        ("0.01", 1),
        (".75", 75),
        ("1.000", 100),
        (3800, 380_000),
        (Decimal("12.34"), 1234),
        ("$ 1,234,567.89", 123_456_789),
        ("0", 0),
    ],
)
def test_amounts_people_type_become_exact_cents(text: object, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.005", "fraction of a cent"),
        ("$3,800.001", "fraction of a cent"),
        ("-5", "cannot be negative"),
        ("($5.00)", "cannot be negative"),
        ("", "missing"),
        (None, "missing"),
        ("38,00", "is not an amount"),
        ("3,8000", "is not an amount"),
        ("$", "is not an amount"),
        ("12abc", "is not an amount"),
        ("1e3", "is not an amount"),
        ("NaN", "is not an amount"),
        (True, "is not an amount"),
        ("2000000000000", "more than any award"),
    ],
)
def test_inexact_negative_or_garbled_amounts_are_refused(text: object, message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        parse_money(text)


def test_a_float_that_is_not_whole_cents_is_refused_rather_than_rounded() -> None:
    assert parse_money(0.1) == 10
    with pytest.raises(MoneyError, match="fraction of a cent"):
        parse_money(0.1 + 0.2)  # 0.30000000000000004


def test_corrections_may_be_negative_when_allowed() -> None:
    assert parse_money("-200", allow_negative=True) == -20_000
    assert parse_money("($1,250.50)", allow_negative=True) == -125_050
    assert parse_money("$-3.10", allow_negative=True) == -310


@pytest.mark.parametrize(
    ("cents", "money", "plain"),
    [
        (380_000, "$3,800.00", "3800.00"),
        (570_000_000, "$5,700,000.00", "5700000.00"),
        (5, "$0.05", "0.05"),
        (0, "$0.00", "0.00"),
        (-20_000, "-$200.00", "-200.00"),
    ],
)
def test_formatting(cents: int, money: str, plain: str) -> None:
    assert format_money(cents) == money
    assert format_plain(cents) == plain


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_formatted_money_reads_back_to_the_same_cents(cents: int) -> None:
    assert parse_money(format_money(cents), allow_negative=True) == cents
    assert parse_money(format_plain(cents), allow_negative=True) == cents


def test_sums_are_exact_and_refuse_floats() -> None:
    amounts = [parse_money("0.10")] * 10 + [parse_money("$3,800.00")] * 1_500
    assert total(amounts) == 570_000_100
    with pytest.raises(TypeError, match="integer cents"):
        total([100, 0.5])  # type: ignore[list-item]
