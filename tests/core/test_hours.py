"""from_float: the fast conversion of stored hours agrees with the exact Decimal one."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from deesc_desktop.core.hours import from_float, parse_hours, to_float


def _exact(hours: float) -> int:
    """The definition: the decimal `repr` of the float, times 100, rounded half up."""
    return int((Decimal(repr(hours)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_every_stored_two_decimal_value_up_to_2000_hours() -> None:
    for centihours in range(200_001):
        stored = to_float(centihours)
        assert from_float(stored) == centihours == _exact(stored)


def test_random_values_with_more_decimals_and_of_every_size() -> None:
    rng = random.Random(8)
    values = [rng.uniform(0, 100) for _ in range(50_000)]
    values += [round(rng.uniform(0, 1000), rng.randint(0, 6)) for _ in range(50_000)]
    values += [rng.uniform(-1e12, 1e12) for _ in range(5_000)]
    values += [10.0**exponent for exponent in range(-8, 25)]
    for value in values:
        assert from_float(value) == _exact(value), value


@pytest.mark.parametrize(
    "value",
    [1.005, 2.675, 0.125, 0.145, 1.115, 8.345, -1.005, -0.125, 0.0, -0.0, 99_999.995, 1e9, 1e20],
)
def test_values_at_or_near_a_half_round_half_up_like_decimal(value: float) -> None:
    assert from_float(value) == _exact(value)


def test_whole_numbers_and_parsed_input_round_trip() -> None:
    assert from_float(3) == 300
    for text in ("1.5", "2", "0.01", "9.17", "99999.99"):
        assert from_float(to_float(parse_hours(text))) == parse_hours(text)
