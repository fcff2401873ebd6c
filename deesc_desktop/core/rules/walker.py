"""The one walker that checks a table of a rule pack against its schema, problem by problem.

A schema is an ordered list of fields to read and rules that hold between them, so every
problem is reported, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from deesc_desktop.core.rules.fields import Invalid, Problems

INVALID: Any = object()
"""The value of a field that was given but could not be read."""


class Values:
    """What a walk has read of one table so far: each field's value (its default when it
    was not given, INVALID when it could not be read), and whether anything was wrong."""

    def __init__(
        self,
        table: Mapping[str, Any],
        problems: Problems,
        name: str,
        scope: Mapping[str, Any],
    ) -> None:
        self.table = table
        self.problems = problems
        self.name = name
        self.scope = scope
        """What the fields are read against (the topic codes known, the enclosing table)."""
        self.read: dict[str, Any] = {}
        self.unreadable = False
        """Some field could not be read."""
        self.wrong = False
        """Some key is unknown or some rule does not hold."""

    def __getitem__(self, key: str) -> Any:
        return self.read[key]

    def given(self, key: str) -> bool:
        """True when the table holds the key."""
        return key in self.table

    def valid(self, *keys: str) -> bool:
        """True when each of these fields holds a value that was read."""
        return all(self.read.get(key, INVALID) is not INVALID for key in keys)

    @property
    def ok(self) -> bool:
        """True when every field was read and every rule holds."""
        return not self.unreadable and not self.wrong

    def field_name(self, key: str | None) -> str:
        """A field's name in messages: 'period.years', or the table's own for None."""
        if key is None:
            return self.name
        return f"{self.name}.{key}" if self.name else key

    def add(self, field_name: str, reason: str) -> None:
        self.problems.add(field_name, reason)


FieldReader = Callable[[object, str, Values], Any]
"""Reads a field's value (see fields.Reader); one that needs the scope reads it from Values."""


@dataclass(frozen=True, slots=True)
class Field:
    """A key of the table: how its value is read, and what it is when not given."""

    key: str
    read: FieldReader
    missing: str | None = None
    """What is wrong when the key is not given; None: it is optional."""
    default: Any = None
    when: Callable[[Values], bool] | None = None
    """Read only when this holds of the fields before it (else it keeps its default)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """Something that must hold between fields read so far; `broken` says when it does not."""

    key: str | None
    """The field the problem is reported on; None: the table itself."""
    broken: Callable[[Values], bool]
    message: str | Callable[[Values], str]


@dataclass(frozen=True, slots=True)
class Derived:
    """A value worked out from the table rather than read from one key (which kind of
    requirement it is); `compute` reports what is wrong and raises `Invalid`."""

    key: str
    compute: Callable[[Values], Any]


@dataclass(frozen=True, slots=True)
class Gate:
    """The rules below need the fields above: stop here when one could not be read (and,
    when `strict`, when any key or rule above was wrong too)."""

    strict: bool = False


Entry = Field | Derived | Rule | Gate


def walk(
    table: Mapping[str, Any],
    entries: Sequence[Entry],
    problems: Problems,
    *,
    name: str = "",
    allowed: Sequence[str] | None = None,
    scope: Mapping[str, Any] | None = None,
) -> Values:
    """Check `table` against its entries in order, recording each problem; with `allowed`,
    first name each key it does not list (with the closest one)."""
    values = Values(table, problems, name, scope or {})
    if allowed is not None and not problems.check_keys(table, allowed, f"{name}." if name else ""):
        values.wrong = True
    read = values.read
    for entry in entries:
        if isinstance(entry, Field):
            key = entry.key
            if entry.when is not None and not entry.when(values):
                read[key] = entry.default
            elif key in table:
                try:
                    read[key] = entry.read(table[key], values.field_name(key), values)
                except Invalid:
                    read[key] = INVALID
                    values.unreadable = True
            elif entry.missing is not None:
                values.add(values.field_name(key), entry.missing)
                read[key] = INVALID
                values.unreadable = True
            else:
                read[key] = entry.default
        elif isinstance(entry, Derived):
            try:
                read[entry.key] = entry.compute(values)
            except Invalid:
                read[entry.key] = INVALID
                values.unreadable = True
        elif isinstance(entry, Rule):
            if entry.broken(values):
                message = entry.message
                values.add(
                    values.field_name(entry.key),
                    message if isinstance(message, str) else message(values),
                )
                values.wrong = True
        elif values.unreadable or (entry.strict and values.wrong):
            break
    return values
