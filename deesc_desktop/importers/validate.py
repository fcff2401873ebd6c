"""Column mapping and the shared machinery of the roster, training and leave validators."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from deesc_desktop.core.dates import parse_date
from deesc_desktop.core.hours import Centihours, parse_hours
from deesc_desktop.core.names import control_problem
from deesc_desktop.importers.errors import RowError
from deesc_desktop.importers.reader import Table, normalise_header

Kind = Literal["roster", "training", "leave", "incidents"]

CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": (
        "badge",
        "last_name",
        "first_name",
        "rank",
        "unit",
        "shift",
        "hire_date",
        "license_date",
        "status",
        "state_id",
        "email",
    ),
    "training": (
        "badge",
        "course",
        "completed",
        "hours",
        "topics",
        "delivery",
        "provider",
        "instructor",
        "course_number",
        "pre_test",
        "post_test",
    ),
    "leave": ("badge", "start", "end", "reason", "requirements"),
    "incidents": (
        "reference",
        "occurred_on",
        "incident_type",
        "deescalation_used",
        "tactics",
        "force_type",
        "officers_injured",
        "public_injured",
        "subject_age",
        "subject_sex",
        "subject_race",
        "subject_ethnicity",
        "subject_impairment",
        "officer_badges",
    ),
}
"""The columns of the import-file contract (DESIGN.md), in template order."""

EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    # Not in the contract, but read when present: exports write it so separated officers
    # re-import with their separation date.
    "roster": ("separation_date",),
    # A waiver or extension granted for the leave (who, its reference, the date): with them
    # the leave reduces required hours whatever the agency's proration policy.
    "leave": ("granted_by", "reference", "granted_on"),
}
COLUMNS = {
    kind: (*columns, *EXTRA_COLUMNS.get(kind, ())) for kind, columns in CONTRACT_COLUMNS.items()
}
"""Every column a validator reads: the contract's plus the extras."""

REQUIRED: dict[str, frozenset[str]] = {
    "roster": frozenset({"badge", "last_name", "first_name", "hire_date"}),
    "training": frozenset({"badge", "course", "completed", "hours", "topics"}),
    "leave": frozenset({"badge", "start", "end"}),
    "incidents": frozenset(
        {"reference", "occurred_on", "incident_type", "deescalation_used", "force_type"}
    ),
}
"""Columns a file must have; the other columns may be left out."""

_BADGE_SYNONYMS = ("badge number", "badge no", "badge no.", "badge #", "badge#", "badge num")

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "badge": _BADGE_SYNONYMS,
        "last_name": ("last", "surname", "lastname", "family name"),
        "first_name": ("first", "firstname", "given name"),
        "hire_date": ("date of hire", "hired", "hire"),
        "license_date": ("licence date", "date licensed", "certification date"),
        "email": ("e-mail", "email address", "e-mail address"),
        "state_id": ("state id number", "state number"),
    },
    "training": {
        "badge": _BADGE_SYNONYMS,
        "course": ("course title", "course name", "class", "class name", "title"),
        "completed": ("completion date", "date completed", "completed on", "date"),
        "hours": ("hrs", "credit hours", "training hours"),
        "topics": ("topic",),
        "delivery": ("delivery method", "method"),
        "instructor": ("trainer",),
        "course_number": ("course #", "course no", "course no.", "course id"),
        "pre_test": ("pre-test", "pretest", "pre test score"),
        "post_test": ("post-test", "posttest", "post test score"),
    },
    "leave": {
        "badge": _BADGE_SYNONYMS,
        "start": ("start date", "from", "begin", "begins"),
        "end": ("end date", "to", "through", "until", "ends"),
        "requirements": ("requirement", "requirement ids"),
        "granted_by": ("waiver granted by", "approved by"),
        "reference": ("waiver reference", "waiver ref"),
        "granted_on": ("waiver date", "date granted", "approved on"),
    },
    "incidents": {
        "reference": ("report number", "report #", "case number", "incident number", "cad number"),
        "occurred_on": ("date", "incident date", "occurred"),
        "incident_type": ("type", "call type", "incident type"),
        "deescalation_used": ("de-escalation used", "deescalation", "de-escalation"),
        "tactics": ("de-escalation tactics", "tactic"),
        "force_type": ("force", "force used", "type of force"),
        "officers_injured": ("officer injuries", "officers hurt"),
        "public_injured": ("public injuries", "subject injuries", "civilians injured"),
        "subject_age": ("age", "age group"),
        "subject_sex": ("sex", "gender"),
        "subject_race": ("race",),
        "subject_ethnicity": ("ethnicity",),
        "subject_impairment": ("impairment", "apparent impairment"),
        "officer_badges": ("officers", "badges", "officer badge", "officers involved"),
    },
}
"""Other header names people commonly use for a column, best guess first."""

EARLIEST_PLAUSIBLE_DATE = date(1940, 1, 1)
"""No serving officer was hired, trained or on leave before this; earlier is a typo."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)

RowT = TypeVar("RowT")


@dataclass(slots=True)
class ValidationResult(Generic[RowT]):
    """What a validator made of a file: the good rows, every refusal, and what it ignored.

    An import is all-or-nothing: write `rows` only when `ok`.
    """

    file_name: str
    rows: list[RowT] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was refused."""
        return not self.errors


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which file column gives each contract column, for one file and one kind of import.

    `columns` maps contract column -> file header, and `positions` contract column -> the
    header's place in each of the table's rows; `ignored` lists the file headers that are not
    used; `errors` are file-level (row None) and block the import.
    """

    kind: str
    file_name: str
    columns: dict[str, str]
    positions: dict[str, int]
    ignored: list[str]
    warnings: list[str]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        """True when every required column was found and the mapping is consistent."""
        return not self.errors


def _check_kind(kind: str) -> None:
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(COLUMNS)}")


def suggest_mapping(headers: list[str], kind: str) -> dict[str, str]:
    """Guess file header -> contract column from the header names.

    Exact names (case, spaces and underscores aside) win over synonyms, earlier synonyms over
    later ones, and the leftmost column on a tie; each contract column is given at most once.
    """
    _check_kind(kind)
    exact = {normalise_header(name): name for name in COLUMNS[kind]}
    synonyms = SYNONYMS[kind]
    candidates: list[tuple[int, int, str, str]] = []
    for position, header in enumerate(headers):
        key = normalise_header(header)
        if key in exact:
            candidates.append((0, position, header, exact[key]))
        for name, alternatives in synonyms.items():
            normalised = [normalise_header(alternative) for alternative in alternatives]
            if key in normalised:
                candidates.append((1 + normalised.index(key), position, header, name))
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for _, _, header, name in sorted(candidates, key=lambda c: (c[0], c[1])):
        if header not in chosen and name not in taken:
            chosen[header] = name
            taken.add(name)
    return {header: chosen[header] for header in headers if header in chosen}


def _find_header(headers: list[str], wanted: str) -> str | None:
    if wanted in headers:
        return wanted
    key = normalise_header(wanted)
    return next((h for h in headers if normalise_header(h) == key), None)


def map_columns(table: Table, kind: str, mapping: Mapping[str, str] | None = None) -> ColumnMapping:
    """Decide which file column feeds each contract column.

    Starts from `suggest_mapping`; `mapping` (file header -> contract column, as the user
    chose it) overrides the guesses, and a value of "" tells to ignore that file column.
    A missing required column, a mapping to an unknown column or two file columns feeding
    one contract column are errors; unused file columns are warnings.
    """
    _check_kind(kind)
    fields = COLUMNS[kind]
    headers = table.headers
    errors: list[RowError] = []
    warnings: list[str] = []
    auto = suggest_mapping(headers, kind)
    chosen: dict[str, str] = dict(auto)
    chose_by_user: set[str] = set()
    for wanted, target in (mapping or {}).items():
        header = _find_header(headers, wanted)
        if header is None:
            errors.append(
                RowError(
                    table.file_name,
                    None,
                    wanted,
                    f'the column mapping names column "{wanted}", which is not in the file',
                )
            )
            continue
        chose_by_user.add(header)
        if not target.strip():
            chosen.pop(header, None)
            continue
        name = next((f for f in fields if normalise_header(f) == normalise_header(target)), None)
        if name is None:
            errors.append(
                RowError(
                    table.file_name,
                    None,
                    header,
                    f'"{target}" is not a {kind} column (use one of: {", ".join(fields)})',
                )
            )
            continue
        for other, other_name in list(chosen.items()):
            # The user's choice replaces a guess for the same contract column.
            if other_name == name and other not in chose_by_user:
                del chosen[other]
        chosen[header] = name

    columns: dict[str, str] = {}
    for header in headers:
        name = chosen.get(header)
        if name is None:
            continue
        if name in columns:
            errors.append(
                RowError(
                    table.file_name,
                    None,
                    header,
                    f'columns "{columns[name]}" and "{header}" are both set to {name}; '
                    "keep only one",
                )
            )
            continue
        columns[name] = header

    for name in fields:
        if name in REQUIRED[kind] and name not in columns:
            errors.append(
                RowError(
                    table.file_name,
                    None,
                    name,
                    f'required column "{name}" is missing (the file has: {", ".join(headers)})',
                )
            )

    used = set(columns.values())
    ignored = [header for header in headers if header not in used]
    for header in ignored:
        guessed = auto.get(header)
        if header in chose_by_user:
            continue  # the user said to leave it out; no need to tell them
        if guessed is not None and guessed in columns:
            warnings.append(
                f'column "{header}" was ignored: column "{columns[guessed]}" already gives '
                f"{guessed}"
            )
        else:
            warnings.append(f'column "{header}" is not a {kind} column and was ignored')
    place = {header: position for position, header in enumerate(headers)}
    return ColumnMapping(
        kind=kind,
        file_name=table.file_name,
        columns=columns,
        positions={name: place[header] for name, header in columns.items()},
        ignored=ignored,
        warnings=warnings,
        errors=errors,
    )


_CODE_SEPARATORS = re.compile(r"[\s\-_/]+")


@functools.lru_cache(maxsize=4096)
def normalise_code(text: str) -> str:
    """Loose form of a code or label for matching: "Use of Force" -> "use_of_force"."""
    # Cached: a file repeats the same few topic and delivery spellings on every row.
    return _CODE_SEPARATORS.sub("_", text.strip().casefold()).strip("_")


def closest(text: str, choices: Collection[str]) -> str | None:
    """The choice most like `text` (for "did you mean ...?"), or None when nothing is close."""
    matches = difflib.get_close_matches(text, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


class RowReader:
    """One data row seen through a column mapping; reading a field records its errors.

    Each reader method returns None when the value is missing or bad; `failed` tells whether
    any error was recorded for this row, so the validator can drop the row.
    """

    # One reader per row, each reading about ten cells: slots make that measurably cheaper.
    __slots__ = ("_positions", "cells", "errors", "failed", "file_name", "mapping", "row_number")

    def __init__(
        self,
        file_name: str,
        mapping: ColumnMapping,
        row_number: int,
        cells: Sequence[str],
        errors: list[RowError],
    ) -> None:
        self.file_name = file_name
        self.mapping = mapping
        self.row_number = row_number
        self.cells = cells
        """The row's cells in the table's header order."""
        self.errors = errors
        self.failed = False
        self._positions = mapping.positions

    def column(self, name: str) -> str:
        """The column as the user knows it: the file's header, else the contract name."""
        return self.mapping.columns.get(name, name)

    def error(self, name: str, reason: str) -> None:
        """Record a refusal of this row's `name` column."""
        self.errors.append(RowError(self.file_name, self.row_number, self.column(name), reason))
        self.failed = True

    def text(self, name: str) -> str:
        """The trimmed cell text, "" when empty or when the file has no such column."""
        position = self._positions.get(name)
        return self.cells[position].strip() if position is not None else ""

    def with_cell(self, name: str, text: str) -> RowReader:
        """A reader of the same row with `name`'s cell (a column of the file) set to `text`:
        for checking one part of a cell that lists several values. Errors go to this row."""
        cells = list(self.cells)
        cells[self._positions[name]] = text
        return RowReader(self.file_name, self.mapping, self.row_number, cells, self.errors)

    def plain(self, name: str, checked: dict[str, str | None] | None = None) -> str:
        """The trimmed cell text, refused when it holds a control character other than a tab
        or a line break (the services refuse them too). `checked` keeps each distinct value's
        verdict, for a column that repeats a few values on many rows."""
        value = self.text(name)
        if not value:
            return value
        if checked is None:
            problem = control_problem(value)
        elif value in checked:
            problem = checked[value]
        else:
            problem = checked[value] = control_problem(value)
        if problem is not None:
            self.error(name, problem)
        return value

    def required(self, name: str) -> str | None:
        """The trimmed cell text, or None (and an error) when it is empty."""
        value = self.text(name)
        if not value:
            self.error(name, "required value missing")
            return None
        return value

    def date(self, name: str, label: str, *, required: bool) -> date | None:
        """A date in YYYY-MM-DD or MM/DD/YYYY, refused before 1940 as a certain typo."""
        value = self.required(name) if required else self.text(name)
        if not value:
            return None
        parsed, reason = _check_date(value, label)
        if parsed is None:
            self.error(name, reason)
        return parsed

    def hours(self, name: str, text: str, label: str, maximum: Centihours) -> Centihours | None:
        """Hours above zero and at most `maximum`, exactly as centihours."""
        centihours, reason = _check_hours(text, label, maximum)
        if centihours is None:
            self.error(name, reason)
        return centihours

    def score(self, name: str) -> float | None:
        """An optional test score 0-100 ("95" or "95%")."""
        value = self.text(name)
        if not value:
            return None
        number, reason = _check_score(value)
        if number is None:
            self.error(name, reason)
        return number

    def choice(self, name: str, label: str, choices: Mapping[str, str], default: str) -> str | None:
        """One of `choices` (code -> label), matched on code or label, any case."""
        value = self.text(name)
        if not value:
            return default
        code = _choice_lookup(tuple(choices.items())).get(normalise_code(value))
        if code is None:
            self.error(name, f'{label} "{value}" is not one of: {_describe(choices)}')
        return code

    def badge(self, known: BadgeIndex | None = None) -> str | None:
        """The badge (trimmed, leading zeros kept); checked against the roster when given."""
        badge = self.required("badge")
        if badge is None or known is None or badge in known.badges:
            return badge
        hint = known.leading_zero_match(badge)
        detail = (
            f'not on the roster; did you mean "{hint}"? Excel may have dropped a leading zero'
            if hint
            else "not on the roster"
        )
        self.error("badge", f'unknown badge "{badge}" ({detail})')
        return None


# The checks below are pure and cached: a file repeats the same few dates, hours and scores on
# thousands of rows. Each gives the value, or None and the reason it was refused.


@functools.lru_cache(maxsize=4096)
def _check_date(value: str, label: str) -> tuple[date | None, str]:
    try:
        parsed = parse_date(value)
    except ValueError as exc:
        return None, str(exc)
    if parsed < EARLIEST_PLAUSIBLE_DATE:
        return None, (
            f'{label} "{value}" is before {EARLIEST_PLAUSIBLE_DATE.year}, '
            "which cannot be right; check the year"
        )
    return parsed, ""


@functools.lru_cache(maxsize=4096)
def _check_hours(text: str, label: str, maximum: Centihours) -> tuple[Centihours | None, str]:
    if not _NUMBER.fullmatch(text):
        return None, f'{label} "{text}" is not a number'
    number = Decimal(text)
    if number < 0:
        return None, f'"{text}" is negative ({label} cannot be negative)'
    if number * 100 > maximum:
        return None, (
            f'{label} "{text}" is more than {maximum // 100} for one class; check the value'
        )
    centihours = parse_hours(text)
    if centihours == 0:
        return None, f'{label} "{text}" must be more than zero'
    return centihours, ""


@functools.lru_cache(maxsize=4096)
def _check_score(value: str) -> tuple[float | None, str]:
    number_text = value[:-1].rstrip() if value.endswith("%") else value
    if not _NUMBER.fullmatch(number_text):
        return None, f'test score "{value}" is not a number'
    number = Decimal(number_text)
    if not 0 <= number <= 100:
        return None, f'test score "{value}" must be 0-100'
    return float(number), ""


@functools.lru_cache(maxsize=64)
def _choice_lookup(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Normalised code or label -> code, labels winning; built once per set of choices."""
    lookup = {normalise_code(code): code for code, _ in choices}
    lookup.update({normalise_code(text): code for code, text in choices})
    return lookup


def _describe(choices: Mapping[str, str]) -> str:
    parts = []
    for code, label in choices.items():
        same = normalise_code(label) == normalise_code(code)
        parts.append(code if same else f"{code} ({label})")
    return ", ".join(parts)


class BadgeIndex:
    """The roster's badges for exact lookup, plus the hint for badges that lost a leading zero."""

    def __init__(self, badges: Collection[str]) -> None:
        self.badges = frozenset(badge.strip() for badge in badges)
        self._without_zeros: dict[str, list[str]] = {}
        for badge in sorted(self.badges):
            if badge.isdecimal():
                self._without_zeros.setdefault(badge.lstrip("0"), []).append(badge)

    def leading_zero_match(self, badge: str) -> str | None:
        """The one roster badge equal to `badge` but for leading zeros, if there is one."""
        if not badge.isdecimal():
            return None
        matches = self._without_zeros.get(badge.lstrip("0"), [])
        return matches[0] if len(matches) == 1 else None


def new_result(table: Table, columns: ColumnMapping) -> ValidationResult[RowT]:
    """An empty result carrying what the reader and the column mapping found."""
    return ValidationResult(
        file_name=table.file_name,
        errors=list(columns.errors),
        warnings=[*table.warnings, *columns.warnings],
    )
