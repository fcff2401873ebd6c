"""Validate a leave (exemption) import file into typed leave rows."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from deesc_desktop.importers.reader import Table
from deesc_desktop.importers.validate import (
    BadgeIndex,
    RowReader,
    ValidationResult,
    closest,
    map_columns,
    new_result,
)


@dataclass(frozen=True, slots=True)
class LeaveRow:
    """One valid period of leave, both ends inclusive; no `requirement_ids` means blanket."""

    row_number: int
    badge: str
    start: date
    end: date
    reason: str
    requirement_ids: frozenset[str]
    granted_by: str = ""
    reference: str = ""
    granted_on: date | None = None


def validate_leave(
    table: Table,
    known_badges: Collection[str],
    known_requirement_ids: Collection[str] | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ValidationResult[LeaveRow]:
    """Check every row of a leave file; report each bad cell, keep the good rows.

    `requirements` lists requirement ids separated by ';' or ','; they are checked against
    `known_requirement_ids` (matched regardless of case) unless it is None.
    """
    columns = map_columns(table, "leave", mapping)
    result: ValidationResult[LeaveRow] = new_result(table, columns)
    if not columns.ok:
        return result
    badges = BadgeIndex(known_badges)
    requirement_lookup = (
        None
        if known_requirement_ids is None
        else {rid.strip().casefold(): rid.strip() for rid in known_requirement_ids}
    )
    for row_number, cells in table.rows:
        row = RowReader(table.file_name, columns, row_number, cells, result.errors)
        badge = row.badge(badges)
        start = row.date("start", "start date", required=True)
        end = row.date("end", "end date", required=True)
        if start is not None and end is not None and end < start:
            row.error(
                "end",
                f"end date {end.isoformat()} is before start date {start.isoformat()}",
            )
        requirement_ids = _requirement_ids(row, requirement_lookup)
        granted_by, reference = row.plain("granted_by"), row.plain("reference")
        reason = row.plain("reason")
        granted_on = row.date("granted_on", "waiver date", required=False)
        if granted_by or reference or row.text("granted_on"):
            for name, given, what in (
                ("granted_by", granted_by, "who granted it"),
                ("reference", reference, "its reference"),
                ("granted_on", row.text("granted_on"), "the date it was granted"),
            ):
                if not given:
                    row.error(name, f"a waiver needs {what} (granted_by, reference, granted_on)")
        if row.failed or badge is None or start is None or end is None:
            continue
        result.rows.append(
            LeaveRow(
                row_number=row_number,
                badge=badge,
                start=start,
                end=end,
                reason=reason,
                requirement_ids=requirement_ids,
                granted_by=granted_by,
                reference=reference,
                granted_on=granted_on,
            )
        )
    return result


def _requirement_ids(row: RowReader, lookup: dict[str, str] | None) -> frozenset[str]:
    ids: set[str] = set()
    for part in re.split(r"[;,]", row.text("requirements")):
        wanted = part.strip()
        if not wanted:
            continue
        if lookup is None:
            ids.add(wanted)
            continue
        found = lookup.get(wanted.casefold())
        if found is None:
            suggestion = closest(wanted, sorted(lookup.values()))
            detail = f"did you mean {suggestion}?" if suggestion else "no requirement has this id"
            row.error("requirements", f'unknown requirement "{wanted}" ({detail})')
            continue
        ids.add(found)
    return frozenset(ids)
