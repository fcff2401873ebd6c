"""Validate a roster import file into typed officer rows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from deesc_desktop.core.topics import OFFICER_STATUSES
from deesc_desktop.importers.reader import Table
from deesc_desktop.importers.validate import RowReader, ValidationResult, map_columns, new_result

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One valid roster line; `status` is an OFFICER_STATUSES code."""

    row_number: int
    badge: str
    last_name: str
    first_name: str
    rank: str
    unit: str
    shift: str
    hire_date: date
    license_date: date | None
    status: str
    state_id: str
    email: str
    separation_date: date | None = None


def validate_roster(
    table: Table,
    mapping: Mapping[str, str] | None = None,
    separated: Mapping[str, str] | None = None,
) -> ValidationResult[RosterRow]:
    """Check every row of a roster file; report each bad cell, keep the good rows.

    Badges must be unique in the file; hire dates in the future are accepted (officers
    hired ahead of their start), but not before 1940. `separated` (badge -> separation
    date of the officers separated in the app) refuses a row that would undo a separation.
    """
    columns = map_columns(table, "roster", mapping)
    result: ValidationResult[RosterRow] = new_result(table, columns)
    if not columns.ok:
        return result
    first_row_of_badge: dict[str, int] = {}
    for row_number, cells in table.rows:
        row = RowReader(table.file_name, columns, row_number, cells, result.errors)
        badge = row.badge()
        if badge is not None:
            first = first_row_of_badge.setdefault(badge, row_number)
            if first != row_number:
                row.error("badge", f'duplicate badge "{badge}" (also on row {first})')
        last_name = row.required("last_name")
        first_name = row.required("first_name")
        for name in ("last_name", "first_name", "rank", "unit", "shift", "state_id"):
            row.plain(name)
        hire_date = row.date("hire_date", "hire date", required=True)
        license_date = row.date("license_date", "license date", required=False)
        status = row.choice("status", "status", OFFICER_STATUSES, default="active")
        email = row.text("email")
        separation = row.date("separation_date", "separation date", required=False)
        if status == "separated" and separation is None and not row.failed:
            row.error(
                "status",
                'status "separated" needs the separation date: add a separation_date column, '
                "or separate the officer in the app",
            )
        elif separation is not None and status != "separated":
            row.error("separation_date", f'only a separated officer has one (status is "{status}")')
        elif separation is not None and hire_date is not None and separation < hire_date:
            row.error("separation_date", f"is before the hire date {hire_date.isoformat()}")
        left = (separated or {}).get(badge) if badge is not None else None
        if left is not None and status is not None and status != "separated":
            row.error(
                "status",
                f'badge {badge} was separated on {left}, and this file says "{status}": a file '
                "does not undo a separation (if it was entered in error, use Return to active "
                "on the Roster page)",
            )
        if email and not _EMAIL.fullmatch(email):
            row.error("email", f'"{email}" does not look like an email address')
        if (
            row.failed
            or badge is None
            or last_name is None
            or first_name is None
            or hire_date is None
            or status is None
        ):
            continue
        result.rows.append(
            RosterRow(
                row_number=row_number,
                badge=badge,
                last_name=last_name,
                first_name=first_name,
                rank=row.text("rank"),
                unit=row.text("unit"),
                shift=row.text("shift"),
                hire_date=hire_date,
                license_date=license_date,
                status=status,
                state_id=row.text("state_id"),
                email=email,
                separation_date=separation,
            )
        )
    return result
