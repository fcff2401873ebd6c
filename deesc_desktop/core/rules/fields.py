"""How one field of a rule pack is read, and the words for what is wrong with it.

Each message names the file, the requirement and the field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from deesc_desktop.core.hours import Centihours, HoursError, parse_hours


class Invalid(Exception):
    """One field could not be read; the reason has already been recorded."""


class Problems:
    """Collects messages naming the file, requirement and field, so all are reported at once."""

    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.requirement = ""
        self.messages: list[str] = []
        self.fields: list[tuple[str, str]] = []

    def add(self, field_name: str, reason: str) -> None:
        where = [self.source_name] if self.source_name else []
        if self.requirement:
            where.append(f"requirement {self.requirement}")
        where.append(f"field {field_name}")
        self.messages.append(f"{', '.join(where)}: {reason}")
        self.fields.append((field_name, reason))

    def check_keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], prefix: str = ""
    ) -> bool:
        """Report each key not in `allowed`, with the closest one; True when there is none."""
        known = True
        for key in table:
            if key not in allowed:
                self.add(prefix + key, unknown_field(key, allowed))
                known = False
        return known


class Report(Protocol):
    """Where a reader says what is wrong with a field."""

    def add(self, field_name: str, reason: str) -> None: ...


Reader = Callable[[object, str, Report], Any]
"""Reads one field's value, given the field's full name for messages; raises `Invalid`."""

E = TypeVar("E", bound=StrEnum)


def one_of(values: Iterable[str]) -> str:
    return ", ".join(values)


def unknown_field(name: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field{hint}; expected one of {one_of(allowed)}"


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime):
        return "a date with a time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, str):
        return f"the text {value!r}"
    return type(value).__name__


def text(value: object, name: str, problems: Report) -> str:
    """Non-empty text, stripped."""
    found = optional_text(value, name, problems)
    if not found:
        problems.add(name, "must not be empty" if value is not None else "is required")
        raise Invalid
    return found


def optional_text(value: object, name: str, problems: Report) -> str:
    """Text, stripped; None (absent) is ""."""
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(name, f"must be text, not {type_name(value)}")
        raise Invalid
    return value.strip()


def day(value: object, name: str, problems: Report) -> date:
    """A date without a time: a TOML date or ISO text."""
    if isinstance(value, datetime):
        problems.add(name, f"must be a date without a time, e.g. 2022-07-01, not {value}")
        raise Invalid
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            problems.add(name, f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2022-07-01")
            raise Invalid from None
    problems.add(name, f"must be a date (YYYY-MM-DD), not {type_name(value)}")
    raise Invalid


def hours(value: object, name: str, problems: Report) -> Centihours:
    """A number of hours, more than 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(name, f"must be a number of hours, not {type_name(value)}")
        raise Invalid
    try:
        found = parse_hours(value)
    except HoursError as exc:
        problems.add(name, str(exc))
        raise Invalid from None
    if found <= 0:
        problems.add(name, "must be more than 0 hours")
        raise Invalid
    return found


def whole_number(upper: int) -> Reader:
    """A whole number from 1 to `upper`."""

    def read(value: object, name: str, problems: Report) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.add(name, f"must be a whole number, not {type_name(value)}")
            raise Invalid
        if not 1 <= value <= upper:
            problems.add(name, f"must be between 1 and {upper}, not {value}")
            raise Invalid
        return value

    return read


def strings(value: object, name: str, problems: Report) -> tuple[str, ...]:
    """A list of non-empty strings, stripped and without repeats; one string is a list of one."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.add(name, f"must be a list of text, not {type_name(value)}")
        raise Invalid
    items: list[str] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            problems.add(f"{name}[{index}]", f"must be non-empty text, not {type_name(item)}")
            raise Invalid
        if item.strip() not in items:
            items.append(item.strip())
    return tuple(items)


def codes(
    value: object, name: str, problems: Report, known: Mapping[str, str], what: str
) -> tuple[str, ...]:
    """A list of codes from `known`; each unknown one is named with the closest known one."""
    found = strings(value, name, problems)
    bad = [code for code in found if code not in known]
    for code in bad:
        close = difflib.get_close_matches(code, list(known), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.add(name, f"'{code}' is not a known {what}{hint}")
    if bad:
        raise Invalid
    return found


def known_codes(known: Mapping[str, str], what: str) -> Reader:
    """A list of codes from a fixed table (deliveries, officer statuses)."""

    def read(value: object, name: str, problems: Report) -> tuple[str, ...]:
        return codes(value, name, problems, known, what)

    return read


def choice(kind: type[E]) -> Callable[[object, str, Report], E]:
    """One of an enumeration's values."""
    values = [member.value for member in kind]

    def read(value: object, name: str, problems: Report) -> E:
        if not isinstance(value, str) or value not in values:
            shown = repr(value) if isinstance(value, str) else type_name(value)
            problems.add(name, f"{shown} is not one of {one_of(values)}")
            raise Invalid
        return kind(value)

    return read


def table(value: object, name: str, problems: Report) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        problems.add(name, f"must be a table, not {type_name(value)}")
        raise Invalid
    return value


def boolean(value: object, name: str, problems: Report) -> bool:
    if not isinstance(value, bool):
        problems.add(name, f"must be true or false, not {type_name(value)}")
        raise Invalid
    return value


_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


def month_day(value: object, name: str, problems: Report) -> tuple[int, int]:
    """Text MM-DD naming a day that exists every year."""
    match = _MONTH_DAY.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        problems.add(name, f'must be text MM-DD such as "06-30", not {value!r}')
        raise Invalid
    month, day_of_month = int(match.group(1)), int(match.group(2))
    try:
        # 2023 is a common year: a month-day that exists every year (no 02-29).
        date(2023, month, day_of_month)
    except ValueError:
        problems.add(name, f"{value!r} is not a day that exists every year")
        raise Invalid from None
    return month, day_of_month
