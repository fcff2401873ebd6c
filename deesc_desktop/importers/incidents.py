"""Validate an incident log file (from the records system) into typed incident rows."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from deesc_desktop.core.incidents import (
    AGE_GROUPS,
    ETHNICITIES,
    FORCE_TYPES,
    IMPAIRMENTS,
    INCIDENT_TYPES,
    RACES,
    SEXES,
    TACTICS,
    age_group,
)
from deesc_desktop.importers.reader import Table
from deesc_desktop.importers.validate import (
    BadgeIndex,
    RowReader,
    ValidationResult,
    map_columns,
    new_result,
)

_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}
_SPLIT = re.compile(r"[;,]")
MAX_INJURED = 500
"""More people hurt in one interaction than this is a typo."""


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One valid incident of the file."""

    row_number: int
    reference: str
    occurred_on: date
    incident_type: str
    deescalation_used: bool
    tactics: tuple[str, ...]
    force_type: str
    officers_injured: int
    public_injured: int
    subject_age_group: str
    subject_sex: str
    subject_race: str
    subject_ethnicity: str
    subject_impairment: str
    officer_badges: tuple[str, ...]


def validate_incidents(
    table: Table,
    known_badges: Collection[str],
    mapping: Mapping[str, str] | None = None,
    *,
    today: date | None = None,
) -> ValidationResult[IncidentRow]:
    """Check every row of an incident file; report each bad cell, keep the good rows.

    Codes are matched on the code or its label, any case ("OC (pepper) spray" or oc_spray);
    `subject_age` takes an age in years or an age band; `tactics` and `officer_badges` list
    several separated by ';' or ','. A reference given twice in the file is refused.
    """
    today = today or date.today()
    columns = map_columns(table, "incidents", mapping)
    result: ValidationResult[IncidentRow] = new_result(table, columns)
    if not columns.ok:
        return result
    badges = BadgeIndex(known_badges)
    seen: dict[str, int] = {}
    for row_number, cells in table.rows:
        row = RowReader(table.file_name, columns, row_number, cells, result.errors)
        reference = row.required("reference")
        row.plain("reference")
        if reference is not None:
            key = reference.casefold()
            if key in seen:
                row.error("reference", f'"{reference}" is also on row {seen[key]}')
            seen.setdefault(key, row_number)
        occurred = row.date("occurred_on", "incident date", required=True)
        if occurred is not None and occurred > today:
            row.error("occurred_on", f"incident date {occurred.isoformat()} is in the future")
        incident_type = row.choice("incident_type", "incident type", INCIDENT_TYPES, "")
        if incident_type == "":
            row.error("incident_type", "required value missing")
        used = _yes_no(row, "deescalation_used")
        tactics = _codes(row, "tactics", "tactic", TACTICS)
        if used is False and tactics:
            row.error("tactics", "tactics are listed but de-escalation_used says no")
        force = row.choice("force_type", "force", FORCE_TYPES, "")
        if force == "":
            row.error("force_type", 'required value missing (write "none" when no force was used)')
        officers_injured = _count(row, "officers_injured")
        public_injured = _count(row, "public_injured")
        age = _age(row)
        demographics = [
            row.choice(name, label, codes, "unknown")
            for name, label, codes in (
                ("subject_sex", "sex", SEXES),
                ("subject_race", "race", RACES),
                ("subject_ethnicity", "ethnicity", ETHNICITIES),
                ("subject_impairment", "impairment", IMPAIRMENTS),
            )
        ]
        officers = _badges(row, badges)
        if (
            row.failed
            or reference is None
            or occurred is None
            or incident_type is None
            or used is None
            or force is None
            or officers_injured is None
            or public_injured is None
            or age is None
            or None in demographics
        ):
            continue
        sex, race, ethnicity, impairment = (str(value) for value in demographics)
        result.rows.append(
            IncidentRow(
                row_number,
                reference,
                occurred,
                incident_type,
                used,
                tactics,
                force,
                officers_injured,
                public_injured,
                age,
                sex,
                race,
                ethnicity,
                impairment,
                officers,
            )
        )
    return result


def _yes_no(row: RowReader, name: str) -> bool | None:
    value = row.required(name)
    if value is None:
        return None
    text = value.casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    row.error(name, f'"{value}" is not yes or no')
    return None


def _codes(row: RowReader, name: str, label: str, codes: dict[str, str]) -> tuple[str, ...]:
    found: list[str] = []
    for part in _SPLIT.split(row.text(name)):
        if not part.strip():
            continue
        single = row.with_cell(name, part)
        code = single.choice(name, label, codes, "")
        if single.failed:
            row.failed = True
        elif code:
            found.append(code)
    return tuple(dict.fromkeys(found))


def _count(row: RowReader, name: str) -> int | None:
    value = row.text(name)
    if not value:
        return 0
    if not value.isdecimal():
        row.error(name, f'"{value}" is not a whole number of people')
        return None
    number = int(value)
    if number > MAX_INJURED:
        row.error(name, f'"{value}" is more than {MAX_INJURED} people; check the value')
        return None
    return number


def _age(row: RowReader) -> str | None:
    value = row.text("subject_age")
    if not value:
        return "unknown"
    if value.isdecimal():
        years = int(value)
        if years > 120:
            row.error("subject_age", f'age "{value}" cannot be right')
            return None
        return age_group(years)
    return row.choice("subject_age", "age group", AGE_GROUPS, "unknown")


def _badges(row: RowReader, badges: BadgeIndex) -> tuple[str, ...]:
    found: list[str] = []
    for part in _SPLIT.split(row.text("officer_badges")):
        badge = part.strip()
        if not badge:
            continue
        if badge not in badges.badges:
            hint = badges.leading_zero_match(badge)
            detail = f'; did you mean "{hint}"?' if hint else ""
            row.error("officer_badges", f'unknown badge "{badge}" (not on the roster{detail})')
            continue
        found.append(badge)
    return tuple(dict.fromkeys(found))
